"""Raw blocks → Issue → Section → Article, with the newspaper conventions applied."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bulletin_tui.block_pages import PAGE_BLOCKS, PageWriter
from bulletin_tui.model import Article, Block, Issue, Section, content_title
from bulletin_tui.parse import conventions
from bulletin_tui.parse.large_documents import keep
from bulletin_tui.parse.markdown import RawBlock

_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_DATE_IN_TITLE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-_./年]\s*(\d{1,2})\s*[-_./月]\s*(\d{1,2})"
)


def find_date(text: str, pattern: re.Pattern[str] = _DATE_IN_NAME) -> date | None:
    for found in pattern.finditer(text):
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            continue
    return None


def article_level(blocks: Sequence[RawBlock]) -> int | None:
    """The heading level that holds the articles.

    It is the shallowest level where most headings (over half) are followed by content of their own; shallower
    headings (followed straight by another heading) are sections, deeper ones are sub-headings.
    """
    with_content: dict[int, int] = {}
    total: dict[int, int] = {}
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        total[block.level] = total.get(block.level, 0) + 1
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.kind != "heading":
            with_content[block.level] = with_content.get(block.level, 0) + 1
    for level in sorted(total):
        if with_content.get(level, 0) * 2 > total[level]:
            return level
    return max(total) if total else None


@dataclass
class _Draft:
    title: str
    section: str | None
    start: int  # its blocks are the issue's blocks[start:end]
    end: int
    blocks: Sequence[RawBlock] = ()


@dataclass
class _Group:
    title: str | None
    drafts: list[_Draft] = field(default_factory=list)


def _front_lines(blocks: Sequence[RawBlock]) -> tuple[str, ...]:
    lines: list[str] = []
    for block in blocks:
        lines.extend(line.strip() for line in block.text.splitlines() if line.strip())
    return tuple(lines)


def _repeats_headings(block: RawBlock, headings: set[str]) -> bool:
    """A table of contents: anchor links whose every line is some heading's text."""
    if not block.anchors_only:
        return False
    lines = [_squeeze(line) for line in block.text.splitlines() if line.strip()]
    return bool(lines) and all(line in headings for line in lines)


def _squeeze(text: str) -> str:
    """Text without white space: a table of contents may wrap or space a heading differently."""
    return "".join(text.split())


def _to_block(raw: RawBlock, kind: str | None = None, text: str | None = None) -> Block:
    return Block(
        kind=kind or ("paragraph" if raw.kind in ("html",) else raw.kind),  # type: ignore[arg-type]
        text=raw.text if text is None else text,
        level=raw.level,
        rows=tuple(tuple(row) for row in raw.rows),
        items=tuple(raw.items),
        ordered=raw.ordered,
        links=tuple(raw.links),
    )


def _before_byline(following: Sequence[RawBlock]) -> bool:
    """Whether more short lines, then a byline or photo credit, follow: so these lines are subtitles.

    Without that anchor a short first line is as likely a label or a note as a subtitle.
    """
    for raw in following:
        if raw.kind != "paragraph":
            return False
        if conventions.match_byline(raw.text) or conventions.match_photo_credit(raw.text):
            return True
        if not conventions.looks_like_subtitle(raw.text):
            return False
    return False


@dataclass
class _ArticleParts:
    """What an article's raw blocks become, gathered in reading order."""

    blocks: list[Block] = field(default_factory=list)  # the last few: every full page before
    pages: PageWriter = field(default_factory=PageWriter)  # them is packed here
    subtitles: list[str] = field(default_factory=list)
    photo_credits: list[str] = field(default_factory=list)
    byline: conventions.Byline | None = None
    leading: bool = True  # still between the heading and the first body paragraph

    def add(self, raws: Sequence[RawBlock], position: int, top_level: int) -> None:
        raw = raws[position]
        if len(self.blocks) >= 2 * PAGE_BLOCKS:  # keeps the last block, which a paragraph may join
            self.pages.add_page(self.blocks[:PAGE_BLOCKS])
            del self.blocks[:PAGE_BLOCKS]
        if raw.kind == "heading":
            depth = max(1, raw.level - top_level)
            self.blocks.append(Block("heading", raw.text, level=depth, links=tuple(raw.links)))
            self.leading = False
        elif raw.kind not in ("paragraph", "html"):
            self.blocks.append(_to_block(raw))
            self.leading = False
        else:
            self.add_text(raws, position)

    def add_text(self, raws: Sequence[RawBlock], position: int) -> None:
        """A paragraph: a photo credit, a byline (and what follows it), a subtitle, or body text."""
        raw = raws[position]
        text = raw.text
        credit = conventions.match_photo_credit(text)
        if credit:
            self.photo_credits.extend(credit)
            self.blocks.append(_to_block(raw, "caption"))
            return
        if self.byline is None and self.leading:
            self.byline = conventions.match_byline(text)
            if self.byline is not None:
                text = self.byline.rest.strip()
                if not text:
                    return
        if (
            self.leading
            and not self.blocks  # subtitles sit right under the heading, above any photo credit
            and self.byline is None
            and conventions.looks_like_subtitle(text)
            and _before_byline(raws[position + 1 :])
        ):
            self.subtitles.append(text)
            return
        self.add_paragraph(raw, text)
        self.leading = False

    def add_paragraph(self, raw: RawBlock, text: str) -> None:
        """Body text, joined to the paragraph before when a line break split it mid-sentence."""
        previous = self.blocks[-1] if self.blocks else None
        if (
            raw.joinable
            and previous is not None
            and previous.kind == "paragraph"
            and conventions.continues(previous.text, text)
        ):
            links = previous.links + tuple(raw.links)
            self.blocks[-1] = Block("paragraph", previous.text + text, links=links)
        else:
            self.blocks.append(Block("paragraph", text, links=tuple(raw.links)))


