"""Reading order across the library, walked lazily: issue by issue, never all at once.

Opening a large library must not read every issue's articles from the cache, so `[` `]` `U`
walk only as far as they need to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from bulletin_tui.model import Issue


def walk(
    issues: Mapping[str, Issue],
    order: Sequence[str],
    issue_id: str | None,
    article_id: str | None,
    step: int,
) -> Iterator[str]:
    """Article ids after (step 1) or before (step -1) `article_id` in reading order.

    `order` holds the issue ids newest first. Without a current article (an issue's contents
    are shown, or nothing), the walk starts before that issue's first article (or the newest's).
    """
    if issue_id not in issues or issue_id not in order:
        issue_id, article_id = (order[0] if order else None), None
    if issue_id is None:
        return
    start = order.index(issue_id)
    ids = [article.id for article in issues[issue_id].articles]
    if article_id in ids:
        position = ids.index(article_id) + step
    else:
        position = 0 if step > 0 else len(ids) - 1
    while 0 <= position < len(ids):
        yield ids[position]
        position += step
    index = start + step
    while 0 <= index < len(order):
        articles = [article.id for article in issues[order[index]].articles]
        yield from (articles if step > 0 else reversed(articles))
        index += step


def reading_order_until(
    issues: Mapping[str, Issue], order: Sequence[str], article_id: str
) -> Iterator[str]:
    """Article ids from the newest issue's first up to (not including) `article_id`."""
    for issue_id in order:
        for article in issues[issue_id].articles:
            if article.id == article_id:
                return
            yield article.id
