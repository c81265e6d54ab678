//! The `overlap` command line: argument parsing, terminals, colors and exit codes. The
//! library below knows none of these.

pub mod args;
mod compare;
mod compare_pairs;
mod dedup;
mod eval;
mod eval_facts;
mod output;
mod progress;
mod report;
mod scan;
pub mod signals;

use std::io::{IsTerminal, Write};

use anyhow::{bail, Result};
use overlap::report::visible;
use overlap::{
    Format, Input, KeepPolicy, NoProgress, Params, Problem, Progress, ReadOptions, Scan,
    ScanOptions, ShingleSpec,
};

pub use args::Cli;
use args::{ColorChoice, Command, CommonArgs, InputFormat, Keep, StoryArgs};

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

impl StoryArgs {
    /// The story stage's parameters, or `None` under `--no-stories`.
    fn params(&self, date_field: Option<&str>) -> Result<Option<overlap::story::StoryParams>> {
        if self.within.is_some() && date_field.is_none() {
            bail!("--within needs --date-field NAME to know each document's date");
        }
        // With dates, a default window; `--within off` compares all dates.
        let within_seconds = match self.within.as_deref() {
            Some("off") => None,
            Some(w) => Some(parse_duration(w)?),
            None => date_field.map(|_| overlap::story::DEFAULT_WITHIN_SECONDS),
        };
        Ok((!self.no_stories).then(|| overlap::story::StoryParams {
            threshold: self.story_threshold,
            keywords: self.story_keywords,
            within_seconds,
            ..overlap::story::StoryParams::default()
        }))
    }
}

impl CommonArgs {
    /// The scan's parameters; `stories` is `None` for a subcommand without the story stage.
    fn params(&self, stories: Option<&StoryArgs>) -> Result<Params> {
        if self.keep == Keep::Earliest && self.date_field.is_none() {
            bail!("--keep earliest needs --date-field NAME to know each document's date");
        }
        let stories = match stories {
            Some(s) => s.params(self.date_field.as_deref())?,
            None => None,
        };
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

    /// The files and directories named as inputs (standard input aside), for the output checks,
    /// and every symlink below an input directory: the walk follows them, so the file or
    /// directory a link leads to (possibly outside the input directory) is read too.
    fn read_paths(&self) -> Vec<std::path::PathBuf> {
        let mut reads: Vec<std::path::PathBuf> =
            self.inputs.iter().map(|i| output::read_path(i)).collect();
        let linked: Vec<std::path::PathBuf> = reads
            .iter()
            .filter(|r| r.is_dir())
            .flat_map(|dir| {
                walkdir::WalkDir::new(dir)
                    .follow_links(true)
                    .into_iter()
                    .filter_map(|e| e.ok())
                    .filter(|e| e.path_is_symlink())
                    .map(|e| e.into_path())
            })
            .collect();
        reads.extend(linked);
        reads
    }

    fn show_progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }

    /// Runs the scan with progress bars when wanted; without the story stage when `stories`
    /// is `None` (`dedup`, which only removes duplicates). `read_again` is for a command that
    /// reads its inputs again afterwards (`dedup`, `report`): the scan spools streams and logs
    /// what it read of each file, so that the second reading reads the same or fails.
    fn scan(
        &self,
        inputs: Vec<Input>,
        stories: Option<&StoryArgs>,
        read_again: bool,
    ) -> Result<Scan> {
        self.scan_with(inputs, self.params(stories)?, read_again)
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
            "--within {s:?} is not a duration: use a number with a unit, e.g. 36h, 3d or 2w, or off"
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

/// Refuses to write an output when the scan read no document and skipped no record: the
/// inputs hold nothing `overlap` reads (an empty folder, a folder of `.html` files, an empty
/// file), which is almost always a wrong path, extension or `--input-format`.
fn refuse_empty(scan: &Scan, common: &CommonArgs) -> Result<()> {
    if scan.stats.documents > 0 || !scan.skipped.is_empty() {
        return Ok(());
    }
    let inputs: Vec<String> = common
        .inputs
        .iter()
        .map(|i| visible(i).into_owned())
        .collect();
    bail!(
        "no documents were read from {}: nothing was written (a directory is searched for .txt \
         and .md files; .jsonl, .csv and .tsv files hold one document per record; check the \
         path, or name the format with --input-format)",
        inputs.join(", ")
    )
}

/// Most problems printed to stderr before the rest are only counted.
const PRINTED_PROBLEMS: usize = 50;

/// Prints warnings and skipped records to stderr, then the summary line.
fn report_problems_and_summary(
    scan: &Scan,
    common: &CommonArgs,
    timings: bool,
    extra: &str,
) -> Outcome {
    let quiet = common.quiet;
    let mut err = std::io::stderr().lock();
    for (label, list) in [("warning", &scan.warnings), ("skipped", &scan.skipped)] {
        print_problems(&mut err, label, list);
    }
    if scan.stats.documents == 0 {
        let _ = writeln!(
            err,
            "warning: no documents were read: every record was skipped (see above)"
        );
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
        if timings {
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
        // Problems quote ids and field names from the data: no escape sequence gets through.
        let _ = writeln!(err, "{label}: {}", visible(&p.to_string()));
    }
    if list.len() > PRINTED_PROBLEMS {
        let _ = writeln!(
            err,
            "{label}: ... and {} more (--format json lists them all)",
            list.len() - PRINTED_PROBLEMS
        );
    }
}
