"""Long commands show progress: a bar on a terminal, plain lines in a log."""

import io

from django.conf import settings
from django.core.management import call_command

from rameau_site.progress import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_whole_lines_with_count_rate_and_time_left():
    log = io.StringIO()
    for _ in progress(range(3), stream=log, desc="Liens", unit="lien"):
        pass
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[-1].startswith("Liens : 3/3 (")
    assert "lien/s" in lines[-1] and "reste 00:00" in lines[-1]


def test_a_terminal_gets_a_redrawn_bar():
    terminal = Terminal()
    for _ in progress(range(3), stream=terminal, desc="Liens", unit="lien"):
        pass
    assert "\r" in terminal.getvalue()
    assert "3/3" in terminal.getvalue()


def test_load_demo_reports_its_progress(db):
    fixtures = len(list((settings.BASE_DIR / "fixtures").glob("*.json")))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert f"Contenu de démonstration : {fixtures}/{fixtures}" in out.getvalue()
