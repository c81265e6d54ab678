#!/usr/bin/env python3
"""Peer baseline: near-duplicate clusters of a JSONL corpus with datatrove's MinHash dedup pipeline.

Runs datatrove 0.10.1 (https://pypi.org/project/datatrove/) the way its users do: its four
MinHash dedup stages, each a LocalPipelineExecutor, chained with depends=, working through
files on disk in a temporary directory:
  1. JsonlReader -> MinhashDedupSignature   (signatures, one sorted file per bucket and task)
  2. MinhashDedupBuckets                    (one task per bucket: pairs sharing a bucket)
  3. MinhashDedupCluster(save_cluster_id)   (union-find over the pairs)
  4. JsonlReader -> MinhashDedupFilter -> JsonlWriter  (the deduplicated corpus)
and prints one line:

    docs=N clusters=C duplicates=D

C = clusters of stage 3 (every one has >= 2 documents); D = sum of (size - 1), the documents
stage 4 drops. With --clusters-out FILE, also writes one JSON list of document ids per line,
one line per cluster (read from stage 3's .clusters files). datatrove's log goes to stderr.

Configuration:
- MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=8, seed=1): 16 bands x 8 rows
  = 128 permutations (datatrove's default is 14 x 8 = 112; 16 x 8 keeps 128, the bench's
  count); hash_config = HashConfig(precision=64, hash_fc="xxhash") (datatrove's default:
  xxh64 of each shingle, permuted modulo the Mersenne prime 2^61-1);
- tokenization as close to the bench as datatrove allows: TextNormConfig(lowercase=True,
  norm_numbers=False, remove_punctuation=False, norm_whitespace=False,
  norm_unicode_diacritics=False, weekdays/months off), and the word tokenizer is a
  datatrove WordTokenizer subclass (datatrove accepts one in place of a language) whose
  word_tokenize is the bench's re.findall(r"[^\\W_]+") on the lowercased text; datatrove
  joins each 5-gram with one space, so the shingles are exactly the bench's.
  (datatrove's English tokenizer would need spaCy and its default normalization replaces
  numbers by 0 and strips diacritics: further from the bench);
- DIFFERENCE: a document with 1..4 tokens has no 5-gram, so datatrove gives it no signature
  and never clusters it (the bench makes it one shingle; 1 document of the bench corpus);
- NO verification: every pair of documents with one identical bucket (8 equal values)
  joins a cluster, so clusters include pairs well below Jaccard 0.8 (datatrove has no
  verification step; the 16 x 8 banding's 50% point is at Jaccard ~0.71);
- parallelism: datatrove parallelizes stages 1 and 4 over input FILES. With --tasks T > 1
  (default: the number of cores) the driver first splits the corpus into T contiguous
  JSONL shards in the temporary directory (a step a datatrove user with one big file would
  also take; it is timed with the rest), stages 1 and 4 run T tasks, stage 2 runs 16 tasks
  (one per bucket), all with --workers processes (default: the number of cores); stage 3
  is single-task by design. With --tasks 1 the corpus file is read as it is.
- stage 4's JsonlWriter writes uncompressed JSONL (compression=None; its default is gzip).
  --no-filter skips stage 4 (clusters are known after stage 3).
Everything lives in a temporary directory under --tmp, removed at the end unless --keep-tmp.
On the bench corpus: 878 clusters (bench README: 870); planted recall at exact J >= 0.8
(seed 7): 98.3% (README: 99.7%; 16 x 8 makes a pair of Jaccard 0.8 a candidate with ~95%
chance, so a few misses among the pairs just above 0.8 are expected).

Usage (in a venv with datatrove==0.10.1 and orjson, see requirements.txt):
    python benches/peers/datatrove_scan.py CORPUS [--clusters-out FILE] [--threshold 0.8]
        [--num-perm 128] [--buckets 16] [--tasks T] [--workers W] [--no-filter]
        [--tmp DIR] [--keep-tmp]
--threshold is accepted for a uniform interface but datatrove has no threshold: the
banding (--buckets x num_perm/buckets rows) alone decides.
"""
import functools
import json
import os
import re
import struct
import sys
import tempfile
import time

from common import peer_arguments, remove_work, report

TOKEN_RE = re.compile(r"[^\W_]+")


def make_tokenizer():
    from datatrove.utils.word_tokenizers import WordTokenizer

    class BenchWordTokenizer(WordTokenizer):
        """The bench's tokens: maximal runs of Unicode alphanumerics (text is lowercased before)."""

        def word_tokenize(self, text):
            return TOKEN_RE.findall(text)

        def sent_tokenize(self, text):
            return [text]

        def span_tokenize(self, text):
            return [(0, len(text))]

    return BenchWordTokenizer()


def split_corpus(corpus, out_dir, tasks):
    """Split CORPUS into `tasks` contiguous JSONL files of about equal size; return their paths."""
    os.makedirs(out_dir)
    size = os.path.getsize(corpus)
    paths = []
    with open(corpus, "rb") as f:
        for t in range(tasks):
            paths.append(os.path.join(out_dir, f"{t:05d}.jsonl"))
            limit = size * (t + 1) // tasks
            with open(paths[-1], "wb") as out:
                while t == tasks - 1 or f.tell() < limit:
                    line = f.readline()
                    if not line:
                        break
                    out.write(line)
    return paths


