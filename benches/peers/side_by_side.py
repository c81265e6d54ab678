#!/usr/bin/env python3
"""Time gaoya (benches/peers/gaoya_scan.py) and `overlap scan` side by side, alternating runs.

Each round runs, in this order, under `/usr/bin/time -v` (GNU time; `apt-get install time`):
  gaoya            PY benches/peers/gaoya_scan.py CORPUS
  overlap-nocont   OVERLAP scan CORPUS --format jsonl --quiet --no-stories --no-containment -o TMP/ov.jsonl
  overlap          OVERLAP scan CORPUS --format jsonl --quiet --no-stories -o TMP/ov2.jsonl
and records wall time ("Elapsed (wall clock) time"), peak RSS ("Maximum resident set size")
and the clusters found (gaoya: its `clusters=` output; overlap: lines of the report with
"type":"cluster"). Alternating rounds spread background load over all configurations;
still, compare only numbers taken in one invocation, and prefer the ratios.

Prints every run, then median / min / max per configuration and the gaoya/overlap ratios
of the medians, as Markdown.

Usage (from the repository root; standard library only):
    python3 benches/peers/side_by_side.py ../shared/bench/corpus.jsonl \
        [--runs 5] [--python /tmp/peers-venv/bin/python] [--overlap target/release/overlap] \
        [--tmp /tmp]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_time_v(stderr):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", stderr)
    parts = [float(p) for p in m.group(1).split(":")]
    wall = 0.0
    for p in parts:
        wall = wall * 60 + p
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1))
    return wall, rss_kb / 1024.0


def count_clusters(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if '"type":"cluster"' in line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default="/tmp/peers-venv/bin/python")
    ap.add_argument("--overlap", default="target/release/overlap")
    ap.add_argument("--tmp", default="/tmp")
    a = ap.parse_args()

    ov1, ov2 = os.path.join(a.tmp, "ov.jsonl"), os.path.join(a.tmp, "ov2.jsonl")
    configs = [
        ("gaoya", [a.python, os.path.join(HERE, "gaoya_scan.py"), a.corpus], None),
        ("overlap-nocont", [a.overlap, "scan", a.corpus, "--format", "jsonl", "--quiet",
                            "--no-stories", "--no-containment", "-o", ov1], ov1),
        ("overlap", [a.overlap, "scan", a.corpus, "--format", "jsonl", "--quiet",
                     "--no-stories", "-o", ov2], ov2),
    ]
    for name, cmd, _ in configs:
        print(f"# {name}: /usr/bin/time -v {' '.join(cmd)}")
    results = {name: [] for name, _, _ in configs}
    print("\n| round | config | wall s | peak RSS MB | clusters | load1 |\n|---:|---|---:|---:|---:|---:|")
    for r in range(1, a.runs + 1):
        for name, cmd, out in configs:
            load = os.getloadavg()[0]
            p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"{name} failed ({p.returncode}):\n{p.stderr}")
            wall, rss = parse_time_v(p.stderr)
            if out is None:
                clusters = int(re.search(r"clusters=(\d+)", p.stdout).group(1))
            else:
                clusters = count_clusters(out)
            results[name].append((wall, rss, clusters))
            print(f"| {r} | {name} | {wall:.2f} | {rss:.0f} | {clusters} | {load:.2f} |", flush=True)

    print("\n| config | wall s median (min-max) | peak RSS MB median (min-max) | clusters |"
          "\n|---|---:|---:|---:|")
    med = {}
    for name, runs in results.items():
        w = [x[0] for x in runs]
        m = [x[1] for x in runs]
        c = sorted({x[2] for x in runs})
        med[name] = (statistics.median(w), statistics.median(m))
        print(f"| {name} | {med[name][0]:.2f} ({min(w):.2f}-{max(w):.2f}) | "
              f"{med[name][1]:.0f} ({min(m):.0f}-{max(m):.0f}) | {'/'.join(map(str, c))} |")
    g = med["gaoya"]
    for name in ("overlap-nocont", "overlap"):
        print(f"\ngaoya/{name}: wall x{g[0] / med[name][0]:.2f}, peak RSS x{g[1] / med[name][1]:.2f}")


if __name__ == "__main__":
    main()
