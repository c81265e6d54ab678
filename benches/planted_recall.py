#!/usr/bin/env python3
"""Planted near-duplicate benchmark: recall and precision of `overlap scan`.

What it does
------------
1. Runs the shared generator `make_planted.py` on the benchmark corpus. It adds a
   mutated copy of 10% of the documents (2-10% random word deletions, insertions and
   swaps) and writes the ground-truth pairs (copy_id, source_id) with their exact
   5-word-shingle Jaccard `jaccard5`.
2. Runs `overlap scan out.jsonl --format jsonl --quiet --threshold T` on the result
   and reports its wall-clock time.
3. Recall: a planted pair counts as found when the copy and its source end up in the
   same overlap cluster (a cluster is a kept document, the copies removed for it, and
   documents kept because they copy only one of those copies, so the link may go
   through one removed member). Recall is tabulated per jaccard5 bin; the headline is the recall of the
   pairs with jaccard5 >= T (target >= 0.99). jaccard5 is recomputed exactly here
   (the TSV rounds it to 4 decimals), so pairs right at the threshold are binned right.
4. Precision: every reported "near" edge (a member and its `match.to`) is re-scored
   with the exact Jaccard of the 5-word shingle sets, using exactly the shingling of
   make_planted.py (lowercase; tokens = maximal runs of Unicode alphanumerics,
   re.findall(r"[^\\W_]+"); 5-word shingles joined by a space; documents with 1..4
   tokens form one shingle). Reports the share of near edges with Jaccard >= T
   (target 1.0) and the edges whose JSON "jaccard" differs from the Python value by
   more than 0.01 (a sign of tokenization differences). "exact" edges are checked to
   have equal token sequences (lowercased). "contained" edges are re-scored too
   (containment of the member's shingles in `to`'s), for information.

Everything is printed; the exit code is 0 unless something crashes (missing binary,
generator or scan failure), whatever the measured numbers.

Usage
-----
    cd /work/main && cargo build --release
    python3 benches/planted_recall.py                  # defaults below
    python3 benches/planted_recall.py --seed 11 --threshold 0.8 --workdir /tmp/planted

Defaults are relative to the repository root (the parent of this script's folder):
    --corpus       <repo>/../shared/bench/corpus.jsonl
    --make-planted <repo>/../shared/bench/make_planted.py
    --bin          <repo>/target/release/overlap
Without --workdir the generated files live in a temporary directory that is removed
at the end; with --workdir they are kept there (out.jsonl, pairs.tsv, scan.jsonl).
Standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))

TOKEN_RE = re.compile(r"[^\W_]+")
BINS = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)]
JSON_TOLERANCE = 0.01
SHOW = 5  # how many example edges/pairs to list


# --- shingling, identical to make_planted.py ---------------------------------------
def tokens(text):
    return TOKEN_RE.findall(text.lower())


def shingles(text, k=5):
    t = tokens(text)
    if len(t) >= k:
        return {" ".join(t[i:i + k]) for i in range(len(t) - k + 1)}
    return {" ".join(t)} if t else set()


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(a, b):
    """Share of a's shingles found in b."""
    if not a:
        return 1.0
    return len(a & b) / len(a)


class ShingleCache:
    def __init__(self, texts):
        self.texts = texts
        self.cache = {}

    def __call__(self, doc_id):
        s = self.cache.get(doc_id)
        if s is None:
            s = self.cache[doc_id] = shingles(self.texts[doc_id])
        return s


# --- helpers -------------------------------------------------------------------------
def die(msg, code=2):
    print(f"ERROR: {msg}", file=sys.stderr)
    sys.exit(code)


def bin_label(lo, hi):
    return f"[{lo:.1f},{hi:.1f}]" if hi >= 1.0 else f"[{lo:.1f},{hi:.1f})"


def bin_of(j):
    for lo, hi in BINS:
        if lo <= j < hi or (hi >= 1.0 and j >= lo):
            return (lo, hi)
    raise ValueError(j)


def ratio(n, d):
    return f"{n / d:.4f}" if d else "n/a"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus.jsonl"))
    ap.add_argument("--make-planted", default=os.path.join(SHARED, "make_planted.py"),
                    help="path of the shared generator script")
    ap.add_argument("--seed", type=int, default=7, help="make_planted.py seed")
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "overlap"),
                    help="overlap binary")
    ap.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold T")
    ap.add_argument("--workdir", help="keep generated files here (default: temp dir)")
    return ap.parse_args()


def run_planted(args, workdir):
    out = os.path.join(workdir, "out.jsonl")
    pairs = os.path.join(workdir, "pairs.tsv")
    cmd = [sys.executable, args.make_planted, args.corpus, out, pairs, "--seed", str(args.seed)]
    print("$ " + " ".join(cmd))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        die(f"make_planted.py failed (exit {p.returncode}):\n{p.stderr}")
    print(f"  {p.stdout.strip()}  ({dt:.1f} s)")
    return out, pairs


