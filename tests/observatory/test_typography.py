"""French typography on every observatory page: text from the database (headlines,
questions, notes, source titles) is typed with ordinary spaces; the pages add the
non-breaking ones."""

from observatory.models import Indicator
from tests.site.test_french_typography import typography_faults
from tests.site.text import visible_text


def test_every_indicator_page_and_its_embed_follow_french_typography(client, observatory):
    paths = ["/observatoire/", "/sources/"]
    for indicator in Indicator.objects.all():
        paths += [indicator.get_absolute_url(), f"{indicator.get_absolute_url()}integrer/"]
    faults = []
    for path in paths:
        text = visible_text(client.get(path).content.decode())
        faults += [f"{path} : {fault}" for fault in typography_faults(text)]
    assert not faults, "\n".join(faults)
