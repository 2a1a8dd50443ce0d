"""Disclosure control: the one place that decides how a figure about responses may be shown.

Every count, total, percentage, statistic and histogram that reaches a dashboard, an export or the
public results page is made here. Callers hand over raw ``Count``s from SQL; templates and exporters
receive ``Figure``s that are already decided and never compare anything with the threshold.

A figure is *protected* when it is about equality data ("About you" answers, which are special
category data): a figure of an About-you question, or any figure at all while an About-you answer
filters the view (every figure then describes that group). Protected figures follow two rules
(docs/privacy.md says why):

1. **Fewer than N.** A count below ``SMALL_NUMBER_THRESHOLD`` (N, default 10), zero included, is
   shown as "fewer than N". Hiding zeros too means a table of a tiny group cannot single anyone out.
2. **Rounded, consistently.** Every other protected count is rounded to a multiple of 5, up or down
   with the chances that keep it unbiased (12 goes to 10 three times in five, to 15 twice). The draw
   comes from a keyed hash of the exact set of responses counted (their number and the sum of their
   ids), so the same group of people always gets the same figure, however it is reached, and
   subtracting figures, reloading or rewording a filter never yields an exact small count. This is
   the cell-key idea the ONS used for Census 2021 tables.

Percentages are worked out from the figures as shown, and for rounded figures only once the
whole they are part of is at least 50 (below that, rounding makes them mislead). Statistics of a protected group (mean,
median, histogram) are withheld while the group is smaller than N, and the lowest and highest
answers (one person's exact answer) are never shown for protected figures.
"""

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

ROUNDING_BASE = 5
# Below this many (as shown), a percentage of rounded figures misleads more than it tells.
ROUNDED_PERCENT_BASE = 50
HISTOGRAM_BUCKETS = 10


@dataclass(frozen=True)
class Count:
    """A raw count from SQL, with the fingerprint of what was counted (the sum of the response ids)."""

    n: int = 0
    ids: int = 0

    def __add__(self, other: "Count") -> "Count":
        return Count(self.n + other.n, self.ids + other.ids)

    def __sub__(self, other: "Count") -> "Count":
        return Count(self.n - other.n, self.ids - other.ids)


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: a number (rounded if protected), or "fewer than N"."""

    shown: int | None
    threshold: int
    rounded: bool = False
    percent: float | None = None

    @property
    def hidden(self) -> bool:
        return self.shown is None

    def __str__(self) -> str:
        return f"fewer than {self.threshold}" if self.hidden else f"{self.shown:,}"


@dataclass(frozen=True)
class NumberStatistics:
    """What may be shown about the answers to a whole-number question."""

    count: Figure
    mean: float | None = None
    median: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    buckets: list[tuple[str, Figure]] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.mean is None


@dataclass(frozen=True)
class Disclosure:
    """The rules for one view of a survey's responses."""

    threshold: int
    # An About-you answer filters the view: every figure describes that group, so every one is protected.
    protect_all: bool = False
    secret: bytes = b""

    @classmethod
    def for_view(cls, *, filtered_on_equality: bool) -> "Disclosure":
        secret = hmac.new(settings.SECRET_KEY.encode(), b"disclosure-rounding", hashlib.sha256).digest()
        return cls(threshold=settings.SMALL_NUMBER_THRESHOLD, protect_all=filtered_on_equality, secret=secret)

    def is_protected(self, equality: bool) -> bool:
        return self.protect_all or equality

    def figure(self, count: Count, *, equality: bool = False, base: Figure | None = None) -> Figure:
        """``count`` as it may be shown; with ``base``, also its share of that (shown) figure."""
        if not self.is_protected(equality):
            return _with_percent(Figure(count.n, self.threshold), base)
        if count.n < self.threshold:
            return Figure(None, self.threshold)
        return _with_percent(Figure(self._round(count), self.threshold, rounded=True), base)

    def _round(self, count: Count) -> int:
        below = count.n - count.n % ROUNDING_BASE
        if below == count.n:
            return count.n
        digest = hmac.new(self.secret, f"{count.n}:{count.ids}".encode(), hashlib.sha256).digest()
        draw = int.from_bytes(digest[:8], "big") / 2**64
        return below + ROUNDING_BASE if draw < (count.n - below) / ROUNDING_BASE else below

    def statistics(
        self,
        table: list[tuple[int, Count]],
        *,
        equality: bool = False,
        bounds: tuple[int | None, int | None] = (None, None),
    ) -> NumberStatistics:
        """Count, mean, median, range and histogram from a frequency table [(answer, Count)], sorted by answer.

        ``bounds`` are the question's smallest and largest accepted answers. A protected histogram is
        drawn between them (or between the answers rounded out to tens), never from the lowest and
        highest answers themselves, whose values its labels would show.
        """
        total = sum((count for _, count in table), Count())
        protected = self.is_protected(equality)
        figure = self.figure(total, equality=equality)
        if figure.hidden or not table:
            return NumberStatistics(figure)
        low, high = table[0][0], table[-1][0]
        if protected:
            low = bounds[0] if bounds[0] is not None else low - low % 10
            high = bounds[1] if bounds[1] is not None else high - high % 10 + 9
        width = max(1, -(-(high - low + 1) // HISTOGRAM_BUCKETS))
        buckets = []
        for start in range(low, high + 1, width):
            end = min(start + width - 1, high)
            in_bucket = sum((count for value, count in table if start <= value <= end), Count())
            label = f"{start} to {end}" if end != start else str(start)
            buckets.append((label, self.figure(in_bucket, equality=equality)))
        return NumberStatistics(
            count=figure,
            mean=sum(value * count.n for value, count in table) / total.n,
            median=_median([(value, count.n) for value, count in table], total.n),
            # One person's exact answer: never for equality data.
            minimum=None if protected else table[0][0],
            maximum=None if protected else table[-1][0],
            buckets=buckets,
        )


def _with_percent(figure: Figure, base: Figure | None) -> Figure:
    if base is None or figure.hidden or base.hidden or not base.shown:
        return figure
    if figure.rounded and base.shown < ROUNDED_PERCENT_BASE:
        return figure
    # Rounded independently, a part can come out above its whole: a share is never over 100%. A share
    # of rounded figures is given in whole per cent: a decimal would claim precision it does not have.
    percent = min(100.0, round(100 * figure.shown / base.shown, 0 if figure.rounded else 1))
    return Figure(figure.shown, figure.threshold, figure.rounded, percent)


def _median(table: list[tuple[int, int]], count: int) -> float:
    def value_at(position: int) -> int:
        seen = 0
        for value, n in table:
            seen += n
            if position < seen:
                return value
        return table[-1][0]

    middle = count // 2
    return value_at(middle) if count % 2 else (value_at(middle - 1) + value_at(middle)) / 2
