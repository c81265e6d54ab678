//! Which language a document is written in, as far as stories need to know: enough to weigh
//! each language's words among its own documents.
//!
//! The stop list that keeps "the" and "of" out of story terms knows English only. A corpus
//! of several languages counts every other language's function words as terms, and the rule
//! that drops a term found in more than one document in twenty (the corpus' own function
//! words) fails for a language that is a small part of the corpus: its "und" is in every one
//! of its documents but in few of the corpus'. Its documents then look alike through their
//! function words, and one language becomes one giant story (on eight copies of the bench
//! corpus in eight letter-shifted alphabets, a component of 291,000 of 318,000 units, and
//! the story stage took 24 times what one copy took).
//!
//! No language detector is needed. A document in which the English stop list covers at least
//! [`ENGLISH_SHARE`] of the words is English (prose there is 40 to 50%; German, French or
//! Spanish prose 3 to 6%). Any other document's most frequent short words (two or three bytes:
//! "und", "de", "的") name its language, when the most frequent of them occurs at least
//! [`KEY_COUNT`] times. Documents are grouped by that word, and a group joins a larger one
//! when at least half of its documents have the larger group's word among their next two
//! ("der" documents have "die" there). Joining through any shared word (a word union) failed:
//! short words are shared between languages ("die", "in", "a"), and a few documents of each
//! joined them all. Keys were not enough alone either: short English snippets, each word once,
//! fell into groups by chance, and GoogleNews-TS lost a fifth of its ARI.
//!
//! A language of fewer than [`MIN_GROUP`] documents, and a document without a key, count with
//! the largest one. The story vectors then take document frequencies within each language,
//! and a term of one language never matches one of another (cross-language pairs shared only
//! figures and a few names).

use crate::ids::IdMap;

/// Shortest and longest word, in bytes, that can name a language (one letter is too often
/// a stray initial or a split contraction, "don't" giving "t").
pub const SHORT_WORD: std::ops::RangeInclusive<usize> = 2..=3;

/// Bits of the map of the largest language's vocabulary.
const VOCABULARY_BITS: usize = 1 << 24;

/// Words of a document's key.
const KEY_WORDS: usize = 3;

/// Share of a document's words (of two letters or more) in the English stop list from which
/// it is English.
pub const ENGLISH_SHARE: f32 = 0.15;

/// Share of a group's term occurrences found in the largest language's documents from which
/// it is not a language of its own but a register of the largest one: Reuters' earnings
/// tables ("shr 34 cts vs 1.19 dlrs") have few English stop words and keys of their own, but
/// their words are English words, and a table and an article on the same company's results are
/// one story.
pub const SHARED_VOCABULARY: f32 = 0.5;

/// Fewest times the most frequent short word of a document must occur to name its language:
/// in a snippet where every word occurs once, which one leads is chance.
pub const KEY_COUNT: u32 = 3;

/// Fewest documents a language needs to be weighed on its own; a smaller one counts with the
/// largest language (its words' frequencies would say little).
pub const MIN_GROUP: usize = 100;

/// A document's three most frequent short words (32 bits of their token hashes), most
/// frequent first; [`LanguageKey::NONE`] where it has fewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LanguageKey {
    /// The words.
    pub words: [u32; KEY_WORDS],
}

impl LanguageKey {
    /// No word.
    pub const NONE: u32 = 0;

    /// The first word of an English document's key (no word hash is 0 or 1).
    pub const ENGLISH: u32 = 1;

    /// The most frequent short word.
    pub fn first(&self) -> u32 {
        self.words[0]
    }
}

/// Word hashes as keys: 0 and 1 stand for no word and for English.
fn word_key(hash: u64) -> u32 {
    (hash as u32).max(2)
}

/// Distinct short words a document's count follows (the rest are not counted; news text has
/// a few dozen).
const TRACKED: usize = 48;

/// Slots of [`ShortWords`]' table (a power of two, well above [`TRACKED`]).
const SLOTS: usize = 128;

/// Counts one document's short words, reused from one document to the next (on the heap, so
/// that moving it in and out of a thread's cache copies three words).
#[derive(Debug, Default)]
pub struct ShortWords {
    /// `(word key, count)`, open addressing by the key's low bits; key 0 is an empty slot.
    slots: Vec<(u32, u32)>,
    distinct: usize,
    /// Words of two letters or more, and those the English stop list knows.
    words: u32,
    stop_words: u32,
}

