//! Clusters from verified edges: union-find with evidence, and the keep policy.
//!
//! Exact and near edges are joined by Kruskal's algorithm over the edges in a fixed order
//! (exact first, then by Jaccard), so every member is linked to the cluster by the strongest
//! edge available and the result does not depend on thread timing. Containment edges are
//! different: a short wire story may be contained in two unrelated longer articles, and
//! merging on both would chain those articles together. So each group of near-duplicates may
//! attach to *one* container only, its best; containers are never merged through a shared
//! contained document.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::config::KeepPolicy;
use crate::doc::{DocId, DocInfo};
use crate::verify::{Edge, MatchKind};

/// Disjoint sets over document ids, with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<DocId>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n as DocId).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, mut x: DocId) -> DocId {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were already one.
    pub fn union(&mut self, a: DocId, b: DocId) -> bool {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
        true
    }
}

/// How a member is linked to its cluster: the edge to its parent in the cluster's tree.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    /// The member it matched (nearer the kept document).
    pub to: DocId,
    /// The kind of match.
    pub kind: MatchKind,
    /// Jaccard similarity of the two.
    pub jaccard: f64,
    /// Share of this member's shingles found in `to`.
    pub containment: f64,
    /// Share of `to`'s shingles found in this member.
    pub reverse_containment: f64,
}

/// One document of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// The document.
    pub doc: DocId,
    /// True for the one document `dedup` keeps.
    pub kept: bool,
    /// The edge that put it in the cluster (`None` for the kept document).
    pub link: Option<Link>,
}

/// A group of documents that are copies of each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// The document kept by the policy.
    pub kept: DocId,
    /// Every kind of match in the cluster, strongest first.
    pub kinds: Vec<MatchKind>,
    /// The members in read order.
    pub members: Vec<Member>,
}

fn containment_of(e: &Edge) -> f64 {
    e.sim.a_in_b.max(e.sim.b_in_a)
}

/// What the keep policy looks at in a document.
pub trait KeepFacts {
    /// Length of the text in bytes ([`KeepPolicy::Longest`]).
    fn bytes(&self) -> u64;
    /// The date as seconds since 1970, if known ([`KeepPolicy::Earliest`]).
    fn date_key(&self) -> Option<i64>;
}

impl KeepFacts for DocInfo {
    fn bytes(&self) -> u64 {
        self.bytes
    }
    fn date_key(&self) -> Option<i64> {
        self.date_key
    }
}

/// `(bytes, date)`: for callers that hold no [`DocInfo`], such as a distributed run that
/// clusters one connected component at a time.
impl KeepFacts for (u64, Option<i64>) {
    fn bytes(&self) -> u64 {
        self.0
    }
    fn date_key(&self) -> Option<i64> {
        self.1
    }
}

/// Builds clusters from verified edges over `docs`, sorted by their first member.
///
/// Edges of different connected components never interact, so clustering each component on
/// its own (with its documents renumbered in the same order) gives the same clusters.
pub fn build_clusters<D: KeepFacts>(docs: &[D], edges: &[Edge], keep: KeepPolicy) -> Vec<Cluster> {
    let mut order: Vec<&Edge> = edges.iter().collect();
    order.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then(
                containment_of(y)
                    .total_cmp(&containment_of(x))
                    .then(y.sim.jaccard.total_cmp(&x.sim.jaccard)),
            )
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut uf = UnionFind::new(docs.len());
    let mut tree: Vec<&Edge> = Vec::new();
    let split = order.partition_point(|e| e.kind != MatchKind::Contained);
    for e in &order[..split] {
        if uf.union(e.a, e.b) {
            tree.push(e);
        }
    }
    // Each near-duplicate group (as it stood after the first phase) attaches to one container.
    let mut group_of: HashMap<DocId, DocId> = HashMap::new();
    for e in &order[split..] {
        let (small, _) = e.contained_in();
        group_of.entry(small).or_insert_with(|| uf.find(small));
    }
    let mut attached: HashSet<DocId> = HashSet::new();
    for e in &order[split..] {
        let (small, big) = e.contained_in();
        let group = group_of[&small];
        if attached.contains(&group) {
            continue;
        }
        if uf.union(small, big) {
            attached.insert(group);
            tree.push(e);
        }
    }

    let mut adjacency: HashMap<DocId, Vec<&Edge>> = HashMap::new();
    for e in &tree {
        adjacency.entry(e.a).or_default().push(e);
        adjacency.entry(e.b).or_default().push(e);
    }
    let contained: HashSet<DocId> = tree
        .iter()
        .filter(|e| e.kind == MatchKind::Contained)
        .map(|e| e.contained_in().0)
        .collect();
    let mut components: HashMap<DocId, Vec<DocId>> = HashMap::new();
    let mut nodes: Vec<DocId> = adjacency.keys().copied().collect();
    nodes.sort_unstable();
    for d in nodes {
        components.entry(uf.find(d)).or_default().push(d);
    }
    let mut clusters: Vec<Cluster> = components
        .into_values()
        .map(|members| assemble(&members, &adjacency, &contained, docs, keep))
        .collect();
    clusters.sort_by_key(|c| c.members[0].doc);
    clusters
}

