//! LSH banding: the choice of (bands, rows), band keys, and candidate pairs from buckets.
//!
//! Buckets are formed by sorting `(key, doc)` entries rather than filling hash maps: sorting is
//! deterministic, needs 12 bytes per entry and no hashing of the already-hashed keys, and it
//! is the same shape as a `groupBy(band, key)` on a distributed engine.

use std::collections::VecDeque;

use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::doc::DocId;
use crate::sketch::hash_sort::{bucket_sort, HashSortScratch};

/// How much more a missed duplicate costs than a false candidate. Every candidate is verified
/// exactly, so a false candidate costs one set intersection while a miss loses a duplicate for
/// good; at 500:1 the default banding for threshold 0.8 and 128 values (21 x 6) catches a pair
/// at exactly J = 0.8 with probability 0.998.
pub const MISS_COST: f64 = 500.0;

/// Probability that two documents of Jaccard similarity `j` share at least one band.
pub fn candidate_probability(j: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - j.powi(rows as i32)).powi(bands as i32)
}

/// Chooses (bands, rows) with `bands * rows <= num_perm` minimising
/// `FP + MISS_COST * FN`, where FP is the area under the candidate probability below the
/// threshold and FN the area above it left uncaught.
///
/// Both areas are midpoint sums of 200 steps. For each row count, the probability that a
/// pair misses every band is built up one band at a time, a multiplication per step and band
/// (evaluating every pair of counts from scratch took 3 ms, at the start of every scan).
pub fn optimal_banding(threshold: f64, num_perm: usize) -> (usize, usize) {
    const STEPS: usize = 200;
    // cost[bands - 1][rows - 1], filled for bands * rows <= num_perm.
    let mut cost = vec![vec![f64::INFINITY; num_perm]; num_perm];
    let (below, above) = (threshold / STEPS as f64, (1.0 - threshold) / STEPS as f64);
    for rows in 1..=num_perm {
        let max_bands = num_perm / rows;
        let (mut fp, mut fneg) = (vec![0.0; max_bands], vec![0.0; max_bands]);
        for i in 0..STEPS {
            let step = i as f64 + 0.5;
            // A pair of similarity j misses one band with probability 1 - j^rows.
            let (miss_low, miss_high) = (
                1.0 - (step * below).powi(rows as i32),
                1.0 - (threshold + step * above).powi(rows as i32),
            );
            let (mut all_low, mut all_high) = (1.0, 1.0);
            for b in 0..max_bands {
                all_low *= miss_low;
                all_high *= miss_high;
                fp[b] += 1.0 - all_low;
                fneg[b] += 1.0 - (1.0 - all_high);
            }
        }
        for b in 0..max_bands {
            cost[b][rows - 1] = fp[b] * below + MISS_COST * (fneg[b] * above);
        }
    }
    // The first minimum in the order (bands, rows).
    let mut best = (f64::INFINITY, 1, 1);
    for bands in 1..=num_perm {
        for rows in 1..=num_perm / bands {
            if cost[bands - 1][rows - 1] < best.0 {
                best = (cost[bands - 1][rows - 1], bands, rows);
            }
        }
    }
    (best.1, best.2)
}

/// The search [`optimal_banding`] replaced: every pair of counts evaluated on its own.
#[cfg(test)]
fn optimal_banding_by_powers(threshold: f64, num_perm: usize) -> (usize, usize) {
    const STEPS: usize = 200;
    let integrate = |lo: f64, hi: f64, f: &dyn Fn(f64) -> f64| {
        let h = (hi - lo) / STEPS as f64;
        (0..STEPS)
            .map(|i| f(lo + (i as f64 + 0.5) * h))
            .sum::<f64>()
            * h
    };
    let mut best = (f64::INFINITY, 1, 1);
    for bands in 1..=num_perm {
        for rows in 1..=num_perm / bands {
            let fp = integrate(0.0, threshold, &|j| candidate_probability(j, bands, rows));
            let fneg = integrate(threshold, 1.0, &|j| {
                1.0 - candidate_probability(j, bands, rows)
            });
            let cost = fp + MISS_COST * fneg;
            if cost < best.0 {
                best = (cost, bands, rows);
            }
        }
    }
    (best.1, best.2)
}

/// Appends the `bands` keys of a signature to `out`, each band's values hashed once.
///
/// A key is the band's xxh3 read as a signed integer: Spark has no unsigned 64-bit type, and a
/// key that means the same bits everywhere cannot be converted wrongly.
pub fn band_keys(sig: &[u32], bands: usize, rows: usize, seed: u64, out: &mut Vec<i64>) {
    for band in 0..bands {
        let values = &sig[band * rows..(band + 1) * rows];
        out.push(xxh3_64_with_seed(&le_bytes(values), seed ^ band as u64) as i64);
    }
}

