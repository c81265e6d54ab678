"""`overlap.spark.dedup` against `overlap scan --no-stories`, cluster for cluster, on classic
Spark (local[2]) and on Spark Connect, with both ways of finding connected components."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from pyspark.sql import functions as F
from conftest import SAMPLES, run_cli

import overlap
from overlap.spark import connected_components, dedup

PARAMS = overlap.Params(stories=False)


def _result(df) -> dict:
    rows = df.collect()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "one row per input document"
    return {r["id"]: (r["cluster"], r["kept"]) for r in rows}


EVIDENCE = ("kind", "to", "jaccard", "containment", "reverse_containment")


def _assert_same_evidence(df, scan: dict) -> None:
    """Every member's match (kind, matched member, similarities) is the CLI's, to the bit."""
    got = {r["id"]: tuple(r[k] for k in EVIDENCE) for r in df.collect()}
    want = {}
    for cluster in scan["clusters"]:
        for m in cluster["members"]:
            match = m.get("match")
            want[m["id"]] = tuple(match[k] for k in EVIDENCE) if match else (None,) * 5
    assert any(v[0] == "contained" for v in want.values())
    for doc, evidence in got.items():
        assert evidence == want.get(doc, (None,) * 5), doc


def _assert_same_clusters(got: dict, scan: dict, n_docs: int) -> None:
    want = overlap.membership(scan)
    assert len(got) == n_docs
    assert want, "the dataset has clusters to compare"
    for doc, (cluster, kept) in got.items():
        assert (cluster, kept) == want.get(doc, (doc, True)), doc
    assert scan["summary"]["clusters"] == len({c for c, _ in got.values() if c in want})


@pytest.mark.parametrize("components", ["driver", "spark"])
def test_samples_match_the_cli(spark, sample_rows, sample_scan, components):
    df = spark.createDataFrame(sample_rows, "id string, text string, n long")
    result = dedup(df, params=PARAMS, order_col="n", components=components, evidence=True)
    got = _result(result)
    _assert_same_clusters(got, sample_scan, len(sample_rows))
    _assert_same_evidence(result, sample_scan)
    # The README's three clusters: near, contained (longer story kept), exact.
    assert got["samples/wire_flood.txt"] == ("samples/flood_longer_story.txt", False)
    assert got["samples/flood_longer_story.txt"] == ("samples/flood_longer_story.txt", True)
    assert got["samples/harbour_strike_copy.txt"] == ("samples/harbour_strike.txt", False)
    assert got["samples/budget_vote_edited.txt"] == ("samples/budget_vote.txt", False)


@pytest.mark.parametrize("components", ["driver", "spark"])
def test_bench_slice_matches_the_cli(spark, bench_slice, slice_scan, components):
    # Read as users read a JSONL corpus; the default ordinal follows the file's order.
    df = spark.read.schema("id string, text string").json(str(bench_slice))
    result = dedup(df, params=PARAMS, components=components, evidence=True)
    got = _result(result)
    _assert_same_clusters(got, slice_scan, slice_scan["summary"]["documents"])
    _assert_same_evidence(result, slice_scan)
    kinds = {k for c in slice_scan["clusters"] for k in c["kinds"]}
    assert kinds == {"exact", "near", "contained"}, "every kind of match is exercised"


def test_partitioning_does_not_change_the_clusters(spark, bench_slice, slice_scan):
    # The ordinal fixes the read order; after that, how Spark splits and shuffles the rows
    # must not matter.
    df = spark.read.schema("id string, text string").json(str(bench_slice))
    df = df.withColumn("n", F.monotonically_increasing_id()).repartition(7, F.rand(seed=3))
    previous = spark.conf.get("spark.sql.shuffle.partitions")
    spark.conf.set("spark.sql.shuffle.partitions", "3")
    try:
        got = _result(dedup(df, params=PARAMS, order_col="n"))
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", previous)
    _assert_same_clusters(got, slice_scan, slice_scan["summary"]["documents"])


def test_keep_longest_and_earliest_match_the_cli(spark, tmp_path):
    strike = (SAMPLES / "harbour_strike.txt").read_text()
    fire = (SAMPLES / "unrelated_wildfire_evacuation.txt").read_text()
    budget = (SAMPLES / "budget_vote.txt").read_text()
    docs = [
        {"id": "copy", "text": strike, "date": "2024-03-02"},
        {"id": "longer", "text": strike + "\n\n" + fire, "date": "2024-03-05"},
        {"id": "early", "text": strike.upper(), "date": "2024-03-01"},
        {"id": "budget_late", "text": budget, "date": "2024-03-09"},
        {"id": "budget_early", "text": budget.upper(), "date": "2024-03-04"},
    ]
    path = tmp_path / "keep.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    df = spark.read.schema("id string, text string, date string").json(str(path))
    # "longer" holds the strike story and the fire story: it is kept whatever the policy (a
    # container is never removed for what it contains), and both strike copies go for it.
    # The budget's two exact copies have one length, so "longest" keeps the one read first.
    for keep, kept in (
        ("longest", {"longer", "budget_late"}),
        ("earliest", {"longer", "budget_early"}),
    ):
        scan = run_cli(str(path), "--no-stories", "--keep", keep, "--date-field", "date")
        params = overlap.Params(stories=False, keep=keep)
        got = _result(dedup(df, params=params, date_col="date"))
        _assert_same_clusters(got, scan, 5)
        assert {d for d, (_, k) in got.items() if k} == kept


def test_documents_without_words_are_kept_alone(spark):
    rows = [("a", "?!", 0), ("b", None, 1), ("c", "one two three four five six", 2)]
    df = spark.createDataFrame(rows, "id string, text string, n long")
    got = _result(dedup(df, params=PARAMS, order_col="n"))
    assert got == {"a": ("a", True), "b": ("b", True), "c": ("c", True)}


def test_connected_components_on_spark(spark):
    # Two chains and a star, given in scrambled order: every node gets its component's
    # smallest node.
    edges = [(9, 3), (3, 7), (7, 12), (5, 1), (20, 21), (21, 22), (22, 20), (100, 50), (50, 60)]
    df = spark.createDataFrame(edges, "a long, b long")
    got = {r["node"]: r["root"] for r in connected_components(df).collect()}
    want = {3: 3, 7: 3, 9: 3, 12: 3, 1: 1, 5: 1, 20: 20, 21: 20, 22: 20, 50: 50, 60: 50, 100: 50}
    assert got == want
    batch = pa.record_batch({"a": [a for a, _ in edges], "b": [b for _, b in edges]})
    local = overlap.union_find(batch)
    assert dict(zip(local.column("node").to_pylist(), local.column("root").to_pylist())) == want


def test_bad_arguments_are_refused(spark, sample_rows):
    df = spark.createDataFrame(sample_rows, "id string, text string, n long")
    with pytest.raises(ValueError, match="components"):
        dedup(df, components="everywhere")
