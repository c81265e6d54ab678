//! Normalization and tokenization in one pass, keeping byte ranges into the original text.
//!
//! A *token* is a maximal run of letters, marks and digits inside one UAX#29 word, after
//! NFKC normalization and Unicode case folding. Punctuation never ends up inside a token, so
//! `don't`, `don’t` and `don t` all give `don`, `t`, and `1,200`, `1.200` and `1 200` all give
//! `1`, `200`: spelling variants of punctuation and whitespace fold away. Runs of CJK and Thai
//! characters, which are written without spaces, become overlapping character bigrams so that
//! such text dedups without a dictionary.
//!
//! Most news text is ASCII, so each whitespace-delimited chunk that is pure ASCII takes a fast
//! path (lowercase alphanumeric runs) that gives exactly what the Unicode path would give; a
//! property test holds the two paths to that.

use std::ops::Range;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// One token: where its normalized form sits in [`Normalized::text`] and where it came from in
/// the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the normalized token inside [`Normalized::text`].
    pub norm: Range<u32>,
    /// Byte range of the token's source inside the original text.
    pub orig: Range<u32>,
}

/// The normalized form of one document: its tokens joined by single spaces, and the tokens.
///
/// Reuse one value across documents ([`normalize`] clears it) so the hot loop allocates only
/// when a document is larger than any seen before.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// The tokens' normalized forms, separated by one space (CJK bigrams share characters, so
    /// a CJK run appears once and its bigram tokens overlap).
    pub text: String,
    /// The tokens in document order.
    pub tokens: Vec<Token>,
}

impl Normalized {
    /// The normalized form of token `i`.
    pub fn token_str(&self, i: usize) -> &str {
        let r = &self.tokens[i].norm;
        &self.text[r.start as usize..r.end as usize]
    }

    /// Iterator over the normalized forms of all tokens.
    pub fn token_strs(&self) -> impl Iterator<Item = &str> + '_ {
        self.tokens
            .iter()
            .map(|t| &self.text[t.norm.start as usize..t.norm.end as usize])
    }
}

/// Normalizes `text` into `out`, replacing what `out` held.
///
/// Byte offsets are stored as `u32`; callers must reject documents of 4 GiB or more first
/// (the pipeline does, with a clear message).
pub fn normalize(text: &str, out: &mut Normalized) {
    out.text.clear();
    out.tokens.clear();
    if text.is_ascii() {
        // Most documents: tokens are the runs of ASCII letters and digits, lowercased; no
        // decoding, no per-character pushes.
        ascii_document(text, out);
        return;
    }
    let mut builder = Builder {
        out,
        cjk: Vec::new(),
    };
    for (start, chunk) in whitespace_chunks(text) {
        if chunk.is_ascii() {
            builder.ascii_chunk(chunk, start);
        } else {
            builder.unicode_chunk(chunk, start);
        }
    }
}

/// The tokens of an all-ASCII text: maximal runs of ASCII letters and digits, lowercased,
/// exactly what the Unicode path gives for ASCII (held equal by a property test).
///
/// Bytes are classified 64 at a time into a bit mask, and tokens are read off the mask's
/// transitions, so the loop branches once per token edge rather than once per byte (word
/// edges are as unpredictable as coin tosses, and a byte loop spent its time mispredicting).
fn ascii_document(text: &str, out: &mut Normalized) {
    let bytes = text.as_bytes();
    out.text.reserve(bytes.len());
    let mut emit = |start: usize, end: usize| {
        if !out.text.is_empty() {
            out.text.push(' ');
        }
        let norm_start = out.text.len();
        out.text.push_str(&text[start..end]);
        out.text[norm_start..].make_ascii_lowercase();
        out.tokens.push(Token {
            norm: norm_start as u32..out.text.len() as u32,
            orig: start as u32..end as u32,
        });
    };
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

/// Bit `i` set when `block[i]` (ASCII, at most 64 bytes) is a letter or a digit.
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

/// Splits `text` at Unicode whitespace, yielding each non-empty chunk with its byte offset.
fn whitespace_chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .filter(|c| !c.is_empty())
        .map(move |c| (c.as_ptr() as usize - text.as_ptr() as usize, c))
}