impl ShortWords {
    /// Forgets the last document's words.
    pub fn start(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); SLOTS];
        } else if self.distinct > 0 {
            self.slots.fill((0, 0));
        }
        self.distinct = 0;
        self.words = 0;
        self.stop_words = 0;
    }

    /// Counts the word `token` (whose token hash is `hash`; `stop_word` when the English stop
    /// list has it).
    pub fn add(&mut self, token: &str, hash: u64, stop_word: bool) {
        if token.len() < 2 {
            return;
        }
        self.words += 1;
        self.stop_words += u32::from(stop_word);
        if !SHORT_WORD.contains(&token.len())
            || token.as_bytes().first().is_some_and(u8::is_ascii_digit)
        {
            return;
        }
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); SLOTS];
        }
        let key = word_key(hash);
        let mut s = key as usize % SLOTS;
        loop {
            match self.slots[s] {
                (k, ref mut n) if k == key => {
                    *n += 1;
                    return;
                }
                (0, _) if self.distinct < TRACKED => {
                    self.slots[s] = (key, 1);
                    self.distinct += 1;
                    return;
                }
                (0, _) => return,
                _ => s = (s + 1) % SLOTS,
            }
        }
    }

    /// The document's key: English, or its most frequent short words (ties to the smaller
    /// key), or none.
    pub fn key(&self) -> LanguageKey {
        if self.stop_words as f32 >= ENGLISH_SHARE * self.words as f32 && self.words > 0 {
            return LanguageKey {
                words: [LanguageKey::ENGLISH, LanguageKey::NONE, LanguageKey::NONE],
            };
        }
        let mut top = [(0u32, LanguageKey::NONE); KEY_WORDS];
        for &(key, count) in self.slots.iter().filter(|s| s.0 != 0) {
            let better = |t: &(u32, u32)| count > t.0 || (count == t.0 && key < t.1);
            if let Some(at) = top.iter().position(better) {
                top[at..].rotate_right(1);
                top[at] = (count, key);
            }
        }
        if top[0].0 < KEY_COUNT {
            return LanguageKey::default();
        }
        LanguageKey {
            words: top.map(|t| t.1),
        }
    }
}

/// The language of each document from its key, and `ids(i)`, document `i`'s term ids: `0`
/// for the largest language (and the documents counted with it), then `1, 2, ...`. The same
/// documents in any order get the same languages.
pub fn languages<'a>(keys: &[LanguageKey], ids: impl Fn(usize) -> &'a [u32]) -> Vec<u32> {
    let roots = key_roots(keys);
    let mut totals: IdMap<u32, usize> = IdMap::default();
    for r in roots.iter().flatten() {
        *totals.entry(*r).or_default() += 1;
    }
    // Largest first; among equals the smaller word.
    let mut by_size: Vec<(usize, u32)> = totals.into_iter().map(|(r, n)| (n, r)).collect();
    by_size.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    by_size.retain(|&(n, _)| n >= MIN_GROUP);
    let mut number: IdMap<u32, u32> = IdMap::default();
    if let Some(&(_, main)) = by_size.first() {
        number.insert(main, 0);
    }
    if by_size.len() > 1 {
        let main = by_size[0].1;
        // The largest language's vocabulary as a bitmap of 2^24 bits (2 MiB) indexed by a
        // hash of the term id: a few hundred thousand terms leave a stray bit set for one
        // term in a hundred, nothing to a share compared with one half.
        let mut vocabulary = vec![0u64; VOCABULARY_BITS / 64];
        let bit = |t: u32| (t.wrapping_mul(0x9e37_79b9) >> (32 - VOCABULARY_BITS.ilog2())) as usize;
        let in_main = (0..keys.len()).filter(|&i| roots[i] == Some(main));
        for t in in_main.flat_map(|i| ids(i).iter().copied()) {
            vocabulary[bit(t) / 64] |= 1 << (bit(t) % 64);
        }
        let known = |t: &&u32| vocabulary[bit(**t) / 64] & (1 << (bit(**t) % 64)) != 0;
        // Each other group's term occurrences, and how many of them the largest one knows.
        let mut shared: IdMap<u32, (usize, usize)> =
            by_size[1..].iter().map(|&(_, r)| (r, (0, 0))).collect();
        for (i, r) in roots.iter().enumerate() {
            if let Some(counts) = r.and_then(|r| shared.get_mut(&r)) {
                counts.0 += ids(i).iter().filter(known).count();
                counts.1 += ids(i).len();
            }
        }
        for &(_, r) in &by_size[1..] {
            let (found, all) = shared[&r];
            let register = all > 0 && found as f32 >= SHARED_VOCABULARY * all as f32;
            let next = number.len() as u32;
            number.insert(r, if register { 0 } else { next });
        }
    }
    roots
        .iter()
        .map(|r| r.and_then(|r| number.get(&r).copied()).unwrap_or(0))
        .collect()
}

