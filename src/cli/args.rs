//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Find duplicated and overlapping text in a corpus of articles.
#[derive(Debug, Parser)]
#[command(name = "overlap", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line; a flag that belongs to another subcommand, where this one
    /// would ignore it, is refused with what it does and where (exit 2), not with clap's guess
    /// at a similar flag (`dedup --story-threshold` is not a typo of `--threshold`).
    pub fn parse_or_explain() -> Self {
        match Self::try_parse() {
            Ok(cli) => cli,
            Err(e) => match elsewhere(&e) {
                Some(message) => {
                    eprintln!("error: {message}");
                    std::process::exit(2)
                }
                None => e.exit(),
            },
        }
    }
}

/// Why a subcommand has no such flag, for the flags users are likely to carry over.
fn why_not(subcommand: &str, flag: &str) -> &'static str {
    match (subcommand, flag) {
        ("dedup", "--no-stories" | "--story-threshold" | "--story-keywords" | "--within") => {
            ": dedup removes duplicates and never looks for stories"
        }
        (_, "--color") => ": its output is never colored",
        ("eval", "--timings") => ": eval prints no summary line",
        _ => "",
    }
}

/// The message for an unknown flag that another subcommand has, else `None`.
fn elsewhere(e: &clap::Error) -> Option<String> {
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = given.split('=').next().unwrap_or(given);
    let long = flag.strip_prefix("--")?;
    let command = Cli::command();
    let subcommand = std::env::args()
        .skip(1)
        .find(|a| command.find_subcommand(a).is_some())?;
    let owners: Vec<String> = command
        .get_subcommands()
        .filter(|c| c.get_arguments().any(|a| a.get_long() == Some(long)))
        .map(|c| format!("`overlap {}`", c.get_name()))
        .collect();
    if owners.is_empty() {
        return None;
    }
    Some(format!(
        "{flag} does nothing in `overlap {subcommand}`{}, so it is refused; remove it (it is a \
         flag of {})",
        why_not(&subcommand, flag),
        owners.join(", ")
    ))
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find exact copies, near-duplicates and contained copies, with the evidence for each.
    Scan(ScanArgs),
    /// Write the corpus with one document kept per cluster of duplicates.
    Dedup(DedupArgs),
    /// Show which facts two articles share, which conflict, and which each has alone.
    Compare(CompareArgs),
    /// Write a corpus overlap report: one HTML page, Markdown, or JSON.
    Report(ReportArgs),
    /// Score story or near-duplicate clusters against labeled documents.
    Eval(EvalArgs),
}

/// `overlap eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Field (JSONL) or column (CSV) holding each document's true cluster (story and near).
    #[arg(long, value_name = "NAME")]
    pub label_field: Option<String>,

    /// Which clusters to score.
    #[arg(long, value_enum, default_value = "story")]
    pub level: EvalLevel,

    /// Score at every threshold FROM:TO:STEP (story: --story-threshold; near: --threshold;
    /// facts: --min-score).
    #[arg(long, value_name = "FROM:TO:STEP")]
    pub sweep: Option<String>,

    /// Facts: lowest pair score called a paraphrase (default: the fitted threshold) or a
    /// shared sentence (ECB+; default: compare's --min-score).
    #[arg(long, value_name = "S")]
    pub min_score: Option<f64>,

    /// Facts: score only the pairs whose "split" is NAME (ECB+: dev = topics 1-22, test = 23-45).
    #[arg(long, value_name = "NAME")]
    pub split: Option<String>,

    /// Facts: score only the pairs whose "genre" is NAME (STS-B: main-news, main-captions, ...).
    #[arg(long, value_name = "NAME")]
    pub genre: Option<String>,

    /// Score a saved `scan` output (JSON or JSONL) instead of scanning.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    /// Also score labeled pairs from FILE (JSONL: {"a": ID, "b": ID, "label": 1|0}).
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: EvalFormat,

    /// Write the scores to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub stories: StoryArgs,
}

/// Levels of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalLevel {
    /// Story clusters (same events).
    Story,
    /// Near-duplicate clusters (exact, near, contained).
    Near,
    /// Sentence pairs and fact diffs (input: labelled pairs, see README).
    Facts,
}

/// Formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// A table.
    Human,
    /// JSON ("version": 1).
    Json,
}

