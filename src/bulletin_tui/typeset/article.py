"""A whole article as lines: title, subtitles, a metadata line, then every block of the body."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal, get_args

from bulletin_tui.model import Article, Block, Issue, block_start, content_title
from bulletin_tui.title_dates import says_day
from bulletin_tui.typeset.breaking import Line
from bulletin_tui.typeset.options import LayoutOptions
from bulletin_tui.typeset.paragraph import PARAGRAPH_INDENT, layout_paragraph
from bulletin_tui.typeset.punctuation import prepare
from bulletin_tui.typeset.table import layout_table
from bulletin_tui.typeset.widths import cell_width

Style = Literal[
    "title", "subtitle", "meta", "body", "heading", "table", "list", "quote", "caption", "blank"
]
STYLES: tuple[Style, ...] = get_args(Style)
QUOTE_BAR = "│ "
ASCII_QUOTE_BAR = "| "  # │ is East Asian "ambiguous": where that is two cells, ASCII
BULLET = "• "
META_SEPARATOR = "\u3000"
TABLE_HEADER = 1  # ArticleLine.level of a table's header row
TABLE_RULE = 2  # ... and of the rule under it
_DEFAULT = LayoutOptions()


@dataclass(frozen=True, slots=True)
class ArticleLine:
    """One line of a laid-out article.

    `style` names its role. For body lines `block` is the index in `article.blocks`, `start`/`end`
    the offsets in that block's text, and `offset` where the block's text starts in
    `Article.body_text`. Title and subtitle lines carry offsets into their own string and `block`
    None. `indent` is the leading part of `text` not from the source (paragraph indent, list
    marker, quote bar, centring); `exact` is False where `text` is not a character-for-character
    view of the source slice (table rows).
    """

    text: str
    style: Style
    block: int | None = None
    start: int = 0
    end: int = 0
    indent: str = ""
    cells: int = 0
    level: int = 0  # heading level; list nesting; TABLE_HEADER / TABLE_RULE for those table lines
    offset: int = 0
    exact: bool = True

    @property
    def role(self) -> str:
        """The same as `style` (the reader's name for it)."""
        return self.style

    def columns(self, start: int, end: int, ambiguous: int = 1) -> tuple[int, int] | None:
        """Cells (first, past-last) showing `Article.body_text[start:end]` on this line, if any.

        Offsets are the ones of `Hit.text_spans`. None when the span is not on this line.
        """
        if self.block is None:
            return None
        line = Line(self.text, self.start, self.end, self.indent, self.cells)
        if not self.exact:
            hit = max(start, self.offset + self.start) < min(end, self.offset + self.end)
            return (cell_width(self.indent, ambiguous), self.cells) if hit else None
        return line.columns(start - self.offset, end - self.offset, ambiguous)


def layout_article(
    article: Article,
    width: int,
    options: LayoutOptions = _DEFAULT,
    issue: Issue | None = None,
) -> list[ArticleLine]:
    """Every line of `article` for a pane `width` cells wide (at most the measure)."""
    lines: list[ArticleLine] = []
    for part in iter_layout_article(article, width, options, issue):
        lines.extend(part)
    return lines


def iter_layout_article(
    article: Article,
    width: int,
    options: LayoutOptions = _DEFAULT,
    issue: Issue | None = None,
    *,
    first: int = 0,
) -> Iterator[list[ArticleLine]]:
    """The lines of `layout_article`, the title and metadata first, then a block at a time: an
    article of a million paragraphs can be laid out in steps between other work. From block
    `first` on if asked (the place a reader opens at, deep in such an article): its lines keep
    their blocks' true numbers and offsets."""
    width = options.text_width(width)
    lines: list[ArticleLine] = [
        _from(line, "title") for line in _plain(article.title, width, options)
    ]
    for subtitle in article.subtitles:
        lines.extend(_from(line, "subtitle") for line in _plain(subtitle, width, options))
    lines.extend(_meta_lines(meta_parts(article, issue), width, options))
    yield lines
    started = bool(lines)
    blocks = article.blocks
    offset = block_start(blocks, first) if first else 0
    chosen = (blocks[number] for number in range(first, len(blocks))) if first else blocks
    for index, block in enumerate(chosen, first):
        body = [ArticleLine("", "blank")] if started else []
        body.extend(_body_lines(block, index, offset, width, options))
        if len(body) > (1 if started else 0):  # the block has lines of its own
            yield body
            started = True
        offset += len(block.text) + 2  # body_text joins blocks with a blank line


def _body_lines(
    block: Block, index: int, offset: int, width: int, options: LayoutOptions
) -> Iterator[ArticleLine]:
    """The lines of block `index`, whose text starts at `offset` in the body."""
    if block.kind == "paragraph":  # most of any article: made in one step
        indent = PARAGRAPH_INDENT if options.indent else ""
        for x in layout_paragraph(block.text, width, options, indent=indent):
            yield ArticleLine(x.text, "body", index, x.start, x.end, x.indent, x.cells, 0, offset)
        return
    for y in _block_lines(block, width, options):
        yield ArticleLine(
            y.text, y.style, index, y.start, y.end, y.indent, y.cells, y.level, offset, y.exact
        )


def render_plain(
    article: Article,
    width: int,
    options: LayoutOptions = _DEFAULT,
    issue: Issue | None = None,
    *,
    center: bool = False,
) -> str:
    """The article as plain text, no line wider than `width` cells; centred in it if asked."""
    return "\n".join(plain_lines(article, width, options, issue, center=center))


def plain_lines(
    article: Article,
    width: int,
    options: LayoutOptions = _DEFAULT,
    issue: Issue | None = None,
    *,
    center: bool = False,
) -> Iterator[str]:
    """The lines of `render_plain` one at a time: `show` prints a two-million-paragraph article
    without holding all its lines."""
    margin = " " * options.margin(width) if center else ""
    for part in iter_layout_article(article, width, options, issue):
        for line in part:
            yield margin + line.text if line.text else ""


def meta_text(article: Article, issue: Issue | None = None) -> str:
    """Dateline, credits, issue title and date, section: the line under the title."""
    return META_SEPARATOR.join(meta_parts(article, issue))


def meta_parts(article: Article, issue: Issue | None = None) -> list[str]:
    """The pieces of the metadata line, each kept on one line when it fits."""
    parts: list[str] = []
    if article.reporters or article.correspondents:
        if article.dateline:
            parts.append(article.dateline)
        if article.reporters:
            parts.append("记者 " + " ".join(article.reporters))
        if article.correspondents:
            parts.append("通讯员 " + " ".join(article.correspondents))
    elif article.byline:
        parts.append(article.byline)
    elif article.dateline:
        parts.append(article.dateline)
    if article.photo_credits:
        parts.append("摄影 " + " ".join(article.photo_credits))
    if issue is not None:
        day = issue.date.isoformat() if issue.date else ""
        title = "" if issue.title == issue.id else issue.title  # a file name says nothing here
        said = issue.date is None or says_day(title, issue.date)
        parts.append(title if said else f"{title} {day}")
        if issue.date is None and issue.title == content_title(issue.front_matter, issue.sections):
            # A title taken from the issue's own words: the file name still tells issues apart.
            parts.append(PurePath(issue.path).name)
    if article.section:
        parts.append(article.section)
    return [" ".join(part.split()) for part in parts if part.strip()]


def _meta_lines(parts: list[str], width: int, options: LayoutOptions) -> list[ArticleLine]:
    """The metadata, breaking between its pieces ("通讯员 陈瑶" stays together) where it can."""
    ambiguous = options.ambiguous_width
    separator = cell_width(META_SEPARATOR, ambiguous)
    lines: list[ArticleLine] = []
    current, used = "", 0
    for part in parts:
        shown = prepare(part, options.normalise_punctuation).text
        size = cell_width(shown, ambiguous)
        if current and used + separator + size <= width:
            current, used = current + META_SEPARATOR + shown, used + separator + size
            continue
        if current:
            lines.append(ArticleLine(current, "meta", cells=used))
        current, used = shown, size
        if size > width:
            lines.extend(_from(line, "meta", source=False) for line in _plain(part, width, options))
            current, used = "", 0
    if current:
        lines.append(ArticleLine(current, "meta", cells=used))
    return lines


def _plain(text: str, width: int, options: LayoutOptions) -> list[Line]:
    return layout_paragraph(text, width, options)


def _from(line: Line, style: Style, *, source: bool = True, level: int = 0) -> ArticleLine:
    start, end = (line.start, line.end) if source else (0, 0)
    return ArticleLine(line.text, style, None, start, end, line.indent, line.cells, level)


def _block_lines(block: Block, width: int, options: LayoutOptions) -> list[ArticleLine]:
    if block.kind == "heading":
        return [
            _from(line, "heading", level=block.level) for line in _plain(block.text, width, options)
        ]
    if block.kind == "caption":
        return [_centred(line, width) for line in _plain(block.text, width, options)]
    if block.kind == "quote":
        bar = ASCII_QUOTE_BAR if options.ambiguous_width == 2 else QUOTE_BAR
        return _prefixed([(block.text, 0)], bar, bar, "quote", width, options)
    if block.kind == "list":
        return _list_lines(block, width, options)
    return _table_lines(block, width, options)


def _centred(line: Line, width: int) -> ArticleLine:
    margin = " " * max(0, (width - line.cells) // 2)
    return ArticleLine(
        margin + line.text,
        "caption",
        None,
        line.start,
        line.end,
        margin + line.indent,
        line.cells + len(margin),
    )


def _prefixed(
    pieces: Sequence[tuple[str, int]],
    first: str,
    rest: str,
    style: Style,
    width: int,
    options: LayoutOptions,
    level: int = 0,
    markers: Sequence[str] | None = None,
) -> list[ArticleLine]:
    """Lay out each (text, offset) piece beside a prefix: `first` (or its marker) then `rest`."""
    ambiguous = options.ambiguous_width
    lines: list[ArticleLine] = []
    for number, (text, base) in enumerate(pieces):
        lead = markers[number] if markers else first
        hang = " " * cell_width(lead, ambiguous) if markers else rest
        room = width - max(cell_width(lead, ambiguous), cell_width(hang, ambiguous))
        if room < 2:
            lead = hang = ""
            room = width
        for depth, line in enumerate(layout_paragraph(text, room, options)):
            prefix = lead if depth == 0 else hang
            if not line.text:
                prefix = prefix.rstrip()
            lines.append(
                ArticleLine(
                    prefix + line.text,
                    style,
                    None,
                    base + line.start,
                    base + line.end,
                    prefix,
                    cell_width(prefix, ambiguous) + line.cells,
                    level,
                )
            )
    return lines


def _list_lines(block: Block, width: int, options: LayoutOptions) -> list[ArticleLine]:
    items = list(block.items) or block.text.split("\n")
    pieces = list(zip(items, _offsets(block.text, items), strict=True))
    nest = "  " * max(block.level, 0)
    markers = [
        nest + (f"{number}. " if block.ordered else BULLET) for number in range(1, len(items) + 1)
    ]
    return _prefixed(pieces, "", "", "list", width, options, block.level, markers)


def _offsets(text: str, parts: Sequence[str]) -> list[int]:
    """Where each of `parts` starts in `text`, searching in order (0 when one is not found)."""
    found: list[int] = []
    at = 0
    for part in parts:
        where = text.find(part, at) if part else -1
        found.append(where if where >= 0 else at if at <= len(text) else 0)
        if where >= 0:
            at = where + len(part)
    return found


def _table_lines(block: Block, width: int, options: LayoutOptions) -> list[ArticleLine]:
    rows = block.rows or tuple(tuple(row.split("\t")) for row in block.text.split("\n"))
    row_texts = ["\t".join(row) for row in rows]
    starts = _offsets(block.text, row_texts)
    lines: list[ArticleLine] = []
    for line in layout_table(rows, width, options):
        row = max(line.row, 0)
        start = starts[row] if row < len(starts) else 0
        end = min(len(block.text), start + len(row_texts[row])) if row < len(row_texts) else 0
        level = TABLE_RULE if line.row < 0 else TABLE_HEADER if line.row == 0 < len(rows) - 1 else 0
        lines.append(
            ArticleLine(line.text, "table", None, start, end, "", line.cells, level, 0, False)
        )
    return lines
