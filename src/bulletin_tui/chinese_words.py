"""Chinese word segmentation: the one module that imports jieba.

jieba costs about a second to import and initialise, so it is loaded lazily, the first time words are
needed (a long unspaced query), or ahead of time by `warm_up()` in a background thread. Its log never
reaches the terminal, and its dictionary cache lives in our cache directory rather than the shared
/tmp (many users share an office server). That cache is marshal data, which can run code when
loaded: it is used only from a folder private to the user, and only when it is a regular file of
the user's, 0600, as we write it; anything else there is removed before jieba looks.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None


CACHE_FILE = "jieba.cache"


def _cache_folder() -> Path | None:
    """Our private cache folder with no dictionary cache in it that we did not write; None when
    there is no such folder (jieba then builds its dictionary without a cache)."""
    from bulletin_tui.paths import cache_dir
    from bulletin_tui.private_files import UnsafePathError, check_own_file, private_dir

    try:
        folder = private_dir(cache_dir())
        cache = folder / CACHE_FILE
        try:
            check_own_file(cache)
            if cache.exists() and stat.S_IMODE(cache.stat().st_mode) & 0o077:
                raise UnsafePathError(cache, "readable or writable by others")
        except UnsafePathError:
            cache.unlink()  # in our own folder: a planted or loosened file; jieba writes anew
        return folder
    except OSError:
        return None


def tokenizer() -> Any:
    """jieba's default tokenizer, initialised once (thread-safe)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            logger = logging.getLogger("jieba")
            logger.setLevel(logging.ERROR)
            logger.propagate = False
            if not logger.handlers:
                logger.addHandler(logging.NullHandler())
            import jieba  # type: ignore[import-untyped]

            jieba.setLogLevel(logging.ERROR)
            # setLogLevel sets jieba's own logger; its default handler writes to stderr.
            for handler in list(jieba.default_logger.handlers):
                jieba.default_logger.removeHandler(handler)
            jieba.default_logger.addHandler(logging.NullHandler())
            jieba.default_logger.propagate = False
            tokenizer = jieba.dt
            # jieba falls back to the shared temp folder when tmp_dir is unset. Without a private
            # cache folder, point it at a folder that cannot exist: it finds no cache to load,
            # fails quietly to write one, and builds its dictionary in memory.
            folder = _cache_folder()
            tokenizer.tmp_dir = str(folder) if folder is not None else os.devnull
            tokenizer.cache_file = CACHE_FILE
            # The dictionary cache is written 0600 (jieba makes it with mkstemp). No umask here:
            # it is the whole process's, and an export written meanwhile would lose its bits.
            tokenizer.initialize()
            _tokenizer = tokenizer
        return _tokenizer


def is_loaded() -> bool:
    return _tokenizer is not None


def warm_up() -> None:
    """Load jieba now (call from a background thread so the first long query is quick)."""
    tokenizer()


def words(text: str) -> list[str]:
    """`text` cut into words (jieba's precise mode, no HMM guessing of unknown words)."""
    return [word for word in tokenizer().lcut(text, HMM=False) if word.strip()]


_extractor: Any = None


class _Precise:
    """A tokenizer whose `cut` never guesses unknown words (what jieba's TF-IDF calls)."""

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def cut(self, text: str) -> Any:
        return self._tokenizer.cut(text, HMM=False)


def warm_keywords() -> None:
    """Load jieba and its keyword table now (from a background thread)."""
    keyword_weights("")


def keyword_weights(text: str) -> list[tuple[str, float]]:
    """Every word of `text` (two characters and up) with jieba's TF-IDF weight, best first.

    The weights use jieba's general-purpose idf table; bulletin_tui.insights scales them by how
    rare each word is in the library. Loading the table costs about a quarter of a second, once.
    """
    global _extractor
    words = tokenizer()  # first, so jieba's default tokenizer keeps its cache in our folder
    with _lock:
        if _extractor is None:
            import jieba.analyse  # type: ignore[import-untyped]

            # The extractor jieba.analyse made on import, idf table loaded: a second one held the
            # table twice (about 70 MB). Nothing else here asks jieba for keywords.
            extractor = jieba.analyse.default_tfidf
            # Dictionary words only: jieba's HMM guesses at unknown words make fragments (日晚).
            extractor.tokenizer = _Precise(words)
            _extractor = extractor
    pairs: list[tuple[str, float]] = _extractor.extract_tags(text, topK=None, withWeight=True)
    return pairs
