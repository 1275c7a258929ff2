"""The query language.

    words separated by spaces     all should match (AND); when too few articles hold them all,
                                  those holding most of them follow, marked with what they lack
    +word  +"phrase"              always required, even in those partial matches
    "a quoted phrase"             matched exactly, spaces included (“…” and 「…」 work too);
                                  always required
    -word  -"phrase"              articles containing it are left out
    title:X  author:X  section:X  X must be in that field (author: reporters, correspondents,
                                  photo credits); X may be quoted
    tag:X                         X is one of the article's keywords (bulletin_tui.insights)
    pub:X                         the issue's publication (its name contains X)
    date:2025  date:2025-03  date:2024-10-01  date:2024-10-01..2024-12-31  date:2024-10..
                                  the issue's date, one period or a range (either end open)

Everything is folded first (full-width = ASCII, Latin case ignored, traditional = simplified), so
`ｔｉｔｌｅ：` works too. A field filter is a name in FIELDS; its values are in `Query.filters`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from bulletin_tui.search.folding import fold

FIELDS = ("title", "author", "section", "date", "tag", "pub")


class QueryError(ValueError):
    """A query that cannot be understood (e.g. a malformed date); the message says why."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # folded
    phrase: bool = False  # written in quotes: never split into words
    plus: bool = False  # written +word

    @property
    def required(self) -> bool:
        """Held by every hit, partial matches included."""
        return self.phrase or self.plus


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    excluded: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field name → values
    dates: tuple[tuple[date | None, date | None], ...] = field(default=())

    @property
    def title(self) -> tuple[str, ...]:
        return self.filters.get("title", ())

    @property
    def author(self) -> tuple[str, ...]:
        return self.filters.get("author", ())

    @property
    def section(self) -> tuple[str, ...]:
        return self.filters.get("section", ())

    @property
    def tags(self) -> tuple[str, ...]:
        return self.filters.get("tag", ())

    @property
    def publication(self) -> tuple[str, ...]:
        return self.filters.get("pub", ())

    @property
    def has_filters(self) -> bool:
        return any(self.filters.values()) or bool(self.dates)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.has_filters


_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"'})
# [-+]? (field:)? ("quoted" | bare)
# A quote opens a phrase only at the start of a word and closes it only at the end of one: quotes
# inside a word (a title retyped: 2025年”贝恩杯”大赛) are text.
_TOKEN = re.compile(r'([-+]?)(?:([a-z]+):)?(?:"([^"]*)"?(?=\s|$)|(\S+))')


def parse_query(text: str) -> Query:
    folded = fold(text)
    marks = folded.translate(_QUOTES)  # after folding: 「」 fold to “”; the same length
    terms: list[Term] = []
    excluded: list[str] = []
    filters: dict[str, list[str]] = {name: [] for name in FIELDS}
    for match in _TOKEN.finditer(marks):
        negate, name, quoted, _bare = match.groups()  # negate: '-', '+' or ''
        # Text as folded, quotes kept: `marks` only says where phrases are.
        value = quoted if quoted is not None else folded[match.start(4) : match.end(4)]
        if name is not None and name not in FIELDS:
            # Not a filter ("http://…", "10:30"): the whole token is text.
            value = folded[match.start(0) + len(negate) : match.end(0)]
            name = None
        value = value.strip() if quoted is not None else value
        if not value:
            continue
        if name is not None:
            filters[name].append(value)
        elif negate == "-":
            excluded.append(value)
        else:
            terms.append(Term(value, phrase=quoted is not None, plus=negate == "+"))
    if excluded and not terms and not any(filters.values()):
        # Nothing to look for: every article but a few is no search result.
        left_out = " ".join(f"-{word}" for word in excluded)
        raise QueryError(
            f"{left_out} only says what to leave out: add what to look for, as in 招商 {left_out}"
        )
    return Query(
        terms=tuple(terms),
        excluded=tuple(excluded),
        filters={name: tuple(values) for name, values in filters.items() if name != "date"},
        dates=tuple(parse_dates(value) for value in filters["date"]),
    )


def parse_dates(value: str) -> tuple[date | None, date | None]:
    """`2025`, `2025-03`, `2025-03-04`, or `A..B` with either end left out: first and last day."""
    if ".." in value:
        low, high = value.split("..", 1)
        start = _period(low)[0] if low else None
        end = _period(high)[1] if high else None
        if start is None and end is None:
            raise QueryError(f"date:{value}: give at least one end of the range")
        return start, end
    return _period(value)


_PERIOD = re.compile(r"(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?")


def _period(text: str) -> tuple[date, date]:
    match = _PERIOD.fullmatch(text)
    if match is None:
        raise QueryError(f"date:{text}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError as error:
        raise QueryError(f"date:{text}: {error}") from None
