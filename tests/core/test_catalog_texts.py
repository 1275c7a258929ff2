"""The catalog's text columns: kept in the index's order as stored (folded code units), counted in
the library's order."""

from __future__ import annotations

import itertools
import random
import sqlite3
from pathlib import Path

import numpy as np

from bulletin_tui.library import open_library
from bulletin_tui.search.catalog_texts import CatalogTexts
from bulletin_tui.search.folding import fold
from bulletin_tui.search.index_catalog import Columns
from bulletin_tui.search.joined import Joined
from bulletin_tui.search.postings import index_path

ALPHABET = "南京大学開發区发展新闻讲座ＡＢab 。，𠀀"


def _texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choices(ALPHABET, k=rng.randrange(0, 9))) for _ in range(n)]


def _split(rng: random.Random, texts: list[str]) -> CatalogTexts:
    """`texts` (one per dense doc) as the engine keeps them: most in a shuffled 'index order',
    some absent from the library, the rest as the tail."""
    n = len(texts)
    held = sorted(rng.sample(range(n), k=n * 3 // 4))
    tail_docs = sorted(set(range(n)) - set(held))
    order = held[:]
    rng.shuffle(order)
    stored_texts = [fold(texts[doc]) for doc in order]
    source = np.full(n, -1, dtype=np.int64)
    # Texts of articles the library no longer has stay in the index's order until a merge.
    at = 0
    for doc in order:
        if rng.random() < 0.2:
            stored_texts.insert(at, fold("南京旧文"))
            at += 1
        source[doc] = at
        at += 1
    units = Joined((), joined="\n".join(stored_texts)).units
    return CatalogTexts(Joined((), folded=units), source, [texts[d] for d in tail_docs], tail_docs)


def test_counts_and_texts_are_those_of_the_library_order() -> None:
    rng = random.Random(5)
    for round_ in range(30):
        texts = _texts(rng, rng.randrange(1, 60))
        truth = Joined(texts)  # every text in the library's order, folded
        split = _split(rng, texts)
        needles = ["南", "南京", "京大学", "开发", "開發区", "ab", "Ａ", "𠀀", "。"]
        needles += [t[1:4] for t in texts if len(t) > 3][:5]
        for step in ("split", "warm", "in order"):
            if step == "warm":
                split.warm()
            if step == "in order":
                assert split.in_order().texts == truth.texts
            for needle in needles:
                expected = truth.counts(needle, len(texts))
                assert split.counts(needle, len(texts)).tolist() == expected.tolist(), (
                    round_,
                    step,
                    needle,
                )
            assert [split.get(doc) for doc in range(len(texts))] == truth.texts


def test_a_segment_of_no_articles_adds_no_text() -> None:
    encoded = [s.encode("utf-16-le") for s in ("南京\n大学", "", "", "\n\n开发")]
    columns = Columns(np.arange(6), np.ones(6), [2, 0, 1, 3], {"titles": encoded})
    assert columns.split("titles") == ["南京", "大学", "", "", "", "开发"]
    joined = Joined((), folded=columns.units("titles"))
    assert joined.texts == ["南京", "大学", "", "", "", "开发"]
    assert len(joined) == 6


def test_the_index_stores_its_titles_folded(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "2025-01-02.md").write_text(
        "# 日報\n\n## 要聞\n\n### 開發區ＮＥＷＳ新聞\n\n本报讯 (記者 麗娜)\n\n正文一段。\n",
        encoding="utf-8",
    )
    library = open_library([folder], cache_dir=tmp_path / "cache")
    cache = next((tmp_path / "cache").glob("library-*.sqlite3"))
    with sqlite3.connect(index_path(cache)) as conn:
        titles, meta = conn.execute("SELECT titles, meta FROM catalog").fetchone()
    assert bytes(titles).decode("utf-16-le") == fold("開發區ＮＥＷＳ新聞") == "开发区news新闻"
    assert "丽娜" in bytes(meta).decode("utf-16-le")
    (hit,) = library.search("开发区新闻")
    assert hit.title == "開發區ＮＥＷＳ新聞"  # shown as written
    assert library.engine.terms.term("新闻").title.tolist() == [1]
    library.close()


def test_a_needle_longer_than_every_text_is_counted_nowhere() -> None:
    joined = Joined(["ab", "南京"])
    assert joined.counts("南京南京大学", 2).tolist() == [0, 0]
    assert joined.counts("京", 2).tolist() == [0, 1]


def test_the_pair_index_holds_every_pair_within_a_text_once_with_its_count() -> None:
    from bulletin_tui.search.joined import DOC_BITS

    rng = random.Random(8)
    for _ in range(40):
        texts = _texts(rng, rng.randrange(1, 30))
        joined = Joined(texts)
        expected: dict[int, int] = {}
        for doc, text in enumerate(joined.texts):
            units = text.encode("utf-16-le", "surrogatepass")
            codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
            for first, second in itertools.pairwise(codes):
                key = (first << 16 | second) << DOC_BITS | doc
                expected[key] = expected.get(key, 0) + 1
        keys, counts = joined.pair_index()
        assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == expected
        assert keys.tolist() == sorted(expected)
