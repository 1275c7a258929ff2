"""Bylines, photo credits, subtitles and page breaks, one convention at a time."""

from __future__ import annotations

import pytest

from bulletin_tui.parse import parse_issue
from bulletin_tui.parse.conventions import (
    continues,
    looks_like_subtitle,
    match_byline,
    match_photo_credit,
)


@pytest.mark.parametrize(
    ("paragraph", "dateline", "reporters", "correspondents", "rest"),
    [
        ("本报讯 (记者 丽娜 通讯员 陈瑶) 光阴如梭。", "本报讯", ("丽娜",), ("陈瑶",), "光阴如梭。"),
        ("本报讯（记者 丽娜 通讯员 陈瑶）光阴如梭。", "本报讯", ("丽娜",), ("陈瑶",), "光阴如梭。"),
        (
            "本报北京6月10日电 （记者王浩）会议召开。",
            "本报北京6月10日电",
            ("王浩",),
            (),
            "会议召开。",
        ),
        (
            "本报讯 (记者 丽娜 蒋玉 通讯员 陈瑶、开宣) 正文",
            "本报讯",
            ("丽娜", "蒋玉"),
            ("陈瑶", "开宣"),
            "正文",
        ),
        ("新华社北京3月5日电（记者 杨世尧）正文", "新华社北京3月5日电", ("杨世尧",), (), "正文"),
    ],
)
def test_bylines(
    paragraph: str,
    dateline: str,
    reporters: tuple[str, ...],
    correspondents: tuple[str, ...],
    rest: str,
) -> None:
    byline = match_byline(paragraph)
    assert byline is not None
    assert byline.dateline == dateline
    assert byline.credits.reporters == reporters
    assert byline.credits.correspondents == correspondents
    assert byline.rest.strip() == rest


@pytest.mark.parametrize(
    "paragraph",
    ["本报讯称，会议召开。", "(记者 丽娜)", "本报北京电 记者王浩", "报讯 (记者 丽娜) 正文"],
)
def test_not_bylines(paragraph: str) -> None:
    assert match_byline(paragraph) is None


@pytest.mark.parametrize(
    ("paragraph", "names"),
    [
        ("记者 丽娜 摄", ("丽娜",)),
        ("(记者 蒋玉 通讯员 殷琴 摄)", ("蒋玉", "殷琴")),
        ("（记者 蒋玉 摄）", ("蒋玉",)),
        ("本报记者 郑洋洋摄", ("郑洋洋",)),
        ("新华社记者 杨世尧摄", ("杨世尧",)),
        ("记者 刘䶮 摄", ("刘䶮",)),  # 䶮: CJK extension A, Han like any other
    ],
)
def test_photo_credits(paragraph: str, names: tuple[str, ...]) -> None:
    assert match_photo_credit(paragraph) == names


@pytest.mark.parametrize(
    "paragraph",
    [
        "摄影活动报名链接：https://example.org",
        "记者从开发区招商中心了解到,去年以来,全区摄",
        "摄影组",
    ],
)
def test_not_photo_credits(paragraph: str) -> None:
    assert match_photo_credit(paragraph) is None


def test_subtitle_shape() -> None:
    assert looks_like_subtitle("去年新签约各类项目35个,其中亿元以上项目15个")
    assert not looks_like_subtitle("这是一句完整的话。")
    assert not looks_like_subtitle("时间：10月1日")
    assert not looks_like_subtitle("很" * 40)


def test_page_break_needs_a_long_paragraph_stopping_mid_sentence() -> None:
    long = "开发区先后创成镇江党员" * 8
    assert continues(long + "先锋岗", "3个、省远程教育示范点2个、五星党支部3个、50余个")
    assert continues(long + "情况,", "促使有亮点的书记项目落地生根,将健康、富有生机活力的")
    assert not continues(long + "。", "新的段落从这里开始，并且足够长足够长足够长")
    assert not continues("地点 协鑫楼204", "腾讯会议 725-761-010 的会议号码很长很长很长很长")
    assert not continues(long, "地点：仙林校区逸夫楼B205，欢迎同学们前来参加活动")
    assert continues(long + "刘䶮", "䶮所在的项目组承担了开发区党建工作的调研任务")


