"""The installed `bulletin-tui`, driven in tmux at 80×24 by keys alone, read back with capture-pane.

Open the sample, read an article, search 招商 (typed as Chinese), step through matches, bookmark, quit
with q (exit status 0), reopen and find the same place. Over three bulletins, open the second
publication's newest issue, and search that publication alone.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bulletin_tui.state import load_state
from tests.ui_fixtures import write_library

pytestmark = pytest.mark.e2e

TARGET = "000_7b733c25521b607c.2"
TITLE = "招商引资蹄疾步稳"
LINE_START_FORBIDDEN = set("，。、；：？！）」』”’》〉】,.;:?!)")
TIMEOUT = 30.0


def installed_program() -> Path | None:
    beside = Path(sys.executable).parent / "bulletin-tui"
    if beside.exists():
        return beside
    found = shutil.which("bulletin-tui")
    return Path(found) if found else None


class Terminal:
    """One tmux server of our own (its own socket), so no other session's environment leaks in."""

    def __init__(self, folder: Path, width: int = 80, height: int = 24) -> None:
        self.socket = folder / "tmux.sock"
        self.width, self.height = width, height

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-u", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=TIMEOUT,
        )
        return result.stdout

    def start(self, command: str) -> None:
        self.tmux(
            "new-session", "-d", "-x", str(self.width), "-y", str(self.height), "sh", "-c", command
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "0")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "0", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "0", "-l", text)

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, timeout=TIMEOUT
        )


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if installed_program() is None:
        pytest.skip("bulletin-tui is not installed (pip install -e .)")
    term = Terminal(tmp_path)
    yield term
    term.close()


def run_command(program: Path, status_file: Path, *args: str) -> str:
    env = {
        name: os.environ[name]
        for name in (
            "HOME",
            "BULLETIN_TUI_CACHE_DIR",
            "BULLETIN_TUI_CONFIG",
            "BULLETIN_TUI_STATE_DIR",
            "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_STATE_HOME",
            "PATH",
        )
        if name in os.environ
    }
    env |= {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"}
    assignments = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
    command = " ".join(shlex.quote(part) for part in (str(program), *args))
    return f"env -i {assignments} {command}; echo $? > {shlex.quote(str(status_file))}"


def reader_lines(screen: str) -> list[str]:
    """The reader's side of each screen line (right of the pane border)."""
    return [line.split("▏", 1)[1] for line in screen.splitlines() if "▏" in line]


def wait_for_exit(status_file: Path) -> str:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if status_file.exists() and status_file.read_text().strip():
            return status_file.read_text().strip()
        time.sleep(0.1)
    raise AssertionError("bulletin-tui did not exit")


def test_read_search_bookmark_quit_and_come_back(terminal: Terminal, tmp_path: Path) -> None:
    program = installed_program()
    assert program is not None
    # A config with a bad value: the reader says so, starts anyway, and leaves the file alone.
    config = Path(os.environ["BULLETIN_TUI_CONFIG"])
    config.write_text('theme = "dark"\nmeasure = "wide"\n', encoding="utf-8")
    status = tmp_path / "status"
    terminal.start(run_command(program, status))

    terminal.wait_for(lambda s: "measure" in s and "line 2" in s, "the note about the config")
    terminal.wait_for(lambda s: TITLE in s and "? help" in s, "the section list")
    terminal.keys("j", "j", "Enter")
    screen = terminal.wait_for(
        lambda s: "2 / 4 articles" in s and "本报讯" in "".join(reader_lines(s)), "the article"
    )
    for line in reader_lines(screen):
        text = line.strip()
        assert not text or text[0] not in LINE_START_FORBIDDEN, line

    terminal.keys("/")
    terminal.wait_for(lambda s: "Type to search" in s, "the search pane")
    terminal.type("招商")
    terminal.wait_for(lambda s: "1 result" in s and "Esc back" in s, "search results")
    terminal.keys("Enter")
    # The highlighted hit is previewed already; the hints say when the keys reach the reader.
    terminal.wait_for(lambda s: "match 1/" in s and "? help" in s, "the first match")
    terminal.keys("n")
    terminal.wait_for(lambda s: "match 2/" in s, "the next match")
    terminal.keys("m", "q")
    assert wait_for_exit(status) == "0"
    assert config.read_text(encoding="utf-8") == 'theme = "dark"\nmeasure = "wide"\n'

    state, notice = load_state()
    assert notice is None
    assert state.bookmarks == [TARGET] and state.last_article == TARGET and TARGET in state.read

    status.unlink()
    terminal.close()
    terminal.start(run_command(program, status))
    terminal.wait_for(
        lambda s: "2 / 4 articles" in s and TITLE in "".join(reader_lines(s)),
        "the article, reopened where it was left",
    )
    terminal.keys("q")
    assert wait_for_exit(status) == "0"


def test_search_by_pinyin_initials_and_in_traditional_characters(
    terminal: Terminal, tmp_path: Path
) -> None:
    program = installed_program()
    assert program is not None
    status = tmp_path / "status"
    terminal.start(run_command(program, status))
    terminal.wait_for(lambda s: TITLE in s and "? help" in s, "the section list")
    terminal.keys("/")
    terminal.wait_for(lambda s: "Type to search" in s, "the search pane")
    terminal.type("zsyz")  # 招商引资, by its pinyin initials
    terminal.wait_for(lambda s: "1 result" in s and TITLE in s, "the title spelt in pinyin")
    for left in ("zsy", "zs", "z", "Search…"):  # one key at a time: each starts a search
        terminal.keys("BSpace")
        terminal.wait_for(lambda s, left=left: s.split("▏", 1)[0].strip() == left, left)
    terminal.type("開發區")  # traditional characters find the simplified text
    terminal.wait_for(lambda s: "results" in s and "开发区“书记项目”" in s, "开发区 in traditional")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "results" not in s, "the search pane, closed")
    terminal.keys("q")
    assert wait_for_exit(status) == "0"


