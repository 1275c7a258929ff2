"""The gram index: for every character and every pair of adjacent characters of folded body text, the
articles holding it and how often.

Grams are UTF-16 code units: a unigram's code is the unit (< 2**16), a bigram's is first << 16 | second
(>= 2**16, since no unit is 0 in folded text), so both share one key space. Unigrams and bigrams answer
one- and two-character queries exactly (a trigram index cannot); longer queries intersect the postings
of their bigrams for candidates, which the engine then checks against the text.

Building uses numpy over the whole batch at once: no per-character Python loop, and no jieba.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bulletin_tui.search.folding import fold_units

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PostingRow = tuple[int, int, bytes, bytes]  # gram, first doc, doc gaps, counts
_MAX_COUNT = 255


def gram_codes(folded: str) -> list[int]:
    """The grams that a folded query string needs: its unit if one long, else its bigrams."""
    import numpy as np

    code_units = np.frombuffer(folded.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(code_units) == 1:
        return [int(code_units[0])]
    pairs = (code_units[:-1].astype(np.uint32) << 16) | code_units[1:]
    return list(dict.fromkeys(int(code) for code in pairs))


def build(docs: Sequence[tuple[int, str]]) -> Iterator[PostingRow]:
    """Posting rows for (doc number, body text) pairs; bodies are folded here."""
    import numpy as np

    if not docs:
        return
    parts: list[Any] = []
    owners: list[Any] = []
    for number, body in docs:
        folded = fold_units(body)
        parts.append(folded)
        parts.append(np.zeros(1, dtype=np.uint16))  # a separator no gram crosses
        owners.append(np.full(len(folded) + 1, number, dtype=np.uint32))
    code_units = np.concatenate(parts)
    owner = np.concatenate(owners)
    del parts, owners
    # Unigrams, then bigrams, each key array freed before the next is made: building holds several
    # arrays as long as the text, so this halves the peak memory of indexing a large library.
    present = code_units != 0
    keys = (code_units[present].astype(np.uint64) << 32) | owner[present]
    yield from _rows(keys)
    del keys
    pairs = present[:-1] & present[1:]
    del present
    keys = (code_units[:-1][pairs].astype(np.uint64) << 16) | code_units[1:][pairs]
    keys = (keys << 32) | owner[:-1][pairs]
    del code_units, owner, pairs
    yield from _rows(keys)


def _rows(keys: npt.NDArray[np.uint64]) -> Iterator[PostingRow]:
    """Posting rows from (gram << 32 | doc) keys. Per gram only bytes are sliced: the gaps are
    laid out in each width once, and each gram takes the narrowest width that holds its gaps."""
    import numpy as np

    if not len(keys):  # a batch of articles with no text (headings alone) has no grams
        return

    unique, counts = np.unique(keys, return_counts=True)
    grams = unique >> np.uint64(32)
    doc_numbers = (unique & np.uint64(0xFFFFFFFF)).astype(np.int64)
    clipped = np.minimum(counts, _MAX_COUNT).astype(np.uint8).tobytes()
    del unique, counts
    starts = np.flatnonzero(np.diff(grams)) + 1
    lows = np.concatenate(([0], starts))
    highs = np.concatenate((starts, [len(grams)]))
    gaps = np.diff(doc_numbers, prepend=doc_numbers[:1])
    gaps[lows] = 0  # a gram's first doc is stored whole, not as a gap
    widest = np.maximum.reduceat(gaps, lows) if len(lows) else gaps[:0]
    widths = np.where(widest < 2**8, 1, np.where(widest < 2**16, 2, 4)).tolist()
    laid = {1: gaps.astype(np.uint8).tobytes(), 2: gaps.astype(np.uint16).tobytes()}
    laid[4] = gaps.astype(np.uint32).tobytes()
    firsts = doc_numbers[lows].tolist()
    codes = grams[lows].tolist()
    for code, first, lo, hi, width in zip(
        codes, firsts, lows.tolist(), highs.tolist(), widths, strict=True
    ):
        yield code, first, laid[width][(lo + 1) * width : hi * width], clipped[lo:hi]


def _pack(gaps: npt.NDArray[np.int64]) -> bytes:
    """Gaps between sorted doc numbers in the narrowest type that holds them (the size says which
    type, given the number of counts)."""
    import numpy as np

    if len(gaps) == 0:
        return b""
    widest = int(gaps.max())
    dtype = np.uint8 if widest < 2**8 else np.uint16 if widest < 2**16 else np.uint32
    return gaps.astype(dtype).tobytes()


def pack_docs(docs: npt.NDArray[np.int64], counts: Any) -> tuple[int, bytes, bytes]:
    """One posting row (first doc, gaps, counts clipped to a byte) from sorted doc numbers."""
    import numpy as np

    clipped = np.minimum(counts, _MAX_COUNT).astype(np.uint8)
    return int(docs[0]), _pack(np.diff(docs)), clipped.tobytes()


def unpack(first: int, gaps: bytes, counts: bytes) -> tuple[Any, Any]:
    """Doc numbers (int64) and counts (int32) from one stored posting row."""
    import numpy as np

    n = len(counts)
    doc_numbers = np.empty(n, dtype=np.int64)
    doc_numbers[0] = first
    if n > 1:
        width = len(gaps) // (n - 1)
        dtype = {1: np.uint8, 2: np.uint16, 4: np.uint32}[width]
        np.cumsum(np.frombuffer(gaps, dtype=dtype), dtype=np.int64, out=doc_numbers[1:])
        doc_numbers[1:] += first
    return doc_numbers, np.frombuffer(counts, dtype=np.uint8).astype(np.int32)
