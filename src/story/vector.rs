//! Story vectors: each story unit's terms weighted by TF-IDF, end to end in one list.
//!
//! The scan keeps every document's term counts in a [`TermTable`] (six bytes a term, no
//! allocation per document). Once the corpus is read, the story units (a document with its
//! exact and near copies counts once) get `(1 + ln tf) × idf` weights, normalized to unit
//! length, so the similarity of two units is the cosine of their vectors.

use rayon::prelude::*;

use super::language::{languages, LanguageKey};
use super::terms::Term;
use crate::ids::IdMap;

/// Fewest documents a term must be in to count as a function word of the corpus: in a small
/// corpus one in twenty documents is a handful, which one story's own words reach.
pub const COMMON_FLOOR: f32 = 100.0;

/// Documents weighed together into one list (see [`StoryVectors::weigh`]).
const WEIGH_BLOCK: usize = 4096;

/// A block of weighed documents: their vectors end to end, and each one's length.
type WeighedBlock = (Vec<(u32, f32)>, Vec<u32>);

/// A sparse vector: `(term id, weight)` sorted by term id.
pub type Sparse = [(u32, f32)];

/// The term counts of every document, in read order, end to end: seven bytes a term.
#[derive(Debug, Clone, Default)]
pub struct TermTable {
    ids: Vec<u32>,
    counts: Vec<u16>,
    backgrounds: Vec<u8>,
    /// Each document's distinct terms before the heaviest were kept.
    lengths: Vec<u16>,
    /// Each document's language key.
    languages: Vec<LanguageKey>,
    /// Where document `d`'s terms end.
    ends: Vec<u64>,
}

impl TermTable {
    /// An empty table with room for `docs` documents of `terms` terms in all (a table read
    /// back from disk knows its size).
    pub fn with_capacity(docs: usize, terms: usize) -> Self {
        Self {
            ids: Vec::with_capacity(terms),
            counts: Vec::with_capacity(terms),
            backgrounds: Vec::with_capacity(terms),
            lengths: Vec::with_capacity(docs),
            languages: Vec::with_capacity(docs),
            ends: Vec::with_capacity(docs),
        }
    }

    /// Appends the next document's terms (none for a document whose terms are not needed,
    /// such as an exact copy of an earlier one).
    pub fn push(&mut self, terms: &[Term]) {
        let length = u16::try_from(terms.len()).unwrap_or(u16::MAX);
        self.push_document(terms, length, LanguageKey::default());
    }

    /// [`push`](Self::push) for a document that had `length` distinct terms before its
    /// heaviest were kept, in the language of `language`.
    pub fn push_document(&mut self, terms: &[Term], length: u16, language: LanguageKey) {
        self.lengths.push(length);
        self.languages.push(language);
        self.ids.extend(terms.iter().map(|t| t.id));
        self.counts.extend(terms.iter().map(|t| t.count));
        self.backgrounds.extend(terms.iter().map(|t| t.background));
        self.ends.push(self.ids.len() as u64);
    }

    /// Documents in the table.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Document `d`'s distinct terms before the heaviest were kept.
    pub fn length(&self, d: usize) -> u16 {
        self.lengths[d]
    }

    /// Document `d`'s term ids, sorted.
    pub fn ids(&self, d: usize) -> &[u32] {
        &self.ids[self.range(d)]
    }

    /// Document `d`'s terms, sorted by id.
    pub fn terms(&self, d: usize) -> impl Iterator<Item = Term> + '_ {
        self.range(d).map(|i| Term {
            id: self.ids[i],
            count: self.counts[i],
            background: self.backgrounds[i],
        })
    }

    fn range(&self, d: usize) -> std::ops::Range<usize> {
        let start = if d == 0 { 0 } else { self.ends[d - 1] as usize };
        start..self.ends[d] as usize
    }
}

/// Unit-length TF-IDF vectors, one per story unit, end to end. Terms are numbered densely
/// (`0..dims()`, in the order of their ids) so that a vector can be spread over an array for
/// fast dot products ([`Dense`]).
#[derive(Debug, Clone, Default)]
pub struct StoryVectors {
    entries: Vec<(u32, f32)>,
    /// Where each vector is in `entries`: start and length (weighed by language, the vectors
    /// are not in unit order).
    spans: Vec<(u32, u32)>,
    /// The term id of each dense term number.
    term_ids: Vec<u32>,
}

impl StoryVectors {
    /// The vectors of documents `docs` of `table`: `(1 + ln count) × idf × background`, with
    /// document frequencies over those documents (a term in one of them says nothing about a
    /// pair, and a term in all of them nothing either) and the term's background weight (how
    /// common the word is in news at large, as `compare` weighs words).
    pub fn weigh(table: &TermTable, docs: &[u32]) -> Self {
        let keys: Vec<LanguageKey> = docs.iter().map(|&d| table.languages[d as usize]).collect();
        let language = languages(&keys, |i| table.ids(docs[i] as usize));
        drop(keys);
        // One language at a time: its document frequencies and its vectors, so what weighing
        // holds besides the vectors is one language's terms (at 8 times the bench corpus, in
        // eight alphabets, the whole corpus' terms and their map were a third of the peak).
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        order.sort_by_key(|&i| language[i as usize]);
        let mut out = Self {
            entries: Vec::with_capacity(docs.iter().map(|&d| table.ids(d as usize).len()).sum()),
            spans: vec![(0, 0); docs.len()],
            term_ids: Vec::new(),
        };
        for positions in order.chunk_by(|&x, &y| language[x as usize] == language[y as usize]) {
            out.weigh_language(table, docs, positions);
        }
        out
    }

