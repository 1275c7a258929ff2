"""Dates as issue titles print them (2024-09-27, 2024.9.27, 2024年9月27日, 9月27日, 二〇二四年三月…):
taken out to name a publication, or to say an issue's date once beside its title."""

from __future__ import annotations

import re
from datetime import date

DATE = re.compile(
    r"\d{4}\s*[-./年]\s*\d{1,2}\s*(?:[-./月]\s*\d{1,2}\s*[日号]?|月)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|[〇零一二三四五六七八九]{4}年[〇零一二三四五六七八九十]{1,2}月(?:[〇零一二三四五六七八九十]{1,3}[日号])?"
)


def _is_day(written: str, day: date) -> bool:
    """Whether a date as written is `day` (with its year, or its month and day alone)."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", written))
    return numbers in ((day.year, day.month, day.day), (day.month, day.day))


def says_day(title: str, day: date) -> bool:
    """Whether the title prints the date `day` in any of the usual ways."""
    return any(_is_day(found.group(), day) for found in DATE.finditer(title))


def without_day(title: str, day: date) -> str:
    """The title without its mentions of `day`, spaces squeezed: `《新闻联播》 2024年11月22日` on
    2024-11-22 → `《新闻联播》`. Other dates in it stay."""
    bare = DATE.sub(lambda found: " " if _is_day(found.group(), day) else found.group(), title)
    return " ".join(bare.split())