def _build_article(draft: _Draft, article_id: str, top_level: int) -> Article:
    parts = _ArticleParts()
    for position in range(len(draft.blocks)):
        parts.add(draft.blocks, position, top_level)
    byline = parts.byline
    credits = byline.credits if byline else conventions.Credits()
    return Article(
        id=article_id,
        title=draft.title,
        subtitles=tuple(parts.subtitles),
        dateline=byline.dateline if byline else None,
        byline=byline.text if byline else None,
        reporters=credits.reporters,
        correspondents=credits.correspondents,
        photo_credits=tuple(dict.fromkeys(parts.photo_credits)),
        blocks=parts.pages.finish(parts.blocks),
        section=draft.section,
    )


def _split_title(blocks: Sequence[RawBlock]) -> tuple[str | None, Sequence[RawBlock]]:
    """The issue's title (a level-1 heading first of all) and the blocks after it, without any
    table of contents that repeats the headings."""
    title: str | None = None
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = blocks[0].text
        blocks = blocks[1:]
    headings = {_squeeze(block.text) for block in blocks if block.kind == "heading"}
    if title:
        headings.add(_squeeze(title))
    if any(_repeats_headings(block, headings) for block in blocks):
        blocks = keep(blocks, lambda block: not _repeats_headings(block, headings))
    return title, blocks


def _grouped(
    blocks: Sequence[RawBlock], level: int | None, untitled: str
) -> tuple[list[RawBlock], list[_Group]]:
    """The front matter (before any heading), and the sections in reading order, each with its
    article drafts. `untitled` titles text before a section's first article when the section's
    heading is empty."""
    front: list[RawBlock] = []
    groups: list[_Group] = []
    stack: dict[int, str] = {}  # level → the open section heading at that level
    for index, block in enumerate(blocks):
        if block.kind == "heading" and level is not None and block.level < level:
            stack = {lv: text for lv, text in stack.items() if lv < block.level}
            stack[block.level] = block.text
            name = " · ".join(stack[lv] for lv in sorted(stack))
            if groups and not groups[-1].drafts and name.startswith(f"{groups[-1].title} · "):
                groups.pop()  # an empty parent section: its title lives on in the child's
            groups.append(_Group(name))
            continue
        if block.kind == "heading" and block.level == level:
            if not groups:
                groups.append(_Group(None))
            groups[-1].drafts.append(_Draft(block.text, groups[-1].title, index + 1, index + 1))
        elif groups and groups[-1].drafts:
            groups[-1].drafts[-1].end = index + 1  # a draft's blocks follow one another
        elif groups:
            # Text under a section heading before its first article reads as an article named
            # after the section, so nothing is lost.
            group = groups[-1]
            group.drafts.append(_Draft(group.title or untitled, group.title, index, index + 1))
        else:
            front.append(block)
    for (
        group
    ) in groups:  # a slice of compact blocks is as compact (parse.large_documents.RawBlocks)
        for draft in group.drafts:
            draft.blocks = blocks[draft.start : draft.end]
    return front, groups


def _sections(groups: list[_Group], issue_id: str, top_level: int) -> list[Section]:
    """The sections' articles built, numbered through the issue in reading order."""
    sections: list[Section] = []
    number = 0
    for group in groups:
        articles = []
        for draft in group.drafts:
            number += 1
            articles.append(_build_article(draft, f"{issue_id}.{number}", top_level))
        sections.append(Section(group.title, tuple(articles)))
    return sections


def build_issue(blocks: Sequence[RawBlock], *, path: str, issue_id: str, stem: str) -> Issue:
    title, blocks = _split_title(blocks)
    level = article_level(blocks)
    front, groups = _grouped(blocks, level, title or stem)
    sections = _sections(groups, issue_id, level or 0)
    day = find_date(stem) or (find_date(title, _DATE_IN_TITLE) if title else None)
    front_matter = _front_lines(front)
    if not title and day is None:
        # A file name such as 000_7b733c25521b607c says nothing: the issue's own words do.
        title = content_title(front_matter, sections)
    return Issue(
        id=issue_id,
        path=path,
        title=title or stem,
        date=day,
        front_matter=front_matter,
        sections=tuple(sections),
    )
