"""The article reader: laid-out lines drawn through Textual's line API, centred on the measure.

Search matches are highlighted by offset (each line knows which slice of which block it shows), so
a match that wraps onto the next line is highlighted on both. The lines themselves (what is shown,
laid out a screenful first and the rest in slices) come from `article_layout.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip

from bulletin_tui.model import Link
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import (
    TABLE_HEADER,
    TABLE_RULE,
    LaidLine,
    LayoutOptions,
    Marks,
    find_marks,
    term_spans,
)
from bulletin_tui.ui.article_layout import ArticleLayout
from bulletin_tui.ui.browser import supports_hyperlinks
from bulletin_tui.ui.keys import READER_BINDINGS

ROLES = (
    "title",
    "subtitle",
    "meta",
    "body",
    "heading",
    "table",
    "table-header",
    "rule",
    "list",
    "quote",
    "caption",
    "blank",
    "note",
    "keywords",
)


class Reader(ArticleLayout, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"reader--{role}" for role in ROLES),
        "reader--match",
        "reader--match-current",
        "reader--link",
    }

    DEFAULT_CSS = """
    Reader {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        border-left: vkey $panel;
        &:focus {
            border-left: vkey $accent;
        }
        & > .reader--title {
            text-style: bold;
            color: $text;
        }
        & > .reader--subtitle {
            text-style: bold;
            color: $text-muted;
        }
        & > .reader--meta, & > .reader--caption, & > .reader--rule, & > .reader--note,
        & > .reader--keywords, & > .reader--quote {
            color: $text-muted;
        }
        & > .reader--heading {
            text-style: bold;
            color: $accent;
        }
        & > .reader--table-header {
            text-style: bold;
        }
        & > .reader--match {
            text-style: reverse;
        }
        /* A background of its own and the theme's dark colour on it ($warning is a bright colour
           in both themes): 4.5:1 or more in the dark and the light theme alike. */
        & > .reader--match-current {
            text-style: bold underline;
            background: $warning;
            color: $foreground;
        }
        /* $text-primary is the theme's legible blue: 4.5:1 or more on either background. */
        & > .reader--link {
            text-style: underline;
            color: $text-primary;
        }
    }
    """

    @dataclass
    class Moved(Message):
        """Scrolled or another article shown: for the status line and the saved position. One
        not yet handled gives way to a newer one of the same article (the newer place is the
        one to keep); never to another article's, whose place would be lost."""

        article_id: str | None
        offset: int  # offset into Article.body_text of the first line shown
        percent: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Reader.Moved) and message.article_id == self.article_id

    @dataclass
    class AtEnd(Message):
        """Space at the end of the article: the reader would page on into the next unread."""

        article_id: str

    @dataclass
    class MatchMoved(Message):
        """The current search match changed (index counts from 0; -1: none)."""

        index: int
        count: int

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(options, id=id)
        self._marks = Marks()
        self.match_index = -1
        self._pending_match: int | None = None  # asked for before the lines were laid out
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self.hyperlinks = supports_hyperlinks()  # links drawn as OSC 8 hyperlinks too

    @property
    def match_count(self) -> int:
        return len(self._marks.first_lines)

    # -- the lines changed ---------------------------------------------------------------------------

    def _cleared(self) -> None:
        self.match_index = -1
        self._pending_match = None

    def _lines_changed(self) -> None:
        self._strips.clear()
        spans = self._spans if self.article is not None else []
        self._marks = find_marks(self._lines, spans, self._terms, self.options.ambiguous_width)

    def _lines_dropped(self) -> None:
        # Nothing is drawn until there are lines again: never old lines against a new article.
        self._strips.clear()
        self._marks = Marks()
        if self.match_index >= 0:  # the current match comes back with the lines
            self._pending_match, self.match_index = self.match_index, -1

    def _placed(self) -> None:
        self._post_moved()
        if self._pending_match is not None:
            self.go_to_match(self._pending_match)

    def _resized(self) -> None:
        if self.match_index >= 0:
            self._scroll_to_match()

    def _take_whole_layout(self, token: int, lines: Sequence[LaidLine]) -> bool:
        count = self.match_count
        if not super()._take_whole_layout(token, lines):
            return False
        self._post_moved()
        if self.match_count != count and self.match_index >= 0:
            self.post_message(self.MatchMoved(self.match_index, self.match_count))
        return True

    # -- matches -----------------------------------------------------------------------------------

    def go_to_match(self, index: int) -> None:
        """Make match `index` (wrapping around) the current one and scroll it into view."""
        self._pending_match = None
        if self._laid_width < 0 and self.article is not None:  # hidden: once laid out
            self._pending_match = index
            return
        if not self._marks.first_lines:
            self.match_index = -1
            self.post_message(self.MatchMoved(-1, 0))
            return
        self.match_index = index % len(self._marks.first_lines)
        self._strips.clear()
        self._scroll_to_match()
        self.refresh()
        self.post_message(self.MatchMoved(self.match_index, len(self._marks.first_lines)))

    def next_match(self, step: int = 1) -> None:
        self.go_to_match(self.match_index + step if self.match_index >= 0 else 0)

    def _scroll_to_match(self) -> None:
        if not 0 <= self.match_index < len(self._marks.first_lines):
            return
        line = self._marks.first_lines[self.match_index]
        visible = range(
            round(self.scroll_y), round(self.scroll_y) + self.scrollable_content_region.height
        )
        if line not in visible:
            target = max(0, line - self.scrollable_content_region.height // 3)
            self.scroll_to(y=target, animate=False, immediate=True, force=True)

    # -- drawing -----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            # Highlights are laid over the line's own style, so they carry only what they change.
            overlay = name in ("match", "match-current", "link")
            style = self.get_component_rich_style(f"reader--{name}", partial=overlay)
            self._styles[name] = style
        return style

    def _line_strip(self, number: int, base: Style) -> Strip:
        line = self._lines[number]
        role = line.role if line.role in ROLES else "body"
        if role == "table" and line.level in (TABLE_HEADER, TABLE_RULE):
            role = "table-header" if line.level == TABLE_HEADER else "rule"
        shown = " " * self._pad + sanitize_text(line.text)
        style = base + self._style(role)
        overlays: list[tuple[int, int, Style]] = []
        for start, end, link in self._line_links(line):
            overlays.append((start, end, self._link_style(link.url)))
        for start, end, match in self._marks.lines.get(number, ()):
            current = match == self.match_index
            overlays.append((start, end, self._style("match-current" if current else "match")))
        if not overlays:  # most lines: one segment, no Text to build
            return Strip([Segment(shown, style)], cell_len(shown))
        text = Text(shown, style=style, end="")
        for start, end, overlay in overlays:
            text.stylize(overlay, self._pad + start, self._pad + end)
        return Strip(list(text.render(self.app.console)), text.cell_len)

    def action_page_on(self) -> None:
        """Space: a page down; at the end of an article, on to the next unread one."""
        if self.article is not None and self.whole and self.scroll_y >= self.max_scroll_y:
            self.post_message(self.AtEnd(self.article.id))
        else:
            self.action_page_down()

    def _line_links(self, line: LaidLine) -> list[tuple[int, int, Link]]:
        """Where the links of the line's block show on this line (by their text)."""
        laid = self._laid_article  # the lines' own article, never one shown since
        if laid is None or line.block is None or line.block >= len(laid.blocks):
            return []
        return [
            (start, end, link)
            for link in laid.blocks[line.block].links
            for start, end in term_spans(line.text, [link.text])
        ]

    def _link_style(self, url: str) -> Style:
        # An OSC 8 hyperlink too, where the terminal draws them: clicked or copied as the URL.
        style = self._style("link")
        return style + Style(link=url) if self.hyperlinks and url else style

    def visible_links(self) -> list[Link]:
        """The links on the lines on screen, top to bottom."""
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        return [
            link for line in self._lines[top : top + height] for *_, link in self._line_links(line)
        ]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if number >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(number)
        if strip is None:
            strip = self._strips[number] = self._line_strip(number, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, number)

    # -- messages up -------------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._post_moved()

    def _post_moved(self) -> None:
        most = self.max_scroll_y
        percent = 100 if most <= 0 else round(100 * self.scroll_y / most)
        self.post_message(self.Moved(self.article_id, self.top_offset(), percent))

    def all_lines(self) -> list[str]:
        return [line.text for line in self._lines]

    def marked_text(self) -> list[str]:
        """The text of each match in reading order, pieces on several lines joined (for tests)."""
        pieces: dict[int, str] = {}
        for number in sorted(self._marks.lines):
            text = self._lines[number].text
            for start, end, match in sorted(self._marks.lines[number]):
                pieces[match] = pieces.get(match, "") + text[start:end]
        return [pieces[match] for match in sorted(pieces)]
