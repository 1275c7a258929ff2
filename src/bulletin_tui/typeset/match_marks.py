"""Where search matches fall on laid-out lines: the reader's highlights.

A match is a span of `Article.body_text` (a hit's text span, or a typed word found again), and
may run over several lines; a typed word is also found in the title and subtitles. Each line gets
its marks in characters of its text (what a terminal's text styling counts, where the typesetter
counts cells), and the matches are numbered in reading order: one spread over lines keeps one
number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bulletin_tui.typeset.reader_lines import LaidLine
from bulletin_tui.typeset.widths import char_span, prefix_widths

Mark = tuple[int, int, int]  # first character, past the last, match number
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Marks:
    lines: dict[int, list[Mark]] = field(default_factory=dict)  # line number -> its marks
    first_lines: list[int] = field(default_factory=list)  # match number -> the line it starts on


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-empty, non-overlapping spans."""
    merged: list[Span] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def term_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Every occurrence of each term in `text`, ignoring case."""
    folded = text.casefold()
    spans: list[Span] = []
    for term in {t.casefold() for t in terms if t.strip()}:
        at = folded.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = folded.find(term, at + len(term))
    return spans


def body_offset(line: LaidLine) -> int | None:
    """Where the line starts in the article's body text; None outside the body."""
    return None if line.block is None else line.offset + line.start


def line_of_offset(lines: Sequence[LaidLine], offset: int) -> int:
    """The line showing body offset `offset` (the last body line starting at or before it).

    By halves: body lines are in offset order, and an article may have millions of lines.
    """
    found, low, high = 0, 0, len(lines)
    while low < high:
        middle = (low + high) // 2
        probe, at = middle, None  # the first body line from the middle on
        while probe < high and (at := body_offset(lines[probe])) is None:
            probe += 1
        if at is None or at > offset:
            high = middle
        else:
            found, low = probe, probe + 1
    return found


def line_chars(line: LaidLine, start: int, end: int, ambiguous: int) -> Span | None:
    """The characters of `line.text` showing body offsets [start, end), if any."""
    columns = getattr(line, "columns", None)  # body lines of an article have it
    cells = columns(start, end, ambiguous) if columns is not None else None
    return char_span(prefix_widths(line.text, ambiguous), cells) if cells else None


def _body_marks(
    lines: Sequence[LaidLine], spans: Sequence[Span], ambiguous: int
) -> list[tuple[int, int, int, int]]:
    found = []  # line, first character, past the last, match key
    for key, (start, end) in enumerate(spans):
        # From the line of the span's start on: never a walk over millions of lines.
        for number in range(line_of_offset(lines, start), len(lines)):
            line = lines[number]
            at = body_offset(line)
            if at is None:
                continue
            if at >= end:
                break
            low, high = max(start, at), min(end, line.offset + line.end)
            chars = line_chars(line, low, high, ambiguous) if low < high else None
            if chars is not None:
                found.append((number, *chars, key))
    return found


def find_marks(
    lines: Sequence[LaidLine], spans: Sequence[Span], terms: Sequence[str], ambiguous: int = 1
) -> Marks:
    """The marks of `spans` (merged, of the body text) and of `terms` in the title lines."""
    found = _body_marks(lines, spans, ambiguous) if spans else []
    if terms:
        for number, line in enumerate(lines):
            if line.block is not None:  # the title and subtitles are above the body
                break
            if line.role in ("title", "subtitle"):
                for start, end in term_spans(line.text, terms):
                    found.append((number, start, end, len(spans) + len(found)))
    # Number the matches in reading order; a match spread over lines keeps one number.
    first_line: dict[int, tuple[int, int]] = {}
    for number, start, _end, key in found:
        first_line.setdefault(key, (number, start))
    order = sorted(first_line, key=lambda key: first_line[key])
    numbering = {key: index for index, key in enumerate(order)}
    marks = Marks(first_lines=[first_line[key][0] for key in order])
    for number, start, end, key in found:
        marks.lines.setdefault(number, []).append((start, end, numbering[key]))
    return marks
