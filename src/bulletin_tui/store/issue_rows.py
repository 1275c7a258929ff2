"""An issue's row in the `files` table: its articles' metadata packed into one string (store.codec)
and built back into sections of articles, so a warm open reads this table alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bulletin_tui.model import Article, Issue, Section
from bulletin_tui.store import codec


def pack_docs(docs: Sequence[int]) -> str:
    return ",".join(map(str, docs))


def pack_articles(issue: Issue) -> str:
    """One record per article: id suffix, section index, then its metadata."""
    records = []
    prefix = f"{issue.id}."
    position = 0
    for part, section in enumerate(issue.sections):
        for article in section.articles:
            position += 1
            suffix = article.id[len(prefix) :] if article.id.startswith(prefix) else str(position)
            fields = (
                codec.pack(suffix),
                codec.pack(str(part)),
                codec.pack(article.section),
                codec.pack(article.title),
                codec.pack_list(article.subtitles),
                codec.pack(article.dateline),
                codec.pack(article.byline),
                codec.pack_list(article.reporters),
                codec.pack_list(article.correspondents),
                codec.pack_list(article.photo_credits),
            )
            records.append(codec.FIELD.join(fields))
    return codec.RECORD.join(records)


def search_fields(record: str) -> tuple[str, str, str]:
    """(meta, authors, section) of one packed article record, as search indexes them: subtitles,
    dateline, byline and photo credits; everyone credited, once each; tab-separated."""
    fields = record.split(codec.FIELD)
    if len(fields) < 10:
        return "", "", ""
    unpack, unpack_list = codec.unpack, codec.unpack_list
    subtitles, credits = unpack_list(fields[4]), unpack_list(fields[9])
    meta = (*subtitles, unpack(fields[5]) or "", unpack(fields[6]) or "", *credits)
    people = (*unpack_list(fields[7]), *unpack_list(fields[8]), *credits)
    return "\t".join(meta), "\t".join(dict.fromkeys(people)), unpack(fields[2]) or ""


def unpack_sections(
    make: Callable[..., Article], issue_id: str, names: str, articles: str, docs: str
) -> tuple[Section, ...]:
    """The sections of a `files` row, each article made by `make` (store.lazy.article_maker)."""
    titles = codec.unpack_optional_list(names)
    parts: list[list[Article]] = [[] for _ in titles]
    unpack, unpack_list = codec.unpack, codec.unpack_list
    numbers = [int(doc) for doc in docs.split(",")] if docs else []
    records = articles.split(codec.RECORD) if articles else []
    for doc, record in zip(numbers, records, strict=True):
        fields = record.split(codec.FIELD)
        parts[int(fields[1][1:])].append(
            make(
                doc,
                f"{issue_id}.{fields[0][1:]}",
                fields[3][1:],
                unpack_list(fields[4]),
                unpack(fields[5]),
                unpack(fields[6]),
                unpack_list(fields[7]),
                unpack_list(fields[8]),
                unpack_list(fields[9]),
                unpack(fields[2]),
            )
        )
    return tuple(Section(title, tuple(part)) for title, part in zip(titles, parts, strict=True))
