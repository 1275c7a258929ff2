"""`bulletin-tui show ID --width N` prints the typesetter's lines: checked without a screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.cli import main
from bulletin_tui.model import Issue
from bulletin_tui.sources import load_issue
from bulletin_tui.typeset import LayoutOptions, render_plain
from tests.conftest import FIXTURES, SEED
from tests.core.test_typeset_audit import cells

WIDTHS = (20, 21, 37, 59, 80, 99, 120)
FILES = [SEED, *sorted((FIXTURES / "nanna").glob("*.md"))]


def _issue(path: Path) -> Issue:
    issue = load_issue(path)
    assert isinstance(issue, Issue)
    return issue


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_show_prints_every_article_within_the_width(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = _issue(path)
    for number, article in enumerate(issue.articles):
        # every width for the seed; one width per article, in turn, for the larger nanna issues
        widths = WIDTHS if path == SEED else [WIDTHS[number % len(WIDTHS)]]
        for width in widths:
            assert main(["show", article.id, str(path), "--no-cache", "--width", str(width)]) == 0
            out = capsys.readouterr().out
            assert out.endswith("\n") and "\x1b" not in out
            lines = out[:-1].split("\n")
            assert all(cells(line, 1) <= width for line in lines), (article.id, width)
            # the lines are the typesetter's, laid out to the whole width (no measure)
            assert out[:-1] == render_plain(article, width, LayoutOptions(measure=0), issue)


def test_show_piped_uses_the_terminal_width_and_plain_text(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "50", "BULLETIN_TUI_AMBIGUOUS_WIDTH": "2"}
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_tui", "show", f"{SEED.stem}.1", str(SEED), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.rstrip("\n").split("\n")
    assert "\x1b" not in result.stdout and not lines[0].startswith(" ")  # not centred when piped
    assert max(cells(line, 2) for line in lines) <= 50
    assert max(cells(line, 2) for line in lines) >= 44  # filled, under the wider measure