    /// Weighs the documents `docs[i]` for `i` in `positions`, all of one language: terms
    /// new to the vectors get the next dense numbers, in the order of their ids.
    fn weigh_language(&mut self, table: &TermTable, docs: &[u32], positions: &[u32]) {
        let ids_of = |i: u32| table.ids(docs[i as usize] as usize);
        let mut all: Vec<u32> = positions
            .iter()
            .flat_map(|&i| ids_of(i).iter().copied())
            .collect();
        all.par_sort_unstable();
        let n = positions.len() as f32;
        let mut dense: IdMap<u32, (u32, f32)> = IdMap::default();
        // A term in more than one document in twenty of its language is a function word (the
        // stop list knows English ones only): German "und". It tells no story apart, and
        // weighed by its idf it made whole languages look like one story.
        let common = (n / 20.0).max(COMMON_FLOOR);
        for run in all.chunk_by(|a, b| a == b) {
            let idf = (n / run.len() as f32).ln();
            if run.len() >= 2 && idf > 0.0 && run.len() as f32 <= common {
                dense.insert(run[0], (self.term_ids.len() as u32, idf));
                self.term_ids.push(run[0]);
            } else if run.len() >= 2 {
                dense.insert(run[0], (u32::MAX, 0.0));
            }
        }
        drop(all);
        // The idf of a term found in one document (terms in every document have 0).
        let alone = n.ln();
        let weigh_one = |i: u32, out: &mut Vec<(u32, f32)>| {
            let from = out.len();
            // A term of this document alone can match nothing, so it is not kept, but it
            // counts in the length: it is part of what the document is about (without it,
            // two short documents sharing one common word looked alike).
            let mut norm = 0.0f32;
            out.extend(table.terms(docs[i as usize] as usize).filter_map(|t| {
                let (k, idf) = dense.get(&t.id).copied().unwrap_or((u32::MAX, alone));
                let background = f32::from(t.background) / 255.0;
                let w = (1.0 + f32::from(t.count).ln()) * idf * background;
                norm += w * w;
                (k != u32::MAX).then_some((k, w))
            }));
            let norm = norm.sqrt();
            if norm > 0.0 {
                out[from..].iter_mut().for_each(|(_, w)| *w /= norm);
            }
        };
        // A block of documents at a time into one list per block: a list per document left
        // as much memory again as the vectors in small freed blocks while they were copied
        // end to end.
        let blocks: Vec<WeighedBlock> = positions
            .par_chunks(WEIGH_BLOCK)
            .map(|block| {
                let (mut entries, mut lengths) = (Vec::new(), Vec::with_capacity(block.len()));
                for &i in block {
                    let before = entries.len();
                    weigh_one(i, &mut entries);
                    lengths.push((entries.len() - before) as u32);
                }
                (entries, lengths)
            })
            .collect();
        for (block, (entries, lengths)) in positions.chunks(WEIGH_BLOCK).zip(blocks) {
            let mut start = self.entries.len() as u32;
            for (&i, &len) in block.iter().zip(&lengths) {
                self.spans[i as usize] = (start, len);
                start += len;
            }
            self.entries.extend(entries);
        }
    }

    /// Vectors of the given relative weights, made unit length; term ids are the term
    /// numbers (for tests of the clustering).
    #[cfg(test)]
    pub(crate) fn unit(vectors: &[&[(u32, f32)]]) -> Self {
        let mut out = Self::default();
        for v in vectors {
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            let start = out.entries.len() as u32;
            out.entries.extend(v.iter().map(|&(t, w)| (t, w / norm)));
            out.spans.push((start, v.len() as u32));
        }
        let dims = out.entries.iter().map(|e| e.0 + 1).max().unwrap_or(0);
        out.term_ids = (0..dims).collect();
        out
    }

    /// The vectors of documents with the given `(term id, count)`s, all of them units (for
    /// tests).
    #[cfg(test)]
    pub(crate) fn of_counts(docs: &[&[(u32, u16)]]) -> Self {
        let mut table = TermTable::default();
        for d in docs {
            let terms: Vec<Term> = d.iter().map(|&(id, count)| Term::rare(id, count)).collect();
            table.push(&terms);
        }
        Self::weigh(&table, &(0..docs.len() as u32).collect::<Vec<_>>())
    }

    /// Vectors held.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Distinct terms: dense term numbers are below this.
    pub fn dims(&self) -> usize {
        self.term_ids.len()
    }

    /// The term id (see [`term_id`](super::term_id)) of dense term number `k`.
    pub fn term_id(&self, k: u32) -> u32 {
        self.term_ids[k as usize]
    }

