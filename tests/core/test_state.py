"""state.toml: read marks, bookmarks and places survive a restart; writes are atomic and private."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from bulletin_tui.state import MAX_POSITIONS, State, load_state, save_state, state_file


def test_nothing_saved_yet_gives_an_empty_state() -> None:
    state, notice = load_state()
    assert state == State() and notice is None


def test_a_state_survives_a_round_trip() -> None:
    state = State(read={"a.1", "b.2"}, bookmarks=["b.2", "a.1"], last_article="b.2")
    state.remember_position("b.2", 120)
    save_state(state)
    loaded, notice = load_state()
    assert notice is None
    assert loaded == state
    assert loaded.bookmarks == ["b.2", "a.1"]  # in the order they were made


def test_the_file_and_folder_are_private_and_no_temporary_file_is_left() -> None:
    save_state(State(read={"x.1"}))
    path = state_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["state.toml"]


def test_saving_replaces_the_file_by_rename(monkeypatch) -> None:
    save_state(State(read={"x.1"}))
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        replaced.append((os.fspath(source), os.fspath(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    save_state(State(read={"x.1", "x.2"}))
    ((source, target),) = replaced
    assert Path(target) == state_file() and Path(source).parent == state_file().parent
    with state_file().open("rb") as handle:
        assert tomllib.load(handle)["read"] == ["x.1", "x.2"]


def test_a_failed_write_leaves_the_old_file_whole(monkeypatch) -> None:
    save_state(State(read={"old.1"}))

    def broken(*args: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", broken)
        with pytest.raises(OSError, match="disk full"):
            save_state(State(read={"new.1"}))
    state, _ = load_state()
    assert state.read == {"old.1"}
    assert [p.name for p in state_file().parent.iterdir()] == ["state.toml"]


def test_an_invalid_file_is_moved_aside_with_a_notice() -> None:
    path = state_file()
    path.parent.mkdir(parents=True)
    path.write_text("read = [unclosed\n", encoding="utf-8")
    state, notice = load_state()
    assert state == State()
    assert notice is not None and "moved to state.toml.bad-" in notice
    kept = [p for p in path.parent.iterdir() if p.name.startswith("state.toml.bad-")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "read = [unclosed\n"
    assert not path.exists()


def test_wrong_types_are_treated_as_invalid() -> None:
    path = state_file()
    path.parent.mkdir(parents=True)
    path.write_text('read = "a.1"\n', encoding="utf-8")
    state, notice = load_state()
    assert state == State() and notice is not None and "'read'" in notice


def test_toggles_and_position_limit() -> None:
    state = State()
    assert state.toggle_read("a.1") is True and "a.1" in state.read
    assert state.toggle_read("a.1") is False and "a.1" not in state.read
    assert state.toggle_bookmark("a.1") is True and state.bookmarks == ["a.1"]
    assert state.toggle_bookmark("a.1") is False and state.bookmarks == []
    for number in range(MAX_POSITIONS + 5):
        state.remember_position(f"a.{number}", number)
    assert len(state.positions) == MAX_POSITIONS
    assert "a.0" not in state.positions and f"a.{MAX_POSITIONS + 4}" in state.positions


def test_two_readers_saving_keep_each_others_marks() -> None:
    save_state(State(read={"a.1"}, bookmarks=["a.1"], last_article="a.1"))
    first, _ = load_state()
    second, _ = load_state()
    first.toggle_bookmark("b.2")
    first.remember_position("b.2", 40)
    second.read.add("c.3")
    second.toggle_bookmark("a.1")  # removed in one reader only
    second.last_article = "c.3"
    save_state(first)
    save_state(second)
    merged, notice = load_state()
    assert notice is None
    assert merged.read == {"a.1", "c.3"}
    assert merged.bookmarks == ["b.2"]
    assert merged.positions == {"b.2": 40}
    assert merged.last_article == "c.3"
    assert second.bookmarks == ["b.2"]  # the saving reader adopts what the other one saved
    save_state(first)  # nothing new in the first: it must not undo the second's changes
    assert load_state()[0] == merged


def test_a_file_that_is_not_utf8_is_moved_aside_not_lost() -> None:
    save_state(State(read={"a.1"}))
    path = state_file()
    original = path.read_bytes() + b"# \xff\xfe\n"
    path.write_bytes(original)
    state, notice = load_state()
    assert state == State() and notice is not None and "moved to state.toml.bad-" in notice
    state.read.add("b.2")
    save_state(state)
    kept = [p.read_bytes() for p in path.parent.iterdir() if p.name.startswith("state.toml.bad-")]
    assert kept == [original]
    assert load_state()[0].read == {"b.2"}


def test_a_file_that_cannot_be_read_is_never_written_over() -> None:
    path = state_file()
    path.mkdir(parents=True)  # opening it fails even for root
    state, notice = load_state()
    assert notice is not None and "not be saved" in notice
    state.read.add("a.1")
    save_state(state)
    assert path.is_dir()


def test_old_entries_are_pruned_so_the_file_stays_bounded() -> None:
    from bulletin_tui.state import MAX_BOOKMARKS, MAX_ID_CHARS, MAX_READ, MAX_STATE_BYTES

    read = {f"2024-{n:06d}.1" for n in range(MAX_READ + 500)}
    bookmarks = [f"b-{n:06d}.1" for n in range(MAX_BOOKMARKS + 50)]
    state = State(read=read | {"x" * (MAX_ID_CHARS + 1)}, bookmarks=bookmarks)
    for n in range(MAX_POSITIONS + 10):
        state.positions[f"p-{n}.1"] = n
    save_state(state)
    loaded, notice = load_state()
    assert notice is None
    assert loaded.read == set(sorted(read)[500:])  # the ids that sort first (oldest) went first
    assert loaded.bookmarks == bookmarks[50:]  # the oldest bookmarks went first
    assert list(loaded.positions) == [f"p-{n}.1" for n in range(10, MAX_POSITIONS + 10)]
    assert state_file().stat().st_size < MAX_STATE_BYTES // 4


def test_the_last_article_is_kept_for_each_library() -> None:
    from bulletin_tui.state import library_key

    nanna, sample = library_key([Path("/srv/nanna")]), library_key([Path("/srv/seeds")])
    state = State()
    state.remember_article(nanna, "2025-05-19.3")
    state.remember_article(sample, "000_x.2")
    save_state(state)
    first, _ = load_state()
    second, _ = load_state()
    first.remember_article(nanna, "2025-05-18.1")  # two readers, one library each
    second.remember_article(sample, "000_x.4")
    save_state(first)
    save_state(second)
    loaded, notice = load_state()
    assert notice is None
    assert loaded.last_article_in(nanna) == "2025-05-18.1"
    assert loaded.last_article_in(sample) == "000_x.4"
    assert loaded.last_article == "000_x.4"  # the latest anywhere, as a file before this held


def test_a_state_file_with_one_last_article_stands_for_every_library(tmp_path: Path) -> None:
    from bulletin_tui.state import library_key

    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text('version = 1\nlast_article = "2025-05-19.3"\n', encoding="utf-8")
    state, notice = load_state()
    assert notice is None
    assert state.last_article_in(library_key([tmp_path])) == "2025-05-19.3"
    state.remember_article(library_key([tmp_path]), "2025-05-19.4")
    save_state(state)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["last_article"] == "2025-05-19.4"  # still there for an older version to read
    assert data["last_articles"] == {str(tmp_path): "2025-05-19.4"}


def test_a_last_articles_table_of_the_wrong_shape_is_named() -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text("last_articles = [1, 2]\n", encoding="utf-8")
    state, notice = load_state()
    assert notice is not None and "'last_articles'" in notice and state == State()


def test_where_a_bookmark_was_made_is_kept_merged_and_forgotten_with_it() -> None:
    save_state(State())
    first, _ = load_state()
    second, _ = load_state()
    first.toggle_bookmark("a.1", "/srv/nanna")
    second.toggle_bookmark("b.2", "/srv/seeds")
    save_state(first)
    save_state(second)
    loaded, _ = load_state()
    assert loaded.bookmark_libraries == {"a.1": "/srv/nanna", "b.2": "/srv/seeds"}
    loaded.toggle_bookmark("a.1")
    save_state(loaded)
    assert load_state()[0].bookmark_libraries == {"b.2": "/srv/seeds"}
    assert "a.1" not in state_file().read_text(encoding="utf-8")
