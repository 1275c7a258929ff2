"""Snapshots of the reader: an article, its matches, its links and related articles, in 16
colours and with ambiguous characters two cells wide.

Regenerate after a deliberate change with
`pytest tests/ui/snapshots/test_reader.py --snapshot-update`, and look at snapshot_report.html.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.config import Config
from bulletin_tui.state import State
from tests.ui.snapshots.support import SIZES, SnapCompare, keys, size_id
from tests.ui_fixtures import SEED, make_app, write_library


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_open_article(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("j", "j", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_article_with_matches(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "招", "商", "enter", "n"))


def test_sixteen_colours(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """TERM=xterm: the terminal's own palette; unread by weight and ▪, highlights in reverse."""
    library = write_library(tmp_path / "library")
    state = State(read={"2024-10-08.3"}, bookmarks=["2024-10-08.4"])
    app = make_app([library], state=state, color_system="standard")
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j", "j", "enter", "n"))


def test_ambiguous_width_two(snap_compare: SnapCompare) -> None:
    """Furniture in ASCII and colour for a terminal drawing │ ▏ ▁ ━ ╭ two cells wide."""
    app = make_app([SEED], config=Config(ambiguous_width=2))
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_links_view(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    from tests.ui.test_links import MANY_LINKS

    library = write_library(tmp_path / "library")
    (library / "2024-11-01.md").write_text(MANY_LINKS, encoding="utf-8")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("right_square_bracket", "L"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_related_articles(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("j", "j", "j", "enter", "R"))
