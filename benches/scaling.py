#!/usr/bin/env python3
"""Scaling benchmark: how `overlap scan` time and memory grow with the corpus size.

What it measures
----------------
It scans 1x, 2x, 4x and 8x the bench corpus (../shared/bench/corpus.jsonl, 40,423
documents, 53.4 MB of text) and reports, per factor, the wall clock time and peak
resident memory of the whole `overlap` process, per document and in total, and from
them how close to linear the time is and how much memory 10 million documents of
this corpus's mean size would need.

How the k-x corpus is built
---------------------------
"Concatenate with fresh ids" -- but plain copies would be byte-identical to each
other, so every document of copies 2..k would take the scan's cheap exact-copy path
(hash lookup, no MinHash candidates) and the benchmark would understate the cost of
new documents. Instead copy c = 0..k-1 is a Caesar shift of the original by c
letters: every ASCII letter moves c places along the alphabet, case kept (a-z and
A-Z only; 'a' -> 'b' -> ... 'z' -> 'a'), while digits, punctuation, whitespace and
non-ASCII characters stay as they are. Copy 0 is the original. The shift is a
bijection that keeps every token boundary and token length, so each copy has the
same internal structure as the original (the same exact and near-duplicate groups,
the same amount of work per document), but its words differ from those of every
other copy, so copies do not match one another. Ids become f"c{c}-{id}"; other
fields are kept. Factors above 26 are refused (copy 26 would equal copy 0).

Because the copies are independent, every copy must find what the original finds,
and no cluster may mix copies. The script checks this from each run's clusters and
fails loudly if it does not hold: exact and near-duplicate links must equal the
original's; contained links may differ by CONTAINED_SLACK (1%), because a shifted
copy's words hash differently, like a scan with another --seed, and which shingles
are sampled for containment candidates depends on the hashes (on the bench corpus
that moves its 1,070 contained links by about +-2). A table per copy is printed.

How it runs
-----------
Each corpus is written once to a temporary folder (--tmp DIR keeps it there;
the default is a TemporaryDirectory removed at the end). Then, --runs times, it runs

    /usr/bin/time -v OVERLAP scan CORPUS --no-stories --format json -q -o OUT [--overlap-args]

once per factor, alternating factors within each round (round 1: 1x, 2x, 4x, 8x;
round 2: the same ...) so that load on the shared machine spreads over all factors.
It records "Elapsed (wall clock) time" and "Maximum resident set size" (KB) from
GNU time (written to a separate file with time's -o, so overlap's stderr stays
apart). --stories drops the --no-stories flag so the story stage is timed too.

Output: a header (date UTC, nproc, CPU model, MemTotal, `overlap --version`), a
Markdown table (factor, documents, text MB, wall s median (min-max), µs per
document, peak RSS MB median, KB RSS per document, clusters), then:
  - time per document ratio largest/smallest factor (8x/1x by default; 1.0 = linear);
  - marginal RSS per added document = (RSS(max) - RSS(min)) / (docs(max) - docs(min)),
    in bytes (medians of the runs);
  - "10 million documents of this corpus's mean size need about X GiB"
    = RSS(min) + marginal x (10e6 - docs(min)), and whether that is under 24 GiB.
It exits 1 if any run fails (its stderr is printed) or if the cluster/duplicate
counts do not scale exactly. Standard library only.

Usage
-----
    python3 benches/scaling.py [--factors 1,2,4,8] [--runs 3] [--overlap target/release/overlap] [--overlap-args "..."] [--stories] [--tmp DIR]

Paths are relative to the repository root (the parent of this script's folder)
when not absolute; the corpus is <repo>/../shared/bench/corpus.jsonl (--corpus to
change it; it is only read).
"""
import argparse
import datetime
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "bench", "corpus.jsonl")
CONTAINED_SLACK = 0.01
TARGET_DOCS = 10_000_000
LIMIT_GIB = 24


def repo_path(p):
    return p if os.path.isabs(p) else os.path.join(REPO, p)


