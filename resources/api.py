"""Read-only JSON API of the library: the same FilterSet as the catalogue page."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from resources.caching import cache_library_page
from resources.filters import ResourceFilterSet
from resources.models import Resource
from resources.views import paginate


def serialize(request, resource: Resource, *, full: bool = False) -> dict:
    data = {
        "slug": resource.slug,
        "titre": resource.title,
        "type": resource.kind,
        "resume": resource.summary,
        "url": request.build_absolute_uri(resource.get_absolute_url()),
        "lien_externe": resource.external_url or None,
        "document": request.build_absolute_uri(reverse("resources:document", args=[resource.slug]))
        if resource.document
        else None,
        "editeurs": [org.name for org in resource.publishers.all()],
        "annee": resource.display_year,
        "langue": resource.language,
        "mots_cles": [tag.name for tag in resource.tags.all()],
        "publics": resource.audiences,
        "usages": resource.usages,
        "niveaux": resource.levels,
        "formes": resource.forms,
        "modes": resource.modes,
        "region": resource.region_id,
        "publie_le": resource.published_at.isoformat() if resource.published_at else None,
        "modifie_le": resource.updated_at.isoformat(),
    }
    if resource.is_case:
        data["cas"] = {
            "commune": resource.commune_id,
            "territoire": resource.commune.name if resource.commune else resource.territory_name,
            "illustratif": resource.is_fictional,
            "annee_demarrage": resource.start_year,
        }
    if full:
        data |= {
            "presentation_html": resource.body_html,
            "duree": resource.duration or None,
            "cout": resource.cost or None,
            "themes": [theme.slug for theme in resource.themes.all()],
        }
    return data


def page_url(request, number: int | None) -> str | None:
    if number is None:
        return None
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@require_safe
@cache_library_page
def resource_list(request):
    filterset = ResourceFilterSet(request.GET)
    page = paginate(filterset, request.GET.get("page"))
    facets = {
        facet.param: [
            {"valeur": v.value, "libelle": v.label, "nombre": v.count, "selectionne": v.selected}
            for v in facet.values
        ]
        for facet in filterset.facets
    }
    return JsonResponse(
        {
            "count": filterset.total,
            "next": page_url(request, page.next_page_number() if page.has_next() else None),
            "previous": page_url(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "results": [serialize(request, resource) for resource in page.object_list],
            "facets": facets,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cache_library_page
def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.published().for_detail(), slug=slug)
    return JsonResponse(
        serialize(request, resource, full=True), json_dumps_params={"ensure_ascii": False}
    )


FILTER_PARAMETERS = [
    ("q", "Recherche plein texte (syntaxe web : guillemets, -mot, or)", False),
    ("type", "Type de ressource", True),
    ("theme", "Thème (slug ; un thème inclut ses sous-thèmes)", True),
    ("public", "Public visé", True),
    ("usage", "Usage du kit", True),
    ("niveau", "Niveau de maturité", True),
    ("region", "Code INSEE de région", True),
    ("forme", "Forme de co-construction", True),
    ("mode", "Mode de partenariat", True),
    ("annee", "Année", True),
    ("tag", "Mot-clé (slug)", True),
    ("tri", "Tri : pertinence, recent, titre", False),
    ("page", "Numéro de page (20 résultats par page)", False),
]


def openapi_paths() -> dict:
    """This app's part of the OpenAPI document served at /api/openapi.json."""
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": {"type": "array", "items": {"type": "string"}}
            if repeatable
            else {"type": "string"},
            **({"style": "form", "explode": True} if repeatable else {}),
        }
        for name, description, repeatable in FILTER_PARAMETERS
    ]
    return {
        "/api/ressources/": {
            "get": {
                "summary": "Rechercher dans la bibliothèque",
                "operationId": "listResources",
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": "Une page de résultats et les facettes",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResourcePage"}
                            }
                        },
                    }
                },
            }
        },
        "/api/ressources/{slug}/": {
            "get": {
                "summary": "Une ressource publiée",
                "operationId": "getResource",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "La ressource",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Resource"}
                            }
                        },
                    },
                    "404": {"description": "Aucune ressource publiée sous ce slug"},
                },
            }
        },
    }


def openapi_schemas() -> dict:
    nullable_string = {"type": ["string", "null"]}
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "Resource": {
            "type": "object",
            "required": ["slug", "titre", "type", "resume", "url"],
            "properties": {
                "slug": {"type": "string"},
                "titre": {"type": "string"},
                "type": {"type": "string"},
                "resume": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
                "lien_externe": nullable_string,
                "document": nullable_string,
                "editeurs": strings,
                "annee": {"type": ["integer", "null"]},
                "langue": {"type": "string"},
                "mots_cles": strings,
                "publics": strings,
                "usages": strings,
                "niveaux": strings,
                "formes": strings,
                "modes": strings,
                "region": nullable_string,
                "publie_le": nullable_string,
                "modifie_le": {"type": "string"},
            },
        },
        "ResourcePage": {
            "type": "object",
            "required": ["count", "next", "previous", "results", "facets"],
            "properties": {
                "count": {"type": "integer"},
                "next": nullable_string,
                "previous": nullable_string,
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}},
                "facets": {"type": "object"},
            },
        },
    }
