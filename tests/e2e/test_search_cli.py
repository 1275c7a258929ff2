"""`bulletin-tui search` and `bulletin-tui index` as scripts use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bulletin_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
        timeout=120,
    )


def test_search_json(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    result = run("search", "记者", str(SEED), "--json", "--limit", "2", "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "hits", "took_ms"} and data["query"] == "记者"
    assert len(data["hits"]) == 2  # all four articles match; the limit holds
    for hit in data["hits"]:
        for key in ("article_id", "issue_id", "issue_path", "date", "section", "title", "score"):
            assert key in hit
        assert hit["spans"]
        for start, end in hit["spans"]:
            assert hit["snippet"][start:end] == "记者"
    only = run("search", "招商", str(SEED), "--json", "--cache-dir", cache)
    assert [hit["title"] for hit in json.loads(only.stdout)["hits"]] == ["招商引资蹄疾步稳"]


def test_search_text_and_bad_query(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    result = run("search", "djgz", str(SEED), "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("ms")
    one = run("search", "招商引资蹄疾步稳", str(SEED), "--cache-dir", cache)
    assert one.stdout.splitlines()[-1].startswith("1 hit in "), one.stdout
    bad = run("search", "date:2025-99", str(SEED), "--cache-dir", cache)
    assert bad.returncode == 2 and "date:2025-99" in bad.stderr and "Traceback" not in bad.stderr


def test_index_builds_then_refreshes_quietly_when_piped(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run("index", str(SEED), "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # no progress bar when not on a terminal
    summary = first.stdout.strip()
    assert summary.count("\n") == 0 and "1 parsed" in summary and "4 articles" in summary
    assert summary.startswith("1 file (")  # not "1 files"
    assert str(cache) in summary
    again = run("index", str(SEED), "--cache-dir", str(cache))
    assert "0 parsed" in again.stdout and "1 unchanged" in again.stdout


def test_no_cache_leaves_nothing_behind(tmp_path: Path) -> None:
    result = run("search", "党建", str(SEED), "--no-cache", "--cache-dir", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "c").exists()


def test_search_json_says_which_words_matched_and_what_is_missing(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    # 招商 and 开发区 are in the seed, 火星车 in no article: articles holding most of them follow.
    result = run("search", "招商 开发区 火星车", str(SEED), "--json", "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert hits
    for hit in hits:
        assert hit["match"] == "partial"
        assert hit["missing"] == ["火星车"] and set(hit["matched"]) == {"招商", "开发区"}
    text = run("search", "招商 开发区 火星车", str(SEED), "--cache-dir", cache).stdout
    assert "缺：火星车" in text
    nothing = run("search", "木星探测", str(SEED), "--json", "--cache-dir", cache)
    data = json.loads(nothing.stdout)
    assert data["hits"] == [] and {"word": "木星", "articles": 0} in data["suggestions"]["words"]
    pinyin = json.loads(run("search", "zsyz", str(SEED), "--json", "--cache-dir", cache).stdout)
    assert pinyin["hits"][0]["match"] == "pinyin" and pinyin["hits"][0]["title_spans"] == [[0, 4]]


def test_words_typed_unquoted_are_not_taken_for_paths(tmp_path: Path) -> None:
    # 招商引资 was read as a PATH: "no such file", then "Nothing matches 蹄疾步稳" (exit 1).
    result = run("search", "蹄疾步稳", "招商引资", str(SEED), "--cache-dir", str(tmp_path / "c"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        "bulletin-tui: 招商引资: no such file or directory; for a query of several words, quote "
        f"it: bulletin-tui search '蹄疾步稳 招商引资' {SEED}"
    )
    trend = run("trend", "讲座", "报名", "--no-cache")
    assert trend.returncode == 2 and "quote it: bulletin-tui trend '讲座 报名'" in trend.stderr
    quoted = run("search", "蹄疾步稳 招商引资", str(SEED), "--cache-dir", str(tmp_path / "c"))
    assert quoted.returncode == 0 and "招商引资蹄疾步稳" in quoted.stdout
