"""Engine benchmark: matching methods compared, per-turn latency, and the cost of building machines.

Run ``python benchmarks/bench_engine.py`` (all sections) or pick some:

- ``--methods``: every matching method of ``roleplay.engine.matching.METHODS`` on the labelled set
  ``tests/data/matching/`` (accuracy at the scenario default threshold, answers sent to a wrong
  intent, the best threshold, with and without key phrases, per language);
- ``--latency``: a generated 30-state scenario with 2,000 example phrases (zh and en), played for
  ``--turns`` turns per language; per-turn p50/p99/max of ``Session.answer``, without scoring (a
  grader that returns nothing) and with the real scorer; plus 10,000-character answers;
- ``--library``: building the ``ScenarioRuntime`` (one ``transitions.Machine``) of every scenario
  of the built-in library, per scenario and in total.

Goal: p99 per turn <= 5 ms with scoring. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the labelled matching set's reader

from roleplay.engine import ScenarioRuntime  # noqa: E402
from roleplay.engine.matching import DEFAULT_METHOD, METHODS, IntentIndex, prepare  # noqa: E402
from roleplay.scenario.model import (Effects, Fallback, Intent, Matching, Persona, Scenario, State)  # noqa: E402
from matching_set import load_labelled  # noqa: E402



# -- matching methods -----------------------------------------------------------------------


def score_all(scenario, answers, method, use_keys):
    """Every answer's candidates, scored once (thresholds are applied afterwards)."""
    index = IntentIndex(scenario, method, use_keys=use_keys)
    out = []
    for item in answers:
        lang = "zh" if item["lang"].startswith("zh") else "en"
        res = index.match(item["state"], lang, prepare(item["answer"]), range(len(scenario.states[item["state"]].expect)))
        out.append([(c.intent.id, c.score) for c in res.candidates])
    return out


def accuracy(answers, scored, threshold, lang=None):
    right = wrong = total = 0
    for item, cands in zip(answers, scored):
        if lang is not None and item["lang"] != lang:
            continue
        total += 1
        best = None
        for iid, score in cands:
            if score >= threshold and (best is None or score > best[1]):
                best = (iid, score)
        got = best[0] if best else None
        right += got == item["intent"]
        wrong += got is not None and got != item["intent"]
    return right / total, wrong


def bench_methods() -> None:
    scenario, answers = load_labelled()
    default = scenario.matching.threshold
    print(f"== matching methods on {len(answers)} labelled answers "
          f"({sum(a['intent'] is None for a in answers)} expect no match), threshold {default:g}")
    print(f"{'method':22s} {'keys':>4s} {'acc@' + format(default, 'g'):>7s} {'wrong':>5s} "
          f"{'best_th':>7s} {'best_acc':>8s} {'zh':>6s} {'zh-Hant':>7s} {'en':>6s}")
    rows = []
    for method in METHODS:
        for use_keys in (True, False):
            scored = score_all(scenario, answers, method, use_keys)
            acc, wrong = accuracy(answers, scored, default)
            curve = {th: accuracy(answers, scored, th) for th in range(20, 96, 2)}
            best = max(curve, key=lambda th: (curve[th][0], -curve[th][1]))
            per = [accuracy(answers, scored, default, lang)[0] for lang in ("zh", "zh-Hant", "en")]
            rows.append((acc, -wrong, method, use_keys, best, curve[best][0], per, wrong))
    for acc, _, method, use_keys, best, best_acc, per, wrong in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True):
        mark = " <- engine" if method == DEFAULT_METHOD and use_keys else ""
        print(f"{method:22s} {'yes' if use_keys else 'no':>4s} {acc:7.3f} {wrong:5d} {best:7d} {best_acc:8.3f} "
              f"{per[0]:6.3f} {per[1]:7.3f} {per[2]:6.3f}{mark}")


# -- per-turn latency -----------------------------------------------------------------------

