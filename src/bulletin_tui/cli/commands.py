"""list, show, search and export: the commands that print what the library holds."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bulletin_tui.cli.opening import load_config, open_for
from bulletin_tui.cli.output import (
    EXIT_USAGE,
    no_article,
    print_json,
    report,
    say,
    table,
)
from bulletin_tui.parse.sanitize import sanitize_text
from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from bulletin_tui.library import Library


def cmd_list(args: argparse.Namespace) -> int:
    library = open_for(args)
    if args.publications:
        return _list_publications(args, library)
    if args.json:
        print_json(_listing(library))
        return report(library)
    publications = library.publications
    rows = [["ARTICLE", "DATE", "SECTION", "TITLE"]]
    headings: dict[int, str] = {}  # row number → the publication starting there
    for publication in publications:
        if len(publications) > 1:
            headings[len(rows)] = publication.name
        for issue in publication.issues:
            day = issue.date.isoformat() if issue.date else "-"
            rows.extend([a.id, day, a.section or "-", a.title] for a in issue.articles)
    if len(rows) > 1:
        # Sanitised cell by cell, before the columns are measured.
        lines = table([[sanitize_text(cell) for cell in row] for row in rows]).split("\n")
        for number, line in enumerate(lines):
            if number in headings:
                print(("\n" if number > 1 else "") + sanitize_text(headings[number]))
            print(line)
    count = f"{counted(len(publications), 'publication')}, " if len(publications) > 1 else ""
    print(f"{count}{counted(len(library.issues), 'issue')}, {counted(len(rows) - 1, 'article')}")
    return report(library)


def _listing(library: Library) -> dict[str, Any]:
    """`list --json`: each issue with its articles and publication, and the skipped files."""
    from bulletin_tui.serialize import error_to_dict

    publication_of = library.publication_of()
    return {
        "issues": [
            {
                "id": issue.id,
                "path": issue.path,
                "title": issue.title,
                "date": issue.date.isoformat() if issue.date else None,
                "publication": publication_of.get(issue.id),
                "articles": [
                    {"id": a.id, "title": a.title, "section": a.section} for a in issue.articles
                ],
            }
            for issue in library.issues
        ],
        "errors": [error_to_dict(error) for error in library.errors],
    }


def _list_publications(args: argparse.Namespace, library: Library) -> int:
    """`list --publications`: each bulletin with its issues, articles, dates and unread count."""
    from bulletin_tui.serialize import error_to_dict
    from bulletin_tui.state import load_state

    state, problem = load_state()
    if problem:
        say(problem)
    summaries = [
        {
            "name": pub.name,
            "paths": list(pub.paths),
            "issues": len(pub.issues),
            "articles": pub.article_count,
            "first": pub.earliest.isoformat() if pub.earliest else None,
            "last": pub.latest.isoformat() if pub.latest else None,
            "unread": pub.unread(state.read),
        }
        for pub in library.publications
    ]
    if args.json:
        errors = [error_to_dict(error) for error in library.errors]
        print_json({"publications": summaries, "errors": errors})
        return report(library)
    rows = [["PUBLICATION", "ISSUES", "ARTICLES", "DATES", "UNREAD"]]
    for pub, summary in zip(library.publications, summaries, strict=True):
        first, last = pub.earliest, pub.latest
        dates = "-" if first is None or last is None else first.isoformat()
        if first is not None and last is not None and last != first:
            dates += f"..{last.isoformat()}"
        counts = [summary["issues"], summary["articles"], summary["unread"]]
        rows.append([sanitize_text(pub.name), *map(str, counts[:2]), dates, str(counts[2])])
    print(table(rows))
    return report(library)


def cmd_show(args: argparse.Namespace) -> int:
    from bulletin_tui.serialize import article_to_dict

    library = open_for(args)
    article = library.article(args.article_id)
    if article is None:
        return no_article(library, args.article_id)
    if args.json:
        keywords = library.insights.keywords(article.id) or []
        print_json({**article_to_dict(article), "keywords": [k.word for k in keywords]})
        return report(library)
    import shutil

    from bulletin_tui.terminal import ambiguous_width_choice
    from bulletin_tui.typeset import plain_lines

    config = load_config(args)[0]
    ambiguous = ambiguous_width_choice(config.ambiguous_width, None)[0]
    # --width N asks for lines of N cells: the measure only applies to the terminal's width.
    options = config.layout_options(ambiguous, measure=0 if args.width else None)
    width = args.width or shutil.get_terminal_size((80, 24)).columns
    center = not args.width and sys.stdout.isatty()
    lines = plain_lines(article, width, options, library.issue_of(article.id), center=center)
    sys.stdout.writelines(f"{line}\n" for line in lines)  # as laid out: never all at once
    return report(library)


def cmd_search(args: argparse.Namespace) -> int:
    import time

    from bulletin_tui.library import QueryError
    from bulletin_tui.serialize import hit_to_dict

    try:
        library = open_for(args)
        started = time.perf_counter()
        hits = library.search(args.query, limit=max(0, args.limit))
    except QueryError as error:
        say(str(error))
        return EXIT_USAGE
    took_ms = (time.perf_counter() - started) * 1000
    if args.json:
        print_json(
            {
                "query": args.query,
                "hits": [hit_to_dict(hit) for hit in hits],
                **({"suggestions": library.suggest(args.query).as_dict()} if not hits else {}),
                "took_ms": round(took_ms, 2),
            }
        )
        return report(library)
    several = len(library.publications) > 1
    for hit in hits:
        day = hit.date.isoformat() if hit.date else "-"
        lacks = f"  缺：{' '.join(hit.missing)}" if hit.missing else ""
        # Each hit names its bulletin when the library holds more than one.
        pub = f"  {hit.publication}" if hit.publication and several else ""
        print(sanitize_text(f"{hit.article_id}  {day}{pub}  {hit.title}{lacks}"))
        print(sanitize_text(f"    {hit.snippet}"))
    if not hits and args.limit > 0:
        print(sanitize_text(library.suggest(args.query).describe()))
    print(f"{counted(len(hits), 'hit')} in {took_ms:.1f} ms")
    return report(library)


def cmd_export(args: argparse.Namespace) -> int:
    from bulletin_tui.json_stream import Streamed
    from bulletin_tui.serialize import error_to_dict, issue_to_dict

    library = open_for(args)
    publication_of = library.publication_of()
    # Issues, articles and blocks made as they are written: the library never whole in memory.
    issues = (
        {**issue_to_dict(issue, Streamed), "publication": publication_of.get(issue.id)}
        for issue in library.issues
    )
    print_json(
        {
            "issues": Streamed(issues),
            "errors": [error_to_dict(error) for error in library.errors],
        }
    )
    return report(library)
