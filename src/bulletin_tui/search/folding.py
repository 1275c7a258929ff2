"""Folding text for search: full-width and ASCII forms match, Latin ignores case, traditional
characters match simplified ones, and the corner quotes 「」『』 match “”‘’.

The fold maps each UTF-16 code unit to one code unit (NFKC, then lower case, then OpenCC's t2s table
for a single character, kept only where the result is a single BMP character), so folded text has the
same length as the original and every offset found in it is an offset in the original: highlights land
on the characters as printed. Short strings fold with `str.translate`; long ones through numpy.

The table ships with the package (`fold_changes.bin`: each code unit the fold changes, and what it
becomes, as pairs of little-endian uint16), so a new process reads 23 KB instead of running NFKC over
65,536 characters and OpenCC over 28,000 (50-200 ms), and the fold stays the same whatever Unicode or
OpenCC version is installed. `computed_changes()` works it out again; `python -m
bulletin_tui.search.folding` rewrites the file (then bump FOLD_VERSION).

Indexed text and queries go through the same fold: bump FOLD_VERSION when it changes, so that a
cache built with the old fold is rebuilt.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_tui.chinese_characters import HAN_BLOCKS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FOLD_VERSION = 2  # 2: traditional → simplified (OpenCC t2s) and corner quotes
# What the shipped table was computed with (tests compare it with a fresh computation under these).
TABLE_SOURCE = {"unicode": "14.0.0", "opencc": "1.4.2"}
TABLE_FILE = "fold_changes.bin"
_lock = threading.Lock()
# Corner quotes as printed in traditional text, and the quotes a simplified text prints instead.
_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’", "﹁": "“", "﹂": "”", "﹃": "‘", "﹄": "’"}


@cache
def _shipped() -> bytes:
    # Beside this module in a checkout or an installed wheel: read as a file, as importing
    # importlib.resources costs a first search about 25 ms. It serves a zipped install.
    beside = Path(__file__).with_name(TABLE_FILE)
    if beside.is_file():
        return beside.read_bytes()
    from importlib.resources import files

    return files(__package__ or "bulletin_tui.search").joinpath(TABLE_FILE).read_bytes()


@cache
def fold_map() -> dict[int, int]:
    """Code point → folded code point, for every BMP character that folding changes."""
    import sys
    from array import array

    codes = array("H", _shipped())
    if sys.byteorder == "big":
        codes.byteswap()
    return dict(zip(codes[0::2], codes[1::2], strict=True))


def computed_changes() -> dict[int, int]:
    """The fold worked out afresh: NFKC, lower case, then OpenCC t2s for one character."""
    simplified = t2s_table()
    changes: dict[int, int] = {0: 0x20}  # NUL never survives: it separates documents in the index
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        folded = simplified.get(folded, folded)
        if folded != char and len(folded) == 1 and ord(folded) < 0x10000:
            changes[code] = ord(folded)
    return changes


def t2s_table() -> dict[str, str]:
    """Traditional → simplified, one character for one, from OpenCC's t2s conversion (its phrase
    tables cannot keep offsets, so each character is converted on a line of its own), with the
    corner quotes. About 30 ms; benchmarks/bench_t2s.py compares the packages that offer this."""
    import opencc

    chars = [chr(code) for low, high in HAN_BLOCKS for code in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = dict(_QUOTES)
    if len(converted) == len(chars):
        for char, simple in zip(chars, converted, strict=True):
            if simple != char and len(simple) == 1:
                table[char] = simple
    return table


@cache
def fold_table() -> npt.NDArray[np.uint16]:
    """The fold as a lookup table over all 65,536 UTF-16 code units."""
    import numpy as np

    changes = np.frombuffer(_shipped(), dtype="<u2").reshape(-1, 2)
    table = np.arange(0x10000, dtype=np.uint16)
    table[changes[:, 0]] = changes[:, 1]
    return table


def fold(text: str) -> str:
    """`text` folded for search, same length, offsets unchanged."""
    if len(text) > 64:  # numpy's table lookup beats str.translate's per-character dict lookups
        return fold_long(text)
    return text.translate(fold_map())


def units(text: str) -> npt.NDArray[np.uint16]:
    """The UTF-16 code units of `text` (astral characters become surrogate pairs)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")


def fold_units(text: str) -> npt.NDArray[np.uint16]:
    table: Any = fold_table()
    folded: npt.NDArray[np.uint16] = table[units(text)]
    return folded


def fold_long(text: str) -> str:
    return fold_units(text).tobytes().decode("utf-16-le", "surrogatepass")


def warm_up() -> None:
    """Build the tables now (about 50 ms) rather than in the first search."""
    with _lock:
        fold_table()


def write_table(path: Path) -> None:
    """Write the fold's changes, computed afresh, where the package reads them."""
    import struct

    changes = sorted(computed_changes().items())
    path.write_bytes(b"".join(struct.pack("<HH", code, folded) for code, folded in changes))


if __name__ == "__main__":
    write_table(Path(__file__).with_name(TABLE_FILE))
