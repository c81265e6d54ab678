#!/usr/bin/env python3
"""Peer baseline: near-duplicate clusters of a JSONL corpus with gaoya's MinHash LSH.

Reads a JSONL corpus (one {"id": ..., "text": ...} object a line), finds near-duplicate
clusters with gaoya (https://pypi.org/project/gaoya/, Rust core) and prints one line:

    docs=N clusters=C duplicates=D

C = connected components of size >= 2 of the "query returned it" graph (union-find);
D = documents a dedup would drop, the sum over clusters of (size - 1).
With --clusters-out FILE, also writes one JSON list of document ids ("id" of each JSONL
object) per line, one line per cluster of size >= 2 (ids are only kept with this option).

Same parameters as the bench (../shared/bench/README.md) and as `overlap scan` defaults:
- tokens: lowercased text, tokens = re.findall(r"[^\\W_]+") (maximal runs of Unicode
  alphanumerics); 5-word shingles; a document with 1..4 tokens is one shingle; a document
  with no token is never clustered;
- MinHash with 32-bit hashes, 128 permutations asked for at Jaccard threshold 0.8: gaoya
  picks (bands, rows) from the threshold (its `calculate_minhash_params`), which gives
  21 bands x 6 rows = 126 hashes, the same banding `overlap` chooses for 0.8 / 128;
  `--bands/--rows` override it;
- gaoya's query keeps only candidates whose signature-estimated Jaccard is >= threshold
  (no exact verification);
- fastest configuration gaoya offers: documents of >= 5 tokens go through gaoya's own
  Rust whitespace tokenizer and 5-shingler (par_bulk_insert_docs / par_bulk_query, rayon
  threads on every core) after Python joins the bench tokens with single spaces, so the
  shingles are exactly the bench's; the few 1..4-token documents are inserted as one
  token each (gaoya's shingler gives them no shingle at all, which would make them all
  "identical");
- Python-side tokenization takes an ASCII fast path (bytes.translate + split, identical
  tokens to the regex, checked on the whole bench corpus) and the regex otherwise, so the
  driver costs gaoya as little as it can; smallvec buckets (gaoya's smallest, fastest here).

`--native` instead feeds gaoya the raw text with its own analyzer (lowercase=True,
whitespace words, 5-shingles): faster, but NOT the bench tokenization (punctuation stays
attached to words, and every document of < 5 words gets the same empty signature).
Informational only.

Setup (outside the repository), standard library + gaoya only:
    python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install gaoya==0.2.2
Run:
    /tmp/peers-venv/bin/python benches/peers/gaoya_scan.py ../shared/bench/corpus.jsonl
    /usr/bin/time -v /tmp/peers-venv/bin/python benches/peers/gaoya_scan.py CORPUS  # wall, RSS
Options: --threshold 0.8 --num-perm 128 [--bands B --rows R] [--id-container set|vec|smallvec]
         [--native] [--clusters-out FILE] [--timings] (per-phase seconds on stderr)
"""
import json
import sys
import time

from gaoya.minhash import MinHashStringIndex

from common import K, bench_tokens, components, find, peer_arguments, report


def main():
    ap = peer_arguments(__doc__.split("\n")[0])
    ap.add_argument("--bands", type=int, help="LSH bands (with --rows; default: gaoya's choice)")
    ap.add_argument("--rows", type=int, help="LSH rows per band (with --bands)")
    ap.add_argument("--hash-size", type=int, default=32, choices=(16, 32, 64))
    ap.add_argument("--id-container", default="smallvec", choices=("set", "vec", "smallvec"),
                    help="gaoya bucket type (default smallvec: its fastest and smallest here)")
    ap.add_argument("--native", action="store_true",
                    help="gaoya's own lowercase + whitespace tokenizer on the raw text (not the bench's)")
    ap.add_argument("--timings", action="store_true", help="per-phase seconds on stderr")
    a = ap.parse_args()
    if (a.bands is None) != (a.rows is None):
        ap.error("--bands and --rows go together")

    t0 = time.perf_counter()
    index = MinHashStringIndex(
        hash_size=a.hash_size,
        jaccard_threshold=a.threshold,
        num_bands=a.bands,
        band_size=a.rows,
        num_hashes=None if a.bands else a.num_perm,
        analyzer="word",
        lowercase=a.native,
        ngram_range=(K, K),
        id_container=a.id_container,
    )
    raw = index.minhash_index  # the Rust index; its *_tokens methods take pre-made features

    n = 0
    doc_ids = [] if a.clusters_out else None  # JSONL "id" of each document, only when asked
    long_ids, long_docs = [], []    # >= K tokens: gaoya shingles them
    short_ids, short_feats = [], []  # 1..K-1 tokens: one shingle
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            text = d.get("text") or ""
            i = n
            if doc_ids is not None:
                doc_ids.append(d.get("id", str(i)))
            n += 1
            if a.native:
                long_ids.append(i)
                long_docs.append(text)
                continue
            toks = bench_tokens(text)
            if len(toks) >= K:
                long_ids.append(i)
                long_docs.append(" ".join(toks))
            elif toks:
                short_ids.append(i)
                short_feats.append([" ".join(toks)])
    t1 = time.perf_counter()

    index.par_bulk_insert_docs(long_ids, long_docs)
    if short_ids:
        raw.par_bulk_insert_tokens(short_ids, short_feats)
    t2 = time.perf_counter()

    parent = list(range(n))
    for ids, hits in ((long_ids, index.par_bulk_query(long_docs)),
                      (short_ids, raw.par_bulk_query_tokens(short_feats) if short_ids else [])):
        for i, nbrs in zip(ids, hits):
            ri = find(parent, i)
            for j in nbrs:
                rj = find(parent, j)
                if rj != ri:
                    parent[rj] = ri
    t3 = time.perf_counter()

    clusters = components(parent)
    report(n, clusters, a.clusters_out, lambda member: doc_ids[member])
    if a.timings:
        print(f"# {index}\n# read+tokenize {t1 - t0:.2f}s insert {t2 - t1:.2f}s "
              f"query+union {t3 - t2:.2f}s total {time.perf_counter() - t0:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
