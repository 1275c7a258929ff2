"""Issue and article metadata packed into plain strings, so opening 10,000 cached articles is a few
`str.split` calls rather than 100,000 SQLite column reads.

Separators are ASCII information separators, which the parser removes from document text (they are
control characters), and which packing strips in case an Issue was built some other way. Every packed
value starts with "=" (or is NONE), so an empty string, None and an empty list stay distinct.
"""

from __future__ import annotations

from collections.abc import Sequence

RECORD, FIELD, LIST, NONE = "\x1d", "\x1e", "\x1f", "\x1c"
_STRIP = str.maketrans("", "", RECORD + FIELD + LIST + NONE)


def pack(value: str | None) -> str:
    return NONE if value is None else "=" + value.translate(_STRIP)


def unpack(text: str) -> str | None:
    return None if text == NONE else text[1:]


def pack_list(items: Sequence[str | None]) -> str:
    return LIST.join(pack(item) for item in items)


def unpack_list(text: str) -> tuple[str, ...]:
    return tuple(item[1:] for item in text.split(LIST)) if text else ()


def unpack_optional_list(text: str) -> tuple[str | None, ...]:
    return tuple(unpack(item) for item in text.split(LIST)) if text else ()
