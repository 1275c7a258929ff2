"""Several bulletins in one library: publications by library path, their names, and what they
change (list, JSON, search's pub: filter) and what they must not change (ids, saved state)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bulletin_tui.config import parse_config
from bulletin_tui.library import open_library
from bulletin_tui.publications import common_title, group, without_date
from bulletin_tui.state import State, save_state
from tests.conftest import FIXTURES, SEED
from tests.e2e.test_cli import run

NANNA = FIXTURES / "nanna"
XWLB = FIXTURES / "xwlb"


def three_bulletins(tmp_path: Path) -> list[Path]:
    """The sample, three nanna issues and two of a daily digest, each in a folder of its own."""
    roots = [tmp_path / "zone", tmp_path / "nanna", tmp_path / "xwlb"]
    roots[0].mkdir(parents=True)
    shutil.copy(SEED, roots[0])
    shutil.copytree(NANNA, roots[1], ignore=shutil.ignore_patterns("LICENSE"))
    shutil.copytree(XWLB, roots[2])
    return roots


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        ("南哪消息 2024-09-27", "南哪消息"),
        ("《新闻联播》 2024年11月21日", "《新闻联播》"),
        ("开发区报（2024.3.5）", "开发区报"),
        ("校报 二〇二四年三月五日 第12期", "校报 第12期"),
        ("2024-09-27", ""),
    ],
)
def test_the_date_is_taken_out_of_a_title(title: str, bare: str) -> None:
    assert without_date(title) == bare


def test_common_title() -> None:
    assert common_title(["南哪消息 2024-09-27", "南哪消息 2024-11-20", "特刊"]) == "南哪消息"
    assert common_title(["开发区报 第1期 要闻", "开发区报 第2期 特稿"]) == "开发区报 第"
    assert common_title(["2024-09-27", "2024-09-28"]) is None
    assert common_title(["甲", "乙"]) is None


def test_each_library_path_is_a_publication_named_by_its_titles(tmp_path: Path) -> None:
    library = open_library(three_bulletins(tmp_path), tmp_path / "cache")
    publications = library.publications
    assert [p.name for p in publications] == ["开发区精神", "南哪消息", "《新闻联播》"]
    assert [len(p.issues) for p in publications] == [1, 3, 2]
    nanna = publications[1]
    assert [i.id for i in nanna.issues] == ["2025-05-19", "2024-11-20", "2024-09-27"]
    assert (nanna.earliest, nanna.latest) == (nanna.issues[-1].date, nanna.issues[0].date)
    assert nanna.article_count == sum(len(i.articles) for i in nanna.issues)
    assert nanna.unread({"2024-09-27.1"}) == nanna.article_count - 1
    assert library.publication_of()["xwlb-2024-11-21"] == "《新闻联播》"


def test_without_shared_titles_the_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "校园快讯"
    folder.mkdir()
    for day in ("2024-03-01", "2024-03-08"):
        (folder / f"{day}.md").write_text("## 消息\n\n正文。\n", encoding="utf-8")
    library = open_library([folder], use_cache=False)
    assert [p.name for p in library.publications] == ["校园快讯"]


def test_config_names_a_folder_and_paths_of_one_name_are_one(tmp_path: Path) -> None:
    roots = three_bulletins(tmp_path)
    named = {str(roots[0]): "开发区报", str(roots[2]): "南哪消息"}
    library = open_library(roots, use_cache=False, publications=named)
    names = [(p.name, len(p.issues)) for p in library.publications]
    assert names == [("开发区报", 1), ("南哪消息", 5)]
    merged = library.publications[1]
    dates = [issue.date for issue in merged.issues]
    assert dates == sorted(dates, reverse=True)  # newest first across both folders


def test_a_named_subfolder_is_its_own_publication(tmp_path: Path) -> None:
    root = tmp_path / "bulletins"
    shutil.copytree(XWLB, root / "digest")
    shutil.copytree(NANNA, root / "campus")
    issues = open_library([root], use_cache=False).issues
    publications = group(issues, [root], {str(root / "digest"): "联播"})
    assert [(p.name, len(p.issues)) for p in publications] == [("南哪消息", 3), ("联播", 2)]


def test_config_reads_publications(tmp_path: Path) -> None:
    text = (
        '[library]\npaths = ["~/a"]\n\n[[library.publication]]\npath = "~/a/zone"\n'
        'name = "开发区报"\n\n[[library.publication]]\npath = "/srv/xwlb"\nname = "联播"\n'
    )
    config, problems = parse_config(text, tmp_path / "config.toml")
    assert problems == []
    assert config.publications == (
        (str(Path("~/a/zone").expanduser()), "开发区报"),
        ("/srv/xwlb", "联播"),
    )
    bad = '[[library.publication]]\npath = "/srv/x"\n'
    config, problems = parse_config(bad, tmp_path / "config.toml")
    assert config.publications == () and "library.publication" in problems[0]


def test_adding_publications_changes_no_id_nor_saved_state(tmp_path: Path) -> None:
    roots = three_bulletins(tmp_path)
    before = open_library(roots[1:2], tmp_path / "cache")
    ids = [a.id for a in before.articles]
    state = State(read={ids[0], ids[5]}, bookmarks=[ids[3]], positions={ids[3]: 120})
    # Another bulletin whose file names collide with the first's: dates name both.
    other = tmp_path / "other"
    other.mkdir()
    (other / "2024-09-27.md").write_text(
        "# 校报 2024-09-27\n\n## 要闻\n\n正文。\n", encoding="utf-8"
    )
    after = open_library([roots[1], roots[0], roots[2], other], tmp_path / "cache")
    nanna = after.publications[0]
    assert [a.id for issue in nanna.issues for a in issue.articles] == ids
    for article_id in (*state.read, *state.bookmarks, *state.positions):
        assert before.article(article_id) == after.article(article_id)
    newcomer = after.publications[-1].issues[0]
    assert newcomer.id.startswith("2024-09-27-") and newcomer.title == "校报 2024-09-27"


def test_search_filters_by_publication_and_names_it(tmp_path: Path) -> None:
    library = open_library(three_bulletins(tmp_path), tmp_path / "cache")
    hits = library.search("pub:新闻联播", limit=50)
    assert {hit.issue_id for hit in hits} == {"xwlb-2024-11-21", "xwlb-2024-11-22"}
    assert {hit.publication for hit in hits} == {"《新闻联播》"}
    lectures = library.search("讲座", limit=50)
    assert {hit.publication for hit in lectures} >= {"南哪消息"}
    assert library.search("讲座 pub:新闻联播") == []
    in_nanna = library.search("pub:南哪 讲座", limit=50)
    assert in_nanna and {hit.publication for hit in in_nanna} == {"南哪消息"}
    # Counting over the whole library (trends, related articles) takes the filter too.
    assert set(library.matches("国际 pub:新闻联播")) == {"xwlb-2024-11-21.3", "xwlb-2024-11-22.3"}
    assert library.matches("秋粮") == ["xwlb-2024-11-21.1"]
    assert library.matches("秋粮 pub:南哪") == []


def test_cli_lists_by_publication(tmp_path: Path) -> None:
    roots = [str(root) for root in three_bulletins(tmp_path)]
    result = run("list", "--no-cache", *roots)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    headings = [lines.index(name) for name in ("开发区精神", "南哪消息", "《新闻联播》")]
    assert headings == sorted(headings)
    assert lines[headings[2] + 1].startswith("xwlb-2024-11-22.1 ")
    assert lines[-1] == "3 publications, 6 issues, 50 articles"
    listed = json.loads(run("list", "--json", "--no-cache", *roots).stdout)
    assert {i["id"]: i["publication"] for i in listed["issues"]}["2024-11-20"] == "南哪消息"
    exported = json.loads(run("export", "--json", "--no-cache", *roots).stdout)
    assert {i["publication"] for i in exported["issues"]} == {
        "开发区精神",
        "南哪消息",
        "《新闻联播》",
    }
    hits = run("search", "国际", "--no-cache", *roots).stdout.splitlines()
    assert hits[0].startswith("xwlb-2024-11-2") and "  《新闻联播》  " in hits[0]


def test_cli_one_line_per_publication(tmp_path: Path) -> None:
    roots = [str(root) for root in three_bulletins(tmp_path)]
    save_state(State(read={"2024-09-27.1", "2024-09-27.2", "xwlb-2024-11-21.1"}))
    result = run("list", "--publications", "--no-cache", *roots)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "PUBLICATION   ISSUES  ARTICLES  DATES                   UNREAD",
        "开发区精神    1       4         -                       4",
        "南哪消息      3       40        2024-09-27..2025-05-19  38",
        "《新闻联播》  2       6         2024-11-21..2024-11-22  5",
    ]
    data = json.loads(run("list", "--publications", "--json", "--no-cache", *roots).stdout)
    assert data["publications"][2] == {
        "name": "《新闻联播》",
        "paths": [roots[2]],
        "issues": 2,
        "articles": 6,
        "first": "2024-11-21",
        "last": "2024-11-22",
        "unread": 5,
    }
