//! Story candidates: pairs of units that share keywords, measured.
//!
//! Every unit is indexed under its few heaviest terms (its keywords); two units become a
//! candidate pair when they share at least two keywords (one when either has fewer than
//! four). Keyword buckets are capped like LSH buckets (a unit pairs with the next `cap` units
//! of a larger bucket only), so a term shared by thousands of units cannot make the run
//! quadratic; the pairs are counted unit by unit, never listed all at once, and each unit
//! keeps only its closest partners. The work per unit is bounded by `keywords × cap`.

use std::cell::RefCell;

use rayon::prelude::*;

use super::vector::{Dense, StoryVectors};
use crate::lsh::BucketStats;

/// Most candidate partners kept per unit (its most similar later units).
pub const MAX_PARTNERS: usize = 20;

/// Most candidates measured per unit: those sharing the most keywords with it.
pub const MAX_MEASURED: usize = 3 * MAX_PARTNERS;

/// A thread's count of keywords shared with each later unit: one byte per unit, and the
/// units touched, to reset (a hash map cost five times as much per count); and the unit
/// being paired, scattered by term, so each partner's dot product is one lookup per term
/// (a merge of two sorted vectors mispredicted a branch at every step).
#[derive(Default)]
struct SharedCounts {
    counts: Vec<u8>,
    touched: Vec<u32>,
    unit: Dense,
}

thread_local! {
    static SHARED: RefCell<SharedCounts> = RefCell::default();
}

/// A candidate pair of story units with its cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryEdge {
    /// First unit.
    pub a: u32,
    /// Second unit (`a < b`).
    pub b: u32,
    /// Cosine similarity of their story vectors.
    pub similarity: f32,
}

/// Units between two progress ticks.
const TICK: usize = 1024;

