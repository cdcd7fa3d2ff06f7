"""The results page proposes the published parcours staff tied to the weakest axes
(Parcours.diagnostic_axes), those of the weakest axis first."""

from kit.enums import PublicationStatus
from kit.models import Parcours
from tests.kit.factories import ParcoursFactory

POINTS = {"vision": 0, "ecosysteme": 1}  # the two weakest axes; the others score 3


def weak_vision_then_ecosystem(question):
    return POINTS.get(question.axis.code, 3)


def parcours_block(page: str) -> str:
    start = page.index('id="titre-parcours"')
    return page[start : page.index("</section>", start)]


def test_the_parcours_of_the_weakest_axes_are_proposed_weakest_first(taker, client):
    published = PublicationStatus.PUBLISHED
    ParcoursFactory(title="Pour l’écosystème", diagnostic_axes=["ecosysteme"], status=published)
    ParcoursFactory(title="Pour la vision", diagnostic_axes=["vision"], status=published)
    ParcoursFactory(title="Pour les moyens", diagnostic_axes=["moyens"], status=published)
    ParcoursFactory(
        title="Brouillon vision", diagnostic_axes=["vision"], status=PublicationStatus.DRAFT
    )
    taker.complete(points=weak_vision_then_ecosystem)

    block = parcours_block(client.get(f"/diagnostic/{taker.token}/resultats/").content.decode())
    assert block.index("Pour la vision") < block.index("Pour l’écosystème")
    assert "Pour les moyens" not in block and "Brouillon" not in block
    vision = Parcours.objects.get(title="Pour la vision")
    assert f'href="{vision.get_absolute_url()}"' in block


def test_a_parcours_published_after_a_first_visit_is_proposed_at_once(
    taker, client, django_capture_on_commit_callbacks
):
    taker.complete(points=weak_vision_then_ecosystem)
    url = f"/diagnostic/{taker.token}/resultats/"
    assert 'id="titre-parcours"' not in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the kit's version moves
        ParcoursFactory(
            title="Publié ensuite", diagnostic_axes=["vision"], status=PublicationStatus.PUBLISHED
        )
    assert "Publié ensuite" in parcours_block(client.get(url).content.decode())
