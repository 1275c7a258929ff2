"""Counts said in English: one helper for the app, the command line and the core alike."""

from __future__ import annotations

import re
from pathlib import Path

import bulletin_tui
from bulletin_tui.wording import counted, plural


def test_a_count_takes_the_singular_for_one_only() -> None:
    assert counted(1, "issue") == "1 issue"
    assert counted(0, "issue") == "0 issues"
    assert counted(3, "file") == "3 files"
    assert counted(2, "issue updated", "issues updated") == "2 issues updated"
    assert counted(1, "issue updated", "issues updated") == "1 issue updated"
    assert plural(1, "cell") == "cell" and plural(2, "cell") == "cells"


# `'s' if n != 1`, `'' if n == 1 else 's'`, `'file' if n == 1 else 'files'`, `"1 file" if`,
# `.replace("issue", "issues")` and "file(s)".
AD_HOC = re.compile(
    "|".join(
        (
            r"""['"]s['"] if """,
            r"""['"]{2} if .{1,40} else ['"]s['"]""",
            r"""(['"])([a-z]+)\1 if .{1,60} else (['"])\2s\3""",
            r"""['"]1 [a-z]+['"] if """,
            r"""replace\((['"])([a-z]+)\4, (['"])\5s\6\)""",
            r"""[a-z]\(s\)""",
        )
    )
)


def test_no_module_makes_its_own_plural() -> None:
    package = Path(bulletin_tui.__file__).parent
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "wording.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if AD_HOC.search(line)
    ]
    assert found == []
