"""The library: every issue found under the given paths, and what could not be loaded.

This is the one entry point the CLI and the TUI use. It knows nothing of Textual. Parsed issues live
in a SQLite cache (bulletin_tui.store) and the search index in a file of search's own beside it
(bulletin_tui.search), so opening a library already read costs no parsing; `refresh()` brings both
up to date with the files, reading only what changed.

Thread use: the reader opens with `refresh=False` for an instant first paint, then calls `refresh()`
in a worker thread while the UI thread reads. A refresh replaces `issues`, `errors` and the search
engine whole, at the end, so readers see either the old library or the new one.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bulletin_tui.model import Article, FileError, Hit, Issue, issue_id_of
from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from bulletin_tui.insights import Insights
    from bulletin_tui.publications import Publication
    from bulletin_tui.search.engine import Engine
    from bulletin_tui.search.postings import GramIndex
    from bulletin_tui.search.query import QueryError as QueryError
    from bulletin_tui.search.suggest import Suggestions
    from bulletin_tui.shared_index import Shared
    from bulletin_tui.sources import Progress
    from bulletin_tui.store.cache import Cache
    from bulletin_tui.store.errors import CacheError as CacheError
    from bulletin_tui.store.refresh import RefreshStats as RefreshStats


def __getattr__(name: str) -> Any:
    """What the command line and the app meet of the store and the search engine, re-exported
    here so that they need no deeper door; imported when first asked for, which keeps opening a
    library free of the store's worker machinery."""
    if name == "CacheError":
        from bulletin_tui.store.errors import CacheError

        return CacheError
    if name == "RefreshStats":
        from bulletin_tui.store.refresh import RefreshStats

        return RefreshStats
    if name == "QueryError":
        from bulletin_tui.search.query import QueryError

        return QueryError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


T = TypeVar("T")


