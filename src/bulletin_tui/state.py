"""state.toml: what the reader remembers between runs (read marks, bookmarks, where you were).

Written atomically (a temporary file in the same folder, then a rename) so a crash or a full disk
never leaves half a file. A file that cannot be read is moved aside, never destroyed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from bulletin_tui.paths import ensure_private_dir, state_dir

STATE_VERSION = 1
MAX_POSITIONS = 2000  # remembered scroll positions; the oldest are forgotten first


@dataclass
class State:
    read: set[str] = field(default_factory=set)
    bookmarks: list[str] = field(default_factory=list)  # in the order they were made
    last_article: str | None = None
    # article id -> offset into Article.body_text of the first line shown (0: the top)
    positions: dict[str, int] = field(default_factory=dict)

    def toggle_read(self, article_id: str) -> bool:
        """Flip the read mark; True when the article is now read."""
        if article_id in self.read:
            self.read.discard(article_id)
            return False
        self.read.add(article_id)
        return True

    def toggle_bookmark(self, article_id: str) -> bool:
        """Flip the bookmark; True when the article is now bookmarked."""
        if article_id in self.bookmarks:
            self.bookmarks.remove(article_id)
            return False
        self.bookmarks.append(article_id)
        return True

    def remember_position(self, article_id: str, offset: int) -> None:
        self.positions.pop(article_id, None)  # re-insert so the dict stays in recency order
        self.positions[article_id] = max(0, offset)
        while len(self.positions) > MAX_POSITIONS:
            del self.positions[next(iter(self.positions))]

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "read": sorted(self.read),
            "bookmarks": list(self.bookmarks),
            "positions": dict(self.positions),
        }
        if self.last_article:
            data["last_article"] = self.last_article
        return data


def state_file() -> Path:
    return state_dir() / "state.toml"


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key!r} must be a list of strings")
    return value


def parse_state(data: dict[str, Any]) -> State:
    """A State from decoded TOML; ValueError names the key when it does not fit."""
    positions = data.get("positions", {})
    if not isinstance(positions, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in positions.values()
    ):
        raise ValueError("'positions' must be a table of article id = offset")
    last = data.get("last_article")
    if last is not None and not isinstance(last, str):
        raise ValueError("'last_article' must be a string")
    return State(
        read=set(_strings(data, "read")),
        bookmarks=list(dict.fromkeys(_strings(data, "bookmarks"))),
        last_article=last,
        positions=dict(positions),
    )


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.bad-{stamp}-{counter}")
    os.replace(path, target)
    return target


def load_state(path: Path | None = None) -> tuple[State, str | None]:
    """The saved state, and a notice when the file was unusable (it is moved aside, kept)."""
    path = path or state_file()
    try:
        with path.open("rb") as handle:
            return parse_state(tomllib.load(handle)), None
    except FileNotFoundError:
        return State(), None
    except (OSError, UnicodeDecodeError) as error:
        return State(), f"{path}: {error}; starting afresh (the file is left as it is)"
    except (tomllib.TOMLDecodeError, ValueError) as error:
        try:
            kept = _move_aside(path)
        except OSError as move_error:
            return State(), f"{path}: {error}; could not move it aside ({move_error})"
        return State(), f"{path}: {error}; moved to {kept.name}, starting afresh"


def save_state(state: State, path: Path | None = None) -> None:
    """Write `state` atomically, readable by its owner only. OSError is the caller's to report."""
    path = path or state_file()
    ensure_private_dir(path.parent)
    payload = tomli_w.dumps(state.to_toml()).encode("utf-8")
    descriptor, temporary = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