/// Characters written without spaces between words, tokenized as character bigrams.
pub fn is_cjk_or_thai(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F     // Thai
        | 0x3040..=0x30FF   // Hiragana, Katakana
        | 0x31F0..=0x31FF   // Katakana phonetic extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9D   // halfwidth Katakana
        | 0x20000..=0x2FA1F // CJK extensions B-F and compatibility supplement
    )
}

/// Invisible format characters that must not split a word (soft hyphen, zero-width joiners,
/// byte order mark), as Unicode's NFKC_Casefold mapping drops them.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

struct Builder<'a> {
    out: &'a mut Normalized,
    /// The current CJK/Thai run: each character's byte range in `out.text` and in the source.
    cjk: Vec<(Range<u32>, Range<u32>)>,
}

impl Builder<'_> {
    fn separate(&mut self) {
        if !self.out.text.is_empty() {
            self.out.text.push(' ');
        }
    }

    fn ascii_chunk(&mut self, chunk: &str, offset: usize) {
        let bytes = chunk.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            self.separate();
            let norm_start = self.out.text.len() as u32;
            self.out.text.extend(
                bytes[start..i]
                    .iter()
                    .map(|b| b.to_ascii_lowercase() as char),
            );
            self.out.tokens.push(Token {
                norm: norm_start..self.out.text.len() as u32,
                orig: (offset + start) as u32..(offset + i) as u32,
            });
        }
    }

    fn unicode_chunk(&mut self, chunk: &str, offset: usize) {
        for (word_start, word) in chunk.split_word_bound_indices() {
            // A token never spans two UAX#29 words.
            let mut open: Option<Token> = None;
            for (g_start, grapheme) in word.grapheme_indices(true) {
                let src_start = (offset + word_start + g_start) as u32;
                let src = src_start..src_start + grapheme.len() as u32;
                for c in grapheme.chars().nfkc().default_case_fold().nfkc() {
                    if is_ignorable(c) {
                        continue;
                    }
                    if is_cjk_or_thai(c) {
                        self.close(&mut open);
                        if self.cjk.is_empty() {
                            self.separate();
                        }
                        let at = self.out.text.len() as u32;
                        self.out.text.push(c);
                        self.cjk.push((at..self.out.text.len() as u32, src.clone()));
                    } else if c.is_alphanumeric() {
                        self.flush_cjk();
                        match open.as_mut() {
                            Some(t) => {
                                t.orig.end = src.end;
                            }
                            None => {
                                self.separate();
                                let at = self.out.text.len() as u32;
                                open = Some(Token {
                                    norm: at..at,
                                    orig: src.clone(),
                                });
                            }
                        }
                        self.out.text.push(c);
                        if let Some(t) = open.as_mut() {
                            t.norm.end = self.out.text.len() as u32;
                        }
                    } else {
                        self.close(&mut open);
                        self.flush_cjk();
                    }
                }
            }
            self.close(&mut open);
        }
        self.flush_cjk();
    }

    fn close(&mut self, open: &mut Option<Token>) {
        if let Some(t) = open.take() {
            self.out.tokens.push(t);
        }
    }

    /// Emits the pending CJK/Thai run as overlapping bigrams (a lone character is a unigram).
    fn flush_cjk(&mut self) {
        match self.cjk.len() {
            0 => return,
            1 => {
                let (norm, orig) = self.cjk[0].clone();
                self.out.tokens.push(Token { norm, orig });
            }
            _ => {
                for pair in self.cjk.windows(2) {
                    self.out.tokens.push(Token {
                        norm: pair[0].0.start..pair[1].0.end,
                        orig: pair[0].1.start..pair[1].1.end,
                    });
                }
            }
        }
        self.cjk.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn toks(text: &str) -> Vec<String> {
        let mut n = Normalized::default();
        normalize(text, &mut n);
        n.token_strs().map(str::to_owned).collect()
    }

    fn origs(text: &str) -> Vec<&str> {
        let mut n = Normalized::default();
        normalize(text, &mut n);
        n.tokens
            .iter()
            .map(|t| &text[t.orig.start as usize..t.orig.end as usize])
            .collect()
    }

    #[test]
    fn folds_case_punctuation_and_whitespace() {
        assert_eq!(toks("Hello,   WORLD!\n"), ["hello", "world"]);
        assert_eq!(toks("don't"), toks("don’t"));
        assert_eq!(
            toks("1,200-square-kilometer"),
            ["1", "200", "square", "kilometer"]
        );
    }

    #[test]
    fn nfkc_and_case_folding() {
        // Full-width letters, the "fi" ligature, sharp s and a decomposed accent.
        assert_eq!(toks("ＡＢＣ ﬁne Straße"), ["abc", "fine", "strasse"]);
        assert_eq!(toks("Cafe\u{301}"), toks("Café"));
        assert_eq!(toks("inter\u{AD}national"), ["international"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(toks("東京都知事"), ["東京", "京都", "都知", "知事"]);
        assert_eq!(toks("中 国"), ["中", "国"]);
        assert_eq!(toks("Tokyo東京"), ["tokyo", "東京"]);
    }

    #[test]
    fn tokens_keep_source_ranges() {
        assert_eq!(
            origs("  “Quoted” Ｗord, e\u{301}té"),
            ["Quoted", "Ｗord", "e\u{301}té"]
        );
        assert_eq!(origs("東京都"), ["東京", "京都"]);
    }

    #[test]
    fn normalized_text_joins_tokens_with_single_spaces() {
        let mut n = Normalized::default();
        normalize("A  b\t\tC", &mut n);
        assert_eq!(n.text, "a b c");
    }

    #[test]
    fn ascii_classifier_agrees_with_std_on_every_byte() {
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
    fn ascii_tokens_cross_block_edges_and_run_to_the_end() {
        let text = format!("{}Token-Across {}end", "x".repeat(60), "y".repeat(70));
        let mut n = Normalized::default();
        normalize(&text, &mut n);
        let want = [
            format!("{}token", "x".repeat(60)),
            "across".to_owned(),
            format!("{}end", "y".repeat(70)),
        ];
        assert_eq!(n.token_strs().collect::<Vec<_>>(), want);
        assert_eq!(n.tokens[2].orig.end as usize, text.len());
        assert_eq!(n.tokens[1].orig, 66..72);
    }

    proptest! {
        /// The ASCII fast path agrees with the Unicode path on every ASCII input.
        #[test]
        fn ascii_fast_path_matches_unicode_path(s in "[ -~\t\n]{0,300}") {
            let mut fast = Normalized::default();
            normalize(&s, &mut fast);
            let mut slow = Normalized::default();
            let mut b = Builder { out: &mut slow, cjk: Vec::new() };
            for (start, chunk) in whitespace_chunks(&s) {
                b.unicode_chunk(chunk, start);
            }
            prop_assert_eq!(&fast.text, &slow.text);
            prop_assert_eq!(&fast.tokens, &slow.tokens);
        }

        /// Every token's source range lies on character boundaries of the input.
        #[test]
        fn source_ranges_are_char_boundaries(s in "\\PC{0,60}") {
            let mut n = Normalized::default();
            normalize(&s, &mut n);
            for t in &n.tokens {
                prop_assert!(s.is_char_boundary(t.orig.start as usize));
                prop_assert!(s.is_char_boundary(t.orig.end as usize));
                prop_assert!(t.orig.start < t.orig.end);
            }
        }
    }
}
