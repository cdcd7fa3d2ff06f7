"""make backup / make restore: a pg_dump of the database restored into another one keeps
every row and the French search; a restore over changed data brings it back; a broken
backup file changes nothing."""

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from rameau_site import backup

SCRATCH = "rameau_restauration_test"

SEARCH_SQL = (
    "SELECT count(*) FROM territories_commune "
    "WHERE to_tsvector('fr_unaccent', name) @@ websearch_to_tsquery('fr_unaccent', %s)"
)


def connect(settings: dict, name: str) -> psycopg.Connection:
    return psycopg.connect(
        dbname=name,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [
        "territories_commune", "territories_region", "diagnostics_question",
        "diagnostics_choice", "auth_group_permissions",
    ]  # fmt: skip
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    } | {"évry": conn.execute(SEARCH_SQL, ["evry"]).fetchone()[0]}


@pytest.fixture
def scratch_database(db):
    settings = connection.settings_dict
    with connect(settings, "postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(SCRATCH)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    yield settings | {"NAME": SCRATCH}
    with connect(settings, "postgres") as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
        )


@pytest.mark.slow
def test_backup_round_trip_keeps_rows_and_french_search(scratch_database, tmp_path):
    source = connection.settings_dict
    with connect(source, source["NAME"]) as conn:
        expected = counts(conn)
    assert expected["territories_commune"] > 30_000
    assert expected["évry"] >= 1  # "evry" finds "Évry-Courcouronnes": accent-blind

    dump_file = tmp_path / "sauvegarde.dump"
    backup.dump(dump_file, source)
    backup.restore(dump_file, scratch_database)

    with connect(scratch_database, SCRATCH) as restored:
        assert counts(restored) == expected
        # Changes after the backup are undone by a restore...
        restored.execute("DELETE FROM diagnostics_choice")
        restored.execute("DELETE FROM diagnostics_question")
    backup.restore(dump_file, scratch_database)
    with connect(scratch_database, SCRATCH) as restored:
        assert counts(restored) == expected

    # ...and a broken backup file leaves the database as it was.
    broken = tmp_path / "abimee.dump"
    broken.write_bytes(dump_file.read_bytes()[: dump_file.stat().st_size // 2])
    with pytest.raises(Exception):  # noqa: B017 (pg_restore's failure, whatever its kind)
        backup.restore(broken, scratch_database)
    with connect(scratch_database, SCRATCH) as restored:
        assert counts(restored) == expected


def test_a_missing_backup_file_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="Sauvegarde introuvable"):
        backup.restore(tmp_path / "absente.dump", {"NAME": "x"})
