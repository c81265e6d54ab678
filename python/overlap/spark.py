"""Deduplicate a Spark DataFrame with overlap's engine: the same clusters as ``overlap scan``.

Spark does the I/O, partitioning, shuffles, retries and scheduling; every computation on the
data (fingerprints, bucket pairs, verification, clustering) is overlap's Rust code, run on the
executors through ``mapInArrow``. Only the DataFrame API is used, so the same code runs on
classic Spark and on Spark Connect (tested with open-source Spark 4.0.1).

The job, stage by stage::

    mapInArrow(fingerprints)           exact key, band keys, containment samples per document
    groupBy(exact)                     exact copies, linked to the first one read
    partition by (band, key), sort     the scan's bucket pairs, streamed through its window of
      by ordinal → pairs               max_bucket members (no bucket is collected whole);
                                       first exact copies only
    same by sample      → pairs        shared samples; groupBy(a, b) counts them
    join texts, mapInArrow(verify)     exact Jaccard and containment on the full shingle sets
                                       (only the texts of candidate documents move)
    connected components               union-find on the driver, or large-star/small-star
    mapInArrow(cluster_edges)          the scan's clustering, one whole component at a time

Documents are ordered by an int64 ordinal (``order_col``, else
``monotonically_increasing_id()``, which follows the input's order): the ordinal plays the
part of the scan's read order, which decides which copy is kept and how capped buckets pair.
"""

from __future__ import annotations

from typing import Callable, Iterator, Optional

import pyarrow as pa

from . import arrow
from ._native import Params

try:
    from pyspark.sql import DataFrame, functions as F
except ImportError as e:  # pragma: no cover - a clear message instead of a bare ImportError
    raise ImportError(
        "overlap.spark needs PySpark 4.0 or later: pip install 'overlap[spark]'"
    ) from e

#: Edges up to which connected components are found on the driver (``components="auto"``).
DRIVER_EDGES = 5_000_000
#: Candidate documents up to which their ids are broadcast to pick their texts (8 bytes each).
BROADCAST_DOCS = 20_000_000

_FINGERPRINT_SCHEMA = (
    "ord long, exact long, bytes long, date long, band_keys array<long>, samples array<long>"
)
_EDGE_SCHEMA = "a long, b long, kind string, jaccard double, a_in_b double, b_in_a double"
_CLUSTER_SCHEMA = (
    "member long, cluster long, kept boolean, link_to long, link_kind string, "
    "jaccard double, containment double, reverse_containment double"
)


