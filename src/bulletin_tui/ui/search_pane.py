"""The search pane: a query box and hits that follow the typing.

Each keystroke starts a search in an exclusive thread worker (the previous one is abandoned), and a
result is shown only if its query is still the one in the box, so stale results never flash up.
A page of hits comes first, then the true total (counting every match of a common word takes longer
than finding the first page); the next page is fetched as the cursor nears the end of the list (`G`
included), and appended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.worker import get_current_worker

from bulletin_tui.model import Hit
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import LayoutOptions
from bulletin_tui.ui.hit_list import HitList
from bulletin_tui.ui.sparkline import TrendLine
from bulletin_tui.wording import plural

if TYPE_CHECKING:
    from bulletin_tui.library import Library

RESULT_LIMIT = 50  # hits fetched at a time
LOAD_AHEAD = 5  # fetch the next page when the cursor comes this close to the last hit


class QueryBox(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_hits", "Results", show=False),
    ]

    def on_mount(self) -> None:
        # A blinking cursor repaints twice a second: costly over SSH, and an animation.
        self.cursor_blink = self.app.animation_level != "none"

    async def _on_key(self, event: events.Key) -> None:
        # Runs before Input's own handler, which prevent_default() skips. Textual runs a
        # widget's bindings (Enter, Ctrl+U, Backspace…) later, from the app, while printable keys
        # are inserted here at once: keys read together ("Ctrl+U 招生", "Enter q") would land out
        # of order. So the box's own bindings run here, in order, and keys that come after the
        # focus has left go where it went (`has_focus` changes only when the blur arrives).
        if self.screen.focused is not self:
            event.prevent_default()
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
        elif event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.query_ancestor(SearchPane).enter(self.value):
                self.screen.set_focus(None)  # until the reader takes it
        elif bindings := self._bindings.key_to_bindings.get(event.key):
            event.prevent_default()
            event.stop()
            await self.run_action(bindings[0].action)


class SearchPane(Vertical):
    @dataclass
    class HitChosen(Message):
        """A hit was chosen; `query` is what was typed, for highlighting every match."""

        hit: Hit
        query: str

    @dataclass
    class Finished(Message):
        """Results for `query` were shown (stale ones are dropped before this is sent); `refused`:
        why the query could not be searched."""

        query: str
        count: int
        refused: str = ""

    DEFAULT_CSS = """
    SearchPane {
        height: 1fr;
        background: $surface;
        & > #query, & > #query:focus {
            height: 1;
            margin: 0;
            padding: 0 1;
            border: none;
            background: $boost;
        }
        & > #query:focus {
            background: $primary 30%;
        }
        & > #search-status {
            height: auto;
            max-height: 6;  /* nothing found: the nearest titles and the words tried apart */
            padding: 0 1;
            color: $text-muted;
        }
        /* :focus too, or OptionList's own focus border would win over these */
        & > HitList, & > HitList:focus {
            height: 1fr;
            border: none;
            padding: 0;
            scrollbar-size-vertical: 1;
            background: $surface;
        }
    }
    """

    def __init__(
        self, library: Library, options: LayoutOptions | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.library = library
        self.options = options or LayoutOptions()
        self.latest_query = ""
        self.hits: list[Hit] = []
        self.total = 0  # hits the query has in all
        self._fetching = 0  # the number of hits asked for by a load in flight, or 0
        self._searching = False  # a search of the query in the box is in flight
        self._open_when_shown = False  # Enter was pressed before its hits came

    def compose(self) -> ComposeResult:
        yield QueryBox(placeholder="Search…", id="query")
        yield Static("Type to search", id="search-status")
        yield TrendLine(id="search-trend")
        yield HitList(self.options, id="hits")

    def enter(self, query: str) -> bool:
        """Enter in the query box: open the highlighted hit, or the first one as soon as the
        search in flight shows it. True when a hit is (about to be) opened."""
        if not query.strip():
            return False
        if query != self.latest_query:
            # Typed fast: the box's last Changed is still on its way. Search what the box holds
            # now; that Changed then finds nothing new (see `_query_changed`).
            self._start_search(query)
        if self._searching:
            self._open_when_shown = True
            return True
        if not self.hits:
            return False
        self._choose(self.query_one(HitList).highlighted or 0)
        return True

    def focus_query(self, *, select: bool = True) -> None:
        box = self.query_one(QueryBox)
        box.select_on_focus = select  # `/` selects the query to retype it; a return does not
        # At once, not box.focus() (which waits its turn behind the keys already read): "/招商"
        # read in one go must type 招商 into the box.
        self.screen.set_focus(box)

    def focus_hits(self) -> None:
        hits = self.query_one(HitList)
        if hits.option_count:
            if hits.highlighted is None:
                hits.highlighted = 0
            self.screen.set_focus(hits)  # at once, as focus_query
        else:
            self.focus_query()

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        # What the box holds now, not what it held when this was sent: Changed messages come in
        # after the keys, so a later one may already have been searched (by an Enter).
        query = self.query_one(QueryBox).value
        if query != self.latest_query:
            self._start_search(query)

    def _start_search(self, query: str) -> None:
        self.latest_query = query
        self._open_when_shown = False  # typing on takes back an Enter that was waiting
        self._searching = bool(query.strip())
        self.query_one(TrendLine).follow(self.library, query)
        if not query.strip():
            self._show(query, [])
            return
        self.query_one("#search-status", Static).update("Searching…")
        self.search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search(self, query: str) -> None:
        try:
            hits = self.library.search(query, limit=RESULT_LIMIT)
            note = self.library.suggest(query).describe() if not hits else ""
        except ValueError as error:  # a query the engine cannot read: it says why
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, query, str(error))
            return
        except Exception as error:  # a search engine failure is reported, never fatal
            if not get_current_worker().is_cancelled:
                message = f"Search failed: {type(error).__name__}: {error}"
                self.app.call_from_thread(self._failed, query, message)
            return
        if get_current_worker().is_cancelled:
            return
        # A full page: show it, then count them all. Fewer: that is all there is.
        full = len(hits) >= RESULT_LIMIT
        self.app.call_from_thread(self._show, query, hits, 0 if full else len(hits), note)
        if full:
            try:
                total = self.library.count(query)
            except Exception:  # the hits are shown: an unknown total stays "50+"
                return
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._counted, query, total)

    def _counted(self, query: str, total: int) -> None:
        if query == self.latest_query:
            self.total = max(total, len(self.hits))
            self._say_total()

    def _say_total(self) -> None:
        if self.total:
            told = f"{self.total:,} {plural(self.total, 'result')}"
        else:  # still counting
            told = f"{len(self.hits)}+ results"
        self.query_one("#search-status", Static).update(Text(told))

    @on(OptionList.OptionHighlighted, "#hits")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        wanted = len(self.hits) + RESULT_LIMIT
        if (
            event.option_index >= len(self.hits) - LOAD_AHEAD
            and len(self.hits) < self.total
            and self._fetching < wanted
        ):
            self._fetching = wanted
            self.load_more(self.latest_query, wanted)

    @work(thread=True, exclusive=True, group="search-more", exit_on_error=False)
    def load_more(self, query: str, limit: int) -> None:
        try:
            hits = self.library.search(query, limit=limit)
        except Exception:  # the first page was found: a failed next page only stops loading
            hits = []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._append, query, hits)

    def _append(self, query: str, hits: list[Hit]) -> None:
        """More hits of the query: the new ones go to the end of the list."""
        self._fetching = 0
        if query != self.latest_query or len(hits) <= len(self.hits):
            return
        more = hits[len(self.hits) :]
        self.hits = hits
        self.query_one(HitList).add_hits(more)

    def _failed(self, query: str, message: str) -> None:
        if query == self.latest_query:
            self._settle([])
            self.hits = []
            self.query_one(HitList).clear_options()
            self.query_one("#search-status", Static).update(Text(sanitize_text(message)))
            self.post_message(self.Finished(query, 0, refused=message))

    def _settle(self, hits: list[Hit]) -> None:
        """The search of the query in the box is done: an Enter that waited for it opens the
        first hit, or gives the keys back to the query."""
        self._searching = False
        if self._open_when_shown:
            self._open_when_shown = False
            if hits:
                self._choose(0)
            else:
                self.focus_query(select=False)

    def _show(self, query: str, hits: list[Hit], total: int = 0, note: str = "") -> None:
        if query != self.latest_query:  # typed on since: a newer search is coming
            return
        self.call_after_refresh(self._settle, hits)  # once the hits are drawn
        self.hits = hits
        self.total = total  # 0: being counted
        self._fetching = 0
        hit_list = self.query_one(HitList)
        hit_list.show_publication = self.library.several_publications  # each hit names its own
        hit_list.show_hits(hits)
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update("Type to search")
        elif hits:
            self._say_total()
        else:
            # What might be meant: the nearest titles, the words tried apart.
            hint = note.partition("\n")[2].replace("\n", " ")
            status.update(Text(sanitize_text(f"No match for {query}. {hint}".strip())))
        self.post_message(self.Finished(query, len(hits)))

    @on(OptionList.OptionSelected, "#hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            self.post_message(self.HitChosen(self.hits[index], self.latest_query))
