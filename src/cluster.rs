//! Clusters from verified edges: which documents are kept, and which copy is removed for
//! which kept document.
//!
//! The rule every output relies on, `dedup` above all: **a removed document has a verified
//! edge directly to a document that is kept**, one that makes it redundant: an exact copy, a
//! near-duplicate (Jaccard at or above the threshold), or a container (the removed document is
//! the smaller one, contained at or above the containment threshold). A container is never
//! removed because of what it contains, and nothing is removed through a chain: A near B near
//! C with A and C unlike each other removes C only if C itself matches a kept document.
//!
//! So a cluster is a star: one kept document and the documents removed for it, each linked to
//! it by its own edge. One more kind of member makes the scan show verified pairs that the
//! star alone would hide: a document that is kept because it matches only removed documents
//! (it is near one of them, or inside one) is listed, still kept, beside the best of them. The kept documents are chosen greedily. Exact copies (one normalized
//! text, hence one shingle set) form a group that is kept or removed as a whole, one member
//! standing for it. Groups are visited containers first (groups contained in no other group),
//! each tier in `--keep` order; a group that no kept group covers yet is kept, and marks every
//! group it covers. Each remaining group then joins its best kept cover (the highest Jaccard
//! among near-duplicates, else the highest containment). The choice looks only at edges and
//! document facts in a fixed order, so it does not depend on thread timing, and it decomposes
//! over connected components (a distributed run clusters one component at a time).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::config::KeepPolicy;
use crate::doc::{DocId, DocInfo};
use crate::verify::{Edge, MatchKind, Similarity};

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

/// The verified edge that puts a member in its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    /// For a removed member, the kept document it duplicates: its cluster's kept document.
    /// For a member that is kept too, the removed member it matches.
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
    /// True for a document `dedup` keeps: the cluster's lead, and any member that matches
    /// only removed members (it is listed to show that match, not removed for it).
    pub kept: bool,
    /// The edge that puts it in the cluster (`None` for the lead).
    pub link: Option<Link>,
}

/// A kept document and the copies removed for it (plus, still kept, documents whose only
/// matches are among those copies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// The document kept by the policy, for which the removed members are removed.
    pub kept: DocId,
    /// Every kind of match in the cluster, strongest first.
    pub kinds: Vec<MatchKind>,
    /// The members in read order.
    pub members: Vec<Member>,
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

/// How much the policy prefers a document: smaller keys are kept first; ties go to the
/// document read first.
fn preference(doc: DocId, facts: &impl KeepFacts, keep: KeepPolicy) -> (i64, DocId) {
    let key = match keep {
        KeepPolicy::First => 0,
        // Lengths beyond i64 do not occur; saturate rather than wrap if they did.
        KeepPolicy::Longest => -(i64::try_from(facts.bytes()).unwrap_or(i64::MAX)),
        KeepPolicy::Earliest => facts.date_key().unwrap_or(i64::MAX),
    };
    (key, doc)
}

/// A group of exact copies, kept or removed as one.
#[derive(Debug, Default)]
struct Group {
    /// The member the policy prefers: the one kept if the group is kept.
    lead: DocId,
    /// Every member, sorted.
    members: Vec<DocId>,
    /// Groups this one makes redundant (near-duplicates, groups contained in it), with the
    /// edge seen from this group's side.
    covers: Vec<(usize, MatchKind, Similarity)>,
    /// Groups that make this one redundant, with the edge seen from this group's side.
    covered_by: Vec<(usize, MatchKind, Similarity)>,
    /// True when this group is the smaller side of a verified containment edge.
    contained: bool,
}

/// The edge seen from `from`'s side: `a_in_b` is how much of `from` is in the other.
fn oriented(e: &Edge, from: DocId) -> Similarity {
    if e.a == from {
        e.sim
    } else {
        Similarity {
            jaccard: e.sim.jaccard,
            a_in_b: e.sim.b_in_a,
            b_in_a: e.sim.a_in_b,
        }
    }
}

