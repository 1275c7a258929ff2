"""The library watcher on real files: inotify and polling, issue files only, stops when told."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bulletin_tui.watch import LibraryWatcher, is_issue_file

WAIT = 10.0


class Changes:
    def __init__(self) -> None:
        self.seen: list[set[str]] = []
        self.errors: list[str] = []
        self.event = threading.Event()

    def __call__(self, paths: set[str]) -> None:
        self.seen.append(paths)
        self.event.set()

    def all(self) -> set[str]:
        return set().union(*self.seen) if self.seen else set()


def wait_until_watching(watcher: LibraryWatcher, folder: Path, changes: Changes) -> None:
    """The watcher's thread needs a moment to set its watches up: poke until it reports."""
    deadline = time.monotonic() + WAIT
    probe = folder / "probe.md"
    while time.monotonic() < deadline:
        probe.write_text(str(time.monotonic()), encoding="utf-8")
        if changes.event.wait(0.5):
            break
    else:
        raise AssertionError(f"the watcher ({watcher.mode}) never reported")
    probe.unlink()
    time.sleep(0.8)
    changes.seen.clear()
    changes.event.clear()


def test_issue_files_are_told_apart_from_the_rest() -> None:
    assert is_issue_file("/lib/2024-10-08.md") and is_issue_file("/lib/a.TXT")
    assert is_issue_file("/lib/b.markdown")
    assert not is_issue_file("/lib/.2024-10-08.md.swp")
    assert not is_issue_file("/lib/.hidden.md")
    assert not is_issue_file("/lib/2024-10-08.md~")
    assert not is_issue_file("/lib/photo.jpg")


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_new_changed_and_removed_issue_files_are_reported(tmp_path: Path, polling: bool) -> None:
    library = tmp_path / "library"
    (library / "2024").mkdir(parents=True)
    old = library / "2024" / "2024-10-01.md"
    old.write_text("# 旧\n", encoding="utf-8")
    changes = Changes()
    watcher = LibraryWatcher(
        [library], changes, changes.errors.append, force_polling=polling, poll_seconds=0.2
    )
    watcher.start()
    try:
        wait_until_watching(watcher, library, changes)
        assert watcher.mode == ("polling" if polling else "inotify")
        (library / "notes.jpg").write_bytes(b"x")  # not an issue file: no call
        (library / ".draft.md.swp").write_bytes(b"x")
        new = library / "2024" / "2024-10-08.md"
        new.write_text("# 新\n", encoding="utf-8")
        assert changes.event.wait(WAIT)
        time.sleep(0.8)  # anything else that was going to be reported
        assert changes.all() == {str(new)}
        changes.seen.clear()
        changes.event.clear()
        old.unlink()
        assert changes.event.wait(WAIT)
        assert changes.all() == {str(old)}
    finally:
        watcher.stop(wait=5)
    assert not watcher.running and changes.errors == []


def test_a_burst_of_files_arrives_as_one_call(tmp_path: Path) -> None:
    changes = Changes()
    watcher = LibraryWatcher([tmp_path], changes)
    watcher.start()
    try:
        wait_until_watching(watcher, tmp_path, changes)
        for day in range(1, 11):
            (tmp_path / f"2024-11-{day:02d}.md").write_text("# 号\n", encoding="utf-8")
        assert changes.event.wait(WAIT)
        time.sleep(0.8)
        assert len(changes.all()) == 10 and len(changes.seen) <= 2
    finally:
        watcher.stop(wait=5)


def test_stop_ends_the_thread_promptly(tmp_path: Path) -> None:
    watcher = LibraryWatcher([tmp_path], lambda paths: None)
    watcher.start()
    time.sleep(0.3)
    assert watcher.running
    watcher.stop(wait=5)
    assert not watcher.running and watcher.mode == "stopped"


def test_missing_roots_are_not_watched(tmp_path: Path) -> None:
    watcher = LibraryWatcher([tmp_path / "nowhere"], lambda paths: None)
    watcher.start()
    watcher.stop(wait=5)
    assert watcher.mode == "stopped"


def test_ready_comes_once_the_watches_are_set(tmp_path: Path) -> None:
    ready = threading.Event()
    changes = Changes()
    watcher = LibraryWatcher([tmp_path], changes, on_ready=ready.set)
    watcher.start()
    try:
        assert ready.wait(WAIT)
        # From then on nothing is missed, not even a file written at once.
        (tmp_path / "2024-12-01.md").write_text("# 号\n", encoding="utf-8")
        assert changes.event.wait(WAIT)
        assert changes.all() == {str(tmp_path / "2024-12-01.md")}
    finally:
        watcher.stop(wait=5)