/// The values' little-endian bytes: the memory itself on a little-endian machine.
#[cfg(target_endian = "little")]
fn le_bytes(values: &[u32]) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Borrowed(bytemuck::cast_slice(values))
}

#[cfg(target_endian = "big")]
fn le_bytes(values: &[u32]) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(values.iter().flat_map(|v| v.to_le_bytes()).collect())
}

/// What the bucket cap did during a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BucketStats {
    /// Buckets that held more documents than the cap.
    pub capped: u64,
    /// Members of the largest bucket seen.
    pub largest: u64,
    /// Pairs not generated because of the cap.
    pub pairs_skipped: u64,
}

impl BucketStats {
    /// Folds another run's statistics into this one.
    pub fn merge(&mut self, other: BucketStats) {
        self.capped += other.capped;
        self.largest = self.largest.max(other.largest);
        self.pairs_skipped += other.pairs_skipped;
    }
}

/// Packs a pair `a < b` into one sortable integer.
#[inline]
pub fn pack_pair(a: DocId, b: DocId) -> u64 {
    debug_assert!(a < b);
    (u64::from(a) << 32) | u64::from(b)
}

/// Splits a packed pair.
#[inline]
pub fn unpack_pair(p: u64) -> (DocId, DocId) {
    ((p >> 32) as DocId, p as DocId)
}

/// The bucket of a band key: its top 32 bits, all a scan keeps of it.
///
/// Two different keys that agree on their top 32 bits share a bucket, which can only add a
/// candidate pair (about one per band among 40,000 documents), and verification measures
/// every candidate exactly.
#[inline]
pub fn band_bucket(key: i64) -> u32 {
    ((key as u64) >> 32) as u32
}

/// One document's bucket in one band as the band's list holds it: the bucket, then the
/// document. Sorting plain integers is about twice as fast as sorting `(key, doc)` pairs,
/// and an entry takes half the memory.
#[inline]
pub fn band_entry(bucket: u32, doc: DocId) -> u64 {
    (u64::from(bucket) << 32) | u64::from(doc)
}

/// Sorts [`band_entry`] values (a document at most once) and appends every pair of documents
/// sharing a bucket to `pairs`.
///
/// A bucket larger than `cap` pairs each member only with its next `cap` members (in document
/// order), so a shingle or band shared by thousands of documents costs `n * cap`, not `n^2`;
/// near-identical members still connect through the chain. The skipped work is counted.
pub fn bucket_pairs(
    entries: &mut Vec<u64>,
    cap: usize,
    pairs: &mut Vec<u64>,
    scratch: &mut HashSortScratch,
) -> BucketStats {
    // Buckets are hash values, spread evenly: a bucket sort takes about linear time.
    bucket_sort(entries, scratch);
    let mut stats = BucketStats::default();
    for run in entries.chunk_by(|x, y| x >> 32 == y >> 32) {
        // Documents are in order within a bucket.
        stats.merge(window_pairs(run.len(), cap, |i, j| {
            pairs.push(pack_pair(run[i] as DocId, run[j] as DocId));
        }));
    }
    stats
}

/// Sorts `items` on the rayon pool.
///
/// The standard library's sort is far leaner than rayon's `par_sort_unstable` (callgrind
/// counts 2.5 times the instructions for rayon's on the scan's bucket entries), so the slice
/// is split at its median in linear time (`select_nth_unstable`), and each half is split
/// again while there are idle threads; the standard sort then sorts the parts in parallel.
pub fn sort_parallel<T: Ord + Send>(items: &mut [T]) {
    fn split<T: Ord + Send>(items: &mut [T], parts: usize) {
        if parts < 2 || items.len() < 1 << 15 {
            items.sort_unstable();
            return;
        }
        let mid = items.len() / 2;
        items.select_nth_unstable(mid);
        let (low, high) = items.split_at_mut(mid);
        rayon::join(|| split(low, parts / 2), || split(high, parts - parts / 2));
    }
    split(items, rayon::current_num_threads());
}

/// Calls `pair(i, j)` for the positions `i < j` of a bucket of `n` members in document order
/// that the cap keeps: those at most `cap` apart, which is every pair when `n <= cap`.
///
/// This defines a bucket's pairs. [`WindowStream`] gives the same pairs from a bucket read
/// one member at a time, for distributed runs that stream sorted buckets and must produce
/// exactly the scan's candidates.
pub fn window_pairs(n: usize, cap: usize, mut pair: impl FnMut(usize, usize)) -> BucketStats {
    let mut stats = BucketStats::default();
    if n < 2 {
        return stats;
    }
    stats.largest = n as u64;
    let window = if n > cap {
        stats.capped = 1;
        let all = (n * (n - 1) / 2) as u64;
        let kept = (0..n).map(|i| (n - 1 - i).min(cap) as u64).sum::<u64>();
        stats.pairs_skipped = all - kept;
        cap
    } else {
        n
    };
    for i in 0..n {
        for j in i + 1..n.min(i + 1 + window) {
            pair(i, j);
        }
    }
    stats
}

