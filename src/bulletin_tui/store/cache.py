"""The SQLite cache: parsed issues, their articles and the search index, in one file.

One connection per Cache, shared by threads under a lock (the reader refreshes in a worker while the
UI thread reads). Other processes may use the same file at once: WAL mode, a busy timeout and
`BEGIN IMMEDIATE` with retries keep them from failing with "database is locked".
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bulletin_tui.model import Article, Block, FileError, Issue, Link, Section
from bulletin_tui.store import codec
from bulletin_tui.store.lazy import article_maker, lazy_issue
from bulletin_tui.store.schema import DROP, SCHEMA_VERSION, TABLES

DB_NAME = "library.sqlite3"
BUSY_TIMEOUT_S = 30.0
_HEADER = b"SQLite format 3\x00"
_FULL, _CORRUPT, _NOTADB, _BUSY, _LOCKED = 13, 11, 26, 5, 6


class CacheError(Exception):
    """The cache cannot be used; the message says why and names the file."""


class CacheFullError(CacheError):
    """The disk holding the cache is full."""


class CacheCorruptError(CacheError):
    """The cache file is damaged (truncated, overwritten): it must be moved aside and rebuilt."""


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


def parser_version() -> str:
    """bulletin_tui.parse.PARSER_VERSION (importing the package does not load the parser)."""
    from bulletin_tui.parse import PARSER_VERSION

    return str(PARSER_VERSION)


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def _looks_damaged(path: Path) -> bool:
    """A cheap check that needs no query: the header is SQLite's and the file is not truncated."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if size == 0:
        return False
    if len(header) < 100 or not header.startswith(_HEADER):
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is trusted only while "version-valid-for" matches the counter.
    counted = header[24:28] == header[92:96] and pages > 0
    return size % page_size != 0 or (counted and size < pages * page_size)


