"""JSON written a piece at a time is the text json.dumps writes for the whole value."""

from __future__ import annotations

import json
import random
from typing import Any

from bulletin_tui import json_stream
from bulletin_tui.json_stream import Streamed, json_chunks


def _value(rng: random.Random, depth: int) -> tuple[Any, Any]:
    """A random JSON value, with and without Streamed arrays in it."""
    kind = rng.choice(["leaf", "leaf", "list", "dict", "streamed"] if depth < 4 else ["leaf"])
    if kind == "leaf":
        leaf = rng.choice([None, True, 3, 2.5, "", '文字\n\t\u2028"', "a"])
        return leaf, leaf
    size = rng.choice([0, 1, 2, 5, 12])
    pairs = [_value(rng, depth + 1) for _ in range(size)]
    if kind == "dict":
        keys = [f"键{n}" for n in range(size)]
        return (
            {key: pair[0] for key, pair in zip(keys, pairs, strict=True)},
            {key: pair[1] for key, pair in zip(keys, pairs, strict=True)},
        )
    plain = [pair[1] for pair in pairs]
    streamed = [pair[0] for pair in pairs]
    return (Streamed(iter(streamed)) if kind == "streamed" else streamed), plain


def test_pieces_join_to_what_json_dumps_writes(monkeypatch: Any) -> None:
    monkeypatch.setattr(json_stream, "BATCH", 3)  # batches end inside the arrays
    rng = random.Random(7)
    for _ in range(400):
        streamed, plain = _value(rng, 0)
        expected = json.dumps(plain, ensure_ascii=False, indent=2)
        assert "".join(json_chunks(streamed)) == expected


def test_a_streamed_array_is_made_while_it_is_written() -> None:
    made: list[int] = []

    def items() -> Any:
        for number in range(5000):
            made.append(number)
            yield {"n": number}

    chunks = json_chunks({"issues": Streamed(items())})
    assert next(chunks) == '{\n  "issues": '
    next(chunks)  # the first batch
    assert len(made) <= json_stream.BATCH + 1
