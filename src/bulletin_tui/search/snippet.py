"""Snippets: about 60 terminal cells of an article's body around its best match, with match spans."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import get_character_cell_size

SNIPPET_CELLS = 60
MAX_TEXT_SPANS = 200
_SPACE = re.compile(r"\s")


def occurrences(
    folded: str, needles: Iterable[str], limit: int = MAX_TEXT_SPANS
) -> list[tuple[int, int]]:
    """Non-overlapping spans of every needle in `folded`, sorted, longest first where they clash."""
    spans: list[tuple[int, int]] = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if not needle:
            continue
        at = folded.find(needle)
        while at >= 0 and len(spans) < limit * 4:
            spans.append((at, at + len(needle)))
            at = folded.find(needle, at + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            continue  # overlaps a longer or earlier match
        merged.append((start, end))
        if len(merged) >= limit:
            break
    return merged


def window(text: str, start: int, end: int, cells: int = SNIPPET_CELLS) -> tuple[int, int]:
    """Offsets [a, b) of a stretch of `text` about `cells` wide, centred on text[start:end]."""
    width = sum(get_character_cell_size(char) for char in text[start:end])
    a, b = start, end
    left = right = 0
    while width < cells and (a > 0 or b < len(text)):
        # Grow the narrower side first, so the match stays near the middle.
        if a > 0 and (left <= right or b >= len(text)):
            a -= 1
            size = get_character_cell_size(text[a])
            left += size
        else:
            size = get_character_cell_size(text[b])
            b += 1
            right += size
        width += size
    return a, b


def cut(
    text: str, spans: list[tuple[int, int]], centre: tuple[int, int] | None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet around `centre` (or the start of the text) and the spans that fall inside it."""
    if centre is None:
        a, b = window(text, 0, 0)
    else:
        a, b = window(text, *centre)
    inside = tuple((s - a, e - a) for s, e in spans if s >= a and e <= b)
    # Line breaks and tabs become spaces: same length, so the spans stay right.
    return _SPACE.sub(" ", text[a:b]), inside
