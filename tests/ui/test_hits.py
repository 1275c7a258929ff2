"""A legible search pane: each hit a title line (matches marked, date dim at the right) over one
or two dim snippet lines, a rule between hits, the highlight over the whole hit, and the reader
previewing the highlighted hit with its matches marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style

from bulletin_tui.model import Hit
from bulletin_tui.typeset import LayoutOptions
from bulletin_tui.ui.hit_list import HitList, HitStyles, hit_prompt
from bulletin_tui.ui.search_pane import QueryBox
from tests.ui_fixtures import make_app, settle, write_library

STYLES = HitStyles(Style(bold=True), Style(dim=True), Style(italic=True), Style(reverse=True))
SNIPPET = "今年以来，开发区招商工作稳步推进，新签约项目四十个。招商中心负责人介绍，下一步将继续做好招商服务。"


def styled(text, style: Style) -> str:
    """The characters of `text` carrying `style`."""
    return "".join(
        character
        for index, character in enumerate(text.plain)
        if any(span.start <= index < span.end and span.style == style for span in text.spans)
    )


def a_hit(**changes) -> Hit:
    values = dict(
        article_id="2024-10-08.1",
        issue_id="2024-10-08",
        issue_path="2024-10-08.md",
        date=date(2024, 10, 8),
        section="要闻",
        title="招商引资再创新高",
        score=1.0,
        snippet=SNIPPET,
        spans=((8, 10), (26, 28)),
        title_spans=((0, 2),),
    )
    values.update(changes)
    return Hit(**values)


def test_a_hit_is_a_title_line_over_two_dim_snippet_lines() -> None:
    prompt = hit_prompt(a_hit(), 30, STYLES, LayoutOptions())
    title, *snippet = prompt.plain.split("\n")
    assert title.startswith("招商引资再创新高") and title.endswith("2024-10-08")
    assert cell_len(title) == 30  # the date flush right
    assert len(snippet) == 2 and all(line.startswith("  ") for line in snippet)
    assert snippet[-1].endswith("…")  # the snippet goes on
    # The title's match, the snippet's, and what shows of the one cut by the …
    assert styled(prompt, STYLES.match) == "招商" + "招商" + "招"
    assert "今年以来" in styled(prompt, STYLES.snippet)
    assert styled(prompt, STYLES.date) == "2024-10-08"


def test_a_long_title_is_cut_before_the_date_and_an_undated_hit_has_none() -> None:
    long = a_hit(title="关于进一步加强和改进新时代学校招生宣传工作的若干意见")
    title = hit_prompt(long, 30, STYLES, LayoutOptions()).plain.split("\n")[0]
    assert "…" in title and title.endswith("2024-10-08") and cell_len(title) == 30
    undated = hit_prompt(a_hit(date=None), 30, STYLES, LayoutOptions()).plain.split("\n")[0]
    assert undated == "招商引资再创新高"


def test_a_partial_hit_cuts_its_title_to_show_what_it_lacks() -> None:
    hit = a_hit(title="南大合唱团夏季专场演出我们歌唱的理由", missing=("火星车",))
    title = hit_prompt(hit, 36, STYLES, LayoutOptions()).plain.split("\n")[0]
    assert title.startswith("南大合唱团") and "…  缺：火星车" in title
    assert title.endswith("2024-10-08") and cell_len(title) == 36
    # Too narrow for both: some of the title, then as much of the mark as fits.
    hit = a_hit(title=hit.title, missing=("火星车", "海洋研究所"))
    narrow = hit_prompt(hit, 30, STYLES, LayoutOptions()).plain.split("\n")[0]
    assert narrow.startswith("南大合…  缺：火") and "…" in narrow[6:]
    assert narrow.endswith("2024-10-08") and cell_len(narrow) == 30
    short = hit_prompt(a_hit(title="社团活动", missing=hit.missing), 34, STYLES, LayoutOptions())
    assert short.plain.startswith("社团活动  缺：火星车 …")


def test_a_short_snippet_takes_one_line() -> None:
    prompt = hit_prompt(a_hit(snippet="招商工作", spans=((0, 2),)), 30, STYLES, LayoutOptions())
    assert prompt.plain.split("\n")[1:] == ["  招商工作"]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_hits_are_ruled_apart_and_highlighted_whole(library: Path, size) -> None:
    app = make_app([library])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"图书馆")
        await settle(pilot)
        hits = app.main_screen.query_one(HitList)
        assert len(hits.hits) == 2
        assert [hits.get_option_at_index(i)._divider for i in range(2)] == [True, False]
        await pilot.press("down")
        await settle(pilot)
        assert hits.has_focus and hits.highlighted == 0

        def backgrounds(y: int) -> set:
            return {s.style.bgcolor for s in hits.render_line(y) if s.style and s.text.strip()}

        first_lines = len(hits.get_option_at_index(0).prompt.plain.split("\n"))
        assert first_lines >= 2
        highlight = backgrounds(0)
        for y in range(first_lines):  # every line of the hit, snippet too
            assert backgrounds(y) == highlight, y
        assert backgrounds(first_lines + 1) != highlight  # past the rule: the next hit


async def test_the_reader_previews_the_highlighted_hit(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"图书馆")
        await settle(pilot)
        screen = app.main_screen
        hits = screen.query_one(HitList)
        reader = screen.reader
        # The first hit is previewed as soon as the results show, the focus left in the query.
        assert isinstance(app.focused, QueryBox)
        assert reader.article_id == hits.hits[0].article_id
        assert reader.marked_text() and all("图书馆" in t for t in reader.marked_text())
        await pilot.press("down", "j")
        await settle(pilot)
        second = hits.hits[1].article_id
        assert reader.article_id == second and hits.has_focus
        assert "图书馆" in reader.marked_text()
        assert second not in app.state.read  # only looked at
        await pilot.press("enter")
        await settle(pilot)
        assert reader.has_focus and second in app.state.read


def many_hits_issue(folder: Path, count: int = 12) -> Path:
    """An issue of `count` articles about 讲座, each with a title long enough to be cut."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = "".join(
        f"## 图书馆第{n}期学术讲座预告暨读者座谈会报名通知\n\n"
        f"本周在仙林校区图书馆举办第{n}期讲座，欢迎全校师生参加，讲座结束后举行读者座谈会。\n\n"
        for n in range(1, count + 1)
    )
    (folder / "2024-11-01.md").write_text(f"# 南哪消息 2024-11-01\n\n{articles}", "utf-8")
    return folder


@pytest.mark.parametrize("size", [(40, 12), (60, 20)], ids=["40x12", "60x20"])
async def test_hits_fit_beside_the_scrollbar_they_bring(tmp_path: Path, size) -> None:
    # Hits shown in a list that had no scrollbar yet were laid out for the width without one:
    # once theirs appeared, at 40x12 each title's date wrapped onto a line of its own.
    app = make_app([many_hits_issue(tmp_path / "library")])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"讲座")
        await settle(pilot)
        hits = app.main_screen.query_one(HitList)
        found = list(hits.hits)
        hits.show_hits([])  # no results: the scrollbar goes
        await settle(pilot)
        assert not hits.show_vertical_scrollbar
        hits.show_hits(found)
        await settle(pilot)
        assert len(hits.hits) >= 10 and hits.show_vertical_scrollbar
        room = hits.scrollable_content_region.width - 2  # the option's padding
        for index in range(hits.option_count):
            option = hits.get_option_at_index(index)
            for line in option.prompt.plain.split("\n"):
                assert cell_len(line) <= room, (line, room)
            assert option.prompt.plain.split("\n")[0].endswith("2024-11-01")