ZH_CHARS = ("我们您的产品价格质量服务客户时间节省成本效率每年一半新鲜本地当天送货工程师电话故障热线支持"
            "试试合同订单双面打印纸张排队顾客回头利润店面陈列冷柜维修优惠折扣品牌比较放心风险收回")
EN_WORDS = ("we you our product price quality service customer time save cost every year half fresh local "
            "same day delivery engineer phone fault hotline support try contract order both sides paper queue "
            "come back profit shelf display fridge repair discount brand compare risk take back").split()


def zh_phrase(rng: random.Random) -> str:
    return "".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(8, 24)))


def en_phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(5, 14)))


def generated_scenario(n_states: int = 30, n_phrases: int = 2000, product=None) -> Scenario:
    """30 states, 4 intents each (one conditional), 2,000 example phrases split over zh and en."""
    rng = random.Random(2024)
    n_intents = n_states * 4
    # Exactly n_phrases examples: n_phrases / 2 per language, spread as evenly as possible.
    counts = [n_phrases // 2 // n_intents + (1 if j < (n_phrases // 2) % n_intents else 0) for j in range(n_intents)]
    rubric_sets = (("fab", "etiquette"), ("price", "fab", "etiquette.polite"), ("scope", "etiquette.polite"),
                   ("close", "fab.benefit"))
    states: dict[str, State] = {}
    ids = [f"s{i:02d}" for i in range(n_states)]
    for i, sid in enumerate(ids):
        expect = []
        for k in range(4):
            dest = ids[(i + k + 1) % n_states] if k < 3 else "won"
            expect.append(Intent(
                id=f"i{i}_{k}",
                examples={"zh": tuple(zh_phrase(rng) for _ in range(counts[i * 4 + k])),
                          "en": tuple(en_phrase(rng) for _ in range(counts[i * 4 + k]))},
                keys={"zh": (zh_phrase(rng)[:3],), "en": (rng.choice(EN_WORDS),)} if k == 0 else {},
                effects=Effects(interest=1) if k == 1 else Effects(),
                then=dest,
            ))
        states[sid] = State(id=sid, customer={"zh": ("嗯？", "说吧。"), "en": ("Yes?", "Go on.")},
                            rubrics=rubric_sets[i % len(rubric_sets)], expect=tuple(expect),
                            otherwise=Fallback(customer={"zh": ("什么？",), "en": ("What?",)}))
    states["won"] = State(id="won", customer={"zh": ("好。",), "en": ("Fine.",)}, end="success")
    return Scenario(id="bench-30", languages=("zh", "en"), title={"zh": "基准", "en": "bench"},
                    summary={"zh": "基准", "en": "bench"},
                    persona=Persona(name={"zh": "王", "en": "W"}, role={"zh": "r", "en": "r"}, patience=5),
                    start=ids[0], states=states, product=product, matching=Matching())


class NullGrader:
    """No scoring at all: the engine's own cost."""

    def grade_answer(self, answer, *, lang, checks, facts=None, customer=None):
        return ()

    def grade_session(self, turns, *, applicable, pass_mark, blockers, hints_used=0, lang):
        return None


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000  # noqa: E731
    return f"p50 {p(0.50):.3f} ms  p99 {p(0.99):.3f} ms  max {samples[-1] * 1000:.3f} ms  (n={len(samples)})"


def play(runtime: ScenarioRuntime, lang: str, turns: int, rng: random.Random, long: bool = False
         ) -> tuple[list[float], list[float]]:
    """Time ``answer`` over ``turns`` turns; answers are near-misses of examples or noise, all distinct.

    Returns:
        Wall-clock and CPU (this thread's) seconds per turn: on a shared machine the CPU time
        shows the engine's own cost when the wall clock also shows other processes' load.
    """
    times: list[float] = []
    cpu: list[float] = []
    session = runtime.start(lang, seed=1)
    n = 0
    while len(times) < turns:
        if session.finished:
            session.close()
            session = runtime.start(lang, seed=len(times))
        state = runtime.scenario.states[session.state]
        n += 1
        kind = rng.random()
        if kind < 0.6:
            example = rng.choice(rng.choice(state.expect).examples[lang])
            text = example[: max(3, len(example) - 3)] + (zh_phrase(rng)[:3] if lang == "zh" else " " + en_phrase(rng))
        else:
            text = zh_phrase(rng) if lang == "zh" else en_phrase(rng)
        text += f" {n}"  # distinct answers: no help from the normalisation cache
        if long:
            text = (text + "，") * (10_000 // (len(text) + 1))
        start, start_cpu = time.perf_counter(), time.thread_time()
        session.answer(text)
        times.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
    session.close()
    return times, cpu


def bench_latency(turns: int) -> None:
    from roleplay.scenario.library import Library
    from scoring.grader import Grader

    lib = Library.discover(user=False)
    product = lib.products.get("office-printer")
    scenario = generated_scenario(product=product)
    n_examples = sum(len(v) for s in scenario.states.values() for i in s.expect for v in i.examples.values())
    print(f"== per-turn latency: {len(scenario.states) - 1} open states, {n_examples} example phrases")
    t0 = time.perf_counter()
    grader = Grader()
    print(f"Grader() created in {(time.perf_counter() - t0) * 1000:.1f} ms (once per process)")
    t0 = time.perf_counter()
    ScenarioRuntime(scenario, NullGrader())
    first = (time.perf_counter() - t0) * 1000
    builds = []
    for _ in range(5):
        t0 = time.perf_counter()
        ScenarioRuntime(scenario, NullGrader())
        builds.append(time.perf_counter() - t0)
    print(f"runtime build: first {first:.1f} ms (loads the zhconv dictionary), then median "
          f"{statistics.median(builds) * 1000:.1f} ms")
    for label, g in (("without scoring", NullGrader()), ("with scoring   ", grader)):
        runtime = ScenarioRuntime(scenario, g)
        for lang in ("zh", "en"):
            play(runtime, lang, 50, random.Random(1))  # warm-up
            times, cpu = play(runtime, lang, turns, random.Random(7))
            print(f"{label} {lang}: wall {percentiles(times)}")
            print(f"{'':15s}     cpu  {percentiles(cpu)}")
    for label, g in (("without scoring", NullGrader()), ("with scoring   ", grader)):
        runtime = ScenarioRuntime(scenario, g)
        for lang in ("zh", "en"):
            times, cpu = play(runtime, lang, 40, random.Random(3), long=True)
            print(f"10,000-character answers, {label} {lang}: wall {percentiles(times)}; cpu p50 "
                  f"{statistics.median(cpu) * 1000:.3f} ms")


# -- building the library -------------------------------------------------------------------

def bench_library() -> None:
    from roleplay.scenario.library import Library
    from scoring.grader import Grader

    t0 = time.perf_counter()
    lib = Library.discover(user=False)
    discover = (time.perf_counter() - t0) * 1000
    grader = Grader()
    print(f"== building the machines of the library ({len(lib.scenarios)} scenarios; "
          f"reading and validating them took {discover:.1f} ms)")
    total = 0.0
    for sid, scenario in lib.scenarios.items():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            ScenarioRuntime(scenario, grader)
            runs.append(time.perf_counter() - t0)
        best = statistics.median(runs) * 1000
        total += best
        n_examples = sum(len(v) for s in scenario.states.values() for i in s.expect for v in i.examples.values())
        print(f"  {sid:32s} {len(scenario.states):3d} states {n_examples:4d} examples  {best:6.2f} ms")
    print(f"  all machines of the library: {total:.1f} ms (median of 5 builds each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", action="store_true")
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--library", action="store_true")
    parser.add_argument("--turns", type=int, default=2000, help="turns per language and grader (default 2000)")
    args = parser.parse_args()
    everything = not (args.methods or args.latency or args.library)
    if args.methods or everything:
        bench_methods()
        print()
    if args.latency or everything:
        bench_latency(args.turns)
        print()
    if args.library or everything:
        bench_library()


if __name__ == "__main__":
    main()
