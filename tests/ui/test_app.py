"""Pilot tests of the reader: every key and pane, asserting on state and on the messages sent."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from rich.style import Style
from textual import events
from textual.message import Message
from textual.worker import Worker, WorkerState

from bulletin_tui.config import Config
from bulletin_tui.state import State, load_state, save_state
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.refreshing import Refresher
from bulletin_tui.ui.section_list import BOOKMARK_MARK, READ_MARK, UNREAD_MARK, SectionList
from tests.ui_fixtures import long_article_issue, make_app, screen_text, settle, write_library

NEWER, OLDER = "2024-10-08", "2024-10-01"
FIRST, HOSTILE, TALK, VOLUNTEERS = (f"{NEWER}.{n}" for n in (1, 2, 3, 4))


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


class Recorder:
    """Collects the messages of the given types as the app handles them."""

    def __init__(self, *kinds: type[Message]) -> None:
        self.kinds = kinds
        self.seen: list[Message] = []

    def __call__(self, message: Message) -> None:
        # The hook sees a bubbling message once at every node it passes: keep it once.
        if isinstance(message, self.kinds) and not any(m is message for m in self.seen):
            self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.seen if isinstance(m, kind)]


def label(app, article_id: str) -> str:
    node = app.main_screen.sections._article_nodes[article_id]
    return str(node.label)


def shown(tree: SectionList, node) -> str:
    """A node's line as drawn (issue counts are added when drawing), without the fold icon."""
    text = tree.render_label(node, Style(), Style()).plain
    text = text.removeprefix(tree.ICON_NODE).removeprefix(tree.ICON_NODE_EXPANDED)
    return " ".join(text.split())  # the count is flush right: the padding does not matter here


