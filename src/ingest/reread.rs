//! Reading the inputs of a finished scan a second time, for what the scan did not keep: the
//! texts of chosen documents, and anything else computed from every record.
//!
//! A scan keeps no text (that is how it stays small), so a report that shows fact diffs walks
//! the same inputs again. Units are parsed in parallel batches and matched to the scan's
//! documents by their position among all units read, as `dedup` does; a record whose id no
//! longer matches means the input changed between the passes, which is an error rather than a
//! silently wrong report.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{parse_unit, Input, ReadLog, ReadOptions, Units};
use crate::doc::{DocId, DocInfo, Record};
use crate::error::Error;

/// What one unit gives: its document, the mapped value, and the text when it is kept.
type Reread<T> = Option<(DocId, T, Option<String>)>;

/// Units parsed per parallel batch.
const BATCH: usize = 4096;

/// Reads `inputs` again (the inputs the scan behind `docs` read, in the same order, as logged
/// in `log`) and returns the text of every document for which `keep` says yes. An input that
/// changed since the scan is an error ([`Error::InputChanged`]). Every record the scan used
/// is also passed to `map` in parallel, and the results to `fold` in read order, for
/// statistics over the whole corpus.
pub fn reread<T: Send>(
    inputs: Vec<Input>,
    log: Option<&Arc<ReadLog>>,
    docs: &[DocInfo],
    read: &ReadOptions,
    keep: &(dyn Fn(DocId) -> bool + Sync),
    map: impl Fn(&Record) -> T + Sync,
    mut fold: impl FnMut(T),
) -> Result<HashMap<DocId, String>, Error> {
    let mut texts = HashMap::new();
    let mut units = match log {
        Some(log) => Units::second_pass(inputs, Arc::clone(log)),
        None => Units::with_limit(inputs, read.max_record_size),
    };
    let mut numbered = units.by_ref().enumerate().peekable();
    while numbered.peek().is_some() {
        let batch: Vec<_> = numbered.by_ref().take(BATCH).collect();
        let parsed: Vec<Result<Reread<T>, Error>> = batch
            .into_par_iter()
            .map(|(n, unit)| {
                // Documents are in read order, so their unit numbers are sorted.
                let Ok(d) = docs.binary_search_by_key(&(n as u64), |d| d.unit) else {
                    return Ok(None);
                };
                let info = &docs[d];
                let record = match parse_unit(unit, read) {
                    Ok(p) if p.record.id == info.id => p.record,
                    _ => {
                        return Err(Error::Config(format!(
                            "{}: the input changed while the report was being written \
                             (expected the record {:?} here); run it again",
                            info.location, info.id
                        )))
                    }
                };
                let id = d as DocId;
                let value = map(&record);
                Ok(Some((id, value, keep(id).then_some(record.text))))
            })
            .collect();
        // A difference the pass found explains a mismatched record better than the record.
        if let (Some(log), true) = (log, parsed.iter().any(Result::is_err)) {
            log.check()?;
        }
        for item in parsed {
            if let Some((id, value, text)) = item? {
                fold(value);
                if let Some(text) = text {
                    texts.insert(id, text);
                }
            }
        }
    }
    drop(numbered);
    units.finish()?;
    Ok(texts)
}