/// The pairs of [`window_pairs`] for a bucket streamed member by member in document order,
/// holding only the last `cap` members: a bucket of any size is paired in bounded memory.
#[derive(Debug, Clone)]
pub struct WindowStream<T> {
    cap: usize,
    recent: VecDeque<T>,
}

impl<T: Copy> WindowStream<T> {
    /// An empty stream whose members pair with at most the `cap` before them.
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            recent: VecDeque::with_capacity(cap.min(1024)),
        }
    }

    /// Starts the next bucket.
    pub fn reset(&mut self) {
        self.recent.clear();
    }

    /// Adds the bucket's next member, calling `pair(earlier, member)` for each of the last
    /// `cap` members before it.
    pub fn push(&mut self, member: T, mut pair: impl FnMut(T, T)) {
        for &earlier in &self.recent {
            pair(earlier, member);
        }
        if self.cap > 0 {
            if self.recent.len() == self.cap {
                self.recent.pop_front();
            }
            self.recent.push_back(member);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_banding_catches_pairs_at_the_threshold() {
        let (b, r) = optimal_banding(0.8, 128);
        assert!(b * r <= 128);
        assert!(candidate_probability(0.8, b, r) > 0.99, "b={b} r={r}");
        assert!(candidate_probability(0.3, b, r) < 0.05, "b={b} r={r}");
    }

    #[test]
    fn the_banding_search_chooses_what_evaluating_every_pair_of_counts_chooses() {
        for num_perm in [1, 2, 16, 64, 100, 128, 256] {
            for t in 1..20 {
                let threshold = t as f64 / 20.0;
                assert_eq!(
                    optimal_banding(threshold, num_perm),
                    optimal_banding_by_powers(threshold, num_perm),
                    "threshold {threshold}, {num_perm} permutations"
                );
            }
        }
        assert_eq!(
            optimal_banding(0.85, 200),
            optimal_banding_by_powers(0.85, 200)
        );
    }

    #[test]
    fn higher_thresholds_use_longer_bands() {
        let (_, r_low) = optimal_banding(0.5, 128);
        let (_, r_high) = optimal_banding(0.9, 128);
        assert!(r_high > r_low);
    }

    #[test]
    fn buckets_pair_members_and_cap_large_ones() {
        // Keys 7 << 32 and 7 << 32 | 5 share their top bits: one bucket.
        let keys: [i64; 4] = [7 << 32, 7 << 32 | 5, 7 << 32, -9];
        let mut entries: Vec<u64> = (0..4)
            .rev()
            .map(|d| band_entry(band_bucket(keys[d]), d as DocId))
            .collect();
        let mut pairs = Vec::new();
        let stats = bucket_pairs(
            &mut entries,
            10,
            &mut pairs,
            &mut HashSortScratch::default(),
        );
        pairs.sort_unstable();
        let got: Vec<_> = pairs.into_iter().map(unpack_pair).collect();
        assert_eq!(got, [(0, 1), (0, 2), (1, 2)]);
        assert_eq!(stats.capped, 0);

        let mut entries: Vec<_> = (0..10).map(|d| band_entry(1 << 8, d)).collect();
        let mut pairs = Vec::new();
        let stats = bucket_pairs(&mut entries, 2, &mut pairs, &mut HashSortScratch::default());
        assert_eq!(stats.capped, 1);
        assert_eq!(stats.largest, 10);
        assert_eq!(pairs.len() as u64 + stats.pairs_skipped, 45);
        assert_eq!(pairs.len(), 17);
    }

    #[test]
    fn band_keys_depend_on_every_value_of_the_band() {
        let sig: Vec<u32> = (0..12).collect();
        let mut a = Vec::new();
        band_keys(&sig, 3, 4, 1, &mut a);
        let mut changed = sig.clone();
        changed[5] = 99;
        let mut b = Vec::new();
        band_keys(&changed, 3, 4, 1, &mut b);
        assert_eq!(a[0], b[0]);
        assert_ne!(a[1], b[1]);
        assert_eq!(a[2], b[2]);
    }

    #[test]
    fn a_streamed_bucket_pairs_like_a_whole_one() {
        for n in 0..40 {
            for cap in [1, 2, 3, 7, 39, 100] {
                let mut whole = Vec::new();
                window_pairs(n, cap, |i, j| whole.push((i, j)));
                let mut streamed = Vec::new();
                let mut stream = WindowStream::new(cap);
                for j in 0..n {
                    stream.push(j, |i, j| streamed.push((i, j)));
                }
                whole.sort_unstable();
                streamed.sort_unstable();
                assert_eq!(whole, streamed, "n={n} cap={cap}");
            }
        }
    }
}
