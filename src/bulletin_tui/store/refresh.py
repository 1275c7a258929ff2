"""Bringing the cache up to date with the files: incremental, one transaction per file.

A file whose size and mtime_ns match the cache is not read. One whose bytes hash the same is not parsed
(a touched file, or the same content under another path with the same name). A changed file is parsed
again; a removed file leaves the cache. The search index is not the store's: search keeps it, and is
handed the articles afterwards (library.Library.refresh). A refresh killed at any point leaves a
consistent cache: the next one carries on from there.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from multiprocessing import get_all_start_methods
from pathlib import Path

from bulletin_tui import sources
from bulletin_tui.model import Issue
from bulletin_tui.store.cache import Cache
from bulletin_tui.workers import Pool, end_server, forked_pool, served_pool

RACY_SECONDS = 2.0  # a file modified this recently may change again within the same mtime tick
BATCH_CHARS = 4_000_000  # text parsed together before it is stored (bounds memory on big libraries)
POOL_CHARS = 2_000_000  # less text than this parses faster in-process than workers can start
MAX_WORKERS = 4


@dataclass
class RefreshStats:
    files: int = 0
    unchanged: int = 0
    parsed: int = 0
    reused: int = 0  # same bytes as a cached file: not parsed again
    removed: int = 0
    errors: int = 0
    articles: int = 0  # articles in the files parsed or reused
    bytes_read: int = 0
    indexed: int = 0  # articles added to the index in this refresh
    workers: int = 1  # processes that parsed (more than one for a large new library)
    shared: int = 0  # files left to a shared cache that holds them as they are
    seconds: float = 0.0

    def reset(self) -> None:
        for field in fields(self):
            setattr(self, field.name, field.default)


def refresh(
    cache: Cache,
    roots: tuple[Path, ...],
    progress: sources.Progress | None = None,
    stats: RefreshStats | None = None,
    shared: Mapping[bytes, tuple[int, int]] | None = None,
    served: set[bytes] | None = None,
    threaded_workers: bool = False,
) -> RefreshStats:
    """Bring `cache` up to date with the files under `roots`. A file that `shared` (a shared cache
    built by an administrator: path → size and mtime_ns) holds as it is now is left to it: added to
    `served`, and dropped from `cache` if it was there. `threaded_workers`: a process running
    threads (the reader) may parse in workers too, from a fork server (see workers.served_pool)."""
    started = time.perf_counter()
    if stats is None:
        stats = RefreshStats()
    stats.reset()  # a retry after recovering a damaged cache starts the counts afresh
    paths = sources.discover(roots)
    ids = sources.issue_ids(paths, roots)
    known = cache.file_states()
    seen: set[bytes] = set()
    now = time.time()
    report = _Reporter(progress, len(paths))
    parser = _Parser(cache, stats, report, threaded_workers)

    try:
        for path in paths:
            key = os.fsencode(path)
            if _left_to_shared(path, key, shared, served, stats):
                report(path)
                continue
            seen.add(key)
            job = _refresh_file(cache, path, key, ids[path], known.get(key), now, stats)
            if job is None:
                report(path)
            else:
                parser.add(job)
        parser.flush()
    except BaseException:
        parser.close(at_once=True)
        raise
    parser.close()
    stats.files = len(paths)
    gone = [state.id for key, state in known.items() if key not in seen]
    cache.remove(gone)
    stats.removed = len(gone)
    stats.seconds = time.perf_counter() - started
    return stats


class _Reporter:
    """Counts the files done and tells `progress` (done, of how many, which)."""

    def __init__(self, progress: sources.Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, path: Path) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, sources.display_path(path))


def _left_to_shared(
    path: Path,
    key: bytes,
    shared: Mapping[bytes, tuple[int, int]] | None,
    served: set[bytes] | None,
    stats: RefreshStats,
) -> bool:
    """A file the shared cache holds as it is now: served from there, not from ours."""
    if not shared or key not in shared or _stat(path) != shared[key]:
        return False
    if served is not None:
        served.add(key)
    stats.shared += 1
    return True


def _refresh_file(
    cache: Cache,
    path: Path,
    key: bytes,
    issue_id: str,
    state: object,
    now: float,
    stats: RefreshStats,
) -> _Job | None:
    """Bring one file's entry up to date; a file that must be parsed comes back as a job."""
    from bulletin_tui.store.cache import FileState

    known = state if isinstance(state, FileState) else None
    shown = sources.display_path(path)
    stem = sources.display_path(Path(path.name)).rsplit(".", 1)[0]
    stat, settled = _stat_settled(path, now)
    if known is not None and (known.size, known.mtime_ns) == stat and settled:
        if known.issue_id != issue_id:
            cache.touch(known.id, *stat, issue_id)
        stats.unchanged += 1
        stats.errors += known.error is not None
        return None
    try:
        # Never blocks: a file swapped for a named pipe since the stat above is refused.
        data = sources.read_bytes(path)
    except sources.SourceError as error:  # says precisely what is wrong
        cache.store_error(key, shown, stem, issue_id, stat, str(error))
        stats.errors += 1
        return None
    stats.bytes_read += len(data)
    digest = hashlib.sha256(data).hexdigest()
    if known is not None and known.hash == digest and known.error is None:
        cache.touch(known.id, *stat, issue_id)
        stats.unchanged += 1
        return None
    twin = cache.find_parse(digest, stem)
    if twin is not None:
        cache.copy_parse(twin, key, shown, issue_id, stat)
        stats.reused += 1
        return None
    try:
        text = sources.decode(data)
        if not text.strip():
            raise sources.SourceError("empty file (nothing but white space)")
    except sources.SourceError as error:
        cache.store_error(key, shown, stem, issue_id, stat, str(error))
        stats.errors += 1
        return None
    return _Job(path, key, shown, stem, issue_id, stat, digest, text)


