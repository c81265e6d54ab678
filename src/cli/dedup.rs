//! `overlap dedup`: write the corpus without its duplicates.

use std::io::Write;

use anyhow::Result;
use overlap::dedup::write_deduplicated;

use super::args::DedupArgs;
use super::output;
use super::{report_problems_and_summary, Outcome};

pub fn run(args: DedupArgs) -> Result<Outcome> {
    let common = &args.common;
    // Dedup reads its inputs twice: the scan spools streams (standard input, pipes) to
    // unnamed temporary files and logs what it read of each file, and the copying pass reads
    // the same or fails.
    let inputs = common.inputs()?;
    let [dest, removed] = output::prepare(
        [
            ("-o", args.output.as_deref()),
            ("--removed", args.removed.as_deref()),
        ],
        || common.read_paths(),
    )?;
    let mut removed = removed.into_file();
    let scan = common.scan(inputs.clone(), None, true)?;
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
            if s.unreadable > 0 {
                line.push_str(&format!(
                    "; {} records or files could not be read at all and are NOT in the output \
                     (see the messages above)",
                    s.unreadable
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
