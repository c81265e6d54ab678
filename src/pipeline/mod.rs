//! The scan: read → fingerprint → candidates → verify → cluster.
//!
//! Threads form a pipeline. A reader walks the inputs and hands numbered batches of raw units
//! to two dispatching threads, each of which parses and fingerprints its batch on the rayon
//! pool in runs of a few dozen records, keeping their order (two, so that one batch's last
//! run never leaves a core idle); the caller's thread merges the results sequentially (ids,
//! exact copies, problems) in read order, holding a batch that comes early until those
//! before it are in, while the pool works on the next batches. The text is dropped as soon
//! as it is fingerprinted. Band keys and sampled shingles stay in memory; the workers write
//! each run's shingle sets, sorted, to a temporary file, which verification maps into memory
//! to read the sets it needs in place (`sets.rs`).
//!
//! `fingerprint.rs` holds the parallel half, `collect.rs` the sequential one and everything
//! after reading: candidates, verification, clusters and stories.

mod collect;
mod fingerprint;
mod sets;
mod term_spill;

use std::collections::BTreeMap;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::cluster::Cluster;
use crate::config::Params;
use crate::doc::{DocId, DocInfo};
use crate::error::{Error, Problem};
use crate::fingerprint::Fingerprinter;
use crate::ingest::{Input, ReadLog, ReadOptions, Unit, Units};
use crate::lsh::BucketStats;
use crate::story::{StoryCluster, StoryGraph};
use crate::verify::JaccardHistogram;

use collect::Collector;
use fingerprint::{fingerprint_batch, unit_size, Run};
use sets::SetStore;

/// A stage of the scan, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Records read from the inputs.
    Read,
    /// Records normalized, shingled and sketched.
    Fingerprint,
    /// Candidate pairs verified.
    Verify,
    /// Story units compared with their candidates, then clustered (twice the units in all).
    Stories,
}

/// Receives progress; the library never draws anything itself.
pub trait Progress: Sync {
    /// A stage starts; `total` is known for verification only.
    fn start(&self, _stage: Stage, _total: Option<u64>) {}
    /// `n` more items of `stage` are done.
    fn advance(&self, _stage: Stage, _n: u64) {}
    /// The stage is over.
    fn finish(&self, _stage: Stage) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// How to read the inputs and what to do with bad records.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Field names.
    pub read: ReadOptions,
    /// Stop at the first bad record instead of skipping it.
    pub strict: bool,
    /// The caller reads the inputs a second time (as `dedup` and `report` do): streams that
    /// cannot be read twice (standard input, pipes) are spooled to unnamed temporary files
    /// for that. Regular files are checked for changes whether or not this is set.
    pub read_again: bool,
}

/// Counts of a finished scan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanStats {
    /// Documents fingerprinted.
    pub documents: u64,
    /// Bytes of text fingerprinted.
    pub bytes: u64,
    /// Clusters found.
    pub clusters: u64,
    /// Documents that are duplicates of a kept one (cluster members minus one per cluster).
    pub duplicates: u64,
    /// Duplicates linked by an exact match.
    pub exact: u64,
    /// Duplicates linked by a near-duplicate match.
    pub near: u64,
    /// Duplicates linked by containment.
    pub contained: u64,
    /// Records skipped.
    pub skipped: u64,
    /// Warnings (records used despite a problem, such as invalid UTF-8).
    pub warnings: u64,
    /// Distinct candidate pairs verified.
    pub candidates: u64,
    /// Candidate pairs that passed verification.
    pub verified: u64,
    /// What the bucket cap did to LSH buckets.
    pub lsh_buckets: BucketStats,
    /// What the bucket cap did to shared-sample buckets (containment candidates).
    pub sample_buckets: BucketStats,
    /// Story clusters found.
    pub stories: u64,
    /// Story units: documents, with exact and near copies counted once.
    pub story_units: u64,
    /// Story candidate pairs measured (at or above the similarity floor).
    pub story_pairs: u64,
    /// What the bucket cap did to story keyword buckets.
    pub story_buckets: BucketStats,
    /// The story threshold clustered at (given, or chosen from the corpus); `None` without
    /// the story stage.
    pub story_threshold: Option<f64>,
    /// Every verified pair (exact copies included) by Jaccard similarity and kind.
    pub jaccard_histogram: JaccardHistogram,
    /// Wall time of the scan in seconds.
    pub seconds: f64,
    /// Of which each stage.
    pub stage_seconds: StageSeconds,
}

/// Wall time of each stage of a scan, in seconds. Not part of any deterministic output.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageSeconds {
    /// Reading, parsing and fingerprinting (overlapped: they run as a pipeline).
    pub fingerprint: f64,
    /// Candidate pairs from LSH buckets and shared samples.
    pub candidates: f64,
    /// Exact verification of the candidates (mapping the shingle sets it reads included).
    pub verify: f64,
    /// Clustering the verified pairs.
    pub cluster: f64,
    /// The story stage (term counting is part of fingerprinting and not included).
    pub stories: f64,
}

/// Everything a scan found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The parameters used.
    pub params: Params,
    /// Every document, indexed by [`DocId`].
    pub docs: Vec<DocInfo>,
    /// Clusters sorted by their first member.
    pub clusters: Vec<Cluster>,
    /// Story clusters sorted by their first member (empty when the stage is off).
    pub stories: Vec<StoryCluster>,
    /// The story graph, to re-cluster at other thresholds (`None` when the stage is off).
    pub story_graph: Option<StoryGraph>,
    /// Records that could not be used, in read order.
    pub skipped: Vec<Problem>,
    /// Records used despite a problem, in read order.
    pub warnings: Vec<Problem>,
    /// Counts.
    pub stats: ScanStats,
    /// What was read, so that a second pass over the inputs reads the same or fails
    /// (`None` for a scan not made from inputs).
    pub read_log: Option<Arc<ReadLog>>,
}

