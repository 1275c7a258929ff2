"""Reading order, walked issue by issue: what `[` `]` and `U` step through."""

from __future__ import annotations

from itertools import islice

from bulletin_tui.model import Article, Issue, Section
from bulletin_tui.reading_order import reading_order_until, walk


def issue(issue_id: str, count: int) -> Issue:
    articles = tuple(Article(f"{issue_id}.{n}", f"title {n}") for n in range(1, count + 1))
    return Issue(issue_id, f"{issue_id}.md", issue_id, sections=(Section("s", articles),))


ISSUES = {i.id: i for i in (issue("c", 2), issue("b", 0), issue("a", 3))}
ORDER = ["c", "b", "a"]  # newest first


def test_forward_from_an_article_crosses_issues_and_skips_empty_ones() -> None:
    assert list(walk(ISSUES, ORDER, "c", "c.1", 1)) == ["c.2", "a.1", "a.2", "a.3"]


def test_backward_from_an_article() -> None:
    assert list(walk(ISSUES, ORDER, "a", "a.2", -1)) == ["a.1", "c.2", "c.1"]


def test_from_an_issue_without_an_article_open() -> None:
    assert next(walk(ISSUES, ORDER, "a", None, 1)) == "a.1"
    assert next(walk(ISSUES, ORDER, "a", None, -1)) == "a.3"
    assert next(walk(ISSUES, ORDER, None, None, 1)) == "c.1"
    assert list(walk({}, [], None, None, 1)) == []


def test_the_walk_reads_issues_only_as_far_as_it_goes() -> None:
    reads: list[str] = []

    class Counting(dict[str, Issue]):
        def __getitem__(self, key: str) -> Issue:
            reads.append(key)
            return super().__getitem__(key)

    issues = Counting(ISSUES)
    assert list(islice(walk(issues, ORDER, "c", "c.1", 1), 1)) == ["c.2"]
    assert reads == ["c"]


def test_reading_order_until_an_article() -> None:
    assert list(reading_order_until(ISSUES, ORDER, "a.2")) == ["c.1", "c.2", "a.1"]
