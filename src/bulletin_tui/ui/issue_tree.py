"""The section list's nodes: publications → issues → sections → articles, each level added when
first opened, in batches that redraw the tree once.

A screenful of issues goes in before the first paint and the rest straight after it; an opened
issue adds a screenful of articles, then MORE_ARTICLES a frame, so an issue of 50,000 articles
never holds up a key. `SectionList` (section_list.py) gives the nodes their marks and counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from bulletin_tui.model import Article, Issue, issue_id_of
from bulletin_tui.parse import sanitize_text
from bulletin_tui.publications import Publication
from bulletin_tui.typeset import issue_label_text
from bulletin_tui.ui.paging import TreePaging

FIRST_ISSUES = 60  # issues in the list at the first paint (more than a screen holds)
FIRST_ARTICLES = 100  # articles of an opened issue added at once (more than a screen holds)
MORE_ARTICLES = 1000  # then added per frame (about 40 ms each)


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Literal["publication", "issue", "section", "article"]
    issue_id: str  # for a publication: its newest issue
    article_id: str | None = None
    section: int = 0
    publication: str = ""  # publications only: the name


class IssueTree(TreePaging[Entry]):
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "
    _populating = False  # set while adding nodes in bulk (read by Tree.__init__ already)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Library", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self._issues: dict[str, Issue] = {}
        self._issue_nodes: dict[str, TreeNode[Entry]] = {}
        self._article_nodes: dict[str, TreeNode[Entry]] = {}
        self._pending: list[Issue] = []  # issues still to add, just after the first paint
        self._filling: dict[str, Iterator[str]] = {}  # issue id -> adds its remaining articles
        self._publications: dict[str, Publication] = {}  # by name; empty with one publication
        self._publication_nodes: dict[str, TreeNode[Entry]] = {}
        self._publication_of: dict[str, str] = {}  # issue id → publication name

    def show_note(self, note: str) -> None:
        """`note` in place of the issues while there are none (in the stacked layout the list is
        all that shows); "" takes it away."""
        if not note and not self.show_root:
            return  # nothing to take away: the root is left as it is, and the cursor with it
        self.root.set_label(Text(note))
        self.root.allow_expand = False
        self.show_root = bool(note)

    def _plant(self, issues: Sequence[Issue], publications: Sequence[Publication]) -> None:
        """Show `issues`, keeping the cursor on the same article or issue when it is still there.

        With more than one of `publications`, they make the top level (`issues` in their order).
        """
        keep = self.cursor_node.data if self.cursor_node else None
        expanded = {key for key, node in self._issue_nodes.items() if node.is_expanded}
        opened = {key for key, node in self._publication_nodes.items() if node.is_expanded}
        self._issues = {issue.id: issue for issue in issues}
        self._issue_nodes.clear()
        self._article_nodes.clear()
        self._publication_nodes.clear()
        several = len(publications) > 1
        self._publications = {pub.name: pub for pub in publications} if several else {}
        self._publication_of = {
            issue.id: pub.name for pub in self._publications.values() for issue in pub.issues
        }
        self.clear()
        self._filling.clear()
        if several:
            self._add_publications(publications, opened, expanded, keep)
            return
        # A screenful of issues before the first paint, the rest straight after it.
        self._pending = list(issues[FIRST_ISSUES:])
        self._add_issues(issues[:FIRST_ISSUES])
        if self._pending:
            self.call_after_refresh(self._add_pending)
        if not expanded and issues:
            expanded = {issues[0].id}  # the newest issue starts open
        for key in expanded:
            if key in self._issue_nodes:
                self._fill(self._issue_nodes[key]).expand()
        if keep and keep.article_id and self.select_article(keep.article_id):
            return
        if keep and keep.issue_id in self._issue_nodes:
            self._move_to(self._issue_nodes[keep.issue_id])
        elif issues:
            self.cursor_line = 0

    def _add_issues(self, issues: Sequence[Issue]) -> None:
        self._populating = True
        try:
            for issue in issues:
                # The unread count is added when the line is drawn: counting here would load
                # every issue's articles from the cache before the first paint.
                label = Text(issue_label_text(issue))
                node = self.root.add(label, Entry("issue", issue.id), allow_expand=True)
                self._issue_nodes[issue.id] = node
        finally:
            self._populating = False
        self._invalidate()

    def _add_publications(
        self,
        publications: Sequence[Publication],
        opened: set[str],
        expanded: set[str],
        keep: Entry | None,
    ) -> None:
        self._pending = []
        self._populating = True
        try:
            for pub in publications:
                newest = pub.issues[0].id if pub.issues else ""
                entry = Entry("publication", newest, publication=pub.name)
                node = self.root.add(self._publication_label(pub), entry, allow_expand=True)
                self._publication_nodes[pub.name] = node
        finally:
            self._populating = False
        self._invalidate()
        if not opened and not expanded and publications[0].issues:
            # The first publication starts open, with its newest issue.
            opened, expanded = {publications[0].name}, {publications[0].issues[0].id}
        for name in opened:
            if name in self._publication_nodes:
                self._fill(self._publication_nodes[name]).expand()
        for key in expanded:
            issue_node = self._issue_nodes.get(key)  # there when its publication is open
            if issue_node is not None:
                self._fill(issue_node).expand()
        if keep and keep.article_id and self.select_article(keep.article_id):
            return
        if keep and keep.kind == "publication" and keep.publication in self._publication_nodes:
            self._move_to(self._publication_nodes[keep.publication])
        elif keep and self._issue_node(keep.issue_id) is not None:
            self.select_issue(keep.issue_id)
        else:
            self.cursor_line = 0

    def _issue_node(self, issue_id: str) -> TreeNode[Entry] | None:
        """The issue's node, adding it (and its publication's other issues) first if needed."""
        if issue_id not in self._issue_nodes:
            name = self._publication_of.get(issue_id)
            if name is not None:
                self._fill(self._publication_nodes[name])
            else:
                self._add_pending()
        return self._issue_nodes.get(issue_id)

    def _add_pending(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self._add_issues(pending)

    # -- finding a node ----------------------------------------------------------------------------

    def select_article(self, article_id: str) -> bool:
        """Move the cursor to `article_id`, expanding its issue and section; False if unknown."""
        node = self._article_nodes.get(article_id)
        if node is None:
            issue_node = self._issue_node(issue_id_of(article_id))
            if issue_node is None:
                return False
            self._fill(issue_node)
            self._fill_some(issue_node.data.issue_id if issue_node.data else "", 0, article_id)
            node = self._article_nodes.get(article_id)
            if node is None:
                return False
        parent = node.parent
        while parent is not None and parent is not self.root:
            if not parent.is_expanded:  # expanding redraws the whole list, even when open
                parent.expand()
            parent = parent.parent
        if self.cursor_node is not node:
            self._move_to(node)
        return True

    def select_issue(self, issue_id: str) -> None:
        node = self._issue_node(issue_id)
        if node is not None:
            if node.parent is not None and node.parent is not self.root:
                node.parent.expand()
            self._move_to(node)

    def _move_to(self, node: TreeNode[Entry]) -> None:
        # A node's line number is assigned when the tree rebuilds, which Textual defers to idle
        # time; after expanding, rebuild now so the cursor lands on the right line.
        self._tree_lines  # noqa: B018
        self.move_cursor(node, animate=False)

    def toggle_issue(self, issue_id: str) -> None:
        node = self._issue_nodes.get(issue_id)
        if node is not None:
            self._fill(node).toggle()

    def action_expand(self) -> None:
        """→: open the folded node under the cursor, or step into an open one."""
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            self._fill(node).expand()
        elif node.children:
            self._move_to(node.children[0])

    def action_collapse(self) -> None:
        """←: fold the node under the cursor, or go up to the one holding it."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self._move_to(node.parent)

    # -- labels (the section list marks and counts them) ------------------------------------------

    def _publication_label(self, publication: Publication) -> Text:
        return Text(sanitize_text(publication.name))

    def _section_label(self, entry: Entry) -> Text:
        section = self._issues[entry.issue_id].sections[entry.section]
        return Text(sanitize_text(section.title or "—"))

    def _article_label(self, article_id: str, article: Article | None = None) -> Text:
        if article is None:
            issue = self._issues[issue_id_of(article_id)]
            article = next(a for a in issue.articles if a.id == article_id)
        return Text(sanitize_text(article.title) or article_id)

    def process_label(self, label: str | Text) -> Text:
        # Labels are always Text built here (never markup), one line each: skip Tree's split.
        return label if isinstance(label, Text) else Text(label)

    def get_label_width(self, node: TreeNode[Entry]) -> int:
        # Only used for horizontal scrolling, which the list does not do (long titles are cut);
        # measuring every label of a large library would cost more than the whole first paint.
        return 0

    # -- lazy filling ------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        # Tree redraws after every node added; while populating, once at the end is enough.
        if not self._populating:
            super()._invalidate()

    def _fill(self, node: TreeNode[Entry]) -> TreeNode[Entry]:
        entry = node.data
        if entry is not None and entry.kind == "publication" and not node.children:
            self._populating = True
            try:
                for issue in self._publications[entry.publication].issues:
                    label = Text(issue_label_text(issue, entry.publication))
                    child = node.add(label, Entry("issue", issue.id), allow_expand=True)
                    self._issue_nodes[issue.id] = child
            finally:
                self._populating = False
            self._invalidate()
            return node
        if entry is None or entry.kind != "issue" or node.children:
            return node
        # A screenful now; the rest a chunk per frame after it, so an issue of 50,000 articles
        # does not hold up the first paint (or a keypress) while its nodes are made.
        self._filling[entry.issue_id] = self._nodes_of(node, self._issues[entry.issue_id])
        if not self._fill_some(entry.issue_id, FIRST_ARTICLES):
            self.call_after_refresh(self._fill_more, entry.issue_id)
        return node

    def _nodes_of(self, node: TreeNode[Entry], issue: Issue) -> Iterator[str]:
        """Add the issue's sections and articles under `node`, one per step (the article id)."""
        for number, section in enumerate(issue.sections):
            parent = node
            if section.title:
                section_entry = Entry("section", issue.id, section=number)
                parent = node.add(self._section_label(section_entry), section_entry, expand=True)
            for article in section.articles:
                self._article_nodes[article.id] = parent.add_leaf(
                    self._article_label(article.id, article), Entry("article", issue.id, article.id)
                )
                yield article.id

    def _fill_some(self, issue_id: str, count: int, until: str | None = None) -> bool:
        """Add up to `count` more articles of the issue (all up to `until` if given); True once
        the whole issue is in the list."""
        steps = self._filling.get(issue_id)
        if steps is None:
            return True
        done = True
        self._populating = True
        try:
            for added, article_id in enumerate(steps, 1):
                if article_id == until or (until is None and added >= count):
                    done = False
                    break
        finally:
            self._populating = False
        if done:
            del self._filling[issue_id]
        self._invalidate()
        return done

    def _fill_more(self, issue_id: str) -> None:
        if issue_id in self._filling and not self._fill_some(issue_id, MORE_ARTICLES):
            self.call_after_refresh(self._fill_more, issue_id)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        self._fill(event.node)
