"""The dim keyword line under an article's title in the reader (bulletin_tui.insights).

The keywords are worked out in a thread after the article is shown; until they come, the line is
held blank so the text below does not jump when they arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from rich.cells import cell_len

from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import LaidLine, PlainLine

ROLE = "keywords"
SEPARATOR = " · "


def keyword_text(words: Sequence[str], width: int) -> str:
    """As many keywords as fit in `width` cells, strongest first."""
    shown = ""
    for word in words:
        word = sanitize_text(word)
        candidate = f"{shown}{SEPARATOR}{word}" if shown else word
        if cell_len(candidate) > width:
            break
        shown = candidate
    return shown


class WithKeywordLine(Sequence[LaidLine]):
    """An article's lines with the keyword line after the title's, without copying them (an
    article may have millions of lines)."""

    __slots__ = ("_after", "_line", "_lines")

    def __init__(self, lines: Sequence[LaidLine], after: int, text: str) -> None:
        self._lines, self._after, self._line = lines, after, PlainLine(text, ROLE)

    def with_text(self, text: str) -> WithKeywordLine:
        return WithKeywordLine(self._lines, self._after, text)

    def __len__(self) -> int:
        return len(self._lines) + 1

    @overload
    def __getitem__(self, index: int) -> LaidLine: ...
    @overload
    def __getitem__(self, index: slice) -> list[LaidLine]: ...
    def __getitem__(self, index: int | slice) -> LaidLine | list[LaidLine]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index == self._after:
            return self._line
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        return self._lines[index if index < self._after else index - 1]


def with_keyword_line(lines: Sequence[LaidLine], text: str | None) -> Sequence[LaidLine]:
    """`lines` with the keyword line after the title's lines (`text` None: no line at all)."""
    if text is None:
        return lines
    after = 0
    while after < len(lines) and lines[after].role == "title":
        after += 1
    if after == 0:
        return lines
    return WithKeywordLine(lines, after, text)
