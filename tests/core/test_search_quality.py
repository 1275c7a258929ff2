"""Search finds what a reader remembers: over a query set built from the articles themselves
(tests/search_queries.py), each kind finds its article in the top 5 (top 10 for partial queries)
for at least 90 % of queries, and fewer than 2 % of all queries return nothing."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.library import Library, open_library
from bulletin_tui.search.folding import fold
from tests.conftest import CORPUS, FIXTURES
from tests.search_queries import CORPUS_SET, FIXTURE_SET, KINDS

FOUND_SHARE = 0.9
NOTHING_SHARE = 0.02


def found(library: Library, query: dict[str, Any]) -> tuple[bool, bool]:
    """(found in the top 5, or 10 for partial; returned nothing at all)."""
    top = 10 if query["kind"] == "partial" else 5
    hits = library.search(query["query"], limit=top)
    if query["article"]:
        ok = any(hit.article_id == query["article"] for hit in hits)
    else:
        ok = any(fold(hit.title) == fold(query["title"]) for hit in hits)
    return ok, not hits


def evaluate(
    library: Library, queries: list[dict[str, Any]]
) -> tuple[dict[str, float], float, list[str]]:
    """Share found per kind, share of queries with no result, and the misses."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    empty = 0
    misses = []
    for query in queries:
        ok, nothing = found(library, query)
        total[query["kind"]] += 1
        hit[query["kind"]] += ok
        empty += nothing
        if not ok:
            misses.append(f"{query['kind']}: {query['query']} → {query['title']}")
    return {kind: hit[kind] / total[kind] for kind in total}, empty / max(1, len(queries)), misses


def _check(library: Library, queries: list[dict[str, Any]]) -> None:
    shares, empty, misses = evaluate(library, queries)
    assert set(shares) == set(KINDS)
    report = f"{shares}, nothing {empty:.1%}; missed:\n" + "\n".join(misses)
    assert all(share >= FOUND_SHARE for share in shares.values()), report
    assert empty < NOTHING_SHARE, report


def test_query_set_over_the_fixture_issues(tmp_path: Path) -> None:
    folder = tmp_path / "issues"
    shutil.copytree(FIXTURES / "nanna", folder)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    _check(library, json.loads(FIXTURE_SET.read_text(encoding="utf-8")))


@pytest.mark.corpus
def test_query_set_over_the_corpus(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the nanna corpus is not present at {CORPUS}")
    library = open_library([CORPUS], cache_dir=tmp_path / "cache")
    _check(library, json.loads(CORPUS_SET.read_text(encoding="utf-8")))
