"""The model as plain JSON-ready dicts, for `export --json` and every `--json` output."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bulletin_tui.model import Article, Block, FileError, Hit, Issue

# What a list of many items (articles, blocks) is made into: a list, or for `export --json` a
# json_stream.Streamed array that makes them while it is written.
Many = Callable[[Iterable[Any]], Any]


def block_to_dict(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"type": block.kind, "text": block.text}
    if block.kind == "heading":
        data["level"] = block.level
    if block.kind == "table":
        data["rows"] = [list(row) for row in block.rows]
    if block.kind == "list":
        data["items"] = list(block.items)
        data["ordered"] = block.ordered
    if block.links:
        data["links"] = [{"text": link.text, "url": link.url} for link in block.links]
    return data


def article_to_dict(article: Article, many: Many = list) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "subtitles": list(article.subtitles),
        "dateline": article.dateline,
        "byline": article.byline,
        "reporters": list(article.reporters),
        "correspondents": list(article.correspondents),
        "photo_credits": list(article.photo_credits),
        "section": article.section,
        "blocks": many(block_to_dict(block) for block in article.blocks),
    }


def issue_to_dict(issue: Issue, many: Many = list) -> dict[str, Any]:
    return {
        "id": issue.id,
        "path": issue.path,
        "title": issue.title,
        "date": issue.date.isoformat() if issue.date else None,
        "front_matter": list(issue.front_matter),
        "sections": [
            {
                "title": section.title,
                "articles": many(article_to_dict(article, many) for article in section.articles),
            }
            for section in issue.sections
        ],
    }


def error_to_dict(error: FileError) -> dict[str, str]:
    return {"path": error.path, "message": error.message}


def hit_to_dict(hit: Hit) -> dict[str, Any]:
    return {
        "article_id": hit.article_id,
        "issue_id": hit.issue_id,
        "issue_path": hit.issue_path,
        "date": hit.date.isoformat() if hit.date else None,
        "publication": hit.publication,
        "section": hit.section,
        "title": hit.title,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "spans": [list(span) for span in hit.spans],
        "text_spans": [list(span) for span in hit.text_spans],
        "title_spans": [list(span) for span in hit.title_spans],
        "match": hit.match,
        "matched": list(hit.matched),
        "missing": list(hit.missing),
    }
