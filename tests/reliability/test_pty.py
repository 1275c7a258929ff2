"""Hostile documents never reach the terminal: the installed program on a real pseudo-terminal.

A library whose titles, bylines, bodies, table cells, links and file names carry escape sequences
(CSI, OSC 52 clipboard writes, an OSC without its BEL, DCS, 8-bit C1 controls) and bidi overrides is
read, searched and exported by keys alone. Every byte the terminal receives is kept and checked
against a run of the same keys over the same library with the payloads left out: the hostile run
may only use the escape sequences Textual itself used in the clean run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reliability_support import ESCAPE, PAINTED, environment, program, running, visible

# Each payload carries a marker that must never be seen, escaped or not.
PAYLOADS = {
    "clip": "\x1b]52;c;SE9TVElMRUNMSVBCT0FSRA==\x07",  # OSC 52: write the clipboard
    "clip_open": "\x1b]52;c;QkVMTEVTU09TQzUy",  # OSC 52 with no BEL: runs to the end of the line
    "title": "\x1b]2;OSCWINDOWTITLE\x07",
    "title_st": "\x1b]0;OSCSTTITLE\x1b\\",
    "link": "\x1b]8;;https://evil.example/EVILLINK\x1b\\",
    "sgr": "\x1b[31337m",
    "report": "\x1b[6n",  # asks the terminal to type its cursor position as input
    "window": "\x1b[21t",  # asks the terminal to type its title as input
    "resize": "\x1b[8;1;1t",
    "clear": "\x1b[2J\x1b[H",
    "altscreen": "\x1b[?1049l",
    "dcs": "\x1bP1$qm\x1b\\",
    "c1_csi": "\x9b31337m",
    "c1_osc": "\x9d0;C1OSCTITLE\x9c",
    "c1_dcs": "\x90DCSPAYLOAD\x9c",
    "c1_bare": "\x85\x8d\x8e",
    "c0": "\x07\x08\x0b\x0c\x7f\x1b",  # NUL would make it a binary file, refused whole
    "rlo": "\u202e",
    "lro": "\u202d",
    "isolate": "\u2066",
    "pop": "\u202c\u2069",
}
MARKERS = (
    "SE9TVElMRUNMSVBCT0FSRA",
    "QkVMTEVTU09TQzUy",
    "OSCWINDOWTITLE",
    "OSCSTTITLE",
    "EVILLINK",
    "evil.example",
    "31337",
    "C1OSCTITLE",
    "DCSPAYLOAD",
    "VEFCTEVDRUxM",
    "VVRGMTZQQVlMT0FE",
    "RklMRU5BTUU",
    "BADFILENAME",
    "BELLESSTITLE",
)
EXPORTED = (  # in reading order, each named by its issue's date and its title
    "2024-10-08 标题甲一.md",
    "2024-10-08 逃逸 标题.md",
    "2024-10-08 2024-10-08.3.md",
    "2024-10-08 控制字符标题.md",
    "2024-10-07 十六位标题.md",
    "2024-10-06 文件名.md",
)
FORBIDDEN_CHARS = re.compile(r"[\x80-\x9f\u202a-\u202e\u2066-\u2069]")

ISSUE = """\
# 南哪消息 2024-10-08{title}

# **要闻{sgr}**

## 标题甲{clip}一

副标题{rlo}FEDCBA{pop}乙

本报讯 (记者 丽{report}娜 通讯员 陈{isolate}瑶{pop}) 正文开始{c1_csi}继续{link}点我{link}句末。

