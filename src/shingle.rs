//! Shingle hashing without per-shingle allocation.
//!
//! Word shingles hash each token once with seeded xxh3 and combine the `k` token hashes of a
//! window by XOR of position-specific rotations followed by a 64-bit finalizer, so a shingle
//! costs a few register operations however long its words are. Character shingles hash each
//! window of the normalized text in place. Either way the result is a sorted, deduplicated set
//! of `u64`, the only thing verification and sketching need.

use xxhash_rust::xxh3::{xxh3_64_with_seed, Xxh3};

use crate::config::ShingleSpec;
use crate::text::Normalized;

/// The 64-bit finalizer of MurmurHash3 (a bijection with full avalanche).
#[inline]
pub fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Combines a window of token hashes into one shingle hash; the order of tokens matters.
#[inline]
fn combine(window: &[u64]) -> u64 {
    mix64(combine_unmixed(window) ^ window.len() as u64)
}

/// The XOR of the window's hashes, each rotated left by 23 times its position.
#[inline]
fn combine_unmixed(window: &[u64]) -> u64 {
    let mut h = 0;
    for (i, &t) in window.iter().enumerate() {
        // 23 is odd, so the rotations of up to 64 positions are all distinct.
        h ^= t.rotate_left((i as u32 * 23) % 64);
    }
    h
}

/// Reusable buffers for shingling; keep one per worker thread.
#[derive(Debug, Default)]
pub struct Shingler {
    token_hashes: Vec<u64>,
}

impl Shingler {
    /// Writes the sorted, deduplicated shingle hashes of `doc` into `out` (cleared first).
    ///
    /// A document shorter than one shingle gives a single shingle of everything it has, so
    /// short documents can still match; a document without tokens gives an empty set.
    pub fn shingles(&mut self, doc: &Normalized, spec: ShingleSpec, seed: u64, out: &mut Vec<u64>) {
        self.shingles_unsorted(doc, spec, seed, out);
        out.sort_unstable();
        out.dedup();
    }

    /// Writes the shingle hashes of `doc` into `out` (cleared first) in document order, a
    /// repeated shingle as often as it occurs. Enough for MinHash, which keeps minima; sort
    /// and deduplicate before measuring overlap (the scan sorts them with a bucket sort:
    /// [`Fingerprinter`](crate::fingerprint::Fingerprinter)).
    pub fn shingles_unsorted(
        &mut self,
        doc: &Normalized,
        spec: ShingleSpec,
        seed: u64,
        out: &mut Vec<u64>,
    ) {
        out.clear();
        match spec {
            ShingleSpec::Word(k) => self.word_shingles(doc, k, seed, out),
            ShingleSpec::Char(k) => char_shingles(&doc.text, k, seed, out),
        }
    }

    fn word_shingles(&mut self, doc: &Normalized, k: usize, seed: u64, out: &mut Vec<u64>) {
        hash_tokens(doc, seed, &mut self.token_hashes);
        word_shingles(&self.token_hashes, k, out);
    }
}

/// Writes the seeded xxh3 hash of every token of `doc` into `out` (cleared first).
pub fn hash_tokens(doc: &Normalized, seed: u64, out: &mut Vec<u64>) {
    out.clear();
    out.extend(
        doc.token_strs()
            .map(|t| xxh3_64_with_seed(t.as_bytes(), seed)),
    );
}

/// Appends the word shingles of a document, given its token hashes in order, to `out`: one
/// per window of `k` tokens, or a single shingle of everything when there are fewer.
pub fn word_shingles(token_hashes: &[u64], k: usize, out: &mut Vec<u64>) {
    if token_hashes.is_empty() {
        return;
    }
    if token_hashes.len() < k {
        out.push(combine(token_hashes));
        return;
    }
    // The window's XOR of rotated hashes rolls forward in two operations: rotating right by
    // 23 moves every term one position down (rotations add up modulo 64), so the outgoing
    // token is XORed out first and the incoming one XORed in at the last position. The values
    // are those of `combine` on every window (a test holds them equal), at a third of its cost.
    let last = ((k as u32 - 1) * 23) % 64;
    let mut x = combine_unmixed(&token_hashes[..k]);
    let first = out.len();
    // Sized first and filled in place: a push per shingle checked the capacity every time.
    out.resize(first + token_hashes.len() + 1 - k, 0);
    out[first] = mix64(x ^ k as u64);
    let rolled = token_hashes.iter().zip(&token_hashes[k..]);
    for (slot, (&gone, &new)) in out[first + 1..].iter_mut().zip(rolled) {
        x = (x ^ gone).rotate_right(23) ^ new.rotate_left(last);
        *slot = mix64(x ^ k as u64);
    }
}

