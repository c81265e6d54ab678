//! The ASCII fast path: tokens of all-ASCII text found 64 bytes at a time.
//!
//! Most news text is ASCII. There a token is a maximal run of ASCII letters and digits,
//! lowercased, exactly what the Unicode path of [`normalize`](super::normalize) gives (a
//! property test in `tokenize` holds the two equal). Bytes are classified 64 at a time into a
//! bit mask and tokens are read off the mask's transitions, so the loop branches once per
//! token edge rather than once per byte: word edges are as unpredictable as coin tosses, and
//! a byte loop spends its time mispredicting them.
//!
//! [`token_hashes`] goes one step further for the duplicate scan: it hashes each token
//! straight from a lowercased copy of the text, without building the normalized text and
//! token list that sentence-level work needs.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The tokens of an ASCII text as two parallel lists: token `k` is `starts[k]..ends[k]`.
///
/// Token starts are the rising edges of the alphanumeric mask and ends its falling edges, so
/// each is read off its own mask with a loop that has no branch inside: the k-th start pairs
/// with the k-th end.
#[derive(Debug, Default, Clone)]
pub struct TokenBounds {
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl TokenBounds {
    /// Finds the tokens of `bytes` (ASCII, shorter than 4 GiB), replacing the previous ones.
    pub fn find(&mut self, bytes: &[u8]) {
        self.starts.clear();
        self.ends.clear();
        let mut carry = 0u64;
        let mut base = 0u32;
        let mut blocks = bytes.chunks_exact(64);
        for block in &mut blocks {
            let block: &[u8; 64] = block.try_into().expect("blocks of 64");
            self.edges(alnum_mask(block), base, &mut carry);
            base += 64;
        }
        let rest = blocks.remainder();
        if !rest.is_empty() || carry == 1 {
            // Past the end, the padding counts as non-alphanumeric, so a token running to the
            // end of the text ends at its length.
            let mut padded = [0u8; 64];
            padded[..rest.len()].copy_from_slice(rest);
            self.edges(alnum_mask(&padded), base, &mut carry);
            if let Some(last) = self.ends.last_mut() {
                *last = (*last).min(bytes.len() as u32);
            }
        }
    }

    fn edges(&mut self, mask: u64, base: u32, carry: &mut u64) {
        let before = (mask << 1) | *carry;
        *carry = mask >> 63;
        let mut starts = mask & !before;
        let mut ends = !mask & before;
        while starts != 0 {
            self.starts.push(base + starts.trailing_zeros());
            starts &= starts - 1;
        }
        while ends != 0 {
            self.ends.push(base + ends.trailing_zeros());
            ends &= ends - 1;
        }
    }

    /// The token ranges, in order.
    pub fn ranges(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.starts
            .iter()
            .zip(&self.ends)
            .map(|(&s, &e)| s as usize..e as usize)
    }
}

/// Scratch space for [`token_hashes`]; keep one per worker thread.
#[derive(Debug, Default)]
pub struct HashScratch {
    /// The lowercased text: a `String`, so its tokens are `str` slices without a UTF-8 check.
    lower: String,
    bounds: TokenBounds,
}

/// Writes the seeded xxh3 hash of every token of the ASCII `text` into `out` (cleared first),
/// the same values as hashing the token strings of [`normalize`](super::normalize)'s output.
pub fn token_hashes(text: &str, seed: u64, scratch: &mut HashScratch, out: &mut Vec<u64>) {
    debug_assert!(text.is_ascii());
    out.clear();
    let lower = &mut scratch.lower;
    lower.clear();
    // A copy and an in-place pass, both of which the compiler vectorizes; tokens are then
    // plain slices of it.
    lower.push_str(text);
    lower.make_ascii_lowercase();
    let lower = lower.as_bytes();
    scratch.bounds.find(lower);
    out.extend(
        scratch
            .bounds
            .ranges()
            .map(|r| xxh3_64_with_seed(&lower[r], seed)),
    );
}

impl HashScratch {
    /// Calls `f` with each token of the last text given to [`token_hashes`]: its byte offset
    /// in that text and its lowercased form (what the normalizer would give).
    pub fn for_each_token<'a>(&'a self, mut f: impl FnMut(usize, &'a str)) {
        let lower = self.lower.as_str();
        for r in self.bounds.ranges() {
            f(r.start, lower.get(r.clone()).unwrap_or_default());
        }
    }

