"""The words of a command line: the commands and their options, the reader as the default command,
and query words that start with "-" (`search 招商 -通知`)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import Any

from bulletin_tui.cli.output import UsageError

COMMANDS = ("read", "list", "show", "search", "index", "export", "related", "trend")
PATH_HELP = "issue files or folders (default: the configured library, else the sample issue)"


def whole_number(text: str) -> int:
    """An option's count or width: 0 or more (`--width -5` printed a character a line)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


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
    _add_library_commands(commands, common, paths)
    from bulletin_tui.cli.insights import add_commands

    add_commands(commands, common)
    return parser


def _add_library_commands(
    commands: Any, common: argparse.ArgumentParser, paths: argparse.ArgumentParser
) -> None:
    """list, show, search, index and export."""
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
    show.add_argument("--width", type=whole_number, metavar="N", help="line width in cells")
    show.add_argument("--json", action="store_true", help="print JSON")
    search = commands.add_parser("search", parents=[common], help="ranked search hits")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("paths", nargs="*", default=[], metavar="PATH", help=PATH_HELP)
    search.add_argument("--limit", type=whole_number, default=20, metavar="N")
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


def with_default_command(argv: Sequence[str]) -> list[str]:
    """`bulletin-tui [PATH ...]` means `bulletin-tui read [PATH ...]`.

    A first word that is neither a command nor an existing path is a mistyped command, not an
    issue file that went missing: opening an empty reader would hide the typo.
    """
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


def mark_exclusions(words: list[str]) -> list[str]:
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


def gather_query(args: argparse.Namespace) -> None:
    """The query is the first word after `search`; marked words among the paths (exclusions
    written after it: `search 招商 -通知 ~/issues`) join it."""
    if getattr(args, "command", None) != "search":
        return
    joined = [args.query, *(p for p in args.paths if p.startswith(_QUERY_WORD))]
    args.query = " ".join(word.removeprefix(_QUERY_WORD) for word in joined)
    args.paths = [p for p in args.paths if not p.startswith(_QUERY_WORD)]


def parse_words(parser: argparse.ArgumentParser, words: list[str]) -> argparse.Namespace:
    """The parsed command line, paths after options kept as paths and the query gathered."""
    args, extra = parser.parse_known_args(mark_exclusions(words))
    # argparse stops filling PATH... once an option follows the first positionals
    # (`search 招商 --limit 5 ~/issues`): the paths left over are still paths.
    stray = [arg for arg in extra if arg.startswith("-")]
    if stray or (extra and not hasattr(args, "paths")):
        parser.error(f"unrecognized arguments: {' '.join(stray or extra)}")
    if extra:
        args.paths = [*args.paths, *extra]
    gather_query(args)
    return args


def refuse_words_taken_for_paths(args: argparse.Namespace) -> None:
    """`search 蹄疾步稳 招商引资` reads 招商引资 as a PATH: where a missing PATH of `search` or
    `trend` looks like a word (no slash), show how to quote the query rather than search for the
    first word alone in an empty library."""
    import shlex

    command = getattr(args, "command", None)
    if command not in ("search", "trend"):
        return
    if not args.query.strip():
        raise UsageError(f"{command}: the query is empty; give the words to look for")
    words = [p for p in args.paths if os.sep not in p and not os.path.lexists(p)]
    if words:
        rest = [shlex.quote(p) for p in args.paths if p not in words]
        query = shlex.quote(" ".join([args.query, *words]))
        raise UsageError(
            f"{words[0]}: no such file or directory; for a query of several words, quote it: "
            + " ".join([f"bulletin-tui {command}", query, *rest])
        )
