//! Overlapping stories: documents that report the same events in different words.
//!
//! Near-duplicate detection finds copies; two reports of one event share names, places and
//! numbers but few 5-word runs. While the scan fingerprints a document it counts its content
//! terms ([`terms`]). Afterwards each *unit* (a document with its exact and near copies) gets
//! a TF-IDF vector ([`vector`]); pairs that share keywords are measured ([`candidates`]) and
//! clustered by group average ([`average`]), with an optional date window because reports of
//! one event cluster in time. Nothing compares all pairs, and the work per unit is bounded.

pub mod average;
pub mod candidates;
pub mod language;
pub mod terms;
pub mod threshold;
pub mod token_memory;
pub mod vector;

use rayon::prelude::*;
use serde::Serialize;

pub use average::{average_link, average_link_by_component};
pub use candidates::{candidate_edges, StoryEdge};
pub use terms::{
    count_terms, count_terms_into, term_id, Term, TermCache, TermCounts, TermKind, TermRun, WordMap,
};
pub use threshold::SimilarityProfile;
pub use vector::{StoryVectors, TermTable};

use crate::doc::DocId;
use crate::ids::IdMap;
use crate::lsh::BucketStats;

/// Knobs of the story stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StoryParams {
    /// Mean cosine similarity two clusters must keep to merge; `None`: chosen from the
    /// corpus ([`threshold::choose_threshold`]).
    pub threshold: Option<f64>,
    /// Keywords per document used to find candidates.
    pub keywords: usize,
    /// Largest keyword bucket compared all-pairs (larger ones: a window of this many).
    pub max_bucket: usize,
    /// Documents whose dates differ by more than this many seconds are never one story
    /// (undated documents are compared with everything).
    pub within_seconds: Option<i64>,
}

/// The date window with `--date-field` and no `--within`: two weeks. Reports of one event
/// come within days of it, and its follow-ups (arrests, funerals, a first hearing) within about
/// two weeks; another incident of the same kind months later is another story. A story that
/// runs longer still links through its reports in between only if each pair is in the window,
/// so `--within` can widen it.
pub const DEFAULT_WITHIN_SECONDS: i64 = 14 * 86_400;

impl Default for StoryParams {
    fn default() -> Self {
        Self {
            threshold: None,
            keywords: 10,
            max_bucket: 100,
            within_seconds: None,
        }
    }
}

/// Whether document `d` stands for a story unit: the first of its exact and near copies
/// (`unit_of[d]`, see [`StoryGraph::build`]), with terms to compare.
pub fn is_unit(table: &TermTable, unit_of: &[DocId], d: DocId) -> bool {
    unit_of[d as usize] == d && !table.ids(d as usize).is_empty()
}

/// Most terms of each kind a story shows as its evidence.
pub const EVIDENCE_TERMS: usize = 8;

/// A member of a story cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryMember {
    /// The document.
    pub doc: DocId,
    /// Mean cosine similarity to the other members (an exact or near copy of another
    /// document has that document's).
    pub similarity: f64,
}

/// Documents reporting the same events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryCluster {
    /// Members in read order.
    pub members: Vec<StoryMember>,
    /// The terms most of the members share, heaviest first: the evidence.
    pub terms: Vec<String>,
    /// Of the shared terms, the names (people, places, organisations), heaviest first.
    pub names: Vec<String>,
    /// Of the shared terms, the figures ("12 killed", "$3m"), heaviest first.
    pub figures: Vec<String>,
    /// Of the shared terms, the dates ("march 5", "2019"), heaviest first.
    pub dates: Vec<String>,
}

/// The story graph of a corpus: unit vectors and measured candidate pairs, ready to cluster
/// at any threshold down to the floor it was built with.
///
/// A *unit* is a document with its exact and near copies: copies say the same thing, so they
/// count once, for the document frequencies as for the work. 200,000 copies of one line cost
/// what one line costs.
#[derive(Debug, Clone, Default)]
pub struct StoryGraph {
    vectors: StoryVectors,
    /// The document that stands for each unit (its first).
    reps: Vec<DocId>,
    /// `(unit, document)` for the other documents of each unit, sorted.
    copies: Vec<(u32, DocId)>,
    edges: Vec<StoryEdge>,
    words: WordMap,
    /// What the bucket cap did to keyword buckets.
    pub buckets: BucketStats,
    /// Document length and nearest-partner similarities, for choosing the threshold.
    pub profile: SimilarityProfile,
    /// The threshold the scan clusters at: the explicit one, else the one chosen from
    /// [`Self::profile`].
    pub threshold: f64,
}

