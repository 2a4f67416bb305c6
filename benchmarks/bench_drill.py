"""A team drill on one host, headless: N trainees (separate processes) join one drill and answer.

    python benchmarks/bench_drill.py [--trainees 30] [--think 0] [--drill examples/drills/out-of-scope.yaml]

Each trainee is its own process doing what ``roleplay drill join CODE --trainee NAME --input FILE``
does (library, store, join, one answer after another), with every answer timed. ``--think S``
makes each trainee wait 0.5*S..1.5*S seconds before each answer (people type; 0 = everyone
answers as fast as the machine allows, the worst case for contention). The answers are the
scenarios' own golden transcripts, different trainees taking different ones.

Prints: wall time, time to join (from the trainee's start to the first customer line), per-answer latency
p50/p99 (engine + scorer + store commit), store contention (time spent in store writes under
load, against one process alone), locked-database errors, peak memory per process, and the time
the board takes to read the whole drill (it polls every 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# -- a trainee --------------------------------------------------------------------------------


def worker(spec: dict) -> dict:
    """One trainee's drill, timed; runs in its own process."""
    started = time.perf_counter()
    from roleplay.drill import join, open_drill
    from roleplay.scenario.library import Library
    from roleplay.store import Store, StoreError

    phases = {"imports": time.perf_counter() - started}
    t = time.perf_counter()
    library = Library.discover(user=False)
    phases["library"] = time.perf_counter() - t
    t = time.perf_counter()
    store = Store.open(spec["db"])
    waits: list[float] = []
    errors = 0

    def timed(fn):  # noqa: ANN001, ANN202 - wraps a store write to measure the wait for the lock + fsync
        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            nonlocal errors
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            except StoreError:
                errors += 1
                raise
            finally:
                waits.append((time.perf_counter() - t0) * 1000)
        return call

    for name in ("start_session", "add_turn", "finish_session"):
        setattr(store, name, timed(getattr(store, name)))
    drill = open_drill(store, library, spec["code"])
    phases["store+drill"] = time.perf_counter() - t
    t = time.perf_counter()
    attempt = join(drill, library, store, spec["trainee"])  # builds the first state machine, loads the scorer
    phases["join"] = time.perf_counter() - t
    joined = time.perf_counter() - started
    rng = random.Random(spec["trainee"])
    latencies: list[float] = []
    for line in spec["lines"]:
        if attempt.start_step() is None:
            break
        if spec["think"]:
            time.sleep(rng.uniform(0.5, 1.5) * spec["think"])
        t0 = time.perf_counter()
        attempt.answer(line)
        latencies.append((time.perf_counter() - t0) * 1000)
    attempt.finish()
    pending = 0 if attempt.current is None else attempt.current.save_status.pending
    store.close()
    return {"trainee": spec["trainee"], "joined_s": joined, "phases": phases, "latencies_ms": latencies, "store_ms": waits,
            "store_errors": errors, "pending": pending, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "total_s": time.perf_counter() - started, "score": attempt.score()}


# -- the host ---------------------------------------------------------------------------------


def transcripts(drill_path: Path) -> list[list[str]]:
    """Per scenario of the drill, the golden transcripts in its language (from the start state)."""
    from roleplay.drill import load_drill
    from roleplay.scenario.library import Library

    library = Library.discover(user=False)
    spec, problems = load_drill(drill_path, library)
    if spec is None:
        sys.exit("\n".join(map(str, problems)))
    out = []
    for step in spec.steps:
        scenario = library.scenarios[step.scenario_id]
        says = [list(t.say) for t in scenario.tests if t.lang == spec.lang and t.start is None]
        out.append(says or [["您好"]])
    return out


