"""Snapshots of the help screen.

Regenerate after a deliberate change with
`pytest tests/ui/snapshots/test_help.py --snapshot-update`, and look at snapshot_report.html.
"""

from __future__ import annotations

import pytest

from tests.ui.snapshots.support import SIZES, SnapCompare, keys, size_id
from tests.ui_fixtures import SEED, make_app


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_help_screen(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = make_app([SEED])
    assert snap_compare(app, terminal_size=size, run_before=keys("question_mark"))
