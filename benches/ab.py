#!/usr/bin/env python3
"""Two builds of overlap side by side: `scan --no-stories` and `dedup` on the bench corpus,
alternated round by round (so both see the same machine load), medians and their ratio.

    python3 benches/ab.py BASE_BIN NEW_BIN [--runs 11] [--corpus FILE]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--corpus", default=os.path.join(REPO, "..", "shared", "bench", "corpus.jsonl"))
    a = ap.parse_args()
    commands = {
        "scan --no-stories": lambda b, out: [b, "scan", a.corpus, "--no-stories", "-q", "-f", "jsonl", "-o", out],
        "dedup": lambda b, out: [b, "dedup", a.corpus, "-q", "-o", out],
    }
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in commands.items():
            for r in range(a.runs):
                order = [("base", a.base), ("new", a.new)]
                for tag, binary in order if r % 2 == 0 else reversed(order):
                    start = time.perf_counter()
                    subprocess.run(make(binary, os.path.join(tmp, f"{tag}.jsonl")), check=True)
                    times.setdefault((name, tag), []).append(time.perf_counter() - start)
    for name in commands:
        base, new = (statistics.median(times[(name, t)]) for t in ("base", "new"))
        print(f"{name:20s} base {base:.3f} s  new {new:.3f} s  new/base {new / base:.3f}  (medians of {a.runs})")


if __name__ == "__main__":
    main()