def shift_table(c):
    """str.translate table moving every ASCII letter c places, case kept."""
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    c %= 26
    return str.maketrans(lower + upper, lower[c:] + lower[:c] + upper[c:] + upper[:c])


def load_corpus(path):
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if not isinstance(rec, dict) or "id" not in rec or not isinstance(rec.get("text"), str):
                sys.exit(f"{path}:{n}: expected an object with \"id\" and a string \"text\"")
            records.append(rec)
    return records


def write_corpus(records, k, path):
    """Write k Caesar-shifted copies; return the text bytes written (UTF-8)."""
    text_bytes = 0
    with open(path, "w", encoding="utf-8") as out:
        for c in range(k):
            table = shift_table(c)
            for rec in records:
                new = dict(rec)
                new["id"] = f"c{c}-{rec['id']}"
                new["text"] = rec["text"].translate(table) if c else rec["text"]
                text_bytes += len(new["text"].encode("utf-8"))
                out.write(json.dumps(new, ensure_ascii=False))
                out.write("\n")
    return text_bytes


def copy_stats(result, k):
    """(clusters mixing copies, {copy: counts}) from a scan's JSON output."""
    mixed = 0
    copies = {c: dict(clusters=0, duplicates=0, exact=0, near=0, contained=0) for c in range(k)}
    for cl in result["clusters"]:
        tags = {str(m["id"]).split("-", 1)[0] for m in cl["members"]}
        if len(tags) != 1:
            mixed += 1
            continue
        tag = tags.pop()
        c = int(tag[1:]) if tag[:1] == "c" and tag[1:].isdigit() else -1
        v = copies.setdefault(c, dict(clusters=0, duplicates=0, exact=0, near=0, contained=0))
        v["clusters"] += 1
        for m in cl["members"]:
            if "match" in m:
                v["duplicates"] += 1
                kind = m["match"]["kind"]
                v[kind] = v.get(kind, 0) + 1
    return mixed, copies


def parse_elapsed(s):
    """GNU time's wall clock: h:mm:ss or m:ss.ss -> seconds."""
    secs = 0.0
    for part in s.strip().split(":"):
        secs = secs * 60 + float(part)
    return secs


def parse_time_v(path):
    wall = rss = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                wall = parse_elapsed(line.rsplit(" ", 1)[1])
            elif line.startswith("Maximum resident set size"):
                rss = int(line.rsplit(" ", 1)[1])
    if wall is None or rss is None:
        raise ValueError(f"no wall clock / max RSS in {path}")
    return wall, rss


