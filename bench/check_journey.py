"""After the locust journeys: is every diagnostic they completed in the database, with
its results? `python -m bench.check_journey TOKENS_FILE` (Django settings from the
environment, as the benchmark server's)."""

import os
import sys
from pathlib import Path


def main(path: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rameau_site.settings")
    import django

    django.setup()
    from diagnostics.models import Response

    tokens = set(Path(path).read_text().split()) if Path(path).exists() else set()
    stored = Response.objects.filter(token__in=tokens, completed_at__isnull=False)
    complete = set(stored.exclude(snapshot=None).values_list("token", flat=True))
    missing = tokens - complete
    print(f"Diagnostics terminés par les parcours : {len(tokens)} ; en base, avec leurs "
          f"résultats : {len(complete)} ; manquants : {len(missing)}")  # fmt: skip
    return 1 if missing or not tokens else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
