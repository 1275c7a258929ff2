"""Issues and articles that fill themselves in from the cache the first time they are asked.

Opening a warm cache must not read 50 MB of text nor build 10,000 articles: an issue's sections are
built when first read, an article's blocks fetched when first read. They are still an `Issue` and an
`Article` (same fields, equality with plain ones, hashing); only those two fields come late.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from bulletin_tui.block_pages import PagedBlocks
from bulletin_tui.model import Article, Block, Issue, Section

BlockLoader = Callable[[int], Sequence[Block]]

# The slot that `Article` keeps `blocks` in; the property below shadows it by name.
_BLOCKS_SLOT: Any = Article.__dict__["blocks"]
_FIELDS = tuple(field.name for field in fields(Article))
_FIELDS_BUT_BLOCKS = tuple(name for name in _FIELDS if name != "blocks")


class CachedArticle(Article):
    __slots__ = ("_doc", "_loader")

    _doc: int
    _loader: BlockLoader

    @property
    def blocks(self) -> Sequence[Block]:
        try:
            blocks: Sequence[Block] = _BLOCKS_SLOT.__get__(self, Article)
        except AttributeError:
            blocks = self._loader(self._doc)
            _BLOCKS_SLOT.__set__(self, blocks)
        return blocks

    @blocks.setter
    def blocks(self, value: Sequence[Block]) -> None:
        # Used by the dataclass __init__ (and so by dataclasses.replace): the blocks are known.
        _BLOCKS_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        # Equal to a plain Article with the same fields (dataclass equality demands the same class).
        if not isinstance(other, Article):
            return NotImplemented
        names = _FIELDS
        if isinstance(other, CachedArticle) and (other._doc, other._loader) == (
            self._doc,
            self._loader,
        ):
            # One row of one cache: a changed article is stored under a new number, so its
            # blocks (maybe millions) need not be read to know they are the same.
            names = _FIELDS_BUT_BLOCKS
        return all(getattr(self, name) == getattr(other, name) for name in names)

    __hash__ = Article.__hash__

    @property
    def body_text(self) -> str:
        blocks = self.blocks
        if isinstance(blocks, PagedBlocks):  # the stored body: no block is built for it
            return blocks.body
        return "\n\n".join(block.text for block in blocks)

    @property
    def doc(self) -> int:
        """The article's number in the cache."""
        return self._doc

    @property
    def blocks_loaded(self) -> bool:
        try:
            _BLOCKS_SLOT.__get__(self, Article)
        except AttributeError:
            return False
        return True


def article_maker(loader: BlockLoader) -> Callable[..., CachedArticle]:
    """A fast constructor: make(doc, id, title, subtitles, dateline, byline, reporters,
    correspondents, photo_credits, section) → a CachedArticle whose blocks `loader(doc)` supplies.

    Opening a library makes ~10,000 of these; setting the slots directly is several times faster
    than going through __setattr__ for each field.
    """
    setters = [
        Article.__dict__[name].__set__
        for name in (
            "id",
            "title",
            "subtitles",
            "dateline",
            "byline",
            "reporters",
            "correspondents",
            "photo_credits",
            "section",
        )
    ]
    set_doc = CachedArticle.__dict__["_doc"].__set__
    set_loader = CachedArticle.__dict__["_loader"].__set__
    new = object.__new__
    pairs = list(enumerate(setters, start=1))

    def make(doc: int, *values: Any) -> CachedArticle:
        article: CachedArticle = new(CachedArticle)
        for index, setter in pairs:
            setter(article, values[index - 1])
        set_doc(article, doc)
        set_loader(article, loader)
        return article

    return make


SectionLoader = Callable[[], tuple[Section, ...]]
_SECTIONS_SLOT: Any = Issue.__dict__["sections"]
_ISSUE_FIELDS = tuple(field.name for field in fields(Issue))


class CachedIssue(Issue):
    """An Issue whose sections (and so articles) are built from the cache on first use."""

    __slots__ = ("_docs", "_sections_loader")

    _sections_loader: SectionLoader
    _docs: str  # its articles' numbers in reading order, comma-separated

    @property
    def sections_loaded(self) -> bool:
        try:
            _SECTIONS_SLOT.__get__(self, Issue)
        except AttributeError:
            return False
        return True

    @property
    def doc_list(self) -> str:
        """Its articles' numbers in reading order, comma-separated: known without building the
        articles (search.catalog reads it)."""
        return self._docs

    @property
    def sections(self) -> tuple[Section, ...]:
        try:
            sections: tuple[Section, ...] = _SECTIONS_SLOT.__get__(self, Issue)
        except AttributeError:
            sections = self._sections_loader()
            _SECTIONS_SLOT.__set__(self, sections)
        return sections

    @sections.setter
    def sections(self, value: tuple[Section, ...]) -> None:
        _SECTIONS_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Issue):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _ISSUE_FIELDS)

    __hash__ = Issue.__hash__


def lazy_issue(loader: SectionLoader, docs: str, **values: Any) -> CachedIssue:
    """A CachedIssue with every field but `sections`, which `loader()` supplies when read; `docs`:
    its articles' numbers, comma-separated."""
    issue: CachedIssue = object.__new__(CachedIssue)
    for name, value in values.items():
        _ISSUE_SETTERS[name](issue, value)
    _LOADER_SETTER(issue, loader)
    _DOCS_SETTER(issue, docs)
    return issue


_ISSUE_SETTERS = {name: Issue.__dict__[name].__set__ for name in _ISSUE_FIELDS}
_LOADER_SETTER = CachedIssue.__dict__["_sections_loader"].__set__
_DOCS_SETTER = CachedIssue.__dict__["_docs"].__set__
