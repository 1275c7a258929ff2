"""The links of an article: pick one to copy its address (OSC 52, works over SSH)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bulletin_tui.model import Link
from bulletin_tui.parse import sanitize_text


class LinksScreen(ModalScreen[str | None]):
    """Dismissed with the chosen URL, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close", show=False),
        Binding("j", "cursor('down')", show=False),
        Binding("k", "cursor('up')", show=False),
    ]

    def __init__(self, links: list[Link]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        options = []
        for number, link in enumerate(self.links):
            prompt = Text(sanitize_text(link.text) or "(no text)", style="bold", end="")
            prompt.append("\n" + sanitize_text(link.url), style="dim")
            options.append(Option(prompt, id=str(number)))
        yield OptionList(*options, id="links")

    def on_mount(self) -> None:
        links = self.query_one("#links", OptionList)
        links.border_title = "Links"
        links.border_subtitle = "Enter copies the address · Esc closes"
        links.highlighted = 0
        links.focus()

    def action_cursor(self, where: str) -> None:
        links = self.query_one("#links", OptionList)
        (links.action_cursor_down if where == "down" else links.action_cursor_up)()

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index].url)
