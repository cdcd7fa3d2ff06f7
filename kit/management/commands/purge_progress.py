import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from kit.progress import PROGRESS_RETENTION_DAYS
from kit.services import progress_purge


class Command(BaseCommand):
    help = "Supprime les progressions dans les parcours restées sans modification trop longtemps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--jours", type=int, default=PROGRESS_RETENTION_DAYS,
            help="ancienneté minimale de la dernière modification, en jours",
        )  # fmt: skip

    def handle(self, *args, jours, **options):
        count = progress_purge(older_than=timezone.now() - datetime.timedelta(days=jours))
        self.stdout.write(f"{count} progression(s) dans les parcours supprimée(s).")
