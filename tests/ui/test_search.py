"""Pilot tests of the search pane: results follow the typing, Enter lands on the matches, n/N move."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bulletin_tui.model import Hit
from bulletin_tui.ui.reader import Reader
from bulletin_tui.ui.search_pane import HitList, QueryBox, SearchPane
from bulletin_tui.ui.section_list import SectionList
from tests.ui.test_app import Recorder
from tests.ui_fixtures import SEED, make_app, screen_text, settle, write_library

TARGET = "000_7b733c25521b607c.2"  # 招商引资蹄疾步稳


async def test_slash_opens_the_pane_and_results_follow_the_typing() -> None:
    recorder = Recorder(SearchPane.Finished)
    app = make_app([SEED])
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        assert pane.display and isinstance(app.focused, QueryBox)
        assert not app.main_screen.query_one(SectionList).display
        await pilot.press("招")
        await settle(pilot)
        await pilot.press("商")
        await settle(pilot)
        assert [h.article_id for h in pane.hits] == [TARGET]
        assert recorder.of(SearchPane.Finished)[-1] == SearchPane.Finished("招商", 1)
        hits = app.main_screen.query_one(HitList)
        assert hits.option_count == 1 and hits.highlighted == 0
        text = screen_text(app)
        assert "招商引资蹄疾步稳" in text and "1 result" in text
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        assert pane.hits == [] and hits.option_count == 0


@pytest.mark.parametrize(
    ("query", "marked"),
    [("zsyz", "招商引资"), ("招商印资蹄疾步稳", "招商引资蹄疾步稳"), ("招商引資", "招商引资")],
)
async def test_pinyin_near_miss_and_traditional_hits_mark_their_titles(
    query: str, marked: str
) -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *query)
        await settle(pilot)
        hits = app.main_screen.query_one(HitList)
        assert hits.hits[0].article_id == TARGET
        line = [(s.text, s.style) for s in hits.render_line(0) if s.text.strip()]
        assert "".join(text for text, style in line if style and style.reverse) == marked


async def test_stale_results_are_dropped() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        fresh = list(pane.hits)
        stale = Hit("x.1", "x", "x.md", None, None, "过时的结果", 1.0, "过时")
        pane._show("招", [stale])  # a slower search for an earlier query finishing late
        assert pane.hits == fresh


async def test_a_search_running_while_typing_goes_on_never_shows(monkeypatch) -> None:
    app = make_app([SEED])
    release = threading.Event()
    real_search = app.library.search

    def slow_search(query: str, limit: int = 20) -> list[Hit]:
        if query == "招":
            release.wait(5)
        return real_search(query, limit)

    monkeypatch.setattr(app.library, "search", slow_search)
    recorder = Recorder(SearchPane.Finished)
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招")
        await pilot.pause()
        await pilot.press("商")
        await pilot.pause(0.2)
        release.set()
        await settle(pilot)
        assert [m.query for m in recorder.of(SearchPane.Finished)] == ["招商"]
        assert [h.article_id for h in app.main_screen.query_one(SearchPane).hits] == [TARGET]


async def test_enter_opens_the_article_with_every_match_highlighted() -> None:
    recorder = Recorder(SearchPane.HitChosen, Reader.MatchMoved)
    app = make_app([SEED])
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.main_screen.query_one(Reader)
        assert reader.has_focus and reader.article_id == TARGET
        (chosen,) = recorder.of(SearchPane.HitChosen)
        assert chosen.query == "招商" and chosen.hit.article_id == TARGET
        expected = reader.article.body_text.count("招商") + reader.article.title.count("招商")
        assert reader.match_count == expected > 10
        assert set(reader.marked_text()) == {"招商"}
        assert recorder.of(Reader.MatchMoved)[-1] == Reader.MatchMoved(0, expected)
        first_line = reader._marks.first_lines[0]
        top = round(reader.scroll_y)
        assert top <= first_line < top + reader.scrollable_content_region.height
        assert "match 1/" in screen_text(app)
        assert TARGET in app.state.read


async def test_n_and_shift_n_move_through_the_matches_and_scroll_to_them() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商", "enter")
        await settle(pilot)
        reader = app.main_screen.query_one(Reader)
        count = reader.match_count
        await pilot.press("n", "n")
        assert reader.match_index == 2
        await pilot.press("N")
        assert reader.match_index == 1
        await pilot.press("N", "N")
        assert reader.match_index == count - 1  # wraps around
        line = reader._marks.first_lines[reader.match_index]
        top = round(reader.scroll_y)
        assert top > 0 and top <= line < top + reader.scrollable_content_region.height
        await pilot.press("n")
        assert reader.match_index == 0


async def test_escape_goes_back_to_the_results_then_to_the_list() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, HitList)
        await pilot.press("escape")
        await settle(pilot)
        tree = app.main_screen.query_one(SectionList)
        assert app.focused is tree and tree.display
        assert tree.cursor_node.data.article_id == TARGET
        # The article stays open with its matches.
        assert app.main_screen.query_one(Reader).match_count > 0


async def test_results_can_be_walked_with_j_and_k(tmp_path: Path) -> None:
    library = write_library(tmp_path / "library")
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"图书馆")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        assert len(pane.hits) == 2
        await pilot.press("down")
        hits = app.main_screen.query_one(HitList)
        assert hits.has_focus and hits.highlighted == 0
        await pilot.press("j")
        assert hits.highlighted == 1
        await pilot.press("k", "j", "enter")
        await settle(pilot)
        assert app.main_screen.query_one(Reader).article_id == pane.hits[1].article_id


async def test_nothing_found_says_so() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"不存在的词")
        await settle(pilot)
        assert "No match for 不存在的词" in screen_text(app)
        await pilot.press("enter")  # nothing to open: nothing happens
        await settle(pilot)
        assert isinstance(app.focused, QueryBox)


@pytest.mark.parametrize("size", [(60, 20)])
async def test_search_in_a_narrow_terminal(size: tuple[int, int]) -> None:
    app = make_app([SEED])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商", "enter")
        await settle(pilot)
        reader = app.main_screen.query_one(Reader)
        assert reader.display and not app.main_screen.query_one("#sidebar").display
        await pilot.press("escape")
        await settle(pilot)
        assert app.main_screen.query_one("#sidebar").display and not reader.display


def _many_lectures(folder: Path, count: int) -> Path:
    """One issue of `count` articles, each a lecture notice."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["# 讲座周刊 2024-03-01", "", "# **讲座**", ""]
    for number in range(count):
        parts += [f"## 第{number + 1}场讲座", "", f"本周讲座安排之{number + 1}。", ""]
    (folder / "2024-03-01.md").write_text("\n".join(parts), encoding="utf-8")
    return folder


