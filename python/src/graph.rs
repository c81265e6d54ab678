//! Pair and graph stages on batches: the pairs of grouped buckets, union-find, and clusters
//! from verified edges. Documents are int64 ordinals in read order (what Spark's
//! `monotonically_increasing_id` gives a file read in order); only their order matters.

use std::collections::HashSet;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use overlap::cluster::{build_clusters, UnionFind};
use overlap::lsh::WindowStream;
use overlap::sketch::sample::samples_needed;
use overlap::verify::{Edge, MatchKind, Similarity};
use overlap::{DocId, KeepPolicy};

use crate::batch::kind_code;
use crate::buffers::{f64s, i64s, Columns};

/// The scan's candidate pairs from buckets streamed in order: rows sorted by bucket, then by
/// document ordinal, in as many batches as they come. State carries from one batch to the
/// next, so a bucket may span batches, and memory stays bounded by the window (`max_bucket`
/// members) plus the exact-copy keys of the current bucket.
///
/// A member whose exact copy came earlier in the bucket is left out, as the scan searches
/// candidates for the first of a set of exact copies only; its first copy is always in the same
/// bucket, because exact copies have the same band keys and the same samples. With sample
/// counts, the buckets are shared samples and each pair also gets `needed`, the shared samples
/// it must reach to be a containment candidate.
#[pyclass(module = "overlap")]
pub struct BucketStream {
    window: WindowStream<(i64, i64)>,
    containment: f64,
    bucket: Option<(i64, i64)>,
    seen: HashSet<i64>,
}

#[pymethods]
impl BucketStream {
    #[new]
    #[pyo3(signature = (max_bucket, containment = None))]
    fn new(max_bucket: usize, containment: Option<f64>) -> Self {
        Self {
            window: WindowStream::new(max_bucket),
            containment: containment.unwrap_or(0.0),
            bucket: None,
            seen: HashSet::new(),
        }
    }

    /// The next sorted rows: bucket key in two parts (`group`, `key`), ordinal, exact-copy key
    /// and, for containment buckets, sample counts. Returns the pairs `a < b` they complete.
    #[pyo3(signature = (group, key, ordinal, exact, counts = None))]
    fn push<'py>(
        &mut self,
        py: Python<'py>,
        group: &[u8],
        key: &[u8],
        ordinal: &[u8],
        exact: &[u8],
        counts: Option<&[u8]>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (group, key) = (i64s(group, "group")?, i64s(key, "key")?);
        let (ordinal, exact) = (i64s(ordinal, "ordinal")?, i64s(exact, "exact")?);
        let with_counts = counts.is_some();
        let counts = match counts {
            Some(raw) => i64s(raw, "counts")?,
            None => vec![0; ordinal.len()],
        };
        let n = ordinal.len();
        if [group.len(), key.len(), exact.len(), counts.len()]
            .iter()
            .any(|&l| l != n)
        {
            return Err(PyValueError::new_err("bucket columns differ in length"));
        }
        let (mut a, mut b, mut needed) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for i in 0..n {
            let bucket = (group[i], key[i]);
            if self.bucket != Some(bucket) {
                self.bucket = Some(bucket);
                self.window.reset();
                self.seen.clear();
            } else if last.is_some_and(|prev| prev >= ordinal[i]) {
                return Err(PyValueError::new_err(format!(
                    "row {i}: ordinals must rise within a bucket (sort by bucket, then ordinal)"
                )));
            }
            last = Some(ordinal[i]);
            if !self.seen.insert(exact[i]) {
                continue;
            }
            let containment = self.containment;
            self.window
                .push((ordinal[i], counts[i]), |(m, cm), (n, cn)| {
                    a.push(m);
                    b.push(n);
                    let smaller = cm.min(cn).clamp(0, i64::from(u32::MAX)) as u32;
                    needed.push(samples_needed(containment, smaller) as i32);
                });
        }
        let mut cols = Columns::new(py).put("a", &a)?.put("b", &b)?;
        if with_counts {
            cols = cols.put("needed", &needed)?;
        }
        Ok(cols.finish())
    }
}

/// The distinct ordinals at the ends of some edges, sorted: a node's local id is its index.
fn renumber(ends: &[&[i64]]) -> Vec<i64> {
    let mut nodes: Vec<i64> = ends.iter().flat_map(|e| e.iter().copied()).collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// The local id of `ordinal` among `nodes`.
fn local(nodes: &[i64], ordinal: i64) -> DocId {
    nodes
        .binary_search(&ordinal)
        .expect("every end was numbered") as DocId
}

fn too_many(n: usize) -> PyResult<()> {
    if n > DocId::MAX as usize {
        return Err(PyValueError::new_err(format!(
            "{n} documents in one batch of edges: at most {} fit; use the distributed \
             components (components=\"spark\")",
            DocId::MAX
        )));
    }
    Ok(())
}

/// Connected components of the edges `(a[i], b[i])`: every node with the smallest node of
/// its component (`node`, `root`), nodes in ascending order.
#[pyfunction]
pub fn union_find<'py>(py: Python<'py>, a: &[u8], b: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let (a, b) = (i64s(a, "a")?, i64s(b, "b")?);
    if a.len() != b.len() {
        return Err(PyValueError::new_err("a and b differ in length"));
    }
    let nodes = renumber(&[&a, &b]);
    too_many(nodes.len())?;
    let roots = py.detach(|| {
        let mut uf = UnionFind::new(nodes.len());
        for (&x, &y) in a.iter().zip(&b) {
            uf.union(local(&nodes, x), local(&nodes, y));
        }
        // The smallest node of a component is its first in ascending order.
        let mut smallest = vec![i64::MAX; nodes.len()];
        let mut roots = vec![0i64; nodes.len()];
        for (i, &node) in nodes.iter().enumerate() {
            let r = uf.find(i as DocId) as usize;
            if smallest[r] == i64::MAX {
                smallest[r] = node;
            }
            roots[i] = smallest[r];
        }
        roots
    });
    Columns::new(py)
        .put("node", &nodes)?
        .put("root", &roots)
        .map(Columns::finish)
}

