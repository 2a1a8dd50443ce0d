"""The two tables every app shares: the rate-limit counter and the record of loaded seed content."""

from django.db import models


class RateLimitCounter(models.Model):
    """Per-client counter shared by every app process, incremented atomically by an upsert (see ratelimit.py)."""

    key = models.CharField(max_length=100, primary_key=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SeedRecord(models.Model):
    """Remembers which parts of the seed content were loaded, so loading again never redoes them.

    Once a part is recorded, editors own it: re-running the seed command neither overwrites
    their changes nor brings back what they deleted.
    """

    key = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
