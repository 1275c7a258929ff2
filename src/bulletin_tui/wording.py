"""Counts said in English, the same in the app, the command line and the core's own messages."""

from __future__ import annotations


def plural(number: int, thing: str, things: str | None = None) -> str:
    """`thing` as `number` of them are said: the singular for one only ("0 files", "1 file").
    `things`: the plural where it is not `thing` with an s ("issue updated", "issues updated")."""
    if number == 1:
        return thing
    return things if things is not None else f"{thing}s"


def counted(number: int, thing: str, things: str | None = None) -> str:
    """`number` and `thing`, plural unless one: 1 issue, 3 issues."""
    return f"{number} {plural(number, thing, things)}"
