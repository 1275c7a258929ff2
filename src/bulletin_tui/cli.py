"""The command line: the reader by default, and list / show / search / index / export / related /
trend for scripts.

Exit status: 0 all fine, 1 some files were skipped (each named on stderr and in "errors"), 2 usage error.
Heavy imports (Textual, the search engine) happen inside the command that needs them.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_tui.parse.sanitize import sanitize_text

if TYPE_CHECKING:
    from bulletin_tui.config import Config
    from bulletin_tui.library import Library

COMMANDS = ("read", "list", "show", "search", "index", "export", "related", "trend")
PATH_HELP = "issue files or folders (default: the configured library, else the sample issue)"
EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    from bulletin_tui import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletin-tui",
        description="A keyboard-only terminal reader for Chinese bulletins. "
        "With no command, opens the reader on PATHs (default: the configured library, "
        "else the bundled sample issue).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cache-dir", metavar="DIR", help="where the cache lives")
    common.add_argument("--no-cache", action="store_true", help="work in memory only")
    paths = argparse.ArgumentParser(add_help=False)
    paths.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("read", parents=[common, paths], help="open the reader (the default)")
    listing = commands.add_parser(
        "list", parents=[common, paths], help="issues and their articles as a table"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument(
        "--publications",
        action="store_true",
        help="one line per publication: issues, articles, dates, unread",
    )
    show = commands.add_parser("show", parents=[common], help="one article as readable text")
    show.add_argument("article_id", metavar="ARTICLE_ID")
    # A default makes PATH... optional in argparse's eyes too (its error names required arguments).
    show.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)
    show.add_argument("--width", type=int, metavar="N", help="line width in cells")
    show.add_argument("--json", action="store_true", help="print JSON")
    search = commands.add_parser("search", parents=[common], help="ranked search hits")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON")
    index = commands.add_parser("index", parents=[common, paths], help="build or refresh the cache")
    index.add_argument(
        "--shared",
        metavar="DIR",
        help="build the shared index every reader on this machine may use, in DIR",
    )
    export = commands.add_parser(
        "export", parents=[common, paths], help="the whole parsed library as JSON"
    )
    export.add_argument("--json", action="store_true", help="print JSON (the only format)")
    from bulletin_tui.cli_insights import add_commands

    add_commands(commands, common)
    return parser


class UsageError(Exception):
    """A mistake on the command line; the message is said on one line and the exit status is 2."""


def _with_default_command(argv: Sequence[str]) -> list[str]:
    """`bulletin-tui [PATH ...]` means `bulletin-tui read [PATH ...]`.

    A first word that is neither a command nor an existing path is a mistyped command, not an
    issue file that went missing: opening an empty reader would hide the typo.
    """
    import os

    argv = list(argv)
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    if argv and not argv[0].startswith("-") and not os.path.lexists(argv[0]):
        import difflib

        nearest = difflib.get_close_matches(argv[0], COMMANDS, n=1, cutoff=0.5)
        hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
        raise UsageError(
            f"{argv[0]!r} is neither a command ({', '.join(COMMANDS)}) nor an existing path{hint}"
        )
    return ["read", *argv]


# Marks a query word that starts with "-" (`search -通知`), so argparse takes it for a positional
# argument rather than an unknown option; no command-line word can hold a NUL.
_QUERY_WORD = "\0"
_SEARCH_VALUED = ("--cache-dir", "--limit")  # search's options that take the next word


def _mark_exclusions(words: list[str]) -> list[str]:
    """`search` words with those that start with "-" and are no option (`-通知`) marked."""
    if not words or words[0] != "search":
        return words
    from itertools import pairwise

    marked = [words[0]]
    for before, word in pairwise(words):
        if "--" in marked:  # after "--" everything is positional already
            marked.append(word)
        elif word.startswith("-") and not word.startswith("--") and word not in ("-", "-h"):
            marked.append(word if before in _SEARCH_VALUED else _QUERY_WORD + word)
        else:
            marked.append(word)
    return marked


def _gather_query(args: argparse.Namespace) -> None:
    """The query is the first word after `search`; marked words among the paths (exclusions
    written after it: `search 招商 -通知 ~/issues`) join it."""
    if getattr(args, "command", None) != "search":
        return
    joined = [args.query, *(p for p in args.paths if p.startswith(_QUERY_WORD))]
    args.query = " ".join(word.removeprefix(_QUERY_WORD) for word in joined)
    args.paths = [p for p in args.paths if not p.startswith(_QUERY_WORD)]


def _config(args: argparse.Namespace) -> tuple[Config, str | None]:
    """config.toml, read once per run; a problem with it is said on stderr once."""
    if not hasattr(args, "loaded_config"):
        from bulletin_tui.config import load_config

        args.loaded_config = load_config()
        problem = args.loaded_config[1]
        if problem:
            print(f"bulletin-tui: {sanitize_text(problem)}", file=sys.stderr)
    loaded: tuple[Config, str | None] = args.loaded_config
    return loaded


def _open(args: argparse.Namespace, *, refresh: bool = True) -> Library:
    import os

    from bulletin_tui.library import open_library

    if args.cache_dir and os.path.lexists(args.cache_dir) and not os.path.isdir(args.cache_dir):
        raise UsageError(f"--cache-dir {args.cache_dir}: not a directory")
    config = _config(args)[0]
    named = dict(config.publications)
    # With no [library] paths, the folders [[library.publication]] names are the library.
    paths = list(args.paths) or list(config.library or named) or None
    from bulletin_tui.config import shared_index

    building = getattr(args, "shared", None)
    library = open_library(
        paths,
        cache_dir=building or args.cache_dir,
        use_cache=not args.no_cache or bool(building),
        refresh=refresh,
        publications=named,
        shared_dir=None if building else shared_index(config),
        build_shared=bool(building),
    )
    return library


def _report(library: Library) -> int:
    """Notices and skipped files on stderr; the exit status they imply."""
    for notice in library.notices:
        print(f"bulletin-tui: {sanitize_text(notice)}", file=sys.stderr)
    for error in library.errors:
        print(f"bulletin-tui: {sanitize_text(error.path)}: {error.message}", file=sys.stderr)
    return EXIT_SKIPPED if library.errors else EXIT_OK


# Kept as text by json.dumps(ensure_ascii=False) yet able to drive a terminal (C1 controls such as
# 0x9B, a CSI) or reorder or break what is shown (bidi controls, line and paragraph separators).
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _print_json(data: Any) -> None:
    """JSON on stdout, always as UTF-8 bytes (whatever the locale's encoding), with the characters
    in _JSON_ESCAPED written as \\uXXXX escapes (they occur in strings only: the same value)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = _JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO)
        sys.stdout.write(text)
        return
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def _tolerant_output() -> None:
    """Human output in the locale's encoding (GBK, Latin-1, ASCII…), with what it cannot encode
    replaced rather than ending the command in a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal cells (CJK characters take two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def _table(rows: list[list[str]]) -> str:
    from rich.cells import cell_len

    widths = [max(cell_len(row[col]) for row in rows) for col in range(len(rows[0]))]
    return "\n".join(
        "  ".join(_pad(cell, widths[col]) for col, cell in enumerate(row)).rstrip() for row in rows
    )


def cmd_list(args: argparse.Namespace) -> int:
    from bulletin_tui.serialize import error_to_dict

    library = _open(args)
    if args.publications:
        return _list_publications(args, library)
    publication_of = library.publication_of()
    if args.json:
        _print_json(
            {
                "issues": [
                    {
                        "id": issue.id,
                        "path": issue.path,
                        "title": issue.title,
                        "date": issue.date.isoformat() if issue.date else None,
                        "publication": publication_of.get(issue.id),
                        "articles": [
                            {"id": a.id, "title": a.title, "section": a.section}
                            for a in issue.articles
                        ],
                    }
                    for issue in library.issues
                ],
                "errors": [error_to_dict(error) for error in library.errors],
            }
        )
        return _report(library)
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
        lines = _table([[sanitize_text(cell) for cell in row] for row in rows]).split("\n")
        for number, line in enumerate(lines):
            if number in headings:
                print(("\n" if number > 1 else "") + sanitize_text(headings[number]))
            print(line)
    count = f"{len(publications)} publications, " if len(publications) > 1 else ""
    print(f"{count}{len(library.issues)} issues, {len(rows) - 1} articles")
    return _report(library)


def _list_publications(args: argparse.Namespace, library: Library) -> int:
    """`list --publications`: each bulletin with its issues, articles, dates and unread count."""
    from bulletin_tui.serialize import error_to_dict
    from bulletin_tui.state import load_state

    state, problem = load_state()
    if problem:
        print(f"bulletin-tui: {sanitize_text(problem)}", file=sys.stderr)
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
        _print_json(
            {
                "publications": summaries,
                "errors": [error_to_dict(error) for error in library.errors],
            }
        )
        return _report(library)
    rows = [["PUBLICATION", "ISSUES", "ARTICLES", "DATES", "UNREAD"]]
    for pub, summary in zip(library.publications, summaries, strict=True):
        first, last = pub.earliest, pub.latest
        dates = "-" if first is None or last is None else first.isoformat()
        if first is not None and last is not None and last != first:
            dates += f"..{last.isoformat()}"
        counts = [summary["issues"], summary["articles"], summary["unread"]]
        rows.append([sanitize_text(pub.name), *map(str, counts[:2]), dates, str(counts[2])])
    print(_table(rows))
    return _report(library)


def cmd_show(args: argparse.Namespace) -> int:
    from bulletin_tui.serialize import article_to_dict

    library = _open(args)
    article = library.article(args.article_id)
    if article is None:
        print(
            f"bulletin-tui: no article {args.article_id!r} (see `bulletin-tui list`)",
            file=sys.stderr,
        )
        _report(library)
        return EXIT_USAGE
    if args.json:
        keywords = library.insights.keywords(article.id) or []
        _print_json({**article_to_dict(article), "keywords": [k.word for k in keywords]})
        return _report(library)
    import shutil

    from bulletin_tui.terminal import ambiguous_width_choice
    from bulletin_tui.typeset import render_plain

    config = _config(args)[0]
    ambiguous = ambiguous_width_choice(config.ambiguous_width, None)[0]
    # --width N asks for lines of N cells: the measure only applies to the terminal's width.
    options = config.layout_options(ambiguous, measure=0 if args.width else None)
    width = args.width or shutil.get_terminal_size((80, 24)).columns
    center = not args.width and sys.stdout.isatty()
    print(render_plain(article, width, options, library.issue_of(article.id), center=center))
    return _report(library)


def cmd_search(args: argparse.Namespace) -> int:
    import time

    from bulletin_tui.search.query import QueryError
    from bulletin_tui.serialize import hit_to_dict

    try:
        library = _open(args)
        started = time.perf_counter()
        hits = library.search(args.query, limit=max(0, args.limit))
    except QueryError as error:
        print(f"bulletin-tui: {sanitize_text(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    took_ms = (time.perf_counter() - started) * 1000
    if args.json:
        _print_json(
            {
                "query": args.query,
                "hits": [hit_to_dict(hit) for hit in hits],
                **({"suggestions": library.suggest(args.query).as_dict()} if not hits else {}),
                "took_ms": round(took_ms, 2),
            }
        )
        return _report(library)
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
    print(f"{len(hits)} hits in {took_ms:.1f} ms")
    return _report(library)


def cmd_index(args: argparse.Namespace) -> int:
    """Build or refresh the cache: a progress bar on a terminal, and a summary line."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bulletin_tui.store.cache import CacheError
    from bulletin_tui.store.refresh import RefreshStats

    stats = RefreshStats()
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files  {task.fields[articles]} articles  {task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
        # Redrawn from the callback instead of a refresh thread: a single-threaded process may
        # fork workers to parse a large library.
        auto_refresh=False,
    )
    task = bar.add_task("index", total=None, articles=0, rate="")
    started = time.perf_counter()

    def progress(done: int, total: int, _path: str) -> None:
        elapsed = max(1e-6, time.perf_counter() - started)
        rate = f"{stats.bytes_read / 1e6 / elapsed:.1f} MB/s"
        bar.update(task, completed=done, total=total, articles=stats.articles, rate=rate)
        bar.refresh()

    import signal

    def terminated(_signum: int, _frame: object) -> None:
        # Unwind like Ctrl+C: the file being stored rolls back and the parse workers are stopped.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    if args.shared:
        from bulletin_tui.private_files import UnsafePathError
        from bulletin_tui.shared_index import prepare_directory

        try:
            prepare_directory(Path(args.shared))
        except (UnsafePathError, OSError) as error:
            raise UsageError(f"--shared {sanitize_text(str(error))}") from None
    try:
        library = _open(args, refresh=False)
        if args.shared and library.cache.path is None:
            print(f"bulletin-tui: cannot build the shared index in {args.shared}", file=sys.stderr)
            return _report(library) or EXIT_SKIPPED
        with bar:
            library.refresh(progress=progress, stats=stats)
        if args.shared:
            from bulletin_tui.shared_index import publish

            publish(library.cache, library.index)
    except CacheError as error:
        print(f"bulletin-tui: {sanitize_text(str(error))}", file=sys.stderr)
        return EXIT_SKIPPED
    where = library.cache.path or "memory"
    megabytes = stats.bytes_read / 1e6
    print(
        f"{stats.files} files ({stats.parsed} parsed, {stats.reused} reused, "
        f"{stats.unchanged} unchanged, {stats.removed} removed, {stats.errors} skipped), "
        f"{sum(len(issue.articles) for issue in library.issues)} articles; "
        f"read {megabytes:.1f} MB in {stats.seconds:.1f} s; cache: {sanitize_text(str(where))}"
    )
    return _report(library)


