//! One JSON document: `{"version": 1, "params": ..., "summary": ..., "clusters": [...],
//! "skipped": [...], "warnings": [...]}`.

use std::io::{self, Write};

use serde::Serialize;

use super::model::{self, ClusterView, ProblemView, StatsView, StoryView};
use super::Exporter;
use crate::pipeline::Scan;

pub struct Json;

/// The scan JSON document, which `overlap report --format json` extends.
#[derive(Serialize)]
pub(crate) struct Document<'a> {
    version: u32,
    overlap: &'static str,
    params: &'a crate::config::Params,
    summary: StatsView<'a>,
    clusters: Vec<ClusterView<'a>>,
    stories: Vec<StoryView<'a>>,
    skipped: Vec<ProblemView<'a>>,
    warnings: Vec<ProblemView<'a>>,
}

/// The scan as the JSON document.
pub(crate) fn document(scan: &Scan) -> Document<'_> {
    let summary = model::summary(scan);
    Document {
        version: summary.version,
        overlap: summary.overlap,
        params: summary.params,
        summary: summary.stats,
        clusters: model::clusters(scan).collect(),
        stories: model::stories(scan).collect(),
        skipped: scan.skipped.iter().map(model::problem).collect(),
        warnings: scan.warnings.iter().map(model::problem).collect(),
    }
}

impl Exporter for Json {
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &document(scan))?;
        out.write_all(b"\n")
    }
}
