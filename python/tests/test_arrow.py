"""The Arrow-batch stages against each other and against the `overlap` binary."""

from __future__ import annotations

import pickle

import pyarrow as pa
import pytest
from conftest import run_cli

import overlap


def _batch(rows):
    return pa.record_batch({"id": [r[0] for r in rows], "text": [r[1] for r in rows]})


def test_params_have_the_cli_defaults(sample_scan):
    cli = sample_scan["params"]
    p = overlap.Params(stories=False)
    for name in ("shingle", "num_perm", "threshold", "containment", "bands", "rows", "max_bucket", "seed", "keep"):
        assert getattr(p, name) == cli[name], name
    assert overlap.Params().stories is True
    assert pickle.loads(pickle.dumps(p)) == p
    assert overlap.Params(threshold=0.5).rows < p.rows


@pytest.mark.parametrize(
    "kwargs, message",
    [({"shingle": "word"}, "shingle"), ({"keep": "last"}, "keep"), ({"threshold": 1.5}, "threshold")],
)
def test_bad_params_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        overlap.Params(**kwargs)


def test_band_keys_are_signed_and_one_per_band(sample_rows):
    p = overlap.Params(stories=False)
    keys = overlap.band_keys(_batch(sample_rows), p)
    assert keys.schema.field("key").type == pa.int64()
    assert keys.num_rows == len(sample_rows) * p.bands
    assert sorted(set(keys.column("band").to_pylist())) == list(range(p.bands))
    assert min(keys.column("key").to_pylist()) < 0 < max(keys.column("key").to_pylist())
    fp = overlap.fingerprints(_batch(sample_rows), p)
    flat = [k for ks in fp.column("band_keys").to_pylist() for k in ks]
    assert flat == keys.column("key").to_pylist()


def test_exact_copies_share_keys_and_wordless_texts_get_nulls(sample_rows):
    texts = dict((i, t) for i, t, _ in sample_rows)
    a, b = texts["samples/harbour_strike.txt"], texts["samples/harbour_strike_copy.txt"]
    fp = overlap.fingerprints(_batch([("a", a), ("b", b), ("c", "?!"), ("d", None)]))
    exact = fp.column("exact").to_pylist()
    assert exact[0] == exact[1] and exact[0] is not None
    assert exact[2:] == [None, None]
    assert fp.column("band_keys").to_pylist()[2] is None


def test_verify_measures_like_the_cli(sample_rows, sample_scan):
    texts = {i: t for i, t, _ in sample_rows}
    links = [
        (m["match"]["to"], m["id"], m["match"])
        for c in sample_scan["clusters"]
        for m in c["members"]
        if "match" in m
    ]
    assert len(links) == 3
    pairs = pa.record_batch(
        {
            "n": list(range(len(links))),
            "text_a": [texts[a] for a, _, _ in links],
            "text_b": [texts[b] for _, b, _ in links],
        }
    )
    got = overlap.verify(pairs)
    assert got.schema.names == ["n", "kind", "jaccard", "a_in_b", "b_in_a"]
    for row, (_, _, match) in zip(got.to_pylist(), links):
        assert row["kind"] == match["kind"]
        assert row["jaccard"] == pytest.approx(match["jaccard"], abs=1e-12)
        # The CLI reports the member's share in `to` (b in a here) as its containment.
        assert row["b_in_a"] == pytest.approx(match["containment"], abs=1e-12)
    unrelated = pa.record_batch({"text_a": [texts["samples/budget_vote.txt"]], "text_b": [texts["samples/wire_flood.txt"]]})
    assert overlap.verify(unrelated).column("kind").to_pylist() == [None]


def test_estimated_verification_is_close_to_the_exact_one(sample_rows):
    texts = {i: t for i, t, _ in sample_rows}
    a, b = texts["samples/budget_vote.txt"], texts["samples/budget_vote_edited.txt"]
    sigs = overlap.signatures(_batch([("a", a), ("b", b)]))
    assert len(sigs.column("signature")[0].as_py()) == 4 * 128
    pairs = pa.record_batch({"signature_a": [sigs.column("signature")[0].as_py()], "signature_b": [sigs.column("signature")[1].as_py()]})
    est = overlap.verify_estimated(pairs).column("jaccard")[0].as_py()
    exact = overlap.verify(pa.record_batch({"text_a": [a], "text_b": [b]})).column("jaccard")[0].as_py()
    assert abs(est - exact) < 0.1, (est, exact)


