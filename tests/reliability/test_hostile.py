"""Hostile but possible conditions met by the installed program: a file swapped for a named pipe
while it is read, settings files that are devices, pipes or huge, and locales that cannot encode
what is printed. None may hang, end in a traceback, or destroy a settings file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.reliability_support import SEED, environment, program

RACE_SCRIPT = """
import sys
from bulletin_tui.library import open_library
for _ in range(int(sys.argv[2])):
    library = open_library([sys.argv[1]], use_cache=False)
    for error in library.errors:
        print(error.path, error.message, sep="\\t", flush=True)
"""


@contextmanager
def swapping(target: Path, data: bytes) -> Iterator[None]:
    """Swap `target` between a regular file and a named pipe (no writer, ever) as fast as can be,
    by renaming each new one over it, until the block ends."""
    stop = threading.Event()

    def swap() -> None:
        count = 0
        while not stop.is_set():
            fresh = target.with_name(f".swap-{count}")
            if count % 2:
                os.mkfifo(fresh)
            else:
                fresh.write_bytes(data)
            os.rename(fresh, target)
            count += 1
            time.sleep(0.0005)

    swapper = threading.Thread(target=swap, daemon=True)
    swapper.start()
    try:
        yield
    finally:
        stop.set()
        swapper.join()


def test_a_file_swapped_for_a_named_pipe_never_hangs_the_library(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    target = library / "2024-01-01.md"
    runs = 300
    with swapping(target, SEED.read_bytes()):
        child = subprocess.Popen(
            [sys.executable, "-c", RACE_SCRIPT, str(library), str(runs)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = child.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise AssertionError("the library hung on a file swapped for a named pipe") from None
    assert child.returncode == 0, err
    reasons = {line.split("\t")[1] for line in out.splitlines()}
    # Some runs met the pipe, and each said so, naming the file.
    assert reasons == {"not a regular file (a named pipe, socket or device)"}
    assert {line.split("\t")[0] for line in out.splitlines()} == {str(target)}


def test_list_never_hangs_on_a_file_swapped_for_a_named_pipe(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    target = library / "2024-01-01.md"
    env = environment(tmp_path / "home")
    outcomes = set()
    with swapping(target, SEED.read_bytes()):
        for _ in range(12):
            try:
                result = subprocess.run(
                    [program(), "list", "--no-cache", str(library)],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=15,
                )
            except subprocess.TimeoutExpired:
                raise AssertionError("`list` hung on a file swapped for a named pipe") from None
            assert result.returncode in (0, 1), result.stderr
            assert "Traceback" not in result.stderr
            if result.returncode == 1:
                assert f"{target}: not a regular file" in result.stderr
            outcomes.add(result.returncode)
    assert outcomes  # ran


# --- settings files ----------------------------------------------------------------------------


def run_list(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = environment(tmp_path / "home", **extra)
    return subprocess.run(
        [program(), "list", "--no-cache", str(SEED)],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )


def test_a_config_that_is_a_device_or_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    for config, reason in (("/dev/zero", "not a regular file"), (str(pipe), "not a regular file")):
        result = run_list(tmp_path, BULLETIN_TUI_CONFIG=config)
        assert result.returncode == 0 and "4 articles" in result.stdout
        assert result.stderr == (
            f"bulletin-tui: {config}: {reason} (a named pipe, socket or device); using the defaults\n"
        )


def test_a_huge_config_is_refused_and_kept(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    content = b"# " + b"x" * (2 * 2**20) + b"\nmeasure = 30\n"
    config.write_bytes(content)
    result = run_list(tmp_path, BULLETIN_TUI_CONFIG=str(config))
    assert result.returncode == 0
    assert result.stderr == (
        f"bulletin-tui: {config}: too large (2.1 MB; the limit is 1 MiB); using the defaults\n"
    )
    assert config.read_bytes() == content


def test_a_huge_state_file_is_moved_aside_and_saving_stays_small(tmp_path: Path) -> None:
    from bulletin_tui.state import MAX_STATE_BYTES, load_state, save_state

    path = tmp_path / "state" / "state.toml"
    path.parent.mkdir(mode=0o700)
    huge = b"read = [\n" + b"".join(b'  "x%08d.1",\n' % n for n in range(3_500_000)) + b"]\n"
    assert len(huge) > 50_000_000
    path.write_bytes(huge)
    state, notice = load_state(path)
    assert notice is not None
    assert (
        f"{path}: too large (5" in notice
        and "the limit is 4 MiB); moved to state.toml.bad-" in notice
    )
    (kept,) = path.parent.glob("state.toml.bad-*")
    assert kept.stat().st_size == len(huge)  # the user's file is kept, whole
    state.toggle_read("2024-01-01.1")
    save_state(state, path)
    assert path.stat().st_size < 1000
    # Grown huge again behind the reader's back: moved aside at the next save too.
    path.write_bytes(huge)
    state.toggle_bookmark("2024-01-01.1")
    save_state(state, path)
    assert path.stat().st_size < MAX_STATE_BYTES and len(list(path.parent.glob("*.bad-*"))) == 2


# --- locales ------------------------------------------------------------------------------------

ODD = "## 要点•一\n\n本报讯 (记者 丽娜) 正文有•、零宽连接符a\u200db、é和党建。\n"


def odd_library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    (library / SEED.name).write_bytes(SEED.read_bytes())
    (library / "2024-02-02.md").write_text(ODD, encoding="utf-8")
    return library


def run(tmp_path: Path, *words: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    env = environment(tmp_path / "home", **extra)
    return subprocess.run([program(), *words], capture_output=True, env=env, timeout=60)


def test_every_command_works_in_a_gbk_ascii_or_latin1_locale(tmp_path: Path) -> None:
    import json

    library = str(odd_library(tmp_path))
    for encoding in ("gbk", "ascii", "latin-1"):
        for words, is_json in (
            (["export", "--json", library], True),
            (["search", "党建", library, "--json"], True),
            (["show", "2024-02-02.1", library], False),
            (["list", library], False),
            (["search", "党建", library], False),
        ):
            result = run(tmp_path, *words, PYTHONIOENCODING=encoding)
            assert result.returncode == 0, (encoding, words, result.stderr.decode())
            assert b"Traceback" not in result.stderr
            if is_json:  # always UTF-8, whatever the locale
                assert "•" in json.dumps(
                    json.loads(result.stdout.decode("utf-8")), ensure_ascii=False
                )
            else:  # in the locale's encoding, with what it cannot encode replaced
                text = result.stdout.decode(encoding)
                assert text.strip() and ("•" in text or "?" in text)


def test_a_file_name_with_a_newline_gives_ids_on_one_line(tmp_path: Path) -> None:
    import json

    library = tmp_path / "library"
    library.mkdir()
    (library / "2024\n01.md").write_bytes(SEED.read_bytes())
    listing = run(tmp_path, "list", str(library)).stdout.decode()
    assert listing.splitlines()[1].startswith("2024\\n01.1 ")
    assert len(listing.splitlines()) == 1 + 4 + 1  # header, four articles, the count
    data = json.loads(run(tmp_path, "list", "--json", str(library)).stdout)
    ids = [a["id"] for issue in data["issues"] for a in issue["articles"]]
    assert ids[0] == "2024\\n01.1" and not any("\n" in i for i in ids)
    shown = run(tmp_path, "show", "2024\\n01.2", str(library))
    assert shown.returncode == 0 and "招商引资蹄疾步稳" in shown.stdout.decode()


# --- search words -------------------------------------------------------------------------------


def test_search_takes_exclusions_unquoted_and_refuses_only_exclusions(tmp_path: Path) -> None:
    import json

    seed = str(SEED)
    both = run(tmp_path, "search", "党建", "-三大", seed, "--json")
    assert both.returncode == 0
    found = json.loads(both.stdout)
    assert found["query"] == "党建 -三大" and found["hits"]
    assert all("三大" not in hit["title"] for hit in found["hits"])
    message = "-通知 only says what to leave out: add what to look for, as in 招商 -通知"
    for words in (["-通知"], ["--", "-通知"], ["--limit", "3", "-通知"]):
        alone = run(tmp_path, "search", *words, seed)
        assert alone.returncode == 2, words
        assert alone.stderr.decode() == f"bulletin-tui: {message}\n"


def test_search_json_escapes_c1_controls_of_the_query(tmp_path: Path) -> None:
    import json

    query = "党建\x9b2J\x85\u202e"
    result = run(tmp_path, "search", query, str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    assert not any(0x80 <= ord(c) <= 0x9F or c == "\u202e" for c in result.stdout.decode())
    assert b"\\u009b2J\\u0085\\u202e" in result.stdout
    assert json.loads(result.stdout)["query"] == query
