"""The command line: the reader by default, and list / show / search / index / export / related /
trend for scripts.

Exit status: 0 all fine, 1 some files were skipped (each named on stderr and in "errors") or the
output could not be written, 2 usage error.
Heavy imports (Textual, the search engine) happen inside the command that needs them. Here: `main`,
which reads the words (arguments.py) and hands them to a command: commands.py (list, show, search,
export), index.py, reader.py (the reader), insights.py (related, trend). opening.py opens the
library a command works on; output.py prints what it says and gives the exit status.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence

from bulletin_tui.cli.arguments import (
    build_parser,
    parse_words,
    refuse_words_taken_for_paths,
    with_default_command,
)
from bulletin_tui.cli.output import (
    EXIT_OK,
    EXIT_SKIPPED,
    EXIT_USAGE,
    UsageError,
    say,
    tolerant_output,
)
from bulletin_tui.process_memory import give_back_large_blocks


def _handlers() -> dict[str, Callable[[argparse.Namespace], int]]:
    from bulletin_tui.cli.commands import cmd_export, cmd_list, cmd_search, cmd_show
    from bulletin_tui.cli.index import cmd_index
    from bulletin_tui.cli.insights import cmd_related, cmd_trend
    from bulletin_tui.cli.reader import cmd_read

    return {
        "read": cmd_read,
        "list": cmd_list,
        "show": cmd_show,
        "search": cmd_search,
        "index": cmd_index,
        "export": cmd_export,
        "related": cmd_related,
        "trend": cmd_trend,
    }


def main(argv: Sequence[str] | None = None) -> int:
    tolerant_output()
    give_back_large_blocks()  # before the first large array
    parser = build_parser()
    try:
        words = with_default_command(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        say(f"error: {error}")
        return EXIT_USAGE
    args = parse_words(parser, words)
    from bulletin_tui.library import CacheError

    try:
        refuse_words_taken_for_paths(args)
        status = _handlers()[args.command](args)
        sys.stdout.flush()  # what is still buffered fails here, not at exit
        return status
    except CacheError as error:  # a full disk, say: the message names the cache file
        say(str(error))
        return EXIT_SKIPPED
    except UsageError as error:
        say(str(error))
        return EXIT_USAGE
    except BrokenPipeError:  # `bulletin-tui list | head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:
        if error.errno not in _WRITE_FAILURES:
            raise
        # `list > /dev/full`: said on one line, not as a traceback (and not again at exit).
        say(f"cannot write the output: {error.strerror}")
        _discard_output()
        return EXIT_SKIPPED
    except KeyboardInterrupt:
        return 130


_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _discard_output() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


if __name__ == "__main__":
    raise SystemExit(main())
