"""Twenty readers searching one shared index at once, beside one reader alone, in the same run.

    python benchmarks/bench_shared.py LIBRARY [--readers 20] [--rounds 2] [--pace 1.0]

An administrator builds the shared index of LIBRARY once (`bulletin-tui index --shared DIR`). Each
reader is a process of its own that opens the library as the reader does on that server (the shared
index read-only, an empty private cache of its own: it indexes nothing, the files being as built),
searches the query set once to warm up, waits for the others, then times every query (top 50 with
snippets; bench_search's query set) `rounds` times:

- back to back: `readers` processes started at once, each searching as fast as it can, so the
  machine's cores are shared by all of them; beside one reader alone, searching the same way;
- at a reader's pace: the same, each reader waiting 0.5 to 1.5 times `pace` seconds after each
  query, as people typing a query do (the search runs as they type); beside one reader alone at
  that pace. A reader that waits is slower by itself (its caches go cold, the scheduler wakes it
  late), so the lone reader at the same pace is the baseline here.

The figures are the p50 and p95 of every query's time across all readers, and each crowd's p95 over
its lone reader's p95 (the target: at most 2x). The lone reader runs just before the crowd and
again just after it, and the baseline is the mean of its two p95s: on a machine shared with other
work the load drifts, and the crowd's run falls between the two.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import make_queries, percentile

READERS = 20
TOP = 50
PACE_S = 0.5  # between one reader's queries, on average

READER = """
import json, random, sys, time
from pathlib import Path
from bulletin_tui.library import open_library

library_dir, shared, private, go, pace, rounds, top = sys.argv[1:8]
pace, rounds, top = float(pace), int(rounds), int(top)
queries = json.loads(sys.stdin.readline())
library = open_library([library_dir], cache_dir=private, shared_dir=shared)
for query in queries:  # warm up: what the first search of each kind loads
    library.search(query, limit=top)
print(json.dumps({"notices": library.notices, "ready": True}), flush=True)
while not Path(go).exists():
    time.sleep(0.002)
rng = random.Random(len(private))
times = []
for _ in range(rounds):
    for query in queries:
        started = time.perf_counter()
        library.search(query, limit=top)
        times.append((time.perf_counter() - started) * 1000)
        if pace:
            time.sleep(rng.uniform(0.5, 1.5) * pace)
print(json.dumps({"times_ms": times}), flush=True)
"""


def _build_shared(library: Path, shared: Path, env: dict[str, str]) -> float:
    program = Path(sys.executable).parent / "bulletin-tui"
    started = time.perf_counter()
    subprocess.run(
        [str(program), "index", "--shared", str(shared), str(library)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - started


def _crowd(
    count: int, library: Path, shared: Path, work: Path, env: dict[str, str], **how: Any
) -> dict[str, Any]:
    """`count` readers started together behind a barrier; every query's time, and each one's
    notices (a reader that could not use the shared index says so)."""
    go = work / f"go-{time.monotonic_ns()}"
    queries = json.dumps(how["queries"], ensure_ascii=False) + "\n"
    readers = []
    for number in range(count):
        private = work / f"private-{go.name}-{number}"
        argv = [sys.executable, "-c", READER, str(library), str(shared), str(private), str(go)]
        argv += [str(how["pace"]), str(how["rounds"]), str(TOP)]
        reader = subprocess.Popen(
            argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert reader.stdin is not None
        reader.stdin.write(queries)
        reader.stdin.flush()
        readers.append(reader)
    notices: set[str] = set()
    for reader in readers:  # every one opened and warmed up before any is timed
        assert reader.stdout is not None
        line = reader.stdout.readline()
        if not line:
            raise RuntimeError(f"a reader ended before searching (status {reader.wait()})")
        notices.update(json.loads(line)["notices"])
    go.touch()
    times: list[float] = []
    for reader in readers:
        out, _ = reader.communicate()
        if reader.returncode != 0:
            raise RuntimeError(f"a reader failed with status {reader.returncode}")
        times += json.loads(out)["times_ms"]
    return {
        "readers": count,
        "queries_timed": len(times),
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "notices": sorted(notices),
    }


def run(
    library: Path,
    workdir: Path | None = None,
    readers: int = READERS,
    rounds: int = 2,
    pace: float = PACE_S,
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-shared-", dir=workdir))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work / "home"),
        "LANG": "C.UTF-8",
    }
    try:
        shared = work / "shared"
        out: dict[str, Any] = {"shared_build_s": round(_build_shared(library, shared, env), 2)}
        queries = [query for _, query in make_queries()]
        out["pace_s"] = pace
        for name, how in (
            ("together", {"rounds": rounds, "pace": 0.0}),
            # At a reader's pace one round is enough: the waiting is what takes the time.
            ("paced", {"rounds": 1, "pace": pace}),
        ):
            before = _crowd(1, library, shared, work, env, queries=queries, **how)
            crowd = _crowd(readers, library, shared, work, env, queries=queries, **how)
            after = _crowd(1, library, shared, work, env, queries=queries, **how)
            lone = {
                "p95_ms": round((before["p95_ms"] + after["p95_ms"]) / 2, 2),
                "before": before,
                "after": after,
            }
            out[f"{name}_lone"], out[name] = lone, crowd
            out[f"{name}_vs_lone_p95"] = round(crowd["p95_ms"] / max(lone["p95_ms"], 1e-6), 2)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pace", type=float, default=PACE_S, help="seconds between queries")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    out = run(args.library, args.workdir, args.readers, args.rounds, args.pace)
    print(json.dumps(out, indent=1, ensure_ascii=False))
    for name in ("together", "paced"):
        crowd, lone = out[name], out[f"{name}_lone"]
        print(
            f"{crowd['readers']} readers, {name}: p95 {crowd['p95_ms']} ms; one alone "
            f"{lone['p95_ms']} ms: {out[f'{name}_vs_lone_p95']}x (target <= 2x)"
        )


if __name__ == "__main__":
    main()
