//! The scan: read → fingerprint → candidates → verify → cluster.
//!
//! A reader thread walks the inputs and hands batches of raw units to the caller's thread,
//! which parses and fingerprints each batch on the rayon pool with an order-keeping
//! `par_iter`, then merges the results sequentially (ids, exact copies, problems) in read
//! order. Only fingerprints stay in memory: the shingle set for verification, the band keys
//! and the sampled shingles; the text is dropped as soon as it is fingerprinted.

use std::collections::HashMap;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::cluster::{build_clusters, Cluster};
use crate::config::{Params, ShingleSpec};
use crate::doc::{parse_date, title_of, DocId, DocInfo};
use crate::error::{Error, Problem};
use crate::ingest::{parse_unit, Input, ReadOptions, Unit, Units};
use crate::lsh::{band_keys, bucket_pairs, unpack_pair, BucketStats};
use crate::shingle::{char_shingles, hash_tokens, sequence_key, word_shingles};
use crate::sketch::minhash::MinHasher;
use crate::sketch::sample::{containment_candidates, sample_shingles};
use crate::story::{count_terms, StoryCluster, StoryGraph, TermCounts};
use crate::text::{ascii, normalize, Normalized};
use crate::verify::{verify, Edge, JaccardHistogram, MatchKind, Similarity, Thresholds};

/// A stage of the scan, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Records read from the inputs.
    Read,
    /// Records normalized, shingled and sketched.
    Fingerprint,
    /// Candidate pairs verified.
    Verify,
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
    /// Story candidate pairs measured (at or above the similarity floor).
    pub story_pairs: u64,
    /// What the bucket cap did to story keyword buckets.
    pub story_buckets: BucketStats,
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
    /// Exact verification of the candidates (sorting the shingle sets it reads included).
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
const BATCH_UNITS: usize = 4096;
const BATCH_BYTES: usize = 4 << 20;

/// What the workers produce for one record.
struct Fingerprinted {
    info: DocInfo,
    exact: u64,
    shingles: Vec<u64>,
    band_keys: Vec<u64>,
    samples: Vec<u64>,
    story: Option<TermCounts>,
    warnings: Vec<Problem>,
}

/// Per-thread scratch buffers, reused across documents.
#[derive(Default)]
struct Scratch {
    normalized: Normalized,
    lower: Vec<u8>,
    token_hashes: Vec<u64>,
    signature: Vec<u32>,
}

/// Reads `inputs` and finds their exact copies, near-duplicates and contained copies.
pub fn scan(
    inputs: Vec<Input>,
    params: &Params,
    opts: &ScanOptions,
    progress: &dyn Progress,
) -> Result<Scan, Error> {
    let started = Instant::now();
    let hasher = MinHasher::new(params.num_perm, params.seed);
    let mut state = Collector::new(params);
    progress.start(Stage::Read, None);
    progress.start(Stage::Fingerprint, None);

    std::thread::scope(|scope| -> Result<(), Error> {
        let (tx, rx) = sync_channel::<Vec<(u64, Unit)>>(2);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH_UNITS);
            let mut bytes = 0;
            for (n, unit) in Units::new(inputs).enumerate() {
                bytes += unit_size(&unit);
                batch.push((n as u64, unit));
                if batch.len() == BATCH_UNITS || bytes >= BATCH_BYTES {
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        return;
                    }
                    bytes = 0;
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        for batch in rx {
            progress.advance(Stage::Read, batch.len() as u64);
            let results: Vec<Result<Fingerprinted, Problem>> = batch
                .into_par_iter()
                .map_init(Scratch::default, |scratch, (n, unit)| {
                    fingerprint(n, unit, &opts.read, params, &hasher, scratch)
                })
                .collect();
            progress.advance(Stage::Fingerprint, results.len() as u64);
            for r in results {
                state.add(r, opts.strict)?;
            }
        }
        Ok(())
    })?;
    progress.finish(Stage::Read);
    progress.finish(Stage::Fingerprint);
    let mut clock = StageClock::start(started);
    clock.seconds.fingerprint = clock.lap();
    state.finish(params, progress, clock)
}

/// Sorts and deduplicates the shingle sets that verification will read (the documents in some
/// candidate pair) and frees the others: fingerprinting leaves sets unsorted, because most
/// documents are in no candidate pair and sorting every set was a tenth of the scan.
fn sort_candidate_sets(sets: &mut [Box<[u64]>], candidates: &[u64]) {
    let mut needed = vec![false; sets.len()];
    for &p in candidates {
        let (a, b) = unpack_pair(p);
        needed[a as usize] = true;
        needed[b as usize] = true;
    }
    sets.par_iter_mut()
        .zip(needed.par_iter())
        .for_each(|(set, &needed)| {
            let mut v = std::mem::take(set).into_vec();
            if needed {
                v.sort_unstable();
                v.dedup();
                *set = v.into_boxed_slice();
            }
        });
}

