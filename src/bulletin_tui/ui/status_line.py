"""The status line: hints or indexing progress on the left, place in the article on the right."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """One line; changing its text repaints it without laying the screen out again."""

    left: reactive[str] = reactive("", layout=False)
    right: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        width = self.content_region.width
        right = self.right
        text = Text(self.left, end="")
        text.truncate(max(0, width - cell_len(right) - 2), overflow="ellipsis")
        text.append(" " * max(1, width - text.cell_len - cell_len(right)))
        text.append(right)
        return text
