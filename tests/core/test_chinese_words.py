"""jieba: loaded lazily, silently, with its dictionary cache in our cache directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import sys
from bulletin_tui import chinese_words
assert "jieba" not in sys.modules and not chinese_words.is_loaded()
words = chinese_words.words("开发区党建书记")
assert "jieba" in sys.modules and chinese_words.is_loaded()
print(" ".join(words))
"""


def test_words_load_jieba_lazily_and_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "BULLETIN_TUI_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["开发区", "党建", "书记"]
    assert result.stderr == ""  # jieba's "Building prefix dict…" never reaches the terminal
    dictionary = tmp_path / "cache" / "jieba.cache"
    assert dictionary.is_file()
    assert stat.S_IMODE(dictionary.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("jieba*.cache"))  # not in the shared temporary folder
    # A second run reads the cached dictionary, still silently.
    again = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0 and again.stderr == ""


def test_warm_up_in_a_thread_then_words() -> None:
    import threading

    from bulletin_tui import chinese_words

    worker = threading.Thread(target=chinese_words.warm_up)
    worker.start()
    words = chinese_words.words("南京大学图书馆")  # waits for the same initialisation, never twice
    worker.join()
    assert "".join(words) == "南京大学图书馆" and len(words) >= 2


def test_keyword_weights_are_jiebas_tf_idf_without_its_part_of_speech_tables() -> None:
    text = "南京大学举办就业经验分享会，研究生会综合专题讲座在图书馆举行。讲座由就业指导中心主办。"
    script = (
        "import sys\n"
        "from bulletin_tui import chinese_words\n"
        f"weights = chinese_words.keyword_weights({text!r})\n"
        "print('jieba.posseg' in sys.modules, 'jieba.analyse' in sys.modules)\n"
        "import jieba.analyse\n"
        "extractor = jieba.analyse.TFIDF()\n"
        "class Precise:\n"
        "    def cut(self, text):\n"
        "        return chinese_words.tokenizer().cut(text, HMM=False)\n"
        "extractor.tokenizer = Precise()\n"
        f"print(weights == extractor.extract_tags({text!r}, topK=None, withWeight=True))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["False", "False", "True"], done.stdout + done.stderr
