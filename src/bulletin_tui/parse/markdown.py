"""Markdown (through pyromark's CommonMark events) → a flat list of raw blocks in reading order.

Nothing here knows about newspapers: it only turns syntax into plain text, keeping links, table cells,
list items and where soft and hard line breaks were.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyromark

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


# CommonMark with tables. Not pulldown-cmark's strikethrough: it also pairs single tildes, and Chinese
# notices write ranges with them (周二~周四 … 周五~周一 would lose both marks and the text between
# would be struck). `~~…~~` is unwrapped by _STRUCK instead, as markdown-it did.
OPTIONS = pyromark.Options.ENABLE_TABLES
_STRUCK = re.compile(r"(?<!~)~~(?=[^\s~])(.+?)(?<=[^\s~])~~(?!~)")
# pulldown-cmark also takes trailing white space holding a tab for a hard break; CommonMark (and
# markdown-it) want two spaces right before the line end. Such an end is rewritten to what it means,
# except after a backslash: removing the white space there would make `\` + line end a hard break
# and the backslash, which CommonMark shows as text, would be lost.
_TAB_END = re.compile(r"(?<!\\)[ \t]*\t[ \t]*$", re.MULTILINE)


def _tab_end(match: re.Match[str]) -> str:
    return "  " if match.group().endswith("  ") else ""


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


# One pyromark event: a bare name ("SoftBreak") or a one-key dict ({"Text": "…"}, {"Start": tag}).
Event = Any
# Tags of inline markup: inside them the text runs on. Every other tag starts or ends a block.
_INLINE_TAGS = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}
)
# Link targets a reader must never be handed (CommonMark's reference parsers refuse them too); a link
# to one keeps its text and loses its target.
_UNSAFE_URL = re.compile(r"(?:vbscript|javascript|file|data):", re.IGNORECASE)
_SAFE_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);", re.IGNORECASE)
# Stands for inline markup in the source a list item is rebuilt into to spot tables of contents.
_MARK = "\ufffd"


def _name(tag: Any) -> str:
    return tag if isinstance(tag, str) else next(iter(tag))


def _url(link: dict[str, str]) -> str | None:
    url = link["dest_url"]
    if link["link_type"] == "Email":
        return f"mailto:{url}"
    if _UNSAFE_URL.match(url.lstrip()) and not _SAFE_DATA.match(url.lstrip()):
        return None
    return url


class _Inline:
    """Collects one run of inline events' text as lines (split at hard breaks) and its links."""

    def __init__(self, keep_source: bool = False) -> None:
        self.lines: list[str] = [""]
        self.links: list[Link] = []
        self._link_start: tuple[int, str | None] | None = None
        self._pending_soft = False
        # The run rebuilt closely enough to tell whether it is only `<a href="#…">` anchors.
        self.source: list[str] | None = [] if keep_source else None

    def feed(self, event: Event) -> None:
        if isinstance(event, str):
            if event == "SoftBreak":
                self._pending_soft = True
            elif event == "HardBreak":
                self.lines.append("")
                self._pending_soft = False
            if self.source is not None:
                self.source.append("\n")
            return
        ((key, value),) = event.items()
        piece = self._piece(key, value)
        if piece is None:
            return
        if self._pending_soft:
            self.lines[-1] = join_soft(self.lines[-1], piece)
            self._pending_soft = False
        else:
            self.lines[-1] += piece

    def _piece(self, key: str, value: Any) -> str | None:
        source = self.source
        if key == "Text":
            if source is not None:
                source.append(value.replace("<", _MARK))
            text: str = value
            return _STRUCK.sub(r"\1", text) if "~~" in text else text
        if key == "InlineHtml":
            if source is not None:
                source.append(value)
            return _TAG.sub("", value)
        if source is not None:
            source.append(_MARK)
        if key == "Code":
            code: str = value
            return code
        if key == "Start" and isinstance(value, dict) and "Link" in value:
            self._link_start = (len(self.lines[-1]), _url(value["Link"]))
        elif key == "End" and value == "Link" and self._link_start is not None:
            start, url = self._link_start
            if url is not None:
                text = self.lines[-1][start:]
                self.links.append(Link(text=sanitize_text(text.strip()), url=sanitize_text(url)))
            self._link_start = None
        return None

    def texts(self) -> list[str]:
        return [sanitize_text(_WS.sub(" ", line).strip()) for line in self.lines]

    def anchors_only(self) -> bool:
        return bool(_ANCHORS.fullmatch("".join(self.source or ())))


def _inline(events: Iterator[Event], keep_source: bool = False) -> _Inline:
    """The inline events up to the end of the block just opened."""
    collected = _Inline(keep_source)
    depth = 1
    for event in events:
        if isinstance(event, dict):
            if "Start" in event:
                depth += 1
            elif "End" in event:
                depth -= 1
                if depth == 0:
                    break
        collected.feed(event)
    return collected


