"""Helpers for the reader's tests: a small library written to tmp_path, and an app to drive.

Config, state and cache already point into a private folder (see conftest.private_home).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from bulletin_tui.config import Config
from bulletin_tui.library import open_library
from bulletin_tui.state import State
from bulletin_tui.ui.app import BulletinApp
from bulletin_tui.ui.main_screen import MainScreen

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_7b733c25521b607c.txt"

NEWER_ISSUE = """\
# 南哪消息 2024-10-08

# **要闻**

## 招商引资再创新高

全年签约项目四十个

本报讯 (记者 丽娜 通讯员 陈瑶) 今年以来,开发区招商工作稳步推进,新签约项目四十个。

招商中心负责人介绍,下一步将继续做好招商服务,详情见[开发区网站](https://example.com/kfq)。

### 重点项目

| 项目 | 投资额 | 状态 |
|---|---|---|
| 热电联产 | 60亿元 | 在建 |
| 储能电站 | 20亿元 | 签约 |

- 优化营商环境
- 加快项目落地

> 招商是发展的生命线。

记者 丽娜 摄

## 校园[bold]新闻[/bold]\x1b]52;c;aGk=\x07速递

本报讯 图书馆延长开放时间至晚上十点。

# **活动预告**

## 讲座预告

周五下午在仙林校区举办讲座,欢迎参加。

## 志愿者招募

招募志愿者二十名,报名截止本周日。
"""

OLDER_ISSUE = """\
# 南哪消息 2024-10-01

# **要闻**

## 国庆假期安排

国庆假期自十月一日至七日,其间图书馆照常开放。

## 食堂营业时间调整

假期期间第一食堂营业时间调整为早七点至晚七点。
"""


def write_library(folder: Path) -> Path:
    """Two dated issues with sections, a table, a list, a quote, a link and a hostile title."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2024-10-08.md").write_text(NEWER_ISSUE, encoding="utf-8")
    (folder / "2024-10-01.md").write_text(OLDER_ISSUE, encoding="utf-8")
    return folder


def long_article_issue(folder: Path, chars: int = 20_000) -> Path:
    """An issue whose single article has `chars` characters of body text."""
    sentence = "开发区坚持以招大引强为重点,以产业招商为主线,积极上门对接,优化服务环境。"
    paragraphs = []
    total = 0
    while total < chars:
        paragraph = sentence * 6
        paragraphs.append(paragraph)
        total += len(paragraph)
    text = "# 长文 2024-12-01\n\n## 一篇很长的文章\n\n" + "\n\n".join(paragraphs) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2024-12-01.md"
    path.write_text(text, encoding="utf-8")
    return path


def make_app(
    paths: Sequence[Path] | None = None,
    *,
    config: Config | None = None,
    state: State | None = None,
    notices: Sequence[str] = (),
    index: bool = True,
    watch: bool = False,
    color_system: str = "truecolor",
) -> BulletinApp:
    """The app over `paths` (default: the seed issue), opened the way `bulletin-tui` opens it.

    `color_system`: what the terminal shows; true colour unless a test says otherwise, so the
    screens do not depend on the $TERM the tests run under."""
    library = open_library(list(paths) if paths else [SEED], refresh=False)
    if not index:
        library.refresh()
    return BulletinApp(
        library,
        config,
        state,
        notices=notices,
        index=index,
        warm=False,
        watch=watch,
        color_system=color_system,
    )


async def settle(pilot: Pilot[int]) -> None:
    """Wait until workers are done and every message has been handled."""
    await pilot.pause()
    # Not workers.wait_for_complete(): it raises when an exclusive worker was cancelled by a
    # newer one (a search overtaken by the next key), which is the app working as meant.
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()
    await pilot.pause()


WAIT = 60.0  # seconds: what a busy machine may take for what a test waits on, never a measure


async def wait_until(
    pilot: Pilot[int], check: Callable[[], bool], what: str, timeout: float = WAIT
) -> None:
    """Let the app run until `check()` holds; fail naming `what` after `timeout` seconds (a
    bound on the wall clock, not on the number of pauses, which a loaded machine makes slow)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


async def settle_keywords(pilot: Pilot[int]) -> None:
    """Settle, then wait for the open article's keyword line (worked out in a thread after the
    article is painted; the first time, jieba loads)."""
    await settle(pilot)
    for _ in range(600):
        screen = pilot.app.screen_stack[0]
        if not isinstance(screen, MainScreen) or not screen.reader.keywords_pending:
            break
        await asyncio.sleep(0.05)
        await settle(pilot)


def main_screen(app: BulletinApp) -> MainScreen:
    return app.main_screen


def screen_text(app: BulletinApp) -> str:
    """What the terminal would show, as text (wide characters once, not padded)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
