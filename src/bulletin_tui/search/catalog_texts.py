"""One text column of the catalog (titles, bylines, authors, sections), folded, for every article
of the library: the texts the index holds in the index's own order, as it stores them, and those
of articles not indexed yet apart.

Counting a needle counts in both and gathers the counts into the library's order: a gather of one
number per article, where putting 100,000 texts in the library's order cost a first search about
40 ms. The texts in the library's order, which the title structures need, are made on request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from bulletin_tui.search.joined import Joined


class CatalogTexts:
    """A text per dense doc: `stored` (the index's, in its order) at `source[doc]` where that is
    not -1, else `tail`'s text at the place of `doc` among `tail_docs`."""

    def __init__(
        self, stored: Joined | None, source: Any, tail: Sequence[str], tail_docs: Sequence[int]
    ) -> None:
        import numpy as np

        held = np.flatnonzero(source >= 0)
        self.n = len(source)
        tail_joined = Joined(tail) if len(tail_docs) else None
        docs = np.array(tail_docs, dtype=np.int64)
        # One value, replaced whole, so a search reading it while the title structures are being
        # made in another thread sees one state or the other.
        self._state: tuple[Any, ...] = (stored, held, source[held], tail_joined, docs)
        self._lock = threading.Lock()

    @staticmethod
    def in_library_order(texts: Sequence[str]) -> CatalogTexts:
        """Texts already in the library's order (one per dense doc): none from the index."""
        import numpy as np

        return CatalogTexts(None, np.full(len(texts), -1), texts, range(len(texts)))

    def counts(self, needle: str, n: int) -> Any:
        """Occurrences of `needle` (overlapping) in each doc's text."""
        import numpy as np

        state = self._state
        if len(state) == 1:
            return state[0].counts(needle, n)
        stored, held, places, tail, tail_docs = state
        out = np.zeros(n, dtype=np.int32)
        if stored is not None and len(held):
            out[held] = stored.counts(needle, len(stored))[places]
        if tail is not None:
            out[tail_docs] = tail.counts(needle, len(tail_docs))
        return out

    def get(self, doc: int) -> str:
        """The folded text of dense `doc`."""
        import numpy as np

        state = self._state
        if len(state) == 1:
            return str(state[0].get(doc))
        stored, held, places, tail, tail_docs = state
        at = int(np.searchsorted(held, doc))
        if at < len(held) and held[at] == doc and stored is not None:
            return str(stored.get(int(places[at])))
        at = int(np.searchsorted(tail_docs, doc))
        if tail is not None and at < len(tail_docs) and tail_docs[at] == doc:
            return str(tail.get(at))
        return ""

    def warm(self) -> None:
        """Build the pair indexes `counts` uses, in whatever order the texts are kept."""
        for part in self._state[:1] + self._state[3:4]:
            if part is not None:
                part.pair_index()

    def in_order(self) -> Joined:
        """The texts as one Joined in the library's order (text i: dense doc i); made once, and
        from then on what `counts` and `get` use."""
        from bulletin_tui.search.folding import units

        with self._lock:
            state = self._state
            if len(state) == 1:
                return state[0]  # type: ignore[no-any-return]
            stored, held, places, tail, tail_docs = state
            texts = [""] * self.n
            if stored is not None:
                kept = stored.texts
                for doc, place in zip(held.tolist(), places.tolist(), strict=True):
                    texts[doc] = kept[place]
            if tail is not None:
                for doc, text in zip(tail_docs.tolist(), tail.texts, strict=True):
                    texts[doc] = text
            # Already folded: taken as they are.
            joined = Joined((), folded=units("\n".join(texts)))
            self._state = (joined,)
            return joined
