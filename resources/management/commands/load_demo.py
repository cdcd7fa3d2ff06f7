from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from rameau_site.progress import progress
from resources.services import resources_refresh_all, search_words_refresh

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration de fixtures/ (dans l'ordre des noms de "
        "fichier). Idempotent : chaque objet a une clé fixe, un second passage ne change rien."
    )

    def handle(self, *args, **options):
        fixtures = sorted(FIXTURES_DIR.glob("*.json"))
        if not fixtures:
            self.stdout.write("Aucun contenu de démonstration à charger.")
            return
        with transaction.atomic():
            for fixture in progress(
                fixtures, stream=self.stdout, desc="Contenu de démonstration", unit="fichier"
            ):
                call_command("loaddata", str(fixture), verbosity=0)
            # Derived data (sanitised HTML, search columns, vocabulary) is recomputed
            # from the loaded content, exactly as after an edit in the admin.
            resources_refresh_all()
            search_words_refresh()
        names = ", ".join(f.name for f in fixtures)
        self.stdout.write(self.style.SUCCESS(f"Contenu de démonstration chargé : {names}."))
