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

use crate::facts::{background_factor, background_idf, term_into};
use crate::fingerprint::FingerprintScratch;
use crate::ids::IdMap;
use crate::text::calendar::{is_year, month_of as month};

/// Most terms kept per document: its heaviest by count and background rarity. Long posts keep
/// their vocabulary bounded without losing what they are about, and the scan holds seven bytes
/// per kept term while it reads.
pub const MAX_TERMS: usize = 32;

/// Terms per document whose surface word is kept, to show as evidence.
pub const EVIDENCE_WORDS: usize = 8;

/// Entries in each of a [`TermCache`]'s two generations (about 3 MB per thread in all).
const CACHE_LIMIT: usize = 1 << 15;

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
    /// How much a word this common in news counts, as [`background_factor`] (0.3 to 1)
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
}

/// Longest token a [`TermCache`] remembers (longer ones are worked out each time).
const CACHED_TOKEN: usize = 22;

/// What one token became; the token is held inline, so checking a hit reads no other memory.
#[derive(Debug, Clone, Copy)]
struct CachedTerm {
    token: [u8; CACHED_TOKEN],
    len: u8,
    is_term: bool,
    term: u32,
    /// How rare the term is in news in general ([`background_idf`]).
    rarity: f32,
    /// [`Term::background`].
    background: u8,
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

/// A worker thread's memory of what tokens became, and its counting buffers.
///
/// Keyed by the token hash the fingerprinter computed anyway; the token itself is compared
/// on a hit, so a hash collision can only cost a miss, never change a count, and the result is
/// the same whatever a thread saw before.
#[derive(Debug, Default)]
pub struct TermCache {
    map: IdMap<u64, CachedTerm>,
    /// The entries of before the last time `map` filled up: what is still in use comes back
    /// from here, and the rest goes with the next turn.
    old: IdMap<u64, CachedTerm>,
    stem: String,
    /// `(term, count, first token, rarity, background)` of the current document's tokens,
    /// then of its distinct terms.
    raw: Vec<Raw>,
    counts: Vec<Raw>,
}

impl TermCache {
    /// The term of `token` (whose hash is `hash`), its rarity and its background weight.
    fn lookup(&mut self, hash: u64, token: &str, seed: u64) -> Option<(u32, f32, u8)> {
        let bytes = token.as_bytes();
        let same = |c: &&CachedTerm| c.token.get(..usize::from(c.len)) == Some(bytes);
        if let Some(hit) = self.map.get(&hash).filter(same) {
            return hit
                .is_term
                .then_some((hit.term, hit.rarity, hit.background));
        }
        if let Some(&hit) = self.old.get(&hash).filter(same) {
            self.remember(hash, hit);
            return hit
                .is_term
                .then_some((hit.term, hit.rarity, hit.background));
        }
        let term = term_into(token, &mut self.stem).then(|| term_id(&self.stem, seed));
        let (rarity, background) = if term.is_some() {
            (
                background_idf(&self.stem) as f32,
                (background_factor(&self.stem) * 255.0).round() as u8,
            )
        } else {
            (0.0, 0)
        };
        if bytes.len() <= CACHED_TOKEN {
            let mut inline = [0; CACHED_TOKEN];
            inline[..bytes.len()].copy_from_slice(bytes);
            let entry = CachedTerm {
                token: inline,
                len: bytes.len() as u8,
                is_term: term.is_some(),
                term: term.unwrap_or_default(),
                rarity,
                background,
            };
            self.remember(hash, entry);
        }
        term.map(|t| (t, rarity, background))
    }

    /// Keeps `entry`; a full cache turns over into the old generation, so a corpus whose
    /// vocabulary moves on (a new language, a new year of news) keeps what it uses, and a
    /// word still in use comes back from the old generation.
    fn remember(&mut self, hash: u64, entry: CachedTerm) {
        if self.map.len() >= CACHE_LIMIT {
            self.old = std::mem::take(&mut self.map);
            self.map.reserve(CACHE_LIMIT);
        }
        self.map.insert(hash, entry);
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
    let mut raw = std::mem::take(&mut cache.raw);
    raw.clear();
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
                raw.push(extra(term, DATE_WEIGHT, at, TermKind::Date));
            } else if let Some(m) = day.and_then(|_| month(before)) {
                let date = joined_id(m, day.unwrap_or_default());
                raw.push(extra(date, DATE_WEIGHT, at - 1, TermKind::Date));
            } else {
                number = Some((at, term, day));
            }
            return;
        }
        let Some((term, rarity, background)) = cache.lookup(hash, token, seed) else {
            return;
        };
        if let Some((from, n, day)) = number_before {
            match day.and_then(|d| Some((month(token)?, d))) {
                Some((m, d)) => raw.push(extra(joined_id(m, d), DATE_WEIGHT, from, TermKind::Date)),
                // A rate ("9 percent") recurs across unrelated stories; a count does not.
                None if token.starts_with("percent") => {}
                None => raw.push(extra(
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
                    raw.push(extra(
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
        raw.push((term, weight, at, at, rarity, background, kind));
    });
    // Equal terms side by side, each with its first position.
    raw.sort_unstable_by_key(|x| (x.0, x.2));
    let mut counts = std::mem::take(&mut cache.counts);
    counts.clear();
    for &r in &raw {
        match counts.last_mut() {
            Some(last) if last.0 == r.0 => {
                last.1 = last.1.saturating_add(r.1);
                last.6 = last.6.max(r.6);
            }
            _ => counts.push(r),
        }
    }
    cache.raw = raw;
    // Heaviest first: by count times how rare the word is in news; among equals the earlier
    // (news puts who, what, where and when first).
    for c in &mut counts {
        c.4 *= 1.0 + f32::from(c.1).ln();
    }
    counts.sort_unstable_by(|x, y| y.4.total_cmp(&x.4).then(x.2.cmp(&y.2)));
    run.distinct
        .push(u16::try_from(counts.len()).unwrap_or(u16::MAX));
    counts.truncate(MAX_TERMS);
    let words = evidence_words(scratch, &counts, run);
    let from = run.terms.len();
    run.terms.extend(counts.iter().map(|c| Term {
        id: c.0,
        count: c.1,
        background: c.5,
    }));
    run.terms[from..].sort_unstable_by_key(|t| t.id);
    let kept = counts.len() as u32;
    cache.counts = counts;
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
    }
}

/// Appends the surface words (first occurrence) of the [`EVIDENCE_WORDS`] heaviest terms to
/// `run`; returns how many.
fn evidence_words(scratch: &FingerprintScratch, heaviest: &[Raw], run: &mut TermRun) -> u32 {
    let mut wanted: Vec<(u32, u32, u32, TermKind)> = heaviest
        .iter()
        .take(EVIDENCE_WORDS)
        .map(|c| (c.2, c.3, c.0, c.6))
        .collect();
    wanted.sort_unstable();
    let mut next = 0;
    let mut i = 0u32;
    let mut words = 0;
    scratch.for_each_token(|_, token| {
        // Joined terms read as their tokens with a space ("12 killed"); a span may begin
        // inside an earlier one's (two names and a pair), so each is written on its own.
        while let Some(&(from, to, term, kind)) = wanted.get(next) {
            if from != i && !(from < i && i <= to) {
                break;
            }
            if from == i {
                run.text.push_str(token);
            }
            if i > from {
                run.text.push(' ');
                run.text.push_str(token);
            }
            if i == to {
                run.words.push((term, run.text.len() as u32, kind));
                words += 1;
                next += 1;
            } else {
                break;
            }
        }
        i += 1;
    });
    words
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
