#!/usr/bin/env python3
"""Peer baseline: near-duplicate clusters of a JSONL corpus with text-dedup's MinHash pipeline.

Runs text-dedup 0.4.1 (https://pypi.org/project/text-dedup/, Python >= 3.12; Hugging Face
`datasets` + numpy + polars) the way its users do: a TOML configuration loaded with
text_dedup.config.base.load_config_from_toml and the module's own entry point
text_dedup.minhash.main(config) -- load the JSONL with `datasets`, filter, fingerprint
(MinHash + band hashes, `num_proc` worker processes), cluster (polars group-by on the band
hashes + polars-grouper connected components), optionally verify, then filter the dataset
and save it with save_to_disk, plus clusters.pickle (save_clusters). Prints one line:

    docs=N clusters=C duplicates=D

C = clusters of size >= 2 in text-dedup's saved cluster assignment; D = sum of (size - 1).
With --clusters-out FILE, also writes one JSON list of document ids per line, one line per
cluster of size >= 2. text-dedup's own log (rich) goes to stderr.

Configuration ([algorithm] of the TOML; everything in a temporary directory under --tmp,
removed at the end unless --keep-tmp):
- ngram_size = 5, min_length = 1: text-dedup lowercases the text and splits it on
  regex r"\\W" (the `regex` module), keeps the non-empty pieces, and hashes the 5-word
  shingles joined by one space; a document with 1..4 tokens is one shingle (its
  ngrams() returns the whole token tuple); a document with no token is filtered out.
  DIFFERENCE from the bench tokens [^\\W_]+: text-dedup's tokens are runs of \\w, so an
  underscore joins words ("comp_sys" is one token, the bench has two); it changes the
  shingles of ~3,300 documents of the bench corpus (mostly newsgroup headers). text-dedup
  has no option to change its tokenizer; the text is passed as is;
- num_perm = 128, threshold = 0.8, hash_func_name = "xxh3" (its default), hash_bits = 64
  (its default: 32-bit hashes permuted modulo the Mersenne prime 2^61-1), seed 42;
- bands x rows = 16 x 8 (all 128 values; the configuration of the bench README's figures,
  878 clusters). text-dedup's own choice for 0.8 / 128 (--own-banding: its optimal_param,
  taken from datasketch) is 9 bands x 13 rows, which makes a pair of Jaccard 0.8 a
  candidate with only ~40% chance (568 clusters on the bench corpus, unverified);
  --bands/--rows set any other;
- check_false_positive = false (default here: NO verification, every band collision
  joins a cluster, so clusters include pairs far below 0.8); --check-false-positive turns
  on text-dedup's exact verification (exact Jaccard of its own shingle sets for every
  pair inside each candidate cluster, >= 0.8);
- num_proc = --num-proc (default: all cores, text-dedup's default);
- output: the deduplicated dataset is saved with `datasets`' save_to_disk (that is the
  pipeline's product; it is part of the measured time), clusters.pickle for the clusters;
- the Hugging Face datasets cache (the JSONL -> Arrow conversion and every map/filter
  result) goes to the temporary directory, so every run starts cold and runs never reuse
  one another's cache; HF_HUB_OFFLINE=1 (no network).
On the bench corpus: 878 clusters unverified, 567 with --check-false-positive (bench
README: 878 / 567); planted recall at exact J >= 0.8 (seed 7): 98.3% / 97.5% (README:
99% / 98.5%).

Usage (in a Python >= 3.12 venv with text-dedup==0.4.1, see requirements.txt):
    python benches/peers/text_dedup_scan.py CORPUS [--clusters-out FILE] [--threshold 0.8]
        [--num-perm 128] [--bands 16 --rows 8 | --own-banding] [--check-false-positive]
        [--num-proc P] [--tmp DIR] [--keep-tmp]
"""
import contextlib
import json
import os
import pickle
import sys
import tempfile
import time

from common import peer_arguments, remove_work, report


def toml_str(s):
    return json.dumps(s)  # a JSON string literal is a valid TOML basic string


def main():
    ap = peer_arguments(__doc__.split("\n")[0])
    ap.add_argument("--bands", type=int, default=16, help="LSH bands (default 16)")
    ap.add_argument("--rows", type=int, default=8, help="LSH rows per band (default 8)")
    ap.add_argument("--own-banding", action="store_true",
                    help="text-dedup's own banding for the threshold (9 x 13 at 0.8 / 128)")
    ap.add_argument("--check-false-positive", action="store_true",
                    help="text-dedup's exact verification of candidate pairs")
    ap.add_argument("--num-proc", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--tmp", default=None, help="parent of the temporary work directory")
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--timings", action="store_true", help="total seconds on stderr")
    a = ap.parse_args()

    corpus = os.path.abspath(a.corpus)
    work = tempfile.mkdtemp(prefix="text-dedup-", dir=a.tmp)
    os.environ["HF_DATASETS_CACHE"] = os.path.join(work, "hf-cache")
    os.environ["HF_HOME"] = os.path.join(work, "hf-home")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ.setdefault("TQDM_DISABLE", "1")
    out_dir = os.path.join(work, "output")
    banding = "" if a.own_banding else f"bands = {a.bands}\nrows = {a.rows}\n"
    config_toml = f"""
[input]
input_type = "local_files"
file_type = "json"

[input.read_arguments]
path = "json"
data_files = {toml_str(corpus)}
split = "train"

[algorithm]
algorithm_name = "minhash"
text_column = "text"
seed = 42
num_perm = {a.num_perm}
threshold = {a.threshold}
ngram_size = 5
min_length = 1
hash_func_name = "xxh3"
hash_bits = 64
{banding}check_false_positive = {str(a.check_false_positive).lower()}
num_proc = {a.num_proc}

[output]
output_dir = {toml_str(out_dir)}
save_clusters = true
keep_index_column = true
clean_cache = false

[debug]
enable_profiling = false
"""
    config_path = os.path.join(work, "config.toml")
    with open(config_path, "w", encoding="utf-8") as f:
        f.write(config_toml)

    t0 = time.perf_counter()
    try:
        # text-dedup logs through rich to stdout: keep stdout for our one result line.
        with contextlib.redirect_stdout(sys.stderr):
            from text_dedup.config.base import load_config_from_toml
            from text_dedup.minhash import main as minhash_main
            config = load_config_from_toml(config_path)
            algo = config.algorithm
            print(f"# text-dedup minhash: bands x rows = {algo.bands} x {algo.rows}, "
                  f"num_perm={algo.num_perm}, ngram_size={algo.ngram_size}, "
                  f"min_length={algo.min_length}, hash={algo.hash_func_name}/{algo.hash_bits}, "
                  f"check_false_positive={algo.check_false_positive}, num_proc={algo.num_proc}")
            minhash_main(config)
        with open(os.path.join(out_dir, "clusters.pickle"), "rb") as f:
            assignment = pickle.load(f)  # internal index (0-based line number) -> cluster
        t1 = time.perf_counter()

        groups = {}
        for idx, c in assignment.items():
            groups.setdefault(c, []).append(int(idx))
        clusters = [sorted(m) for m in groups.values() if len(m) >= 2]

        n = 0
        ids = []
        with open(corpus, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                if a.clusters_out:
                    ids.append(json.loads(line).get("id", str(n)))
                n += 1
        report(n, clusters, a.clusters_out, ids.__getitem__)
        if a.timings:
            print(f"# pipeline {t1 - t0:.2f}s total {time.perf_counter() - t0:.2f}s", file=sys.stderr)
    finally:
        remove_work(work, a.keep_tmp)


if __name__ == "__main__":
    main()
