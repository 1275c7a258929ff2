"""Every article of the seed and of the nanna issues, laid out and audited across widths 20-120.

The seed and the nanna issues copied into tests/fixtures run at every width. The whole corpus
(../shared/corpus/nanna) runs each issue at two widths spread over 20-120 so that together they
cover the range in CI time; BULLETIN_TUI_FULL_CORPUS=1 runs every issue at every width with every
setting (minutes).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_tui.model import Issue
from bulletin_tui.sources import load_issue
from bulletin_tui.typeset import LayoutOptions, layout_article, render_plain
from tests.conftest import CORPUS, FIXTURES, SEED
from tests.core.test_typeset_audit import audit_article, cells

FULL = os.environ.get("BULLETIN_TUI_FULL_CORPUS") == "1"
WIDTHS = range(20, 121)
SPREAD = sorted({*range(20, 121, 9), 80, 120})
SETTINGS = [
    LayoutOptions(normalise_punctuation=norm, ambiguous_width=amb)
    for norm in (True, False)
    for amb in (1, 2)
]


def _load(path: Path) -> Issue:
    issue = load_issue(path)
    assert isinstance(issue, Issue), issue
    return issue


def _audit(issue: Issue, width: int, options: LayoutOptions) -> list[str]:
    problems: list[str] = []
    for article in issue.articles:
        lines = layout_article(article, width, options, issue)
        problems += [
            f"{article.id} @{width}: {p}" for p in audit_article(article, lines, width, options)
        ]
    return problems


@pytest.mark.parametrize(
    "options", SETTINGS, ids=lambda o: f"norm{int(o.normalise_punctuation)}-amb{o.ambiguous_width}"
)
def test_seed_at_every_width(options: LayoutOptions) -> None:
    issue = _load(SEED)
    problems = [p for width in WIDTHS for p in _audit(issue, width, options)]
    assert problems == []
    for width in WIDTHS:  # `show` prints these same lines
        for article in issue.articles:
            plain = render_plain(article, width, options, issue)
            lines = layout_article(article, width, options, issue)
            assert plain.split("\n") == [line.text for line in lines]
            assert all(cells(x, options.ambiguous_width) <= width for x in plain.split("\n"))


FIXTURE_FILES = sorted((FIXTURES / "nanna").glob("*.md"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_bundled_nanna_issues_at_every_width(path: Path) -> None:
    issue = _load(path)
    problems = [
        p
        for number, width in enumerate(WIDTHS)
        for options in (SETTINGS if FULL else [SETTINGS[number % len(SETTINGS)]])
        for p in _audit(issue, width, options)
    ]
    assert problems == []


def _corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_every_nanna_issue() -> None:
    problems: list[str] = []
    files = _corpus_files()
    assert files
    for number, path in enumerate(files):
        issue = _load(path)
        if FULL:
            plan = [(width, options) for width in WIDTHS for options in SETTINGS]
        else:  # two widths per issue, rotating through the spread and the settings
            plan = [
                (SPREAD[(number * 2 + k) % len(SPREAD)], SETTINGS[(number + k) % len(SETTINGS)])
                for k in range(2)
            ]
        for width, options in plan:
            problems += _audit(issue, width, options)
    assert problems == [], f"{len(problems)} problems, first: {problems[:20]}"
