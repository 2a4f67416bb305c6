"""Accuracy and speed of the scorer on the labelled answers (tests/data/labelled/).

Prints, for the development part and the test part, precision, recall and F1 of every check per
language (zh, zh-Hant, en) on the class ``passed == true``, and the F1 of the ``failed`` class
(for the guards, the ``avoids`` checks where nearly every answer passes, that is the figure that
matters); then macro averages, the grading time per answer (p50/p99, each answer graded on the
checks it is labelled with, its best over three passes through all answers) and the load time.

The test part is only ever read here, and only aggregate figures of it are printed: never tune
the scorer on it. ``--errors CHECK`` lists the development part's misgraded answers of one check
(it refuses to do so for the test part).

Usage: python benchmarks/bench_scoring.py [--part dev|test|both] [--rules-only] [--json]
       python benchmarks/bench_scoring.py --errors fab.benefit [--lang zh]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.catalogue import load_catalogue  # noqa: E402
from scoring.facts import ProductFacts, from_mapping  # noqa: E402

DATA = ROOT / "tests" / "data" / "labelled"
LANGS = ("zh", "zh-Hant", "en")


def load_part(part: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The products (by id) and every answer of ``*.jsonl`` in ``tests/data/labelled/<part>/``."""
    folder = DATA / part
    raw = yaml.safe_load((folder / "products.yaml").read_text("utf-8")) if (folder / "products.yaml").exists() else {}
    items = raw.get("products", raw) if isinstance(raw, dict) else raw
    if isinstance(items, dict):
        items = [dict(v, id=k) if isinstance(v, dict) and "id" not in v else v for k, v in items.items()]
    products = {p["id"]: p for p in items or []}
    answers: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    answers.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    print(f"{path.name}:{n}: skipped, not JSON: {exc}", file=sys.stderr)
    return products, answers


def facts_for(products: dict[str, Any], item: dict[str, Any], cache: dict[tuple[str, str], ProductFacts | None]) -> ProductFacts | None:
    key = (item.get("product", ""), item.get("lang", "zh"))
    if key not in cache:
        raw = products.get(key[0])
        cache[key] = from_mapping(raw, key[1]) if raw else None
    return cache[key]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(grader: Any, products: dict[str, Any], answers: list[dict[str, Any]], passes: int = 3) -> dict[str, Any]:
    """Confusion counts per (check, lang) and timings."""
    counts: dict[tuple[str, str], list[int]] = {}  # tp fp fn tn (positive = passed)
    errors: list[tuple[dict[str, Any], str, bool, Any]] = []
    cache: dict[tuple[str, str], ProductFacts | None] = {}
    jobs: list[tuple[tuple[str], dict[str, Any]]] = []
    for item in answers:
        labels = item.get("labels") or {}
        checks = [c for c in labels if c in grader.catalogue.checks and grader.catalogue.checks[c].scope == "turn"]
        facts = facts_for(products, item, cache)
        args = (str(item.get("answer", "")),)
        kwargs = dict(lang=item.get("lang", "zh"), checks=checks, facts=facts, customer=item.get("customer"))
        jobs.append((args, kwargs))
        results = grader.grade_answer(*args, **kwargs)  # also warms the per-product caches
        for r in results:
            gold = bool(labels[r.id])
            c = counts.setdefault((r.id, item.get("lang", "zh")), [0, 0, 0, 0])
            c[(0 if r.passed else 2) if gold else (1 if r.passed else 3)] += 1
            if gold != r.passed:
                errors.append((item, r.id, r.passed, r))
    # Timing: each answer's best over ``passes`` passes through all the answers, with the garbage
    # collector paused, so that the figure is the scorer's cost, not the shared machine's noise
    # (runs spread over a few seconds rarely all meet the same burst of other work; three runs
    # back to back often do).
    times = [float("inf")] * len(jobs)
    gc.collect()
    gc.disable()
    try:
        for _ in range(passes):
            for i, (args, kwargs) in enumerate(jobs):
                t0 = time.perf_counter()
                grader.grade_answer(*args, **kwargs)
                times[i] = min(times[i], time.perf_counter() - t0)
    finally:
        gc.enable()
    return {"counts": counts, "times": [t * 1000 for t in times], "errors": errors}