/// `overlap compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Article A: a text file, `-` for standard input, or a record of a corpus as FILE#ID.
    #[arg(value_name = "A", required_unless_present = "pairs")]
    pub a: Option<String>,

    /// Article B, as for A.
    #[arg(value_name = "B", required_unless_present = "pairs")]
    pub b: Option<String>,

    /// Compare every pair listed in this JSONL file (`-`: standard input), one JSON line out
    /// per pair: {"a": TEXT, "b": TEXT} or {"a_ref": FILE#ID, "b_ref": FILE#ID}, optional "id".
    #[arg(long, value_name = "FILE", conflicts_with_all = ["a", "b", "width", "color"])]
    pub pairs: Option<String>,

    /// Output format [default: human on a terminal, json otherwise].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<DiffOutputFormat>,

    /// Write the result to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest alignment score (0-1) at which two sentences state the same fact.
    #[arg(long, default_value_t = overlap::facts::DEFAULT_MIN_SCORE, value_name = "S")]
    pub min_score: f64,

    /// Shortest verbatim passage to list, in words.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub passage_words: usize,

    /// Most sentences compared per article (bounds the work on very long texts).
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub max_sentences: usize,

    /// Take term statistics (IDF) from this corpus [default: the sentences of the two
    /// articles, as `report` does].
    #[arg(long, value_name = "CORPUS")]
    pub idf: Option<String>,

    /// Field (JSONL) or column (CSV) holding the text, for FILE#ID and --idf.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// Field or column holding the id, for FILE#ID.
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// Width of the human output [default: the terminal's, else 100].
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,

    /// When to color the human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = thread_count)]
    pub threads: Option<usize>,
}

/// Formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffOutputFormat {
    /// Two columns on a wide terminal, stacked on a narrow one.
    Human,
    /// The whole diff as JSON ("version": 1).
    Json,
    /// Markdown tables.
    Md,
    /// One self-contained HTML page.
    Html,
}

/// `overlap report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format [default: from the extension of --output, else html].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<CorpusOutputFormat>,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Most pair diffs in the whole report (they are spread over the clusters, largest first).
    #[arg(long, default_value_t = overlap::report::corpus::DEFAULT_MAX_DIFFS, value_name = "N")]
    pub max_diffs: usize,

    /// Most pair diffs per cluster.
    #[arg(long, default_value_t = overlap::report::corpus::DEFAULT_PAIRS_PER_CLUSTER, value_name = "N")]
    pub pairs_per_cluster: usize,

    /// Lowest alignment score (0-1) at which two sentences state the same fact.
    #[arg(long, default_value_t = overlap::facts::DEFAULT_MIN_SCORE, value_name = "S")]
    pub min_score: f64,

    /// Clusters of each kind listed in the Markdown report.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub stories: StoryArgs,

    #[command(flatten)]
    pub summary: SummaryArgs,
}

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CorpusOutputFormat {
    /// One self-contained page: charts, a cluster browser, pair diffs.
    Html,
    /// The summary and the largest clusters as Markdown tables.
    Md,
    /// The scan JSON plus the pair diffs.
    Json,
}

/// `overlap scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Output format [default: human on a terminal, jsonl otherwise].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OutputFormat>,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub stories: StoryArgs,

    #[command(flatten)]
    pub summary: SummaryArgs,

    /// When to color the human output.
    #[arg(long, value_enum, default_value = "auto", help_heading = "Output")]
    pub color: ColorChoice,
}

/// `overlap dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Write the kept records to FILE (atomically) instead of standard output, as JSONL.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write each removed record to FILE, with `duplicate_of` and `match` fields added.
    #[arg(long, value_name = "FILE")]
    pub removed: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub summary: SummaryArgs,
}

/// Flags shared by `scan`, `dedup`, `report` and `eval`: inputs, matching, threads.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files and directories to read; `-` reads JSONL from standard input. Directories are
    /// read recursively (.txt and .md files, one document each); .jsonl, .csv and .tsv files
    /// hold one document per record.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Field (JSONL) or column (CSV) holding the text.
    #[arg(
        long,
        default_value = "text",
        value_name = "NAME",
        help_heading = "Input"
    )]
    pub text_field: String,

    /// Field or column holding the id [default: id if present, else path:line].
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub id_field: Option<String>,

    /// Field or column holding a date (for --keep earliest): YYYY-MM-DD, ISO-8601 or Unix seconds.
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub date_field: Option<String>,

    /// Format of file inputs, instead of guessing from the extension.
    #[arg(long, value_enum, default_value = "auto", help_heading = "Input")]
    pub input_format: InputFormat,

    /// Stop at the first bad record instead of reporting it and going on.
    #[arg(long, help_heading = "Input")]
    pub strict: bool,

    /// Largest record read: a JSONL line, a CSV row or a whole text file. A larger one is
    /// reported and skipped. Bytes, or with a unit: KiB, MiB, GiB (also K, M, G), KB, MB, GB.
    #[arg(
        long,
        default_value = "64MiB",
        value_name = "SIZE",
        value_parser = parse_size,
        help_heading = "Input"
    )]
    pub max_record_size: u64,

    /// Shingles: word:K (K consecutive words) or char:K (K consecutive characters).
    #[arg(
        long,
        default_value = "word:5",
        value_name = "UNIT:K",
        help_heading = "Matching"
    )]
    pub shingle: String,

    /// MinHash values per document (1-1024).
    #[arg(
        long,
        default_value_t = 128,
        value_name = "N",
        help_heading = "Matching"
    )]
    pub num_perm: usize,

    /// Jaccard similarity at or above which two documents are near-duplicates.
    #[arg(
        long,
        short = 't',
        default_value_t = 0.8,
        value_name = "J",
        help_heading = "Matching"
    )]
    pub threshold: f64,

    /// Share of the smaller document found in the larger at or above which it counts as
    /// contained (a wire story inside a longer article).
    #[arg(
        long,
        default_value_t = 0.8,
        value_name = "C",
        help_heading = "Matching"
    )]
    pub containment: f64,

    /// Do not look for documents contained in longer ones (Jaccard near-duplicates only).
    // With it, --containment would do nothing: the two together are refused.
    #[arg(long, help_heading = "Matching", conflicts_with = "containment")]
    pub no_containment: bool,

    /// LSH bands [default: chosen from --threshold].
    #[arg(long, value_name = "B", help_heading = "Matching")]
    pub bands: Option<usize>,

    /// LSH rows per band [default: chosen from --threshold].
    #[arg(long, value_name = "R", help_heading = "Matching")]
    pub rows: Option<usize>,

    /// Largest bucket compared all-pairs; bigger buckets (boilerplate) compare each document
    /// with its next N neighbours only, and the run reports how many were capped.
    #[arg(
        long,
        default_value_t = 100,
        value_name = "N",
        help_heading = "Matching"
    )]
    pub max_bucket: usize,

    /// Seed of every hash function.
    #[arg(long, default_value_t = overlap::config::DEFAULT_SEED, value_name = "N", help_heading = "Matching")]
    pub seed: u64,

    /// Which document of a cluster is kept.
    #[arg(long, value_enum, default_value = "first", help_heading = "Matching")]
    pub keep: Keep,

    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = thread_count, help_heading = "Output")]
    pub threads: Option<usize>,

    /// No progress bars and no summary line.
    #[arg(long, short = 'q', help_heading = "Output")]
    pub quiet: bool,
}

