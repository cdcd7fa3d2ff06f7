from django.core.management.base import BaseCommand
from django.db import transaction

from territories import reference_data
from territories.models import Commune, Departement, Region


class Command(BaseCommand):
    help = "Charge ou met à jour régions, départements et communes depuis territories/data/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-package",
            help="Dossier d'un paquet @etalab/decoupage-administratif décompressé : "
            "réécrit d'abord les fichiers de territories/data/.",
        )

    def handle(self, *args, from_package=None, **options):
        if from_package:
            counts = reference_data.build_from_package(from_package)
            self.stdout.write(f"Fichiers réécrits : {counts}")
        with transaction.atomic():
            counts = reference_data.load(Region, Departement, Commune)
        self.stdout.write(self.style.SUCCESS(f"Référentiel chargé : {counts}"))
