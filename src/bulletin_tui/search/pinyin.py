"""Finding titles by pinyin, the way people type it: full (`zhaoshang` → 招商), initials (`djgz` →
党建工作), or both mixed, across punctuation, spaces and symbols (`mtqtly` → 明天，请停留一分钟);
digits and Latin letters typed as they are or skipped (`2024ndysj`, `ndysj` → 2024南大演说家); a
polyphone read any of its common ways (`changgexing` and `zhanggexing` → 长歌行).

Every title's readable characters (Han, ASCII letters and digits) are laid out as one array of
"items", titles separated by a barrier, and a query is matched against all titles at once: a set of
item positions per query offset, advanced by each stretch of the query that begins a reading of the
item there (numpy, a few dozen array operations a query). Only the titles shown work out their spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_tui.chinese_characters import han_mask, is_han_code

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

READINGS_PER_CHAR = 3  # a polyphone's common readings: pypinyin lists the usual ones first
_LONGEST = 6  # letters in the longest reading (zhuang, shuang)
_QUERY = re.compile(r"(?=(?:[0-9]*[a-z]){2})[a-z0-9]+")  # at least two letters, digits anywhere
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
# How well a title is spelt, best first: strict means each character by its initial (zh ch sh count)
# or its whole reading; loose lets any beginning of a reading stand for it.
STRICT_START, STRICT, LOOSE_START, LOOSE = 4, 3, 2, 1


def is_pinyin_query(text: str) -> bool:
    return _QUERY.fullmatch(text) is not None


@cache
def readings(code: int) -> tuple[str, ...]:
    """The common toneless readings of one character (ü as v, and as u too); a Latin letter or a
    digit reads as itself."""
    if not is_han_code(code):
        return (chr(code),)
    found: list[str] = []
    for reading in _table().get(code, "").split(",")[:READINGS_PER_CHAR]:
        plain = reading.translate(_TONES)
        found.extend((plain, plain.replace("v", "u")) if "v" in plain else (plain,))
    return tuple(dict.fromkeys(found))


@cache
def _table() -> dict[int, str]:
    """Han character → its readings with tones, comma-separated: pypinyin's table, read from its
    JSON file. Importing pypinyin itself would load its phrase table too, about 50 MB kept for as
    long as the process lives; this holds about 3 MB."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return {int(key): value for key, value in raw.items() if is_han_code(int(key))}


def _strict_prefixes(reading: str) -> set[str]:
    """What stands for a reading in a strict spelling: its initial (zh ch sh too) or all of it."""
    out = {reading[0], reading}
    if reading[:2] in ("zh", "ch", "sh"):
        out.add(reading[:2])
    return out


