"""Articles per period: the library's date range cut into years, months or ISO weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

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

    def steps(self, days: Any) -> Any:
        """`index()` of many dates at once (a numpy array of proleptic ordinals)."""
        import numpy as np

        if self.by == "week":
            return (days - self._monday.toordinal()) // 7
        unit = "Y" if self.by == "year" else "M"
        # numpy counts days from 1970-01-01, whose proleptic ordinal is 719163.
        periods = (days - 719_163).astype("datetime64[D]").astype(f"datetime64[{unit}]")
        since = periods.astype(np.int64)  # years or months since 1970
        if unit == "Y":
            return since - (self.first.year - 1970)
        return since - ((self.first.year - 1970) * 12 + self.first.month - 1)

    def label(self, step: int) -> str:
        if self.by == "year":
            return str(self.first.year + step)
        if self.by == "month":
            months = self.first.month - 1 + step
            return f"{self.first.year + months // 12}-{months % 12 + 1:02d}"
        year, week, _ = (self._monday + timedelta(weeks=step)).isocalendar()
        return f"{year}-W{week:02d}"


def count(query: str, by: Period, calendar: Calendar | None, ordinals: Any) -> Trend:
    """Matches per period, from the issue dates of the matching articles (proleptic ordinals,
    0 for undated ones, which no period holds)."""
    import numpy as np

    if calendar is None:
        return Trend(query, by, ())
    days = np.asarray(ordinals, dtype=np.int64)
    days = days[days > 0]
    steps = calendar.steps(days)
    counts = np.bincount(steps, minlength=len(calendar.labels))[: len(calendar.labels)]
    return Trend(query, by, tuple(zip(calendar.labels, (int(n) for n in counts), strict=True)))
