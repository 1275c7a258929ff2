"""An article's blocks stored in pages of PAGE_BLOCKS, and read back a page at a time.

An article of two million paragraphs must open as fast as one of twenty: its blocks are never
all built at once. The body text is stored once (in `texts`, for search too); each page row holds
its blocks' shapes (kind, length, the other fields), and `PagedBlocks` builds a page's `Block`s
from them when one of its blocks is first asked for, keeping the last few pages.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from bulletin_tui.model import Block, Link

PAGE_BLOCKS = 1024
KEPT_PAGES = 16  # pages of built blocks a sequence keeps: its memory is bounded whatever its size
SEPARATOR = 2  # the blank line between blocks in Article.body_text

PageLoader = Callable[[int], str]  # page number → its shapes as stored


def pack_pages(blocks: Sequence[Block]) -> tuple[str, list[str]]:
    """The body offset where each page starts (comma-separated) and each page's shapes (JSON)."""
    if isinstance(blocks, PackedBlocks):  # packed as they were parsed
        return blocks.packed
    starts: list[int] = []
    pages: list[str] = []
    at = 0
    for first in range(0, len(blocks), PAGE_BLOCKS):
        starts.append(at)
        page = blocks[first : first + PAGE_BLOCKS]
        pages.append(json.dumps([_shape(block) for block in page], ensure_ascii=False))
        at += sum(len(block.text) + SEPARATOR for block in page)
    return ",".join(map(str, starts)), pages


def _shape(block: Block) -> list[Any]:
    """A block without its text (which lives once, in the body): kind, length, the rest."""
    extra: dict[str, Any] = {}
    if block.level:
        extra["level"] = block.level
    if block.rows:
        extra["rows"] = block.rows
    if block.items:
        extra["items"] = block.items
    if block.ordered:
        extra["ordered"] = True
    if block.links:
        extra["links"] = [(link.text, link.url) for link in block.links]
    return [block.kind, len(block.text), extra] if extra else [block.kind, len(block.text)]


def unpack_page(body: str, at: int, shapes: str) -> tuple[Block, ...]:
    """The blocks of one page whose first block starts at body offset `at`."""
    blocks: list[Block] = []
    for shape in json.loads(shapes):
        kind, length = shape[0], shape[1]
        if len(shape) == 2:  # most blocks of any article: a paragraph and nothing more
            blocks.append(Block(kind, body[at : at + length]))
        else:
            extra = shape[2]
            blocks.append(
                Block(
                    kind=kind,
                    text=body[at : at + length],
                    level=extra.get("level", 0),
                    rows=tuple(tuple(row) for row in extra.get("rows", ())),
                    items=tuple(extra.get("items", ())),
                    ordered=extra.get("ordered", False),
                    links=tuple(Link(text, url) for text, url in extra.get("links", ())),
                )
            )
        at += length + SEPARATOR
    return tuple(blocks)


