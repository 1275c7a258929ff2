"""The library a command works on: the config read once per run, and the paths, cache and shared
index its arguments ask for."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from bulletin_tui.cli.output import UsageError, say

if TYPE_CHECKING:
    from bulletin_tui.config import Config
    from bulletin_tui.library import Library


def load_config(args: argparse.Namespace) -> tuple[Config, str | None]:
    """config.toml, read once per run; a problem with it is said on stderr once."""
    if not hasattr(args, "loaded_config"):
        from bulletin_tui.config import load_config as load

        args.loaded_config = load()
        problem = args.loaded_config[1]
        if problem:
            say(problem)
    loaded: tuple[Config, str | None] = args.loaded_config
    return loaded


def _check_relative_paths(paths: list[str]) -> None:
    """A relative path needs the current folder, which may have been removed since the shell
    went into it (a traceback from deep in the cache's naming, before)."""
    if any(not os.path.isabs(path) for path in paths):
        try:
            os.getcwd()
        except FileNotFoundError:
            raise UsageError(
                "the current folder no longer exists: give the paths in full, or cd elsewhere"
            ) from None


def open_for(args: argparse.Namespace, *, refresh: bool = True) -> Library:
    """The library of the command's PATHs (else the configured library), with `--cache-dir`,
    `--no-cache` and `index --shared DIR` applied."""
    from bulletin_tui.config import shared_index
    from bulletin_tui.library import open_library

    if args.cache_dir and os.path.lexists(args.cache_dir) and not os.path.isdir(args.cache_dir):
        raise UsageError(f"--cache-dir {args.cache_dir}: not a directory")
    _check_relative_paths([*args.paths, args.cache_dir or "/"])
    config = load_config(args)[0]
    named = dict(config.publications)
    # With no [library] paths, the folders [[library.publication]] names are the library.
    paths = list(args.paths) or list(config.library or named) or None
    building = getattr(args, "shared", None)
    return open_library(
        paths,
        cache_dir=building or args.cache_dir,
        use_cache=not args.no_cache or bool(building),
        refresh=refresh,
        publications=named,
        shared_dir=None if building else shared_index(config),
        build_shared=bool(building),
    )