impl StoryGraph {
    /// Builds the graph from every document's term counts. `unit_of[d]` is the first document
    /// of `d`'s exact and near copies (`d` itself when it has none); `dates[d]` is seconds since
    /// 1970, when known; `words` names term ids for evidence. Candidate pairs below `floor` are
    /// not kept (the scan keeps them down to the threshold, or to [`threshold::AUTO_FLOOR`]
    /// when it is chosen from the corpus: the choice reads their similarities). `tick(n)` is
    /// called as units are compared (once per unit in all).
    pub fn build(
        table: TermTable,
        unit_of: &[DocId],
        words: WordMap,
        dates: &[Option<i64>],
        params: &StoryParams,
        floor: f32,
        tick: &(dyn Fn(u64) + Sync),
    ) -> Self {
        let reps: Vec<DocId> = (0..table.len() as DocId)
            .filter(|&d| is_unit(&table, unit_of, d))
            .collect();
        let mut unit_index = vec![u32::MAX; table.len()];
        for (u, &d) in reps.iter().enumerate() {
            unit_index[d as usize] = u as u32;
        }
        let mut copies: Vec<(u32, DocId)> = (0..table.len() as DocId)
            .filter(|&d| unit_of[d as usize] != d)
            .filter_map(|d| {
                let u = unit_index[unit_of[d as usize] as usize];
                (u != u32::MAX).then_some((u, d))
            })
            .collect();
        copies.sort_unstable();
        drop(unit_index);
        let vectors = StoryVectors::weigh(&table, &reps);
        let lengths: Vec<u16> = reps.iter().map(|&d| table.length(d as usize)).collect();
        // The vectors hold what the clustering needs: the table is as large again.
        drop(table);
        let within = params.within_seconds;
        let compatible = |a: u32, b: u32| {
            let date = |u: u32| dates[reps[u as usize] as usize];
            match (within, date(a), date(b)) {
                (Some(w), Some(x), Some(y)) => (x - y).abs() <= w,
                _ => true,
            }
        };
        let (edges, buckets) = candidate_edges(
            &vectors,
            params.keywords,
            params.max_bucket,
            floor,
            &compatible,
            tick,
        );
        let profile = SimilarityProfile::measure(&vectors, &lengths, &edges);
        let threshold = params
            .threshold
            .unwrap_or_else(|| threshold::choose_threshold(&profile));
        Self {
            vectors,
            reps,
            copies,
            edges,
            words,
            buckets,
            profile,
            threshold,
        }
    }

    /// Candidate pairs measured.
    pub fn edges(&self) -> usize {
        self.edges.len()
    }

    /// Drops the candidate pairs below `threshold`: clustering at it never reads them.
    pub fn keep_from(&mut self, threshold: f64) {
        self.edges.retain(|e| f64::from(e.similarity) >= threshold);
        self.edges.shrink_to_fit();
    }

    /// Story units (documents with their exact and near copies).
    pub fn units(&self) -> usize {
        self.reps.len()
    }

    /// Story clusters at `threshold`, sorted by first member. Reorders the candidate pairs
    /// (the clustering sorts them by component in place).
    pub fn clusters(&mut self, threshold: f64) -> Vec<StoryCluster> {
        self.clusters_ticking(threshold, &|_| {})
    }

    /// [`clusters`](Self::clusters), calling `tick(n)` as units are clustered (once per unit
    /// in all).
    pub fn clusters_ticking(
        &mut self,
        threshold: f64,
        tick: &(dyn Fn(u64) + Sync),
    ) -> Vec<StoryCluster> {
        let groups = average_link_by_component(&self.vectors, &mut self.edges, threshold, tick);
        let mut clusters: Vec<StoryCluster> =
            groups.par_iter().map(|units| self.cluster(units)).collect();
        clusters.sort_by_key(|c| c.members[0].doc);
        clusters
    }

