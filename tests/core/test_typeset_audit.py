"""An independent check of laid-out lines against the issue's rules, and tests that it catches faults.

The other typesetting tests run layouts through `audit_paragraph`/`audit_article`. It measures with
`rich.cells.cell_len` and `unicodedata` directly and has its own idea of where a break may fall, so a
fault in the typesetter's width tables or break rules shows up here instead of being agreed with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rich.cells import cell_len

from bulletin_tui.model import Article
from bulletin_tui.parse.sanitize import sanitize_text
from bulletin_tui.typeset import ArticleLine, LayoutOptions, Line

# The lists, with the ASCII forms: no line starts with …, none ends with …
CLOSING = set("，。、；：？！）》」』”’…—%") | set(",.;:?!)%")
OPENING = set("（《「『“‘") | set("(")
SHORT_BY = 6
WIDE_PUNCT = set("“”‘’…—·")
# Marks the typesetter also keeps from starting / ending a line (a stricter 避头尾 is allowed).
NEVER_FIRST = CLOSING | set("〉】〕〗］｝·・％‰℃]}")
NEVER_LAST = OPENING | set("〈【〔〖［｛[{")
FULL_TO_ASCII = str.maketrans("，；：？！（）", ",;:?!()")


def cells(text: str, ambiguous: int) -> int:
    """Cells on a terminal that draws East Asian ambiguous characters `ambiguous` cells wide."""
    extra = 0
    if ambiguous == 2:
        extra = sum(
            1 for ch in text if unicodedata.east_asian_width(ch) == "A" and cell_len(ch) == 1
        )
    return cell_len(text) + extra


def _wide(ch: str) -> bool:
    return ch in WIDE_PUNCT or unicodedata.east_asian_width(ch) in "WF"


def _break_ok(before: str, after: str, spaced: bool) -> bool:
    """May a line end between these two visible characters (a space between them or not)?"""
    if before in NEVER_LAST or after in NEVER_FIRST:
        return False
    if unicodedata.combining(after) or after in "\u200d\ufe0f":
        return False
    return spaced or _wide(before) or _wide(after)


def _break_points(text: str) -> list[bool]:
    """`result[i]`: may a line end just before `text[i]`? (At a run of spaces: at its start.)"""
    points = [False] * (len(text) + 1)
    points[len(text)] = True
    following = ""  # the next character that is not a space, scanning from the end
    for at in range(len(text) - 1, 0, -1):
        a, b = text[at - 1], text[at]
        if b not in " \u3000":
            following = b
        if a in " \u3000":
            continue
        if b in " \u3000":
            points[at] = bool(following) and _break_ok(a, following, True)
        else:
            points[at] = _break_ok(a, b, False)
    return points


def _run_around(points: list[bool], end: int, start: int) -> tuple[int, int]:
    """The unbreakable run holding a line end at `end` whose next line starts at `start`."""
    first = end
    while first > 0 and not points[first]:
        first -= 1
    last = start + 1
    while last < len(points) - 1 and not points[last]:
        last += 1
    return first, last


def _shown(source: str, options: LayoutOptions) -> str:
    """What the source should look like on screen, folded when punctuation is normalised."""
    text = sanitize_text(source)
    text = "".join(" " if ch.isspace() and ch not in "\n\u3000" else ch for ch in text)
    return text.translate(FULL_TO_ASCII) if options.normalise_punctuation else text


def audit_paragraph(
    source: str,
    lines: Sequence[Line],
    width: int,
    options: LayoutOptions,
    indent: str = "",
) -> list[str]:
    """Every rule `lines` (laid out from `source` at `width`) breaks, as messages."""
    amb = options.ambiguous_width
    problems: list[str] = []
    limit = max(width, 2)
    bodies: list[str] = []
    for number, line in enumerate(lines):
        where = f"line {number} {line.text!r}"
        body = line.text[len(line.indent) :]
        bodies.append(body)
        if not line.text.startswith(line.indent):
            problems.append(f"{where}: does not start with its indent")
        if cells(line.text, amb) > limit:
            problems.append(f"{where}: {cells(line.text, amb)} cells > {limit}")
        if cells(line.text, amb) != line.cells:
            problems.append(f"{where}: says {line.cells} cells, is {cells(line.text, amb)}")
        if any(unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" for ch in line.text):
            problems.append(f"{where}: control character")
        if body != body.strip(" \u3000"):
            problems.append(f"{where}: space at an end")
        expected = _shown(source[line.start : line.end], options)
        got = body.translate(FULL_TO_ASCII) if options.normalise_punctuation else body
        if got != expected:
            problems.append(f"{where}: shows {got!r} for source {expected!r}")
        elif options.normalise_punctuation and len(body) == line.end - line.start:
            for ch, orig in zip(body, source[line.start : line.end], strict=True):
                if ch != orig and orig not in ",;:?!()" and not orig.isspace():
                    problems.append(f"{where}: changed {orig!r} to {ch!r}")
    if indent and lines and cells(indent, amb) + 2 <= limit and lines[0].indent != indent:
        problems.append(f"first line lacks the indent {indent!r}")
    # Nothing lost or reordered: between lines (and around them) only whitespace or unsafe bytes.
    edges = [0, *[x for line in lines for x in (line.start, line.end)], len(source)]
    for at in range(0, len(edges), 2):
        gap = source[edges[at] : edges[at + 1]] if edges[at] <= edges[at + 1] else None
        if gap is None:
            problems.append(f"lines overlap or go backwards at offset {edges[at]}")
        elif sanitize_text(gap).strip():
            problems.append(f"text {gap!r} at offset {edges[at]} is on no line")
    # Across each line end inside a piece of text (not across a newline of the source).
    joined = ""
    ends: list[tuple[int, int]] = []  # (end of a line, start of the next) in `joined`
    begins: list[int] = []  # where each line starts in `joined`
    for number, line in enumerate(lines):
        if number:
            gap = source[lines[number - 1].end : line.start]
            if "\n" in gap or not bodies[number] or not bodies[number - 1]:
                ends.append((-1, -1))
                joined += "\n"
            else:
                shown = _shown(gap, options).strip("\n")
                ends.append((len(joined), len(joined) + len(shown)))
                joined += shown
        begins.append(len(joined))
        joined += bodies[number]
    for piece_start, piece in _pieces(joined):
        points = _break_points(piece)
        for number, (end, start) in enumerate(ends, start=1):
            if end < piece_start or start > piece_start + len(piece):
                continue
            end, start = end - piece_start, start - piece_start
            before, after = piece[:end], piece[start:]
            prev_limit = limit - cells(lines[number - 1].indent, amb)
            where = f"lines {number - 1}-{number} {before[-12:]!r} | {after[:12]!r}"
            first, last = _run_around(points, end, start)
            run = piece[first:last].strip(" \u3000")
            # A run longer than a line (or than the line it starts) is broken where it must be.
            starts_line = first <= begins[number - 1] - piece_start
            overlong = cells(run, amb) > (prev_limit if starts_line else limit)
            if not points[end] and not overlong:
                if after[0] in CLOSING:
                    problems.append(f"{where}: line starts with a closing mark")
                elif before[-1] in OPENING:
                    problems.append(f"{where}: line ends with an opening mark")
                elif not _wide(before[-1]) and not _wide(after[0]) and end == start:
                    problems.append(f"{where}: splits a word")
                else:
                    problems.append(f"{where}: breaks where no break is allowed")
            previous = bodies[number - 1]
            short = prev_limit - cells(previous, amb)
            if short > SHORT_BY:
                unit_end = start + 1
                while unit_end < len(piece) and not points[unit_end]:
                    unit_end += 1
                addition = piece[end:unit_end]  # the spaces and the next unbreakable run
                if cells(previous + addition, amb) <= prev_limit:
                    problems.append(f"{where}: {short} cells short though {addition!r} would fit")
    return problems


def _pieces(joined: str) -> list[tuple[int, str]]:
    """The parts of `joined` between newlines, with where each starts."""
    found: list[tuple[int, str]] = []
    at = 0
    for part in joined.split("\n"):
        found.append((at, part))
        at += len(part) + 1
    return found


def audit_article(
    article: Article, lines: Sequence[ArticleLine], width: int, options: LayoutOptions
) -> list[str]:
    """Every line fits and is safe; every paragraph's lines pass `audit_paragraph`."""
    amb = options.ambiguous_width
    problems = [
        f"line {n} {line.text!r}: {cells(line.text, amb)} cells > {width}"
        for n, line in enumerate(lines)
        if cells(line.text, amb) > max(width, 2)
    ]
    problems += [
        f"line {n} {line.text!r}: control character"
        for n, line in enumerate(lines)
        if any(unicodedata.category(ch) == "Cc" for ch in line.text)
    ]
    text_width = options.text_width(width)
    for index, block in enumerate(article.blocks):
        mine = [line for line in lines if line.block == index]
        if not mine and block.text.strip():
            problems.append(f"block {index} ({block.kind}) has no lines")
        if block.kind == "paragraph":
            as_lines = [Line(x.text, x.start, x.end, x.indent, x.cells) for x in mine]
            found = audit_paragraph(block.text, as_lines, text_width, options, "\u3000\u3000")
            problems += [f"block {index}: {problem}" for problem in found]
        offset = len("\n\n".join(b.text for b in article.blocks[:index])) + (2 if index else 0)
        if any(line.offset != offset for line in mine):
            problems.append(f"block {index}: wrong offset into body_text")
    return problems