    /// Vector `u`.
    pub fn get(&self, u: usize) -> &Sparse {
        let (start, len) = self.spans[u];
        &self.entries[start as usize..(start + len) as usize]
    }

    /// The `k` heaviest terms of vector `u`, heaviest first.
    pub fn top(&self, u: usize, k: usize) -> Vec<u32> {
        let mut t = self.get(u).to_vec();
        t.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        t.into_iter().take(k).map(|(id, _)| id).collect()
    }
}

/// One sparse vector spread over a dense array, for many dot products with it: each then
/// costs the other vector's length only, however long this one is (a cluster's sum can hold
/// thousands of terms).
#[derive(Debug, Default)]
pub struct Dense {
    values: Vec<f32>,
    held: Vec<u32>,
}

impl Dense {
    /// Holds `v` instead of what it held. The array grows to `v`'s largest term only, so
    /// scratch space for a small story stays small.
    pub fn load(&mut self, v: &Sparse) {
        self.clear();
        let top = v.last().map_or(0, |&(t, _)| t as usize + 1);
        if self.values.len() < top {
            self.values.resize(top, 0.0);
        }
        for &(t, w) in v {
            self.values[t as usize] = w;
            self.held.push(t);
        }
    }

    /// Holds nothing.
    pub fn clear(&mut self) {
        for t in self.held.drain(..) {
            self.values[t as usize] = 0.0;
        }
    }

    /// Dot product of the held vector with `v`.
    pub fn dot(&self, v: &Sparse) -> f64 {
        v.iter()
            .map(|&(t, w)| {
                f64::from(self.values.get(t as usize).copied().unwrap_or(0.0)) * f64::from(w)
            })
            .sum()
    }
}

/// Dot product of two sparse vectors.
pub fn dot(a: &Sparse, b: &Sparse) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // A cluster's sum can hold thousands of terms: then look the few terms of the other up.
    if short.len() * 16 < long.len() {
        return short
            .iter()
            .filter_map(|&(t, w)| {
                let i = long.binary_search_by_key(&t, |x| x.0).ok()?;
                Some(f64::from(w) * f64::from(long[i].1))
            })
            .sum();
    }
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.0 == y.0 {
            d += f64::from(x.1) * f64::from(y.1);
        }
        i += usize::from(x.0 <= y.0);
        j += usize::from(y.0 <= x.0);
    }
    d
}

/// The sum of two sparse vectors.
pub fn add(a: &Sparse, b: &Sparse) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => {
                out.push(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(docs: &[&[(u32, u16)]]) -> TermTable {
        let mut t = TermTable::default();
        for d in docs {
            let terms: Vec<Term> = d.iter().map(|&(id, count)| Term::rare(id, count)).collect();
            t.push(&terms);
        }
        t
    }

    #[test]
    fn terms_of_one_document_count_in_the_length_but_are_not_kept() {
        let t = table(&[&[(1, 1), (2, 3)], &[(2, 1), (3, 1)], &[(1, 1), (4, 1)]]);
        let v = StoryVectors::weigh(&t, &[0, 1, 2]);
        // Document 0's terms are both in two documents: its vector is whole, of unit length.
        let norm: f32 = v.get(0).iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
        // Term 3 is in document 1 alone: not kept, but it makes term 2's weight smaller.
        assert!(v.get(1).iter().all(|x| v.term_id(x.0) == 2));
        let w2 = v.get(1)[0].1;
        assert!(w2 < 0.99 && w2 > 0.1, "{w2}");
    }

    #[test]
    fn dot_and_add_agree() {
        let a = [(1, 0.5), (3, 0.5), (9, 1.0)];
        let b = [(3, 2.0), (4, 1.0), (9, 1.0)];
        assert!((dot(&a, &b) - 2.0).abs() < 1e-9);
        let s = add(&a, &b);
        assert_eq!(s, [(1, 0.5), (3, 2.5), (4, 1.0), (9, 2.0)]);
        let long: Vec<(u32, f32)> = (0..100).map(|t| (t, 1.0)).collect();
        assert!((dot(&a, &long) - 2.0).abs() < 1e-9);
        assert!(dot(&a, &[]).abs() < 1e-12);
    }

    #[test]
    fn dense_dot_products_equal_sparse_ones() {
        let a = [(1, 0.5), (3, 0.5), (9, 1.0)];
        let b = [(3, 2.0), (4, 1.0), (9, 1.0)];
        let mut d = Dense::default();
        d.load(&a);
        assert!((d.dot(&b) - dot(&a, &b)).abs() < 1e-9);
        d.load(&b);
        assert!((d.dot(&b) - dot(&b, &b)).abs() < 1e-9, "loading replaces");
    }

    #[test]
    fn documents_left_out_keep_no_vector() {
        let mut t = table(&[&[(1, 1)], &[(1, 1)]]);
        t.push(&[]);
        assert_eq!(t.ids(2).len(), 0);
        assert_eq!(StoryVectors::weigh(&t, &[0, 1]).len(), 2);
    }
}
