//! `overlap dedup`: write the corpus without its duplicates.

use std::io::Write;

use anyhow::{Context, Result};
use overlap::dedup::write_deduplicated;
use overlap::Input;

use super::args::DedupArgs;
use super::output;
use super::{report_problems_and_summary, Outcome};

pub fn run(args: DedupArgs) -> Result<Outcome> {
    let common = &args.common;
    let mut inputs = common.inputs()?;
    let [dest, removed] = output::prepare(
        [
            ("-o", args.output.as_deref()),
            ("--removed", args.removed.as_deref()),
        ],
        &common.read_paths(),
    )?;
    let mut removed = removed.into_file();
    // Dedup reads its inputs twice; standard input is spooled to a temporary file so the
    // second pass can read it again without holding it in memory.
    let _spool = spool_stdin(&mut inputs)?;
    let scan = common.scan(inputs.clone(), None)?;
    super::refuse_empty(&scan, common)?;
    let mut stats = None;
    dest.write(|out| {
        let removed_out = removed.as_mut().map(|f| f as &mut dyn Write);
        stats = Some(write_deduplicated(inputs, &scan, out, removed_out)?);
        Ok(())
    })?;
    if let Some(f) = removed {
        f.commit()?;
    }
    let extra = stats
        .map(|s| {
            let mut line = format!("; wrote {} records, removed {}", s.kept, s.removed);
            if s.passed_through > 0 {
                line.push_str(&format!(
                    ", copied {} skipped records unchanged",
                    s.passed_through
                ));
            }
            line
        })
        .unwrap_or_default();
    let outcome = report_problems_and_summary(&scan, common, args.summary.timings, &extra);
    // As in `scan`: the process ends next, and freeing the documents would only delay it.
    std::mem::forget(scan);
    Ok(outcome)
}

/// Replaces standard input among `inputs` with a temporary copy of it, for commands that read
/// their inputs twice; the copy lives as long as the returned file.
pub(super) fn spool_stdin(inputs: &mut [Input]) -> Result<Option<tempfile::NamedTempFile>> {
    let Some(slot) = inputs.iter_mut().find(|i| **i == Input::Stdin) else {
        return Ok(None);
    };
    let mut spool =
        tempfile::NamedTempFile::new().context("creating a temporary file for standard input")?;
    std::io::copy(&mut std::io::stdin().lock(), spool.as_file_mut())
        .context("reading standard input")?;
    spool.as_file_mut().flush()?;
    *slot = Input::Path {
        path: spool.path().to_owned(),
        display: "-".into(),
        format: Some(overlap::Format::Jsonl),
    };
    Ok(Some(spool))
}
