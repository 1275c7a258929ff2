"""Finding titles by pinyin: full (`zhaoshang` → 招商) or initials (`djgz` → 党建工作).

A title's pinyin is computed once, when its file is indexed, and stored with the article: one reading
per character (pypinyin, phrase-aware, no tones), other characters standing for themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SEPARATOR = " "
_LETTERS = re.compile(r"[a-z]{2,}")


def title_pinyin(title: str) -> str | None:
    """One lower-case reading per character of `title`, space-separated; None if it has no Han."""
    if not any("\u3400" <= char <= "\u9fff" for char in title):
        return None
    from pypinyin import lazy_pinyin

    # Characters without a reading stand for themselves, one item each (so items align with title).
    split_up: Any = list
    readings = lazy_pinyin(title, errors=split_up)
    if len(readings) != len(title):
        return None
    return SEPARATOR.join(reading.lower().replace(" ", "_") or "_" for reading in readings)


def is_pinyin_query(text: str) -> bool:
    return _LETTERS.fullmatch(text) is not None


@dataclass
class PinyinIndex:
    """Every title's initials and full pinyin, joined, with the way back to title characters."""

    initials: str
    full: str
    initial_starts: list[int]  # where each doc begins in `initials` (one letter per character)
    full_starts: list[int]  # where each doc begins in `full`
    syllable_starts: list[list[int]]  # per doc: offset of each character's reading in its `full`

    @classmethod
    def build(cls, readings: Sequence[str | None]) -> PinyinIndex:
        initials: list[str] = []
        full: list[str] = []
        initial_starts: list[int] = []
        full_starts: list[int] = []
        syllables: list[list[int]] = []
        at_initial = at_full = 0
        for joined in readings:
            parts = joined.split(SEPARATOR) if joined else []
            initial_starts.append(at_initial)
            full_starts.append(at_full)
            starts: list[int] = []
            offset = 0
            for part in parts:
                starts.append(offset)
                offset += len(part)
            syllables.append(starts)
            initials.append("".join(part[0] for part in parts) + "\n")
            full.append("".join(parts) + "\n")
            at_initial += len(parts) + 1
            at_full += offset + 1
        return cls("".join(initials), "".join(full), initial_starts, full_starts, syllables)

    def find(self, query: str) -> dict[int, tuple[int, int]]:
        """Doc index → the span of title characters that `query` spells (initials or full)."""
        found: dict[int, tuple[int, int]] = {}
        at = self.initials.find(query)
        while at >= 0:
            doc = bisect_right(self.initial_starts, at) - 1
            start = at - self.initial_starts[doc]
            found.setdefault(doc, (start, start + len(query)))
            at = self.initials.find(query, at + 1)
        at = self.full.find(query)
        while at >= 0:
            doc = bisect_right(self.full_starts, at) - 1
            offset = at - self.full_starts[doc]
            starts = self.syllable_starts[doc]
            first = bisect_right(starts, offset) - 1
            if doc not in found and first >= 0 and starts[first] == offset:
                # The query begins on a syllable; it may end inside one (still being typed).
                last = bisect_right(starts, offset + len(query) - 1) - 1
                found[doc] = (first, last + 1)
            at = self.full.find(query, at + 1)
        return found
