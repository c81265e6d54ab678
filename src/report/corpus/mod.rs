//! `overlap report`: a corpus's overlap as one document to open, browse and share.
//!
//! It adds presentation, not matching: the clusters are a [`Scan`]'s, and the pair diffs are
//! [`compare`]'s, run on the pairs [`plan`] picks. Building a
//! report reads the inputs a second time ([`reread`]) for the texts of those pairs and for
//! corpus term statistics, so the diffs weigh words as `compare FILE#ID FILE#ID` does.
//!
//! ```text
//! scan ─► plan pairs (per cluster, within a budget) ─► reread texts + IDF ─► compare (rayon)
//!      └─────────────────────────────► CorpusReport ─► html | md | json
//! ```

mod charts;
mod html;
mod json;
mod markdown;
mod select;

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::time::Instant;

use rayon::prelude::*;

pub use charts::{Chart, Series};
pub use select::{centre, plan, Group, Planned, ALL_PAIRS_UP_TO};

use crate::doc::DocId;
use crate::error::Error;
use crate::facts::{compare, Article, CompareOptions, FactDiff};
use crate::ingest::{reread, Input, ReadOptions};
use crate::pipeline::Scan;

/// What a report diffs and how.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Most pair diffs in the whole report.
    pub max_diffs: usize,
    /// Most pair diffs per cluster.
    pub pairs_per_cluster: usize,
    /// How pairs are compared (`params` is filled in from the scan).
    pub compare: CompareOptions,
    /// Field names, as the scan read them.
    pub read: ReadOptions,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            max_diffs: DEFAULT_MAX_DIFFS,
            pairs_per_cluster: DEFAULT_PAIRS_PER_CLUSTER,
            compare: CompareOptions::default(),
            read: ReadOptions::default(),
        }
    }
}

/// Default of [`ReportOptions::max_diffs`]: enough for every cluster of a corpus of a few
/// thousand articles, and a bound on the size of a report of millions (see the README for
/// the bench corpus's figures).
pub const DEFAULT_MAX_DIFFS: usize = 2000;
/// Default of [`ReportOptions::pairs_per_cluster`]: every pair of a cluster of five.
pub const DEFAULT_PAIRS_PER_CLUSTER: usize = 10;

/// One precomputed pair diff.
#[derive(Debug, Clone)]
pub struct PairDiff {
    /// The cluster it explains.
    pub group: Group,
    /// Article A.
    pub a: DocId,
    /// Article B.
    pub b: DocId,
    /// What `compare` says about them.
    pub diff: FactDiff,
}

/// Where the time went, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Timing {
    /// The scan.
    pub scan: f64,
    /// Reading the inputs again for texts and term statistics.
    pub reread: f64,
    /// The pair diffs.
    pub compare: f64,
}

impl Timing {
    /// The whole run.
    pub fn total(&self) -> f64 {
        self.scan + self.reread + self.compare
    }
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct CorpusReport {
    /// The scan.
    pub scan: Scan,
    /// The inputs as named on the command line.
    pub inputs: Vec<String>,
    /// Pair diffs in report order: by cluster (duplicates, then stories), then best first.
    pub diffs: Vec<PairDiff>,
    /// Pairs the clusters offered beyond `max_diffs`.
    pub diffs_left_out: u64,
    /// The options used.
    pub options: ReportOptions,
    /// Where the time went.
    pub timing: Timing,
}

impl CorpusReport {
    /// The diffs of one cluster.
    pub fn diffs_of(&self, group: Group) -> &[PairDiff] {
        &self.diffs[self.diff_range(group)]
    }

    /// Where the diffs of one cluster sit in `diffs` (they are sorted by cluster).
    pub fn diff_range(&self, group: Group) -> std::ops::Range<usize> {
        let start = self.diffs.partition_point(|d| d.group < group);
        let end = self.diffs.partition_point(|d| d.group <= group);
        start..end
    }
}

/// Builds the report of `scan`, which read `inputs` (they are read again here). `names` are
/// the inputs as the user named them, for the report's header.
pub fn build(
    scan: Scan,
    inputs: Vec<Input>,
    names: Vec<String>,
    options: &ReportOptions,
) -> Result<CorpusReport, Error> {
    let (planned, diffs_left_out) = plan(&scan, options.pairs_per_cluster, options.max_diffs);
    let mut timing = Timing {
        scan: scan.stats.seconds,
        ..Timing::default()
    };
    let started = Instant::now();
    let wanted: BTreeSet<DocId> = planned.iter().flat_map(|p| [p.a, p.b]).collect();
    let texts: HashMap<DocId, String> = if wanted.is_empty() {
        HashMap::new()
    } else {
        reread(
            inputs,
            scan.read_log.as_ref(),
            &scan.docs,
            &options.read,
            &|d| wanted.contains(&d),
            |_| (),
            |()| (),
        )?
    };
    timing.reread = started.elapsed().as_secs_f64();

    let started = Instant::now();
    // Pairs are scored with the term statistics of their own sentences, exactly as
    // `overlap compare` scores them, so a pair gets one verdict whichever command shows it.
    let compare_options = CompareOptions {
        idf: None,
        params: scan.params.clone(),
        ..options.compare.clone()
    };
    let article = |d: DocId| {
        let info = scan.doc(d);
        Article::new(&info.id, texts.get(&d).map_or("", String::as_str))
    };
    let diffs = planned
        .par_iter()
        .map(|p| PairDiff {
            group: p.group,
            a: p.a,
            b: p.b,
            diff: compare(&article(p.a), &article(p.b), &compare_options),
        })
        .collect();
    timing.compare = started.elapsed().as_secs_f64();
    Ok(CorpusReport {
        scan,
        inputs: names,
        diffs,
        diffs_left_out,
        options: ReportOptions {
            compare: CompareOptions {
                idf: None,
                ..compare_options
            },
            ..options.clone()
        },
        timing,
    })
}

/// Writes a corpus report in one format.
pub trait CorpusExporter {
    /// Writes `report` to `out`.
    fn write(&self, report: &CorpusReport, out: &mut dyn Write) -> io::Result<()>;
}

/// The formats of `overlap report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// One self-contained page with charts, a cluster browser and the pair diffs.
    Html,
    /// The summary and the top clusters as tables, for an issue or a notebook.
    Markdown,
    /// The `scan` JSON plus the pair diffs.
    Json,
}

