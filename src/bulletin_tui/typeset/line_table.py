"""An article's lines kept in columns of numbers and joined text rather than one object a line.

Two million paragraphs are four million lines: as `ArticleLine` objects they took about 200 bytes
each (800 MB); here a line takes about forty. `LineTable[i]` makes the line's `ArticleLine` when
asked, so the reader draws from it as from a list.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from bulletin_tui.typeset.article import STYLES, ArticleLine

CHUNK = 4096  # lines whose texts are joined into one string
_STYLE_CODES = {style: code for code, style in enumerate(STYLES)}


class LineTable(Sequence[ArticleLine]):
    """Lines appended a block at a time (`extend`), read back by index: a Sequence of ArticleLine."""

    __slots__ = (
        "_blocks",
        "_cells",
        "_chunks",
        "_ends",
        "_exact",
        "_indent_codes",
        "_indent_of",
        "_indents",
        "_levels",
        "_offsets",
        "_pending",
        "_pending_size",
        "_starts",
        "_stops",
        "_styles",
    )

    def __init__(self, lines: Iterable[ArticleLine] = ()) -> None:
        self._chunks: list[str] = []  # the texts of each CHUNK lines, joined
        self._pending: list[str] = []  # the texts of the lines since the last chunk
        self._pending_size = 0
        self._ends = array("i")  # where each line's text ends in its chunk
        self._styles = array("B")
        self._blocks = array("i")  # -1 for None
        self._starts = array("i")
        self._stops = array("i")
        self._indents: list[str] = []  # the few distinct indents; _indent_of holds an index
        self._indent_codes: dict[str, int] = {}
        self._indent_of = array("i")
        self._cells = array("i")
        self._levels = array("i")
        self._offsets = array("i")
        self._exact = array("b")
        self.extend(lines)

    def extend(self, lines: Iterable[ArticleLine]) -> None:
        for line in lines:
            self._pending.append(line.text)
            self._pending_size += len(line.text)
            self._ends.append(self._pending_size)
            if len(self._pending) == CHUNK:
                self._chunks.append("".join(self._pending))
                self._pending.clear()
                self._pending_size = 0
            self._styles.append(_STYLE_CODES[line.style])
            self._blocks.append(-1 if line.block is None else line.block)
            self._starts.append(line.start)
            self._stops.append(line.end)
            code = self._indent_codes.get(line.indent)
            if code is None:
                code = self._indent_codes[line.indent] = len(self._indents)
                self._indents.append(line.indent)
            self._indent_of.append(code)
            self._cells.append(line.cells)
            self._levels.append(line.level)
            self._offsets.append(line.offset)
            self._exact.append(line.exact)

    def __len__(self) -> int:
        return len(self._styles)

    @overload
    def __getitem__(self, index: int) -> ArticleLine: ...
    @overload
    def __getitem__(self, index: slice) -> list[ArticleLine]: ...
    def __getitem__(self, index: int | slice) -> ArticleLine | list[ArticleLine]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        block = self._blocks[index]
        return ArticleLine(
            self._text(index),
            STYLES[self._styles[index]],
            None if block < 0 else block,
            self._starts[index],
            self._stops[index],
            self._indents[self._indent_of[index]],
            self._cells[index],
            self._levels[index],
            self._offsets[index],
            bool(self._exact[index]),
        )

    def __iter__(self) -> Iterator[ArticleLine]:
        for index in range(len(self)):
            yield self[index]

    def _text(self, index: int) -> str:
        chunk, within = divmod(index, CHUNK)
        if chunk == len(self._chunks):
            return self._pending[within]
        start = self._ends[index - 1] if within else 0
        return self._chunks[chunk][start : self._ends[index]]
