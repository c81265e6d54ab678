//! A stream of events, one JSON object per line: `{"type": "cluster"|"story"|"skipped"|"warning"|
//! "summary", "data": {...}}`, the summary last.

use std::io::{self, Write};

use serde::Serialize;

use super::model;
use super::Exporter;
use crate::pipeline::Scan;

pub struct Jsonl;

#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: T,
}

/// Writes events one line each. A line is put together in memory and written in one call:
/// the serializer makes a call per key and value, and through the `dyn Write` each of those
/// cost a dynamic call into a buffered writer (a tenth of a scan's wall time on the bench
/// corpus went to writing its report).
struct Lines<'a> {
    out: &'a mut dyn Write,
    line: Vec<u8>,
}

impl Lines<'_> {
    fn event(&mut self, kind: &str, data: impl Serialize) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, &Event { kind, data })?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }
}

impl Exporter for Jsonl {
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
        let mut lines = Lines {
            out,
            line: Vec::with_capacity(1 << 12),
        };
        for c in model::clusters(scan) {
            lines.event("cluster", c)?;
        }
        for s in model::stories(scan) {
            lines.event("story", s)?;
        }
        for p in &scan.skipped {
            lines.event("skipped", model::problem(p))?;
        }
        for p in &scan.warnings {
            lines.event("warning", model::problem(p))?;
        }
        lines.event("summary", model::summary(scan))
    }
}
