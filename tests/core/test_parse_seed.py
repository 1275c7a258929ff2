"""The sample issue parses exactly as a reader of the paper would describe it."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bulletin_tui.model import Issue
from bulletin_tui.sources import load_issue


def _load(path: Path) -> Issue:
    issue = load_issue(path)
    assert isinstance(issue, Issue), issue
    return issue


@pytest.fixture(scope="module")
def seed() -> Issue:
    from tests.conftest import SEED

    return _load(SEED)


def test_masthead_is_front_matter(seed: Issue) -> None:
    assert seed.front_matter == ("开发区精神:", "团结奋进 开放创新", "包容担当 务实诚信")
    # No leading heading and no date in the file name: the masthead's label is the title, and
    # the id (which read marks and bookmarks are kept under) is still the file name.
    assert seed.title == "开发区精神"
    assert seed.id == "000_7b733c25521b607c"
    assert seed.articles[0].id == "000_7b733c25521b607c.1"
    assert seed.date is None


def test_file_name_stays_in_the_metadata_line(seed: Issue) -> None:
    from bulletin_tui.typeset import meta_text

    assert meta_text(seed.articles[0], seed).endswith("开发区精神　000_7b733c25521b607c.txt")


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("0001.md", "## 第一篇\n\n正文。\n\n## 第二篇\n\n正文。\n", "第一篇"),
        (
            "0002.md",
            "这是一段很长很长的开头文字,不像刊头那样短小,所以不能当作标题。\n\n## 要闻\n\n正文。\n",
            "要闻",
        ),
        ("2024-05-06.md", "刊头:\n\n## 要闻\n\n正文。\n", "2024-05-06"),
        ("0003.md", "# 开发区报\n\n刊头:\n\n## 要闻\n\n正文。\n", "开发区报"),
    ],
)
def test_title_from_content(tmp_path: Path, name: str, text: str, title: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    issue = _load(path)
    assert issue.title == title and issue.id == path.stem


def test_four_articles_with_titles(seed: Issue) -> None:
    assert [a.title for a in seed.articles] == [
        "“三大工程”激发党建内生动力",
        "招商引资蹄疾步稳",
        "开发区“书记项目”展现“芳华”",
        "十九大宣讲进社区",
    ]
    assert [a.id for a in seed.articles] == [f"000_7b733c25521b607c.{n}" for n in range(1, 5)]


def test_subtitles(seed: Issue) -> None:
    assert [a.subtitles for a in seed.articles] == [
        (),
        ("去年新签约各类项目35个,其中亿元以上项目15个",),
        ("获评2017年度镇江市优质基层党建项目",),
        (),
    ]


def test_bylines(seed: Issue) -> None:
    first, second, third, fourth = seed.articles
    assert (first.dateline, first.reporters, first.correspondents) == (
        "本报讯",
        ("丽娜",),
        ("陈瑶",),
    )
    assert (second.dateline, second.reporters, second.correspondents) == (
        "本报讯",
        ("蒋玉",),
        ("开宣",),
    )
    assert (third.dateline, third.reporters, third.correspondents) == (
        "本报讯",
        ("丽娜",),
        ("陈瑶",),
    )
    assert fourth.dateline is None and fourth.reporters == ()
    # The byline is metadata; the text after it stays the first paragraph.
    assert first.paragraphs[0].text.startswith("光阴如梭,时间的指针已指向2018年。")
    assert first.byline == "本报讯 (记者 丽娜 通讯员 陈瑶)"


def test_photo_credits(seed: Issue) -> None:
    assert [a.photo_credits for a in seed.articles] == [(), (), ("丽娜",), ("蒋玉", "殷琴")]
    captions = [b.text for a in seed.articles for b in a.blocks if b.kind == "caption"]
    assert captions == ["记者 丽娜 摄", "(记者 蒋玉 通讯员 殷琴 摄)"]


def test_page_breaks_are_repaired(seed: Issue) -> None:
    assert [len(a.paragraphs) for a in seed.articles] == [7, 3, 4, 1]
    body = "\n".join(b.text for a in seed.articles for b in a.paragraphs)
    for left, right in [
        ("先锋岗", "3个"),
        ("情况,", "促使"),
        ("不到", "位的"),
        ("京海", "控股"),
        ("合", "作招商"),
        ("处理机", "制。"),
    ]:
        assert left + right in body


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("gbk", "\n"), ("gb18030", "\n"), ("utf-16", "\n"), ("utf-8-sig", "\n"), ("utf-8", "\r\n")],
)
def test_other_encodings_and_line_endings_give_the_same_articles(
    seed: Issue, tmp_path: Path, encoding: str, newline: str
) -> None:
    from tests.conftest import SEED

    text = SEED.read_text(encoding="utf-8").replace("\n", newline)
    copy = tmp_path / SEED.name
    copy.write_bytes(text.encode(encoding))
    if encoding == "utf-16":
        assert copy.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    parsed = _load(copy)
    assert parsed.articles == tuple(a for a in seed.articles), (
        f"{encoding} with {newline!r} parsed differently"
    )
    assert parsed.front_matter == seed.front_matter


def test_a_title_from_a_heading_needs_no_file_name(tmp_path: Path) -> None:
    from bulletin_tui.typeset import meta_text

    path = tmp_path / "kfq.md"
    path.write_text("# 开发区报\n\n## 要闻\n\n正文。\n", encoding="utf-8")
    issue = _load(path)
    assert meta_text(issue.articles[0], issue) == "开发区报"
