#!/usr/bin/env python3
"""Side-by-side benchmark of `overlap scan` against Python near-duplicate tools, alternating runs.

What it does
------------
1. Sets up the peers: creates a venv (--venv, default /tmp/overlap-peers-venv) with a
   Python >= 3.12 if it is missing (text-dedup 0.4.1 and the pinned numpy need it; the
   interpreter is --venv-python, else the first of python3.12, python3.13, ... found on
   PATH or under ~/.pyenv/versions), and pip-installs benches/peers/requirements.txt into
   it, unless every pinned version is already installed. A peer whose package cannot be
   imported in the venv afterwards is skipped with a message saying why.
2. Counts the corpus's text bytes once (sum of the UTF-8 lengths of the "text" fields);
   MB/s below is that / 1e6 / wall seconds.
3. Runs, in --runs alternating rounds (round 1: every tool once, round 2: every tool once,
   ...), each under GNU `/usr/bin/time -v` (`apt-get install time`):
     overlap      OVERLAP scan CORPUS --format jsonl --quiet <--overlap-args> -o TMP/overlap.jsonl
     <peer>       VENV/bin/python benches/peers/<peer>_scan.py CORPUS [peer options]
   and records wall time ("Elapsed (wall clock) time"), peak RSS ("Maximum resident set
   size": the largest single process of the tool's process tree, NOT the sum over its
   worker processes -- datatrove and text-dedup run several) and the clusters found
   (overlap: lines of its JSONL report with "type":"cluster"; a peer: the clusters= of
   its `docs=N clusters=C duplicates=D` line).
4. Prints a header (date, nproc, CPU model, memory, Python, every tool's version), every
   run as a row, then a Markdown table per tool: wall median (min-max), MB/s of text at
   the median, peak RSS median, clusters, and the peer/overlap ratios of the medians.
5. Unless --skip-planted: makes the planted-duplicate corpus once with
   ../shared/bench/make_planted.py (--planted-seed), runs every tool once on it (peers with
   --clusters-out, overlap's clusters from its JSONL report), and prints each tool's wall
   time there and its recall of the planted pairs: a pair (copy, source) is found when
   both are in one cluster; its 5-word-shingle Jaccard is recomputed exactly with the
   functions of benches/planted_recall.py (the make_planted.py shingling); the headline
   is the recall of the pairs with Jaccard >= 0.8, then the recall per Jaccard bin.

Peers (--peers, comma-separated; default the first five):
  gaoya              gaoya_scan.py                      (gaoya 0.2.2, Rust core)
  rensa              rensa_scan.py                      (rensa 0.5.0, Rust core)
  datasketch         datasketch_scan.py                 (datasketch 2.0.0, xxh3 hashing)
  datatrove          datatrove_scan.py                  (datatrove 0.10.1, no verification)
  text-dedup         text_dedup_scan.py                 (text-dedup 0.4.1, no verification)
  datasketch-sha1    datasketch_scan.py --hash sha1     (datasketch's default hash)
  text-dedup-verify  text_dedup_scan.py --check-false-positive (exact verification)
Each driver's docstring says exactly what it configures and where it departs from the bench
parameters (5-word shingles of the bench tokens, 128 permutations, threshold 0.8).

Compare only numbers taken in one invocation (background load moves everything), and prefer
the ratios. The run exits non-zero, printing the tool's stderr, if any tool fails.

Usage (from the repository root; standard library only):
    python3 benches/peers/run.py [--corpus ../shared/bench/corpus.jsonl] [--runs 5]
        [--peers gaoya,rensa,datasketch,datatrove,text-dedup] [--venv /tmp/overlap-peers-venv]
        [--venv-python PYTHON] [--overlap target/release/overlap] [--overlap-args "--no-stories"]
        [--planted-seed 7] [--skip-planted] [--tmp DIR]
Without --tmp, the work files live in a temporary directory removed at the end; with --tmp
they are kept there.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "bench"))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")

# distribution -> what its driver needs besides it (pinned in requirements.txt)
DRIVER_NEEDS = {"datasketch": ["xxhash"], "datatrove": ["xxhash", "orjson", "tokenizers", "regex"]}
# name -> (driver script, extra arguments, distribution, import name, takes --tmp)
PEERS = {
    "gaoya": ("gaoya_scan.py", [], "gaoya", "gaoya", False),
    "rensa": ("rensa_scan.py", [], "rensa", "rensa", False),
    "datasketch": ("datasketch_scan.py", [], "datasketch", "datasketch", False),
    "datatrove": ("datatrove_scan.py", [], "datatrove", "datatrove.pipeline.dedup", True),
    "text-dedup": ("text_dedup_scan.py", [], "text-dedup", "text_dedup.minhash", True),
    "datasketch-sha1": ("datasketch_scan.py", ["--hash", "sha1"], "datasketch", "datasketch", False),
    "text-dedup-verify": ("text_dedup_scan.py", ["--check-false-positive"], "text-dedup",
                          "text_dedup.minhash", True),
}
DEFAULT_PEERS = "gaoya,rensa,datasketch,datatrove,text-dedup"
STDERR_TAIL = 80  # lines of a failing tool's stderr to print


def die(msg, code=2):
    print(f"ERROR: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg=""):
    print(msg, flush=True)


# --- environment -------------------------------------------------------------------------
def python_version_of(exe):
    """(major, minor) of a Python interpreter, or None if it does not run."""
    try:
        p = subprocess.run([exe, "-c", "import sys; print(*sys.version_info[:2])"],
                           capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if p.returncode != 0:
        return None
    try:
        major, minor = map(int, p.stdout.split())
    except ValueError:
        return None
    return major, minor


def find_venv_python():
    """First Python >= 3.12 found: this one, python3.1x on PATH, ~/.pyenv/versions/3.1x."""
    cands = [sys.executable]
    for minor in range(12, 20):
        w = shutil.which(f"python3.{minor}")
        if w:
            cands.append(w)
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    cands += sorted(glob.glob(os.path.join(pyenv, "versions", "3.1[2-9]*", "bin", "python3")))
    cands += sorted(glob.glob("/usr/bin/python3.1[2-9]")) + sorted(glob.glob("/usr/local/bin/python3.1[2-9]"))
    for c in cands:
        v = python_version_of(c)
        if v and v >= (3, 12):
            return c
    return None


def pinned_requirements():
    pins = []
    with open(REQUIREMENTS, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
            if m:
                pins.append((m.group(1), m.group(2)))
    return pins


def venv_report(py, peers):
    """Ask the venv which pinned versions are installed and which peers import."""
    code = r"""
