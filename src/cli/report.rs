//! `overlap report`: the corpus overlap report as one HTML page, Markdown or JSON.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Result};
use overlap::facts::CompareOptions;
use overlap::report::corpus::{build, corpus_exporter, CorpusFormat, ReportOptions};

use super::args::{CorpusOutputFormat, ReportArgs};
use super::output;
use super::{report_problems_and_summary, Outcome};

/// The format asked for, else the one the output file's extension names, else HTML.
fn format(args: &ReportArgs) -> CorpusFormat {
    let by_extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match (args.format, by_extension.as_deref()) {
        (Some(CorpusOutputFormat::Html), _) => CorpusFormat::Html,
        (Some(CorpusOutputFormat::Md), _) => CorpusFormat::Markdown,
        (Some(CorpusOutputFormat::Json), _) => CorpusFormat::Json,
        (None, Some("md" | "markdown")) => CorpusFormat::Markdown,
        (None, Some("json")) => CorpusFormat::Json,
        (None, _) => CorpusFormat::Html,
    }
}

pub fn run(args: ReportArgs) -> Result<Outcome> {
    let format = format(&args);
    if format == CorpusFormat::Html && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "an HTML report is a page for a browser, not for the terminal: write it to a file \
             with -o overlap.html, or choose --format md"
        );
    }
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!(
            "--min-score {} is out of range: use a score from 0 to 1 (default {})",
            args.min_score,
            overlap::facts::DEFAULT_MIN_SCORE
        );
    }
    let common = &args.common;
    // The report reads its inputs twice (the second time for the texts of the pairs it
    // diffs): the scan spools streams and logs what it read for that.
    let inputs = common.inputs()?;
    let [dest] = output::prepare([("-o", args.output.as_deref())], || common.read_paths())?;
    let scan = common.scan(inputs.clone(), Some(&args.stories), true)?;
    super::refuse_empty(&scan, common)?;
    let options = ReportOptions {
        max_diffs: args.max_diffs,
        pairs_per_cluster: args.pairs_per_cluster,
        compare: CompareOptions {
            min_score: args.min_score,
            ..CompareOptions::default()
        },
        read: common.read_options(),
    };
    let spinner = common.show_progress().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message("diffing pairs for the report");
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let report = build(scan, inputs, common.inputs.clone(), &options)?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let exporter = corpus_exporter(format, args.top);
    dest.write(|out| Ok(exporter.write(&report, out)?))?;
    let extra = format!(
        "; report: {} pair diffs{} in {:.2} s",
        report.diffs.len(),
        if report.diffs_left_out > 0 {
            format!(
                " ({} more left out, raise --max-diffs to include them)",
                report.diffs_left_out
            )
        } else {
            String::new()
        },
        report.timing.reread + report.timing.compare
    );
    Ok(report_problems_and_summary(
        &report.scan,
        common,
        args.summary.timings,
        &extra,
    ))
}
