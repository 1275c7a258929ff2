"""New issues appear by themselves: the watcher in the running reader, `r`, and what is said."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.message import Message

from bulletin_tui.ui.refreshing import Refresher, refresh_summary
from tests.ui_fixtures import make_app, screen_text, settle, write_library

NEW_ISSUE = (
    "# 南哪消息 2024-10-15\n\n# **要闻**\n\n## 新学期开学典礼\n\n本报讯 开学典礼隆重举行。\n"
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def issue_ids(app) -> list[str]:
    return [node.data.issue_id for node in app.main_screen.sections.root.children]


async def wait_for(pilot, check, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.1)
        if check():
            return
    raise AssertionError(f"timed out waiting for {what}")


def test_the_summary_names_new_updated_and_removed_issues() -> None:
    assert refresh_summary({"a"}, {"a", "b", "c"}, 2, asked=False) == "2 new issues"
    assert refresh_summary({"a", "b"}, {"a", "b"}, 1, asked=False) == "1 issue updated"
    assert refresh_summary({"a", "b"}, {"a"}, 0, asked=False) == "1 issue removed"
    assert (
        refresh_summary({"a", "b"}, {"a", "c"}, 3, asked=False)
        == "1 new issue, 2 issues updated, 1 issue removed"
    )
    assert refresh_summary({"a"}, {"a"}, 0, asked=False) is None
    assert refresh_summary({"a"}, {"a"}, 0, asked=True) == "The library is up to date"


async def test_a_new_issue_file_appears_without_a_key_press(library: Path) -> None:
    app = make_app([library], watch=True)
    ready: list[Message] = []

    def hook(message: Message) -> None:
        if isinstance(message, Refresher.WatchReady):
            ready.append(message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        # The watches in place, and the refresh they ask for over: from now on only the
        # watcher can bring a new file in.
        await wait_for(pilot, lambda: bool(ready) and not app.refresher.busy, "the watches")
        watcher = app.refresher.watcher
        assert watcher is not None and watcher.mode in ("inotify", "polling")
        assert issue_ids(app) == ["2024-10-08", "2024-10-01"]
        (library / "2024-10-15.md").write_text(NEW_ISSUE, encoding="utf-8")
        await wait_for(pilot, lambda: "2024-10-15" in issue_ids(app), "the new issue")
        await settle(pilot)
        assert issue_ids(app)[0] == "2024-10-15"  # newest first
        assert "1 new issue" in notices(app)
        assert "2024-10-15" in screen_text(app)
    deadline = time.monotonic() + 5
    while watcher.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not watcher.running  # stopped with the app


async def test_r_refreshes_at_once_and_says_what_it_found(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.refresher.watcher is None  # nothing watches: only r brings it in
        (library / "2024-10-15.md").write_text(NEW_ISSUE, encoding="utf-8")
        await pilot.pause(0.3)
        assert "2024-10-15" not in issue_ids(app)
        await pilot.press("r")
        await settle(pilot)
        assert issue_ids(app)[0] == "2024-10-15"
        assert notices(app)[-1] == "1 new issue"
        await pilot.press("r")
        await settle(pilot)
        assert notices(app)[-1] == "The library is up to date"
        older = library / "2024-10-01.md"
        older.write_text(older.read_text(encoding="utf-8") + "\n## 补记\n\n补充。\n", "utf-8")
        (library / "2024-10-08.md").unlink()
        await pilot.press("r")
        await settle(pilot)
        assert notices(app)[-1] == "1 issue updated, 1 issue removed"
        assert issue_ids(app) == ["2024-10-15", "2024-10-01"]


async def test_a_change_during_a_refresh_brings_another(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.refresh_library()
        (library / "2024-10-15.md").write_text(NEW_ISSUE, encoding="utf-8")
        app.refresh_library()  # while the first runs: it is queued, not lost
        await settle(pilot)
        await wait_for(pilot, lambda: not app.refresher.busy, "the refreshes")
        await settle(pilot)
        assert issue_ids(app)[0] == "2024-10-15"


async def test_skipped_files_are_reported_once_not_at_every_refresh(library: Path) -> None:
    (library / "broken.md").write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 with a lone surrogate
    (library / "huge.md").write_bytes(b"#" * (17 << 20))
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        skipped = [n for n in notices(app) if "skipped" in n]
        assert len(skipped) == 1
        await pilot.press("r")
        await settle(pilot)
        assert len([n for n in notices(app) if "skipped" in n]) == 1


async def test_a_file_added_before_the_watches_are_set_is_found_too(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Added after the start-up refresh looked, before anything watched: no event will come.
        (library / "2024-10-15.md").write_text(NEW_ISSUE, encoding="utf-8")
        app.refresher.start_watching()
        await wait_for(pilot, lambda: "2024-10-15" in issue_ids(app), "the new issue")
        await settle(pilot)
        assert "1 new issue" in notices(app)


async def test_one_skipped_file_is_one_file(library: Path) -> None:
    (library / "broken.md").write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 with a lone surrogate
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (skipped,) = [n for n in notices(app) if "skipped" in n]
        assert skipped.startswith("1 file skipped:\n")  # not "1 file(s)"
        assert "broken.md" in skipped
