"""Keywords and document frequencies kept in the library's SQLite cache, in tables of their own.

Both depend on the library as a whole, so each row records the number of articles it was computed
over (its basis), and is used while the library is within a tenth of that size: adding an issue to
a large archive leaves them be, a library grown or shrunk by more is computed afresh. A keyword row
also records a digest of the article's text, so an article edited since is done again.

The cache may be read-only or in trouble: then these are kept in memory only and nothing fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin_tui.store.cache import Cache

TABLES = (
    "CREATE TABLE IF NOT EXISTS insight_keywords ("
    " article TEXT PRIMARY KEY, digest TEXT NOT NULL, basis INTEGER NOT NULL, words TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS insight_df ("
    " word TEXT PRIMARY KEY, basis INTEGER NOT NULL, df INTEGER NOT NULL) WITHOUT ROWID",
)

Weighted = list[tuple[str, float]]


def close_enough(basis: int, articles: int) -> bool:
    return abs(basis - articles) * 10 <= articles


class Saved:
    """Reads and writes of the two tables; every failure leaves the caller with nothing saved."""

    def __init__(self, cache: Cache, articles: int) -> None:
        self._cache = cache
        self._articles = articles
        self._ready = False
        self._unwritable = False

    def _prepare(self) -> bool:
        if not self._ready and not self._unwritable:
            try:
                with self._cache.write() as conn:
                    for statement in TABLES:
                        conn.execute(statement)
            except Exception:  # read-only (a shared index), full or damaged: memory only
                self._unwritable = True
                return False
            self._ready = True
        return self._ready

    def keywords(self, wanted: dict[str, str]) -> dict[str, Weighted]:
        """Saved keywords of the articles in `wanted` (article id → digest of its text)."""
        if not wanted or not self._prepare():
            return {}
        found: dict[str, Weighted] = {}
        ids = list(wanted)
        try:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._cache.query(
                    "SELECT article, digest, basis, words FROM insight_keywords"
                    f" WHERE article IN ({marks})",
                    chunk,
                )
                for article, digest, basis, words in rows:
                    if digest == wanted[article] and close_enough(basis, self._articles):
                        found[article] = [(str(w), float(x)) for w, x in json.loads(words)]
        except Exception:
            return found
        return found

    def save_keywords(self, rows: Iterable[tuple[str, str, Weighted]]) -> None:
        """(article id, digest, keywords) rows."""
        values = [
            (article, digest, self._articles, json.dumps(words, ensure_ascii=False))
            for article, digest, words in rows
        ]
        if not values or not self._prepare():
            return
        try:
            with self._cache.write() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO insight_keywords VALUES (?, ?, ?, ?)", values
                )
        except Exception:
            pass

    def frequencies(self, words: Sequence[str]) -> dict[str, int]:
        if not words or not self._prepare():
            return {}
        marks = ",".join("?" * len(words))
        try:
            rows = self._cache.query(
                f"SELECT word, basis, df FROM insight_df WHERE word IN ({marks})", list(words)
            )
        except Exception:
            return {}
        return {word: df for word, basis, df in rows if close_enough(basis, self._articles)}

    def save_frequencies(self, found: dict[str, int]) -> None:
        if not found or not self._prepare():
            return
        try:
            with self._cache.write() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO insight_df VALUES (?, ?, ?)",
                    [(word, self._articles, df) for word, df in found.items()],
                )
        except Exception:
            pass
