//! One document's duplicate-detection fingerprints, from its text alone.
//!
//! [`Fingerprinter`] is the single definition of what a document's exact-copy key, shingle
//! set, MinHash signature, band keys and containment samples are. The scan uses it on its
//! workers, and the Python package uses it on Spark executors, so a corpus fingerprinted on a
//! laptop and one fingerprinted on a cluster give bit-identical keys.
//!
//! ```
//! use overlap::fingerprint::{FingerprintScratch, Fingerprinter};
//! use overlap::Params;
//!
//! let fp = Fingerprinter::new(&Params::default());
//! let mut scratch = FingerprintScratch::default();
//! let a = fp.fingerprint("The quick brown fox jumps over the lazy dog.", &mut scratch).unwrap();
//! let b = fp.fingerprint("the QUICK brown fox -- jumps over the lazy dog", &mut scratch).unwrap();
//! assert_eq!(a.exact, b.exact);
//! assert_eq!(a.band_keys, b.band_keys);
//! assert!(fp.fingerprint("?!", &mut scratch).is_none());
//! ```

use crate::config::{Params, ShingleSpec};
use crate::lsh;
use crate::shingle::{char_shingles, hash_tokens, sequence_key, word_shingles};
use crate::sketch::hash_sort::{sort_dedup_hashes, HashSortScratch};
use crate::sketch::minhash::MinHasher;
use crate::sketch::sample::sampled_prefix;
use crate::text::{ascii, normalize, Normalized};

/// Computes fingerprints under one set of parameters; cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    shingle: ShingleSpec,
    bands: usize,
    rows: usize,
    seed: u64,
    containment: bool,
    /// The normalized text is needed (stories, character shingles), so the ASCII shortcut,
    /// which produces token hashes without it, is not taken.
    needs_normalized: bool,
    hasher: MinHasher,
}

/// Per-thread buffers, reused from one document to the next.
#[derive(Debug, Default)]
pub struct FingerprintScratch {
    normalized: Normalized,
    ascii: ascii::HashScratch,
    token_hashes: Vec<u64>,
    set: Vec<u64>,
    signature: Vec<u32>,
    sort: HashSortScratch,
    /// Whether the last document took the ASCII path (its tokens are in `ascii`, not in
    /// `normalized`).
    ascii_path: bool,
}

impl FingerprintScratch {
    /// The normalized text of the last document, when the fingerprinter needed it (character
    /// shingles, or a text that is not all ASCII); empty otherwise.
    pub fn normalized(&self) -> &Normalized {
        &self.normalized
    }

    /// Calls `f` with each token of the last document, in order: its byte offset in the
    /// original text and its normalized form. The token hashes ([`Self::token_hashes`]) are
    /// in the same order.
    pub fn for_each_token<'a>(&'a self, mut f: impl FnMut(usize, &'a str)) {
        if self.ascii_path {
            self.ascii.for_each_token(f);
        } else {
            for (i, t) in self.normalized.tokens.iter().enumerate() {
                f(t.orig.start as usize, self.normalized.token_str(i));
            }
        }
    }

    /// The normalized form of the last document's token `i` (as [`Self::for_each_token`]
    /// gives it), if it has that many.
    pub fn token(&self, i: usize) -> Option<&str> {
        if self.ascii_path {
            self.ascii.token(i)
        } else {
            (i < self.normalized.tokens.len()).then(|| self.normalized.token_str(i))
        }
    }

    /// The seeded hash of each token of the last document, in order.
    pub fn token_hashes(&self) -> &[u64] {
        &self.token_hashes
    }

    /// The last document's MinHash signature.
    pub fn signature(&self) -> &[u32] {
        &self.signature
    }

    /// The last document's shingle set as the scan stores it and verification measures it:
    /// its shingle hashes, sorted and distinct, so its samples come first.
    pub fn set(&self) -> &[u64] {
        &self.set
    }
}

/// What identifies one document for duplicate detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Key of the normalized token sequence: equal for exact copies.
    pub exact: u64,
    /// One key per LSH band, signed so that Arrow and Spark (`int64`) hold them as they are.
    pub band_keys: Vec<i64>,
    /// The shingles sampled for containment, sorted and distinct (empty when containment is
    /// off).
    pub samples: Vec<u64>,
}

impl Fingerprinter {
    /// A fingerprinter for `params`.
    pub fn new(params: &Params) -> Self {
        Self {
            shingle: params.shingle,
            bands: params.bands,
            rows: params.rows,
            seed: params.seed,
            containment: params.containment.is_some(),
            needs_normalized: !matches!(params.shingle, ShingleSpec::Word(_)),
            hasher: MinHasher::new(params.num_perm, params.seed),
        }
    }

