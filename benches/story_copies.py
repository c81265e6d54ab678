#!/usr/bin/env python3
"""Boilerplate benchmark for the story stage: the bench corpus plus many copies of one line.

What it measures
----------------
Real corpora hold thousands of identical records (a cookie banner, "This story has been
updated", an empty template). The story stage counts a document and all its exact and near
copies as one unit, so N copies of one line must cost about what one line costs. This script
writes two corpora next to each other:

  plain   ../shared/bench/corpus.jsonl as it is
  copies  the same, then --copies records (default 200,000) whose text is one 13-word line
          (LINE below), with ids "copy-0", "copy-1", ...

and runs, --runs times in alternating order (plain, copies, plain, copies, ...):

    /usr/bin/time -v OVERLAP scan CORPUS --format json -q -o OUT [--overlap-args]

(the default scan: stories on). It prints each run's wall time and peak RSS, the medians, and
the ratios copies/plain, and checks the output: the copies form one exact cluster of
--copies + 0 members (the line is not in the bench corpus), and the plain corpus' story clusters
are the same in both runs (the copies join none of them). It exits 1 when a check fails or
when the copies run takes more than --max-ratio (default 2.0) times the plain run's median
wall time (the target of issue 18); the figure is a benchmark, never a test assertion.

Usage (from the repository root; standard library only):
    python3 benches/story_copies.py [--copies 200000] [--runs 3] [--overlap target/release/overlap]
        [--overlap-args ""] [--max-ratio 2.0] [--tmp DIR]
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "..", "shared", "bench", "corpus.jsonl")
LINE = "Subscribe to our newsletter for the latest updates delivered to your inbox daily."


def run(overlap, corpus, out, extra):
    timing = out + ".time"
    cmd = ["/usr/bin/time", "-v", "-o", timing, overlap, "scan", corpus,
           "--format", "json", "-q", "-o", out] + extra
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    wall = rss = None
    for line in open(timing):
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            parts = line.rsplit(" ", 1)[1].split(":")
            wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1])
    return wall, rss


def add_run_args(ap, max_ratio):
    """The flags of a side-by-side run: --runs, --overlap, --overlap-args, --max-ratio, --tmp."""
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--overlap", default=os.path.join(REPO, "target", "release", "overlap"))
    ap.add_argument("--overlap-args", default="")
    ap.add_argument("--max-ratio", type=float, default=max_ratio)
    ap.add_argument("--tmp")


def alternate(overlap, corpora, tmp, extra, runs):
    """Scans each corpus of `corpora` (name -> path) `runs` times, in alternating order; prints
    every run; returns the median wall time and peak RSS (KB) by name, and each last output."""
    times = {name: [] for name in corpora}
    rsss = {name: [] for name in corpora}
    outs = {}
    for r in range(runs):
        for name, corpus in corpora.items():
            out = os.path.join(tmp, f"{name}.json")
            wall, rss = run(overlap, corpus, out, extra)
            times[name].append(wall)
            rsss[name].append(rss)
            outs[name] = out
            print(f"run {r + 1} {name:6} {wall:7.2f} s  {rss / 1024:8.1f} MB", flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    rss = {k: statistics.median(v) for k, v in rsss.items()}
    return med, rss, outs


def too_slow(label, what, ratio, max_ratio):
    """The failure of a `label` ratio ("copies/plain") of `what` ("wall") above `max_ratio`."""
    if ratio > max_ratio:
        return f"{label} {what} {ratio:.2f}x is above {max_ratio}x"
    return None


def verdict(failures):
    """Prints each failure (None: none) and PASS or FAILED, and exits 0 or 1."""
    failures = [f for f in failures if f]
    for f in failures:
        print(f"FAIL: {f}")
    print("FAILED" if failures else "PASS")
    sys.exit(1 if failures else 0)


def stories(out):
    with open(out) as f:
        v = json.load(f)
    return v, [[m["id"] for m in s["members"]] for s in v["stories"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=200_000)
    add_run_args(ap, max_ratio=2.0)
    a = ap.parse_args()
    extra = shlex.split(a.overlap_args)
    assert len(LINE.split()) == 13
    with tempfile.TemporaryDirectory() as default_tmp:
        tmp = a.tmp or default_tmp
        os.makedirs(tmp, exist_ok=True)
        copies = os.path.join(tmp, "copies.jsonl")
        with open(CORPUS, "rb") as src, open(copies, "wb") as dst:
            body = src.read()
            dst.write(body)
            if not body.endswith(b"\n"):
                dst.write(b"\n")
            for i in range(a.copies):
                dst.write(json.dumps({"id": f"copy-{i}", "text": LINE}).encode() + b"\n")
        med, rss, outs = alternate(a.overlap, {"plain": CORPUS, "copies": copies}, tmp, extra,
                                   a.runs)
        print(f"\n| corpus | documents | wall s median | peak RSS MB median |")
        print(f"|---|---:|---:|---:|")
        plain_v, plain_stories = stories(outs["plain"])
        copies_v, copies_stories = stories(outs["copies"])
        for k, v in (("plain", plain_v), ("copies", copies_v)):
            docs = v["summary"]["documents"]
            print(f"| {k} | {docs:,} | {med[k]:.2f} | {rss[k] / 1024:.1f} |")
        ratio = med["copies"] / med["plain"]
        print(f"\ncopies/plain: wall {ratio:.2f}x, peak RSS {rss['copies'] / rss['plain']:.2f}x")
        print(f"story units: plain {plain_v['summary'].get('story_units')}, "
              f"copies {copies_v['summary'].get('story_units')}")
        failures = []
        line_clusters = [c for c in copies_v["clusters"]
                         if any(m["id"].startswith("copy-") for m in c["members"])]
        sizes = [len(c["members"]) for c in line_clusters]
        if sizes != [a.copies]:
            failures.append(f"the copies should form one cluster of {a.copies}, got sizes {sizes}")
        without = [[i for i in s if not i.startswith("copy-")] for s in copies_stories]
        if without != plain_stories or any(len(s) != len(w) for s, w in zip(copies_stories, without)):
            failures.append("the copies changed the plain corpus' story clusters")
        failures.append(too_slow("copies/plain", "wall", ratio, a.max_ratio))
        verdict(failures)

if __name__ == "__main__":
    main()
