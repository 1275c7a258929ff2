"""Markdown (through markdown-it-py tokens) → a flat list of raw blocks in reading order.

Nothing here knows about newspapers: it only turns syntax into plain text, keeping links, table cells,
list items and where soft and hard line breaks were.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import blockquote, list_block
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.token import Token

from bulletin_tui.model import Link
from bulletin_tui.parse.sanitize import sanitize_text


@dataclass
class RawBlock:
    kind: str  # heading, paragraph, table, list, quote, html
    text: str
    level: int = 0  # heading level (1-6)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    links: list[Link] = field(default_factory=list)
    # False for the 2nd… line of a paragraph split at a hard break: the author broke it on purpose,
    # so page-break repair must not glue it back.
    joinable: bool = True
    # Made only of links to anchors in the same page (`<a href="#…">`): a table of contents.
    anchors_only: bool = False


# markdown-it stops nesting at a level (each list is two levels, each quote one) and then drops the
# rest of the document: one line `- - - - - - - - - - 要点` lost every article after it. Here no list
# or quote is opened past CONTAINER_LEVELS instead (lists past depth 10, quotes past depth 20), so the
# markers past it stay plain text of the enclosing block, and markdown-it's own limit is never met.
CONTAINER_LEVELS = 20
# Deepest content: a list opened just under the limit (+2), its paragraph (+1), the inline (+1).
MAX_NESTING = CONTAINER_LEVELS + 4


def _within_limit(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable[..., bool]:
    def limited(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        return state.level < CONTAINER_LEVELS and rule(state, start, end, silent)

    return limited


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]
    )
    for name, rule in (("list", list_block), ("blockquote", blockquote)):
        # Ruler.at resets the rules a rule may interrupt unless they are given again.
        alt = next(r.alt for r in parser.block.ruler.__rules__ if r.name == name)
        parser.block.ruler.at(name, _within_limit(rule), {"alt": alt})
    # Keep link targets as written (the reader shows and copies them) rather than percent-encoded;
    # it is also a tenth of the parse time on link-heavy issues.
    setattr(parser, "normalizeLink", str)  # noqa: B010 - a method replaced on the instance
    return parser


_TAG = re.compile(r"<[^>]*>")
_ANCHORS = re.compile(r'(?:\s*<a\s+href="#[^"]*"[^>]*>.*?</a>\s*)+', re.DOTALL)
_WS = re.compile(r"[ \t\u00a0]+")


def is_wide(char: str) -> bool:
    """CJK ideographs, kana, hangul, full-width forms and CJK punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F") or char in "“”‘’…—·"


def join_soft(left: str, right: str) -> str:
    """Join two hard-wrapped lines: no space between CJK characters, one between Latin words."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if is_wide(left[-1]) or is_wide(right[0]):
        return left + right
    return f"{left} {right}"


def html_to_text(html: str) -> str:
    """Raw HTML as plain text: tags dropped, entities left as written, white space folded."""
    text = _TAG.sub(" ", html)
    lines = [_WS.sub(" ", line).strip() for line in text.splitlines()]
    return sanitize_text("\n".join(line for line in lines if line))


class _Inline:
    """Collects one inline token's text as lines (split at hard breaks) and its links."""

    def __init__(self) -> None:
        self.lines: list[str] = [""]
        self.links: list[Link] = []
        self._link_start: tuple[int, str] | None = None

    def feed(self, children: list[Token]) -> None:
        pending_soft = False
        for child in children:
            if child.type == "softbreak":
                pending_soft = True
                continue
            if child.type == "hardbreak":
                self.lines.append("")
                pending_soft = False
                continue
            piece = self._piece(child)
            if piece is None:
                continue
            if pending_soft:
                self.lines[-1] = join_soft(self.lines[-1], piece)
                pending_soft = False
            else:
                self.lines[-1] += piece

    def _piece(self, child: Token) -> str | None:
        if child.type in ("text", "code_inline"):
            return child.content
        if child.type == "image":
            return child.content  # the alt text
        if child.type == "html_inline":
            return _TAG.sub("", child.content)
        if child.type == "link_open":
            self._link_start = (len(self.lines[-1]), str(child.attrs.get("href", "")))
        elif child.type == "link_close" and self._link_start is not None:
            start, url = self._link_start
            text = self.lines[-1][start:]
            self.links.append(Link(text=sanitize_text(text.strip()), url=sanitize_text(url)))
            self._link_start = None
        return None

    def texts(self) -> list[str]:
        return [sanitize_text(_WS.sub(" ", line).strip()) for line in self.lines]