import importlib, importlib.metadata as md, json, sys
pins, peers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out = {"python": sys.version.split()[0], "missing": [], "versions": {}, "import_errors": {}}
for name, ver in pins:
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = None
    if have != ver:
        out["missing"].append(f"{name}=={ver} (installed: {have})")
for peer, (dist, mod) in peers.items():
    try:
        out["versions"][peer] = md.version(dist)
    except md.PackageNotFoundError:
        out["versions"][peer] = None
    try:
        importlib.import_module(mod)
    except Exception as e:
        out["import_errors"][peer] = f"{type(e).__name__}: {e}"
print(json.dumps(out))
"""
    p = subprocess.run([py, "-c", code, json.dumps(pinned_requirements()),
                        json.dumps({k: [PEERS[k][2], PEERS[k][3]] for k in peers})],
                       capture_output=True, text=True)
    if p.returncode != 0:
        die(f"cannot inspect the venv's packages with {py}:\n{p.stderr}")
    return json.loads(p.stdout)


def setup_venv(a, peers):
    """Create/fill the venv; return (venv python, report, runnable peers)."""
    py = os.path.join(a.venv, "bin", "python")
    if not os.path.exists(py):
        base = a.venv_python or find_venv_python()
        if base is None:
            base = shutil.which("python3") or sys.executable
            log(f"WARNING: no Python >= 3.12 found; creating the venv with {base}. "
                "text-dedup 0.4.1 and the pinned numpy/scipy need 3.12: pass --venv-python.")
        log(f"# creating venv {a.venv} with {base} (Python {'.'.join(map(str, python_version_of(base) or ()))})")
        p = subprocess.run([base, "-m", "venv", a.venv], capture_output=True, text=True)
        if p.returncode != 0:
            die(f"python -m venv failed:\n{p.stderr}")
    rep = venv_report(py, peers)
    if rep["missing"]:
        log(f"# installing {REQUIREMENTS} into {a.venv} ({len(rep['missing'])} pins not satisfied, "
            f"e.g. {rep['missing'][0]}); this can take a few minutes")
        t0 = time.perf_counter()
        p = subprocess.run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q",
                            "-r", REQUIREMENTS], capture_output=True, text=True)
        if p.returncode != 0:
            tail = "\n".join(p.stderr.strip().splitlines()[-20:])
            log(f"WARNING: pip install -r requirements.txt failed (exit {p.returncode}):\n{tail}\n"
                "# installing each peer on its own instead (its own pin and its driver's needs; "
                "transitive versions then are pip's choice, NOT the pinned ones)")
            pins = {n.lower().replace("_", "-"): f"{n}=={v}" for n, v in pinned_requirements()}
            for dist in sorted({PEERS[x][2] for x in peers}):
                reqs = [pins.get(r, r) for r in [dist] + DRIVER_NEEDS.get(dist, [])]
                q = subprocess.run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", *reqs],
                                   capture_output=True, text=True)
                if q.returncode != 0:
                    last = (q.stderr.strip().splitlines() or ["?"])[-1]
                    log(f"WARNING: cannot install {' '.join(reqs)}: {last}")
        else:
            log(f"# installed in {time.perf_counter() - t0:.0f} s")
        rep = venv_report(py, peers)
        if rep["missing"]:
            log(f"WARNING: still not as pinned: {', '.join(rep['missing'][:10])}"
                f"{' ...' if len(rep['missing']) > 10 else ''}")
    else:
        log(f"# venv {a.venv}: all {len(pinned_requirements())} pinned packages already installed")
    ok = []
    for peer in peers:
        err = rep["import_errors"].get(peer)
        if err:
            log(f"SKIP {peer}: cannot import {PEERS[peer][3]} in {a.venv} ({err})")
        else:
            ok.append(peer)
    return py, rep, ok


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gib():
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def nproc():
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        return len(os.sched_getaffinity(0))


def corpus_stats(path):
    docs = text_bytes = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs += 1
                text_bytes += len((json.loads(line).get("text") or "").encode("utf-8"))
    return docs, text_bytes


# --- running tools -------------------------------------------------------------------------
def parse_time_v(stderr):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", stderr)
    r = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    if not m or not r:
        return None, None
    wall = 0.0
    for part in m.group(1).split(":"):
        wall = wall * 60 + float(part)
    return wall, int(r.group(1)) / 1024.0


def count_overlap_clusters(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if '"type":"cluster"' in line)


def overlap_clusters(path):
    """Member id lists of overlap's clusters, from its JSONL report."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if '"type":"cluster"' in line:
                e = json.loads(line)
                if e.get("type") == "cluster":
                    out.append([m["id"] for m in e["data"]["members"]])
    return out


