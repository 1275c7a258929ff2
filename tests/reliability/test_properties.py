"""Generated documents through the whole library: written in any of the encodings users have, read,
parsed, stored in the cache, loaded back, found by search. Nothing may be lost or changed on the
way.

test_parse_properties.py runs 2,000 generated documents through the parser; these go the rest of
the way (the same generator), fewer of them (100 in CI) since each one is a file and a cache.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin_tui.library import open_library
from bulletin_tui.model import Issue
from bulletin_tui.parse import parse_issue
from tests.core.test_parse_properties import DOCUMENT

# A twentieth of the parser's count: 100 in CI (each one is a file and a cache on disk, ~0.1 s).
PARSER_EXAMPLES = os.environ.get(
    "BULLETIN_TUI_PROPERTY_EXAMPLES", "2000" if os.environ.get("CI") else "300"
)
EXAMPLES = max(10, int(PARSER_EXAMPLES) // 20)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030")
LINE_ENDINGS = ("\n", "\r\n", "\r")


def _plain(issue: Issue) -> tuple[object, ...]:
    """Every field of the issue, its sections and articles, as plain values."""
    return (
        issue.id,
        issue.title,
        issue.date,
        issue.front_matter,
        tuple(
            (section.title, tuple((a.id, a.title, a.subtitles, a.dateline, a.byline,
                                   a.reporters, a.correspondents, a.photo_credits, a.blocks,
                                   a.section) for a in section.articles))
            for section in issue.sections
        ),
    )  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(DOCUMENT, st.sampled_from(ENCODINGS), st.sampled_from(LINE_ENDINGS))
@example("# 一", "gb18030", "\n")  # bytes that are valid UTF-8 too
def test_a_generated_issue_survives_the_file_and_the_cache(
    document: str, encoding: str, line_ending: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="bulletin-tui-property-") as temporary:
        _round_trip(Path(temporary), document, encoding, line_ending)


def _read_as(data: bytes, encoding: str, document: str) -> str:
    """The text a reader gets from `data`: bytes that are valid UTF-8 are read as UTF-8 before
    GB18030 is tried, and a GB18030 file of a character or two can be valid UTF-8 (一 is D2 BB,
    which is UTF-8 for һ). Longer Chinese text in GB18030 is not."""
    if encoding != "gb18030":
        return document
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return document
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _round_trip(folder: Path, document: str, encoding: str, line_ending: str) -> None:
    path = folder / "2024-05-06.md"
    data = document.replace("\n", line_ending).encode(encoding)
    path.write_bytes(data)
    expected = parse_issue(
        _read_as(data, encoding, document), path=str(path), issue_id="2024-05-06"
    )

    stored = open_library([folder], cache_dir=folder / "cache")
    if stored.errors:  # refused whole, and named: it must be one of the documented cases
        (error,) = stored.errors
        controls = len(re.findall(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]", document))
        if "binary file" in error.message:
            assert ("\x00" in document and encoding != "utf-16") or controls > max(
                8, len(document) // 100
            ), error
        else:
            assert "empty file" in error.message, error
            assert not any(a.body_text.strip() or a.title.strip() for a in expected.articles)
        return
    (issue,) = stored.issues
    assert _plain(issue) == _plain(expected)
    stored.close()

    reopened = open_library([folder], cache_dir=folder / "cache", refresh=False)
    (again,) = reopened.issues
    assert _plain(again) == _plain(expected)  # read back from the cache, nothing parsed
    for article in again.articles:
        words = [w for w in article.title.split() if len(w) >= 2 and w.isalnum()]
        if words:
            found = {hit.article_id for hit in reopened.search(f'"{words[0]}"', limit=500)}
            assert article.id in found, (words[0], article.title)
    reopened.close()
