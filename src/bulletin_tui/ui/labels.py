"""Lines of a list fitted to its width: a title cut with …, a count in a right-aligned column."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

ELLIPSIS = "…"  # two cells where ambiguous characters are: Rich is told so (ambiguous_cells)


def fit_label(
    label: Text, width: int, count: str = "", count_style: Style | None = None, gap: int = 1
) -> Text:
    """`label` cut to `width` cells (ending in … when cut), with `count` flush right at least
    `gap` cells after it."""
    room = width - (cell_len(count) + gap if count else 0)
    if room < 2:  # too narrow for both: the title wins, the count is dropped
        room, count = width, ""
    fitted = label.copy()
    fitted.end = ""
    if fitted.cell_len > room:
        fitted = cut_text(fitted, max(1, room))
    if count:
        fitted.append(" " * (width - fitted.cell_len - cell_len(count)))
        fitted.append(count, count_style or Style())
    return fitted


def cut_text(text: Text, width: int) -> Text:
    """The longest start of `text` that fits `width` cells with … after it (a wide character
    that would not fit whole is left out, not padded with a space)."""
    used, keep = 0, 0
    for character in text.plain:
        cells = cell_len(character)
        if used + cells > width - cell_len(ELLIPSIS):
            break
        used, keep = used + cells, keep + 1
    cut = text[:keep]
    cut.append(ELLIPSIS)
    return cut
