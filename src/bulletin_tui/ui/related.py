"""The related articles view (`R`): the articles most like the one being read, each with its date
and the keywords it shares; Enter opens one. Worked out in a thread (bulletin_tui.insights)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.markup import escape
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from bulletin_tui.insights import RelatedArticle
from bulletin_tui.parse import sanitize_text
from bulletin_tui.ui.bookmarks import BookmarkList, ListDialog
from bulletin_tui.ui.labels import fit_label

if TYPE_CHECKING:
    from bulletin_tui.library import Library

LIMIT = 10


def related_prompt(item: RelatedArticle, width: int, dim: Style) -> Text:
    """Title and date on the first line, the shared keywords dim on the second."""
    day = item.date.isoformat() if item.date else ""
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
    ]

    def __init__(self, library: Library, article_id: str, title: str) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article_title = title
        self.entries: list[RelatedArticle] | None = None  # None: still being worked out

    def on_mount(self) -> None:
        body = self.query_one("#related-body")
        # Escaped: a title holding [bold] is text, never markup.
        body.border_title = f"Related to {escape(sanitize_text(self.article_title))}"
        body.border_subtitle = "Enter opens · Esc closes"
        self.query_one(BookmarkList).display = False
        self.find()

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def find(self) -> None:
        try:
            found = self.library.insights.related(self.article_id, limit=LIMIT) or []
            problem = ""
        except Exception as error:  # reported in the view, never fatal
            found, problem = [], f"Could not find related articles: {type(error).__name__}: {error}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, found, problem)

    def _show(self, found: list[RelatedArticle], problem: str) -> None:
        self.entries = found
        note = self.query_one("#related-note", Static)
        note.update(Text(sanitize_text(problem or "No other article shares its keywords.")))
        note.display = not found
        related = self.query_one(BookmarkList)
        related.display = bool(found)
        if found:
            related.focus()
            # Laid out once shown: the width to fit the titles to is known after the refresh.
            self.call_after_refresh(self._fill)

    def on_resize(self, event: Resize) -> None:
        self._fill()

    def _fill(self) -> None:
        if not self.entries:
            return
        related = self.query_one(BookmarkList)
        keep = related.highlighted
        width = max(10, related.scrollable_content_region.width - 3)  # room for a scrollbar
        if not related.scrollable_content_region.width:
            width = max(10, self.query_one("#related-body").size.width - 4)
        dim = self._dim()
        related.clear_options()
        related.add_options(
            Option(related_prompt(item, width, dim), id=item.article_id) for item in self.entries
        )
        related.highlighted = min(keep or 0, len(self.entries) - 1)

    @on(OptionList.OptionSelected, "#related")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.entries:
            self.dismiss(self.entries[event.option_index].article_id)
