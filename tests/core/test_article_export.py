"""Export and copy: safe file names that never leave their folder, and faithful Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_tui.article_export import (
    article_markdown,
    article_plain_text,
    export_path,
    metadata_line,
    safe_file_name,
    write_markdown,
)
from bulletin_tui.library import open_library
from tests.ui_fixtures import write_library


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("招商引资蹄疾步稳", "招商引资蹄疾步稳.md"),
        ("../../etc/passwd", "etc passwd.md"),
        ("a/b\\c", "a b c.md"),
        ("..", "fallback.1.md"),
        ("   ", "fallback.1.md"),
        ("name\x1b]52;c;aGk=\x07 here", "name here.md"),
        ("tab\there\nnewline", "tab here newline.md"),
        ('quotes "and" <angles>|pipes?*:', "quotes and angles pipes.md"),
        ("CON", "fallback.1.md"),
        (".hidden", "hidden.md"),
    ],
)
def test_file_names_are_safe(title: str, expected: str) -> None:
    assert safe_file_name(title, "fallback.1") == expected


def test_long_titles_are_cut() -> None:
    name = safe_file_name("长" * 300, "x.1")
    assert name.endswith(".md") and len(name) <= 83
    assert len(name.encode("utf-8")) < 255


def test_the_path_stays_in_the_folder_and_never_overwrites(tmp_path: Path) -> None:
    first = export_path(tmp_path, "../escape", "x.1")
    assert first.parent == tmp_path.resolve()
    first.write_text("one", encoding="utf-8")
    second = export_path(tmp_path, "../escape", "x.1")
    assert second.name == "escape (2).md" and second.parent == tmp_path.resolve()


def test_exports_are_named_by_date_and_title(tmp_path: Path) -> None:
    from datetime import date

    first = export_path(tmp_path, "讲座", "2024-09-27.3", date(2024, 9, 27))
    first.write_text("one", encoding="utf-8")
    assert first.name == "2024-09-27 讲座.md"
    assert export_path(tmp_path, "讲座", "2024-11-20.4", date(2024, 11, 20)).name == (
        "2024-11-20 讲座.md"
    )


def test_written_markdown_never_goes_through_a_planted_link(tmp_path: Path) -> None:
    library = open_library([write_library(tmp_path / "library")])
    article = library.article("2024-10-08.1")
    assert article is not None
    folder, victim = tmp_path / "exports", tmp_path / "victim.txt"
    folder.mkdir()
    victim.write_text("keep", encoding="utf-8")
    (folder / "2024-10-08 招商引资再创新高.md").symlink_to(victim)
    written = write_markdown(folder, article, library.issue_of(article.id))
    assert written.name == "2024-10-08 招商引资再创新高 (2).md"
    assert written.read_text(encoding="utf-8").startswith("# 招商引资再创新高\n")
    assert victim.read_text(encoding="utf-8") == "keep"


def test_markdown_keeps_every_kind_of_block(tmp_path: Path) -> None:
    library = open_library([write_library(tmp_path)])
    article = library.article("2024-10-08.1")
    assert article is not None
    text = article_markdown(article, library.issue_of(article.id))
    assert text.startswith("# 招商引资再创新高\n\n")
    assert "*本报讯\u3000记者 丽娜\u3000通讯员 陈瑶" in text
    assert "[开发区网站](<https://example.com/kfq>)" in text
    assert "| 项目 | 投资额 | 状态 |\n|---|---|---|\n| 热电联产 | 60亿元 | 在建 |" in text
    assert "- 优化营商环境\n- 加快项目落地" in text
    assert "> 招商是发展的生命线。" in text
    unlinked = re.sub(r"\[([^\]]*)\]\(<[^>]*>\)", r"\1", text)
    for block in article.blocks:  # nothing lost
        for line in block.text.splitlines():
            for cell in line.split("\t"):
                assert cell in unlinked


def test_plain_text_for_the_clipboard(tmp_path: Path) -> None:
    library = open_library([write_library(tmp_path)])
    article = library.article("2024-10-08.1")
    assert article is not None
    text = article_plain_text(article, library.issue_of(article.id))
    assert text.startswith("招商引资再创新高\n\n")
    assert article.body_text in text


def test_the_metadata_line_names_everyone_and_the_issue(tmp_path: Path) -> None:
    library = open_library([write_library(tmp_path)])
    article = library.article("2024-10-08.1")
    assert article is not None
    line = metadata_line(article, library.issue_of(article.id))
    assert line.startswith("本报讯")
    for part in ("记者 丽娜", "通讯员 陈瑶", "南哪消息 2024-10-08"):
        assert part in line