/// Leaves out story clusters made of one duplicate cluster only: those are copies, already
/// reported as such, not different reports of an event.
fn drop_copies(
    stories: Vec<StoryCluster>,
    duplicates: &[Cluster],
    docs: usize,
) -> Vec<StoryCluster> {
    let mut copy_of = vec![usize::MAX; docs];
    for (c, cluster) in duplicates.iter().enumerate() {
        for m in &cluster.members {
            copy_of[m.doc as usize] = c;
        }
    }
    stories
        .into_iter()
        .filter(|s| {
            let first = copy_of[s.members[0].doc as usize];
            first == usize::MAX || s.members.iter().any(|m| copy_of[m.doc as usize] != first)
        })
        .collect()
}

fn unit_size(unit: &Unit) -> usize {
    match unit {
        Unit::Json { bytes, .. } | Unit::File { bytes, .. } => bytes.len(),
        Unit::Row { fields, .. } => fields.iter().map(|(k, v)| k.len() + v.len()).sum(),
        Unit::Problem(_) => 0,
    }
}

fn fingerprint(
    unit_no: u64,
    unit: Unit,
    read: &ReadOptions,
    params: &Params,
    hasher: &MinHasher,
    scratch: &mut Scratch,
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
    // The duplicate scan needs only token hashes. An all-ASCII text gets them straight from
    // its bytes; the story stage and character shingles need the normalized text.
    let hashes = &mut scratch.token_hashes;
    let direct = params.stories.is_none()
        && matches!(params.shingle, ShingleSpec::Word(_))
        && record.text.is_ascii();
    if direct {
        ascii::token_hashes(&record.text, params.seed, &mut scratch.lower, hashes);
    } else {
        normalize(&record.text, &mut scratch.normalized);
        hash_tokens(&scratch.normalized, params.seed, hashes);
    }
    if hashes.is_empty() {
        return Err(Problem {
            location: record.location,
            reason: "no words to compare (the text holds only punctuation or symbols)".into(),
        });
    }
    let exact = sequence_key(hashes, params.seed);
    let mut shingles = Vec::new();
    match params.shingle {
        ShingleSpec::Word(k) => word_shingles(hashes, k, &mut shingles),
        ShingleSpec::Char(k) => {
            char_shingles(&scratch.normalized.text, k, params.seed, &mut shingles)
        }
    }
    scratch.signature.resize(params.num_perm, 0);
    hasher.sketch(&shingles, &mut scratch.signature);
    let mut keys = Vec::with_capacity(params.bands);
    band_keys(
        &scratch.signature,
        params.bands,
        params.rows,
        params.seed,
        &mut keys,
    );
    let mut samples = Vec::new();
    if params.containment.is_some() {
        sample_shingles(&shingles, params.seed, &mut samples);
        // The shingles are unsorted and may repeat; a sample is counted once.
        samples.sort_unstable();
        samples.dedup();
    }
    let story = params
        .stories
        .map(|_| count_terms(&record.text, &scratch.normalized, params.seed));

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
        info,
        exact,
        shingles,
        band_keys: keys,
        samples,
        story,
        warnings,
    })
}

/// The sequential half: merges fingerprints in read order.
struct Collector {
    docs: Vec<DocInfo>,
    sets: Vec<Box<[u64]>>,
    /// Id hash → documents with that id hash (collisions resolved by comparing strings).
    ids: HashMap<u64, Vec<DocId>>,
    /// Normalized-text hash → first document with it.
    exact_first: HashMap<u64, DocId>,
    exact_edges: Vec<Edge>,
    bands: Vec<Vec<(u64, DocId)>>,
    samples: Vec<(u64, DocId)>,
    sample_counts: Vec<u32>,
    story_counts: Vec<Vec<(u32, f32)>>,
    story_words: HashMap<u32, String>,
    skipped: Vec<Problem>,
    warnings: Vec<Problem>,
    bytes: u64,
}

impl Collector {
    fn new(params: &Params) -> Self {
        Self {
            docs: Vec::new(),
            sets: Vec::new(),
            ids: HashMap::new(),
            exact_first: HashMap::new(),
            exact_edges: Vec::new(),
            bands: vec![Vec::new(); params.bands],
            samples: Vec::new(),
            sample_counts: Vec::new(),
            story_counts: Vec::new(),
            story_words: HashMap::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            bytes: 0,
        }
    }

