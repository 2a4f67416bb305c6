"""How much durability costs: per-turn commit latency with synchronous=FULL (what the store uses)
against NORMAL, measured side by side in one run, plus N processes writing at once.

    python benchmarks/bench_store.py [--turns 300] [--writers 30]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roleplay.store import CheckRecord, Store, TurnRecord  # noqa: E402

CHECKS = tuple(CheckRecord(f"etiquette.c{i}", i % 2 == 0, "您好" if i % 2 == 0 else None) for i in range(8))


def _turn(i: int) -> TurnRecord:
    return TurnRecord(i, "objection", "太贵了吧？", "老板，我们的奶是当天挤当天送的，新鲜看得见。", "interested",
                      intent="stress_value", patience=3, interest=3, checks=CHECKS)


def per_turn_ms(path: Path, synchronous: str, turns: int) -> list[float]:
    store = Store.open(path)
    store._conn.execute(f"PRAGMA synchronous = {synchronous}")
    sid = store.start_session(trainee="bench", scenario_id="x", scenario_hash="", lang="zh")
    times = []
    for i in range(turns):
        t0 = time.perf_counter()
        store.add_turn(sid, _turn(i))
        times.append((time.perf_counter() - t0) * 1000)
    store.close()
    return times


def _writer(path: str, worker: int, sessions: int, turns: int, out: "multiprocessing.Queue[float]") -> None:
    with Store.open(path, timeout=60) as s:
        for n in range(sessions):
            sid = s.start_session(trainee=f"t{worker}", scenario_id="x", scenario_hash="", lang="zh", seed=n)
            for i in range(turns):
                t0 = time.perf_counter()
                s.add_turn(sid, _turn(i))
                out.put((time.perf_counter() - t0) * 1000)
            s.finish_session(sid, outcome="success", score=80, passed=True, checks=CHECKS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--writers", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full, normal = [], []
        for rnd in range(3):  # interleaved rounds so machine noise hits both alike
            full += per_turn_ms(Path(tmp) / f"full{rnd}.db", "FULL", args.turns // 3)
            normal += per_turn_ms(Path(tmp) / f"normal{rnd}.db", "NORMAL", args.turns // 3)
        q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]  # noqa: E731
        print(f"per-turn commit, synchronous=FULL:   median {statistics.median(full):.2f} ms, p99 {q(full, .99):.2f} ms")
        print(f"per-turn commit, synchronous=NORMAL: median {statistics.median(normal):.2f} ms, p99 {q(normal, .99):.2f} ms")
        print(f"FULL / NORMAL median ratio: {statistics.median(full) / statistics.median(normal):.2f}x")

        path = str(Path(tmp) / "drill.db")
        Store.open(path).close()
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        t0 = time.perf_counter()
        procs = [ctx.Process(target=_writer, args=(path, w, 2, 6, queue)) for w in range(args.writers)]
        for p in procs:
            p.start()
        lat = [queue.get() for _ in range(args.writers * 2 * 6)]
        for p in procs:
            p.join()
        wall = time.perf_counter() - t0
        with Store.open(path, readonly=True) as s:
            kept = len(s.sessions())
        print(f"{args.writers} processes x 2 sessions x 6 turns at once: {kept}/{args.writers * 2} sessions kept, "
              f"turn commit median {statistics.median(lat):.2f} ms, p99 {q(lat, .99):.2f} ms, wall {wall:.1f} s")


if __name__ == "__main__":
    main()
