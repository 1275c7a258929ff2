"""A realistic search query set, built from the articles themselves: what a reader types to find an
article they remember. Each query names what it should find (a title, or for partial queries one
article) and its kind:

    traditional     a title typed in traditional characters (開發區 for 开发区)
    initials        pinyin initials of a title's first characters, across punctuation, digits or a
                    space (`mtqtly` for 明天，请停留一分钟); digits typed or skipped
    full pinyin     full pinyin of a title's first characters across the same breaks
    typo            a whole title retyped with one character wrong or missing
    two typos       a longer title with two characters wrong or missing
    reordered       a title's words in another order, spaced
    partial         three words of an article plus one word no article holds

    python -m tests.search_queries          # rewrites the two JSON files in tests/fixtures/

writes `search_queries.json` from the nanna corpus (when present) and `search_queries_fixture.json`
from the three issues in tests/fixtures/nanna. The same corpus always gives the same queries.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from tests.conftest import CORPUS, FIXTURES

KINDS = ("traditional", "initials", "full pinyin", "typo", "two typos", "reordered", "partial")
CORPUS_SET = FIXTURES / "search_queries.json"
FIXTURE_SET = FIXTURES / "search_queries_fixture.json"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _han(char: str) -> bool:
    return _HAN.fullmatch(char) is not None


def build(folder: Path, per_kind: int, seed: int = 10) -> list[dict[str, Any]]:
    """Up to `per_kind` queries of each kind over the issues in `folder`."""
    import opencc
    from pypinyin import lazy_pinyin

    from bulletin_tui import chinese_words
    from bulletin_tui.library import open_library
    from bulletin_tui.search.folding import fold

    library = open_library([folder], use_cache=False)
    articles = [a for a in library.articles if a.title]
    rng = random.Random(seed)
    title_count = Counter(fold(a.title) for a in articles)
    # Titles that name one article, or a few: "讲座" names dozens and finds none in particular.
    titles = sorted(
        {
            a.title
            for a in articles
            if title_count[fold(a.title)] <= 2
            and sum(map(_han, a.title)) >= 4
            and len(a.title) >= 5
        }
    )
    rng.shuffle(titles)
    common = [
        c for c, _ in Counter(c for a in articles for c in a.body_text if _han(c)).most_common(800)
    ]
    queries: list[dict[str, Any]] = []

    def add(kind: str, query: str, title: str | None = None, article: str | None = None) -> None:
        if sum(1 for q in queries if q["kind"] == kind) < per_kind and query.strip():
            queries.append({"kind": kind, "query": query, "title": title, "article": article})

    s2t = opencc.OpenCC("s2t").convert
    for title in titles:
        traditional = s2t(title)
        if traditional != title:
            add("traditional", traditional, title)

    for title in titles:
        head = title[: _nth_han(title, 6) + 1]
        if all(_han(c) for c in head) or len(head) < 6:
            continue  # no break among the first six characters read
        readings = lazy_pinyin(title, errors=lambda chars: list(chars))
        pairs = [(c, r) for c, r in zip(title, readings, strict=False) if c.strip()]
        typed = rng.random() < 0.5  # digits and Latin typed as they are, or skipped
        add("initials", _spell(pairs, 6, typed, initials=True), title)
        add("full pinyin", _spell(pairs, 4, typed, initials=False), title)

    for title in titles:
        positions = [i for i, c in enumerate(title) if _han(c)]
        at = rng.choice(positions[1:])
        if rng.random() < 0.67:
            wrong = rng.choice([c for c in common if c != title[at]])
            add("typo", title[:at] + wrong + title[at + 1 :], title)
        else:
            add("typo", title[:at] + title[at + 1 :], title)
    for title in titles:
        positions = [i for i, c in enumerate(title) if _han(c)]
        if len(positions) < 8:
            continue
        first, second = sorted(rng.sample(positions, 2))
        chars = list(title)
        for at in (second, first):
            if rng.random() < 0.5:
                chars[at] = rng.choice([c for c in common if c != chars[at]])
            else:
                del chars[at]
        add("two typos", "".join(chars), title)

    for title in titles:
        words = [w for w in chinese_words.words(title) if any(map(_han, w))]
        if len(words) < 2:
            continue
        order = words[:]
        while order == words:
            rng.shuffle(order)
        add("reordered", " ".join(order), title)

    bodies = [(a, fold(a.body_text)) for a in articles if len(a.body_text) >= 300]
    everything = "\n".join(fold(a.title) + "\n" + text for a, text in bodies)
    frequency: Counter[str] = Counter()
    cut = {
        a.id: [
            w for w in dict.fromkeys(chinese_words.words(text)) if len(w) >= 2 and all(map(_han, w))
        ]
        for a, text in bodies
    }
    for words in cut.values():
        frequency.update(words)
    rng.shuffle(bodies)
    for article, _text in bodies:
        rare = [w for w in cut[article.id] if frequency[w] <= 4]
        if len(rare) < 3:
            continue
        chosen = rng.sample(rare, 3)
        while True:
            missing = "".join(rng.sample(common[200:], 2))
            if missing not in everything:
                break
        words = [*chosen, missing]
        rng.shuffle(words)
        add("partial", " ".join(words), article.title, article.id)
    return queries


def _nth_han(text: str, n: int) -> int:
    """Index of the n-th Han character of `text` (or its last character)."""
    seen = 0
    for i, char in enumerate(text):
        seen += _han(char)
        if seen == n:
            return i
    return len(text) - 1


def _spell(pairs: list[tuple[str, str]], count: int, typed: bool, *, initials: bool) -> str:
    """The first `count` Han characters' readings (or initials), punctuation and spaces skipped,
    digits and Latin typed as they are or skipped."""
    out: list[str] = []
    seen = 0
    for char, reading in pairs:
        if seen == count:
            break
        if _han(char):
            out.append(reading[0] if initials else reading)
            seen += 1
        elif typed and char.isascii() and char.isalnum():
            out.append(char.lower())
    return "".join(out)


def main() -> None:
    for folder, path, per_kind in ((CORPUS, CORPUS_SET, 40), (FIXTURES / "nanna", FIXTURE_SET, 12)):
        if not folder.is_dir():
            print(f"{folder} is absent: {path.name} left as it is")
            continue
        queries = build(folder, per_kind)
        path.write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        counts = Counter(q["kind"] for q in queries)
        print(path.name, dict(counts))


if __name__ == "__main__":
    main()
