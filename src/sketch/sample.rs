//! Consistent shingle samples, for finding a document contained in a longer one.
//!
//! MinHash estimates Jaccard similarity, and a 300-word wire story inside a 1,200-word article
//! has a Jaccard similarity near 0.25 however exactly it was copied, so banding never pairs
//! them. Containment needs a sketch that keeps a fixed *fraction* of each document: a shingle
//! is sampled when its hash falls below a fixed cut, the same cut for every document. If A is
//! contained in B, A's sampled shingles are also sampled in B, so the pair shares about
//! `containment x |sample(A)|` samples; documents sharing enough samples become candidates for
//! exact verification.
//!
//! Shingle hashes are spread evenly over the 64-bit range, so "below a fixed cut" samples a
//! fixed fraction, and a set sorted in increasing order starts with its samples
//! ([`sampled_prefix`]): the scan keeps every shingle set sorted, and its samples cost nothing
//! more.

use rayon::prelude::*;

use crate::doc::DocId;
use crate::lsh::{pack_pair, unpack_pair, window_pairs, BucketStats};
use crate::sketch::hash_sort::{sort_dedup_hashes, HashSortScratch};

/// One shingle in 2^SAMPLE_BITS is sampled (1 in 8): a 200-word story keeps about 25.
pub const SAMPLE_BITS: u32 = 3;

/// Shingle hashes below this are samples.
pub const SAMPLE_CUT: u64 = 1 << (64 - SAMPLE_BITS);

/// The samples of a shingle set sorted in increasing order: the hashes below [`SAMPLE_CUT`],
/// which come first.
pub fn sampled_prefix(sorted_set: &[u64]) -> &[u64] {
    &sorted_set[..sorted_set.partition_point(|&s| s < SAMPLE_CUT)]
}

/// Sampled shingles are kept in this many parts ([`sample_part`]).
pub const SAMPLE_PARTS: usize = 256;

/// Where the part number starts in a sample: right below the [`SAMPLE_BITS`] top bits,
/// which are zero in every sample.
const PART_SHIFT: u32 = 64 - SAMPLE_BITS - SAMPLE_PARTS.trailing_zeros();

/// The part a sample belongs to: the 8 bits of its hash below the zero top bits, so that
/// equal samples share a part.
#[inline]
pub fn sample_part(sample: u64) -> usize {
    (sample >> PART_SHIFT) as usize & (SAMPLE_PARTS - 1)
}

/// One sampled shingle of one document as a part holds it: the 32 bits of its hash below the
/// part's 8, then the document.
///
/// Sorting plain integers is about twice as fast as sorting `(sample, doc)` pairs, and an
/// entry takes half the memory. Two different samples that agree on these 40 bits (about
/// one pair among a million distinct samples) share a bucket, which can only add a candidate
/// pair, and verification measures every candidate exactly.
#[inline]
pub fn sample_entry(sample: u64, doc: DocId) -> u64 {
    ((sample >> (PART_SHIFT - 32)) << 32) | u64::from(doc)
}

