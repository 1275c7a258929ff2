"""The related articles view (`R`): the articles most like the one being read, each with its date
and the keywords it shares; Enter opens one. In a library of several publications each names its
own, and `P` keeps the list to the article's publication (and back). Worked out in a thread
(bulletin_tui.insights)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from bulletin_tui.insights import RelatedArticle
from bulletin_tui.model import issue_id_of
from bulletin_tui.parse import sanitize_text
from bulletin_tui.ui.bookmarks import BookmarkList, ListDialog
from bulletin_tui.ui.labels import fit_label

if TYPE_CHECKING:
    from bulletin_tui.library import Library

LIMIT = 10


@dataclass
class RelatedScope:
    """Whether the view keeps to the article's own publication (`P`); held by the main screen,
    so the choice stays from one article to the next."""

    own_publication: bool = False


def related_prompt(item: RelatedArticle, width: int, dim: Style, publication: bool = False) -> Text:
    """Title and date (after the publication's name, when asked) on the first line, the shared
    keywords dim on the second."""
    day = item.date.isoformat() if item.date else ""
    if publication and item.publication:
        day = " ".join(part for part in (sanitize_text(item.publication), day) if part)
    text = fit_label(Text(sanitize_text(item.title) or item.article_id), width, day, dim, gap=2)
    shared = Text("  " + " · ".join(sanitize_text(word) for word in item.shared), style=dim)
    shared.truncate(max(1, width), overflow="ellipsis")
    text.append("\n")
    text.append_text(shared)
    return text


class RelatedScreen(ListDialog):
    """Dismissed with the article to open, or None."""

    PARTS = "related"
    NOTE = "Finding related articles…"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,R", "dismiss(None)", "Close", show=False),
        Binding("P", "toggle_publication", "This publication only, or all", show=False),
    ]

    def __init__(
        self, library: Library, article_id: str, title: str, scope: RelatedScope | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article_title = title
        self.scope = scope or RelatedScope()
        self.entries: list[RelatedArticle] | None = None  # None: still being worked out
        # The article's publication, when the library holds several (else nothing to keep to).
        self.publication: str | None = None
        if library.several_publications:
            self.publication = library.publication_of().get(issue_id_of(article_id))

    @property
    def within(self) -> str | None:
        """The publication the list keeps to, if any."""
        return self.publication if self.scope.own_publication else None

    def on_mount(self) -> None:
        self.query_one(BookmarkList).display = False
        self._frame()
        self.find()

    def _frame(self) -> None:
        body = self.query_one("#related-body")
        # Escaped: a title holding [bold] is text, never markup.
        title = f"Related to {escape(sanitize_text(self.article_title))}"
        if self.within:
            title += f" in {escape(sanitize_text(self.within))}"
        body.border_title = title
        scope = ""
        if self.publication:
            other = "all publications" if self.within else "only " + sanitize_text(self.publication)
            scope = f"P {escape(other)} · "
        body.border_subtitle = f"Enter opens · {scope}Esc closes"

    def action_toggle_publication(self) -> None:
        if self.publication is None:
            self.notify("The library holds one publication")
            return
        self.scope.own_publication = not self.scope.own_publication
        self.entries = None
        self._frame()
        note = self.query_one("#related-note", Static)
        note.update(self.NOTE)
        note.display = True
        self.query_one(BookmarkList).display = False
        self.find()

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def find(self) -> None:
        within = self.within
        try:
            found = (
                self.library.insights.related(
                    self.article_id, limit=LIMIT, publications=None if within is None else {within}
                )
                or []
            )
            problem = ""
        except Exception as error:  # reported in the view, never fatal
            found, problem = [], f"Could not find related articles: {type(error).__name__}: {error}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, found, problem)

    def _show(self, found: list[RelatedArticle], problem: str) -> None:
        self.entries = found
        note = self.query_one("#related-note", Static)
        nothing = "No other article shares its keywords"
        nothing += f" in {self.within}." if self.within else "."
        note.update(Text(sanitize_text(problem or nothing)))
        note.display = not found
        related = self.query_one(BookmarkList)
        related.display = bool(found)
        if found:
            related.focus()
            # Filled when laid out (Resized): its width is known then. A refresh later was not
            # always enough, and fitted to a guess of the width, titles sat a cell out of place.

    @on(BookmarkList.Resized)
    def _resized(self) -> None:
        self._fill()

    def _fill(self) -> None:
        related = self.query_one(BookmarkList)
        if not self.entries or not related.scrollable_content_region.width:
            return  # nothing to show, or not laid out yet
        keep = related.highlighted
        width = max(10, related.scrollable_content_region.width - 3)  # room for a scrollbar
        dim = self._dim()
        named = self.publication is not None and self.within is None  # the list spans them all
        related.clear_options()
        related.add_options(
            Option(related_prompt(item, width, dim, named), id=item.article_id)
            for item in self.entries
        )
        related.highlighted = min(keep or 0, len(self.entries) - 1)

    @on(OptionList.OptionSelected, "#related")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.entries:
            self.dismiss(self.entries[event.option_index].article_id)
