"""config.toml: the user's settings. A broken file is reported, never overwritten."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from bulletin_tui.paths import config_file


@dataclass(frozen=True)
class Config:
    library: tuple[str, ...] = ()


def load_config() -> tuple[Config, str | None]:
    """The config, and a message when the file could not be used (defaults are returned then)."""
    path = config_file()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Config(), None
    except (OSError, tomllib.TOMLDecodeError) as error:
        return Config(), f"{path}: {error}; using the defaults"
    library = data.get("library", {}).get("paths", [])
    return Config(library=tuple(str(p) for p in library)), None
