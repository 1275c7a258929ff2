"""config.toml: the user's settings. A broken file is reported, never overwritten.

    theme = "dark"                 # "dark", "light" or any Textual theme name
    measure = 40                   # line length in full-width characters (10-200; 0: the pane)
    ambiguous_width = 1            # cells your terminal draws “ ” … — · in (1 or 2; default:
                                   # $BULLETIN_TUI_AMBIGUOUS_WIDTH, else 1)
    normalise_punctuation = true
    export_dir = "~/Documents"     # where `e` writes Markdown (default: the current directory)
    animations = false             # (top-level keys come before the first [table])

    [library]
    paths = ["~/bulletins"]        # files or folders; default: the bundled sample issue
    shared_index = "/srv/bulletins/.index"   # an administrator's shared index (read-only; also
                                   # $BULLETIN_TUI_SHARED_INDEX, or this key in the system config
                                   # $XDG_CONFIG_DIRS/bulletin-tui/config.toml, /etc/xdg by default)

    [[library.publication]]        # a name for the bulletin in a folder (default: what its
    path = "~/bulletins/zone"      # issues' titles share, else the folder's name); with no
    name = "开发区报"               # `paths`, these folders are the library

    [keymap]                       # binding id = "key[,key…]"; see the help screen (?)
    next_article = "ctrl+n"

The file is read, never written. One that is not a regular file, or is over 1 MiB, or does not parse
gives the defaults; a key with a wrong value gives that key's default. The message names the file,
and the line and the key where there is one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_tui.paths import config_file
from bulletin_tui.private_files import UnsafePathError, read_regular

if TYPE_CHECKING:
    from bulletin_tui.typeset import LayoutOptions

MAX_CONFIG_BYTES = 2**20  # a config is a few hundred bytes
MEASURE_RANGE = (10, 200)  # as the typesetter allows (0 too: the whole pane)
THEMES = {"dark": "textual-dark", "light": "textual-light"}


@dataclass(frozen=True)
class Config:
    library: tuple[str, ...] = ()
    publications: tuple[tuple[str, str], ...] = ()  # (folder, name) from [[library.publication]]
    shared_index: str | None = None
    theme: str = "dark"
    measure: int = 40
    ambiguous_width: int | None = None  # None: from the environment, else 1
    normalise_punctuation: bool = True
    export_dir: str | None = None
    animations: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    # binding id -> where the file sets it ("PATH, line N, key 'keymap.ID'"), for messages
    keymap_at: dict[str, str] = field(default_factory=dict, compare=False)

    def keymap_where(self, binding_id: str) -> str:
        return self.keymap_at.get(binding_id, f"config [keymap] {binding_id!r}")

    @property
    def textual_theme(self) -> str:
        return THEMES.get(self.theme, self.theme)

    def layout_options(self, ambiguous_width: int, measure: int | None = None) -> LayoutOptions:
        """The typesetter's options as configured, for a terminal drawing ambiguous characters
        `ambiguous_width` cells wide (`terminal.ambiguous_width_choice`); `measure` overrides."""
        from bulletin_tui.typeset import LayoutOptions

        return LayoutOptions(
            measure=self.measure if measure is None else measure,
            normalise_punctuation=self.normalise_punctuation,
            ambiguous_width=ambiguous_width,
        )


class _Invalid(ValueError):
    """A value of the wrong type or out of range; the message says what was expected."""


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise _Invalid("must be a list of paths (strings)")
    return tuple(str(Path(p).expanduser()) for p in value)


def _publications(value: Any) -> tuple[tuple[str, str], ...]:
    expected = 'must be a list of tables with path and name ([[library.publication]] path = "…" name = "…")'
    if not isinstance(value, list):
        raise _Invalid(expected)
    named = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"path", "name"}:
            raise _Invalid(expected)
        named.append((_folder(entry["path"]), _string(entry["name"])))
    return tuple(named)


def _measure(value: Any) -> int:
    low, high = MEASURE_RANGE
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (value == 0 or low <= value <= high)
    ):
        raise _Invalid(f"must be a whole number from {low} to {high} (or 0: the whole pane)")
    return value


def _ambiguous(value: Any) -> int:
    if isinstance(value, bool) or value not in (1, 2):
        raise _Invalid("must be 1 or 2")
    return int(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("must be true or false")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("must be a non-empty string")
    return value.strip()


def _folder(value: Any) -> str:
    return str(Path(_string(value)).expanduser())


def _key_string(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(k, str) for k in value):
        value = ",".join(value)
    if not isinstance(value, str) or not value.strip():
        raise _Invalid('must be a key string such as "ctrl+n" (several: "j,down")')
    return ",".join(k.strip() for k in value.split(",") if k.strip())


# (table, key) -> (Config field, validator)
_KEYS: dict[tuple[str | None, str], tuple[str, Callable[[Any], Any]]] = {
    ("library", "paths"): ("library", _paths),
    ("library", "publication"): ("publications", _publications),
    ("library", "shared_index"): ("shared_index", _folder),
    (None, "theme"): ("theme", _string),
    (None, "measure"): ("measure", _measure),
    (None, "ambiguous_width"): ("ambiguous_width", _ambiguous),
    (None, "normalise_punctuation"): ("normalise_punctuation", _boolean),
    (None, "export_dir"): ("export_dir", _folder),
    (None, "animations"): ("animations", _boolean),
}
_FIELDS = {f.name for f in fields(Config)}


def _line_of(text: str, table: str | None, key: str | None) -> int | None:
    """The line setting `key` inside `[table]` (or the table's own line): tomllib does not say."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
            if key is None and current == table:
                return number
            continue
        name = re.match(
            r"""^\s*["']?([^"'=\s.]+)["']?\s*(?:\.\s*["']?([^"'=\s.]+)["']?\s*)?=""", line
        )
        if not name:
            continue
        first, second = name.groups()
        if key is None:
            if current is None and first == table:
                return number
        elif (current, first) == (table, key) or (
            current is None and (first, second) == (table, key)
        ):
            return number
    return None


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _where(path: Path, text: str, table: str | None, key: str | None) -> str:
    """`path, line N, key 'table.key'` for a message."""
    name = ".".join(part for part in (table, key) if part)
    line = _line_of(text, table, key)
    if line is None and table is not None and key is not None:
        line = _line_of(text, table, None)
    return f"{path}, line {line}, key {name!r}" if line else f"{path}, key {name!r}"


def parse_config(text: str, path: Path) -> tuple[Config, list[str]]:
    """The config in `text`, and one message per problem (each problem falls back to its default)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # The message carries "(at line N, column M)".
        return Config(), [f"{path}: {error}; using the defaults"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    for (table, key), (name, validate) in _KEYS.items():
        container: Any = data if table is None else data.get(table, {})
        if not isinstance(container, dict):
            problem = f"{_where(path, text, table, None)}: must be a table; ignored"
            if problem not in problems:  # said once, however many keys the table has
                problems.append(problem)
            continue
        if key not in container:
            continue
        try:
            values[name] = validate(container[key])
        except _Invalid as error:
            problems.append(
                f"{_where(path, text, table, key)}: {error}, not {_shown(container[key])}; using the default"
            )
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        problems.append(f"{_where(path, text, 'keymap', None)}: must be a table; ignored")
        keymap = {}
    values["keymap"] = {}
    values["keymap_at"] = {}
    for binding_id, keys in keymap.items():
        values["keymap_at"][binding_id] = _where(path, text, "keymap", binding_id)
        try:
            values["keymap"][binding_id] = _key_string(keys)
        except _Invalid as error:
            problems.append(f"{_where(path, text, 'keymap', binding_id)}: {error}; ignored")
    known = {key for table, key in _KEYS if table is None} | {"library", "keymap"}
    for key, value in data.items():
        if key not in known:
            where = _where(path, text, *((key, None) if isinstance(value, dict) else (None, key)))
            problems.append(f"{where}: unknown setting; ignored")
    assert set(values) <= _FIELDS
    return Config(**values), problems


def load_config() -> tuple[Config, str | None]:
    """The config, and a message when (part of) the file could not be used.

    The file must be a regular file of at most MAX_CONFIG_BYTES (a device such as /dev/zero or a
    named pipe is refused at once, not read for ever or waited on)."""
    path = config_file()
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Config(), None
    except UnsafePathError as error:
        return Config(), f"{error}; using the defaults"
    except (OSError, UnicodeDecodeError) as error:
        return Config(), f"{path}: {error}; using the defaults"
    config, problems = parse_config(text, path)
    return config, "\n".join(problems) or None


def shared_index(config: Config) -> str | None:
    """Where the administrator's shared index is: $BULLETIN_TUI_SHARED_INDEX, else the user's
    config, else `[library] shared_index` in the system config (an empty value: none)."""
    import os

    override = os.environ.get("BULLETIN_TUI_SHARED_INDEX")
    if override is not None:
        return override or None
    if config.shared_index:
        return config.shared_index
    for folder in (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":"):
        path = Path(folder) / "bulletin-tui" / "config.toml"
        try:
            text = path.read_bytes()[:1_000_000].decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        system, _ = parse_config(text, path)
        if system.shared_index:
            return system.shared_index
    return None
