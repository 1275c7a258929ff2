"""An article as Markdown or plain text, and a safe place to write it."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date
from pathlib import Path

from bulletin_tui.model import Article, Block, Issue
from bulletin_tui.parse import sanitize_text
from bulletin_tui.typeset import meta_text

MAX_NAME_CHARS = 80  # well under the 255-byte limit of most file systems, even in UTF-8 CJK
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def metadata_line(article: Article, issue: Issue | None) -> str:
    """Dateline, reporters, correspondents, photographers, the issue and its date."""
    return sanitize_text(meta_text(article, issue))


def safe_file_name(title: str, fallback: str, suffix: str = ".md") -> str:
    """A file name made from `title`: no separators, control characters, dot-names or reserved names."""
    name = unicodedata.normalize("NFC", sanitize_text(title))
    name = _UNSAFE.sub(" ", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        name = name[:MAX_NAME_CHARS].rstrip(" .")
    if not name or _RESERVED.match(name):
        name = _UNSAFE.sub("_", fallback).strip(" .") or "article"
    return name + suffix


def export_path(folder: Path, title: str, fallback: str, day: date | None = None) -> Path:
    """A new file in `folder` for the article, named by its issue's date and its title (articles
    of the same name in different issues do not pile up as `讲座 (2).md`): never outside the
    folder, never over an existing file."""
    folder = folder.resolve()
    name = safe_file_name(title, fallback)
    if day is not None:
        name = f"{day.isoformat()} {name}"
    stem, suffix = os.path.splitext(name)
    candidate = folder / name
    counter = 1
    while os.path.lexists(candidate):  # a dangling link (planted, say) counts as taken
        counter += 1
        candidate = folder / f"{stem} ({counter}){suffix}"
    if candidate.resolve().parent != folder:  # belt and braces: the name cannot contain a separator
        raise ValueError(f"refusing to write outside {folder}")
    return candidate


def write_markdown(folder: Path, article: Article, issue: Issue | None) -> Path:
    """Write the article as Markdown to a new file in `folder` (see export_path); the path
    written. Raises OSError, or ValueError for a name that would leave the folder."""
    target = export_path(folder, article.title, article.id, issue.date if issue else None)
    # The user's own document: created with the umask's mode (unlike state and cache, which are
    # private), and never through an existing file or symlink ("x").
    with target.open("x", encoding="utf-8") as handle:
        handle.write(article_markdown(article, issue))
    return target


def _escape_cell(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _with_links(block: Block) -> str:
    text = block.text
    for link in block.links:
        if link.text and link.text in text:
            text = text.replace(link.text, f"[{link.text}](<{link.url}>)", 1)
    return text


def _block_markdown(block: Block) -> str:
    if block.kind == "heading":
        return "#" * min(6, block.level + 1) + " " + block.text
    if block.kind == "table" and block.rows:
        width = max(len(row) for row in block.rows)
        rows = [[*row, *[""] * (width - len(row))] for row in block.rows]
        lines = ["| " + " | ".join(_escape_cell(c) for c in rows[0]) + " |"]
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(_escape_cell(c) for c in row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    if block.kind == "list":
        items = block.items or tuple(block.text.splitlines())
        if block.ordered:
            return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        return "\n".join(f"- {item}" for item in items)
    if block.kind == "quote":
        return "\n".join("> " + line for line in _with_links(block).splitlines())
    if block.kind == "caption":
        return f"*{block.text}*"
    return _with_links(block)


def article_markdown(article: Article, issue: Issue | None) -> str:
    parts = [f"# {article.title}"]
    parts += [f"**{subtitle}**" for subtitle in article.subtitles]
    meta = metadata_line(article, issue)
    if meta:
        parts.append(f"*{meta}*")
    parts += [_block_markdown(block) for block in article.blocks]
    return sanitize_text("\n\n".join(parts)) + "\n"


def article_plain_text(article: Article, issue: Issue | None) -> str:
    """What `y` copies: the title, subtitles, metadata and body as readable text."""
    parts = [article.title, *article.subtitles, metadata_line(article, issue), article.body_text]
    return sanitize_text("\n\n".join(part for part in parts if part)) + "\n"
