"""The links of an article, each address once: Enter or `o` opens one, `y` copies it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bulletin_tui.model import Article, Link, block_links
from bulletin_tui.parse import sanitize_text

LinkChoice = tuple[Literal["open", "copy"], str]


def unique_links(links: Iterable[Link]) -> list[Link]:
    """Each address once, in reading order, with the texts it was given joined."""
    texts: dict[str, list[str]] = {}
    for link in links:
        shown = texts.setdefault(link.url, [])
        if link.text and link.text not in shown:
            shown.append(link.text)
    return [Link(" · ".join(shown), url) for url, shown in texts.items()]


def article_links(article: Article) -> list[Link]:
    return unique_links(block_links(article.blocks))  # from the cache: pages with links only


class LinksScreen(ModalScreen[LinkChoice | None]):
    """Dismissed with ("open" or "copy", the URL), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,L", "dismiss(None)", "Close", show=False),
        Binding("j", "cursor('down')", show=False),
        Binding("k", "cursor('up')", show=False),
        Binding("o", "choose('open')", "Open", show=False),
        Binding("y", "choose('copy')", "Copy", show=False),
    ]

    DEFAULT_CSS = """
    LinksScreen {
        align: center middle;
    }

    #links {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: round $accent;
        background: $surface;
    }
    """

    def __init__(self, links: list[Link], highlighted: int = 0) -> None:
        super().__init__()
        self.links = unique_links(links)
        self.start = max(0, min(highlighted, len(self.links) - 1))

    def compose(self) -> ComposeResult:
        options = []
        for number, link in enumerate(self.links):
            prompt = Text(sanitize_text(link.text) or "(no text)", style="bold", end="")
            if link.text != link.url:  # a bare address is its own text: shown once
                prompt.append("\n" + sanitize_text(link.url), style="dim")
            options.append(Option(prompt, id=str(number)))
        yield OptionList(*options, id="links")

    def on_mount(self) -> None:
        links = self.query_one("#links", OptionList)
        count = len(self.links)
        links.border_title = f"Links ({count})"
        links.border_subtitle = "Enter/o opens · y copies · Esc closes"
        links.highlighted = self.start
        links.focus()

    def action_cursor(self, where: str) -> None:
        links = self.query_one("#links", OptionList)
        (links.action_cursor_down if where == "down" else links.action_cursor_up)()

    def action_choose(self, how: Literal["open", "copy"]) -> None:
        index = self.query_one("#links", OptionList).highlighted
        if index is not None and 0 <= index < len(self.links):
            self.dismiss((how, self.links[index].url))

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("open", self.links[event.option_index].url))
