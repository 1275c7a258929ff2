"""`read` (the default command): the reader on a terminal, first painted from the cache."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from bulletin_tui.cli.opening import load_config, open_for
from bulletin_tui.cli.output import EXIT_USAGE, say

if TYPE_CHECKING:
    from bulletin_tui.config import Config
    from bulletin_tui.terminal import AmbiguousWidthProbe
    from bulletin_tui.ui.app import BulletinApp


def _width_probe(config: Config) -> AmbiguousWidthProbe | None:
    """The terminal asked how wide it draws “…”, unless the config or the environment says; the
    answer is read once the library is open, so the question costs no time on a terminal that
    answers."""
    from bulletin_tui.terminal import AmbiguousWidthProbe, ambiguous_width_is_set

    if ambiguous_width_is_set(config.ambiguous_width):
        return None
    probe = AmbiguousWidthProbe()
    return probe if probe.start() else None


def _resume_collection() -> None:
    gc.freeze()
    gc.enable()


def _app(args: argparse.Namespace) -> BulletinApp:
    """The app on the library as the cache holds it; it brings the library up to date itself."""
    config, config_problem = load_config(args)  # says a problem on stderr
    probe = _width_probe(config)
    try:
        from bulletin_tui.state import load_state
        from bulletin_tui.ui.app import BulletinApp

        state, state_problem = load_state()
        if state_problem:
            say(state_problem)
        notices = [problem for problem in (config_problem, state_problem) if problem]
        library = open_for(args, refresh=False)
        library.threaded_workers = True  # it refreshes from a thread: workers from a fork server
    finally:
        measured = probe.finish() if probe is not None else None
    return BulletinApp(
        library,
        config,
        state,
        notices=notices,
        on_first_paint=_resume_collection,
        ambiguous_measured=measured,
        watch=True,
    )


def cmd_read(args: argparse.Namespace) -> int:
    from bulletin_tui.terminal import reader_terminal_problem

    problem = reader_terminal_problem()
    if problem:  # from a script, cron or a dumb terminal: say so and end at once
        print(f"bulletin-tui: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # No garbage collection until the first frame is on screen: start-up makes many objects and
    # few cycles, and collecting them costs a good part of the first paint. What start-up made
    # is then frozen, so later collections do not walk it again.
    gc.disable()
    app = _app(args)
    from bulletin_tui.ui.lifecycle import ExitGuard

    guard = ExitGuard(app)
    guard.install()
    try:
        app.run()
    finally:
        gc.enable()
        app.save_state_now()  # after a crash too
        guard.uninstall()
    return app.exit_status