def _batches(
    work: Callable[[pa.RecordBatch, Params], pa.RecordBatch], params: Params
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A ``mapInArrow`` function running ``work`` on every batch. The parameters travel as a
    plain dict, rebuilt once per task on the executor."""
    kwargs = params.to_dict()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        p = Params(**kwargs)
        for batch in batches:
            if batch.num_rows:
                out = work(batch, p)
                if out.num_rows:
                    yield out

    return run


def _fingerprint(batch: pa.RecordBatch, p: Params) -> pa.RecordBatch:
    date = "date" if "date" in batch.schema.names else None
    fp = arrow.fingerprints(batch, p, id="ord", date=date)
    # Documents without words are left out, as the scan skips them.
    return fp.filter(fp.column("exact").is_valid())


def _band_pairs(
    batches: Iterator[pa.RecordBatch], p: Params
) -> Iterator[pa.RecordBatch]:
    return arrow.bucket_pairs(batches, p, bucket=("band", "key"))


def _sample_pairs(
    batches: Iterator[pa.RecordBatch], p: Params
) -> Iterator[pa.RecordBatch]:
    return arrow.bucket_pairs(batches, p, bucket=("sample",), counts="n")


def _stream_buckets(
    entries: DataFrame,
    bucket: list,
    pairs: Callable[[Iterator[pa.RecordBatch], Params], Iterator[pa.RecordBatch]],
    params: Params,
    schema: str,
) -> DataFrame:
    """Candidate pairs of the buckets of ``entries``: hash-partitioned by bucket, sorted by
    bucket and ordinal within each partition (Spark's sort spills), and streamed through the
    scan's window. No bucket is ever collected into one row, whatever its size."""
    kwargs = params.to_dict()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for out in pairs(batches, Params(**kwargs)):
            if out.num_rows:
                yield out

    return (
        entries.repartition(*bucket)
        .sortWithinPartitions(*bucket, "ord")
        .mapInArrow(run, schema)
    )


def _verify(batch: pa.RecordBatch, p: Params) -> pa.RecordBatch:
    edges = arrow.verify(batch, p)
    return edges.filter(edges.column("kind").is_valid())


def _cluster(batch: pa.RecordBatch, p: Params) -> pa.RecordBatch:
    # One row per component: its edges as a list of structs. Components are disjoint, so the
    # whole batch is clustered in one call.
    return arrow.cluster_edges(pa.RecordBatch.from_struct_array(batch.column("edges").flatten()), p)


def _no_edges() -> pa.RecordBatch:
    schema = pa.schema(
        [(n, pa.int64()) for n in ("a", "b")]
        + [("kind", pa.string())]
        + [(n, pa.float64()) for n in ("jaccard", "a_in_b", "b_in_a")]
        + [(n, pa.int64()) for n in ("bytes_a", "bytes_b", "date_a", "date_b")]
    )
    return pa.RecordBatch.from_pylist([], schema=schema)


def _checkpoint(df: DataFrame) -> DataFrame:
    """Materializes ``df`` and cuts its lineage (each loop of the components doubles it)."""
    try:
        return df.localCheckpoint()
    except (AttributeError, NotImplementedError):  # Spark Connect before 4.0 has none
        return df.persist()


def connected_components(edges: DataFrame, max_rounds: int = 64) -> DataFrame:
    """``(node, root)`` for every node of the edges ``(a, b)``: the smallest node of its
    component, found on the cluster by alternating large-star and small-star operations
    (Kiveris et al., "Connected Components in MapReduce and Beyond", SoCC 2014), which take
    O(log n) rounds. Each round is checkpointed; the loop stops when a round changes nothing."""
    # Edges point from a node to a smaller neighbour: (node, parent), node > parent.
    cur = _checkpoint(
        edges.select(
            F.greatest("a", "b").alias("node"), F.least("a", "b").alias("parent")
        )
        .where(F.col("node") != F.col("parent"))
        .distinct()
    )
    for _ in range(max_rounds):
        # Large star: every node links its larger neighbours to its smallest neighbour (or
        # itself).
        both = cur.union(cur.select(F.col("parent").alias("node"), F.col("node").alias("parent")))
        smallest = both.groupBy("node").agg(F.min("parent").alias("m"))
        large = (
            both.join(smallest, "node")
            .where(F.col("parent") > F.col("node"))
            .select(F.col("parent").alias("node"), F.least("m", "node").alias("parent"))
            .where(F.col("node") != F.col("parent"))
            .distinct()
        )
        # Small star: every node links itself and its smaller neighbours to the smallest of
        # them.
        m = large.groupBy("node").agg(F.min("parent").alias("m"))
        small = (
            large.join(m, "node")
            .select(F.col("parent").alias("node"), F.col("m").alias("parent"))
            .union(m.select("node", F.col("m").alias("parent")))
            .where(F.col("node") != F.col("parent"))
            .distinct()
        )
        nxt = _checkpoint(small)
        changed = nxt.exceptAll(cur).limit(1).count() + cur.exceptAll(nxt).limit(1).count()
        cur = nxt
        if changed == 0:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    # Converged: a set of stars, each leaf pointing at its component's smallest node.
    roots = cur.select(F.col("parent").alias("node"), F.col("parent").alias("root"))
    return cur.select("node", F.col("parent").alias("root")).union(roots).distinct()


def dedup(
    df: DataFrame,
    id_col: str = "id",
    text_col: str = "text",
    params: Optional[Params] = None,
    *,
    order_col: Optional[str] = None,
    date_col: Optional[str] = None,
    components: str = "auto",
    driver_edges: int = DRIVER_EDGES,
    broadcast_docs: int = BROADCAST_DOCS,
    evidence: bool = False,
) -> DataFrame:
    """Finds the duplicate clusters of ``df`` and returns ``(id, cluster, kept)`` for every row.

    ``cluster`` is the id of the cluster's first document (its own id for a document in no
    cluster) and ``kept`` is true for the document of each cluster that deduplication keeps,
    for a member kept because it matches only removed members, and for every document in no
    cluster: ``dedup(df).where("kept")`` is the deduplicated corpus, and every row that is not
    kept has a verified edge directly to its cluster's kept document. The clusters are those of ``overlap scan --no-stories`` on the same documents in
    the same order, exact copies, near-duplicates and contained copies alike. Ids should be
    unique: the scan skips a repeated id, while here every row is a document of its own.

    ``order_col`` (int64) orders the documents as the scan's read order does; by default the
    input's own order. ``date_col`` feeds ``keep="earliest"``. ``components`` chooses where the
    connected components are found: ``"driver"`` (union-find on collected edges), ``"spark"``
    (large-star/small-star on the cluster) or ``"auto"`` (the driver up to ``driver_edges``
    edges). The ordinals of up to ``broadcast_docs`` candidate documents are broadcast to pick
    their texts for verification; past that, the texts are picked by a shuffled semi-join. The
    clusters are computed when this function runs; the returned frame joins them to the input
    lazily.

    With ``evidence``, every row also says what put it in its cluster, as the scan's ``match``
    does: ``kind`` (``exact``, ``near`` or ``contained``), ``to`` (the id of the member it
    matched: the kept document for a removed row), ``jaccard``, ``containment`` (its share in
    ``to``) and ``reverse_containment``; all null for the cluster's kept document.
    """
    params = params if params is not None else Params()
    if components not in ("auto", "driver", "spark"):
        raise ValueError(f'components={components!r}: expected "auto", "driver" or "spark"')
    ordinal = F.col(order_col) if order_col else F.monotonically_increasing_id()
    cols = [
        F.col(id_col).alias("id"),
        F.col(text_col).cast("string").alias("text"),
        ordinal.cast("long").alias("ord"),
    ]
    if date_col:
        cols.append(F.col(date_col).cast("string").alias("date"))
    docs = df.select(*cols)
    if order_col is None:
        # Materialized once, so that every later use sees the same ordinals and the input is
        # read once; with an order column of its own, the input is simply read again.
        docs = _checkpoint(docs)

    source = docs.select("ord", "text", *(["date"] if date_col else []))
    fp = _checkpoint(source.mapInArrow(_batches(_fingerprint, params), _FINGERPRINT_SCHEMA))

    # Exact copies: every later copy is linked to the first one read. Only the keys move.
    copies = fp.select("exact", "ord")
    firsts = (
        copies.groupBy("exact")
        .agg(F.min("ord").alias("first"), F.count(F.lit(1)).alias("n"))
        .where(F.col("n") > 1)
    )
    exact_edges = (
        copies.join(firsts, "exact")
        .where(F.col("ord") != F.col("first"))
        .select(
            F.col("first").alias("a"),
            F.col("ord").alias("b"),
            F.lit("exact").alias("kind"),
            F.lit(1.0).alias("jaccard"),
            F.lit(1.0).alias("a_in_b"),
            F.lit(1.0).alias("b_in_a"),
        )
    )

    # LSH: documents sharing a band key. Each bucket is streamed in read order through the
    # scan's window, so no bucket is ever held whole; later exact copies share every key of
    # their first copy, so the bucket itself tells which members stand for others.
    band_entries = fp.select("ord", "exact", F.posexplode("band_keys").alias("band", "key"))
    candidates = _stream_buckets(band_entries, ["band", "key"], _band_pairs, params, "a long, b long")

    # Containment: documents sharing enough sampled shingles.
    if params.containment is not None:
        sample_entries = fp.select(
            "ord", "exact", F.size("samples").alias("n"), F.explode("samples").alias("sample")
        )
        shared = (
            _stream_buckets(
                sample_entries, ["sample"], _sample_pairs, params, "a long, b long, needed int"
            )
            .groupBy("a", "b")
            .agg(F.count(F.lit(1)).alias("shared"), F.max("needed").alias("needed"))
            .where(F.col("shared") >= F.col("needed"))
            .select("a", "b")
        )
        candidates = candidates.union(shared)
    candidates = _checkpoint(candidates.distinct())

    # Verification on the full texts: only the documents of some candidate pair are moved,
    # and each pair meets both of its documents.
    needed = _checkpoint(
        candidates.select(F.col("a").alias("ord"))
        .union(candidates.select(F.col("b").alias("ord")))
        .distinct()
    )
    if needed.limit(broadcast_docs + 1).count() <= broadcast_docs:
        # Broadcast, the set filters the documents where they are: only candidate texts are
        # shuffled. (A shuffled semi-join would move every text once.)
        needed = F.broadcast(needed)
    texts = docs.select("ord", "text").join(needed, "ord", "left_semi")
    verified = (
        candidates.join(texts.toDF("a", "text_a"), "a")
        .join(texts.toDF("b", "text_b"), "b")
        .select("a", "b", "text_a", "text_b")
        .mapInArrow(_batches(_verify, params), _EDGE_SCHEMA)
    )
    meta = fp.select("ord", "bytes", "date")
    edges = _checkpoint(
        verified.union(exact_edges)
        .join(meta.toDF("a", "bytes_a", "date_a"), "a")
        .join(meta.toDF("b", "bytes_b", "date_b"), "b")
    )

    clusters = _clusters(edges, params, components, driver_edges)
    names = docs.select("ord", "id")
    named = clusters.join(names.toDF("cluster", "cid"), "cluster")
    columns = [
        "id",
        F.coalesce("cid", "id").alias("cluster"),
        F.coalesce("kept", F.lit(True)).alias("kept"),
    ]
    if evidence:
        named = named.join(names.toDF("link_to", "to"), "link_to", "left")
        columns += [
            F.col("link_kind").alias("kind"),
            "to",
            "jaccard",
            "containment",
            "reverse_containment",
        ]
    return docs.select("id", F.col("ord").alias("member")).join(named, "member", "left").select(
        *columns
    )


def _clusters(edges: DataFrame, params: Params, components: str, driver_edges: int) -> DataFrame:
    """``(member, cluster, kept, ...)`` for every document in a cluster."""
    spark = edges.sparkSession
    on_driver = components == "driver" or (
        components == "auto" and edges.limit(driver_edges + 1).count() <= driver_edges
    )
    if on_driver:
        table = edges.toArrow().combine_chunks()
        result = arrow.cluster_edges(table.to_batches()[0] if table.num_rows else _no_edges(), params)
        return spark.createDataFrame(pa.Table.from_batches([result]), _CLUSTER_SCHEMA)
    roots = connected_components(edges.select("a", "b"))
    grouped = (
        edges.join(roots.toDF("a", "root"), "a")
        .groupBy("root")
        .agg(F.collect_list(F.struct(*edges.columns)).alias("edges"))
        .select("edges")
    )
    return grouped.mapInArrow(_batches(_cluster, params), _CLUSTER_SCHEMA)
