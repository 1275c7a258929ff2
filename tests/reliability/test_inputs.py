"""Bad inputs, met by the whole program: each skipped file is named with its reason, the rest of the
library loads, and the cache remembers the verdicts.

test_sources.py checks each bad file against the loader; here one library holds all of them at once
and goes through the installed program: `index`, `list` from the cache, and the reader on a pty.
Settings files that cannot be read are reported and kept, never destroyed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bulletin_tui.library import open_library
from bulletin_tui.state import State, save_state
from tests.reliability_support import PAINTED, SEED, environment, program, reader, shows

BODY = "## 标题{n}\n\n本报讯 (记者 丽娜) 正文{n}，包含𠀀㐀两个扩展字。\r\n\r\n第二段{n}。\r"
GOOD = {  # file name -> bytes: odd encodings and line endings that must load
    "2024-01-01-gbk.md": "## 标题一\n\n本报讯 (记者 丽娜) 正文一。\n".encode("gbk"),
    "2024-01-02-gb18030.txt": BODY.format(n="二").encode("gb18030"),
    "2024-01-03-utf16le.md": BODY.format(n="三").encode("utf-16"),
    "2024-01-04-utf16be.md": b"\xfe\xff" + BODY.format(n="四").encode("utf-16-be"),
    "2024-01-05-bom.md": b"\xef\xbb\xbf" + BODY.format(n="五").encode("utf-8"),
    os.fsdecode(b"2024-01-06-\xb1\xa8.md"): "## 标题六\n\n正文六。\n".encode(),  # GBK bytes
}
BAD = {  # file name -> the reason given for it
    "binary.md": "binary file",
    "empty.md": "empty file",
    "blank.txt": "empty file",
    "huge.md": "file too large",
    "dangling.md": "dangling symbolic link",
    "loop-a.md": "symbolic link loop",
    "zero.md": "not a regular file",
}
GOOD_ISSUES = 1 + len(GOOD)  # and the seed
# The index run's peak (85 MB measured before /dev/zero was refused unread): the 100 MB file held whole would
# pass it.
PEAK_MB = 200


@pytest.fixture(scope="module")
def bad_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    library = tmp_path_factory.mktemp("inputs") / "library"
    library.mkdir()
    shutil.copy(SEED, library / SEED.name)
    for name, data in GOOD.items():
        (library / name).write_bytes(data)
    (library / "binary.md").write_bytes(bytes(range(256)) * 64)
    (library / "empty.md").write_bytes(b"")
    (library / "blank.txt").write_bytes(" \n\t\r\n\u3000\n".encode())
    with (library / "huge.md").open("wb") as handle:  # 100 MB, sparse
        handle.truncate(100 * 1024 * 1024)
    (library / "dangling.md").symlink_to(library / "nowhere.md")
    (library / "loop-a.md").symlink_to(library / "loop-b.md")
    (library / "loop-b.md").symlink_to(library / "loop-a.md")
    (library / "zero.md").symlink_to("/dev/zero")  # endless: refused without being read
    (library / "folder.md").mkdir()  # a directory named like a file: walked, not read
    (library / "folder.md" / "2024-01-07.md").write_text("## 标题七\n\n正文七。\n", "utf-8")
    return library


# The peak is read from /proc/self/status as the program ends: VmHWM belongs to the memory the
# program itself mapped, while a child's ru_maxrss also counts the forking test process's own.
_MEASURED = """
import re, sys
from pathlib import Path
from bulletin_tui.cli import main
try:
    status = main(sys.argv[2:])
finally:
    peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
    Path(sys.argv[1]).write_text(peak)
sys.exit(status)
"""


def _index(home: Path, library: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`bulletin-tui index`, and its peak resident memory in MB."""
    peak = home / "peak"
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak), "index", str(library)],
        env=environment(home),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return result, int(peak.read_text()) / 1024


def _named(stderr: str) -> dict[str, str]:
    """'bulletin-tui: PATH: reason' lines, by file name."""
    named = {}
    for line in stderr.splitlines():
        _, _, rest = line.partition("bulletin-tui: ")
        path, _, reason = rest.rpartition(": ")
        if path:
            named[Path(path).name] = reason
    return named


