"""Keywords, related articles and trends (bulletin_tui.insights), each beside a baseline.

    python benchmarks/bench_insights.py LIBRARY_DIR [CACHE_DIR] [--json FILE]

Targets (from the issue), on the sample, the nanna corpus and libraries up to 100,000 articles:
the keywords of an open article <= 100 ms once jieba is warm; related articles <= 100 ms; a trend
over every match <= 100 ms. Measured as the reader meets them: the library opened, the reader's
background warm-up done (bodies in memory, jieba and its keyword table loaded), then articles
opened at random, their keywords worked out for the first time (nothing saved), then related.
Baselines from the same run: jieba's TF-IDF alone (its general table, no library frequencies) on
the same articles; a ranked search of the top 50 and a plain Python count over every folded body
for the same queries as the trends.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bulletin_tui.library import Library, open_library

HERE = Path(__file__).resolve().parent

ARTICLES = 30  # opened at random
TREND_QUERIES = ("讲座", "南京大学", "活动 报名", "图书馆", "志愿者", "校区", "比赛 -讲座", "的")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(name: str, times: list[float]) -> dict[str, float]:
    if not times:
        return {}
    ms = [_ms(t) for t in times]
    return {
        f"{name}_p50_ms": _percentile(ms, 0.5),
        f"{name}_p95_ms": _percentile(ms, 0.95),
        f"{name}_max_ms": max(ms),
    }


def _forget(library: Library) -> None:
    """Nothing saved or held: every keyword and document frequency is worked out afresh."""
    library.insights._fresh()
    library.insights._saved._prepare()  # makes the tables
    with library.cache.write() as conn:
        conn.execute("DELETE FROM insight_keywords")
        conn.execute("DELETE FROM insight_df")
    library._insights = None


def measure(library: Library, articles: int = ARTICLES, seed: int = 3) -> dict[str, Any]:
    from bulletin_tui import chinese_words
    from bulletin_tui.insights.keywords import article_text
    from bulletin_tui.search.folding import fold
    from bulletin_tui.search.query import parse_query

    out: dict[str, Any] = {"articles": len(library.articles)}
    started = time.perf_counter()
    library.warm_up()
    chinese_words.warm_keywords()
    out["warm_up_s"] = round(time.perf_counter() - started, 2)
    _forget(library)
    ids = [article.id for article in library.articles]
    chosen = random.Random(seed).sample(ids, min(articles, len(ids)))

    alone, first, related = [], [], []
    for article_id in chosen:
        article = library.article(article_id)
        assert article is not None
        text = article_text(article)
        started = time.perf_counter()
        chinese_words.keyword_weights(text)[:8]
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        library.insights.keywords(article_id)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        library.insights.related(article_id)
        related.append(time.perf_counter() - started)
    out |= _summary("jieba_tfidf", alone) | _summary("keywords", first)
    out |= _summary("related", related)

    # A later run: keywords from the cache, nothing held in memory (related looks words up again).
    library._insights = None
    saved, related_cold = [], []
    for article_id in chosen:
        started = time.perf_counter()
        library.insights.keywords(article_id)
        saved.append(time.perf_counter() - started)
        started = time.perf_counter()
        library.insights.related(article_id)
        related_cold.append(time.perf_counter() - started)
    out |= _summary("keywords_saved", saved) | _summary("related_cold", related_cold)

    # Trends over every match, against a ranked page of hits and a plain count of the text.
    engine = library.engine
    engine.load_bodies()
    bodies = [
        "\n".join((fold(a.title), fold("\t".join(a.subtitles)), fold(a.body_text)))
        for a in library.articles
    ]
    trends, searches, scans, rows = [], [], [], []
    library.insights.trend("讲座")  # the calendar of the library, made once per library
    for query in TREND_QUERIES:
        started = time.perf_counter()
        trend = library.insights.trend(query)
        trends.append(time.perf_counter() - started)
        started = time.perf_counter()
        library.search(query, limit=50)
        searches.append(time.perf_counter() - started)
        parsed = parse_query(query)
        started = time.perf_counter()
        count = sum(
            1
            for body in bodies
            if all(term.text in body for term in parsed.terms)
            and not any(word in body for word in parsed.excluded)
        )
        scans.append(time.perf_counter() - started)
        rows.append({"query": query, "matches": trend.total, "scan_count": count, "by": trend.by})
    out["trend_queries"] = rows
    out |= _summary("trend", trends) | _summary("search_top50", searches)
    out |= _summary("python_count", scans)
    return out


def run(library_dir: Path, cache_dir: Path) -> dict[str, Any]:
    """The figures for one library (its cache already built, as the search bench leaves it)."""
    library = open_library([library_dir], cache_dir=cache_dir)
    try:
        return measure(library)
    finally:
        library.close()


def run_corpora(quick: bool = False) -> dict[str, Any]:
    """The same on the bundled sample and on the nanna corpus (its three issues in the test
    fixtures with --quick, or where the corpus is absent)."""
    root = HERE.parent
    corpus = root.parent / "shared" / "corpus" / "nanna"
    nanna = corpus if corpus.is_dir() and not quick else root / "tests" / "fixtures" / "nanna"
    out: dict[str, Any] = {"nanna_path": str(nanna)}
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as temporary:
        for name, folder in (("sample", root / "seeds"), ("nanna", nanna)):
            library = open_library([folder], cache_dir=Path(temporary) / name)
            try:
                out[name] = measure(library)
            finally:
                library.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path, nargs="?")
    parser.add_argument("cache", type=Path, nargs="?")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.library is None:
        results = run_corpora()
    else:
        cache = args.cache or Path(tempfile.mkdtemp(prefix="bench-insights-"))
        results = run(args.library, cache)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)
    for key in ("keywords_p95_ms", "related_p95_ms", "trend_p95_ms"):
        if key in results:
            print(f"{key}: {results[key]}", file=sys.stderr)


if __name__ == "__main__":
    main()
