"""Near-miss titles: a title retyped with one or two characters wrong, missing or extra, and titles
sharing most of the query's character pairs.

Candidates are the titles sharing enough of the query's character pairs (one edit spoils at most two),
counted all at once from a sorted array of every title's (pair, title) keys; only the best few are
compared character by character (Sellers' algorithm: the query against any part of the title), so a
search stays in milliseconds however many titles there are.
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
_DOC_BITS = 24


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

    def __init__(self, units: npt.NDArray[np.uint16], starts: npt.NDArray[np.int64]) -> None:
        import numpy as np

        u = units.astype(np.uint64)
        valid = (units[:-1] != 10) & (units[1:] != 10) & (units[:-1] != 32) & (units[1:] != 32)
        where = np.flatnonzero(valid)
        owners = np.searchsorted(starts, where, side="right") - 1
        codes = (u[:-1][where] << np.uint64(16)) | u[1:][where]
        self.keys = np.unique((codes << np.uint64(_DOC_BITS)) | owners.astype(np.uint64))

    def shared(self, pairs: list[int], n: int) -> Any:
        """Per title: how many of the distinct `pairs` (codes) it holds."""
        import numpy as np

        counts = np.zeros(n, dtype=np.int32)
        for code in pairs:
            low = np.searchsorted(self.keys, np.uint64(code << _DOC_BITS))
            high = np.searchsorted(self.keys, np.uint64((code + 1) << _DOC_BITS))
            owners = (self.keys[low:high] & np.uint64((1 << _DOC_BITS) - 1)).astype(np.int64)
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

    Sellers' algorithm: edit distance from `query` to any substring of `title`, one column a char.
    """
    n = len(query)
    column = list(range(n + 1))  # distance of query[:i] to the empty string ending here
    starts = [0] * (n + 1)
    best: tuple[int, int, int] | None = None
    for j, char in enumerate(title, start=1):
        previous, previous_start = column[0], starts[0]
        column[0], starts[0] = 0, j
        for i in range(1, n + 1):
            substitute = previous + (query[i - 1] != char)
            delete = column[i] + 1  # title char extra
            insert = column[i - 1] + 1  # query char extra
            previous, previous_start = column[i], starts[i]
            if substitute <= delete and substitute <= insert:
                column[i], starts[i] = substitute, previous_start
            elif delete <= insert:
                column[i] = delete
            else:
                column[i], starts[i] = insert, starts[i - 1]
        if column[n] <= limit and (best is None or column[n] < best[0]):
            best = (column[n], starts[n], j)
            if column[n] == 0:
                break
    return best


def _pair_span(words: list[str], title: str) -> tuple[int, int]:
    """From the first to the last place in `title` where a pair of the query's words occurs."""
    at = [title.find(word[i : i + 2]) for word in words for i in range(len(word) - 1)]
    places = [(a, a + 2) for a in at if a >= 0]
    if not places:
        return 0, 0
    return min(a for a, _ in places), max(b for _, b in places)