def _inline(token: Token) -> _Inline:
    collected = _Inline()
    collected.feed(token.children or [])
    return collected


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one opened at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _table(tokens: list[Token]) -> RawBlock:
    rows: list[list[str]] = []
    links: list[Link] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            cell = _inline(token)
            rows[-1].append(" ".join(t for t in cell.texts() if t))
            links.extend(cell.links)
    text = "\n".join("\t".join(row) for row in rows)
    return RawBlock("table", text, rows=rows, links=links)


def _list(tokens: list[Token], ordered: bool) -> RawBlock:
    items: list[str] = []
    links: list[Link] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            items.append("")
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline" and items:
            line = _inline(token)
            text = "".join(t for t in line.texts())
            items[-1] = join_soft(items[-1], text) if items[-1] else text
            links.extend(line.links)
        elif token.type in ("html_block", "fence", "code_block") and items:
            items[-1] = join_soft(items[-1], html_to_text(token.content))
    items = [item for item in items if item]
    anchors = all(_ANCHORS.fullmatch(token.content) for token in tokens if token.type == "inline")
    return RawBlock(
        "list", "\n".join(items), items=items, ordered=ordered, links=links, anchors_only=anchors
    )


def _quote(tokens: list[Token]) -> RawBlock:
    lines: list[str] = []
    links: list[Link] = []
    for token in tokens:
        if token.type == "inline":
            inline = _inline(token)
            lines.extend(t for t in inline.texts() if t)
            links.extend(inline.links)
        elif token.type in ("fence", "code_block"):
            lines.append(sanitize_text(token.content.strip("\n")))
        elif token.type == "html_block":
            lines.append(html_to_text(token.content))
    return RawBlock("quote", "\n".join(line for line in lines if line.strip()), links=links)


# A long document is parsed a piece at a time, so markdown-it's tokens (about 1.5 KB for each short
# paragraph) never exist for the whole of it at once: 1.9 million one-line paragraphs took 3.5 GB.
CHUNK_CHARS = 256_000
# Markup whose block may run across blank lines, or that refers across the document (link reference
# definitions): a document holding any is parsed whole.
_UNSPLITTABLE = re.compile(
    r"^ {0,3}(?:<(?:pre|script|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)|\[[^\]]+\]:)",
    re.MULTILINE | re.IGNORECASE,
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that can only start a new block after a blank line: not indented (code, list content),
# not a list item, quote, table row, fence or HTML.
_PLAIN_START = re.compile(r"[^\s>|`~<*+\-0-9#=]")


def chunks(text: str, size: int) -> list[str]:
    """`text` cut before lines where a new top-level paragraph or heading starts after a blank
    line, outside fenced code, into pieces of about `size` characters (one piece when it is short
    or holds markup that a cut could change)."""
    if len(text) <= size or _UNSPLITTABLE.search(text):
        return [text]
    pieces: list[str] = []
    start = 0
    fence: str | None = None
    blank = False
    at = 0
    for line in text.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif blank and at - start >= size and (_PLAIN_START.match(line) or line.startswith("#")):
            pieces.append(text[start:at])
            start = at
        blank = fence is None and not line.strip()
        at += len(line)
    pieces.append(text[start:])
    return pieces


def raw_blocks(text: str) -> list[RawBlock]:
    """Parse markdown `text` into raw blocks; empty blocks are dropped."""
    blocks: list[RawBlock] = []
    for piece in chunks(text, CHUNK_CHARS):
        blocks += _raw_blocks(piece)
    return blocks


def _raw_blocks(text: str) -> list[RawBlock]:
    tokens = _parser().parse(text)
    blocks: list[RawBlock] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _closing(tokens, index) if token.nesting == 1 else index
        if token.type == "heading_open":
            inline = _inline(tokens[index + 1])
            title = " ".join(t for t in inline.texts() if t)
            blocks.append(RawBlock("heading", title, level=int(token.tag[1:]), links=inline.links))
        elif token.type == "paragraph_open":
            inline = _inline(tokens[index + 1])
            for number, line in enumerate(inline.texts()):
                if line:
                    links = [link for link in inline.links if link.text in line]
                    blocks.append(RawBlock("paragraph", line, links=links, joinable=number == 0))
        elif token.type == "table_open":
            blocks.append(_table(tokens[index : end + 1]))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            blocks.append(_list(tokens[index : end + 1], token.type == "ordered_list_open"))
        elif token.type == "blockquote_open":
            blocks.append(_quote(tokens[index : end + 1]))
        elif token.type in ("fence", "code_block"):
            blocks.append(RawBlock("quote", sanitize_text(token.content.strip("\n"))))
        elif token.type == "html_block":
            anchors = bool(_ANCHORS.fullmatch(token.content.strip()))
            blocks.append(RawBlock("html", html_to_text(token.content), anchors_only=anchors))
        index = end + 1
    return [block for block in blocks if block.text.strip() or block.kind == "table"]
