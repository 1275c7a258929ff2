"""What the main screen's keys do to the article being read, or to move to another one.

Moving on (`]` `[` `}` `{` `U` `n` `N`), marks (`m` `u` `B`), taking the text away (`y` `e`),
links (`o` `L`), related articles (`R`), the measure and punctuation (`+` `-` `p`) and help (`?`).
The screen that shows the panes (`MainScreen`) builds on this.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from bulletin_tui.model import Article, Issue, Link
from bulletin_tui.parse import sanitize_text
from bulletin_tui.reading_order import reading_order_until, walk
from bulletin_tui.state import library_key
from bulletin_tui.typeset import LayoutOptions
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.section_list import SectionList
from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from bulletin_tui.library import Library
    from bulletin_tui.state import State
    from bulletin_tui.ui.app import BulletinApp
    from bulletin_tui.ui.related import RelatedScope


class ReadingActions(Screen[None]):
    def __init__(self, library: Library, state: State, options: LayoutOptions) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.library_key = library_key(library.roots)  # its last article, bookmarks are kept so
        self.options = options
        self.issue_order: list[str] = []  # issue ids, newest first
        self.issues_by_id: dict[str, Issue] = {}
        self.related_scope: RelatedScope | None = None  # `P` in the related view, kept here

    @property
    def bulletin_app(self) -> BulletinApp:
        return self.app  # type: ignore[return-value]

    @property
    def sections(self) -> SectionList:
        return self.query_one(SectionList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    def open_article(self, article_id: str, *, focus: bool = True) -> Article | None:
        raise NotImplementedError  # the screen showing the panes opens it

    def _open_chosen(self, article_id: str | None) -> None:
        """An article chosen in a view over the screen (bookmarks, related), if any."""
        if article_id:
            self.sections.select_article(article_id)
            self.open_article(article_id)

    def _article_or_warn(self) -> Article | None:
        if self.reader.article is None:
            self.notify("Open an article first", severity="warning")
        return self.reader.article

    # -- moving between articles -------------------------------------------------------------------

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
        found = self.issues_by_id.get(issue_id)
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

    def _marks_changed(self, article_id: str) -> None:
        self.sections.update_marks(self.state.read, self.state.bookmarks, article_id)
        self.bulletin_app.save_state_soon()

    def action_bookmark(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        marked = self.state.toggle_bookmark(article.id, self.library_key)
        self._marks_changed(article.id)
        self.notify("Bookmarked" if marked else "Bookmark removed")

    def action_bookmarks(self) -> None:
        from bulletin_tui.ui.bookmarks import BookmarksScreen

        def remove(article_id: str) -> None:
            if article_id in self.state.bookmarks:
                self.state.toggle_bookmark(article_id)
                self._marks_changed(article_id)

        # This library's: those in it, and those made in it whose article has gone since. Others
        # were made in another library (or, in an older state file, who knows where).
        made_in = self.state.bookmark_libraries
        mine = [
            b
            for b in self.state.bookmarks
            if made_in.get(b) == self.library_key or self.library.article(b) is not None
        ]
        elsewhere = len(self.state.bookmarks) - len(mine)
        screen = BookmarksScreen(self.library, mine, remove, elsewhere=elsewhere)
        self.app.push_screen(screen, self._open_chosen)

    def action_toggle_read(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        read = self.state.toggle_read(article.id)
        self._marks_changed(article.id)
        self.notify("Marked read" if read else "Marked unread")

    def action_related(self) -> None:
        from bulletin_tui.ui.related import RelatedScope, RelatedScreen

        article = self._article_or_warn()
        if article is not None:
            self.related_scope = self.related_scope or RelatedScope()
            screen = RelatedScreen(self.library, article.id, article.title, self.related_scope)
            self.app.push_screen(screen, self._open_chosen)

    # -- taking the text away ----------------------------------------------------------------------

    def action_copy(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        from bulletin_tui.article_export import article_plain_text

        text = article_plain_text(article, self.reader.issue)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {counted(len(text), 'character')}")

    def action_export(self) -> None:
        article = self._article_or_warn()
        if article is None:
            return
        from bulletin_tui.article_export import write_markdown

        try:
            folder = Path(self.bulletin_app.config.export_dir or Path.cwd())
        except FileNotFoundError:  # the folder the reader was started in was removed since
            self.notify(
                "Export failed: the current folder no longer exists (export_dir in config.toml "
                "names another)",
                severity="error",
                markup=False,
            )
            return
        try:
            target = write_markdown(folder, article, self.reader.issue)
        except (OSError, ValueError) as error:
            self.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        self.notify(f"Saved {target}", markup=False)

    # -- links -------------------------------------------------------------------------------------

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
                    f"“ ” … — · {counted(self.options.ambiguous_width, 'cell')} wide: "
                    f"{self.bulletin_app.ambiguous_source}"
                ),
            )
        )

    async def action_quit(self) -> None:
        await self.bulletin_app.action_quit()
