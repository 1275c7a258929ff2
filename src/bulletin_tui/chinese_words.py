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


def warm_keywords() -> None:
    """Load jieba and its keyword table now (from a background thread)."""
    keyword_weights("")


# jieba.analyse's own stop words for its TF-IDF.
# fmt: off
_STOP_WORDS = frozenset((
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on",
    "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not",
    "one", "has", "or",
))
# fmt: on
_idf: tuple[dict[str, float], float] | None = None


def _idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-purpose idf table and its median, read as jieba.analyse reads them, without
    importing jieba.analyse: that import loads jieba's part-of-speech tables too (about 40 MB), and
    made a TF-IDF extractor of its own holding a second copy of the table."""
    global _idf
    with _lock:
        if _idf is None:
            import jieba

            path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
            table: dict[str, float] = {}
            for line in path.read_bytes().decode("utf-8").splitlines():
                word, weight = line.strip().split(" ")
                table[word] = float(weight)
            _idf = table, sorted(table.values())[len(table) // 2]
        return _idf


def keyword_weights(text: str) -> list[tuple[str, float]]:
    """Every word of `text` (two characters and up) with jieba's TF-IDF weight, best first: its
    count over the text's, times its idf (jieba.analyse.extract_tags, computed the same way).

    The weights use jieba's general-purpose idf table; bulletin_tui.insights scales them by how
    rare each word is in the library. Loading the table costs about a quarter of a second, once.
    """
    words = tokenizer()  # first, so jieba's default tokenizer keeps its cache in our folder
    table, median = _idf_table()
    counts: dict[str, float] = {}
    # Dictionary words only: jieba's HMM guesses at unknown words make fragments (日晚).
    for word in words.cut(text, HMM=False):
        if len(word.strip()) < 2 or word.lower() in _STOP_WORDS:
            continue
        counts[word] = counts.get(word, 0.0) + 1.0
    total = sum(counts.values())
    weights = {word: count * (table.get(word, median) / total) for word, count in counts.items()}
    return sorted(weights.items(), key=lambda pair: pair[1], reverse=True)
