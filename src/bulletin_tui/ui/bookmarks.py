"""The bookmarks view (`B`): every bookmarked article, newest issue first, with its date.

Enter opens the article, `m` removes the bookmark (kept in state.toml like the `m` in the reader).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bulletin_tui.parse import sanitize_text
from bulletin_tui.ui.labels import fit_label
from bulletin_tui.ui.paging import OptionPaging

if TYPE_CHECKING:
    from bulletin_tui.library import Library


@dataclass(frozen=True, slots=True)
class Bookmark:
    article_id: str
    title: str
    date: date | None
    issue_title: str
    missing: bool = False  # bookmarked, but no longer in the library


def bookmarks_newest_first(library: Library, bookmarked: list[str]) -> list[Bookmark]:
    """The bookmarked articles, newest issue first; within an issue (or undated), the latest
    bookmark first. Articles gone from the library stay listed, so their mark can be removed."""
    found: list[tuple[date, int, Bookmark]] = []
    for order, article_id in enumerate(bookmarked):
        article = library.article(article_id)
        issue = library.issue_of(article_id) if article is not None else None
        if article is None:
            entry = Bookmark(article_id, article_id, None, "", missing=True)
        else:
            entry = Bookmark(
                article_id,
                sanitize_text(article.title) or article_id,
                issue.date if issue else None,
                sanitize_text(issue.title) if issue else "",
            )
        found.append((entry.date or date.min, order, entry))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [entry for _day, _order, entry in found]


def bookmark_prompt(entry: Bookmark, width: int, date_style: Style) -> Text:
    """The title, cut with … to leave room for the date at the right edge."""
    day = entry.date.isoformat() if entry.date else ("gone" if entry.missing else "")
    title = Text(entry.title, style=date_style if entry.missing else "")
    return fit_label(title, width, day, date_style, gap=2)


class BookmarkList(OptionPaging):
    class Resized(Message):
        """Laid out at a new size, or shown again: the lines are to be fitted to its width."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
        Binding("ctrl+d", "half_page_down", show=False),
        Binding("ctrl+u", "half_page_up", show=False),
        Binding("ctrl+f", "page_forward", show=False),
        Binding("ctrl+b", "page_back", show=False),
    ]

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.Resized())


class ListDialog(ModalScreen[str | None]):
    """A box of articles over the screen (the bookmarks, the related articles) with a line for a
    note where the list is empty; dismissed with the article to open, or None. A subclass names
    its parts (`PARTS`: the list's id; the box's and the note's add -body and -note)."""

    PARTS: ClassVar[str] = ""
    NOTE: ClassVar[str] = ""  # shown until the subclass says otherwise
    COMPONENT_CLASSES: ClassVar[set[str]] = {"list-dialog--dim"}
    DEFAULT_CSS = """
    ListDialog {
        align: center middle;
        & > .list-dialog--dim {
            color: $text-muted;
        }
    }

    .list-dialog-body {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: round $accent;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
    }

    .list-dialog-body > .list-dialog-list {
        height: auto;
        max-height: 100%;
        border: none;
        padding: 0 1;
        background: $surface;
    }

    .list-dialog-note {
        padding: 1 2;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.PARTS}-body", classes="list-dialog-body"):
            yield BookmarkList(id=self.PARTS, classes="list-dialog-list")
            yield Static(self.NOTE, id=f"{self.PARTS}-note", classes="list-dialog-note")

    def _dim(self) -> Style:
        return self.get_component_rich_style("list-dialog--dim")


class BookmarksScreen(ListDialog):
    """Dismissed with the article to open, or None. `remove(article_id)` drops a bookmark."""

    PARTS = "bookmarks"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,B", "dismiss(None)", "Close", show=False),
        Binding("m", "remove", "Remove the bookmark", show=False),
    ]

    def __init__(
        self,
        library: Library,
        bookmarked: list[str],
        remove: Callable[[str], None],
        *,
        elsewhere: int = 0,
    ) -> None:
        """`elsewhere`: bookmarks made in other libraries, not listed (said in the title)."""
        super().__init__()
        self.entries = bookmarks_newest_first(library, bookmarked)
        self._remove = remove
        self.elsewhere = elsewhere

    def on_mount(self) -> None:
        body = self.query_one("#bookmarks-body")
        body.border_title = "Bookmarks"
        if self.elsewhere:
            body.border_title += f" · {self.elsewhere} more in other libraries"
        body.border_subtitle = "Enter opens · m removes · Esc closes"
        self._fill()
        bookmarks = self.query_one(BookmarkList)
        if self.entries:
            bookmarks.highlighted = 0
        bookmarks.focus()

    def on_resize(self, event: Resize) -> None:
        self._fill()

    def _fill(self) -> None:
        bookmarks = self.query_one(BookmarkList)
        keep = bookmarks.highlighted
        width = max(10, bookmarks.scrollable_content_region.width - 1)
        style = self._dim()
        bookmarks.clear_options()
        bookmarks.add_options(
            Option(bookmark_prompt(entry, width, style), id=entry.article_id)
            for entry in self.entries
        )
        if self.entries:
            bookmarks.highlighted = min(keep or 0, len(self.entries) - 1)
        empty = self.query_one("#bookmarks-note", Static)
        none = "No bookmarks in this library" if self.elsewhere else "No bookmarks yet"
        empty.update(f"{none}: m bookmarks the article you are reading.")
        empty.display = not self.entries
        bookmarks.display = bool(self.entries)

    def action_remove(self) -> None:
        index = self.query_one(BookmarkList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return
        entry = self.entries.pop(index)
        self._remove(entry.article_id)
        self._fill()
        self.notify(f"Bookmark removed: {entry.title}", markup=False)

    @on(OptionList.OptionSelected, "#bookmarks")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[event.option_index]
        if entry.missing:
            self.notify("This article is no longer in the library", severity="warning")
            return
        self.dismiss(entry.article_id)
