//! The sequential half of the scan: fingerprints merged in read order, then candidates,
//! verification and clusters.

use std::collections::hash_map::Entry;

use rayon::prelude::*;

use super::fingerprint::{Fingerprinted, Run};
use super::sets::{SetRef, SetStore};
use super::term_spill::TermSpill;
use super::{Progress, Scan, ScanStats, Stage, StageClock};
use crate::cluster::{build_clusters, Cluster};
use crate::config::Params;
use crate::doc::{DocId, DocInfo};
use crate::error::{Error, Problem};
use crate::ids::IdMap;
use crate::lsh::{band_bucket, band_entry, bucket_pairs, sort_parallel, BucketStats};
use crate::sketch::hash_sort::HashSortScratch;
use crate::sketch::sample::{containment_candidates, sample_entry, sample_part, SAMPLE_PARTS};
use crate::story::{StoryCluster, StoryGraph, WordMap};
use crate::verify::{verify, Edge, JaccardHistogram, MatchKind, Similarity, Thresholds};

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

/// For each document, the first document of its exact and near copies: the story stage's
/// units. Contained documents stay units of their own (a longer article around a wire story
/// may report more than the wire story).
fn copy_units(docs: usize, edges: &[Edge]) -> Vec<DocId> {
    let mut uf = crate::cluster::UnionFind::new(docs);
    for e in edges
        .iter()
        .filter(|e| matches!(e.kind, MatchKind::Exact | MatchKind::Near))
    {
        uf.union(e.a, e.b);
    }
    let mut first = vec![DocId::MAX; docs];
    for d in 0..docs as DocId {
        let root = uf.find(d) as usize;
        if first[root] == DocId::MAX {
            first[root] = d;
        }
    }
    (0..docs as DocId)
        .map(|d| first[uf.find(d) as usize])
        .collect()
}

/// The pairs of documents that share a bucket in some band. `buckets` holds `bands` buckets per
/// document of `docs`.
fn band_candidates(
    buckets: &[u32],
    docs: &[DocId],
    bands: usize,
    cap: usize,
) -> (Vec<u64>, BucketStats) {
    // A thread reuses its entry list and sort buffers from band to band: fresh memory costs
    // the kernel a page fault per 4 KiB.
    let per_band: Vec<(Vec<u64>, BucketStats)> = (0..bands)
        .into_par_iter()
        .with_min_len(bands.div_ceil(2 * rayon::current_num_threads()))
        .map_init(
            || (Vec::with_capacity(docs.len()), HashSortScratch::default()),
            |(entries, scratch), band| {
                entries.clear();
                entries.extend(
                    docs.iter()
                        .enumerate()
                        .map(|(i, &doc)| band_entry(buckets[i * bands + band], doc)),
                );
                let mut pairs = Vec::new();
                let stats = bucket_pairs(entries, cap, &mut pairs, scratch);
                (pairs, stats)
            },
        )
        .collect();
    let mut stats = BucketStats::default();
    let mut candidates = Vec::new();
    for (pairs, band_stats) in per_band {
        stats.merge(band_stats);
        candidates.extend(pairs);
    }
    (candidates, stats)
}

/// One document's story terms, as its run holds them.
struct StoryTerms<'a> {
    terms: &'a [crate::story::Term],
    /// Its distinct terms before the heaviest were kept.
    length: u16,
    language: crate::story::language::LanguageKey,
    /// `(term id, end in text, kind)` of its evidence words, the first starting at
    /// `word_start`.
    words: &'a [(u32, u32, crate::story::TermKind)],
    text: &'a str,
    word_start: usize,
}

/// How many documents and sampled shingles to reserve room for.
struct Capacities {
    docs: usize,
    samples: usize,
}

