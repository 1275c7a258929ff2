"""The dim keyword line under an article's title in the reader (bulletin_tui.insights).

The keywords are worked out in a thread after the article is shown; until they come, the line is
held blank so the text below does not jump when they arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def with_keyword_line(lines: Sequence[LaidLine], text: str | None) -> Sequence[LaidLine]:
    """`lines` with the keyword line after the title's lines (`text` None: no line at all)."""
    if text is None:
        return lines
    after = 0
    while after < len(lines) and lines[after].role == "title":
        after += 1
    if after == 0:
        return lines
    return [*lines[:after], PlainLine(text, ROLE), *lines[after:]]
