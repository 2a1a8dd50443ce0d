import socket
from datetime import UTC, datetime, timedelta

import pytest

from common.ratelimit import count_hit, hits_so_far

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)


def test_counter_increments_within_a_window_and_restarts_in_the_next():
    assert hits_so_far("client-a", 60, NOW) == 0
    assert [count_hit("client-a", 60, NOW) for _ in range(3)] == [1, 2, 3]
    assert hits_so_far("client-a", 60, NOW) == 3
    assert hits_so_far("client-a", 60, NOW + timedelta(seconds=60)) == 0
    assert count_hit("client-b", 60, NOW) == 1
    assert count_hit("client-a", 60, NOW + timedelta(seconds=60)) == 1


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")
def test_counter_uses_redis_when_configured(settings):
    import uuid

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    key = f"test-{uuid.uuid4()}"
    assert [count_hit(key, 60, NOW) for _ in range(3)] == [1, 2, 3]
    assert hits_so_far(key, 60, NOW) == 3  # read without counting
    assert count_hit(key, 60, NOW + timedelta(seconds=60)) == 1


def test_when_redis_fails_the_count_goes_on_in_postgresql(settings, monkeypatch, caplog):
    from common import ratelimit

    monkeypatch.setattr(ratelimit, "_redis_client", None)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert [count_hit("client-c", 60, NOW) for _ in range(3)] == [1, 2, 3]
    assert hits_so_far("client-c", 60, NOW) == 3
    assert "Rate limit counted in PostgreSQL: Redis failed" in caplog.text
    assert ratelimit._redis_client is None  # a fresh connection is tried next time