impl Capacities {
    /// Generous estimates for news-like text: a document per 1,000 bytes of input (the bench
    /// corpus has one per 1,400) and a sampled shingle per 40 bytes (it has one per 53). Capped
    /// so that a huge input never asks for more address space than the machine may grant at
    /// once; beyond the cap the lists grow as usual.
    fn for_input(bytes: u64, bands: usize) -> Self {
        const MAX_ENTRIES: u64 = 1 << 26;
        let docs = (bytes / 1000).min(MAX_ENTRIES / bands.max(1) as u64) as usize;
        let samples = (bytes / 40).min(MAX_ENTRIES) as usize;
        Self { docs, samples }
    }
}

/// The sequential half: merges fingerprints in read order.
pub(super) struct Collector {
    docs: Vec<DocInfo>,
    /// Where each document's shingle set is in the store.
    set_refs: Vec<SetRef>,
    /// Id hash → the first document with that id hash.
    ids: IdMap<u64, DocId>,
    /// Documents whose id hash was taken by a different id (a 64-bit collision: in practice
    /// never, but then ids are compared as strings).
    ids_collided: Vec<DocId>,
    /// Normalized-text hash → first document with it.
    exact_first: IdMap<u64, DocId>,
    exact_edges: Vec<Edge>,
    /// The band buckets ([`band_bucket`]) of every document that is not an exact copy, `bands`
    /// per document, and the documents they belong to: one copy per document here, split by
    /// band at the end.
    band_buckets: Vec<u32>,
    band_docs: Vec<DocId>,
    bands: usize,
    /// Sampled shingles and their documents as [`sample_entry`] values, in [`SAMPLE_PARTS`]
    /// parts ([`sample_part`]).
    samples: Vec<Vec<u64>>,
    sample_counts: Vec<u32>,
    /// Every document's story terms (none for an exact copy: its first has them), in a
    /// temporary file until the story stage.
    story_terms: TermSpill,
    /// The first surface word seen for each evidence term.
    story_words: WordMap,
    skipped: Vec<Problem>,
    warnings: Vec<Problem>,
    bytes: u64,
}

