"""The main screen: section list (or search pane) beside the reader, and a status bar.

Widgets report what happened with messages; this screen decides what it means and hands the
widgets what to show. Below NARROW_WIDTH columns the panes stack and one is shown at a time. What
the keys do to the open article, or to move to another one, is in `reading_actions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from bulletin_tui.model import Article, Hit, Issue
from bulletin_tui.typeset import term_spans
from bulletin_tui.ui.hit_list import HitList
from bulletin_tui.ui.keys import SCREEN_BINDINGS, live_bindings
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.reading_actions import ReadingActions
from bulletin_tui.ui.section_list import Entry, SectionList
from bulletin_tui.ui.status_line import OutOf, StatusBar, StatusLine

if TYPE_CHECKING:
    from bulletin_tui.library import Library
    from bulletin_tui.publications import Publication
    from bulletin_tui.state import State
    from bulletin_tui.typeset import LayoutOptions
    from bulletin_tui.ui.search_pane import SearchPane

NARROW_WIDTH = 70


@dataclass(frozen=True)
class Mode:
    """What the sidebar holds, and whether the reader has the keys: `list` (the section list),
    `searching` (the search pane), `reading` (the reader, beside either)."""

    sidebar: Literal["sections", "search"] = "sections"
    reading: bool = False

    @property
    def name(self) -> str:
        if self.reading:
            return "reading"
        return "searching" if self.sidebar == "search" else "list"


class MainScreen(ReadingActions):
    BINDINGS: ClassVar[list[BindingType]] = SCREEN_BINDINGS

    mode: reactive[Mode] = reactive(Mode, init=False)

    def __init__(self, library: Library, state: State, options: LayoutOptions) -> None:
        super().__init__(library, state, options)
        self.restored = False  # the last place was shown again (or there was none to show)
        # What the reader showed when the search opened: an emptied query shows it again.
        self._before_search: tuple[str | None, Issue | None] = (None, None)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            # The search pane and the progress bar are mounted when first needed: fewer widgets
            # to style and lay out before the first paint.
            with ContentSwitcher(id="sidebar", initial="sections"):
                yield SectionList(id="sections")
            yield Reader(self.options, id="reader")
        yield StatusBar(ascii_bar=self.options.ambiguous_width == 2, id="statusbar")

    # -- widgets -----------------------------------------------------------------------------------

    @property
    def search_pane(self) -> SearchPane:
        from bulletin_tui.ui.search_pane import SearchPane

        return self.query_one(SearchPane)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def searching(self) -> bool:
        return self.mode.sidebar == "search"

    def _in_sidebar(self, widget: Widget | None) -> bool:
        sidebar = self.query_one("#sidebar")
        return widget is not None and (widget is sidebar or sidebar in widget.ancestors)

    def watch_mode(self, old: Mode, new: Mode) -> None:
        self.set_class(new.reading, "-reading")
        self.set_class(new.sidebar == "search", "-searching")
        self.query_one(ContentSwitcher).current = new.sidebar
        self._update_hints()

    # -- start-up ----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load_library()
        self._update_hints()
        if not self.restored:
            self.set_focus(self.sections)

    def load_library(self) -> None:
        """Show what the library holds now; restore the last place the first time it is there."""
        issues = self.library.issues
        publications = self.publications()
        if len(publications) > 1:
            # Publication by publication, newest first in each: the order `[` `]` `U` walk in.
            issues = [issue for pub in publications for issue in pub.issues]
        self.issue_order = [issue.id for issue in issues]
        self.issues_by_id = {issue.id: issue for issue in issues}
        note = "No issues yet." if self.bulletin_app.indexing else "The library is empty."
        self.sections.show_note("" if issues else note)  # before the issues: it moves the lines
        self.sections.populate(issues, self.state.read, self.state.bookmarks, publications)
        current = self.reader.article
        if current is not None:
            fresh = self.library.article(current.id)
            if fresh is None:
                self.reader.show_note("This article is no longer in the library.")
            elif fresh != current:
                self.reader.show(
                    fresh, self.library.issue_of(fresh.id), offset=self.reader.top_offset()
                )
        if not self.restored:
            self._restore()
        if not issues and not self.restored:
            self.reader.show_note(note)
        elif self.reader.article is None and self.reader.issue is None and issues:
            self.reader.show_issue(issues[0])

    def publications(self) -> list[Publication]:
        """The library's publications when it has several (then they make the list's top level)."""
        return self.library.publications if self.library.several_publications else []

    def _restore(self) -> None:
        last = self.state.last_article_in(self.library_key)
        if last and self.library.article(last) is not None:
            self.restored = True
            self.open_article(last, focus=True, mark_read=False)
        elif self.issue_order and not self.bulletin_app.indexing:
            self.restored = True  # nothing to restore, and nothing more is coming

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self._update_hints()

    def show_progress(self, progress: OutOf | None) -> None:
        """Files indexed so far (done, in all); None once the refresh is over."""
        for bar in self.query(StatusBar):  # none while the screen is taken down
            bar.progress = progress

    def action_refresh(self) -> None:
        self.bulletin_app.refresh_library(asked=True)

    # -- opening articles --------------------------------------------------------------------------

    def open_article(
        self,
        article_id: str,
        *,
        focus: bool = True,
        mark_read: bool = True,
        spans: tuple[tuple[int, int], ...] = (),
        terms: tuple[str, ...] = (),
        keep_shown: bool = False,
    ) -> Article | None:
        article = self.library.article(article_id)
        if article is None:
            self.notify(f"No article {article_id}", severity="warning", markup=False)
            return None
        highlighting = bool(spans or terms)
        offset = 0 if highlighting else self.state.positions.get(article_id, 0)
        # `keep_shown` (Enter on the article the list previews): the reader stays as it is, where
        # keys read with the Enter may already have moved it.
        shown = self.reader.article_id == article_id and not self.reader.match_count
        if highlighting or not (keep_shown and shown):
            self.reader.show(
                article, self.library.issue_of(article_id), spans=spans, terms=terms, offset=offset
            )
        if highlighting:
            self.reader.go_to_match(0)
        else:
            self.status.match = None
        self.sections.select_article(article_id)
        self.state.remember_article(self.library_key, article_id)
        if mark_read and article_id not in self.state.read:
            self.state.read.add(article_id)
            self.sections.update_marks(self.state.read, self.state.bookmarks, article_id)
        self.bulletin_app.save_state_soon()
        if focus:
            self.action_focus_reader()
        self._update_place()
        # After the paint: jieba loads in a thread the first time, never before the first screen.
        self.call_after_refresh(self.bulletin_app.find_keywords, article_id)
        return article

    def _open_hit(
        self, hit: Hit, query: str, *, focus: bool = True, mark_read: bool = True
    ) -> None:
        article = self.library.article(hit.article_id)
        terms = tuple(query.split())
        # The engine's spans, and every literal occurrence of the typed words as well.
        spans = (*hit.text_spans, *term_spans(article.body_text if article else "", terms))
        self.open_article(
            hit.article_id, spans=spans, terms=terms, focus=focus, mark_read=mark_read
        )

    def _cursor_entry(self) -> Entry | None:
        node = self.sections.cursor_node
        return node.data if node is not None else None

    # -- what the widgets report -------------------------------------------------------------------

    @on(SectionList.ArticleHighlighted)
    def _article_highlighted(self, message: SectionList.ArticleHighlighted) -> None:
        entry = self._cursor_entry()
        if entry is None or entry.article_id != message.article_id:
            return  # the cursor has moved on since
        if message.article_id != self.reader.article_id:
            self.open_article(message.article_id, focus=False, mark_read=False)

    @on(SectionList.ArticleChosen)
    def _article_chosen(self, message: SectionList.ArticleChosen) -> None:
        self.open_article(message.article_id, keep_shown=True)

    @on(SectionList.IssueChosen)
    def _issue_chosen(self, message: SectionList.IssueChosen) -> None:
        """Enter on an issue opens its first unread article; a read issue folds or unfolds."""
        issue = self.issues_by_id.get(message.issue_id)
        if issue is None:
            return
        unread = next((a.id for a in issue.articles if a.id not in self.state.read), None)
        if unread is None:
            self.sections.toggle_issue(issue.id)
            return
        self.sections.select_article(unread)
        self.open_article(unread)

    @on(SectionList.IssueHighlighted)
    def _issue_highlighted(self, message: SectionList.IssueHighlighted) -> None:
        entry = self._cursor_entry()
        if entry is None or entry.kind == "article" or entry.issue_id != message.issue_id:
            return
        issue = self.issues_by_id.get(message.issue_id)
        if issue is not None and (
            self.reader.article is not None or self.reader.issue is not issue
        ):
            self.reader.show_issue(issue)
            self.status.match = None
            self._update_place()

    # By name, not @on: the search pane is imported when first opened, not at start-up.
    def on_search_pane_hit_chosen(self, message: SearchPane.HitChosen) -> None:
        self._open_hit(message.hit, message.query)

    def on_search_pane_finished(self, message: SearchPane.Finished) -> None:
        """A query that found nothing, or could not be searched, leaves no hit's article
        previewed beside it; an emptied query shows what was read before the search."""
        if not self.searching:
            return
        if not message.query.strip():
            self._show_before_search()
        elif not message.count:
            self.reader.show_note(message.refused or f"Nothing matches {message.query}.")
            self.status.match = None
            self._update_place()

    def _show_before_search(self) -> None:
        article_id, issue = self._before_search
        if article_id and self.library.article(article_id) is not None:
            if article_id != self.reader.article_id or self.status.match is not None:
                self.open_article(article_id, focus=False, mark_read=False)
        elif issue is not None and issue.id in self.issues_by_id:
            self.reader.show_issue(self.issues_by_id[issue.id])
            self.status.match = None
            self._update_place()

    @on(HitList.HitHighlighted)
    def _hit_highlighted(self, message: HitList.HitHighlighted) -> None:
        """The reader previews the hit under the highlight, its matches marked, while the
        focus stays in the results (neither marked read nor focused)."""
        if not self.searching:
            return
        query = self.search_pane.latest_query
        self._open_hit(message.hit, query, focus=False, mark_read=False)

    @on(Reader.Moved)
    def _reader_moved(self, message: Reader.Moved) -> None:
        if message.article_id:
            self.state.remember_position(message.article_id, message.offset)
            self.bulletin_app.save_state_soon()
        shown = self.reader.article is not None or self.reader.issue is not None
        self.status.percent = message.percent if shown else None  # a note has no "how far"
        self._update_place()

    @on(Reader.MatchMoved)
    def _match_moved(self, message: Reader.MatchMoved) -> None:
        self.status.match = (message.index, message.count) if message.count else None

    @on(Reader.AtEnd)
    def _reader_at_end(self, message: Reader.AtEnd) -> None:
        """Space past the end of an article goes on to the next unread one (as in slrn, mutt)."""
        if message.article_id == self.reader.article_id:
            self.action_next_unread()

    # -- status line -------------------------------------------------------------------------------

    def _update_place(self) -> None:
        """The article's place in its issue, on the right of the status line."""
        article, issue = self.reader.article, self.reader.issue
        if issue is None:
            self.status.place = None
            return
        ids = [a.id for a in issue.articles]
        number = ids.index(article.id) + 1 if article is not None and article.id in ids else 0
        self.status.place = (number, len(ids))

    def _update_hints(self) -> None:
        """The keys to say on the left of the status line: help, search, quit, and where the
        other pane is when only one shows."""
        status = self.status
        status.typing = isinstance(self.focused, Input)
        keys: dict[str, str] = {}
        for _key, binding in live_bindings(self, self.bulletin_app.keymap):
            keys.setdefault(binding.id or "", self.app.get_key_display(binding))
        hints = [("help", "help"), ("search", "search"), ("quit", "quit")]
        if self.has_class("-narrow"):  # one pane shows: say how to reach the other
            hints.insert(0, ("next_pane", "list" if self.mode.reading else "reader"))
            status.shown = "reader" if self.mode.reading else self.mode.sidebar
        else:
            status.shown = "both"
        status.hints = tuple((keys[name], label) for name, label in hints if name in keys)

    # -- panes -------------------------------------------------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.mode = replace(self.mode, reading=self.focused is self.reader)
        self._update_hints()

    # The focus moves at once (set_focus), never by widget.focus(), which waits its turn behind
    # the keys already read: a binding is looked up from the focus when its key reaches the app,
    # so with `l G` read in one go, G moved the list's cursor instead of the reader.

    def action_focus_reader(self) -> None:
        self.mode = replace(self.mode, reading=True)
        self.set_focus(self.reader)

    def action_focus_list(self) -> None:
        self.mode = replace(self.mode, reading=False)
        if self.searching:
            self.search_pane.focus_hits()
        else:
            self.set_focus(self.sections)

    def action_next_pane(self) -> None:
        if self._in_sidebar(self.focused):
            self.action_focus_reader()
        else:
            self.action_focus_list()

    def action_focus_hits(self) -> None:
        self.search_pane.focus_hits()

    async def action_search(self) -> None:
        # Imported and mounted on first use: one less widget to style before the first paint.
        from bulletin_tui.ui.search_pane import SearchPane

        if not self.query(SearchPane):
            switcher = self.query_one(ContentSwitcher)
            await switcher.mount(SearchPane(self.library, self.options, id="search"))
        if not self.searching:
            self._before_search = (self.reader.article_id, self.reader.issue)
        self.mode = Mode(sidebar="search")
        self.search_pane.focus_query()

    async def action_search_publication(self) -> None:
        """`P`: search keeping to one publication (`pub:"…"` in the query; the trend line follows),
        the one under the list's cursor or of the article read; on a query that keeps to one
        already, search them all again."""
        from bulletin_tui.publications import toggle_publication_filter
        from bulletin_tui.ui.search_pane import QueryBox

        name = self._publication_here()
        if name is None:
            self.notify("The library holds one publication: / searches it")
            return
        query = self.search_pane.latest_query if self.searching else ""
        await self.action_search()
        box = self.search_pane.query_one(QueryBox)
        box.value = toggle_publication_filter(query, name)
        box.cursor_position = len(box.value)
        self.search_pane.focus_query(select=False)

    def _publication_here(self) -> str | None:
        """The publication under the list's cursor, else of the article (or issue) read; None
        when the library holds one."""
        if not self.library.several_publications:
            return None
        publication_of = self.library.publication_of()
        node = self.sections.cursor_node
        entry = node.data if node is not None and self.focused is self.sections else None
        if entry is not None:
            return entry.publication or publication_of.get(entry.issue_id)
        issue = self.reader.issue
        if issue is not None and issue.id in publication_of:
            return publication_of[issue.id]
        return self.library.publications[0].name

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.reader:
            self.action_focus_list()
        elif self.searching and self._in_sidebar(focused):
            self.mode = Mode()
            if self.reader.article_id:
                self.sections.select_article(self.reader.article_id)
            elif last := self.state.last_article_in(self.library_key):  # nothing found: what
                self.open_article(last, focus=False, mark_read=False)  # was shown before
            self.set_focus(self.sections)

    def action_reader_page_down(self) -> None:
        self.reader.action_page_down()

    def action_reader_page_on(self) -> None:
        self.reader.action_page_on()

    def action_reader_page_up(self) -> None:
        self.reader.action_page_up()
