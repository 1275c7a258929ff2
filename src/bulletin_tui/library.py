"""The library: every issue found under the given paths, and what could not be loaded.

This is the one entry point the CLI and the TUI use. It knows nothing of Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulletin_tui import sources
from bulletin_tui.model import Article, FileError, Hit, Issue

Progress = Callable[[int, int, str], None]  # (files done, files in all, current path)


@dataclass
class Library:
    roots: tuple[Path, ...]
    issues: list[Issue] = field(default_factory=list)  # newest first
    errors: list[FileError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # one-line messages for the user
    _by_id: dict[str, tuple[Issue, Article]] = field(default_factory=dict, repr=False)

    def refresh(self, progress: Progress | None = None) -> None:
        """Read every file again (the cache makes this incremental)."""
        issues, errors = sources.load_all(self.roots, progress=progress)
        self._set(issues, errors)

    def _set(self, issues: Iterable[Issue], errors: Iterable[FileError]) -> None:
        self.issues = sorted(issues, key=_newest_first)
        self.errors = list(errors)
        self._by_id = {
            article.id: (issue, article) for issue in self.issues for article in issue.articles
        }

    @property
    def articles(self) -> list[Article]:
        return [article for issue in self.issues for article in issue.articles]

    def article(self, article_id: str) -> Article | None:
        found = self._by_id.get(article_id)
        return found[1] if found else None

    def issue_of(self, article_id: str) -> Issue | None:
        found = self._by_id.get(article_id)
        return found[0] if found else None

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Plain substring search; replaced by the search engine."""
        needle = query.strip()
        hits: list[Hit] = []
        if not needle:
            return hits
        for issue in self.issues:
            for article in issue.articles:
                text = article.body_text
                at = text.find(needle)
                in_title = needle in article.title
                if at < 0 and not in_title:
                    continue
                start = max(0, at - 20)
                snippet = text[start : start + 60] if at >= 0 else text[:60]
                spans = ((at - start, at - start + len(needle)),) if at >= 0 else ()
                hits.append(
                    Hit(
                        article_id=article.id,
                        issue_id=issue.id,
                        issue_path=issue.path,
                        date=issue.date,
                        section=article.section,
                        title=article.title,
                        score=2.0 if in_title else 1.0,
                        snippet=snippet,
                        spans=spans,
                        text_spans=((at, at + len(needle)),) if at >= 0 else (),
                    )
                )
                if len(hits) >= limit:
                    return hits
        return hits


def _newest_first(issue: Issue) -> tuple[int, str, str]:
    ordinal = issue.date.toordinal() if issue.date else 0
    # Negate so newest sort first; break ties by id for a stable order.
    return (-ordinal, issue.title, issue.id)


def open_library(
    paths: Sequence[str | Path] | None = None,
    cache_dir: str | Path | None = None,
    *,
    use_cache: bool = True,
    refresh: bool = True,
) -> Library:
    """Open the library at `paths` (default: the bundled sample issue)."""
    from bulletin_tui.paths import seeds_dir

    roots = tuple(Path(p) for p in paths) if paths else (seeds_dir(),)
    library = Library(roots=roots)
    if refresh:
        library.refresh()
    return library