/// Builds clusters from verified edges over `docs`, sorted by their first member.
///
/// Exact edges must join documents with one normalized text (they are an equivalence), as
/// the scan makes them. Edges of different connected components never interact, so
/// clustering each component on its own (with its documents renumbered in the same order)
/// gives the same clusters.
pub fn build_clusters<D: KeepFacts>(docs: &[D], edges: &[Edge], keep: KeepPolicy) -> Vec<Cluster> {
    let groups = exact_groups(docs, edges, keep);
    let kept = choose_kept(&groups, |d| preference(d, &docs[d as usize], keep));
    let same = Similarity {
        jaccard: 1.0,
        a_in_b: 1.0,
        b_in_a: 1.0,
    };
    let mut clusters: HashMap<usize, Vec<Member>> = HashMap::new();
    // The kept group each removed group is listed under.
    let mut home: HashMap<usize, usize> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        if kept[g] {
            // The group's other exact copies are removed for its lead.
            let lead = group.lead;
            let copies = group.members.iter().filter(|&&d| d != lead);
            let members = copies.map(|&doc| member(doc, false, lead, MatchKind::Exact, same));
            clusters.entry(g).or_default().extend(members);
            continue;
        }
        // `choose_kept` keeps every group that no kept group covers, so a cover exists; the
        // list is sorted best first.
        let Some(&(h, kind, sim)) = group.covered_by.iter().find(|(h, ..)| kept[*h]) else {
            continue;
        };
        home.insert(g, h);
        let lead = groups[h].lead;
        let members = group.members.iter();
        let members = members.map(|&doc| member(doc, false, lead, kind, sim));
        clusters.entry(h).or_default().extend(members);
    }
    // A kept document that leads no cluster of its own but copies a removed one (near it, or
    // contained in it) is listed beside it, still kept: the scan shows the verified pair
    // without chaining, since it brings nothing else along, having nothing removed for it.
    // A container of a removed document is not listed so: it copies nothing of that cluster.
    let leads: Vec<bool> = (0..groups.len())
        .map(|g| clusters.get(&g).is_some_and(|m| !m.is_empty()))
        .collect();
    for (g, group) in groups.iter().enumerate() {
        if !kept[g] || leads[g] {
            continue;
        }
        // Sorted best first.
        let best = group.covered_by.iter().find(|(h, ..)| !kept[*h]);
        if let Some((&(h, kind, sim), &cluster)) = best.and_then(|b| Some((b, home.get(&b.0)?))) {
            let matched = member(group.lead, true, groups[h].lead, kind, sim);
            clusters.entry(cluster).or_default().push(matched);
        }
    }
    let mut clusters: Vec<Cluster> = clusters
        .into_iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(g, members)| star(groups[g].lead, members))
        .collect();
    clusters.sort_by_key(|c| c.members[0].doc);
    clusters
}

/// Groups the documents named by `edges` into exact-copy groups and records, between groups,
/// which covers which. Groups come sorted by their first member; each list is sorted, so
/// nothing depends on the order of `edges`.
fn exact_groups<D: KeepFacts>(docs: &[D], edges: &[Edge], keep: KeepPolicy) -> Vec<Group> {
    let mut uf = UnionFind::new(docs.len());
    let mut involved: Vec<DocId> = Vec::with_capacity(edges.len() * 2);
    for e in edges {
        involved.extend([e.a, e.b]);
        if e.kind == MatchKind::Exact {
            uf.union(e.a, e.b);
        }
    }
    involved.sort_unstable();
    involved.dedup();
    let mut index: HashMap<DocId, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for &d in &involved {
        let root = uf.find(d);
        let g = *index.entry(root).or_insert_with(|| {
            groups.push(Group::default());
            groups.len() - 1
        });
        groups[g].members.push(d);
    }
    for group in &mut groups {
        group.lead = group
            .members
            .iter()
            .copied()
            .min_by_key(|&d| preference(d, &docs[d as usize], keep))
            .unwrap_or_default();
    }
    for e in edges.iter().filter(|e| e.kind != MatchKind::Exact) {
        let (ga, gb) = (index[&uf.find(e.a)], index[&uf.find(e.b)]);
        if ga == gb {
            continue; // A near edge inside an exact group adds nothing.
        }
        match e.kind {
            MatchKind::Near => {
                groups[ga].covers.push((gb, e.kind, oriented(e, e.a)));
                groups[gb].covers.push((ga, e.kind, oriented(e, e.b)));
                groups[ga].covered_by.push((gb, e.kind, oriented(e, e.a)));
                groups[gb].covered_by.push((ga, e.kind, oriented(e, e.b)));
            }
            MatchKind::Contained => {
                let (small, big) = e.contained_in();
                let (gs, gbig) = (index[&uf.find(small)], index[&uf.find(big)]);
                groups[gbig].covers.push((gs, e.kind, oriented(e, big)));
                groups[gs]
                    .covered_by
                    .push((gbig, e.kind, oriented(e, small)));
                groups[gs].contained = true;
            }
            MatchKind::Exact => {}
        }
    }
    for group in &mut groups {
        group.covers.sort_by(best_cover_first);
        group.covered_by.sort_by(best_cover_first);
    }
    groups
}

/// Orders the covers of a group best first: near-duplicates by Jaccard, then containers by
/// how much of the group they hold, then the group read first.
fn best_cover_first(
    x: &(usize, MatchKind, Similarity),
    y: &(usize, MatchKind, Similarity),
) -> Ordering {
    let score = |(_, kind, sim): &(usize, MatchKind, Similarity)| match kind {
        MatchKind::Contained => sim.a_in_b,
        _ => sim.jaccard,
    };
    x.1.cmp(&y.1)
        .then(score(y).total_cmp(&score(x)))
        .then(x.0.cmp(&y.0))
}

