"""A canary for the private parts of Textual the reader relies on.

Each test names one private attribute or method, what the reader uses it for, and fails with that
name when an upgrade of Textual changes it, rather than somewhere deep in a screen test.
"""

from __future__ import annotations

import asyncio

import pytest
import textual
from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import BindingsMap
from textual.renderables.bar import Bar
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Input, OptionList, ProgressBar, Tree
from textual.widgets.option_list import Option

from bulletin_tui.ui.ambiguous_cells import measure_ambiguous_as_wide
from bulletin_tui.ui.search_pane import QueryBox
from bulletin_tui.ui.section_list import SectionList

VERSION = f"Textual {textual.__version__}"


def broke(what: str, why: str) -> str:
    return f"{VERSION}: {what} changed; the reader relies on it to {why}"


class CountingTree(Tree[str]):
    invalidated = 0

    def _invalidate(self) -> None:
        CountingTree.invalidated += 1
        super()._invalidate()


class Harness(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTree("root", id="tree")
        yield OptionList(Option("one\ntwo"), None, Option("three"), id="options")
        yield QueryBox(id="query")


async def test_tree_invalidate_is_called_for_every_node_added() -> None:
    what = "Tree._invalidate (called by TreeNode.add after each node)"
    async with Harness().run_test() as pilot:
        tree = pilot.app.query_one(CountingTree)
        before = CountingTree.invalidated
        tree.root.add("child")
        assert CountingTree.invalidated > before, broke(
            what, "redraw the section list once per batch of nodes (SectionList._invalidate)"
        )


def test_tree_has_no_populating_attribute_of_its_own() -> None:
    # SectionList._populating is ours; read in _invalidate, which Tree.__init__ already calls.
    assert not any("_populating" in vars(cls) for cls in Tree.__mro__), broke(
        "Tree._populating (Textual now defines one)",
        "hold redraws while adding nodes in bulk without clashing with Tree's own state",
    )


async def test_tree_lines_assigns_line_numbers_at_once() -> None:
    what = "Tree._tree_lines (rebuilds the lines and numbers the nodes)"
    async with Harness().run_test() as pilot:
        tree = pilot.app.query_one(CountingTree)
        parent = tree.root.add("parent")
        child = parent.add_leaf("child")
        tree.root.expand()
        parent.expand()
        lines = tree._tree_lines
        assert isinstance(lines, list), broke(what, "number nodes before the idle rebuild")
        assert child.line >= 0, broke(what, "put the cursor on a node just expanded (_move_to)")


def test_tree_guide_lines_are_a_table_of_four() -> None:
    assert set(Tree.LINES) >= {"default", "bold", "double"}, broke(
        "Tree.LINES", "draw the guides in ASCII where ambiguous characters are two cells wide"
    )
    assert all(len(guides) == 4 for guides in Tree.LINES.values()), broke(
        "Tree.LINES (four guides: space, vertical, terminator, cross)", "draw ASCII guides"
    )


def test_bindings_map_of_a_node() -> None:
    what = "DOMNode._bindings (a BindingsMap with key_to_bindings)"
    box = QueryBox()
    bindings = box._bindings
    assert isinstance(bindings, BindingsMap), broke(what, "list live keys and run the box's own")
    assert bindings.key_to_bindings["down"][0].action == "screen.focus_hits", broke(
        what, "run the query box's own bindings in order with the typing (QueryBox._on_key)"
    )
    assert isinstance(bindings.copy(), BindingsMap), broke(what, "show the keys in help")


def test_input_handles_keys_in_on_key() -> None:
    assert "_on_key" in vars(Input), broke(
        "Input._on_key", "see keys in the query box before Input does (QueryBox._on_key)"
    )


async def test_app_loop_is_the_running_loop() -> None:
    async with Harness().run_test() as pilot:
        loop = getattr(pilot.app, "_loop", None)
        assert loop is asyncio.get_running_loop(), broke(
            "App._loop", "stop the event loop from the exit guard's thread (lifecycle.py)"
        )


async def test_option_list_line_tables() -> None:
    what = "OptionList._lines and OptionList._index_to_line"
    async with Harness().run_test() as pilot:
        options = pilot.app.query_one(OptionList)
        lines, index_to_line = options._lines, options._index_to_line
        assert [index for index, _offset in lines[:2]] == [0, 0], broke(
            what, "page through hits of several lines each (OptionPaging)"
        )
        assert index_to_line[1] > index_to_line[0], broke(what, "page through hits")


async def test_option_list_draws_a_divider_as_the_last_strip_of_its_option() -> None:
    what = "OptionList._get_option_render (an option's strips, its divider's rule last)"
    async with Harness().run_test() as pilot:
        options = pilot.app.query_one(OptionList)
        first = options.get_option_at_index(0)
        strips = options._get_option_render(first, options.get_visual_style("option-list--option"))
        assert first._divider and len(strips) == 3, broke(what, "rule hits apart in ASCII")
        assert set(strips[-1].text) == {"─"}, broke(what, "rule hits apart in ASCII")


def test_rich_measures_through_its_table_and_its_one_cell_shortcut() -> None:
    what = "rich.cells.load_cell_table, rich.cells/segment._is_single_cell_widths or their caches"
    why = "count “ ” … · as two cells where the terminal draws them so (ui/ambiguous_cells.py)"
    measure_ambiguous_as_wide(True)
    try:
        measured = (cell_len("“"), cell_len("a·b"), Segment("“招”").cell_length)
        split = Segment("“招”")._split_cells(Segment("“招”"), 2)
    finally:
        measure_ambiguous_as_wide(False)
    assert measured == (2, 4, 6) and split[0].text == "“", broke(what, why)
    assert (cell_len("“"), cell_len("a·b"), cell_len("e\u0301")) == (1, 3, 1), broke(what, why)


def test_progress_bar_renderable_can_be_swapped() -> None:
    assert issubclass(ProgressBar.BAR_RENDERABLE, Bar), broke(
        "ProgressBar.BAR_RENDERABLE", "draw the indexing bar in ASCII where needed"
    )
    assert all(hasattr(Bar, name) for name in ("HALF_BAR_LEFT", "BAR", "HALF_BAR_RIGHT")), broke(
        "textual.renderables.bar.Bar's characters", "draw the indexing bar in ASCII"
    )


def test_scrollbar_renderer_can_be_swapped() -> None:
    assert ScrollBar.renderer is not None, broke("ScrollBar.renderer", "draw colour-only bars")
    for name in ("VERTICAL_BARS", "HORIZONTAL_BARS"):
        bars = getattr(ScrollBarRender, name, None)
        assert isinstance(bars, list) and len(bars) == 8, broke(
            f"ScrollBarRender.{name}", "draw scrollbars without partial block characters"
        )


@pytest.mark.parametrize(
    "handler", ["_on_tree_node_expanded", "_on_tree_node_highlighted", "_on_tree_node_selected"]
)
def test_section_list_handlers_do_not_replace_tree_internals(handler: str) -> None:
    # SectionList handles Tree's messages under these names; Tree must not use them itself.
    assert handler not in vars(Tree), broke(
        f"Tree.{handler} (Textual now defines it)",
        "take the tree's messages without hiding its own",
    )
    assert hasattr(SectionList, handler)