第二段{clip_open}一直到行尾
第三段{c1_dcs}有{c1_bare}换行{c0}铃。更多文字:[链接](https://example.com/a{clip})。

| 项目{table_clip} | 状态{lro} |
|---|---|
| 热电{window} | 在建{c1_osc} |

记者 丽娜{altscreen} 摄

## ../../逃逸/标题{belless}

正文{resize}二。{title_st}

## ..

正文三{dcs}。

## 控制{c0}字符{clear}{rlo}标题

正文四{c1_bare}。
"""

UTF16_ISSUE = "## 十六位{utf16}标题\n\n正文{c1_csi}结束。\n"


def _fill(template: str, hostile: bool) -> str:
    values = {name: (value if hostile else "") for name, value in PAYLOADS.items()}
    values["table_clip"] = "\x1b]52;c;VEFCTEVDRUxM\x07" if hostile else ""
    values["utf16"] = "\x1b]52;c;VVRGMTZQQVlMT0FE\x07" if hostile else ""
    values["belless"] = "\x1b]0;BELLESSTITLE" if hostile else ""
    return template.format(**values)


def write_library(folder: Path, hostile: bool, hostile_names: bool | None = None) -> Path:
    """Three issues and a file to skip; `hostile`: with the payloads in their text,
    `hostile_names` (default: the same): and in their file names."""
    hostile_names = hostile if hostile_names is None else hostile_names
    folder.mkdir(parents=True)
    (folder / "2024-10-08.md").write_text(_fill(ISSUE, hostile), encoding="utf-8")
    (folder / "2024-10-07.md").write_bytes(_fill(UTF16_ISSUE, hostile).encode("utf-16"))
    # File names are the user's, but the app shows them: a hostile one for a good issue and for
    # a file it must skip (whose name then appears in the error notice).
    name = "2024-10-06\x1b]52;c;RklMRU5BTUU=\x07\u202e" if hostile_names else "2024-10-06"
    (folder / f"{name}.md").write_text("## 文件名\n\n正文五。\n", encoding="utf-8")
    bad = "bad\x1b]0;BADFILENAME\x07\u202e" if hostile_names else "bad"
    (folder / f"{bad}.md").write_bytes(bytes(range(256)) * 4)
    return folder


def check_stream(text: str, allowed: set[str], allowed_controls: set[str], where: str) -> None:
    """`text`: what the terminal received. Only sequences in `allowed` (and colours and cursor
    moves) may drive it; no marker, C1 control or bidi override may appear at all."""
    for marker in MARKERS:
        assert marker not in text, f"{where}: {marker!r} reached the terminal"
    found = FORBIDDEN_CHARS.search(text)
    assert found is None, f"{where}: {found.group()!r} reached the terminal"
    for sequence in ESCAPE.findall(text):
        if re.fullmatch(r"\x1b\[[\d;:]*[mH]", sequence):
            continue  # colours and cursor positions: their parameters are checked by the markers
        assert sequence in allowed, f"{where}: {sequence!r} is not one the app itself sends"
    controls = {c for c in ESCAPE.sub("", text) if ord(c) < 32 or ord(c) == 127}
    assert controls <= allowed_controls, (
        f"{where}: control characters {controls - allowed_controls}"
    )


def drive(library: Path, home: Path, exports: Path) -> tuple[str, int]:
    """Read every article, page through one, open the links, search, export each: by keys."""
    (home / "config.toml").write_text(f'export_dir = "{exports}"\n', encoding="utf-8")
    env = environment(home, BULLETIN_TUI_CONFIG=str(home / "config.toml"))
    with running([str(program()), str(library)], env, size=(100, 30), cwd=home) as app:
        mark = app.wait_for(PAINTED, "the first paint")
        mark = app.wait_for("skipped", "the skipped-file notice", since=0)
        for name in EXPORTED:  # every article in reading order, each exported
            app.send("]", "e")
            # The file itself: a "Saved" drawn after the mark may be the last toast drawn again.
            exported = exports / name
            mark = app.wait_for(
                lambda text, path=exported: "Saved" in text and path.exists(), name, since=mark
            )
        app.send("{", "{")  # back to the newest issue
        mark = app.wait_for("1 / 4 articles", "the newest issue", since=mark)
        app.send("l", " ", " ", "G", "g")
        app.send("L")
        mark = app.wait_for("Links", "the links screen", since=mark)
        # L closes the list as Esc does. A lone Esc is told from the start of a sequence by
        # time: read in one go with the `/` behind it (a busy machine), the two made one key.
        app.send("L")
        app.send("/")
        mark = app.wait_for("Type to search", "the search pane", since=mark)
        app.send("正文")
        mark = app.wait_for("result", "search results", since=mark)
        app.send("\r")
        mark = app.wait_for("match 1/", "the first match", since=mark)
        app.send("n", "n")
        app.settle()
        app.send("q")
        status = app.wait()
        raw = app.raw
    return raw.decode("utf-8"), status


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, int, Path]]:
    """The same keys over the clean and the hostile library, both at once."""

    def run(kind: str) -> tuple[str, int, Path]:
        work = tmp_path_factory.mktemp(kind)
        home = work / "home"
        home.mkdir()
        exports = work / "exports" / "inner"
        exports.mkdir(parents=True)
        text, status = drive(write_library(work / "library", kind == "hostile"), home, exports)
        return text, status, work

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {kind: pool.submit(run, kind) for kind in ("clean", "hostile")}
        return {kind: future.result() for kind, future in futures.items()}


def test_the_clean_run_is_what_textual_sends(runs: dict[str, tuple[str, int, Path]]) -> None:
    text, status, _ = runs["clean"]
    assert status == 0
    # The payload-free library shows none of the markers, so the checks below can fail only
    # because of the payloads.
    for marker in MARKERS:
        assert marker not in text


def test_nothing_from_a_hostile_document_reaches_the_terminal(
    runs: dict[str, tuple[str, int, Path]],
) -> None:
    clean, _, _ = runs["clean"]
    hostile, status, _ = runs["hostile"]
    assert status == 0
    allowed = set(ESCAPE.findall(clean))
    allowed_controls = {c for c in ESCAPE.sub("", clean) if ord(c) < 32 or ord(c) == 127}
    check_stream(hostile, allowed, allowed_controls, "the reader")
    # The text itself is all there, only the payloads are gone.
    shown = visible(hostile.encode())
    for words in ("标题甲", "正文开始", "继续", "句末", "十六位", "文件名", "控制", "字符"):
        assert words in shown, words


def _exported(work: Path) -> list[Path]:
    return sorted((work / "exports").rglob("*"))


@pytest.mark.parametrize("kind", ["clean", "hostile"])
def test_exports_stay_in_the_chosen_folder_with_safe_names(
    runs: dict[str, tuple[str, int, Path]], kind: str
) -> None:
    _, _, work = runs[kind]
    inner = work / "exports" / "inner"
    files = _exported(work)
    assert inner in files
    written = [path for path in files if path != inner]
    assert {p.name for p in written} == set(EXPORTED)
    assert all(path.parent == inner for path in written), "a file was written outside the folder"
    assert sorted(p.name for p in work.iterdir()) == ["exports", "home", "library"]
    for path in written:
        name = path.name
        assert not name.startswith(".") and name.endswith(".md"), name
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in name), repr(name)
        assert not FORBIDDEN_CHARS.search(name), repr(name)
        body = path.read_text(encoding="utf-8")
        assert "\x1b" not in body and not FORBIDDEN_CHARS.search(body), name
        for marker in MARKERS:
            assert marker not in body and marker not in name, (marker, name)


CLI_SEQUENCES = re.compile(r"\x1b\[(?:\?25[lh]|2K|\d*[ABG])")  # Rich's progress bar: cursor moves


def _on_terminal(argv: list[str], env: dict[str, str]) -> str:
    with running(argv, env, size=(120, 40)) as session:
        session.wait()
        return session.raw.decode("utf-8")


def _piped(argv: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, check=False, timeout=120)
    return result.stdout.decode("utf-8") + result.stderr.decode("utf-8")


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in (key, *_strings(value))]
    if isinstance(data, list):
        return [text for item in data for text in _strings(item)]
    return []


@pytest.fixture(scope="module")
def hostile_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, str]]:
    work = tmp_path_factory.mktemp("cli")
    library = write_library(work / "library", hostile=True)
    home = work / "home"
    home.mkdir()
    return [str(program())], environment(home) | {"LIBRARY": str(library)}


def test_list_show_and_search_on_a_terminal(hostile_cli: tuple[list[str], dict[str, str]]) -> None:
    command, env = hostile_cli
    library = env["LIBRARY"]
    outputs = {}
    for args in (["index"], ["list"], ["search", "标题"], ["search", "丽娜"]):
        outputs[" ".join(args)] = _on_terminal([*command, *args, library], env)
    for article in (*(f"2024-10-08.{n}" for n in range(1, 5)), "2024-10-07.1", "2024-10-06.1"):
        outputs[f"show {article}"] = _on_terminal([*command, "show", article, library], env)
    assert "标题甲一" in outputs["list"] and "控制字符标题" in outputs["list"]
    assert "正文开始" in outputs["show 2024-10-08.1"] and "热电" in outputs["show 2024-10-08.1"]
    assert "标题" in outputs["search 标题"]
    for what, text in outputs.items():
        allowed = set(CLI_SEQUENCES.findall(text))
        check_stream(text, allowed, {"\n", "\r", "\t"}, what)


def _check_json(command: list[str], env: dict[str, str], library: str) -> None:
    for args in (
        ["list", "--json"],
        ["export", "--json"],
        ["search", "--json", "正文"],
        ["show", "--json", "2024-10-08.1"],
    ):
        text = _piped([*command, *args, library], env)
        check_stream(text, set(), {"\n"}, " ".join(args))
        # Escaped inside JSON it is harmless on screen, but `jq -r` would print it raw.
        payload = json.loads(text[: text.rindex("}") + 1])
        for string in _strings(payload):
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", string), (args, string)
            assert not FORBIDDEN_CHARS.search(string), (args, string)


def test_json_output_holds_nothing_that_could_drive_a_terminal(tmp_path: Path) -> None:
    library = write_library(tmp_path / "library", hostile=True, hostile_names=False)
    home = tmp_path / "home"
    home.mkdir()
    _check_json([str(program())], environment(home), str(library))


def test_json_output_of_hostile_file_names(hostile_cli: tuple[list[str], dict[str, str]]) -> None:
    command, env = hostile_cli
    _check_json(command, env, env["LIBRARY"])


def test_the_file_names_shown_are_sanitised_too(tmp_path: Path) -> None:
    library = write_library(tmp_path / "library", hostile=True)
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [str(program()), "list", "--json", str(library)],
        env=environment(home),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1  # one file skipped
    stderr = result.stderr.decode("utf-8")
    assert "binary file" in stderr and "bad" in stderr
    assert "BADFILENAME" not in stderr and "\x1b" not in stderr
    names = os.listdir(library)
    assert len(names) == 4  # the library itself is left untouched
