//! Story vectors: what a document is about, as weighted content terms.
//!
//! Terms are the same content words `compare` aligns on (function words dropped, light
//! stemming, news synonyms merged), hashed to 32-bit ids so no dictionary is needed while
//! streaming. Events are who, what, where and when: a word written with a capital inside a
//! sentence (a name) counts triple, and numbers with what they count ("12 killed") and dates
//! ("march 5", "2008") become terms of their own ([`count_terms`]); the weights were chosen on
//! the ECB+ dev topics, whose pairs of incidents of the same kind differ in exactly those.
//! After the corpus is read, weights are `(1 + ln tf) × idf`, normalized to unit length, so the
//! similarity of two documents is the cosine of their vectors.

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

/// What a token tells about an event beyond its word: who, where, how many and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// An ordinary content word.
    Word,
    /// A word written with a capital inside a sentence: a person, place or organisation.
    Name,
    /// A token that starts with a digit: a count, an amount ("3m"), a day or a year.
    Number,
}

/// Weight of a name: two reports of one event share its names more reliably than its verbs,
/// and two incidents of the same kind differ in them first.
pub const NAME_WEIGHT: f32 = 3.0;
/// Weight of two names in a row ("Tara Reid", "Red Sox"), as one term besides its words:
/// another person with the same first name is another incident.
pub const NAME_PAIR_WEIGHT: f32 = 1.0;
/// Weight of a number joined to what it counts ("12 killed", "300 passengers"): the figure of
/// one incident, which another incident of the same kind rarely repeats.
pub const NUMBER_WEIGHT: f32 = 2.0;
/// Weight of a date: a day of a month ("march 5") or a year.
pub const DATE_WEIGHT: f32 = 2.0;

/// The kind of token `norm` whose source starts at byte `start` of `text`. Cheap enough for
/// every token: one look at the first character and, for a capital, back over the spaces
/// before it.
pub fn term_kind(text: &str, start: usize, norm: &str) -> TermKind {
    if norm.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return TermKind::Number;
    }
    let capital = text[start..].chars().next().is_some_and(char::is_uppercase);
    if !capital {
        return TermKind::Word;
    }
    // Capitalised after a sentence end is just the start of a sentence.
    let sentence_start = text[..start]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | '\n'));
    if sentence_start {
        TermKind::Word
    } else {
        TermKind::Name
    }
}

/// The weight a term of this kind counts with.
pub fn kind_weight(kind: TermKind) -> f32 {
    match kind {
        TermKind::Word => 1.0,
        TermKind::Name => NAME_WEIGHT,
        TermKind::Number => 1.0,
    }
}

/// A year written out (1900-2099): a date.
fn is_year(norm: &str) -> bool {
    norm.len() == 4 && norm.bytes().all(|b| b.is_ascii_digit()) && matches!(&norm[..2], "19" | "20")
}

/// A day of the month (1-31), as written before or after a month name.
fn day_of_month(norm: &str) -> Option<u32> {
    let day: u32 = norm.parse().ok().filter(|_| norm.len() <= 2)?;
    (1..=31).contains(&day).then_some(day)
}

/// Month number (1-12) of a full or abbreviated month name; only asked next to a number.
fn month(norm: &str) -> Option<u32> {
    use crate::text::calendar::{MONTHS, MONTH_ABBREVIATIONS};
    if let Some(m) = MONTHS.iter().position(|m| *m == norm) {
        return Some(m as u32 + 1);
    }
    // The abbreviations skip "may"; "sep" and "sept" are both September.
    let at = MONTH_ABBREVIATIONS.iter().position(|m| *m == norm)? as u32;
    Some(match at {
        0..=3 => at + 1,
        4..=8 => at + 2,
        _ => at + 1,
    })
}

/// One id for a pair of parts (a number and what it counts, a month and a day): a
/// multiply-shift of both ids, no string built.
fn joined_id(a: u32, b: u32) -> u32 {
    ((u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// Counts the terms of a normalized document; `text` is the original, to see capitals.
///
/// Besides its content words (names weighted by [`NAME_WEIGHT`]), a document gets a term for
/// each pair of names in a row ([`NAME_PAIR_WEIGHT`]), for each number joined to the content word right after it ("12 killed", weighted by
/// [`NUMBER_WEIGHT`]), and for each date: a month with its day ("march 5", "5 march") or a
/// year ([`DATE_WEIGHT`]). Numbers are rare among tokens, so those extra looks cost little.
pub fn count_terms(text: &str, norm: &Normalized, seed: u64) -> TermCounts {
    // (term id, weight, first token, last token): a joined term spans two tokens.
    let mut raw: Vec<(u32, f32, usize, usize)> = Vec::with_capacity(norm.tokens.len());
    let mut t = String::new();
    // The number just before this token: its token index and id.
    let mut number: Option<(usize, u32)> = None;
    let mut name_before: Option<(usize, u32)> = None;
    for (i, tok) in norm.tokens.iter().enumerate() {
        let s = norm.token_str(i);
        let kind = term_kind(text, tok.orig.start as usize, s);
        let before = number.take();
        if kind == TermKind::Number {
            let id = term_id(s, seed);
            if is_year(s) {
                raw.push((id, DATE_WEIGHT, i, i));
                continue;
            }
            if let (Some(day), Some(m)) = (day_of_month(s), i.checked_sub(1)) {
                if let Some(m) = month(norm.token_str(m)) {
                    raw.push((joined_id(m, day), DATE_WEIGHT, i - 1, i));
                    continue;
                }
            }
            number = Some((i, id));
            if s.len() > 1 {
                raw.push((id, kind_weight(kind), i, i));
            }
            continue;
        }
        if !term_into(s, &mut t) {
            continue;
        }
        let id = term_id(&t, seed);
        if let Some((at, n)) = before {
            let day = day_of_month(norm.token_str(at));
            match day.and_then(|d| Some((month(s)?, d))) {
                Some((m, d)) => raw.push((joined_id(m, d), DATE_WEIGHT, at, i)),
                // A rate ("9 percent") recurs across unrelated stories; a count does not.
                None if t == "percent" => {}
                None => raw.push((joined_id(n, id), NUMBER_WEIGHT, at, i)),
            }
        }
        if kind == TermKind::Name {
            if let Some((at, p)) = name_before {
                if at + 1 == i {
                    raw.push((joined_id(p, id), NAME_PAIR_WEIGHT, at, i));
                }
            }
            name_before = Some((i, id));
        }
        raw.push((id, kind_weight(kind), i, i));
    }
    raw.sort_unstable_by_key(|x| (x.0, x.2));
    let mut counts: Vec<(u32, f32)> = Vec::new();
    let mut first_at: Vec<(usize, usize)> = Vec::new();
    for (id, w, from, to) in raw {
        match counts.last_mut() {
            Some(last) if last.0 == id => last.1 += w,
            _ => {
                counts.push((id, w));
                first_at.push((from, to));
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
        .map(|k| {
            let (from, to) = first_at[k];
            // Tokens are joined by one space in the normalized text: a joined term reads
            // "12 killed".
            let span = norm.tokens[from].norm.start as usize..norm.tokens[to].norm.end as usize;
            (counts[k].0, norm.text[span].to_owned())
        })
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
    fn names_count_triple_and_function_words_not_at_all() {
        let c = counts("The talks in Moscow ended. Talks resume in Moscow.");
        let moscow = term_id("moscow", 1);
        let talk = term_id("talk", 1);
        let get = |id| c.counts.iter().find(|x| x.0 == id).map(|x| x.1);
        assert_eq!(get(moscow), Some(2.0 * NAME_WEIGHT));
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
