import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from diagnostics.services import responses_purge


class Command(BaseCommand):
    help = "Supprime les diagnostics inachevés restés sans modification trop longtemps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--jours", type=int, default=settings.DIAGNOSTIC_INCOMPLETE_RETENTION_DAYS,
            help="ancienneté minimale de la dernière modification, en jours",
        )  # fmt: skip

    def handle(self, *args, jours, **options):
        count = responses_purge(older_than=timezone.now() - datetime.timedelta(days=jours))
        self.stdout.write(f"{count} diagnostic(s) inachevé(s) supprimé(s).")
