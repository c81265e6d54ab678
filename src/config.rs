//! Validated, immutable scan parameters.
//!
//! Build a [`Params`] once with [`ParamsBuilder`], which checks every value and derives the
//! LSH banding from the threshold; workers then share it by reference.

use serde::Serialize;

use crate::error::Error;
use crate::lsh;
use crate::story::StoryParams;

/// The default seed of every hash: ASCII "overlap", so runs are reproducible by default.
pub const DEFAULT_SEED: u64 = 0x006f_7665_726c_6170;

/// How a document is cut into shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShingleSpec {
    /// Runs of `k` consecutive tokens (words; CJK bigrams count as words).
    Word(usize),
    /// Runs of `k` consecutive characters of the normalized text.
    Char(usize),
}

impl ShingleSpec {
    /// Parses `word:K` or `char:K`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::Config(format!(
                "invalid shingle spec {s:?}: expected word:K or char:K with K from 1 to 64, e.g. word:5"
            ))
        };
        let (unit, k) = s.split_once(':').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        if !(1..=64).contains(&k) {
            return Err(bad());
        }
        match unit.trim() {
            "word" | "w" => Ok(Self::Word(k)),
            "char" | "c" => Ok(Self::Char(k)),
            _ => Err(bad()),
        }
    }

    /// The shingle length `k`.
    pub fn k(self) -> usize {
        match self {
            Self::Word(k) | Self::Char(k) => k,
        }
    }
}

impl Serialize for ShingleSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::fmt::Display for ShingleSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Word(k) => write!(f, "word:{k}"),
            Self::Char(k) => write!(f, "char:{k}"),
        }
    }
}

/// Which member of a cluster is kept by `dedup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum KeepPolicy {
    /// The member read first.
    #[default]
    First,
    /// The member with the most text (ties: the first).
    Longest,
    /// The member with the earliest date in the date field (undated last; ties: the first).
    Earliest,
}

impl KeepPolicy {
    /// The name `--keep` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Longest => "longest",
            Self::Earliest => "earliest",
        }
    }
}

/// Every parameter of a scan, validated. Construct with [`Params::builder`].
#[derive(Debug, Clone, Serialize)]
pub struct Params {
    /// Shingle unit and length.
    pub shingle: ShingleSpec,
    /// Number of MinHash values per signature.
    pub num_perm: usize,
    /// Jaccard similarity at or above which two documents are near-duplicates.
    pub threshold: f64,
    /// Containment (share of the smaller document's shingles found in the other) at or above
    /// which the smaller document counts as contained in the larger; `None` turns the
    /// containment search off (pure Jaccard deduplication).
    pub containment: Option<f64>,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Largest candidate bucket compared all-pairs; larger buckets compare each member with
    /// its next `max_bucket` neighbours only.
    pub max_bucket: usize,
    /// Seed of every hash function.
    pub seed: u64,
    /// Which cluster member is kept.
    pub keep: KeepPolicy,
    /// The story stage's knobs; `None` skips it.
    pub stories: Option<StoryParams>,
}

impl Params {
    /// A builder with the defaults: `word:5`, 128 permutations, threshold 0.8, containment 0.8.
    pub fn builder() -> ParamsBuilder {
        ParamsBuilder::default()
    }
}

impl Default for Params {
    fn default() -> Self {
        ParamsBuilder::default()
            .build()
            .expect("the default parameters are valid")
    }
}

/// Collects parameters and validates them in [`ParamsBuilder::build`].
#[derive(Debug, Clone)]
pub struct ParamsBuilder {
    shingle: ShingleSpec,
    num_perm: usize,
    threshold: f64,
    containment: Option<f64>,
    bands: Option<usize>,
    rows: Option<usize>,
    max_bucket: usize,
    seed: u64,
    keep: KeepPolicy,
    stories: Option<StoryParams>,
}

impl Default for ParamsBuilder {
    fn default() -> Self {
        Self {
            shingle: ShingleSpec::Word(5),
            num_perm: 128,
            threshold: 0.8,
            containment: Some(0.8),
            bands: None,
            rows: None,
            max_bucket: 100,
            seed: DEFAULT_SEED,
            keep: KeepPolicy::First,
            stories: Some(StoryParams::default()),
        }
    }
}