/// Which groups are kept: visited containers first (groups contained in none), each tier in
/// the policy's order of their leads; a group no kept group covers yet is kept and covers
/// its neighbours.
fn choose_kept(groups: &[Group], rank: impl Fn(DocId) -> (i64, DocId)) -> Vec<bool> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (groups[g].contained, rank(groups[g].lead)));
    let mut kept = vec![false; groups.len()];
    let mut covered = vec![false; groups.len()];
    for g in order {
        if covered[g] {
            continue;
        }
        kept[g] = true;
        for &(h, ..) in &groups[g].covers {
            covered[h] = true;
        }
    }
    kept
}

/// A member linked to `to` by an edge seen from its own side: removed for `to` (the kept
/// lead of its cluster), or `kept` and matching `to`, a removed member.
fn member(doc: DocId, kept: bool, to: DocId, kind: MatchKind, sim: Similarity) -> Member {
    Member {
        doc,
        kept,
        link: Some(Link {
            to,
            kind,
            jaccard: sim.jaccard,
            containment: sim.a_in_b,
            reverse_containment: sim.b_in_a,
        }),
    }
}

/// The cluster of `lead` and its other members, in read order.
fn star(lead: DocId, mut members: Vec<Member>) -> Cluster {
    members.push(Member {
        doc: lead,
        kept: true,
        link: None,
    });
    members.sort_by_key(|m| m.doc);
    let kinds: BTreeSet<MatchKind> = members
        .iter()
        .filter_map(|m| m.link.map(|l| l.kind))
        .collect();
    Cluster {
        kept: lead,
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
        // Doc 2 is an exact copy of 1, so it is as near to 0 as 1 is: linked to 0 directly.
        assert_eq!(c[0].kinds, [MatchKind::Near]);
        assert_eq!(c[0].members[2].link.unwrap().to, 0);
        assert_eq!(c[0].members[2].link.unwrap().jaccard, 0.9);
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

    /// The report of the issue: a digest of two stories, one of which has an edited version.
    /// The digest holds both stories, so it is kept; nothing is removed for a document that
    /// does not hold it.
    #[test]
    fn item1_a_digest_is_kept_and_everything_it_holds_is_removed_for_it() {
        // 0 budget, 1 budget edited, 2 digest (harbour + budget), 3 harbour, 4 harbour copy.
        let d = docs(&[1600, 1600, 3300, 1700, 1700]);
        let edges = [
            edge(0, 1, MatchKind::Near, 0.86, 0.92, 0.94),
            edge(0, 2, MatchKind::Contained, 0.49, 1.0, 0.49),
            edge(1, 2, MatchKind::Contained, 0.43, 0.95, 0.44),
            edge(2, 3, MatchKind::Contained, 0.5, 0.5, 1.0),
            edge(3, 4, MatchKind::Exact, 1.0, 1.0, 1.0),
        ];
        for keep in [KeepPolicy::First, KeepPolicy::Longest, KeepPolicy::Earliest] {
            let c = build_clusters(&d, &edges, keep);
            assert_eq!(c.len(), 1, "{keep:?}");
            assert_eq!(c[0].kept, 2, "{keep:?}: the digest holds every story");
            for m in c[0].members.iter().filter(|m| !m.kept) {
                let link = m.link.unwrap();
                assert_eq!(link.to, 2);
                assert_eq!(link.kind, MatchKind::Contained);
            }
            assert_eq!(c[0].members.len(), 5, "{keep:?}");
        }
    }

    /// A near B near C, with A and C unlike each other: C is not removed through B.
    #[test]
    fn item1_nothing_is_removed_through_a_chain() {
        let d = docs(&[100, 100, 100]);
        let edges = [
            edge(0, 1, MatchKind::Near, 0.85, 0.9, 0.9),
            edge(1, 2, MatchKind::Near, 0.85, 0.9, 0.9),
        ];
        let c = build_clusters(&d, &edges, KeepPolicy::First);
        assert_eq!(c.len(), 1);
        let ids: Vec<DocId> = c[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert!(c[0].members[0].kept && !c[0].members[1].kept);
        let last = &c[0].members[2];
        assert!(last.kept, "2 matches only the removed 1, so 2 is kept");
        assert_eq!(
            last.link.unwrap().to,
            1,
            "and listed beside the document it matches"
        );
        // A kept container whose content is also in a removed document: the content group
        // joins the kept container it is really in.
        let d = docs(&[100, 300, 1000]);
        let edges = [
            edge(0, 1, MatchKind::Contained, 0.3, 0.95, 0.3),
            edge(1, 2, MatchKind::Contained, 0.3, 0.95, 0.3),
        ];
        let c = build_clusters(&d, &edges, KeepPolicy::First);
        let kept: Vec<DocId> = c.iter().map(|c| c.kept).collect();
        assert_eq!(kept, [2]);
        let ids: Vec<DocId> = c[0].members.iter().map(|m| m.doc).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert!(
            c[0].members[0].kept,
            "0 is only in 1, which is removed: 0 stays"
        );
        assert_eq!(c[0].members[0].link.unwrap().to, 1);
        assert!(!c[0].members[1].kept);
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