async def test_the_true_total_and_more_hits_as_the_cursor_nears_the_end(tmp_path: Path) -> None:
    app = make_app([_many_lectures(tmp_path / "lectures", 130)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"讲座")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        hits = app.main_screen.query_one(HitList)
        assert len(pane.hits) == 50 and pane.total == 130
        assert "130 results" in screen_text(app)
        await pilot.press("down")  # into the results
        await pilot.press("G")  # the bottom: the next page comes
        await settle(pilot)
        assert len(pane.hits) == 100 and hits.option_count == 100
        assert hits.highlighted == 49  # the cursor stays where it was
        await pilot.press("G")
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        assert len(pane.hits) == 130 and hits.option_count == 130
        assert len({hit.article_id for hit in pane.hits}) == 130
        assert hits.highlighted == 129


async def test_moving_down_near_the_last_hit_loads_the_next_page(tmp_path: Path) -> None:
    app = make_app([_many_lectures(tmp_path / "lectures", 130)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"讲座")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        hits = app.main_screen.query_one(HitList)
        await pilot.press("down", *["j"] * 44)  # into the results, then six hits from the end
        await settle(pilot)
        assert hits.highlighted == 44 and len(pane.hits) == 50
        await pilot.press("j")
        await settle(pilot)
        assert len(pane.hits) == 100 and hits.option_count == 100 and hits.highlighted == 45


async def test_a_partial_hit_says_what_it_lacks_and_nothing_found_suggests(tmp_path: Path) -> None:
    app = make_app([_many_lectures(tmp_path / "lectures", 3)])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"安排 火星车")
        await settle(pilot)
        pane = app.main_screen.query_one(SearchPane)
        assert len(pane.hits) == 3 and all(hit.missing == ("火星车",) for hit in pane.hits)
        assert "缺：火星车" in screen_text(app)
        await pilot.press(*["backspace"] * 6, *"木星探测")
        await settle(pilot)
        assert pane.hits == []
        text = screen_text(app)
        assert "No match for 木星探测" in text and "木星 (0)" in text


async def test_keys_read_together_keep_their_order() -> None:
    """A terminal delivers fast typing in one read: Ctrl+U then 招商, or Enter then q, reach the
    app together. Editing keys and Enter must act before the keys behind them."""
    from textual import events

    app = make_app([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "讲", "座")
        await settle(pilot)
        box = app.main_screen.query_one(QueryBox)
        # Posted without waiting in between, as the driver does with one read of input.
        for key, character in (("ctrl+u", None), ("招", "招"), ("商", "商"), ("backspace", None)):
            app.post_message(events.Key(key, character))
        app.post_message(events.Key("商", "商"))
        await settle(pilot)
        assert box.value == "招商"
        await settle(pilot)
        app.post_message(events.Key("enter", None))
        app.post_message(events.Key("n", "n"))
        await settle(pilot)
        assert box.value == "招商"
        assert isinstance(app.focused, Reader) and app.focused.article_id == TARGET


async def test_a_query_typed_with_its_enter_opens_its_first_hit() -> None:
    """招商, Enter and n in one read: Enter comes before the box's Changed messages reach the
    pane, yet it opens the first hit of 招商, and the n behind it goes to the reader."""
    from textual import events

    app = make_app([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        for key, character in (("招", "招"), ("商", "商"), ("enter", None), ("n", "n")):
            app.post_message(events.Key(key, character))
        await settle(pilot)
        box = app.main_screen.query_one(QueryBox)
        assert box.value == "招商"
        assert isinstance(app.focused, Reader) and app.focused.article_id == TARGET


async def test_keys_read_with_the_slash_go_into_the_query() -> None:
    """/招商 in one read (a fast typist over SSH): the box has the focus before 招商 is handled,
    the first time the pane is opened and the next."""
    from textual import events

    app = make_app([SEED])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for query in ("招商", "讲座"):
            for key, character in (("slash", "/"), (query[0], query[0]), (query[1], query[1])):
                app.post_message(events.Key(key, character))
            await settle(pilot)
            assert app.main_screen.query_one(QueryBox).value == query
            await pilot.press("escape")
            await settle(pilot)


async def test_a_query_that_finds_nothing_clears_the_preview() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        screen = app.main_screen
        assert screen.reader.article_id == TARGET and "蹄疾步稳" in screen_text(app)
        await pilot.press("ctrl+u", *"zzqqxx")
        await settle(pilot)
        assert screen.search_pane.hits == []
        assert screen.reader.article is None
        text = screen_text(app)
        assert "蹄疾步稳" not in text and "Nothing matches zzqqxx" in text
        assert "match" not in screen.status.right and "%" not in screen.status.right
        await pilot.press("escape")  # back to the list: the article last shown comes back
        await settle(pilot)
        assert screen.sections.has_focus and screen.reader.article_id == TARGET


async def test_a_query_that_cannot_be_searched_clears_the_preview_and_says_why() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        screen = app.main_screen
        assert screen.reader.article_id == TARGET
        await pilot.press("ctrl+u", *"-通知")  # only what to leave out: refused
        await settle(pilot)
        assert screen.reader.article is None
        text = screen_text(app)
        assert "蹄疾步稳" not in text and "only says what to leave out" in text
        assert "match" not in screen.status.right


async def test_stacked_the_status_line_speaks_of_the_pane_shown() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        screen = app.main_screen
        assert not screen.reader.display and screen.reader.article_id == TARGET
        status = screen.status
        assert status.right == ""  # the hidden reader's match, percent and place are not said
        assert "Esc back" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.display and status.right.startswith("match 1/")
        await pilot.press("escape")  # the results again: still nothing of the reader's
        await settle(pilot)
        assert not screen.reader.display and status.right == ""
        await pilot.press("escape")  # the section list: the article's place in its issue
        await settle(pilot)
        assert screen.sections.has_focus and status.right == "2 / 4 articles"


async def test_emptying_the_query_brings_back_the_article_read_before_the_search() -> None:
    app = make_app([SEED])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        await pilot.press("j", "j", "j")  # 开发区“书记项目”展现“芳华”
        await settle(pilot)
        before = screen.reader.article_id
        assert before is not None and before != TARGET
        await pilot.press("slash", "招", "商")
        await settle(pilot)
        assert screen.reader.article_id == TARGET and screen.status.match is not None
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert "Type to search" in screen_text(app)
        assert screen.reader.article_id == before
        assert screen.status.match is None and "match" not in screen.status.right
        assert "书记项目" in screen_text(app) and "蹄疾步稳" not in screen_text(app)
