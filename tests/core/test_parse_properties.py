"""Generated documents: parsing never crashes, never loses a visible character, never lets a control
sequence through, and gives the same result twice."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin_tui.model import Issue
from bulletin_tui.parse import parse_issue
from bulletin_tui.sources import SourceError, decode
from tests.conftest import SEED
from tests.visible_text import issue_keeps, visible_text

# Issue 6 asks for at least 2,000 generated documents in CI; locally a quicker run is enough.
EXAMPLES = int(
    os.environ.get("BULLETIN_TUI_PROPERTY_EXAMPLES", "2000" if os.environ.get("CI") else "300")
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("，。、；：？！（）《》「」“”‘’…—%,.;:?!()[]-|*_#`\\<>&"))
LATIN = st.sampled_from(
    ["PPP", "AKSH", "FINAL-LY", "https://example.org/a?b=1", "2018", "3.5", "Ａ"]
)
CONTROL = st.sampled_from(
    [
        "\x1b[31m",
        "\x1b]52;c;SGk=\x07",
        "\x1b]0;title",
        "\x07",
        "\x00",
        "\x9b2J",
        "\u202e",
        "\x7f",
        "\t",
    ]
)
SPACE = st.sampled_from([" ", "  ", "\u3000"])


def _inline() -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(CJK, CJK, CJK, PUNCT, LATIN, CONTROL, SPACE), min_size=1, max_size=40
    ).map("".join)


BYLINE = st.builds(
    lambda who, mate, rest: f"本报讯 (记者 {who} 通讯员 {mate}) {rest}",
    st.sampled_from(["丽娜", "蒋玉", "王浩"]),
    st.sampled_from(["陈瑶", "开宣"]),
    _inline(),
)
CREDIT = st.sampled_from(["记者 丽娜 摄", "(记者 蒋玉 通讯员 殷琴 摄)", "本报记者 郑洋洋摄"])
HEADING = st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 3), _inline())
TABLE = st.builds(lambda a, b: f"| {a} | {b} |\n|---|---|\n| {b} | {a} |", _inline(), _inline())
HTML = st.builds(lambda t: f"<div><p>{t}</p></div>", _inline())
LIST = st.builds(lambda a, b: f"- {a}\n- {b}", _inline(), _inline())
# Lists and quotes nested up to and past the parser's limits (lists 10, quotes 20), alone or as a
# line inside a paragraph: `- - - - - - - - - - 要点` once dropped the rest of the issue.
NESTED = st.builds(
    lambda markers, text: "".join(markers) + text,
    st.lists(st.sampled_from(["- ", "> ", "1. ", "* "]), min_size=1, max_size=30),
    _inline(),
)
PARAGRAPH = st.builds(
    lambda lines: "\n".join(lines),
    st.lists(st.one_of(_inline(), _inline(), _inline(), NESTED), min_size=1, max_size=3),
)
BLOCK = st.one_of(
    HEADING, HEADING, PARAGRAPH, PARAGRAPH, PARAGRAPH, BYLINE, CREDIT, TABLE, HTML, LIST, NESTED
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=14).map("\n\n".join)


def _strings(issue: Issue) -> list[str]:
    texts = [issue.title, *issue.front_matter]
    for section in issue.sections:
        texts.append(section.title or "")
        for article in section.articles:
            texts += [
                article.title,
                *article.subtitles,
                article.byline or "",
                article.dateline or "",
            ]
            texts += [*article.reporters, *article.correspondents, *article.photo_credits]
            for block in article.blocks:
                texts += [block.text, *block.items, *(cell for row in block.rows for cell in row)]
                texts += [part for link in block.links for part in (link.text, link.url)]
    return texts


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
# A table whose last cell is an ideographic space with no closing pipe, after an OSC with no end.
@example("# 一\n\n| 一 | \u3000\x1b]0;title |\n|---|---|\n| \u3000\x1b]0;title | 一 |")
# A backslash, then a tab, at the end of a line: text, not a hard break.
@example("\\\t\n一")
def test_generated_documents(document: str) -> None:
    issue = parse_issue(document, path="generated.md", issue_id="generated")
    # Deterministic.
    assert parse_issue(document, path="generated.md", issue_id="generated") == issue
    # Nothing that could drive a terminal.
    for text in _strings(issue):
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)
        assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)
    # Nothing lost.
    leading_title = issue.title != "generated"  # the title came from a leading heading
    expected = visible_text(document)
    found, reached = issue_keeps(expected, issue, leading_title)
    assert found, f"lost near {expected[max(0, reached - 10) : reached + 10]!r}"


@settings(max_examples=max(100, EXAMPLES // 4), deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_fail_clearly(data: bytes) -> None:
    try:
        text = decode(data)
    except SourceError as error:
        assert str(error)
        return
    parse_issue(text, path="bytes.md", issue_id="bytes")


def _reading(issue: Issue) -> str:
    return "".join(_strings(issue))


def test_a_deeply_nested_line_in_the_sample_loses_nothing() -> None:
    sample = SEED.read_text(encoding="utf-8")
    (paragraph,) = [p for p in sample.split("\n\n") if p.startswith("“2017年以来")]
    middle = len(paragraph) // 2
    for line in ("- " * 10 + "要点", "- " * 14 + "要点", "> " * 25 + "要点", "> - " * 12 + "要点"):
        document = sample.replace(paragraph, f"{paragraph[:middle]}\n{line}\n{paragraph[middle:]}")
        issue = parse_issue(document, path="sample.md", issue_id="sample")
        plain = parse_issue(sample, path="sample.md", issue_id="sample")
        assert [a.title for a in issue.articles] == [a.title for a in plain.articles], line
        found, reached = issue_keeps(visible_text(document), issue, leading_title=True)
        assert found, f"{line}: lost near {visible_text(document)[reached - 10 : reached + 10]!r}"
        assert "要点" in _reading(issue)
