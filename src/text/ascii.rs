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

/// Calls `emit(start, end)` with the byte range of every token of `bytes` (ASCII), in order.
#[inline]
pub(crate) fn for_each_token(bytes: &[u8], mut emit: impl FnMut(usize, usize)) {
    let mut open: Option<usize> = None;
    for (n, block) in bytes.chunks(64).enumerate() {
        let base = n * 64;
        let mask = alnum_mask(block);
        let before = (mask << 1) | u64::from(open.is_some());
        let starts = mask & !before;
        // Past the end of a short last block the bytes count as non-alphanumeric, so a token
        // running to the end of the text ends at its length.
        let ends = !mask & before;
        let mut edges = starts | ends;
        while edges != 0 {
            let i = edges.trailing_zeros() as usize;
            if starts >> i & 1 == 1 {
                open = Some(base + i);
            } else if let Some(start) = open.take() {
                emit(start, (base + i).min(bytes.len()));
            }
            edges &= edges - 1;
        }
    }
    if let Some(start) = open {
        emit(start, bytes.len());
    }
}

/// Writes the seeded xxh3 hash of every token of the ASCII `text` into `out` (cleared first),
/// the same values as hashing the token strings of [`normalize`](super::normalize)'s output.
/// `lower` is scratch space for the lowercased text.
pub fn token_hashes(text: &str, seed: u64, lower: &mut Vec<u8>, out: &mut Vec<u64>) {
    debug_assert!(text.is_ascii());
    out.clear();
    lower.clear();
    // One branch-free pass the compiler vectorizes; tokens are then plain slices of it.
    lower.extend(
        text.bytes()
            .map(|b| b | (u8::from(b.is_ascii_uppercase()) << 5)),
    );
    let lower = &lower[..];
    for_each_token(lower, |start, end| {
        out.push(xxh3_64_with_seed(&lower[start..end], seed));
    });
}

/// Bit `i` set when `block[i]` (ASCII, at most 64 bytes) is a letter or a digit.
#[inline]
fn alnum_mask(block: &[u8]) -> u64 {
    let mut padded = [0u8; 64];
    padded[..block.len()].copy_from_slice(block);
    let mut mask = 0;
    for (i, eight) in padded.chunks_exact(8).enumerate() {
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
        let mut ranges = Vec::new();
        for_each_token(text.as_bytes(), |s, e| ranges.push(s..e));
        assert_eq!(ranges, [0..65, 66..72, 73..text.len()]);
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
            let (mut lower, mut got) = (Vec::new(), Vec::new());
            token_hashes(&s, seed, &mut lower, &mut got);
            prop_assert_eq!(got, want);
        }
    }
}
