"""Disclosure control: the one place that decides how a count about responses may be shown.

Every figure about responses passes through here before it reaches a page or an export. Equality
answers ("About you"), and every figure once an equality answer filters the view, are shown as
"fewer than N" below the small-number threshold (``SMALL_NUMBER_THRESHOLD``).
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass
class Figure:
    """A count that may be too small to show: equality data and filtered groups below the threshold."""

    value: int
    base: int
    threshold: int
    suppress: bool

    @property
    def hidden(self) -> bool:
        return self.suppress and 0 < self.value < self.threshold

    @property
    def percent(self) -> float | None:
        if self.hidden or not self.base:
            return None
        return round(100 * self.value / self.base, 1)

    def __str__(self) -> str:
        return f"fewer than {self.threshold}" if self.hidden else f"{self.value:,}"


@dataclass(frozen=True)
class Disclosure:
    """The rules for one view of a survey's responses."""

    threshold: int
    # An equality answer filters the view: every figure describes that group, so all are protected.
    suppress_all: bool = False

    @classmethod
    def for_view(cls, *, filtered_on_equality: bool) -> "Disclosure":
        return cls(threshold=settings.SMALL_NUMBER_THRESHOLD, suppress_all=filtered_on_equality)

    def figure(self, value: int, base: int, *, equality: bool = False) -> Figure:
        return Figure(value, base, self.threshold, suppress=self.suppress_all or equality)
