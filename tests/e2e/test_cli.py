"""The command line as scripts and people use it: real subprocesses, real files, real exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEED

SEED_ID = SEED.stem


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bulletin_tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
        timeout=120,
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("bulletin-tui ")
    help_text = run("--help").stdout
    for command in ("list", "show", "search", "index", "export"):
        assert command in help_text


def test_list_defaults_to_the_bundled_sample() -> None:
    result = run("list", "--no-cache")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ARTICLE", "DATE", "SECTION", "TITLE"]
    assert f"{SEED_ID}.2" in result.stdout and "招商引资蹄疾步稳" in result.stdout
    assert "\x1b" not in result.stdout  # piped: no colour codes


def test_list_aligns_columns_in_cells() -> None:
    from rich.cells import cell_len

    result = run("list", "--no-cache", str(FIXTURES / "nanna" / "2024-09-27.md"))
    rows = result.stdout.splitlines()[1:-1]
    # The TITLE column starts at the same cell in every row, whatever the CJK widths before it.
    title_starts = {cell_len(row[: row.rindex("  ") + 2]) for row in rows}
    assert len(title_starts) == 1, rows


def test_list_json() -> None:
    data = json.loads(run("list", "--json", "--no-cache").stdout)
    assert [a["title"] for a in data["issues"][0]["articles"]][1] == "招商引资蹄疾步稳"
    assert data["errors"] == []


def test_export_json_is_written_as_made_yet_is_what_one_dump_of_the_library_writes() -> None:
    """The library is written an issue, an article, a thousand blocks at a time (one article of
    1.9 million paragraphs took 2.3 GB as one value): the text is the same to the byte."""
    from bulletin_tui.library import open_library
    from bulletin_tui.serialize import error_to_dict, issue_to_dict

    folder = FIXTURES / "nanna"
    written = run("export", "--json", "--no-cache", str(folder), str(SEED)).stdout
    library = open_library([folder, SEED], use_cache=False)
    publication_of = library.publication_of()
    whole = {
        "issues": [
            {**issue_to_dict(issue), "publication": publication_of.get(issue.id)}
            for issue in library.issues
        ],
        "errors": [error_to_dict(error) for error in library.errors],
    }
    assert len(whole["issues"]) == 4
    assert written == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_export_json_shape() -> None:
    data = json.loads(run("export", "--json", "--no-cache").stdout)
    issue = data["issues"][0]
    assert set(issue) >= {"id", "path", "title", "date", "front_matter", "sections"}
    article = issue["sections"][0]["articles"][1]
    assert set(article) >= {
        "id",
        "title",
        "subtitles",
        "dateline",
        "reporters",
        "correspondents",
        "photo_credits",
        "blocks",
    }
    assert article["subtitles"] == ["去年新签约各类项目35个,其中亿元以上项目15个"]
    assert article["reporters"] == ["蒋玉"] and article["correspondents"] == ["开宣"]
    assert {block["type"] for block in article["blocks"]} == {"paragraph"}
    assert issue["front_matter"] == ["开发区精神:", "团结奋进 开放创新", "包容担当 务实诚信"]


def test_show_prints_the_article() -> None:
    result = run("show", f"{SEED_ID}.2", "--no-cache", "--width", "60")
    assert result.returncode == 0, result.stderr
    assert "招商引资蹄疾步稳" in result.stdout
    assert "\x1b" not in result.stdout


def test_show_json() -> None:
    data = json.loads(run("show", f"{SEED_ID}.3", "--json", "--no-cache").stdout)
    assert data["photo_credits"] == ["丽娜"]


def test_unknown_article_is_a_usage_error() -> None:
    result = run("show", "no-such-article", "--no-cache")
    assert result.returncode == 2
    assert "no-such-article" in result.stderr


def test_an_unknown_article_in_a_missing_folder_names_the_folder_first(tmp_path: Path) -> None:
    result = run("show", "2024-09-27.3", str(tmp_path / "issuse"), "--no-cache")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bulletin-tui: {tmp_path / 'issuse'}: no such file or directory",
        "bulletin-tui: no article '2024-09-27.3' (see `bulletin-tui list`)",
    ]


def test_an_empty_query_is_a_usage_error() -> None:
    for command in ("search", "trend"):
        result = run(command, " ", "--no-cache")
        assert (result.returncode, result.stdout) == (2, ""), result
        assert "the query is empty" in result.stderr


def test_bad_usage_exits_2() -> None:
    assert run("list", "--no-such-flag").returncode == 2
    assert run("show").returncode == 2
    for words in (["show", f"{SEED_ID}.2", "--width", "-5"], ["search", "招商", "--limit", "-3"]):
        bad = run(*words, "--no-cache")  # --width -5 printed one character a line
        assert (bad.returncode, bad.stdout) == (2, ""), bad
        assert "must be 0 or more" in bad.stderr


@pytest.mark.parametrize(
    ("word", "nearest"), [("lsit", "list"), ("serach", "search"), ("bogus", None)]
)
def test_a_mistyped_command_is_a_usage_error(
    tmp_path: Path, word: str, nearest: str | None
) -> None:
    result = run(word, cwd=tmp_path)
    assert result.returncode == 2
    assert "list, show, search, index, export" in result.stderr
    if nearest:
        assert f"did you mean {nearest!r}" in result.stderr
    else:
        assert "did you mean" not in result.stderr


def test_show_without_path_needs_only_the_article_id(private_home: Path) -> None:
    result = run("show")
    assert result.returncode == 2
    assert "required: ARTICLE_ID" in result.stderr and "PATH" not in result.stderr.splitlines()[-1]
    # PATH left out: the configured library, as for every other command.
    config = private_home / "config.toml"
    config.write_text(f'[library]\npaths = ["{FIXTURES / "nanna"}"]\n', encoding="utf-8")
    assert os.environ["BULLETIN_TUI_CONFIG"] == str(config)
    result = run("show", "2024-09-27.3", "--width", "60")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("讲座\n")


def test_paths_may_follow_options() -> None:
    nanna = str(FIXTURES / "nanna")
    result = run("search", "讲座", "--no-cache", "--limit", "2", nanna, "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert len(hits) == 2 and all(hit["issue_path"].startswith(nanna) for hit in hits)


def test_skipped_files_exit_1_and_are_named(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    (tmp_path / "broken.md").write_bytes(b"\x00\x01\x02" * 50)
    result = run("export", "--json", "--no-cache", str(tmp_path))
    assert result.returncode == 1
    assert "broken.md: binary file" in result.stderr
    data = json.loads(result.stdout)
    assert len(data["issues"]) == 1
    assert [Path(e["path"]).name for e in data["errors"]] == ["broken.md"]


def test_hostile_titles_do_not_reach_the_terminal(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "## 标题\x1b]52;c;SGk=\x07\x1b[2J\u202e\n\n本报讯 (记者 丽\x1b[31m娜) 正文\x9b31m。\n",
        encoding="utf-8",
    )
    for args in (("list",), ("export", "--json"), ("show", "hostile.1")):
        result = run(*args, "--no-cache", str(hostile))
        out = result.stdout + result.stderr
        assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out, args
        assert "\\u001b" not in out  # not even escaped inside JSON


@pytest.mark.parametrize("command", ["list", "export"])
def test_runs_from_another_directory(tmp_path: Path, command: str) -> None:
    result = run(command, "--no-cache", cwd=tmp_path)
    assert result.returncode == 0
    assert "招商引资蹄疾步稳" in result.stdout


def test_a_broken_config_is_named_once_and_the_defaults_used(private_home: Path) -> None:
    config = private_home / "config.toml"
    config.write_text('measure = "wide"\n', encoding="utf-8")
    result = run("show", f"{SEED_ID}.2", "--no-cache", "--width", "40")
    assert result.returncode == 0
    assert result.stderr.count("config.toml") == 1 and "measure" in result.stderr
    assert "招商引资蹄疾步稳" in result.stdout
    assert config.read_text(encoding="utf-8") == 'measure = "wide"\n'  # never rewritten


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [["list"], ["export", "--json"], ["search", "招商"]])
def test_output_that_cannot_be_written_is_said_on_one_line(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "bulletin_tui", *command, "--no-cache"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr == "bulletin-tui: cannot write the output: No space left on device\n"


def test_relative_paths_from_a_removed_folder_are_a_usage_error(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = 'cd "$1" && rmdir "$1" && exec "$2" -m bulletin_tui list ./issues --no-cache'
    result = subprocess.run(
        ["/bin/sh", "-c", script, "sh", str(gone), sys.executable],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the current folder no longer exists" in result.stderr
