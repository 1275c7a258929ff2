"""The status bar: indexing progress, key hints on the left, the place in the article on the right.

The screen sets what is true (the keys' hints, the indexing counts, the current match, how far
down the article is); the line words it. Changing a fact repaints the line without laying the
screen out again.
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ProgressBar

from bulletin_tui.wording import plural

Pane = Literal["both", "reader", "sections", "search"]  # what shows: both panes, or one (stacked)
OutOf = tuple[int, int]  # so many (files indexed, a match's index from 0), out of a total
Place = tuple[int, int]  # the article's number in its issue (0: the issue itself), articles in all

TYPING_HINT = "Enter open  ↓ results  Esc back"


class StatusLine(Widget):
    """One line of text composed from the facts below."""

    DEFAULT_CSS = """
    StatusLine {
        width: 1fr;
        height: 1;
        padding: 0 1;
    }
    """

    progress: reactive[OutOf | None] = reactive(None, layout=False)  # None: not indexing
    typing: reactive[bool] = reactive(False, layout=False)  # the query box has the keys
    hints: reactive[tuple[tuple[str, str], ...]] = reactive((), layout=False)  # (key, what)
    match: reactive[OutOf | None] = reactive(None, layout=False)  # the current match
    percent: reactive[int | None] = reactive(None, layout=False)
    place: reactive[Place | None] = reactive(None, layout=False)
    shown: reactive[Pane] = reactive("both", layout=False)

    @property
    def left(self) -> str:
        if self.progress is not None:
            done, total = self.progress
            return f"Indexing {done}/{total}" if total else "Indexing…"
        if self.typing:  # keys go to the query: say what leaves it
            return TYPING_HINT
        return "  ".join(f"{key} {what}" for key, what in self.hints)

    @property
    def first_hint(self) -> str:
        """What must show whole however narrow the line: the first key (in the stacked layout,
        the one that shows the other pane), or what leaves the query box."""
        if self.progress is not None:
            return self.left
        if self.typing:
            return TYPING_HINT.split("  ")[0]
        return " ".join(self.hints[0]) if self.hints else ""

    @property
    def right_parts(self) -> list[str]:
        parts = []
        # Stacked, only what concerns the pane shown: the match and how far only with the
        # reader; the article's place in its issue with the list (its cursor is on it), not
        # with the results.
        reader = self.shown in ("both", "reader")
        if reader and self.match is not None and self.match[1]:
            parts.append(f"match {self.match[0] + 1}/{self.match[1]}")
        if reader and self.percent is not None:
            parts.append(f"{self.percent}%")
        if self.shown != "search" and self.place is not None:
            number, count = self.place
            articles = plural(count, "article")
            parts.append(f"{number} / {count} {articles}" if number else f"{count} {articles}")
        return parts

    @property
    def right(self) -> str:
        return "  ".join(self.right_parts)

    def render(self) -> Text:
        width = self.content_region.width
        parts = self.right_parts
        keep = cell_len(self.first_hint)
        while parts and keep + 2 + cell_len("  ".join(parts)) > width:
            parts.pop()  # the place in the article gives way to the key hint first
        right = "  ".join(parts)
        text = Text(self.left, end="")
        text.truncate(max(0, width - cell_len(right) - 2), overflow="ellipsis")
        text.append(" " * max(1, width - text.cell_len - cell_len(right)))
        text.append(right)
        return text


class StatusBar(Horizontal):
    """The bottom line: the progress bar while indexing (mounted when first needed), then the text."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
    }

    StatusBar > ProgressBar {
        width: 24;
    }
    """

    progress: reactive[OutOf | None] = reactive(None, layout=False)

    def __init__(self, *, ascii_bar: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_bar = ascii_bar  # ambiguous characters are two cells wide: `=` for the bar
        self._bar: ProgressBar | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status").data_bind(StatusBar.progress)

    async def watch_progress(self, progress: OutOf | None) -> None:
        if not self.is_attached:
            return  # quitting while indexing: the screen is being taken down
        bar = self._bar
        if progress is None:
            if bar is not None:
                bar.display = False
            return
        if bar is None:
            self._bar = bar = ProgressBar(id="progress", show_eta=False)
            if self.ascii_bar:
                from bulletin_tui.ui.furniture import AsciiBarRenderable

                bar.BAR_RENDERABLE = AsciiBarRenderable
            await self.mount(bar, before=0)
        bar.display = True
        done, total = progress
        bar.update(total=max(1, total), progress=done)
