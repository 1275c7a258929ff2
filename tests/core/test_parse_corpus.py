"""Every real issue parses; not a character of what a reader sees is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.model import Issue
from bulletin_tui.sources import load_all, load_issue, read_text
from tests.conftest import SEED, corpus_files
from tests.visible_text import issue_keeps, visible_text

FILES = corpus_files()


def test_corpus_files_are_found() -> None:
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_issue_parses_with_sections_and_articles(path: Path) -> None:
    issue = load_issue(path)
    assert isinstance(issue, Issue), issue
    assert issue.date is not None and issue.date.isoformat() == path.stem
    assert issue.title.startswith("南哪消息")
    assert issue.sections and all(section.title for section in issue.sections)
    assert issue.articles  # a notice of suspension is an issue of one article
    assert all(article.title and article.blocks for article in issue.articles)
    assert issue.front_matter == ()  # only the table of contents, which repeats the headings


@pytest.mark.parametrize("path", [SEED, *FILES], ids=lambda p: p.stem)
def test_nothing_is_lost(path: Path) -> None:
    text = read_text(path)
    issue = load_issue(path)
    assert isinstance(issue, Issue)
    leading_title = text.lstrip().startswith("# ")
    expected = visible_text(text)
    found, reached = issue_keeps(expected, issue, leading_title)
    assert found, f"lost near: {expected[max(0, reached - 20) : reached + 20]!r}"


def test_whole_corpus_loads_without_errors() -> None:
    issues, errors = load_all([FILES[0].parent])
    assert errors == []
    assert len(issues) == len(FILES)
    ids = [article.id for issue in issues for article in issue.articles]
    assert len(ids) == len(set(ids))
