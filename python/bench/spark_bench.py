#!/usr/bin/env python3
"""The Spark path on the bench corpus next to the CLI, and the per-document costs behind the
plan for a billion documents in docs/spark.md.

    python/test.sh --co -q            # once: builds the venv with the wheel (collects only)
    target/python-venv/bin/python python/bench/spark_bench.py [--corpus PATH] [--runs 3]

Runs, alternating, `overlap scan --no-stories` and `overlap.spark.dedup` under local[2]
(components on the driver, then on Spark), checks that both give the same clusters, and reads
Spark's own metrics from its REST API: executor CPU time, shuffle bytes and records per stage.
It also fingerprints the corpus in one Python thread to give the CPU cost per document of the
Rust stages without Spark, and the bytes a document's fingerprint row holds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pajson

REPO = Path(__file__).resolve().parents[2]


def cli_scan(binary: Path, corpus: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run(
        [str(binary), "scan", str(corpus), "--no-stories", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, json.loads(out.stdout)


def stage_metrics(ui: str) -> list[dict]:
    apps = json.load(urllib.request.urlopen(f"{ui}/api/v1/applications"))
    app = apps[0]["id"]
    return json.load(urllib.request.urlopen(f"{ui}/api/v1/applications/{app}/stages?status=complete"))


def fingerprint_costs(corpus: Path, params) -> dict:
    import overlap

    table = pajson.read_json(corpus, read_options=pajson.ReadOptions(block_size=1 << 24))
    table = table.select(["id", "text"]).combine_chunks()
    start = time.process_time()
    fp = pa.Table.from_batches(
        [overlap.fingerprints(b, params) for b in table.to_batches(max_chunksize=10_000)]
    )
    cpu = time.process_time() - start
    docs = fp.num_rows
    samples = sum(len(s) for s in fp.column("samples").to_pylist() if s)
    return {
        "docs": docs,
        "text_bytes": sum(len(t.encode()) for t in table.column("text").to_pylist()),
        "fingerprint_cpu_us_per_doc": cpu / docs * 1e6,
        "band_key_bytes_per_doc": params.bands * 8,
        "samples_per_doc": samples / docs,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "bench" / "corpus.jsonl")
    ap.add_argument("--binary", type=Path, default=REPO / "target" / "release" / "overlap")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shuffle-partitions", type=int, default=8)
    args = ap.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import overlap
    from overlap.spark import dedup

    params = overlap.Params(stories=False)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("overlap-bench")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    ui = spark.sparkContext.uiWebUrl

    times: dict[str, list[float]] = {"cli": [], "spark/driver": [], "spark/spark": []}
    want = None
    for run in range(args.runs):
        seconds, scan = cli_scan(args.binary, args.corpus)
        times["cli"].append(seconds)
        want = overlap.membership(scan)
        for components in ("driver", "spark"):
            before = {s["stageId"] for s in stage_metrics(ui)}
            start = time.perf_counter()
            df = spark.read.schema("id string, text string").json(str(args.corpus))
            rows = dedup(df, params=params, components=components).collect()
            times[f"spark/{components}"].append(time.perf_counter() - start)
            got = {r["id"]: (r["cluster"], r["kept"]) for r in rows}
            wrong = [d for d, v in got.items() if v != want.get(d, (d, True))]
            if wrong:
                sys.exit(f"spark ({components}) differs from the CLI on {len(wrong)} documents: {wrong[:5]}")
            if run == 0 and components == "driver":
                stages = [s for s in stage_metrics(ui) if s["stageId"] not in before]
    docs = len(got)

    print(f"corpus: {args.corpus} ({docs} documents); {args.runs} runs, alternating")
    print(f"{'path':<16}{'median s':>10}   runs")
    for name, ts in times.items():
        print(f"{name:<16}{statistics.median(ts):>10.2f}   {'  '.join(f'{t:.2f}' for t in ts)}")
    ratio = statistics.median(times["spark/driver"]) / statistics.median(times["cli"])
    print(f"spark/driver takes {ratio:.0f}x the CLI's time on this machine; clusters identical")

    cpu = sum(s["executorCpuTime"] for s in stages) / 1e9
    run_time = sum(s["executorRunTime"] for s in stages) / 1e3
    write = sum(s["shuffleWriteBytes"] for s in stages)
    print()
    print("Spark metrics of one spark/driver run (REST API, completed stages):")
    print(f"  executor CPU {cpu:.1f} s = {cpu / docs * 1e6:.0f} us per document; run time {run_time:.1f} s")
    print(f"  shuffle written {write / 1e6:.1f} MB = {write / docs:.0f} bytes per document")
    print("  stages with shuffle output or over 0.2 s of CPU (the records say which step it is):")
    print(f"  {'stage':<6}{'name':<44}{'cpu s':>7}{'shuffle MB':>12}{'records':>11}")
    for s in sorted(stages, key=lambda s: s["stageId"]):
        if s["shuffleWriteBytes"] or s["executorCpuTime"] > 2e8:
            print(
                f"  {s['stageId']:<6}{s['name'][:43]:<44}{s['executorCpuTime'] / 1e9:>7.2f}"
                f"{s['shuffleWriteBytes'] / 1e6:>12.2f}{s['shuffleWriteRecords']:>11}"
            )
    print()
    costs = fingerprint_costs(args.corpus, params)
    print("Rust stages without Spark (one Python thread):")
    print(f"  fingerprints: {costs['fingerprint_cpu_us_per_doc']:.0f} us CPU per document "
          f"({costs['text_bytes'] / costs['docs']:.0f} bytes of text on average)")
    print(f"  band keys: {costs['band_key_bytes_per_doc']} bytes per document; "
          f"containment samples: {costs['samples_per_doc']:.1f} per document ({costs['samples_per_doc'] * 8:.0f} bytes)")
    print(f"  candidate pairs verified by the CLI: {scan['summary']['candidates']} "
          f"({scan['summary']['candidates'] / docs:.2f} per document)")
    spark.stop()


if __name__ == "__main__":
    main()