    fn add(&mut self, result: Result<Fingerprinted, Problem>, strict: bool) -> Result<(), Error> {
        let fp = match result {
            Ok(fp) => fp,
            Err(problem) => return self.skip(problem, strict),
        };
        let id_hash = xxh3_64_with_seed(fp.info.id.as_bytes(), 0);
        if let Some(first) = self
            .ids
            .get(&id_hash)
            .and_then(|ds| ds.iter().find(|&&d| self.docs[d as usize].id == fp.info.id))
        {
            let first = &self.docs[*first as usize];
            let problem = Problem {
                location: fp.info.location,
                reason: format!(
                    "duplicate id {:?} (first seen at {}); ids must be unique: fix the data or choose another field with --id-field",
                    fp.info.id, first.location
                ),
            };
            return self.skip(problem, strict);
        }
        let doc = self.docs.len() as DocId;
        self.ids.entry(id_hash).or_default().push(doc);
        self.warnings.extend(fp.warnings);
        self.bytes += fp.info.bytes;
        self.docs.push(fp.info);
        self.sample_counts.push(fp.samples.len() as u32);
        if let Some(TermCounts { counts, words }) = fp.story {
            self.story_counts.push(counts);
            for (id, word) in words {
                self.story_words.entry(id).or_insert(word);
            }
        }
        if let Some(&first) = self.exact_first.get(&fp.exact) {
            // An exact copy needs no candidate search; its shingles are not kept.
            let same = Similarity {
                jaccard: 1.0,
                a_in_b: 1.0,
                b_in_a: 1.0,
            };
            self.exact_edges.push(Edge {
                a: first,
                b: doc,
                kind: MatchKind::Exact,
                sim: same,
            });
            self.sets.push(Box::default());
            return Ok(());
        }
        self.exact_first.insert(fp.exact, doc);
        self.sets.push(fp.shingles.into_boxed_slice());
        for (band, key) in self.bands.iter_mut().zip(fp.band_keys) {
            band.push((key, doc));
        }
        self.samples
            .extend(fp.samples.into_iter().map(|s| (s, doc)));
        Ok(())
    }

    fn skip(&mut self, problem: Problem, strict: bool) -> Result<(), Error> {
        if strict {
            return Err(Error::Strict(problem));
        }
        self.skipped.push(problem);
        Ok(())
    }

    fn finish(
        mut self,
        params: &Params,
        progress: &dyn Progress,
        mut clock: StageClock,
    ) -> Result<Scan, Error> {
        let cap = params.max_bucket;
        let per_band: Vec<(Vec<u64>, BucketStats)> = std::mem::take(&mut self.bands)
            .into_par_iter()
            .map(|mut entries| {
                let mut pairs = Vec::new();
                let stats = bucket_pairs(&mut entries, cap, &mut pairs);
                (pairs, stats)
            })
            .collect();
        let mut lsh_buckets = BucketStats::default();
        let mut candidates = Vec::new();
        for (pairs, stats) in per_band {
            lsh_buckets.merge(stats);
            candidates.extend(pairs);
        }
        let mut sample_buckets = BucketStats::default();
        if let Some(containment) = params.containment {
            let (contained, stats) =
                containment_candidates(&mut self.samples, &self.sample_counts, containment, cap);
            sample_buckets = stats;
            candidates.extend(contained);
        }
        self.samples = Vec::new();
        candidates.par_sort_unstable();
        candidates.dedup();
        clock.seconds.candidates = clock.lap();

        progress.start(Stage::Verify, Some(candidates.len() as u64));
        let thresholds = Thresholds {
            jaccard: params.threshold,
            containment: params.containment,
        };
        let tick = |n: u64| progress.advance(Stage::Verify, n);
        sort_candidate_sets(&mut self.sets, &candidates);
        let mut edges = verify(&candidates, &self.sets, thresholds, &tick);
        progress.finish(Stage::Verify);
        let verified = edges.len() as u64;
        clock.seconds.verify = clock.lap();
        edges.extend(self.exact_edges.iter().copied());

        let jaccard_histogram = JaccardHistogram::of(&edges);
        let clusters = build_clusters(&self.docs, &edges, params.keep);
        clock.seconds.cluster = clock.lap();
        let story_graph = params.stories.map(|sp| {
            let dates: Vec<Option<i64>> = self.docs.iter().map(|d| d.date_key).collect();
            let words = std::mem::take(&mut self.story_words);
            let floor = (sp.threshold * 0.8) as f32;
            StoryGraph::build(
                &std::mem::take(&mut self.story_counts),
                words,
                &dates,
                &sp,
                floor,
            )
        });
        let stories = match (&story_graph, params.stories) {
            (Some(g), Some(sp)) => {
                drop_copies(g.clusters(sp.threshold), &clusters, self.docs.len())
            }
            _ => Vec::new(),
        };
        clock.seconds.stories = clock.lap();
        let mut stats = ScanStats {
            documents: self.docs.len() as u64,
            bytes: self.bytes,
            clusters: clusters.len() as u64,
            skipped: self.skipped.len() as u64,
            warnings: self.warnings.len() as u64,
            candidates: candidates.len() as u64,
            verified,
            lsh_buckets,
            sample_buckets,
            stories: stories.len() as u64,
            story_pairs: story_graph.as_ref().map_or(0, |g| g.edges() as u64),
            story_buckets: story_graph.as_ref().map(|g| g.buckets).unwrap_or_default(),
            jaccard_histogram,
            ..ScanStats::default()
        };
        for link in clusters
            .iter()
            .flat_map(|c| c.members.iter().filter_map(|m| m.link))
        {
            stats.duplicates += 1;
            match link.kind {
                MatchKind::Exact => stats.exact += 1,
                MatchKind::Near => stats.near += 1,
                MatchKind::Contained => stats.contained += 1,
            }
        }
        stats.seconds = clock.started.elapsed().as_secs_f64();
        stats.stage_seconds = clock.seconds;
        Ok(Scan {
            params: params.clone(),
            docs: self.docs,
            clusters,
            stories,
            story_graph,
            skipped: self.skipped,
            warnings: self.warnings,
            stats,
        })
    }
}
