"""A library edit while the benchmark server runs: save one generated resource (its
title unchanged) as an editor would, through the ORM, so that the model signals bump
the library's version. Prints the version before and after, as JSON.

    python -m bench.edit_library   (Django settings from the environment, as the server's)
"""

import json
import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rameau_site.settings")
    import django

    django.setup()
    from rameau_site.caching import LIBRARY_VERSION
    from resources.models import Resource

    before = LIBRARY_VERSION.current()
    resource = Resource.objects.filter(slug__startswith="test-echelle-").order_by("pk").first()
    if resource is None:
        raise SystemExit("Aucune ressource de test : lancez d'abord generate_scale_data.")
    resource.save()
    print(json.dumps({"slug": resource.slug, "before": before, "after": LIBRARY_VERSION.current()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
