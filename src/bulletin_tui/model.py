"""The bulletin's own terms: Issue → Section → Article → Block. Pure data, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol, runtime_checkable

BlockKind = Literal["paragraph", "heading", "table", "list", "quote", "caption"]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink kept from the source: its visible text and its target."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of an article's body.

    `text` is always the plain text (for a table: its cells joined by tabs and rows by newlines;
    for a list: one item a line), so search and "nothing lost" checks never need to know the kind.
    """

    kind: BlockKind
    text: str
    level: int = 0  # heading depth inside the article (1 = first sub-heading level); list nesting
    rows: tuple[tuple[str, ...], ...] = ()  # tables only; the first row is the header
    items: tuple[str, ...] = ()  # lists only
    ordered: bool = False  # lists only
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # "<issue id>.<n>", n counting from 1 in reading order: stable while the file keeps
    # its name and no article is added or removed before this one
    title: str
    subtitles: tuple[str, ...] = ()
    dateline: str | None = None  # 本报讯, 本报北京6月10日电 …
    byline: str | None = None  # the whole byline as printed, e.g. "本报讯 (记者 丽娜 通讯员 陈瑶)"
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    photo_credits: tuple[str, ...] = ()
    # A tuple from the parser; from the cache a sequence that builds them a page at a time.
    blocks: Sequence[Block] = ()
    section: str | None = None  # the title of the section holding it, for convenience

    @property
    def body_text(self) -> str:
        """The body as plain text, blocks separated by blank lines."""
        if isinstance(self.blocks, StoredBlocks):  # held already: no block is built for it
            return self.blocks.body
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind == "paragraph")

    @property
    def authors(self) -> tuple[str, ...]:
        """Everyone credited: reporters, correspondents and photographers, each once."""
        return tuple(dict.fromkeys((*self.reporters, *self.correspondents, *self.photo_credits)))


@runtime_checkable
class StoredBlocks(Protocol):
    """Blocks read from the cache's pages: they know where each starts in the body text and which
    pages hold links, so these questions are answered without building every block."""

    @property
    def body(self) -> str: ...

    def index_at(self, offset: int) -> int: ...

    def start_of(self, index: int) -> int: ...

    def links(self) -> Iterator[Link]: ...


def block_start(blocks: Sequence[Block], index: int) -> int:
    """Where block `index` starts in the body text."""
    if isinstance(blocks, StoredBlocks):
        return blocks.start_of(index)
    return sum(len(blocks[number].text) + 2 for number in range(index))


def block_links(blocks: Sequence[Block]) -> Iterator[Link]:
    """Every link of the blocks, in order."""
    if isinstance(blocks, StoredBlocks):
        return blocks.links()
    return (link for block in blocks for link in block.links)


def block_at(blocks: Sequence[Block], offset: int) -> int:
    """The index of the block whose text (or the blank line after it) holds body offset `offset`."""
    if isinstance(blocks, StoredBlocks):
        return blocks.index_at(offset)
    at = 0
    for number, block in enumerate(blocks):
        at += len(block.text) + 2  # the blank line between blocks in body_text
        if at > offset:
            return number
    return max(0, len(blocks) - 1)


@dataclass(frozen=True, slots=True)
class Section:
    title: str | None
    articles: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    id: str  # derived from the file name; unique within a library
    path: str
    title: str
    date: date | None = None
    front_matter: tuple[str, ...] = ()  # masthead and other lines before the first article
    sections: tuple[Section, ...] = ()

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for section in self.sections for article in section.articles)


def article_count(issue: Issue) -> int:
    """How many articles `issue` has: from the list of their numbers where the issue keeps one (an
    issue from the cache), so that counting 100,000 articles builds none of them."""
    listed = getattr(issue, "doc_list", None)
    if isinstance(listed, str):
        return listed.count(",") + 1 if listed else 0
    return len(issue.articles)


def issue_id_of(article_id: str) -> str:
    """The id of the issue an article id names (`2024-09-27.3` → `2024-09-27`)."""
    return article_id.rpartition(".")[0]


MASTHEAD_LABEL_CHARS = 20


def content_title(front_matter: Sequence[str], sections: Sequence[Section]) -> str | None:
    """An issue's title from its own words, for one with no heading and no date in its file name:
    the masthead's label (its first line, when short: 开发区精神:), else the first article's title."""
    if front_matter:
        label = front_matter[0].strip().rstrip(":：").strip()
        if label and len(label) <= MASTHEAD_LABEL_CHARS:
            return label
    first = next((article for section in sections for article in section.articles), None)
    return first.title if first is not None else None


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be loaded, and why: shown to the user, never fatal to the library."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, with a snippet of about 60 cells around the best match."""

    article_id: str
    issue_id: str
    issue_path: str
    date: date | None
    section: str | None
    title: str
    score: float
    snippet: str
    spans: tuple[tuple[int, int], ...] = ()  # match offsets inside `snippet`
    text_spans: tuple[tuple[int, int], ...] = field(default=())  # offsets in Article.body_text
    title_spans: tuple[
        tuple[int, int], ...
    ] = ()  # what matched in `title` (pinyin, near misses too)
    # How it matched: "text" (as typed), "words" (cut apart), "title" (a near-miss title),
    # "pinyin", "partial" (most of the words: `missing` says which are not there).
    match: str = "text"
    matched: tuple[str, ...] = ()  # the query's words the article holds
    missing: tuple[str, ...] = ()  # the query's words it lacks (partial matches)
    publication: str | None = None  # the name of the bulletin the issue belongs to