def read_clusters_file(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Tool:
    def __init__(self, name, version):
        self.name = name
        self.version = version

    def describe(self):
        return f"{self.name} {self.version}"

    def command(self, corpus, tmp, clusters_out=None):
        raise NotImplementedError

    def clusters(self, stdout, tmp):
        raise NotImplementedError


class Overlap(Tool):
    def __init__(self, binary, extra):
        p = subprocess.run([binary, "--version"], capture_output=True, text=True)
        version = p.stdout.strip()
        super().__init__("overlap", version[len("overlap "):] if version.startswith("overlap ") else version or "?")
        self.binary = binary
        self.extra = extra

    def report(self, tmp):
        return os.path.join(tmp, "overlap.jsonl")

    def command(self, corpus, tmp, clusters_out=None):
        return [self.binary, "scan", corpus, "--format", "jsonl", "--quiet", *self.extra,
                "-o", self.report(tmp)]

    def clusters(self, stdout, tmp):
        return count_overlap_clusters(self.report(tmp))


class Peer(Tool):
    def __init__(self, name, version, py):
        super().__init__(name, version)
        self.script, self.extra, _, _, self.takes_tmp = PEERS[name]
        self.py = py

    def describe(self):
        return f"{self.name} {self.version} ({' '.join([self.script] + self.extra)})"

    def command(self, corpus, tmp, clusters_out=None):
        cmd = [self.py, os.path.join(HERE, self.script), corpus, *self.extra]
        if self.takes_tmp:
            cmd += ["--tmp", tmp]
        if clusters_out:
            cmd += ["--clusters-out", clusters_out]
        return cmd

    def clusters(self, stdout, tmp):
        m = re.search(r"^docs=(\d+) clusters=(\d+) duplicates=(\d+)\s*$", stdout, re.M)
        return int(m.group(2)) if m else None


def run_tool(tool, corpus, tmp, clusters_out=None):
    """Run one tool under /usr/bin/time -v; return (wall s, peak RSS MB, clusters)."""
    cmd = ["/usr/bin/time", "-v"] + tool.command(corpus, tmp, clusters_out)
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall, rss = parse_time_v(p.stderr)
    clusters = tool.clusters(p.stdout, tmp) if p.returncode == 0 else None
    if p.returncode != 0 or wall is None or clusters is None:
        own = p.stderr.split("\tCommand being timed:", 1)[0]  # drop GNU time's report
        tail = "\n".join(own.rstrip().splitlines()[-STDERR_TAIL:])
        print(f"\nERROR: {tool.name} failed (exit {p.returncode}): {shlex.join(cmd)}\n"
              f"--- stdout ---\n{p.stdout[-4000:]}\n--- stderr (last {STDERR_TAIL} lines) ---\n{tail}",
              file=sys.stderr)
        sys.exit(1)
    return wall, rss, clusters


def fmt_ratio(r):
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


# --- planted recall -------------------------------------------------------------------------
def planted(a, tools, tmp):
    sys.path.insert(0, os.path.join(REPO, "benches"))
    import planted_recall as pr  # standard library only; its shingling = make_planted.py's

    out = os.path.join(tmp, "planted.jsonl")
    pairs_path = os.path.join(tmp, "planted_pairs.tsv")
    cmd = [sys.executable, a.make_planted, a.corpus, out, pairs_path, "--seed", str(a.planted_seed)]
    log(f"\n## Planted near-duplicates (seed {a.planted_seed})\n\n$ {shlex.join(cmd)}")
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"make_planted.py failed (exit {p.returncode}):\n{p.stderr}", 1)
    log(f"  {p.stdout.strip()}")

    found_by = {}
    rows = []
    for tool in tools:
        cl_path = os.path.join(tmp, f"{tool.name}.planted.clusters.jsonl")
        if isinstance(tool, Overlap):
            wall, rss, n_cl = run_tool(tool, out, tmp)
            clusters = overlap_clusters(tool.report(tmp))
        else:
            wall, rss, n_cl = run_tool(tool, out, tmp, clusters_out=cl_path)
            clusters = read_clusters_file(cl_path)
        cluster_of = {}
        for ci, members in enumerate(clusters):
            for m in members:
                cluster_of[m] = ci
        found_by[tool.name] = cluster_of
        rows.append((tool.name, wall, rss, n_cl))
        log(f"  {tool.name}: {wall:.2f} s, {rss:.0f} MB, {n_cl} clusters")

    # ground truth, with exact Jaccard recomputed
    with open(pairs_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        ci, si = header.index("copy_id"), header.index("source_id")
        raw_pairs = [(r[ci], r[si]) for r in (line.rstrip("\n").split("\t") for line in f) if len(r) > si]
    need = {x for pair in raw_pairs for x in pair}
    texts = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in need:
                texts[d["id"]] = d["text"]
    pairs = [(c, s, pr.jaccard(pr.shingles(texts[c]), pr.shingles(texts[s]))) for c, s in raw_pairs]
    T = 0.8
    above = [q for q in pairs if q[2] >= T]
    per_bin_total = {b: 0 for b in pr.BINS}
    for _, _, j in pairs:
        per_bin_total[pr.bin_of(j)] += 1

    log(f"\n{len(pairs)} planted pairs, {len(above)} with exact jaccard5 >= {T}. A pair is found "
        "when copy and source are in one cluster.\n")
    bins_hdr = " | ".join(f"{pr.bin_label(lo, hi)} (n={per_bin_total[(lo, hi)]})" for lo, hi in pr.BINS)
    log(f"| tool | planted wall s | peak RSS MB | clusters | recall at J>={T} | {bins_hdr} |")
    log("|---|---:|---:|---:|---:|" + "---:|" * len(pr.BINS))
    for name, wall, rss, n_cl in rows:
        cof = found_by[name]

        def found(c, s):
            return c in cof and cof.get(c) == cof.get(s)

        hit = sum(1 for c, s, _ in above if found(c, s))
        per_bin = {b: 0 for b in pr.BINS}
        for c, s, j in pairs:
            per_bin[pr.bin_of(j)] += found(c, s)
        cells = " | ".join(
            f"{100 * per_bin[b] / per_bin_total[b]:.1f}%" if per_bin_total[b] else "n/a" for b in pr.BINS)
        rec = f"{100 * hit / len(above):.1f}% ({hit}/{len(above)})" if above else "n/a"
        log(f"| {name} | {wall:.2f} | {rss:.0f} | {n_cl} | {rec} | {cells} |")


# --- main -------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus.jsonl"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peers", default=DEFAULT_PEERS,
                    help=f"comma-separated, of: {', '.join(PEERS)} (default {DEFAULT_PEERS}); "
                         "empty for overlap alone")
    ap.add_argument("--venv", default="/tmp/overlap-peers-venv")
    ap.add_argument("--venv-python", help="interpreter that creates the venv (default: a Python >= 3.12)")
    ap.add_argument("--overlap", default=os.path.join(REPO, "target", "release", "overlap"))
    ap.add_argument("--overlap-args", default="--no-stories",
                    help="extra arguments of `overlap scan`, one shell-quoted string")
    ap.add_argument("--planted-seed", type=int, default=7)
    ap.add_argument("--skip-planted", action="store_true")
    ap.add_argument("--make-planted", default=os.path.join(SHARED, "make_planted.py"))
    ap.add_argument("--tmp", help="keep work files here (default: a temporary directory, removed)")
    # `--overlap-args "--no-stories"`: argparse would take the value for an option; glue it on.
    argv = list(sys.argv[1:])
    for i in range(len(argv) - 1):
        if argv[i] == "--overlap-args":
            argv[i:i + 2] = [f"--overlap-args={argv[i + 1]}"]
            break
    a = ap.parse_args(argv)

    peers = [p.strip() for p in a.peers.split(",") if p.strip()]
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        die(f"unknown peer(s) {', '.join(unknown)}; known: {', '.join(PEERS)}")
    a.corpus = os.path.abspath(a.corpus)
    a.venv = os.path.abspath(a.venv)
    if not os.path.isfile(a.corpus):
        die(f"corpus not found: {a.corpus}")
    if not (os.path.isfile(a.overlap) and os.access(a.overlap, os.X_OK)):
        die(f"overlap binary not found: {a.overlap} (build it with `cargo build --release`)")
    if not os.access("/usr/bin/time", os.X_OK):
        die("/usr/bin/time not found (GNU time: `apt-get install time`)")
    if not a.skip_planted and not os.path.isfile(a.make_planted):
        die(f"make_planted.py not found: {a.make_planted} (or pass --skip-planted)")
    if a.runs < 1:
        die("--runs must be >= 1")

    cleanup = None
    if a.tmp:
        tmp = os.path.abspath(a.tmp)
        os.makedirs(tmp, exist_ok=True)
    else:
        tmp = cleanup = tempfile.mkdtemp(prefix="overlap-peers-")
    try:
        bench(a, peers, tmp)
    finally:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
    return 0


