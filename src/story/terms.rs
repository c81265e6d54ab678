//! Story terms: what a document is about, counted while it is fingerprinted.
//!
//! Terms are the same content words `compare` aligns on (function words dropped, light
//! stemming, news synonyms merged), hashed to 32-bit ids so no dictionary is needed while
//! streaming. Events are who, what, where and when: a word written with a capital inside a
//! sentence (a name) counts three times, and two names in a row, a number with what it counts
//! ("12 killed") and a date ("march 5", "2019") are terms of their own, each with its
//! [`TermKind`] for the evidence a story shows.
//!
//! The counting reuses the fingerprinter's tokens and token hashes, and a per-thread
//! [`TermCache`] remembers what each token became, so the common case costs one lookup per
//! token. Only a document's [`MAX_TERMS`] heaviest terms are kept, so what the scan holds per
//! document while reading stays small and fixed.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::language::{LanguageKey, ShortWords};
use super::token_memory::{Remembered, TokenMemory};
use crate::facts::{background_weights, term_into};
use crate::fingerprint::FingerprintScratch;
use crate::ids::IdMap;
use crate::text::calendar::{is_year, month_of as month};

/// Most terms kept per document: its heaviest by count and background rarity. Long posts keep
/// their vocabulary bounded without losing what they are about, and the scan holds seven bytes
/// per kept term while it reads.
pub const MAX_TERMS: usize = 32;

/// Terms per document whose surface word is kept, to show as evidence.
pub const EVIDENCE_WORDS: usize = 8;

/// Term id of a term string.
pub fn term_id(term: &str, seed: u64) -> u32 {
    xxh3_64_with_seed(term.as_bytes(), seed ^ 0x7374_6f72_7973) as u32
}

/// One term of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The term id ([`term_id`]).
    pub id: u32,
    /// How often it occurs, weighted ([`NAME_WEIGHT`] for a name, [`DATE_WEIGHT`] ...).
    pub count: u16,
    /// How much a word this common in news counts, as [`crate::facts::background_factor`] (0.3 to 1)
    /// times 255: in a small corpus, document frequencies alone cannot tell "percent" from
    /// "Kursk".
    pub background: u8,
}

impl Term {
    /// A term with the full background weight (a word rare in news).
    pub fn rare(id: u32, count: u16) -> Self {
        Self {
            id,
            count,
            background: 255,
        }
    }
}

/// The term counts of one document: at most [`MAX_TERMS`] terms sorted by id, and the surface
/// words of its [`EVIDENCE_WORDS`] heaviest terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    /// The terms, sorted by id.
    pub counts: Vec<Term>,
    /// `(term id, word, kind)` for the heaviest terms.
    pub words: Vec<(u32, Box<str>, TermKind)>,
    /// The document's language key.
    pub language: LanguageKey,
}

/// A term as counted: `(term, count, first token, last token, rarity, background, kind)` (a
/// joined term such as "12 killed" spans two tokens).
type Raw = (u32, u16, u32, u32, f32, u8, TermKind);

/// What a term says about an event, for the evidence a story shows. Ordered so that a term
/// written as a name anywhere in a document is a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// An ordinary content word.
    #[default]
    Word,
    /// A number with what it counts ("12 killed").
    Figure,
    /// A day of a month or a year.
    Date,
    /// A word capitalised inside a sentence (a person, place or organisation), or two in a row.
    Name,
}

/// The rarity of a term the background table cannot know (joined terms, dates).
const RARE: f32 = 6.9;

/// Weight of a name: two reports of one event share its names more reliably than its verbs,
/// and two incidents of the same kind differ in them first.
pub const NAME_WEIGHT: u16 = 3;
/// Weight of two names in a row ("Tara Reid", "Red Sox"), as one term besides its words:
/// another person with the same first name is another incident.
pub const NAME_PAIR_WEIGHT: u16 = 1;
/// Weight of a number joined to what it counts ("12 killed", "300 passengers"): the figure of
/// one incident, which another incident of the same kind rarely repeats.
pub const NUMBER_WEIGHT: u16 = 2;
/// Weight of a date: a day of a month ("march 5", "5 march") or a year.
pub const DATE_WEIGHT: u16 = 2;

/// A day of the month (1-31), as written before or after a month name.
fn day_of_month(token: &str) -> Option<u32> {
    let day: u32 = token.parse().ok().filter(|_| token.len() <= 2)?;
    (1..=31).contains(&day).then_some(day)
}

