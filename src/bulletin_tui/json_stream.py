"""JSON text written a piece at a time: `export --json` of a library, or of one article of two
million paragraphs, never holds the whole value nor the whole text.

`json_chunks(value)` joined is `json.dumps(value, ensure_ascii=False, indent=2)` exactly; a
`Streamed` array in `value` is made item by item as it is written (plain items a batch at a time,
through json's own encoder).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

INDENT = "  "
BATCH = 1000  # plain items of a streamed array encoded at once


class Streamed:
    """A JSON array whose items are made while it is written."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def json_chunks(value: Any, level: int = 0) -> Iterator[str]:
    """The text of `value` as `json.dumps(..., ensure_ascii=False, indent=2)` writes it, nested
    `level` deep, in pieces."""
    if isinstance(value, Streamed) or (isinstance(value, list) and _streams(value)):
        yield from _array(value.items if isinstance(value, Streamed) else value, level)
    elif isinstance(value, dict) and _streams(value):
        yield from _object(value, level)
    else:
        yield _dumps(value, level)


def _streams(value: Any) -> bool:
    if isinstance(value, Streamed):
        return True
    if isinstance(value, dict):
        return any(_streams(item) for item in value.values())
    if isinstance(value, list):
        return any(_streams(item) for item in value)
    return False


def _dumps(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + INDENT * level)


def _object(value: dict[str, Any], level: int) -> Iterator[str]:
    inner = INDENT * (level + 1)
    for number, (key, item) in enumerate(value.items()):
        yield ("{\n" if number == 0 else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": "
        yield from json_chunks(item, level + 1)
    yield "\n" + INDENT * level + "}" if value else "{}"


def _array(items: Iterable[Any], level: int) -> Iterator[str]:
    started = False
    batch: list[Any] = []

    def pieces() -> Iterator[str]:
        nonlocal started
        if batch:
            text = json.dumps(batch, ensure_ascii=False, indent=2)[2:-2]  # the items, one deep
            yield ("[\n" if not started else ",\n") + INDENT * level
            yield text.replace("\n", "\n" + INDENT * level)
            started = True
            batch.clear()

    for item in items:
        if _streams(item):  # an item holding streamed arrays: written as it is made
            yield from pieces()
            yield ("[\n" if not started else ",\n") + INDENT * (level + 1)
            started = True
            yield from json_chunks(item, level + 1)
        else:
            batch.append(item)
            if len(batch) == BATCH:
                yield from pieces()
    yield from pieces()
    yield "\n" + INDENT * level + "]" if started else "[]"
