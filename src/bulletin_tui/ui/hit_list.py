"""The search results, each hit a small block: the title (its matches marked, the date dim at the
right) over one or two dim snippet lines, and a rule before the next. The highlight covers the
whole block; moving it sends HitList.HitHighlighted, so the reader previews the hit (as fzf does)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.events import Resize
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bulletin_tui.model import Hit
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import LayoutOptions, char_span, layout_paragraph, prefix_widths
from bulletin_tui.ui.keys import HITS_BINDINGS
from bulletin_tui.ui.labels import ELLIPSIS, cut_text, fit_label
from bulletin_tui.ui.paging import OptionPaging

SNIPPET_LINES = 2
SNIPPET_INDENT = "  "
MISSING_TITLE_ROOM = 8  # cells of title kept at least before a partial hit's 缺：… mark


@dataclass(frozen=True, slots=True)
class HitStyles:
    title: Style
    date: Style
    snippet: Style
    match: Style


def _mark(text: Text, start: int, spans: Iterable[tuple[int, int]], style: Style) -> None:
    for span_start, span_end in spans:
        if span_end > span_start:
            text.stylize(style, start + span_start, start + span_end)


def title_line(hit: Hit, width: int, styles: HitStyles, publication: bool = False) -> Text:
    """The title with its matches marked, cut with … to leave the date (and the publication,
    when asked) room at the right."""
    title = sanitize_text(hit.title) or hit.article_id
    text = Text(title, style=styles.title, end="")
    if title == hit.title:  # the spans count characters of the title as stored
        _mark(text, 0, hit.title_spans, styles.match)
    day = hit.date.isoformat() if hit.date else ""
    if publication and hit.publication:
        named = " ".join(part for part in (sanitize_text(hit.publication), day) if part)
        if width >= cell_len(named) + 8:  # else the date alone, as in one bulletin
            day = named
    if day and width < cell_len(day) + 8:  # no room for the date beside a readable title
        day = ""
    if hit.missing:  # a partial match says what it lacks: a long title is cut to show it
        lacks = sanitize_text(f"  缺：{' '.join(hit.missing)}")
        first = sanitize_text(f"  缺：{hit.missing[0]}{' …' if len(hit.missing) > 1 else ''}")
        room = width - (cell_len(day) + 1 if day else 0)
        if text.cell_len + cell_len(lacks) > room:
            # The whole mark beside a few cells of title, else its first word; the rest is cut.
            keep = room - cell_len(lacks)
            if keep < MISSING_TITLE_ROOM:
                keep = max(MISSING_TITLE_ROOM, room - cell_len(first))
            if text.cell_len > keep:
                text = cut_text(text, keep)
        text.append(lacks, style=styles.date)
    if not day:
        return fit_label(text, max(1, width))
    return fit_label(text, width, day, styles.date)


def snippet_lines(hit: Hit, width: int, styles: HitStyles, options: LayoutOptions) -> list[Text]:
    """At most SNIPPET_LINES lines of the snippet, broken by the typesetter (no line starts
    with a comma), matches marked; the last ends in … when the snippet goes on."""
    snippet = sanitize_text(hit.snippet.replace("\n", " "))  # same length: the spans still fit
    room = max(4, width - len(SNIPPET_INDENT))
    laid = layout_paragraph(snippet, room, options)
    lines: list[Text] = []
    for line in laid[:SNIPPET_LINES]:
        text = Text(line.text, style=styles.snippet, end="")
        edges = prefix_widths(line.text, options.ambiguous_width)
        for span_start, span_end in hit.spans:
            cells = line.columns(span_start, span_end, options.ambiguous_width)
            chars = char_span(edges, cells) if cells is not None else None
            if chars is not None:
                text.stylize(styles.match, *chars)
        lines.append(text)
    if len(laid) > SNIPPET_LINES and lines:  # the snippet goes on: say so
        if lines[-1].cell_len + cell_len(ELLIPSIS) > room:
            lines[-1] = cut_text(lines[-1], room)
        else:
            lines[-1].append(ELLIPSIS)
    return lines


def hit_prompt(
    hit: Hit, width: int, styles: HitStyles, options: LayoutOptions, publication: bool = False
) -> Text:
    """One hit as the lines of its block (naming its publication, when asked)."""
    text = title_line(hit, width, styles, publication)
    for line in snippet_lines(hit, width, styles, options):
        text.append("\n" + SNIPPET_INDENT)
        text.append_text(line)
    return text


class HitList(OptionPaging):
    BINDINGS: ClassVar[list[BindingType]] = HITS_BINDINGS
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "hit-list--title",
        "hit-list--date",
        "hit-list--snippet",
        "hit-list--match",
    }

    DEFAULT_CSS = """
    HitList {
        & > .hit-list--title {
            text-style: bold;
        }
        & > .hit-list--date, & > .hit-list--snippet {
            color: $text-muted;
        }
        & > .hit-list--match {
            text-style: reverse;
        }
        & > .option-list--option {
            padding: 0 1;
        }
        & > .option-list--separator {
            color: $panel;
        }
    }
    """

    @dataclass
    class HitHighlighted(Message):
        """The highlight moved onto `hit`: preview it."""

        hit: Hit

    def __init__(self, options: LayoutOptions | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.layout_options = options or LayoutOptions()
        self.hits: list[Hit] = []
        self._width = 0
        self.show_publication = False  # set when the library holds several

    def _styles(self) -> HitStyles:
        title, date, snippet, match = (
            self.get_component_rich_style(f"hit-list--{part}", partial=True)
            for part in ("title", "date", "snippet", "match")
        )
        return HitStyles(title, date, snippet, match)

    def _text_width(self) -> int:
        # The option's own padding (a cell each side) and the scrollbar are not ours to draw on.
        return max(8, self.scrollable_content_region.width - 2)

    def show_hits(self, hits: Sequence[Hit]) -> None:
        """Show `hits` (the highlight goes to the first), a rule between one hit and the next."""
        self.hits = []
        self._width = self._text_width()
        self.clear_options()
        self.add_hits(hits)
        if self.hits:
            self.highlighted = 0

    def add_hits(self, hits: Sequence[Hit]) -> None:
        """Show `hits` after those shown, the highlight left where it is."""
        styles = self._styles()
        contents: list[Option | None] = []
        for number, hit in enumerate(hits, start=len(self.hits)):
            if number:
                contents.append(None)  # a rule: not part of either hit's highlight
            prompt = hit_prompt(
                hit, self._width, styles, self.layout_options, self.show_publication
            )
            contents.append(Option(prompt, id=str(number)))
        self.hits.extend(hits)
        self.add_options(contents)

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        strips = super()._get_option_render(option, style)
        if option._divider and getattr(self.app, "ambiguous_wide", False):
            # OptionList rules hits apart with ─, two cells wide on such a terminal: ASCII instead.
            width = strips[-1].cell_length
            rule = self.get_visual_style("option-list--separator").rich_style
            strips = [*strips[:-1], Strip([Segment("-" * width, rule)], width)]
        return strips

    def on_resize(self, event: Resize) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self) -> None:
        # Hits shown in a list without a scrollbar bring their own: lay them out again beside it.
        self.call_after_refresh(self._fit_width)

    def _fit_width(self) -> None:
        if self.hits and self._text_width() != self._width:
            keep = self.highlighted
            self.show_hits(self.hits)
            if keep is not None:
                self.highlighted = keep

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.hits):
            self.post_message(self.HitHighlighted(self.hits[event.option_index]))