def _literal(events: Iterator[Event]) -> str:
    """The text of a code or HTML block just opened, up to its end."""
    parts: list[str] = []
    for event in events:
        if isinstance(event, dict):
            if "End" in event:
                break
            parts.extend(event.values())
    return "".join(parts)


def _is_inline(event: Event) -> bool:
    if isinstance(event, str):
        return event != "Rule"
    if "Start" in event:
        return _name(event["Start"]) in _INLINE_TAGS
    if "End" in event:
        return _name(event["End"]) in _INLINE_TAGS
    return True


def _contents(events: Iterator[Event], keep_source: bool = False) -> Iterator[tuple[str, Any]]:
    """What a list or quote just opened holds, in order, up to its end: ("item", None) where an
    item starts (at any depth), ("inline", _Inline) for each run of text, ("code", text) and
    ("html", text) for literal blocks."""
    depth = 1
    run: _Inline | None = None
    for event in events:
        if _is_inline(event):
            if run is None:
                run = _Inline(keep_source)
            run.feed(event)
            continue
        if run is not None:
            yield "inline", run
            run = None
        if not isinstance(event, dict):
            continue
        if "Start" in event:
            name = _name(event["Start"])
            if name == "CodeBlock":
                yield "code", _literal(events)
            elif name == "HtmlBlock":
                yield "html", _literal(events)
            else:
                depth += 1
                if name == "Item":
                    yield "item", None
        elif "End" in event:
            depth -= 1
            if depth == 0:
                return


def _table(events: Iterator[Event]) -> RawBlock:
    rows: list[list[str]] = []
    links: list[Link] = []
    depth = 1
    for event in events:
        if not isinstance(event, dict):
            continue
        if "Start" in event:
            name = _name(event["Start"])
            if name == "TableCell" and rows:
                cell = _inline(events)
                rows[-1].append(" ".join(t for t in cell.texts() if t))
                links.extend(cell.links)
                continue
            if name in ("TableHead", "TableRow"):
                rows.append([])
            depth += 1
        elif "End" in event:
            depth -= 1
            if depth == 0:
                break
    text = "\n".join("\t".join(row) for row in rows)
    return RawBlock("table", text, rows=rows, links=links)


def _list(events: Iterator[Event], ordered: bool) -> RawBlock:
    items: list[str] = []
    links: list[Link] = []
    anchors = True
    for kind, value in _contents(events, keep_source=True):
        if kind == "item":
            items.append("")
        elif kind == "inline":
            anchors = anchors and value.anchors_only()
            if items:
                text = "".join(value.texts())
                items[-1] = join_soft(items[-1], text) if items[-1] else text
                links.extend(value.links)
        elif items:
            items[-1] = join_soft(items[-1], html_to_text(value))
    items = [item for item in items if item]
    return RawBlock(
        "list", "\n".join(items), items=items, ordered=ordered, links=links, anchors_only=anchors
    )


def _quote(events: Iterator[Event]) -> RawBlock:
    lines: list[str] = []
    links: list[Link] = []
    for kind, value in _contents(events):
        if kind == "inline":
            lines.extend(t for t in value.texts() if t)
            links.extend(value.links)
        elif kind == "code":
            lines.append(sanitize_text(value.strip("\n")))
        elif kind == "html":
            lines.append(html_to_text(value))
    return RawBlock("quote", "\n".join(line for line in lines if line.strip()), links=links)


def parse_blocks(text: str) -> list[RawBlock]:
    """Parse markdown `text` (one piece of a document) into raw blocks; empty blocks are dropped."""
    blocks: list[RawBlock] = []
    if "\t" in text:
        text = _TAB_END.sub(_tab_end, text)
    events: Iterator[Event] = iter(pyromark.events(text, options=OPTIONS))
    for event in events:
        if not isinstance(event, dict) or "Start" not in event:
            continue  # a thematic break
        tag = event["Start"]
        name = _name(tag)
        if name == "Paragraph":
            inline = _inline(events)
            for number, line in enumerate(inline.texts()):
                if line:
                    links = [link for link in inline.links if link.text in line]
                    blocks.append(RawBlock("paragraph", line, links=links, joinable=number == 0))
        elif name == "Heading":
            inline = _inline(events)
            title = " ".join(t for t in inline.texts() if t)
            level = int(tag["Heading"]["level"][1:])
            blocks.append(RawBlock("heading", title, level=level, links=inline.links))
        elif name == "Table":
            blocks.append(_table(events))
        elif name == "List":
            blocks.append(_list(events, ordered=tag["List"] is not None))
        elif name == "BlockQuote":
            blocks.append(_quote(events))
        elif name == "CodeBlock":
            blocks.append(RawBlock("quote", sanitize_text(_literal(events).strip("\n"))))
        elif name == "HtmlBlock":
            html = _literal(events)
            anchors = bool(_ANCHORS.fullmatch(html.strip()))
            blocks.append(RawBlock("html", html_to_text(html), anchors_only=anchors))
        else:
            _inline(events)  # a kind of block not read: walked to its end, its text unused
    return [block for block in blocks if block.text.strip() or block.kind == "table"]
