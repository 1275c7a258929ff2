"""The gram index: for every character and every pair of adjacent characters of folded body text, the
articles holding it and how often.

Grams are UTF-16 code units: a unigram's code is the unit (< 2**16), a bigram's is first << 16 | second
(>= 2**16, since no unit is 0 in folded text), so both share one key space. Unigrams and bigrams answer
one- and two-character queries exactly (a trigram index cannot). A bigram's entries also keep where
in the article it stands (the first POSITIONS of each article, in UTF-16 units), so a longer query is
answered exactly too: its bigrams at offsets 0, 2, 4… (and the last) standing one after another
(`phrase`). Only an article holding one of those bigrams more than POSITIONS times has to be
checked against its text.

Building uses numpy over the whole batch at once: no per-character Python loop, and no jieba.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bulletin_tui.search.folding import fold_units

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

PostingRow = tuple[int, int, bytes, bytes, bytes]  # gram, first doc, doc gaps, counts, positions
_MAX_COUNT = 255
POSITIONS = _MAX_COUNT  # positions kept per bigram and article: as many as the count can say


def gram_codes(folded: str) -> list[int]:
    """The grams that a folded query string needs: its unit if one long, else its bigrams."""
    import numpy as np

    code_units = np.frombuffer(folded.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(code_units) == 1:
        return [int(code_units[0])]
    pairs = (code_units[:-1].astype(np.uint32) << 16) | code_units[1:]
    return list(dict.fromkeys(int(code) for code in pairs))


SLICE = 1 << 18  # occurrences turned into rows at a time (whole grams): bounds the build's peak


def build(docs: Sequence[tuple[int, str]]) -> Iterator[PostingRow]:
    """Posting rows for (doc number, body text) pairs; bodies are folded here."""
    for rows in build_batches(docs):
        yield from rows


def build_batches(docs: Sequence[tuple[int, str]]) -> Iterator[list[PostingRow]]:
    """The rows of `build`, a slice of whole grams at a time, in gram order.

    Each occurrence of a gram is one sorted 64-bit key (the gram, then its place in the batch), and
    rows are made from a slice of whole grams at a time: the batch holds about 14 bytes a character
    beyond its text at the peak, where arrays of doc, position and entry for every occurrence at
    once took about 90."""
    import numpy as np

    if not docs:
        return
    ordered = sorted(docs)  # doc order: a unit's place in the batch then orders it by doc
    parts: list[Any] = []
    for _, body in ordered:
        parts.append(fold_units(body))
        parts.append(np.zeros(1, dtype=np.uint16))  # a separator no gram crosses
    lengths = np.array([len(part) for part in parts[::2]], dtype=np.int64) + 1
    code_units = np.concatenate(parts)
    del parts
    numbers = np.array([number for number, _ in ordered], dtype=np.uint32)
    first_unit = (np.cumsum(lengths) - lengths).astype(np.uint32)  # where each doc starts
    # Every unit, then every pair of units, with its place, made in place (about 14 bytes a
    # character at the peak); those holding a separator (0) sort first, or are left out as the
    # rows are made.
    total = len(code_units)
    keys = code_units.astype(np.uint64)
    keys <<= np.uint64(32)
    keys |= np.arange(total, dtype=np.uint32)
    keys.sort()
    start = int(np.searchsorted(keys, np.uint64(1 << 32)))  # past unit 0
    yield from _sliced(keys[start:], numbers, first_unit, positioned=False)
    del keys
    # A bigram's key holds its place in the batch, which orders its entries by doc, then position.
    keys = code_units[:-1].astype(np.uint64)
    keys <<= np.uint64(16)
    keys |= code_units[1:]
    del code_units
    keys <<= np.uint64(32)
    keys |= np.arange(total - 1, dtype=np.uint32)
    keys.sort()
    start = int(np.searchsorted(keys, np.uint64(1 << 48)))  # past pairs starting with 0
    yield from _sliced(keys[start:], numbers, first_unit, positioned=True)


def _sliced(
    keys: Any, numbers: Any, first_unit: Any, *, positioned: bool
) -> Iterator[list[PostingRow]]:
    """Rows from sorted (gram << 32 | place in the batch) keys, SLICE occurrences (whole grams)
    at a time; `first_unit`: where each doc of the batch starts, `numbers`: its doc number."""
    import numpy as np

    start, total = 0, len(keys)
    while start < total:
        end = min(total, start + SLICE)
        if end < total:  # on to the end of the last gram begun
            following = ((keys[end - 1] >> np.uint64(32)) + np.uint64(1)) << np.uint64(32)
            end = int(np.searchsorted(keys, following))
        part = keys[start:end]
        grams = (part >> np.uint64(32)).astype(np.uint32)
        places = (part & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        start = end
        if positioned:  # pairs ending in a separator are no bigram
            kept = (grams & np.uint32(0xFFFF)) != 0
            if not kept.all():
                grams, places = grams[kept], places[kept]
        docs_of = np.searchsorted(first_unit, places, side="right") - 1
        if positioned:
            places -= first_unit[docs_of]  # now each bigram's position in its article
            yield _positioned_rows(grams, numbers, docs_of, places)
            continue
        entry = grams.astype(np.uint64) << np.uint64(32)
        entry |= numbers[docs_of]
        firsts = np.flatnonzero(np.diff(entry, prepend=entry[:1] ^ np.uint64(1)))
        counts = np.diff(np.append(firsts, len(entry)))
        yield _rows(entry[firsts], counts)


def _positioned_rows(grams: Any, numbers: Any, docs_of: Any, positions: Any) -> list[PostingRow]:
    """Bigram rows from one (gram, doc, position) triple per occurrence, sorted in that order
    (`docs_of` indexes `numbers`, the batch's doc numbers)."""
    import numpy as np

    if not len(grams):
        return []
    entry = np.flatnonzero((np.diff(grams) != 0) | (np.diff(docs_of) != 0)) + 1
    entry_starts = np.concatenate(([0], entry))
    del entry
    occurrences = np.diff(np.append(entry_starts, len(grams)))
    if int(occurrences.max()) > POSITIONS:  # the first POSITIONS of each entry are kept
        rank = np.arange(len(grams)) - np.repeat(entry_starts, occurrences)
        positions = positions[rank < POSITIONS]
        del rank
    entry_grams = grams[entry_starts]
    keys = entry_grams.astype(np.uint64) << np.uint64(32)
    keys |= numbers[docs_of[entry_starts]]
    del grams, docs_of
    ends = np.cumsum(np.minimum(occurrences, POSITIONS))
    rows = _rows(keys, occurrences)
    gram_starts = np.flatnonzero(np.diff(entry_grams)) + 1
    lows = np.concatenate(([0], gram_starts))
    highs = np.append(gram_starts, len(entry_starts))
    firsts = np.concatenate(([0], ends[:-1]))[lows]
    widest = np.maximum.reduceat(positions, firsts)
    widths = np.where(widest < 2**16, 2, 4).tolist()
    laid = {2: positions.astype(np.uint16).tobytes()}
    if 4 in widths:
        laid[4] = positions.astype(np.uint32).tobytes()
    return [
        (code, first_doc, gaps, counts, laid[width][lo * width : hi * width])
        for (code, first_doc, gaps, counts, _), lo, hi, width in zip(
            rows, firsts.tolist(), ends[highs - 1].tolist(), widths, strict=True
        )
    ]


def _rows(keys: npt.NDArray[np.uint64], counted: Any = None) -> list[PostingRow]:
    """Posting rows (no positions) from (gram << 32 | doc) keys, one per occurrence; or, with
    `counted`, unique sorted keys and their counts. Per gram only bytes are sliced: the gaps are
    laid out in each width once, and each gram takes the narrowest width that holds its gaps."""
    import numpy as np

    if not len(keys):  # a batch of articles with no text (headings alone) has no grams
        return []

    if counted is None:
        unique, counts = np.unique(keys, return_counts=True)
    else:
        unique, counts = keys, counted
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
    # A list made in one comprehension: a generator's step per row was a tenth of a build.
    return [
        (code, first, laid[width][(lo + 1) * width : hi * width], clipped[lo:hi], b"")
        for code, first, lo, hi, width in zip(
            codes, firsts, lows.tolist(), highs.tolist(), widths, strict=True
        )
    ]


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


def pack_positions(positions: Any) -> bytes:
    """Positions in the narrowest of two widths that holds them (the size says which)."""
    import numpy as np

    if len(positions) == 0:
        return b""
    dtype = np.uint16 if int(positions.max()) < 2**16 else np.uint32
    laid: bytes = positions.astype(dtype).tobytes()
    return laid


def unpack_positions(counts: Any, positions: bytes) -> Any:
    """Positions (int64) of one stored row, `counts[i]` of them for its i-th entry."""
    import numpy as np

    total = int(counts.sum())
    if not positions or total == 0:
        return np.zeros(0, dtype=np.int64)
    dtype = np.uint16 if len(positions) // total == 2 else np.uint32
    return np.frombuffer(positions, dtype=dtype).astype(np.int64)


def take_entries(chosen: Any, counts: Any, positions: Any) -> Any:
    """The positions of the entries `chosen` (indices), in that order, given every entry's count."""
    import numpy as np

    lengths = counts[chosen].astype(np.int64)
    starts = np.cumsum(counts, dtype=np.int64) - counts
    total = int(lengths.sum())
    shift = np.repeat(starts[chosen] - (np.cumsum(lengths) - lengths), lengths)
    return positions[shift + np.arange(total, dtype=np.int64)]


def phrase(parts: Sequence[tuple[int, Any, Any, Any]]) -> tuple[Any, Any, Any]:
    """Where bigrams stand one after another. `parts`: for each bigram of a text, its offset in
    the text and its entries (docs ascending, counts, positions). Returns the docs holding the
    text with how many times each does, and the docs in doubt: those holding every bigram but one
    of them more than POSITIONS times, so that not all its places are known (check their text)."""
    import numpy as np

    candidates = parts[0][1]
    for _, docs, _, _ in parts[1:]:
        candidates = np.intersect1d(candidates, docs, assume_unique=True)
    doubt = np.zeros(0, dtype=np.int64)
    found: Any = None
    for offset, docs, counts, positions in sorted(parts, key=lambda part: len(part[3])):
        inside = np.isin(docs, candidates, assume_unique=True)
        doubt = np.union1d(doubt, docs[inside & (counts >= POSITIONS)])
        owner = np.repeat(docs, counts)
        starts = positions - offset
        keep = starts >= 0
        if not inside.all():
            keep &= np.repeat(inside, counts)
        keys = (owner[keep] << 32) | starts[keep]  # ascending: by doc, then by place
        found = keys if found is None else _common(found, keys)
        if len(found) == 0 and len(doubt) == 0:
            break
    held = found >> 32 if found is not None else np.zeros(0, dtype=np.int64)
    firsts = np.flatnonzero(np.diff(held, prepend=-1))  # held is ascending
    docs, counts = held[firsts], np.diff(np.append(firsts, len(held)))
    sure = ~np.isin(docs, doubt, assume_unique=True)
    return docs[sure], counts[sure], doubt


def _common(a: Any, b: Any) -> Any:
    """The values in both of two ascending arrays of distinct values. A stable sort of the two
    laid end to end is one merge of two runs (timsort), cheaper than intersect1d's sort."""
    import numpy as np

    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return both[1:][both[1:] == both[:-1]]
