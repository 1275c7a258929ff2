"""The help screen: every key as it is bound now (after `[keymap]`), grouped by where it works.

Opposite actions share a row (`] [  Next / previous article`) and the groups are set in two
columns when the screen is wide enough, so the whole help fits 80×24; it scrolls where it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from bulletin_tui.ui.keys import BUILT_IN_KEYS, live_bindings

KEY_COLUMN = 10
TWO_COLUMNS = 76  # screen columns from which the groups are set side by side

# id -> (the opposite action's id, the row's description)
PAIRS: dict[str, tuple[str, str]] = {
    "next_pane": ("previous_pane", "Next / previous pane"),
    "focus_list": ("focus_reader", "List / reader pane"),
    "next_article": ("previous_article", "Next / previous article"),
    "next_issue": ("previous_issue", "Next / previous issue"),
    "next_match": ("previous_match", "Next / previous match"),
    "wider": ("narrower", "Wider / narrower measure"),
    "down": ("up", "Down / up"),
    "top": ("bottom", "Top / bottom"),
    "expand": ("collapse", "Expand / collapse"),
    "page_down": ("page_up", "Page the reader down / up"),
    "half_page_down": ("half_page_up", "Half a page down / up"),
    "page_forward": ("page_back", "A page down / up"),
}

Row = tuple[str, str]  # keys, description


def _short(key: str) -> str:
    """shift+tab as ⇧tab: the key column stays narrow enough for two columns at 80."""
    return "⇧" + key.removeprefix("shift+") if key.startswith("shift+") else key


def _grouped(pairs: Iterable[tuple[str, Binding]], display: dict[str, str]) -> list[Row]:
    """One row per action (or pair of opposite actions): keys joined, in first-seen order."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for key, binding in pairs:
        name = binding.id or binding.action
        keys.setdefault(name, []).append(display.get(key, key))
        descriptions.setdefault(name, binding.description or binding.action)
    partner_of = {second: first for first, (second, _text) in PAIRS.items()}
    rows: list[Row] = []
    for name in keys:
        if name in partner_of and partner_of[name] in keys:
            continue  # shown on its partner's row
        shown = list(dict.fromkeys(keys[name]))
        description = descriptions[name]
        if name in PAIRS and PAIRS[name][0] in keys:
            second, description = PAIRS[name]
            shown += [k for k in dict.fromkeys(keys[second]) if k not in shown]
        rows.append((" ".join(shown), description))
    return rows


def help_text(sections: Sequence[tuple[str, Sequence[Row]]], heading: Style) -> Group:
    """Each group's title over a grid of keys and descriptions (a long one wraps in its cell)."""
    parts: list[RenderableType] = []
    for number, (title, rows) in enumerate(sections):
        parts.append(Text(("\n" if number else "") + title, style=heading))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, min_width=KEY_COLUMN - 1)
        grid.add_column()
        for keys, description in rows:
            grid.add_row(Text(keys, end=""), Text(description, end=""))
        parts.append(grid)
    return Group(*parts)


Column = list[tuple[str, Sequence[Row]]]


def column_height(column: Column) -> int:
    """Lines a column takes: each group's title and rows, a blank line between groups."""
    return sum(len(rows) + 1 for _title, rows in column) + max(0, len(column) - 1)


def split_columns(sections: Sequence[tuple[str, Sequence[Row]]]) -> tuple[Column, Column]:
    """The groups in two columns of about the same height. A group longer than the rest may be
    cut: it goes on at the top of the right column under its title and "(cont.)", its rows
    level with the left's. A cut between groups wins a tie."""
    best: tuple[int, int, Column, Column] = (column_height(list(sections)), 1, list(sections), [])
    for at, (title, rows) in enumerate(sections):
        for keep in range(len(rows) + 1):
            if keep == 0:
                left, right = list(sections[:at]), list(sections[at:])
            else:
                left = [*sections[:at], (title, rows[:keep])]
                carried = [(f"{title} (cont.)", rows[keep:])] if keep < len(rows) else []
                right = carried + list(sections[at + 1 :])
            whole = 0 if keep in (0, len(rows)) else 1
            height = max(column_height(left), column_height(right))
            if left and (height, whole) < best[:2]:
                best = (height, whole, left, right)
    return best[2], best[3]


def merged_rows(groups: Sequence[Sequence[Row]]) -> list[Row]:
    """Rows of several widgets as one group: a row (keys and all) already listed is not repeated."""
    seen: dict[str, Row] = {}
    for rows in groups:
        for row in rows:
            seen.setdefault(row[1], row)
    return list(seen.values())


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
        Binding("g,home", "scroll('home')", show=False),
        Binding("G,end", "scroll('end')", show=False),
        Binding("space,pagedown,ctrl+f,ctrl+d", "scroll('page_down')", show=False),
        Binding("b,pageup,ctrl+b,ctrl+u", "scroll('page_up')", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--heading"}
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > .help--heading {
            text-style: bold;
            color: $accent;
        }
    }

    #help-body {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-color: $accent;
        padding: 0 1;
        background: $surface;
    }

    #help-columns {
        height: auto;
    }

    #help-left, #help-right {
        width: 1fr;
        height: auto;
    }

    #help-right {
        margin-left: 2;
    }
    """

    def __init__(
        self,
        sections: list[tuple[str, list[DOMNode]]],
        subtitle: str = "",
    ) -> None:
        """`sections`: (title, the nodes whose bindings to list) in display order; a title given
        twice merges its nodes into one group. `subtitle`: one line
        in the bottom border (it takes no room from the keys)."""
        super().__init__()
        self._sources = sections
        self._subtitle = subtitle
        self._sections: list[tuple[str, Sequence[Row]]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"), Horizontal(id="help-columns"):
            yield Static(id="help-left")
            yield Static(id="help-right")

    def on_mount(self) -> None:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        groups: dict[str, list[list[Row]]] = {}
        for title, nodes in self._sources:
            for node in nodes:
                pairs = live_bindings(node, keymap)
                display = {key: _short(self.app.get_key_display(binding)) for key, binding in pairs}
                groups.setdefault(title, []).append(_grouped(pairs, display))
        self._sections = [(title, merged_rows(rows)) for title, rows in groups.items()]
        self._sections.append(("Built in", list(BUILT_IN_KEYS)))
        self.query_one("#help-body").border_title = "Keys  (Esc closes · j k g G scroll)"
        self.query_one("#help-body").border_subtitle = self._subtitle
        self._fill(self.app.size.width)

    def on_resize(self, event: Resize) -> None:
        self._fill(event.size.width)

    def _fill(self, width: int) -> None:
        heading = self.get_component_rich_style("help--heading")
        two = width >= TWO_COLUMNS
        left, right = split_columns(self._sections) if two else (self._sections, [])
        self.query_one("#help-left", Static).update(help_text(left, heading))
        right_column = self.query_one("#help-right", Static)
        right_column.update(help_text(right, heading))
        right_column.display = bool(right)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
        }[where](animate=False)