def test_subtitles_only_before_a_byline_or_credit() -> None:
    issue = parse_issue(
        "## 标题一\n\n副题一行\n\n本报讯 (记者 丽娜) 正文。\n\n"
        "## 标题二\n\n时间 10月1日\n\n正文第二段。\n",
        path="x.md",
        issue_id="x",
    )
    first, second = issue.articles
    assert first.subtitles == ("副题一行",)
    assert second.subtitles == ()
    assert [b.text for b in second.paragraphs] == ["时间 10月1日", "正文第二段。"]


def test_soft_breaks_join_cjk_without_space_and_latin_with_one() -> None:
    issue = parse_issue(
        "## 题\n\n中文硬换行\n在这里继续，then Latin\nwords continue。\n", path="x", issue_id="x"
    )
    assert issue.articles[0].blocks[0].text == "中文硬换行在这里继续，then Latin words continue。"


def test_hard_breaks_stay_separate_paragraphs() -> None:
    issue = parse_issue("## 题\n\n第一行没有句号  \n第二行也没有\n", path="x", issue_id="x")
    assert [b.text for b in issue.articles[0].blocks] == ["第一行没有句号", "第二行也没有"]


def test_adaptive_heading_levels() -> None:
    nanna_like = "# 报 2025-03-12\n\n# 部分一\n\n## 文一\n\n正文。\n\n### 小标题\n\n细节。\n\n## 文二\n\n正文。\n"
    issue = parse_issue(nanna_like, path="x", issue_id="2025-03-12")
    assert issue.title == "报 2025-03-12"
    assert [(s.title, [a.title for a in s.articles]) for s in issue.sections] == [
        ("部分一", ["文一", "文二"])
    ]
    assert [b.kind for b in issue.articles[0].blocks] == ["paragraph", "heading", "paragraph"]
    deeper = (
        "## 版一\n\n### 文一\n\n正文。\n\n### 文二\n\n正文。\n\n## 版二\n\n### 文三\n\n正文。\n"
    )
    issue = parse_issue(deeper, path="x", issue_id="x")
    assert [(s.title, len(s.articles)) for s in issue.sections] == [("版一", 2), ("版二", 1)]


def test_issue_date_from_file_name_or_title() -> None:
    from datetime import date

    assert parse_issue("## a\n\nb\n", path="x", issue_id="i", stem="20240515").date == date(
        2024, 5, 15
    )
    assert parse_issue("# 快报 2025年3月12日\n\n## a\n\nb\n", path="x", issue_id="i").date == date(
        2025, 3, 12
    )
    assert parse_issue("## a\n\nb\n", path="x", issue_id="i", stem="notes").date is None


def test_links_keep_text_and_url_and_toc_is_dropped() -> None:
    text = (
        '# 报\n\n-   <a href="#文一" id="toc-文一">文一</a>\n\n'
        "## 文一\n\n详见[报名链接](https://example.org/a)。\n"
    )
    issue = parse_issue(text, path="x", issue_id="x")
    assert issue.front_matter == ()
    block = issue.articles[0].blocks[0]
    assert block.text == "详见报名链接。"
    assert [(link.text, link.url) for link in block.links] == [
        ("报名链接", "https://example.org/a")
    ]


def test_tables_keep_rows_and_cells() -> None:
    text = "## 表\n\n| 名称 | 日期 |\n|---|---|\n| 讲座 | 10.1 |\n"
    block = parse_issue(text, path="x", issue_id="x").articles[0].blocks[0]
    assert block.kind == "table"
    assert block.rows == (("名称", "日期"), ("讲座", "10.1"))


def test_control_sequences_never_survive() -> None:
    hostile = "## 标\x1b]52;c;SGVsbG8=\x07题\n\n正\x1b[31m文\x9b2J\u202e。&#27;[1m\n"
    issue = parse_issue(hostile, path="x", issue_id="x")
    article = issue.articles[0]
    assert article.title == "标题"
    for text in (article.title, article.body_text):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
        assert not any(0x7F <= ord(c) <= 0x9F for c in text)
        assert "\u202e" not in text


def test_kept_offsets_point_back_into_the_original() -> None:
    from bulletin_tui.parse.sanitize import kept_offsets, sanitize_text

    for text in [
        "正文",
        "标\x1b]52;c;SGk=\x07题\x9b2J\u202e。\x00x",
        "\x1b]0;no terminator\n下一行",
        "",
    ]:
        offsets = kept_offsets(text)
        assert "".join(text[at] for at in offsets) == sanitize_text(text)
