"""New issues by themselves: the library watcher's calls turned into messages, and what a
refresh found put into words ("2 new issues")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from bulletin_tui.watch import LibraryWatcher

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from bulletin_tui.library import Library


@dataclass
class LibraryChanged(Message):
    """Issue files were added, changed or removed on disk (sent from the watcher's thread)."""

    paths: frozenset[str]


@dataclass
class WatchReady(Message):
    """The watches are in place: a file added before then is found by one more refresh."""


@dataclass
class WatchTrouble(Message):
    """The watcher fell back to polling, or stopped: say so once."""

    message: str


def start_watcher(app: App[Any], target: DOMNode, library: Library) -> LibraryWatcher:
    """Watch the library's folders; `target` receives LibraryChanged, WatchReady, WatchTrouble."""

    def changed(paths: set[str]) -> None:
        app.call_from_thread(target.post_message, LibraryChanged(frozenset(paths)))

    def trouble(message: str) -> None:
        app.call_from_thread(target.post_message, WatchTrouble(message))

    def ready() -> None:
        app.call_from_thread(target.post_message, WatchReady())

    watcher = LibraryWatcher(library.roots, changed, trouble, ready)
    watcher.start()
    return watcher


def _count(number: int, what: str) -> str:
    return f"{number} {what}" if number == 1 else f"{number} {what.replace('issue', 'issues')}"


def refresh_summary(
    before: Collection[str], after: Collection[str], parsed: int, *, asked: bool
) -> str | None:
    """What a refresh brought, in words; None when there is nothing to say.

    `before`, `after`: issue ids; `parsed`: files read again (new or changed); `asked`: the user
    pressed r and wants an answer even when nothing changed.
    """
    new = len(set(after) - set(before))
    gone = len(set(before) - set(after))
    updated = max(0, parsed - new)
    parts = []
    if new:
        parts.append(_count(new, "new issue"))
    if updated:
        parts.append(_count(updated, "issue updated"))
    if gone:
        parts.append(_count(gone, "issue removed"))
    if parts:
        return ", ".join(parts)
    return "The library is up to date" if asked else None
