"""On a server shared with other users: planted symbolic links are never followed, folders others
can write are refused (and never given another mode), jieba's cache is loaded only when we wrote it,
and files we read must be regular files (a named pipe or a device is refused, not waited on).

Where the tests run as root, the other user is `nobody`, acting in a forked child (setuid): it plants
the links and owns the folders, as an attacker on the server would.
"""

from __future__ import annotations

import marshal
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bulletin_tui.cli import main
from bulletin_tui.private_files import (
    FileTooLargeError,
    UnsafePathError,
    check_own_file,
    open_private,
    private_dir,
    read_regular,
    replace_atomically,
)
from bulletin_tui.state import State, load_state, save_state
from bulletin_tui.store.cache import cache_name
from tests.conftest import SEED

OTHER_UID = 65534  # nobody


def other_user() -> int:
    if os.geteuid() != 0:
        pytest.skip("needs root, to act as a second user (nobody) in a forked child")
    return OTHER_UID


def as_other_user(action: Callable[[], None]) -> None:
    """Run `action` in a forked child as the other user; fail if it fails."""
    uid = other_user()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.setgid(uid)
            os.setuid(uid)
            action()
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the other user's action failed"


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """pytest's folder, which the other user may enter (its parents are the user's, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="bulletin-tui-shared-"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder)


def shared_folder(path: Path) -> Path:
    """A team folder every user may write (as /tmp, without the sticky bit)."""
    path.mkdir()
    path.chmod(0o777)
    return path


def victim_database(path: Path) -> Path:
    """Another SQLite database of the user's, with tables named as ours."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key, value)")
        conn.execute("CREATE TABLE files (id)")
        conn.execute("INSERT INTO meta VALUES ('mine', 'precious')")
    conn.close()
    return path


def tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        found = [row[0] for row in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    conn.close()
    return found


def index(capsys: pytest.CaptureFixture[str], cache: Path) -> tuple[int, str]:
    status = main(["index", "--cache-dir", str(cache), str(SEED)])
    return status, capsys.readouterr().err


# --- the folder ---------------------------------------------------------------------------------


def test_a_missing_folder_and_its_parents_are_made_private(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_a_team_folder_is_refused_and_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = shared_folder(tmp_path / "team")
    status, err = index(capsys, team)
    assert status == 0
    assert f"cache directory {team}: writable by its group and others (mode 777)" in err
    assert "using an in-memory cache" in err
    assert stat.S_IMODE(team.stat().st_mode) == 0o777
    assert list(team.iterdir()) == []


def test_a_cache_dir_that_is_a_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("mine")
    plain.chmod(0o644)
    status, err = index(capsys, plain)
    assert status == 2
    assert err == f"bulletin-tui: --cache-dir {plain}: not a directory\n"
    assert stat.S_IMODE(plain.stat().st_mode) == 0o644


def test_a_device_as_cache_dir_is_never_chmodded(capsys: pytest.CaptureFixture[str]) -> None:
    before = os.stat("/dev/null").st_mode
    status, err = index(capsys, Path("/dev/null"))
    assert status == 2 and err.count("\n") == 1 and "not a directory" in err
    assert os.stat("/dev/null").st_mode == before


def test_a_folder_owned_by_another_user_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid = other_user()
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, uid, uid)
    status, err = index(capsys, theirs)
    assert status == 0
    assert f"cache directory {theirs}: owned by nobody (uid {uid}), not by you" in err
    assert list(theirs.iterdir()) == []


# --- planted links ------------------------------------------------------------------------------


def test_a_link_planted_by_another_user_in_a_shared_folder_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = shared_folder(tmp_path / "team")
    victim = victim_database(tmp_path / "victim.sqlite3")
    chosen = tmp_path / "chosen-by-the-attacker"
    name = cache_name([SEED])

    def plant() -> None:
        os.symlink(victim, team / name)
        os.symlink(chosen, team / f"{name}-wal")

    as_other_user(plant)
    status, err = index(capsys, team)
    assert status == 0 and "writable by its group and others" in err
    assert tables(victim) == ["files", "meta"]
    with sqlite3.connect(victim) as conn:
        assert conn.execute("SELECT value FROM meta").fetchall() == [("precious",)]
    conn.close()
    assert not chosen.exists()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_link_in_our_own_folder_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    cache = private_dir(tmp_path / "cache")
    victim = victim_database(tmp_path / "victim.sqlite3")
    link = cache / f"{cache_name([SEED])}{suffix}"
    link.symlink_to(victim)
    status, err = index(capsys, cache)
    assert status == 0
    assert f"cache file {link}: is a symbolic link; not following it" in err
    assert tables(victim) == ["files", "meta"] and victim.read_bytes()[:6] == b"SQLite"
    assert link.is_symlink()


def test_a_dangling_link_creates_nothing(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    (tmp_path / "link").symlink_to(chosen)
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        open_private(tmp_path / "link")
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        open_private(tmp_path / "link", exclusive=True)
    assert not chosen.exists()


def test_a_hard_link_or_a_file_of_another_user_is_not_written(tmp_path: Path) -> None:
    (tmp_path / "theirs").write_text("theirs")
    os.link(tmp_path / "theirs", tmp_path / "linked")
    with pytest.raises(UnsafePathError, match="other hard links"):
        open_private(tmp_path / "linked")
    with pytest.raises(UnsafePathError, match="other hard links"):
        check_own_file(tmp_path / "linked")
    if os.geteuid() == 0:
        os.chown(tmp_path / "theirs", OTHER_UID, OTHER_UID)
        os.unlink(tmp_path / "linked")
        with pytest.raises(UnsafePathError, match="owned by nobody"):
            open_private(tmp_path / "theirs")
    assert (tmp_path / "theirs").read_text() == "theirs"


def test_replacing_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("kept")
    (tmp_path / "file").symlink_to(target)
    replace_atomically(tmp_path / "file", b"new")
    assert target.read_text() == "kept"
    assert not (tmp_path / "file").is_symlink() and (tmp_path / "file").read_text() == "new"
    assert stat.S_IMODE((tmp_path / "file").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "target"]


# --- state --------------------------------------------------------------------------------------


def test_a_state_folder_others_can_write_is_refused_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = shared_folder(tmp_path / "team")
    (team / "state.toml").write_text('read = ["planted.1"]\n')
    monkeypatch.setenv("BULLETIN_TUI_STATE_DIR", str(team))
    state, notice = load_state()
    assert notice is not None and f"{team}: writable by its group and others" in notice
    assert "not be saved" in notice and state.read == set()
    state.toggle_read("mine.1")
    save_state(state)  # blocked: nothing written
    assert (team / "state.toml").read_text() == 'read = ["planted.1"]\n'
    assert stat.S_IMODE(team.stat().st_mode) == 0o777
    fresh = State(read={"mine.1"})
    with pytest.raises(UnsafePathError, match="writable by its group and others"):
        save_state(fresh)


def test_a_state_file_that_is_a_link_is_neither_read_nor_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = private_dir(tmp_path / "state")
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('read = ["x.1"]\n')
    (folder / "state.toml").symlink_to(elsewhere)
    monkeypatch.setenv("BULLETIN_TUI_STATE_DIR", str(folder))
    state, notice = load_state()
    assert notice is not None and "is a symbolic link; not following it" in notice
    assert state.read == set()
    with pytest.raises(UnsafePathError, match="symbolic link"):
        save_state(State(read={"y.1"}))
    assert elsewhere.read_text() == 'read = ["x.1"]\n'


# --- jieba's dictionary cache --------------------------------------------------------------------

_WORDS = """
from bulletin_tui import chinese_words
print(" ".join(chinese_words.words("开发区党建书记")))
"""


def _plant_dictionary(path: Path) -> None:
    # A dictionary that knows no words: loaded, it would cut the text into single characters.
    path.write_bytes(marshal.dumps(({"开": 1}, 1)))


def _words(cache: Path) -> list[str]:
    env = {**os.environ, "BULLETIN_TUI_CACHE_DIR": str(cache), "TMPDIR": str(cache.parent)}
    result = subprocess.run(
        [sys.executable, "-c", _WORDS], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_dictionary_cache_planted_by_another_user_is_never_loaded(tmp_path: Path) -> None:
    cache = private_dir(tmp_path / "cache")
    planted = cache / "jieba.cache"
    _plant_dictionary(planted)
    planted.chmod(0o600)
    os.chown(planted, other_user(), OTHER_UID)
    assert _words(cache) == ["开发区", "党建", "书记"]
    info = planted.stat()
    assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o600  # ours, rewritten


def test_a_dictionary_cache_that_others_could_change_is_never_loaded(tmp_path: Path) -> None:
    cache = private_dir(tmp_path / "cache")
    _plant_dictionary(cache / "jieba.cache")
    (cache / "jieba.cache").chmod(0o666)
    assert _words(cache) == ["开发区", "党建", "书记"]


def test_a_dictionary_cache_in_a_shared_folder_is_never_loaded(tmp_path: Path) -> None:
    team = shared_folder(tmp_path / "team")
    as_other_user(lambda: _plant_dictionary(team / "jieba.cache"))
    assert _words(team) == ["开发区", "党建", "书记"]
    assert (team / "jieba.cache").stat().st_uid == OTHER_UID  # not ours to remove, nor to use
    assert sorted(p.name for p in team.iterdir()) == ["jieba.cache"]


# --- reading ------------------------------------------------------------------------------------


def test_reading_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UnsafePathError, match="not a regular file"):
        read_regular(tmp_path / "pipe", 100)  # returns at once: no writer is waited for
    with pytest.raises(UnsafePathError, match="not a regular file"):
        read_regular(Path("/dev/zero"), 100)
    with pytest.raises(UnsafePathError, match="is a directory"):
        read_regular(tmp_path, 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(FileTooLargeError, match="too large"):
        read_regular(tmp_path / "big", 100)
    assert read_regular(tmp_path / "big", 101) == b"x" * 101


# --- exports ------------------------------------------------------------------------------------


def test_an_export_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    from bulletin_tui.article_export import export_path

    team = shared_folder(tmp_path / "team")
    chosen = tmp_path / "chosen"
    as_other_user(lambda: os.symlink(chosen, team / "招商.md"))
    target = export_path(team, "招商", "x.1")
    assert target == team / "招商 (2).md"  # the planted name counts as taken
    with target.open("x", encoding="utf-8") as handle:  # as the reader's `e` writes it
        handle.write("mine")
    with pytest.raises(FileExistsError):  # and "x" never follows a link planted meanwhile
        (team / "招商.md").open("x", encoding="utf-8")
    assert not chosen.exists()


def test_a_file_moved_aside_takes_its_companions_and_never_replaces_another(tmp_path: Path) -> None:
    from bulletin_tui.private_files import move_aside

    first = tmp_path / "library.sqlite3"
    first.write_text("one")
    (tmp_path / "library.sqlite3-wal").write_text("wal")
    aside = move_aside(first, "corrupt", ("-wal", "-shm"))
    assert aside.name.startswith("library.sqlite3.corrupt-") and aside.read_text() == "one"
    assert Path(f"{aside}-wal").read_text() == "wal" and not first.exists()
    first.write_text("two")  # damaged again within the same second
    again = move_aside(first, "corrupt")
    assert again != aside and again.read_text() == "two" and aside.read_text() == "one"
