"""The typesetter on hand-made text: each rule of the issue, table-driven where it can be."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from bulletin_tui.model import Article, Block, Issue
from bulletin_tui.typeset import (
    PARAGRAPH_INDENT,
    LayoutOptions,
    cell_width,
    fold_punctuation,
    layout_article,
    layout_paragraph,
    normalise_punctuation,
    render_plain,
)
from bulletin_tui.typeset.article import TABLE_HEADER, TABLE_RULE
from bulletin_tui.typeset.breaking import Breaker
from bulletin_tui.typeset.widths import prefix_widths
from tests.core.test_typeset_audit import audit_article, audit_paragraph, cells

BYLINE = "本报讯 (记者 丽娜 通讯员 陈瑶) 光阴如梭,时间的指针已指向2018年。回望2017年,一路走来的经济开发区有挑战,更有精彩。"
QUOTES = (
    "“2017年以来，开发区党委在市委、市政府正确领导与有力指导下，始终围绕‘强基固本抓党建，"
    "凝心聚力求实效，加快发展惠民生’的工作思路，把抓好基层党建作为重中之重……”说起过去一年"
    "——副市长、开发区党工委书记黄俊杰着重向记者介绍了“牵好‘牛鼻子’”、“下好‘先手棋’”。"
)
LATIN = (
    "协助相关部门加快实施一批示范性PPP项目，不断扩大有效投资。截至目前，印度AKSH加强芯项目、"
    "美国FINAL-LY磁感应灯项目等外资项目已经成功签约，详见 https://mp.weixin.qq.com/s/zXyMBGhH0E92"
    "rfs0l_Ny7w 或 QQ群：962626571. The Quick Brown Fox jumps over 13 lazy dogs (twice)."
)
SAMPLES = {"byline": BYLINE, "quotes": QUOTES, "latin": LATIN}
ALL_OPTIONS = [
    LayoutOptions(normalise_punctuation=norm, ambiguous_width=amb)
    for norm in (True, False)
    for amb in (1, 2)
]


def _ids(options: LayoutOptions) -> str:
    return f"norm{int(options.normalise_punctuation)}-amb{options.ambiguous_width}"


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=_ids)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_rule_holds_at_every_width(name: str, options: LayoutOptions) -> None:
    text = SAMPLES[name]
    for width in range(10, 121):
        for indent in ("", PARAGRAPH_INDENT):
            lines = layout_paragraph(text, width, options, indent=indent)
            assert audit_paragraph(text, lines, width, options, indent) == [], (width, indent)


@pytest.mark.parametrize("width", range(20, 81))
def test_latin_words_stay_whole(width: int) -> None:
    lines = layout_paragraph(LATIN, width)
    joined = [line.text for line in lines]
    for word in ("PPP", "AKSH", "FINAL-LY", "962626571.", "Quick", "(twice)."):
        assert any(word in line for line in joined), (word, joined)


def test_rich_splits_what_this_keeps_whole() -> None:
    """The baseline the issue measured: Rich splits `PPP项目` and leaves lines half empty."""
    console = Console(width=200)
    text = "一二三四五六七八九十一二三四五六七八九PPP项目"
    rich_lines = [line.plain for line in Text(text).wrap(console, 40)]
    assert rich_lines[0].endswith("P") and rich_lines[1].startswith("P")
    ours = [line.text for line in layout_paragraph(text, 40)]
    assert ours == ["一二三四五六七八九十一二三四五六七八九", "PPP项目"]


@pytest.mark.parametrize("width", range(16, 41))
def test_no_gap_after_a_dateline(width: int) -> None:
    lines = layout_paragraph(BYLINE, width)
    for line in lines[:-1]:
        assert width - line.cells <= 6, [x.text for x in lines]
    assert all(not line.text.startswith(" ") for line in lines)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # the comma would start the second line: its character comes down with it
        ("一二三四五六七八九，十一", 18, ["一二三四五六七八", "九，十一"]),
        # an opening quote would end the first line: it goes down with its character
        ("一二三四五六七八“九十”", 18, ["一二三四五六七八", "“九十”"]),
        # an ellipsis and a dash stay together and never start a line
        ("一二三四五六七八九……十一", 18, ["一二三四五六七八", "九……十一"]),
        ("一二三四五六七八九——十一", 18, ["一二三四五六七八", "九——十一"]),
        # closing marks in a row travel together
        ("一二三四五六七八。”）十", 18, ["一二三四五六七", "八。”）十"]),
    ],
)
def test_kinsoku_moves_characters_down(text: str, width: int, expected: list[str]) -> None:
    lines = layout_paragraph(text, width, LayoutOptions())
    assert [line.text for line in lines] == expected
    assert audit_paragraph(text, lines, width, LayoutOptions()) == []


def test_paragraphs_begin_with_two_ideographic_spaces() -> None:
    lines = layout_paragraph("　　已有缩进的段落", 40, indent=PARAGRAPH_INDENT)
    assert lines[0].text == "\u3000\u3000已有缩进的段落"  # the source's own indent is not doubled
    assert lines[0].indent == PARAGRAPH_INDENT and lines[0].cells == 18


def test_no_lone_character_on_a_last_line() -> None:
    text = "一二三四五六七八九十" * 2 + "完。"
    lines = layout_paragraph(text, 20)
    assert [line.text for line in lines][-1] != "完。"
    assert cell_width(lines[-1].text) >= 6


def test_repairs_never_cost_more_than_greedy() -> None:
    text = QUOTES * 3
    for width in range(20, 81):
        shown = normalise_punctuation(text)
        breaker = Breaker(shown, prefix_widths(shown), 0, len(shown), width, width)
        spans, greedy_cost, _worst = breaker.greedy()
        assert breaker.cost(spans) == greedy_cost
        assert breaker.cost(breaker.run()) <= greedy_cost


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("光阴如梭,时间", "光阴如梭，时间"),
        ("本报讯 (记者 丽娜) 光阴", "本报讯 （记者 丽娜） 光阴"),
        ("(记者 蒋玉 摄)", "（记者 蒋玉 摄）"),
        ("介绍,2017年", "介绍，2017年"),
        ("真的吗?是的!", "真的吗？是的！"),
        ("时间:上午;地点:礼堂", "时间：上午；地点：礼堂"),
        ("Hello, world (again)", "Hello, world (again)"),
        ("1,000人", "1,000人"),
        ("项目(2017)", "项目(2017)"),
        ("QQ:1329527951", "QQ:1329527951"),
        ("https://a.b/c?d=1", "https://a.b/c?d=1"),
    ],
)
def test_display_normalisation(source: str, shown: str) -> None:
    assert normalise_punctuation(source) == shown
    assert fold_punctuation(shown) == fold_punctuation(source)
    on = layout_paragraph(source, 80)
    off = layout_paragraph(source, 80, LayoutOptions(normalise_punctuation=False))
    assert [line.text for line in on] == [shown]
    assert [line.text for line in off] == [source]
    assert (on[0].start, on[0].end) == (off[0].start, off[0].end) == (0, len(source))


@pytest.mark.parametrize("width", range(12, 61))
def test_ambiguous_characters_fit_on_a_wide_drawing_terminal(width: int) -> None:
    text = "“‘……’”——·" * 12
    wide = layout_paragraph(text, width, LayoutOptions(ambiguous_width=2))
    assert all(cells(line.text, 2) <= width for line in wide)
    assert audit_paragraph(text, wide, width, LayoutOptions(ambiguous_width=2)) == []
    narrow = layout_paragraph(text, width, LayoutOptions(ambiguous_width=1))
    assert max(cells(line.text, 2) for line in narrow) > width  # why the setting exists


def test_ambiguous_width_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_TUI_AMBIGUOUS_WIDTH", "2")
    assert LayoutOptions.from_env().ambiguous_width == 2
    assert LayoutOptions.from_env(ambiguous_width=1).ambiguous_width == 1
    monkeypatch.setenv("BULLETIN_TUI_AMBIGUOUS_WIDTH", "wide")
    assert LayoutOptions.from_env().ambiguous_width == 1
    with pytest.raises(ValueError):
        LayoutOptions(ambiguous_width=3)


@pytest.mark.parametrize(
    "text",
    ["ab\u200dc", "😀\ufe0f", "👨\u200d👩\u200d👧", "a\u0301b", "中文“引号”…", "Ωé§"],
)
def test_cell_width_agrees_with_rich(text: str) -> None:
    assert cell_width(text, 1) == cells(text, 1)
    assert prefix_widths(text, 1)[-1] == cells(text, 1)


def test_document_bytes_never_reach_the_terminal() -> None:
    text = "恶意\x1b]52;c;ZXZpbA==\x07标题\x1b[31m红色\x9b2J\u202e反向\x00字，正文继续写下去。"
    for width in (10, 20, 80):
        lines = layout_paragraph(text, width)
        shown = "".join(line.text for line in lines)
        assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e\x00")
        assert "恶意标题红色" in shown.replace(" ", "") or width < 14
        assert audit_paragraph(text, lines, width, LayoutOptions()) == []


def test_hard_line_breaks_are_kept() -> None:
    text = "开发区精神:\n团结奋进 开放创新\n\n包容担当 务实诚信"
    lines = layout_paragraph(text, 40, indent=PARAGRAPH_INDENT)
    assert [line.text for line in lines] == [
        "\u3000\u3000开发区精神：",
        "团结奋进 开放创新",
        "",
        "包容担当 务实诚信",
    ]


@pytest.mark.parametrize("width", [20, 23, 30])
def test_a_url_longer_than_the_line_is_broken_by_character(width: int) -> None:
    url = "https://mp.weixin.qq.com/s/IRDPi_Hb4bXPxCKv0D92wA"
    text = f"报名详见：{url}截止时间：10.1."
    lines = layout_paragraph(text, width)
    assert all(line.cells <= width for line in lines)
    assert "".join(line.text for line in lines) == text.replace("10.1.", "10.1.")
    assert audit_paragraph(text, lines, width, LayoutOptions()) == []


def test_columns_point_at_a_search_match() -> None:
    text = "光阴如梭,时间的指针已指向2018年。回望2017年,一路走来"
    lines = layout_paragraph(text, 24, indent=PARAGRAPH_INDENT)
    at = text.index("2017")
    hits = [(n, line.columns(at, at + 4)) for n, line in enumerate(lines)]
    found = [(n, span) for n, span in hits if span]
    assert len(found) == 1
    number, (first, last) = found[0]
    line = lines[number]
    drawn = line.text
    # the cells first..last of the drawn line hold exactly "2017"
    col = 0
    picked = ""
    for ch in drawn:
        if first <= col < last:
            picked += ch
        col += cell_width(ch)
    assert picked == "2017"


def _article() -> Article:
    return Article(
        id="x.1",
        title="“三大工程”激发党建内生动力",
        subtitles=("去年新签约各类项目35个,其中亿元以上项目15个",),
        dateline="本报讯",
        byline="本报讯 (记者 丽娜 通讯员 陈瑶)",
        reporters=("丽娜",),
        correspondents=("陈瑶",),
        photo_credits=("丽娜",),
        section="要闻",
        blocks=(
            Block("paragraph", BYLINE),
            Block("heading", "一、聚焦“责”", level=1),
            Block("caption", "记者 丽娜 摄"),
            Block("quote", QUOTES),
            Block("list", "报名：即日起\n地点：礼堂", items=("报名：即日起", "地点：礼堂")),
            Block(
                "table",
                "消息\t截止日期\n仙林校史馆招募讲解员\t10.30\nFlicker周常影映\t9.28",
                rows=(
                    ("消息", "截止日期"),
                    ("仙林校史馆招募讲解员", "10.30"),
                    ("Flicker周常影映", "9.28"),
                ),
            ),
            Block("paragraph", LATIN),
        ),
    )


ISSUE = Issue(id="x", path="x.md", title="开发区报")


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=_ids)
def test_an_article_at_every_width(options: LayoutOptions) -> None:
    article = _article()
    for width in range(20, 121):
        lines = layout_article(article, width, options, ISSUE)
        assert audit_article(article, lines, width, options) == [], width


def test_article_roles_and_order() -> None:
    lines = layout_article(_article(), 80, LayoutOptions(), ISSUE)
    styles = [line.style for line in lines]
    assert styles[:3] == ["title", "subtitle", "meta"]
    assert lines[2].text == "本报讯　记者 丽娜　通讯员 陈瑶　摄影 丽娜　开发区报　要闻"
    order = [s for i, s in enumerate(styles) if i == 0 or s != styles[i - 1]]
    assert order == [
        "title", "subtitle", "meta", "blank", "body", "blank", "heading", "blank", "caption",
        "blank", "quote", "blank", "list", "blank", "table", "blank", "body",
    ]  # fmt: skip
    assert lines[4].text.startswith(PARAGRAPH_INDENT)
    assert all(line.text.startswith("│ ") for line in lines if line.style == "quote")
    assert [line.text for line in lines if line.style == "list"] == [
        "• 报名：即日起",
        "• 地点：礼堂",
    ]


def test_table_columns_line_up_in_cells() -> None:
    lines = [line for line in layout_article(_article(), 80) if line.style == "table"]
    assert [line.text for line in lines] == [
        "消息                  截止日期",
        "--------------------  --------",
        "仙林校史馆招募讲解员  10.30",
        "Flicker周常影映       9.28",
    ]
    assert [line.level for line in lines] == [TABLE_HEADER, TABLE_RULE, 0, 0]


def test_a_narrow_table_becomes_records() -> None:
    rows = tuple(("消息标题很长很长", "截止日期", "刊载日期", f"备注{n}") for n in range(3))
    article = Article(id="x.2", title="表", blocks=(Block("table", "", rows=rows),))
    lines = [line.text for line in layout_article(article, 24) if line.style == "table"]
    assert "截止日期：截止日期" in lines and max(cell_width(x) for x in lines) <= 24


def test_body_lines_locate_search_hits_in_body_text() -> None:
    article = _article()
    lines = layout_article(article, 40)
    body = article.body_text
    at = body.index("FINAL-LY")
    spans = [line.columns(at, at + 8) for line in lines]
    assert sum(1 for span in spans if span) == 1
    line = lines[next(n for n, span in enumerate(spans) if span)]
    assert body[line.offset + line.start : line.offset + line.end] in LATIN


def test_measure_caps_and_centres_the_text() -> None:
    options = LayoutOptions(measure=30)
    assert options.text_width(200) == 60 and options.margin(200) == 70
    assert options.text_width(50) == 50 and options.margin(50) == 0
    assert options.wider(1).measure == 32 and options.wider(-100).measure == 10
    plain = render_plain(_article(), 200, options, ISSUE, center=True)
    assert all(cell_width(x) <= 200 for x in plain.splitlines())
    body = [x for x in plain.splitlines() if x.strip()]
    assert all(x.startswith(" " * 70) for x in body)
    assert max(cell_width(x) for x in render_plain(_article(), 200, options).splitlines()) <= 60


def test_repairs_shorten_what_greedy_leaves_short() -> None:
    """Over the seed's paragraphs at widths 20-80, re-breaking around short lines leaves almost
    none more than 3 cells short and none more than 4 (greedy filling leaves dozens, up to 7)."""
    from bulletin_tui.sources import load_issue
    from tests.conftest import SEED

    issue = load_issue(SEED)
    assert isinstance(issue, Issue)
    totals = {"greedy": 0, "chosen": 0}
    short = {"greedy": 0, "chosen": 0}
    worst = {"greedy": 0, "chosen": 0}
    for block in (b for article in issue.articles for b in article.paragraphs):
        shown = normalise_punctuation(block.text)
        prefix = prefix_widths(shown)
        for width in range(20, 81):
            breaker = Breaker(shown, prefix, 0, len(shown), width - 4, width)
            greedy, _cost, _worst = breaker.greedy()
            for name, spans in (("greedy", greedy), ("chosen", breaker.run())):
                totals[name] += breaker.cost(spans)
                # lines after the first (indented) and before the last
                gaps = [width - (prefix[b] - prefix[a]) for a, b in spans[1:-1]]
                short[name] += sum(1 for gap in gaps if gap > 3)
                worst[name] = max([worst[name], *gaps])
    assert totals["chosen"] < totals["greedy"]
    assert short["chosen"] * 10 <= short["greedy"], short
    assert worst["chosen"] <= 4 < worst["greedy"], worst


def test_the_fast_chinese_class_is_all_chinese() -> None:
    from bulletin_tui.typeset.punctuation import CJK_CLASS, is_cjk

    chars: list[str] = []
    at = 0
    while at < len(CJK_CLASS):
        if at + 2 < len(CJK_CLASS) and CJK_CLASS[at + 1] == "-":
            chars += [chr(c) for c in range(ord(CJK_CLASS[at]), ord(CJK_CLASS[at + 2]) + 1)]
            at += 3
        else:
            chars.append(CJK_CLASS[at])
            at += 1
    assert len(chars) > 20000 and all(is_cjk(ch) for ch in chars)


@pytest.mark.parametrize("ambiguous", [1, 2])
def test_the_quote_bar_is_one_cell_wherever_it_is_drawn(ambiguous: int) -> None:
    # │ is East Asian "ambiguous": where those are two cells the reader's count of the row was off
    # by one for every quoted line, so the bar is ASCII there.
    lines = layout_article(_article(), 40, LayoutOptions(ambiguous_width=ambiguous))
    quoted = [line.text for line in lines if line.role == "quote"]
    assert quoted and all(text.startswith("│ " if ambiguous == 1 else "| ") for text in quoted)
