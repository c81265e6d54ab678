"""overlap: find exact copies, near-duplicates and contained copies in a corpus, natively.

Plain Python::

    import overlap
    result = overlap.scan([("a", "some text ..."), ("b", "some text ...")])
    result = overlap.scan(["some text ...", "some text ..."])     # ids "0", "1"
    result = overlap.scan(dataframe, id="doc_id", text="body")   # pandas or pyarrow
    diff = overlap.compare(text_a, text_b)

Arrow batches (any engine): :mod:`overlap.arrow`. Apache Spark: :mod:`overlap.spark`.
Parameters have the names and defaults of ``overlap scan``'s flags: :class:`Params`.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

from . import _native, records as _records
from ._native import DEFAULT_SEED, Params
from .arrow import (
    band_keys,
    bucket_pairs,
    cluster_edges,
    fingerprints,
    signatures,
    union_find,
    verify,
    verify_estimated,
)

__version__ = _native.VERSION

__all__ = [
    "DEFAULT_SEED",
    "Params",
    "band_keys",
    "bucket_pairs",
    "cluster_edges",
    "compare",
    "fingerprints",
    "membership",
    "scan",
    "scan_files",
    "signatures",
    "union_find",
    "verify",
    "verify_estimated",
]

Record = Union[str, Tuple[Any, str], Mapping[str, Any]]


def scan(
    records: Union[Iterable[Record], Any],
    params: Optional[Params] = None,
    *,
    id: str = "id",
    text: str = "text",
    date: Optional[str] = None,
) -> Dict[str, Any]:
    """Scans in-memory records and returns what ``overlap scan --format json`` prints.

    ``records`` is one of:

    - a list (or any ordered iterable) of texts: the ids are their positions, ``"0"``,
      ``"1"``, ...;
    - a list of ``(id, text)`` pairs;
    - a list of dicts with the ``id`` and ``text`` keys (names set by ``id=`` and ``text=``,
      like the CLI's ``--id-field`` and ``--text-field``), and ``date`` for
      ``keep="earliest"``;
    - a pandas ``DataFrame`` or a pyarrow ``Table`` or ``RecordBatch`` with the ``text``
      column and, if present, the ``id`` column (else the ids are row positions).

    Anything else (a single string, a dict itself, a set, a number, records of another
    shape) raises ``TypeError`` naming these; a table without the text column raises
    ``ValueError``. Records without words are listed under ``skipped`` with their position
    (``records:N``, counting from 1), never raised."""
    params = params if params is not None else Params()
    rows = _records.rows(records, id, text, date)
    fd, path = tempfile.mkstemp(prefix="overlap-records-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for row in rows:
                if row["id"] is not None and not isinstance(row["id"], str):
                    row["id"] = str(row["id"])
                out.write(json.dumps(row, ensure_ascii=False))
                out.write("\n")
        doc = _native.scan_jsonl(
            [(path, "records")], params, "text", "id", "date" if date else None
        )
    finally:
        os.unlink(path)
    return json.loads(doc)


def scan_files(
    paths: Sequence[Union[str, "os.PathLike[str]"]],
    params: Optional[Params] = None,
    *,
    text_field: str = "text",
    id_field: Optional[str] = None,
    date_field: Optional[str] = None,
) -> Dict[str, Any]:
    """Scans JSONL files, like ``overlap scan FILE...`` with ``--format json``."""
    params = params if params is not None else Params()
    inputs = [(os.fspath(p), os.fspath(p)) for p in paths]
    return json.loads(_native.scan_jsonl(inputs, params, text_field, id_field, date_field))


def compare(
    a: str,
    b: str,
    *,
    a_id: str = "a",
    b_id: str = "b",
    params: Optional[Params] = None,
    min_score: Optional[float] = None,
) -> Dict[str, Any]:
    """The fact diff of two articles, as ``overlap compare --format json`` prints it: shared
    facts, facts only in ``a`` or ``b`` and conflicting facts, each with its sentence."""
    params = params if params is not None else Params()
    return json.loads(_native.compare(a_id, a, b_id, b, params, min_score))


def membership(scan_result: Mapping[str, Any]) -> Dict[str, Tuple[str, bool]]:
    """``id -> (cluster, kept)`` for every clustered document of a scan's JSON document (from
    :func:`scan` or ``overlap scan --format json``), in the terms ``overlap.spark.dedup`` uses:
    ``cluster`` is the id of the cluster's first member."""
    out = {}
    for cluster in scan_result["clusters"]:
        first = cluster["members"][0]["id"]
        for member in cluster["members"]:
            out[member["id"]] = (first, member["kept"])
    return out
