"""Near-miss titles: a title retyped with one or two characters wrong, missing or extra, and titles
sharing most of the query's character pairs.

Candidates are the titles sharing enough of the query's character pairs (one edit spoils at most two),
counted all at once from a sorted array of every title's (pair, title) keys; only the best few are
compared character by character (the edit distance from the query to any part of the title, Myers'
bit-parallel algorithm), so a search stays in milliseconds however many titles there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MIN_LENGTH = 3  # shorter queries are within one edit of far too much
CHECKED = 12  # titles compared character by character, most shared pairs first
MOST = 0.5  # a title sharing at least this share of the query's pairs is never left out
DOC_BITS = 24


def max_edits(length: int) -> int:
    """Edits a retyped title of `length` characters may hold and still be that title."""
    return 0 if length < MIN_LENGTH else 1 if length < 6 else 2


@dataclass(frozen=True, slots=True)
class Near:
    edits: int | None  # None: not within max_edits, but sharing most pairs
    shared: float  # share of the query's pairs in the title
    span: tuple[int, int]  # the part of the title matched (offsets in the title string)


class TitlePairs:
    """Every (character pair, title) of the folded titles, sorted for counting."""

    def __init__(self, keys: npt.NDArray[np.uint64]) -> None:
        """`keys`: (pair of UTF-16 code units << 16 | the next) << DOC_BITS | title, sorted and
        unique: the engine's pair index of the titles."""
        self.keys = keys

    def shared(self, pairs: list[int], n: int) -> Any:
        """Per title: how many of the distinct `pairs` (codes) it holds."""
        import numpy as np

        counts = np.zeros(n, dtype=np.int32)
        for code in pairs:
            low = np.searchsorted(self.keys, np.uint64(code << DOC_BITS))
            high = np.searchsorted(self.keys, np.uint64((code + 1) << DOC_BITS))
            owners = (self.keys[low:high] & np.uint64((1 << DOC_BITS) - 1)).astype(np.int64)
            counts[owners] += 1
        return counts


def pair_codes(words: list[str]) -> list[int]:
    """The distinct character pairs inside each word (none across a space)."""
    codes: dict[int, None] = {}
    for word in words:
        encoded = word.encode("utf-16-le", "surrogatepass")
        units = [int.from_bytes(encoded[i : i + 2], "little") for i in range(0, len(encoded), 2)]
        for a, b in pairwise(units):
            codes[a << 16 | b] = None
    return list(codes)


def find(words: list[str], pairs: TitlePairs, titles: list[str], allowed: Any) -> dict[int, Near]:
    """Doc → how near its title is to the query `words` (folded), for titles within max_edits of
    the words typed together, or sharing most of their pairs."""
    import numpy as np

    whole = " ".join(words)  # spaced as typed: titles have their spaces in the same places
    codes = pair_codes(words)
    if len(whole) - len(words) + 1 < MIN_LENGTH or not codes:
        return {}
    shared = pairs.shared(codes, len(titles))
    shared[~allowed] = 0
    limit = max_edits(len(whole) - len(words) + 1)
    needed = max(1, min(len(codes) - 2 * limit, int(np.ceil(MOST * len(codes)))))
    candidates = np.flatnonzero(shared >= needed)
    if len(candidates) > CHECKED:
        best = np.argsort(-shared[candidates], kind="stable")[:CHECKED]
        candidates = candidates[best]
    found: dict[int, Near] = {}
    for doc in candidates.tolist():
        title = titles[doc]
        share = float(shared[doc]) / len(codes)
        match = within(whole, title, limit)
        if match is not None:
            found[doc] = Near(match[0], share, (match[1], match[2]))
        elif share >= MOST:
            found[doc] = Near(None, share, _pair_span(words, title))
    return found


def within(query: str, title: str, limit: int) -> tuple[int, int, int] | None:
    """(edits, start, end) of the best part of `title` within `limit` edits of `query`, else None.

    The edit distance from `query` to every substring of `title` ending at each place, all the
    query's characters at once as the bits of an int (Myers' bit-parallel algorithm, in Hyyrö's
    form for search); the start is found the same way, backwards from the best end.
    """
    ends = _best_end(query, title, limit)
    if ends is None:
        return None
    edits, end = ends
    back = _best_end(query[::-1], title[:end][::-1], edits, as_long=True)
    start = end - back[1] if back is not None else max(0, end - len(query))
    return edits, start, end


def _best_end(query: str, text: str, limit: int, as_long: bool = False) -> tuple[int, int] | None:
    """(edits, end) of the first substring of `text` nearest `query`, if within `limit` edits;
    `as_long`: of those, the one whose length is nearest the query's."""
    m = len(query)
    if not m:
        return None
    full = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(query):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, m
    best: tuple[int, int] | None = (m, 0) if m <= limit else None  # the empty part
    for j, char in enumerate(text, start=1):
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score > limit:
            continue
        if as_long:
            if best is None or (score, abs(j - m)) < (best[0], abs(best[1] - m)):
                best = (score, j)
        elif best is None or score < best[0]:
            best = (score, j)
            if score == 0:
                break
    return best


def _pair_span(words: list[str], title: str) -> tuple[int, int]:
    """From the first to the last place in `title` where a pair of the query's words occurs."""
    at = [title.find(word[i : i + 2]) for word in words for i in range(len(word) - 1)]
    places = [(a, a + 2) for a in at if a >= 0]
    if not places:
        return 0, 0
    return min(a for a, _ in places), max(b for _, b in places)
