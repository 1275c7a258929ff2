"""Breaking a paragraph into lines of at most a given number of terminal cells.

A break may fall between any two Chinese characters and at spaces; Latin words, numbers and URLs stay
whole unless longer than a line. 避头尾 (kinsoku) is a property of each break: none before a closing
mark (`，。）”…` and their ASCII forms), none after an opening one (`（《“`), so a mark travels with
its character and a line is never made wider to keep it.

Breaks are chosen over the whole paragraph: each line either ends within `SLACK` cells of the width
or is as long as it can be, and among such layouts the one with the smallest sum of squared shortfalls
wins (a lone character on the last line counts extra). Greedy filling comes first and is kept
where it is tight, which it is for most lines of Chinese; around each line it leaves short (and a
lone last character) a beam search over the candidate breaks of the few lines before and after
finds a better layout if there is one, so the work grows with the faults, not the paragraph.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from bulletin_tui.line_break_rules import NO_END, NO_START
from bulletin_tui.typeset.punctuation import is_cjk
from bulletin_tui.typeset.widths import cell_width

SPACES = frozenset(" \u3000")

SLACK = 6  # a line other than a paragraph's last ends at most this many cells short …
GREEDY_ENOUGH = 3  # … and greedy lines no more than this short need no search
LINE_COST = 1  # per line, so the search never adds a line for nothing
WIDOW_COST = 80  # a last line holding a single character (with its marks)
BEAM = 8  # line starts kept per line in the search
BEHIND, AHEAD = 4, 3  # lines before and after a short one that its repair may break anew

_INFINITY = float("inf")


class _CjkTable(dict[str, bool]):
    def __missing__(self, char: str) -> bool:
        self[char] = value = is_cjk(char)
        return value


_CJK = _CjkTable()


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line: `text` is what to draw (safe to print, indent included).

    `start`/`end` are offsets into the laid-out source text: `text[len(indent):]` shows
    `source[start:end]` (display-normalised). Whitespace between two lines belongs to neither.
    """

    text: str
    start: int
    end: int
    indent: str = ""
    cells: int = 0  # width of `text` in cells, under the layout's ambiguous width

    def columns(self, start: int, end: int, ambiguous: int = 1) -> tuple[int, int] | None:
        """The cells (first, past-last) showing source offsets `start:end`, None if not here."""
        start, end = max(start, self.start), min(end, self.end)
        if start >= end:
            return None
        body = self.text[len(self.indent) :]
        offset = cell_width(self.indent, ambiguous)
        if len(body) != self.end - self.start:  # control characters were dropped: whole line
            return offset, self.cells
        first = offset + cell_width(body[: start - self.start], ambiguous)
        return first, first + cell_width(body[start - self.start : end - self.start], ambiguous)


Span = tuple[int, int]


