"""The SQLite cache: what it keeps, what a refresh reads again, and what opening costs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui import sources
from bulletin_tui.library import open_library
from bulletin_tui.store.cache import Cache, cache_name
from bulletin_tui.store.lazy import CachedArticle, CachedIssue
from tests.conftest import FIXTURES, SEED


def _library_dir(tmp_path: Path, names: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    for name in names:
        shutil.copy(FIXTURES / "nanna" / name, folder / name)
    return folder


def _age(path: Path, seconds: float = 60) -> None:
    """Set the mtime in the past: a file changed within the last seconds is always hashed."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def _aged_dir(tmp_path: Path) -> Path:
    folder = _library_dir(tmp_path, ("2024-09-27.md", "2024-11-20.md"))
    for path in folder.iterdir():
        _age(path)
    return folder


def test_cached_library_equals_a_fresh_parse(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    warm = open_library([folder], cache_dir=cache_dir, refresh=False)
    fresh, errors = sources.load_all([folder])
    assert errors == [] and warm.errors == []
    by_id = {issue.id: issue for issue in fresh}
    assert sorted(by_id) == sorted(issue.id for issue in warm.issues)
    for issue in warm.issues:
        assert isinstance(issue, CachedIssue)
        assert issue == by_id[issue.id]  # every field, every block (tables, lists, links)
        for article, expected in zip(issue.articles, by_id[issue.id].articles, strict=True):
            assert isinstance(article, CachedArticle)
            assert article.blocks == expected.blocks
            assert article.body_text == expected.body_text


def test_cache_files_are_private_and_in_the_cache_dir(tmp_path: Path) -> None:
    cache_dir = tmp_path / "deep" / "cache"
    open_library([_aged_dir(tmp_path)], cache_dir=cache_dir)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    databases = list(cache_dir.glob("library-*.sqlite3*"))
    assert databases
    for path in databases:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_default_cache_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETIN_TUI_CACHE_DIR", str(tmp_path / "from-env"))
    folder = _aged_dir(tmp_path)
    library = open_library([folder])
    assert library.cache.path is not None
    assert library.cache.path.parent == tmp_path / "from-env"
    monkeypatch.delenv("BULLETIN_TUI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    library = open_library([folder])
    assert library.cache.path is not None
    assert library.cache.path.parent == tmp_path / "xdg" / "bulletin-tui"


def test_refresh_reads_only_what_changed(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    first = library.refresh()
    assert (first.parsed, first.unchanged) == (3, 0)

    again = library.refresh()
    assert (again.parsed, again.unchanged, again.bytes_read) == (0, 3, 0)

    # Touched, same bytes: hashed, not parsed.
    touched = folder / "2024-09-27.md"
    os.utime(touched, (time.time() - 30, time.time() - 30))
    after_touch = library.refresh()
    assert (after_touch.parsed, after_touch.unchanged) == (0, 3)
    assert after_touch.bytes_read == touched.stat().st_size

    # Changed: parsed again, and the change shows.
    changed = folder / "2024-11-20.md"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\n## 新增的文章\n\n独一无二的句子。\n"
    )
    _age(changed)
    after_change = library.refresh()
    assert (after_change.parsed, after_change.unchanged) == (1, 2)
    assert any(a.title == "新增的文章" for a in library.articles)
    assert [hit.title for hit in library.search("独一无二的句子")] == ["新增的文章"]

    # Removed: gone from the library, its articles from search.
    changed.unlink()
    after_removal = library.refresh()
    assert after_removal.removed == 1
    assert all(issue.id != "2024-11-20" for issue in library.issues)
    assert library.search("独一无二的句子") == []


def test_same_content_under_two_paths_is_parsed_once(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    (folder / "copy").mkdir()
    shutil.copy(folder / "2024-09-27.md", folder / "copy" / "2024-09-27.md")
    _age(folder / "copy" / "2024-09-27.md")
    library = open_library([folder], cache_dir=tmp_path / "cache", refresh=False)
    stats = library.refresh()
    assert (stats.parsed, stats.reused) == (3, 1)
    ids = sorted(issue.id for issue in library.issues)
    assert len(ids) == 4 and len(set(ids)) == 4  # the twins get distinct ids
    twins = [issue for issue in library.issues if issue.id.startswith("2024-09-27")]
    assert [a.title for a in twins[0].articles] == [a.title for a in twins[1].articles]
    assert twins[0].articles[0].blocks == twins[1].articles[0].blocks
    hits = library.search(twins[0].articles[1].title, limit=50)
    assert {hit.issue_id for hit in hits} >= {twin.id for twin in twins}


def test_schema_or_parser_version_change_rebuilds(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    database = cache_dir / cache_name([folder])
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'parser'")
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    assert library.issues == []  # the stale cache was dropped, not trusted
    assert library.refresh().parsed == 3


def test_opening_a_warm_cache_neither_parses_nor_loads_jieba(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir).search("开发区党建书记")  # jieba used here
    script = (
        "import sys\n"
        "from bulletin_tui.library import open_library\n"
        f"library = open_library([{str(folder)!r}], cache_dir={str(cache_dir)!r})\n"
        "assert len(library.issues) == 3, library.issues\n"
        "article = library.article(library.issues[0].articles[0].id)\n"
        "assert article is not None and article.blocks\n"
        "print(sorted(m for m in sys.modules if m.startswith(('jieba', 'bulletin_tui.parse.markdown', "
        "'bulletin_tui.parse.structure', 'pyromark', 'textual'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_blocks_are_read_on_demand(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    article = library.issues[0].articles[0]
    assert isinstance(article, CachedArticle)
    assert not article.blocks_loaded
    assert article.blocks and article.blocks_loaded


def test_an_issue_listed_before_its_file_was_parsed_again_opens_its_new_parse(
    tmp_path: Path,
) -> None:
    # The reader steps into an issue the watcher has just parsed again, before the library
    # reloads: it must open what the file holds now, not an issue with no articles.
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    before = open_library([folder], cache_dir=cache_dir, refresh=False)
    path = folder / "2024-09-27.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n## 新增的文章\n\n新的正文。\n", "utf-8")
    _age(path)
    after = open_library([folder], cache_dir=cache_dir)  # parses the file again
    stale = next(issue for issue in before.issues if issue.path == str(path))
    assert isinstance(stale, CachedIssue) and not stale.sections_loaded
    fresh = next(issue for issue in after.issues if issue.path == str(path))
    assert [a.title for a in stale.articles] == [a.title for a in fresh.articles]
    assert stale.articles[-1].title == "新增的文章"
    assert stale.articles[-1].blocks == fresh.articles[-1].blocks
    untouched = next(issue for issue in before.issues if issue.path != str(path))
    assert untouched.articles and untouched.articles[0].blocks


def test_an_issue_listed_before_its_file_was_removed_opens_empty(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    before = open_library([folder], cache_dir=cache_dir, refresh=False)
    path = folder / "2024-09-27.md"
    path.unlink()
    open_library([folder], cache_dir=cache_dir)
    gone = next(issue for issue in before.issues if issue.path == str(path))
    assert gone.articles == ()


def test_a_library_is_named_not_spelt_out_by_its_repr(tmp_path: Path) -> None:
    # Textual describes a worker by the repr of its arguments: the library's must not walk (and
    # load) every article, as the dataclass repr did.
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    open_library([folder], cache_dir=cache_dir)
    library = open_library([folder], cache_dir=cache_dir, refresh=False)
    text = repr(library)
    assert str(folder) in text and "3 issues" in text and len(text) < 200 + len(str(folder))
    articles = [article for issue in library.issues for article in issue.articles]
    assert all(isinstance(a, CachedArticle) and not a.blocks_loaded for a in articles)


def test_no_cache_runs_in_memory(tmp_path: Path) -> None:
    folder = _aged_dir(tmp_path)
    home = Path(os.environ["BULLETIN_TUI_CACHE_DIR"])
    library = open_library([folder], cache_dir=tmp_path / "unused", use_cache=False)
    assert library.cache.path is None
    assert len(library.issues) == 3 and library.search("招商引资")
    assert not (tmp_path / "unused").exists() and not home.exists()


def test_refresh_in_a_thread_while_reading(tmp_path: Path) -> None:
    import threading

    folder = _aged_dir(tmp_path)
    library = open_library([folder], cache_dir=tmp_path / "cache", refresh=False)
    assert library.issues == []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            library.refresh()
        except BaseException as error:  # reported below
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        for issue in library.issues:  # the old list or the new one, never half of one
            for article in issue.articles:
                assert article.blocks is not None
        library.search("南京")
    worker.join()
    assert errors == []
    assert len(library.issues) == 3 and library.search("招商引资")


def test_cache_name_depends_on_the_roots(tmp_path: Path) -> None:
    assert cache_name([tmp_path / "a"]) != cache_name([tmp_path / "b"])
    assert cache_name([tmp_path / "a", tmp_path / "b"]) == cache_name(
        [tmp_path / "b", tmp_path / "a"]
    )


def test_in_memory_cache_is_usable_from_threads() -> None:
    cache = Cache(None)
    assert cache.query("SELECT count(*) FROM files") == [(0,)]
    cache.close()


def test_parsing_in_worker_processes_stores_the_same_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from bulletin_tui.store import refresh as refreshing
    from tests.conftest import FIXTURES, SEED

    if (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        pytest.skip("worker processes need two cores and a single-threaded process")
    folder = tmp_path / "issues"
    folder.mkdir()
    for source in [SEED, *sorted((FIXTURES / "nanna").glob("*.md"))]:
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "copy.md").write_bytes(SEED.read_bytes())  # the same bytes twice among new files
    serial = open_library([folder], cache_dir=tmp_path / "serial")
    # Any amount of text goes to the workers, in several batches.
    monkeypatch.setattr(refreshing, "POOL_CHARS", 1)
    monkeypatch.setattr(refreshing, "BATCH_CHARS", 20_000)
    pooled = open_library([folder], cache_dir=tmp_path / "pooled", refresh=False)
    stats = pooled.refresh()
    assert stats.workers > 1
    assert [issue.id for issue in pooled.issues] == [issue.id for issue in serial.issues]
    assert pooled.articles == serial.articles
    assert pooled.search("招商", limit=50) == serial.search("招商", limit=50)


def test_a_parsed_again_issue_keeps_the_numbering_of_its_listing(tmp_path: Path) -> None:
    # A user's own cache beside a shared index is read numbered above the shared one's articles:
    # the new parse must be numbered the same way, or its articles read another's blocks.
    folder = _aged_dir(tmp_path)
    cache_dir = tmp_path / "cache"
    cache = open_library([folder], cache_dir=cache_dir).cache
    listed, _ = cache.load(offset=1_000_000)
    path = folder / "2024-09-27.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n## 新增的文章\n\n新的正文。\n", "utf-8")
    _age(path)
    open_library([folder], cache_dir=cache_dir)
    stale = next(issue for issue in listed if issue.path == str(path))
    last = stale.articles[-1]
    assert last.title == "新增的文章"
    assert any("新的正文" in block.text for block in last.blocks)