/// One hash of a whole token sequence: equal sequences (the same text after normalization)
/// get equal keys, which is how exact copies are recognised without comparing texts.
///
/// The key is the xxh3 of the hashes' little-endian bytes: on a little-endian machine that is
/// the list's own memory, hashed in one call.
pub fn sequence_key(token_hashes: &[u64], seed: u64) -> u64 {
    if cfg!(target_endian = "little") {
        return xxh3_64_with_seed(bytemuck::cast_slice(token_hashes), seed);
    }
    let mut state = Xxh3::with_seed(seed);
    for h in token_hashes {
        state.update(&h.to_le_bytes());
    }
    state.digest()
}

/// Appends the character shingles of a normalized text to `out`: one per window of `k`
/// characters, or a single shingle of the whole text when it is shorter.
pub fn char_shingles(text: &str, k: usize, seed: u64, out: &mut Vec<u64>) {
    if text.is_empty() {
        return;
    }
    // Byte offsets of every character start, plus the end, so windows slice in place.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = bounds.len() - 1;
    if chars < k {
        out.push(xxh3_64_with_seed(text.as_bytes(), seed));
        return;
    }
    out.extend(
        (0..=chars - k)
            .map(|i| xxh3_64_with_seed(&text.as_bytes()[bounds[i]..bounds[i + k]], seed)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn shingles(text: &str, spec: ShingleSpec) -> Vec<u64> {
        let mut n = Normalized::default();
        normalize(text, &mut n);
        let mut out = Vec::new();
        Shingler::default().shingles(&n, spec, 7, &mut out);
        out
    }

    #[test]
    fn counts_distinct_word_windows() {
        let s = shingles("a b c d e f g", ShingleSpec::Word(5));
        assert_eq!(s.len(), 3);
        // Repeated windows count once.
        assert_eq!(shingles("x y x y x y", ShingleSpec::Word(2)).len(), 2);
    }

    #[test]
    fn order_matters_and_short_docs_get_one_shingle() {
        assert_ne!(
            shingles("a b", ShingleSpec::Word(2)),
            shingles("b a", ShingleSpec::Word(2))
        );
        assert_eq!(shingles("only three words", ShingleSpec::Word(5)).len(), 1);
        assert!(shingles(" ,.; ", ShingleSpec::Word(5)).is_empty());
    }

    #[test]
    fn folding_makes_variants_equal() {
        let a = shingles("The Quick, brown fox -- jumps over", ShingleSpec::Word(3));
        let b = shingles("the quick brown fox jumps over", ShingleSpec::Word(3));
        assert_eq!(a, b);
    }

    #[test]
    fn char_shingles_slide_over_normalized_text() {
        assert_eq!(shingles("abcd", ShingleSpec::Char(2)).len(), 3);
        assert_eq!(shingles("東京都", ShingleSpec::Char(2)).len(), 2);
        assert_eq!(shingles("ab", ShingleSpec::Char(5)).len(), 1);
    }

    proptest::proptest! {
        /// The rolling computation gives `combine` of every window.
        #[test]
        fn rolling_shingles_equal_combined_windows(
            hashes in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..80),
            k in 1usize..12,
        ) {
            let mut got = Vec::new();
            word_shingles(&hashes, k, &mut got);
            let want: Vec<u64> = if hashes.len() < k {
                if hashes.is_empty() { vec![] } else { vec![combine(&hashes)] }
            } else {
                hashes.windows(k).map(combine).collect()
            };
            proptest::prop_assert_eq!(got, want);
        }

        /// The sequence key is the xxh3 of the hashes' bytes however they are fed to it.
        #[test]
        fn sequence_key_is_the_streamed_xxh3_of_the_bytes(
            hashes in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..300),
            seed in 0u64..4,
        ) {
            let mut state = Xxh3::with_seed(seed);
            for chunk in hashes.chunks(7) {
                let bytes: Vec<u8> = chunk.iter().flat_map(|h| h.to_le_bytes()).collect();
                state.update(&bytes);
            }
            proptest::prop_assert_eq!(sequence_key(&hashes, seed), state.digest());
        }
    }

    #[test]
    fn seed_changes_hashes() {
        let mut n = Normalized::default();
        normalize("one two three four five six", &mut n);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        Shingler::default().shingles(&n, ShingleSpec::Word(5), 1, &mut a);
        Shingler::default().shingles(&n, ShingleSpec::Word(5), 2, &mut b);
        assert_ne!(a, b);
    }
}
