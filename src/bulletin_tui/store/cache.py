"""The SQLite cache: parsed issues and their articles, in one file per library.

The connection, its transactions and errors are `CacheConnection` (store.connection); here is what
the cache holds: the files seen, each issue's metadata and articles, each article's body and its
blocks in pages (block_pages.py), and opening it safely.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bulletin_tui.block_pages import PagedBlocks, pack_pages
from bulletin_tui.model import Block, FileError, Issue, Section
from bulletin_tui.search.documents import Document
from bulletin_tui.store import codec
from bulletin_tui.store.cache_file import cache_name, check_files, looks_damaged, move_aside
from bulletin_tui.store.connection import CacheConnection, parser_version
from bulletin_tui.store.errors import CacheCorruptError, CacheError, CacheFullError, translate
from bulletin_tui.store.issue_rows import pack_articles, pack_docs, search_fields, unpack_sections
from bulletin_tui.store.lazy import article_maker, lazy_issue

__all__ = [
    "Cache",
    "CacheCorruptError",
    "CacheError",
    "CacheFullError",
    "FileState",
    "cache_name",
    "open_cache",
    "parser_version",
    "recover",
]


@dataclass(frozen=True, slots=True)
class FileState:
    """What the cache knows of one issue file."""

    id: int
    size: int
    mtime_ns: int
    hash: str
    stem: str
    issue_id: str
    error: str | None


class Cache(CacheConnection):
    """The cache file (or an in-memory database when `path` is None)."""

    def max_doc(self) -> int:
        """The highest article number given so far (0 if none)."""
        return int(self.query("SELECT coalesce(max(doc), 0) FROM docs")[0][0])

    # --- files ---------------------------------------------------------------------------------

    def file_states(self) -> dict[bytes, FileState]:
        rows = self.query("SELECT path, id, size, mtime_ns, hash, stem, issue_id, error FROM files")
        return {bytes(row[0]): FileState(*row[1:]) for row in rows}

    def find_parse(self, digest: str, stem: str) -> int | None:
        """A file already parsed from the same bytes under the same stem (so the same parse)."""
        rows = self.query(
            "SELECT id FROM files WHERE hash = ? AND stem = ? AND error IS NULL LIMIT 1",
            (digest, stem),
        )
        return int(rows[0][0]) if rows else None

    def touch(self, file_id: int, size: int, mtime_ns: int, issue_id: str) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, issue_id = ? WHERE id = ?",
                (size, mtime_ns, issue_id, file_id),
            )

    def remove(self, file_ids: Iterable[int]) -> None:
        for file_id in file_ids:
            with self.write() as conn:
                self._delete_file(conn, file_id)

    @staticmethod
    def _delete_file(conn: sqlite3.Connection, file_id: int) -> None:
        for table in ("block_pages", "texts"):
            conn.execute(
                f"DELETE FROM {table} WHERE doc IN (SELECT doc FROM docs WHERE file = ?)",
                (file_id,),
            )
        conn.execute("DELETE FROM docs WHERE file = ?", (file_id,))
        conn.execute("DELETE FROM files WHERE id = ?", (file_id,))

    def _upsert_file(self, conn: sqlite3.Connection, key: bytes, values: dict[str, Any]) -> int:
        old = conn.execute("SELECT id FROM files WHERE path = ?", (key,)).fetchone()
        if old is not None:
            self._delete_file(conn, old[0])
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = conn.execute(
            f"INSERT INTO files (path, {names}) VALUES (?, {marks})", (key, *values.values())
        )
        return int(cursor.lastrowid or 0)

    def store_error(
        self, key: bytes, shown: str, stem: str, issue_id: str, stat: tuple[int, int], error: str
    ) -> None:
        values = {
            "shown": shown,
            "stem": stem,
            "issue_id": issue_id,
            "size": stat[0],
            "mtime_ns": stat[1],
            "hash": "",
            "error": error,
        }
        with self.write() as conn:
            self._upsert_file(conn, key, values)

    def store_issue(
        self,
        key: bytes,
        stem: str,
        stat: tuple[int, int],
        digest: str,
        issue: Issue,
    ) -> None:
        """Replace whatever the cache held for this path with `issue` (one transaction)."""
        values = {
            "shown": issue.path,
            "stem": stem,
            "issue_id": issue.id,
            "size": stat[0],
            "mtime_ns": stat[1],
            "hash": digest,
            "title": issue.title,
            "date": issue.date.isoformat() if issue.date else None,
            "front_matter": codec.pack_list(issue.front_matter),
            "sections": codec.pack_list([section.title for section in issue.sections]),
            "articles": pack_articles(issue),
        }
        texts = [(article.body_text, *pack_pages(article.blocks)) for article in issue.articles]
        with self.write() as conn:
            file_id = self._upsert_file(conn, key, values)
            docs: list[int] = []
            for position, (article, (body, starts, pages)) in enumerate(
                zip(issue.articles, texts, strict=True)
            ):
                cursor = conn.execute(
                    "INSERT INTO docs (file, position, title) VALUES (?, ?, ?)",
                    (file_id, position, article.title),
                )
                doc = int(cursor.lastrowid or 0)
                docs.append(doc)
                count = len(article.blocks)
                conn.execute("INSERT INTO texts VALUES (?, ?, ?, ?)", (doc, body, count, starts))
                conn.executemany(
                    "INSERT INTO block_pages VALUES (?, ?, ?)",
                    ((doc, page, shapes) for page, shapes in enumerate(pages)),
                )
            conn.execute("UPDATE files SET docs = ? WHERE id = ?", (pack_docs(docs), file_id))

    def copy_parse(
        self, source: int, key: bytes, shown: str, issue_id: str, stat: tuple[int, int]
    ) -> None:
        """Store a file whose bytes and stem match an already parsed file: copy, do not parse."""
        copied = ("stem", "hash", "title", "date", "front_matter", "sections", "articles")
        with self.write() as conn:
            row = conn.execute(
                f"SELECT path, {', '.join(copied)} FROM files WHERE id = ?", (source,)
            ).fetchone()
            if row is None:
                raise LookupError(source)
            if bytes(row[0]) == key:
                # Another process stored this very file meanwhile: only the stat may differ.
                conn.execute(
                    "UPDATE files SET size = ?, mtime_ns = ?, issue_id = ?, shown = ? WHERE id = ?",
                    (stat[0], stat[1], issue_id, shown, source),
                )
                return
            values = dict(zip(copied, row[1:], strict=True))
            values.update(shown=shown, issue_id=issue_id, size=stat[0], mtime_ns=stat[1])
            originals = conn.execute(
                "SELECT doc FROM docs WHERE file = ? ORDER BY position", (source,)
            ).fetchall()
            file_id = self._upsert_file(conn, key, values)
            docs: list[int] = []
            for (doc,) in originals:
                cursor = conn.execute(
                    "INSERT INTO docs (file, position, title) "
                    "SELECT ?, position, title FROM docs WHERE doc = ?",
                    (file_id, doc),
                )
                docs.append(int(cursor.lastrowid or 0))
                conn.execute(
                    "INSERT INTO texts SELECT ?, body, blocks, pages FROM texts WHERE doc = ?",
                    (cursor.lastrowid, doc),
                )
                conn.execute(
                    "INSERT INTO block_pages SELECT ?, page, shapes FROM block_pages WHERE doc = ?",
                    (cursor.lastrowid, doc),
                )
            conn.execute("UPDATE files SET docs = ? WHERE id = ?", (pack_docs(docs), file_id))

    # --- reading the library -------------------------------------------------------------------

    def load(
        self, only: Callable[[bytes], bool] | None = None, offset: int = 0
    ) -> tuple[list[Issue], list[FileError]]:
        """Every cached issue and every cached error (of the files `only` accepts, by path). Issues
        build their sections, and articles read their blocks, on first use (see store.lazy):
        opening stays fast however large. Articles are numbered `offset` above their number here
        (so that two caches searched together never share a number)."""
        # The articles' packed metadata (most of each row) is read when an issue is first opened.
        with self.lock, self.errors():
            files = self._conn.execute(
                "SELECT path, shown, issue_id, error, title, date, front_matter, sections, docs "
                "FROM files ORDER BY path"
            ).fetchall()
        issues: list[Issue] = []
        errors: list[FileError] = []
        blocks = self.blocks if not offset else lambda doc: self.blocks(doc - offset)
        make_article = article_maker(blocks)
        for key, shown, issue_id, error, title, day, front, sections, stored in files:
            if only is not None and not only(bytes(key)):
                continue
            docs = stored
            if offset and docs:
                docs = ",".join(str(int(doc) + offset) for doc in docs.split(","))
            if error is not None:
                errors.append(FileError(shown, error))
                continue
            row = (issue_id, sections, key, stored, docs)
            issues.append(
                lazy_issue(
                    partial(self._sections, make_article, *row),
                    docs or "",
                    id=issue_id,
                    path=shown,
                    title=title,
                    date=date.fromisoformat(day) if day else None,
                    front_matter=codec.unpack_list(front),
                )
            )
        return issues, errors

    def _sections(
        self,
        make: Callable[..., Any],
        issue_id: str,
        names: str,
        key: bytes,
        stored: str,
        docs: str,
    ) -> tuple[Section, ...]:
        """An issue's sections from its `files` row. A file parsed again since the library was
        listed gives its new parse (numbered with the same offset as `docs`), so an issue opened
        before the library reloads is never shown empty; a file gone since gives no articles."""
        rows = self.query("SELECT articles FROM files WHERE path = ? AND docs IS ?", (key, stored))
        if rows:
            return unpack_sections(make, issue_id, names, rows[0][0], docs)
        current = self.query(
            "SELECT sections, articles, docs FROM files WHERE path = ? AND error IS NULL", (key,)
        )
        if not current or not current[0][2]:
            return unpack_sections(make, issue_id, names, "", "")
        new_names, articles, new_docs = current[0]
        offset = _offset_of(stored, docs)
        if offset:
            new_docs = ",".join(str(int(doc) + offset) for doc in new_docs.split(","))
        return unpack_sections(make, issue_id, new_names, articles, new_docs)

    def blocks(self, doc: int) -> Sequence[Block]:
        """The article's blocks, each page of them built when first read."""
        rows = self.query("SELECT body, blocks, pages FROM texts WHERE doc = ?", (doc,))
        if not rows:
            return ()  # the article left the cache since it was listed
        body, count, starts = rows[0]
        return PagedBlocks(body, count, starts, partial(self._block_page, doc))

    def _block_page(self, doc: int, page: int) -> str:
        rows = self.query("SELECT shapes FROM block_pages WHERE doc = ? AND page = ?", (doc, page))
        return str(rows[0][0]) if rows else "[]"  # gone since: PagedBlocks fills it with blanks

    def bodies(self, docs: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for start in range(0, len(docs), 500):
            chunk = list(docs[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found.update(self.query(f"SELECT doc, body FROM texts WHERE doc IN ({marks})", chunk))
        return found

    # --- documents for the search index (search.documents.Documents) --------------------------

    def identity(self) -> str:
        rows = self.query("SELECT value FROM meta WHERE key = 'identity'")
        return str(rows[0][0]) if rows else ""

    def live_docs(self) -> list[int]:
        return [row[0] for row in self.query("SELECT doc FROM docs ORDER BY doc")]

    def documents(self, docs: Sequence[int]) -> list[Document]:
        found: list[Document] = []
        for start in range(0, len(docs), 500):
            chunk = list(docs[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.query(
                "SELECT docs.doc, docs.file, docs.position, docs.title, texts.body "
                f"FROM docs JOIN texts USING (doc) WHERE docs.doc IN ({marks}) ORDER BY docs.doc",
                chunk,
            )
            files = sorted({row[1] for row in rows})
            marks = ",".join("?" * len(files))
            records = {
                file: articles.split(codec.RECORD) if articles else []
                for file, articles in self.query(
                    f"SELECT id, articles FROM files WHERE id IN ({marks})", files
                )
            }
            for doc, file, position, title, body in rows:
                mine = records.get(file, [])
                record = mine[position] if position < len(mine) else ""
                found.append(Document(doc, title, body, *search_fields(record)))
        return found


def open_cache(
    directory: Path | None, notices: list[str], name: str, *, shared: bool = False
) -> Cache:
    """The cache `name` in `directory` (None: in memory). Problems become notices, never failures:
    an unusable or unsafe directory (see bulletin_tui.private_files) or a planted file gives an
    in-memory cache, a damaged file is moved aside and rebuilt."""
    from bulletin_tui.private_files import UnsafePathError, private_dir

    if directory is None:
        return Cache(None)
    try:
        private_dir(directory)
        probe = directory / f".probe-{os.getpid()}-{threading.get_ident()}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        probe.unlink()
    except UnsafePathError as error:
        notices.append(f"cache directory {error}; using an in-memory cache")
        return Cache(None)
    except OSError as error:
        reason = error.strerror or str(error)
        notices.append(
            f"cache directory {directory} is not writable ({reason}); using an in-memory cache"
        )
        return Cache(None)
    path = directory / name
    try:
        check_files(path)
        if looks_damaged(path):
            notices.append(move_aside(path))
        return Cache(path, shared=shared)
    except UnsafePathError as error:
        notices.append(f"cache file {error}; using an in-memory cache")
        return Cache(None)
    except sqlite3.Error as error:
        cache_error = translate(str(path), error)
        if isinstance(cache_error, CacheCorruptError):
            notices.append(move_aside(path))
            return Cache(path)
        if isinstance(cache_error, CacheFullError):
            # Nothing can be written: the library still opens, from the files, in memory.
            notices.append(f"{cache_error}; using an in-memory cache")
            return Cache(None)
        if cache_error is not None:
            raise cache_error from error
        notices.append(f"cannot open the cache {path} ({error}); using an in-memory cache")
        return Cache(None)


def recover(cache: Cache, notices: list[str]) -> Cache:
    """Replace a cache found damaged while in use by a fresh, empty one."""
    with contextlib.suppress(sqlite3.Error):
        cache.close()
    if cache.path is None:
        return Cache(None)
    notices.append(move_aside(cache.path))
    return Cache(cache.path)


def _offset_of(stored: str, docs: str) -> int:
    """How far above the cache's own numbers (`stored`) an issue's articles are numbered (`docs`)."""
    if not stored or not docs:
        return 0
    return int(docs.split(",", 1)[0]) - int(stored.split(",", 1)[0])