async def test_first_paint_lists_issues_newest_first_with_unread_counts(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.main_screen.query_one(SectionList)
        issues = [shown(tree, node) for node in tree.root.children]
        # The unread count is flush right, in a column (titles are cut to leave it room).
        assert issues == [f"{NEWER} 南哪消息 4", f"{OLDER} 南哪消息 2"]
        newest = tree.root.children[0]
        assert newest.is_expanded
        assert [shown(tree, n) for n in newest.children] == ["要闻 2", "活动预告 2"]
        assert label(app, FIRST) == UNREAD_MARK + "招商引资再创新高"
        assert app.focused is tree
        # The reader shows the newest issue's contents until an article is chosen.
        assert app.main_screen.reader.issue.id == NEWER
        assert app.main_screen.reader.article is None


async def test_moving_the_cursor_previews_without_marking_read(library: Path) -> None:
    recorder = Recorder(SectionList.ArticleHighlighted, SectionList.ArticleChosen)
    app = make_app([library])
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")  # the section, then its first article
        await settle(pilot)
        reader = app.main_screen.reader
        assert reader.article_id == FIRST
        assert [m.article_id for m in recorder.of(SectionList.ArticleHighlighted)] == [FIRST]
        assert recorder.of(SectionList.ArticleChosen) == []
        assert FIRST not in app.state.read
        await pilot.press("down")
        await settle(pilot)
        assert reader.article_id == HOSTILE


async def test_enter_opens_marks_read_and_focuses_the_reader(library: Path) -> None:
    recorder = Recorder(SectionList.ArticleChosen)
    app = make_app([library])
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert [m.article_id for m in recorder.of(SectionList.ArticleChosen)] == [FIRST]
        assert isinstance(app.focused, Reader)
        assert FIRST in app.state.read
        assert label(app, FIRST) == READ_MARK + "招商引资再创新高"
        tree = app.main_screen.sections
        assert shown(tree, tree.root.children[0]) == f"{NEWER} 南哪消息 3"
        assert shown(tree, tree.root.children[0].children[0]) == "要闻 1"
        assert app.state.last_article == FIRST


async def test_enter_on_an_issue_opens_its_first_unread_article(library: Path) -> None:
    state = State(read={f"{OLDER}.1"})
    app = make_app([library], state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.main_screen.sections
        older = tree.root.children[1]
        assert not older.is_expanded and not older.children  # filled lazily
        await pilot.press("G", "enter")
        await settle(pilot)
        reader = app.main_screen.reader
        assert older.is_expanded and reader.article_id == f"{OLDER}.2"  # .1 is read
        assert reader.has_focus and tree.cursor_node.data.article_id == f"{OLDER}.2"
        assert f"{OLDER}.2" in app.state.read


async def test_enter_on_a_read_issue_and_the_arrows_fold_and_unfold_it(library: Path) -> None:
    app = make_app([library], state=State(read={f"{OLDER}.1", f"{OLDER}.2"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.main_screen.sections
        older = tree.root.children[1]
        await pilot.press("G", "enter")
        await settle(pilot)
        assert older.is_expanded and tree.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert not older.is_expanded
        await pilot.press("right")
        await settle(pilot)
        assert older.is_expanded
        await pilot.press("right")  # into the open issue
        await settle(pilot)
        assert tree.cursor_node.parent is older
        section = tree.cursor_node
        await pilot.press("left")  # folds the section under the cursor
        await settle(pilot)
        assert tree.cursor_node is section and not section.is_expanded
        await pilot.press("left")  # up to the issue
        await settle(pilot)
        assert tree.cursor_node is older
        await pilot.press("left")
        await settle(pilot)
        assert not older.is_expanded


async def test_reader_keys_scroll_and_page(tmp_path: Path) -> None:
    long_article_issue(tmp_path)
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        reader = app.main_screen.reader
        assert reader.has_focus and reader.scroll_y == 0
        await pilot.press("j", "j", "down")
        assert reader.scroll_y == 3
        await pilot.press("k", "up")
        assert reader.scroll_y == 1
        page = reader.scrollable_content_region.height
        await pilot.press("space")
        assert reader.scroll_y == 1 + page
        await pilot.press("pagedown")
        assert reader.scroll_y == 1 + 2 * page
        await pilot.press("b", "pageup")
        assert reader.scroll_y == 1
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y > 0
        await pilot.press("g")
        assert reader.scroll_y == 0
        await pilot.press("end")
        assert reader.scroll_y == reader.max_scroll_y
        await pilot.press("home")
        assert reader.scroll_y == 0


async def test_space_and_b_in_the_list_page_the_reader(tmp_path: Path) -> None:
    long_article_issue(tmp_path)
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        reader = app.main_screen.reader
        assert app.main_screen.sections.has_focus and reader.article is not None
        await pilot.press("space")
        assert reader.scroll_y == reader.scrollable_content_region.height
        await pilot.press("b")
        assert reader.scroll_y == 0


async def test_panes_switch_with_tab_shift_tab_h_and_l(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree, reader = app.main_screen.sections, app.main_screen.reader
        for key, expected in [
            ("tab", reader),
            ("tab", tree),
            ("shift+tab", reader),
            ("shift+tab", tree),
            ("l", reader),
            ("h", tree),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert app.focused is expected, key


async def test_keys_read_with_a_pane_switch_go_to_the_new_pane(tmp_path: Path) -> None:
    """A terminal delivers fast typing in one read: with `l G` the reader goes to the article's
    end (G had moved the list's cursor, and the article shown with it); with `h j` the list's
    cursor moves, not the reader."""
    long_article_issue(tmp_path / "library")
    write_library(tmp_path / "library")
    app = make_app([tmp_path / "library"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        reader, tree = app.main_screen.reader, app.main_screen.sections
        article, line = reader.article_id, tree.cursor_line
        assert article == "2024-12-01.1" and tree.has_focus and reader.scroll_y == 0
        for key in ("l", "G"):  # posted without waiting in between, as the driver does
            app.post_message(events.Key(key, key))
        await settle(pilot)
        assert app.focused is reader and reader.article_id == article
        assert reader.scroll_y == reader.max_scroll_y > 0
        assert tree.cursor_line == line
        for key in ("h", "j"):
            app.post_message(events.Key(key, key))
        await settle(pilot)
        assert app.focused is tree and tree.cursor_line == line + 1


async def test_keys_read_with_enter_in_the_list_go_to_the_article_it_opens(tmp_path: Path) -> None:
    """`Enter G` in one read: the article chosen in the list opens and G takes the reader to its
    end (the list's cursor, and the article shown with it, stay)."""
    long_article_issue(tmp_path / "library")
    write_library(tmp_path / "library")
    app = make_app([tmp_path / "library"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader, tree = app.main_screen.reader, app.main_screen.sections
        tree.select_article("2024-12-01.1")
        await settle(pilot)
        line = tree.cursor_line
        assert tree.has_focus and reader.scroll_y == 0
        for key in ("enter", "G"):  # posted without waiting in between, as the driver does
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await settle(pilot)
        assert app.focused is reader and reader.article_id == "2024-12-01.1"
        assert reader.scroll_y == reader.max_scroll_y > 0
        assert tree.cursor_line == line


async def test_brackets_move_between_articles_and_braces_between_issues(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.main_screen.reader
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader.article_id == FIRST
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert reader.article_id == TALK
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert reader.article_id == HOSTILE
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert reader.article_id == f"{OLDER}.1"
        assert app.main_screen.sections.cursor_node.data.article_id == f"{OLDER}.1"
        await pilot.press("right_curly_bracket")  # there is no older issue
        await settle(pilot)
        assert reader.article_id == f"{OLDER}.1"
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert reader.article_id == FIRST
        # Articles reached this way count as read.
        assert {FIRST, HOSTILE, TALK, f"{OLDER}.1"} <= app.state.read


async def test_next_unread_skips_what_is_read(library: Path) -> None:
    state = State(read={FIRST, HOSTILE, f"{OLDER}.1"})
    app = make_app([library], state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.main_screen.reader
        seen = []
        for _ in range(4):
            await pilot.press("U")
            await settle(pilot)
            seen.append(reader.article_id)
        assert seen[:3] == [TALK, VOLUNTEERS, f"{OLDER}.2"]
        assert seen[3] == f"{OLDER}.2"  # everything is read now: it stays
        assert app.state.read >= {TALK, VOLUNTEERS, f"{OLDER}.2"}


async def test_u_toggles_read_and_m_bookmarks(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert FIRST in app.state.read
        await pilot.press("u")
        await settle(pilot)
        assert FIRST not in app.state.read
        assert label(app, FIRST).startswith(UNREAD_MARK)
        await pilot.press("u")
        await pilot.press("m")
        await settle(pilot)
        assert app.state.bookmarks == [FIRST]
        assert label(app, FIRST) == BOOKMARK_MARK + "招商引资再创新高"
        await pilot.press("m")
        await settle(pilot)
        assert app.state.bookmarks == []


async def test_y_copies_the_article_text(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "y")
        await settle(pilot)
        copied = app.clipboard
        assert copied.startswith("招商引资再创新高\n")
        assert "今年以来,开发区招商工作稳步推进" in copied
        assert "热电联产" in copied


async def test_e_in_a_folder_removed_since_the_start_says_so(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the reader crashed on `e` (Path.cwd() raised)
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "e")
        await settle(pilot)
        assert app.is_running
        shown = [str(n.message) for n in app._notifications]
        assert any("the current folder no longer exists" in n for n in shown), shown


async def test_e_exports_markdown_to_the_configured_folder(library: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    app = make_app([library], config=Config(export_dir=str(folder)))
    umask = os.umask(0o027)  # exports are the user's documents: the umask decides, not us
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("j", "j", "e", "down", "e", "e")
            await settle(pilot)
    finally:
        os.umask(umask)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "2024-10-08 招商引资再创新高.md",
        "2024-10-08 校园[bold]新闻[ bold]速递 (2).md",
        "2024-10-08 校园[bold]新闻[ bold]速递.md",
    ]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o640}
    text = (folder / "2024-10-08 招商引资再创新高.md").read_text(encoding="utf-8")
    assert text.startswith("# 招商引资再创新高\n")
    assert "[开发区网站](<https://example.com/kfq>)" in text
    assert "| 热电联产 | 60亿元 | 在建 |" in text


async def test_plus_and_minus_change_the_measure(library: Path) -> None:
    app = make_app([library], config=Config(measure=20))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        reader = app.main_screen.reader
        from rich.cells import cell_len

        def widest() -> int:
            return max(cell_len(line) for line in reader.all_lines())

        assert widest() <= 40
        await pilot.press("plus", "plus")
        await settle(pilot)
        assert app.main_screen.options.measure == 24
        assert 40 < widest() <= 48
        await pilot.press("minus", "minus", "minus")
        await settle(pilot)
        assert app.main_screen.options.measure == 18
        assert widest() <= 36


async def test_p_toggles_full_width_punctuation(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        reader = app.main_screen.reader
        body = "".join(reader.all_lines())
        assert "今年以来，开发区" in body  # shown full-width by default
        await pilot.press("p")
        await settle(pilot)
        assert app.main_screen.options.normalise_punctuation is False
        assert "今年以来,开发区" in "".join(reader.all_lines())  # as the document wrote it
        await pilot.press("p")
        await settle(pilot)
        assert "今年以来，开发区" in "".join(reader.all_lines())


async def test_markup_in_a_title_is_shown_literally(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")
        await settle(pilot)
        assert app.main_screen.reader.article_id == HOSTILE
        screen = screen_text(app)
        assert "校园[bold]新闻[/bold]速递" in screen
        assert "\x1b" not in screen and "\x07" not in screen


async def test_links_can_be_listed_and_their_address_copied(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "L")
        await settle(pilot)
        assert type(app.screen).__name__ == "LinksScreen"
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard == "https://example.com/kfq"
        assert app.screen is app.main_screen


async def test_help_lists_the_live_bindings_after_the_keymap(library: Path) -> None:
    app = make_app([library], config=Config(keymap={"next_article": "ctrl+n", "search": "s"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.main_screen.reader.article_id == FIRST
        await pilot.press("right_square_bracket")  # no longer bound
        await settle(pilot)
        assert app.main_screen.reader.article_id == FIRST
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "^n" in text and "Next / previous article" in text
        assert "Next unread" in text and "Export to Markdown" in text
        assert "s help" not in text and "? help" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert "s search" in screen_text(app)


async def test_a_refused_remap_leaves_the_default_key_and_its_hint(library: Path) -> None:
    """quit = "j" would take j from moving down: refused, quit stays on q and says so."""
    app = make_app([library], config=Config(keymap={"quit": "j", "search": "s"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert ("q", "quit") in screen.status.hints and ("s", "search") in screen.status.hints
        assert "q quit" in screen_text(app) and "j quit" not in screen_text(app)
        assert any("stays on 'q'" in notice for notice in app.startup_notices)
        line = screen.sections.cursor_line
        await pilot.press("j")
        await settle(pilot)
        assert app.is_running and screen.sections.cursor_line == line + 1
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_every_action_is_in_the_command_palette(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.main_screen)}
        for title in [
            "Search",
            "Next article",
            "Previous article",
            "Next issue",
            "Previous issue",
            "Next match",
            "Previous match",
            "Bookmark",
            "Toggle read",
            "Next unread",
            "Copy article",
            "Export to Markdown",
            "Bookmarks",
            "Open the link",
            "Links in the article",
            "Look for new issues now",
            "Wider measure",
            "Narrower measure",
            "Full-width ,;:?!() on/off",
            "Help",
        ]:
            assert title in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Next unread")
        await settle(pilot)  # the palette's search (a worker) has its hits listed
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.reader.article_id == FIRST


async def test_narrow_terminals_show_one_pane_at_a_time(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        sidebar, reader = screen.query_one("#sidebar"), screen.reader
        assert screen.has_class("-narrow")
        assert sidebar.display and not reader.display
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert reader.display and not sidebar.display and reader.has_focus
        assert "今年以来" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert sidebar.display and not reader.display and screen.sections.has_focus
        await pilot.press("tab")
        await settle(pilot)
        assert reader.display and reader.has_focus


async def test_resizing_at_any_moment_never_crashes(library: Path) -> None:
    app = make_app([library])
    sizes = [(69, 24), (10, 3), (200, 60)]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for keys in [
            (),
            ("j", "j", "enter"),
            ("slash", "招"),
            ("escape", "escape"),
            ("question_mark",),
        ]:
            await pilot.press(*keys)
            for size in sizes:
                await pilot.resize_terminal(*size)
                await pilot.pause()
        await settle(pilot)
        assert app.is_running
        assert "招商引资再创新高" in screen_text(app) or app.screen is not app.main_screen


async def test_indexing_runs_after_first_paint_with_progress(library: Path) -> None:
    recorder = Recorder(Refresher.Progress, Worker.StateChanged)
    app = make_app([library], index=True)
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        progress = recorder.of(Refresher.Progress)
        assert progress and progress[-1].done == progress[-1].total == 2
        ended = [
            m.worker.result
            for m in recorder.of(Worker.StateChanged)
            if m.worker.group == "index" and m.state == WorkerState.SUCCESS
        ]
        assert ended == [2]  # files read
        status = app.main_screen.status
        assert not app.indexing and status.progress is None
        assert not status.left.startswith("Indexing")
        assert not app.main_screen.query_one("#progress").display
        assert len(app.main_screen.sections.root.children) == 2


async def test_progress_messages_not_yet_handled_give_way_to_newer_ones(library: Path) -> None:
    recorder = Recorder(Refresher.Progress)
    app = make_app([library], index=False)
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        app.refresher.running = True
        for done in range(1, 51):
            app.post_message(Refresher.Progress(done, 50, "x"))
        await pilot.pause()
        assert recorder.of(Refresher.Progress) == [Refresher.Progress(50, 50, "x")]
        assert app.main_screen.status.left == "Indexing 50/50"


async def test_reader_positions_coalesce_per_article(library: Path) -> None:
    """A newer place of the same article replaces one not yet handled; another article's
    place never does (its last place would not be saved)."""
    recorder = Recorder(Reader.Moved)
    app = make_app([library])
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        recorder.seen.clear()
        reader = app.main_screen.reader
        for message in [
            Reader.Moved(TALK, 5, 10),
            Reader.Moved(TALK, 9, 20),
            Reader.Moved(FIRST, 3, 5),
            Reader.Moved(FIRST, 4, 6),
        ]:
            reader.post_message(message)
        await pilot.pause()
        assert recorder.of(Reader.Moved) == [Reader.Moved(TALK, 9, 20), Reader.Moved(FIRST, 4, 6)]
        assert app.state.positions[TALK] == 9 and app.state.positions[FIRST] == 4


async def test_the_last_place_is_restored(library: Path) -> None:
    state = State(last_article=TALK)
    app = make_app([library], state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.main_screen.reader.article_id == TALK
        assert app.main_screen.sections.cursor_node.data.article_id == TALK
        assert app.main_screen.reader.has_focus


async def test_each_library_reopens_at_its_own_last_article(library: Path) -> None:
    """Reading the sample in between does not send the library back to its front page."""
    from tests.ui_fixtures import SEED

    state = State()
    app = make_app([library], state=state)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert app.main_screen.reader.article_id == FIRST
    sample = make_app([SEED], state=state)
    async with sample.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert sample.main_screen.reader.article_id not in (None, FIRST)
    again = make_app([library], state=state)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.main_screen.reader.article_id == FIRST
        assert again.main_screen.reader.has_focus


async def test_scroll_positions_are_kept_per_article(tmp_path: Path) -> None:
    long_article_issue(tmp_path / "a")
    recorder = Recorder(Reader.Moved)
    app = make_app([tmp_path / "a"])
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter", "space", "space")
        await settle(pilot)
        reader = app.main_screen.reader
        offset = reader.top_offset()
        assert offset > 0
        assert recorder.of(Reader.Moved)[-1].offset == offset
        assert app.state.positions["2024-12-01.1"] == offset
        await pilot.press("q")
        await settle(pilot)
    saved, notice = load_state()
    assert notice is None and saved.positions["2024-12-01.1"] == offset
    # At another width the same text comes back to the top of the reader.
    again = make_app([tmp_path / "a"], state=saved)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = again.main_screen.reader
        assert reader.article_id == "2024-12-01.1"
        top = reader.top_offset()
        assert top <= offset < top + 100


async def test_quitting_saves_marks_and_bookmarks(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter", "m", "q")
        await settle(pilot)
    assert app.return_value == 0
    saved, _ = load_state()
    assert saved.read == {FIRST} and saved.bookmarks == [FIRST] and saved.last_article == FIRST


async def test_an_app_given_no_state_keeps_the_marks_saved_on_disk(library: Path) -> None:
    """Driven by a script against the real state folder, the app adds to what is saved there."""
    save_state(State(read={OLDER + ".1"}, bookmarks=[TALK]))  # saved by an earlier run
    app = make_app([library])  # no state given: the app opens the saved one, as the CLI does
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.state.bookmarks == [TALK]
        await pilot.press("j", "j", "enter", "m", "q")
        await settle(pilot)
    saved, _ = load_state()
    assert saved.bookmarks == [TALK, FIRST] and saved.read == {OLDER + ".1", FIRST}


async def test_problems_at_start_are_notified(library: Path) -> None:
    app = make_app(
        [library],
        config=Config(theme="no-such-theme", keymap={"fly": "f"}),
        notices=["config.toml, line 3, key 'measure': must be a whole number"],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("line 3, key 'measure'" in m for m in messages)
        assert any("unknown theme 'no-such-theme'" in m for m in messages)
        assert any("'fly': no key binding has this id" in m for m in messages)


async def test_themes_and_no_color(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app([library], config=Config(theme="light"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert app.no_color
        assert app.animation_level == "none"


async def test_a_long_article_paints_its_first_screens_then_the_rest(tmp_path: Path) -> None:
    long_article_issue(tmp_path)
    app = make_app([tmp_path])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reader = app.main_screen.reader
        article_id = "2024-12-01.1"
        app.main_screen.open_article(article_id)
        first = reader.all_lines()
        await settle(pilot)
        whole = reader.all_lines()
        assert 24 < len(first) < len(whole)
        # The same lines, then the rest (line 1, the keyword line, is filled in meanwhile).
        assert whole[0] == first[0] and first[1] == ""
        assert whole[2 : len(first) - 1] == first[2:-1]
        assert reader.max_scroll_y == len(whole) - reader.scrollable_content_region.height


async def test_issues_past_the_first_screen_follow_the_first_paint(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin_tui.ui import issue_tree

    monkeypatch.setattr(issue_tree, "FIRST_ISSUES", 1)
    app = make_app([library], state=State(last_article=f"{OLDER}.2"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.main_screen.sections
        assert [node.data.issue_id for node in tree.root.children] == [NEWER, OLDER]
        assert app.main_screen.reader.article_id == f"{OLDER}.2"
        assert tree.cursor_node.data.article_id == f"{OLDER}.2"


async def test_the_stacked_list_says_the_issues_are_coming_on_a_first_run(library: Path) -> None:
    """At 60 columns only the list shows: it, not the hidden reader, says why it is empty."""
    import threading

    from tests.ui_fixtures import wait_until

    app = make_app([library], index=True)
    go = threading.Event()
    refresh = app.library.refresh

    def held_refresh(**kwargs: object) -> object:
        go.wait(30)
        return refresh(**kwargs)  # type: ignore[arg-type]

    app.library.refresh = held_refresh  # type: ignore[method-assign]
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: app.indexing, "the refresh to start")
        await pilot.pause()
        assert not app.main_screen.reader.display
        assert "No issues yet." in screen_text(app)
        go.set()
        await wait_until(pilot, lambda: not app.indexing, "the refresh to end")
        await settle(pilot)
        text = screen_text(app)
        assert "No issues yet." not in text and "2024-10-08" in text


async def test_the_stacked_list_says_an_empty_library_is_empty(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    app = make_app([tmp_path / "empty"], index=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert "The library is empty." in screen_text(app)