/// The scan's clusters from verified edges (whole connected components only: a component
/// split over two calls would be clustered as two).
///
/// Each edge is `(a, b, kind, jaccard, a_in_b, b_in_a)` with kind 1 exact, 2 near,
/// 3 contained, plus both ends' text length and date (seconds since 1970, `i64::MAX` for
/// none) for the keep policy. Returns one row per clustered document: `member`, `cluster`
/// (the cluster's first member), `kept` (1 for the one `dedup` keeps), and the evidence that
/// put it in the cluster, as the scan reports it: `link_to` (the member it matched, -1 for the
/// kept one), `link_kind`, `jaccard`, `containment` (its share in `link_to`) and
/// `reverse_containment` (NaN for the kept one).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn cluster_edges<'py>(
    py: Python<'py>,
    keep: &str,
    a: &[u8],
    b: &[u8],
    kind: &[u8],
    jaccard: &[u8],
    a_in_b: &[u8],
    b_in_a: &[u8],
    bytes_a: &[u8],
    bytes_b: &[u8],
    date_a: &[u8],
    date_b: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let keep = match keep {
        "first" => KeepPolicy::First,
        "longest" => KeepPolicy::Longest,
        "earliest" => KeepPolicy::Earliest,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown keep policy {other:?}"
            )))
        }
    };
    let (a, b) = (i64s(a, "a")?, i64s(b, "b")?);
    let (jaccard, a_in_b, b_in_a) = (
        f64s(jaccard, "jaccard")?,
        f64s(a_in_b, "a_in_b")?,
        f64s(b_in_a, "b_in_a")?,
    );
    let (bytes_a, bytes_b) = (i64s(bytes_a, "bytes_a")?, i64s(bytes_b, "bytes_b")?);
    let (date_a, date_b) = (i64s(date_a, "date_a")?, i64s(date_b, "date_b")?);
    let n = a.len();
    let lengths = [
        b.len(),
        kind.len(),
        jaccard.len(),
        a_in_b.len(),
        b_in_a.len(),
        bytes_a.len(),
        bytes_b.len(),
        date_a.len(),
        date_b.len(),
    ];
    if lengths.iter().any(|&l| l != n) {
        return Err(PyValueError::new_err("edge columns differ in length"));
    }
    let nodes = renumber(&[&a, &b]);
    too_many(nodes.len())?;
    let mut facts = vec![(0u64, None); nodes.len()];
    let mut edges = Vec::with_capacity(n);
    for i in 0..n {
        let kind = match kind[i] {
            1 => MatchKind::Exact,
            2 => MatchKind::Near,
            3 => MatchKind::Contained,
            other => {
                return Err(PyValueError::new_err(format!(
                    "edge {i}: kind {other} is not an accepted edge (1, 2 or 3)"
                )))
            }
        };
        let date = |d: i64| (d != i64::MAX).then_some(d);
        let (x, y) = (local(&nodes, a[i]), local(&nodes, b[i]));
        facts[x as usize] = (bytes_a[i].max(0) as u64, date(date_a[i]));
        facts[y as usize] = (bytes_b[i].max(0) as u64, date(date_b[i]));
        // An edge runs from the document read first; its containments follow it.
        let (x, y, xy, yx) = if x < y {
            (x, y, a_in_b[i], b_in_a[i])
        } else {
            (y, x, b_in_a[i], a_in_b[i])
        };
        if x == y {
            continue;
        }
        edges.push(Edge {
            a: x,
            b: y,
            kind,
            sim: Similarity {
                jaccard: jaccard[i],
                a_in_b: xy,
                b_in_a: yx,
            },
        });
    }
    let clusters = py.detach(|| build_clusters(&facts, &edges, keep));
    let (mut member, mut cluster, mut kept) = (vec![], vec![], vec![]);
    let (mut link_to, mut link_kind) = (vec![], vec![]);
    let (mut jaccard, mut containment, mut reverse) = (vec![], vec![], vec![]);
    for c in &clusters {
        let first = nodes[c.members[0].doc as usize];
        for m in &c.members {
            member.push(nodes[m.doc as usize]);
            cluster.push(first);
            kept.push(u8::from(m.kept));
            link_to.push(m.link.map_or(-1, |l| nodes[l.to as usize]));
            link_kind.push(kind_code(m.link.map(|l| l.kind)));
            jaccard.push(m.link.map_or(f64::NAN, |l| l.jaccard));
            containment.push(m.link.map_or(f64::NAN, |l| l.containment));
            reverse.push(m.link.map_or(f64::NAN, |l| l.reverse_containment));
        }
    }
    Columns::new(py)
        .put("member", &member)?
        .put("cluster", &cluster)?
        .put("kept", &kept)?
        .put("link_to", &link_to)?
        .put("link_kind", &link_kind)?
        .put("jaccard", &jaccard)?
        .put("containment", &containment)?
        .put("reverse_containment", &reverse)
        .map(Columns::finish)
}
