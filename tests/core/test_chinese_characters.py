"""One answer to "is this Chinese?" for parsing, search and layout."""

from __future__ import annotations

import re
import unicodedata

from bulletin_tui.chinese_characters import (
    HAN_BLOCKS,
    HAN_CLASS,
    han_mask,
    has_han,
    is_han,
    is_han_code,
)


def test_the_blocks_are_the_ideograph_blocks_of_the_basic_plane() -> None:
    for code in range(0x10000):
        name = unicodedata.name(chr(code), "")
        ideograph = name.startswith(("CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"))
        # Code points the blocks reserve but Unicode has not yet named are Han all the same.
        unassigned = unicodedata.category(chr(code)) == "Cn"
        assert is_han_code(code) == ideograph or (is_han_code(code) and unassigned), hex(code)


def test_the_regular_expression_class_and_the_array_mask_say_the_same() -> None:
    import numpy as np

    one = re.compile(f"[{HAN_CLASS}]")
    edges = [code for first, last in HAN_BLOCKS for code in (first - 1, first, last, last + 1)]
    for code in edges:
        assert (one.fullmatch(chr(code)) is not None) == is_han(chr(code)), hex(code)
    codes = np.arange(0x10000, dtype=np.int32)
    assert han_mask(codes).tolist() == [is_han_code(code) for code in range(0x10000)]


def test_text() -> None:
    assert has_han("开发区") and has_han("abc 䶮") and has_han("﨑")  # unified, ext. A, compat.
    assert not has_han("abc，。“”…") and not has_han("ひらがな") and not has_han("")
