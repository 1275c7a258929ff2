"""The search index file (search.postings): incremental, bounded batches, merges, a kill -9 midway,
a version change, a store made afresh, and exact recall of one- and two-character queries."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bulletin_tui.library import Library, open_library
from bulletin_tui.search import postings
from bulletin_tui.search.documents import Document
from bulletin_tui.search.folding import fold
from bulletin_tui.search.postings import GramIndex, index_path

ROOT = Path(__file__).resolve().parents[2]
HAN = "南京大学新闻中心报道开学典礼师生代表回顾发展历程展望未来党建工作招商引资项目签约会议"


def _issue(folder: Path, number: int, rng: random.Random, articles: int = 4) -> Path:
    parts = [f"# 测试日报 第{number}期", "", "# **要闻**", ""]
    for article in range(articles):
        body = "".join(rng.choices(HAN, k=rng.randint(80, 400)))
        parts += [f"## 第{number}期第{article}篇", "", body, ""]
    path = folder / f"2024-{1 + number // 28:02d}-{1 + number % 28:02d}.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def _library(tmp_path: Path, issues: int, seed: int = 1) -> Path:
    folder = tmp_path / "issues"
    folder.mkdir()
    rng = random.Random(seed)
    for number in range(issues):
        _issue(folder, number, rng)
    return folder


def _truth(library: Library, query: str) -> set[str]:
    folded = fold(query)
    return {
        article.id
        for article in library.articles
        if folded in fold(article.body_text) or folded in fold(article.title)
    }


def _found(library: Library, query: str) -> set[str]:
    """Articles holding the text as typed (the first tier: not words apart, nor near misses)."""
    hits = library.search(query, limit=100_000)
    found = {hit.article_id for hit in hits if hit.match == "text"}
    assert found == set(library.matches(query))
    return found


def _index_rows(library: Library, sql: str) -> list[tuple[int, ...]]:
    return library.index.query(sql)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of a few articles each, so a small library has many and merges happen."""
    monkeypatch.setattr(postings, "BATCH_CHARS", 2000)
    monkeypatch.setattr(postings, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(postings, "MERGE_AT_ONCE", 3)


def _reference_rows(docs: list[tuple[int, str]]) -> dict[int, list[tuple[int, int, list[int]]]]:
    """Per gram: (doc, count, first positions) of each article holding it, worked out plainly."""
    from bulletin_tui.search.folding import fold_units
    from bulletin_tui.search.index import POSITIONS

    found: dict[int, dict[int, list[int]]] = {}
    for number, body in sorted(docs):
        units = [int(unit) for unit in fold_units(body)]
        for at, unit in enumerate(units):
            if unit:
                found.setdefault(unit, {}).setdefault(number, []).append(at)
            if at + 1 < len(units) and unit and units[at + 1]:
                found.setdefault(unit << 16 | units[at + 1], {}).setdefault(number, []).append(at)
    return {
        gram: [
            (doc, len(places), places[:POSITIONS] if gram >= 1 << 16 else [])
            for doc, places in sorted(entries.items())
        ]
        for gram, entries in found.items()
    }


@pytest.mark.parametrize("slice_size", [1, 7, 1 << 18])
def test_a_batch_built_a_slice_at_a_time_holds_every_gram_exactly(
    monkeypatch: pytest.MonkeyPatch, slice_size: int
) -> None:
    """However the occurrences are cut into slices (a gram longer than a slice included), every
    gram's articles, counts and kept places are those of a plain count over the text."""
    from bulletin_tui.search import index

    monkeypatch.setattr(index, "SLICE", slice_size)
    rng = random.Random(3)
    docs = [(number, "".join(rng.choices(HAN[:9], k=rng.randint(0, 60)))) for number in range(40)]
    docs += [(77, "南京" * 300 + "Ab"), (5000, "南"), (70000, "大学大学")]
    built: dict[int, list[tuple[int, int, list[int]]]] = {}
    for gram, first, gaps, counts, positions in index.build(docs):
        numbers, tf = index.unpack(first, gaps, counts)
        places = index.unpack_positions(tf, positions) if positions else None
        assert gram not in built, "one row a gram"
        kept = [0, *np.cumsum(np.minimum(tf, index.POSITIONS)).tolist()]
        built[gram] = [
            (
                int(doc),
                int(count),
                places[kept[i] : kept[i + 1]].tolist() if places is not None else [],
            )
            for i, (doc, count) in enumerate(zip(numbers, tf, strict=True))
        ]
    expected = _reference_rows(docs)
    for entries in expected.values():  # counts are kept to a byte
        entries[:] = [(doc, min(count, 255), places) for doc, count, places in entries]
    assert built == expected


def test_one_and_two_characters_are_found_exactly(tmp_path: Path, small_batches: None) -> None:
    library = open_library([_library(tmp_path, 12)], cache_dir=tmp_path / "cache")
    assert _index_rows(library, "SELECT count(*) FROM indexed") == [(len(library.articles),)]
    assert len(_index_rows(library, "SELECT seg FROM segments")) <= postings.MAX_SEGMENTS
    rng = random.Random(7)
    queries = list(HAN[:12]) + ["".join(rng.choices(HAN, k=2)) for _ in range(40)]
    queries += ["".join(rng.choices(HAN, k=k)) for k in (3, 4, 5) for _ in range(5)]
    for query in queries:
        assert _found(library, query) == _truth(library, query), query
    library.close()


def test_longer_queries_are_answered_from_the_places_of_their_bigrams(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three characters and more are found exactly without reading a body: only an article
    holding one of the query's bigrams past the places kept for it is checked against its text."""
    folder = _library(tmp_path, 12)
    repeated = "南京" * 400 + "大学南京南京大学"  # 南京 far more often than its places kept
    (folder / "2024-12-30.md").write_text(
        f"# 测试日报 重复\n\n# **要闻**\n\n## 重复\n\n{repeated}\n", encoding="utf-8"
    )
    library = open_library([folder], cache_dir=tmp_path / "cache")
    for path in sorted(folder.iterdir())[:4]:  # dead entries, then merged away
        path.unlink()
    library.refresh()
    catalog = library.engine.terms.catalog
    read: list[int] = []
    real = catalog.bodies.folded

    def folded(docs: list[int]) -> dict[int, str]:
        read.extend(docs)
        return real(docs)

    monkeypatch.setattr(catalog.bodies, "folded", folded)
    rng = random.Random(11)
    queries = ["".join(rng.choices(HAN, k=k)) for k in (3, 4, 5, 7) for _ in range(5)]
    for article in library.articles[:12]:
        body = fold(article.body_text)
        for length in (3, 4, 6, 9):
            start = rng.randrange(max(1, len(body) - length))
            queries.append(body[start : start + length])
    for query in queries:
        assert set(library.matches(query)) == _truth(library, query), query
    (repeat,) = [a.id for a in library.articles if a.title == "重复"]
    assert {catalog.entry(doc)[1].id for doc in read} <= {repeat}, "no other body is read"
    read.clear()
    assert repeat in library.matches("京大学南")
    assert read == [], "its bigrams 京大 and 学南 are few: their places are all kept"
    assert repeat in library.matches("南京南京大学")
    assert repeat not in library.matches("南京南京大南")
    assert {catalog.entry(doc)[1].id for doc in read} == {repeat}, "南京: checked in its text"
    # With every body in memory a ranked page checks its best candidates' text instead: the
    # same articles either way.
    library.engine.load_bodies()
    for query in queries[::3]:
        assert _found(library, query) == _truth(library, query), query
    library.close()


def test_adding_replacing_and_removing_an_issue_costs_that_issue(
    tmp_path: Path, small_batches: None
) -> None:
    folder = _library(tmp_path, 10)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    rng = random.Random(99)
    added = _issue(folder, 40, rng)
    assert library.refresh().indexed == 4  # the new issue's four articles, nothing else
    replaced = _issue(folder, 3, rng)  # new text for an issue already there
    assert library.refresh().indexed == 4
    added.unlink()
    assert library.refresh().indexed == 0
    live = {row[0] for row in _index_rows(library, "SELECT doc FROM indexed")}
    assert live == set(library.cache.live_docs())
    body = replaced.read_text(encoding="utf-8").split("\n")[6]
    for query in (body[:2], body[10:13], "第40期", "第3期第1篇"):
        assert _found(library, query) == _truth(library, query), query
    # Against a library built from nothing in memory, every query gives the same articles.
    fresh = open_library([folder], use_cache=False)
    for query in [*HAN[:8], body[:2], body[5:9]]:
        assert _found(library, query) == _found(fresh, query) == _truth(fresh, query)
    library.close()


def test_a_refresh_of_one_small_issue_merges_no_large_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings, "BATCH_CHARS", 8000)
    monkeypatch.setattr(postings, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(postings, "MERGE_AT_ONCE", 3)
    folder = _library(tmp_path, 60)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    segments = "SELECT seg, chars FROM segments"
    assert len(_index_rows(library, segments)) <= 4
    large = {seg for seg, chars in _index_rows(library, segments) if chars >= 8000 // 8}
    assert large
    rng = random.Random(5)
    for number in range(100, 108):
        _issue(folder, number, rng, articles=1)
        assert library.refresh().indexed == 1
        now = dict(_index_rows(library, segments))
        # Merged into the library's segments, the new article would cost the library's size.
        assert large <= set(now), f"after issue {number}: {sorted(now.items())}"
        assert len(now) <= 2 * 4
    for query in [*HAN[:6], "第101期", "第107期第0篇"]:
        assert _found(library, query) == _truth(library, query), query
    # A large refresh still leaves no more than MAX_SEGMENTS.
    for number in range(200, 240):
        _issue(folder, number, rng)
    library.refresh()
    assert len(_index_rows(library, segments)) <= 4
    library.close()


def test_dead_entries_are_dropped_by_a_merge(tmp_path: Path, small_batches: None) -> None:
    folder = _library(tmp_path, 12)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    for path in sorted(folder.iterdir())[:6]:
        path.unlink()
    library.refresh()
    kept = {row[0] for row in _index_rows(library, "SELECT doc FROM indexed")}
    assert kept == set(library.cache.live_docs())
    total = _index_rows(library, "SELECT sum(docs) FROM segments")[0][0]
    assert total == len(kept), "half the entries were dead: they are merged away"
    for query in HAN[:6]:
        assert _found(library, query) == _truth(library, query)
    library.close()


KILLER = """
import os, signal, sys
from bulletin_tui.search import postings
postings.BATCH_CHARS = 2000
postings.MAX_SEGMENTS = 1000
commits = 0
real = postings.GramIndex._add

def add(self, batch, chars):
    global commits
    if commits == 3:
        def trace(sql):
            if sql.startswith("INSERT INTO indexed"):  # inside the fourth segment's transaction
                os.kill(os.getpid(), signal.SIGKILL)
        self._conn.set_trace_callback(trace)
    commits += 1
    return real(self, batch, chars)

postings.GramIndex._add = add
from bulletin_tui.library import open_library
open_library([sys.argv[1]], cache_dir=sys.argv[2])
"""


def test_a_build_killed_midway_is_used_and_finished(tmp_path: Path) -> None:
    folder = _library(tmp_path, 12)
    cache = tmp_path / "cache"
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(folder), str(cache)],
        capture_output=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert killed.returncode == -9, killed.stderr.decode()
    (database,) = cache.glob("library-*.sqlite3")
    with contextlib.closing(sqlite3.connect(index_path(database))) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kept = conn.execute("SELECT count(*) FROM indexed").fetchone()[0]
        segments = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert segments == 3 and 0 < kept < 48, "three whole segments, the fourth rolled back"

    library = open_library([folder], cache_dir=cache, refresh=False)
    for query in HAN[:4]:  # what was indexed is used, the rest scanned: nothing missing
        assert _found(library, query) == _truth(library, query)
    stats = library.refresh()
    assert stats.indexed == 48 - kept, "only what the killed build had not stored"
    for query in HAN[:4]:
        assert _found(library, query) == _truth(library, query)
    library.close()


def test_an_index_of_another_version_is_rebuilt(tmp_path: Path) -> None:
    folder = _library(tmp_path, 4)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    path = index_path(library.cache.path or Path())
    library.close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE meta SET value = 'an older one' WHERE key = 'version'")
        conn.execute("DELETE FROM postings")  # what an older engine would not have written
        conn.commit()
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert _index_rows(library, "SELECT value FROM meta WHERE key = 'version'") == [
        (postings.VERSION,)
    ]
    assert _index_rows(library, "SELECT count(*) FROM indexed") == [(16,)]
    for query in HAN[:4]:
        assert _found(library, query) == _truth(library, query)
    library.close()


def test_a_store_made_afresh_does_not_reuse_the_old_index(tmp_path: Path) -> None:
    folder = _library(tmp_path, 4)
    cache = tmp_path / "cache"
    library = open_library([folder], cache_dir=cache)
    database = library.cache.path or Path()
    library.close()
    database.unlink()  # the store starts again, numbering its articles from 1
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for path in folder.iterdir():  # new text under the same names
        path.unlink()
    rng = random.Random(5)
    for number in range(4):
        _issue(folder, number, rng)
    library = open_library([folder], cache_dir=cache)
    for query in HAN[:6]:
        assert _found(library, query) == _truth(library, query)
    library.close()


def test_a_damaged_index_file_is_rebuilt(tmp_path: Path) -> None:
    folder = _library(tmp_path, 4)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    path = index_path(library.cache.path or Path())
    library.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(os.urandom(8192))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert _index_rows(library, "SELECT count(*) FROM indexed") == [(16,)]
    for query in HAN[:4]:
        assert _found(library, query) == _truth(library, query)
    library.close()


def test_a_read_only_index_is_never_written(tmp_path: Path) -> None:
    folder = _library(tmp_path, 4)
    library = open_library([folder], cache_dir=tmp_path / "cache")
    path = index_path(library.cache.path or Path())
    library.index.finish_shared()
    library.close()
    before = path.read_bytes()
    index = GramIndex(path, read_only=True)
    assert index.lengths()[0].size == 16
    with pytest.raises(postings.IndexFileError):
        index.sync(open_library([folder], use_cache=False).cache)
    index.close()
    assert path.read_bytes() == before


def test_an_issue_of_headings_alone_is_indexed(tmp_path: Path) -> None:
    """Articles with no text give a batch with no grams at all: nothing to store, no error."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "2024-10-08.md").write_text("# 一\n\n# 一\n", encoding="utf-8")
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert not library.errors
    assert library.search("一")  # the titles are still found


def test_segments_merged_in_order_give_the_rows_of_a_merge_gram_by_gram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments whose articles follow one another are merged by joining each gram's rows as they
    are laid out; the rows are those of unpacking and sorting every entry, places included (a
    place past 65,535 makes a row four bytes wide, joined beside two-byte rows)."""
    from bulletin_tui.search import segment_merge

    rng = random.Random(5)
    docs = [(number, "".join(rng.choices(HAN[:12], k=rng.randint(1, 300)))) for number in range(60)]
    docs.append((61, "南" * 70_000 + "南京"))  # 南京 at 70,000: past two bytes
    merged: dict[bool, list[tuple[int, ...]]] = {}
    for joined in (True, False):
        if not joined:
            monkeypatch.setattr(segment_merge, "_joined_in_order", lambda group: None)
        index = GramIndex(tmp_path / f"search-{joined}.sqlite3")
        for part in (docs[:20], docs[20:45], docs[45:]):
            index._add([Document(number, f"题{number}", body) for number, body in part], 0)
        index._merge([1, 2, 3])
        merged[joined] = index.query("SELECT * FROM postings ORDER BY gram")
        assert {row[1] for row in merged[joined]} == {4}
        index.close()
    assert merged[True] == merged[False]
