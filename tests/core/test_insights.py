"""Keywords, related articles and trends over the sample, the nanna corpus and made libraries."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bulletin_tui.cli import main
from bulletin_tui.insights.stopwords import STOP_WORDS
from bulletin_tui.library import Library, open_library
from bulletin_tui.search.folding import fold
from bulletin_tui.search.query import parse_query
from tests.conftest import CORPUS, FIXTURES, SEED

Exported = tuple[str | None, dict[str, object]]
ZHAOSHANG = f"{SEED.stem}.2"  # 招商引资蹄疾步稳, read and checked by hand


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bulletin_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
        timeout=300,
    )


def _text(article: object) -> str:
    from bulletin_tui.insights.keywords import article_text

    return article_text(article)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def nanna(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The nanna corpus where present, else its three issues in the fixtures."""
    folder = CORPUS if CORPUS.is_dir() else FIXTURES / "nanna"
    return open_library([folder], cache_dir=tmp_path_factory.mktemp("nanna-cache"))


def test_the_zhaoshang_article_is_about_zhaoshang_and_signing(tmp_path: Path) -> None:
    library = open_library([SEED], cache_dir=tmp_path / "cache")
    keywords = library.insights.keywords(ZHAOSHANG)
    assert keywords is not None
    words = [keyword.word for keyword in keywords]
    assert 5 <= len(words) <= 8
    assert words[0] == "招商"
    assert any("签约" in word for word in words), words
    assert "本报讯" not in words and "开发区" not in words
    weights = [keyword.weight for keyword in keywords]
    assert weights == sorted(weights, reverse=True) and weights[0] == 1.0


def test_keywords_are_words_of_the_article_and_never_noise(nanna: Library) -> None:
    for article in nanna.articles[:150]:
        keywords = nanna.insights.keywords(article.id)
        assert keywords is not None and len(keywords) <= 8
        text = _text(article)
        for keyword in keywords:
            word = keyword.word
            assert word in text, (article.id, word)
            assert word not in STOP_WORDS
            assert all(char.isalnum() for char in word), word
            assert not any(char.isdigit() for char in word), word
            assert word.casefold() not in {"http", "https", "www", "com", "cn", "weixin"}, word


def _write(folder: Path, day: str, *articles: tuple[str, str]) -> None:
    parts = [f"# 开发区报 {day}", ""]
    for title, body in articles:
        parts += [f"## {title}", "", body, ""]
    (folder / f"{day}.md").write_text("\n".join(parts), encoding="utf-8")


SUBJECTS = ["光伏电站", "污水处理", "动漫展览", "马拉松赛", "图书馆藏", "消防演练"]


def test_words_the_whole_library_uses_are_pushed_down(tmp_path: Path) -> None:
    from bulletin_tui import chinese_words

    folder = tmp_path / "made"
    folder.mkdir()
    for n, subject in enumerate(SUBJECTS):
        body = (
            f"本报讯 开发区消息。开发区管委会称，开发区{subject}建设顺利，开发区{subject}即将投用。"
        )
        _write(folder, f"2025-0{n + 1}-01", (f"{subject}进展", body))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    for issue in library.issues:
        article = issue.articles[0]
        general = [word for word, _ in chinese_words.keyword_weights(_text(article))[:8]]
        assert "开发区" in general  # jieba's general table alone ranks it high
        keywords = library.insights.keywords(article.id)
        assert keywords is not None
        words = [keyword.word for keyword in keywords]
        assert "开发区" not in words and "本报讯" not in words
        assert any(word in article.title for word in words[:2]), words


def test_keywords_are_kept_in_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = open_library([SEED], cache_dir=cache)
    words = first.insights.keywords(ZHAOSHANG)
    first.close()
    (database,) = cache.glob("library-*.sqlite3")
    with sqlite3.connect(database) as conn:
        (saved,) = conn.execute(
            "SELECT words FROM insight_keywords WHERE article = ?", (ZHAOSHANG,)
        ).fetchone()
    # Saved: the shown keywords first, then the words just below them (the related query).
    shown = [k.word for k in words or []]
    assert [word for word, _ in json.loads(saved)][: len(shown)] == shown
    again = open_library([SEED], cache_dir=cache, refresh=False)
    assert again.insights.keywords(ZHAOSHANG) == words
    assert again.insights.keywords("no-such.1") is None


