"""Matches on laid-out lines: cells to characters, a match over two lines, numbering in order."""

from __future__ import annotations

from bulletin_tui.model import Article, Block
from bulletin_tui.typeset import (
    LayoutOptions,
    char_span,
    find_marks,
    layout_article,
    merge_spans,
    prefix_widths,
    term_spans,
)


def test_cells_become_characters() -> None:
    prefix = prefix_widths("中a“b", ambiguous=2)  # 2 + 1 + 2 + 1 cells
    assert prefix == [0, 2, 3, 5, 6]
    assert char_span(prefix, (0, 2)) == (0, 1)
    assert char_span(prefix, (2, 5)) == (1, 3)
    assert char_span(prefix, (5, 5)) == (3, 4)  # at least one character
    assert char_span(prefix, (6, 8)) is None  # past the end


def test_spans_merge_and_terms_are_found_ignoring_case() -> None:
    assert merge_spans([(5, 9), (0, 2), (1, 3), (7, 7)]) == [(0, 3), (5, 9)]
    assert sorted(term_spans("Abc abc ABC", ["abc"])) == [(0, 3), (4, 7), (8, 11)]


def test_a_match_over_two_lines_keeps_one_number() -> None:
    text = "一二三四五六七八九十" * 3
    article = Article(
        id="x.1", title="标题", blocks=(Block(kind="paragraph", text=text),), section=""
    )
    options = LayoutOptions(measure=10, indent=False)
    lines = layout_article(article, 20, options)
    body = [number for number, line in enumerate(lines) if line.block is not None]
    start = text.index("九十一")  # the end of the first line and the start of the second
    marks = find_marks(lines, [(start, start + 3)], ["标题"], options.ambiguous_width)
    assert marks.first_lines == [0, body[0]]  # the title's term, then the body's span
    pieces = [
        lines[number].text[first:last]
        for number in sorted(marks.lines)
        for first, last, match in marks.lines[number]
        if match == 1
    ]
    assert "".join(pieces) == "九十一"
    assert {match for number in (body[0], body[1]) for *_, match in marks.lines[number]} == {1}
