"""A long document parsed a piece at a time, and its raw blocks held compactly.

The parser's events and blocks never exist for the whole of a long document at once: with
markdown-it's tokens, 1.9 million one-line paragraphs took 3.5 GB.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from bulletin_tui.parse.markdown import RawBlock, parse_blocks

CHUNK_CHARS = 256_000
# Markup whose block may run across blank lines, or that refers across the document (link reference
# definitions): a document holding any is parsed whole.
_UNSPLITTABLE = re.compile(
    r"^ {0,3}(?:<(?:pre|script|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)|\[[^\]]+\]:)",
    re.MULTILINE | re.IGNORECASE,
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that can only start a new block after a blank line: not indented (code, list content),
# not a list item, quote, table row, fence or HTML.
_PLAIN_START = re.compile(r"[^\s>|`~<*+\-0-9#=]")


def chunks(text: str, size: int) -> list[str]:
    """`text` cut before lines where a new top-level paragraph or heading starts after a blank
    line, outside fenced code, into pieces of about `size` characters (one piece when it is short
    or holds markup that a cut could change)."""
    if len(text) <= size or _UNSPLITTABLE.search(text):
        return [text]
    pieces: list[str] = []
    start = 0
    fence: str | None = None
    blank = False
    at = 0
    for line in text.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif blank and at - start >= size and (_PLAIN_START.match(line) or line.startswith("#")):
            pieces.append(text[start:at])
            start = at
        blank = fence is None and not line.strip()
        at += len(line)
    pieces.append(text[start:])
    return pieces


def raw_blocks(text: str) -> list[RawBlock]:
    """Parse markdown `text` into raw blocks; empty blocks are dropped."""
    blocks: list[RawBlock] = []
    for piece in chunks(text, CHUNK_CHARS):
        blocks += parse_blocks(piece)
    return blocks


def compact_raw_blocks(text: str) -> Sequence[RawBlock]:
    """`raw_blocks(text)`, held as `RawBlocks` when the text is parsed in more than one piece."""
    pieces = chunks(text, CHUNK_CHARS)
    if len(pieces) == 1:
        return parse_blocks(text)
    store = _RawStore()
    while pieces:
        store.add(parse_blocks(pieces.pop(0)))
    return RawBlocks(store, range(len(store.kinds)))


_PLAIN, _UNJOINED, _OTHER = 0, 1, 2  # a paragraph with no links (joinable or not), anything else


class _RawStore:
    """Raw blocks without an object each: a plain paragraph is a kind byte and an end offset into
    its piece's joined text; only the rarer blocks are kept as they are."""

    def __init__(self) -> None:
        self.kinds = bytearray()
        self.ends = array("q")  # each block's end in all the texts laid end to end
        self.texts: list[str] = []  # one per piece: its plain paragraphs' text, joined
        self.bases: list[int] = []  # where each of `texts` starts
        self.others: dict[int, RawBlock] = {}

    def add(self, blocks: list[RawBlock]) -> None:
        base = self.ends[-1] if self.ends else 0
        at, parts = base, []
        for block in blocks:
            if block.kind == "paragraph" and not block.links and not block.anchors_only:
                self.kinds.append(_PLAIN if block.joinable else _UNJOINED)
                parts.append(block.text)
                at += len(block.text)
            else:
                self.others[len(self.kinds)] = block
                self.kinds.append(_OTHER)
            self.ends.append(at)
        self.texts.append("".join(parts))
        self.bases.append(base)

    def get(self, index: int) -> RawBlock:
        kind = self.kinds[index]
        if kind == _OTHER:
            return self.others[index]
        start = self.ends[index - 1] if index else 0
        piece = bisect.bisect_right(self.bases, start) - 1
        base = self.bases[piece]
        text = self.texts[piece][start - base : self.ends[index] - base]
        return RawBlock("paragraph", text, joinable=kind == _PLAIN)

    def run(self, first: int, stop: int) -> Iterator[RawBlock]:
        """Blocks `first` to `stop`, walking the pieces instead of looking each block's up."""
        kinds, ends, bases, texts = self.kinds, self.ends, self.bases, self.texts
        at = ends[first - 1] if first else 0
        piece = bisect.bisect_right(bases, at) - 1
        for index in range(first, stop):
            kind, end = kinds[index], ends[index]
            if kind == _OTHER:
                yield self.others[index]
                continue
            while piece + 1 < len(bases) and bases[piece + 1] <= at:
                piece += 1
            base = bases[piece]
            yield RawBlock(
                "paragraph", texts[piece][at - base : end - base], joinable=kind == _PLAIN
            )
            at = end


class RawBlocks(Sequence[RawBlock]):
    """Some of a `_RawStore`'s blocks in order; each is made again when asked for, so that holding
    a document's blocks costs a few bytes each (1.9 million one-line paragraphs held as objects
    took a gigabyte). Slices share the store."""

    def __init__(self, store: _RawStore, indices: Sequence[int]) -> None:
        self._store = store
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> RawBlock: ...
    @overload
    def __getitem__(self, index: slice) -> RawBlocks: ...
    def __getitem__(self, index: int | slice) -> RawBlock | RawBlocks:
        if isinstance(index, slice):
            return RawBlocks(self._store, self._indices[index])
        return self._store.get(self._indices[index])

    def __iter__(self) -> Iterator[RawBlock]:
        indices = self._indices
        if isinstance(indices, range) and indices.step == 1:
            return self._store.run(indices.start, indices.stop)
        get = self._store.get
        return (get(index) for index in indices)

    def kept(self, wanted: Callable[[RawBlock], bool]) -> RawBlocks:
        chosen = (index for index in self._indices if wanted(self._store.get(index)))
        return RawBlocks(self._store, array("q", chosen))


def keep(blocks: Sequence[RawBlock], wanted: Callable[[RawBlock], bool]) -> Sequence[RawBlock]:
    """The blocks that are `wanted`, held as compactly as `blocks` were."""
    if isinstance(blocks, RawBlocks):
        return blocks.kept(wanted)
    return [block for block in blocks if wanted(block)]
