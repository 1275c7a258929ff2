"""Strip everything that could drive a terminal from document text.

Rich and Textual pass ESC through to the terminal, so a bulletin containing `ESC ] 52 ; …` could write
the user's clipboard, retitle the window or hide text. Every string taken from a document goes through
`sanitize_text` before it reaches the model; the renderers call it again defensively.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings (terminated by BEL or
# ST, or running to the end of the line when the terminator is missing: a terminal would swallow the
# text up to it), and two-character escapes (ESC + one byte). The 8-bit C1 forms (0x9B CSI, 0x9D OSC,
# 0x90 DCS …) are matched the same way.
_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?      # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?  # OSC, DCS …
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                              # other escapes
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings, overrides
# and isolates that can reorder what the user sees (a "Trojan Source" title).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitize_text(text: str) -> str:
    """Return `text` without escape sequences, control characters or bidi overrides."""
    if text.isprintable():  # the common case: nothing to do, and cheap to check
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def kept_offsets(text: str) -> tuple[int, ...]:
    """The offsets in `text` of the characters `sanitize_text(text)` keeps, in order.

    For a renderer that must point back into the original text (search highlights) after making it
    safe: `"".join(text[i] for i in kept_offsets(text)) == sanitize_text(text)`.
    """
    dropped = bytearray(len(text))
    for match in _SEQUENCE.finditer(text):
        dropped[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return tuple(at for at, gone in enumerate(dropped) if not gone and not _CONTROL.match(text, at))
