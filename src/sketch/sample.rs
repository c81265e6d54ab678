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
use crate::lsh::{pack_pair, unpack_pair, window_pairs, BucketStats};
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

/// Sampled shingles are kept in this many parts, by their top bits ([`sample_part`]).
pub const SAMPLE_PARTS: usize = 256;

/// The part a sampled shingle belongs to: its top 8 bits, so that equal samples share a part
/// and the parts, each sorted, are in the order of the whole.
#[inline]
pub fn sample_part(sample: u64) -> usize {
    (sample >> (64 - SAMPLE_PARTS.trailing_zeros())) as usize
}

/// Candidate pairs whose smaller side may be contained in the other at `containment` or more.
///
/// `parts` holds every document's sampled shingles as `(shingle, doc)` entries, each in part
/// [`sample_part`] (any order within a part, a shingle at most once per document);
/// `sample_counts[d]` is how many samples document `d` has. Documents sharing a sample form a
/// bucket, paired as [`window_pairs`] pairs them. A pair becomes a candidate when it shares at
/// least half the samples that containment at the threshold would give the smaller side: the
/// sample count is binomial, and half its mean keeps misses rare while most unrelated pairs
/// share no sample at all. Returns packed pairs, sorted and unique.
///
/// Every step runs on small pieces in parallel: the parts are sorted one by one (a few
/// thousand entries each, in cache, where sorting the million entries of the bench corpus at
/// once went to memory), each part lists its pairs by ranges of the first document, and each
/// range counts its pairs on its own.
///
/// [`window_pairs`]: crate::lsh::window_pairs
pub fn containment_candidates(
    parts: &mut [Vec<(u64, DocId)>],
    sample_counts: &[u32],
    containment: f64,
    cap: usize,
) -> (Vec<u64>, BucketStats) {
    const RANGES: usize = 64;
    let docs = sample_counts.len().max(1);
    let range_of = |a: DocId| a as usize * RANGES / docs;
    // Each part's pairs, sorted, and where each range of first documents starts in them.
    let per_part: Vec<(Vec<u64>, [usize; RANGES + 1], BucketStats)> = parts
        .par_iter_mut()
        .map(|part| {
            part.sort_unstable();
            let mut pairs = Vec::new();
            let mut stats = BucketStats::default();
            for run in part.chunk_by(|x, y| x.0 == y.0) {
                stats.merge(window_pairs(run.len(), cap, |i, j| {
                    // Documents are in order within a bucket and hold a sample once.
                    pairs.push(pack_pair(run[i].1, run[j].1));
                }));
            }
            pairs.sort_unstable();
            let mut starts = [pairs.len(); RANGES + 1];
            for (r, start) in starts.iter_mut().enumerate().take(RANGES) {
                *start = pairs.partition_point(|&p| range_of(unpack_pair(p).0) < r);
            }
            (pairs, starts, stats)
        })
        .collect();
    let mut stats = BucketStats::default();
    for (_, _, part_stats) in &per_part {
        stats.merge(*part_stats);
    }
    let per_range: Vec<Vec<u64>> = (0..RANGES)
        .into_par_iter()
        .map(|r| {
            let slices = per_part
                .iter()
                .map(|(pairs, starts, _)| &pairs[starts[r]..starts[r + 1]]);
            let mut pairs: Vec<u64> = Vec::with_capacity(slices.clone().map(<[u64]>::len).sum());
            for slice in slices {
                pairs.extend_from_slice(slice);
            }
            pairs.sort_unstable();
            pairs
                .chunk_by(|x, y| x == y)
                .filter(|run| {
                    let (a, b) = unpack_pair(run[0]);
                    let smaller = sample_counts[a as usize].min(sample_counts[b as usize]);
                    run.len() >= samples_needed(containment, smaller)
                })
                .map(|run| run[0])
                .collect()
        })
        .collect();
    (per_range.concat(), stats)
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
        let mut parts = vec![Vec::new(); SAMPLE_PARTS];
        let mut counts = Vec::new();
        for (doc, set) in [&long[..], short, &other[..]].into_iter().enumerate() {
            let mut s = Vec::new();
            sample_shingles(set, 3, &mut s);
            counts.push(s.len() as u32);
            for x in s {
                parts[sample_part(x)].push((x, doc as DocId));
            }
        }
        let (pairs, _) = containment_candidates(&mut parts, &counts, 0.8, 100);
        let pairs: Vec<_> = pairs.into_iter().map(unpack_pair).collect();
        assert_eq!(pairs, [(0, 1)]);
    }
}