def bench(a, peers, tmp):
    log("# overlap vs Python peers, side by side\n")
    py, rep, peers = setup_venv(a, peers) if peers else (None, {"python": "-", "versions": {}}, [])
    tools = [Overlap(os.path.abspath(a.overlap), shlex.split(a.overlap_args))]
    tools += [Peer(p, rep["versions"].get(p) or "?", py) for p in peers]

    t0 = time.perf_counter()
    docs, text_bytes = corpus_stats(a.corpus)
    text_mb = text_bytes / 1e6
    log(f"\n- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    log(f"- machine: nproc {nproc()}, CPU {cpu_model()}, memory {mem_total_gib():.1f} GiB, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    log(f"- Python: harness {platform.python_version()}, peers' venv {rep['python']} ({a.venv})")
    log("- tools: " + ", ".join(t.describe() for t in tools))
    log(f"- corpus: {a.corpus}: {docs} documents, {text_mb:.1f} MB of text "
        f"(counted in {time.perf_counter() - t0:.1f} s)")
    log(f"- runs: {a.runs} alternating rounds; work files in {tmp}")
    log("- peak RSS = the largest single process of a tool (datatrove and text-dedup also run "
        "worker processes, not added)")
    log("")
    for t in tools:
        log(f"    {t.name}: /usr/bin/time -v {shlex.join(t.command(a.corpus, tmp))}")

    results = {t.name: [] for t in tools}
    log("\n| round | tool | wall s | peak RSS MB | clusters | load1 |\n|---:|---|---:|---:|---:|---:|")
    for r in range(1, a.runs + 1):
        for t in tools:
            load = os.getloadavg()[0]
            wall, rss, clusters = run_tool(t, a.corpus, tmp)
            results[t.name].append((wall, rss, clusters))
            log(f"| {r} | {t.name} | {wall:.2f} | {rss:.0f} | {clusters} | {load:.2f} |")

    log("\n| tool | wall s median (min-max) | MB/s | peak RSS MB median | clusters "
        "| wall vs overlap | RSS vs overlap |\n|---|---:|---:|---:|---:|---:|---:|")
    med = {}
    for t in tools:
        runs = results[t.name]
        w = [x[0] for x in runs]
        m = [x[1] for x in runs]
        med[t.name] = (statistics.median(w), statistics.median(m))
    ow, om = med["overlap"]
    for t in tools:
        runs = results[t.name]
        w = [x[0] for x in runs]
        cl = "/".join(map(str, sorted({x[2] for x in runs})))
        mw, mm = med[t.name]
        mbs = f"{text_mb / mw:.1f}" if mw > 0 else "inf"
        rw = fmt_ratio(mw / ow) if ow > 0 else "n/a"
        rm = fmt_ratio(mm / om) if om > 0 else "n/a"
        log(f"| {t.name} {t.version} | {mw:.2f} ({min(w):.2f}-{max(w):.2f}) | {mbs} | {mm:.0f} | {cl} "
            f"| {rw} | {rm} |")

    if not a.skip_planted:
        planted(a, tools, tmp)


if __name__ == "__main__":
    sys.exit(main())