def datatrove_doc_ids(path):
    """Ids of the documents of one input file in the order datatrove numbers them (its
    JsonlReader skips lines that are not JSON and documents without text)."""
    ids = []
    with open(path, encoding="utf-8") as f:
        for li, line in enumerate(f):
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if d.get("text"):
                ids.append(d.get("id", f"{li}"))
    return ids


def main():
    ap = peer_arguments(__doc__.split("\n")[0],
                        threshold_help="accepted, unused: datatrove's banding alone decides")
    ap.add_argument("--buckets", type=int, default=16, help="bands (must divide --num-perm)")
    ap.add_argument("--tasks", type=int, default=os.cpu_count() or 1,
                    help="input shards / tasks of stages 1 and 4 (default: cores)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="worker processes per stage (default: cores)")
    ap.add_argument("--no-filter", action="store_true", help="skip stage 4 (writing the deduplicated corpus)")
    ap.add_argument("--tmp", default=None, help="parent of the temporary work directory")
    ap.add_argument("--keep-tmp", action="store_true")
    ap.add_argument("--timings", action="store_true", help="total seconds on stderr")
    a = ap.parse_args()
    if a.num_perm % a.buckets:
        ap.error("--buckets must divide --num-perm")

    t0 = time.perf_counter()
    corpus = os.path.abspath(a.corpus)
    work = tempfile.mkdtemp(prefix="datatrove-", dir=a.tmp)
    try:
        # datatrove logs through loguru to stderr; keep stdout for our one result line.
        from datatrove.executor import LocalPipelineExecutor
        from datatrove.pipeline.dedup import (MinhashDedupBuckets, MinhashDedupCluster,
                                              MinhashDedupFilter, MinhashDedupSignature)
        from datatrove.pipeline.dedup.minhash import MinhashConfig
        from datatrove.pipeline.readers import JsonlReader
        from datatrove.pipeline.writers.jsonl import JsonlWriter
        from datatrove.utils.hashing import HashConfig
        from datatrove.utils.text import TextNormConfig

        if a.tasks > 1:
            input_dir = os.path.join(work, "input")
            shards = split_corpus(corpus, input_dir, a.tasks)
            reader_args = dict(data_folder=input_dir, glob_pattern="*.jsonl")
        else:
            shards = [corpus]
            reader_args = dict(data_folder=os.path.dirname(corpus),
                               glob_pattern=os.path.basename(corpus), recursive=False)
        tasks = len(shards)

        config = MinhashConfig(
            n_grams=5,
            num_buckets=a.buckets,
            hashes_per_bucket=a.num_perm // a.buckets,
            seed=1,
            norm_config=TextNormConfig(lowercase=True, norm_whitespace=False, remove_punctuation=False,
                                       norm_unicode_diacritics=False, norm_numbers=False,
                                       norm_weekdays=False, norm_monthnames=False),
            hash_config=HashConfig(precision=64, hash_fc="xxhash"),
        )
        print(f"# datatrove minhash: {config}, tasks={tasks}, workers={a.workers}", file=sys.stderr)
        sigs, buckets, clusters_dir = (os.path.join(work, d) for d in ("signatures", "buckets", "clusters"))
        logs = os.path.join(work, "logs")
        workers = min(a.workers, tasks)

        stage1 = LocalPipelineExecutor(
            pipeline=[JsonlReader(**reader_args, id_key="id"),
                      MinhashDedupSignature(output_folder=sigs, config=config,
                                            language=make_tokenizer())],
            tasks=tasks, workers=workers, logging_dir=os.path.join(logs, "signatures"))
        stage2 = LocalPipelineExecutor(
            pipeline=[MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=config)],
            tasks=config.num_buckets, workers=a.workers,
            logging_dir=os.path.join(logs, "buckets"), depends=stage1)
        stage3 = LocalPipelineExecutor(
            pipeline=[MinhashDedupCluster(input_folder=buckets, output_folder=clusters_dir,
                                          config=config, save_cluster_id=True)],
            tasks=1, logging_dir=os.path.join(logs, "clusters"), depends=stage2)
        last = stage3
        if not a.no_filter:
            last = LocalPipelineExecutor(
                pipeline=[JsonlReader(**reader_args, id_key="id"),
                          MinhashDedupFilter(input_folder=clusters_dir),
                          JsonlWriter(os.path.join(work, "deduplicated"), compression=None)],
                tasks=tasks, workers=workers, logging_dir=os.path.join(logs, "filter"), depends=stage3)
        last.run()
        t1 = time.perf_counter()

        # stage 3's cluster ids: per input file (rank) NNNNNN.clusters, records (doc, cluster)
        groups = {}
        for rank in range(tasks):
            path = os.path.join(clusters_dir, f"{rank:06d}.clusters")
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            for doc, cid in struct.iter_unpack("<2I", data):
                groups.setdefault(cid, []).append((rank, doc))
        clusters = [sorted(m) for m in groups.values() if len(m) >= 2]

        with open(corpus, "rb") as f:
            n = sum(1 for line in f if line.strip())
        # A shard's ids are read only when --clusters-out names a cluster in it.
        shard_ids = functools.cache(lambda shard: datatrove_doc_ids(shards[shard]))
        report(n, clusters, a.clusters_out, lambda member: shard_ids(member[0])[member[1]])
        if a.timings:
            print(f"# pipeline {t1 - t0:.2f}s total {time.perf_counter() - t0:.2f}s", file=sys.stderr)
    finally:
        remove_work(work, a.keep_tmp)


if __name__ == "__main__":
    main()