def _stat_settled(path: Path, now: float) -> tuple[tuple[int, int], bool]:
    """The file's (size, mtime_ns), (-1, -1) if it is gone; and whether it is old enough that a
    change would show in them."""
    try:
        info = path.stat()
    except OSError:
        return (-1, -1), False
    return (info.st_size, info.st_mtime_ns), now - info.st_mtime_ns / 1e9 > RACY_SECONDS


@dataclass(frozen=True)
class _Job:
    path: Path
    key: bytes
    shown: str
    stem: str
    issue_id: str
    stat: tuple[int, int]
    digest: str
    text: str


def parse_job(text: str, shown: str, issue_id: str, stem: str) -> Issue:
    """Parse one file's text (module level: it runs in worker processes)."""
    from bulletin_tui.parse import parse_issue

    return parse_issue(text, path=shown, issue_id=issue_id, stem=stem)


class _Parser:
    """Parses waiting files, in worker processes when there is enough text to pay for them.

    Parsing is nearly all of a first build's time and uses one core; a new library of
    tens of megabytes parses about twice as fast on two. Results are stored in file order by this
    process, one transaction per file, exactly as when parsing in-process.
    """

    def __init__(
        self,
        cache: Cache,
        stats: RefreshStats,
        done: Callable[[Path], None],
        threaded_workers: bool = False,
    ) -> None:
        self._threaded_workers = threaded_workers
        self._cache = cache
        self._stats = stats
        self._done = done  # told of each file as it is stored
        self._waiting: list[_Job] = []
        self._waiting_bytes = 0
        self._pool: Pool | None = None
        self._served = False  # the pool's workers come from a fork server

    def add(self, job: _Job) -> None:
        self._waiting.append(job)
        self._waiting_bytes += len(job.text)
        if self._waiting_bytes >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        jobs, self._waiting, self._waiting_bytes = self._waiting, [], 0
        if not jobs:
            return
        chars = sum(len(job.text) for job in jobs)
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        args = [(job.text, job.shown, job.issue_id, job.stem) for job in jobs]
        # Workers are forked, and only from a single-threaded process: forking a threaded one (the
        # reader refreshes from a worker thread) can copy a held lock into the child, and spawning
        # would re-run the user's script in every worker when it lacks a __main__ guard.
        single = threading.active_count() == 1 and "fork" in get_all_start_methods()
        served = self._threaded_workers and "forkserver" in get_all_start_methods()
        if self._pool is None and (single or served) and workers > 1 and chars >= POOL_CHARS:
            self._pool = forked_pool(workers) if single else served_pool(workers)
            self._served = not single
            self._stats.workers = workers
        if self._pool is not None:
            results = self._pool.map(parse_job, args)
        else:
            results = map(parse_job, *zip(*args, strict=True))
        for job, issue in zip(jobs, results, strict=True):
            self._store(job, issue)
            self._done(job.path)

    def _store(self, job: _Job, issue: Issue) -> None:
        # The same bytes twice among the new files: the first parse serves both.
        twin = self._cache.find_parse(job.digest, job.stem)
        if twin is not None:
            self._cache.copy_parse(twin, job.key, job.shown, job.issue_id, job.stat)
            self._stats.reused += 1
            return
        self._cache.store_issue(job.key, job.stem, job.stat, job.digest, issue)
        self._stats.parsed += 1
        self._stats.articles += len(issue.articles)

    def close(self, *, at_once: bool = False) -> None:
        """Let the workers go; `at_once` (an error, Ctrl+C, SIGTERM) kills them mid-file."""
        if self._pool is not None:
            if at_once:
                self._pool.stop()
            else:
                self._pool.close()
            if self._served:
                end_server()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
