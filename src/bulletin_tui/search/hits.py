"""Scored articles made into hits: the article's fields, a snippet of about 60 cells around the best
match with its spans, and the spans of the terms in the title."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bulletin_tui.model import Hit
from bulletin_tui.search import snippet
from bulletin_tui.search.catalog import Catalog
from bulletin_tui.search.folding import fold
from bulletin_tui.search.scoring import Scored


def make_hits(catalog: Catalog, scored: Sequence[Scored], texts: Sequence[str] = ()) -> list[Hit]:
    bodies = catalog.bodies
    originals = bodies.originals([s.doc for s in scored])
    # What the ranking already folded; the rest is folded from the original below.
    folded = {s.doc: text for s in scored if s.terms and (text := bodies.held(s.doc)) is not None}
    hits = []
    for s in scored:
        try:
            issue, article = catalog.entry(s.doc)
        except IndexError:  # its file was parsed again while this search ran
            continue
        body = originals.get(s.doc, "")
        spans: list[tuple[int, int]] = []
        centre = None
        if s.terms:
            text = folded.get(s.doc)
            if text is None:
                text = fold(body)
            # Single characters cut out of a longer query (的, 与) would light up the whole
            # text: highlight the words, unless there is nothing else.
            shown = _shown(s.terms)
            spans = snippet.occurrences(text, shown)
            centre = _centre(text, shown, spans)
        cut, inside = snippet.cut(body, spans, centre)
        title_spans = s.title_spans or tuple(
            snippet.occurrences(catalog.titles.get(s.doc), _shown(s.terms))
        )
        hits.append(
            Hit(
                article_id=article.id,
                issue_id=issue.id,
                issue_path=issue.path,
                date=issue.date,
                publication=catalog.publication(issue),
                section=article.section,
                title=article.title,
                score=round(s.score, 4),
                snippet=cut,
                spans=inside,
                text_spans=tuple(spans),
                title_spans=title_spans,
                match=s.match,
                matched=tuple(texts) if s.match == "text" else s.terms,
                missing=s.missing,
            )
        )
    return hits


def _shown(terms: Sequence[str]) -> list[str]:
    return [term for term in terms if len(term) > 1] or list(terms)


def _centre(
    body: str, terms: Sequence[str], spans: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The best match: the first place the whole query occurs in a row, else the first match of
    its rarest term found in the body."""
    if not spans:
        return None
    if len(terms) == 1:
        return spans[0]
    whole = "".join(terms)
    at = body.find(whole)
    if at >= 0:
        return at, at + len(whole)
    found = Counter(body[start:end] for start, end in spans)
    best = min(found, key=lambda term: (found[term], -len(term)))
    return next(span for span in spans if body[span[0] : span[1]] == best)
