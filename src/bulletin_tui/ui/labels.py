"""Lines of a list fitted to its width: a title cut with …, a count in a right-aligned column."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

ELLIPSIS = "…"
# … is East Asian "ambiguous": where such characters are two cells wide, Textual still counts it
# as one, so every cut line pushed the pane separator a cell to the right. ASCII there.
ASCII_ELLIPSIS = ".."
_cut_mark = ELLIPSIS


def use_ascii_ellipsis(wide: bool) -> None:
    """Cut lines end in `..` (True: ambiguous characters are two cells wide) or `…`."""
    global _cut_mark
    _cut_mark = ASCII_ELLIPSIS if wide else ELLIPSIS


def cut_mark() -> str:
    """What ends a line cut short: … or, where that is two cells wide, `..`."""
    return _cut_mark


def fit_label(
    label: Text, width: int, count: str = "", count_style: Style | None = None, gap: int = 1
) -> Text:
    """`label` cut to `width` cells (ending in `cut_mark()` when cut), with `count` flush right at least
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
    mark = cut_mark()
    used, keep = 0, 0
    for character in text.plain:
        cells = cell_len(character)
        if used + cells > width - cell_len(mark):
            break
        used, keep = used + cells, keep + 1
    cut = text[:keep]
    cut.append(mark)
    return cut
