from django.core.management.base import BaseCommand

from rameau_site.progress import progress
from resources.links import links_check


class Command(BaseCommand):
    help = "Vérifie les liens externes de toutes les ressources et enregistre leur état."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="secondes par requête")
        parser.add_argument("--workers", type=int, default=8, help="requêtes simultanées")

    def handle(self, *args, timeout, workers, **options):
        def track(checks, total):
            return progress(checks, stream=self.stdout, total=total, desc="Liens", unit="lien")

        results = links_check(timeout=timeout, workers=workers, track=track)
        broken = [r for r in results if not r.ok]
        for result in broken:
            reason = f"HTTP {result.status}" if result.status else result.error
            self.stdout.write(f"  cassé : {result.url} ({reason})")
        self.stdout.write(
            self.style.SUCCESS(f"{len(results)} lien(s) vérifié(s), {len(broken)} cassé(s).")
        )
