"""less and vi paging keys (Ctrl+D/U half a page, Ctrl+F/B a page) for the reader and the lists.

The reader scrolls; a list moves its cursor, which scrolls the list with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.scroll_view import ScrollView
from textual.widgets import OptionList, Tree
from textual.widgets.tree import TreeDataType

if TYPE_CHECKING:
    from textual.widget import Widget


def half(height: int) -> int:
    return max(1, height // 2)


def page(height: int) -> int:
    return max(1, height - 1)  # a page keeps one line of context, as less does


class _PagingKeys:
    """The four actions, in steps of the widget's height; `_move_by` says what moves."""

    def _move_by(self, lines: int) -> None:
        raise NotImplementedError

    def _page_height(self) -> int:
        return cast("Widget", self).scrollable_content_region.height

    def action_half_page_down(self) -> None:
        self._move_by(half(self._page_height()))

    def action_half_page_up(self) -> None:
        self._move_by(-half(self._page_height()))

    def action_page_forward(self) -> None:
        self._move_by(page(self._page_height()))

    def action_page_back(self) -> None:
        self._move_by(-page(self._page_height()))


class ScrollPaging(_PagingKeys, ScrollView):
    """For a scrolling view (the reader): the view moves, there is no cursor."""

    def _move_by(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False, immediate=True)


class TreePaging(_PagingKeys, Tree[TreeDataType]):
    """For the section list: the cursor moves by lines of the tree."""

    def _move_by(self, lines: int) -> None:
        if self.cursor_line < 0:
            self.cursor_line = 0
        self.cursor_line = max(0, min(self.last_line, self.cursor_line + lines))
        self.scroll_to_line(self.cursor_line)


class OptionPaging(_PagingKeys, OptionList):
    """For the search results: a hit takes several lines, so the move is counted in lines."""

    def _move_by(self, lines: int) -> None:
        if not self.option_count:
            return
        current = self.highlighted or 0
        line_of = self._index_to_line
        target = max(0, min(len(self._lines) - 1, line_of[current] + lines))
        index = self._lines[target][0]
        if index == current and lines:  # always move at least one hit
            index = max(0, min(self.option_count - 1, current + (1 if lines > 0 else -1)))
        self.highlighted = index
