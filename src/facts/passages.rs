//! Verbatim passages: runs of N or more words that appear word for word in both articles, so
//! a copy-paste is never hidden inside a paraphrase.
//!
//! Every N-word window of A is indexed; each window of B that hits the index and does not
//! continue a run already found is extended as far as both texts agree. Windows repeated more
//! than a few times in A (boilerplate) are followed only a few times, which bounds the work.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::text::{normalize, Normalized};

/// Positions of one window followed at most this many times.
const MAX_REPEATS: usize = 8;

/// A passage shared word for word (after normalization).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// Length in words.
    pub words: usize,
    /// Byte range in A.
    pub a: Range<usize>,
    /// Byte range in B.
    pub b: Range<usize>,
    /// The passage as A writes it.
    pub text: String,
}

/// Token ids: equal normalized words get equal ids.
fn intern<'a>(n: &'a Normalized, ids: &mut HashMap<&'a str, u32>) -> Vec<u32> {
    (0..n.tokens.len())
        .map(|i| {
            let next = ids.len() as u32;
            *ids.entry(n.token_str(i)).or_insert(next)
        })
        .collect()
}

/// Shared passages of at least `min_words` words, in A's order.
pub fn shared_passages(a: &str, b: &str, min_words: usize) -> Vec<Passage> {
    let min_words = min_words.max(1);
    let (mut na, mut nb) = (Normalized::default(), Normalized::default());
    normalize(a, &mut na);
    normalize(b, &mut nb);
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let ta = intern(&na, &mut ids);
    let tb = intern(&nb, &mut ids);
    if ta.len() < min_words || tb.len() < min_words {
        return Vec::new();
    }
    let mut index: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for (i, w) in ta.windows(min_words).enumerate() {
        let at = index.entry(w).or_default();
        if at.len() < MAX_REPEATS {
            at.push(i);
        }
    }
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (j, w) in tb.windows(min_words).enumerate() {
        let Some(starts) = index.get(w) else { continue };
        for &i in starts {
            if i > 0 && j > 0 && ta[i - 1] == tb[j - 1] {
                continue; // Inside a run that started earlier.
            }
            let mut len = min_words;
            while i + len < ta.len() && j + len < tb.len() && ta[i + len] == tb[j + len] {
                len += 1;
            }
            found.push((i, j, len));
        }
    }
    found.sort_unstable();
    found
        .into_iter()
        .map(|(i, j, len)| {
            let ra = na.tokens[i].orig.start as usize..na.tokens[i + len - 1].orig.end as usize;
            let rb = nb.tokens[j].orig.start as usize..nb.tokens[j + len - 1].orig.end as usize;
            Passage {
                words: len,
                text: a[ra.clone()].to_owned(),
                a: ra,
                b: rb,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_maximal_shared_runs() {
        let a = "Intro words here. The quick brown fox jumps over the lazy dog near the river bank today.";
        let b = "Other opening. the quick brown fox jumps over the LAZY dog, near the river! End.";
        let p = shared_passages(a, b, 6);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].words, 12);
        assert_eq!(
            p[0].text,
            "The quick brown fox jumps over the lazy dog near the river"
        );
        assert_eq!(
            &b[p[0].b.clone()],
            "the quick brown fox jumps over the LAZY dog, near the river"
        );
    }

    #[test]
    fn short_runs_are_not_passages() {
        assert!(shared_passages("one two three four", "one two three four", 8).is_empty());
        assert!(shared_passages("a b c d e f g h", "h g f e d c b a", 3).is_empty());
    }
}
