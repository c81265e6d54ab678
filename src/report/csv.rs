//! One CSV row per cluster member, for spreadsheets; story clusters follow, numbered `s1`,
//! `s2`, ... with kind `story` and their members' similarity.

use std::io::{self, Write};

use super::model;
use super::Exporter;
use crate::pipeline::Scan;

pub struct Csv;

const HEADER: [&str; 13] = [
    "cluster",
    "kinds",
    "id",
    "source",
    "bytes",
    "kept",
    "match_kind",
    "matched_to",
    "jaccard",
    "containment",
    "reverse_containment",
    "title",
    "similarity",
];

impl Exporter for Csv {
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER)?;
        for c in model::clusters(scan) {
            let kinds = c
                .kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join("+");
            for m in &c.members {
                let (kind, to, j, cont, rev) = match &m.matched {
                    Some(x) => (
                        x.kind.as_str(),
                        x.to,
                        x.jaccard.to_string(),
                        x.containment.to_string(),
                        x.reverse_containment.to_string(),
                    ),
                    None => ("", "", String::new(), String::new(), String::new()),
                };
                w.write_record([
                    c.cluster.to_string().as_str(),
                    &kinds,
                    m.id,
                    &m.source,
                    &m.bytes.to_string(),
                    if m.kept { "true" } else { "false" },
                    kind,
                    to,
                    &j,
                    &cont,
                    &rev,
                    m.title,
                    "",
                ])?;
            }
        }
        for s in model::stories(scan) {
            for m in &s.members {
                w.write_record([
                    format!("s{}", s.story).as_str(),
                    "story",
                    m.id,
                    &m.source,
                    &m.bytes.to_string(),
                    "",
                    "story",
                    "",
                    "",
                    "",
                    "",
                    m.title,
                    &m.similarity.to_string(),
                ])?;
            }
        }
        w.flush()
    }
}