/// The group word each document's key leads to (none without a key).
fn key_roots(keys: &[LanguageKey]) -> Vec<Option<u32>> {
    // Groups by the first word, and how many of each group's documents have each other word
    // among their next ones.
    let mut sizes: IdMap<u32, usize> = IdMap::default();
    let mut next: IdMap<(u32, u32), usize> = IdMap::default();
    for k in keys.iter().filter(|k| k.first() != LanguageKey::NONE) {
        *sizes.entry(k.first()).or_default() += 1;
        for &w in k.words[1..].iter().filter(|&&w| w != LanguageKey::NONE) {
            *next.entry((k.first(), w)).or_default() += 1;
        }
    }
    // A group joins the larger group whose word most of its documents have next (ties to the
    // larger, then the smaller word): sizes and words only, so no order of the documents
    // changes it, and a group only ever joins a larger one, so there is no cycle.
    let rank = |w: u32| (sizes.get(&w).copied().unwrap_or(0), std::cmp::Reverse(w));
    let mut joins: IdMap<u32, (usize, u32)> = IdMap::default();
    for (&(x, y), &n) in &next {
        if 2 * n >= sizes[&x] && rank(y) > rank(x) {
            let best = joins.entry(x).or_insert((n, y));
            if (n, rank(y)) > (best.0, rank(best.1)) {
                *best = (n, y);
            }
        }
    }
    // Each group's root, every chain walked once.
    let mut roots: IdMap<u32, u32> = IdMap::default();
    let mut path = Vec::new();
    for &w in sizes.keys() {
        let mut x = w;
        let root = loop {
            if let Some(&r) = roots.get(&x) {
                break r;
            }
            match joins.get(&x) {
                Some(&(_, y)) => {
                    path.push(x);
                    x = y;
                }
                None => break x,
            }
        };
        roots.insert(x, root);
        for p in path.drain(..) {
            roots.insert(p, root);
        }
    }
    keys.iter()
        .map(|k| roots.get(&k.first()).copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocId;
    use crate::story::item2_tests::{counts, graph, groups};
    use crate::story::{StoryGraph, StoryParams, TermTable, WordMap};

    fn key_of(text: &str) -> LanguageKey {
        let stop = ["the", "of", "to", "a", "and"];
        let mut words = ShortWords::default();
        words.start();
        for w in text.split_whitespace() {
            words.add(
                w,
                xxhash_rust::xxh3::xxh3_64(w.as_bytes()),
                stop.contains(&w),
            );
        }
        words.key()
    }

    fn h(w: &str) -> u32 {
        word_key(xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
    }

    /// Documents with no terms: no group is a register of another.
    fn no_terms(_: usize) -> &'static [u32] {
        &[]
    }

    fn key(words: [&str; 3]) -> LanguageKey {
        LanguageKey {
            words: words.map(h),
        }
    }

    #[test]
    fn english_is_known_by_its_stop_words_and_another_language_by_its_short_words() {
        let english = key_of("the crew of the submarine kursk and the navy");
        assert_eq!(english.first(), LanguageKey::ENGLISH);
        let german =
            key_of("die crew der kursk und die marine der flotte und die regierung der stadt und");
        assert_eq!(german, key(["der", "die", "und"]));
        // Each short word once or twice: no key.
        let few = key_of("die crew der kursk und die marine der flotte");
        assert_eq!(few, LanguageKey::default());
        assert_eq!(key_of("submarine 1990 12 a"), LanguageKey::default());
    }

    #[test]
    fn two_languages_are_told_apart_and_a_small_one_counts_with_the_largest() {
        let english = [
            ["the", "of", "to"],
            ["the", "to", "and"],
            ["to", "the", "in"],
            ["of", "the", "and"],
        ];
        // "die" and "in" are English words too: shared words do not join the languages.
        let german = [
            ["der", "die", "und"],
            ["die", "der", "in"],
            ["und", "die", "der"],
        ];
        let mut keys = Vec::new();
        for i in 0..1200 {
            keys.push(key(english[i % english.len()]));
        }
        for i in 0..600 {
            keys.push(key(german[i % german.len()]));
        }
        // A few English documents led by "die", and one bilingual document.
        keys.extend([key(["die", "the", "of"]), key(["die", "the", "to"])]);
        keys.push(key(["the", "der", "die"]));
        // A third language with too few documents, and a document with no short word.
        for _ in 0..(MIN_GROUP - 1) {
            keys.push(key(["el", "la", "de"]));
        }
        keys.push(LanguageKey::default());
        let langs = languages(&keys, no_terms);
        assert!(langs[..1200].iter().all(|&l| l == 0));
        assert!(langs[1200..1802].iter().all(|&l| l == 1));
        assert!(langs[1802..].iter().all(|&l| l == 0));
        // The same languages in any order.
        let mut reversed = keys.clone();
        reversed.reverse();
        let mut again = languages(&reversed, no_terms);
        again.reverse();
        assert_eq!(again, langs);
    }

    #[test]
    fn a_register_of_the_largest_language_is_folded_into_it() {
        // English prose, English tables (keyed by "vs"), German.
        let english = LanguageKey {
            words: [LanguageKey::ENGLISH, 0, 0],
        };
        let mut keys = vec![english; 3 * MIN_GROUP];
        keys.extend(vec![key(["vs", "mln", "cts"]); MIN_GROUP]);
        keys.extend(vec![key(["der", "die", "und"]); MIN_GROUP]);
        let ids = |i: usize| -> &'static [u32] {
            match i / MIN_GROUP {
                0..=2 => &[1, 2, 3],
                3 => &[2, 3, 9],
                _ => &[7, 8, 9],
            }
        };
        let langs = languages(&keys, ids);
        assert!(langs[..4 * MIN_GROUP].iter().all(|&l| l == 0));
        assert!(langs[4 * MIN_GROUP..].iter().all(|&l| l == 1));
    }

    #[test]
    fn a_group_joins_a_larger_one_only_with_most_of_its_documents() {
        let mut keys = vec![key(["the", "of", "a"]); 3 * MIN_GROUP];
        keys.extend(vec![key(["to", "in", "on"]); MIN_GROUP]);
        assert_eq!(languages(&keys, no_terms).iter().max(), Some(&1));
        keys.extend(vec![key(["to", "the", "in"]); MIN_GROUP + 1]);
        assert!(languages(&keys, no_terms).iter().all(|&l| l == 0));
    }

    /// A corpus of `english` English documents on nothing in particular, then `german`
    /// German ones in pairs that report the same thing (their own content words). German
    /// function words are not in the stop list, and they are in fewer documents than one in
    /// twenty of the corpus.
    fn two_languages(english: usize, german: usize) -> Vec<String> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        const EN: &[&str] = &["the", "of", "and", "to", "in", "that", "for", "was", "on"];
        // German function words about as often as in German news: "der", "die" and "und"
        // lead.
        const DE: &[&str] = &[
            "der", "der", "der", "der", "der", "der", "die", "die", "die", "die", "die", "die",
            "und", "und", "und", "und", "und", "in", "in", "in", "den", "den", "von", "von", "zu",
            "zu", "das", "das", "mit", "ist", "nicht", "auf",
        ];
        let mut docs = Vec::new();
        for _ in 0..english {
            let words: Vec<String> = (0..60)
                .map(|i| match i % 3 {
                    0 => EN[next(EN.len() as u64) as usize].to_string(),
                    _ => format!("word{}", next(20_000)),
                })
                .collect();
            docs.push(words.join(" "));
        }
        for d in 0..german {
            let story = d / 2;
            // Two words in three are function words, as in German prose.
            let words: Vec<String> = (0..90)
                .map(|i| match i % 3 {
                    2 => format!("thema{story}x{}", next(12)),
                    _ => DE[next(DE.len() as u64) as usize].to_string(),
                })
                .collect();
            docs.push(words.join(" "));
        }
        docs
    }

    #[test]
    fn item2_a_language_the_stop_list_does_not_know_is_weighed_among_its_own_documents() {
        let docs = two_languages(2_400, 120);
        let texts: Vec<&str> = docs.iter().map(String::as_str).collect();
        let params = StoryParams {
            threshold: Some(0.2),
            ..StoryParams::default()
        };
        let mut g = graph(&texts, &[None; 2_520], &params);
        let german: Vec<Vec<DocId>> = groups(&mut g, 0.2)
            .into_iter()
            .filter(|s| s[0] >= 2_400)
            .collect();
        let pairs: Vec<Vec<DocId>> = (0..60)
            .map(|p| vec![2_400 + 2 * p, 2_401 + 2 * p])
            .collect();
        assert_eq!(german, pairs);

        // Weighed as one language, "und" and "der" are rare words of the corpus, and most
        // German documents are one story.
        let mut one = TermTable::default();
        for t in &texts {
            one.push(&counts(t).counts);
        }
        let units: Vec<DocId> = (0..texts.len() as DocId).collect();
        let dates = vec![None; texts.len()];
        let mut g = StoryGraph::build(
            one,
            &units,
            WordMap::default(),
            &dates,
            &params,
            0.04,
            &|_| {},
        );
        let largest = groups(&mut g, 0.2).iter().map(Vec::len).max();
        assert!(largest >= Some(60), "largest story {largest:?}");
    }
}
