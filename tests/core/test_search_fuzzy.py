"""Near-miss titles: the bit-parallel edit distance against a plain dynamic programme."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tui.search.fuzzy import within


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _best(query: str, title: str) -> int:
    """The least edits from `query` to any substring of `title` (the empty one included)."""
    return min(
        _distance(query, title[i:j])
        for i in range(len(title) + 1)
        for j in range(i, len(title) + 1)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.text("开发区党建工作", min_size=1, max_size=8), st.text("开发区党建工作招商", max_size=12)
)
def test_within_finds_the_least_edits_and_a_part_that_has_them(query: str, title: str) -> None:
    best = _best(query, title)
    for limit in (0, 1, 2):
        found = within(query, title, limit)
        if best > limit:
            assert found is None
            continue
        assert found is not None
        edits, start, end = found
        assert edits == best
        assert 0 <= start <= end <= len(title)
        assert _distance(query, title[start:end]) == edits


def test_a_retyped_title() -> None:
    assert within("招商引资蹄疾步急", "2024招商引资蹄疾步稳！", 2) == (1, 4, 11)
    assert within("明天请停留一分", "明天,请停留一分钟", 2) == (1, 0, 8)
    assert within("完全不同", "招商引资", 2) is None
