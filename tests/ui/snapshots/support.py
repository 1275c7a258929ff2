"""What the snapshot tests share: the sizes, and keys pressed before the picture is taken."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from tests.ui_fixtures import settle, settle_keywords

SIZES = [(100, 30), (80, 24)]
SnapCompare = Callable[..., bool]


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def keys(*pressed: str) -> Callable[[Pilot[int]], Awaitable[None]]:
    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle_keywords(pilot)

    return run_before