class Breaker:
    """Break `text[start:stop]` (no newlines) into lines; `prefix[i]` = cells of `text[:i]`."""

    __slots__ = ("_allowed", "end", "first_limit", "limit", "prefix", "start", "text")

    def __init__(
        self, text: str, prefix: list[int], start: int, stop: int, first_limit: int, limit: int
    ) -> None:
        self.text = text
        self.prefix = prefix
        end = stop
        while end > start and text[end - 1] in SPACES:
            end -= 1
        self.end = end
        self.start = self.skip(start)
        self.first_limit = first_limit
        self.limit = limit
        self._allowed: dict[int, bool] = {}

    def skip(self, at: int) -> int:
        """The first offset from `at` that is not a space."""
        text, end = self.text, self.end
        while at < end and text[at] in SPACES:
            at += 1
        return at

    def allowed(self, at: int) -> bool:
        """May a line end just before `text[at]` (start < at < end)?"""
        known = self._allowed.get(at)
        if known is None:
            known = self._allowed[at] = self._allowed_uncached(at)
        return known

    def _allowed_uncached(self, at: int) -> bool:
        text, prefix = self.text, self.prefix
        before, after = text[at - 1], text[at]
        if before in SPACES:
            return False  # a run of spaces breaks at its start
        if after in SPACES:
            nxt = self.skip(at)
            return (
                nxt < self.end
                and before not in NO_END
                and text[nxt] not in NO_START
                and prefix[nxt + 1] > prefix[nxt]
            )
        if before in NO_END or after in NO_START or prefix[at + 1] == prefix[at]:
            return False  # kinsoku, or a combining mark that belongs to the character before
        return _CJK[before] or _CJK[after]

    def fits_to_end(self, start: int, limit: int) -> bool:
        return self.prefix[self.end] - self.prefix[start] <= limit

    def _longest(self, start: int, limit: int) -> int:
        """The furthest offset whose line from `start` is at most `limit` cells."""
        return bisect_right(self.prefix, self.prefix[start] + limit, start, self.end + 1) - 1

    def maximal(self, start: int, limit: int) -> int:
        """The latest allowed break from `start` within `limit` (text must not fit to the end)."""
        longest = self._longest(start, limit)
        for at in range(longest, start, -1):
            if self.allowed(at):
                return self._emergency(start, longest) if self._overlong(at, longest) else at
        return self._emergency(start, longest)

    def candidates(self, start: int, limit: int) -> list[int]:
        """Breaks worth trying from `start`: those within SLACK of `limit`, or else the latest."""
        longest = self._longest(start, limit)
        floor = self.prefix[start] + limit - SLACK
        found: list[int] = []
        for at in range(longest, start, -1):
            if self.prefix[at] < floor and found:
                break
            if self.allowed(at):
                if not found and self._overlong(at, longest):
                    break
                found.append(at)
                if self.prefix[at] < floor:
                    break
        return found or [self._emergency(start, longest)]

    def _overlong(self, stop: int, longest: int) -> bool:
        """Would the line after a break at `stop` begin with a run wider than a whole line?

        Such a run (a long URL) is split wherever it falls, so it had better fill this line
        than leave it short.
        """
        begin = self.skip(stop)
        cap = self.prefix[begin] + self.limit
        for at in range(max(longest, begin) + 1, self.end):
            if self.prefix[at] > cap:
                return True
            if self.allowed(at):
                return False
        return self.prefix[self.end] > cap

    def _emergency(self, start: int, longest: int) -> int:
        """A break inside something longer than a line: as late as possible, kinsoku if it can."""
        text, prefix = self.text, self.prefix
        usable = [  # not before a combining mark, nor after a space (the line would end in one)
            at
            for at in range(longest, max(start, longest - 8), -1)
            if prefix[at + 1] > prefix[at] and text[at - 1] not in SPACES
        ]
        for at in usable:
            if text[at] not in NO_START and text[at - 1] not in NO_END:
                return at
        if usable:
            return usable[0]
        return max(longest, start + 1)

    def is_widow(self, start: int, end: int) -> bool:
        """Is `text[start:end]` a single Chinese character with its marks?"""
        if self.prefix[end] - self.prefix[start] > 8:
            return False
        core = [char for char in self.text[start:end] if char not in NO_START]
        return len(core) == 1 and _CJK[core[0]]

    def line_cost(self, start: int, end: int, limit: int) -> int:
        short = limit - (self.prefix[end] - self.prefix[start])
        return short * short * short + LINE_COST

    def greedy(self) -> tuple[list[Span], int, int]:
        """Fill each line as far as it goes: (spans, cost, largest shortfall but the last line's)."""
        spans: list[Span] = []
        at, limit = self.start, self.first_limit
        cost = worst = 0
        while at < self.end:
            if self.fits_to_end(at, limit):
                spans.append((at, self.end))
                if len(spans) > 1 and self.is_widow(at, self.end):
                    cost += WIDOW_COST
                    worst = max(worst, SLACK + 1)  # not good enough: let the search try
                break
            stop = self.maximal(at, limit)
            spans.append((at, stop))
            cost += self.line_cost(at, stop, limit)
            worst = max(worst, limit - (self.prefix[stop] - self.prefix[at]))
            at, limit = self.skip(stop), self.limit
        return spans, cost, worst

    def run(self) -> list[Span]:
        """The chosen lines as (start, end) offsets into `text`, spaces at either end excluded."""
        if self.start >= self.end:
            return []
        spans, _cost, worst = self.greedy()
        if worst > GREEDY_ENOUGH:
            spans = self._repaired(spans)
        return [self._trimmed(start, stop) for start, stop in spans]

    def _repaired(self, spans: list[Span]) -> list[Span]:
        """`spans` with the lines around each short line (or a widow) broken anew where better."""
        at = 0
        while at < len(spans):
            if not self._poor(spans, at):
                at += 1
                continue
            first = max(0, at - BEHIND)
            found = self._rebreak(spans, first, min(len(spans), at + 1 + AHEAD))
            if found is None:
                at += 1
                continue
            lines, rejoin = found
            spans = spans[:first] + lines + spans[rejoin:]
            at = first + len(lines)
        return spans

    def _poor(self, spans: list[Span], at: int) -> bool:
        start, stop = spans[at]
        if at == len(spans) - 1:
            return at > 0 and self.is_widow(start, stop)
        limit = self.first_limit if start == self.start else self.limit
        return limit - (self.prefix[stop] - self.prefix[start]) > GREEDY_ENOUGH

    def cost(self, spans: list[Span], first: int = 0, stop: int | None = None) -> int:
        """What lines `first:stop` of `spans` cost (the paragraph's last line only as a widow)."""
        total = 0
        for index in range(first, len(spans) if stop is None else stop):
            start, end = spans[index]
            if end >= self.end:
                total += WIDOW_COST if start != self.start and self.is_widow(start, end) else 0
            else:
                limit = self.first_limit if start == self.start else self.limit
                total += self.line_cost(start, end, limit)
        return total

    def _rebreak(self, spans: list[Span], first: int, last: int) -> tuple[list[Span], int] | None:
        """Better lines from `spans[first]`'s start to the start of one of `spans[first+1:last+1]`
        (or to the end, when `last` is the number of lines).

        A beam search over candidate breaks; returns the new lines and the index of the old line
        they lead back to, or None when none beat the old lines.
        """
        rejoin = {spans[index][0]: index for index in range(first + 1, min(last + 1, len(spans)))}
        search = _Search(
            rejoin=rejoin,
            to_finish={index: self.cost(spans, index, last) for index in rejoin.values()},
            to_end=len(spans) if last == len(spans) else None,
            best=self.cost(spans, first, last),
        )
        origin = spans[first][0]
        search.settled[origin] = 0
        layer = [origin]
        for _depth in range(last - first + AHEAD):
            layer = search.settle(self._arrivals(search, layer))
            if not layer:
                break
        if search.found is None:
            return None
        at, stop, old = search.found
        return search.lines_to(origin, at, stop), old

    def _arrivals(self, search: _Search, layer: list[int]) -> dict[int, tuple[int, int, int]]:
        """Each next line start reached from a line start of `layer`, by its cheapest line:
        next start → (cost so far, line start, line end). Records in `search` any way back to the
        old lines (or to the end) that beats the best so far."""
        arrivals: dict[int, tuple[int, int, int]] = {}
        settled, rejoin, to_finish = search.settled, search.rejoin, search.to_finish
        best = search.best
        for at in layer:
            so_far = settled[at]
            limit = self.first_limit if at == self.start else self.limit
            if self.fits_to_end(at, limit):
                if search.to_end is not None:
                    widow = at != self.start and self.is_widow(at, self.end)
                    total = so_far + (WIDOW_COST if widow else 0)
                    if total < best:
                        best = search.best = total
                        search.found = (at, self.end, search.to_end)
                continue
            for stop in self.candidates(at, limit):
                cost = so_far + self.line_cost(at, stop, limit)
                nxt = self.skip(stop)
                old = rejoin.get(nxt)
                if old is not None and cost + to_finish[old] < best:
                    best = search.best = cost + to_finish[old]
                    search.found = (at, stop, old)
                if cost >= best or cost >= settled.get(nxt, _INFINITY):
                    continue
                seen = arrivals.get(nxt)
                if seen is None or cost < seen[0]:
                    arrivals[nxt] = (cost, at, stop)
        return arrivals

    def _trimmed(self, start: int, stop: int) -> Span:
        while stop > start and self.text[stop - 1] in SPACES:
            stop -= 1
        return start, stop


