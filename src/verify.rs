//! Exact verification of candidate pairs: Jaccard similarity and containment both ways.
//!
//! LSH and sampling only propose pairs; every reported edge is measured here on the full
//! shingle sets, so no pair below the thresholds is ever reported.

use rayon::prelude::*;
use serde::Serialize;

use crate::doc::DocId;
use crate::lsh::unpack_pair;

/// Set overlap of two documents' shingles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Similarity {
    /// |A ∩ B| / |A ∪ B|.
    pub jaccard: f64,
    /// |A ∩ B| / |A|: how much of A is found in B.
    pub a_in_b: f64,
    /// |A ∩ B| / |B|: how much of B is found in A.
    pub b_in_a: f64,
}

/// Measures two sorted, deduplicated sets.
pub fn similarity(a: &[u64], b: &[u64]) -> Similarity {
    similarity_of(intersection_size(a, b), a.len(), b.len())
}

/// The similarity of sets of `a` and `b` members sharing `shared`.
fn similarity_of(shared: usize, a: usize, b: usize) -> Similarity {
    let shared = shared as f64;
    let union = (a + b) as f64 - shared;
    let ratio = |n: f64, d: f64| if d == 0.0 { 0.0 } else { n / d };
    Similarity {
        jaccard: ratio(shared, union),
        a_in_b: ratio(shared, a as f64),
        b_in_a: ratio(shared, b as f64),
    }
}

/// A number of shared members below which sets of `a` and `b` members cannot pass `t`: the
/// Jaccard threshold needs `t (a + b) / (1 + t)` of them, containment `c` times the smaller
/// size. One less than the smaller of the two, rounded down, so that rounding never turns
/// a pair away that [`classify`] would accept.
fn shared_needed(a: usize, b: usize, t: Thresholds) -> usize {
    let jaccard = t.jaccard * (a + b) as f64 / (1.0 + t.jaccard);
    let contained = t.containment.map_or(f64::INFINITY, |c| c * a.min(b) as f64);
    (jaccard.min(contained).floor() as usize).saturating_sub(1)
}

/// Size of the intersection of two sorted sets: a linear merge, or binary search from the
/// smaller side when one set is much larger (a short story inside a long one).
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    intersection_at_least(a, b, 0).expect("every intersection has at least 0 members")
}

/// [`intersection_size`], or `None` as soon as it is clear that it is below `needed`: the
/// members shared so far and all that remain on the shorter side fall short. Most candidate
/// pairs fail verification, and a pair that shares a third of its shingles where the
/// threshold asks for four fifths is turned away a third of the way through.
pub fn intersection_at_least(a: &[u64], b: &[u64], needed: usize) -> Option<usize> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() < needed {
        return None;
    }
    if small.len() * 16 < large.len() {
        let mut rest = large;
        let mut n = 0;
        for (k, x) in small.iter().enumerate() {
            if k % 16 == 0 && n + small.len() - k < needed {
                return None;
            }
            match rest.binary_search(x) {
                Ok(i) => {
                    n += 1;
                    rest = &rest[i + 1..];
                }
                Err(i) => rest = &rest[i..],
            }
        }
        return (n >= needed).then_some(n);
    }
    // Branch-free: which side advances is a coin toss the CPU would mispredict half the time.
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < small.len() && j < large.len() {
        // The bound is checked every 64 steps, the steps themselves stay branch-free.
        if n + (small.len() - i).min(large.len() - j) < needed {
            return None;
        }
        for _ in 0..64 {
            if i == small.len() || j == large.len() {
                break;
            }
            let (x, y) = (small[i], large[j]);
            n += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
    }
    (n >= needed).then_some(n)
}

/// Why two documents are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The same text after normalization.
    Exact,
    /// Jaccard similarity at or above the threshold.
    Near,
    /// The smaller document is contained in the other at or above the containment threshold.
    Contained,
}

impl MatchKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Near => "near",
            Self::Contained => "contained",
        }
    }
}

/// A verified link between documents `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Edge {
    /// The document read first.
    pub a: DocId,
    /// The document read second.
    pub b: DocId,
    /// The kind of match.
    pub kind: MatchKind,
    /// The measured overlap.
    pub sim: Similarity,
}

