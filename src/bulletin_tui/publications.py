"""Publications: the bulletins one library holds (a zone's paper, a daily digest, a newsletter).

Each issue belongs to the library path it was found under (a `[library] paths` entry or a PATH on
the command line), or to a folder `[[library.publication]]` names, the deepest that holds it. A
publication is called what config says, else what its issues' titles share without their dates
(南哪消息, 《新闻联播》), else its folder's name. Paths that come out with the same name are one
publication. Pure: issues in, publications out; no I/O, no Textual.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bulletin_tui.model import Issue, article_count
from bulletin_tui.parse import sanitize_text
from bulletin_tui.title_dates import DATE

_EDGES = " \t\u3000-–—·|/:：,，.。()（）[]【】"
_EMPTY_PAIRS = re.compile(r"\(\s*\)|（\s*）|\[\s*\]|【\s*】")
MIN_SHARED_PREFIX = 2  # characters a common beginning needs to name a publication
NAMING_ISSUES = 60  # the newest issues' titles name a publication: the name of today's paper


@dataclass(frozen=True, slots=True)
class Publication:
    name: str
    paths: tuple[str, ...]  # the folders (or files) its issues were found under
    issues: tuple[Issue, ...]  # newest first

    @property
    def latest(self) -> date | None:
        return next((issue.date for issue in self.issues if issue.date), None)

    @property
    def earliest(self) -> date | None:
        return next((issue.date for issue in reversed(self.issues) if issue.date), None)

    @property
    def article_count(self) -> int:
        return sum(map(article_count, self.issues))

    def unread(self, read: Collection[str]) -> int:
        return sum(1 for issue in self.issues for a in issue.articles if a.id not in read)


def without_date(title: str) -> str:
    """The title with its dates taken out: `南哪消息 2024-09-27` → `南哪消息`."""
    text = _EMPTY_PAIRS.sub(" ", DATE.sub(" ", title))
    return " ".join(text.split()).strip(_EDGES)


def common_title(titles: Sequence[str]) -> str | None:
    """What the titles share without their dates: the one most of them have, else their common
    beginning; None when they share nothing worth a name."""
    bare = [without_date(title) for title in titles]
    if not bare:
        return None
    name, count = Counter(bare).most_common(1)[0]
    if name and count * 2 >= len(bare) and (count > 1 or len(bare) == 1):
        return name
    prefix = _shared_start(bare).strip(_EDGES)
    return prefix if len(prefix) >= MIN_SHARED_PREFIX else None


def _shared_start(texts: Sequence[str]) -> str:
    first, last = min(texts), max(texts)  # what these two share, all share
    length = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first)
    )
    return first[:length]


def _absolute(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def _holds(folder: str, path: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def group(
    issues: Sequence[Issue],
    roots: Sequence[str | os.PathLike[str]],
    names: Mapping[str, str] | None = None,
) -> list[Publication]:
    """`issues` (newest first) as publications, in the order of `roots`.

    `names` maps a folder to the publication name config gives it; the deepest named folder that
    holds an issue wins over the library path it was found under.
    """
    named = sorted(
        ((_absolute(folder), name) for folder, name in (names or {}).items()),
        key=lambda pair: -len(pair[0]),
    )
    places = [_absolute(root) for root in roots]
    # An issue's path is its root's path joined with more: compared as written first, which
    # spares a large library a normalised path per issue.
    written = [os.fspath(root) for root in roots]
    # (root index, named folder or "") → issues; order of first sight is the roots' order below
    buckets: dict[tuple[int, str], list[Issue]] = {}
    inside = [text.rstrip(os.sep) + os.sep for text in written]
    for issue in issues:  # 10,000 issues: kept to plain string tests
        written_path = issue.path
        root = next(
            (
                i
                for i, (text, start) in enumerate(zip(written, inside, strict=True))
                if written_path == text or written_path.startswith(start)
            ),
            -1,
        )
        if named or root < 0:
            path = _absolute(written_path)
            if root < 0:
                root = next(
                    (i for i, place in enumerate(places) if _holds(place, path)), len(places)
                )
            folder = next((folder for folder, _ in named if _holds(folder, path)), "")
        else:
            folder = ""
        buckets.setdefault((root, folder), []).append(issue)
    by_name: dict[str, tuple[list[str], list[Issue]]] = {}
    # By library path; within one, the publication with the newest issue first.
    for (root, folder), members in sorted(buckets.items(), key=lambda item: item[0][0]):
        first = _absolute(members[0].path)
        place = folder or (places[root] if root < len(places) else os.path.dirname(first))
        name = dict(named).get(folder) if folder else None
        # A library path that is a file is named after the folder holding it.
        folder_name = Path(os.path.dirname(place) if place == first else place).name
        titles = [issue.title for issue in members[:NAMING_ISSUES]]
        name = name or common_title(titles) or folder_name or place
        name = sanitize_text(name)
        paths, held = by_name.setdefault(name, ([], []))
        paths.append(place)
        held.extend(members)
    publications = []
    for name, (paths, held) in by_name.items():
        if len(paths) > 1:  # merged from several paths: newest first again, as `issues` were
            rank = {id(issue): number for number, issue in enumerate(issues)}
            held.sort(key=lambda issue: rank[id(issue)])
        publications.append(Publication(name, tuple(paths), tuple(held)))
    return publications


def named_like(publications: Sequence[Publication], *texts: str) -> set[str]:
    """The names of the publications whose name contains every one of `texts`, compared folded as
    search's `pub:` compares (full-width = ASCII, traditional = simplified)."""
    from bulletin_tui.search.folding import fold

    wanted = [fold(text.strip()) for text in texts]
    return {pub.name for pub in publications if all(part in fold(pub.name) for part in wanted)}


# A pub: filter as typed: quoted (ASCII or curly quotes, 「」) or up to the next space.
_PUB_FILTER = re.compile(r'(?i)(?<!\S)[+-]?pub:(?:["“「][^"”」]*["”」]?|\S*)\s*')


def toggle_publication_filter(query: str, name: str) -> str:
    """The search query kept to publication `name` (`pub:"name" ` in front), or, when it already
    keeps to one or more, the query without its `pub:` filters: the `P` key's two ways."""
    if _PUB_FILTER.search(query):
        rest = " ".join(_PUB_FILTER.sub(" ", query).split())
        return rest + " " if rest else ""
    # A name with a quote in it is searched by its longest piece without one (pub: matches a part).
    piece = max(re.split(r'["“”「」\s]+', name), key=len)
    rest = query.strip()
    return f'pub:"{piece}" ' + (rest + " " if rest else "")