def run_scan(args, inp, workdir):
    report = os.path.join(workdir, "scan.jsonl")
    cmd = [args.bin, "scan", inp, "--format", "jsonl", "--quiet", "--no-stories", "--threshold", str(args.threshold)]
    print("$ " + " ".join(cmd) + " > " + report)
    with open(report, "w", encoding="utf-8") as f:
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t0
    if p.returncode != 0:
        die(f"overlap scan failed (exit {p.returncode}):\n{p.stderr}")
    if p.stderr.strip():
        print("  stderr: " + p.stderr.strip().replace("\n", "\n          "))
    print(f"  overlap scan wall time: {dt:.3f} s")
    events = []
    with open(report, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError as e:
                    die(f"{report}:{n}: not JSON ({e})")
    return events


def main():
    args = parse_args()
    T = args.threshold
    for path, what in [(args.corpus, "corpus"), (args.make_planted, "make_planted.py")]:
        if not os.path.isfile(path):
            die(f"{what} not found: {path}")
    if not os.access(args.bin, os.X_OK):
        die(f"overlap binary not found: {args.bin} (run `cargo build --release` in {REPO})")

    tmp = None
    if args.workdir:
        workdir = os.path.abspath(args.workdir)
        os.makedirs(workdir, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="overlap-planted-")
        workdir = tmp.name
    try:
        report(args, T, workdir)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


def report(args, T, workdir):
    print(f"== planted recall: seed={args.seed} threshold={T} workdir={workdir}")
    out, pairs_path = run_planted(args, workdir)
    events = run_scan(args, out, workdir)

    # -- documents and ground truth
    texts = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    sh = ShingleCache(texts)
    pairs = []  # (copy, source, jaccard5 exact, jaccard5 from tsv)
    with open(pairs_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        ci, si, ji = header.index("copy_id"), header.index("source_id"), header.index("jaccard5")
        for line in f:
            row = line.rstrip("\n").split("\t")
            c, s = row[ci], row[si]
            pairs.append((c, s, jaccard(sh(c), sh(s)), float(row[ji])))
    tsv_off = [p for p in pairs if abs(p[2] - p[3]) > 1e-4 + 1e-9]

    # -- overlap clusters and edges
    cluster_of = {}
    clusters = []
    edges = defaultdict(list)  # kind -> [(member, to, match)]
    other = Counter()
    summary = None
    for e in events:
        t = e.get("type")
        if t == "cluster":
            d = e["data"]
            clusters.append(d)
            for m in d["members"]:
                cluster_of[m["id"]] = d["cluster"]
                if "match" in m:
                    edges[m["match"]["kind"]].append((m["id"], m["match"]["to"], m["match"]))
        elif t == "summary":
            summary = e["data"]
        else:
            other[t] += 1
    edge_of = {}  # unordered pair -> match of a direct edge
    for kind_edges in edges.values():
        for a, b, m in kind_edges:
            edge_of[frozenset((a, b))] = m

    print()
    print(f"clusters: {len(clusters)}   documents in clusters: {len(cluster_of)}")
    print("edges by kind: " + ", ".join(f"{k}={len(v)}" for k, v in sorted(edges.items()))
          + f"  (total {sum(len(v) for v in edges.values())})")
    print("other events: " + (", ".join(f"{k}={v}" for k, v in sorted(other.items())) or "none"))
    if summary is not None:
        keys = ["documents", "bytes", "clusters", "duplicates", "exact", "near", "contained",
                "skipped", "warnings", "candidates", "verified"]
        print("summary: " + " ".join(f"{k}={summary[k]}" for k in keys if k in summary))
    else:
        print("WARNING: no summary event in the scan output")
    unknown = sorted({i for c in clusters for i in (m["id"] for m in c["members"])} - texts.keys())
    if unknown:
        print(f"WARNING: {len(unknown)} cluster member ids not in the input, e.g. {unknown[:3]}")

    # -- recall
    print()
    print(f"RECALL (planted pair found = copy and source in the same cluster); {len(pairs)} pairs")
    if tsv_off:
        print(f"  note: {len(tsv_off)} pairs' recomputed jaccard5 differs from the TSV value")
    found = lambda c, s: c in cluster_of and cluster_of.get(c) == cluster_of.get(s)
    per_bin = {b: [0, 0] for b in BINS}
    for c, s, j, _ in pairs:
        b = per_bin[bin_of(j)]
        b[1] += 1
        b[0] += found(c, s)
    print(f"  {'jaccard5':<11} {'found':>6} {'total':>6} {'recall':>8}")
    for lo, hi in BINS:
        f_, t_ = per_bin[(lo, hi)]
        print(f"  {bin_label(lo, hi):<11} {f_:>6} {t_:>6} {ratio(f_, t_):>8}")
    above = [p for p in pairs if p[2] >= T]
    hit = [p for p in above if found(p[0], p[1])]
    missed = sorted((p for p in above if not found(p[0], p[1])), key=lambda p: -p[2])
    rec = len(hit) / len(above) if above else float("nan")
    verdict = "meets" if above and rec >= 0.99 else "BELOW"
    print(f"  HEADLINE recall at jaccard5 >= {T}: {len(hit)}/{len(above)} = {rec:.4f}"
          f"  ({verdict} target 0.99)")
    direct = sum(1 for c, s, _, _ in hit if frozenset((c, s)) in edge_of)
    print(f"  found pairs >= {T} linked by a direct edge: {direct}/{len(hit)}"
          f" (the others share a cluster through one removed member)")
    if missed:
        print(f"  missed pairs with jaccard5 >= {T} (up to {SHOW * 2} shown):")
        for c, s, j, _ in missed[:SHOW * 2]:
            m = edge_of.get(frozenset((c, s)))
            mj = f"{m['jaccard']:.4f}" if m else "no edge"
            print(f"    {c} <- {s}  jaccard5={j:.4f}  overlap jaccard={mj}  "
                  f"clusters: copy={cluster_of.get(c, '-')} source={cluster_of.get(s, '-')}  "
                  f"words={len(tokens(texts[s]))}")
    below_found = sum(1 for c, s, j, _ in pairs if j < T and found(c, s))
    print(f"  planted pairs below {T} that were clustered anyway: "
          f"{below_found}/{len(pairs) - len(above)}")

    # -- precision of near edges
    print()
    near = edges.get("near", [])
    print(f"PRECISION of 'near' edges (exact Python Jaccard >= {T}); {len(near)} edges")
    ok = 0
    bad, diff = [], []
    for a, b, m in near:
        j = jaccard(sh(a), sh(b))
        if j >= T:
            ok += 1
        else:
            bad.append((a, b, j, m["jaccard"]))
        if abs(j - m["jaccard"]) > JSON_TOLERANCE:
            diff.append((a, b, j, m["jaccard"]))
    print(f"  near edges with Jaccard >= {T}: {ok}/{len(near)} = {ratio(ok, len(near))}"
          f"  ({'meets' if ok == len(near) else 'BELOW'} target 1.0)")
    for a, b, j, mj in bad[:SHOW]:
        print(f"    below: {a} -> {b}  python={j:.4f}  json={mj:.4f}")
    print(f"  near edges with |json jaccard - python jaccard| > {JSON_TOLERANCE}: {len(diff)}")
    for a, b, j, mj in diff[:SHOW]:
        print(f"    {a} -> {b}  python={j:.4f}  json={mj:.4f}")

    # -- exact edges
    exact = edges.get("exact", [])
    unequal = [(a, b) for a, b, _ in exact if tokens(texts[a]) != tokens(texts[b])]
    byte_equal = sum(1 for a, b, _ in exact if texts[a] == texts[b])
    print()
    print(f"EXACT edges: {len(exact)}; token sequences equal: {len(exact) - len(unequal)}/{len(exact)}"
          f"  (byte-identical: {byte_equal})")
    for a, b in unequal[:SHOW]:
        ta, tb = tokens(texts[a]), tokens(texts[b])
        k = next((i for i, (x, y) in enumerate(zip(ta, tb)) if x != y), min(len(ta), len(tb)))
        print(f"    differ: {a} -> {b}  at token {k}: {ta[k:k + 3]} vs {tb[k:k + 3]}"
              f"  (lengths {len(ta)}/{len(tb)})")

    # -- contained edges (information only)
    cont = edges.get("contained", [])
    if cont:
        cmin = summary.get("params", {}).get("containment", 0.8) if summary else 0.8
        c_ok = 0
        reversed_, c_diff = [], []
        for a, b, m in cont:
            sa, sb = sh(a), sh(b)
            c = containment(sa, sb)
            c_ok += c >= cmin
            if c < cmin and containment(sb, sa) >= cmin:
                reversed_.append((a, b, c, m))
            if abs(c - m["containment"]) > JSON_TOLERANCE:
                c_diff.append((a, b, c, m))
        print()
        print(f"CONTAINED edges: {len(cont)}; Python containment(member in to) >= {cmin}: "
              f"{c_ok}/{len(cont)}")
        print(f"  below {cmin} in that direction but >= {cmin} reversed (to in member): "
              f"{len(reversed_)}")
        for a, b, c, m in reversed_[:SHOW]:
            print(f"    {a} -> {b}  python={c:.4f}  json containment={m['containment']:.4f}"
                  f" reverse={m['reverse_containment']:.4f}")
        print(f"  |json containment - python containment| > {JSON_TOLERANCE}: {len(c_diff)}")
        for a, b, c, m in c_diff[:SHOW]:
            print(f"    {a} -> {b}  python={c:.4f}  json={m['containment']:.4f}")

if __name__ == "__main__":
    sys.exit(main())
