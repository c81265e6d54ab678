#!/usr/bin/env python3
"""Exact-duplicate benchmark: does `overlap scan` find every byte-identical group?

What it checks
--------------
The benchmark corpus holds natural exact duplicates: 218 groups of byte-identical
texts with 222 extra copies (Reuters re-sends, newsgroup cross-posts; see the bench
README). This script runs `overlap scan CORPUS --format jsonl --quiet` once, groups the
corpus documents by byte-identical text itself (dict text -> ids), and checks:

  groups       the corpus has the expected 218 groups / 222 extra copies
               (--expect-groups / --expect-extra; a different corpus only warns);
  same cluster every group's members all fall in one overlap cluster;
  exact kind   that cluster's "kinds" include "exact";
  exact links  the group's members are connected to each other by "exact" edges of
               the cluster's spanning tree (union-find over the exact edges), i.e.
               each non-first member is linked as an exact copy, not only through a
               near or contained edge;
  near         every reported "near" edge has JSON jaccard >= the threshold;
  contained    every reported "contained" edge has containment >= the containment
               threshold in one direction: the member's share found in `to`, or (when
               the cluster tree reaches the container through the contained document)
               `to`'s share found in the member.

It prints the counts (groups found / total, extra copies covered) and one PASS/FAIL
line per check, and exits 1 if any check fails (2 if the scan itself fails).

Usage
-----
    cd /work/main && cargo build --release
    python3 benches/exact_groups.py
    python3 benches/exact_groups.py --corpus PATH --bin PATH --threshold 0.8 --containment 0.8

Defaults are relative to the repository root (the parent of this script's folder):
    --corpus <repo>/../shared/bench/corpus.jsonl
    --bin    <repo>/target/release/overlap
--threshold / --containment are passed to overlap (default 0.8 each). Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))
SHOW = 5  # how many failing examples to list per check


def die(msg, code=2):
    print(f"ERROR: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus.jsonl"))
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "overlap"),
                    help="overlap binary")
    ap.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold")
    ap.add_argument("--containment", type=float, default=0.8, help="containment threshold")
    ap.add_argument("--expect-groups", type=int, default=218)
    ap.add_argument("--expect-extra", type=int, default=222)
    return ap.parse_args()


def run_scan(args):
    cmd = [args.bin, "scan", args.corpus, "--format", "jsonl", "--quiet", "--no-stories",
           "--threshold", str(args.threshold), "--containment", str(args.containment)]
    print("$ " + " ".join(cmd))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        die(f"overlap scan failed (exit {p.returncode}):\n{p.stderr}")
    if p.stderr.strip():
        print("  stderr: " + p.stderr.strip().replace("\n", "\n          "))
    print(f"  overlap scan wall time: {dt:.3f} s")
    events = []
    for n, line in enumerate(p.stdout.splitlines(), 1):
        if line.strip():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as e:
                die(f"scan output line {n}: not JSON ({e})")
    return events


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def main():
    args = parse_args()
    if not os.path.isfile(args.corpus):
        die(f"corpus not found: {args.corpus}")
    if not os.access(args.bin, os.X_OK):
        die(f"overlap binary not found: {args.bin} (run `cargo build --release` in {REPO})")

    # -- byte-identical groups, in corpus order
    by_text = defaultdict(list)
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            by_text[d["text"]].append(d["id"])
    groups = [ids for ids in by_text.values() if len(ids) > 1]
    extra = sum(len(g) - 1 for g in groups)
    n_docs = sum(len(ids) for ids in by_text.values())
    del by_text

    events = run_scan(args)
    clusters = {}
    cluster_of = {}
    edges = defaultdict(list)  # kind -> [(member, to, match)]
    exact_uf = UnionFind()
    other = Counter()
    summary = None
    for e in events:
        t = e.get("type")
        if t == "cluster":
            d = e["data"]
            clusters[d["cluster"]] = d
            for m in d["members"]:
                cluster_of[m["id"]] = d["cluster"]
                mt = m.get("match")
                if mt:
                    edges[mt["kind"]].append((m["id"], mt["to"], mt))
                    if mt["kind"] == "exact":
                        exact_uf.union(m["id"], mt["to"])
        elif t == "summary":
            summary = e["data"]
        else:
            other[t] += 1

    print()
    print(f"corpus: {n_docs} documents, {len(groups)} byte-identical groups, {extra} extra copies")
    print(f"overlap: {len(clusters)} clusters; edges: "
          + ", ".join(f"{k}={len(v)}" for k, v in sorted(edges.items()))
          + "; other events: " + (", ".join(f"{k}={v}" for k, v in sorted(other.items())) or "none"))
    if summary is None:
        print("WARNING: no summary event in the scan output")
    else:
        params = summary.get("params", {})
        for key, want in [("threshold", args.threshold), ("containment", args.containment)]:
            if key in params and abs(params[key] - want) > 1e-12:
                print(f"WARNING: summary params.{key}={params[key]} but {want} was requested")

    # -- per-group checks
    split, no_exact_kind, not_exact_linked = [], [], []
    covered_groups = covered_extra = 0
    for g in groups:
        cids = {cluster_of.get(i) for i in g}
        if len(cids) != 1 or None in cids:
            split.append(g)
            continue
        cid = cids.pop()
        ok = True
        if "exact" not in clusters[cid]["kinds"]:
            no_exact_kind.append((g, cid))
            ok = False
        if len({exact_uf.find(i) for i in g}) != 1:
            not_exact_linked.append((g, cid))
            ok = False
        if ok:
            covered_groups += 1
            covered_extra += len(g) - 1

    # -- edge threshold checks (JSON values)
    near_low = [(a, b, m) for a, b, m in edges.get("near", []) if m["jaccard"] < args.threshold]
    # A containment edge may point either way (the cluster tree can reach a container
    # through the document it contains), so the larger of the two shares must pass.
    cont_low = [(a, b, m) for a, b, m in edges.get("contained", [])
                if max(m["containment"], m["reverse_containment"]) < args.containment]

    print()
    print(f"groups found (whole group in one cluster, kind exact, exact-linked): "
          f"{covered_groups}/{len(groups)}")
    print(f"extra copies covered: {covered_extra}/{extra}")
    print()

    failed = False

    def check(name, ok, detail, examples=()):
        nonlocal failed
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
        for ex in list(examples)[:SHOW]:
            print(f"        {ex}")

    def describe(g, cid=None):
        where = {i: cluster_of.get(i, "-") for i in g}
        s = ", ".join(f"{i}@{where[i]}" for i in g)
        if cid is not None:
            kinds = {m["id"]: m.get("match", {}).get("kind", "kept") for m in clusters[cid]["members"]}
            s += f"  cluster kinds={clusters[cid]['kinds']} member links=" + \
                 ", ".join(f"{i}:{kinds[i]}" for i in g)
        return s

    same_corpus = len(groups) == args.expect_groups and extra == args.expect_extra
    if same_corpus:
        print(f"PASS  groups: corpus has {len(groups)} groups / {extra} extra copies as expected")
    else:
        print(f"WARN  groups: expected {args.expect_groups} groups / {args.expect_extra} extra copies, "
              f"corpus has {len(groups)} / {extra} (different corpus?)")
    check("same cluster", not split,
          f"{len(groups) - len(split)}/{len(groups)} groups entirely in one cluster",
          (describe(g) for g in split))
    check("exact kind", not no_exact_kind,
          f"{len(groups) - len(split) - len(no_exact_kind)}/{len(groups) - len(split)} "
          f"clustered groups in a cluster whose kinds include \"exact\"",
          (describe(g, c) for g, c in no_exact_kind))
    check("exact links", not not_exact_linked,
          f"{len(groups) - len(split) - len(not_exact_linked)}/{len(groups) - len(split)} "
          f"clustered groups connected by \"exact\" edges",
          (describe(g, c) for g, c in not_exact_linked))
    check("near >= threshold", not near_low,
          f"{len(edges.get('near', [])) - len(near_low)}/{len(edges.get('near', []))} near edges "
          f"with jaccard >= {args.threshold}",
          (f"{a} -> {b} jaccard={m['jaccard']:.4f}" for a, b, m in near_low))
    check("contained >= containment", not cont_low,
          f"{len(edges.get('contained', [])) - len(cont_low)}/{len(edges.get('contained', []))} "
          f"contained edges with containment >= {args.containment}"
          + (f" ({sum(m['reverse_containment'] >= args.containment for _, _, m in cont_low)} of the "
             f"{len(cont_low)} failing have reverse_containment >= {args.containment}: "
             f"edge reversed)" if cont_low else ""),
          (f"{a} -> {b} containment={m['containment']:.4f} "
           f"reverse_containment={m['reverse_containment']:.4f} jaccard={m['jaccard']:.4f}"
           for a, b, m in cont_low))
    print()
    print("RESULT: " + ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
