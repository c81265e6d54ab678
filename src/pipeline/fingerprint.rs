//! The parallel half of the scan: one raw unit in, one document's fingerprints out.

use std::cell::RefCell;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::sets::{SetRef, SetStore};
use crate::config::Params;
use crate::doc::{parse_date, title_of, DocInfo};
use crate::error::{Error, Problem};
use crate::fingerprint::{FingerprintScratch, Fingerprinter};
use crate::ingest::{parse_unit, ReadOptions, Unit};
use crate::story::{count_terms_into, TermCache, TermRun};

/// What the workers produce for one record.
pub(super) struct Fingerprinted {
    pub info: DocInfo,
    /// Hash of the id, to find repeated ids.
    pub id_hash: u64,
    pub exact: u64,
    /// Where the shingle set went.
    pub set: SetRef,
    /// How many samples it has in its run's [`Run::samples`] (its band keys are a fixed
    /// number).
    pub samples: u32,
    /// How many story terms and evidence words it has in its run's [`Run::terms`] (`None`
    /// when stories are off).
    pub story: Option<(u32, u32)>,
    pub warnings: Vec<Problem>,
}

pub(super) fn unit_size(unit: &Unit) -> usize {
    match unit {
        Unit::Json { bytes, .. } => bytes.len(),
        Unit::File { bytes, .. } => bytes.len(),
        Unit::Row { fields, .. } => fields.iter().map(|(k, v)| k.len() + v.len()).sum(),
        Unit::Problem(_) => 0,
    }
}

/// The fingerprints of a run of units, in order: one result per unit, and the band keys and
/// samples of the fingerprinted ones end to end, in one list each (two allocations per
/// document, freed by another thread, cost more than copying them out of a shared list).
pub(super) struct Run {
    pub results: Vec<Result<Fingerprinted, Problem>>,
    /// `bands` keys per fingerprinted document.
    pub band_keys: Vec<i64>,
    /// [`Fingerprinted::samples`] samples per fingerprinted document.
    pub samples: Vec<u64>,
    /// [`Fingerprinted::story`] terms and words per fingerprinted document.
    pub terms: TermRun,
}

/// Units fingerprinted one after another by one worker, whose shingle sets are written to the
/// store in one piece: a few dozen documents, enough to make the write worth a system call.
const RUN_UNITS: usize = 64;

/// A worker thread's buffers, kept from one run to the next: buffers made afresh for every
/// piece of work rayon hands out grew into new memory each time, and a page the process
/// touches for the first time costs the kernel a fault.
#[derive(Default)]
struct Worker {
    scratch: FingerprintScratch,
    terms: TermCache,
    /// The shingle sets of the current run, end to end.
    sets: Vec<u64>,
}

thread_local! {
    static WORKER: RefCell<Worker> = RefCell::default();
}

/// Frees every pool thread's buffers once the corpus is fingerprinted: the term caches alone
/// hold a few megabytes per thread, and the verify stage that follows is the scan's peak.
pub(super) fn release_workers() {
    rayon::broadcast(|_| {
        WORKER.with(|worker| {
            if let Ok(mut worker) = worker.try_borrow_mut() {
                *worker = Worker::default();
            }
        });
    });
}

/// Fingerprints a batch on the rayon pool, in runs of [`RUN_UNITS`]; the runs and the results
/// in them are in the batch's order. Fails only when the store cannot be written (the scan
/// stops then).
pub(super) fn fingerprint_batch(
    batch: Vec<(u64, Unit)>,
    read: &ReadOptions,
    params: &Params,
    fingerprinter: &Fingerprinter,
    store: &SetStore,
) -> Result<Vec<Run>, Error> {
    batch
        .into_par_iter()
        .chunks(RUN_UNITS)
        .map(|units| {
            let fingerprint_run = |Worker {
                                       scratch,
                                       terms,
                                       sets,
                                   }: &mut Worker| {
                sets.clear();
                let mut run = Run {
                    results: Vec::with_capacity(units.len()),
                    band_keys: Vec::with_capacity(units.len() * params.bands),
                    // A news article keeps about 27 samples.
                    samples: match params.containment {
                        Some(_) => Vec::with_capacity(units.len() * 32),
                        None => Vec::new(),
                    },
                    terms: TermRun::default(),
                };
                for (n, unit) in units {
                    let fp = fingerprint(
                        n,
                        unit,
                        read,
                        params,
                        fingerprinter,
                        sets,
                        &mut run,
                        scratch,
                        terms,
                    );
                    run.results.push(fp);
                }
                let base = store.write_run(sets)?;
                for fp in run.results.iter_mut().flatten() {
                    fp.set = fp.set.placed(base);
                }
                Ok(run)
            };
            WORKER.with(|worker| match worker.try_borrow_mut() {
                Ok(mut worker) => fingerprint_run(&mut worker),
                // This thread is already inside a run (a nested parallel call let it take
                // another piece of work): that run gets buffers of its own.
                Err(_) => fingerprint_run(&mut Worker::default()),
            })
        })
        .collect()
}

/// Fingerprints one unit, appending its shingle set to the worker's current `sets` and its
/// band keys and samples to `run`'s lists.
#[allow(clippy::too_many_arguments)]
fn fingerprint(
    unit_no: u64,
    unit: Unit,
    read: &ReadOptions,
    params: &Params,
    fingerprinter: &Fingerprinter,
    sets: &mut Vec<u64>,
    run: &mut Run,
    scratch: &mut FingerprintScratch,
    terms: &mut TermCache,
) -> Result<Fingerprinted, Problem> {
    let parsed = parse_unit(unit, read)?;
    let record = parsed.record;
    let mut warnings: Vec<Problem> = parsed.warning.into_iter().collect();
    if record.text.len() >= u32::MAX as usize {
        return Err(Problem {
            location: record.location,
            reason: "document is 4 GiB or larger; split it into smaller documents".into(),
        });
    }
    let samples_before = run.samples.len();
    let fingerprinted =
        fingerprinter.fingerprint_into(&record.text, scratch, &mut run.band_keys, &mut run.samples);
    let Some(exact) = fingerprinted else {
        return Err(Problem {
            location: record.location,
            reason: "no words to compare (the text holds only punctuation or symbols)".into(),
        });
    };
    let samples = (run.samples.len() - samples_before) as u32;
    let set = SetRef::in_run(sets.len(), scratch.set().len());
    sets.extend_from_slice(scratch.set());
    let story = params
        .stories
        .map(|_| count_terms_into(&record.text, scratch, terms, params.seed, &mut run.terms));

    let date_key = record.date.as_deref().and_then(parse_date);
    if let (Some(raw), None) = (&record.date, date_key) {
        warnings.push(Problem {
            location: record.location.clone(),
            reason: format!(
                "date {raw:?} is not a date (expected YYYY-MM-DD, an ISO-8601 time or Unix seconds); treated as undated"
            ),
        });
    }
    let info = DocInfo {
        title: title_of(&record.text, 80),
        bytes: record.text.len() as u64,
        id: record.id,
        location: record.location,
        date: record.date,
        date_key,
        unit: unit_no,
    };
    Ok(Fingerprinted {
        id_hash: xxh3_64_with_seed(info.id.as_bytes(), 0),
        info,
        exact,
        set,
        samples,
        story,
        warnings,
    })
}
