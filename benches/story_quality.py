#!/usr/bin/env python3
"""Story-clustering quality at the defaults, on a dev/test split of ECB+ and GoogleNews-TS.

The split files are written to a scratch directory (default /tmp/story-split), never into the
repository: the data stays in ../shared/evaldata.

- ECB+: topics 1-35 dev, 36-45 test (the usual split of the event-coreference papers);
  scored by `subtopic` (the real event: two incidents of the same kind per topic).
- GoogleNews-TS: story clusters with an odd id dev, even id test; scored by `cluster`.

For every set (full, dev, test) it runs `overlap eval` with no threshold flag (the default row,
whose threshold is the one the story stage chose) and, with --sweep, a threshold sweep, and
prints one table. Any extra arguments after `--` go to every `overlap eval` call, e.g.
`-- --story-threshold 0.25` for the fixed threshold of before.

    python3 benches/story_quality.py [--bin target/release/overlap] [--sweep] [-- FLAGS]

With --fit it refits the threshold rule of src/story/threshold.rs (SLOPE and LOOSE_SHARE) on
the dev halves only: ECB+ dev, the same with each article cut to its first 3 and 6 sentences,
GoogleNews-TS dev, and its titles and snippets alone (--text-field). It sweeps each set's
threshold, reads the close share from the eval JSON (`story_profile`), and grid-searches the
line that maximizes the summed ARI at the thresholds it would choose (with the length floor,
whose constants are set by hand: see threshold::length_floor).
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVALDATA = os.path.join(HERE, "..", "..", "shared", "evaldata")

SETS = {
    "ecb": ("ecbplus/docs.jsonl", "subtopic", "0.1:0.5:0.05"),
    "gnts": ("googlenews_ts/docs.jsonl", "cluster", "0.05:0.4:0.05"),
}


def split(name, path, out_dir):
    """Writes <name>_full/_dev/_test.jsonl; returns their paths."""
    dev, test, full = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            full.append(line)
            if name == "ecb":
                is_dev = int(d["topic"]) <= 35
            else:
                is_dev = int(d["cluster"]) % 2 == 1
            (dev if is_dev else test).append(line)
    paths = {}
    for part, lines in (("full", full), ("dev", dev), ("test", test)):
        p = os.path.join(out_dir, f"{name}_{part}.jsonl")
        if part == "full":
            p = path
        else:
            with open(p, "w", encoding="utf-8") as f:
                f.writelines(lines)
        paths[part] = p
    return paths


def run_eval(binary, path, label, sweep, extra):
    cmd = [binary, "eval", path, "--label-field", label, "--format", "json", "-q"]
    if sweep:
        cmd += ["--sweep", sweep]
    cmd += extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


RELATED, CLOSE, LOW, HIGH = 0.1, 0.3, 0.05, 0.3
SHORT_TERMS, LONG_TERMS, LONG_FLOOR = 30.0, 60.0, 0.2


def length_floor(median_terms):
    t = min(max((median_terms - SHORT_TERMS) / (LONG_TERMS - SHORT_TERMS), 0.0), 1.0)
    return LOW + t * (LONG_FLOOR - LOW)


def close_share(profile):
    edges = profile["edges"]
    bins = len(edges)
    related = sum(edges[round(RELATED * bins):])
    return sum(edges[round(CLOSE * bins):]) / related if related else None


def fit(binary, out_dir):
    ecb = split("ecb", os.path.join(EVALDATA, SETS["ecb"][0]), out_dir)["dev"]
    gnts = split("gnts", os.path.join(EVALDATA, SETS["gnts"][0]), out_dir)["dev"]
    sets = [(ecb, "subtopic", []), (gnts, "cluster", [])]
    sets += [(gnts, "cluster", ["--text-field", f]) for f in ("title", "snippet")]
    for k in (3, 6):
        p = os.path.join(out_dir, f"ecb_dev_s{k}.jsonl")
        with open(ecb, encoding="utf-8") as f, open(p, "w", encoding="utf-8") as w:
            for line in f:
                d = json.loads(line)
                d["text"] = "\n".join(x["text"] for x in d["sentences"][:k])
                w.write(json.dumps(d) + "\n")
        sets.append((p, "subtopic", []))
    points = []
    for path, label, extra in sets:
        r = run_eval(binary, path, label, "0.01:0.4:0.01", extra)
        share = close_share(r["story_profile"])
        ari = {round(x["threshold"], 2): x["ari"] for x in r["rows"] if x["threshold"]}
        best = max(ari, key=ari.get)
        print(f"{os.path.basename(path)} {' '.join(extra)}: close share {share:.3f}, "
              f"best threshold {best:.2f} (ARI {ari[best]:.3f})")
        points.append((share, length_floor(r["story_profile"]["median_terms"]), ari))

    def at(ari, floor, t):
        return ari[round(min(max(t, floor), HIGH), 2)]

    best = None
    for slope in [x / 100 for x in range(20, 200, 2)]:
        for loose in [x / 1000 for x in range(300, 700, 5)]:
            total = sum(at(ari, floor, slope * (share - loose)) for share, floor, ari in points)
            if best is None or total > best[0] + 1e-9:
                best = (total, slope, loose)
    total, slope, loose = best
    print(f"SLOPE = {slope}, LOOSE_SHARE = {loose} (mean ARI {total / len(points):.3f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "overlap"))
    ap.add_argument("--out", default="/tmp/story-split")
    ap.add_argument("--sweep", action="store_true", help="also print a threshold sweep")
    ap.add_argument("--fit", action="store_true", help="refit the threshold rule on dev")
    ap.add_argument("extra", nargs="*", help="flags passed to every overlap eval (after --)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.fit:
        fit(args.bin, args.out)
        return
    print(f"{'set':<10} {'threshold':>9} {'clusters':>8} {'B3 F1':>6} {'ARI':>6}")
    for name, (rel, label, sweep) in SETS.items():
        paths = split(name, os.path.join(EVALDATA, rel), args.out)
        for part in ("full", "dev", "test"):
            r = run_eval(args.bin, paths[part], label, None, args.extra)
            row = r["rows"][0]
            chosen = r.get("story_threshold") or float("nan")
            print(
                f"{name + '_' + part:<10} {chosen:>9.3f} {row['clusters']:>8} "
                f"{row['bcubed']['f1']:>6.3f} {row['ari']:>6.3f}"
            )
            if args.sweep:
                s = run_eval(args.bin, paths[part], label, sweep, args.extra)
                cells = " ".join(f"{x['threshold']:.2f}:{x['ari']:.3f}" for x in s["rows"] if x["threshold"])
                print(f"{'':<10} sweep ARI {cells}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
