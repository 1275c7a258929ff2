"""Links leaving the reader: opened in the desktop's browser, or drawn as OSC 8 hyperlinks.

Both are decided from the environment alone (no terminal query): a browser needs a display, and
OSC 8 is emitted only for terminals known to support it (a few print the sequence as text).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit

OPENABLE_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
# $TERM_PROGRAM values of terminals that draw OSC 8 hyperlinks.
HYPERLINK_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby"})
HYPERLINK_TERMS = ("xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm", "contour")


def has_display(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return sys.platform == "darwin" or bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def openable(url: str) -> bool:
    """Only web and mail addresses go to the browser; anything else (file:, javascript:, a
    word starting with '-') is copied instead."""
    return urlsplit(url).scheme.lower() in OPENABLE_SCHEMES


def open_in_browser(url: str, env: Mapping[str, str] | None = None) -> bool:
    """Hand `url` to the desktop (xdg-open, or open on macOS); False when there is no display,
    no opener, or the address is not a web or mail one. Never a text browser in this terminal."""
    env = os.environ if env is None else env
    if not has_display(env) or not openable(url):
        return False
    opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open", path=env.get("PATH"))
    if opener is None:
        return False
    try:
        subprocess.Popen(
            [opener, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not ours to wait for, nor to receive our signals
            env=dict(env),
        )
    except OSError:
        return False
    return True


def supports_hyperlinks(env: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal draws OSC 8 hyperlinks; FORCE_HYPERLINK=1/0 decides outright."""
    env = os.environ if env is None else env
    forced = env.get("FORCE_HYPERLINK")
    if forced is not None and forced != "":
        return forced != "0"
    term = env.get("TERM", "")
    if term in ("", "dumb", "linux"):
        return False
    if env.get("WT_SESSION") or env.get("KONSOLE_VERSION") or env.get("DOMTERM"):
        return True
    if env.get("TERM_PROGRAM") in HYPERLINK_PROGRAMS:
        return True
    vte = env.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5000:  # GNOME Terminal, Tilix, Terminator…
        return True
    return term.startswith(HYPERLINK_TERMS)
