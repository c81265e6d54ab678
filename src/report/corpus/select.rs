//! Which pairs of a cluster get a precomputed fact diff.
//!
//! A report cannot diff every pair: a story of 200 articles has 19,900 of them. Each cluster
//! offers its pairs in the order they explain it best (the evidence edges of a duplicate
//! cluster, each story member against the story's most central one, then, in small clusters,
//! every other pair), at most `per_cluster` of them. A corpus-wide budget is then spent
//! round-robin over the clusters, largest first, so every cluster gets its best pair before
//! any gets a second. Pairs of exact copies are never diffed: their texts are the same.

use crate::cluster::Cluster;
use crate::doc::DocId;
use crate::pipeline::Scan;
use crate::story::StoryCluster;
use crate::verify::MatchKind;

/// Clusters up to this size offer all their pairs (at most ten).
pub const ALL_PAIRS_UP_TO: usize = 5;

/// A cluster of a scan: duplicates or a story, by index into `Scan::clusters` or
/// `Scan::stories`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// A cluster of copies.
    Duplicates(usize),
    /// A story cluster.
    Story(usize),
}

impl Group {
    /// The name reports give it: `3` for the third duplicate cluster, `s3` for the third story.
    pub fn label(self) -> String {
        match self {
            Self::Duplicates(i) => (i + 1).to_string(),
            Self::Story(i) => format!("s{}", i + 1),
        }
    }
}

/// A pair chosen for a diff: `a` is the side the cluster is built around (the document
/// matched, or the story's centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    /// Its cluster.
    pub group: Group,
    /// Article A.
    pub a: DocId,
    /// Article B.
    pub b: DocId,
}

/// The pairs to diff, in report order (by cluster, then by how well they explain it), and
/// how many pairs the clusters offered beyond the budget.
pub fn plan(scan: &Scan, per_cluster: usize, budget: usize) -> (Vec<Planned>, u64) {
    let mut offers: Vec<(Group, Vec<(DocId, DocId)>)> = scan
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (Group::Duplicates(i), duplicate_pairs(c, per_cluster)))
        .chain(
            scan.stories
                .iter()
                .enumerate()
                .map(|(i, s)| (Group::Story(i), story_pairs(s, per_cluster))),
        )
        .filter(|(_, pairs)| !pairs.is_empty())
        .collect();
    let size = |g: Group| match g {
        Group::Duplicates(i) => scan.clusters[i].members.len(),
        Group::Story(i) => scan.stories[i].members.len(),
    };
    offers.sort_by_key(|(g, _)| (std::cmp::Reverse(size(*g)), *g));
    let rounds = offers.iter().map(|(_, p)| p.len()).max().unwrap_or(0);
    let mut chosen = Vec::new();
    let mut left_out = 0;
    for round in 0..rounds {
        for (group, pairs) in &offers {
            if let Some(&(a, b)) = pairs.get(round) {
                if chosen.len() < budget {
                    chosen.push((
                        *group,
                        round,
                        Planned {
                            group: *group,
                            a,
                            b,
                        },
                    ));
                } else {
                    left_out += 1;
                }
            }
        }
    }
    chosen.sort_by_key(|&(group, round, _)| (group, round));
    (chosen.into_iter().map(|(_, _, p)| p).collect(), left_out)
}

/// Adds `(a, b)` unless the pair is already there in either order.
fn offer(pairs: &mut Vec<(DocId, DocId)>, a: DocId, b: DocId) {
    if a != b && !pairs.contains(&(a, b)) && !pairs.contains(&(b, a)) {
        pairs.push((a, b));
    }
}

fn duplicate_pairs(c: &Cluster, per_cluster: usize) -> Vec<(DocId, DocId)> {
    let mut pairs = Vec::new();
    let mut exact = Vec::new();
    for m in &c.members {
        match m.link {
            Some(l) if l.kind == MatchKind::Exact => exact.push((l.to, m.doc)),
            Some(l) => offer(&mut pairs, l.to, m.doc),
            None => {}
        }
    }
    if c.members.len() <= ALL_PAIRS_UP_TO {
        for (i, x) in c.members.iter().enumerate() {
            for y in &c.members[i + 1..] {
                let linked_exact =
                    exact.contains(&(x.doc, y.doc)) || exact.contains(&(y.doc, x.doc));
                if !linked_exact {
                    offer(&mut pairs, x.doc, y.doc);
                }
            }
        }
    }
    pairs.truncate(per_cluster);
    pairs
}

