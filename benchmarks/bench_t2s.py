"""Traditional → simplified conversion packages, measured on the same data for search folding.

    python benchmarks/bench_t2s.py --venv opencc=/path/venv --venv zhconv=/path/venv ... [--json F]
    python benchmarks/bench_t2s.py --candidate opencc --data DATA.json      # one, in this env

Search folds traditional characters to simplified one character at a time (offsets must not move),
so what matters is each package's character table: how much of OpenCC's (the reference) it holds,
and how often a title written in traditional characters (made from the corpus with OpenCC's phrase-
aware s2t) folds to the same text as the original simplified title. Import + table time and the
string conversion's speed and accuracy are shown too. The packages cannot share one environment
(two install a module named `opencc`), so each runs in its own venv; the data is made once, here,
with OpenCC.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genlib

# The Han blocks a bulletin uses: CJK unified ideographs, extension A, compatibility ideographs.
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _converter(name: str) -> Callable[[str], str]:
    """`text → simplified text` for one candidate package (imported here, timed by the caller)."""
    if name == "opencc":  # the official bindings of OpenCC (C++)
        import opencc

        return opencc.OpenCC("t2s").convert  # type: ignore[no-any-return]
    if name == "opencc-python-reimplemented":
        from opencc import OpenCC

        return OpenCC("t2s").convert  # type: ignore[no-any-return]
    if name == "opencc-pyo3":
        from opencc_pyo3 import OpenCC as Pyo3

        return Pyo3("t2s").convert  # type: ignore[no-any-return]
    if name == "zhconv":
        import zhconv

        return lambda text: zhconv.convert(text, "zh-hans")  # type: ignore[no-any-return]
    if name == "zhconv-rs":
        from zhconv_rs import zhconv as rs

        return lambda text: rs(text, "zh-hans")  # type: ignore[no-any-return]
    raise SystemExit(f"unknown candidate {name}")


def char_table(convert: Callable[[str], str]) -> dict[str, str]:
    """Each Han character converted on its own line (no phrase spans two): those that change."""
    chars = [chr(code) for low, high in RANGES for code in range(low, high + 1)]
    out = convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # a converter that merged or split lines: one at a time
        out = [convert(char) for char in chars]
    return {a: b for a, b in zip(chars, out, strict=True) if len(b) == 1 and a != b}


def _fold(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


def measure(name: str, data: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    convert = _converter(name)
    table = char_table(convert)
    table_ms = (time.perf_counter() - started) * 1000
    reference: dict[str, str] = data["reference_table"]
    same = sum(1 for a, b in reference.items() if table.get(a) == b)
    titles = list(zip(data["titles"], data["titles_t"], strict=True))
    changed = [(s, t) for s, t in titles if s != t]
    folded_equal = sum(1 for s, t in changed if _fold(t, table) == _fold(s, table))
    text, text_t = data["text"], data["text_t"]
    started = time.perf_counter()
    back = convert(text_t)
    convert_s = time.perf_counter() - started
    right = sum(1 for a, b in zip(back, text, strict=False) if a == b)
    return {
        "candidate": name,
        "import_and_table_ms": round(table_ms, 1),
        "table_entries": len(table),
        "reference_entries_matched": round(same / max(1, len(reference)), 4),
        "traditional_titles": len(changed),
        "titles_found_by_fold": round(folded_equal / max(1, len(changed)), 4),
        "convert_mb_per_s": round(len(text_t.encode()) / 1e6 / convert_s, 2),
        "convert_chars_right": round(right / max(1, len(text)), 5)
        if len(back) == len(text)
        else None,
    }


def make_data(path: Path, limit: int = 300_000) -> None:
    """Corpus titles and text, and their traditional form by OpenCC's s2t (the reference)."""
    import opencc

    paragraphs, titles = genlib.load_text()
    text = "\n".join(paragraphs)[:limit]
    s2t = opencc.OpenCC("s2t").convert
    data = {
        "titles": titles,
        "titles_t": [s2t(title) for title in titles],
        "text": text,
        "text_t": s2t(text),
        "reference_table": char_table(opencc.OpenCC("t2s").convert),
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", help="measure this one in this environment")
    parser.add_argument("--data", type=Path, help="data made by make_data (with --candidate)")
    parser.add_argument("--venv", action="append", default=[], metavar="NAME=VENV")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.candidate:
        data = json.loads(args.data.read_text(encoding="utf-8"))
        print(json.dumps(measure(args.candidate, data), ensure_ascii=False))
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        data_path = Path(folder) / "data.json"
        make_data(data_path)
        for item in args.venv:
            name, venv = item.split("=", 1)
            python = Path(venv) / "bin" / "python"
            result = subprocess.run(
                [str(python), __file__, "--candidate", name, "--data", str(data_path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                rows.append({"candidate": name, "error": result.stderr.strip().splitlines()[-1]})
            else:
                rows.append(json.loads(result.stdout))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
