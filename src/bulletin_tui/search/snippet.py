"""Snippets: about 60 terminal cells of an article's body around its best match, with match spans."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, islice

from rich.cells import get_character_cell_size

from bulletin_tui.line_break_rules import NO_END, NO_START


class _Widths(dict[str, int]):
    """Terminal cells per character, remembered: a dict lookup is several times cheaper than
    rich's function, and snippets look up thousands of characters per search."""

    def __missing__(self, char: str) -> int:
        width = self[char] = get_character_cell_size(char)
        return width


_width = _Widths().__getitem__
SNIPPET_CELLS = 60
MAX_TEXT_SPANS = 200
_SPACE = re.compile(r"\s")


def occurrences(
    folded: str, needles: Iterable[str], limit: int = MAX_TEXT_SPANS
) -> list[tuple[int, int]]:
    """Non-overlapping spans of the needles in `folded`, left to right, the longer needle first
    where two start at the same place."""
    found: list[tuple[int, int]] = []
    for needle in {needle for needle in needles if needle}:
        # One literal per pass: the regex engine scans for a literal fast, not for an alternation.
        found.extend(match.span() for match in islice(_pattern(needle).finditer(folded), limit))
    if len(found) > 1:
        found.sort(key=lambda span: (span[0], span[0] - span[1]))
        kept: list[tuple[int, int]] = []
        for span in found:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        found = kept
    return found[:limit]


@lru_cache(maxsize=1024)
def _pattern(needle: str) -> re.Pattern[str]:
    return re.compile(re.escape(needle))


def window(text: str, start: int, end: int, cells: int = SNIPPET_CELLS) -> tuple[int, int]:
    """Offsets [a, b) of a stretch of `text` about `cells` wide, centred on text[start:end]."""
    room = max(0, cells - sum(map(_width, text[start:end])))
    # Widths going outwards on each side, as running totals (no side needs more than `room` chars).
    right = list(accumulate(map(_width, text[end : end + room])))
    left = list(accumulate(map(_width, reversed(text[max(0, start - room) : start]))))
    half = room // 2
    take_left = bisect_right(left, half)
    take_right = bisect_right(right, room - (left[take_left - 1] if take_left else 0))
    if take_right == len(right):  # the text ends soon: give the rest to the left
        used = right[-1] if right else 0
        take_left = bisect_right(left, room - used)
    return start - take_left, end + take_right


def cut(
    text: str, spans: list[tuple[int, int]], centre: tuple[int, int] | None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet around `centre` (or the start of the text) and the spans that fall inside it."""
    if centre is None:
        a, b = window(text, 0, 0)
    else:
        a, b = window(text, *centre)
    a, b = _tidy_edges(text, a, b, centre or (a, a))
    inside = tuple((s - a, e - a) for s, e in spans if s >= a and e <= b)
    # Line breaks and tabs become spaces: same length, so the spans stay right.
    return _SPACE.sub(" ", text[a:b]), inside


def _tidy_edges(text: str, a: int, b: int, centre: tuple[int, int]) -> tuple[int, int]:
    """[a, b) without the closing punctuation or spaces it would start with, nor the opening
    punctuation or spaces it would end with (避头尾, as the reader's lines), never into the match:
    a snippet cut mid-sentence then starts "回望" rather than "。回望"."""
    while a < centre[0] and (text[a] in NO_START or text[a].isspace()):
        a += 1
    while b > centre[1] and (text[b - 1] in NO_END or text[b - 1].isspace()):
        b -= 1
    return a, b
