"""A per-client counter that holds across every app process and server.

With REDIS_URL set, Redis INCR does the counting; otherwise one PostgreSQL upsert does it, so two
processes can never both read the old count. Per-process memory or Django's database cache would
let a client past the limit by spreading requests across processes. If Redis fails, the count is
kept in PostgreSQL until it is back, rather than failing the request.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from common import security_log
from common.clients import client_key
from common.models import RateLimitCounter

logger = logging.getLogger(__name__)


def window_start(now: datetime, window_seconds: int) -> datetime:
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % window_seconds, tz=UTC)


def count_hit(key: str, window_seconds: int, now: datetime | None = None) -> int:
    """Add one hit for ``key`` in the current window and return the window's count so far."""
    start = window_start(now or datetime.now(tz=UTC), window_seconds)
    counted = _in_redis(key, start, lambda client, name: _incr(client, name, window_seconds))
    if counted is not None:
        return counted
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS counter (key, window_start, count)
            VALUES (%s, %s, 1)
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN counter.window_start = EXCLUDED.window_start THEN counter.count + 1 ELSE 1 END,
                window_start = EXCLUDED.window_start
            RETURNING count
            """,  # noqa: S608 - the table name is our own model's
            [key, start],
        )
        return cursor.fetchone()[0]


def hits_so_far(key: str, window_seconds: int, now: datetime | None = None) -> int:
    """The current window's count for ``key``, without adding to it."""
    start = window_start(now or datetime.now(tz=UTC), window_seconds)
    counted = _in_redis(key, start, lambda client, name: int(client.get(name) or 0))
    if counted is not None:
        return counted
    found = RateLimitCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first()
    return found or 0


_redis_client = None


def _in_redis(key: str, start: datetime, operation) -> int | None:
    """``operation(client, redis_key)`` with REDIS_URL set; None without it, or if Redis fails (restarting,
    a broken connection): the caller then counts in PostgreSQL rather than fail the resident's request.
    The two counts are apart only until Redis is back."""
    global _redis_client
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        if _redis_client is None:
            _redis_client = redis.Redis.from_url(settings.REDIS_URL)
        return operation(_redis_client, f"ratelimit:{key}:{int(start.timestamp())}")
    except (OSError, ValueError, redis.RedisError) as error:
        _redis_client = None  # a fresh connection next time
        logger.warning("Rate limit counted in PostgreSQL: Redis failed (%s)", error)
        return None


def _incr(client, name: str, window_seconds: int) -> int:
    pipeline = client.pipeline()
    pipeline.incr(name)
    pipeline.expire(name, window_seconds * 2)
    count, _ = pipeline.execute()
    return int(count)


def would_go_over_limit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Whether one more hit would take this client over ``limit``, counting nothing: for a request
    that may turn out to repeat one already counted (a double-clicked send). ``record_hit`` counts it
    once it is known to be new."""
    over = hits_so_far(f"{scope}:{client_key(request)}", window_seconds) + 1 > limit
    if over:
        security_log.event("rate_limited", request, scope=scope)
    return over


def record_hit(request: HttpRequest, scope: str, *, window_seconds: int) -> None:
    count_hit(f"{scope}:{client_key(request)}", window_seconds)


def is_over_limit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count this request against ``scope`` for its client; True once the client has gone over ``limit``."""
    over = count_hit(f"{scope}:{client_key(request)}", window_seconds) > limit
    if over:
        security_log.event("rate_limited", request, scope=scope)
    return over
