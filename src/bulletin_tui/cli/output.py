"""What the commands print and the exit status it implies: JSON on stdout, tables measured in
terminal cells, one-line messages and skipped files on stderr."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from bulletin_tui.parse.sanitize import sanitize_text

if TYPE_CHECKING:
    from bulletin_tui.library import Library

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake on the command line; the message is said on one line and the exit status is 2."""


def say(message: str) -> None:
    """One line on stderr, sanitised: a message may quote a file name or a query."""
    print(f"bulletin-tui: {sanitize_text(message)}", file=sys.stderr)


def report(library: Library) -> int:
    """Notices and skipped files on stderr; the exit status they imply."""
    for notice in library.notices:
        say(notice)
    for error in library.errors:
        print(f"bulletin-tui: {sanitize_text(error.path)}: {error.message}", file=sys.stderr)
    return EXIT_SKIPPED if library.errors else EXIT_OK


def no_article(library: Library, article_id: str) -> int:
    """An unknown article id: said on stderr after the files that could not be read (the reason,
    often: `show ID ~/issuse`), a usage error."""
    report(library)
    print(f"bulletin-tui: no article {article_id!r} (see `bulletin-tui list`)", file=sys.stderr)
    return EXIT_USAGE


# Kept as text by json.dumps(ensure_ascii=False) yet able to drive a terminal (C1 controls such as
# 0x9B, a CSI) or reorder or break what is shown (bidi controls, line and paragraph separators).
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """JSON on stdout, always as UTF-8 bytes (whatever the locale's encoding), with the characters
    in _JSON_ESCAPED written as \\uXXXX escapes (they occur in strings only: the same value).
    Written as it is made (bulletin_tui.json_stream): `Streamed` arrays in `data` never exist
    whole, nor does the text."""
    from bulletin_tui.json_stream import json_chunks

    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)  # None: a text-only stream (a test's StringIO)
    for chunk in _with_newline(json_chunks(data)):
        text = _JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", chunk)
        if buffer is None:
            sys.stdout.write(text)
        else:
            buffer.write(text.encode("utf-8", "surrogateescape"))
    if buffer is not None:
        buffer.flush()


def _with_newline(chunks: Iterator[str]) -> Iterator[str]:
    yield from chunks
    yield "\n"


def tolerant_output() -> None:
    """Human output in the locale's encoding (GBK, Latin-1, ASCII…), with what it cannot encode
    replaced rather than ending the command in a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal cells (CJK characters take two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def table(rows: list[list[str]]) -> str:
    """Rows as aligned columns, two spaces apart, measured in cells."""
    from rich.cells import cell_len

    widths = [max(cell_len(row[col]) for row in rows) for col in range(len(rows[0]))]
    return "\n".join(
        "  ".join(_pad(cell, widths[col]) for col, cell in enumerate(row)).rstrip() for row in rows
    )