def cmd_export(args: argparse.Namespace) -> int:
    from bulletin_tui.serialize import error_to_dict, issue_to_dict

    library = _open(args)
    publication_of = library.publication_of()
    _print_json(
        {
            "issues": [
                {**issue_to_dict(issue), "publication": publication_of.get(issue.id)}
                for issue in library.issues
            ],
            "errors": [error_to_dict(error) for error in library.errors],
        }
    )
    return _report(library)


def cmd_read(args: argparse.Namespace) -> int:
    import gc

    from bulletin_tui.terminal import (
        AmbiguousWidthProbe,
        ambiguous_width_is_set,
        reader_terminal_problem,
    )

    problem = reader_terminal_problem()
    if problem:  # from a script, cron or a dumb terminal: say so and end at once
        print(f"bulletin-tui: {problem}", file=sys.stderr)
        return EXIT_USAGE
    config, config_problem = _config(args)  # says a problem on stderr
    # The terminal is asked how wide it draws “…” now; the answer is read once the library is
    # open, so the question costs no time on a terminal that answers.
    probe = None if ambiguous_width_is_set(config.ambiguous_width) else AmbiguousWidthProbe()
    if probe is not None and not probe.start():
        probe = None

    # No garbage collection until the first frame is on screen: start-up makes many objects and
    # few cycles, and collecting them costs a good part of the first paint. What start-up made
    # is then frozen, so later collections do not walk it again.
    gc.disable()

    def resume_collection() -> None:
        gc.freeze()
        gc.enable()

    try:
        from bulletin_tui.state import load_state
        from bulletin_tui.ui.app import BulletinApp
        from bulletin_tui.ui.lifecycle import ExitGuard

        state, state_problem = load_state()
        if state_problem:
            print(f"bulletin-tui: {sanitize_text(state_problem)}", file=sys.stderr)
        notices = [problem for problem in (config_problem, state_problem) if problem]
        # First paint from the cache; the app brings the library up to date in the background.
        library = _open(args, refresh=False)
        library.threaded_workers = True  # it refreshes from a thread: workers from a fork server
    finally:
        measured = probe.finish() if probe is not None else None
    app = BulletinApp(
        library,
        config,
        state,
        notices=notices,
        on_first_paint=resume_collection,
        ambiguous_measured=measured,
        watch=True,
    )
    guard = ExitGuard(app)
    guard.install()
    try:
        app.run()
    finally:
        gc.enable()
        app.save_state_now()  # after a crash too
        guard.uninstall()
    return app.exit_status


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    parser = build_parser()
    try:
        words = _with_default_command(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"bulletin-tui: error: {sanitize_text(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    args, extra = parser.parse_known_args(_mark_exclusions(words))
    # argparse stops filling PATH... once an option follows the first positionals
    # (`search 招商 --limit 5 ~/issues`): the paths left over are still paths.
    stray = [arg for arg in extra if arg.startswith("-")]
    if stray or (extra and not hasattr(args, "paths")):
        parser.error(f"unrecognized arguments: {' '.join(stray or extra)}")
    if extra:
        args.paths = [*args.paths, *extra]
    _gather_query(args)
    from bulletin_tui.cli_insights import cmd_related, cmd_trend

    handlers = {
        "read": cmd_read,
        "list": cmd_list,
        "show": cmd_show,
        "search": cmd_search,
        "index": cmd_index,
        "export": cmd_export,
        "related": cmd_related,
        "trend": cmd_trend,
    }
    from bulletin_tui.store.cache import CacheError

    try:
        return handlers[args.command](args)
    except CacheError as error:  # a full disk, say: the message names the cache file
        print(f"bulletin-tui: {sanitize_text(str(error))}", file=sys.stderr)
        return EXIT_SKIPPED
    except UsageError as error:
        print(f"bulletin-tui: {sanitize_text(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `bulletin-tui list | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
