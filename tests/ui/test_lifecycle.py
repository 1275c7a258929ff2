"""The reader's life: no crash when the pane it draws into is hidden, a non-zero status and the
state saved when something does go wrong."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify

from bulletin_tui import chinese_words
from bulletin_tui.library import open_library
from bulletin_tui.search.folding import fold_table
from bulletin_tui.state import load_state, state_file
from bulletin_tui.ui.app import SAVE_DELAY, BulletinApp
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.refreshing import Refresher
from tests.ui_fixtures import long_article_issue, make_app, screen_text, settle, write_library

LONG = "2024-12-01.1"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = write_library(tmp_path / "library")
    long_article_issue(folder)  # many blocks, laid out in two steps
    return folder


async def _search_and_open(pilot, query: str) -> None:
    await pilot.press("slash", "ctrl+u", *query, "enter")
    await pilot.pause(0.2)


async def test_a_short_article_opened_while_the_reader_is_hidden_at_60_columns(
    library: Path,
) -> None:
    """The keys that crashed at 60x20: a long article from one search, then a short one from the
    next while the stacked reader was hidden (its layout drawn against the other's blocks)."""
    app = make_app([library])
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await _search_and_open(pilot, "开发区")
        await pilot.press("escape", "escape")
        await pilot.pause(0.2)
        await _search_and_open(pilot, "志愿者")
        await settle(pilot)
        reader = app.main_screen.query_one(Reader)
        assert reader.article is not None and reader.article.title == "志愿者招募"
        assert app.return_code is None  # still running: nothing raised
        assert "招募志愿者" in screen_text(app)  # drawn, not only laid out


async def test_changes_are_saved_within_a_second_while_keys_keep_coming(library: Path) -> None:
    """Scrolling without a pause must not hold back the save of what came before it."""
    app = make_app([library])
    path = state_file()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main_screen.open_article(LONG)  # read: a change to save
        started = time.monotonic()
        saved_after = None
        # Keys keep coming until the save is seen (given far more than a second on a busy
        # machine): a save put off by every key would never come.
        while saved_after is None and time.monotonic() - started < 20 * SAVE_DELAY:
            await pilot.press("j")  # a key every 0.1 s, each one a new position
            await pilot.pause(0.1)
            if path.exists():
                saved_after = time.monotonic() - started
        assert saved_after is not None, "nothing saved while the keys kept coming"
        state, _ = load_state()
        assert LONG in state.read


async def test_progress_that_arrives_while_quitting_is_dropped(library: Path) -> None:
    """Quitting while indexing: a progress message still queued finds its status bar gone; that
    is no error (it ended the reader with status 1)."""
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        await screen.query_one("#statusbar").remove()
        app.refresher.running = True
        app.post_message(Refresher.Progress(1, 3, str(library)))
        await settle(pilot)
    assert app.return_code in (None, 0)


async def test_a_failing_worker_is_said_once_and_the_reader_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every worker of the app ends in one handler: the rest of a long article failing to lay
    out is said (once, however often it fails), and the first screens stay readable."""
    from bulletin_tui.ui import article_layout

    def failing(*args: object, **kwargs: object) -> object:
        raise RuntimeError("no more lines")

    said: list[str] = []

    def hear(message: Message) -> None:  # every notification, before its toast times out
        if isinstance(message, Notify):
            said.append(str(message.notification.message))

    long_article_issue(tmp_path / "long", chars=200_000)
    monkeypatch.setattr(article_layout, "iter_layout_article", failing)
    app = make_app([tmp_path / "long"])
    async with app.run_test(size=(80, 24), message_hook=hear) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape", "plus")  # laid out again: the rest fails again
            await settle(pilot)
        assert said.count("Could not lay out the article: RuntimeError: no more lines") == 1
        reader = app.main_screen.reader
        assert app.is_running and not reader.whole and reader.all_lines()


async def test_what_searches_need_is_loaded_after_the_first_paint(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app warms the library up once it has painted: the fold's table, the search catalog
    with the titles' structures, and jieba are ready before the first search asks for them, and
    none of it delays the first paint."""
    opened = open_library([library], refresh=False)
    opened.refresh()  # indexing folds the text: start from a fold table not yet built
    fold_table.cache_clear()
    monkeypatch.setattr(chinese_words, "_tokenizer", None)  # as if no test had loaded jieba
    at_first_paint: list[tuple[bool, bool, bool]] = []

    def ready() -> tuple[bool, bool, bool]:
        built = fold_table.cache_info().currsize > 0
        return built, opened.engine.is_warm(), chinese_words.is_loaded()

    app = BulletinApp(opened, index=False, on_first_paint=lambda: at_first_paint.append(ready()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert at_first_paint == [(False, False, False)]
        assert ready() == (True, True, True)  # fold table, catalog and titles, jieba


async def test_a_library_built_from_nothing_is_warmed_up_after_its_build(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building from nothing, the warm-up (jieba's dictionary, about 60 MB) waits for the build's
    end instead of raising its peak; then it runs, and searches find what was built."""
    opened = open_library([library], cache_dir=tmp_path / "cache", refresh=False)
    assert not opened.issues  # nothing cached yet: the first build is to come
    seen: list[tuple[bool, int]] = []
    real = opened.warm_up

    def warm_up() -> None:
        seen.append((app.indexing, len(opened.issues)))
        real()

    monkeypatch.setattr(opened, "warm_up", warm_up)
    app = BulletinApp(opened, index=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(200):
            if opened.engine.is_warm():
                break
            await pilot.pause(0.05)
        assert seen == [(False, len(opened.issues))] and opened.issues
        assert opened.engine.is_warm() and opened.search("招商")
