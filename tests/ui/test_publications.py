"""The reader over several bulletins: publications on top of the section list, U through one
publication before the next, search hits naming their publication, P keeping search, the trend
and related articles to one publication."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.state import State, load_state, save_state
from bulletin_tui.ui.bookmarks import BookmarkList
from bulletin_tui.ui.hit_list import HitList
from bulletin_tui.ui.related import RelatedScreen
from bulletin_tui.ui.search_pane import QueryBox
from bulletin_tui.ui.section_list import SectionList
from bulletin_tui.ui.sparkline import TrendLine
from tests.core.test_publications import three_bulletins
from tests.ui_fixtures import make_app, screen_text, settle, settle_keywords


@pytest.fixture
def roots(tmp_path: Path) -> list[Path]:
    return three_bulletins(tmp_path)


def top_level(app) -> list[str]:
    tree = app.main_screen.query_one(SectionList)
    # As drawn: the count flush right (spaces squeezed here).
    labels = [
        tree.render_label(node, tree.rich_style, tree.rich_style).plain
        for node in tree.root.children
    ]
    return [" ".join(label.split()) for label in labels]


async def test_publications_are_the_top_level(roots: list[Path]) -> None:
    app = make_app(roots, state=State(read={"2024-09-27.1", "2024-09-27.2"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert top_level(app) == [
            "▾ 开发区精神 4",
            "▸ 南哪消息 2025-05-19 38",
            "▸ 《新闻联播》 2024-11-22 6",
        ]
        tree = app.main_screen.query_one(SectionList)
        first = tree.root.children[0]
        assert first.is_expanded and first.children[0].is_expanded  # with its newest issue
        assert app.main_screen.reader.issue.title == "开发区精神"
        # Down to the next publication, open it: its issues, newest first, under it by date.
        await pilot.press("j", "j", "j", "j", "j", "j", "enter")
        await settle(pilot)
        nanna = tree.root.children[1]
        assert nanna.is_expanded
        assert [str(node.label) for node in nanna.children] == [
            "2025-05-19",
            "2024-11-20",
            "2024-09-27",
        ]
        assert top_level(app)[1] == "▾ 南哪消息 2025-05-19 38"
        text = " ".join(screen_text(app).split())
        assert "├ ▸ 2025-05-19 14 " in text


async def test_one_publication_has_no_top_level() -> None:
    app = make_app()  # the sample alone
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.main_screen.query_one(SectionList)
        assert [node.data.kind for node in tree.root.children] == ["issue"]


async def test_next_unread_stays_in_the_publication_then_moves_on(roots: list[Path]) -> None:
    nanna = [
        f"{day}.{n}"
        for day, count in (("2024-09-27", 11), ("2024-11-20", 15), ("2025-05-19", 14))
        for n in range(1, count + 1)
    ]
    read = set(nanna) - {"2024-09-27.5"}
    app = make_app(roots, state=State(read=read, last_article="2025-05-19.1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen.reader.article_id == "2025-05-19.1"
        await pilot.press("U")
        await settle(pilot)
        # The sample comes earlier in the list and is all unread: U stays in 南哪消息.
        assert screen.reader.article_id == "2024-09-27.5"
        await pilot.press("U")
        await settle(pilot)
        # Nothing unread left there: on to the next publication's newest issue.
        assert screen.reader.article_id == "xwlb-2024-11-22.1"
        tree = screen.query_one(SectionList)
        assert tree.cursor_node.data.article_id == "xwlb-2024-11-22.1"
        assert top_level(app)[2] == "▾ 《新闻联播》 2024-11-22 5"


async def test_search_hits_name_their_publication(roots: list[Path]) -> None:
    app = make_app(roots)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"秋粮")
        await settle(pilot)
        hit_list = app.main_screen.search_pane.query_one(HitList)
        title = str(hit_list.get_option_at_index(0).prompt).splitlines()[0]
        assert title.startswith("全国秋粮收购")
        assert title.endswith(" 《新闻联播》 2024-11-21")
        await pilot.press("ctrl+u", *"pub:南哪 讲座")
        await settle(pilot)
        hits = app.main_screen.search_pane.hits
        assert hits and {hit.publication for hit in hits} == {"南哪消息"}


async def test_saved_state_is_unchanged_by_new_publications(roots: list[Path]) -> None:
    # Read, bookmarked and left in a library of one bulletin…
    state = State(
        read={"2024-09-27.1", "2024-11-20.3"},
        bookmarks=["2024-09-27.3"],
        last_article="2024-09-27.3",
        positions={"2024-09-27.3": 0},
    )
    save_state(state)
    # …then two more bulletins are added in front of and after it.
    app = make_app([roots[0], roots[1], roots[2]], state=load_state()[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.main_screen.reader.article_id == "2024-09-27.3"  # the place is kept
        shown = top_level(app)[1]
        assert shown.startswith("▾ 南哪消息 ") and shown.endswith(" 38")  # its publication open
    app.save_state_now()
    after, problem = load_state()
    assert problem is None
    assert (after.read, after.bookmarks, after.last_article, after.positions) == (
        state.read,
        state.bookmarks,
        state.last_article,
        state.positions,
    )


async def test_related_articles_keep_to_the_publication_with_p(roots: list[Path]) -> None:
    app = make_app(roots)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.main_screen.open_article("2024-09-27.3")
        await settle_keywords(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        body = screen.query_one("#related-body")
        assert "P only 南哪消息" in str(body.border_subtitle)
        assert {entry.publication for entry in screen.entries or []} == {"南哪消息", "开发区精神"}
        related = screen.query_one(BookmarkList)
        first = str(related.get_option_at_index(0).prompt).splitlines()[0]
        assert first.endswith("  南哪消息 2025-05-19")  # each names its publication
        await pilot.press("P")
        await settle(pilot)
        assert {entry.publication for entry in screen.entries or []} == {"南哪消息"}
        assert str(body.border_title).endswith(" in 南哪消息")
        assert "P all publications" in str(body.border_subtitle)
        first = str(related.get_option_at_index(0).prompt).splitlines()[0]
        assert first.endswith(" 2025-05-19") and "南哪消息" not in first
        # The choice holds for the next article: its own publication.
        await pilot.press("escape")
        app.main_screen.open_article("000_7b733c25521b607c.2")
        await settle_keywords(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        assert [entry.article_id for entry in screen.entries or []] == [
            "000_7b733c25521b607c.1",
            "000_7b733c25521b607c.3",
        ]
        await pilot.press("P")
        await settle(pilot)
        assert {entry.publication for entry in screen.entries or []} == {"开发区精神", "南哪消息"}


async def test_p_searches_one_publication_and_its_trend(roots: list[Path]) -> None:
    app = make_app(roots)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # A narrow list shortens the latest dates rather than cut them: the day in the newest
        # year, else the month or the year.
        assert top_level(app) == ["▾ 开发区精神 4", "▸ 南哪消息 05-19 40", "▸ 《新闻联播》 2024 6"]
        await pilot.press("G", "enter")  # the last publication, opened: its issues by date alone
        await settle(pilot)
        digest = app.main_screen.query_one(SectionList).root.children[2]
        assert [str(node.label) for node in digest.children] == ["2024-11-22", "2024-11-21"]
        await pilot.press("P")
        await settle(pilot)
        pane = app.main_screen.search_pane
        box = pane.query_one(QueryBox)
        assert box.value == 'pub:"《新闻联播》" ' and box.has_focus
        assert len(pane.hits) == 6
        trend = pane.query_one(TrendLine)
        assert trend.trend is not None and trend.trend.counts == (("2024-W47", 6),)
        await pilot.press(*"国际")
        await settle(pilot)
        assert {hit.article_id for hit in pane.hits} == {"xwlb-2024-11-21.3", "xwlb-2024-11-22.3"}
        assert trend.trend is not None and trend.trend.counts == (("2024-W47", 2),)
        # From the results, P again: every publication, over the library's whole range.
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert box.value == "国际 "
        assert trend.trend is not None and len(trend.trend.counts) == 35


async def test_p_with_one_publication_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert not app.main_screen.searching
        assert "one publication" in " ".join(n.message for n in app._notifications)


async def test_brackets_go_through_one_publication_before_the_next(roots: list[Path]) -> None:
    app = make_app(roots)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        screen.open_article("000_7b733c25521b607c.4")  # the sample's one issue, its last article
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.reader.article_id == "2025-05-19.1"  # 南哪消息's newest issue
        await pilot.press("left_curly_bracket")
        await settle(pilot)
        assert screen.reader.article_id == "000_7b733c25521b607c.1"
        screen.open_article("2024-09-27.11")  # 南哪消息's oldest issue, its last article
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.reader.article_id == "xwlb-2024-11-22.1"  # on to 《新闻联播》's newest
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert screen.reader.article_id == "xwlb-2024-11-21.1"
        assert top_level(app)[2].startswith("▾ 《新闻联播》 ")