_arrival_cost: Callable[[tuple[int, tuple[int, int, int]]], int] = lambda item: item[1][0]  # noqa: E731


@dataclass(slots=True)
class _Search:
    """Where a beam search over a few lines' breaks stands.

    `rejoin`: an old line's start → its index; `to_finish`: an old line's index → what the old
    lines from it to the end of the stretch cost; `to_end`: the index to report for new lines that
    run to the paragraph's end (None: they must lead back to an old line). `best` is the cost to
    beat, `found` the last line of the best layout so far (its start, its end, the old line rejoined).
    """

    rejoin: dict[int, int]
    to_finish: dict[int, int]
    to_end: int | None
    best: float
    found: tuple[int, int, int] | None = None
    settled: dict[int, int] = field(default_factory=dict)  # a line start → the cost to reach it
    came_from: dict[int, Span] = field(default_factory=dict)  # a line start → the line before

    def settle(self, arrivals: dict[int, tuple[int, int, int]]) -> list[int]:
        """The BEAM cheapest arrivals, kept as the next layer's line starts."""
        layer = []
        for nxt, (cost, at, stop) in sorted(arrivals.items(), key=_arrival_cost)[:BEAM]:
            self.settled[nxt] = cost
            self.came_from[nxt] = (at, stop)
            layer.append(nxt)
        return layer

    def lines_to(self, origin: int, at: int, stop: int) -> list[Span]:
        """The lines from `origin` that the search followed to the line `at:stop`."""
        lines = [(at, stop)]
        while at != origin:
            lines.append(self.came_from[at])
            at = self.came_from[at][0]
        lines.reverse()
        return lines
