"""The search results: one hit a few lines tall, moved through with the list and paging keys."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from bulletin_tui.ui.keys import HITS_BINDINGS
from bulletin_tui.ui.paging import OptionPaging


class HitList(OptionPaging):
    BINDINGS: ClassVar[list[BindingType]] = HITS_BINDINGS
