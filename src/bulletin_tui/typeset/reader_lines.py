"""What the reader needs of a line (an article's `ArticleLine` has it all), and the lines of its
own: an issue's front page, a note.

Every body line says which block it shows and the offsets into that block's text, so search
matches are highlighted by offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from bulletin_tui.model import Article, Issue, block_at, content_title
from bulletin_tui.parse import sanitize_text
from bulletin_tui.title_dates import without_day
from bulletin_tui.typeset.article import ArticleLine, iter_layout_article
from bulletin_tui.typeset.options import LayoutOptions
from bulletin_tui.typeset.paragraph import layout_paragraph
from bulletin_tui.wording import counted


class LaidLine(Protocol):
    """What the reader needs of a line."""

    @property
    def text(self) -> str: ...
    @property
    def role(self) -> str: ...  # title subtitle meta body heading table list quote caption blank
    @property
    def block(self) -> int | None: ...  # index into Article.blocks; None outside the body
    @property
    def start(self) -> int: ...  # offsets into that block's text
    @property
    def end(self) -> int: ...
    @property
    def level(self) -> int: ...  # headings, lists; table header / rule lines
    @property
    def offset(self) -> int: ...  # where the block's text starts in Article.body_text


@dataclass(frozen=True, slots=True)
class PlainLine:
    """A line of the reader's own (an issue's contents, a note), not from an article."""

    text: str
    role: str
    block: int | None = None
    start: int = 0
    end: int = 0
    level: int = 0
    offset: int = 0


WINDOW_FROM = 4  # a place this many windows' worth of text deep opens a window there


def lay_out_window(
    article: Article,
    width: int,
    options: LayoutOptions,
    issue: Issue | None,
    wanted: int,
    room: int,
) -> tuple[list[ArticleLine], int, bool]:
    """The lines around body offset `wanted`, about `room` characters of text after it; the first
    block laid out, and whether the lines are the whole article.

    From the title on while the place is near the top; deeper in a long article, the title and
    then the blocks from `room` characters before the place (found by the cache's page table, not
    by laying out or even building every block before it).
    """
    first = block_at(article.blocks, wanted - room) if wanted > WINDOW_FROM * room else 0
    lines: list[ArticleLine] = []
    for part in iter_layout_article(article, width, options, issue, first=first):
        lines.extend(part)
        if part[-1].block is not None and part[-1].offset > wanted + room:
            return lines, first, False
    return lines, first, first == 0


def issue_label_text(issue: Issue, publication: str = "") -> str:
    """Date and title, without saying the date twice (nor, under its publication, the
    publication's name: a dated issue of 南哪消息 is its date there)."""
    day = issue.date.isoformat() if issue.date else ""
    title = without_day(issue.title, issue.date) if issue.date else issue.title
    if day and publication:
        title = " ".join(title.replace(publication, " ").split())
    return sanitize_text(" ".join(part for part in (day, title) if part) or issue.id)


def _wrapped(
    text: str, width: int, options: LayoutOptions, role: str, lead: str = ""
) -> list[PlainLine]:
    lines = layout_paragraph(sanitize_text(text), width - len(lead), options)
    return [
        PlainLine((lead if number == 0 else " " * len(lead)) + line.text, role)
        for number, line in enumerate(lines)
    ]


OVERVIEW_ARTICLES = 300  # titles listed on an issue's front page


def issue_overview(issue: Issue, width: int, options: LayoutOptions) -> list[PlainLine]:
    """An issue's front page: its title and date, masthead lines, then its contents."""
    width = options.text_width(width)
    lines = _wrapped(issue_label_text(issue), width, options, "title")
    if issue.date is None and issue.title == content_title(issue.front_matter, issue.sections):
        # A title taken from the issue's own words: the file name still tells issues apart.
        lines += _wrapped(PurePath(issue.path).name, width, options, "meta")
    for front in issue.front_matter:
        lines += _wrapped(front, width, options, "meta")
    lines.append(PlainLine("", "blank"))
    listed = 0
    for section in issue.sections:
        if listed >= OVERVIEW_ARTICLES:
            break
        if section.title:
            lines += _wrapped(section.title, width, options, "heading")
        for article in section.articles[: OVERVIEW_ARTICLES - listed]:
            lines += _wrapped(article.title, width, options, "list", "• ")
        listed += len(section.articles)
        lines.append(PlainLine("", "blank"))
    count = len(issue.articles)
    if count > OVERVIEW_ARTICLES:  # an issue of thousands: the section list has them all
        more = count - OVERVIEW_ARTICLES
        lines += _wrapped(f"… and {more:,} more in the section list", width, options, "note")
    lines.append(PlainLine(f"{counted(count, 'article')} · Enter opens", "note"))
    return lines
