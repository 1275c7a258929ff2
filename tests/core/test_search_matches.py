"""Library.matches(): every article a query matches, checked against a brute-force scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.library import open_library
from bulletin_tui.model import Article
from bulletin_tui.search.folding import fold
from bulletin_tui.search.query import parse_query
from tests.conftest import FIXTURES


def _holds(article: Article, text: str) -> bool:
    meta = "\t".join(
        (*article.subtitles, article.dateline or "", article.byline or "", *article.photo_credits)
    )
    return any(text in fold(part) for part in (article.title, meta, article.body_text))


def _brute(articles: list[Article], query: str) -> list[str]:
    parsed = parse_query(query)
    return [
        article.id
        for article in articles
        if all(_holds(article, term.text) for term in parsed.terms)
        and not any(_holds(article, word) for word in parsed.excluded)
    ]


@pytest.mark.parametrize(
    "query",
    [
        "的",
        "南京",
        "南京大学",
        "讲座 时间",
        "活动 -报名",
        "大学生",
        "编辑部招聘",
        "“南京大学”",
        "无此词语",
    ],
)
def test_matches_equal_a_brute_force_scan(tmp_path: Path, query: str) -> None:
    library = open_library([FIXTURES / "nanna"], cache_dir=tmp_path / "cache")
    expected = _brute(library.articles, query)
    found = library.matches(query)
    assert found == expected
    if query == "的":
        # More than search()'s default page: the count is not capped by a limit.
        assert len(found) > 20


def test_matches_keep_filters(tmp_path: Path) -> None:
    library = open_library([FIXTURES / "nanna"], cache_dir=tmp_path / "cache")
    dated = library.matches("的 date:2025-05-19")
    assert dated and all(article_id.startswith("2025-05-19.") for article_id in dated)
    assert set(dated) < set(library.matches("的"))
    assert library.matches("") == []


def test_matches_keep_no_per_term_arrays(tmp_path: Path) -> None:
    # Each term's counts span every article (megabytes at 100,000): a lookup per keyword must not
    # pile them up.
    library = open_library([FIXTURES / "nanna"], cache_dir=tmp_path / "cache")
    for word in ("南京", "讲座", "大学生", "图书馆"):
        library.matches(word)
        library.count(word)
    assert library.engine.terms.known == {}
