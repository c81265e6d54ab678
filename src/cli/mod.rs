//! The `overlap` command line: argument parsing, terminals, colors and exit codes. The
//! library below knows none of these.

pub mod args;
mod compare;
mod dedup;
mod eval;
mod output;
mod progress;
mod report;
mod scan;

use std::io::{IsTerminal, Write};

use anyhow::{bail, Context, Result};
use overlap::{
    Format, Input, KeepPolicy, NoProgress, Params, Problem, Progress, ReadOptions, Scan,
    ScanOptions, ShingleSpec,
};

pub use args::Cli;
use args::{ColorChoice, Command, CommonArgs, InputFormat, Keep};

/// How a run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read.
    Clean,
    /// Some records were skipped (exit 2).
    Skipped,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Scan(a) => scan::run(a),
        Command::Dedup(a) => dedup::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Report(a) => report::run(a),
    }
}

/// The rayon pool size from --threads.
pub fn threads(cli: &Cli) -> Option<usize> {
    match &cli.command {
        Command::Scan(a) => a.common.threads,
        Command::Dedup(a) => a.common.threads,
        Command::Compare(a) => a.threads,
        Command::Eval(a) => a.common.threads,
        Command::Report(a) => a.common.threads,
    }
}

impl CommonArgs {
    fn params(&self) -> Result<Params> {
        if self.keep == Keep::Earliest && self.date_field.is_none() {
            bail!("--keep earliest needs --date-field NAME to know each document's date");
        }
        if self.within.is_some() && self.date_field.is_none() {
            bail!("--within needs --date-field NAME to know each document's date");
        }
        let within_seconds = self.within.as_deref().map(parse_duration).transpose()?;
        let stories = (!self.no_stories).then(|| overlap::story::StoryParams {
            threshold: self.story_threshold,
            keywords: self.story_keywords,
            within_seconds,
            ..overlap::story::StoryParams::default()
        });
        let keep = match self.keep {
            Keep::First => KeepPolicy::First,
            Keep::Longest => KeepPolicy::Longest,
            Keep::Earliest => KeepPolicy::Earliest,
        };
        Ok(Params::builder()
            .shingle(ShingleSpec::parse(&self.shingle)?)
            .num_perm(self.num_perm)
            .threshold(self.threshold)
            .containment((!self.no_containment).then_some(self.containment))
            .bands(self.bands)
            .rows(self.rows)
            .max_bucket(self.max_bucket)
            .seed(self.seed)
            .keep(keep)
            .stories(stories)
            .build()?)
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            date_field: self.date_field.clone(),
            keep_meta: true,
            max_record_size: self.max_record_size,
        }
    }

    fn scan_options(&self) -> ScanOptions {
        ScanOptions {
            read: self.read_options(),
            strict: self.strict,
            read_again: false,
        }
    }

    fn file_format(&self) -> Option<Format> {
        match self.input_format {
            InputFormat::Auto => None,
            InputFormat::Jsonl => Some(Format::Jsonl),
            InputFormat::Csv => Some(Format::Csv),
            InputFormat::Tsv => Some(Format::Tsv),
            InputFormat::Text => Some(Format::Text),
        }
    }

    fn inputs(&self) -> Result<Vec<Input>> {
        if self.inputs.iter().filter(|i| *i == "-").count() > 1 {
            bail!("standard input (-) can be read only once; name it a single time");
        }
        Ok(self
            .inputs
            .iter()
            .map(|i| Input::from_arg(i, self.file_format()))
            .collect())
    }

    fn show_progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }

    /// Runs the scan with progress bars when wanted.
    fn scan(&self, inputs: Vec<Input>) -> Result<Scan> {
        self.run_scan(inputs, self.params()?)
    }

    /// The scan without the story stage, for `dedup`, which only removes duplicates (and
    /// reads its inputs again to copy the records it keeps).
    fn scan_without_stories(&self, inputs: Vec<Input>) -> Result<Scan> {
        let mut params = self.params()?;
        params.stories = None;
        self.scan_with(inputs, params, true)
    }

    /// The scan, for a command that reads its inputs again afterwards (`report`): streams
    /// are spooled for the second reading.
    fn scan_to_read_again(&self, inputs: Vec<Input>) -> Result<Scan> {
        self.scan_with(inputs, self.params()?, true)
    }

    fn run_scan(&self, inputs: Vec<Input>, params: Params) -> Result<Scan> {
        self.scan_with(inputs, params, false)
    }

    fn scan_with(&self, inputs: Vec<Input>, params: Params, read_again: bool) -> Result<Scan> {
        let opts = ScanOptions {
            read_again,
            ..self.scan_options()
        };
        let bars;
        let progress: &dyn Progress = if self.show_progress() {
            bars = progress::Bars::new();
            &bars
        } else {
            &NoProgress
        };
        Ok(overlap::scan(inputs, &params, &opts, progress)?)
    }

    fn color(&self, to_terminal: bool) -> bool {
        use_color(self.color, to_terminal)
    }
}