def summarise(counts: dict[tuple[str, str], list[int]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per check and language (plus ``all``): n, P, R, F1 of passed, F1 of failed, macro."""
    cat = load_catalogue()
    out: dict[str, dict[str, dict[str, float]]] = {}
    for check in cat.checks:
        row: dict[str, dict[str, float]] = {}
        for lang in LANGS + ("all",):
            keys = [(check, lang)] if lang != "all" else [(check, la) for la in LANGS]
            tp = sum(counts.get(k, [0] * 4)[0] for k in keys)
            fp = sum(counts.get(k, [0] * 4)[1] for k in keys)
            fn = sum(counts.get(k, [0] * 4)[2] for k in keys)
            tn = sum(counts.get(k, [0] * 4)[3] for k in keys)
            n = tp + fp + fn + tn
            if not n:
                continue
            p, r, f = prf(tp, fp, fn)
            _, _, f_fail = prf(tn, fn, fp)
            row[lang] = {"n": n, "pos": tp + fn, "neg": fp + tn, "p": p, "r": r, "f1": f, "f1_failed": f_fail,
                         "macro": (f + f_fail) / 2, "acc": (tp + tn) / n}
        if row:
            out[check] = row
    return out


def print_table(title: str, summary: dict[str, dict[str, dict[str, float]]]) -> None:
    cat = load_catalogue()
    print(f"\n== {title} ==")
    print(f"{'check':28} " + " ".join(f"{lang:>30}" for lang in LANGS + ("all",)))
    print(f"{'':28} " + " ".join(f"{'n(fail)   P    R    F1  F1fail':>30}" for _ in LANGS + ("all",)))
    for check, row in summary.items():
        cells = []
        for lang in LANGS + ("all",):
            s = row.get(lang)
            if not s:
                cells.append(f"{'-':>30}")
                continue
            ff = f"{s['f1_failed']:.2f}" if cat.checks[check].kind == "avoids" or s["neg"] else "  - "
            cells.append(f"{int(s['n']):>4}({int(s['neg']):>3}) {s['p']:.2f} {s['r']:.2f} {s['f1']:.2f} {ff:>5}")
        print(f"{check:28} " + " ".join(f"{c:>30}" for c in cells))
    for lang in LANGS + ("all",):
        rows = [r[lang] for r in summary.values() if lang in r]
        if rows:
            guard_rows = [summary[c][lang] for c in summary if lang in summary[c] and cat.checks[c].kind == "avoids"]
            print(f"macro {lang:8}: F1(passed) {statistics.mean(r['f1'] for r in rows):.3f}   "
                  f"macro(passed,failed) {statistics.mean(r['macro'] for r in rows):.3f}   "
                  f"guards F1(failed) {statistics.mean(r['f1_failed'] for r in guard_rows) if guard_rows else float('nan'):.3f}   "
                  f"accuracy {statistics.mean(r['acc'] for r in rows):.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--rules-only", action="store_true", help="grade without the learned model")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", metavar="CHECK", help="list the dev part's misgraded answers of CHECK")
    ap.add_argument("--lang", help="with --errors: only this language")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from scoring.grader import Grader

    grader = Grader(model=not args.rules_only)
    grader.grade_answer("您好", lang="zh", checks=["etiquette.greeting"])  # load everything lazily loaded
    load_ms = (time.perf_counter() - t0) * 1000

    if args.errors:
        products, answers = load_part("dev")  # never the test part
        result = evaluate(grader, products, answers)
        for item, check, passed, r in result["errors"]:
            if check != args.errors and args.errors != "all":
                continue
            if args.lang and item.get("lang") != args.lang:
                continue
            gold = "PASS" if item["labels"][check] else "FAIL"
            ev = r.evidence.text if r.evidence else None
            print(f"[{item.get('id')}] {check} gold={gold} got={'PASS' if passed else 'FAIL'} ev={ev!r} note={r.note}")
            print(f"    A: {item.get('answer')}")
            if item.get("note"):
                print(f"    note: {item['note']}")
        return 0

    parts = ("dev", "test") if args.part == "both" else (args.part,)
    report: dict[str, Any] = {"load_ms": load_ms}
    for part in parts:
        if not (DATA / part).is_dir():
            print(f"{part}: no data at {DATA / part}", file=sys.stderr)
            continue
        products, answers = load_part(part)
        result = evaluate(grader, products, answers)
        times = sorted(result["times"])
        summary = summarise(result["counts"])
        report[part] = {"answers": len(answers), "summary": summary,
                        "p50_ms": statistics.median(times) if times else 0.0,
                        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0}
        if not args.json:
            by_lang = {la: sum(1 for a in answers if a.get("lang") == la) for la in LANGS}
            print_table(f"{part}: {len(answers)} answers {by_lang}", summary)
            print(f"{part}: grading time per answer p50 {report[part]['p50_ms']:.3f} ms, "
                  f"p99 {report[part]['p99_ms']:.3f} ms")
    # Worst cases: a 10,000-character answer and one full of control characters.
    long_answer = ("我们这款打印机每分钟四十页，" * 800)[:10000]
    ctrl_answer = "您好\x00\x1b[31m" * 1000
    worst = []
    every_turn_check = [c for c, s in grader.catalogue.checks.items() if s.scope == "turn"]
    for text in (long_answer, ctrl_answer):
        runs = []
        for _ in range(3):
            t1 = time.perf_counter()
            grader.grade_answer(text, lang="zh", checks=every_turn_check)
            runs.append((time.perf_counter() - t1) * 1000)
        worst.append(min(runs))
    report["long_ms"], report["control_ms"] = worst
    for lang in ("zh", "en"):
        report[f"load_cold_{lang}_ms"] = _load_ms(cold=True, lang=lang)
        report[f"load_warm_{lang}_ms"] = _load_ms(cold=False, lang=lang)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    else:
        print(f"\nload and first answer on every turn check (fresh process, median of 3): zh "
              f"{report['load_warm_zh_ms']:.0f} ms / en {report['load_warm_en_ms']:.0f} ms with the compiled patterns "
              f"kept from an earlier run, zh {report['load_cold_zh_ms']:.0f} ms / en {report['load_cold_en_ms']:.0f} ms "
              f"with nothing cached; every turn check on a "
              f"10,000-character answer {worst[0]:.2f} ms, on 9,000 characters full of control characters "
              f"{worst[1]:.2f} ms")
    return 0


def _load_ms(*, cold: bool, lang: str = "zh", runs: int = 3) -> float:
    """Median time for a fresh Python process to build the grader and grade its first answer on every turn check.

    Args:
        lang: The answer's language (``zh`` or ``en``): a Chinese answer compiles only the Chinese patterns.
        cold: Nothing cached (``ROLEPLAY_NO_CACHE=1``: the cue patterns are compiled from scratch), as on the
            first run after installing; otherwise the compiled patterns kept by an earlier run are used.
        runs: Processes to time.
    """
    import os
    import subprocess

    # The cue patterns compile on first use, so building the grader alone would flatter it: the figure is
    # the time to the first graded answer, on every turn check.
    text = {"zh": "您好，我是联印的小李，这台打印机每分钟30页，能帮您省一半的电费，对吧？",
            "en": "Hi, I'm Anna from Brightway. It prints 30 pages a minute, so you save an hour a day, right?"}[lang]
    code = ("import time; t = time.perf_counter(); from scoring.grader import Grader; g = Grader(); "
            "checks = [c for c, s in g.catalogue.checks.items() if s.scope == 'turn']; "
            f"g.grade_answer({text!r}, lang={lang!r}, checks=checks); print((time.perf_counter() - t) * 1000)")
    # Installed software starts from compiled bytecode (``pip install`` compiles it): compile the source tree
    # first and let the timed processes use it, as bench_startup.py does.
    import compileall

    for package in ("scoring", "roleplay"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cold:
        env["ROLEPLAY_NO_CACHE"] = "1"
    else:
        env.pop("ROLEPLAY_NO_CACHE", None)
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)  # warm the cache
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
        try:
            times.append(float(out.stdout.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            continue
    return statistics.median(times) if times else float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