/// Candidate pairs whose smaller side may be contained in the other at `containment` or more.
///
/// `parts` holds every document's sampled shingles as [`sample_entry`] values, each in part
/// [`sample_part`] (any order within a part, a shingle at most once per document);
/// `sample_counts[d]` is how many samples document `d` has. Documents sharing a sample form a
/// bucket, paired as [`window_pairs`] pairs them. A pair becomes a candidate when it shares at
/// least half the samples that containment at the threshold would give the smaller side: the
/// sample count is binomial, and half its mean keeps misses rare while most unrelated pairs
/// share no sample at all. Returns packed pairs, sorted and unique.
///
/// Every step runs on small pieces in parallel: the parts are sorted one by one (a few
/// thousand entries each, in cache, where sorting the million entries of the bench corpus at
/// once went to memory), each part deals its pairs out by ranges of the first document as it
/// makes them, and each range sorts and counts its pairs on its own.
///
/// [`window_pairs`]: crate::lsh::window_pairs
pub fn containment_candidates(
    parts: &mut [Vec<u64>],
    sample_counts: &[u32],
    containment: f64,
    cap: usize,
) -> (Vec<u64>, BucketStats) {
    let docs = sample_counts.len().max(1);
    // Range of a first document by a multiply and a shift: a division per pair, twice for
    // each of the million pairs of the bench corpus, cost more than making the pairs. The
    // scale is rounded down, so ranges grow with the document and stay below `RANGES`.
    let scale = ((RANGES as u64) << 32) / docs as u64;
    let range_of = |first: DocId| ((u64::from(first) * scale) >> 32) as usize;
    // Each part's pairs, grouped by range of first documents, and where each range starts.
    let min_len = parts.len().div_ceil(4 * rayon::current_num_threads());
    let per_part: Vec<(Vec<u64>, [usize; RANGES + 1], BucketStats)> = parts
        .par_iter_mut()
        // Few pieces of work, so that few sort buffers are made: fresh memory costs the
        // kernel a page fault per 4 KiB.
        .with_min_len(min_len)
        .map_init(HashSortScratch::default, |scratch, part| {
            // Only two colliding samples of one document make equal entries.
            sort_dedup_hashes(part, scratch);
            let buckets = || part.chunk_by(|x, y| x >> 32 == y >> 32);
            // The pairs are dealt out by range as they are made, a counting sort in two
            // passes over the buckets: one counts each range's pairs, one places them.
            let mut starts = [0usize; RANGES + 1];
            let mut stats = BucketStats::default();
            for run in buckets() {
                stats.merge(window_pairs(run.len(), cap, |i, _| {
                    starts[range_of(run[i] as DocId) + 1] += 1;
                }));
            }
            for r in 0..RANGES {
                starts[r + 1] += starts[r];
            }
            let mut next = starts;
            let mut pairs = vec![0; starts[RANGES]];
            for run in buckets() {
                window_pairs(run.len(), cap, |i, j| {
                    // Documents are in order within a bucket and distinct.
                    let a = run[i] as DocId;
                    let at = &mut next[range_of(a)];
                    pairs[*at] = pack_pair(a, run[j] as DocId);
                    *at += 1;
                });
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
            // Pairs of a range share their top bits and repeat: not values the bucket sort
            // is faster on.
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

/// Pairs are counted in this many ranges of their first document, in parallel.
const RANGES: usize = 64;

/// How many samples two documents must share to be a containment candidate, when the smaller
/// one has `smaller` samples: half of what containment at the threshold gives on average.
pub fn samples_needed(containment: f64, smaller: u32) -> usize {
    (0.5 * containment * f64::from(smaller)).ceil().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shingle::mix64;

    /// The samples of a shingle set, as a scan finds them.
    fn samples_of(shingles: &[u64]) -> Vec<u64> {
        let mut set = shingles.to_vec();
        set.sort_unstable();
        set.dedup();
        sampled_prefix(&set).to_vec()
    }

    #[test]
    fn samples_are_consistent_and_about_one_in_eight() {
        let set: Vec<u64> = (0..8000u64).map(mix64).collect();
        let s = samples_of(&set);
        assert!((800..1200).contains(&s.len()), "{}", s.len());
        assert!(s.iter().all(|&k| k < SAMPLE_CUT));
        // A subset samples exactly the sampled members of the subset.
        let sub = samples_of(&set[..4000]);
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
            let s = samples_of(set);
            counts.push(s.len() as u32);
            for x in s {
                parts[sample_part(x)].push(sample_entry(x, doc as DocId));
            }
        }
        let (pairs, _) = containment_candidates(&mut parts, &counts, 0.8, 100);
        let pairs: Vec<_> = pairs.into_iter().map(unpack_pair).collect();
        assert_eq!(pairs, [(0, 1)]);
    }

    #[test]
    fn samples_agreeing_on_the_kept_bits_share_a_bucket_without_pairing_a_document_with_itself() {
        // Document 0 holds two samples that differ only below the 40 bits an entry keeps;
        // document 1 holds one of them.
        let (x, y) = (0x0bcd_ef01_2345_6789_u64, 0x0bcd_ef01_2340_0000_u64);
        assert_eq!(sample_entry(x, 0), sample_entry(y, 0));
        let mut parts = vec![Vec::new(); SAMPLE_PARTS];
        for (s, doc) in [(x, 0), (y, 0), (x, 1)] {
            parts[sample_part(s)].push(sample_entry(s, doc));
        }
        let (pairs, stats) = containment_candidates(&mut parts, &[2, 1], 0.8, 100);
        assert_eq!(
            pairs.into_iter().map(unpack_pair).collect::<Vec<_>>(),
            [(0, 1)]
        );
        assert_eq!(stats.largest, 2);
    }
}