impl Edge {
    /// For a containment edge, the contained document and its container.
    pub fn contained_in(&self) -> (DocId, DocId) {
        if self.sim.a_in_b >= self.sim.b_in_a {
            (self.a, self.b)
        } else {
            (self.b, self.a)
        }
    }
}

/// Verified pairs counted by Jaccard similarity in twenty bins of 0.05 (the last bin holds
/// 0.95 to 1 inclusive), one row per kind: the similarity distribution reports chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JaccardHistogram {
    /// Exact copies (always in the last bin).
    pub exact: [u64; JACCARD_BINS],
    /// Near-duplicates.
    pub near: [u64; JACCARD_BINS],
    /// Contained copies, which can sit at any Jaccard similarity.
    pub contained: [u64; JACCARD_BINS],
}

/// Bins of [`JaccardHistogram`].
pub const JACCARD_BINS: usize = 20;

impl JaccardHistogram {
    /// Counts every edge.
    pub fn of(edges: &[Edge]) -> Self {
        let mut h = Self::default();
        for e in edges {
            let bin = ((e.sim.jaccard * JACCARD_BINS as f64) as usize).min(JACCARD_BINS - 1);
            let row = match e.kind {
                MatchKind::Exact => &mut h.exact,
                MatchKind::Near => &mut h.near,
                MatchKind::Contained => &mut h.contained,
            };
            row[bin] += 1;
        }
        h
    }

    /// Pairs counted.
    pub fn total(&self) -> u64 {
        [&self.exact, &self.near, &self.contained]
            .iter()
            .flat_map(|row| row.iter())
            .sum()
    }
}

/// Thresholds for accepting a pair.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Minimum Jaccard similarity of a near-duplicate.
    pub jaccard: f64,
    /// Minimum containment of the smaller document in the larger (`None`: not searched).
    pub containment: Option<f64>,
}

/// Classifies a measured pair, or rejects it.
///
/// Containment speaks only for a document clearly smaller than its container: when the
/// smaller side has at least `jaccard` times the other's shingles, the two could be
/// near-duplicates, and the Jaccard threshold alone decides. Otherwise two edited versions of
/// one text (each mostly inside the other) would pass as "contained" at a Jaccard similarity
/// well below the threshold the user asked for.
pub fn classify(sim: Similarity, t: Thresholds) -> Option<MatchKind> {
    let (inside, outside) = (sim.a_in_b.max(sim.b_in_a), sim.a_in_b.min(sim.b_in_a));
    // |smaller| / |larger| = (shared / |larger|) / (shared / |smaller|).
    let size_ratio = if inside > 0.0 { outside / inside } else { 1.0 };
    if sim.jaccard >= t.jaccard {
        Some(MatchKind::Near)
    } else if t.containment.is_some_and(|c| inside >= c) && size_ratio <= t.jaccard {
        Some(MatchKind::Contained)
    } else {
        None
    }
}

