"""What to offer when a query finds nothing: the nearest titles, and the query's words tried apart
with how many articles hold each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Suggestions:
    query: str
    titles: tuple[str, ...] = ()  # the nearest titles, nearest first
    words: tuple[tuple[str, int], ...] = ()  # each word of the query, and the articles holding it

    def describe(self) -> str:
        """One short paragraph for a person: what was not found, and what might be."""
        lines = [f"Nothing matches {self.query}."]
        if self.words and len(self.words) > 1:
            tried = ", ".join(f"{word} ({count})" for word, count in self.words)
            lines.append(f"Words tried apart: {tried}.")
        if self.titles:
            lines.append("Nearest titles: " + " · ".join(self.titles))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "titles": list(self.titles),
            "words": [{"word": word, "articles": count} for word, count in self.words],
        }
