"""Read-only JSON API of the library: the same FilterSet as the catalogue page. Every
answer of /api/..., errors included, is JSON (`api_error`, also used by the site's
error handlers and the observatory's API)."""

import functools

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from rameau_site.caching import INDEX_PAGES, LIBRARY_PAGES
from resources.filters import ResourceFilterSet
from resources.models import Resource
from resources.views import PAGE_SIZE


class InvalidParameter(Exception):
    """A query parameter the API refuses: `status` 400 for a malformed value, 404 for a
    well-formed page number past the last page."""

    def __init__(self, errors: dict[str, list[str]], status: int = 400):
        super().__init__(errors)
        self.errors, self.status = errors, status

    def response(self) -> JsonResponse:
        names = ", ".join(self.errors)
        return api_error(self.status, f"Paramètre invalide\u00a0: {names}.", errors=self.errors)


def api_error(status: int, message: str, *, errors: dict | None = None) -> JsonResponse:
    """The body of every API error: a French sentence, and per parameter its problems."""
    body = {"erreur": message} | ({"erreurs": errors} if errors else {})
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def read_only_api(view):
    """GET and HEAD only; any other method gets a JSON 405 (with no CSRF check first:
    nothing is written, and the answer would otherwise be the HTML form-expired page)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = api_error(
                405, "Méthode non autorisée\u00a0: cette API se lit seulement (GET ou HEAD)."
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except InvalidParameter as invalid:
            return invalid.response()

    return csrf_exempt(wrapper)


def valid_filters(filterset):
    """Raise InvalidParameter unless every filter value is valid: a dropped value would
    silently widen the results."""
    if filterset.is_bound and not filterset.form.is_valid():
        raise InvalidParameter(
            {name: list(errors) for name, errors in filterset.form.errors.items()}
        )
    return filterset


def page_of(paginator: Paginator, number: str | None) -> Page:
    """The page asked for (the first without `page`), never another one in its place."""
    if number is None:
        return paginator.page(1)
    digits = number.lstrip("0")
    if not (number.isascii() and number.isdigit() and digits):
        raise InvalidParameter({"page": ["Un numéro de page est un nombre entier à partir de 1."]})
    try:
        # No page count reaches 10 digits; a longer number is not even converted.
        return paginator.page(int(digits) if len(digits) < 10 else paginator.num_pages + 1)
    except EmptyPage:
        last = f"la dernière est la page {paginator.num_pages}"
        raise InvalidParameter(
            {"page": [f"Cette page n’existe pas\u00a0: {last}."]}, status=404
        ) from None


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
        "mots_cles": [tag.name for tag in resource.card_tags],
        "publics": resource.audiences,
        "usages": resource.usages,
        "niveaux": resource.levels,
        "formes": resource.forms,
        "modes": resource.modes,
        "odd": resource.goals,
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


@read_only_api
@INDEX_PAGES
def resource_list(request):
    filterset = valid_filters(ResourceFilterSet(request.GET))
    page = page_of(Paginator(filterset.results, PAGE_SIZE), request.GET.get("page"))
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


@read_only_api
@LIBRARY_PAGES
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
    ("odd", "Objectif de développement durable (son numéro, de 1 à 17)", True),
    ("annee", "Année", True),
    ("tag", "Mot-clé (slug)", True),
    ("tri", "Tri : pertinence, recent, titre", False),
    ("page", "Numéro de page (20 résultats par page)", False),
]


def parameter_schema(filterset: ResourceFilterSet, name: str, repeatable: bool) -> dict:
    """What the API accepts for one parameter (anything else is a 400)."""
    if name == "page":
        return {"type": "integer", "minimum": 1}
    if name == "q":
        return {"type": "string", "pattern": "^[^\\u0000]*$"}
    if name == "tag":
        item = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 100}
    else:
        values = [str(value) for value, _ in filterset.filters[name].field.choices]
        item = {"type": "string", "enum": values} if values else {"type": "string"}
    return {"type": "array", "items": item} if repeatable else item


def error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}},
    }


def openapi_paths() -> dict:
    """This app's part of the OpenAPI document served at /api/openapi.json."""
    filterset = ResourceFilterSet()
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": parameter_schema(filterset, name, repeatable),
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
                    },
                    "400": error_response(
                        "Paramètre invalide (nommé dans « erreurs ») : aucun résultat élargi"
                    ),
                    "404": error_response("Page au-delà de la dernière"),
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
                    "404": error_response("Aucune ressource publiée sous ce slug"),
                },
            }
        },
    }


def openapi_schemas() -> dict:
    nullable_string = {"type": ["string", "null"]}
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "Erreur": {
            "type": "object",
            "required": ["erreur"],
            "properties": {
                "erreur": {"type": "string"},
                "erreurs": {
                    "type": "object",
                    "description": "Par paramètre refusé, ce qui ne va pas",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
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
                "odd": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
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
