#!/usr/bin/env python3
"""Plain all-pairs TF-IDF baseline for story clustering, and a cross-check of `overlap eval`.

What it is
----------
`overlap scan` groups documents that report the same events into "story clusters", and
`overlap eval` scores them against labels. This script is the *plain baseline* the project
compares against: the obvious method a reader would try first, which compares **every pair
of documents** (so it is quadratic in time and memory and does not scale; our pipeline
must beat it while scaling). It has two variants:

``cc``       TF-IDF cosine over all pairs; a pair is linked when cosine >= t; clusters are
             the connected components of the linked pairs (single-link at cut t, what a
             union-find over the linked pairs yields; computed here with
             scipy.sparse.csgraph.connected_components, which gives the same partition).
``average``  Average-link agglomerative clustering over all pairs with cosine distance
             (scipy.cluster.hierarchy.linkage(method="average") on 1 - cosine), cut at
             distance 1 - t (fcluster criterion "distance": two groups end up together
             when the merge's average cosine is >= t). This is the variant
             ../shared/evaldata/README.md quotes ("TF-IDF cosine with average-link
             clustering, its threshold chosen on the data itself"); it is equivalent to
             sklearn AgglomerativeClustering(metric="cosine", linkage="average",
             distance_threshold=1 - t) up to ties exactly at the cut (sklearn merges
             strictly below the threshold).

Why
---
It gives the numbers our story clusters have to beat on real labeled data, and it
independently recomputes the metrics of `overlap eval` to check the Rust metric code.
Choosing the best threshold on the labeled data itself (as the tables below let you do)
flatters the baseline; that is deliberate, it is an upper bound for this method.

How
---
* Data (read-only, never copied into the repository):
  ecbplus     <repo>/../shared/evaldata/ecbplus/docs.jsonl, label `subtopic` (982 docs)
  googlenews  <repo>/../shared/evaldata/googlenews_ts/docs.jsonl, label `cluster`
              (11,109 docs; text already lower-cased, stemmed, stop-word free)
  Text field `text`, id field `id` (numeric ids are compared as strings).
* TF-IDF: sklearn TfidfVectorizer(lowercase=True, stop_words="english",
  sublinear_tf=True), everything else at sklearn's defaults (token_pattern
  r"(?u)\\b\\w\\w+\\b", unigrams, min_df=1, smooth_idf=True, norm="l2"), fitted on the
  dataset itself. Rows are L2-normalised, so cosine = X @ X.T (a dense n x n matrix;
  about 1 GB for googlenews). Documents whose TF-IDF vector is empty have cosine 0 with
  everything.
* Thresholds: 0.10 .. 0.60 step 0.05 by default (--thresholds FROM:TO:STEP).
* Metrics, over labeled documents only (both datasets are fully labeled); documents in
  no predicted cluster of two or more are singletons, each its own cluster:
  - pairwise P/R/F1 over unordered document pairs: P = pairs together in both / pairs
    together in the prediction, R = ... / pairs together in the labels (from
    sklearn.metrics.cluster.pair_confusion_matrix; P or R is 1.0 when its denominator
    is 0, F1 is 0 when P + R = 0, the same conventions as `overlap eval`);
  - B-cubed P/R/F1, computed here per document, singletons included: P(d) = |C(d) & L(d)|
    / |C(d)|, R(d) = |C(d) & L(d)| / |L(d)|, averaged over documents, F1 = harmonic mean
    of the two averages;
  - ARI = sklearn.metrics.adjusted_rand_score.
  "clusters" counts predicted clusters of size >= 2.
* Wall time: one "run" is the whole baseline from the loaded texts to the partition at
  one threshold (TF-IDF fit + all-pairs cosine + clustering); it is repeated --repeat
  times (default 3) and the median is printed. Reading the JSONL is not timed.
  The per-stage times of the last run are printed under each table.

Cross-check (--check-predictions SCAN.json, with --data ecbplus or googlenews): reads the
`stories` of a saved `overlap scan --format json` output (each story's `members[].id`;
documents in no story are singletons), computes the three metrics here, runs
`overlap eval DOCS --label-field F --predictions SCAN.json --format json` (binary from
--bin) and compares its rows[0] `pairwise`, `bcubed`, `ari`, `documents`, `clusters`
field by field; any difference above 1e-9 is printed and the exit code is 1.

Usage
-----
    python3 -m venv /tmp/story-venv
    /tmp/story-venv/bin/pip install numpy scipy scikit-learn
    /tmp/story-venv/bin/python benches/story_baseline.py                      # both
    /tmp/story-venv/bin/python benches/story_baseline.py --data ecbplus --repeat 5
    /tmp/story-venv/bin/python benches/story_baseline.py --methods average --json /tmp/b.json

    cargo build --release
    ./target/release/overlap scan ../shared/evaldata/ecbplus/docs.jsonl \\
        --format json --quiet -o /tmp/ecb_scan.json
    /tmp/story-venv/bin/python benches/story_baseline.py --data ecbplus \\
        --check-predictions /tmp/ecb_scan.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import pair_confusion_matrix

REPO = Path(__file__).resolve().parent.parent
EVALDATA = REPO.parent / "shared" / "evaldata"
DATASETS = {
    # name: (default path, label field)
    "ecbplus": (EVALDATA / "ecbplus" / "docs.jsonl", "subtopic"),
    "googlenews": (EVALDATA / "googlenews_ts" / "docs.jsonl", "cluster"),
}
METHODS = ("cc", "average")
TOLERANCE = 1e-9


# ---------------------------------------------------------------------------- data


def load(path: Path, label_field: str, text_field: str, id_field: str):
    """Ids (str), texts and labels (str, or None when missing) of a JSONL file."""
    ids, texts, labels = [], [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            ids.append(str(rec.get(id_field, n)))
            texts.append(rec.get(text_field) or "")
            lab = rec.get(label_field)
            labels.append(None if lab is None else str(lab))
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        sys.exit(f"{path}: {len(dup)} duplicate ids, e.g. {dup[:3]}")
    return ids, texts, labels


# ------------------------------------------------------------------------ baseline


def tfidf(texts):
    vec = TfidfVectorizer(lowercase=True, stop_words="english", sublinear_tf=True)
    return vec.fit_transform(texts)


def cosine_all_pairs(x) -> np.ndarray:
    """Dense n x n cosine matrix (rows of x are L2-normalised)."""
    return np.asarray((x @ x.T).todense(), dtype=np.float64)


def cluster_cc(sim: np.ndarray, t: float) -> np.ndarray:
    """Connected components of the pairs with cosine >= t (= union-find over them)."""
    linked = np.triu(sim >= t, k=1)
    _, comp = connected_components(csr_matrix(linked), directed=False)
    return comp


def cluster_average(sim: np.ndarray, t: float) -> np.ndarray:
    """Average-link agglomerative clustering on 1 - cosine, cut at distance 1 - t."""
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    np.clip(dist, 0.0, None, out=dist)  # rounding can push cosine a hair above 1
    condensed = squareform(dist, checks=False)
    del dist
    tree = linkage(condensed, method="average")
    return fcluster(tree, t=1.0 - t, criterion="distance")


def run_once(texts, method: str, t: float):
    """The whole baseline at one threshold; returns (cluster per doc, stage seconds)."""
    stages = {}
    t0 = time.perf_counter()
    x = tfidf(texts)
    t1 = time.perf_counter()
    sim = cosine_all_pairs(x)
    t2 = time.perf_counter()
    pred = cluster_cc(sim, t) if method == "cc" else cluster_average(sim, t)
    t3 = time.perf_counter()
    stages["tfidf"], stages["cosine"], stages["cluster"] = t1 - t0, t2 - t1, t3 - t2
    return pred, stages


# ------------------------------------------------------------------------- metrics


def prf(p: float, r: float) -> dict:
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r > 0 else 0.0}


def scores(pred, labels) -> dict:
    """Pairwise, B-cubed and ARI of cluster ids `pred` against `labels`.

    `pred[d]` is any hashable cluster id (every singleton must have its own id);
    documents whose label is None are left out.
    """
    keep = [d for d, lab in enumerate(labels) if lab is not None]
    p = [pred[d] for d in keep]
    g = [labels[d] for d in keep]
    n = len(p)

    # Pairwise, from sklearn's pair confusion matrix (ordered pairs, so each unordered
    # pair counts twice; the factor cancels in the ratios).
    (_, fp), (fn, tp) = pair_confusion_matrix(g, p).tolist()
    precision = tp / (tp + fp) if tp + fp > 0 else 1.0
    recall = tp / (tp + fn) if tp + fn > 0 else 1.0
    pairwise = prf(precision, recall)

    # B-cubed, per document.
    csize = Counter(p)
    lsize = Counter(g)
    cell = Counter(zip(p, g))
    bp = br = 0.0
    for c, lab in zip(p, g):
        k = cell[(c, lab)]
        bp += k / csize[c]
        br += k / lsize[lab]
    bcubed = prf(bp / max(n, 1), br / max(n, 1))

    return {
        "documents": n,
        "clusters": sum(1 for s in csize.values() if s >= 2),
        "pairwise": pairwise,
        "bcubed": bcubed,
        "ari": float(adjusted_rand_score(g, p)),
    }


# --------------------------------------------------------------------------- sweep


def parse_sweep(s: str):
    a, b, step = (float(v) for v in s.split(":"))
    n = int(np.floor((b - a) / step + 1e-9))
    return [round(a + i * step, 6) for i in range(n + 1)]


HEADER = (
    "threshold  clusters  pairwise P / R / F1      B-cubed P / R / F1       ARI     "
    "seconds (median of {r})"
)


def fmt_row(t, s, secs):
    pw, b3 = s["pairwise"], s["bcubed"]
    return (
        f"{t:<9.2f}  {s['clusters']:>8}  "
        f"{pw['precision']:.3f} / {pw['recall']:.3f} / {pw['f1']:.3f}    "
        f"{b3['precision']:.3f} / {b3['recall']:.3f} / {b3['f1']:.3f}    "
        f"{s['ari']:.3f}   {secs:8.3f}"
    )


def sweep(name, path, label_field, args):
    ids, texts, labels = load(path, label_field, args.text_field, args.id_field)
    n_labels = len({lab for lab in labels if lab is not None})
    print(f"\n=== {name}: {path} ({len(ids)} documents, {n_labels} labels in "
          f"{label_field!r}) ===")
    results = []
    for method in args.methods:
        print(f"\n-- {name} / {method} "
              f"({'connected components of pairs with cosine >= t' if method == 'cc' else 'average-link, cut at cosine distance 1 - t'})")
        print(HEADER.format(r=args.repeat))
        for t in args.thresholds:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                pred, stages = run_once(texts, method, t)
                times.append(time.perf_counter() - start)
            s = scores(pred.tolist(), labels)
            secs = statistics.median(times)
            print(fmt_row(t, s, secs), flush=True)
            results.append({"dataset": name, "method": method, "threshold": t,
                            "seconds": secs, "seconds_all": times, "stages": stages, **s})
        last = [r for r in results if r["method"] == method][-1]["stages"]
        print("   stages of the last run: " + ", ".join(f"{k} {v:.3f} s" for k, v in last.items()))
        rows = [r for r in results if r["method"] == method]
        by_b3 = max(rows, key=lambda r: r["bcubed"]["f1"])
        by_ari = max(rows, key=lambda r: r["ari"])
        print(f"   best by B-cubed F1: t = {by_b3['threshold']:.2f} "
              f"(B3 F1 {by_b3['bcubed']['f1']:.4f}, ARI {by_b3['ari']:.4f}, "
              f"pairwise F1 {by_b3['pairwise']['f1']:.4f})")
        print(f"   best by ARI:        t = {by_ari['threshold']:.2f} "
              f"(B3 F1 {by_ari['bcubed']['f1']:.4f}, ARI {by_ari['ari']:.4f}, "
              f"pairwise F1 {by_ari['pairwise']['f1']:.4f})")
    return results


# --------------------------------------------------------------------- cross-check


def flatten(s: dict) -> dict:
    out = {"documents": s["documents"], "clusters": s["clusters"], "ari": s["ari"]}
    for group in ("pairwise", "bcubed"):
        for k, v in s[group].items():
            out[f"{group}.{k}"] = v
    return out


def check_predictions(name, path, label_field, args) -> int:
    ids, _, labels = load(path, label_field, args.text_field, args.id_field)
    scan = json.loads(Path(args.check_predictions).read_text(encoding="utf-8"))
    stories = scan.get("stories") or []
    story_of = {}
    repeated, unknown = [], []
    known = set(ids)
    for c, story in enumerate(stories):
        for m in story.get("members", []):
            mid = str(m["id"])
            if mid not in known:
                unknown.append(mid)
            if mid in story_of:
                repeated.append(mid)
            story_of[mid] = c  # last story wins, as in `overlap eval`
    # Singletons get fresh ids past every story id.
    pred = [story_of.get(i, len(stories) + d) for d, i in enumerate(ids)]
    in_story = sum(1 for i in ids if i in story_of)
    print(f"\n=== cross-check on {name}: {args.check_predictions} ===")
    print(f"{len(stories)} stories, {in_story} of {len(ids)} documents in a story, "
          f"{len(ids) - in_story} singletons; member ids not in the data: {len(unknown)}; "
          f"documents in two or more stories: {len(set(repeated))}")
    mine = flatten(scores(pred, labels))

    cmd = [str(args.bin), "eval", str(path), "--label-field", label_field,
           "--predictions", str(args.check_predictions), "--format", "json"]
    print("$ " + " ".join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"overlap eval failed (exit {proc.returncode}):\n{proc.stderr}")
        return 1
    theirs = flatten(json.loads(proc.stdout)["rows"][0])

    worst = 0.0
    bad = []
    print(f"{'metric':<20} {'python':>22} {'overlap eval':>22} {'|diff|':>10}")
    for k in mine:
        a, b = mine[k], theirs.get(k)
        d = abs(a - b) if b is not None else float("inf")
        worst = max(worst, d)
        if d > TOLERANCE:
            bad.append(k)
        print(f"{k:<20} {a!r:>22} {b!r:>22} {d:>10.2e}")
    if bad:
        print(f"MISMATCH (> {TOLERANCE:g}) in: {', '.join(bad)}")
        return 1
    print(f"agree: max |diff| = {worst:.3e} <= {TOLERANCE:g}")
    return 0


# ---------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", choices=["ecbplus", "googlenews", "both"], default="both")
    ap.add_argument("--ecbplus", type=Path, default=DATASETS["ecbplus"][0],
                    help="ECB+ docs.jsonl (default %(default)s)")
    ap.add_argument("--googlenews", type=Path, default=DATASETS["googlenews"][0],
                    help="GoogleNews-TS docs.jsonl (default %(default)s)")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--methods", default="cc,average",
                    help="comma-separated subset of: " + ", ".join(METHODS))
    ap.add_argument("--thresholds", default="0.10:0.60:0.05", help="FROM:TO:STEP")
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; median time")
    ap.add_argument("--json", type=Path, help="also write all rows as JSON here")
    ap.add_argument("--check-predictions", type=Path,
                    help="saved `overlap scan --format json`; cross-check `overlap eval` "
                         "on its stories instead of sweeping")
    ap.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "overlap")
    args = ap.parse_args()
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if bad := [m for m in args.methods if m not in METHODS]:
        ap.error(f"unknown method(s) {bad}; use {', '.join(METHODS)}")
    args.thresholds = parse_sweep(args.thresholds)
    names = ["ecbplus", "googlenews"] if args.data == "both" else [args.data]
    paths = {"ecbplus": args.ecbplus, "googlenews": args.googlenews}

    if args.check_predictions:
        if len(names) != 1:
            ap.error("--check-predictions needs --data ecbplus or --data googlenews")
        name = names[0]
        return check_predictions(name, paths[name], DATASETS[name][1], args)

    print("TF-IDF: TfidfVectorizer(lowercase=True, stop_words='english', sublinear_tf=True), "
          "other settings default; cosine over all pairs")
    results = []
    for name in names:
        results += sweep(name, paths[name], DATASETS[name][1], args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
