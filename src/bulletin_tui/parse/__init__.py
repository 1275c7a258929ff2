"""Parsing bulletin text into the model. Pure: text in, Issue out; no I/O, no Textual, no jieba.

Importing this package is cheap (the cache reads PARSER_VERSION on every open); pyromark and the
parser's own modules load on the first parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bulletin_tui.parse.sanitize import sanitize_text

if TYPE_CHECKING:
    from bulletin_tui.model import Issue

# Bumped whenever parsing changes what it produces, so cached parses are rebuilt.
PARSER_VERSION = 6

__all__ = ["PARSER_VERSION", "parse_issue", "sanitize_text"]


def parse_issue(text: str, *, path: str, issue_id: str, stem: str | None = None) -> Issue:
    """Parse one issue's decoded text. `stem` (default: `issue_id`) gives the fallback title/date."""
    from bulletin_tui.parse.large_documents import compact_raw_blocks
    from bulletin_tui.parse.structure import build_issue

    blocks = compact_raw_blocks(sanitize_text(text))
    return build_issue(blocks, path=path, issue_id=issue_id, stem=stem or issue_id)
