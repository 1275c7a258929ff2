"""The typesetter: Chinese text laid out in terminal cells, for the reader, `show` and export.

Pure (no Textual, no I/O). Everything it returns is safe to print: escape sequences, control
characters and bidi overrides from documents never reach a line.

    options = LayoutOptions(measure=40, normalise_punctuation=True, ambiguous_width=1, indent=True)
    LayoutOptions.from_env()            # ambiguous_width from BULLETIN_TUI_AMBIGUOUS_WIDTH
    options.text_width(pane_width)      # cells a line may take: the pane, capped by the measure
    options.margin(pane_width)          # blank cells left of the text to centre it
    options.wider(+1) / options.wider(-1)   # the `+` / `-` keys: measure ± 2 characters

    layout_paragraph(text, width, options, indent="") -> list[Line]
        Line(text, start, end, indent, cells): `text` is drawn as is; `text[len(indent):]` shows
        `source[start:end]` (one display character per source character, punctuation normalised).
    layout_article(article, pane_width, options, issue=None) -> list[ArticleLine]
    iter_layout_article(..., first=0)   # the same lines, the heading first, then block by block
                                        # (from block `first`, numbers and offsets kept)
    LineTable(lines); table.extend(part)   # lines in columns (~40 bytes a line), read as a list
        title, subtitles, a metadata line, then the body block by block with blank lines between.
        ArticleLine(text, style, block, start, end, indent, cells, level, offset, exact);
        `style` is one of STYLES (also as `.role`); table lines have `level` TABLE_HEADER or
        TABLE_RULE for the header row and the rule under it; `line.columns(a, b, ambiguous)`
        gives the cells showing `article.body_text[a:b]` (a `Hit.text_spans` entry) on that line.
    render_plain(article, pane_width, options, issue=None, center=False) -> str   # for `show`
    plain_lines(...)                    # the same, a line at a time

    issue_overview(issue, pane_width, options) -> list[PlainLine]   # an issue's front page
    issue_label_text(issue, publication="")   # its date and title, the date said once
    LaidLine                            # what the reader needs of a line: ArticleLine, PlainLine
    lay_out_window(article, pane_width, options, issue, wanted, room)   # the lines around a
                                        # body offset deep in a long article, at once
    line_of_offset(lines, offset), body_offset(line)   # a body offset's line, a line's offset

    cell_width(text, ambiguous)         # cells on a terminal drawing ambiguous characters 1 or 2 wide
    prefix_widths(text, ambiguous)      # the cells before each character, and the whole line's
    char_span(prefix, cells)            # the characters drawn in a run of cells
    find_marks(lines, spans, terms, ambiguous) -> Marks   # search matches on laid-out lines
    fold_punctuation(text)              # full-width ，；：？！（） as ASCII, to search both forms

Every line is at most the given width under the options' ambiguous width; no line starts with a
closing mark or ends with an opening one (避头尾) unless a single unbreakable run is longer than
the line; every line but a paragraph's last ends within `SLACK` (6) cells of the width unless what
comes next could not have fitted on it; Latin words, numbers and URLs are split only when longer
than a line.
"""

from __future__ import annotations

from bulletin_tui.line_break_rules import NO_END, NO_START
from bulletin_tui.typeset.article import (
    STYLES,
    TABLE_HEADER,
    TABLE_RULE,
    ArticleLine,
    Style,
    iter_layout_article,
    layout_article,
    meta_text,
    plain_lines,
    render_plain,
)
from bulletin_tui.typeset.breaking import SLACK, Line
from bulletin_tui.typeset.line_table import LineTable
from bulletin_tui.typeset.match_marks import (
    Mark,
    Marks,
    body_offset,
    find_marks,
    line_of_offset,
    merge_spans,
    term_spans,
)
from bulletin_tui.typeset.options import LayoutOptions
from bulletin_tui.typeset.paragraph import PARAGRAPH_INDENT, layout_paragraph
from bulletin_tui.typeset.punctuation import fold_punctuation, normalise_punctuation
from bulletin_tui.typeset.reader_lines import (
    OVERVIEW_ARTICLES,
    LaidLine,
    PlainLine,
    issue_label_text,
    issue_overview,
    lay_out_window,
)
from bulletin_tui.typeset.widths import (
    AMBIGUOUS_ENV,
    ambiguous_width_from_env,
    cell_width,
    char_span,
    is_ambiguous,
    prefix_widths,
)

__all__ = [
    "AMBIGUOUS_ENV",
    "NO_END",
    "NO_START",
    "OVERVIEW_ARTICLES",
    "PARAGRAPH_INDENT",
    "SLACK",
    "STYLES",
    "TABLE_HEADER",
    "TABLE_RULE",
    "ArticleLine",
    "LaidLine",
    "LayoutOptions",
    "Line",
    "LineTable",
    "Mark",
    "Marks",
    "PlainLine",
    "Style",
    "ambiguous_width_from_env",
    "body_offset",
    "cell_width",
    "char_span",
    "find_marks",
    "fold_punctuation",
    "is_ambiguous",
    "issue_label_text",
    "issue_overview",
    "iter_layout_article",
    "lay_out_window",
    "layout_article",
    "layout_paragraph",
    "line_of_offset",
    "merge_spans",
    "meta_text",
    "normalise_punctuation",
    "plain_lines",
    "prefix_widths",
    "render_plain",
    "term_spans",
]
