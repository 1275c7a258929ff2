"""The article reader: laid-out lines drawn through Textual's line API, centred on the measure.

Search matches are highlighted by offset (each line knows which slice of which block it shows), so
a match that wraps onto the next line is highlighted on both.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from bulletin_tui.model import Article, Issue, Link, block_at
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import (
    TABLE_HEADER,
    TABLE_RULE,
    LaidLine,
    LayoutOptions,
    PlainLine,
    issue_overview,
    iter_layout_article,
    layout_article,
    prefix_widths,
)
from bulletin_tui.ui.browser import supports_hyperlinks
from bulletin_tui.ui.keys import READER_BINDINGS
from bulletin_tui.ui.keyword_line import ROLE as KEYWORD_ROLE
from bulletin_tui.ui.keyword_line import keyword_text, with_keyword_line
from bulletin_tui.ui.paging import ScrollPaging

ROLES = (
    "title",
    "subtitle",
    "meta",
    "body",
    "heading",
    "table",
    "table-header",
    "rule",
    "list",
    "quote",
    "caption",
    "blank",
    "note",
    "keywords",
)
Mark = tuple[int, int, int]  # start column, end column, match number
PREFIX_SCREENS = 2  # laid out before the first paint of an article; the rest follows
LAYOUT_SLICE = 0.008  # seconds of typesetting between two looks at the keys
LARGE_ARTICLE_BLOCKS = 20_000  # from here the garbage collector rests during the layout
ARTICLE_FIELDS = tuple(field.name for field in fields(Article))


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-empty, non-overlapping spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of each term in `text`, ignoring case."""
    folded = text.casefold()
    spans: list[tuple[int, int]] = []
    for term in {t.casefold() for t in terms if t.strip()}:
        at = folded.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = folded.find(term, at + len(term))
    return spans


