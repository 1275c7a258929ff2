"""The help screen: every key as it is bound now (after `[keymap]`), grouped by where it works."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from bulletin_tui.ui.keys import BUILT_IN_KEYS, live_bindings

KEY_COLUMN = 16


def _grouped(
    pairs: Iterable[tuple[str, Binding]], display: dict[str, str]
) -> list[tuple[str, str]]:
    """One row per action: its keys joined, in the order they were first seen."""
    rows: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for key, binding in pairs:
        name = binding.id or binding.action
        rows.setdefault(name, []).append(display.get(key, key))
        descriptions.setdefault(name, binding.description or binding.action)
    return [(" ".join(dict.fromkeys(keys)), descriptions[name]) for name, keys in rows.items()]


def help_text(sections: list[tuple[str, list[tuple[str, str]]]], heading: Style) -> Text:
    text = Text(end="")
    for number, (title, rows) in enumerate(sections):
        if number:
            text.append("\n")
        text.append(title + "\n", style=heading)
        for keys, description in rows:
            text.append("  " + keys + " " * max(1, KEY_COLUMN - cell_len(keys)))
            text.append(description + "\n")
    text.rstrip()
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
        Binding("space,pagedown", "scroll('page_down')", show=False),
        Binding("b,pageup", "scroll('page_up')", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--heading"}

    def __init__(self, sections: list[tuple[str, list[DOMNode]]]) -> None:
        """`sections`: (title, the nodes whose bindings to list) in display order."""
        super().__init__()
        self._sources = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(id="help-text")

    def on_mount(self) -> None:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        sections: list[tuple[str, list[tuple[str, str]]]] = []
        for title, nodes in self._sources:
            pairs = [pair for node in nodes for pair in live_bindings(node, keymap)]
            display = {key: self.app.get_key_display(binding) for key, binding in pairs}
            sections.append((title, _grouped(pairs, display)))
        sections.append(("Built in", list(BUILT_IN_KEYS)))
        heading = self.get_component_rich_style("help--heading")
        self.query_one("#help-text", Static).update(help_text(sections, heading))
        self.query_one("#help-body").border_title = "Keys  (Esc closes)"

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
        }[where](animate=False)
