"""`overlap.scan` and `overlap.compare` answer what the binary prints."""

from __future__ import annotations

import json
import subprocess

from conftest import REPO, SAMPLES, _binary, run_cli

import overlap


def test_scan_of_records_equals_the_cli(sample_rows, tmp_path):
    records = [(i, t) for i, t, _ in sample_rows] + [("empty", "?!")]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in records))
    got = overlap.scan(records)
    # Same clusters, stories and counts; only the name of the input differs.
    want = json.loads(json.dumps(run_cli(str(path), skipped=True)).replace(str(path), "records"))
    assert got["clusters"] == want["clusters"]
    assert got["stories"] == want["stories"]
    assert got["summary"] == want["summary"]
    assert got["params"] == want["params"]
    assert [s["source"] for s in got["skipped"]] == ["records:12"]
    assert len(got["clusters"]) == 3 and got["stories"]


def test_scan_takes_mappings_and_files(sample_rows, tmp_path):
    records = [{"id": i, "text": t} for i, t, _ in sample_rows]
    params = overlap.Params(stories=False)
    from_dicts = overlap.scan(records, params)
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    from_file = json.dumps(overlap.scan_files([path], params)["clusters"])
    assert json.loads(from_file.replace(str(path), "records")) == from_dicts["clusters"]
    assert from_dicts["stories"] == []


def test_compare_equals_the_cli():
    a = SAMPLES / "000_ef569615e60f7221.txt"
    b = SAMPLES / "004_19ddaf6e8d9fc9cf.txt"
    out = subprocess.run(
        [str(_binary()), "compare", str(a.relative_to(REPO)), str(b.relative_to(REPO)), "--format", "json"],
        cwd=REPO, check=True, capture_output=True, text=True,
    )
    want = json.loads(out.stdout)
    got = overlap.compare(a.read_text(), b.read_text(), a_id=want["a"]["id"], b_id=want["b"]["id"])
    assert got == want
    assert got["summary"]["shared"] > 0