class Cache:
    """The cache file (or an in-memory database when `path` is None)."""

    def __init__(self, path: Path | None, *, read_only: bool = False, shared: bool = False) -> None:
        """`read_only`: a shared cache built by someone else, never written (CacheError if it was
        built by another version). `shared`: being built for others to read, with a rollback
        journal rather than WAL, so readers need no write access beside it."""
        self.path = path
        self.read_only = read_only
        self.shared = shared
        self.lock = threading.RLock()
        self.generation = 0  # bumped by every change, so readers know to reload
        self._conn = self._connect()

    # --- opening -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.read_only and self.path is not None:
            return self._connect_read_only(self.path)
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None:
            _check_files(self.path)
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if self.path is not None:
                mode = "DELETE" if self.shared else "WAL"
                self._retry(lambda: conn.execute(f"PRAGMA journal_mode = {mode}").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_read_only(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            wanted = {"schema": str(SCHEMA_VERSION), "parser": parser_version()}
            if not _same(self._versions(conn), wanted):
                raise CacheError(f"{path} was built by another version of bulletin-tui")
        except BaseException:
            conn.close()
            raise
        return conn

    def max_doc(self) -> int:
        """The highest article number given so far (0 if none)."""
        return int(self.query("SELECT coalesce(max(doc), 0) FROM docs")[0][0])

    def finish_shared(self) -> None:
        """Leave a shared cache readable by users who cannot write beside it: no WAL, no -shm."""
        with self.lock, self.errors():
            self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Create the tables, or rebuild them when the schema or the parser changed."""
        wanted = {"schema": str(SCHEMA_VERSION), "parser": parser_version()}
        if _same(self._versions(conn), wanted):
            return
        with self._write(conn):
            if _same(self._versions(conn), wanted):  # another process got there first
                return
            # One statement at a time: executescript() would commit the transaction.
            for statement in (DROP + TABLES).split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
            conn.execute("INSERT INTO meta VALUES ('identity', ?)", (os.urandom(16).hex(),))

    @staticmethod
    def _versions(conn: sqlite3.Connection) -> dict[str, str]:
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return {}
            raise

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    # --- errors and transactions ---------------------------------------------------------------

    def translate(self, error: sqlite3.Error) -> CacheError | None:
        """The CacheError that a SQLite error means, if it is one we handle."""
        return _translate(str(self.path or "in memory"), error)

    def _retry(self, action: Any) -> Any:
        """Run `action`, waiting out locks held by other processes beyond the busy timeout."""
        deadline = time.monotonic() + 4 * BUSY_TIMEOUT_S
        while True:
            try:
                return action()
            except sqlite3.OperationalError as error:
                if _code(error) not in (_BUSY, _LOCKED) and "locked" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextlib.contextmanager
    def _write(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        self._retry(lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        self._retry(lambda: conn.execute("COMMIT"))

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; SQLite errors we know come out as CacheError."""
        with self.lock, self.errors(), self._write(self._conn) as conn:
            yield conn
            self.generation += 1

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            known = self.translate(error)
            if known is None:
                raise
            raise known from error

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self.lock, self.errors():
            return self._conn.execute(sql, parameters).fetchall()

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
        conn.execute(
            "DELETE FROM texts WHERE doc IN (SELECT doc FROM docs WHERE file = ?)", (file_id,)
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
            "articles": _pack_articles(issue),
        }
        texts = [_texts(article) for article in issue.articles]
        with self.write() as conn:
            file_id = self._upsert_file(conn, key, values)
            docs: list[int] = []
            for position, (article, (body, shapes)) in enumerate(
                zip(issue.articles, texts, strict=True)
            ):
                cursor = conn.execute(
                    "INSERT INTO docs (file, position, title) VALUES (?, ?, ?)",
                    (file_id, position, article.title),
                )
                docs.append(int(cursor.lastrowid or 0))
                conn.execute("INSERT INTO texts VALUES (?, ?, ?)", (cursor.lastrowid, body, shapes))
            conn.execute("UPDATE files SET docs = ? WHERE id = ?", (_pack_docs(docs), file_id))

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
                    "INSERT INTO texts SELECT ?, body, blocks FROM texts WHERE doc = ?",
                    (cursor.lastrowid, doc),
                )
            conn.execute("UPDATE files SET docs = ? WHERE id = ?", (_pack_docs(docs), file_id))

    # --- reading the library -------------------------------------------------------------------

    def load(
        self, only: Callable[[bytes], bool] | None = None, offset: int = 0
    ) -> tuple[list[Issue], list[FileError]]:
        """Every cached issue and every cached error (of the files `only` accepts, by path). Issues
        build their sections, and articles read their blocks, on first use (see store.lazy):
        opening stays fast however large. Articles are numbered `offset` above their number here
        (so that two caches searched together never share a number)."""
        with self.lock, self.errors():
            files = self._conn.execute(
                "SELECT path, shown, issue_id, error, title, date, front_matter, sections, "
                "articles, docs FROM files ORDER BY path"
            ).fetchall()
        issues: list[Issue] = []
        errors: list[FileError] = []
        blocks = self.blocks if not offset else lambda doc: self.blocks(doc - offset)
        make_article = article_maker(blocks)
        for key, shown, issue_id, error, title, day, front, sections, articles, docs in files:
            if only is not None and not only(bytes(key)):
                continue
            if offset and docs:
                docs = ",".join(str(int(doc) + offset) for doc in docs.split(","))
            if error is not None:
                errors.append(FileError(shown, error))
                continue
            issues.append(
                lazy_issue(
                    partial(_sections, make_article, issue_id, sections, articles, docs),
                    id=issue_id,
                    path=shown,
                    title=title,
                    date=date.fromisoformat(day) if day else None,
                    front_matter=codec.unpack_list(front),
                )
            )
        return issues, errors

    def blocks(self, doc: int) -> tuple[Block, ...]:
        rows = self.query("SELECT body, blocks FROM texts WHERE doc = ?", (doc,))
        if not rows:
            return ()  # the article left the cache since it was listed
        return _blocks(rows[0][0], rows[0][1])

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

    def documents(self, docs: Sequence[int]) -> list[tuple[int, str, str]]:
        found: list[tuple[int, str, str]] = []
        for start in range(0, len(docs), 500):
            chunk = list(docs[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found += self.query(
                "SELECT docs.doc, docs.title, texts.body FROM docs JOIN texts USING (doc) "
                f"WHERE docs.doc IN ({marks}) ORDER BY docs.doc",
                chunk,
            )
        return found


def _same(versions: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(versions.get(key) == value for key, value in wanted.items())


def _pack_docs(docs: Sequence[int]) -> str:
    return ",".join(map(str, docs))


def _pack_articles(issue: Issue) -> str:
    """One record per article: id suffix, section index, then its metadata."""
    records = []
    prefix = f"{issue.id}."
    position = 0
    for part, section in enumerate(issue.sections):
        for article in section.articles:
            position += 1
            suffix = article.id[len(prefix) :] if article.id.startswith(prefix) else str(position)
            fields = (
                codec.pack(suffix),
                codec.pack(str(part)),
                codec.pack(article.section),
                codec.pack(article.title),
                codec.pack_list(article.subtitles),
                codec.pack(article.dateline),
                codec.pack(article.byline),
                codec.pack_list(article.reporters),
                codec.pack_list(article.correspondents),
                codec.pack_list(article.photo_credits),
            )
            records.append(codec.FIELD.join(fields))
    return codec.RECORD.join(records)


def _sections(
    make: Callable[..., Article], issue_id: str, names: str, articles: str, docs: str
) -> tuple[Section, ...]:
    titles = codec.unpack_optional_list(names)
    parts: list[list[Article]] = [[] for _ in titles]
    unpack, unpack_list = codec.unpack, codec.unpack_list
    numbers = [int(doc) for doc in docs.split(",")] if docs else []
    records = articles.split(codec.RECORD) if articles else []
    for doc, record in zip(numbers, records, strict=True):
        fields = record.split(codec.FIELD)
        parts[int(fields[1][1:])].append(
            make(
                doc,
                f"{issue_id}.{fields[0][1:]}",
                fields[3][1:],
                unpack_list(fields[4]),
                unpack(fields[5]),
                unpack(fields[6]),
                unpack_list(fields[7]),
                unpack_list(fields[8]),
                unpack_list(fields[9]),
                unpack(fields[2]),
            )
        )
    return tuple(Section(title, tuple(part)) for title, part in zip(titles, parts, strict=True))


def _texts(article: Article) -> tuple[str, str]:
    """The body, and the blocks' shapes (everything but their text, which is in the body)."""
    shapes = [_block_shape(block) for block in article.blocks]
    return article.body_text, json.dumps(shapes, ensure_ascii=False)


def _block_shape(block: Block) -> list[Any]:
    """A block without its text (which lives once, in the body): kind, length, the rest."""
    extra: dict[str, Any] = {}
    if block.level:
        extra["level"] = block.level
    if block.rows:
        extra["rows"] = block.rows
    if block.items:
        extra["items"] = block.items
    if block.ordered:
        extra["ordered"] = True
    if block.links:
        extra["links"] = [(link.text, link.url) for link in block.links]
    return [block.kind, len(block.text), extra] if extra else [block.kind, len(block.text)]


def _blocks(body: str, shapes: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    at = 0
    for shape in json.loads(shapes):
        kind, length = shape[0], shape[1]
        extra = shape[2] if len(shape) > 2 else {}
        blocks.append(
            Block(
                kind=kind,
                text=body[at : at + length],
                level=extra.get("level", 0),
                rows=tuple(tuple(row) for row in extra.get("rows", ())),
                items=tuple(extra.get("items", ())),
                ordered=extra.get("ordered", False),
                links=tuple(Link(text, url) for text, url in extra.get("links", ())),
            )
        )
        at += length + 2  # the blank line between blocks in Article.body_text
    return tuple(blocks)


def cache_name(roots: Sequence[Path]) -> str:
    """The cache file for a set of library roots: each library has its own, so opening one never
    evicts another."""
    import hashlib

    key = "\0".join(sorted(os.fsdecode(Path(root).resolve()) for root in roots))
    return (
        f"library-{hashlib.sha1(key.encode('utf-8', 'surrogateescape')).hexdigest()[:16]}.sqlite3"
    )


def _check_files(path: Path) -> None:
    """Open (or create, 0600) the cache file without following a link, and check the files SQLite
    will open beside it by name: in a private folder nobody else can swap them afterwards."""
    from bulletin_tui.private_files import check_own_file, open_private

    for suffix in ("-wal", "-shm", "-journal"):
        check_own_file(path.with_name(path.name + suffix))
    # SQLite gives its -wal and -shm files the mode of the database file.
    os.close(open_private(path))


def open_cache(
    directory: Path | None, notices: list[str], name: str = DB_NAME, *, shared: bool = False
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
        _check_files(path)
        if _looks_damaged(path):
            notices.append(_move_aside(path))
        return Cache(path, shared=shared)
    except UnsafePathError as error:
        notices.append(f"cache file {error}; using an in-memory cache")
        return Cache(None)
    except sqlite3.Error as error:
        cache_error = _translate(str(path), error)
        if isinstance(cache_error, CacheCorruptError):
            notices.append(_move_aside(path))
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
    notices.append(_move_aside(cache.path))
    return Cache(cache.path)


def _move_aside(path: Path) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    with contextlib.suppress(OSError):
        os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return f"the cache {path} was damaged; moved it to {aside.name} and rebuilt it"


def _translate(where: str, error: sqlite3.Error) -> CacheError | None:
    code, text = _code(error), str(error)
    if code == _FULL or "disk is full" in text:
        return CacheFullError(f"the disk is full: cannot write the cache {where}")
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return CacheCorruptError(f"the cache {where} is damaged ({text})")
    return None
