import pytest
from django.core.management import call_command


@pytest.fixture
def observatory(db):
    """The real content: FACTS.md figures as observations, and the demo regional series."""
    call_command("loaddata", "fixtures/05_observatory.json", verbosity=0)