    /// The story cluster of `units`: every document of them, with each unit's mean cosine to
    /// the other units, `v · (S − v) / (n − 1)` for the units' sum `S`. The sum is in f64, so
    /// `S − v` is the others' sum exactly and two members get exactly the same similarity.
    fn cluster(&self, units: &[u32]) -> StoryCluster {
        let mut all: Vec<(u32, f64)> = units
            .iter()
            .flat_map(|&u| self.vectors.get(u as usize).iter())
            .map(|&(t, w)| (t, f64::from(w)))
            .collect();
        all.sort_by_key(|x| x.0);
        let sum: Vec<(u32, f64)> = all
            .chunk_by(|x, y| x.0 == y.0)
            .map(|run| (run[0].0, run.iter().map(|x| x.1).sum()))
            .collect();
        let mut members = Vec::new();
        for &u in units {
            let v = self.vectors.get(u as usize);
            let others: f64 = v
                .iter()
                .map(|&(t, w)| {
                    let w = f64::from(w);
                    let at = sum.partition_point(|x| x.0 < t);
                    w * (sum.get(at).map_or(w, |x| x.1) - w)
                })
                .sum();
            let similarity = others / (units.len() - 1) as f64;
            members.push(StoryMember {
                doc: self.reps[u as usize],
                similarity,
            });
            let from = self.copies.partition_point(|c| c.0 < u);
            members.extend(
                self.copies[from..]
                    .iter()
                    .take_while(|c| c.0 == u)
                    .map(|&(_, doc)| StoryMember { doc, similarity }),
            );
        }
        members.sort_by_key(|m| m.doc);
        let shared = self.shared_terms(units);
        let of_kind = |kind: TermKind| -> Vec<String> {
            let words = shared.iter().filter(|(_, k)| *k == kind);
            words.map(|(w, _)| w.clone()).take(EVIDENCE_TERMS).collect()
        };
        StoryCluster {
            members,
            names: of_kind(TermKind::Name),
            figures: of_kind(TermKind::Figure),
            dates: of_kind(TermKind::Date),
            terms: shared
                .iter()
                .map(|(w, _)| w.clone())
                .take(EVIDENCE_TERMS)
                .collect(),
        }
    }

