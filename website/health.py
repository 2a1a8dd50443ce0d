"""Whether the site can serve, and what residents see when its database cannot.

``/healthz`` (liveness) answers without touching the database: the app server is up. ``/readyz``
(readiness) also asks PostgreSQL, and whether every migration is applied: a load balancer sends
residents only to servers that say "ready".

When PostgreSQL is down or unreachable, any request that needs it ends in ``server_error``, which
answers 503 "try again" rather than 500. A form that was being sent comes back on that page with
everything the person typed, ready to send again with one button: nothing typed is lost, and
nothing was stored (every write is one transaction). The page is made without the database.
"""

import logging
import sys

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)
# Seconds a browser or load balancer should wait before trying again.
RETRY_AFTER = 10
_migrations_applied = False


def healthz(request: HttpRequest) -> HttpResponse:
    """The app server is up and answering: no database, no template (a load balancer's liveness check)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for residents: PostgreSQL answers and every migration is applied (503 with the reason if not)."""
    problem = _not_ready_because()
    if problem:
        response = HttpResponse(f"not ready: {problem}\n", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
    else:
        response = HttpResponse("ready\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def _not_ready_because() -> str | None:
    global _migrations_applied
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        # Once applied, they stay applied until this process is replaced by a new release.
        if not _migrations_applied:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                return "migrations not applied"
            _migrations_applied = True
    except DatabaseError:
        return "database unavailable"
    return None


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 "try again", with a posted form's fields kept to send again (made without the database)."""
    resend = []
    if request.method == "POST":
        resend = [(name, value) for name, values in request.POST.lists() for value in values]
    content = render_to_string("503.html", {"resend": resend, "action": request.get_full_path()})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 page, unless the error was the database being unreachable: then 503."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # One line, not a traceback and an email to the admins for every request during an outage:
        # /readyz and the load balancer say the rest.
        logger.warning("Database unavailable: %s %s: %s", request.method, request.path, str(error).splitlines()[0])
        response = database_unavailable(request)
        response._has_been_logged = True  # Django's own error log of this response
        return response
    return defaults.server_error(request, template_name)
