"""Loading seed content once per part; see SeedRecord for why parts are never reloaded."""

from collections.abc import Callable

from django.db import transaction

from common.models import SeedRecord


def load_once(key: str, load: Callable[[], None]) -> bool:
    """Run ``load`` in one transaction unless ``key`` was loaded before. Returns whether it ran."""
    with transaction.atomic():
        _, created = SeedRecord.objects.get_or_create(key=key)
        if created:
            load()
        return created
