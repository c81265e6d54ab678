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

fn event(out: &mut dyn Write, kind: &str, data: impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Event { kind, data })?;
    out.write_all(b"\n")
}

impl Exporter for Jsonl {
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
        for c in model::clusters(scan) {
            event(out, "cluster", c)?;
        }
        for s in model::stories(scan) {
            event(out, "story", s)?;
        }
        for p in &scan.skipped {
            event(out, "skipped", model::problem(p))?;
        }
        for p in &scan.warnings {
            event(out, "warning", model::problem(p))?;
        }
        event(out, "summary", model::summary(scan))
    }
}
