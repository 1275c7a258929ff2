"""The reader's lines: what it shows (an article, an issue's front page, a note) laid out for the
pane's width, the place in the body text kept across layouts, and the keyword line.

A long article is laid out a screenful first, then by an async worker on the app's loop in slices
of LAYOUT_SLICE seconds: a thread would hold the interpreter and keys would wait behind it. A
place deep in it, and g or G before the whole is laid out, show a window of lines there at once.
The reader (`reader.py`) builds on this: it marks the matches, draws the lines and reports moves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence

from textual.events import Resize
from textual.geometry import Size
from textual.worker import Worker

from bulletin_tui.model import Article, Issue
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import (
    LaidLine,
    LayoutOptions,
    LineTable,
    PlainLine,
    body_offset,
    issue_overview,
    iter_layout_article,
    lay_out_window,
    line_of_offset,
    merge_spans,
)
from bulletin_tui.ui.keyword_line import WithKeywordLine, keyword_text, with_keyword_line
from bulletin_tui.ui.paging import ScrollPaging

PREFIX_SCREENS = 2  # laid out before the first paint of an article; the rest follows
LAYOUT_SLICE = 0.008  # seconds of typesetting between two looks at the keys


class ArticleLayout(ScrollPaging):
    """Lines for what is shown; the reader hooks in where they change (`_lines_changed`,
    `_lines_dropped`, `_placed`, `_resized`, `_cleared`)."""

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.article: Article | None = None
        self.issue: Issue | None = None
        self._lines: Sequence[LaidLine] = ()
        self._placeholder: list[PlainLine] = [PlainLine("", "blank")]
        self._laid_width = -1
        self._pad = 0
        self._spans: list[tuple[int, int]] = []  # body text to mark, merged
        self._terms: tuple[str, ...] = ()  # typed words, marked in the title too
        self._pending_offset: int | None = None
        self._to_end = False  # G before the whole article was laid out: the end once it is
        self._windowed = False  # the lines start deep in the article, not at its top
        self._laid_article: Article | None = None  # the article `_lines` were laid out from
        self._layout_token = 0  # bumped by every layout, so a late whole layout is not misapplied
        self.whole = True  # the whole article is laid out (not only its first screens)
        self._keywords: tuple[str, ...] | None = None  # None: no keyword line
        self._keywords_for: str | None = None  # the article whose keywords came

    # -- where the reader hooks in -----------------------------------------------------------------

    def _cleared(self) -> None:
        """Something else is about to be shown."""

    def _lines_changed(self) -> None:
        """`_lines` were replaced (laid out again, the rest of the article came, keywords)."""

    def _lines_dropped(self) -> None:
        """No lines: the pane has no width yet (or is hidden)."""

    def _placed(self) -> None:
        """Laid out and scrolled to the place to show."""

    def _resized(self) -> None:
        """Laid out again for a new width."""

    # -- attributes down ---------------------------------------------------------------------------

    @property
    def article_id(self) -> str | None:
        return self.article.id if self.article else None

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
        self._cleared()
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
        self._cleared()
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
            self._lines_dropped()
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
        self._lines_changed()
        self.virtual_size = Size(width, len(self._lines))
        offset = self._pending_offset
        self._pending_offset = None
        target = self.line_of_offset(offset) if offset else 0
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        self.refresh()
        self._placed()

    def _lay_out_first_screens(self, article: Article, width: int) -> Sequence[LaidLine]:
        """Lines enough to fill the screen (at the place to show) now; the rest in steps.

        Typesetting a long article takes longer than a frame: what is on screen first is laid
        out at once, and the whole article replaces it when ready, at the same place.
        """
        wanted = max(self._pending_offset or 0, self._spans[0][0] if self._spans else 0)
        lines, complete = self._window(article, width, wanted)
        self._to_end = False
        self.whole = complete
        if not complete:
            # Started once the first page is on screen, so the paint does not wait for it.
            self.call_after_refresh(
                self._start_rest, self._layout_token, article, self.issue, width, self.options
            )
        return lines

    def _window(self, article: Article, width: int, wanted: int) -> tuple[list[LaidLine], bool]:
        """The lines around body offset `wanted` (typeset.lay_out_window), and whether they are
        the whole article."""
        # Characters that fill PREFIX_SCREENS screens at this width (two cells a character).
        room = PREFIX_SCREENS * max(1, self.scrollable_content_region.height)
        room *= max(1, self.options.text_width(width) // 2)
        lines, first, complete = lay_out_window(
            article, width, self.options, self.issue, wanted, room
        )
        self._windowed = first > 0
        return list(lines), complete

    # An async worker on the app's own loop, not a thread: typesetting is Python through and
    # through, and a thread holding the interpreter made every key wait behind it (a million
    # paragraphs froze the screen for seconds). In slices of LAYOUT_SLICE seconds, keys and
    # paints go between. The lines go into a LineTable: as objects, two million paragraphs'
    # lines took 800 MB and the cyclic collector walking them paused the screen.
    def _start_rest(
        self, token: int, article: Article, issue: Issue | None, width: int, options: LayoutOptions
    ) -> Worker[None]:
        # A worker of the app, so that a failure is said where every worker's is (app.py). Given
        # the function, not a coroutine: one cancelled before it starts (exclusive) is never made.
        async def lay_out() -> None:
            await self._lay_out_rest(token, article, issue, width, options)

        return self.app.run_worker(
            lay_out,
            group="reader-layout",
            exclusive=True,
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
        lines = LineTable()
        clock = time.perf_counter
        until = clock() + LAYOUT_SLICE
        for part in iter_layout_article(article, width, options, issue):
            lines.extend(part)
            if clock() >= until:
                await asyncio.sleep(0)
                if token != self._layout_token:  # another article, width or measure since
                    return
                until = clock() + LAYOUT_SLICE
        self._take_whole_layout(token, lines)

    def _take_whole_layout(self, token: int, lines: Sequence[LaidLine]) -> bool:
        """The whole article's lines replace its first screens; False if they came too late."""
        if token != self._layout_token:  # another article, width or measure since
            return False
        # Lines from a window deep in the article: the whole has other line numbers.
        place = self.top_offset() if self._windowed else None
        self.whole = True
        self._windowed = False
        self._lines = self._with_keywords(lines)
        self._lines_changed()
        self.virtual_size = Size(self._laid_width, len(self._lines))
        if self._to_end:  # G was pressed before the end was laid out
            self._to_end = False
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
        elif place:
            self.scroll_to(y=self.line_of_offset(place), animate=False, immediate=True, force=True)
        self.refresh()
        return True

    def _show_window(self, wanted: int, *, end: bool) -> None:
        """Before the whole article is laid out, the lines around `wanted` (g, G) at once, shown
        from their top or their end; the whole layout goes on and replaces them."""
        if self.article is None or self._laid_width <= 0:
            return
        lines, _complete = self._window(self.article, self._laid_width, wanted)
        self._lines = self._with_keywords(lines)
        self._lines_changed()
        self.virtual_size = Size(self._laid_width, len(self._lines))
        # Not animated: a scroll from the old lines' place through the new ones means nothing.
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True, force=True)
        self.refresh()

    def action_scroll_end(self) -> None:
        if not self.whole and self.article is not None:
            self._show_window(len(self.article.body_text), end=True)
            self._to_end = True  # and again once the rest is laid out
            return
        super().action_scroll_end()
        self._to_end = False

    def action_scroll_home(self) -> None:
        self._to_end = False
        if not self.whole and self._windowed:
            self._show_window(0, end=False)
            return
        super().action_scroll_home()

    def set_keywords(self, article_id: str, words: Sequence[str]) -> None:
        """The keywords of the article shown (ignored if another article is shown by now)."""
        if article_id != self.article_id:
            return
        self._keywords_for = article_id
        if tuple(words) == self._keywords:
            return
        self._keywords = tuple(words)
        if isinstance(self._lines, WithKeywordLine):  # the line held for them: filled, no jump
            self._lines = self._lines.with_text(self._keyword_text())
            self._lines_changed()
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
            self._resized()

    def _body_offset(self, line: LaidLine) -> int | None:
        return None if self._laid_article is None else body_offset(line)

    def top_offset(self) -> int:
        """Offset into the body text of the first body line shown (0 at the very top)."""
        top = round(self.scroll_y)
        if top <= 0:
            return 0
        lines = self._lines
        # By index: a slice would copy a million lines, and iterating (islice) would make
        # every line above the top of a LineTable.
        for number in range(top, len(lines)):
            offset = self._body_offset(lines[number])
            if offset is not None:
                return offset
        return 0

    def line_of_offset(self, offset: int) -> int:
        """The line showing body offset `offset` (the last line starting at or before it)."""
        return line_of_offset(self._lines, offset) if self._laid_article is not None else 0
