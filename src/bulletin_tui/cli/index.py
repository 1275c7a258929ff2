"""`index`: build or refresh the cache (or, with `--shared DIR`, the index every reader on the
machine may use), with a progress bar on a terminal and a summary line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin_tui.cli.opening import open_for
from bulletin_tui.cli.output import EXIT_SKIPPED, UsageError, report, say
from bulletin_tui.model import article_count
from bulletin_tui.parse.sanitize import sanitize_text
from bulletin_tui.wording import counted

if TYPE_CHECKING:
    from rich.progress import Progress

    from bulletin_tui.library import Library, RefreshStats


def _progress_bar() -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
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


def _stop_on_sigterm() -> None:
    import signal

    def terminated(_signum: int, _frame: object) -> None:
        # Unwind like Ctrl+C: the file being stored rolls back and the parse workers are stopped.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)


def _prepare_shared(folder: str) -> None:
    from bulletin_tui.private_files import UnsafePathError
    from bulletin_tui.shared_index import prepare_directory

    try:
        prepare_directory(Path(folder))
    except (UnsafePathError, OSError) as error:
        raise UsageError(f"--shared {sanitize_text(str(error))}") from None


def cmd_index(args: argparse.Namespace) -> int:
    from bulletin_tui.library import CacheError, RefreshStats

    stats = RefreshStats()
    bar = _progress_bar()
    task = bar.add_task("index", total=None, articles=0, rate="")
    started = time.perf_counter()

    def progress(done: int, total: int, _path: str) -> None:
        elapsed = max(1e-6, time.perf_counter() - started)
        rate = f"{stats.bytes_read / 1e6 / elapsed:.1f} MB/s"
        bar.update(task, completed=done, total=total, articles=stats.articles, rate=rate)
        bar.refresh()

    _stop_on_sigterm()
    if args.shared:
        _prepare_shared(args.shared)
    try:
        library = open_for(args, refresh=False)
        if args.shared and library.cache.path is None:
            print(f"bulletin-tui: cannot build the shared index in {args.shared}", file=sys.stderr)
            return report(library) or EXIT_SKIPPED
        with bar:
            library.refresh(progress=progress, stats=stats)
        if args.shared:
            from bulletin_tui.shared_index import publish

            publish(library.cache, library.index)
    except CacheError as error:
        say(str(error))
        return EXIT_SKIPPED
    print(_summary(library, stats))
    return report(library)


def _summary(library: Library, stats: RefreshStats) -> str:
    where = library.cache.path or "memory"
    megabytes = stats.bytes_read / 1e6
    return (
        f"{counted(stats.files, 'file')} ({stats.parsed} parsed, {stats.reused} reused, "
        f"{stats.unchanged} unchanged, {stats.removed} removed, {stats.errors} skipped), "
        f"{counted(sum(map(article_count, library.issues)), 'article')}; "
        f"read {megabytes:.1f} MB in {stats.seconds:.1f} s; cache: {sanitize_text(str(where))}"
    )
