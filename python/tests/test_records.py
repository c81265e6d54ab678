"""Item 5 of issue 16: what `overlap.scan` accepts as records, and that it refuses the rest.

Each accepted shape must give the clusters the CLI gives on the same records written as JSONL
(with the same ids); every other shape must raise TypeError naming what is accepted, never be
scanned as something else (a list of strings as pairs of characters, a DataFrame as its column
names)."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
from conftest import run_cli

import overlap


@pytest.fixture(scope="module")
def texts(sample_rows):
    return [t for _, t, _ in sample_rows]


def cli_clusters(tmp_path, rows):
    """The CLI's clusters of `rows` (dicts), with the input named as `overlap.scan` names it."""
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = run_cli(str(path))
    return json.loads(json.dumps(got["clusters"]).replace(str(path), "records"))


def member_ids(result):
    return sorted(m["id"] for c in result["clusters"] for m in c["members"])


def test_item5_list_of_texts_has_position_ids(texts, tmp_path):
    got = overlap.scan(texts)
    want = cli_clusters(tmp_path, [{"id": str(i), "text": t} for i, t in enumerate(texts)])
    assert got["clusters"] == want
    assert len(got["clusters"]) == 3
    assert got["summary"]["documents"] == len(texts)
    assert all(i.isdigit() for i in member_ids(got)), member_ids(got)


def test_item5_dicts_with_named_keys(sample_rows, tmp_path):
    rows = [{"doc_id": i, "body": t, "other": 1} for i, t, _ in sample_rows]
    got = overlap.scan(rows, id="doc_id", text="body")
    want = cli_clusters(tmp_path, [{"id": i, "text": t} for i, t, _ in sample_rows])
    assert got["clusters"] == want
    assert len(want) == 3


def test_item5_pandas_dataframe_by_columns(sample_rows, tmp_path):
    want = cli_clusters(tmp_path, [{"id": i, "text": t} for i, t, _ in sample_rows])
    df = pd.DataFrame({"id": [i for i, _, _ in sample_rows], "text": [t for _, t, _ in sample_rows]})
    assert overlap.scan(df)["clusters"] == want
    renamed = df.rename(columns={"id": "key", "text": "content"})
    assert overlap.scan(renamed, id="key", text="content")["clusters"] == want
    # Without an id column, the ids are row positions, as for a list of texts.
    positions = overlap.scan(df[["text"]])
    assert positions["clusters"] == overlap.scan(list(df["text"]))["clusters"]
    with pytest.raises(ValueError, match="no 'body' column"):
        overlap.scan(df, text="body")


def test_item5_pandas_missing_text_is_a_skipped_record(sample_rows):
    df = pd.DataFrame({"id": ["a", "b"], "text": [sample_rows[0][1], None]})
    got = overlap.scan(df)
    assert got["summary"]["documents"] == 1
    assert [s["source"] for s in got["skipped"]] == ["records:2"]


def test_item5_pyarrow_table_and_batch(sample_rows, tmp_path):
    want = cli_clusters(tmp_path, [{"id": i, "text": t} for i, t, _ in sample_rows])
    table = pa.table({"id": [i for i, _, _ in sample_rows], "text": [t for _, t, _ in sample_rows]})
    assert overlap.scan(table)["clusters"] == want
    assert overlap.scan(table.to_batches()[0])["clusters"] == want
    renamed = table.rename_columns(["key", "content"])
    assert overlap.scan(renamed, id="key", text="content")["clusters"] == want


@pytest.mark.parametrize(
    "records",
    [
        "one text, not a list",
        b"bytes",
        {"a": "text"},
        {"a text", "another"},
        42,
        None,
        [("a", "text", "extra")],
        [42],
        [b"bytes"],
        pd.Series(["a text"]),
    ],
    ids=["str", "bytes", "dict", "set", "int", "None", "triple", "int-record", "bytes-record", "series"],
)
def test_item5_anything_else_is_a_type_error(records):
    with pytest.raises(TypeError, match="records must be a list"):
        overlap.scan(records)
