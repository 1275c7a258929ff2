"""Several bulletins in one library: publications by library path, their names, and what they
change (list, JSON, search's pub: filter) and what they must not change (ids, saved state)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from bulletin_tui.config import parse_config
from bulletin_tui.library import open_library
from bulletin_tui.publications import (
    common_title,
    group,
    toggle_publication_filter,
    without_date,
)
from bulletin_tui.search.query import parse_query
from bulletin_tui.state import State, save_state
from bulletin_tui.title_dates import says_day, without_day
from bulletin_tui.typeset import issue_label_text, meta_text
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


def test_a_publication_counts_its_articles_without_building_them(tmp_path: Path) -> None:
    roots = three_bulletins(tmp_path)
    expected = [p.article_count for p in open_library(roots, tmp_path / "cache").publications]
    cached = open_library(roots, tmp_path / "cache", refresh=False)  # issues fill in on use
    assert [p.article_count for p in cached.publications] == expected
    assert not any(issue.sections_loaded for issue in cached.issues)  # type: ignore[attr-defined]
    cached.close()


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
    # Nothing found in one publication: what is offered stays in it too.
    assert library.suggest("讲座").titles
    kept = library.suggest("讲座 秋粮 pub:联播")
    assert kept.titles == ("全国秋粮收购进度过半",) and kept.words == (("讲座", 0), ("秋粮", 1))


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


def test_related_articles_keep_to_one_publication(tmp_path: Path) -> None:
    library = open_library(three_bulletins(tmp_path), tmp_path / "cache")
    everywhere = library.insights.related("2024-09-27.3", limit=5)
    assert everywhere is not None
    assert {item.publication for item in everywhere} == {"南哪消息", "开发区精神"}
    own = library.insights.related("2024-09-27.3", limit=5, publications={"南哪消息"})
    assert own is not None and len(own) == 5  # the filter comes before the best five are picked
    assert {item.publication for item in own} == {"南哪消息"}
    assert [item.article_id for item in own][:4] == [
        item.article_id for item in everywhere if item.publication == "南哪消息"
    ]
    zone = library.insights.related("000_7b733c25521b607c.2", publications={"开发区精神"})
    assert zone is not None
    assert [item.article_id for item in zone] == [
        "000_7b733c25521b607c.1",
        "000_7b733c25521b607c.3",
    ]


def test_a_trend_kept_to_one_publication_spans_its_dates(tmp_path: Path) -> None:
    library = open_library(three_bulletins(tmp_path), tmp_path / "cache")
    # The library spans 2024-09 to 2025-05 by week; the digest's two days fall in one week.
    assert len(library.insights.trend("国际").counts) == 35
    digest = library.insights.trend("pub:联播")
    assert (digest.by, digest.counts) == ("week", (("2024-W47", 6),))
    assert library.insights.trend("国际 pub:联播").counts == (("2024-W47", 2),)
    campus = library.insights.trend("讲座 pub:南哪")
    assert campus.counts == library.insights.trend("讲座").counts  # the range of 南哪消息 is all
    assert library.insights.trend("pub:开发区").counts == ()  # its one issue has no date
    assert library.insights.trend("pub:晚报").counts == ()


@pytest.mark.parametrize(
    ("query", "toggled"),
    [
        ("", 'pub:"南哪消息" '),
        ("讲座", 'pub:"南哪消息" 讲座 '),
        ('pub:"南哪消息" 讲座', "讲座 "),
        ("讲座 pub:联播 -pub:南哪 校庆", "讲座 校庆 "),
        ("pub:「南哪」", ""),
    ],
)
def test_p_puts_a_publication_into_the_query_or_takes_it_out(query: str, toggled: str) -> None:
    assert toggle_publication_filter(query, "南哪消息") == toggled


def test_a_name_with_quotes_is_searched_by_its_longest_piece() -> None:
    query = toggle_publication_filter("", '《说"好"》 校园周报')
    assert query == 'pub:"校园周报" '
    assert parse_query(query).publication == ("校园周报",)


def test_an_issue_label_says_its_date_once(tmp_path: Path) -> None:
    library = open_library([XWLB], use_cache=False)
    issue = library.issues[0]
    assert issue.title == "《新闻联播》 2024年11月22日"
    assert issue_label_text(issue) == "2024-11-22 《新闻联播》"
    assert issue_label_text(issue, "《新闻联播》") == "2024-11-22"
    article = issue.articles[0]
    assert meta_text(article, issue).count("2024") == 1
    day = date(2024, 11, 22)
    assert without_day("校报 2024年3月 特刊 11月22日", day) == "校报 2024年3月 特刊"
    assert without_day("快讯 2024.11.22", day) == "快讯"
    assert not says_day("校报 2024-11-21", day)


def test_cli_related_and_trend_keep_to_one_publication(tmp_path: Path) -> None:
    roots = [str(root) for root in three_bulletins(tmp_path)]
    result = run("related", "2024-09-27.3", *roots, "--limit", "5", "--json")
    assert result.returncode == 0, result.stderr
    related = json.loads(result.stdout)["related"]
    assert {item["publication"] for item in related} == {"南哪消息", "开发区精神"}
    result = run("related", "2024-09-27.3", *roots, "--limit", "5", "--pub", "南哪")
    assert result.returncode == 0, result.stderr
    titles = result.stdout.splitlines()[::2]
    assert len(titles) == 5 and all("  南哪消息  " in line for line in titles)
    result = run("related", "2024-09-27.3", *roots, "--pub", "晚报")
    assert result.returncode == 2
    assert "晚报" in result.stderr and "开发区精神, 南哪消息, 《新闻联播》" in result.stderr
    trend = run("trend", "国际 pub:联播", *roots, "--json")
    assert json.loads(trend.stdout)["counts"] == [{"period": "2024-W47", "articles": 2}]
    undated = run("trend", "招商 pub:开发区", *roots)
    assert undated.returncode == 0
    assert "no dated issue in the publications pub: keeps to" in undated.stdout


def test_config_names_the_publications_of_every_command(tmp_path: Path) -> None:
    roots = three_bulletins(tmp_path)
    # No [library] paths: the folders [[library.publication]] names are the library.
    config = "".join(
        f'[[library.publication]]\npath = "{root}"\nname = "{name}"\n\n'
        for root, name in zip(roots, ("开发区报", "南大", "联播"), strict=True)
    )
    Path(os.environ["BULLETIN_TUI_CONFIG"]).write_text(config, encoding="utf-8")
    result = run("list", "--publications", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == [
        "开发区报",
        "南大",
        "联播",
    ]
    hits = run("search", "pub:联播", "--no-cache").stdout.splitlines()
    assert hits[0].startswith("xwlb-2024-11-22.") and "  联播  " in hits[0]
