"""Document frequencies of words in the library, from a fixed sample of its articles.

The keyword weights need only the order of magnitude of a word's document frequency (its log), and
must cost the same whatever the library's size: so the frequency is counted over articles taken in
a fixed random order until they hold 1.5 million characters (the whole of a smaller library, such
as 181 issues of a daily digest: then it is exact) and scaled up. Counting is a
substring test on folded text, as search matches, so a word counts where search would find it.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bulletin_tui.model import Article, article_count
from bulletin_tui.search.folding import fold

if TYPE_CHECKING:
    from bulletin_tui.library import Library

SAMPLE_CHARACTERS = 1_500_000  # about 1 ms to scan for one word


class SampledFrequencies:
    def __init__(self, library: Library, articles: int) -> None:
        self._library = library
        self._articles = articles
        self._texts: list[str] | None = None

    def _sample(self) -> list[str]:
        if self._texts is None:
            issues = self._library.issues
            # Where each issue's articles start among all (none built to count them).
            starts = list(itertools.accumulate(map(article_count, issues), initial=0))
            total = starts[-1]

            def article_at(pick: int) -> Article:
                at = bisect.bisect_right(starts, pick) - 1
                return issues[at].articles[pick - starts[at]]

            # A fixed random order; a few thousand draws, however large the library, of which
            # only those read are built.
            picks = random.Random(0).sample(range(total), min(total, 5000))
            texts: list[str] = []
            size = 0
            for start in range(0, len(picks), 200):
                batch = [article_at(pick) for pick in picks[start : start + 200]]
                for text in self._texts_of(batch):
                    texts.append(text)
                    size += len(text)
                if size >= SAMPLE_CHARACTERS:
                    break
            self._texts = texts
        return self._texts

    def _texts_of(self, articles: list[Article]) -> list[str]:
        from bulletin_tui.store.lazy import CachedArticle

        cached = [a.doc for a in articles if isinstance(a, CachedArticle)]
        bodies = self._library.cache.bodies(cached) if cached else {}
        texts = []
        for article in articles:
            if isinstance(article, CachedArticle) and article.doc in bodies:
                body = bodies[article.doc]
            else:
                body = article.body_text
            meta = "\t".join((*article.subtitles, article.byline or "", *article.photo_credits))
            texts.append(fold("\n".join((article.title, meta, body))))
        return texts

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
