//! `overlap dedup`: write the corpus without its duplicates.

use std::io::Write;

use anyhow::Result;
use overlap::dedup::write_deduplicated;

use super::args::DedupArgs;
use super::output::AtomicFile;
use super::{report_problems_and_summary, write_output, Outcome};

pub fn run(args: DedupArgs) -> Result<Outcome> {
    let common = &args.common;
    // Dedup reads its inputs twice: the scan spools streams (standard input, pipes) to
    // unnamed temporary files and logs what it read of each file, and the copying pass reads
    // the same or fails.
    let inputs = common.inputs()?;
    let scan = common.scan_without_stories(inputs.clone())?;
    let mut removed = match &args.removed {
        Some(p) => Some(AtomicFile::create(p, &common.inputs)?),
        None => None,
    };
    let mut stats = None;
    write_output(args.output.as_deref(), &common.inputs, |out| {
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
    let outcome = report_problems_and_summary(&scan, common, &extra);
    // As in `scan`: the process ends next, and freeing the documents would only delay it.
    std::mem::forget(scan);
    Ok(outcome)
}
