"""The one place the reader gets its lines from: `layout()`.

Until the typesetting engine is available this lays the article out with plain cell-aware wrapping;
switching to the engine changes only `layout()`. Every line says which block it shows and the
offsets into that block's text, so search matches can be highlighted by offset.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.cells import cell_len, get_character_cell_size

from bulletin_tui.model import Article, Block, Issue
from bulletin_tui.parse import sanitize_text
from bulletin_tui.ui.export import metadata_line

INDENT = "\u3000\u3000"  # two ideographic spaces open a paragraph
CLOSING = frozenset("，。、；：？！）」』”’》〉】〕…—,.;:?!)]}%")
OPENING = frozenset("（「『“‘《〈【〔([{")


class LaidLine(Protocol):
    """What the reader needs of a line, whoever laid it out."""

    @property
    def text(self) -> str: ...
    @property
    def role(self) -> str: ...  # title subtitle meta body heading table quote caption blank …
    @property
    def block(self) -> int | None: ...  # index into Article.blocks; None outside the body
    @property
    def start(self) -> int: ...  # offsets into that block's text
    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    measure: int = 40  # full-width characters; 0: the whole pane
    normalise_punctuation: bool = True
    ambiguous_width: int = 1

    def text_width(self, width: int) -> int:
        width = max(width, 2)
        return min(width, 2 * self.measure) if self.measure else width


@dataclass(frozen=True, slots=True)
class PlainLine:
    text: str
    role: str
    block: int | None = None
    start: int = 0
    end: int = 0


def layout(
    article: Article, issue: Issue | None, width: int, options: ReaderOptions
) -> Sequence[LaidLine]:
    """The article's lines for a pane `width` cells wide."""
    return plain_layout(article, issue, options.text_width(width))


def _may_break_before(text: str, index: int) -> bool:
    before, after = text[index - 1], text[index]
    if after in CLOSING or before in OPENING or after == " ":
        return False
    if before == " ":
        return True
    # Keep runs of Latin letters and digits (words, numbers) together.
    return not (before.isascii() and after.isascii())


def wrap_spans(text: str, width: int, first_indent: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of `text` wrapped to `width` cells; newlines break."""
    spans: list[tuple[int, int]] = []
    size = len(text)
    start = 0
    available = max(2, width - first_indent)
    while start < size:
        cells = 0
        index = start
        last_break = -1
        while index < size and text[index] != "\n":
            cell = get_character_cell_size(text[index])
            if cells + cell > available and index > start:
                break
            if index > start and _may_break_before(text, index):
                last_break = index
            cells += cell
            index += 1
        overflowing = index < size and text[index] != "\n"
        if overflowing and last_break > start and not _may_break_before(text, index):
            index = last_break
        spans.append((start, index))
        start = index
        if start < size and text[start] == "\n":
            start += 1
        while start < size and text[start] == " ":
            start += 1
        available = max(2, width)
    return spans


def _wrapped(
    text: str, width: int, role: str, block: int | None = None, prefix: str = "", rest: str = ""
) -> list[PlainLine]:
    """`text` wrapped, the first line after `prefix`, the others after `rest`."""
    lines: list[PlainLine] = []
    for number, (start, end) in enumerate(wrap_spans(text, width, cell_len(prefix))):
        lead = prefix if number == 0 else rest
        if number == 1 and rest:
            # Re-wrap the remainder so continuation lines have room for their own indent.
            tail = _wrapped(text[start:], width - cell_len(rest), role, block)
            return lines + [
                PlainLine(rest + line.text, role, block, start + line.start, start + line.end)
                for line in tail
            ]
        lines.append(PlainLine(lead + text[start:end], role, block, start, end))
    return lines


def _pad(cell: str, width: int) -> str:
    return cell + " " * max(0, width - cell_len(cell))


def _table_lines(block: Block, index: int, width: int) -> list[PlainLine]:
    rows = [tuple(" ".join(cell.split()) for cell in row) for row in block.rows]
    columns = max(len(row) for row in rows)
    widths = [
        max((cell_len(row[c]) for row in rows if c < len(row)), default=0) for c in range(columns)
    ]
    lines: list[PlainLine] = []
    offset = 0
    for number, (raw, row) in enumerate(zip(block.rows, rows, strict=True)):
        length = len("\t".join(raw))
        text = "  ".join(_pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip()
        role = "table-header" if number == 0 else "table"
        if cell_len(text) <= width:
            lines.append(PlainLine(text, role, index, offset, offset + length))
        else:
            lines += [
                PlainLine(text[s:e], role, index, offset, offset + length)
                for s, e in wrap_spans(text, width)
            ]
        if number == 0:
            lines.append(PlainLine("─" * min(width, sum(widths) + 2 * (columns - 1)), "rule"))
        offset += length + 1
    return lines


def _list_lines(block: Block, index: int, width: int) -> list[PlainLine]:
    items = block.items or tuple(block.text.splitlines())
    lines: list[PlainLine] = []
    offset = 0
    for number, item in enumerate(items, 1):
        mark = f"{number}. " if block.ordered else "• "
        for line in _wrapped(item, width, "list", index, mark, " " * cell_len(mark)):
            lines.append(
                PlainLine(line.text, "list", index, offset + line.start, offset + line.end)
            )
        offset += len(item) + 1
    return lines


def _block_lines(block: Block, index: int, width: int) -> list[PlainLine]:
    if block.kind == "table" and block.rows:
        return _table_lines(block, index, width)
    if block.kind == "list":
        return _list_lines(block, index, width)
    if block.kind == "heading":
        return _wrapped(block.text, width, "heading", index)
    if block.kind == "quote":
        return _wrapped(block.text, width, "quote", index, "│ ", "│ ")
    if block.kind == "caption":
        return _wrapped(block.text, width, "caption", index)
    return _wrapped(block.text, width, "body", index, INDENT, "")


def plain_layout(article: Article, issue: Issue | None, width: int) -> list[PlainLine]:
    """Title, subtitles, metadata, then the body, each block followed by a blank line."""
    lines = _wrapped(sanitize_text(article.title), width, "title")
    for subtitle in article.subtitles:
        lines += _wrapped(sanitize_text(subtitle), width, "subtitle")
    meta = metadata_line(article, issue)
    if meta:
        lines += _wrapped(meta, width, "meta")
    lines.append(PlainLine("", "blank"))
    for index, block in enumerate(article.blocks):
        lines += _block_lines(block, index, width)
        lines.append(PlainLine("", "blank"))
    return lines


def issue_label_text(issue: Issue) -> str:
    """Date and title, without saying the date twice."""
    day = issue.date.isoformat() if issue.date else ""
    title = " ".join(issue.title.replace(day, " ").split()) if day else issue.title
    return sanitize_text(" ".join(part for part in (day, title) if part) or issue.id)


def issue_overview(issue: Issue, width: int) -> list[PlainLine]:
    """An issue's front page: its title and date, masthead lines, then its contents."""
    lines = _wrapped(issue_label_text(issue), width, "title")
    for front in issue.front_matter:
        lines += _wrapped(sanitize_text(front), width, "meta")
    lines.append(PlainLine("", "blank"))
    for section in issue.sections:
        if section.title:
            lines += _wrapped(sanitize_text(section.title), width, "heading")
        for article in section.articles:
            lines += _wrapped(sanitize_text(article.title), width, "list", None, "• ", "  ")
        lines.append(PlainLine("", "blank"))
    count = len(issue.articles)
    lines.append(PlainLine(f"{count} article{'s' if count != 1 else ''} · Enter opens", "note"))
    return lines
