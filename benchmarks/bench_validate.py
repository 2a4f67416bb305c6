"""How much validating costs over parsing: 500 scenario files, full validation vs CSafeLoader alone.

Goal (issue 2): validating the files costs at most 1.5x parsing them with ``yaml.load(...,
Loader=CSafeLoader)``. Both sides read every file from disk; the validation side is what
``roleplay validate FOLDER`` does (both passes, duplicate ids across the files), minus printing.

The 500 files are copies of the built-in scenarios (each with its own id) written to a temporary
folder. Run: ``python benchmarks/bench_validate.py [--files 500] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from roleplay.scenario.library import Library, find_files
from roleplay.scenario.reader import LOADER
from scenarios import LIBRARY_DIR


def make_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` scenario files in ``folder`` (and the built-in products beside them)."""
    sources, _ = find_files(LIBRARY_DIR)
    shutil.copytree(LIBRARY_DIR / "products", folder / "products")
    files = []
    for i in range(count):
        src = sources[i % len(sources)]
        text = src.read_text("utf-8")
        text = re.sub(r"^id: (\S+)", lambda m: f"id: {m.group(1)}-{i:04d}", text, count=1, flags=re.MULTILINE)
        path = folder / f"{src.stem}-{i:04d}.yaml"
        path.write_text(text, "utf-8")
        files.append(path)
    return files


def parse_only(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def validate(folder: Path) -> Library:
    return Library.from_paths([folder])


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    if not hasattr(yaml, "CSafeLoader"):
        print("PyYAML was built without libyaml: the comparison needs CSafeLoader", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_corpus(folder, args.files)
        library = validate(folder)  # warm-up: imports, the check catalogue, file cache
        parse_only(files)
        if library.errors:
            print(f"warning: the corpus has {library.errors} errors (first: {library.problems[0]})", file=sys.stderr)
        parse_times, validate_times = [], []
        for _ in range(args.repeat):  # interleaved, so drift in machine load hits both sides
            parse_times.append(timed(parse_only, files))
            validate_times.append(timed(validate, folder))
        size = sum(p.stat().st_size for p in files)
    p, v = statistics.median(parse_times), statistics.median(validate_times)
    print(f"{args.files} scenario files ({size / 1024:.0f} KiB), {args.repeat} runs, loader {LOADER.__name__}")
    print(f"  parse with CSafeLoader alone : median {p * 1000:8.1f} ms  ({p / args.files * 1e6:6.0f} us/file)")
    print(f"  roleplay validate (2 passes) : median {v * 1000:8.1f} ms  ({v / args.files * 1e6:6.0f} us/file)")
    print(f"  ratio validate/parse         : {v / p:.2f}x  (goal <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
