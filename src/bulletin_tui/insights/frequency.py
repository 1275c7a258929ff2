"""Document frequencies of words in the library, from a fixed sample of its articles.

The keyword weights need only the order of magnitude of a word's document frequency (its log), and
must cost the same whatever the library's size: so the frequency is counted over at most SAMPLE
articles (all of them in a smaller library: then it is exact) and scaled up. Counting is a
substring test on folded text, as search matches, so a word counts where search would find it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bulletin_tui.search.normalize import fold

if TYPE_CHECKING:
    from bulletin_tui.library import Library

SAMPLE = 2000


class SampledFrequencies:
    def __init__(self, library: Library, articles: int) -> None:
        self._library = library
        self._articles = articles
        self._texts: list[str] | None = None

    def _sample(self) -> list[str]:
        if self._texts is None:
            from bulletin_tui.store.lazy import CachedArticle

            everything = self._library.articles
            chosen = (
                random.Random(0).sample(everything, SAMPLE)
                if len(everything) > SAMPLE
                else everything
            )
            cached = [a for a in chosen if isinstance(a, CachedArticle)]
            bodies = self._library.cache.bodies([a.doc for a in cached]) if cached else {}
            texts = []
            for article in chosen:
                if isinstance(article, CachedArticle) and article.doc in bodies:
                    body = bodies[article.doc]
                else:
                    body = article.body_text
                meta = "\t".join((*article.subtitles, article.byline or "", *article.photo_credits))
                texts.append(fold("\n".join((article.title, meta, body))))
            self._texts = texts
        return self._texts

    def __call__(self, words: Sequence[str]) -> dict[str, int]:
        """Each word's estimated number of articles holding it (at least 1: the article itself)."""
        texts = self._sample()
        scale = self._articles / max(1, len(texts))
        found = {}
        for word in words:
            folded = fold(word)
            held = sum(1 for text in texts if folded in text)
            found[word] = max(1, round(held * scale))
        return found
