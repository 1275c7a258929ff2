"""One library's keywords, related articles and trends (see the modules beside this one).

Everything is worked out when first asked for and kept: in memory while the library stays the
same, and keywords and document frequencies in the cache (insights.saved) across runs.
"""

from __future__ import annotations

import heapq
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bulletin_tui.insights.frequency import SampledFrequencies
from bulletin_tui.insights.keywords import (
    Keyword,
    WordHolders,
    article_text,
    choose,
    digest,
    shown,
    without_addresses,
)
from bulletin_tui.insights.saved import Saved
from bulletin_tui.insights.trend import Calendar, Period, Trend, count, default_period
from bulletin_tui.model import Issue, article_count, issue_id_of
from bulletin_tui.search.folding import fold

if TYPE_CHECKING:
    from bulletin_tui.library import Library


# A keyword held by more articles than both is left out of the related query.
RELATED_SHARE, RELATED_FEW = 0.02, 100
POOL = 200  # candidates sorted for the related list (repeats and copies are skipped in it)


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    article_id: str
    title: str
    date: date | None
    score: float  # the share of the keywords' weight this article holds, 0 to 1
    shared: tuple[str, ...]  # the keywords it holds, strongest first
    publication: str | None = None  # the name of the bulletin it is in


class Insights:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.RLock()
        self._issues: list[Issue] | None = None

    def _fresh(self) -> None:
        """Start over when the library was reloaded (a refresh swaps `issues` whole)."""
        issues = self.library.issues
        if issues is self._issues:
            return
        with self._lock:
            if issues is self._issues:
                return
            # Known without building an article: building 100,000 of them to count them and
            # date them cost the first keyword line 800 ms and 90 MB.
            self.articles = sum(map(article_count, issues))
            self._saved = Saved(self.library.cache, self.articles)
            self._keywords: dict[str, tuple[str, list[Keyword]]] = {}
            self._df: dict[str, int] = {}
            self.holders = WordHolders(lambda word: self.library.matches(f'"{word}"'))
            self._sampled = SampledFrequencies(self.library, self.articles)
            self._dates = {issue.id: issue.date for issue in issues if issue.date}  # by issue id
            self._ordinals = {key: day.toordinal() for key, day in self._dates.items()}
            self._calendars: dict[Period, tuple[Calendar | None, dict[str, int]]] = {}
            self._issues = issues

    # --- keywords -------------------------------------------------------------------------------

    def keywords(self, article_id: str) -> list[Keyword] | None:
        """The article's five to eight keywords, strongest first (None: no such article)."""
        found = self.keywords_of([article_id]).get(article_id)
        return None if found is None else shown(found)

    def keywords_of(self, article_ids: list[str]) -> dict[str, list[Keyword]]:
        """Up to twelve weighted words of each article (the shown keywords first): from memory,
        then the cache, then worked out (and saved)."""
        self._fresh()
        result: dict[str, list[Keyword]] = {}
        texts: dict[str, tuple[str, str]] = {}
        for article_id in article_ids:
            article = self.library.article(article_id)
            if article is None:
                continue
            text = article_text(article)
            key = digest(text)
            held = self._keywords.get(article_id)
            if held is not None and held[0] == key:
                result[article_id] = held[1]
            else:
                texts[article_id] = (text, key)
        saved = self._saved.keywords({article_id: key for article_id, (_, key) in texts.items()})
        for article_id, words in saved.items():
            keywords = [Keyword(word, weight) for word, weight in words]
            self._keywords[article_id] = (texts.pop(article_id)[1], keywords)
            result[article_id] = keywords
        if texts:
            from bulletin_tui import chinese_words

            rows = []
            for article_id, (text, key) in texts.items():
                plain = without_addresses(text)
                keywords = choose(
                    chinese_words.keyword_weights(plain), plain, self.articles, self._frequencies
                )
                self._keywords[article_id] = (key, keywords)
                result[article_id] = keywords
                rows.append((article_id, key, [(k.word, k.weight) for k in keywords]))
            self._saved.save_keywords(rows)
        return result

    def _frequencies(self, words: Sequence[str]) -> dict[str, int]:
        found = {word: self._df[word] for word in words if word in self._df}
        missing = [word for word in words if word not in found]
        if missing:
            saved = self._saved.frequencies(missing)
            fresh = self._sampled([word for word in missing if word not in saved])
            self._saved.save_frequencies(fresh)
            for source in (saved, fresh):
                found.update(source)
                self._df.update(source)
        return found

    def tagged(self, word: str) -> set[str]:
        """Articles whose keywords include `word` (compared folded, as search compares)."""
        self._fresh()
        wanted = fold(word)
        holders = self.holders(wanted)
        keywords = self.keywords_of(holders)
        return {
            article_id
            for article_id, words in keywords.items()
            if any(fold(keyword.word) == wanted for keyword in shown(words))
        }

    # --- related articles -----------------------------------------------------------------------

    def related(
        self, article_id: str, limit: int = 10, publications: Collection[str] | None = None
    ) -> list[RelatedArticle] | None:
        """The articles most like this one: its keywords as a query weighted by their weights,
        scored by the share of that weight each holds; ties go to the newer issue. Itself and
        exact copies are left out, and a notice repeated issue after issue (the same title and
        shared keywords) is listed once. With `publications` (names), only articles of those.
        None: no such article."""
        keywords = self.keywords_of([article_id]).get(article_id)
        article = self.library.article(article_id)
        if keywords is None or article is None:
            return None
        total = sum(keyword.weight for keyword in keywords) or 1.0
        scores, shared = self._sharing(keywords)
        scores.pop(article_id, None)
        publication_of = self.library.publication_of()
        if publications is not None:
            # Filtered before the best are picked, so the list is as long as without the filter.
            scores = {
                other: score
                for other, score in scores.items()
                if publication_of.get(issue_id_of(other)) in publications
            }
        dates = self._dates
        own = digest(article_text(article))
        related: list[RelatedArticle] = []
        seen = {(article.title, tuple(keyword.word for keyword in keywords))}
        for other in self._best_first(scores):
            if len(related) >= limit:
                break
            found = self.library.article(other)
            if found is None:
                continue
            repeat = (found.title, tuple(shared[other]))
            if repeat in seen:
                continue  # a notice printed in every issue: listed once, the newest
            # An exact copy (the same article printed twice) says nothing new; only one with the
            # same title can be one, so no other article's text is read.
            if found.title == article.title and digest(article_text(found)) == own:
                continue
            seen.add(repeat)
            related.append(
                RelatedArticle(
                    other,
                    found.title,
                    dates.get(issue_id_of(other)),
                    round(scores[other] / total, 4),
                    tuple(shared[other]),
                    publication_of.get(issue_id_of(other)),
                )
            )
        return related

    def _sharing(
        self, keywords: Sequence[Keyword]
    ) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Each article holding any of `keywords`: the weight of those it holds, and which."""
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[str]] = defaultdict(list)
        rare = self._frequencies([keyword.word for keyword in keywords])
        for keyword in keywords:
            if rare.get(keyword.word, 1) > max(RELATED_FEW, self.articles * RELATED_SHARE):
                continue  # held by so many articles it tells little, and costs the most to list
            for other in self.holders(keyword.word):
                scores[other] += keyword.weight
                shared[other].append(keyword.word)
        return scores, shared

    def _best_first(self, scores: dict[str, float]) -> list[str]:
        """The best scored, ties to the newer issue; only the best POOL are ever sorted."""
        ordinals = self._ordinals
        pool: list[str] = list(scores)
        if len(pool) > POOL:  # only the best few are ever shown: sort those
            cutoff = heapq.nlargest(POOL, scores.values())[-1]
            pool = [other for other, score in scores.items() if score >= cutoff]
        return sorted(
            pool,
            key=lambda other: (-scores[other], -ordinals.get(issue_id_of(other), 0), other),
        )

    # --- trends ---------------------------------------------------------------------------------

    def date_range(self, publications: Collection[str] | None = None) -> tuple[date, date] | None:
        """The first and last issue dates of the library (or of the publications so named)."""
        self._fresh()
        issues: Iterable[Issue] = self.library.issues
        if publications is not None:
            issues = (
                i for p in self.library.publications if p.name in publications for i in p.issues
            )
        days = [issue.date for issue in issues if issue.date]
        return (min(days), max(days)) if days else None

    def trend(self, query: str, by: Period | None = None) -> Trend:
        """Articles `query` matches in each period of the library's range (zeros included); with
        `pub:` in the query, of the range of the publications it keeps to. Raises QueryError for
        a query search cannot read."""
        from bulletin_tui.publications import named_like
        from bulletin_tui.search.query import parse_query

        self._fresh()
        wanted = parse_query(query).publication
        named = named_like(self.library.publications, *wanted) if wanted else None
        span = self.date_range(named)
        chosen: Period = by or (default_period(*span) if span else "month")
        calendar = Calendar(*span, chosen) if span else None
        return count(query, chosen, calendar, self.library.match_dates(query))
