"""The trend under the search pane's result count: matching articles per period as a sparkline,
over the library's whole date range, first and last period labelled (bulletin_tui.insights).

It follows the query as you type: each change starts a count in an exclusive thread worker, and a
count is drawn only if its query is still the one typed. Hidden when the query is empty or the
library has no dated issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from bulletin_tui.insights import Trend

if TYPE_CHECKING:
    from bulletin_tui.library import Library

BARS = "▂▃▄▅▆▇█"  # a period with matches; ▁ (dim) a period without
ZERO = "▁"
# Block characters are East Asian "ambiguous": two cells wide where ambiguous_width = 2, so there
# the bars rise through ASCII, which every terminal draws one cell wide.
ASCII_BARS = ".:-=+*#"
ASCII_ZERO = "_"


def bucket(counts: Sequence[int], width: int) -> list[int]:
    """Counts merged into at most `width` cells (neighbouring periods summed)."""
    if width <= 0 or not counts:
        return []
    per = -(-len(counts) // width)
    return [sum(counts[at : at + per]) for at in range(0, len(counts), per)]


def spread(cells: int, width: int) -> list[int]:
    """How many columns each of `cells` takes so that together they fill `width` (as evenly as
    whole columns allow): 18 weeks' bars in 34 columns are 1 or 2 wide, not 18 columns of 34."""
    return [width * (n + 1) // cells - width * n // cells for n in range(cells)] if cells else []


def spark(counts: Sequence[int], bars: str = BARS, zero: str = ZERO) -> str:
    most = max(counts, default=0)
    return "".join(
        zero if n == 0 else bars[min(len(bars) - 1, (n * len(bars) - 1) // most)] for n in counts
    )


def labels(first: str, last: str, by: str, width: int) -> str:
    """`first … last` spread over `width` cells, with the period named between when it fits."""
    middle = f"per {by}"
    gap = width - cell_len(first) - cell_len(last)
    if gap >= cell_len(middle) + 2:
        left = (gap - cell_len(middle)) // 2
        return first + " " * left + middle + " " * (gap - left - cell_len(middle)) + last
    if gap >= 1:
        return first + " " * gap + last
    return first


class TrendLine(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"trend-line--zero", "trend-line--bar"}

    DEFAULT_CSS = """
    TrendLine {
        height: 2;
        padding: 0 1;
        color: $text-muted;
        & > .trend-line--bar {
            color: $accent;
        }
        & > .trend-line--zero {
            color: $text-muted;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.latest = ""
        self.trend: Trend | None = None
        self.display = False

    def follow(self, library: Library, query: str) -> None:
        self.latest = query
        if not query.strip():
            self._draw(query, None)
            return
        self.count(library, query)

    @work(thread=True, exclusive=True, group="trend", exit_on_error=False)
    def count(self, library: Library, query: str) -> None:
        try:
            trend: Trend | None = library.insights.trend(query)
        except Exception:  # a query search cannot read: the result count says why
            trend = None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._draw, query, trend)

    def _draw(self, query: str, trend: Trend | None) -> None:
        if query != self.latest:
            return
        self.trend = trend
        self.display = bool(trend and trend.counts)
        self.refresh(layout=True)

    def render(self) -> Text:
        trend = self.trend
        width = self.content_region.width or self.size.width
        if trend is None or not trend.counts or width <= 0:
            return Text("")
        cells = bucket([n for _, n in trend.counts], width)
        line = Text(end="")
        bar = self.get_component_rich_style("trend-line--bar")
        zero = self.get_component_rich_style("trend-line--zero")
        wide = getattr(self.app, "ambiguous_wide", False)
        bars, nothing = (ASCII_BARS, ASCII_ZERO) if wide else (BARS, ZERO)
        widths = spread(len(cells), width)
        for char, columns in zip(spark(cells, bars, nothing), widths, strict=True):
            line.append(char * columns, style=zero if char == nothing else bar)
        first, last = trend.counts[0][0], trend.counts[-1][0]
        line.append("\n" + labels(first, last, trend.by, width))
        return line
