//! Normalization and tokenization in one pass, keeping byte ranges into the original text.
//!
//! A *token* is a maximal run of letters, marks and digits inside one UAX#29 word, after
//! NFKC normalization and Unicode case folding. Punctuation never ends up inside a token, so
//! `don't`, `don’t` and `don t` all give `don`, `t`, and `1,200`, `1.200` and `1 200` all give
//! `1`, `200`: spelling variants of punctuation and whitespace fold away. Runs of CJK and Thai
//! characters, which are written without spaces, become overlapping character bigrams so that
//! such text dedups without a dictionary.
//!
//! Most news text is ASCII: an all-ASCII document takes the fast path of [`super::ascii`], and
//! in a mixed document each whitespace-delimited chunk that is pure ASCII takes a simpler one
//! (lowercase alphanumeric runs). Both give exactly what the Unicode path would give; a
//! property test holds them to that.

use std::ops::Range;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::ascii;

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
    /// Scratch space for the ASCII path's token bounds.
    bounds: ascii::TokenBounds,
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
fn ascii_document(text: &str, out: &mut Normalized) {
    let Normalized {
        text: norm,
        tokens,
        bounds,
    } = out;
    norm.reserve(text.len());
    bounds.find(text.as_bytes());
    for range in bounds.ranges() {
        if !norm.is_empty() {
            norm.push(' ');
        }
        let norm_start = norm.len();
        norm.push_str(&text[range.clone()]);
        norm[norm_start..].make_ascii_lowercase();
        tokens.push(Token {
            norm: norm_start as u32..norm.len() as u32,
            orig: range.start as u32..range.end as u32,
        });
    }
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
