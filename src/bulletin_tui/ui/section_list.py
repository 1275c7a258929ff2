"""The section list: issues (newest first) → sections → articles, with unread marks and counts.

With several publications in the library, each is a level above its issues, with its unread count
and latest issue date. The nodes and their lazy filling are in `issue_tree.py`; here they get
their marks (unread, read, bookmarked), counts drawn with each line, and say what the cursor does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from bulletin_tui.model import Article, Issue, issue_id_of
from bulletin_tui.parse import sanitize_text
from bulletin_tui.publications import Publication
from bulletin_tui.ui.furniture import ASCII_GUIDES
from bulletin_tui.ui.issue_tree import Entry, IssueTree
from bulletin_tui.ui.keys import LIST_BINDINGS
from bulletin_tui.ui.labels import fit_label

UNREAD_MARK = "▪ "  # East Asian width "N": one cell in every terminal
READ_MARK = "  "
BOOKMARK_MARK = "⚑ "

__all__ = ["BOOKMARK_MARK", "READ_MARK", "UNREAD_MARK", "Entry", "SectionList"]


class SectionList(IssueTree):
    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "section-list--count",
        "section-list--unread",
        "section-list--bookmark",
        "section-list--read",
        "section-list--unread-title",
    }
    DEFAULT_CSS = """
    SectionList {
        height: 1fr;
        padding: 0;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .section-list--count {
            color: $accent;
            text-style: bold;
        }
        & > .section-list--unread {
            color: $accent;
            text-style: bold;
        }
        & > .section-list--unread-title {
            text-style: bold;
        }
        & > .section-list--bookmark {
            color: $warning;
            text-style: bold;
        }
        & > .section-list--read {
            color: $text-muted;
        }
    }
    """

    @dataclass
    class ArticleHighlighted(Message):
        """The cursor is on an article: preview it."""

        article_id: str

    @dataclass
    class ArticleChosen(Message):
        """Enter on an article: open it for reading."""

        article_id: str

    @dataclass
    class IssueHighlighted(Message):
        """The cursor is on an issue, a section heading or a publication."""

        issue_id: str

    @dataclass
    class IssueChosen(Message):
        """Enter on an issue: open its first unread article."""

        issue_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._read: Collection[str] = frozenset()
        self._bookmarks: Collection[str] = frozenset()
        self._unread: dict[str, int] = {}  # issue id -> unread articles, counted when drawn
        self._styles: dict[str, Style] = {}
        self._publication_unread: dict[str, int] = {}
        self._counting = False

    def on_mount(self) -> None:
        if getattr(self.app, "ambiguous_wide", False):  # box drawing is two cells wide there
            self.LINES = dict.fromkeys(self.LINES, ASCII_GUIDES)

    # -- attributes down ---------------------------------------------------------------------------

    def populate(
        self,
        issues: Sequence[Issue],
        read: Collection[str],
        bookmarks: Collection[str],
        publications: Sequence[Publication] = (),
    ) -> None:
        """Show `issues` with their marks (`read`, `bookmarks`), keeping the cursor on the same
        article or issue when it is still there; with more than one of `publications`, they make
        the top level (`issues` in their order)."""
        self._read, self._bookmarks = read, bookmarks
        self._unread.clear()
        self._publication_unread.clear()
        self._plant(issues, publications)

    def update_marks(
        self, read: Collection[str], bookmarks: Collection[str], article_id: str
    ) -> None:
        """Relabel one article and the counts above it after its marks changed."""
        self._read, self._bookmarks = read, bookmarks
        node = self._article_nodes.get(article_id)
        if node is not None and node.data is not None:
            node.set_label(self._article_label(node.data.article_id or ""))
            if node.parent is not None and node.parent.data and node.parent.data.kind == "section":
                node.parent.set_label(self._section_label(node.parent.data))
        issue_id = issue_id_of(article_id)
        self._unread.pop(issue_id, None)
        if issue_id in self._issue_nodes:
            self._issue_nodes[issue_id].refresh()
        name = self._publication_of.get(issue_id)
        if name is not None:
            self._publication_unread.pop(name, None)
            self._publication_nodes[name].refresh()

    # -- marks and counts --------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            # Partial: only what the class sets, so the cursor line keeps its own background.
            style = self._styles[name] = self.get_component_rich_style(
                f"section-list--{name}", partial=True
            )
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def unread_count(self, issue_id: str) -> int:
        count = self._unread.get(issue_id)
        if count is None:
            articles = self._issues[issue_id].articles
            count = self._unread[issue_id] = sum(1 for a in articles if a.id not in self._read)
        return count

    def _count(self, entry: Entry) -> int:
        if entry.kind == "issue":
            return self.unread_count(entry.issue_id)
        if entry.kind == "section":
            section = self._issues[entry.issue_id].sections[entry.section]
            return sum(1 for a in section.articles if a.id not in self._read)
        if entry.kind == "publication":
            return self.publication_unread(entry.publication) or 0
        return 0

    def publication_unread(self, name: str) -> int | None:
        """Unread articles in the publication; None until counted (just after the first paint:
        counting reads every issue's articles from the cache)."""
        count = self._publication_unread.get(name)
        if count is None and not self._counting:
            self._counting = True
            self.call_after_refresh(self._count_publications)
        return count

    def _count_publications(self) -> None:
        self._counting = False
        for name, pub in self._publications.items():
            if name not in self._publication_unread:
                self._publication_unread[name] = sum(
                    self.unread_count(issue.id) for issue in pub.issues
                )
        self._invalidate()

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        entry = node.data
        if entry is None:
            return label
        # Counted when drawn: counting every issue up front would load all their articles.
        unread = self._count(entry)
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        width = self.scrollable_content_region.width - depth * self.guide_depth - 1
        count = str(unread) if unread else ""
        if entry.kind == "publication":
            room = width - (len(count) + 1 if count else 0)
            label = self._dated(label, self._publications[entry.publication], room, style)
        return fit_label(label, width, count, self._style("count") + style)

    def _dated(self, label: Text, publication: Publication, room: int, style: Style) -> Text:
        """The publication's label with its latest issue's date, dim, as much of it as fits whole:
        2025-05-19; then 05-19 in the library's newest year, else 2024-11 or 2024; never a date
        cut short (2024-…)."""
        latest = publication.latest
        if latest is None:
            return label
        newest = max(pub.latest for pub in self._publications.values() if pub.latest)
        full = latest.isoformat()
        shorter = [full[5:]] if latest.year == newest.year else [full[:7], full[:4]]
        for day in (full, *shorter):
            if label.cell_len + 1 + len(day) <= room:
                dated = label.copy()
                dated.append(f" {day}", self._style("read") + style)
                return dated
        return label

    def _article_label(self, article_id: str, article: Article | None = None) -> Text:
        if article is None:
            issue = self._issues[issue_id_of(article_id)]
            article = next(a for a in issue.articles if a.id == article_id)
        read = article_id in self._read
        if article_id in self._bookmarks:
            mark, style = BOOKMARK_MARK, "bookmark"
        elif read:
            mark, style = READ_MARK, "read"
        else:
            mark, style = UNREAD_MARK, "unread"
        # Unread is told by the mark and the weight of the title, not by a colour: in 16 colours
        # an accent colour may come out red and read as an error.
        text = Text(end="")
        text.append(mark, self._style(style))
        title = sanitize_text(article.title) or article_id
        text.append(title, self._style("read" if read else "unread-title"))
        return text

    # -- messages up -------------------------------------------------------------------------------

    def _on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if entry is None:
            return
        if entry.kind == "article" and entry.article_id:
            self.post_message(self.ArticleHighlighted(entry.article_id))
        else:
            self.post_message(self.IssueHighlighted(entry.issue_id))

    def action_select_cursor(self) -> None:
        """Enter. On an article the reader takes the focus now, not when the message that opens
        it arrives: keys read in the same burst as the Enter go to the reader."""
        node = self.cursor_node
        super().action_select_cursor()
        entry = node.data if node is not None else None
        focus_reader = getattr(self.screen, "action_focus_reader", None)
        if entry is not None and entry.kind == "article" and callable(focus_reader):
            focus_reader()

    def _on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        event.stop()
        entry = event.node.data
        if entry is None:
            return
        if entry.kind == "article" and entry.article_id:
            self.post_message(self.ArticleChosen(entry.article_id))
        elif entry.kind == "issue":
            self.post_message(self.IssueChosen(entry.issue_id))
        else:
            self._fill(event.node).toggle()
