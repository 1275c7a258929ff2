"""Colour by design: unread told by weight and the ▪ mark (never an accent that 16 colours turn
red), the terminal's own palette in 8/16-colour terminals, and 4.5:1 contrast for the current
match and links in both themes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style

from bulletin_tui.config import Config
from bulletin_tui.state import State
from bulletin_tui.ui.section_list import READ_MARK, UNREAD_MARK
from tests.ui_fixtures import SEED, make_app, settle, write_library

NEWER = "2024-10-08"


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(style: Style) -> float:
    """WCAG contrast of a resolved style's text against its background."""
    assert style.color is not None and style.bgcolor is not None
    fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
    light, dark = sorted((luminance(tuple(fg)), luminance(tuple(bg))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def title_style(app, article_id: str) -> Style:
    """The style the section list gives an article's title (after its mark)."""
    label = app.main_screen.sections._article_nodes[article_id].label
    mark_end = len(UNREAD_MARK)
    styles = [span.style for span in label.spans if span.start >= mark_end]
    assert len(styles) == 1
    return styles[0]


@pytest.mark.parametrize("colours", ["truecolor", "standard"])
async def test_unread_is_weight_and_the_mark_not_a_colour(tmp_path: Path, colours: str) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library], state=State(read={f"{NEWER}.2"}), color_system=colours)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sections = app.main_screen.sections
        unread = sections._article_nodes[f"{NEWER}.1"].label
        assert unread.plain.startswith(UNREAD_MARK)
        assert title_style(app, f"{NEWER}.1").bold and title_style(app, f"{NEWER}.1").color is None
        read = sections._article_nodes[f"{NEWER}.2"].label
        assert read.plain.startswith(READ_MARK) and not title_style(app, f"{NEWER}.2").bold
        # The base of the line carries no colour either (it would reach the title).
        assert unread.style in ("", Style())


@pytest.mark.parametrize(
    ("theme", "expected"), [("dark", "ansi-dark"), ("light", "ansi-light"), ("nord", "nord")]
)
async def test_sixteen_colours_take_the_terminals_palette(theme: str, expected: str) -> None:
    app = make_app([SEED], config=Config(theme=theme), color_system="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == expected
        assert app.has_class("-few-colours") == (expected != "nord")
    app = make_app([SEED], config=Config(theme=theme))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.theme.startswith("ansi") and not app.has_class("-few-colours")


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_current_match_and_links_reach_4_5_to_1(theme: str) -> None:
    app = make_app([SEED], config=Config(theme=theme))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reader = app.main_screen.reader
        for part in ("match-current", "link"):
            style = reader.rich_style + reader._style(part)
            assert contrast(style) >= 4.5, (theme, part, style)
