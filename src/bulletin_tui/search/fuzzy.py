"""Titles found despite one character wrong, missing or extra.

A title matches when some part of it is within one edit (substitution, insertion, deletion) of the
query. Candidates are titles sharing enough of the query's character pairs (one edit spoils at most
two), found with `str.find` over all titles joined; only those are compared character by character.
This stays linear in the titles' length, unlike a subsequence matcher, which is exponential on long
Chinese text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

MIN_LENGTH = 3  # shorter queries are within one edit of far too much


def within_one_edit(query: str, title: str) -> tuple[int, int, int] | None:
    """(edits, start, end) of the best part of `title` within one edit of `query`, else None.

    Sellers' algorithm: edit distance from `query` to any substring of `title`, one column a char.
    """
    n = len(query)
    column = list(range(n + 1))  # distance of query[:i] to the empty string ending here
    starts = [0] * (n + 1)
    best: tuple[int, int, int] | None = None
    for j, char in enumerate(title, start=1):
        previous, previous_start = column[0], starts[0]
        column[0], starts[0] = 0, j
        for i in range(1, n + 1):
            substitute = previous + (query[i - 1] != char)
            delete = column[i] + 1  # title char extra
            insert = column[i - 1] + 1  # query char extra
            previous, previous_start = column[i], starts[i]
            if substitute <= delete and substitute <= insert:
                column[i], starts[i] = substitute, previous_start
            elif delete <= insert:
                column[i] = delete
            else:
                column[i], starts[i] = insert, starts[i - 1]
        if column[n] <= 1 and (best is None or column[n] < best[0]):
            best = (column[n], starts[n], j)
            if column[n] == 0:
                break
    return best


def find_titles(query: str, titles: str, starts: list[int]) -> dict[int, tuple[int, int, int]]:
    """Doc index → (edits, start, end) for each title within one edit of `query`.

    `titles` is every folded title joined by newlines; `starts[i]` is where title i begins.
    """
    if len(query) < MIN_LENGTH or "\n" in query:
        return {}
    pairs = {query[i : i + 2] for i in range(len(query) - 1)}
    shared: Counter[int] = Counter()
    for pair in pairs:
        docs = set()
        at = titles.find(pair)
        while at >= 0:
            docs.add(bisect_right(starts, at) - 1)
            at = titles.find(pair, at + 1)
        shared.update(docs)
    needed = max(1, len(pairs) - 2)
    found: dict[int, tuple[int, int, int]] = {}
    for doc, count in shared.items():
        if count < needed:
            continue
        end = starts[doc + 1] - 1 if doc + 1 < len(starts) else len(titles)
        match = within_one_edit(query, titles[starts[doc] : end])
        if match is not None:
            found[doc] = match
    return found
