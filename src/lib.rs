//! # overlap
//!
//! Finds exact copies, near-duplicates and contained copies in a corpus of articles, with the
//! evidence for every match.
//!
//! ## The pipeline
//!
//! ```text
//! inputs ─ ingest ─► Record ─ text ─► Normalized tokens ─ shingle ─► sorted u64 set
//!   ─ sketch ─► MinHash signature + sampled shingles ─ lsh ─► candidate pairs
//!   ─ verify ─► edges (exact Jaccard, containment both ways) ─ cluster ─► clusters ─ report
//! ```
//!
//! * [`ingest`] reads directories, text files, JSONL, CSV/TSV and stdin as a stream; bad
//!   records become [`Problem`]s that are reported and skipped, never fatal.
//! * [`text`] normalizes (NFKC, case folding, punctuation and whitespace folding) and splits
//!   into tokens that keep their byte ranges in the original text.
//! * [`shingle`] hashes word or character k-grams with seeded xxh3, without allocating.
//! * [`sketch`] builds one-permutation MinHash signatures and containment samples;
//!   [`fingerprint`] puts text, shingles, signature, band keys and samples together.
//! * [`lsh`] chooses the banding from the threshold and turns buckets into candidate pairs.
//! * [`verify`] measures every candidate exactly; [`cluster`] groups the verified edges.
//! * [`story`] finds overlapping stories: TF-IDF vectors, keyword candidates, group-average
//!   clusters that do not chain; [`eval`] scores clusters against labels.
//! * [`facts`] compares two articles: sentences, atomic facts, alignment, the fact diff.
//! * [`report`] writes the result as human text, JSON, JSONL or CSV (and `compare`'s diff as
//!   human text, JSON, Markdown or HTML); [`report::corpus`] builds the corpus report (a scan
//!   plus pair diffs of its clusters) as one self-contained HTML page, Markdown or JSON.
//!
//! [`scan`] runs all of it:
//!
//! ```
//! use overlap::{scan, Input, NoProgress, Params, ScanOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let story = "The central bank raised its key interest rate by a quarter point on Tuesday, \
//!              citing persistent inflation in services and a tight labour market.";
//! std::fs::write(dir.path().join("a.txt"), story).unwrap();
//! std::fs::write(dir.path().join("b.txt"), story.to_uppercase()).unwrap();
//! std::fs::write(dir.path().join("c.txt"), "An unrelated note about gardening.").unwrap();
//!
//! let input = Input::from_arg(dir.path().to_str().unwrap(), None);
//! let result = scan(vec![input], &Params::default(), &ScanOptions::default(), &NoProgress).unwrap();
//! assert_eq!(result.clusters.len(), 1);
//! let cluster = &result.clusters[0];
//! assert_eq!(cluster.members.len(), 2);
//! assert_eq!(cluster.kinds, [overlap::MatchKind::Exact]);
//! ```
//!
//! Each stage can be used on its own:
//!
//! ```
//! use overlap::shingle::Shingler;
//! use overlap::sketch::minhash::{estimate_jaccard, MinHasher};
//! use overlap::text::{normalize, Normalized};
//! use overlap::{verify::similarity, ShingleSpec};
//!
//! let sets: Vec<Vec<u64>> = ["the quick brown fox jumps over the lazy dog today",
//!                            "The quick brown fox jumps over the lazy dog, today!"]
//!     .iter()
//!     .map(|text| {
//!         let mut norm = Normalized::default();
//!         normalize(text, &mut norm);
//!         let mut set = Vec::new();
//!         Shingler::default().shingles(&norm, ShingleSpec::Word(5), 42, &mut set);
//!         set
//!     })
//!     .collect();
//! assert_eq!(similarity(&sets[0], &sets[1]).jaccard, 1.0);
//!
//! let hasher = MinHasher::new(128, 42);
//! let (mut a, mut b) = (vec![0; 128], vec![0; 128]);
//! hasher.sketch(&sets[0], &mut a);
//! hasher.sketch(&sets[1], &mut b);
//! assert_eq!(estimate_jaccard(&a, &b), 1.0);
//! ```
#![warn(missing_docs)]

pub mod cluster;
pub mod config;
pub mod dedup;
pub mod doc;
pub mod error;
pub mod eval;
pub mod facts;
pub mod fingerprint;
pub mod ids;
pub mod ingest;
pub mod lsh;
pub mod pipeline;
pub mod report;
pub mod shingle;
pub mod sketch;
pub mod story;
pub mod text;
pub mod verify;

pub use cluster::{Cluster, Link, Member};
pub use config::{KeepPolicy, Params, ParamsBuilder, ShingleSpec};
pub use doc::{DocId, DocInfo, Record};
pub use error::{Error, Location, Problem};
pub use ingest::{Format, Input, ReadOptions};
pub use pipeline::{scan, NoProgress, Progress, Scan, ScanOptions, ScanStats, Stage};
pub use verify::MatchKind;