/// The story stage's flags, for the subcommands that look for stories (`dedup` does not).
#[derive(Debug, Args)]
pub struct StoryArgs {
    /// Do not look for overlapping stories.
    // With it, the other story flags would do nothing: they are refused together.
    #[arg(
        long,
        help_heading = "Stories",
        conflicts_with_all = ["story_threshold", "story_keywords", "within"]
    )]
    pub no_stories: bool,

    /// Mean cosine similarity two groups of articles must keep to be one story
    /// [default: chosen from the corpus, shown in the summary].
    #[arg(long, value_name = "S", help_heading = "Stories")]
    pub story_threshold: Option<f64>,

    /// Keywords per document used to find story candidates.
    #[arg(long, default_value_t = 10, value_name = "K", help_heading = "Stories")]
    pub story_keywords: usize,

    /// Only articles dated at most this far apart can be one story (needs --date-field):
    /// e.g. 36h, 3d, 2w, or off [default with --date-field: 2w].
    #[arg(long, value_name = "DURATION", help_heading = "Stories")]
    pub within: Option<String>,
}

/// Flags of the subcommands that print a summary line on stderr.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Add the wall time of each stage to the summary line on stderr.
    #[arg(long, help_heading = "Output")]
    pub timings: bool,
}

/// Most worker threads `--threads` accepts. The output is the same for any count, and more
/// threads than cores only add switching; past a few hundred, starting and coordinating the
/// threads dominates (a two-document scan, release build: 256 threads 0.04 s, 512 0.6 s, 1,024
/// 2.1 s, 2,048 7.4 s; 100,000 ran for ten minutes), so a larger count is refused as a typo.
pub const MAX_THREADS: usize = 256;

/// Parses `--threads`: 1 to [`MAX_THREADS`].
fn thread_count(s: &str) -> Result<usize, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "use a number of threads from 1 to {MAX_THREADS} (this machine has {cores} cores; the default is one per core)"
        )),
    }
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable clusters with evidence.
    Human,
    /// One JSON document ("version": 1).
    Json,
    /// One JSON event per line.
    Jsonl,
    /// One row per cluster member.
    Csv,
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// By extension (.jsonl, .csv, .tsv, .txt, .md), else by content.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated with a header row.
    Tsv,
    /// Each file is one document.
    Text,
}

/// Keep policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Keep {
    /// The document read first.
    First,
    /// The longest document.
    Longest,
    /// The document with the earliest --date-field.
    Earliest,
}

/// Color choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// Parses a size: `2048`, `64MiB`, `1G` (binary units: K, M, G, KiB, MiB, GiB), `500KB`
/// (decimal units: KB, MB, GB).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let bad = || {
        format!("{s:?} is not a size: use bytes or a number with a unit, e.g. 64MiB, 1G or 500KB")
    };
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => return Err(bad()),
    };
    let n: f64 = number.parse().map_err(|_| bad())?;
    let bytes = n * scale as f64;
    if bytes < 1.0 {
        return Err(format!(
            "{s:?} is out of range: the size must be at least 1 byte"
        ));
    }
    if bytes > u64::MAX as f64 {
        return Err(format!(
            "{s:?} is out of range: the size must fit in 64 bits (at most 16 EiB)"
        ));
    }
    Ok(bytes as u64)
}
