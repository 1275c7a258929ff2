"""Snapshots of the search pane: results, the preview of a highlighted hit, the trend line.

Regenerate after a deliberate change with
`pytest tests/ui/snapshots/test_search.py --snapshot-update`, and look at snapshot_report.html.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.snapshots.support import SIZES, SnapCompare, keys, size_id
from tests.ui_fixtures import SEED, make_app, write_library


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_search_with_results(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "招", "商"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_search_preview(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    """The second of two hits highlighted: the reader previews it, its matches marked."""
    app = make_app([write_library(tmp_path / "library")])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", *"图书馆", "down", "j"))


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_search_with_a_trend(
    snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]
) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library])
    assert snap_compare(app, terminal_size=size, run_before=keys("slash", "图", "书", "馆"))
