//! Consistent shingle samples, for finding a document contained in a longer one.
//!
//! MinHash estimates Jaccard similarity, and a 300-word wire story inside a 1,200-word article
//! has a Jaccard similarity near 0.25 however exactly it was copied, so banding never pairs
//! them. Containment needs a sketch that keeps a fixed *fraction* of each document: a shingle
//! is sampled when its hash falls below a fixed cut, the same cut for every document. If A is
//! contained in B, A's sampled shingles are also sampled in B, so the pair shares about
//! `containment x |sample(A)|` samples; documents sharing enough samples become candidates for
//! exact verification.

use rayon::prelude::*;

use crate::doc::DocId;
use crate::lsh::{bucket_pairs, pack_pair, sort_parallel, unpack_pair, BucketStats};
use crate::shingle::mix64;

/// One shingle in 2^SAMPLE_BITS is sampled (1 in 8): a 200-word story keeps about 25.
pub const SAMPLE_BITS: u32 = 3;

/// Appends the sampled shingles of a set to `out`.
pub fn sample_shingles(shingles: &[u64], seed: u64, out: &mut Vec<u64>) {
    let salt = mix64(seed ^ 0x5361_6d70_6c65_2121);
    out.extend(
        shingles
            .iter()
            .copied()
            .filter(|&s| mix64(s ^ salt) >> (64 - SAMPLE_BITS) == 0),
    );
}

/// Candidate pairs whose smaller side may be contained in the other at `containment` or more.
///
/// `samples` holds every document's sampled shingles as `(shingle, doc)` entries (any order);
/// `sample_counts[d]` is how many samples document `d` has. A pair becomes a candidate when it
/// shares at least half the samples that containment at the threshold would give the smaller
/// side: the sample count is binomial, and half its mean keeps misses rare while most
/// unrelated pairs share no sample at all. Returns packed pairs, sorted and unique.
pub fn containment_candidates(
    samples: &mut [(u64, DocId)],
    sample_counts: &[u32],
    containment: f64,
    cap: usize,
) -> (Vec<u64>, BucketStats) {
    let mut pairs = Vec::new();
    let stats = bucket_pairs(samples, cap, &mut pairs);
    sort_parallel(&mut pairs);
    let out = pairs
        .par_chunk_by(|x, y| x == y)
        .filter_map(|run| {
            let (a, b) = unpack_pair(run[0]);
            let smaller = sample_counts[a as usize].min(sample_counts[b as usize]);
            (run.len() >= samples_needed(containment, smaller)).then(|| pack_pair(a, b))
        })
        .collect();
    (out, stats)
}

/// How many samples two documents must share to be a containment candidate, when the smaller
/// one has `smaller` samples: half of what containment at the threshold gives on average.
pub fn samples_needed(containment: f64, smaller: u32) -> usize {
    (0.5 * containment * f64::from(smaller)).ceil().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_consistent_and_about_one_in_eight() {
        let set: Vec<u64> = (0..8000u64).map(mix64).collect();
        let mut s = Vec::new();
        sample_shingles(&set, 1, &mut s);
        assert!((800..1200).contains(&s.len()), "{}", s.len());
        // A subset samples exactly the sampled members of the subset.
        let mut sub = Vec::new();
        sample_shingles(&set[..4000], 1, &mut sub);
        assert!(sub.iter().all(|x| s.contains(x)));
    }

    #[test]
    fn contained_document_becomes_a_candidate() {
        let long: Vec<u64> = (0..2000u64).map(mix64).collect();
        let short = &long[500..800];
        let other: Vec<u64> = (5000..5300u64).map(mix64).collect();
        let mut entries = Vec::new();
        let mut counts = Vec::new();
        for (doc, set) in [&long[..], short, &other[..]].into_iter().enumerate() {
            let mut s = Vec::new();
            sample_shingles(set, 3, &mut s);
            counts.push(s.len() as u32);
            entries.extend(s.into_iter().map(|x| (x, doc as DocId)));
        }
        let (pairs, _) = containment_candidates(&mut entries, &counts, 0.8, 100);
        let pairs: Vec<_> = pairs.into_iter().map(unpack_pair).collect();
        assert_eq!(pairs, [(0, 1)]);
    }
}