    /// Fingerprints `text`; `None` when it holds no word to compare (only punctuation or
    /// symbols). The signature and the set stay in `scratch` until the next call.
    pub fn fingerprint(&self, text: &str, scratch: &mut FingerprintScratch) -> Option<Fingerprint> {
        let (mut band_keys, mut samples) = (Vec::with_capacity(self.bands), Vec::new());
        let exact = self.fingerprint_into(text, scratch, &mut band_keys, &mut samples)?;
        Some(Fingerprint {
            exact,
            band_keys,
            samples,
        })
    }

    /// Like [`fingerprint`](Self::fingerprint), but appends the band keys and the samples to
    /// the given lists (nothing when it returns `None`), and returns the exact-copy key: the
    /// scan gathers a run of documents' keys and samples in one list each instead of two
    /// allocations per document.
    pub fn fingerprint_into(
        &self,
        text: &str,
        scratch: &mut FingerprintScratch,
        band_keys: &mut Vec<i64>,
        samples: &mut Vec<u64>,
    ) -> Option<u64> {
        self.shingle(text, scratch)?;
        let exact = sequence_key(&scratch.token_hashes, self.seed);
        // A signature keeps each bin's minimum, the same over the set as over the shingles.
        scratch.signature.resize(self.hasher.len(), 0);
        self.hasher.sketch(&scratch.set, &mut scratch.signature);
        lsh::band_keys(
            &scratch.signature,
            self.bands,
            self.rows,
            self.seed,
            band_keys,
        );
        if self.containment {
            samples.extend_from_slice(sampled_prefix(&scratch.set));
        }
        Some(exact)
    }

    /// The shingle set of `text` as the scan stores it ([`FingerprintScratch::set`]), written
    /// to `out`; returns the exact-copy key, or `None` when the text holds no word.
    pub fn shingle_set(
        &self,
        text: &str,
        scratch: &mut FingerprintScratch,
        out: &mut Vec<u64>,
    ) -> Option<u64> {
        out.clear();
        self.shingle(text, scratch)?;
        out.extend_from_slice(&scratch.set);
        Some(sequence_key(&scratch.token_hashes, self.seed))
    }

    /// Token hashes and the shingle set of `text` into the scratch; `None` when there is no
    /// token.
    fn shingle(&self, text: &str, scratch: &mut FingerprintScratch) -> Option<()> {
        // An all-ASCII text gets its token hashes straight from its bytes (property-tested to
        // equal the Unicode path); stories and character shingles need the normalized text.
        let hashes = &mut scratch.token_hashes;
        scratch.ascii_path = !self.needs_normalized && text.is_ascii();
        if scratch.ascii_path {
            scratch.normalized.text.clear();
            scratch.normalized.tokens.clear();
            ascii::token_hashes(text, self.seed, &mut scratch.ascii, hashes);
        } else {
            normalize(text, &mut scratch.normalized);
            hash_tokens(&scratch.normalized, self.seed, hashes);
        }
        if hashes.is_empty() {
            return None;
        }
        let set = &mut scratch.set;
        set.clear();
        match self.shingle {
            ShingleSpec::Word(k) => word_shingles(hashes, k, set),
            ShingleSpec::Char(k) => char_shingles(&scratch.normalized.text, k, self.seed, set),
        }
        // Shingle hashes are spread evenly over the 64-bit range: a bucket sort takes about
        // linear time.
        sort_dedup_hashes(set, &mut scratch.sort);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::similarity;

    #[test]
    fn ascii_path_tokens_are_the_normalizers() {
        let fp = Fingerprinter::new(&Params::default());
        let mut scratch = FingerprintScratch::default();
        let text = "Rescuers said on Monday that the submarine's crew of 118 had no chance, \
                    officials in Moscow said; the navy disputed it.";
        fp.fingerprint(text, &mut scratch).unwrap();
        assert!(
            scratch.normalized().text.is_empty(),
            "ASCII text skips the normalizer"
        );
        let mut seen = Vec::new();
        scratch.for_each_token(|at, t| seen.push((at, t.to_owned())));
        let mut n = crate::text::Normalized::default();
        crate::text::normalize(text, &mut n);
        let want: Vec<(usize, String)> = n
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.orig.start as usize, n.token_str(i).to_owned()))
            .collect();
        assert_eq!(seen, want);
        assert_eq!(scratch.token_hashes().len(), want.len());
    }

    #[test]
    fn shingle_sets_measure_like_the_scan() {
        let fp = Fingerprinter::new(&Params::default());
        let mut scratch = FingerprintScratch::default();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let key = fp.shingle_set("one two three four five six seven", &mut scratch, &mut a);
        assert!(fp
            .shingle_set("One two three four five six", &mut scratch, &mut b)
            .is_some());
        let copy = fp.shingle_set("ONE two, three four five six seven!", &mut scratch, &mut b);
        assert_eq!((key.is_some(), key), (true, copy));
        fp.shingle_set("One two three four five six", &mut scratch, &mut b);
        assert_eq!((a.len(), b.len()), (3, 2));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(similarity(&b, &a).a_in_b, 1.0);
        assert!(fp.shingle_set("--", &mut scratch, &mut a).is_none());
        assert!(a.is_empty());
    }
}
