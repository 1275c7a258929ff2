"""Building from nothing, and the first search after opening, beside plain search engines.

    python benchmarks/bench_build.py LIBRARY [--workdir DIR]

- `bulletin-tui index` of LIBRARY into an empty cache: wall time, CPU time of the whole process
  tree (the command and the parse workers it waited for), and its peak resident memory (summed
  over the tree, sampled every 20 ms from /proc).
- The same text (every file read whole, as one document each) into SQLite FTS5 with the trigram
  tokenizer, and into tantivy (n-gram 1-2 with positions, 50 MB heap) when installed: time, CPU
  time and peak RSS (VmHWM), each in a process of its own. These are the baselines.
- A new process opening the warm cache as the reader does (no file looked at) and searching once:
  open, first search (a two-character query, top 50 with snippets), both from a cold process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SAMPLE_S = 0.02
QUERY = "南京"


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children_cpu() -> float:
    """CPU seconds (user + system) of every ended process this one waited for, and theirs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def tree_rss_mb(root: int) -> float:
    """Resident MB of `root` and every process under it (workers, fork servers), from /proc."""
    return sum(_rss_mb(pid) for pid in _tree(root))


def tree_peak(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """(seconds, peak MB of the process tree's summed RSS, exit status, CPU seconds of the tree)
    of running `argv`. The CPU time counts the workers the command waited for: on a shared
    machine it moves less with the load than the wall time."""
    cpu = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(SAMPLE_S)
    return time.perf_counter() - started, peak, process.returncode, _children_cpu() - cpu


ENGINE_CHILD = """
import json, sqlite3, sys, time
from pathlib import Path
engine, library, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
def peak():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
files = sorted(p for p in library.rglob("*") if p.suffix in (".md", ".markdown", ".txt"))
started = time.perf_counter()
if engine == "fts5":
    conn = sqlite3.connect(folder / "fts.sqlite3")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='trigram')")
    for path in files:
        conn.execute("INSERT INTO fts (body) VALUES (?)", (path.read_text("utf-8"),))
    conn.commit()
else:
    import tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", tokenizer_name="ngram12", index_option="position")
    (folder / "tantivy").mkdir()
    index = tantivy.Index(builder.build(), path=str(folder / "tantivy"))
    index.register_tokenizer(
        "ngram12", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2, False)).build()
    )
    writer = index.writer(50_000_000, 1)
    for path in files:
        document = tantivy.Document()
        document.add_text("body", path.read_text("utf-8"))
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak()}))
"""

OPEN_CHILD = """
import json, sys, time
started = time.perf_counter()
from bulletin_tui.library import open_library
library = open_library([sys.argv[1]], cache_dir=sys.argv[2], refresh=False)
opened = time.perf_counter()
hits = library.search(sys.argv[3], limit=50)
searched = time.perf_counter()
print(json.dumps({"open_ms": (opened - started) * 1000, "first_search_ms": (searched - opened) * 1000,
                  "hits": len(hits)}))
"""


def _engine(engine: str, library: Path, work: Path) -> dict[str, Any]:
    folder = work / engine
    folder.mkdir()
    cpu = _children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", ENGINE_CHILD, engine, str(library), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    out: dict[str, Any] = json.loads(done.stdout)
    out["cpu_s"] = _children_cpu() - cpu
    return {key: round(value, 2) for key, value in out.items()}


def run(library: Path, workdir: Path | None = None, with_tantivy: bool = True) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-build-", dir=workdir))
    program = Path(sys.executable).parent / "bulletin-tui"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work / "home"),
        "LANG": "C.UTF-8",
    }
    try:
        cache = work / "cache"
        seconds, peak, status, cpu = tree_peak(
            [str(program), "index", "--cache-dir", str(cache), str(library)], env
        )
        out: dict[str, Any] = {
            "index_s": round(seconds, 2),
            "index_cpu_s": round(cpu, 2),
            "index_tree_peak_mb": round(peak, 1),
            "index_status": status,
        }
        out["fts5"] = _engine("fts5", library, work)
        try:
            import tantivy  # noqa: F401

            have_tantivy = with_tantivy
        except ImportError:
            have_tantivy = False
        if have_tantivy:
            out["tantivy"] = _engine("tantivy", library, work)
        fts5 = out["fts5"].get("seconds")
        if fts5:
            out["index_vs_fts5"] = round(seconds / fts5, 2)
        if out["fts5"].get("cpu_s"):
            out["index_cpu_vs_fts5"] = round(cpu / out["fts5"]["cpu_s"], 2)
        opens = []
        for _ in range(3):
            done = subprocess.run(
                [str(Path(sys.executable)), "-c", OPEN_CHILD, str(library), str(cache), QUERY],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            opens.append(json.loads(done.stdout))
        out["open_ms"] = round(min(o["open_ms"] for o in opens), 1)
        out["first_search_ms"] = round(min(o["first_search_ms"] for o in opens), 1)
        out["first_search_hits"] = opens[0]["hits"]
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    print(json.dumps(run(args.library, args.workdir), indent=1))


if __name__ == "__main__":
    main()