class PinyinIndex:
    """Every title's readable characters as items, and per typed stretch the items it can spell."""

    def __init__(self, units: npt.NDArray[np.uint16], starts: npt.NDArray[np.int64]) -> None:
        """`units`: the folded titles' UTF-16 code units joined by newlines; `starts`: where each
        title begins in them."""
        import numpy as np

        code = units.astype(np.int32)
        alnum = ((code >= 0x30) & (code <= 0x39)) | ((code >= 0x61) & (code <= 0x7A))
        keep = alnum | han_mask(code) | (code == 10)
        self.position = np.flatnonzero(keep)  # the item's unit offset in `units`
        items = code[keep]
        # A barrier after the last title too, so that position + 1 always exists.
        self.items = np.concatenate((items, [10])).astype(np.int32)
        # int32 throughout: a few arrays as long as all the titles, kept while the library is open.
        self.position = np.concatenate((self.position, [len(units)])).astype(np.int32)
        self.barrier = self.items == 10
        self.skippable = np.concatenate((alnum[keep], [False]))
        self.owner = (np.searchsorted(starts, self.position, side="right") - 1).astype(np.int32)
        n = len(self.items)
        # For each item, the first item at or after it that is not a digit or a letter.
        not_skippable = np.flatnonzero(~self.skippable)
        self._skippable_at = np.flatnonzero(self.skippable).astype(np.int32)
        self.next_kept = not_skippable[np.searchsorted(not_skippable, np.arange(n))].astype(
            np.int32
        )
        # Title d's items are first_items[d] up to (not including) its barrier, barriers[d].
        self.barriers = np.flatnonzero(self.barrier)
        self.first_items = np.concatenate(([0], self.barriers[:-1] + 1))
        order = np.argsort(self.items, kind="stable").astype(np.int32)
        self._order = order
        # Each character's items are one run of `order`: where it begins and ends.
        codes, first = np.unique(self.items[order], return_index=True)
        last = np.append(first[1:], len(order))
        self._runs = {
            int(c): (int(a), int(b)) for c, a, b in zip(codes, first, last, strict=True) if c != 10
        }
        self._codes = list(self._runs)
        self._strict: dict[str, list[int]] = {}
        self._loose: dict[str, list[int]] = {}
        for c in self._codes:
            for reading in readings(c):
                for prefix in {reading[:i] for i in range(1, len(reading) + 1)}:
                    self._loose.setdefault(prefix, []).append(c)
                for prefix in _strict_prefixes(reading):
                    self._strict.setdefault(prefix, []).append(c)
        self._cache: dict[tuple[str, bool], Any] = {}

    @classmethod
    def from_titles(cls, titles: Sequence[str]) -> PinyinIndex:
        """From folded titles (for tests and small libraries)."""
        import numpy as np

        from bulletin_tui.search.folding import units

        joined = units("\n".join(title.replace("\n", " ") for title in titles))
        starts = np.concatenate(([0], np.flatnonzero(joined == 10) + 1)).astype(np.int64)
        return cls(joined, starts)

    def _positions(self, prefix: str, strict: bool) -> Any:
        """Item positions whose character can be spelt by `prefix`."""
        import numpy as np

        key = (prefix, strict)
        found = self._cache.get(key)
        if found is None:
            codes = (self._strict if strict else self._loose).get(prefix, [])
            runs = self._runs
            parts = [self._order[runs[c][0] : runs[c][1]] for c in codes]
            found = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _skip(self, state: Any) -> Any:
        """Digits and Latin letters may be left out: from one, go on as if it were typed."""

        at = self._skippable_at[state[self._skippable_at]]  # few: titles are mostly Han
        if len(at):
            state = state.copy()
            state[self.next_kept[at]] = True
        return state

    @cached_property
    def _starts(self) -> tuple[Any, Any]:
        """Where a spelling may begin, and the same past skippable digits and Latin letters:
        anywhere in a title, and at a title's start (the same for every query: made once)."""
        import numpy as np

        anywhere = ~self.barrier
        at_start = np.zeros(len(self.items), dtype=bool)
        at_start[self.first_items] = True
        at_start &= anywhere
        return (anywhere, self._skip(anywhere)), (at_start, self._skip(at_start))

    def _ends(self, query: str, start: tuple[Any, Any], strict: bool) -> Any:
        """Positions just after the last item of every spelling of `query` beginning in `start`
        (the positions, and the same past what may be skipped)."""
        import numpy as np

        m = len(query)
        states: list[Any] = [None] * (m + 1)
        states[0] = start[0]
        for k in range(m):
            if states[k] is None:
                continue
            here = start[1] if k == 0 else self._skip(states[k])
            for length in range(1, min(_LONGEST, m - k) + 1):
                # The last stretch may be any beginning of a reading: it is still being typed.
                pos = self._positions(query[k : k + length], strict and k + length < m)
                if not len(pos):
                    continue
                reached = pos[here[pos]]
                if not len(reached):
                    continue
                if states[k + length] is None:
                    states[k + length] = np.zeros(len(self.items), dtype=bool)
                states[k + length][reached + 1] = True
        end = states[m]
        return np.zeros(len(self.items), dtype=bool) if end is None else end

    def find(self, query: str) -> dict[int, int]:
        """Doc index → how well `query` spells its title (STRICT_START … LOOSE), or nothing."""
        import numpy as np

        anywhere, at_start = self._starts
        loose = self._ends(query, anywhere, strict=False)
        if not loose.any():
            return {}
        found: dict[int, int] = {}
        for grade, start, strict in (
            (LOOSE, anywhere, False),
            (LOOSE_START, at_start, False),
            (STRICT, anywhere, True),
            (STRICT_START, at_start, True),
        ):
            ends = loose if grade == LOOSE else self._ends(query, start, strict)
            for doc in np.unique(self.owner[np.flatnonzero(ends) - 1]).tolist():
                found[doc] = grade
        return found

    def span(self, query: str, doc: int, title: str) -> tuple[int, int] | None:
        """The characters of `title` (doc's folded title) that `query` spells, best spelling first."""

        lo, hi = int(self.first_items[doc]), int(self.barriers[doc])
        items = [int(c) for c in self.items[lo:hi] if c != 10]
        offsets = (self.position[lo:hi] - self.position[lo] + self._lead(lo, title)).tolist()
        # Unit offsets to string offsets (an astral character is two units).
        to_char = {0: 0}
        at = 0
        for i, char in enumerate(title, start=1):
            at += 2 if ord(char) > 0xFFFF else 1
            to_char[at] = i
        for strict in (True, False):
            for first in range(len(items)):
                last = _spell(query, items, first, strict)
                if last is not None:
                    start = to_char.get(offsets[first], offsets[first])
                    return start, to_char.get(offsets[last] + 1, offsets[last] + 1)
        return None

    def _lead(self, lo: int, title: str) -> int:
        """Units of `title` before its first item (punctuation a title begins with)."""
        for i, char in enumerate(title):
            code = ord(char)
            if is_han_code(code) or (char.isascii() and char.isalnum()):
                return len(title[:i].encode("utf-16-le", "surrogatepass")) // 2
        return 0


def _spell(query: str, items: list[int], first: int, strict: bool) -> int | None:
    """The last item spelt when `query` is read from items[first], or None."""

    def go(k: int, j: int) -> int | None:
        if k == len(query):
            return j - 1
        if j >= len(items):
            return None
        options = readings(items[j])
        for length in range(min(_LONGEST, len(query) - k), 0, -1):
            part = query[k : k + length]
            final = k + length == len(query)
            for reading in options:
                ok = (
                    reading.startswith(part)
                    if (final or not strict)
                    else part in _strict_prefixes(reading)
                )
                if ok:
                    last = go(k + length, j + 1)
                    if last is not None:
                        return last
        if not is_han_code(items[j]) and j > first:  # a digit or letter left out
            return go(k, j + 1)
        return None

    return go(0, first)