/// The story's most central member: the highest mean similarity to the others, the first read
/// on a tie. Its pairs explain the story best, and reports lead with it.
pub fn centre(s: &StoryCluster) -> Option<DocId> {
    s.members
        .iter()
        .enumerate()
        .max_by(|(i, x), (j, y)| x.similarity.total_cmp(&y.similarity).then(j.cmp(i)))
        .map(|(_, m)| m.doc)
}

fn story_pairs(s: &StoryCluster, per_cluster: usize) -> Vec<(DocId, DocId)> {
    let Some(centre) = centre(s) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    for m in &s.members {
        offer(&mut pairs, centre, m.doc);
    }
    if s.members.len() <= ALL_PAIRS_UP_TO {
        for (i, x) in s.members.iter().enumerate() {
            for y in &s.members[i + 1..] {
                offer(&mut pairs, x.doc, y.doc);
            }
        }
    }
    pairs.truncate(per_cluster);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Link, Member};
    use crate::story::StoryMember;

    fn member(doc: DocId, link: Option<(DocId, MatchKind)>) -> Member {
        Member {
            doc,
            kept: link.is_none(),
            link: link.map(|(to, kind)| Link {
                to,
                kind,
                jaccard: 0.9,
                containment: 0.9,
                reverse_containment: 0.9,
            }),
        }
    }

    fn story(docs: &[(DocId, f64)]) -> StoryCluster {
        StoryCluster {
            members: docs
                .iter()
                .map(|&(doc, similarity)| StoryMember { doc, similarity })
                .collect(),
            terms: Vec::new(),
            names: Vec::new(),
            figures: Vec::new(),
            dates: Vec::new(),
        }
    }

    #[test]
    fn evidence_edges_come_first_and_exact_copies_are_not_diffed() {
        let c = Cluster {
            kept: 0,
            kinds: vec![MatchKind::Exact, MatchKind::Near],
            members: vec![
                member(0, None),
                member(1, Some((0, MatchKind::Exact))),
                member(2, Some((0, MatchKind::Near))),
            ],
        };
        assert_eq!(duplicate_pairs(&c, 10), vec![(0, 2), (1, 2)]);
        assert_eq!(duplicate_pairs(&c, 1), vec![(0, 2)]);
    }

    #[test]
    fn stories_pair_every_member_with_the_most_central_one() {
        let big: Vec<(DocId, f64)> = (0..8)
            .map(|d| (d, if d == 3 { 0.9 } else { 0.5 }))
            .collect();
        let pairs = story_pairs(&story(&big), 10);
        assert_eq!(pairs.len(), 7, "centre against each other member only");
        assert!(pairs.iter().all(|&(a, _)| a == 3));
        let small = story(&[(4, 0.6), (5, 0.7), (6, 0.6)]);
        assert_eq!(story_pairs(&small, 10), vec![(5, 4), (5, 6), (4, 6)]);
    }

    #[test]
    fn the_budget_gives_every_cluster_its_best_pair_first_largest_first() {
        let scan = Scan {
            params: crate::config::Params::default(),
            docs: Vec::new(),
            clusters: Vec::new(),
            stories: vec![
                story(&[(0, 0.5), (1, 0.6)]),
                story(&[(2, 0.5), (3, 0.6), (4, 0.5)]),
            ],
            story_graph: None,
            skipped: Vec::new(),
            warnings: Vec::new(),
            stats: crate::pipeline::ScanStats::default(),
            read_log: None,
        };
        let (pairs, left_out) = plan(&scan, 10, 2);
        // The larger story gets its first pair, then the smaller one; its other two wait.
        assert_eq!(
            pairs,
            vec![
                Planned {
                    group: Group::Story(0),
                    a: 1,
                    b: 0
                },
                Planned {
                    group: Group::Story(1),
                    a: 3,
                    b: 2
                },
            ]
        );
        assert_eq!(left_out, 2);
        let (all, none_left) = plan(&scan, 10, 100);
        assert_eq!((all.len(), none_left), (4, 0));
        assert_eq!(Group::Story(1).label(), "s2");
        assert_eq!(Group::Duplicates(0).label(), "1");
    }
}
