"""Every message the reader's widgets send up to the screen: what happened, not what to do."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from bulletin_tui.model import Hit


@dataclass
class ArticleHighlighted(Message):
    """The section list's cursor is on an article: preview it."""

    article_id: str


@dataclass
class ArticleChosen(Message):
    """The user pressed Enter on an article: open it for reading."""

    article_id: str


@dataclass
class IssueHighlighted(Message):
    """The section list's cursor is on an issue or a section heading."""

    issue_id: str


@dataclass
class IssueChosen(Message):
    """The user pressed Enter on an issue: open its first unread article."""

    issue_id: str


@dataclass
class HitChosen(Message):
    """A search hit was chosen; `query` is what was typed, for highlighting every match."""

    hit: Hit
    query: str


@dataclass
class SearchFinished(Message):
    """Results for `query` were shown (stale ones are dropped before this is sent)."""

    query: str
    count: int


@dataclass
class ReaderMoved(Message):
    """The reader scrolled or changed article: for the status line and the saved position."""

    article_id: str | None
    offset: int  # offset into Article.body_text of the first line shown
    percent: int


@dataclass
class ReaderAtEnd(Message):
    """Space at the end of the article: the reader would page on into the next unread."""

    article_id: str


@dataclass
class MatchMoved(Message):
    """The current search match in the reader changed (index counts from 0; -1: none)."""

    index: int
    count: int


@dataclass
class IndexProgress(Message):
    """Sent from the indexing thread: `done` of `total` files."""

    done: int
    total: int
    path: str


@dataclass
class IndexFinished(Message):
    """The library was refreshed from disk; `error` is set when refreshing failed; `parsed`:
    files read because they were new or changed."""

    error: str | None = None
    parsed: int = 0