/// One id for a pair of parts (a number and what it counts, a month and a day): a
/// multiply-shift of both ids, no string built.
fn joined_id(a: u32, b: u32) -> u32 {
    ((u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// A worker thread's memory of what tokens became ([`TokenMemory`], keyed by the token hash
/// the fingerprinter computed anyway), and its counting buffers.
#[derive(Debug, Default)]
pub struct TermCache {
    tokens: TokenMemory,
    short_words: ShortWords,
    stem: String,
    /// The current document's distinct terms.
    tally: Tally,
}

/// One document's terms as they are counted: each distinct term once, in the order first
/// seen, found through a small open-addressing index. The index is stamped per document, so
/// starting a document clears nothing. (Listing every token's term and sorting the list cost
/// more than the lookups; an `IdMap` index cleared per document cost read+fingerprint 0.47 ->
/// 0.50 s on the bench corpus.)
#[derive(Debug, Default)]
struct Tally {
    terms: Vec<Raw>,
    /// `(stamp, index into terms)`; a slot of another stamp is empty.
    slots: Vec<(u32, u32)>,
    stamp: u32,
}

impl Tally {
    /// Slots of a fresh index: a news article has a few hundred distinct terms.
    const SLOTS: usize = 1024;

    fn start(&mut self) {
        self.terms.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 || self.slots.is_empty() {
            self.slots = vec![(0, 0); self.slots.len().max(Self::SLOTS)];
            self.stamp = 1;
        }
    }

    /// Counts one occurrence: a term seen before adds its count and keeps its first
    /// occurrence; a name anywhere makes it a name.
    fn add(&mut self, r: Raw) {
        if 2 * (self.terms.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut s = slot_of(r.0) & mask;
        loop {
            let (stamp, i) = self.slots[s];
            if stamp != self.stamp {
                self.slots[s] = (self.stamp, self.terms.len() as u32);
                self.terms.push(r);
                return;
            }
            let seen = &mut self.terms[i as usize];
            if seen.0 == r.0 {
                seen.1 = seen.1.saturating_add(r.1);
                seen.6 = seen.6.max(r.6);
                return;
            }
            s = (s + 1) & mask;
        }
    }

    /// Doubles the index and puts every term back.
    fn grow(&mut self) {
        self.slots = vec![(0, 0); 2 * self.slots.len().max(Self::SLOTS / 2)];
        self.stamp = 1;
        let mask = self.slots.len() - 1;
        for (i, r) in self.terms.iter().enumerate() {
            let mut s = slot_of(r.0) & mask;
            while self.slots[s].0 == self.stamp {
                s = (s + 1) & mask;
            }
            self.slots[s] = (self.stamp, i as u32);
        }
    }
}

/// Where a term id starts probing (ids are hashes already; the multiply spreads joined ids).
fn slot_of(id: u32) -> usize {
    (u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize
}

impl TermCache {
    /// The term of `token` (whose hash is `hash`), its rarity and its background weight.
    fn lookup(&mut self, hash: u64, token: &str, seed: u64) -> Remembered {
        let stem = &mut self.stem;
        self.tokens.get_or(hash, token.as_bytes(), || {
            term_into(token, stem).then(|| {
                let (idf, factor) = background_weights(stem);
                (
                    term_id(stem, seed),
                    idf as f32,
                    (factor * 255.0).round() as u8,
                )
            })
        })
    }
}

/// Whether the token at byte `start` of `text` is written like a name: a capital that does
/// not merely start a sentence.
fn looks_like_name(text: &str, start: usize) -> bool {
    let capital = text
        .get(start..)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_uppercase);
    capital
        && !text[..start]
            .trim_end()
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '“' | '\n'))
}

/// The story terms of a run of documents end to end, as [`count_terms_into`] appends them: a
/// run's documents share three lists instead of allocating for each (allocations made by one
/// thread and freed by another cost more than the counting).
#[derive(Debug, Clone, Default)]
pub struct TermRun {
    /// Each document's terms, sorted by id within the document.
    pub terms: Vec<Term>,
    /// Each document's evidence words: `(term id, end of the word in `text`, kind)`.
    pub words: Vec<(u32, u32, TermKind)>,
    /// The evidence words, end to end.
    pub text: String,
    /// Each document's number of distinct terms before the heaviest were kept: its length
    /// as the threshold choice reads it.
    pub distinct: Vec<u16>,
    /// Each document's language key.
    pub languages: Vec<LanguageKey>,
}

/// Counts the story terms of the document last fingerprinted into `scratch`; `text` is the
/// original, to see capitals. The terms and evidence words are appended to `run`; returns
/// how many of each.
pub fn count_terms_into(
    text: &str,
    scratch: &FingerprintScratch,
    cache: &mut TermCache,
    seed: u64,
    run: &mut TermRun,
) -> (u32, u32) {
    let hashes = scratch.token_hashes();
    let mut tally = std::mem::take(&mut cache.tally);
    tally.start();
    let mut short_words = std::mem::take(&mut cache.short_words);
    short_words.start();
    let mut i = 0u32;
    let mut previous: &str = "";
    // The number just before this token (its position, id and day of month), and the name.
    let mut number: Option<(u32, u32, Option<u32>)> = None;
    let mut name_before: Option<(u32, u32)> = None;
    scratch.for_each_token(|start, token| {
        let hash = hashes.get(i as usize).copied().unwrap_or_default();
        let at = i;
        i += 1;
        let before = std::mem::replace(&mut previous, token);
        let number_before = number.take();
        // Extra terms are rare in news at large: they get the full rarity and weight.
        let extra = |id, weight, from, kind| (id, weight, from, at, RARE, 255, kind);
        if token.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            // A number is a term only with what it counts ("12 killed") or as a date: alone
            // ("15", "1,000") it says little about which event (ECB+ ARI 0.850 -> 0.852,
            // its test half 0.828 -> 0.839, GoogleNews-TS the same).
            let counted = cache.lookup(hash, token, seed);
            let term = counted.map_or_else(|| term_id(token, seed), |c| c.0);
            let day = day_of_month(token);
            if is_year(token) {
                tally.add(extra(term, DATE_WEIGHT, at, TermKind::Date));
            } else if let Some(m) = day.and_then(|_| month(before)) {
                let date = joined_id(m, day.unwrap_or_default());
                tally.add(extra(date, DATE_WEIGHT, at - 1, TermKind::Date));
            } else {
                number = Some((at, term, day));
            }
            return;
        }
        let looked_up = cache.lookup(hash, token, seed);
        short_words.add(token, hash, looked_up.is_none());
        let Some((term, rarity, background)) = looked_up else {
            return;
        };
        if let Some((from, n, day)) = number_before {
            match day.and_then(|d| Some((month(token)?, d))) {
                Some((m, d)) => {
                    tally.add(extra(joined_id(m, d), DATE_WEIGHT, from, TermKind::Date))
                }
                // A rate ("9 percent") recurs across unrelated stories; a count does not.
                None if token.starts_with("percent") => {}
                None => tally.add(extra(
                    joined_id(n, term),
                    NUMBER_WEIGHT,
                    from,
                    TermKind::Figure,
                )),
            }
        }
        let name = looks_like_name(text, start);
        if name {
            if let Some((p_at, p)) = name_before {
                if p_at + 1 == at {
                    tally.add(extra(
                        joined_id(p, term),
                        NAME_PAIR_WEIGHT,
                        p_at,
                        TermKind::Name,
                    ));
                }
            }
            name_before = Some((at, term));
        }
        let (weight, kind) = if name {
            (NAME_WEIGHT, TermKind::Name)
        } else {
            (1, TermKind::Word)
        };
        tally.add((term, weight, at, at, rarity, background, kind));
    });
    // Heaviest first: by count times how rare the word is in news; among equals the earlier
    // (news puts who, what, where and when first). Only the kept ones need sorting.
    let counts = &mut tally.terms;
    for c in counts.iter_mut().filter(|c| c.1 > 1) {
        c.4 *= 1.0 + f32::from(c.1).ln();
    }
    let heavier = |x: &Raw, y: &Raw| y.4.total_cmp(&x.4).then(x.2.cmp(&y.2)).then(x.0.cmp(&y.0));
    let distinct = counts.len();
    if counts.len() > MAX_TERMS {
        counts.select_nth_unstable_by(MAX_TERMS - 1, heavier);
        counts.truncate(MAX_TERMS);
    }
    // The evidence words are the heaviest few, in any order.
    if counts.len() > EVIDENCE_WORDS {
        counts.select_nth_unstable_by(EVIDENCE_WORDS - 1, heavier);
    }
    run.distinct
        .push(u16::try_from(distinct).unwrap_or(u16::MAX));
    run.languages.push(short_words.key());
    cache.short_words = short_words;
    let words = evidence_words(scratch, counts, run);
    let from = run.terms.len();
    run.terms.extend(counts.iter().map(|c| Term {
        id: c.0,
        count: c.1,
        background: c.5,
    }));
    run.terms[from..].sort_unstable_by_key(|t| t.id);
    let kept = counts.len() as u32;
    cache.tally = tally;
    (kept, words)
}

/// [`count_terms_into`] for one document on its own.
pub fn count_terms(
    text: &str,
    scratch: &FingerprintScratch,
    cache: &mut TermCache,
    seed: u64,
) -> TermCounts {
    let mut run = TermRun::default();
    count_terms_into(text, scratch, cache, seed, &mut run);
    let mut start = 0;
    let words = run
        .words
        .iter()
        .map(|&(id, end, kind)| {
            let word = run.text[start..end as usize].into();
            start = end as usize;
            (id, word, kind)
        })
        .collect();
    TermCounts {
        counts: run.terms,
        words,
        language: run.languages.first().copied().unwrap_or_default(),
    }
}

/// Appends the surface words (first occurrence) of the [`EVIDENCE_WORDS`] heaviest terms
/// (the first of `heaviest`, in any order) to `run`, in the order they occur; returns how
/// many. A joined term reads as its tokens with a
/// space ("12 killed").
fn evidence_words(scratch: &FingerprintScratch, heaviest: &[Raw], run: &mut TermRun) -> u32 {
    let mut wanted: [(u32, u32, u32, TermKind); EVIDENCE_WORDS] = Default::default();
    let n = heaviest.len().min(EVIDENCE_WORDS);
    for (w, c) in wanted.iter_mut().zip(heaviest) {
        *w = (c.2, c.3, c.0, c.6);
    }
    wanted[..n].sort_unstable();
    for &(from, to, term, kind) in &wanted[..n] {
        for i in from..=to {
            if i > from {
                run.text.push(' ');
            }
            run.text
                .push_str(scratch.token(i as usize).unwrap_or_default());
        }
        run.words.push((term, run.text.len() as u32, kind));
    }
    n as u32
}

/// Term ids with the first evidence word seen for each, the words end to end in one string
/// (a string per word cost more than the word).
#[derive(Debug, Clone, Default)]
pub struct WordMap {
    at: IdMap<u32, (u32, u16, TermKind)>,
    text: String,
}

impl WordMap {
    /// Keeps `word` and its kind for `id` unless `id` has a word (or the word is 64 KiB or
    /// longer).
    pub fn insert_first_kind(&mut self, id: u32, word: &str, kind: TermKind) {
        // A "word" of 64 KiB is no evidence anyone reads.
        let Ok(len) = u16::try_from(word.len()) else {
            return;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = self.at.entry(id) {
            slot.insert((self.text.len() as u32, len, kind));
            self.text.push_str(word);
        }
    }

    /// The word kept for `id`, and its kind.
    pub fn get(&self, id: u32) -> Option<(&str, TermKind)> {
        let &(start, len, kind) = self.at.get(&id)?;
        let word = self
            .text
            .get(start as usize..start as usize + usize::from(len))?;
        Some((word, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::fingerprint::Fingerprinter;

    fn counts(text: &str) -> TermCounts {
        let fp = Fingerprinter::new(&Params::default());
        let mut scratch = FingerprintScratch::default();
        fp.fingerprint(text, &mut scratch).unwrap();
        count_terms(text, &scratch, &mut TermCache::default(), 1)
    }

    #[test]
    fn names_count_more_and_function_words_not_at_all() {
        let c = counts("The talks in Moscow ended. Talks resume in Moscow.");
        let moscow = term_id("moscow", 1);
        let talk = term_id("talk", 1);
        let get = |id| c.counts.iter().find(|x| x.id == id).map(|x| x.count);
        assert_eq!(get(moscow), Some(2 * NAME_WEIGHT));
        // "Talks" starts a sentence: a capital, but no name.
        assert_eq!(get(talk), Some(2));
        assert_eq!(
            c.counts.len(),
            4,
            "talk, moscow, end, resume: {:?}",
            c.counts
        );
        assert!(
            c.words.contains(&(moscow, "moscow".into(), TermKind::Name)),
            "{:?}",
            c.words
        );
    }

    #[test]
    fn the_ascii_and_unicode_paths_count_alike() {
        let ascii = counts("Putin met Witkoff in Moscow; Witkoff flew on to Riyadh.");
        let unicode = counts("Putin met Witkoff in Moscow; Witkoff flew on to Riyadh. Ё");
        let without_yo: Vec<Term> = unicode
            .counts
            .iter()
            .copied()
            .filter(|c| ascii.counts.iter().any(|a| a.id == c.id))
            .collect();
        assert_eq!(ascii.counts, without_yo);
        assert_eq!(unicode.counts.len(), ascii.counts.len() + 1);
    }

    #[test]
    fn a_cached_token_counts_as_a_fresh_one() {
        let fp = Fingerprinter::new(&Params::default());
        let mut scratch = FingerprintScratch::default();
        let mut cache = TermCache::default();
        let text = "Dock workers at Eastbridge extend the strike; the strike enters day three.";
        fp.fingerprint(text, &mut scratch).unwrap();
        let first = count_terms(text, &scratch, &mut cache, 1);
        let again = count_terms(text, &scratch, &mut cache, 1);
        assert_eq!(first, again);
        assert_eq!(first, counts(text));
    }

    #[test]
    fn long_documents_keep_their_heaviest_terms() {
        let text: String =
            (0..300).map(|i| format!("word{i} ")).collect::<String>() + "Kursk Kursk Kursk";
        let c = counts(&text);
        assert_eq!(c.counts.len(), MAX_TERMS);
        assert!(c.counts.iter().any(|x| x.id == term_id("kursk", 1)));
    }
}