def test_a_new_issue_appears_while_reading_and_the_bookmarks_view_opens(
    terminal: Terminal, tmp_path: Path
) -> None:
    program = installed_program()
    assert program is not None
    library = write_library(tmp_path / "library")
    status = tmp_path / "status"
    terminal.start(run_command(program, status, str(library)))
    terminal.wait_for(lambda s: "2024-10-08" in s and "? help" in s, "the section list")
    terminal.keys("j", "j", "Enter")
    terminal.wait_for(lambda s: "1 / 4 articles" in s, "the first article")
    terminal.keys("m")
    terminal.wait_for(lambda s: "Bookmarked" in s, "the bookmark")

    (library / "2024-10-15.md").write_text(
        "# 南哪消息 2024-10-15\n\n## 新学期开学典礼\n\n本报讯 开学典礼隆重举行。\n",
        encoding="utf-8",
    )
    # No key pressed: the watcher sees the file, the reader indexes it and says so.
    screen = terminal.wait_for(
        lambda s: "1 new issue" in s and "2024-10-15" in s, "the new issue, announced"
    )
    lines = screen.splitlines()
    assert min(i for i, line in enumerate(lines) if "2024-10-15" in line) < min(
        i for i, line in enumerate(lines) if "2024-10-08" in line
    )  # newest first

    terminal.keys("B")
    terminal.wait_for(
        lambda s: "Bookmarks" in s and "招商引资再创新高" in s and "m removes" in s,
        "the bookmarks view",
    )
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Bookmarks" not in s and "1 / 4 articles" in s, "the article")
    terminal.keys("q")
    assert wait_for_exit(status) == "0"


def test_a_second_publications_newest_issue_by_keyboard(terminal: Terminal, tmp_path: Path) -> None:
    from tests.core.test_publications import three_bulletins

    program = installed_program()
    assert program is not None
    roots = three_bulletins(tmp_path / "bulletins")
    status = tmp_path / "status"
    terminal.start(run_command(program, status, *map(str, roots)))

    def row(screen: str, start: str, count: int) -> bool:
        """A list row starting so, its unread count flush right (the date may be cut)."""
        rows = [line.split("▏", 1)[0].split() for line in screen.splitlines()]
        return any(" ".join(r).startswith(start) and r[-1] == str(count) for r in rows if r)

    terminal.wait_for(
        lambda s: (
            row(s, "▾ 开发区精神", 4) and row(s, "▸ 南哪消息", 40) and row(s, "▸ 《新闻联播》", 6)
        ),
        "the publications, the first one open",
    )
    # To the last publication, up one to the second, open it, down to its newest issue, open that.
    terminal.keys("G", "k", "Enter")
    terminal.wait_for(
        lambda s: row(s, "▾ 南哪消息", 40) and row(s, "├ ▸ 2025-05-19", 14), "its issues"
    )
    terminal.keys("j", "Enter")
    terminal.wait_for(
        lambda s: "1 / 14 articles" in s and "订阅方式和加入编辑部" in "".join(reader_lines(s)),
        "the newest issue's first article",
    )
    # P: search that publication alone (its name put in the query), the trend line over its dates.
    terminal.keys("P")
    terminal.wait_for(
        lambda s: 'pub:"南哪消息"' in s and "40 results" in s and "2024-W39" in s,
        "a search kept to 南哪消息",
    )
    terminal.keys("Escape")
    terminal.wait_for(lambda s: row(s, "▾ 南哪消息", 39), "the list again")
    terminal.keys("q")
    assert wait_for_exit(status) == "0"
    state, _ = load_state()
    assert state.last_article == "2025-05-19.1"


def test_keywords_related_articles_and_the_trend(terminal: Terminal, tmp_path: Path) -> None:
    program = installed_program()
    assert program is not None
    library = write_library(tmp_path / "library")
    status = tmp_path / "status"
    terminal.start(run_command(program, status, str(library)))
    terminal.wait_for(lambda s: "2024-10-08" in s and "? help" in s, "the section list")
    terminal.keys("j", "j", "j", "Enter")
    # The keyword line under the title, once jieba has loaded in the background.
    screen = terminal.wait_for(
        lambda s: any("图书馆" in line and " · " in line for line in reader_lines(s)),
        "the keyword line",
    )
    lines = [line.strip() for line in reader_lines(screen)]
    assert lines[0].startswith("校园") and " · " in lines[1]
    terminal.keys("R")
    terminal.wait_for(
        lambda s: "Related to" in s and "国庆假期安排" in s and "2024-10-01" in s,
        "the related articles",
    )
    terminal.keys("Enter")
    terminal.wait_for(
        lambda s: "国庆假期安排" in "".join(reader_lines(s)) and "Related to" not in s,
        "the related article, opened",
    )
    terminal.keys("/")
    terminal.wait_for(lambda s: "Type to search" in s, "the search pane")
    terminal.type("图书馆")
    screen = terminal.wait_for(lambda s: "2024-W40" in s and "2024-W41" in s, "the trend")
    assert "█" in screen
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "2024-W40" not in s, "the search pane, closed")
    terminal.keys("q")
    assert wait_for_exit(status) == "0"
