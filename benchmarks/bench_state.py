"""Saving state.toml: a save at the file's bounds, beside one over an unbounded file.

    python benchmarks/bench_state.py [--quick] [--json FILE]

Every save re-reads the file under a lock (another reader's marks are merged) and writes it whole.
Unbounded, a 50 MB file made each save wait 7.5 s. The value: a save of a state at its bounds
(MAX_READ read marks, MAX_BOOKMARKS bookmarks, MAX_POSITIONS places). The baseline, measured in the
same run: reading, parsing and writing a state file of BASELINE_MB, what each save cost before the
bounds (now such a file is moved aside once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bulletin_tui.state import (
    MAX_BOOKMARKS,
    MAX_POSITIONS,
    MAX_READ,
    State,
    load_state,
    save_state,
)

BASELINE_MB = 50


def _full_state() -> State:
    state = State(
        read={f"2024-{n:06d}.{n % 30}" for n in range(MAX_READ)},
        bookmarks=[f"2024-{n:06d}.1" for n in range(MAX_BOOKMARKS)],
    )
    for n in range(MAX_POSITIONS):
        state.positions[f"2024-{n:06d}.3"] = n * 10
    return state


def bounded_save_ms(folder: Path, repeats: int) -> tuple[float, int]:
    """Median ms of a save (one more mark each time) at the bounds, and the file's size."""
    path = folder / "state.toml"
    save_state(_full_state(), path)
    state, _ = load_state(path)
    times = []
    for n in range(repeats):
        state.toggle_read(f"2099-{n:06d}.1")
        started = time.perf_counter()
        save_state(state, path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), path.stat().st_size


def unbounded_save_ms(folder: Path, megabytes: int) -> tuple[float, int]:
    """One read, parse and write of a state file of `megabytes` (the old cost of every save)."""
    count = megabytes * 1_000_000 // 24
    data = {"version": 1, "read": [f"2024-{n:08d}.{n % 30:02d}" for n in range(count)]}
    path = folder / "big.toml"
    path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    started = time.perf_counter()
    loaded = tomllib.loads(path.read_bytes().decode("utf-8"))
    (folder / "big-out.toml").write_bytes(tomli_w.dumps(loaded).encode("utf-8"))
    return (time.perf_counter() - started) * 1000, path.stat().st_size


def run(quick: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-state-") as temporary:
        folder = Path(temporary)
        save_ms, size = bounded_save_ms(folder, repeats=3 if quick else 9)
        megabytes = 5 if quick else BASELINE_MB
        baseline_ms, baseline_size = unbounded_save_ms(folder, megabytes)
    return {
        "bounded_save_ms": round(save_ms, 1),
        "bounded_file_bytes": size,
        "unbounded_save_ms": round(baseline_ms, 1),
        "unbounded_file_bytes": baseline_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 5 MB baseline, fewer saves")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args()
    result = run(quick=args.quick)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
