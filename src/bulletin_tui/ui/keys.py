"""Every key binding, each with an id so `[keymap]` in config.toml can move it.

One id may appear in several widgets (e.g. "down" in the section list and the reader): remapping the
id moves the key everywhere. The help screen and the command palette are built from these lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.keys import REPLACED_KEYS, Keys, _normalize_key_list, key_to_character

if TYPE_CHECKING:
    from textual.dom import DOMNode

# Keys that work wherever the focus is (unless a text box takes the key).
SCREEN_BINDINGS: list[BindingType] = [
    Binding("slash", "search", "Search", id="search"),
    Binding("P", "search_publication", "Search one publication", id="search_publication"),
    Binding("tab", "next_pane", "Next pane", id="next_pane", show=False),
    Binding("shift+tab", "next_pane", "Previous pane", id="previous_pane", show=False),
    Binding("h", "focus_list", "List pane", id="focus_list", show=False),
    Binding("l", "focus_reader", "Reader pane", id="focus_reader", show=False),
    Binding("escape", "back", "Back", id="back", show=False),
    Binding("right_square_bracket", "next_article", "Next article", id="next_article"),
    Binding("left_square_bracket", "previous_article", "Previous article", id="previous_article"),
    Binding("right_curly_bracket", "next_issue", "Next issue", id="next_issue"),
    Binding("left_curly_bracket", "previous_issue", "Previous issue", id="previous_issue"),
    Binding("n", "next_match", "Next match", id="next_match"),
    Binding("N", "previous_match", "Previous match", id="previous_match"),
    Binding("m", "bookmark", "Bookmark", id="bookmark"),
    Binding("B", "bookmarks", "Bookmarks", id="bookmarks"),
    Binding("u", "toggle_read", "Toggle read", id="toggle_read"),
    Binding("U", "next_unread", "Next unread", id="next_unread"),
    Binding("y", "copy", "Copy article", id="copy"),
    Binding("e", "export", "Export to Markdown", id="export"),
    Binding("o", "open_link", "Open the link", id="open_link"),
    Binding("L", "links", "Links in the article", id="links"),
    Binding("R", "related", "Related articles", id="related"),
    Binding("r", "refresh", "Look for new issues now", id="refresh"),
    Binding("plus,equals_sign", "wider", "Wider measure", id="wider"),
    Binding("minus", "narrower", "Narrower measure", id="narrower"),
    Binding("p", "toggle_punctuation", "Full-width ,;:?!() on/off", id="toggle_punctuation"),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
]

# Keys that work even while a text box has the focus.
APP_BINDINGS: list[BindingType] = [
    Binding("ctrl+z", "suspend_process", "Suspend (fg resumes)", id="suspend", priority=True),
    Binding("ctrl+l", "redraw", "Redraw the screen", id="redraw", priority=True),
]

# Half a page and a page at a time: the section list, the reader and the results (paging.py).
_PAGING: list[BindingType] = [
    Binding("ctrl+d", "half_page_down", "Half a page down", id="half_page_down", show=False),
    Binding("ctrl+u", "half_page_up", "Half a page up", id="half_page_up", show=False),
    Binding("ctrl+f", "page_forward", "A page down", id="page_forward", show=False),
    Binding("ctrl+b", "page_back", "A page up", id="page_back", show=False),
]

# Moving inside the section list (arrows, PgUp/PgDn, Home/End come with the tree).
LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", id="down", show=False),
    Binding("k", "cursor_up", "Up", id="up", show=False),
    Binding("g", "scroll_home", "Top", id="top", show=False),
    Binding("G", "scroll_end", "Bottom", id="bottom", show=False),
    Binding("enter", "select_cursor", "Open", id="open", show=False),
    Binding("right", "expand", "Expand", id="expand", show=False),
    Binding("left", "collapse", "Collapse", id="collapse", show=False),
    Binding("space", "screen.reader_page_on", "Page the reader down", id="page_down", show=False),
    Binding("b", "screen.reader_page_up", "Page the reader up", id="page_up", show=False),
    *_PAGING,
]

# Reading (arrows, PgUp/PgDn, Home/End come with the scroll view).
READER_BINDINGS: list[BindingType] = [
    Binding("j", "scroll_down", "Down", id="down", show=False),
    Binding("k", "scroll_up", "Up", id="up", show=False),
    Binding("g", "scroll_home", "Top", id="top", show=False),
    Binding("G", "scroll_end", "Bottom", id="bottom", show=False),
    Binding("space", "page_on", "Page down (then the next unread)", id="page_down", show=False),
    Binding("b", "page_up", "Page up", id="page_up", show=False),
    *_PAGING,
]

# The search results.
HITS_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", id="down", show=False),
    Binding("k", "cursor_up", "Up", id="up", show=False),
    Binding("g", "first", "Top", id="top", show=False),
    Binding("G", "last", "Bottom", id="bottom", show=False),
    *_PAGING,
]

# Shown in the help screen for keys that come with Textual's widgets.
BUILT_IN_KEYS: list[tuple[str, str]] = [
    ("↑ ↓", "Move / scroll"),
    ("PgUp PgDn", "Page"),
    ("Home End", "Top / bottom"),
    ("^p", "Palette: actions by name"),
    ("^q", "Quit"),
]

PALETTE_ACTIONS: list[str] = [
    "search",
    "search_publication",
    "next_article",
    "previous_article",
    "next_issue",
    "previous_issue",
    "next_match",
    "previous_match",
    "bookmark",
    "bookmarks",
    "toggle_read",
    "next_unread",
    "copy",
    "export",
    "open_link",
    "links",
    "related",
    "refresh",
    "wider",
    "narrower",
    "toggle_punctuation",
    "focus_list",
    "focus_reader",
    "help",
]


def binding_ids() -> set[str]:
    """Every id `[keymap]` may name."""
    groups = (APP_BINDINGS, SCREEN_BINDINGS, LIST_BINDINGS, READER_BINDINGS, HITS_BINDINGS)
    return {b.id for group in groups for b in group if isinstance(b, Binding) and b.id}


def live_bindings(node: DOMNode, keymap: dict[str, str]) -> list[tuple[str, Binding]]:
    """(key, binding) pairs of `node` with the keymap applied, in definition order.

    Only bindings with an id are listed: those are the program's own, and the ones `[keymap]` moves.
    """
    bindings = node._bindings.copy()
    if keymap:
        bindings.apply_keymap(keymap)
    return [
        (key, binding)
        for key, group in bindings.key_to_bindings.items()
        for binding in group
        if binding.id
    ]


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(key.value for key in Keys)
_SCOPES = (
    ("in the section list", LIST_BINDINGS),
    ("in the reader", READER_BINDINGS),
    ("in the search results", HITS_BINDINGS),
)


def is_key(key: str) -> bool:
    """Whether a terminal key can arrive as `key`: "j", "N", "]", "plus", "f5", "ctrl+n"…"""
    *modifiers, base = key.split("+")
    if not base or not set(modifiers) <= MODIFIERS:
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _KEY_NAMES or key_to_character(REPLACED_KEYS.get(base, base)) is not None


def checked_keymap(
    keymap: dict[str, str], where: Callable[[str], str]
) -> tuple[dict[str, str], list[str]]:
    """The part of `keymap` that can be applied (keys in Textual's names: "]" becomes
    "right_square_bracket"), and a message for each unknown id, unknown key name and clash.
    `where(binding_id)` says where the config sets it (file, line and key)."""
    ids = binding_ids()
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        unknown = [key for key in keys.split(",") if not is_key(key)]
        if binding_id not in ids:
            problems.append(f"{where(binding_id)}: no key binding has this id (see ?); ignored")
        elif unknown:
            shown = ", ".join(repr(key) for key in unknown)
            problems.append(f"{where(binding_id)}: unknown key name {shown}; ignored")
        else:
            usable[binding_id] = _normalize_key_list(keys)
    # A key given to a binding that another has where both work would leave only one of them
    # working, and the status line naming a key that does something else: the remap is refused and
    # the binding keeps its default key. Refusing one may bring back a default that clashes anew.
    while clashes := _clashes(usable, where):
        for binding_id, message in clashes:
            usable.pop(binding_id, None)
            problems.append(message)
    return usable, problems


def _clashes(keymap: dict[str, str], where: Callable[[str], str]) -> list[tuple[str, str]]:
    """(binding id, message) for each key the keymap gives to a binding that another one also has
    where both work (the screen's under a pane's, or the default one in the same place)."""
    # (id, key, the others) -> where they meet: one message for the places one clash is found in
    places: dict[tuple[str, str, str], list[str]] = {}
    defaults: dict[str, str] = {}
    for scope, group in _SCOPES:
        holders: dict[str, list[str]] = {}
        for binding in (*SCREEN_BINDINGS, *group):
            if isinstance(binding, Binding) and binding.id:
                defaults.setdefault(binding.id, binding.key)
                for key in keymap.get(binding.id, binding.key).split(","):
                    if binding.id not in holders.setdefault(key, []):
                        holders[key].append(binding.id)
        for key, holding in holders.items():
            for binding_id in holding:
                others = [other for other in holding if other != binding_id]
                if binding_id in keymap and others:
                    screen_only = _on_screen(binding_id) and all(_on_screen(o) for o in others)
                    where_ = "everywhere" if screen_only else scope
                    found = places.setdefault((binding_id, key, ", ".join(others)), [])
                    if where_ not in found:
                        found.append(where_)
    return [
        (
            binding_id,
            f"{where(binding_id)}: key {key!r} is also {others} {_and(found)}; "
            f"ignored, {binding_id} stays on {defaults[binding_id]!r}",
        )
        for (binding_id, key, others), found in places.items()
    ]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _on_screen(binding_id: str) -> bool:
    return any(isinstance(b, Binding) and b.id == binding_id for b in SCREEN_BINDINGS)
