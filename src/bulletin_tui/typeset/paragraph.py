"""Laying out one block of running text: safe display text, hard line breaks, indent, breaking."""

from __future__ import annotations

from bulletin_tui.typeset.breaking import SPACES, Breaker, Line
from bulletin_tui.typeset.options import LayoutOptions
from bulletin_tui.typeset.punctuation import prepare
from bulletin_tui.typeset.widths import cell_width, prefix_widths

PARAGRAPH_INDENT = "\u3000\u3000"
_DEFAULT = LayoutOptions()


def layout_paragraph(
    text: str, width: int, options: LayoutOptions = _DEFAULT, *, indent: str = ""
) -> list[Line]:
    """Lines of at most `width` cells showing `text`; the first begins with `indent`.

    A newline in `text` ends a line (a blank line inside the text gives an empty Line). The
    measure is not applied here: `width` is the line length (see `LayoutOptions.text_width`).
    Widths under 2 cells are treated as 2, the least that holds a Chinese character.
    """
    ambiguous = options.ambiguous_width
    limit = max(width, 2)
    indent_cells = cell_width(indent, ambiguous)
    if limit - indent_cells < 2:
        indent, indent_cells = "", 0
    display = prepare(text, options.normalise_punctuation)
    shown = display.text
    prefix = prefix_widths(shown, ambiguous)
    if "\n" not in shown and prefix[-1] <= limit - indent_cells:  # fits on one line
        start, end = _stripped(shown)
        if start >= end:
            return []
        source_start, source_end = display.source_span(start, end)
        cells = prefix[end] - prefix[start] + indent_cells
        return [Line(indent + shown[start:end], source_start, source_end, indent, cells)]
    lines: list[Line] = []
    at = 0
    while at <= len(shown):
        stop = shown.find("\n", at)
        if stop < 0:
            stop = len(shown)
        first_limit = limit - indent_cells if not lines else limit
        spans = Breaker(shown, prefix, at, stop, first_limit, limit).run()
        if not spans and lines:
            start, _ = display.source_span(at, at)
            lines.append(Line("", start, start))
        for start, end in spans:
            lead = indent if not lines else ""
            source_start, source_end = display.source_span(start, end)
            cells = prefix[end] - prefix[start] + (indent_cells if lead else 0)
            lines.append(Line(lead + shown[start:end], source_start, source_end, lead, cells))
        at = stop + 1
    while lines and not lines[-1].text:
        lines.pop()
    return lines


def _stripped(text: str) -> tuple[int, int]:
    """`text`'s bounds without the spaces at either end."""
    start, end = 0, len(text)
    while start < end and text[start] in SPACES:
        start += 1
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return start, end
