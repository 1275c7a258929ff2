"""Rich, and so Textual, measured with the terminal's width for East Asian "ambiguous" characters.

Rich counts “ ” ‘ ’ … — · (and Greek, Cyrillic, box drawing: Unicode East Asian Width "A") as one
cell. On a terminal drawing them two cells wide (ambiguous_width = 2) every row holding one came
out longer than Textual laid it out: what followed moved right, the pane separator broke and the
reader's line ends went off the screen's edge. There Rich is given the terminal's measure: its
width table with those characters two cells wide (combining marks keep no width), and its
all-one-cell shortcut without them. The typesetter's own measure (`typeset.widths`) agrees.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

import rich.cells
import rich.segment
from rich.cells import CellTable

# Names the modules hold (imported into them, so set through their namespaces).
_CELLS, _SEGMENT = vars(rich.cells), vars(rich.segment)
_RICH_TABLE: Callable[[str], CellTable] = _CELLS["load_cell_table"]
_RICH_SINGLE_CELLS: Callable[[str], bool] = _CELLS["_is_single_cell_widths"]
# Where ambiguous characters are outside private use: the Basic Multilingual Plane, and the
# enclosed alphanumerics (🄀 🄐 …) of plane 1.
_SCANNED = (range(0xA1, 0x10000), range(0x1F100, 0x1F200))


@cache
def _wide_characters() -> frozenset[str]:
    """Ambiguous characters Rich draws one cell wide."""
    return frozenset(
        chr(code)
        for codes in _SCANNED
        for code in codes
        if unicodedata.east_asian_width(chr(code)) == "A"
        and rich.cells.get_character_cell_size(chr(code)) == 1
    )


@cache
def _wide_table() -> CellTable:
    """Rich's table with the ambiguous characters two cells wide."""
    table = _RICH_TABLE("auto")
    widths: list[tuple[int, int, int]] = list(table.widths)
    widths += [(ord(char), ord(char), 2) for char in _wide_characters()]
    return table._replace(widths=_merged(sorted(widths)))


def _merged(ranges: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Neighbouring ranges of one width as one (Rich searches the table by halves)."""
    merged: list[tuple[int, int, int]] = []
    for start, end, width in ranges:
        if merged and merged[-1][2] == width and merged[-1][1] + 1 == start:
            merged[-1] = (merged[-1][0], end, width)
        else:
            merged.append((start, end, width))
    return merged


def _load_wide_table(unicode_version: str = "auto") -> CellTable:
    return _wide_table()


def measure_ambiguous_as_wide(wide: bool) -> None:
    """Rich counts ambiguous characters as two cells (True) or, as it does by itself, one."""
    single: Callable[[str], bool] = _RICH_SINGLE_CELLS
    if wide:
        _wide_table()  # worked out before Rich is told, with Rich's own widths
        single = (rich.cells._SINGLE_CELLS - _wide_characters()).issuperset
    _CELLS["load_cell_table"] = _load_wide_table if wide else _RICH_TABLE
    _CELLS["_is_single_cell_widths"] = _SEGMENT["_is_single_cell_widths"] = single
    # Widths Rich has kept from the other measure.
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()
    rich.segment.Segment._split_cells.cache_clear()
