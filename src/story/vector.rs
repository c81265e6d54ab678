//! Story vectors: what a document is about, as weighted content terms.
//!
//! Terms are the same content words `compare` aligns on (function words dropped, light
//! stemming, news synonyms merged), hashed to 32-bit ids so no dictionary is needed while
//! streaming. A word written with a capital inside a sentence (a name) counts double: two
//! reports of one event share its names more reliably than its verbs. After the corpus is
//! read, weights are `(1 + ln tf) × idf`, normalized to unit length, so the similarity of two
//! documents is the cosine of their vectors.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::facts::term_into;
use crate::text::Normalized;

/// Most terms kept per document (the heaviest by count and background rarity): long posts
/// keep their vocabulary bounded without losing what they are about.
pub const MAX_TERMS: usize = 200;

/// Term id of a term string.
pub fn term_id(term: &str, seed: u64) -> u32 {
    xxh3_64_with_seed(term.as_bytes(), seed ^ 0x7374_6f72_7973) as u32
}

/// Raw term counts of one document, sorted by term id, with the surface words of its
/// heaviest terms (for showing evidence).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    /// `(term id, count)`, names counted double.
    pub counts: Vec<(u32, f32)>,
    /// `(term id, word)` for the document's top terms by count.
    pub words: Vec<(u32, String)>,
}

/// Counts the terms of a normalized document; `text` is the original, to see capitals.
pub fn count_terms(text: &str, norm: &Normalized, seed: u64) -> TermCounts {
    let mut raw: Vec<(u32, f32, usize)> = Vec::with_capacity(norm.tokens.len());
    let mut t = String::new();
    for (i, tok) in norm.tokens.iter().enumerate() {
        if !term_into(norm.token_str(i), &mut t) {
            continue;
        }
        let start = tok.orig.start as usize;
        let capital = text[start..].chars().next().is_some_and(char::is_uppercase);
        // Capitalised after a sentence end is just the start of a sentence.
        let sentence_start = text[..start]
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | '\n'));
        let weight = if capital && !sentence_start { 2.0 } else { 1.0 };
        raw.push((term_id(&t, seed), weight, i));
    }
    raw.sort_unstable_by_key(|x| (x.0, x.2));
    let mut counts: Vec<(u32, f32)> = Vec::new();
    let mut first_at: Vec<usize> = Vec::new();
    for (id, w, at) in raw {
        match counts.last_mut() {
            Some(last) if last.0 == id => last.1 += w,
            _ => {
                counts.push((id, w));
                first_at.push(at);
            }
        }
    }
    // Keep the heaviest terms: by count, damped for words common in all news.
    if counts.len() > MAX_TERMS {
        let mut order: Vec<usize> = (0..counts.len()).collect();
        let score = |k: usize| counts[k].1 as f64;
        order.sort_by(|&x, &y| {
            score(y)
                .total_cmp(&score(x))
                .then(counts[x].0.cmp(&counts[y].0))
        });
        order.truncate(MAX_TERMS);
        order.sort_unstable();
        counts = order.iter().map(|&k| counts[k]).collect();
        first_at = order.iter().map(|&k| first_at[k]).collect();
    }
    let mut top: Vec<usize> = (0..counts.len()).collect();
    top.sort_by(|&x, &y| {
        counts[y]
            .1
            .total_cmp(&counts[x].1)
            .then(counts[x].0.cmp(&counts[y].0))
    });
    let words = top
        .into_iter()
        .take(12)
        .map(|k| (counts[k].0, norm.token_str(first_at[k]).to_owned()))
        .collect();
    TermCounts { counts, words }
}

/// A weighted, unit-length term vector, sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryVector {
    /// `(term id, weight)`.
    pub terms: Vec<(u32, f32)>,
}

impl StoryVector {
    /// Weighs raw counts by `idf(term)` and normalizes.
    pub fn weigh(counts: &[(u32, f32)], idf: impl Fn(u32) -> f32) -> Self {
        let mut terms: Vec<(u32, f32)> = counts
            .iter()
            .map(|&(t, c)| (t, (1.0 + c.ln()) * idf(t)))
            .collect();
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            terms.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        Self { terms }
    }

    /// Cosine similarity with another unit vector.
    pub fn cosine(&self, other: &StoryVector) -> f32 {
        let (a, b) = (&self.terms, &other.terms);
        let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.min(1.0)
    }

    /// The `k` heaviest terms, heaviest first.
    pub fn top(&self, k: usize) -> Vec<u32> {
        let mut t = self.terms.clone();
        t.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        t.into_iter().take(k).map(|(id, _)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn counts(text: &str) -> TermCounts {
        let mut n = Normalized::default();
        normalize(text, &mut n);
        count_terms(text, &n, 1)
    }

    #[test]
    fn names_count_double_and_function_words_not_at_all() {
        let c = counts("The talks in Moscow ended. Talks resume in Moscow.");
        let moscow = term_id("moscow", 1);
        let talk = term_id("talk", 1);
        let get = |id| c.counts.iter().find(|x| x.0 == id).map(|x| x.1);
        assert_eq!(get(moscow), Some(4.0));
        // "Talks" starts a sentence: a capital, but no name.
        assert_eq!(get(talk), Some(2.0));
        assert_eq!(
            c.counts.len(),
            4,
            "talk, moscow, end, resume: {:?}",
            c.counts
        );
        assert_eq!(c.words[0], (moscow, "moscow".to_owned()));
    }

    #[test]
    fn cosine_of_unit_vectors() {
        let a = StoryVector::weigh(&[(1, 1.0), (2, 1.0)], |_| 1.0);
        let b = StoryVector::weigh(&[(2, 1.0), (3, 1.0)], |_| 1.0);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert!((a.cosine(&b) - 0.5).abs() < 1e-6);
        assert_eq!(a.cosine(&StoryVector::default()), 0.0);
    }
}