/// Candidate pairs from shared keywords, measured, keeping those at or above `floor`.
/// `compatible(a, b)` can veto a pair (date blocking); `tick(n)` hears of units done.
pub fn candidate_edges(
    vectors: &StoryVectors,
    keywords: usize,
    cap: usize,
    floor: f32,
    compatible: &(dyn Fn(u32, u32) -> bool + Sync),
    tick: &(dyn Fn(u64) + Sync),
) -> (Vec<StoryEdge>, BucketStats) {
    let n = vectors.len();
    let tops: Vec<Vec<u32>> = (0..n)
        .into_par_iter()
        .with_min_len(256)
        .map(|u| vectors.top(u, keywords))
        .collect();
    // Postings (keyword, unit), sorted, so each keyword's units are a sorted run.
    let mut postings: Vec<u64> = tops
        .iter()
        .enumerate()
        .flat_map(|(u, t)| t.iter().map(move |&k| (u64::from(k) << 32) | u as u64))
        .collect();
    postings.par_sort_unstable();
    let mut stats = BucketStats::default();
    for run in postings.chunk_by(|x, y| x >> 32 == y >> 32) {
        let len = run.len();
        if len >= 2 {
            stats.largest = stats.largest.max(len as u64);
        }
        if len > cap {
            stats.capped += 1;
            let kept: u64 = (0..len).map(|i| (len - 1 - i).min(cap) as u64).sum();
            stats.pairs_skipped += (len * (len - 1) / 2) as u64 - kept;
        }
    }
    // Where each unit's keywords sit in the postings, unit by unit (a binary search per
    // keyword missed the cache at every step).
    let mut at: Vec<(u32, u32)> = postings
        .iter()
        .enumerate()
        .map(|(i, &p)| (p as u32, i as u32))
        .collect();
    at.par_sort_unstable();
    let starts: Vec<usize> = {
        let mut starts = vec![0usize; n + 1];
        for &(u, _) in &at {
            starts[u as usize + 1] += 1;
        }
        for u in 0..n {
            starts[u + 1] += starts[u];
        }
        starts
    };
    // Each unit counts the keywords it shares with the units after it in each run (the next
    // `cap` of them in a capped run), so every pair is counted once, by its first unit.
    let partners_of = |a: usize, shared: &mut SharedCounts| {
        if shared.counts.len() < n {
            shared.counts.resize(n, 0);
        }
        for &(_, i) in &at[starts[a]..starts[a + 1]] {
            let k = postings[i as usize] >> 32;
            for &p in postings[i as usize + 1..].iter().take(cap) {
                if p >> 32 != k {
                    break;
                }
                let b = p as u32;
                let count = &mut shared.counts[b as usize];
                if *count == 0 {
                    shared.touched.push(b);
                }
                *count = count.saturating_add(1);
            }
        }
        let a = a as u32;
        let short = |u: u32| tops[u as usize].len() < 4;
        let mut shared_with: Vec<(u8, u32)> = shared
            .touched
            .drain(..)
            .map(|b| (std::mem::take(&mut shared.counts[b as usize]), b))
            .filter(|&(k, b)| k >= if short(a) || short(b) { 1 } else { 2 })
            .collect();
        // Measure the units that share the most keywords, a bounded number of them.
        if shared_with.len() > MAX_MEASURED {
            shared_with
                .select_nth_unstable_by(MAX_MEASURED, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            shared_with.truncate(MAX_MEASURED);
        }
        let mut out: Vec<StoryEdge> = Vec::new();
        shared.unit.load(vectors.get(a as usize));
        for (_, b) in shared_with {
            if !compatible(a, b) {
                continue;
            }
            let similarity = shared.unit.dot(vectors.get(b as usize)) as f32;
            if similarity >= floor {
                out.push(StoryEdge {
                    a,
                    b,
                    similarity: similarity.min(1.0),
                });
            }
        }
        // Keep the closest partners only: the clustering needs neighbours to compare, not
        // every similar pair, and a corpus where everything resembles everything
        // (boilerplate press releases) must not turn into millions of edges.
        out.sort_unstable_by(|x, y| y.similarity.total_cmp(&x.similarity).then(x.b.cmp(&y.b)));
        out.truncate(MAX_PARTNERS);
        out.sort_unstable_by_key(|e| e.b);
        out
    };
    let edges = (0..n)
        .into_par_iter()
        .with_min_len(64)
        .flat_map_iter(|a| {
            if a % TICK == TICK - 1 {
                tick(TICK as u64);
            }
            SHARED.with(|shared| match shared.try_borrow_mut() {
                Ok(mut shared) => partners_of(a, &mut shared),
                Err(_) => partners_of(a, &mut SharedCounts::default()),
            })
        })
        .collect();
    tick((n % TICK) as u64);
    (edges, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors of documents holding each of the given terms once.
    fn vectors(docs: &[&[u32]]) -> StoryVectors {
        let counts: Vec<Vec<(u32, u16)>> = docs
            .iter()
            .map(|d| d.iter().map(|&t| (t, 1)).collect())
            .collect();
        let refs: Vec<&[(u32, u16)]> = counts.iter().map(Vec::as_slice).collect();
        StoryVectors::of_counts(&refs)
    }

    #[test]
    fn candidates_need_two_shared_keywords() {
        // Term 99 is in every document (idf 0); 1..4 pair 0 and 1; 0 and 2 share term 1 only.
        let v = vectors(&[
            &[1, 2, 3, 4, 5, 99],
            &[1, 2, 3, 4, 6, 99],
            &[1, 7, 8, 9, 10, 99],
            &[5, 6, 7, 8, 9, 10, 99],
        ]);
        let (edges, _) = candidate_edges(&v, 5, 100, 0.0, &|_, _| true, &|_| {});
        let pairs: Vec<(u32, u32)> = edges.iter().map(|e| (e.a, e.b)).collect();
        assert!(pairs.contains(&(0, 1)));
        assert!(
            !pairs.contains(&(0, 2)),
            "0 and 2 share one keyword of five"
        );
    }

    #[test]
    fn a_capped_bucket_bounds_the_partners() {
        // 50 units share keywords 1 and 2; ten more (without them) keep their idf above 0.
        let mut docs: Vec<Vec<u32>> = (0..50).map(|i| vec![1, 2, 100 + i, 200 + i]).collect();
        docs.extend((0..10).map(|i| vec![300 + i / 2]));
        let refs: Vec<&[u32]> = docs.iter().map(Vec::as_slice).collect();
        let v = vectors(&refs);
        let (edges, stats) = candidate_edges(&v, 2, 10, 0.0, &|_, _| true, &|_| {});
        assert_eq!(stats.capped, 2);
        assert!(edges.iter().all(|e| e.b - e.a <= 10));
        assert!(edges.iter().filter(|e| e.a == 0).count() <= 10);
    }
}