def run(trainees: int, think: float, drill_path: Path, workdir: Path) -> dict:
    from roleplay.drill import create_drill, load_board, load_drill
    from roleplay.scenario.library import Library
    from roleplay.store import Store

    db = workdir / f"drill-{trainees}-{think}.db"
    library = Library.discover(user=False)
    spec, _ = load_drill(drill_path, library)
    with Store.open(db) as store:
        code = create_drill(store, spec).code
    per_step = transcripts(drill_path)
    procs = []
    t0 = time.perf_counter()
    for i in range(trainees):
        lines = [line for says in per_step for line in says[i % len(says)]]
        job = {"db": str(db), "code": code, "trainee": f"trainee-{i + 1:02d}", "lines": lines, "think": think}
        procs.append(subprocess.Popen([sys.executable, __file__, "--worker", json.dumps(job, ensure_ascii=False)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"a trainee failed:\n{err}")
        results.append(json.loads(out))
    wall = time.perf_counter() - t0
    board_ms = []
    with Store.open(db, readonly=True) as store:
        for _ in range(5):
            b0 = time.perf_counter()
            board = load_board(store, code)
            board_ms.append((time.perf_counter() - b0) * 1000)
    return {"wall": wall, "results": results, "board_ms": board_ms, "board": board}


def worker_alone(drill_path: Path, workdir: Path) -> dict:
    """One trainee alone on the host, in its own process: the no-contention baseline."""
    return run(1, 0.0, drill_path, workdir)["results"][0]


def report(label: str, run_: dict, solo: dict) -> None:
    res = run_["results"]
    lat = [x for r in res for x in r["latencies_ms"]]
    writes = [x for r in res for x in r["store_ms"]]
    joined = [r["joined_s"] for r in res]
    rss = [r["rss_mb"] for r in res]
    board = run_["board"]
    print(f"\n== {label}: {len(res)} trainees, {len(lat)} answers, {os.cpu_count()} cores ==")
    print(f"wall time            {run_['wall']:.1f} s (all processes started at once)")
    print(f"time to join         p50 {pct(joined, 50):.2f} s   p99 {pct(joined, 99):.2f} s   "
          f"(one alone: {solo['joined_s']:.2f} s)")
    phases = {k: statistics.median(r["phases"][k] for r in res) for k in res[0]["phases"]}
    print("  of which (medians) " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
          + "   alone: " + ", ".join(f"{k} {v:.2f} s" for k, v in solo["phases"].items()))
    print(f"per-answer latency   p50 {pct(lat, 50):.0f} ms   p99 {pct(lat, 99):.0f} ms   max {max(lat):.0f} ms   "
          f"(one alone: p50 {pct(solo['latencies_ms'], 50):.0f} ms)")
    print(f"store writes         p50 {pct(writes, 50):.1f} ms   p99 {pct(writes, 99):.1f} ms   max {max(writes):.1f} ms   "
          f"(one alone: p50 {pct(solo['store_ms'], 50):.1f} ms, p99 {pct(solo['store_ms'], 99):.1f} ms)")
    print(f"store errors         {sum(r['store_errors'] for r in res)} locked/failed writes, "
          f"{sum(r['pending'] for r in res)} records left unsaved")
    print(f"memory per process   median {statistics.median(rss):.0f} MB   max {max(rss):.0f} MB   "
          f"(all {len(res)}: {sum(rss) / 1024:.1f} GB peak if simultaneous)")
    print(f"board read           median {statistics.median(run_['board_ms']):.0f} ms for "
          f"{len(board.standings)} trainees ({sum(len(t) for t in board.turns)} turns side by side)")
    print(f"results              {board.done}/{len(board.standings)} trainees done; all landed: "
          f"{len(board.standings) == len(res)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--think", type=float, default=None,
                        help="seconds of thought per answer (default: two runs, 0 and 2)")
    parser.add_argument("--drill", type=Path, default=ROOT / "examples" / "drills" / "out-of-scope.yaml")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.stdout.write(json.dumps(worker(json.loads(args.worker))) + "\n")
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        solo = worker_alone(args.drill, workdir)
        for think in ([args.think] if args.think is not None else [0.0, 2.0]):
            label = "burst (no thinking time)" if think == 0 else f"paced ({think:g} s thinking per answer)"
            report(label, run(args.trainees, think, args.drill, workdir), solo)


if __name__ == "__main__":
    main()
