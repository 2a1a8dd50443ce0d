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

Each app process also keeps its own copies of the pages it served lately (``NearCopies``), and trusts
the version it last read for ``PUBLIC_PAGE_LOCAL_SECONDS`` (default 1): a popular page then costs no
trip to the shared cache at all. A change made in this process is seen here at once; one made in
another process is seen here within that second. A copy never outlives the shared page it came from.
If the shared cache cannot be reached, those copies are served while they last.
"""

import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from functools import partial, wraps
from urllib.parse import urlencode

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
VERSION_KEY = "public-pages:version"
# The query parameters a cached page may have, and the values each may take: any other query, and
# the page is simply made afresh.
PAGE_NUMBER = {"page": str.isdigit}
# The most pages one process keeps copies of (a page is some 10 to 40 KB).
NEAR_COPIES = 256


class NearCopies:
    """This process's copies of pages lately served from the shared cache, and the shared version it
    last read: safe across the threads of one worker."""

    def __init__(self, size: int = NEAR_COPIES):
        self.size = size
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[str, float, bytes]] = OrderedDict()
        self.version: str | None = None
        self.version_read_at = float("-inf")

    def trusted_version(self) -> str | None:
        """The version last read, while it may still be trusted without asking the shared cache."""
        if time.monotonic() - self.version_read_at < settings.PUBLIC_PAGE_LOCAL_SECONDS:
            return self.version
        return None

    def read_version(self, version: str | None) -> None:
        with self.lock:
            if version != self.version:
                self.pages.clear()
            self.version, self.version_read_at = version, time.monotonic()

    def page(self, key: str, version: str) -> bytes | None:
        with self.lock:
            found = self.pages.get(key)
            if found is None or found[0] != version or found[1] <= time.time():
                return None
            self.pages.move_to_end(key)
            return found[2]

    def keep(self, key: str, version: str, expires_at: float, page: bytes) -> None:
        with self.lock:
            self.pages[key] = (version, expires_at, page)
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.version, self.version_read_at = None, float("-inf")


near_copies = NearCopies()


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
        # A page that used a CSRF token (a form) is the visitor's own: the middleware sets its cookie later.
        not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and response.status_code == 200
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
        version = near_copies.trusted_version()
        if version is not None and (page := near_copies.page(key, version)) is not None:
            return _response(page)
        try:
            found = cache.get_many([VERSION_KEY, key])
        except Exception:  # the shared cache is unreachable (its PostgreSQL or Redis is down)
            logger.warning("Public page cache unreachable", exc_info=True)
            # A copy this process still holds, within its time; otherwise the page made afresh.
            page = near_copies.page(key, near_copies.version)
            return _response(page) if page is not None else view(request, *args, **kwargs)
        version = found.get(VERSION_KEY)
        near_copies.read_version(version)
        stored = found.get(key)
        if stored is not None and stored[0] == version and stored[1] > time.time():
            _, expires_at, page = stored
            near_copies.keep(key, version, expires_at, page)
            return _response(page)
        response = view(request, *args, **kwargs)
        if _may_store(request, response):
            store = partial(_store, request, key, version or _new_version())
            if getattr(response, "is_rendered", True):
                store(response)
            else:  # a TemplateResponse: stored once it is rendered (if it still may be)
                response.add_post_render_callback(store)
        return response

    return wrapped


def _store(request, key: str, version: str, response) -> None:
    if not _may_store(request, response):
        return
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    try:
        cache.set(key, (version, time.time() + seconds, pickle.dumps(response)), seconds)
    except Exception:  # the shared cache is unreachable: the page is simply not kept
        logger.warning("Public page cache unreachable: page not stored", exc_info=True)


def _response(page: bytes):
    # Bytes this module pickled into the site's own cache, as Django's cache backends themselves do.
    return pickle.loads(page)  # noqa: S301


def _new_version() -> str:
    version = uuid.uuid4().hex
    near_copies.read_version(version)
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:  # unreachable: no page is stored meanwhile, and copies last at most their time
        logger.warning("Public page cache unreachable: pages not forgotten", exc_info=True)
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
