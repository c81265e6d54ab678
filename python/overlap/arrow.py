"""Arrow-batch stages: each function takes a ``pyarrow.RecordBatch`` (or ``Table``) and returns a
``pyarrow.RecordBatch``, with the heavy work in Rust; :func:`bucket_pairs` takes and yields a
stream of batches, because a bucket may span batches.

These are the pieces ``overlap.spark`` runs inside ``mapInArrow``; they are public so that any
Arrow-speaking engine (Spark, Ray, DuckDB, Polars, plain pyarrow) can run the same stages.
Band keys and every hash are signed 64-bit integers (Arrow ``int64``), the same bits the
``overlap`` command line computes.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Sequence, Tuple, Union

import pyarrow as pa
import pyarrow.compute as pc

from . import _native
from ._native import Params

Batch = Union[pa.RecordBatch, pa.Table]

#: Names of the ``kind`` codes the native functions return.
KINDS = {0: None, 1: "exact", 2: "near", 3: "contained"}

#: A missing date, as the native functions take it.
NO_DATE = 2**63 - 1


def _params(params: Optional[Params]) -> Params:
    return params if params is not None else Params()


def _column(batch: Batch, name: str) -> pa.Array:
    try:
        col = batch.column(name)
    except KeyError:
        raise KeyError(
            f"no column {name!r} in the batch (columns: {', '.join(batch.schema.names)})"
        ) from None
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col


def _strings(arr: pa.Array) -> Tuple[bytes, bytes]:
    """The int64 offsets and the data of a string or binary column (nulls become empty)."""
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        arr = pc.fill_null(arr, b"").cast(pa.large_binary())
    else:
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            raise TypeError(f"expected a string column, got {arr.type}")
        arr = pc.fill_null(arr, "").cast(pa.large_string())
    _, offsets, data = arr.buffers()
    n = len(arr)
    offsets = offsets.slice(arr.offset * 8, (n + 1) * 8).to_pybytes() if offsets else b"\0" * 8
    return offsets, data.to_pybytes() if data is not None else b""


def _ints(arr: pa.Array, fill: int = 0) -> bytes:
    """The values of an integer column as little-endian int64 bytes."""
    arr = pc.fill_null(arr.cast(pa.int64()), fill)
    return arr.buffers()[1].slice(arr.offset * 8, len(arr) * 8).to_pybytes()


def _floats(arr: pa.Array) -> bytes:
    arr = pc.fill_null(arr.cast(pa.float64()), 0.0)
    return arr.buffers()[1].slice(arr.offset * 8, len(arr) * 8).to_pybytes()


def _array(raw: bytes, type_: pa.DataType, n: int) -> pa.Array:
    return pa.Array.from_buffers(type_, n, [None, pa.py_buffer(raw)])


def _list(offsets: bytes, values: bytes, n: int) -> pa.Array:
    offsets_arr = _array(offsets, pa.int32(), n + 1)
    values_arr = _array(values, pa.int64(), len(values) // 8)
    return pa.ListArray.from_arrays(offsets_arr, values_arr)


_KIND_NAMES = pa.array([KINDS[c] for c in sorted(KINDS)], pa.string())


def _nan_to_null(arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.is_nan(arr), None, arr)


def _kinds(raw: bytes, n: int) -> pa.Array:
    return _KIND_NAMES.take(_array(raw, pa.uint8(), n))


def _kind_codes(kind: pa.Array) -> bytes:
    """A ``kind`` column (names or codes) as one byte per row."""
    if pa.types.is_string(kind.type) or pa.types.is_large_string(kind.type):
        kind = pc.index_in(kind, value_set=_KIND_NAMES.slice(1))
        kind = pc.fill_null(pc.add(kind, 1), 0)
    kind = kind.cast(pa.uint8())
    return kind.buffers()[1].slice(kind.offset, len(kind)).to_pybytes() if len(kind) else b""


def fingerprints(
    batch: Batch,
    params: Optional[Params] = None,
    *,
    id: str = "id",
    text: str = "text",
    date: Optional[str] = None,
) -> pa.RecordBatch:
    """Per document: ``exact`` (exact-copy key), ``bytes`` (text length), ``date`` (seconds
    since 1970 from the optional ``date`` column, read as ``--date-field`` reads it),
    ``band_keys`` (one int64 per band) and ``samples`` (containment samples). A text without
    words gets nulls: the scan skips it."""
    p = _params(params)
    col = _column(batch, text)
    dates = _strings(_column(batch, date).cast(pa.string())) if date else (None, None)
    d = _native.fingerprints(p, *_strings(col), *dates)
    n = len(col)
    ok = _array(d["ok"], pa.uint8(), n).cast(pa.bool_())
    missing = pc.invert(ok)
    day = _array(d["date"], pa.int64(), n)
    return pa.RecordBatch.from_arrays(
        [
            _column(batch, id),
            pc.if_else(missing, None, _array(d["exact"], pa.int64(), n)),
            _array(d["bytes"], pa.int64(), n),
            pc.if_else(pc.equal(day, NO_DATE), None, day),
            pc.if_else(missing, None, _list(d["key_offsets"], d["keys"], n)),
            pc.if_else(missing, None, _list(d["sample_offsets"], d["samples"], n)),
        ],
        names=[id, "exact", "bytes", "date", "band_keys", "samples"],
    )


def band_keys(
    batch: Batch,
    params: Optional[Params] = None,
    *,
    id: str = "id",
    text: str = "text",
) -> pa.RecordBatch:
    """One row ``(id, band, key)`` per document and LSH band: group by ``(band, key)`` to find
    candidate pairs. Documents without words have no rows."""
    fp = fingerprints(batch, params, id=id, text=text)
    keys = fp.column("band_keys")
    parents = pc.list_parent_indices(keys)
    flat = pc.list_flatten(keys)
    position = pa.array(range(len(flat)), pa.int64())
    start = keys.offsets.cast(pa.int64()).take(parents)
    band = pc.subtract(position, start).cast(pa.int32())
    return pa.RecordBatch.from_arrays(
        [fp.column(id).take(parents), band, flat],
        names=[id, "band", "key"],
    )


def signatures(
    batch: Batch,
    params: Optional[Params] = None,
    *,
    id: str = "id",
    text: str = "text",
) -> pa.RecordBatch:
    """Per document its MinHash signature as ``binary``: ``num_perm`` little-endian uint32
    values (null for a text without words)."""
    p = _params(params)
    col = _column(batch, text)
    d = _native.signatures(p, *_strings(col))
    n, width = len(col), 4 * p.num_perm
    offsets = pa.array(range(0, (n + 1) * width, width), pa.int32())
    sigs = pa.Array.from_buffers(
        pa.binary(), n, [None, offsets.buffers()[1], pa.py_buffer(d["signatures"])]
    )
    ok = _array(d["ok"], pa.uint8(), n).cast(pa.bool_())
    return pa.RecordBatch.from_arrays(
        [_column(batch, id), pc.if_else(ok, sigs, None)], names=[id, "signature"]
    )


def verify(
    pairs: Batch,
    params: Optional[Params] = None,
    *,
    text_a: str = "text_a",
    text_b: str = "text_b",
) -> pa.RecordBatch:
    """Exact verification of candidate pairs from their texts: the batch's other columns plus
    ``kind`` (``exact``, ``near``, ``contained`` or null for a rejected pair), ``jaccard``,
    ``a_in_b`` and ``b_in_a``, measured on the full shingle sets."""
    p = _params(params)
    d = _native.verify_texts(
        p, *_strings(_column(pairs, text_a)), *_strings(_column(pairs, text_b))
    )
    n = pairs.num_rows
    keep = [c for c in pairs.schema.names if c not in (text_a, text_b)]
    cols = [_column(pairs, c) for c in keep]
    cols += [_kinds(d["kind"], n)] + [
        _array(d[k], pa.float64(), n) for k in ("jaccard", "a_in_b", "b_in_a")
    ]
    return pa.RecordBatch.from_arrays(cols, names=keep + ["kind", "jaccard", "a_in_b", "b_in_a"])


def verify_estimated(
    pairs: Batch,
    params: Optional[Params] = None,
    *,
    signature_a: str = "signature_a",
    signature_b: str = "signature_b",
) -> pa.RecordBatch:
    """Estimated verification from two signature columns (see :func:`signatures`): the other
    columns plus ``kind`` (``near`` at or above the threshold, else null) and the estimated
    ``jaccard``. Cheaper than :func:`verify`, but an estimate, and blind to containment."""
    p = _params(params)
    d = _native.verify_signatures(
        p, *_strings(_column(pairs, signature_a)), *_strings(_column(pairs, signature_b))
    )
    n = pairs.num_rows
    keep = [c for c in pairs.schema.names if c not in (signature_a, signature_b)]
    cols = [_column(pairs, c) for c in keep]
    cols += [_kinds(d["kind"], n), _array(d["jaccard"], pa.float64(), n)]
    return pa.RecordBatch.from_arrays(cols, names=keep + ["kind", "jaccard"])


def bucket_pairs(
    batches: Iterable[Batch],
    params: Optional[Params] = None,
    *,
    bucket: Sequence[str] = ("band", "key"),
    ordinal: str = "ord",
    exact: str = "exact",
    counts: Optional[str] = None,
) -> Iterator[pa.RecordBatch]:
    """Candidate pairs ``(a, b)``, ``a < b``, from buckets streamed as rows sorted by the
    ``bucket`` columns (one or two int64 columns), then by the int64 ``ordinal``: exactly the
    pairs the scan makes. Every member pairs with the (at most ``max_bucket``) members before it
    in its bucket, so a bucket of any size is paired in bounded memory, and a bucket may span
    batches.

    ``exact`` holds each row's exact-copy key (see :func:`fingerprints`): a member whose exact
    copy came earlier in the bucket is left out, as the scan searches candidates for the first
    of a set of exact copies only. For containment buckets (one per shared sample), ``counts``
    names the column of each member's number of samples, and the pairs get ``needed``: the
    shared samples the pair must reach to be a candidate."""
    p = _params(params)
    stream = _native.BucketStream(p.max_bucket, p.containment)
    if len(bucket) not in (1, 2):
        raise ValueError("bucket: one or two columns")
    for batch in batches:
        n = batch.num_rows
        keys = [_ints(_column(batch, c)) for c in bucket]
        if len(keys) == 1:
            keys.insert(0, b"\0" * (8 * n))
        d = stream.push(
            keys[0],
            keys[1],
            _ints(_column(batch, ordinal)),
            _ints(_column(batch, exact)),
            _ints(_column(batch, counts)) if counts else None,
        )
        m = len(d["a"]) // 8
        cols = [_array(d["a"], pa.int64(), m), _array(d["b"], pa.int64(), m)]
        names = ["a", "b"]
        if counts:
            cols.append(_array(d["needed"], pa.int32(), m))
            names.append("needed")
        yield pa.RecordBatch.from_arrays(cols, names=names)


def union_find(edges: Batch, *, a: str = "a", b: str = "b") -> pa.RecordBatch:
    """Connected components of the edges: ``(node, root)`` for every node, ``root`` being the
    smallest node of its component."""
    d = _native.union_find(_ints(_column(edges, a)), _ints(_column(edges, b)))
    n = len(d["node"]) // 8
    return pa.RecordBatch.from_arrays(
        [_array(d["node"], pa.int64(), n), _array(d["root"], pa.int64(), n)],
        names=["node", "root"],
    )


def cluster_edges(edges: Batch, params: Optional[Params] = None) -> pa.RecordBatch:
    """The scan's clusters from verified edges, which must hold whole connected components.

    Columns in: ``a``, ``b`` (int64 ordinals, read order), ``kind`` (``exact``, ``near``,
    ``contained``), ``jaccard``, ``a_in_b``, ``b_in_a``, and for the keep policy ``bytes_a``,
    ``bytes_b`` and optionally ``date_a``, ``date_b`` (seconds since 1970). Columns out:
    ``member``, ``cluster`` (the cluster's first member), ``kept``, and the evidence the scan
    reports for a member: ``link_to`` (the member it matched), ``link_kind``, ``jaccard``,
    ``containment`` (its share in ``link_to``) and ``reverse_containment``, all null for the
    kept member."""
    p = _params(params)
    n = edges.num_rows

    def date(name: str) -> bytes:
        if name in edges.schema.names:
            return _ints(_column(edges, name), NO_DATE)
        return NO_DATE.to_bytes(8, "little", signed=True) * n

    d = _native.cluster_edges(
        p.keep,
        _ints(_column(edges, "a")),
        _ints(_column(edges, "b")),
        _kind_codes(_column(edges, "kind")),
        _floats(_column(edges, "jaccard")),
        _floats(_column(edges, "a_in_b")),
        _floats(_column(edges, "b_in_a")),
        _ints(_column(edges, "bytes_a")),
        _ints(_column(edges, "bytes_b")),
        date("date_a"),
        date("date_b"),
    )
    m = len(d["member"]) // 8
    link_to = _array(d["link_to"], pa.int64(), m)
    evidence = [
        _nan_to_null(_array(d[name], pa.float64(), m))
        for name in ("jaccard", "containment", "reverse_containment")
    ]
    return pa.RecordBatch.from_arrays(
        [
            _array(d["member"], pa.int64(), m),
            _array(d["cluster"], pa.int64(), m),
            _array(d["kept"], pa.uint8(), m).cast(pa.bool_()),
            pc.if_else(pc.equal(link_to, -1), None, link_to),
            _kinds(d["link_kind"], m),
            *evidence,
        ],
        names=[
            "member", "cluster", "kept", "link_to", "link_kind",
            "jaccard", "containment", "reverse_containment",
        ],
    )