class Reader(ScrollPaging, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"reader--{role}" for role in ROLES),
        "reader--match",
        "reader--match-current",
        "reader--link",
    }

    @dataclass
    class Moved(Message):
        """Scrolled or another article shown: for the status line and the saved position. One
        not yet handled gives way to a newer one of the same article (the newer place is the
        one to keep); never to another article's, whose place would be lost."""

        article_id: str | None
        offset: int  # offset into Article.body_text of the first line shown
        percent: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Reader.Moved) and message.article_id == self.article_id

    @dataclass
    class AtEnd(Message):
        """Space at the end of the article: the reader would page on into the next unread."""

        article_id: str

    @dataclass
    class MatchMoved(Message):
        """The current search match changed (index counts from 0; -1: none)."""

        index: int
        count: int

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.article: Article | None = None
        self.issue: Issue | None = None
        self._lines: Sequence[LaidLine] = ()
        self._placeholder: list[PlainLine] = [PlainLine("", "blank")]
        self._laid_width = -1
        self._pad = 0
        self._spans: list[tuple[int, int]] = []
        self._terms: tuple[str, ...] = ()
        self._marks: dict[int, list[Mark]] = {}
        self._match_lines: list[int] = []
        self.match_index = -1
        self._pending_offset: int | None = None
        self._pending_match: int | None = None  # asked for before the lines were laid out
        self._to_end = False  # G before the whole article was laid out: the end once it is
        self._laid_article: Article | None = None  # the article `_lines` were laid out from
        self._layout_token = 0  # bumped by every layout, so a late whole layout is not misapplied
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self.hyperlinks = supports_hyperlinks()  # links drawn as OSC 8 hyperlinks too
        self.whole = True  # the whole article is laid out (not only its first screens)
        self._keywords: tuple[str, ...] | None = None  # None: no keyword line
        self._keywords_for: str | None = None  # the article whose keywords came

    # -- attributes down ---------------------------------------------------------------------------

    @property
    def article_id(self) -> str | None:
        return self.article.id if self.article else None

    @property
    def match_count(self) -> int:
        return len(self._match_lines)

    def show(
        self,
        article: Article,
        issue: Issue | None,
        *,
        spans: Iterable[tuple[int, int]] = (),
        terms: Iterable[str] = (),
        offset: int = 0,
    ) -> None:
        """Show `article` from `offset` (into its body text), highlighting `spans` and `terms`."""
        if article is not self.article:
            self._keywords = ()  # a blank line held for them until set_keywords()
        self.article, self.issue = article, issue
        self._spans = merge_spans(spans)
        self._terms = tuple(t for t in terms if t.strip())
        self.match_index = -1
        self._pending_match = None
        self._pending_offset = offset
        self._relayout()

    def show_issue(self, issue: Issue) -> None:
        """An issue's front page: its masthead and contents."""
        self._show_page(issue, [])  # laid out by _relayout, at the pane's width

    def show_note(self, text: str) -> None:
        """A line of explanation where an article would be (an empty library, a missing article)."""
        self._show_page(None, [PlainLine("", "blank"), PlainLine(sanitize_text(text), "note")])

    def _show_page(self, issue: Issue | None, lines: list[PlainLine]) -> None:
        """Lines of the reader's own in place of an article, from the top, with no matches."""
        self.article, self.issue = None, issue
        self._placeholder = lines
        self._spans, self._terms = [], ()
        self.match_index = -1
        self._pending_match = None
        self._pending_offset = 0
        self._relayout()

    def set_options(self, options: LayoutOptions) -> None:
        """A new measure or punctuation setting: lay out again, keeping the place."""
        self.options = options
        self._pending_offset = self.top_offset()
        if self.issue is not None and self.article is None:
            self.show_issue(self.issue)
        else:
            self._relayout()

    # -- layout ------------------------------------------------------------------------------------

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _relayout(self) -> None:
        width = self._text_width()
        self._layout_token += 1  # whatever was being laid out before is stale now
        if width <= 0:  # not laid out yet (or hidden): on_resize comes back here
            # Nothing is drawn until then: the lines of what was shown before must never be
            # drawn against the blocks of what is shown now.
            self._laid_width = -1
            self._laid_article = None
            self._lines = ()
            self._strips.clear()
            self._marks, self._match_lines = {}, []
            if self.match_index >= 0:  # the current match comes back with the lines
                self._pending_match, self.match_index = self.match_index, -1
            self.virtual_size = Size(0, 0)
            return
        if self.article is None:
            if self.issue is not None:
                self._placeholder = issue_overview(self.issue, width, self.options)
            self._lines = self._placeholder
        else:
            self._lines = self._with_keywords(self._lay_out_first_screens(self.article, width))
        self._laid_article = self.article
        self._laid_width = width
        self._pad = self.options.margin(width)
        self._strips.clear()
        self._compute_marks()
        self.virtual_size = Size(width, len(self._lines))
        offset = self._pending_offset
        self._pending_offset = None
        target = self.line_of_offset(offset) if offset else 0
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        self.refresh()
        self._post_moved()
        if self._pending_match is not None:
            self.go_to_match(self._pending_match)

    def _lay_out_first_screens(self, article: Article, width: int) -> Sequence[LaidLine]:
        """Lines enough to fill the screen (from the place to show) now; the rest in steps.

        Typesetting a long article takes longer than a frame; what is on screen first is laid
        out at once, and the whole article replaces it when ready (the first lines are the same).
        """
        blocks = article.blocks
        wanted = max(self._pending_offset or 0, self._spans[0][0] if self._spans else 0)
        # Characters that fill PREFIX_SCREENS screens at this width (two cells a character).
        room = PREFIX_SCREENS * max(1, self.scrollable_content_region.height)
        room *= max(1, self.options.text_width(width) // 2)
        # From the block holding the place to show (found by the cache's page table, not by
        # building every block before it) on until the screens are filled.
        count = block_at(blocks, wanted) + 1 if wanted else 0
        filled = 0
        while count < len(blocks) and filled < room:
            filled += len(blocks[count].text) + 2
            count += 1
        self._to_end = False
        if count >= len(blocks):
            self.whole = True
            return layout_article(article, width, self.options, self.issue)
        self.whole = False  # until the rest is laid out
        values = {name: getattr(article, name) for name in ARTICLE_FIELDS}
        first = Article(**{**values, "blocks": blocks[:count]})
        # Started once the first page is on screen, so the paint does not wait for it.
        self.call_after_refresh(
            self._lay_out_rest, self._layout_token, article, self.issue, width, self.options
        )
        return layout_article(first, width, self.options, self.issue)

    # An async worker on the app's own loop, not a thread: typesetting is Python through and
    # through, and a thread holding the interpreter made every key wait behind it (a million
    # paragraphs froze the screen for seconds). In slices of LAYOUT_SLICE seconds, keys and
    # paints go between.
    @work(
        exclusive=True,
        group="reader-layout",
        exit_on_error=False,
        description="lay out the article",
    )
    async def _lay_out_rest(
        self,
        token: int,
        article: Article,
        issue: Issue | None,
        width: int,
        options: LayoutOptions,
    ) -> None:
        lines: list[LaidLine] = []
        clock = time.perf_counter
        until = clock() + LAYOUT_SLICE
        # Millions of lines, none in a reference cycle: the cyclic collector walking them all
        # again and again paused the screen for up to a second. It rests while they are made,
        # and they are then frozen out of its sight (refcounting still frees them).
        large = len(article.blocks) >= LARGE_ARTICLE_BLOCKS and gc.isenabled()
        if large:
            gc.disable()
        try:
            for part in iter_layout_article(article, width, options, issue):
                lines.extend(part)
                if clock() >= until:
                    await asyncio.sleep(0)
                    if token != self._layout_token:  # another article, width or measure since
                        return
                    until = clock() + LAYOUT_SLICE
            self._take_whole_layout(token, lines)
        finally:
            if large:
                gc.freeze()
                gc.enable()

    def _take_whole_layout(self, token: int, lines: Sequence[LaidLine]) -> None:
        if token != self._layout_token:  # another article, width or measure since
            return
        count = self.match_count
        self.whole = True
        self._lines = self._with_keywords(lines)
        self._strips.clear()
        self._compute_marks()
        self.virtual_size = Size(self._laid_width, len(self._lines))
        if self._to_end:  # G was pressed before the end was laid out
            self._to_end = False
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
        self.refresh()
        self._post_moved()
        if self.match_count != count and self.match_index >= 0:
            self.post_message(self.MatchMoved(self.match_index, self.match_count))

    def action_scroll_end(self) -> None:
        super().action_scroll_end()
        self._to_end = not self.whole  # and again once the rest is laid out

    def action_scroll_home(self) -> None:
        self._to_end = False
        super().action_scroll_home()

    def set_keywords(self, article_id: str, words: Sequence[str]) -> None:
        """The keywords of the article shown (ignored if another article is shown by now)."""
        if article_id != self.article_id:
            return
        self._keywords_for = article_id
        if tuple(words) == self._keywords:
            return
        self._keywords = tuple(words)
        for number, line in enumerate(self._lines):
            if line.role == KEYWORD_ROLE:  # the line held for them: filled in place, no jump
                lines = list(self._lines)
                lines[number] = PlainLine(self._keyword_text(), KEYWORD_ROLE)
                self._lines = lines
                self._strips.clear()
                self.refresh()
                return
        self._relayout_keeping_place()

    @property
    def keywords_pending(self) -> bool:
        """An article is shown and its keywords have not come yet."""
        return self.article is not None and self._keywords_for != self.article.id

    def _keyword_text(self) -> str:
        return keyword_text(self._keywords or (), self.options.text_width(self._text_width()))

    def _with_keywords(self, lines: Sequence[LaidLine]) -> Sequence[LaidLine]:
        return lines if self._keywords is None else with_keyword_line(lines, self._keyword_text())

    def _relayout_keeping_place(self) -> None:
        if self._laid_width > 0 and self._pending_offset is None:
            self._pending_offset = self.top_offset()
        self._relayout()

    def _on_resize(self, event: Resize) -> None:
        if self._text_width() != self._laid_width:
            if self._pending_offset is None and self._laid_width > 0:
                self._pending_offset = self.top_offset()
            self._relayout()
            if self.match_index >= 0:
                self._scroll_to_match()

    def _body_offset(self, line: LaidLine) -> int | None:
        if line.block is None or self._laid_article is None:
            return None
        return line.offset + line.start

    def top_offset(self) -> int:
        """Offset into the body text of the first body line shown (0 at the very top)."""
        top = round(self.scroll_y)
        if top <= 0:
            return 0
        for line in islice(self._lines, top, None):  # a slice would copy a million lines
            offset = self._body_offset(line)
            if offset is not None:
                return offset
        return 0

    def line_of_offset(self, offset: int) -> int:
        """The line showing body offset `offset` (the last line starting at or before it)."""
        found = 0
        for number, line in enumerate(self._lines):
            at = self._body_offset(line)
            if at is None:
                continue
            if at > offset:
                break
            found = number
        return found

    # -- matches -----------------------------------------------------------------------------------

    def _columns(self, line: LaidLine, start: int, end: int) -> tuple[int, int] | None:
        """Character positions in `line.text` showing body offsets [start, end)."""
        columns = getattr(line, "columns", None)
        if columns is None:
            return None
        cells = columns(start, end, self.options.ambiguous_width)
        if cells is None:
            return None
        # The typesetter counts cells; Text.stylize counts characters.
        edges = prefix_widths(line.text, self.options.ambiguous_width)
        first = bisect.bisect_left(edges, cells[0])
        last = bisect.bisect_left(edges, cells[1])
        return (first, max(first + 1, last)) if first < len(line.text) else None

    def _compute_marks(self) -> None:
        found: list[tuple[int, int, int, int]] = []  # line, start, end, match key
        if self.article is not None and self._spans:
            body = [
                (at, number)
                for number, line in enumerate(self._lines)
                if (at := self._body_offset(line)) is not None
            ]
            starts = [at for at, _number in body]
            for key, (start, end) in enumerate(self._spans):
                first = max(0, bisect.bisect_right(starts, start) - 1)
                for at, number in body[first:]:
                    if at >= end:
                        break
                    line = self._lines[number]
                    assert line.block is not None
                    block_start = line.offset
                    lo, hi = max(start, at), min(end, block_start + line.end)
                    if lo >= hi:
                        continue
                    columns = self._columns(line, lo, hi)
                    if columns is not None:
                        found.append((number, *columns, key))
        if self._terms:
            for number, line in enumerate(self._lines):
                if line.block is None and line.role in ("title", "subtitle"):
                    for start, end in term_spans(line.text, self._terms):
                        found.append((number, start, end, len(self._spans) + len(found)))
        # Number the matches in reading order; a match spread over lines keeps one number.
        first_line: dict[int, tuple[int, int]] = {}
        for number, start, _end, key in found:
            first_line.setdefault(key, (number, start))
        order = sorted(first_line, key=lambda key: first_line[key])
        numbering = {key: index for index, key in enumerate(order)}
        self._match_lines = [first_line[key][0] for key in order]
        self._marks = {}
        for number, start, end, key in found:
            self._marks.setdefault(number, []).append((start, end, numbering[key]))

    def go_to_match(self, index: int) -> None:
        """Make match `index` (wrapping around) the current one and scroll it into view."""
        self._pending_match = None
        if self._laid_width < 0 and self.article is not None:  # hidden: once laid out
            self._pending_match = index
            return
        if not self._match_lines:
            self.match_index = -1
            self.post_message(self.MatchMoved(-1, 0))
            return
        self.match_index = index % len(self._match_lines)
        self._strips.clear()
        self._scroll_to_match()
        self.refresh()
        self.post_message(self.MatchMoved(self.match_index, len(self._match_lines)))

    def next_match(self, step: int = 1) -> None:
        self.go_to_match(self.match_index + step if self.match_index >= 0 else 0)

    def _scroll_to_match(self) -> None:
        if not 0 <= self.match_index < len(self._match_lines):
            return
        line = self._match_lines[self.match_index]
        visible = range(
            round(self.scroll_y), round(self.scroll_y) + self.scrollable_content_region.height
        )
        if line not in visible:
            target = max(0, line - self.scrollable_content_region.height // 3)
            self.scroll_to(y=target, animate=False, immediate=True, force=True)

    # -- drawing -----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            # Highlights are laid over the line's own style, so they carry only what they change.
            overlay = name in ("match", "match-current", "link")
            style = self.get_component_rich_style(f"reader--{name}", partial=overlay)
            self._styles[name] = style
        return style

    def _line_strip(self, number: int, base: Style) -> Strip:
        line = self._lines[number]
        role = line.role if line.role in ROLES else "body"
        if role == "table" and line.level in (TABLE_HEADER, TABLE_RULE):
            role = "table-header" if line.level == TABLE_HEADER else "rule"
        shown = " " * self._pad + sanitize_text(line.text)
        style = base + self._style(role)
        overlays: list[tuple[int, int, Style]] = []
        for start, end, link in self._line_links(line):
            overlays.append((start, end, self._link_style(link.url)))
        for start, end, match in self._marks.get(number, ()):
            current = match == self.match_index
            overlays.append((start, end, self._style("match-current" if current else "match")))
        if not overlays:  # most lines: one segment, no Text to build
            return Strip([Segment(shown, style)], cell_len(shown))
        text = Text(shown, style=style, end="")
        for start, end, overlay in overlays:
            text.stylize(overlay, self._pad + start, self._pad + end)
        return Strip(list(text.render(self.app.console)), text.cell_len)

    def action_page_on(self) -> None:
        """Space: a page down; at the end of an article, on to the next unread one."""
        if self.article is not None and self.whole and self.scroll_y >= self.max_scroll_y:
            self.post_message(self.AtEnd(self.article.id))
        else:
            self.action_page_down()

    def _line_links(self, line: LaidLine) -> list[tuple[int, int, Link]]:
        """Where the links of the line's block show on this line (by their text)."""
        laid = self._laid_article  # the lines' own article, never one shown since
        if laid is None or line.block is None or line.block >= len(laid.blocks):
            return []
        return [
            (start, end, link)
            for link in laid.blocks[line.block].links
            for start, end in term_spans(line.text, [link.text])
        ]

    def _link_style(self, url: str) -> Style:
        # An OSC 8 hyperlink too, where the terminal draws them: clicked or copied as the URL.
        style = self._style("link")
        return style + Style(link=url) if self.hyperlinks and url else style

    def visible_links(self) -> list[Link]:
        """The links on the lines on screen, top to bottom."""
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        return [
            link for line in self._lines[top : top + height] for *_, link in self._line_links(line)
        ]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if number >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(number)
        if strip is None:
            strip = self._strips[number] = self._line_strip(number, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, number)

    # -- messages up -------------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._post_moved()

    def _post_moved(self) -> None:
        most = self.max_scroll_y
        percent = 100 if most <= 0 else round(100 * self.scroll_y / most)
        self.post_message(self.Moved(self.article_id, self.top_offset(), percent))

    def all_lines(self) -> list[str]:
        return [line.text for line in self._lines]

    def marked_text(self) -> list[str]:
        """The text of each match in reading order, pieces on several lines joined (for tests)."""
        pieces: dict[int, str] = {}
        for number in sorted(self._marks):
            text = self._lines[number].text
            for start, end, match in sorted(self._marks[number]):
                pieces[match] = pieces.get(match, "") + text[start:end]
        return [pieces[match] for match in sorted(pieces)]
