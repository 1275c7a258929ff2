"""Recall, exactly: for any text taken from an article, of any length (one and two characters too),
the hits of the first tier are precisely the articles containing that text."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from bulletin_tui.library import Library, open_library
from bulletin_tui.model import Article
from bulletin_tui.search.engine import TEXT, TIER_STEP
from bulletin_tui.search.folding import fold
from bulletin_tui.search.query import QueryError, Term, parse_query
from tests.conftest import CORPUS, FIXTURES, SEED


def _fields(article: Article) -> list[str]:
    return [
        fold(text)
        for text in (
            article.title,
            article.body_text,
            article.dateline or "",
            article.byline or "",
            *article.subtitles,
            *article.photo_credits,
        )
    ]


def _queries(library: Library, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    articles = [a for a in library.articles if a.body_text]
    queries: list[str] = []
    while len(queries) < count:
        article = rng.choice(articles)
        source = article.title if rng.random() < 0.2 else article.body_text
        length = rng.choice((1, 1, 2, 2, 2, 3, 4, 5, 8))
        if len(source) <= length:
            continue
        start = rng.randrange(0, len(source) - length)
        query = source[start : start + length]
        # Only plain text: the query language would read the rest as syntax ("-1" is an error).
        try:
            parsed = parse_query(query)
        except QueryError:
            continue
        if parsed.terms != (Term(fold(query)),) or parsed.has_filters:
            continue
        queries.append(query)
    return queries


def _check(library: Library, queries: list[str]) -> None:
    fields = {article.id: _fields(article) for article in library.articles}
    for query in queries:
        needle = fold(query)
        expected = {aid for aid, texts in fields.items() if any(needle in t for t in texts)}
        hits = library.search(query, limit=len(fields))
        first_tier = {hit.article_id for hit in hits if hit.score >= TEXT * TIER_STEP}
        assert first_tier == expected, query


def test_every_containing_article_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(SEED, folder)
    for path in (FIXTURES / "nanna").glob("*.md"):
        shutil.copy(path, folder)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert len(library.articles) > 20
    _check(library, _queries(library, 150, seed=1))


@pytest.mark.corpus
def test_every_containing_article_is_found_in_the_corpus(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the nanna corpus is not present at {CORPUS}")
    folder = tmp_path / "issues"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.md"))[::3]:  # a third of it: enough variety, a third the time
        shutil.copy(path, folder)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert len(library.articles) > 300
    _check(library, _queries(library, 40, seed=2))