def test_show_json_has_the_keywords_and_tag_finds_them() -> None:
    shown = run("show", ZHAOSHANG, "--json", "--no-cache")
    assert shown.returncode == 0, shown.stderr
    assert "招商" in json.loads(shown.stdout)["keywords"]
    found = run("search", "tag:招商", "--json", "--no-cache")
    assert found.returncode == 0, found.stderr
    assert [hit["article_id"] for hit in json.loads(found.stdout)["hits"]] == [ZHAOSHANG]


def test_tag_filter_matches_keywords_exactly(nanna: Library) -> None:
    article = nanna.articles[5]
    word = (nanna.insights.keywords(article.id) or [])[0].word
    ids = {hit.article_id for hit in nanna.search(f"tag:{word}", limit=500)}
    assert article.id in ids
    for other in ids:
        assert word in [k.word for k in nanna.insights.keywords(other) or []]
    holding = set(nanna.matches(word))
    for other in holding - ids:
        assert word not in [k.word for k in nanna.insights.keywords(other) or []]


@pytest.mark.corpus
def test_related_articles_share_keywords_and_never_the_article_itself(nanna: Library) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the nanna corpus is not present at {CORPUS}")
    articles = nanna.articles
    for article in articles[:: max(1, len(articles) // 40)]:
        # The query: the shown keywords and the words just below them.
        keywords = {k.word for k in nanna.insights.keywords_of([article.id])[article.id]}
        related = nanna.insights.related(article.id, limit=10)
        assert related is not None and len(related) <= 10
        ids = [item.article_id for item in related]
        assert article.id not in ids and len(set(ids)) == len(ids)
        scores = [item.score for item in related]
        assert scores == sorted(scores, reverse=True)
        for item in related:
            other = nanna.article(item.article_id)
            assert other is not None and _text(other) != _text(article)
            assert item.shared and set(item.shared) <= keywords
            for word in item.shared:
                assert fold(word) in fold(_text(other) + (other.byline or ""))


def test_related_leaves_out_exact_copies(tmp_path: Path) -> None:
    folder = tmp_path / "made"
    folder.mkdir()
    story = "光伏电站并网发电，光伏组件由本地企业生产，电站年发电量可观。"
    _write(folder, "2025-01-01", ("光伏电站并网", story), ("别的事", "污水处理厂扩建。"))
    _write(folder, "2025-01-02", ("光伏电站并网", story))
    _write(folder, "2025-01-03", ("光伏组件出口", "本地企业生产的光伏组件出口海外。"))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    related = library.insights.related("2025-01-01.1") or []
    assert [item.article_id for item in related] == ["2025-01-03.1"]
    assert "光伏" in "".join(related[0].shared)
    assert related[0].date == date(2025, 1, 3)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Exported]]:
    """The library folder, a warm cache of it, and every article of `export --json` with its date."""
    folder = CORPUS if CORPUS.is_dir() else FIXTURES / "nanna"
    cache = tmp_path_factory.mktemp("export-cache")
    shown = run("export", "--json", "--cache-dir", str(cache), str(folder))
    assert shown.returncode == 0, shown.stderr
    articles = [
        (issue["date"], article)
        for issue in json.loads(shown.stdout)["issues"]
        for section in issue["sections"]
        for article in section["articles"]
    ]
    return folder, cache, articles


def _holds(article: dict[str, object], text: str) -> bool:
    blocks = article["blocks"]
    assert isinstance(blocks, list)
    parts = [
        str(article["title"]),
        "\t".join(
            [
                *article["subtitles"],  # type: ignore[misc]
                str(article["dateline"] or ""),
                str(article["byline"] or ""),
                *article["photo_credits"],  # type: ignore[misc]
            ]
        ),
        "\n\n".join(block["text"] for block in blocks),
    ]
    return any(text in fold(part) for part in parts)


