"""The installed reader at 60x20 in tmux, then shrunk to 40x12: the keys that once crashed it (a
layout of one article drawn against another's blocks) leave it reading, and q still ends it with
status 0."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Terminal, installed_program, run_command, wait_for_exit
from tests.ui_fixtures import long_article_issue, write_library

pytestmark = pytest.mark.e2e


@pytest.fixture
def narrow(tmp_path: Path) -> Terminal:
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if installed_program() is None:
        pytest.skip("bulletin-tui is not installed (pip install -e .)")
    term = Terminal(tmp_path, width=60, height=20)
    yield term
    term.close()


def settled(term: Terminal) -> None:
    """Wait until the screen has not changed for half a second (the results are complete)."""
    last = term.screen()
    for _ in range(60):
        time.sleep(0.5)
        now = term.screen()
        if now == last:
            return
        last = now


def test_two_searches_in_the_stacked_layout(narrow: Terminal, tmp_path: Path) -> None:
    program = installed_program()
    assert program is not None
    library = write_library(tmp_path / "library")
    long_article_issue(library)
    status = tmp_path / "status"
    command = run_command(program, status).replace(
        shlex.quote(str(program)), f"{shlex.quote(str(program))} {shlex.quote(str(library))}", 1
    )
    narrow.start(command)
    narrow.wait_for(lambda s: "一篇很长的文章" in s and "help" in s, "the section list")
    narrow.keys("/")
    narrow.wait_for(lambda s: "Type to search" in s, "the search pane")
    narrow.type("开发区")
    narrow.wait_for(lambda s: "2 results" in s, "search results")
    settled(narrow)
    narrow.keys("Enter")
    narrow.wait_for(lambda s: "match 1/" in s, "the long article at its first match")
    narrow.keys("Escape")  # back to the results
    narrow.wait_for(lambda s: "2 results" in s, "the results")
    narrow.keys("Escape")  # back to the section list
    narrow.wait_for(lambda s: "result" not in s and "▾" in s, "the section list")
    narrow.keys("/")
    narrow.wait_for(lambda s: "开发区" in s and "result" in s, "the search pane again")
    settled(narrow)
    narrow.keys("C-u")
    narrow.wait_for(lambda s: "Type to search" in s, "the query cleared")
    settled(narrow)
    narrow.type("志愿者")
    narrow.wait_for(lambda s: "志愿者招募" in s and "1 result" in s, "the new results")
    settled(narrow)
    narrow.keys("Enter")
    narrow.wait_for(lambda s: "招募志愿者二十名" in s and "match 1/" in s, "the short article")
    assert not status.exists(), "the reader ended"
    settled(narrow)
    # Shrunk to 40x12 (where it once crashed too): more searches, and the key that shows the
    # other pane stays readable on the status line.
    narrow.tmux("resize-window", "-t", "0", "-x", "40", "-y", "12")
    narrow.wait_for(lambda s: s.splitlines()[-1].strip().startswith("tab list"), "the hint")
    for query, title in (("开发区", "一篇很长的文章"), ("招商", "招商引资再创新高")):
        narrow.keys("Escape")
        narrow.wait_for(lambda s: "result" in s, "the results")
        narrow.keys("Escape")
        narrow.wait_for(lambda s: "▾" in s and "result" not in s, "the section list")
        narrow.keys("/")
        narrow.wait_for(lambda s: "result" in s, "the search pane")
        settled(narrow)
        narrow.keys("C-u")
        narrow.wait_for(lambda s: "Type to search" in s, "the query cleared")
        narrow.type(query)
        settled(narrow)
        narrow.keys("Enter")
        narrow.wait_for(lambda s, t=title: t in s and "match 1/" in s, f"{title} at 40x12")
        settled(narrow)
        assert narrow.screen().splitlines()[-1].strip().startswith("tab list")
    assert not status.exists(), "the reader ended"
    narrow.keys("q")
    assert wait_for_exit(status) == "0"
