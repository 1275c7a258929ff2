"""Links: o opens (a browser with a display, else copied and shown), L lists each address once,
and links are OSC 8 hyperlinks where the terminal draws them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bulletin_tui.ui.browser import open_in_browser, openable, supports_hyperlinks
from bulletin_tui.ui.links import LinksScreen
from tests.ui_fixtures import make_app, settle, write_library

MANY_LINKS = (
    """\
# 南哪消息 2024-11-01

## 链接很多的一篇

详见[开发区网站](https://example.com/kfq)和[学校主页](https://example.edu/)。

"""
    + "\n\n".join(
        ["开发区坚持以招大引强为重点,以产业招商为主线,积极上门对接,优化服务环境。" * 4] * 12
    )
    + """

再见[投资指南](https://example.com/guide),下载[指南全文](https://example.com/guide)。
"""
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = write_library(tmp_path / "library")
    (folder / "2024-11-01.md").write_text(MANY_LINKS, encoding="utf-8")
    return folder


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A display, and an xdg-open that writes down what it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{record}"\n', encoding="utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    return record


WAIT = 60.0  # seconds for xdg-open, a new process, to write: long on a busy machine


def wait_for_file(path: Path) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").endswith("\n"):
            return path.read_text(encoding="utf-8")
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


def test_only_web_and_mail_addresses_go_to_a_browser() -> None:
    assert openable("https://example.com/") and openable("mailto:a@example.com")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "-a", "example.com"):
        assert not openable(url)


def test_hyperlinks_are_used_where_the_terminal_is_known_to_draw_them() -> None:
    assert supports_hyperlinks({"TERM": "xterm-kitty"})
    assert supports_hyperlinks({"TERM": "xterm-256color", "VTE_VERSION": "7600"})
    assert supports_hyperlinks({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"})
    assert supports_hyperlinks({"TERM": "xterm-256color", "WT_SESSION": "x"})
    assert not supports_hyperlinks({"TERM": "xterm"})
    assert not supports_hyperlinks({"TERM": "linux", "VTE_VERSION": "7600"})
    assert not supports_hyperlinks({"TERM": "xterm-kitty", "FORCE_HYPERLINK": "0"})
    assert supports_hyperlinks({"TERM": "xterm", "FORCE_HYPERLINK": "1"})


def test_a_browser_is_started_only_with_a_display_and_a_web_address(
    browser: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not open_in_browser("javascript:alert(1)")
    monkeypatch.delenv("DISPLAY")
    assert not open_in_browser("https://example.com/a")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert open_in_browser("https://example.com/b")
    assert wait_for_file(browser) == "https://example.com/b\n"  # the others never reached it


async def test_o_copies_and_shows_the_only_link_without_a_display(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")  # 招商引资再创新高: one link
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.clipboard == "https://example.com/kfq"
        assert any("https://example.com/kfq" in str(n.message) for n in app._notifications)


async def test_o_opens_the_only_link_in_the_browser_with_a_display(
    library: Path, browser: Path
) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert wait_for_file(browser) == "https://example.com/kfq\n"
        assert app.clipboard == ""


async def test_o_opens_the_one_link_on_screen_and_else_offers_the_list(
    library: Path, browser: Path
) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        reader = app.main_screen.reader
        assert reader.article_id == "2024-11-01.1"
        # The top of the article shows two links: o asks which.
        assert {link.url for link in reader.visible_links()} == {
            "https://example.com/kfq",
            "https://example.edu/",
        }
        await pilot.press("l", "o")
        await settle(pilot)
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert wait_for_file(browser) == "https://example.edu/\n"
        # At the bottom only one address shows (twice): o opens it straight away.
        await pilot.press("G")
        await settle(pilot)
        assert {link.url for link in reader.visible_links()} == {"https://example.com/guide"}
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is app.main_screen
        deadline = time.monotonic() + WAIT
        while wait_for_file(browser).count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wait_for_file(browser).splitlines()[-1] == "https://example.com/guide"


async def test_l_lists_each_address_once_and_y_copies(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        assert [link.url for link in screen.links] == [
            "https://example.com/kfq",
            "https://example.edu/",
            "https://example.com/guide",
        ]
        assert screen.links[0].text == "开发区网站"
        assert screen.links[2].text == "投资指南 · 指南全文"  # one address, both its texts
        await pilot.press("j", "j", "y")
        await settle(pilot)
        assert app.clipboard == "https://example.com/guide"
        assert app.screen is app.main_screen


async def test_links_are_osc8_hyperlinks_where_the_terminal_draws_them(library: Path) -> None:
    app = make_app([library])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        reader = app.main_screen.reader

        def linked() -> set[str]:
            reader._strips.clear()
            urls = set()
            for y in range(reader.scrollable_content_region.height):
                for segment in reader.render_line(y):
                    if segment.style is not None and segment.style.link:
                        urls.add(segment.style.link)
            return urls

        assert not reader.hyperlinks and linked() == set()  # FORCE_HYPERLINK=0 in the tests
        reader.hyperlinks = True
        assert linked() == {"https://example.com/kfq"}


async def test_a_bare_address_is_listed_once_not_as_its_own_text(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    folder = write_library(tmp_path / "library")
    (folder / "2024-11-01.md").write_text(
        "# 南哪消息 2024-11-01\n\n## 讲座\n\n详见：<https://example.com/talk>\n\n"
        "另见[报名表](https://example.com/form)。\n",
        encoding="utf-8",
    )
    app = make_app([folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "L")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert prompts == ["https://example.com/talk", "报名表\nhttps://example.com/form"]