def test_every_bad_file_is_named_and_the_rest_loads(bad_library: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result, peak_mb = _index(home, bad_library)
    assert result.returncode == 1, result.stderr  # some files skipped
    assert "Traceback" not in result.stderr
    named = _named(result.stderr)
    for name, reason in BAD.items():
        assert reason in named.get(name, ""), (name, result.stderr)
    assert set(named) <= {*BAD, "loop-b.md"}, named
    assert peak_mb < PEAK_MB, f"indexing took {peak_mb:.0f} MB"

    # From the cache: the same issues and the same verdicts, the files not read again.
    listed = subprocess.run(
        [str(program()), "list", "--json", str(bad_library)],
        env=environment(home),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert listed.returncode == 1
    data = json.loads(listed.stdout)
    titles = {a["title"] for issue in data["issues"] for a in issue["articles"]}
    for title in ("标题一", "标题二", "标题三", "标题四", "标题五", "标题六", "标题七"):
        assert title in titles, title
    assert len(data["issues"]) == GOOD_ISSUES + 1  # and the issue inside folder.md
    assert {Path(e["path"]).name for e in data["errors"]} == set(named)
    assert _named(listed.stderr) == named


def test_odd_encodings_keep_every_character(bad_library: Path) -> None:
    library = open_library([bad_library], use_cache=False)
    bodies = {a.title: a.body_text for a in library.articles}
    for number in "二三四五":
        assert bodies[f"标题{number}"] == f"正文{number}，包含𠀀㐀两个扩展字。\n\n第二段{number}。"


def test_the_reader_names_the_skipped_files(bad_library: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    app = reader(home, bad_library)
    try:
        app.wait_for(PAINTED, "the reader, indexed")
        app.wait_for(lambda text: shows(text, f"{len(BAD) + 1} files skipped"), "the notice")
        app.wait_for(lambda text: shows(text, "and"), "the rest counted", since=0)
        app.wait_for("标题七", "the newest issue, inside folder.md", since=0)
        app.send("q")
        assert app.wait() == 0
    finally:
        app.close()


def test_invalid_settings_are_reported_and_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = home / ".config" / "bulletin-tui" / "config.toml"
    state = home / ".local" / "state" / "bulletin-tui" / "state.toml"
    config.parent.mkdir(parents=True)
    state.parent.mkdir(parents=True)
    config.write_bytes(b'theme = "dark"\nmeasure = [\n')
    state.write_bytes(b'read = ["a.1"\nbookmarks = 3\n')
    app = reader(home, SEED)
    try:
        app.wait_for(PAINTED, "the reader")
        app.wait_for(lambda text: shows(text, "config.toml"), "the config notice", since=0)
        app.wait_for(lambda text: shows(text, "state.toml"), "the state notice", since=0)
        app.send("q")
        assert app.wait() == 0
    finally:
        app.close()
    assert config.read_bytes() == b'theme = "dark"\nmeasure = [\n'
    (kept,) = state.parent.glob("state.toml.bad-*")
    assert kept.read_bytes() == b'read = ["a.1"\nbookmarks = 3\n'
    assert state.is_file()  # a fresh one, written at quit


def test_an_unreadable_state_file_is_not_written_over(tmp_path: Path) -> None:
    home = tmp_path / "home"
    state = home / ".local" / "state" / "bulletin-tui" / "state.toml"
    save_state(State(read={"000_7b733c25521b607c.1"}, bookmarks=["x.1"]), state)
    original = state.read_bytes() + b"# \xff\xfe\n"
    state.write_bytes(original)
    app = reader(home, SEED)
    try:
        app.wait_for(PAINTED, "the reader")
        app.send("q")
        assert app.wait() == 0
    finally:
        app.close()
    kept = [p.read_bytes() for p in state.parent.iterdir()]
    assert original in kept, "the user's state.toml was destroyed"


def test_a_named_pipe_does_not_hang_the_library(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(SEED, library / SEED.name)
    pipe = library / "pipe.md"
    os.mkfifo(pipe)
    opened: list[object] = []
    worker = threading.Thread(
        target=lambda: opened.append(open_library([library], cache_dir=tmp_path / "cache")),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=5)
    hung = worker.is_alive()
    if hung:  # let the blocked reader go: a writer that closes at once gives it end of file
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=30)
    assert not hung, "opening the library hung on a named pipe"
    (library_opened,) = opened
    assert [e.path for e in library_opened.errors] == [str(pipe)]  # type: ignore[attr-defined]
