"""The index engines side by side, on the same articles in the same run.

    python benchmarks/bench_engines.py [--articles 10000] [--json out.json]

Engines: `gram` (ours, search.postings: unigram + bigram postings in bounded segments), `gram-whole`
(the same postings built over the whole library at once, as before segments), `fts5` (SQLite FTS5
with the trigram tokenizer, standard library) and `tantivy` (the Rust engine's official Python
bindings, n-gram 1-2 tokenizer with positions, 50 MB writer heap, one thread). Each builds in a
process of its own from the same SQLite table of bodies, so its peak RSS (VmHWM) is its own; each
then answers the same queries (1 to 6 characters, drawn from the text) and its matching articles are
compared with a plain scan (`query in body`): recall 1.0 means nothing missed. FTS5's trigram index
cannot answer a query under three characters by MATCH: those fall back to LIKE, a full scan.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENGINES = ("gram", "gram-whole", "fts5", "tantivy")
QUERIES_PER_LENGTH = 4
TANTIVY_HEAP = 50_000_000


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_corpus(path: Path, articles: int, seed: int = 1) -> float:
    """`articles` bodies of about 5 KB (genlib's text) in a SQLite table; returns megabytes."""
    import genlib

    paragraphs, titles = genlib.load_text()
    rng = random.Random(seed)
    total = 0
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE docs (doc INTEGER PRIMARY KEY, title TEXT, body TEXT)")
        rows = []
        for doc in range(1, articles + 1):
            parts: list[str] = []
            size = 0
            while size < genlib.ARTICLE_BYTES:
                paragraph = rng.choice(paragraphs)
                parts.append(paragraph)
                size += len(paragraph.encode()) + 2
            body = "\n\n".join(parts)
            total += len(body.encode())
            rows.append((doc, rng.choice(titles), body))
            if len(rows) >= 1000:
                conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
                rows.clear()
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    return total / 1e6


def make_queries(path: Path, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
        queries: list[str] = ["的"]
        for length in range(1, 7):
            found = 0
            while found < QUERIES_PER_LENGTH:
                doc = rng.randint(1, count)
                body = conn.execute("SELECT body FROM docs WHERE doc = ?", (doc,)).fetchone()[0]
                at = rng.randrange(0, max(1, len(body) - length))
                text = body[at : at + length]
                if len(text) == length and all("\u4e00" <= char <= "\u9fff" for char in text):
                    queries.append(text)
                    found += 1
    return queries


class _Corpus:
    """search.documents.Documents over the corpus table."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def identity(self) -> str:
        return "bench"

    def live_docs(self) -> list[int]:
        return [row[0] for row in self.conn.execute("SELECT doc FROM docs ORDER BY doc")]

    def documents(self, docs: Sequence[int]) -> list[tuple[int, str, str]]:
        marks = ",".join("?" * len(docs))
        return self.conn.execute(
            f"SELECT doc, title, body FROM docs WHERE doc IN ({marks}) ORDER BY doc", list(docs)
        ).fetchall()

    def bodies(self, docs: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for start in range(0, len(docs), 500):
            chunk = list(docs[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found.update(
                self.conn.execute(f"SELECT doc, body FROM docs WHERE doc IN ({marks})", chunk)
            )
        return found

    def rows(self, size: int = 1000) -> Iterator[list[tuple[int, str]]]:
        cursor = self.conn.execute("SELECT doc, body FROM docs ORDER BY doc")
        while batch := cursor.fetchmany(size):
            yield batch


# --- each engine: build(corpus, folder) and an opener returning find(query) -> set of docs --------


def _gram_build(corpus: _Corpus, folder: Path) -> None:
    from bulletin_tui.search.postings import GramIndex

    index = GramIndex(folder / "index.sqlite3")
    index.sync(corpus)
    index.close()


def _gram_whole_build(corpus: _Corpus, folder: Path) -> None:
    from bulletin_tui.search.index import build

    docs = [row for batch in corpus.rows() for row in batch]
    rows = sum(1 for _ in build(docs))
    (folder / "rows").write_text(str(rows))


def _gram_open(corpus: _Corpus, folder: Path) -> Any:
    import numpy as np

    from bulletin_tui.search.index import gram_codes
    from bulletin_tui.search.postings import GramIndex

    index = GramIndex(folder / "index.sqlite3", read_only=True)

    def find(query: str) -> set[int]:
        postings = [index.posting(code)[0] for code in gram_codes(query)]
        docs = postings[0]
        for other in postings[1:]:
            docs = np.intersect1d(docs, other, assume_unique=True)
        if len(query) <= 2:
            return {int(doc) for doc in docs}
        bodies = corpus.bodies([int(doc) for doc in docs])
        return {doc for doc, body in bodies.items() if query in body}

    return find


def _fts5_build(corpus: _Corpus, folder: Path) -> None:
    with sqlite3.connect(folder / "fts.sqlite3") as conn:
        conn.execute("CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='trigram')")
        for batch in corpus.rows():
            conn.executemany("INSERT INTO fts (rowid, body) VALUES (?, ?)", batch)
            conn.commit()


def _fts5_open(corpus: _Corpus, folder: Path) -> Any:
    conn = sqlite3.connect(f"{(folder / 'fts.sqlite3').as_uri()}?mode=ro", uri=True)

    def find(query: str) -> set[int]:
        if len(query) >= 3:
            quoted = '"' + query.replace('"', '""') + '"'
            rows = conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (quoted,))
        else:  # under three characters the trigram index cannot help: a scan
            rows = conn.execute("SELECT rowid FROM fts WHERE body LIKE ?", (f"%{query}%",))
        return {row[0] for row in rows}

    return find


def _tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("doc", stored=False, fast=True, indexed=True)
    builder.add_text_field("body", tokenizer_name="ngram12", index_option="position")
    return builder.build()


def _tantivy_index(folder: Path) -> Any:
    import tantivy

    index = tantivy.Index(_tantivy_schema(), path=str(folder / "tantivy"))
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2, False)).build()
    index.register_tokenizer("ngram12", analyzer)
    return index


def _tantivy_build(corpus: _Corpus, folder: Path) -> None:
    import tantivy

    (folder / "tantivy").mkdir()
    index = _tantivy_index(folder)
    writer = index.writer(TANTIVY_HEAP, 1)
    for batch in corpus.rows():
        for doc, body in batch:
            document = tantivy.Document()
            document.add_unsigned("doc", doc)
            document.add_text("body", body)
            writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()


def _tantivy_open(corpus: _Corpus, folder: Path) -> Any:
    index = _tantivy_index(folder)
    searcher = index.searcher()

    def find(query: str) -> set[int]:
        parsed = index.parse_query(f'"{query}"', ["body"])
        limit = max(1, searcher.num_docs)
        hits = searcher.search(parsed, limit).hits
        return set(searcher.fast_field_values("doc", [address for _, address in hits]))

    return find


BUILDERS = {
    "gram": (_gram_build, _gram_open),
    "gram-whole": (_gram_whole_build, None),
    "fts5": (_fts5_build, _fts5_open),
    "tantivy": (_tantivy_build, _tantivy_open),
}


def _size(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def child(engine: str, corpus_path: Path, folder: Path, queries: list[str]) -> dict[str, Any]:
    """Build with `engine` in this process, then answer `queries`: the figures as a dict."""
    build, opener = BUILDERS[engine]
    corpus = _Corpus(corpus_path)
    base = _status("VmRSS")
    started = time.perf_counter()
    build(corpus, folder)
    out: dict[str, Any] = {
        "engine": engine,
        "build_s": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(_status("VmHWM"), 1),
        "base_rss_mb": round(base, 1),
        "index_mb": round(_size(folder), 1),
    }
    if opener is None:
        return out
    started = time.perf_counter()
    find = opener(corpus, folder)
    first = find(queries[1])
    out["open_first_query_ms"] = round((time.perf_counter() - started) * 1000, 2)
    del first
    rows = []
    for query in queries:
        started = time.perf_counter()
        found = find(query)
        rows.append(
            {
                "query": query,
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "docs": sorted(found),
            }
        )
    out["queries"] = rows
    return out


def truth(corpus_path: Path, queries: list[str]) -> dict[str, set[int]]:
    corpus = _Corpus(corpus_path)
    found: dict[str, set[int]] = {query: set() for query in queries}
    for batch in corpus.rows():
        for doc, body in batch:
            for query in queries:
                if query in body:
                    found[query].add(doc)
    return found


def run(articles: int, engines: Sequence[str] = ENGINES) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    try:
        corpus = base / "corpus.sqlite3"
        megabytes = make_corpus(corpus, articles)
        queries = make_queries(corpus)
        expected = truth(corpus, queries)
        results: dict[str, Any] = {
            "articles": articles,
            "megabytes": round(megabytes, 1),
            "engines": {},
        }
        for engine in engines:
            folder = base / engine
            folder.mkdir()
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    engine,
                    str(corpus),
                    str(folder),
                    json.dumps(queries),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                results["engines"][engine] = {"error": done.stderr.strip().splitlines()[-1:]}
                continue
            out = json.loads(done.stdout)
            rows = out.pop("queries", [])
            if rows:
                missed = sum(len(expected[r["query"]] - set(r["docs"])) for r in rows)
                extra = sum(len(set(r["docs"]) - expected[r["query"]]) for r in rows)
                wanted = sum(len(expected[r["query"]]) for r in rows)
                out["recall"] = round(1 - missed / max(1, wanted), 4)
                long = [r for r in rows if len(r["query"]) >= 3]
                missed = sum(len(expected[r["query"]] - set(r["docs"])) for r in long)
                wanted = sum(len(expected[r["query"]]) for r in long)
                out["recall_3_up"] = round(1 - missed / max(1, wanted), 4)
                out["false_hits"] = extra
                times = sorted(r["ms"] for r in rows)
                out["query_p50_ms"] = times[len(times) // 2]
                out["query_p95_ms"] = times[min(len(times) - 1, int(0.95 * len(times)))]
                short = [r["ms"] for r in rows if len(r["query"]) <= 2]
                out["short_query_p50_ms"] = sorted(short)[len(short) // 2]
            results["engines"][engine] = out
        return results
    finally:
        shutil.rmtree(base, ignore_errors=True)


def report(results: dict[str, Any]) -> str:
    lines = [
        f"{results['articles']} articles, {results['megabytes']} MB of text",
        f"{'engine':<11}{'build s':>9}{'peak MB':>9}{'index MB':>10}{'open+1st ms':>13}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'1-2ch ms':>10}{'recall':>8}{'≥3 ch':>7}",
    ]
    for name, out in results["engines"].items():
        if "error" in out:
            lines.append(f"{name:<11}error: {out['error']}")
            continue

        def cell(key: str, width: int, out: dict[str, Any] = out) -> str:
            value = out.get(key)
            return f"{'-' if value is None else value:>{width}}"

        lines.append(
            f"{name:<11}{cell('build_s', 9)}{cell('peak_rss_mb', 9)}{cell('index_mb', 10)}"
            f"{cell('open_first_query_ms', 13)}{cell('query_p50_ms', 8)}{cell('query_p95_ms', 8)}"
            f"{cell('short_query_p50_ms', 10)}{cell('recall', 8)}{cell('recall_3_up', 7)}"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        engine, corpus, folder, queries = sys.argv[2:6]
        print(json.dumps(child(engine, Path(corpus), Path(folder), json.loads(queries))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(args.articles, args.engines.split(","))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
