"""One index per office server: an administrator builds it, another Unix user reads it without
write access, never writes into it, indexes privately only what changed since, and keeps their own
files private.

The other user is `nobody`, acting in a forked child (setuid) of the test, as in
test_private_files.py: it can only run code this process has already imported, so the same steps
run once as the administrator first.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.library import open_library
from tests.conftest import FIXTURES
from tests.reliability_support import environment, program

OTHER_UID = 65534  # nobody
NEW_WORD = "独一无二的新词语"


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder the other user may enter (pytest's own sits in root's 0700 folders)."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to act as a second user (nobody) in a forked child")
    folder = Path(tempfile.mkdtemp(prefix="bulletin-tui-shared-index-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def as_other_user(home: Path, action: Callable[[], Any]) -> Any:
    """`action()` run as nobody in a forked child with `home` as HOME; its JSON result back."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(OTHER_UID)
            os.setuid(OTHER_UID)
            for name in list(os.environ):
                if name.startswith(("XDG_", "BULLETIN_TUI_")):
                    del os.environ[name]
            os.environ["HOME"] = str(home)
            os.environ["BULLETIN_TUI_CONFIG"] = str(home / "config.toml")
            os.environ["XDG_CONFIG_DIRS"] = str(home / "no-system-config")
            result = json.dumps(action()).encode()
            os.write(write, result)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the other user's run failed"
    return json.loads(b"".join(chunks))


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {
        path.name: (path.stat().st_size, path.stat().st_mtime_ns, stat.S_IMODE(path.stat().st_mode))
        for path in folder.iterdir()
    }


def reader_run(library: Path, shared: Path, query: str) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        opened = open_library([library], shared_dir=shared)
        hits = [hit.article_id for hit in opened.search(query, limit=50) if hit.match == "text"]
        own = opened.cache.query("SELECT count(*) FROM files")[0][0]
        cache = opened.cache.path
        opened.close()
        folder = cache.parent if cache else None
        modes = {
            path.name: stat.S_IMODE(path.stat().st_mode) for path in (folder or Path()).iterdir()
        }
        return {
            "hits": hits,
            "own_files": own,
            "notices": opened.notices,
            "cache_dir": str(folder),
            "cache_dir_mode": stat.S_IMODE(folder.stat().st_mode) if folder else None,
            "modes": modes,
            "can_write_shared": os.access(shared, os.W_OK),
        }

    return run


def test_a_second_user_reads_the_shared_index_and_indexes_only_what_changed(base: Path) -> None:
    library = base / "library"
    shutil.copytree(FIXTURES / "nanna", library)
    (library / "LICENSE").unlink()
    shared = base / "index"
    built = subprocess.run(
        [str(program()), "index", "--shared", str(shared), str(library)],
        env=environment(base / "admin"),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert {mode for _, _, mode in snapshot(shared).values()} == {0o644}
    before = snapshot(shared)

    # The same steps as the administrator first: the child can only use what is imported.
    expected = reader_run(library, shared, "南京")()
    assert expected["hits"] and expected["own_files"] == 0
    home = base / "home"
    home.mkdir(mode=0o700)
    os.chown(home, OTHER_UID, OTHER_UID)

    seen = as_other_user(home, reader_run(library, shared, "南京"))
    assert seen["hits"] == expected["hits"]
    assert seen["own_files"] == 0, "the reader built its own copy of the shared library"
    assert not seen["can_write_shared"]
    assert not any("shared index" in notice for notice in seen["notices"])
    assert snapshot(shared) == before, "the shared index was written by a reader"

    # A file changed after the shared build: indexed for this user alone, with a notice.
    changed = library / "2024-09-27.md"
    with changed.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n## 新增的文章\n\n{NEW_WORD}出现在这里。\n")
    past = time.time() - 60
    os.utime(changed, (past, past))
    reader_run(library, shared, NEW_WORD)()  # as root: imports what a private parse needs
    seen = as_other_user(home, reader_run(library, shared, NEW_WORD))
    assert seen["hits"] == ["2024-09-27.12"]
    assert seen["own_files"] == 1
    assert any("changed since the shared index" in notice for notice in seen["notices"])
    assert snapshot(shared) == before
    assert Path(seen["cache_dir"]).is_relative_to(home)
    assert seen["cache_dir_mode"] == 0o700
    assert seen["modes"] and all(mode == 0o600 for mode in seen["modes"].values()), seen["modes"]
    # Every other article still comes from the shared index.
    again = as_other_user(home, reader_run(library, shared, "南京"))
    assert again["hits"] == expected["hits"] and again["own_files"] == 1


def test_a_shared_index_of_another_version_is_not_used(base: Path) -> None:
    library = base / "library"
    shutil.copytree(FIXTURES / "nanna", library)
    shared = base / "index"
    open_library([library], cache_dir=shared, build_shared=True).close()
    import sqlite3

    with sqlite3.connect(shared / "library.sqlite3") as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'parser'")
    opened = open_library([library], shared_dir=shared)
    assert any("another version" in notice for notice in opened.notices)
    assert opened.search("南京")  # indexed privately instead
    opened.close()
