"""`python benchmarks/run.py` runs end to end on a tiny library and prints its table and JSON.

No figure is judged here (timings belong to the benchmark, not to the test suite): only that every
bench ran, every figure has a value and the output has the promised shape.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

RUN = ROOT / "benchmarks" / "run.py"


def test_quick_run_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json", str(out), "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout
    header = printed.splitlines()[2].split()
    assert header == ["figure", "articles", "value", "baseline", "ratio", "target", "met"]
    assert "Growth with the library:" in printed
    assert "Not measured" not in printed, printed

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["errors"] == {}
    assert data["sizes"] == [40] and set(data["results"]) == {"40"}
    figures = {row["figure"] for row in data["table"]}
    for name in (
        "first paint, warm cache",
        "first paint, cold cache",
        "search p95 (top 50 + snippets)",
        "index build",
        "refresh after 1 changed file",
        "search p95, 20 readers at once, shared index",
        "search p95, 20 readers typing, shared index",
        "open + paint a 20,000-char article",
        "typeset a 20,000-char article, p50",
        "peak RSS, library open + searched",
    ):
        assert name in figures, name
        assert name in printed, name
    missing = [row["figure"] for row in data["table"] if row["value"] is None]
    assert missing == [], f"figures without a value: {missing}"
    # The temporary libraries are gone; only the JSON is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.json"]
