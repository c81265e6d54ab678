//! The report as JSON: the `scan` JSON document, field for field, plus a `report` object
//! (inputs, options, timing) and `diffs`, each the full `compare` JSON of one pair with the
//! cluster it explains, so a user can build their own view.

use std::io::{self, Write};

use serde::Serialize;

use super::{CorpusExporter, CorpusReport, Group, Timing};
use crate::facts::FactDiff;
use crate::report::json::{document, Document};

pub struct Json;

#[derive(Serialize)]
struct ReportDocument<'a> {
    #[serde(flatten)]
    scan: Document<'a>,
    report: About<'a>,
    diffs: Vec<DiffEntry<'a>>,
}

/// How the report was made.
#[derive(Serialize)]
struct About<'a> {
    inputs: &'a [String],
    max_diffs: usize,
    pairs_per_cluster: usize,
    min_score: f64,
    diffs: usize,
    diffs_left_out: u64,
    seconds: Timing,
}

#[derive(Serialize)]
struct DiffEntry<'a> {
    /// `1` for the first duplicate cluster, `s1` for the first story, as in `clusters[]`
    /// and `stories[]`.
    cluster: String,
    a: &'a str,
    b: &'a str,
    diff: &'a FactDiff,
}

impl CorpusExporter for Json {
    fn write(&self, report: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        let scan = &report.scan;
        let doc = ReportDocument {
            scan: document(scan),
            report: About {
                inputs: &report.inputs,
                max_diffs: report.options.max_diffs,
                pairs_per_cluster: report.options.pairs_per_cluster,
                min_score: report.options.compare.min_score,
                diffs: report.diffs.len(),
                diffs_left_out: report.diffs_left_out,
                seconds: report.timing,
            },
            diffs: report
                .diffs
                .iter()
                .map(|d| DiffEntry {
                    cluster: Group::label(d.group),
                    a: &scan.doc(d.a).id,
                    b: &scan.doc(d.b).id,
                    diff: &d.diff,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")
    }
}
