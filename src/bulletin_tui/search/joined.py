"""Short folded strings of every article (titles, bylines, sections), joined for counting a needle in
all of them at once."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from bulletin_tui.search import fuzzy
from bulletin_tui.search.folding import fold_units
from bulletin_tui.search.index import gram_codes

DOC_BITS = fuzzy.DOC_BITS  # texts a Joined can hold: 16 M
ACROSS = (1 << 64) - 1  # the key of a pair across two texts, above every real one
SLICE = 1 << 18  # units at a time where a whole array's temporary would cost megabytes


def units_of(text: str) -> int:
    """The length of `text` in UTF-16 code units (what the index counts)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Joined:
    """Folded texts, one per article, joined by newlines."""

    def __init__(
        self, texts: Sequence[str], *, joined: str | None = None, folded: Any = None
    ) -> None:
        """`joined`: the texts already joined by newlines (none holding one), instead of `texts`;
        `folded`: those already folded, as UTF-16 code units (numpy uint16)."""
        import numpy as np

        if folded is None:
            if joined is None:
                joined = "\n".join(text.replace("\n", " ") for text in texts)
            folded = fold_units(joined)
        # As UTF-16 code units, where one-character needles are counted all at once.
        self.units = folded
        self.unit_starts = np.concatenate(([0], np.flatnonzero(self.units == 10) + 1))
        self._pair_keys: Any = None  # (pair of code units << DOC_BITS | text), sorted: on use
        self._pair_counts: Any = None

    def __len__(self) -> int:
        """How many texts."""
        return len(self.unit_starts)

    @cached_property
    def text(self) -> str:
        """The folded texts joined by newlines (made on first use: counting needs only units)."""
        return str(self.units.tobytes().decode("utf-16-le", "surrogatepass"))

    @cached_property
    def texts(self) -> list[str]:
        """Each folded text."""
        return self.text.split("\n")

    def get(self, doc: int) -> str:
        """The folded text of `doc`, without splitting every text apart."""
        starts = self.unit_starts
        start = int(starts[doc])
        end = int(starts[doc + 1]) - 1 if doc + 1 < len(starts) else len(self.units)
        return str(self.units[start:end].tobytes().decode("utf-16-le", "surrogatepass"))

    def counts(self, needle: str, n: int) -> Any:
        """Occurrences of `needle` (overlapping) in each text."""
        import numpy as np

        if "\n" in needle or not needle:
            return np.zeros(n, dtype=np.int32)
        if len(needle) == 1 and ord(needle) < 0x10000:
            where = np.flatnonzero(self.units == ord(needle))
            owners = np.searchsorted(self.unit_starts, where, side="right") - 1
            return np.bincount(owners, minlength=n).astype(np.int32)
        if self._pair_keys is None:  # not built yet (warm_titles builds it): scan the text
            return self._scan(needle, n)
        return self._counted_by_pairs(needle, n)

    def _counted_by_pairs(self, needle: str, n: int) -> Any:
        """The texts holding every pair of the needle, from the pair index; a pair's count is
        exact, a longer needle's is checked in each such text."""
        import numpy as np

        docs: Any = None
        bound: Any = None
        for code in gram_codes(needle):
            found, counts = self._pair(code)
            if docs is None:
                docs, bound = found, counts
            else:
                docs, mine, theirs = np.intersect1d(
                    docs, found, assume_unique=True, return_indices=True
                )
                bound = np.minimum(bound[mine], counts[theirs])
            if not len(docs):
                return np.zeros(n, dtype=np.int32)
        out = np.zeros(n, dtype=np.int32)
        if units_of(needle) == 2:
            out[docs] = bound
            return out
        for doc in docs.tolist():
            text, count = self.get(doc), 0
            at = text.find(needle)
            while at >= 0:
                count += 1
                at = text.find(needle, at + 1)
            out[doc] = count
        return out

    def _scan(self, needle: str, n: int) -> Any:
        """Occurrences of `needle` in each text, found in the code units: where its first unit
        stands, then kept while each next unit follows (no text decoded: decoding and `find`
        over 100,000 titles and bylines cost a first search 30 ms)."""
        import numpy as np

        wanted = np.frombuffer(needle.encode("utf-16-le", "surrogatepass"), dtype="<u2")
        units = self.units
        places = np.flatnonzero(units[: max(0, len(units) - len(wanted) + 1)] == wanted[0])
        for offset in range(1, len(wanted)):
            places = places[units[places + offset] == wanted[offset]]
        if not len(places):
            return np.zeros(n, dtype=np.int32)
        owners = np.searchsorted(self.unit_starts, places, side="right") - 1
        return np.bincount(owners, minlength=n).astype(np.int32)

    def _pair(self, code: int) -> tuple[Any, Any]:
        """(texts holding the pair of code units `code`, sorted; how often each holds it)."""
        import numpy as np

        keys, counts = self.pair_index()
        low = np.searchsorted(keys, np.uint64(code << DOC_BITS))
        high = np.searchsorted(keys, np.uint64((code + 1) << DOC_BITS))
        docs = (keys[low:high] & np.uint64((1 << DOC_BITS) - 1)).astype(np.int64)
        return docs, counts[low:high]

    def pair_index(self) -> tuple[Any, Any]:
        """Every (pair of code units << DOC_BITS | text) key, sorted, and its count; built once."""
        import numpy as np

        if self._pair_keys is None:
            # Made and sorted in place: about 16 bytes a unit at the peak, 39 MB over the 2.4
            # million units of 100,000 bylines (59 MB when the keys were filtered and diffed as
            # copies).
            units = self.units
            pairs = max(0, len(units) - 1)
            keys = units[:pairs].astype(np.uint64)
            keys <<= np.uint64(16)
            keys |= units[1:]
            keys <<= np.uint64(DOC_BITS)
            # The text each pair begins in: the newlines before it, counted a slice at a time
            # (over all the units at once, the count and its widening cost 21 MB more at 100,000
            # bylines).
            before = np.uint64(0)
            for start in range(0, pairs, SLICE):
                end = min(start + SLICE, pairs)
                owner = np.cumsum(units[start:end] == 10, dtype=np.uint64)
                owner += before
                keys[start:end] |= owner
                before = owner[-1]
            # No pair across texts: those sort last (no real key has the top bits) and are cut.
            across = units[:pairs] == 10
            across |= units[1:] == 10
            keys[across] = np.uint64(ACROSS)
            kept = pairs - int(np.count_nonzero(across))
            del across
            keys.sort()
            keys = keys[:kept]
            # Where each distinct key begins, and so how often it stands: no copy of the keys.
            begins = np.ones(kept, dtype=bool)
            np.not_equal(keys[1:], keys[:-1], out=begins[1:])
            firsts = np.flatnonzero(begins)
            counts = np.empty(len(firsts), dtype=np.int32)
            np.subtract(firsts[1:], firsts[:-1], out=counts[:-1], casting="unsafe")
            counts[-1:] = kept - firsts[-1:]
            del firsts
            self._pair_counts = counts
            self._pair_keys = keys[begins]
        return self._pair_keys, self._pair_counts