def _rows(bucket, members, exact=None, counts=None):
    n = len(members)
    cols = {"band": [0] * n, "key": bucket, "ord": members, "exact": exact or members}
    if counts:
        cols["n"] = counts
    return pa.record_batch({k: pa.array(v, pa.int64()) for k, v in cols.items()})


def _pairs(batches, **kwargs):
    return [row for b in overlap.bucket_pairs(batches, **kwargs) for row in b.to_pylist()]


def test_bucket_pairs_follow_the_cap_across_batches():
    p = overlap.Params(max_bucket=2, stories=False)
    small = _rows([1, 1, 1], [3, 5, 7])
    assert _pairs([small], params=p) == [{"a": 3, "b": 5}, {"a": 3, "b": 7}, {"a": 5, "b": 7}]
    # Ten members in order, each paired with its next two: 9 + 8 pairs, the bucket split over
    # two batches.
    big = _rows([2] * 10, list(range(1, 11)))
    capped = _pairs([small, big.slice(0, 4), big.slice(4)], params=p)[3:]
    assert len(capped) == 17
    assert {"a": 4, "b": 6} in capped and {"a": 4, "b": 7} not in capped


def test_later_exact_copies_leave_the_bucket():
    # 5 is an exact copy of 2: it pairs with nothing, and 9 pairs with 2 and 7 only.
    rows = _rows([1, 1, 1, 1], [2, 5, 7, 9], exact=[20, 20, 70, 90])
    assert _pairs([rows]) == [{"a": 2, "b": 7}, {"a": 2, "b": 9}, {"a": 7, "b": 9}]


def test_unsorted_buckets_are_refused():
    with pytest.raises(ValueError, match="sort by bucket, then ordinal"):
        _pairs([_rows([1, 1], [5, 3])])


def test_containment_pairs_carry_the_samples_needed():
    rows = _rows([8, 8], [1, 2], counts=[40, 10])
    got = _pairs([rows], bucket=("key",), counts="n")
    # Half the samples that containment at 0.8 gives the smaller side: ceil(0.5 * 0.8 * 10).
    assert got == [{"a": 1, "b": 2, "needed": 4}]


def test_cluster_edges_reproduce_the_cli_clusters(sample_rows, sample_scan):
    ordinal = {i: n for i, _, n in sample_rows}
    size = {i: len(t.encode()) for i, t, _ in sample_rows}
    rows = []
    for c in sample_scan["clusters"]:
        for m in c["members"]:
            if "match" in m:
                a, b = sorted((ordinal[m["match"]["to"]], ordinal[m["id"]]))
                rows.append({"a": a, "b": b, "kind": m["match"]["kind"], "jaccard": m["match"]["jaccard"],
                             "a_in_b": 0.0, "b_in_a": 0.0})
    # Containment needs both directions: measure them as the scan does.
    texts = {n: t for _, t, n in sample_rows}
    for r in rows:
        v = overlap.verify(pa.record_batch({"text_a": [texts[r["a"]]], "text_b": [texts[r["b"]]]})).to_pylist()[0]
        r["a_in_b"], r["b_in_a"] = v["a_in_b"], v["b_in_a"]
    by_ord = {n: i for i, n in ordinal.items()}
    for r in rows:
        r["bytes_a"], r["bytes_b"] = size[by_ord[r["a"]]], size[by_ord[r["b"]]]
    got = overlap.cluster_edges(pa.RecordBatch.from_pylist(rows)).to_pylist()
    want = {}
    for c in sample_scan["clusters"]:
        for m in c["members"]:
            want[ordinal[m["id"]]] = (ordinal[c["members"][0]["id"]], m["kept"])
    assert {r["member"]: (r["cluster"], r["kept"]) for r in got} == want


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match="body"):
        overlap.fingerprints(pa.record_batch({"id": ["a"], "text": ["x"]}), text="body")


def test_the_type_stubs_name_every_native_function():
    import ast
    from pathlib import Path

    from overlap import _native

    stub = ast.parse((Path(overlap.__file__).parent / "_native.pyi").read_text())
    typed = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    typed |= {t.target.id for t in stub.body if isinstance(t, ast.AnnAssign)}
    public = {n for n in dir(_native) if not n.startswith("_")}
    assert typed == public