/// Chooses the kept member and links every other member through the tree toward it.
fn assemble(
    members: &[DocId],
    adjacency: &HashMap<DocId, Vec<&Edge>>,
    contained: &HashSet<DocId>,
    docs: &[impl KeepFacts],
    keep: KeepPolicy,
) -> Cluster {
    // Never keep a document that is contained in another member: its container has it all.
    let eligible = members.iter().copied().filter(|d| !contained.contains(d));
    let kept = match keep {
        KeepPolicy::First => eligible.min(),
        KeepPolicy::Longest => {
            eligible.min_by_key(|&d| (std::cmp::Reverse(docs[d as usize].bytes()), d))
        }
        KeepPolicy::Earliest => {
            eligible.min_by_key(|&d| (docs[d as usize].date_key().unwrap_or(i64::MAX), d))
        }
    }
    .unwrap_or(members[0]);

    let mut links: HashMap<DocId, Link> = HashMap::new();
    let mut kinds = BTreeSet::new();
    let mut queue = VecDeque::from([kept]);
    let mut seen = HashSet::from([kept]);
    while let Some(node) = queue.pop_front() {
        let mut next: Vec<&Edge> = adjacency[&node].clone();
        next.sort_by_key(|e| (e.a, e.b));
        for e in next {
            let (child, child_is_a) = if e.a == node {
                (e.b, false)
            } else {
                (e.a, true)
            };
            if !seen.insert(child) {
                continue;
            }
            kinds.insert(e.kind);
            let (containment, reverse_containment) = if child_is_a {
                (e.sim.a_in_b, e.sim.b_in_a)
            } else {
                (e.sim.b_in_a, e.sim.a_in_b)
            };
            links.insert(
                child,
                Link {
                    to: node,
                    kind: e.kind,
                    jaccard: e.sim.jaccard,
                    containment,
                    reverse_containment,
                },
            );
            queue.push_back(child);
        }
    }
    let members = members
        .iter()
        .map(|&doc| Member {
            doc,
            kept: doc == kept,
            link: links.get(&doc).copied(),
        })
        .collect();
    Cluster {
        kept,
        kinds: kinds.into_iter().collect(),
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::verify::Similarity;

    fn docs(sizes: &[u64]) -> Vec<DocInfo> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &bytes)| DocInfo {
                id: format!("d{i}"),
                location: Location {
                    path: format!("d{i}"),
                    line: None,
                },
                bytes,
                title: String::new(),
                date: None,
                date_key: None,
                unit: i as u64,
            })
            .collect()
    }

    fn edge(a: DocId, b: DocId, kind: MatchKind, j: f64, a_in_b: f64, b_in_a: f64) -> Edge {
        Edge {
            a,
            b,
            kind,
            sim: Similarity {
                jaccard: j,
                a_in_b,
                b_in_a,
            },
        }
    }

    #[test]
    fn joins_near_duplicates_and_keeps_by_policy() {
        let d = docs(&[100, 300, 200, 50]);
        let edges = [
            edge(0, 1, MatchKind::Near, 0.9, 0.95, 0.95),
            edge(1, 2, MatchKind::Exact, 1.0, 1.0, 1.0),
        ];
        let c = build_clusters(&d, &edges, KeepPolicy::First);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kept, 0);
        assert_eq!(c[0].kinds, [MatchKind::Exact, MatchKind::Near]);
        let c = build_clusters(&d, &edges, KeepPolicy::Longest);
        assert_eq!(c[0].kept, 1);
        let m2 = &c[0].members[2];
        assert_eq!(m2.link.unwrap().to, 1);
        assert_eq!(m2.link.unwrap().kind, MatchKind::Exact);
    }

    #[test]
    fn a_contained_document_never_bridges_two_containers() {
        // Doc 0 is contained in both 1 and 2, which are unrelated to each other.
        let d = docs(&[100, 1000, 1000]);
        let edges = [
            edge(0, 1, MatchKind::Contained, 0.1, 0.95, 0.1),
            edge(0, 2, MatchKind::Contained, 0.1, 0.9, 0.1),
        ];
        let c = build_clusters(&d, &edges, KeepPolicy::First);
        assert_eq!(c.len(), 1);
        let ids: Vec<DocId> = c[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(ids, [0, 1], "joins its best container only");
        assert_eq!(
            c[0].kept, 1,
            "the container is kept, not the contained copy"
        );
        assert_eq!(c[0].members[0].link.unwrap().containment, 0.95);
    }

    #[test]
    fn output_does_not_depend_on_edge_order() {
        let d = docs(&[10, 10, 10, 10, 10]);
        let mut edges = vec![
            edge(0, 1, MatchKind::Near, 0.85, 0.9, 0.9),
            edge(1, 2, MatchKind::Near, 0.95, 0.97, 0.97),
            edge(0, 2, MatchKind::Near, 0.81, 0.9, 0.9),
            edge(3, 4, MatchKind::Exact, 1.0, 1.0, 1.0),
        ];
        let first = build_clusters(&d, &edges, KeepPolicy::First);
        edges.reverse();
        assert_eq!(first, build_clusters(&d, &edges, KeepPolicy::First));
        assert_eq!(first.len(), 2);
    }

    proptest::proptest! {
        /// What a distributed run relies on: clustering each connected component on its own,
        /// with its documents renumbered in the same order, gives the clusters of the whole.
        #[test]
        fn clustering_decomposes_over_components(
            raw in proptest::collection::vec((0u32..40, 0u32..40, 0u8..3, 1u32..100, 1u32..100), 0..60),
            sizes in proptest::collection::vec(1u64..5000, 40),
            keep in 0usize..2,
        ) {
            let keep = [KeepPolicy::First, KeepPolicy::Longest][keep];
            let edges: Vec<Edge> = raw
                .iter()
                .filter(|(a, b, ..)| a != b)
                .map(|&(a, b, kind, x, y)| {
                    let (x, y) = (f64::from(x) / 100.0, f64::from(y) / 100.0);
                    let kind = [MatchKind::Exact, MatchKind::Near, MatchKind::Contained][kind as usize];
                    edge(a.min(b), a.max(b), kind, x.min(y), x, y)
                })
                .collect();
            let facts: Vec<(u64, Option<i64>)> = sizes.iter().map(|&s| (s, None)).collect();
            let whole = build_clusters(&facts, &edges, keep);

            let mut uf = UnionFind::new(facts.len());
            for e in &edges {
                uf.union(e.a, e.b);
            }
            let mut parts: Vec<Cluster> = Vec::new();
            for root in 0..facts.len() as DocId {
                let nodes: Vec<DocId> = (0..facts.len() as DocId)
                    .filter(|&d| uf.find(d) == root)
                    .collect();
                let local = |d: DocId| nodes.binary_search(&d).unwrap() as DocId;
                let own: Vec<Edge> = edges
                    .iter()
                    .filter(|e| uf.find(e.a) == root)
                    .map(|e| Edge { a: local(e.a), b: local(e.b), ..*e })
                    .collect();
                let own_facts: Vec<_> = nodes.iter().map(|&d| facts[d as usize]).collect();
                for mut c in build_clusters(&own_facts, &own, keep) {
                    c.kept = nodes[c.kept as usize];
                    for m in &mut c.members {
                        m.doc = nodes[m.doc as usize];
                        if let Some(link) = &mut m.link {
                            link.to = nodes[link.to as usize];
                        }
                    }
                    parts.push(c);
                }
            }
            parts.sort_by_key(|c| c.members[0].doc);
            proptest::prop_assert_eq!(whole, parts);
        }
    }
}