impl Collector {
    /// A collector for inputs of about `input_bytes` bytes (0 when unknown).
    ///
    /// The per-document lists and maps are reserved from that size up front. Growing them by
    /// doubling would copy each one several times into fresh memory (a map rehashes every
    /// entry), and the abandoned copies add up to as much memory again as the lists; reserved
    /// capacity that is never filled is never touched, so the operating system does not back
    /// it with memory (a map touches one control byte per slot).
    pub(super) fn new(params: &Params, input_bytes: u64) -> Self {
        let hint = Capacities::for_input(input_bytes, params.bands);
        Self {
            docs: Vec::with_capacity(hint.docs),
            set_refs: Vec::with_capacity(hint.docs),
            ids: IdMap::with_capacity_and_hasher(hint.docs, Default::default()),
            ids_collided: Vec::new(),
            exact_first: IdMap::with_capacity_and_hasher(hint.docs, Default::default()),
            exact_edges: Vec::new(),
            band_buckets: Vec::with_capacity(hint.docs * params.bands),
            band_docs: Vec::with_capacity(hint.docs),
            bands: params.bands,
            samples: match params.containment {
                // A part gets its share of the estimate, and some room for chance.
                Some(_) => (0..SAMPLE_PARTS)
                    .map(|_| Vec::with_capacity(hint.samples / SAMPLE_PARTS * 9 / 8))
                    .collect(),
                None => Vec::new(),
            },
            sample_counts: Vec::with_capacity(hint.docs),
            story_terms: TermSpill::new(),
            story_words: WordMap::default(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            bytes: 0,
        }
    }

    /// Merges a run's results in order.
    pub(super) fn add_run(&mut self, run: Run, strict: bool) -> Result<(), Error> {
        let (mut keys, mut samples) = (&run.band_keys[..], &run.samples[..]);
        let (mut terms, mut words) = (&run.terms.terms[..], &run.terms.words[..]);
        let mut word_start = 0;
        let mut lengths = run.terms.distinct.iter();
        let mut languages = run.terms.languages.iter();
        for result in run.results {
            match result {
                Ok(fp) => {
                    let (doc_keys, rest) = keys.split_at(self.bands);
                    keys = rest;
                    let (doc_samples, rest) = samples.split_at(fp.samples as usize);
                    samples = rest;
                    let (term_count, word_count) = fp.story.unwrap_or_default();
                    let (doc_terms, rest) = terms.split_at(term_count as usize);
                    terms = rest;
                    let (doc_words, rest) = words.split_at(word_count as usize);
                    words = rest;
                    let story = fp.story.map(|_| StoryTerms {
                        length: lengths.next().copied().unwrap_or_default(),
                        language: languages.next().copied().unwrap_or_default(),
                        terms: doc_terms,
                        words: doc_words,
                        text: &run.terms.text,
                        word_start,
                    });
                    word_start = doc_words.last().map_or(word_start, |w| w.1 as usize);
                    self.add(fp, doc_keys, doc_samples, story, strict)?;
                }
                Err(problem) => self.skip(problem, strict)?,
            }
        }
        Ok(())
    }

    fn add(
        &mut self,
        fp: Fingerprinted,
        band_keys: &[i64],
        samples: &[u64],
        story: Option<StoryTerms<'_>>,
        strict: bool,
    ) -> Result<(), Error> {
        if let Some(first) = self.first_with_id(fp.id_hash, &fp.info.id) {
            let first = &self.docs[first as usize];
            let problem = Problem {
                location: fp.info.location,
                reason: format!(
                    "duplicate id {:?} (first seen at {}); ids must be unique: fix the data or choose another field with --id-field",
                    fp.info.id, first.location
                ),
            };
            return self.skip(problem, strict);
        }
        let set = fp.set;
        let doc = self.docs.len() as DocId;
        match self.ids.entry(fp.id_hash) {
            Entry::Vacant(slot) => {
                slot.insert(doc);
            }
            Entry::Occupied(_) => self.ids_collided.push(doc),
        }
        self.set_refs.push(set);
        self.warnings.extend(fp.warnings);
        self.bytes += fp.info.bytes;
        self.docs.push(fp.info);
        self.sample_counts.push(fp.samples);
        let exact_copy = self.exact_first.get(&fp.exact).copied();
        if let Some(story) = story {
            // An exact copy's terms are its first's: it is never a story unit of its own.
            if exact_copy.is_none() {
                self.story_terms
                    .push(story.terms, story.length, story.language)?;
                let mut start = story.word_start;
                for &(id, end, kind) in story.words {
                    let word = &story.text[start..end as usize];
                    start = end as usize;
                    self.story_words.insert_first_kind(id, word, kind);
                }
            } else {
                self.story_terms
                    .push(&[], 0, crate::story::language::LanguageKey::default())?;
            }
        }
        if let Some(first) = exact_copy {
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
            return Ok(());
        }
        self.exact_first.insert(fp.exact, doc);
        self.band_buckets
            .extend(band_keys.iter().map(|&key| band_bucket(key)));
        self.band_docs.push(doc);
        if !self.samples.is_empty() {
            for &s in samples {
                self.samples[sample_part(s)].push(sample_entry(s, doc));
            }
        }
        Ok(())
    }

    /// The document already read with this id, if any.
    fn first_with_id(&self, hash: u64, id: &str) -> Option<DocId> {
        let first = *self.ids.get(&hash)?;
        if self.docs[first as usize].id == id {
            return Some(first);
        }
        self.ids_collided
            .iter()
            .copied()
            .find(|&d| self.docs[d as usize].id == id)
    }

    fn skip(&mut self, problem: Problem, strict: bool) -> Result<(), Error> {
        if strict {
            return Err(Error::Strict(problem));
        }
        self.skipped.push(problem);
        Ok(())
    }

    pub(super) fn finish(
        mut self,
        params: &Params,
        progress: &dyn Progress,
        mut clock: StageClock,
        store: SetStore,
    ) -> Result<Scan, Error> {
        let cap = params.max_bucket;
        // Band buckets and shared-sample buckets are independent: each has sequential
        // stretches (walking the sorted buckets), which the other fills on a 2-core machine.
        let (buckets, docs, bands) = (&self.band_buckets, &self.band_docs, self.bands);
        let (samples, sample_counts) = (&mut self.samples, &self.sample_counts);
        let ((per_band, lsh_buckets), (contained, sample_buckets)) = rayon::join(
            || band_candidates(buckets, docs, bands, cap),
            || match params.containment {
                Some(containment) => {
                    containment_candidates(samples, sample_counts, containment, cap)
                }
                None => (Vec::new(), BucketStats::default()),
            },
        );
        self.band_buckets = Vec::new();
        self.band_docs = Vec::new();
        let mut candidates = per_band;
        candidates.extend(contained);
        self.samples = Vec::new();
        sort_parallel(&mut candidates);
        candidates.dedup();
        clock.seconds.candidates = clock.lap();

        progress.start(Stage::Verify, Some(candidates.len() as u64));
        let thresholds = Thresholds {
            jaccard: params.threshold,
            containment: params.containment,
        };
        let tick = |n: u64| progress.advance(Stage::Verify, n);
        let mut edges = Vec::new();
        store.visit_pairs(&self.set_refs, &candidates, |pairs, sets| {
            edges.extend(verify(pairs, |d| sets.get(d), thresholds, &tick));
        })?;
        // The pairs came in groups by where their sets are stored.
        edges.sort_unstable_by_key(|e| (e.a, e.b));
        progress.finish(Stage::Verify);
        let verified = edges.len() as u64;
        clock.seconds.verify = clock.lap();
        edges.extend(self.exact_edges.iter().copied());

        let jaccard_histogram = JaccardHistogram::of(&edges);
        let clusters = build_clusters(&self.docs, &edges, params.keep);
        clock.seconds.cluster = clock.lap();
        // The shingle sets are done with: the story stage's memory takes their place.
        self.set_refs = Vec::new();
        let tick = |n: u64| progress.advance(Stage::Stories, n);
        let mut story_graph = match params.stories {
            Some(sp) => {
                let dates: Vec<Option<i64>> = self.docs.iter().map(|d| d.date_key).collect();
                let words = std::mem::take(&mut self.story_words);
                let units = copy_units(self.docs.len(), &edges);
                let terms = std::mem::replace(&mut self.story_terms, TermSpill::new());
                let terms = terms.into_table()?;
                let unit_count = (0..terms.len() as DocId)
                    .filter(|&d| crate::story::is_unit(&terms, &units, d))
                    .count() as u64;
                // Each unit is compared with its candidates, then clustered.
                progress.start(Stage::Stories, Some(2 * unit_count));
                // A chosen threshold reads the similarities of pairs well below it.
                let floor = sp
                    .threshold
                    .map_or(crate::story::threshold::AUTO_FLOOR, |t| t as f32);
                Some(StoryGraph::build(
                    terms, &units, words, &dates, &sp, floor, &tick,
                ))
            }
            None => None,
        };
        let stories = match &mut story_graph {
            Some(g) => {
                g.keep_from(g.threshold);
                let found = g.clusters_ticking(g.threshold, &tick);
                progress.finish(Stage::Stories);
                drop_copies(found, &clusters, self.docs.len())
            }
            None => Vec::new(),
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
            story_units: story_graph.as_ref().map_or(0, |g| g.units() as u64),
            story_pairs: story_graph.as_ref().map_or(0, |g| g.edges() as u64),
            story_buckets: story_graph.as_ref().map(|g| g.buckets).unwrap_or_default(),
            story_threshold: story_graph.as_ref().map(|g| g.threshold),
            jaccard_histogram,
            ..ScanStats::default()
        };
        for link in clusters
            .iter()
            .flat_map(|c| c.members.iter().filter(|m| !m.kept).filter_map(|m| m.link))
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
            read_log: None,
        })
    }
}
