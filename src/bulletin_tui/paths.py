"""Every path the program uses comes from here, so tests can point all of them elsewhere.

Environment overrides (each wins over the XDG default):
  BULLETIN_TUI_CACHE_DIR    the cache directory (SQLite cache, jieba's dictionary cache)
  BULLETIN_TUI_CONFIG       the config file (config.toml)
  BULLETIN_TUI_STATE_DIR    the state directory (state.toml: read marks, bookmarks, positions)
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "bulletin-tui"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # XDG says relative values are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def cache_dir() -> Path:
    override = os.environ.get("BULLETIN_TUI_CACHE_DIR")
    if override:
        return Path(override)
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_NAME


def config_file() -> Path:
    override = os.environ.get("BULLETIN_TUI_CONFIG")
    if override:
        return Path(override)
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_NAME / "config.toml"


def state_dir() -> Path:
    override = os.environ.get("BULLETIN_TUI_STATE_DIR")
    if override:
        return Path(override)
    return _xdg("XDG_STATE_HOME", ".local/state") / APP_NAME


def _resource(name: str) -> Path:
    """A top-level folder shipped in the wheel (bulletin_tui/<name>) or in a source checkout."""
    packaged = Path(__file__).resolve().parent / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def seeds_dir() -> Path:
    """The bundled sample issue: the default library."""
    return _resource("seeds")


def styles_dir() -> Path:
    return _resource("styles")