/// Whether to color: as asked, or on a terminal unless `NO_COLOR` is set.
fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Parses `36h`, `3d`, `2w`, `90m` or `45s` into seconds.
fn parse_duration(s: &str) -> Result<i64> {
    let bad = || {
        anyhow::anyhow!(
            "--within {s:?} is not a duration: use a number with a unit, e.g. 36h, 3d or 2w"
        )
    };
    let s = s.trim();
    let unit = s.chars().last().ok_or_else(bad)?;
    let n: f64 = s[..s.len() - unit.len_utf8()]
        .trim()
        .parse()
        .map_err(|_| bad())?;
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        'w' => 604_800.0,
        _ => return Err(bad()),
    };
    if !(n >= 0.0 && n.is_finite()) {
        return Err(bad());
    }
    Ok((n * scale) as i64)
}

/// Most problems printed to stderr before the rest are only counted.
const PRINTED_PROBLEMS: usize = 50;

/// Prints warnings and skipped records to stderr, then the summary line.
fn report_problems_and_summary(scan: &Scan, common: &CommonArgs, extra: &str) -> Outcome {
    let quiet = common.quiet;
    let mut err = std::io::stderr().lock();
    for (label, list) in [("warning", &scan.warnings), ("skipped", &scan.skipped)] {
        print_problems(&mut err, label, list);
    }
    if !quiet {
        let s = &scan.stats;
        let _ = writeln!(
            err,
            "overlap: {} documents, {}, {} clusters, {} duplicates, {}{} skipped, {:.2} s{extra}",
            s.documents,
            overlap::report::human_size(s.bytes),
            s.clusters,
            s.duplicates,
            if scan.params.stories.is_some() {
                let noun = if s.stories == 1 { "story" } else { "stories" };
                format!("{} {noun} ({:.2} s), ", s.stories, s.stage_seconds.stories)
            } else {
                String::new()
            },
            s.skipped,
            s.seconds
        );
        if common.timings {
            let t = &s.stage_seconds;
            let _ = writeln!(
                err,
                "overlap: stage wall times: read+fingerprint {:.3} s, candidates {:.3} s, verify {:.3} s, cluster {:.3} s, stories {:.3} s",
                t.fingerprint, t.candidates, t.verify, t.cluster, t.stories
            );
        }
        if s.lsh_buckets.capped + s.sample_buckets.capped > 0 {
            let _ = writeln!(
                err,
                "overlap: {} oversized buckets (largest {} documents) were compared with their {} nearest neighbours only; {} pairs skipped (raise --max-bucket to compare more)",
                s.lsh_buckets.capped + s.sample_buckets.capped,
                s.lsh_buckets.largest.max(s.sample_buckets.largest),
                scan.params.max_bucket,
                s.lsh_buckets.pairs_skipped + s.sample_buckets.pairs_skipped
            );
        }
    }
    if scan.skipped.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Skipped
    }
}

fn print_problems(err: &mut impl Write, label: &str, list: &[Problem]) {
    for p in list.iter().take(PRINTED_PROBLEMS) {
        let _ = writeln!(err, "{label}: {p}");
    }
    if list.len() > PRINTED_PROBLEMS {
        let _ = writeln!(
            err,
            "{label}: ... and {} more (--format json lists them all)",
            list.len() - PRINTED_PROBLEMS
        );
    }
}

/// Writes to `path` atomically, or to stdout.
fn write_output(
    path: Option<&std::path::Path>,
    inputs: &[String],
    body: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        Some(p) => {
            let mut file = output::AtomicFile::create(p, inputs)?;
            body(&mut file)?;
            file.commit()
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            body(&mut out)?;
            out.flush().context("writing to standard output")
        }
    }
}