/// The exporter for a format; `top` is how many clusters of each kind Markdown lists.
pub fn corpus_exporter(format: CorpusFormat, top: usize) -> Box<dyn CorpusExporter> {
    match format {
        CorpusFormat::Html => Box::new(html::Html),
        CorpusFormat::Markdown => Box::new(markdown::Markdown { top }),
        CorpusFormat::Json => Box::new(json::Json),
    }
}

/// The scan parameters as the command-line flags that reproduce them.
pub fn parameter_flags(p: &crate::config::Params) -> String {
    format!(
        "--shingle {} --num-perm {} --threshold {} --bands {} --rows {} --seed {} --max-bucket {} --keep {}{}{}",
        p.shingle,
        p.num_perm,
        p.threshold,
        p.bands,
        p.rows,
        p.seed,
        p.max_bucket,
        p.keep.as_str(),
        p.containment
            .map_or(" --no-containment".to_owned(), |c| format!(" --containment {c}")),
        p.stories.as_ref().map_or(" --no-stories".to_owned(), |s| {
            // Without a threshold the scan chooses it again from the same corpus.
            let mut flags = s
                .threshold
                .map(|t| format!(" --story-threshold {t}"))
                .unwrap_or_default();
            flags.push_str(&format!(" --story-keywords {}", s.keywords));
            if let Some(w) = s.within_seconds {
                flags.push_str(&format!(" --within {w}s"));
            }
            flags
        })
    )
}

/// A one-line account of how the report's numbers were obtained, shared by every format.
pub fn method_lines(report: &CorpusReport) -> Vec<(&'static str, String)> {
    let p = &report.scan.params;
    let mut lines = vec![
        (
            "exact copies",
            "the same text after normalization (NFKC, case folding, punctuation and whitespace \
             folded), found by identical 64-bit xxh3 hashes of that text"
                .to_owned(),
        ),
        (
            "near-duplicates",
            format!(
                "Jaccard similarity of shingle sets ({}) at or above {}, measured exactly on \
                 every candidate; candidates from MinHash ({} permutations, seed {}) and LSH \
                 ({} bands × {} rows)",
                p.shingle, p.threshold, p.num_perm, p.seed, p.bands, p.rows
            ),
        ),
    ];
    lines.push((
        "contained copies",
        match p.containment {
            Some(c) => format!(
                "at least {c} of the smaller document's shingles found in the larger one, \
                 which is at least {:.2}× its size, measured exactly; candidates from shared \
                 shingle samples",
                1.0 / p.threshold
            ),
            None => "not searched (--no-containment)".to_owned(),
        },
    ));
    lines.push((
        "stories",
        match &p.stories {
            Some(s) => format!(
                "group-average TF-IDF cosine at or above {} ({}; names, numbers with what \
                 they count, and dates weigh more), candidates from each document's {} rarest \
                 keywords{}",
                report
                    .scan
                    .stats
                    .story_threshold
                    .map_or("-".to_owned(), |t| format!("{t:.3}")),
                if s.threshold.is_some() {
                    "given"
                } else {
                    "chosen from the corpus"
                },
                s.keywords,
                s.within_seconds
                    .map(|w| format!(", dates at most {w} s apart"))
                    .unwrap_or_default()
            ),
            None => "not searched (--no-stories)".to_owned(),
        },
    ));
    lines.push((
        "fact diffs",
        format!(
            "sentence alignment at score {} or more with corpus term weights; at most {} pairs \
             per cluster and {} in all ({} more left out); exact copies are not diffed",
            report.options.compare.min_score,
            report.options.pairs_per_cluster,
            report.options.max_diffs,
            report.diffs_left_out
        ),
    ));
    lines.push((
        "bucket caps",
        format!(
            "buckets over {} documents are compared with their nearest neighbours only \
             ({} LSH, {} sample and {} story buckets capped)",
            p.max_bucket,
            report.scan.stats.lsh_buckets.capped,
            report.scan.stats.sample_buckets.capped,
            report.scan.stats.story_buckets.capped
        ),
    ));
    lines
}
