"""What a document's text looks like on screen: made safe, and with Chinese punctuation.

Display normalisation maps ASCII `, ; : ? ! ( )` written between Chinese characters to their
full-width forms, one character for one, so offsets into the source text stay valid for the display
text. The source (and the cache) keep what the document says; `fold_punctuation` lets a search match
both forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import get_character_cell_size

from bulletin_tui.chinese_characters import HAN_CLASS
from bulletin_tui.parse.sanitize import kept_offsets, sanitize_text

_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_SEPARATORS = frozenset(",;:?!")
# Characters that are surely Chinese context (all pass `is_cjk`), for the fast path.
CJK_CLASS = f"\u3001-\u3029\u3030-\u303e{HAN_CLASS}\uff01-\uff60“”‘’…—·"
_BETWEEN_CJK = re.compile(f"(?<=[{CJK_CLASS}])[,;:?!()](?=[{CJK_CLASS}])")
_CANDIDATE = re.compile(r"[,;:?!()]")
_FOLD = str.maketrans({full: ascii_ for ascii_, full in _TO_FULL.items()})
# Characters that read as Chinese context around a punctuation mark.
_CJK_PUNCTUATION = frozenset("“”‘’…—·")
# Whitespace other than the ideographic space shows as a plain space (a tab would move the cursor).
_SPACES = re.compile(r"[^\S\n\u3000 ]")


def is_cjk(char: str) -> bool:
    """A wide character (ideograph, kana, hangul, full-width form) or Chinese-style punctuation."""
    return char in _CJK_PUNCTUATION or (char >= "\u1100" and get_character_cell_size(char) == 2)


def fold_punctuation(text: str) -> str:
    """Full-width `，；：？！（）` as ASCII, one for one: fold query and text to match both forms."""
    return text.translate(_FOLD)


def normalise_punctuation(text: str) -> str:
    """ASCII `, ; : ? ! ( )` next to Chinese shown full-width; same length as `text`.

    A mark is converted when the nearest non-space character on one side is Chinese and on the
    other side is Chinese, another such mark, or the edge of the text (`(记者 … 摄)`); for
    `, ; : ? !` a digit on the other side will do (`介绍,2017年`).
    """
    if not _CANDIDATE.search(text):
        return text
    # The common case in one pass: a mark with a Chinese character right on either side.
    text = _BETWEEN_CJK.sub(_full_width, text)
    if not _CANDIDATE.search(text):
        return text
    chars = list(text)
    for match in _CANDIDATE.finditer(text):
        at = match.start()
        left = _neighbour(chars, at, -1)  # already normalised: a converted mark counts as Chinese
        right = _neighbour(chars, at, 1)
        left_cjk = left is not None and is_cjk(left)
        right_cjk = right is not None and is_cjk(right)
        # A separator between Chinese and a number is Chinese too (`介绍,2017年`); a bracket is
        # left alone there, or `(2017)` at the end of a sentence would come out half converted.
        loose = chars[at] in _SEPARATORS
        left_fits = left is None or left_cjk or (loose and left.isdigit())
        right_fits = right is None or right_cjk or right in _TO_FULL or (loose and right.isdigit())
        if left_fits and right_fits and (left_cjk or right_cjk):
            chars[at] = _TO_FULL[chars[at]]
    return "".join(chars)


def _full_width(match: re.Match[str]) -> str:
    return _TO_FULL[match.group()]


def _neighbour(chars: list[str], at: int, step: int) -> str | None:
    """The nearest character from `at` in direction `step` past spaces; None at a line's end."""
    at += step
    while 0 <= at < len(chars):
        if chars[at] not in " \t":
            return None if chars[at] == "\n" else chars[at]
        at += step
    return None


@dataclass(frozen=True, slots=True)
class Display:
    """Text ready for layout, and where each of its characters came from in the source."""

    text: str
    origin: tuple[int, ...] | None = None  # source offset of each character; None: the same offset

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of display characters `start:end` (end exclusive)."""
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self._source_end()
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def _source_end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0


def prepare(text: str, normalise: bool = True) -> Display:
    """`text` made safe to print, plain spaces for other whitespace, punctuation normalised.

    Escape sequences, control characters (but newline) and bidi overrides are dropped; the result
    records which source offset each remaining character has, so lines can point back into `text`.
    """
    clean = sanitize_text(text)
    origin = None if clean == text else kept_offsets(text)
    if _SPACES.search(clean):
        clean = _SPACES.sub(" ", clean)
    if normalise:
        clean = normalise_punctuation(clean)
    return Display(clean, origin)
