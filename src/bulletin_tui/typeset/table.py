"""Tables in terminal cells: CJK-aligned columns, wrapped cells when wide, records when narrow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bulletin_tui.typeset.options import LayoutOptions
from bulletin_tui.typeset.paragraph import layout_paragraph
from bulletin_tui.typeset.punctuation import prepare
from bulletin_tui.typeset.widths import cell_width

COLUMN_GAP = "  "
MIN_COLUMN = 8  # cells: narrower than this, rows are shown as "header：value" records


@dataclass(frozen=True, slots=True)
class TableLine:
    text: str
    cells: int
    row: int  # the table row shown (0 is the header); -1 for the rule under the header


def layout_table(
    rows: Sequence[Sequence[str]], width: int, options: LayoutOptions
) -> list[TableLine]:
    """Lines of at most `width` cells showing `rows` (the first is the header)."""
    options = replace(options, indent=False)
    count = max((len(row) for row in rows), default=0)
    if not count:
        return []
    grid = [[*row, *([""] * (count - len(row)))] for row in rows]
    gap = cell_width(COLUMN_GAP, options.ambiguous_width)
    room = max(width, 2) - gap * (count - 1)
    natural = [max(_natural(row[col], options) for row in grid) or 1 for col in range(count)]
    if sum(natural) <= room:
        widths = natural
    elif room >= MIN_COLUMN * count:
        widths = _share(natural, room)
    else:
        return _records(grid, width, options)
    lines: list[TableLine] = []
    for index, row in enumerate(grid):
        lines.extend(_row_lines(row, index, widths, options))
        if index == 0 and len(grid) > 1:
            rule = COLUMN_GAP.join("-" * column for column in widths)
            lines.append(TableLine(rule, cell_width(rule, options.ambiguous_width), -1))
    return lines


def _natural(cell: str, options: LayoutOptions) -> int:
    shown = prepare(cell.replace("\n", " "), options.normalise_punctuation).text
    return cell_width(shown.strip(), options.ambiguous_width)


def _share(natural: list[int], room: int) -> list[int]:
    """Column widths filling `room`: narrow columns keep their width, wide ones split the rest."""
    widths = list(natural)
    open_columns = list(range(len(natural)))
    while open_columns:
        fair = room // len(open_columns)
        narrow = [col for col in open_columns if natural[col] <= fair]
        if not narrow:
            break
        room -= sum(natural[col] for col in narrow)
        open_columns = [col for col in open_columns if col not in narrow]
    for position, col in enumerate(open_columns):
        widths[col] = room // len(open_columns) + (position < room % len(open_columns))
    return widths


def _row_lines(
    row: list[str], index: int, widths: list[int], options: LayoutOptions
) -> list[TableLine]:
    ambiguous = options.ambiguous_width
    cells = [
        [line.text for line in layout_paragraph(cell.replace("\n", " "), width, options)] or [""]
        for cell, width in zip(row, widths, strict=True)
    ]
    lines: list[TableLine] = []
    for depth in range(max(len(cell) for cell in cells)):
        parts = [
            _pad(cell[depth] if depth < len(cell) else "", width, ambiguous)
            for cell, width in zip(cells, widths, strict=True)
        ]
        text = COLUMN_GAP.join(parts).rstrip()
        lines.append(TableLine(text, cell_width(text, ambiguous), index))
    return lines


def _pad(text: str, width: int, ambiguous: int) -> str:
    return text + " " * max(0, width - cell_width(text, ambiguous))


def _records(grid: list[list[str]], width: int, options: LayoutOptions) -> list[TableLine]:
    """Each row as lines of "header：value", for panes too narrow for the columns."""
    header, body = grid[0], grid[1:] or [grid[0]]
    lines: list[TableLine] = []
    for index, row in enumerate(body, start=1 if len(grid) > 1 else 0):
        if lines:
            lines.append(TableLine("", 0, index))
        for name, value in zip(header, row, strict=True):
            text = f"{name}：{value}" if len(grid) > 1 and name and value else value or name
            for line in layout_paragraph(text.replace("\n", " "), width, options):
                lines.append(TableLine(line.text, line.cells, index))
    return lines
