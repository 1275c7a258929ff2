"""Articles per period: the library's date range cut into years, months or ISO weeks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Period = Literal["year", "month", "week"]
PERIODS: tuple[Period, ...] = ("month", "week", "year")


@dataclass(frozen=True, slots=True)
class Trend:
    query: str
    by: Period
    counts: tuple[tuple[str, int], ...]  # (period label, articles), every period of the range

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


def default_period(first: date, last: date) -> Period:
    """Months, or weeks for a library spanning under a year."""
    return "week" if (last - first).days < 365 else "month"


class Calendar:
    """The periods from `first` to `last` and which one a date falls in."""

    def __init__(self, first: date, last: date, by: Period) -> None:
        self.by = by
        self.first = first
        if by == "week":
            self._monday = first - timedelta(days=first.weekday())
        self.labels = [self.label(step) for step in range(self.index(last) + 1)]

    def index(self, day: date) -> int:
        if self.by == "year":
            return day.year - self.first.year
        if self.by == "month":
            return (day.year - self.first.year) * 12 + day.month - self.first.month
        return (day - self._monday).days // 7

    def label(self, step: int) -> str:
        if self.by == "year":
            return str(self.first.year + step)
        if self.by == "month":
            months = self.first.month - 1 + step
            return f"{self.first.year + months // 12}-{months % 12 + 1:02d}"
        year, week, _ = (self._monday + timedelta(weeks=step)).isocalendar()
        return f"{year}-W{week:02d}"


def count(
    query: str, by: Period, calendar: Calendar | None, periods: dict[str, int], ids: Iterable[str]
) -> Trend:
    """`periods` maps each dated article id to its period's index in `calendar`."""
    if calendar is None:
        return Trend(query, by, ())
    counts = [0] * len(calendar.labels)
    for article_id in ids:
        at = periods.get(article_id)
        if at is not None:
            counts[at] += 1
    return Trend(query, by, tuple(zip(calendar.labels, counts, strict=True)))
