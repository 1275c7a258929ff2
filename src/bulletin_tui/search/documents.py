"""What the search index needs of a library's documents, and nothing more.

The store hands documents to search through this interface (store.cache.Cache implements it); search
never imports the store, and the store never imports search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol


class Document(NamedTuple):
    """One article as search indexes it. `meta`: subtitles, dateline, byline and photo credits;
    `authors`: everyone credited; each list joined by tabs."""

    number: int
    title: str
    body: str
    meta: str = ""
    authors: str = ""
    section: str = ""


class Documents(Protocol):
    """Articles by number: numbers are never reused, so a changed article is a new number."""

    def identity(self) -> str:
        """Names this numbering: a store made afresh numbers from 1 again under a new identity."""
        ...

    def live_docs(self) -> list[int]:
        """Every article's number, in ascending order."""
        ...

    def documents(self, docs: Sequence[int]) -> Iterable[Document]:
        """Each article in `docs` still there, in ascending order."""
        ...

    def bodies(self, docs: Sequence[int]) -> dict[int, str]:
        """Body text by number, for the articles in `docs` still there."""
        ...
