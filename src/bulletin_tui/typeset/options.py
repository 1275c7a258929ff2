"""How text is laid out: the reader's settings, independent of the pane's width."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bulletin_tui.typeset.widths import ambiguous_width_from_env

MIN_MEASURE = 10
MAX_MEASURE = 200
MEASURE_STEP = 2


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """Layout settings; the width in cells is passed to each layout call, as it changes on resize.

    measure: the longest line in Chinese characters (two cells each); 0 lays out to the full width.
    normalise_punctuation: show ASCII `,;:?!()` between Chinese characters full-width.
    ambiguous_width: cells the terminal draws for `“ ” ‘ ’ … — ·` and the like (1 or 2).
    indent: begin body paragraphs with two ideographic spaces.
    """

    measure: int = 40
    normalise_punctuation: bool = True
    ambiguous_width: int = 1
    indent: bool = True

    def __post_init__(self) -> None:
        if self.ambiguous_width not in (1, 2):
            raise ValueError(f"ambiguous_width must be 1 or 2, not {self.ambiguous_width!r}")
        if self.measure < 0:
            raise ValueError(f"measure must be 0 or more, not {self.measure!r}")

    @classmethod
    def from_env(cls, **settings: object) -> LayoutOptions:
        """Options with `ambiguous_width` from `BULLETIN_TUI_AMBIGUOUS_WIDTH` unless given."""
        settings.setdefault("ambiguous_width", ambiguous_width_from_env())
        return cls(**settings)  # type: ignore[arg-type]

    def text_width(self, width: int) -> int:
        """Cells a line of text may take in a pane `width` cells wide (the measure caps it)."""
        width = max(width, 2)
        return min(width, 2 * self.measure) if self.measure else width

    def margin(self, width: int) -> int:
        """Blank cells left of the text that centre it in a pane `width` cells wide."""
        return max(0, (width - self.text_width(width)) // 2)

    def wider(self, steps: int = 1) -> LayoutOptions:
        """The measure widened by `steps` (narrowed when negative), kept within its bounds."""
        measure = self.measure or MAX_MEASURE
        measure = min(MAX_MEASURE, max(MIN_MEASURE, measure + steps * MEASURE_STEP))
        return replace(self, measure=measure)
