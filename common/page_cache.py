"""Public pages served to anonymous visitors from the shared cache, and forgotten when content changes.

``@cache_public_page`` on a view serves a GET or HEAD from the cache ("default": Redis when
``REDIS_URL`` is set, otherwise a PostgreSQL table, so every app server shares it) when the visitor
has no session: staff who are signed in, and residents part-way through a survey, always get a page
made for them. A page is only stored if it is an ordinary 200 that sets no cookie and does not vary
on cookies (a form's CSRF token would), and is not an editor's preview.

Each stored page carries the cache's current "version"; ``forget_on_change`` connects models whose
rows public pages show, so that saving or deleting one changes the version once the change is
committed, and every page is made afresh. Pages also expire after ``PUBLIC_PAGE_CACHE_SECONDS``
(default 60), which bounds what changes with time alone (a consultation closing at 5pm).
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import partial, wraps
from urllib.parse import urlencode

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "public-pages:version"
# The query parameters a cached page may have, and the values each may take: any other query, and
# the page is simply made afresh.
PAGE_NUMBER = {"page": str.isdigit}


def _key(request, shared_path: str) -> str:
    """A fixed-length key: no visitor's words (a search, say) are kept in the cache's keys."""
    digest = hashlib.sha256(f"{request.get_host()}\n{shared_path}".encode()).hexdigest()
    return f"public-page:{digest}"


def _shared_path(request, parameters: dict[str, Callable[[str], bool]]) -> str | None:
    """The path and query of a request whose page may be shared, or None."""
    if request.method not in ("GET", "HEAD") or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    query = request.GET
    if set(query) - set(parameters):
        return None
    if any(len(query.getlist(name)) != 1 or not parameters[name](query[name]) for name in query):
        return None
    return f"{request.path}?{urlencode(sorted(query.items()))}"


def _may_store(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
        and not getattr(request, "shows_preview", False)
    )


def cache_public_page(view=None, *, parameters: dict[str, Callable[[str], bool]] | None = None):
    """``@cache_public_page``, or ``@cache_public_page(parameters={"q": check, ...})`` for a page whose
    query (beyond a page number) is part of what it shows, such as search results."""
    if view is None:
        return partial(cache_public_page, parameters=parameters)
    allowed = {**PAGE_NUMBER, **(parameters or {})}

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        path = _shared_path(request, allowed)
        if path is None:
            return view(request, *args, **kwargs)
        key = _key(request, path)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            return stored[1]
        response = view(request, *args, **kwargs)
        if _may_store(request, response):
            if version is None:
                version = _new_version()
            cache.set(key, (version, response), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _new_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def forget_public_pages(**kwargs) -> None:
    """Every cached page is made afresh once the current transaction commits (so none is made from
    rows about to change)."""
    transaction.on_commit(_new_version)


def forget_on_change(*models) -> None:
    """Saving or deleting a row of these models (or changing their many-to-many links) forgets pages."""
    for model in models:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(forget_public_pages, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(forget_public_pages, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                forget_public_pages, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}", weak=False
            )


def forget_on_change_of_app(app: AppConfig, *, except_models=()) -> None:
    forget_on_change(*(model for model in app.get_models() if model not in except_models))
