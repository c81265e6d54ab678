//! Output formats for scan results, one module each behind [`Exporter`].
//!
//! Machine formats are a versioned contract: JSON carries `"version": 1`, JSONL is a stream of
//! `{"type": ..., "data": ...}` events, and both are documented field by field in the README.
//! No format includes wall time, so the same input gives byte-identical output on any number
//! of threads.

mod csv;
mod human;
mod json;
mod jsonl;
mod model;
mod visible;

use std::io::{self, Write};

pub use human::size as human_size;
pub use model::{ClusterView, MatchView, MemberView, ProblemView, StatsView, SummaryView};
pub use visible::{visible, visible_lines};

use crate::pipeline::Scan;

/// The version of the JSON and JSONL formats.
pub const FORMAT_VERSION: u32 = 1;

/// Writes a scan result in one format.
pub trait Exporter {
    /// Writes `scan` to `out`.
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Readable clusters with evidence.
    Human,
    /// One JSON document.
    Json,
    /// One JSON event per line.
    Jsonl,
    /// One CSV row per cluster member.
    Csv,
}

/// The exporter for a format; `color` applies to the human format only.
pub fn exporter(format: ReportFormat, color: bool) -> Box<dyn Exporter> {
    match format {
        ReportFormat::Human => Box::new(human::Human { color }),
        ReportFormat::Json => Box::new(json::Json),
        ReportFormat::Jsonl => Box::new(jsonl::Jsonl),
        ReportFormat::Csv => Box::new(csv::Csv),
    }
}

pub mod compare;
pub mod corpus;
