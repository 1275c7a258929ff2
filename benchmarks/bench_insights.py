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
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import percentile

from bulletin_tui.library import Library, open_library
from bulletin_tui.search.query import Query

HERE = Path(__file__).resolve().parent

ARTICLES = 30  # opened at random
TREND_QUERIES = ("讲座", "南京大学", "活动 报名", "图书馆", "志愿者", "校区", "比赛 -讲座", "的")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _summary(name: str, times: list[float]) -> dict[str, float]:
    if not times:
        return {}
    ms = [_ms(t) for t in times]
    return {
        f"{name}_p50_ms": percentile(ms, 0.5),
        f"{name}_p95_ms": percentile(ms, 0.95),
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


class _Times:
    """Wall and CPU time of each call, by name. On a shared machine waiting for a core inflates
    the wall time; the process's CPU time is what the work itself costs."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def __call__(self, name: str, work: Callable[..., Any], *args: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work(*args)
        self.cpu.setdefault(name, []).append(time.process_time() - cpu)
        self.wall.setdefault(name, []).append(time.perf_counter() - wall)
        return result

    def summary(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, times in self.wall.items():
            out |= _summary(name, times)
            cpu = _summary(name, self.cpu[name])
            out[f"{name}_cpu_p50_ms"] = cpu[f"{name}_p50_ms"]
            out[f"{name}_cpu_p95_ms"] = cpu[f"{name}_p95_ms"]
        return out


def _count(query: Query, bodies: list[str]) -> int:
    """Folded texts holding every term and no excluded word: the trend's total, by a scan."""
    return sum(
        1
        for body in bodies
        if all(term.text in body for term in query.terms)
        and not any(word in body for word in query.excluded)
    )


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

    timed = _Times()
    for article_id in chosen:
        article = library.article(article_id)
        assert article is not None
        text = article_text(article)
        timed("jieba_tfidf", chinese_words.keyword_weights, text)
        timed("keywords", library.insights.keywords, article_id)
        timed("related", library.insights.related, article_id)

    # A later run: keywords from the cache, nothing held in memory (related looks words up again).
    library._insights = None
    for article_id in chosen:
        timed("keywords_saved", library.insights.keywords, article_id)
        timed("related_cold", library.insights.related, article_id)

    # Trends over every match, against a ranked page of hits and a plain count of the text.
    engine = library.engine
    engine.load_bodies()
    bodies = [
        "\n".join((fold(a.title), fold("\t".join(a.subtitles)), fold(a.body_text)))
        for a in library.articles
    ]
    rows = []
    library.insights.trend("讲座")  # the calendar of the library, made once per library
    for query in TREND_QUERIES:
        trend = timed("trend", library.insights.trend, query)
        timed("search_top50", library.search, query, 50)
        count = timed("python_count", _count, parse_query(query), bodies)
        rows.append({"query": query, "matches": trend.total, "scan_count": count, "by": trend.by})
    out["trend_queries"] = rows
    return out | timed.summary()


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
    for key in ("keywords_p95_ms", "related_p95_ms", "trend_p95_ms", "trend_cpu_p95_ms"):
        if key in results:
            print(f"{key}: {results[key]}", file=sys.stderr)


if __name__ == "__main__":
    main()