/// Verifies packed candidate pairs in parallel, keeping their order; `tick` is called once
/// per verified chunk with its size (for progress reporting).
pub fn verify<'s>(
    candidates: &[u64],
    set: impl Fn(DocId) -> &'s [u64] + Sync,
    t: Thresholds,
    tick: &(dyn Fn(u64) + Sync),
) -> Vec<Edge> {
    // Small chunks: a pair of long documents takes a thousand times as long as a pair of
    // short ones, and with large chunks one core was left finishing the last while the other
    // waited.
    candidates
        .par_chunks(64)
        .flat_map_iter(|chunk| {
            let edges: Vec<Edge> = chunk
                .iter()
                .filter_map(|&p| {
                    let (a, b) = unpack_pair(p);
                    let (sa, sb) = (set(a), set(b));
                    let needed = shared_needed(sa.len(), sb.len(), t);
                    let shared = intersection_at_least(sa, sb, needed)?;
                    let sim = similarity_of(shared, sa.len(), sb.len());
                    classify(sim, t).map(|kind| Edge { a, b, kind, sim })
                })
                .collect();
            tick(chunk.len() as u64);
            edges
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn measures_overlap_both_ways() {
        let s = similarity(&[1, 2, 3, 4], &[3, 4, 5, 6, 7, 8]);
        assert_eq!(s.jaccard, 2.0 / 8.0);
        assert_eq!(s.a_in_b, 0.5);
        assert_eq!(s.b_in_a, 2.0 / 6.0);
    }

    #[test]
    fn classifies_by_threshold() {
        let t = Thresholds {
            jaccard: 0.8,
            containment: Some(0.8),
        };
        let near = Similarity {
            jaccard: 0.85,
            a_in_b: 0.9,
            b_in_a: 0.9,
        };
        let inside = Similarity {
            jaccard: 0.3,
            a_in_b: 0.95,
            b_in_a: 0.3,
        };
        let far = Similarity {
            jaccard: 0.5,
            a_in_b: 0.6,
            b_in_a: 0.7,
        };
        assert_eq!(classify(near, t), Some(MatchKind::Near));
        assert_eq!(classify(inside, t), Some(MatchKind::Contained));
        assert_eq!(classify(far, t), None);
        // Two edited versions of one text, each mostly inside the other: Jaccard decides.
        let edited = Similarity {
            jaccard: 0.68,
            a_in_b: 0.82,
            b_in_a: 0.8,
        };
        assert_eq!(classify(edited, t), None);
    }

    #[test]
    fn histogram_bins_by_jaccard_and_kind() {
        let edge = |kind, jaccard| Edge {
            a: 0,
            b: 1,
            kind,
            sim: Similarity {
                jaccard,
                a_in_b: 1.0,
                b_in_a: jaccard,
            },
        };
        let h = JaccardHistogram::of(&[
            edge(MatchKind::Exact, 1.0),
            edge(MatchKind::Near, 0.84),
            edge(MatchKind::Near, 0.8),
            edge(MatchKind::Contained, 0.049),
        ]);
        assert_eq!(h.exact[19], 1);
        assert_eq!(h.near[16], 2);
        assert_eq!(h.contained[0], 1);
        assert_eq!(h.total(), 4);
    }

    proptest! {
        #[test]
        fn galloping_and_merge_agree(mut a in proptest::collection::vec(0u64..500, 0..40),
                                     mut b in proptest::collection::vec(0u64..500, 0..900)) {
            a.sort_unstable(); a.dedup();
            b.sort_unstable(); b.dedup();
            let expected = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            prop_assert_eq!(intersection_size(&a, &b), expected);
            prop_assert_eq!(intersection_size(&b, &a), expected);
        }

        /// Stopping early turns away only pairs that classification would turn away, and
        /// measures the others exactly.
        #[test]
        fn early_stop_keeps_every_passing_pair(
            base in proptest::collection::vec(0u64..3000, 0..400),
            only_a in proptest::collection::vec(3000u64..6000, 0..400),
            only_b in proptest::collection::vec(6000u64..9000, 0..1500),
            keep in 0usize..400,
            jaccard in 0.3f64..1.0,
            containment in proptest::option::of(0.3f64..1.0),
        ) {
            let mut a: Vec<u64> = base.iter().copied().chain(only_a).collect();
            let mut b: Vec<u64> = base.iter().take(keep).copied().chain(only_b).collect();
            a.sort_unstable(); a.dedup();
            b.sort_unstable(); b.dedup();
            let t = Thresholds { jaccard, containment };
            let exact = similarity(&a, &b);
            let needed = shared_needed(a.len(), b.len(), t);
            let early = intersection_at_least(&a, &b, needed)
                .map(|shared| similarity_of(shared, a.len(), b.len()));
            match classify(exact, t) {
                Some(kind) => {
                    prop_assert_eq!(early, Some(exact));
                    prop_assert_eq!(early.and_then(|s| classify(s, t)), Some(kind));
                }
                None => prop_assert!(early.is_none_or(|s| classify(s, t).is_none())),
            }
            if let Some(s) = early {
                prop_assert_eq!(s, exact);
            }
        }
    }
}