def header(overlap):
    lines = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines.append(f"date: {now}")
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    lines.append(f"nproc: {nproc}")
    cpu = mem = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    kb = int(line.split()[1])
                    mem = f"{kb} kB ({kb / 2**20:.1f} GiB)"
                    break
    except OSError:
        pass
    lines.append(f"cpu: {cpu}")
    lines.append(f"MemTotal: {mem}")
    v = subprocess.run([overlap, "--version"], capture_output=True, text=True)
    lines.append(f"overlap --version: {(v.stdout or v.stderr).strip()}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--factors", default="1,2,4,8", help="corpus multiples (default 1,2,4,8)")
    ap.add_argument("--runs", type=int, default=3, help="runs per factor (default 3)")
    ap.add_argument("--overlap", default="target/release/overlap", help="overlap binary")
    ap.add_argument("--overlap-args", default="", help="extra flags appended to the scan")
    ap.add_argument("--stories", action="store_true", help="drop --no-stories (time the story stage)")
    ap.add_argument("--tmp", help="keep the corpora and outputs in DIR (default: temporary, removed)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="base corpus (read only)")
    # Let `--overlap-args "--flag"` through: argparse would take "--flag" for an option.
    argv = sys.argv[1:]
    for i in range(len(argv) - 1):
        if argv[i] == "--overlap-args":
            argv[i:i + 2] = [f"--overlap-args={argv[i + 1]}"]
            break
    args = ap.parse_args(argv)

    try:
        factors = [int(x) for x in args.factors.split(",") if x.strip()]
    except ValueError:
        sys.exit(f"--factors: expected comma-separated integers, got {args.factors!r}")
    if not factors or any(f < 1 or f > 26 for f in factors) or len(set(factors)) != len(factors):
        sys.exit("--factors: distinct integers from 1 to 26 (a shift of 26 would repeat copy 0)")
    factors.sort()
    if args.runs < 1:
        sys.exit("--runs: at least 1")
    overlap = repo_path(args.overlap)
    if not os.access(overlap, os.X_OK):
        sys.exit(f"{overlap}: not found or not executable (cargo build --release)")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("/usr/bin/time (GNU time) is needed for -v")
    corpus = repo_path(args.corpus)

    print(header(overlap))
    print(f"corpus: {os.path.normpath(corpus)}")
    extra = shlex.split(args.overlap_args)
    base_flags = ([] if args.stories else ["--no-stories"]) + ["--format", "json", "-q"]
    print(f"command: overlap scan CORPUS {' '.join(base_flags)} -o OUT {' '.join(extra)}".rstrip())
    print(f"runs per factor: {args.runs}")
    print()
    sys.stdout.flush()

    tmpobj = None
    if args.tmp:
        tmpdir = os.path.abspath(args.tmp)
        os.makedirs(tmpdir, exist_ok=True)
    else:
        tmpobj = tempfile.TemporaryDirectory(prefix="overlap-scaling-")
        tmpdir = tmpobj.name
    try:
        return run(args, factors, overlap, corpus, tmpdir, base_flags, extra)
    finally:
        if tmpobj is not None:
            tmpobj.cleanup()


def run(args, factors, overlap, corpus, tmpdir, base_flags, extra):
    records = load_corpus(corpus)
    paths, text_bytes = {}, {}
    for k in factors:
        paths[k] = os.path.join(tmpdir, f"corpus-{k}x.jsonl")
        print(f"writing {k}x corpus ({k * len(records)} records) -> {paths[k]}", file=sys.stderr)
        text_bytes[k] = write_corpus(records, k, paths[k])
    del records

    walls = {k: [] for k in factors}
    rsss = {k: [] for k in factors}
    summaries = {k: [] for k in factors}
    per_copy = {}
    for r in range(1, args.runs + 1):
        for k in factors:
            out = os.path.join(tmpdir, f"out-{k}x.json")
            tfile = os.path.join(tmpdir, f"time-{k}x.txt")
            cmd = (["/usr/bin/time", "-v", "-o", tfile, overlap, "scan", paths[k]]
                   + base_flags + ["-o", out] + extra)
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace")
            if p.returncode != 0:
                print(f"\nFAILED: run {r}, {k}x: exit {p.returncode}: {shlex.join(cmd)}", file=sys.stderr)
                print("--- stderr ---", file=sys.stderr)
                print(p.stderr.rstrip(), file=sys.stderr)
                if os.path.exists(tfile):
                    print("--- /usr/bin/time -v ---", file=sys.stderr)
                    with open(tfile, errors="replace") as f:
                        print(f.read().rstrip(), file=sys.stderr)
                return 1
            wall, rss = parse_time_v(tfile)
            with open(out, encoding="utf-8") as f:
                result = json.load(f)
            summary = result["summary"]
            if r == args.runs:
                per_copy[k] = copy_stats(result, k)
            del result
            walls[k].append(wall)
            rsss[k].append(rss)
            summaries[k].append(summary)
            print(f"run {r}/{args.runs} {k}x: {wall:.2f} s, {rss / 1024:.0f} MB, "
                  f"{summary['clusters']} clusters, {summary['duplicates']} duplicates",
                  file=sys.stderr)

    # Results: documents, clusters, duplicates must agree between runs of a factor.
    errors = []
    res = {}
    for k in factors:
        keys = {(s["documents"], s["clusters"], s["duplicates"]) for s in summaries[k]}
        if len(keys) != 1:
            errors.append(f"{k}x: runs disagree on (documents, clusters, duplicates): {sorted(keys)}")
        docs, clusters, dups = summaries[k][0]["documents"], summaries[k][0]["clusters"], summaries[k][0]["duplicates"]
        res[k] = dict(docs=docs, clusters=clusters, dups=dups,
                      wall=statistics.median(walls[k]), wmin=min(walls[k]), wmax=max(walls[k]),
                      rss_kb=statistics.median(rsss[k]))

    print("| factor | documents | text MB | wall s median (min-max) | µs per document "
          "| peak RSS MB median | KB RSS per document | clusters |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    for k in factors:
        d = res[k]
        print(f"| {k}x | {d['docs']:,} | {text_bytes[k] / 1e6:.1f} "
              f"| {d['wall']:.2f} ({d['wmin']:.2f}-{d['wmax']:.2f}) "
              f"| {d['wall'] / d['docs'] * 1e6:.1f} | {d['rss_kb'] / 1024:.0f} "
              f"| {d['rss_kb'] / d['docs']:.2f} | {d['clusters']:,} |")
    print()

    lo, hi = factors[0], factors[-1]
    a, b = res[lo], res[hi]
    if hi != lo:
        ratio = (b["wall"] / b["docs"]) / (a["wall"] / a["docs"])
        print(f"time per document ratio {hi}x/{lo}x: {ratio:.2f} (linearity: 1.0 = perfectly linear)")
        marginal = (b["rss_kb"] - a["rss_kb"]) * 1024 / (b["docs"] - a["docs"])
        print(f"marginal RSS per added document: {marginal:,.0f} bytes "
              f"(peak RSS {hi}x - {lo}x over {b['docs'] - a['docs']:,} added documents)")
        need = a["rss_kb"] * 1024 + marginal * (TARGET_DOCS - a["docs"])
        gib = need / 2**30
        mean_kb = text_bytes[lo] / a["docs"] / 1000
        verdict = "under" if gib < LIMIT_GIB else "NOT under"
        print(f"10 million documents of this corpus's mean size ({mean_kb:.2f} KB of text) "
              f"need about {gib:.1f} GiB: {verdict} {LIMIT_GIB} GiB")
    else:
        print("(one factor only: no linearity ratio, marginal RSS or extrapolation)")

    # Independent copies: no cluster may mix copies, and every copy must find what the
    # original finds. Exact and near-duplicate links must match exactly. Contained links may
    # differ by a few: which shingles are sampled depends on their hashes, and a shifted copy
    # hashes differently, as a scan with another --seed would (that moves the bench corpus's
    # 1,070 contained links by about +-2); CONTAINED_SLACK bounds the difference.
    base = per_copy[lo][1][0]
    for k in factors:
        d = res[k]
        if d["docs"] * lo != a["docs"] * k:
            errors.append(f"{k}x: {d['docs']} documents, expected {a['docs'] * k // lo}")
        mixed, copies = per_copy[k]
        if mixed:
            errors.append(f"{k}x: {mixed} clusters mix documents of different copies")
        for c, v in sorted(copies.items()):
            for kind in ("exact", "near"):
                if v[kind] != base[kind]:
                    errors.append(f"{k}x copy {c}: {v[kind]} {kind} links, the original has {base[kind]}")
            slack = max(1, round(CONTAINED_SLACK * base["contained"]))
            if abs(v["contained"] - base["contained"]) > slack:
                errors.append(f"{k}x copy {c}: {v['contained']} contained links, the original has "
                              f"{base['contained']} (allowed +-{slack})")
    print()
    print("Per copy (last run of each factor): clusters, duplicates, and links by kind exact/near/contained:")
    for k in factors:
        mixed, copies = per_copy[k]
        cells = "; ".join(f"c{c}: {v['clusters']} cl, {v['duplicates']} dup "
                          f"({v['exact']}/{v['near']}/{v['contained']})"
                          for c, v in sorted(copies.items()))
        print(f"  {k}x: {mixed} cross-copy clusters; {cells}")
    print()
    if errors:
        print("FAIL: the copies are independent, so each must find what the original finds:")
        for e in errors:
            print(f"  {e}")
        return 1
    print(f"PASS: no cross-copy clusters; every copy has the original's {base['exact']} exact and "
          f"{base['near']} near links, and its {base['contained']} contained links within "
          f"{CONTAINED_SLACK:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
