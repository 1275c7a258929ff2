"""Chinese word segmentation: the one module that imports jieba.

jieba costs about a second to import and initialise, so it is loaded lazily, the first time words are
needed (a long unspaced query), or ahead of time by `warm_up()` in a background thread. Its log never
reaches the terminal, and its dictionary cache lives in our cache directory rather than the shared
/tmp (many users share an office server).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None


def _cache_folder() -> Path | None:
    from bulletin_tui.paths import cache_dir, ensure_private_dir

    try:
        return ensure_private_dir(cache_dir())
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
            # cache folder (a read-only home), point it at ours anyway: writing the dictionary
            # cache there fails quietly and jieba carries on without it.
            from bulletin_tui.paths import cache_dir

            folder = _cache_folder()
            tokenizer.tmp_dir = str(folder if folder is not None else cache_dir())
            tokenizer.cache_file = "jieba.cache"
            old_umask = os.umask(0o077)  # the dictionary cache is written 0600
            try:
                tokenizer.initialize()
            finally:
                os.umask(old_umask)
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