    /// Token `i` of the last text, lowercased, if it has that many.
    pub fn token(&self, i: usize) -> Option<&str> {
        let (&start, &end) = self.bounds.starts.get(i).zip(self.bounds.ends.get(i))?;
        self.lower.get(start as usize..end as usize)
    }
}

/// Bit `i` set when `block[i]` (ASCII) is a letter or a digit.
#[inline]
fn alnum_mask(block: &[u8; 64]) -> u64 {
    let mut mask = 0;
    for (i, eight) in block.chunks_exact(8).enumerate() {
        let eight: [u8; 8] = eight.try_into().expect("chunks of 8");
        mask |= alnum_bits(u64::from_le_bytes(eight)) << (8 * i);
    }
    mask
}

/// For eight ASCII bytes packed little-endian, bit `i` set when byte `i` is a letter or digit.
#[inline]
fn alnum_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // For a byte b < 0x80, b + (0x80 - lo) has its high bit set exactly when b >= lo, and
    // b + (0x7f - hi) exactly when b > hi; neither sum carries into the next byte.
    let in_range = |v: u64, lo: u64, hi: u64| {
        v.wrapping_add((0x80 - lo) * ONES) & !v.wrapping_add((0x7f - hi) * ONES) & HIGH
    };
    let digit = in_range(x, b'0'.into(), b'9'.into());
    // Setting bit 5 folds A-Z onto a-z and moves nothing else into a-z.
    let letter = in_range(x | (0x20 * ONES), b'a'.into(), b'z'.into());
    // Gather each byte's flag (now at bit 7 of the byte, moved to bit 0) into bits 0-7: the
    // multiplier's partial products land byte i's bit at bit 56 + i, with no carries.
    (((digit | letter) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) & 0xff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{normalize, Normalized};
    use proptest::prelude::*;

    #[test]
    fn classifier_agrees_with_std_on_every_byte() {
        for b in 0u8..128 {
            let x = u64::from_le_bytes([b'-', b, b' ', b, b'_', b, b'~', b]);
            let want = if b.is_ascii_alphanumeric() {
                0b1010_1010
            } else {
                0
            };
            assert_eq!(alnum_bits(x), want, "byte {b:#x}");
        }
    }

    #[test]
    fn token_ranges_cross_block_edges_and_run_to_the_end() {
        let text = format!("{}Token-Across {}end", "x".repeat(60), "y".repeat(70));
        let mut bounds = TokenBounds::default();
        bounds.find(text.as_bytes());
        let ranges: Vec<_> = bounds.ranges().collect();
        assert_eq!(ranges, [0..65, 66..72, 73..text.len()]);
        let mut exact = TokenBounds::default();
        let text = "x".repeat(128);
        exact.find(text.as_bytes());
        assert_eq!(exact.ranges().collect::<Vec<_>>(), vec![0..128]);
        exact.find(b"");
        assert_eq!(exact.ranges().count(), 0);
    }

    proptest! {
        /// Hashing straight from the text gives the hashes of the normalized tokens.
        #[test]
        fn token_hashes_match_normalized_tokens(s in "[ -~\t\n]{0,300}", seed in 0u64..4) {
            let mut n = Normalized::default();
            normalize(&s, &mut n);
            let want: Vec<u64> = n
                .token_strs()
                .map(|t| xxh3_64_with_seed(t.as_bytes(), seed))
                .collect();
            let (mut scratch, mut got) = (HashScratch::default(), Vec::new());
            token_hashes(&s, seed, &mut scratch, &mut got);
            prop_assert_eq!(got, want);
        }
    }
}
