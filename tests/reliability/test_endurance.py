"""Endurance: a reader session that opens 1,000 articles and runs 1,000 searches does not grow.

The session cycles through a library of 200 articles, so after the first pass every article's
blocks are loaded (the cache keeps them by design) and whatever grows after that is a leak. Each
open and each search goes through the app as a key would (the reader's open_article, the query
box's value), is fully handled (the search pane's Finished message is awaited) and is painted.

The bound, checked after gc: resident memory may grow by at most GROWTH_MB from the end of the
warm-up (the first WARM_UP opens and searches) to the end. A leak of 20 KB per open-and-search (a
retained layout, a list of hits) would pass it in the 800 that follow; measured here: 1.4 MB. The
widget tree and the thread count must not grow at all.
"""

from __future__ import annotations

import asyncio
import gc
import re
import threading
from pathlib import Path

from bulletin_tui.library import open_library
from bulletin_tui.ui.app import BulletinApp
from bulletin_tui.ui.search_pane import QueryBox, SearchPane
from tests.reliability_support import SEED, seed_issues

OPERATIONS = 1000  # articles opened, and searches run
WARM_UP = 200  # one pass over the library
GROWTH_MB = 16.0
SIZE = (72, 14)  # a small terminal: painting is most of the cost, and a leak is not in the size


def resident_mb() -> float:
    gc.collect()
    status = Path("/proc/self/status").read_text(encoding="ascii")
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert found is not None
    return int(found.group(1)) / 1024


def distinct_queries(count: int) -> list[str]:
    """All different: two-character words of the seed issue, which every issue holds (the full 50
    hits), taking turns with the same words narrowed to one issue's own article (a hit or none)."""
    text = SEED.read_text(encoding="utf-8")
    pairs = [
        text[i : i + 2]
        for i in range(len(text) - 1)
        if all("\u4e00" <= char <= "\u9fff" for char in text[i : i + 2])
    ]
    words = list(dict.fromkeys(pairs))
    assert len(words) >= count // 2
    return [words[n // 2] if n % 2 == 0 else f"第{n % 40}期 {words[n // 2]}" for n in range(count)]


async def test_a_thousand_opens_and_searches_stay_within_the_bound(tmp_path: Path) -> None:
    library = open_library([seed_issues(tmp_path / "library", 40)])
    ids = [article.id for article in library.articles]
    assert len(ids) == WARM_UP
    queries = distinct_queries(OPERATIONS)
    finished: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, SearchPane.Finished):
            finished.append(message.query)

    app = BulletinApp(library, index=False, warm=False)
    samples: list[tuple[int, float]] = []
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        screen = app.main_screen
        await pilot.press("slash")
        box = screen.search_pane.query_one(QueryBox)
        widgets = threads = 0
        for number in range(OPERATIONS):
            assert screen.open_article(ids[number % len(ids)], focus=False) is not None
            box.value = queries[number]
            while not finished or finished[-1] != queries[number]:
                await asyncio.sleep(0)
            await pilot.pause(0)  # painted
            if number + 1 == WARM_UP:
                widgets = len(list(app.screen.walk_children()))
                threads = threading.active_count()
            if (number + 1) % 100 == 0:
                samples.append((number + 1, round(resident_mb(), 1)))
        assert screen.reader.article is not None
        assert screen.reader.article.id == ids[(OPERATIONS - 1) % len(ids)]
        assert len(list(app.screen.walk_children())) == widgets
        assert threading.active_count() <= threads + 1
    start = dict(samples)[WARM_UP]
    growth = max(mb for _, mb in samples) - start
    assert growth <= GROWTH_MB, f"memory grew {growth:.1f} MB after the warm-up: {samples}"
