"""An article's keywords: jieba's TF-IDF, with document frequencies from the library itself.

jieba weighs each word of the article by its frequency there times its rarity in general Chinese
text (jieba's idf table). That alone ranks 开发区 or 本报讯 high in every article of a bulletin
that prints them everywhere, so each weight is scaled by the word's rarity in this library:

    weight = tf · idf_jieba · ln((N + 1) / (df + 0.5)) / ln((N + 1) / 1.5)

where N is the number of articles and df the number holding the word (the article itself counts,
so the factor is 1 for a word no other article holds and near 0 for a word all of them hold). The
factor never exceeds 1, so candidates are taken in jieba's order and document frequencies looked
up only until no later word could enter the top twelve, and for jieba's best 32 words at most. A word whose factor is under 0.2 (held
by roughly a quarter of a 2,000-article library, a tenth of a 100,000-article one) is never a
keyword. Five to eight are shown; all twelve make the query for related articles.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bulletin_tui.insights.stopwords import is_keyword_candidate
from bulletin_tui.model import Article

MOST, FEWEST = 8, 5
COMMON = 0.2  # a library factor under this: a word much of the library holds (never a keyword)
QUERY_WORDS = 12  # the related articles' query: the shown keywords and those just below
LOOKED_UP = 32  # at most this many of jieba's best words have their frequency looked up
WEAK = 0.1  # beyond the fifth, a keyword under this share of the first one's weight is left out
_HELD_WORDS = 512  # article id lists kept in memory, one per word looked up


@dataclass(frozen=True, slots=True)
class Keyword:
    word: str
    weight: float  # relative: the first keyword weighs 1


_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s，。；、）)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def article_text(article: Article) -> str:
    """What the keywords are taken from: title, subtitles and body (the byline names people)."""
    return "\n".join((article.title, *article.subtitles, article.body_text))


def without_addresses(text: str) -> str:
    """Web and mail addresses blanked out: their pieces (https, com, weixin) are not words."""
    return _ADDRESS.sub(" ", text)


METHOD = "4"  # bump when the choice changes: saved keywords of another method are done again


def digest(text: str) -> str:
    """Names the text and the method: saved keywords are reused only for the same of both."""
    return hashlib.blake2b((METHOD + text).encode("utf-8"), digest_size=12).hexdigest()


def library_factor(df: int, articles: int) -> float:
    top = math.log((articles + 1) / 1.5)
    if top <= 0:
        return 1.0
    return max(0.0, min(1.0, math.log((articles + 1) / (df + 0.5)) / top))


def choose(
    weighted: Sequence[tuple[str, float]],
    text: str,
    articles: int,
    frequency: Callable[[Sequence[str]], dict[str, int]],
) -> list[Keyword]:
    """The top keywords among jieba's `weighted` words of `text` (best first), given the library's
    size and a function giving the document frequency of words (asked a few at a time)."""
    candidates = [(w, x) for w, x in weighted if x > 0 and is_keyword_candidate(w) and w in text]
    best: list[tuple[float, int, str]] = []  # a min-heap of (weight, -rank, word)
    at = 0
    candidates = candidates[:LOOKED_UP]
    while at < len(candidates):
        if len(best) >= QUERY_WORDS and best[0][0] >= candidates[at][1]:
            break  # no later word can beat the last one kept: their weights only shrink
        batch = candidates[at : at + MOST]
        frequencies = frequency([word for word, _ in batch])
        for rank, (word, weight) in enumerate(batch, start=at):
            factor = library_factor(frequencies.get(word, 1), articles)
            if factor < COMMON:
                continue  # a word much of the library holds says little of this article
            item = (weight * factor, -rank, word)
            if len(best) < QUERY_WORDS:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        at += len(batch)
    ranked = sorted(best, reverse=True)
    if not ranked or ranked[0][0] <= 0:
        return []
    top = ranked[0][0]
    return [Keyword(word, round(scaled / top, 4)) for scaled, _, word in ranked if scaled > 0]


def shown(keywords: Sequence[Keyword]) -> list[Keyword]:
    """The five to eight keywords shown: beyond the fifth, only those that weigh."""
    return [k for n, k in enumerate(keywords[:MOST]) if n < FEWEST or k.weight >= WEAK]


class WordHolders:
    """Which articles hold a word (exact substring matches), kept for the words last asked."""

    def __init__(self, find: Callable[[str], list[str]]) -> None:
        self._find = find
        self._held: OrderedDict[str, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, word: str) -> list[str]:
        with self._lock:
            held = self._held.get(word)
            if held is not None:
                self._held.move_to_end(word)
                return held
        found = self._find(word)
        with self._lock:
            self._held[word] = found
            while len(self._held) > _HELD_WORDS:
                self._held.popitem(last=False)
        return found