@pytest.mark.parametrize("by", ["month", "week", "year"])
def test_trend_counts_equal_a_brute_force_count_over_export(
    by: str, exported: tuple[Path, Path, list[Exported]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, cache, articles = exported
    for query in ("讲座", "南京 报名", "活动 -讲座"):
        status = main(
            ["trend", query, str(folder), "--by", by, "--json", "--cache-dir", str(cache)]
        )
        assert status == 0
        trend = json.loads(capsys.readouterr().out)
        assert trend["query"] == query and trend["by"] == by
        parsed = parse_query(query)
        expected: Counter[str] = Counter()
        for day, article in articles:
            if day is None:
                continue
            if all(_holds(article, t.text) for t in parsed.terms) and not any(
                _holds(article, word) for word in parsed.excluded
            ):
                expected[_period(date.fromisoformat(day), by)] += 1
        counts = {row["period"]: row["articles"] for row in trend["counts"]}
        assert {p: n for p, n in counts.items() if n} == dict(expected)
        days = sorted(date.fromisoformat(day) for day, _ in articles if day)
        assert list(counts) == _every_period(days[0], days[-1], by)


def _period(day: date, by: str) -> str:
    if by == "year":
        return str(day.year)
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _every_period(first: date, last: date, by: str) -> list[str]:
    """Every period label from `first` to `last`, walking day by day (slow and obvious)."""
    labels: list[str] = []
    day = first
    while day <= last:
        label = _period(day, by)
        if not labels or labels[-1] != label:
            labels.append(label)
        day = date.fromordinal(day.toordinal() + 1)
    return labels


def test_trend_defaults_to_weeks_under_a_year_and_handles_undated(tmp_path: Path) -> None:
    library = open_library([FIXTURES / "nanna"], cache_dir=tmp_path / "cache")
    trend = library.insights.trend("讲座")
    assert trend.by == "week" and trend.counts[0][0] == "2024-W39"
    sample = open_library([SEED], cache_dir=tmp_path / "cache2")
    assert sample.insights.trend("招商").counts == ()
    undated = run("trend", "招商", "--no-cache")
    assert undated.returncode == 0 and "no dated issue" in undated.stdout
    assert run("trend", "date:2025-13", "--no-cache").returncode == 2
    one = run("trend", "死亡诗社", str(FIXTURES / "nanna"), "--no-cache")
    assert one.stdout.splitlines()[-1] == "1 article matches 死亡诗社"  # not "1 articles match"
    two = run("trend", "童年时光机", str(FIXTURES / "nanna"), "--no-cache")
    assert two.stdout.splitlines()[-1] == "2 articles match 童年时光机"


def test_related_command_json_shape() -> None:
    shown = run("related", f"{SEED.stem}.3", "--json", "--no-cache", "--limit", "2")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["article_id"] == f"{SEED.stem}.3"
    assert 1 <= len(data["related"]) <= 2
    for item in data["related"]:
        assert set(item) == {"article_id", "title", "date", "score", "shared", "publication"}
        assert item["publication"] == "开发区精神"
        assert item["shared"] and 0 < item["score"] <= 1
    assert run("related", "nope.1", "--no-cache").returncode == 2


def test_an_article_s_keywords_build_only_the_articles_sampled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin_tui.insights import frequency

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(300):
        subject = SUBJECTS[n % len(SUBJECTS)]
        day = date.fromordinal(date(2024, 1, 1).toordinal() + n).isoformat()
        _write(folder, day, (f"{subject}进展{n}", f"本报讯 开发区{subject}建设顺利，即将投用。"))
    open_library([folder], cache_dir=tmp_path / "cache").close()
    # Opened from the cache: an issue's articles are built when first read.
    library = open_library([folder], cache_dir=tmp_path / "cache", refresh=False)
    monkeypatch.setattr(frequency, "SAMPLE_CHARACTERS", 200)  # a few articles' worth
    article = library.issues[7].articles[0]
    # Read 200 at a time: one batch holds far more than 200 characters.
    sample = frequency.SampledFrequencies(library, 300)._sample()
    assert len(sample) == 200
    assert library.insights.keywords(article.id)
    built = [issue for issue in library.issues if issue.sections_loaded]  # type: ignore[attr-defined]
    # Counting, dating and sampling the library used to build every article of it.
    assert len(built) <= len(sample) + 1 < len(library.issues)
    related = library.insights.related(article.id)
    assert related and all(r.date is not None for r in related)
    library.close()
