//! Writing a deduplicated corpus: every record except the duplicates a scan found.
//!
//! The inputs are read a second time and each record is copied byte for byte (JSONL lines as
//! they were; CSV rows and text files as JSON objects of their fields), so nothing but the
//! removed duplicates changes and the corpus is never held in memory. Records the scan had to
//! skip are copied unchanged too: dedup removes only what it proved is a duplicate. What could
//! not be read at all (over the record-size limit, a binary file) has nothing to copy; it is
//! counted in [`DedupStats::unreadable`] so that the caller can say so.
//!
//! The second reading must see the bytes the scan saw: it goes through the scan's
//! [`ReadLog`](crate::ingest::ReadLog), which serves spooled copies of streams and fails with
//! [`Error::InputChanged`] when a file changed in between (the output is then incomplete and
//! must be thrown away, which the command line's atomic outputs do).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{json, Value};

use crate::cluster::Link;
use crate::doc::DocId;
use crate::error::Error;
use crate::ingest::{Input, Unit, Units};
use crate::pipeline::Scan;

/// What a dedup pass wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DedupStats {
    /// Records written to the clean output.
    pub kept: u64,
    /// Duplicates left out (and written to the removed output, when there is one).
    pub removed: u64,
    /// Records the scan skipped, copied unchanged.
    pub passed_through: u64,
    /// Records or files that could not be read at all (over `--max-record-size`, a CSV row
    /// the parser rejects, a binary or unreadable file): they have no text to copy, so they
    /// are not in either output. Each was reported as a problem by the scan.
    pub unreadable: u64,
}

/// Copies the records of `inputs` (the same inputs `scan` read) to `kept`, leaving out the
/// duplicates; each duplicate goes to `removed` with a `duplicate_of` field naming the kept
/// document and a `match` object with the evidence.
pub fn write_deduplicated(
    inputs: Vec<Input>,
    scan: &Scan,
    kept: &mut dyn Write,
    mut removed: Option<&mut dyn Write>,
) -> Result<DedupStats, Error> {
    let mut dropped: HashMap<DocId, (DocId, Link)> = HashMap::new();
    for c in &scan.clusters {
        for m in &c.members {
            if let (false, Some(link)) = (m.kept, m.link) {
                dropped.insert(m.doc, (c.kept, link));
            }
        }
    }
    // The rule `dedup` promises, checked once more before anything is written: a record is
    // removed only for a kept record it matches directly.
    for (&doc, &(keeper, link)) in &dropped {
        if link.to != keeper || dropped.contains_key(&keeper) {
            return Err(Error::Config(format!(
                "internal error: {} would be removed for {}, which is not kept; nothing was \
                 written (please report this)",
                scan.doc(doc).id,
                scan.doc(link.to).id
            )));
        }
    }
    let mut stats = DedupStats::default();
    let mut docs = scan.docs.iter().enumerate().peekable();
    let mut units = match &scan.read_log {
        Some(log) => Units::second_pass(inputs, Arc::clone(log)),
        None => Units::new(inputs),
    };
    for (n, unit) in units.by_ref().enumerate() {
        let doc = match docs.peek() {
            Some((d, info)) if info.unit == n as u64 => {
                let loc = unit_location(&unit);
                if loc.is_some_and(|l| l != info.location.to_string()) {
                    // What the pass found changed explains this best.
                    units.finish()?;
                    return Err(Error::InputChanged(format!(
                        "{}: the input changed while dedup was running (expected {} here); run it again",
                        info.location, info.id
                    )));
                }
                let d = *d as DocId;
                docs.next();
                Some(d)
            }
            _ => None,
        };
        match (doc.and_then(|d| dropped.get(&d)), unit) {
            (_, Unit::Problem(_)) => stats.unreadable += 1,
            (None, unit) => {
                write_unit(kept, unit, None)?;
                match doc {
                    Some(_) => stats.kept += 1,
                    None => stats.passed_through += 1,
                }
            }
            (Some(&(keeper, link)), unit) => {
                stats.removed += 1;
                if let Some(out) = removed.as_deref_mut() {
                    let evidence = json!({
                        "kind": link.kind,
                        "to": scan.doc(link.to).id,
                        "jaccard": link.jaccard,
                        "containment": link.containment,
                        "reverse_containment": link.reverse_containment,
                    });
                    write_unit(out, unit, Some((&scan.doc(keeper).id, evidence)))?;
                }
            }
        }
    }
    units.finish()?;
    Ok(stats)
}

fn unit_location(unit: &Unit) -> Option<String> {
    match unit {
        Unit::Json { location, .. } | Unit::Row { location, .. } | Unit::File { location, .. } => {
            Some(location.to_string())
        }
        Unit::Problem(_) => None,
    }
}

/// Writes one unit as a JSONL line; with `duplicate`, adds `duplicate_of` and `match`.
fn write_unit(
    out: &mut dyn Write,
    unit: Unit,
    duplicate: Option<(&str, Value)>,
) -> Result<(), Error> {
    let mut members: Vec<(String, Box<RawValue>)> = match (unit, &duplicate) {
        (Unit::Json { bytes, .. }, None) => {
            out.write_all(&bytes)?;
            out.write_all(b"\n")?;
            return Ok(());
        }
        // The line's values are kept as written (a number is not re-printed as a float).
        (Unit::Json { bytes, .. }, Some(_)) => {
            let line = String::from_utf8_lossy(&bytes);
            match serde_json::from_str::<Members>(&line) {
                Ok(m) => m.0,
                Err(_) => vec![("raw".to_owned(), raw(&Value::String(line.into_owned())))],
            }
        }
        (Unit::Row { fields, .. }, _) => fields
            .into_iter()
            .map(|(k, v)| (k, raw(&Value::String(v))))
            .collect(),
        (Unit::File { location, bytes }, _) => vec![
            ("id".to_owned(), raw(&Value::String(location.path))),
            (
                "text".to_owned(),
                raw(&Value::String(String::from_utf8_lossy(&bytes).into_owned())),
            ),
        ],
        (Unit::Problem(_), _) => return Ok(()),
    };
    if let Some((keeper, evidence)) = duplicate {
        members.retain(|(k, _)| k != "duplicate_of" && k != "match");
        members.push((
            "duplicate_of".into(),
            raw(&Value::String(keeper.to_owned())),
        ));
        members.push(("match".into(), raw(&evidence)));
    }
    let mut line = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&Value::String(key.clone()).to_string());
        line.push(':');
        line.push_str(value.get());
    }
    line.push_str("}\n");
    out.write_all(line.as_bytes())?;
    Ok(())
}

/// A JSON value as raw JSON text.
fn raw(value: &Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a serialized value is valid JSON")
}

/// A JSON object's members in order, each value as its raw text (a later duplicate key
/// replaces the earlier value, as serde_json's map does).
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members: Vec<(String, Box<RawValue>)> = Vec::new();
                let mut index: HashMap<String, usize> = HashMap::new();
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    match index.get(&key) {
                        Some(&i) => members[i].1 = value,
                        None => {
                            index.insert(key.clone(), members.len());
                            members.push((key, value));
                        }
                    }
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Object)
    }
}
