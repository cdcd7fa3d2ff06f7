"""The performance floor: a bare Django view (one small query, a small template) served
by the same gunicorn as the site, in the same run. Every page is measured against it."""

from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.template import engines

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='fr'><title>plancher</title><ul>"
    "{% for p in permissions %}<li>{{ p.codename }}</li>{% endfor %}</ul></html>"
)


def floor(request):
    permissions = list(Permission.objects.order_by("pk").only("codename")[:12])
    return HttpResponse(TEMPLATE.render({"permissions": permissions}, request))
