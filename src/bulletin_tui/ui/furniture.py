"""Furniture (pane separator, scrollbars, tree guides, borders, progress bar) for terminals that
draw East Asian "ambiguous" characters two cells wide.

Textual draws its furniture with box-drawing and block characters (│ ├ ▏ ▁ ━ ╭), which are all
"ambiguous": on such a terminal each takes two cells, so the separator breaks up and rows run past
the right edge. With `ambiguous_width = 2` the furniture is drawn with ASCII, which every terminal
draws one cell wide, or with background colour alone. Borders are switched in `app.tcss` under the
app's `-ambiguous-wide` class; what CSS cannot reach is here.
"""

from __future__ import annotations

from typing import ClassVar

from textual.renderables.bar import Bar as BarRenderable
from textual.scrollbar import ScrollBar, ScrollBarRender

from bulletin_tui.ui.ambiguous_cells import measure_ambiguous_as_wide

ASCII_GUIDES = ("  ", "| ", "`-", "|-")  # Tree.LINES: space, vertical, terminator, cross


class ColourScrollBarRender(ScrollBarRender):
    """A scrollbar whose thumb is background colour only: no partial block characters."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


class AsciiBarRenderable(BarRenderable):
    """A progress bar drawn with `=` rather than `━` and `╸`."""

    HALF_BAR_LEFT = "="
    BAR = "="
    HALF_BAR_RIGHT = "="


def use_one_cell_furniture(wide: bool) -> None:
    """Scrollbars for the whole app (Textual keeps the renderer on the class), and Rich's measure
    of ambiguous characters."""
    ScrollBar.renderer = ColourScrollBarRender if wide else ScrollBarRender
    measure_ambiguous_as_wide(wide)
