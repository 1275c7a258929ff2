"""Terminal cell widths, with East Asian "ambiguous" characters counted as 1 or 2 cells.

Rich counts `“ ” ‘ ’ … — ·` (Unicode East Asian Width "A") as one cell, but many terminals used
with Chinese (and SSH clients set to "ambiguous = wide") draw them two cells wide: a line Rich thinks
fits then runs past the pane. With `ambiguous=2` every such character counts as two cells, so a layout
made under that measure fits on either kind of terminal.
"""

from __future__ import annotations

import os
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size

AMBIGUOUS_ENV = "BULLETIN_TUI_AMBIGUOUS_WIDTH"
_ZWJ = "\u200d"
_VS16 = "\ufe0f"


class _WidthTable(dict[int, str]):
    """`str.translate` table: code point -> chr(cells), filled on first sight of each character."""

    def __init__(self, ambiguous: int) -> None:
        super().__init__()
        self.ambiguous = ambiguous

    def __missing__(self, code: int) -> str:
        width = char_width(chr(code), self.ambiguous)
        self[code] = chr(width)
        return chr(width)


_TABLES = {1: _WidthTable(1), 2: _WidthTable(2)}


def is_ambiguous(char: str) -> bool:
    """True for a character Rich measures as one cell that a CJK terminal may draw as two."""
    return unicodedata.east_asian_width(char) == "A" and get_character_cell_size(char) >= 1


def char_width(char: str, ambiguous: int = 1) -> int:
    """Cells taken by one character: Rich's width, ambiguous characters as `ambiguous` cells
    (whichever Rich has been told: the reader may have it count them as two)."""
    width = get_character_cell_size(char)
    if width and unicodedata.east_asian_width(char) == "A":
        return 2 if ambiguous == 2 else 1
    return width


def char_widths(text: str, ambiguous: int = 1) -> bytes:
    """The width of each character of `text`, one byte per character.

    Emoji sequences are measured as Rich does: a character after a zero-width joiner takes no cell
    of its own and VS16 widens the character before it.
    """
    widths = text.translate(_TABLES[2 if ambiguous == 2 else 1]).encode("latin-1")
    if _ZWJ in text or _VS16 in text:
        widths = _grapheme_widths(text, bytearray(widths))
    return widths


def _grapheme_widths(text: str, widths: bytearray) -> bytes:
    last = -1  # index of the last character that took cells
    index = 0
    while index < len(text):
        char = text[index]
        if char == _ZWJ:
            widths[index] = 0
            if index + 1 < len(text):
                widths[index + 1] = 0
            index += 2
            continue
        if char == _VS16:
            widths[index] = 0
            if last >= 0 and widths[last] == 1 and cell_len(text[last] + _VS16) == 2:
                widths[last] = 2
            last = -1
        elif widths[index]:
            last = index
        index += 1
    return bytes(widths)


def prefix_widths(text: str, ambiguous: int = 1) -> list[int]:
    """`result[i]` is the width of `text[:i]`; `len(result) == len(text) + 1`."""
    return list(accumulate(char_widths(text, ambiguous), initial=0))


def char_span(prefix: Sequence[int], cells: tuple[int, int]) -> tuple[int, int] | None:
    """The characters (first, past the last) of a text drawn in `cells` (first, past the last),
    given the text's `prefix_widths`: the typesetter counts cells, text styling counts
    characters. At least one character; None when the cells begin past the text's end."""
    first = bisect_left(prefix, cells[0])
    if first >= len(prefix) - 1:
        return None
    return first, max(first + 1, bisect_left(prefix, cells[1]))


def cell_width(text: str, ambiguous: int = 1) -> int:
    """Cells `text` takes on a terminal drawing ambiguous characters `ambiguous` cells wide."""
    if text.isascii():
        return cell_len(text)
    return sum(char_widths(text, ambiguous))


def ambiguous_width_in_env() -> int | None:
    """`BULLETIN_TUI_AMBIGUOUS_WIDTH` when it says 1 or 2, else None."""
    value = os.environ.get(AMBIGUOUS_ENV, "").strip()
    return int(value) if value in ("1", "2") else None


def ambiguous_width_from_env(default: int | None = 1) -> int:
    """`BULLETIN_TUI_AMBIGUOUS_WIDTH` (1 or 2) if set to one of those, else `default` (or 1)."""
    return ambiguous_width_in_env() or default or 1
