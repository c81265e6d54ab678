#!/usr/bin/env python3
"""Peer baseline: near-duplicate clusters of a JSONL corpus with rensa's MinHash LSH.

Reads a JSONL corpus (one {"id": ..., "text": ...} object a line), finds near-duplicate
clusters with rensa 0.5.0 (https://pypi.org/project/rensa/, Rust core) and prints one line:

    docs=N clusters=C duplicates=D

C = connected components of size >= 2 of the "query returned it and the pair passed
rensa's similarity check" graph (union-find); D = sum over clusters of (size - 1).
With --clusters-out FILE, also writes one JSON list of document ids per line, one line per
cluster of size >= 2.

Configuration (same parameters as the bench, ../shared/bench/README.md):
- tokens: lowercased text, tokens = re.findall(r"[^\\W_]+") (ASCII fast path with
  identical output, as in gaoya_scan.py); 5-word shingles joined by one space; a document
  with 1..4 tokens is one shingle; a document with no token is never clustered;
- MinHash: rensa's RMinHash (its recommended "R-MinHash"), 128 permutations, seed 42,
  built in bulk in Rust with RMinHash.from_token_sets (rensa hashes the shingle strings
  itself), in batches of --batch documents so that the shingle strings of the whole
  corpus are never held at once (lower peak RSS than building everything in one call;
  same signatures);
- LSH: RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16), i.e. 16 bands x 8 rows
  (rensa requires the bands to divide num_perm; 16 x 8 is the banding of rensa's own
  examples); candidates from query_all;
- verification: a candidate pair is kept when rensa's `is_similar` says so, i.e. the
  SIGNATURE-ESTIMATED Jaccard >= 0.8 (no exact verification: this loses pairs whose true
  Jaccard is just above 0.8 and keeps some just below);
- union-find over the kept pairs.
Differences from the bench parameters: the banding (16 x 8 instead of overlap's 21 x 6)
and the verification against the signature estimate instead of the exact shingle Jaccard.
On the bench corpus: 573 clusters (bench README: 573); planted recall at exact J >= 0.8
(seed 7): 82.1% (README: 82%).

Usage (in a venv with rensa==0.5.0, see requirements.txt):
    python benches/peers/rensa_scan.py CORPUS [--clusters-out FILE] [--threshold 0.8]
        [--num-perm 128] [--bands 16] [--batch 4096] [--timings]
"""
import sys
import time

from rensa import RMinHash, RMinHashLSH

from common import (bench_tokens, components, peer_arguments, read_documents, report,
                    shingle_list, union)







def main():
    ap = peer_arguments(__doc__.split("\n")[0])
    ap.add_argument("--bands", type=int, default=16, help="LSH bands (must divide --num-perm)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch", type=int, default=4096, help="documents per MinHash batch")
    ap.add_argument("--timings", action="store_true", help="per-phase seconds on stderr")
    a = ap.parse_args()

    t0 = time.perf_counter()
    lsh = RMinHashLSH(a.threshold, a.num_perm, a.bands)
    ids = []
    keys = []        # document index of each inserted signature
    minhashes = []   # RMinHash of each inserted document
    batch_keys, batch_sets = [], []
    t_sig = 0.0

    def flush():
        nonlocal t_sig
        ts = time.perf_counter()
        mhs = RMinHash.from_token_sets(batch_sets, a.num_perm, a.seed)
        lsh.insert_pairs(list(zip(batch_keys, mhs)))
        minhashes.extend(mhs)
        keys.extend(batch_keys)
        batch_keys.clear()
        batch_sets.clear()
        t_sig += time.perf_counter() - ts

    for i, text in read_documents(a.corpus, ids):
        toks = bench_tokens(text)
        if not toks:
            continue
        batch_keys.append(i)
        batch_sets.append(shingle_list(toks))
        if len(batch_keys) >= a.batch:
            flush()
    if batch_keys:
        flush()
    t1 = time.perf_counter()

    n = len(ids)
    parent = list(range(n))
    pos = {k: p for p, k in enumerate(keys)}
    candidates = lsh.query_all(minhashes) if minhashes else []
    for p, cands in enumerate(candidates):
        i = keys[p]
        mi = minhashes[p]
        for j in cands:
            if j <= i:
                continue
            if not lsh.is_similar(mi, minhashes[pos[j]]):
                continue
            union(parent, i, j)
    t2 = time.perf_counter()

    clusters = components(parent)
    report(n, clusters, a.clusters_out, ids.__getitem__)
    if a.timings:
        print(f"# read+tokenize+shingle {t1 - t0 - t_sig:.2f}s minhash+insert {t_sig:.2f}s "
              f"query+verify+union {t2 - t1:.2f}s total {time.perf_counter() - t0:.2f}s",
              file=sys.stderr)


if __name__ == "__main__":
    main()
