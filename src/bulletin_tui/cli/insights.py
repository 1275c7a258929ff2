"""`related` and `trend`: the archive's insights (bulletin_tui.insights) on the command line."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin_tui.cli.opening import open_for
from bulletin_tui.cli.output import EXIT_USAGE, no_article, print_json, report, say
from bulletin_tui.parse.sanitize import sanitize_text
from bulletin_tui.wording import counted

SPARKS = "▁▂▃▄▅▆▇█"


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """The two subcommands, on the parser's subparsers object."""
    from bulletin_tui.cli.arguments import PATH_HELP, whole_number

    related = commands.add_parser(
        "related", parents=[common], help="the articles most like one article"
    )
    related.add_argument("article_id", metavar="ARTICLE_ID")
    related.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)
    related.add_argument("--limit", type=whole_number, default=10, metavar="N")
    related.add_argument(
        "--pub",
        metavar="TEXT",
        help="only articles of the publications whose name contains TEXT (as pub: in a search)",
    )
    related.add_argument("--json", action="store_true", help="print JSON")
    trend = commands.add_parser(
        "trend", parents=[common], help="how many articles a query matches, period by period"
    )
    trend.add_argument("query", metavar="QUERY")
    trend.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)
    trend.add_argument(
        "--by",
        choices=("month", "week", "year"),
        help="default: month (week for a library under a year)",
    )
    trend.add_argument("--json", action="store_true", help="print JSON")


def cmd_related(args: argparse.Namespace) -> int:
    library = open_for(args)
    within = None
    if args.pub is not None:
        from bulletin_tui.publications import named_like

        within = named_like(library.publications, args.pub)
        if not within:
            names = ", ".join(pub.name for pub in library.publications)
            say(sanitize_text(f"no publication's name contains {args.pub} (there are: {names})"))
            return EXIT_USAGE
    found = library.insights.related(args.article_id, limit=max(0, args.limit), publications=within)
    if found is None:
        return no_article(library, args.article_id)
    if args.json:
        print_json(
            {
                "article_id": args.article_id,
                "related": [
                    {
                        "article_id": item.article_id,
                        "title": item.title,
                        "date": item.date.isoformat() if item.date else None,
                        "score": item.score,
                        "shared": list(item.shared),
                        "publication": item.publication,
                    }
                    for item in found
                ],
            }
        )
        return report(library)
    several = len(library.publications) > 1
    for item in found:
        day = item.date.isoformat() if item.date else "-"
        pub = f"  {item.publication}" if item.publication and several else ""
        print(sanitize_text(f"{item.article_id}  {day}{pub}  {item.title}"))
        print(sanitize_text(f"    {item.score:.2f}  {' · '.join(item.shared)}"))
    if not found:
        print("no related article")
    return report(library)


def cmd_trend(args: argparse.Namespace) -> int:
    from bulletin_tui.library import QueryError

    try:
        library = open_for(args)
        trend = library.insights.trend(args.query, by=args.by)
    except QueryError as error:
        say(str(error))
        return EXIT_USAGE
    if args.json:
        print_json(
            {
                "query": args.query,
                "by": trend.by,
                "counts": [{"period": period, "articles": n} for period, n in trend.counts],
            }
        )
        return report(library)
    if not trend.counts:
        where = "publications pub: keeps to" if "pub:" in args.query.lower() else "library"
        print(f"no dated issue in the {where}: nothing to count by period")
        return report(library)
    most = max(n for _, n in trend.counts) or 1
    width = len(str(most))
    for period, n in trend.counts:
        bar = "█" * round(30 * n / most) if n else ""
        print(f"{period:<8}  {n:>{width}}  {bar}")
    verb = "matches" if trend.total == 1 else "match"
    print(sanitize_text(f"{counted(trend.total, 'article')} {verb} {args.query}"))
    return report(library)
