"""Which characters are Chinese (Han): one set of Unicode blocks for parsing, search and layout.

The blocks bulletins use: the unified ideographs, extension A and the compatibility ideographs, all
in the Basic Multilingual Plane (search folds one UTF-16 unit for one, so rarer planes are left out).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# (first, last) code points; the unified block first, as most characters fall in it.
HAN_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))
# The same blocks inside a regular expression's [...].
HAN_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_BLOCKS)
_ANY_HAN = re.compile(f"[{HAN_CLASS}]")


def is_han_code(code: int) -> bool:
    """Whether the code point is a Han character."""
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def han_mask(codes: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """`is_han_code` over an array of code points at once."""
    import numpy as np

    mask = np.zeros(codes.shape, dtype=bool)
    for first, last in HAN_BLOCKS:
        mask |= (codes >= first) & (codes <= last)
    return mask


def is_han(char: str) -> bool:
    """Whether the one-character string is a Han character."""
    return is_han_code(ord(char))


def has_han(text: str) -> bool:
    """Whether `text` holds any Han character."""
    return _ANY_HAN.search(text) is not None
