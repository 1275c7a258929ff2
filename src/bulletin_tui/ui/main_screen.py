"""The main screen: section list (or search pane) beside the reader, and a status line.

Widgets report what happened with messages; this screen decides what it means and hands the
widgets what to show. Below NARROW_WIDTH columns the panes stack and one is shown at a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, ProgressBar
from textual.worker import get_current_worker

from bulletin_tui.model import Article, Hit, Issue, Link
from bulletin_tui.parse import sanitize_text
from bulletin_tui.reading_order import reading_order_until, walk
from bulletin_tui.typeset import LayoutOptions
from bulletin_tui.ui.hit_list import HitHighlighted
from bulletin_tui.ui.keys import SCREEN_BINDINGS, live_bindings
from bulletin_tui.ui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    HitChosen,
    IndexFinished,
    IndexProgress,
    IssueChosen,
    IssueHighlighted,
    MatchMoved,
    ReaderAtEnd,
    ReaderMoved,
)
from bulletin_tui.ui.reader import Reader, term_spans
from bulletin_tui.ui.section_list import Entry, SectionList
from bulletin_tui.ui.status_line import StatusLine
from bulletin_tui.ui.watch import LibraryChanged, WatchReady, WatchTrouble

if TYPE_CHECKING:
    from bulletin_tui.library import Library
    from bulletin_tui.publications import Publication
    from bulletin_tui.state import State
    from bulletin_tui.ui.app import BulletinApp
    from bulletin_tui.ui.search_pane import SearchPane
    from bulletin_tui.watch import LibraryWatcher

NARROW_WIDTH = 70
PROGRESS_INTERVAL = 0.05  # seconds between progress messages from the indexing thread


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = SCREEN_BINDINGS

    def __init__(self, library: Library, state: State, options: LayoutOptions) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.options = options
        self.issue_order: list[str] = []  # issue ids, newest first
        self.issues_by_id: dict[str, Issue] = {}
        self.restored = False
        self.match_status = ""
        self.position_status = ""
        # Refreshing: one at a time; the issues before it, to say what it brought.
        self._refreshing = False
        self._refresh_again = False
        self._refresh_asked = False
        self._issues_before: set[str] | None = None
        self._watcher: LibraryWatcher | None = None

    @property
    def bulletin_app(self) -> BulletinApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            # The search pane and the progress bar are mounted when first needed: fewer widgets
            # to style and lay out before the first paint.
            with ContentSwitcher(id="sidebar", initial="sections"):
                yield SectionList(id="sections")
            yield Reader(self.options, id="reader")
        with Horizontal(id="statusbar"):
            yield StatusLine(id="status")

    # -- widgets -----------------------------------------------------------------------------------

    @property
    def sections(self) -> SectionList:
        return self.query_one(SectionList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def search_pane(self) -> SearchPane:
        from bulletin_tui.ui.search_pane import SearchPane

        return self.query_one(SearchPane)

    @property
    def searching(self) -> bool:
        return self.query_one(ContentSwitcher).current == "search"

    def _in_sidebar(self, widget: Widget | None) -> bool:
        sidebar = self.query_one("#sidebar")
        return widget is not None and (widget is sidebar or sidebar in widget.ancestors)

    # -- start-up ----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.load_library()
        self._update_left_status()
        if not self.restored:
            self.sections.focus()

    def load_library(self) -> None:
        """Show what the library holds now; restore the last place the first time it is there."""
        issues = self.library.issues
        publications = self.publications()
        if len(publications) > 1:
            # Publication by publication, newest first in each: the order `[` `]` `U` walk in.
            issues = [issue for pub in publications for issue in pub.issues]
        self.issue_order = [issue.id for issue in issues]
        self.issues_by_id = {issue.id: issue for issue in issues}
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
            self.reader.show_note(
                "No issues yet." if self.bulletin_app.indexing else "The library is empty."
            )
        elif self.reader.article is None and self.reader.issue is None and issues:
            self.reader.show_issue(issues[0])

    def publications(self) -> list[Publication]:
        """The library's publications when it has several (then they make the list's top level)."""
        return self.library.publications if self.library.several_publications else []

    def _restore(self) -> None:
        last = self.state.last_article
        if last and self.library.article(last) is not None:
            self.restored = True
            self.open_article(last, focus=True, mark_read=False)
        elif self.issue_order and not self.bulletin_app.indexing:
            self.restored = True  # nothing to restore, and nothing more is coming

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self._update_left_status()

    # -- indexing ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_library(self) -> None:
        """Bring the library up to date with the files (in a thread: the UI stays live)."""
        last_post = 0.0

        def progress(done: int, total: int, path: str) -> None:
            nonlocal last_post
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done >= total:
                last_post = now
                self.post_message(IndexProgress(done, total, path))

        try:
            stats = self.library.refresh(progress=progress)
        except Exception as error:  # reported in the UI; the cached library stays usable
            self.post_message(IndexFinished(error=f"{type(error).__name__}: {error}"))
        else:
            self.post_message(IndexFinished(parsed=stats.parsed + stats.reused))

    def refresh_library(self, *, asked: bool = False) -> None:
        """Index new and changed files now (`r`, or the watcher saw them); one refresh at a
        time: asked for during one, another follows it."""
        self._refresh_asked = self._refresh_asked or asked
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._issues_before = set(self.issue_order)
        self.bulletin_app.indexing = True
        self._update_left_status()
        self.index_library()

    def start_watching(self) -> None:
        from bulletin_tui.ui.watch import start_watcher

        self._watcher = start_watcher(self.app, self, self.library)

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    def on_library_changed(self, message: LibraryChanged) -> None:
        self.refresh_library()

    def on_watch_ready(self, message: WatchReady) -> None:
        # Files added between the start-up refresh's look and the watches being set: once more.
        self.refresh_library()

    def on_watch_trouble(self, message: WatchTrouble) -> None:
        self.notify(message.message, severity="warning", markup=False)

    def action_refresh(self) -> None:
        self.refresh_library(asked=True)

    async def on_index_progress(self, message: IndexProgress) -> None:
        statusbar = self.query("#statusbar").first() if self.query("#statusbar") else None
        if statusbar is None or not statusbar.is_attached:
            return  # quitting while indexing: the screen is being taken down
        self.add_class("-indexing")
        bar = self.query(ProgressBar).first() if self.query(ProgressBar) else None
        if bar is None:
            bar = ProgressBar(id="progress", show_eta=False)
            if self.options.ambiguous_width == 2:
                from bulletin_tui.ui.furniture import AsciiBarRenderable

                bar.BAR_RENDERABLE = AsciiBarRenderable
            await statusbar.mount(bar, before="#status")
        bar.update(total=max(1, message.total), progress=message.done)
        self._update_left_status()

    def on_index_finished(self, message: IndexFinished) -> None:
        self.bulletin_app.indexing = False
        self.remove_class("-indexing")
        if message.error:
            self.notify(f"Indexing failed: {message.error}", severity="error", markup=False)
        before = self._issues_before
        self.load_library()
        self._update_left_status()
        self.bulletin_app.report_library()
        if not message.error and before is not None and (before or self._refresh_asked):
            from bulletin_tui.ui.watch import refresh_summary

            said = refresh_summary(
                before, self.issue_order, message.parsed, asked=self._refresh_asked
            )
            if said:
                self.notify(said)
        self._refreshing, self._refresh_asked = False, False
        self._issues_before = set(self.issue_order)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_library()

    # -- opening articles --------------------------------------------------------------------------

    def open_article(
        self,
        article_id: str,
        *,
        focus: bool = True,
        mark_read: bool = True,
        spans: tuple[tuple[int, int], ...] = (),
        terms: tuple[str, ...] = (),
    ) -> Article | None:
        article = self.library.article(article_id)
        if article is None:
            self.notify(f"No article {article_id}", severity="warning", markup=False)
            return None
        highlighting = bool(spans or terms)
        offset = 0 if highlighting else self.state.positions.get(article_id, 0)
        self.reader.show(
            article, self.library.issue_of(article_id), spans=spans, terms=terms, offset=offset
        )
        if highlighting:
            self.reader.go_to_match(0)
        else:
            self.match_status = ""
        self.sections.select_article(article_id)
        self.state.last_article = article_id
        if mark_read and article_id not in self.state.read:
            self.state.read.add(article_id)
            self.sections.update_marks(self.state.read, self.state.bookmarks, article_id)
        self.bulletin_app.save_state_soon()
        if focus:
            self.action_focus_reader()
        self._update_right_status()
        # After the paint: jieba loads in a thread the first time, never before the first screen.
        self.call_after_refresh(self.find_keywords, article_id)
        return article

    @work(thread=True, exclusive=True, group="keywords", exit_on_error=False)
    def find_keywords(self, article_id: str) -> None:
        """The keyword line under the title (bulletin_tui.insights), worked out in a thread."""
        keywords = self.library.insights.keywords(article_id) or []
        words = [keyword.word for keyword in keywords]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.reader.set_keywords, article_id, words)

    def action_related(self) -> None:
        from bulletin_tui.ui.related import RelatedScreen

        article = self._article_or_warn()
        if article is None:
            return

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.sections.select_article(article_id)
                self.open_article(article_id)

        self.app.push_screen(RelatedScreen(self.library, article.id, article.title), chosen)

    def _cursor_entry(self) -> Entry | None:
        node = self.sections.cursor_node
        return node.data if node is not None else None

    def on_article_highlighted(self, message: ArticleHighlighted) -> None:
        entry = self._cursor_entry()
        if entry is None or entry.article_id != message.article_id:
            return  # the cursor has moved on since
        if message.article_id != self.reader.article_id:
            self.open_article(message.article_id, focus=False, mark_read=False)

    def on_article_chosen(self, message: ArticleChosen) -> None:
        self.open_article(message.article_id)

    def on_issue_chosen(self, message: IssueChosen) -> None:
        """Enter on an issue opens its first unread article; a read issue folds or unfolds."""
        issue = self._issue_by_id(message.issue_id)
        if issue is None:
            return
        unread = next((a.id for a in issue.articles if a.id not in self.state.read), None)
        if unread is None:
            self.sections.toggle_issue(issue.id)
            return
        self.sections.select_article(unread)
        self.open_article(unread)

    def on_issue_highlighted(self, message: IssueHighlighted) -> None:
        entry = self._cursor_entry()
        if entry is None or entry.kind == "article" or entry.issue_id != message.issue_id:
            return
        issue = self._issue_by_id(message.issue_id)
        if issue is not None and (
            self.reader.article is not None or self.reader.issue is not issue
        ):
            self.reader.show_issue(issue)
            self.match_status = ""
            self._update_right_status()

    def on_hit_chosen(self, message: HitChosen) -> None:
        self._open_hit(message.hit, message.query)

    def on_hit_highlighted(self, message: HitHighlighted) -> None:
        """The reader previews the hit under the highlight, its matches marked, while the
        focus stays in the results (neither marked read nor focused)."""
        if not self.searching:
            return
        query = self.search_pane.latest_query
        self._open_hit(message.hit, query, focus=False, mark_read=False)

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

    def on_reader_moved(self, message: ReaderMoved) -> None:
        if message.article_id:
            self.state.remember_position(message.article_id, message.offset)
            self.bulletin_app.save_state_soon()
        self._update_right_status(message.percent)

    def on_match_moved(self, message: MatchMoved) -> None:
        self.match_status = f"match {message.index + 1}/{message.count}" if message.count else ""
        self._update_right_status()

    # -- status line -------------------------------------------------------------------------------

    def _update_right_status(self, percent: int | None = None) -> None:
        if percent is not None:
            self.position_status = f"{percent}%"
        parts = [self.match_status, self.position_status]
        article = self.reader.article
        issue = self.reader.issue
        if issue is not None:
            ids = [a.id for a in issue.articles]
            if article is not None and article.id in ids:
                parts.append(f"{ids.index(article.id) + 1} / {len(ids)} articles")
            else:
                parts.append(f"{len(ids)} articles")
        self.query_one(StatusLine).right = "  ".join(p for p in parts if p)

    def _update_left_status(self) -> None:
        if self.bulletin_app.indexing:
            bars = self.query(ProgressBar)
            done = int(bars.first().progress) if bars else 0
            total = int(bars.first().total or 0) if bars else 0
            text = f"Indexing {done}/{total}" if total else "Indexing…"
        elif isinstance(self.focused, Input):  # keys go to the query: say what leaves it
            text = "Enter open  ↓ results  Esc back"
        else:
            keys: dict[str, str] = {}
            for _key, binding in live_bindings(self, self.bulletin_app.keymap):
                keys.setdefault(binding.id or "", self.app.get_key_display(binding))
            hints = [("help", "help"), ("search", "search"), ("quit", "quit")]
            if self.has_class("-narrow"):  # one pane shows: say how to reach the other
                other = "list" if self.has_class("-reading") else "reader"
                hints.insert(0, ("next_pane", other))
            text = "  ".join(f"{keys[name]} {label}" for name, label in hints if name in keys)
        self.query_one(StatusLine).left = text

    # -- panes -------------------------------------------------------------------------------------

    def on_descendant_focus(self, event: object) -> None:
        focused = self.focused
        self.set_class(focused is self.reader, "-reading")
        self._update_left_status()

    def action_focus_reader(self) -> None:
        self.add_class("-reading")
        self.reader.focus()

    def action_focus_list(self) -> None:
        self.remove_class("-reading")
        if self.searching:
            self.search_pane.focus_hits()
        else:
            self.sections.focus()

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

        switcher = self.query_one(ContentSwitcher)
        if not self.query(SearchPane):
            await switcher.mount(SearchPane(self.library, self.options, id="search"))
        switcher.current = "search"
        self.add_class("-searching")
        self.remove_class("-reading")
        self.search_pane.focus_query()

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.reader:
            self.action_focus_list()
        elif self.searching and self._in_sidebar(focused):
            self.query_one(ContentSwitcher).current = "sections"
            self.remove_class("-searching")
            if self.reader.article_id:
                self.sections.select_article(self.reader.article_id)
            self.sections.focus()

    def action_reader_page_down(self) -> None:
        self.reader.action_page_down()

    def action_reader_page_on(self) -> None:
        self.reader.action_page_on()

    def on_reader_at_end(self, message: ReaderAtEnd) -> None:
        """Space past the end of an article goes on to the next unread one (as in slrn, mutt)."""
        if message.article_id == self.reader.article_id:
            self.action_next_unread()

    def action_reader_page_up(self) -> None:
        self.reader.action_page_up()

    # -- moving between articles -------------------------------------------------------------------

    def _issue_by_id(self, issue_id: str) -> Issue | None:
        return self.issues_by_id.get(issue_id)

    def _walk(self, step: int) -> Iterator[str]:
        issue = self.reader.issue
        return walk(
            self.issues_by_id,
            self.issue_order,
            issue.id if issue else None,
            self.reader.article_id,
            step,
        )

    def _step_article(self, step: int) -> None:
        target = next(self._walk(step), None)
        if target is None:
            self.notify("No more articles" if step > 0 else "This is the first article")
        else:
            self.open_article(target, focus=False)

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def _step_issue(self, step: int) -> None:
        issue = self.reader.issue
        index = self.issue_order.index(issue.id) if issue and issue.id in self.issue_order else -1
        target = index + step if index >= 0 else 0
        if not 0 <= target < len(self.issue_order):
            self.notify("No more issues" if step > 0 else "This is the newest issue")
            return
        issue_id = self.issue_order[target]
        found = self._issue_by_id(issue_id)
        if found is not None and found.articles:
            self.open_article(found.articles[0].id, focus=False)
        else:
            self.sections.select_issue(issue_id)

    def action_next_issue(self) -> None:
        self._step_issue(1)

    def action_previous_issue(self) -> None:
        self._step_issue(-1)

    def action_next_unread(self) -> None:
        current = self.reader.article_id
        candidates = self._walk(1)
        if current is not None:  # then from the top, round to where we are
            candidates = chain(
                candidates, reading_order_until(self.issues_by_id, self.issue_order, current)
            )
        for candidate in candidates:
            if candidate not in self.state.read:
                self.open_article(candidate, focus=False)
                return
        self.notify("Everything is read")

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def _step_match(self, step: int) -> None:
        if not self.reader.match_count:
            self.notify("No matches in this article (search with /)")
            return
        self.reader.next_match(step)

    # -- marks -------------------------------------------------------------------------------------

    def _article_or_warn(self) -> Article | None:
        if self.reader.article is None:
            self.notify("Open an article first", severity="warning")
        return self.reader.article

    def action_bookmark(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        marked = self.state.toggle_bookmark(article.id)
        self.sections.update_marks(self.state.read, self.state.bookmarks, article.id)
        self.bulletin_app.save_state_soon()
        self.notify("Bookmarked" if marked else "Bookmark removed")

    def action_bookmarks(self) -> None:
        from bulletin_tui.ui.bookmarks import BookmarksScreen

        def remove(article_id: str) -> None:
            if article_id in self.state.bookmarks:
                self.state.toggle_bookmark(article_id)
                self.sections.update_marks(self.state.read, self.state.bookmarks, article_id)
                self.bulletin_app.save_state_soon()

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.sections.select_article(article_id)
                self.open_article(article_id)

        self.app.push_screen(BookmarksScreen(self.library, self.state.bookmarks, remove), chosen)

    def action_toggle_read(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        read = self.state.toggle_read(article.id)
        self.sections.update_marks(self.state.read, self.state.bookmarks, article.id)
        self.bulletin_app.save_state_soon()
        self.notify("Marked read" if read else "Marked unread")

    # -- taking the text away ----------------------------------------------------------------------

    def action_copy(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        from bulletin_tui.article_export import article_plain_text

        text = article_plain_text(article, self.reader.issue)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters")

    def action_export(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        from bulletin_tui.article_export import article_markdown, export_path

        folder = Path(self.bulletin_app.config.export_dir or Path.cwd())
        try:
            issue = self.reader.issue
            target = export_path(folder, article.title, article.id, issue.date if issue else None)
            # The user's own document: created with the umask's mode (unlike state and cache,
            # which are private), and never through an existing file or symlink ("x").
            with target.open("x", encoding="utf-8") as handle:
                handle.write(article_markdown(article, self.reader.issue))
        except (OSError, ValueError) as error:
            self.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        self.notify(f"Saved {target}", markup=False)

    def _links_or_warn(self) -> list[Link] | None:
        """The open article's links, once each; None (and a word why) when there are none."""
        article = self._article_or_warn()
        if article is None:
            return None
        from bulletin_tui.ui.links import article_links

        links = article_links(article)
        if not links:
            self.notify("This article has no links")
            return None
        return links

    def action_links(self) -> None:
        """`L`: every address in the article, once each."""
        links = self._links_or_warn()
        if links is None:
            return
        from bulletin_tui.ui.links import LinksScreen

        self.app.push_screen(LinksScreen(links), self._link_chosen)

    def action_open_link(self) -> None:
        """`o`: the article's only link, or the only one on screen; else choose from the list."""
        links = self._links_or_warn()
        if links is None:
            return
        from bulletin_tui.ui.links import LinksScreen, unique_links

        on_screen = unique_links(self.reader.visible_links())
        if len(links) == 1 or len(on_screen) == 1:
            self.open_url((links if len(links) == 1 else on_screen)[0].url)
            return
        first = [link.url for link in links].index(on_screen[0].url) if on_screen else 0
        self.app.push_screen(LinksScreen(links, highlighted=first), self._link_chosen)

    def _link_chosen(self, choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        how, url = choice
        if how == "open":
            self.open_url(url)
        else:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {sanitize_text(url)}", markup=False)

    def open_url(self, url: str) -> None:
        """In the desktop's browser when there is a display; else copied (OSC 52, works over
        SSH) and shown, to paste where a browser is."""
        from bulletin_tui.ui.browser import open_in_browser

        shown = sanitize_text(url)
        if open_in_browser(url):
            self.notify(f"Opened {shown}", markup=False)
        else:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {shown}", title="No browser here", timeout=10, markup=False)

    # -- settings and help -------------------------------------------------------------------------

    def _set_measure(self, step: int) -> None:
        options = self.options.wider(step)
        if options.measure == self.options.measure:
            self.notify(f"The measure is at its {'widest' if step > 0 else 'narrowest'}")
            return
        self.options = options
        self.reader.set_options(options)
        self.notify(f"Measure: {options.measure} characters")

    def action_toggle_punctuation(self) -> None:
        """ASCII `,;:?!()` between Chinese shown full-width, or as written (the cache keeps the
        text as written either way)."""
        options = replace(
            self.options, normalise_punctuation=not self.options.normalise_punctuation
        )
        self.options = options
        self.reader.set_options(options)
        shown = "full-width" if options.normalise_punctuation else "as written"
        self.notify(f"Punctuation: {shown}")

    def action_wider(self) -> None:
        self._set_measure(1)

    def action_narrower(self) -> None:
        self._set_measure(-1)

    def action_help(self) -> None:
        from bulletin_tui.ui.help import HelpScreen
        from bulletin_tui.ui.hit_list import HitList

        self.app.push_screen(
            HelpScreen(
                [
                    ("Everywhere", [self]),
                    # One group: the reader, the section list and the results share most keys.
                    ("Reader and lists", [self.reader, self.sections, HitList()]),
                    ("Terminal", [self.app]),
                ],
                subtitle=(
                    f"“ ” … — · {self.options.ambiguous_width} cell(s) wide: "
                    f"{self.bulletin_app.ambiguous_source}"
                ),
            )
        )

    async def action_quit(self) -> None:
        await self.bulletin_app.action_quit()