impl ParamsBuilder {
    /// Sets the shingle spec.
    pub fn shingle(mut self, spec: ShingleSpec) -> Self {
        self.shingle = spec;
        self
    }
    /// Sets the number of MinHash values.
    pub fn num_perm(mut self, n: usize) -> Self {
        self.num_perm = n;
        self
    }
    /// Sets the Jaccard threshold.
    pub fn threshold(mut self, t: f64) -> Self {
        self.threshold = t;
        self
    }
    /// Sets the containment threshold (`None`: no containment search).
    pub fn containment(mut self, c: Option<f64>) -> Self {
        self.containment = c;
        self
    }
    /// Overrides the number of LSH bands (rows default to `num_perm / bands`).
    pub fn bands(mut self, b: Option<usize>) -> Self {
        self.bands = b;
        self
    }
    /// Overrides the LSH rows per band (bands default to `num_perm / rows`).
    pub fn rows(mut self, r: Option<usize>) -> Self {
        self.rows = r;
        self
    }
    /// Sets the bucket cap.
    pub fn max_bucket(mut self, n: usize) -> Self {
        self.max_bucket = n;
        self
    }
    /// Sets the hash seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the keep policy.
    pub fn keep(mut self, keep: KeepPolicy) -> Self {
        self.keep = keep;
        self
    }
    /// Sets the story stage's knobs (`None`: no story clusters).
    pub fn stories(mut self, stories: Option<StoryParams>) -> Self {
        self.stories = stories;
        self
    }

    /// Checks every value and derives the banding.
    pub fn build(self) -> Result<Params, Error> {
        let cfg = |msg: String| Err(Error::Config(msg));
        if !(1..=1024).contains(&self.num_perm) {
            return cfg(format!(
                "--num-perm {} is out of range: use 1 to 1024 (default 128)",
                self.num_perm
            ));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return cfg(format!(
                "--threshold {} is out of range: use a Jaccard similarity above 0 and at most 1 (default 0.8)",
                self.threshold
            ));
        }
        if let Some(c) = self.containment.filter(|c| !(*c > 0.0 && *c <= 1.0)) {
            return cfg(format!(
                "--containment {c} is out of range: use a value above 0 and at most 1 (default 0.8)"
            ));
        }
        if self.max_bucket < 2 {
            return cfg(format!(
                "--max-bucket {} is too small: use 2 or more",
                self.max_bucket
            ));
        }
        let (bands, rows) = match (self.bands, self.rows) {
            (None, None) => lsh::optimal_banding(self.threshold, self.num_perm),
            (Some(b), None) => (b, self.num_perm / b.max(1)),
            (None, Some(r)) => (self.num_perm / r.max(1), r),
            (Some(b), Some(r)) => (b, r),
        };
        if bands == 0 || rows == 0 || bands * rows > self.num_perm {
            return cfg(format!(
                "--bands {bands} x --rows {rows} does not fit --num-perm {}: bands x rows must be between 1 and num_perm",
                self.num_perm
            ));
        }
        if let Some(s) = &self.stories {
            if let Some(t) = s.threshold.filter(|t| !(*t > 0.0 && *t <= 1.0)) {
                return cfg(format!(
                    "--story-threshold {t} is out of range: use a cosine similarity above 0 and at most 1, or leave it out to have it chosen from the corpus"
                ));
            }
            if s.keywords == 0 || s.keywords > 100 {
                return cfg(format!(
                    "--story-keywords {} is out of range: use 1 to 100 (default 10)",
                    s.keywords
                ));
            }
        }
        Ok(Params {
            shingle: self.shingle,
            num_perm: self.num_perm,
            threshold: self.threshold,
            containment: self.containment,
            bands,
            rows,
            max_bucket: self.max_bucket,
            seed: self.seed,
            keep: self.keep,
            stories: self.stories,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shingle_specs() {
        assert_eq!(ShingleSpec::parse("word:5").unwrap(), ShingleSpec::Word(5));
        assert_eq!(ShingleSpec::parse("char:7").unwrap(), ShingleSpec::Char(7));
        for bad in ["word", "word:0", "word:65", "byte:3", "char:x"] {
            assert!(ShingleSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_derive_banding_from_threshold() {
        let p = Params::default();
        assert_eq!((p.bands, p.rows), lsh::optimal_banding(0.8, 128));
        assert!(p.bands * p.rows <= p.num_perm);
    }

    #[test]
    fn rejects_out_of_range_values() {
        assert!(Params::builder().threshold(0.0).build().is_err());
        assert!(Params::builder().threshold(1.5).build().is_err());
        assert!(Params::builder().num_perm(0).build().is_err());
        assert!(Params::builder()
            .bands(Some(20))
            .rows(Some(10))
            .build()
            .is_err());
        let msg = Params::builder()
            .containment(Some(2.0))
            .build()
            .unwrap_err()
            .to_string();
        assert!(msg.contains("--containment 2"), "{msg}");
    }
}