class PagedBlocks(Sequence[Block]):
    """An article's blocks, built a page at a time on first use; equal to the tuple of them."""

    __slots__ = ("_body", "_count", "_load", "_lock", "_pages", "_starts")

    def __init__(self, body: str, count: int, starts: str, load: PageLoader) -> None:
        self._body = body
        self._count = count
        self._starts = [int(start) for start in starts.split(",")] if starts else []
        self._load = load
        self._pages: OrderedDict[int, tuple[Block, ...]] = OrderedDict()
        self._lock = threading.Lock()  # the reader's loop and search workers read one article

    @property
    def body(self) -> str:
        """The blocks' text joined by blank lines: `Article.body_text`, without building them."""
        return self._body

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Block: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Block, ...]: ...
    def __getitem__(self, index: int | slice) -> Block | tuple[Block, ...]:
        if isinstance(index, slice):
            return tuple(self[number] for number in range(*index.indices(self._count)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("block index out of range")
        return self._page(index // PAGE_BLOCKS)[index % PAGE_BLOCKS]

    def __iter__(self) -> Iterator[Block]:
        for page in range(len(self._starts)):
            yield from self._page(page)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PagedBlocks):  # by what is stored: no block is built
            return (self._count, self._starts, self._body) == (
                other._count,
                other._starts,
                other._body,
            ) and all(self._load(page) == other._load(page) for page in range(len(self._starts)))
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._count and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the tuple it equals

    def __repr__(self) -> str:
        return f"PagedBlocks({self._count} blocks in {len(self._starts)} pages)"

    def index_at(self, offset: int) -> int:
        """The block whose text (or the blank line after it) holds body offset `offset`."""
        if not self._count:
            return 0
        page = max(0, bisect.bisect_right(self._starts, offset) - 1)
        at = self._starts[page]
        blocks = self._page(page)
        for number, block in enumerate(blocks):
            at += len(block.text) + SEPARATOR
            if at > offset:
                return page * PAGE_BLOCKS + number
        return page * PAGE_BLOCKS + len(blocks) - 1

    def start_of(self, index: int) -> int:
        """Where block `index` starts in the body text."""
        page, within = divmod(index, PAGE_BLOCKS)
        if page >= len(self._starts):
            return len(self._body) + SEPARATOR
        blocks = self._page(page)[:within]
        return self._starts[page] + sum(len(block.text) + SEPARATOR for block in blocks)

    def links(self) -> Iterator[Link]:
        """Every link, in order: only the pages whose shapes hold links are built."""
        for page in range(len(self._starts)):
            with self._lock:
                blocks = self._pages.get(page)
            if blocks is None and '"links"' not in self._load(page):
                continue
            for block in blocks if blocks is not None else self._page(page):
                yield from block.links

    def _page(self, page: int) -> tuple[Block, ...]:
        with self._lock:
            blocks = self._pages.get(page)
            if blocks is not None:
                self._pages.move_to_end(page)
                return blocks
        blocks = unpack_page(self._body, self._starts[page], self._load(page))
        wanted = min(PAGE_BLOCKS, self._count - page * PAGE_BLOCKS)
        if len(blocks) < wanted:  # the article left the cache since it was opened
            blocks += (Block("paragraph", ""),) * (wanted - len(blocks))
        with self._lock:
            self._pages[page] = blocks
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        return blocks


class PackedBlocks(PagedBlocks):
    """Blocks kept in the packed form as they are made (a parse of a huge article), not as objects;
    pickled as that form, so a worker process hands them over cheaply."""

    __slots__ = ("_shapes", "packed")

    def __init__(self, body: str, count: int, starts: str, shapes: list[str]) -> None:
        super().__init__(body, count, starts, shapes.__getitem__)
        self._shapes = shapes
        self.packed = (starts, shapes)

    def __reduce__(self) -> tuple[type[PackedBlocks], tuple[str, int, str, list[str]]]:
        return PackedBlocks, (self._body, self._count, self.packed[0], self._shapes)


class PageWriter:
    """Takes blocks in order and packs every PAGE_BLOCKS of them at once: memory for an article of
    millions of blocks is its text and shapes, not millions of objects."""

    def __init__(self) -> None:
        self._bodies: list[str] = []  # each full page's text, its blocks joined by blank lines
        self._shapes: list[str] = []
        self._starts: list[int] = []
        self._at = 0

    @property
    def pages(self) -> int:
        return len(self._shapes)

    def add_page(self, blocks: Sequence[Block]) -> None:
        """Pack one full page of blocks."""
        assert len(blocks) == PAGE_BLOCKS
        body = "\n\n".join(block.text for block in blocks)
        self._starts.append(self._at)
        self._at += len(body) + SEPARATOR
        self._bodies.append(body)
        self._shapes.append(json.dumps([_shape(block) for block in blocks], ensure_ascii=False))

    def finish(self, rest: Sequence[Block]) -> Sequence[Block]:
        """All the blocks: the pages packed so far and `rest` (fewer than a page or a few more);
        a plain tuple when no page was packed."""
        if not self._shapes:
            return tuple(rest)
        for first in range(0, len(rest) - len(rest) % PAGE_BLOCKS, PAGE_BLOCKS):
            self.add_page(rest[first : first + PAGE_BLOCKS])
        tail = rest[len(rest) - len(rest) % PAGE_BLOCKS :]
        if tail:
            self._starts.append(self._at)
            self._bodies.append("\n\n".join(block.text for block in tail))
            self._shapes.append(json.dumps([_shape(block) for block in tail], ensure_ascii=False))
        count = (len(self._shapes) - 1) * PAGE_BLOCKS + (len(tail) or PAGE_BLOCKS)
        body = "\n\n".join(self._bodies)
        starts = ",".join(map(str, self._starts))
        return PackedBlocks(body, count, starts, self._shapes)