    /// The terms that at least half of the units contain, with their kinds, heaviest first
    /// (those with a surface word to show).
    fn shared_terms(&self, units: &[u32]) -> Vec<(String, TermKind)> {
        let mut weight: IdMap<u32, (f32, usize)> = IdMap::default();
        for &u in units {
            for &(t, w) in self.vectors.get(u as usize) {
                let e = weight.entry(t).or_default();
                e.0 += w;
                e.1 += 1;
            }
        }
        let mut terms: Vec<(u32, f32)> = weight
            .into_iter()
            .filter(|(_, (_, k))| 2 * k >= units.len())
            .map(|(t, (w, _))| (t, w))
            .collect();
        terms.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        terms
            .into_iter()
            .filter_map(|(t, _)| {
                let (word, kind) = self.words.get(self.vectors.term_id(t))?;
                Some((word.to_owned(), kind))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(texts: &[&str], params: &StoryParams, dates: &[Option<i64>]) -> StoryGraph {
        let fp = crate::fingerprint::Fingerprinter::new(&crate::config::Params::default());
        let mut scratch = crate::fingerprint::FingerprintScratch::default();
        let mut cache = TermCache::default();
        let mut words = WordMap::default();
        let mut table = TermTable::default();
        for t in texts {
            fp.fingerprint(t, &mut scratch).unwrap();
            let c = count_terms(t, &scratch, &mut cache, 1);
            for (id, w, kind) in &c.words {
                words.insert_first_kind(*id, w, *kind);
            }
            let length = c.counts.len() as u16;
            table.push_document(&c.counts, length, c.language);
        }
        let units: Vec<DocId> = (0..texts.len() as DocId).collect();
        StoryGraph::build(table, &units, words, dates, params, 0.05, &|_| {})
    }

    const TEXTS: &[&str] = &[
        "Putin visits Kursk as Russian troops push back Ukrainian forces near Sudzha.",
        "In Kursk, Putin tells Ukrainian troops near Sudzha to surrender as Russian forces advance.",
        "Witkoff meets Putin in Moscow on the Kursk ceasefire; Ukrainian troops hold near Sudzha.",
        "The harbour strike at Eastbridge enters its third day as dock workers demand night pay.",
        "Dock workers at Eastbridge harbour extend the strike over night-shift pay.",
        "Eastbridge harbour strike: dock workers and port owners meet over pay.",
    ];

    #[test]
    fn groups_reports_of_the_same_events() {
        let mut g = graph(TEXTS, &StoryParams::default(), &[None; 12]);
        let clusters = g.clusters(0.2);
        let docs: Vec<Vec<DocId>> = clusters
            .iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect();
        assert_eq!(docs, [vec![0, 1, 2], vec![3, 4, 5]]);
        assert!(
            clusters[0].terms.iter().any(|t| t == "kursk"),
            "{:?}",
            clusters[0].terms
        );
        assert!(
            clusters[1].terms.iter().any(|t| t == "eastbridge"),
            "{:?}",
            clusters[1].terms
        );
    }

    #[test]
    fn copies_are_one_unit_and_every_copy_is_a_member() {
        // Documents 6-9 are copies of 0 (the scan says so through `unit_of`; exact copies
        // come without terms of their own).
        let mut texts = TEXTS.to_vec();
        texts.extend([TEXTS[0]; 4]);
        let fp = crate::fingerprint::Fingerprinter::new(&crate::config::Params::default());
        let mut scratch = crate::fingerprint::FingerprintScratch::default();
        let mut table = TermTable::default();
        for (d, t) in texts.iter().enumerate() {
            fp.fingerprint(t, &mut scratch).unwrap();
            let c = count_terms(t, &scratch, &mut TermCache::default(), 1);
            table.push(if d < 6 || d == 9 { &c.counts } else { &[] });
        }
        let mut unit_of: Vec<DocId> = (0..10).collect();
        unit_of[6..].fill(0);
        let params = StoryParams::default();
        let mut g = StoryGraph::build(
            table,
            &unit_of,
            WordMap::default(),
            &[None; 10],
            &params,
            0.05,
            &|_| {},
        );
        assert_eq!(g.units(), 6);
        let docs: Vec<Vec<DocId>> = g
            .clusters(0.1)
            .iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect();
        assert_eq!(docs, [vec![0, 1, 2, 6, 7, 8, 9], vec![3, 4, 5]]);
        // The copies did not make Kursk's words common: the clusters are those of the six.
        let alone = graph(TEXTS, &params, &[None; 6]).clusters(0.1);
        assert_eq!(alone[1].members, g.clusters(0.1)[1].members);
    }

    #[test]
    fn a_date_window_keeps_distant_reports_apart() {
        let day = 86_400;
        let params = StoryParams {
            within_seconds: Some(3 * day),
            ..StoryParams::default()
        };
        let dates = [
            Some(0),
            Some(day),
            Some(2 * day),
            Some(0),
            Some(30 * day),
            Some(60 * day),
        ];
        let clusters = graph(TEXTS, &params, &dates).clusters(0.2);
        let docs: Vec<Vec<DocId>> = clusters
            .iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect();
        assert_eq!(docs, [vec![0, 1, 2]]);
    }
}

#[cfg(test)]
mod item2_tests {
    use super::*;

    pub(super) fn counts(text: &str) -> TermCounts {
        let fp = crate::fingerprint::Fingerprinter::new(&crate::config::Params::default());
        let mut scratch = crate::fingerprint::FingerprintScratch::default();
        fp.fingerprint(text, &mut scratch).unwrap();
        count_terms(text, &scratch, &mut TermCache::default(), 1)
    }

    pub(super) fn graph(texts: &[&str], dates: &[Option<i64>], params: &StoryParams) -> StoryGraph {
        let mut words = WordMap::default();
        let mut table = TermTable::default();
        for t in texts {
            let c = counts(t);
            for (id, w, kind) in &c.words {
                words.insert_first_kind(*id, w, *kind);
            }
            let length = c.counts.len() as u16;
            table.push_document(&c.counts, length, c.language);
        }
        let units: Vec<DocId> = (0..texts.len() as DocId).collect();
        StoryGraph::build(table, &units, words, dates, params, 0.04, &|_| {})
    }

    pub(super) fn groups(g: &mut StoryGraph, threshold: f64) -> Vec<Vec<DocId>> {
        g.clusters(threshold)
            .iter()
            .map(|c| c.members.iter().map(|m| m.doc).collect())
            .collect()
    }

    /// Two shootings, two reports each, told in the same words but for who, where, how many
    /// and when; two unrelated stories give the corpus its background.
    const INCIDENTS: &[&str] = &[
        "A gunman opened fire at a supermarket, police said. The suspect was arrested at the \
         scene and taken to the county jail. Officer Dana Whitlock said 4 people died in Maple \
         Falls on March 3.",
        "A gunman opened fire at a supermarket, police said. The suspect was arrested at the \
         scene and taken to the county jail. In Maple Falls 4 people died on March 3, Officer \
         Dana Whitlock said.",
        "A gunman opened fire at a supermarket, police said. The suspect was arrested at the \
         scene and taken to the county jail. Sheriff Omar Castell said 7 people died in Cedar \
         Grove on June 19.",
        "A gunman opened fire at a supermarket, police said. The suspect was arrested at the \
         scene and taken to the county jail. In Cedar Grove 7 people died on June 19, Sheriff \
         Omar Castell said.",
        "The city council approved a new budget for parks and libraries on Tuesday evening.",
        "Farmers expect a late harvest after weeks of rain delayed the planting season.",
        "The museum reopened its east wing with a show of early photographs.",
        "Bond yields fell as investors weighed the central bank's next move.",
        "A new ferry route will link the two islands from next spring.",
        "The school board voted to extend the lunch break by ten minutes.",
        "Heavy snow closed the mountain pass for a second day.",
        "The orchestra announced a season of works by living composers.",
    ];

    #[test]
    fn item2_two_incidents_of_the_same_kind_stay_apart_and_each_joins() {
        let mut g = graph(INCIDENTS, &[None; 12], &StoryParams::default());
        // The shared account of a shooting no longer outweighs the names, places, counts and
        // dates that tell the two apart (before: cosine 0.24, one story at 0.2).
        assert_eq!(groups(&mut g, 0.2), [vec![0, 1], vec![2, 3]]);
        let chosen = g.threshold;
        assert_eq!(groups(&mut g, chosen), [vec![0, 1], vec![2, 3]]);
        let cosine = |a: usize, b: usize| vector::dot(g.vectors.get(a), g.vectors.get(b));
        let (same, cross) = (cosine(0, 1), cosine(0, 2));
        assert!(
            same > 0.9 && cross < 0.2,
            "same incident {same}, other incident {cross}"
        );
    }

    #[test]
    fn item3_a_story_lists_the_names_figures_and_dates_its_members_share() {
        let mut g = graph(INCIDENTS, &[None; 12], &StoryParams::default());
        let stories = g.clusters(g.threshold);
        let maple = &stories[0];
        for name in ["dana", "whitlock", "maple"] {
            assert!(maple.names.iter().any(|n| n == name), "{name}: {maple:?}");
        }
        assert!(maple.dates.iter().any(|d| d == "march 3"), "{maple:?}");
        assert!(maple.figures.iter().any(|f| f == "4 people"), "{maple:?}");
        assert!(maple.names.iter().all(|n| !n.contains("castell")));
        assert!(
            stories[1].dates.iter().any(|d| d == "june 19"),
            "{:?}",
            stories[1]
        );
    }

    #[test]
    fn item2_numbers_with_their_unit_and_dates_are_terms() {
        let text = "Officials said 12 killed in the blast on 5 March 2019; by March 6, $3m raised.";
        let c = counts(text);
        let words: Vec<&str> = c.words.iter().map(|(_, w, _)| &**w).collect();
        for term in ["12 killed", "5 march", "2019", "march 6", "3m raised"] {
            assert!(words.contains(&term), "{term} missing from {words:?}");
        }
        // A number alone says nothing of which event: it is a term only with what it counts.
        for number in ["12", "3m"] {
            assert!(!words.contains(&number), "{number} in {words:?}");
        }
    }

    #[test]
    fn item2_threshold_is_chosen_from_the_corpus_and_an_explicit_one_wins() {
        let g = graph(INCIDENTS, &[None; 12], &StoryParams::default());
        assert_eq!(g.threshold, threshold::choose_threshold(&g.profile));
        let given = StoryParams {
            threshold: Some(0.4),
            ..StoryParams::default()
        };
        assert_eq!(graph(INCIDENTS, &[None; 12], &given).threshold, 0.4);
    }
}