@dataclass(repr=False)
class Library:
    roots: tuple[Path, ...]
    issues: list[Issue] = field(default_factory=list)  # newest first
    errors: list[FileError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # one-line messages for the user
    cache_dir: Path | None = None  # None: the cache is in memory
    publication_names: dict[str, str] = field(default_factory=dict)  # folder → name, from config
    _publications: list[Publication] | None = field(default=None, repr=False)
    _issues_by_id: dict[str, Issue] = field(default_factory=dict, repr=False)
    _cache: Cache | None = field(default=None, repr=False)
    _index: GramIndex | None = field(default=None, repr=False)
    # An administrator's shared cache and index (read-only) that this library leans on, and the
    # files it serves as they are; `build_shared`: this library is that shared build.
    shared_dir: Path | None = None
    build_shared: bool = False
    _shared: Shared | None = field(default=None, repr=False)
    _shared_opened: bool = field(default=False, repr=False)
    _served: set[bytes] | None = field(default=None, repr=False)
    # The reader refreshes from a thread: it may still parse in workers, from a fork server.
    threaded_workers: bool = False
    _engine: Engine | None = field(default=None, repr=False)
    _insights: Insights | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _refreshing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __repr__(self) -> str:
        # Short on purpose: Textual's @work describes a worker by the repr of its arguments, and
        # the dataclass repr of every issue, article and (loaded for it) block took 500 MB at
        # 10,000 articles each time a search started a trend.
        roots = ", ".join(str(root) for root in self.roots)
        return f"<Library {roots}: {len(self.issues)} issues>"

    def _once(self, name: str, make: Callable[[], T]) -> T:
        """The attribute `name`, made by `make` when it is None: once, however many threads ask."""
        value: T | None = getattr(self, name)
        if value is None:
            with self._lock:
                value = getattr(self, name)
                if value is None:
                    value = make()
                    setattr(self, name, value)
        return value

    @property
    def cache(self) -> Cache:
        return self._once("_cache", self._open_cache)

    def _open_cache(self) -> Cache:
        from bulletin_tui.store.cache import cache_name, open_cache

        if self.build_shared:
            from bulletin_tui.shared_index import SHARED_NAME

            return open_cache(self.cache_dir, self.notices, SHARED_NAME, shared=True)
        return open_cache(self.cache_dir, self.notices, cache_name(self.roots))

    @property
    def index(self) -> GramIndex:
        """The search index: a file of search's own beside the cache (in memory with it)."""
        return self._once("_index", self._open_index)

    def _open_index(self) -> GramIndex:
        from bulletin_tui.search.postings import open_index

        return open_index(self.cache.path, self.notices, shared=self.build_shared)

    @property
    def shared(self) -> Shared | None:
        """The shared index this library leans on, if one is configured and usable."""
        if not self._shared_opened and self.shared_dir is not None:
            from bulletin_tui.shared_index import open_shared

            with self._lock:
                if not self._shared_opened:
                    self._shared = open_shared(self.shared_dir, self.notices)
                    self._shared_opened = True
        return self._shared

    def refresh(
        self, progress: Progress | None = None, stats: RefreshStats | None = None
    ) -> RefreshStats:
        """Bring the cache up to date with the files (reading only what changed), then reload.

        `progress(files_done, files_total, path)` is called after each file; `stats`, if given, is
        filled in as the refresh goes (files, articles, bytes read), for a progress display.
        Raises store.cache.CacheFullError when the disk holding the cache is full.
        """
        from bulletin_tui.store.refresh import RefreshStats

        # One refresh at a time; readers are not held up meanwhile (the state swaps at the end).
        with self._refreshing:
            stats = stats if stats is not None else RefreshStats()
            served = self._recovering(lambda: self._refresh_store(progress, stats))
            stats.indexed = self.index.sync(self.cache)
            self._served = served
            self.reload()
            return stats

    def _refresh_store(self, progress: Progress | None, stats: RefreshStats) -> set[bytes] | None:
        """Refresh the user's cache; with a shared index, only for the files it does not hold as
        they are. Returns the files the shared index serves (None without one)."""
        from bulletin_tui.store.refresh import refresh

        shared = self.shared
        served: set[bytes] | None = None if shared is None else set()
        states = None if shared is None else shared.states()
        refresh(self.cache, self.roots, progress, stats, states, served, self.threaded_workers)
        return served

    def reload(self) -> None:
        """Read the library from the cache as it stands (no file is looked at)."""
        shared = self.shared
        offset = shared.offset if shared is not None else 0
        # Tens of thousands of issues and no cycles among them: the collector walking them as they
        # are made took 40 % of opening 100,000 articles.
        with _collection_paused():
            issues, errors = self._recovering(lambda: self.cache.load(offset=offset))
            if shared is not None:
                issues = self._with_shared(shared, issues)
            self._set(issues, errors)

    def _with_shared(self, shared: Shared, own: list[Issue]) -> list[Issue]:
        """The shared index's issues for the files it serves, and the user's own for the rest."""
        served = self._served
        if served is None:  # not refreshed yet: what the shared index holds, less the user's own
            mine = set(self.cache.file_states())
            served = {key for key in shared.under(self.roots) if key not in mine}
        issues, _ = shared.cache.load(only=served.__contains__)
        marker = "changed since the shared index"
        self.notices[:] = [notice for notice in self.notices if marker not in notice]
        if own:
            self.notices.append(
                f"{counted(len(own), 'file')} {marker} {shared.directory} was built: "
                "indexed for you alone"
            )
        return issues + own

    def _recovering(self, call: Callable[[], T], refill: bool = False) -> T:
        """`call()`; when it finds the cache damaged, the cache is moved aside and started empty
        (the notice says so), filled again from the files if `refill`, and `call()` made again."""
        from bulletin_tui.store.cache import CacheCorruptError, recover

        try:
            return call()
        except CacheCorruptError:
            with self._lock:
                self._cache = recover(self.cache, self.notices)
                self._engine = None
            if refill:
                self.refresh()
            return call()

    def _set(self, issues: list[Issue], errors: list[FileError]) -> None:
        ordered = sorted(issues, key=_newest_first)
        by_id = {issue.id: issue for issue in ordered}
        # Swapped whole, so a reader in another thread sees the old library or the new one.
        with self._lock:
            self.issues, self.errors, self._issues_by_id = ordered, errors, by_id
            self._engine = None
            self._publications = None

    @property
    def publications(self) -> list[Publication]:
        """The bulletins in the library, in the order of its paths (see bulletin_tui.publications)."""
        return self._once("_publications", self._group_publications)

    def _group_publications(self) -> list[Publication]:
        from bulletin_tui.publications import group

        return group(self.issues, self.roots, self.publication_names)

    @property
    def several_publications(self) -> bool:
        """More than one publication. Not worked out when there can be only one (one path, no
        names from the config), which spares a large library's first paint the grouping."""
        if len(self.roots) < 2 and not self.publication_names:
            return False
        return len(self.publications) > 1

    def publication_of(self) -> dict[str, str]:
        """Issue id → the name of its publication."""
        return {issue.id: pub.name for pub in self.publications for issue in pub.issues}

    @property
    def articles(self) -> list[Article]:
        return [article for issue in self.issues for article in issue.articles]

    def article(self, article_id: str) -> Article | None:
        issue = self.issue_of(article_id)
        if issue is None:
            return None
        return next((article for article in issue.articles if article.id == article_id), None)

    def issue_of(self, article_id: str) -> Issue | None:
        issue = self._issues_by_id.get(issue_id_of(article_id))
        if issue is None or not any(article.id == article_id for article in issue.articles):
            return None
        return issue

    @property
    def engine(self) -> Engine:
        return self._once("_engine", self._make_engine)

    def _make_engine(self) -> Engine:
        from bulletin_tui.search.engine import Engine

        index: Any = self.index
        documents: Any = self.cache
        shared = self.shared
        if shared is not None:
            from bulletin_tui.search.overlay import Overlay, Part

            index = documents = Overlay(
                [Part(shared.index, shared.cache, 0), Part(self.index, self.cache, shared.offset)]
            )
        return Engine(
            index,
            documents,
            self.issues,
            tagged=lambda word: self.insights.tagged(word),
            publications=self.publication_of(),
        )

    @property
    def insights(self) -> Insights:
        """Keywords, related articles and trends (bulletin_tui.insights), made on first use."""
        return self._once("_insights", self._make_insights)

    def _make_insights(self) -> Insights:
        from bulletin_tui.insights import Insights

        return Insights(self)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Ranked hits for `query` (see bulletin_tui.search.query for the language).

        Raises bulletin_tui.search.query.QueryError (a ValueError) for a query it cannot read.
        A cache found damaged here is moved aside and rebuilt from the files, then searched.
        """
        return self._recovering(lambda: self.engine.search(query, limit), refill=True)

    def count(self, query: str) -> int:
        """How many hits `search(query)` has in all (the true total, whatever the limit)."""
        return self.engine.count(query)

    def suggest(self, query: str) -> Suggestions:
        """For a query that found nothing: the nearest titles and the query's words tried apart."""
        return self.engine.suggest(query)

    def matches(self, query: str) -> list[str]:
        """Ids of every article `query` matches (newest issue first, no limit): what `search()`
        finds as typed, before words apart and near misses. Raises QueryError like `search()`."""
        return self._recovering(lambda: self.engine.matching_ids(query), refill=True)

    def match_dates(self, query: str) -> Any:
        """The issue date of every article `query` matches, as proleptic ordinals (0: undated) in
        a numpy array: what `matches()` finds, for counting by period. Raises QueryError."""
        return self._recovering(lambda: self.engine.matching_dates(query), refill=True)

    def warm_up(self) -> None:
        """Load what every search needs (metadata, not bodies) and jieba now: call from a worker
        thread after opening, so that searches are quick from the first."""
        from bulletin_tui import chinese_words
        from bulletin_tui.search.folding import warm_up

        warm_up()
        self.engine.prepare()
        self.engine.warm_titles()
        chinese_words.warm_up()

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
        if self._index is not None:
            self._index.close()
        if self._cache is not None:
            self._cache.close()


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """The cyclic garbage collector at rest (if it was running) for the block."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _newest_first(issue: Issue) -> tuple[int, str, str]:
    ordinal = issue.date.toordinal() if issue.date else 0
    # Negate so newest sort first; break ties by id for a stable order.
    return (-ordinal, issue.title, issue.id)


def open_library(
    paths: Sequence[str | Path] | None = None,
    cache_dir: str | Path | None = None,
    *,
    use_cache: bool = True,
    refresh: bool = True,
    publications: dict[str, str] | None = None,
    shared_dir: str | Path | None = None,
    build_shared: bool = False,
) -> Library:
    """Open the library at `paths` (default: the bundled sample issue).

    `cache_dir` defaults to $BULLETIN_TUI_CACHE_DIR, else $XDG_CACHE_HOME/bulletin-tui, else
    ~/.cache/bulletin-tui. With `use_cache=False` everything stays in memory. With `refresh=False`
    the library is what the cache holds, files unread (call `refresh()` later). `publications`
    names the bulletins in some folders (folder → name; see bulletin_tui.publications).
    `shared_dir`: an administrator's shared index to lean on (see bulletin_tui.shared_index);
    `build_shared`: build that shared index in `cache_dir`. Either makes the paths absolute.
    """
    from bulletin_tui.paths import cache_dir as default_cache_dir
    from bulletin_tui.paths import seeds_dir

    roots = tuple(Path(p) for p in paths) if paths else (seeds_dir(),)
    if shared_dir is not None or build_shared:
        # The shared cache knows files by absolute path: so must both sides.
        roots = tuple(root.resolve() for root in roots)
    directory = None
    if use_cache:
        directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    library = Library(
        roots=roots,
        cache_dir=directory,
        publication_names=dict(publications or {}),
        shared_dir=Path(shared_dir) if shared_dir is not None and not build_shared else None,
        build_shared=build_shared,
    )
    if refresh or not use_cache:
        library.refresh()
    else:
        library.reload()
    return library