impl Scan {
    /// The document behind an id.
    pub fn doc(&self, id: DocId) -> &DocInfo {
        &self.docs[id as usize]
    }
}

/// Times the stages of a scan one after another.
struct StageClock {
    started: Instant,
    last: Instant,
    seconds: StageSeconds,
}

impl StageClock {
    fn start(started: Instant) -> Self {
        Self {
            started,
            last: started,
            seconds: StageSeconds::default(),
        }
    }

    /// Seconds since the previous lap (or the start).
    fn lap(&mut self) -> f64 {
        let now = Instant::now();
        let seconds = (now - self.last).as_secs_f64();
        self.last = now;
        seconds
    }
}

/// Units per batch handed to the workers, and the raw bytes after which a batch is cut early.
/// Small enough that the batches in flight (being read, queued, fingerprinted, merged) hold
/// a few MiB of input blocks and results: memory a process touches for the first time costs
/// the kernel a page fault and zeroing, a tenth of a scan's time before batches were 1 MiB.
const BATCH_UNITS: usize = 1024;
const BATCH_BYTES: usize = 1 << 20;

/// Threads handing batches to the worker pool.
const DISPATCHERS: usize = 2;

/// The total size of the inputs that are plain files (0 for stdin and directories): a hint
/// for how much the scan will hold.
fn input_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .filter_map(|input| match input {
            Input::Path { path, .. } => std::fs::metadata(path).ok().filter(|m| m.is_file()),
            Input::Stdin => None,
        })
        .map(|m| m.len())
        .sum()
}

/// Reads `inputs` and finds their exact copies, near-duplicates and contained copies.
pub fn scan(
    inputs: Vec<Input>,
    params: &Params,
    opts: &ScanOptions,
    progress: &dyn Progress,
) -> Result<Scan, Error> {
    let started = Instant::now();
    let fingerprinter = Fingerprinter::new(params);
    let mut state = Collector::new(params, input_bytes(&inputs));
    let store = SetStore::new()?;
    let store_ref = &store;
    // The scan needs no field besides text, id and date.
    let read = ReadOptions {
        keep_meta: false,
        ..opts.read.clone()
    };
    let read = &read;
    let log = Arc::new(ReadLog::new(opts.read_again, read.max_record_size));
    let units = Units::first_pass(inputs, Arc::clone(&log));
    progress.start(Stage::Read, None);
    progress.start(Stage::Fingerprint, None);

    std::thread::scope(|scope| -> Result<(), Error> {
        // Numbered batches of units, from the reader to the threads that hand them to the
        // pool. The receiver goes when the last of those threads does, which tells the reader
        // to stop.
        let (tx, rx) = sync_channel::<(usize, Vec<(u64, Unit)>)>(2);
        let rx = Arc::new(Mutex::new(rx));
        let reader = std::thread::Builder::new().name("overlap-read".into());
        reader
            .spawn_scoped(scope, move || {
                let mut batch = Vec::with_capacity(BATCH_UNITS);
                let mut bytes = 0;
                let mut sent = 0;
                for (n, unit) in units.enumerate() {
                    bytes += unit_size(&unit);
                    batch.push((n as u64, unit));
                    if batch.len() == BATCH_UNITS || bytes >= BATCH_BYTES {
                        if tx.send((sent, std::mem::take(&mut batch))).is_err() {
                            return;
                        }
                        sent += 1;
                        bytes = 0;
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.send((sent, batch));
                }
            })
            .map_err(Error::Thread)?;
        // Two threads hand batches to the pool, so that while one waits for the last run of
        // its batch, the other's batch keeps every worker busy (with one, a core idled at
        // the end of every batch). Their results come back in any order.
        let (done_tx, done_rx) = sync_channel::<(usize, Result<Vec<Run>, Error>)>(2);
        let fingerprinter = &fingerprinter;
        for _ in 0..DISPATCHERS {
            let (rx, done_tx) = (Arc::clone(&rx), done_tx.clone());
            let dispatcher = std::thread::Builder::new().name("overlap-fingerprint".into());
            dispatcher
                .spawn_scoped(scope, move || loop {
                    let next = rx.lock().map_or(None, |rx| rx.recv().ok());
                    let Some((seq, batch)) = next else { return };
                    progress.advance(Stage::Read, batch.len() as u64);
                    let results = fingerprint_batch(batch, read, params, fingerprinter, store_ref);
                    let done = results
                        .as_ref()
                        .map_or(0, |runs| runs.iter().map(|run| run.results.len()).sum());
                    progress.advance(Stage::Fingerprint, done as u64);
                    // The merging thread hung up: it stopped at a bad record under --strict.
                    if done_tx.send((seq, results)).is_err() {
                        return;
                    }
                })
                .map_err(Error::Thread)?;
        }
        drop((rx, done_tx));
        // Batches are merged in read order: one that comes early waits for those before it.
        let mut early = BTreeMap::new();
        let mut next = 0;
        for (seq, results) in done_rx {
            early.insert(seq, results);
            while let Some(results) = early.remove(&next) {
                for run in results? {
                    state.add_run(run, opts.strict)?;
                }
                next += 1;
            }
        }
        Ok(())
    })?;
    progress.finish(Stage::Read);
    progress.finish(Stage::Fingerprint);
    fingerprint::release_workers();
    let mut clock = StageClock::start(started);
    clock.seconds.fingerprint = clock.lap();
    let mut scan = state.finish(params, progress, clock, store)?;
    scan.read_log = Some(log);
    Ok(scan)
}
