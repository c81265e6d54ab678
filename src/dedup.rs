//! Writing a deduplicated corpus: every record except the duplicates a scan found.
//!
//! The inputs are read a second time and each record is copied byte for byte (JSONL lines as
//! they were; CSV rows and text files as JSON objects of their fields), so nothing but the
//! removed duplicates changes and the corpus is never held in memory. Records the scan had to
//! skip are copied unchanged too: dedup removes only what it proved is a duplicate.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Map, Value};

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
    for (n, unit) in Units::new(inputs).enumerate() {
        let doc = match docs.peek() {
            Some((d, info)) if info.unit == n as u64 => {
                let loc = unit_location(&unit);
                if loc.is_some_and(|l| l != info.location.to_string()) {
                    return Err(Error::Config(format!(
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
            (_, Unit::Problem(_)) => {}
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
    let mut object = match (unit, &duplicate) {
        (Unit::Json { bytes, .. }, None) => {
            out.write_all(&bytes)?;
            out.write_all(b"\n")?;
            return Ok(());
        }
        (Unit::Json { bytes, .. }, Some(_)) => {
            match serde_json::from_slice::<Map<String, Value>>(
                String::from_utf8_lossy(&bytes).as_bytes(),
            ) {
                Ok(m) => m,
                Err(_) => Map::from_iter([(
                    "raw".to_owned(),
                    Value::String(String::from_utf8_lossy(&bytes).into()),
                )]),
            }
        }
        (Unit::Row { fields, .. }, _) => fields
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
        (Unit::File { location, bytes }, _) => Map::from_iter([
            ("id".to_owned(), Value::String(location.path)),
            (
                "text".to_owned(),
                Value::String(String::from_utf8_lossy(&bytes).into_owned()),
            ),
        ]),
        (Unit::Problem(_), _) => return Ok(()),
    };
    if let Some((keeper, evidence)) = duplicate {
        object.insert("duplicate_of".into(), Value::String(keeper.to_owned()));
        object.insert("match".into(), evidence);
    }
    serde_json::to_writer(&mut *out, &object).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}