# --- the audit itself must catch faults ---------------------------------------------------------

OPTIONS = LayoutOptions()


def _line(text: str, start: int, indent: str = "") -> Line:
    body = text[len(indent) :]
    return Line(text, start, start + len(body), indent, cells(text, 1))


def test_audit_passes_a_good_layout() -> None:
    source = "光阴如梭，时间的指针已指向2018年。"
    lines = [_line("光阴如梭，时间的指", 0), _line("针已指向2018年。", 9)]
    assert audit_paragraph(source, lines, 18, OPTIONS) == []


def test_audit_catches_a_line_starting_with_a_closing_mark() -> None:
    source = "光阴如梭，时间"
    lines = [_line("光阴如梭", 0), _line("，时间", 4)]
    assert any("closing mark" in p for p in audit_paragraph(source, lines, 8, OPTIONS))


def test_audit_catches_an_opening_mark_at_a_line_end() -> None:
    source = "他说“你好”"
    lines = [_line("他说“", 0), _line("你好”", 3)]
    assert any("opening mark" in p for p in audit_paragraph(source, lines, 6, OPTIONS))


def test_audit_catches_lost_and_overlong_and_split_words() -> None:
    source = "实施PPP项目，不断扩大"
    lost = [_line("实施PPP项目", 0), _line("不断扩大", 8)]
    assert any("on no line" in p for p in audit_paragraph(source, lost, 12, OPTIONS))
    split = [_line("实施PP", 0), _line("P项目，不断扩大", 4)]
    assert any("splits a word" in p for p in audit_paragraph(source, split, 16, OPTIONS))
    wide = [_line("实施PPP项目，不断扩大", 0)]
    assert any("cells >" in p for p in audit_paragraph(source, wide, 12, OPTIONS))


def test_audit_catches_a_gap_and_a_wrong_character() -> None:
    source = "一二三四五六七八九十"
    gap = [_line("一二", 0), _line("三四五六七八九十", 2)]
    assert any("short" in p for p in audit_paragraph(source, gap, 16, OPTIONS))
    wrong = [Line("一二三四五六七八九千", 0, 10, "", 20)]
    assert any("shows" in p for p in audit_paragraph(source, wrong, 20, OPTIONS))


def test_audit_measures_ambiguous_characters_both_ways() -> None:
    assert cells("“你好”", 1) == 6
    assert cells("“你好”", 2) == 8
