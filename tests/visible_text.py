"""What a reader sees of a markdown document, taken straight from markdown-it's tokens.

The "nothing lost" tests compare this against the parsed issue. It is written independently of the
parser (no shared code) so that a parser bug cannot hide itself.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from bulletin_tui.model import Article, Issue

_TAG = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LONE_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)


# CommonMark trims only ASCII spaces from a table cell, so a cell of U+3000 is a cell; markdown-it-py's
# table rule trims it with str.strip and then counts one cell fewer, calling the table a paragraph.
# In table rows the oracle reads U+3000 as a private-use stand-in, which `squeeze` drops like space.
_TABLE_ROW = re.compile(r"^ {0,3}\|.*$", re.M)
_SPACE_STAND_IN = "\ue000"


def _ideographic_spaces_kept_in_tables(markdown: str) -> str:
    return _TABLE_ROW.sub(lambda row: row[0].replace("\u3000", _SPACE_STAND_IN), markdown)


def squeeze(text: str) -> str:
    """No white space, no control characters: what must survive, character by character."""
    text = _CONTROL.sub("", _ESCAPES.sub("", text)).replace(_SPACE_STAND_IN, "")
    return "".join(text.split())


def _is_toc(tokens: list, start: int) -> tuple[bool, int]:
    """A list whose every inline is only links to anchors in the same page: a table of contents."""
    depth, index, anchors_only = 0, start, True
    while True:
        token = tokens[index]
        depth += token.nesting
        if token.type == "inline":
            html = token.content
            if not re.fullmatch(r'(?:\s*<a\s+href="#[^"]*"[^>]*>.*?</a>\s*)+', html, re.S):
                anchors_only = False
        if depth == 0:
            return anchors_only, index
        index += 1


def visible_text(markdown: str) -> str:
    # No nesting limit here (markdown-it's drops the rest of the document past it): deep lists and
    # quotes show their text to a reader, whatever the parser does with them.
    tokens = (
        MarkdownIt("commonmark", {"html": True, "maxNesting": 10_000})
        .enable(["table", "strikethrough"])
        .parse(
            _ideographic_spaces_kept_in_tables(_LONE_CONTROLS.sub("", _ESCAPES.sub("", markdown)))
        )
    )
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "bullet_list_open":
            toc, end = _is_toc(tokens, index)
            if toc:
                index = end + 1
                continue
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline", "image"):
                    out.append(child.content)
                elif child.type == "html_inline":
                    out.append(_TAG.sub("", child.content))
        elif token.type == "html_block":
            out.append(_TAG.sub(" ", token.content))
        elif token.type in ("fence", "code_block"):
            out.append(token.content)
        index += 1
    return squeeze("".join(out))


def article_reading_text(article: Article, byline_at: int | None = None) -> str:
    """An article in reading order: title, subtitles, then the body with the byline where it was
    printed: before its first paragraph (or before block `byline_at`)."""
    blocks = list(article.blocks)
    if byline_at is None:
        paragraphs = [i for i, block in enumerate(blocks) if block.kind == "paragraph"]
        byline_at = paragraphs[0] if paragraphs else len(blocks)
    parts = [article.title, *article.subtitles]
    for index, block in enumerate([*blocks, None]):
        if index == byline_at:
            parts.append(article.byline or "")
        if block is None:
            break
        if block.kind == "table":
            parts.extend(cell for row in block.rows for cell in row)
        else:
            parts.append(block.text)
    return "".join(parts)


def issue_reading_text(issue: Issue, leading_title: bool, byline_at: int | None = None) -> str:
    parts = [issue.title] if leading_title else []
    parts.extend(issue.front_matter)
    for section in issue.sections:
        if section.title is not None:
            parts.append(section.title)
        for article in section.articles:
            at = None if byline_at is None else min(byline_at, len(article.blocks))
            parts.append(article_reading_text(article, at))
    return squeeze("".join(parts))


def issue_keeps(expected: str, issue: Issue, leading_title: bool) -> tuple[bool, int]:
    """Whether the issue holds `expected` in order. A byline with no text after it has no paragraph
    to stand before, so other places for it are tried too."""
    found, reached = is_subsequence(expected, issue_reading_text(issue, leading_title))
    most = max((len(a.blocks) for a in issue.articles if a.byline), default=-1)
    for at in range(most + 1):
        if found:
            break
        found = is_subsequence(expected, issue_reading_text(issue, leading_title, at))[0]
    return found, reached


def is_subsequence(needle: str, haystack: str) -> tuple[bool, int]:
    """Whether `needle` appears in `haystack` in order; and how far it got."""
    position = 0
    for index, char in enumerate(needle):
        position = haystack.find(char, position)
        if position < 0:
            return False, index
        position += 1
    return True, len(needle)
