//! The story threshold chosen from the corpus itself.
//!
//! One fixed cosine threshold cannot serve both full articles and short snippets: a story of
//! many short snippets, each close to a few of the others, keeps a low mean cosine, and ten
//! full reports of one incident a high one, where the loosely related pairs are other incidents
//! of the same kind that a low cut would join.
//!
//! So the stage measures where the corpus' own similarities lie and places the cut relative to
//! them: see [`choose_threshold`]. The statistics are cheap by-products of the candidate
//! search ([`SimilarityProfile`]), and the rule is a pure function of them, so it can be
//! refitted (`benches/story_quality.py`) when the vectors change.

use serde::Serialize;

use super::candidates::StoryEdge;
use super::vector::StoryVectors;

/// Histogram bins over the similarity range [0, 1].
pub const BINS: usize = 100;

/// What the threshold rule looks at: the similarities of the candidate pairs (and, for the
/// record, document length and how close each document's nearest candidate is).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SimilarityProfile {
    /// Documents with at least one weighted term.
    pub documents: u64,
    /// Median number of distinct content terms per document (before the heaviest were kept).
    pub median_terms: f64,
    /// For each document with a candidate partner, the cosine of its closest one, counted in
    /// [`BINS`] equal bins over [0, 1].
    pub nearest: Vec<u64>,
    /// The cosines of all candidate pairs, counted in [`BINS`] equal bins over [0, 1].
    pub edges: Vec<u64>,
}

impl SimilarityProfile {
    /// The profile of a story graph's vectors and candidate edges.
    /// `lengths[u]` is unit `u`'s number of distinct terms before its heaviest were kept.
    pub fn measure(vectors: &StoryVectors, lengths: &[u16], edges: &[StoryEdge]) -> Self {
        let mut terms: Vec<usize> = lengths.iter().map(|&n| usize::from(n)).collect();
        terms.sort_unstable();
        let median_terms = match terms.len() {
            0 => 0.0,
            n if n % 2 == 1 => terms[n / 2] as f64,
            n => (terms[n / 2 - 1] + terms[n / 2]) as f64 / 2.0,
        };
        let mut best = vec![0.0f32; vectors.len()];
        for e in edges {
            for d in [e.a, e.b] {
                let b = &mut best[d as usize];
                *b = b.max(e.similarity);
            }
        }
        let mut nearest = vec![0u64; BINS];
        for &b in best.iter().filter(|&&b| b > 0.0) {
            nearest[bin(b)] += 1;
        }
        let mut histogram = vec![0u64; BINS];
        for e in edges {
            histogram[bin(e.similarity)] += 1;
        }
        Self {
            documents: terms.len() as u64,
            median_terms,
            nearest,
            edges: histogram,
        }
    }
}

fn bin(similarity: f32) -> usize {
    ((similarity.clamp(0.0, 1.0) * BINS as f32) as usize).min(BINS - 1)
}

/// Candidate pairs at or above this cosine are *related*: below it a shared keyword is
/// mostly chance.
pub const RELATED_SIMILARITY: f64 = 0.1;
/// Candidate pairs at or above this cosine are *close*: two reports of one event, or of two
/// events of the same kind.
pub const CLOSE_SIMILARITY: f64 = 0.3;
/// How fast the threshold rises with the close share ([`SimilarityProfile::close_share`]).
/// Fitted with [`LOOSE_SHARE`] on the dev halves (ECB+ topics 1-35, GoogleNews-TS odd
/// clusters, and their shortened variants) by `benches/story_quality.py --fit`; refit both
/// when the vectors or the candidate search change.
pub const SLOPE: f64 = 1.1;
/// The close share at and below which the stories are loose and the threshold is the lowest.
pub const LOOSE_SHARE: f64 = 0.495;
/// Lowest threshold chosen: below it, stories of short texts chain through single words.
pub const MIN_THRESHOLD: f64 = 0.05;
/// Highest threshold chosen: past it only near-copies would group.
pub const MAX_THRESHOLD: f64 = 0.3;

impl SimilarityProfile {
    /// Of the candidate pairs that are related (cosine at least [`RELATED_SIMILARITY`]), the
    /// share that are close (at least [`CLOSE_SIMILARITY`]); `None` without related pairs.
    pub fn close_share(&self) -> Option<f64> {
        let related = self.related_pairs();
        (related > 0).then(|| self.pairs_from(CLOSE_SIMILARITY) as f64 / related as f64)
    }

    /// Candidate pairs at cosine [`RELATED_SIMILARITY`] or more.
    pub fn related_pairs(&self) -> u64 {
        self.pairs_from(RELATED_SIMILARITY)
    }

    fn pairs_from(&self, similarity: f64) -> u64 {
        let at = (similarity * BINS as f64).round() as usize;
        self.edges.iter().skip(at).sum()
    }
}

/// The story threshold for a corpus: `SLOPE × (close share − LOOSE_SHARE)`, within
/// [[`length_floor`], `MAX_THRESHOLD`]; the highest without related pairs.
///
/// Why the close share, and not length: group-average linkage merges two groups while the mean
/// cosine over all their cross pairs holds, so the cut belongs where the *shape* of the
/// corpus' similarities puts it. Where most related pairs are only loosely related (a wire
/// story picked up by 80 outlets, each snippet close to a handful of the others and sharing a
/// word or two with the rest), a story's mean is low and a high cut breaks it into pieces.
/// Where most related pairs are close (full reports of one incident share names, places and
/// figures), the loosely related ones are reports of *another* incident of the same kind, and
/// the cut must rise to keep them out. Measured on the dev halves: ECB+ (close share 0.71) is
/// best cut near 0.23, and stays near it when its articles are cut to their first 3 or 6
/// sentences (28 and 54 terms, as short as snippets, share 0.65 and 0.69), so length is not
/// what decides; GoogleNews-TS (share 0.52) is best cut near 0.06, its titles and snippets
/// alone (0.46, 0.48) at 0.05. The rule reads shares of one histogram, not counts, so it does
/// not depend on the corpus size or on how many partners the candidate search keeps.
///
/// The scan builds its graph down to [`AUTO_FLOOR`] (below [`RELATED_SIMILARITY`]) for the
/// choice.
pub fn choose_threshold(profile: &SimilarityProfile) -> f64 {
    let Some(share) = profile.close_share() else {
        return MAX_THRESHOLD;
    };
    let rule =
        (SLOPE * (share - LOOSE_SHARE)).clamp(length_floor(profile.median_terms), MAX_THRESHOLD);
    // A handful of pairs says little about a shape: a small corpus leans to the highest cut,
    // as if it had PRIOR_PAIRS more pairs that asked for it.
    let pairs = profile.related_pairs() as f64;
    (pairs * rule + PRIOR_PAIRS * MAX_THRESHOLD) / (pairs + PRIOR_PAIRS)
}

/// Documents with at most this many terms (median) may be cut as low as [`MIN_THRESHOLD`].
pub const SHORT_TERMS: f64 = 30.0;
/// Documents with at least this many terms (median) are never cut below [`LONG_FLOOR`].
pub const LONG_TERMS: f64 = 60.0;
/// The lowest cut for full articles.
pub const LONG_FLOOR: f64 = 0.2;

/// The lowest threshold for documents of `median_terms` terms: [`MIN_THRESHOLD`] for snippets,
/// rising linearly to [`LONG_FLOOR`] for articles.
///
/// A safety rail, not the rule: a corpus of articles on the same few subjects (the bench
/// corpus: Reuters and newsgroup posts) has mostly loose related pairs too, like a corpus of
/// snippets of big stories, but there the loose pairs are *topics*, spread over many shared
/// common words; cut at 0.05 it groups 39,316 of its 40,423 documents into topics (largest
/// 2,044, all quarterly earnings). A snippet has too few terms to share more than a couple
/// with its story-mates, so only short texts may be cut that low.
pub fn length_floor(median_terms: f64) -> f64 {
    let t = ((median_terms - SHORT_TERMS) / (LONG_TERMS - SHORT_TERMS)).clamp(0.0, 1.0);
    MIN_THRESHOLD + t * (LONG_FLOOR - MIN_THRESHOLD)
}

/// How many related pairs the threshold rule trusts as much as its prior, the highest cut:
/// a few dozen pairs (a tiny corpus, where a single shared figure decides) lean high; the
/// thousands of a real corpus do not notice it.
pub const PRIOR_PAIRS: f64 = 20.0;

/// The lowest similarity the story graph keeps when the threshold is chosen from the data.
pub const AUTO_FLOOR: f32 = (0.8 * MIN_THRESHOLD) as f32;

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile whose related pairs are `close` close ones and `loose` loose ones.
    fn profile(close: u64, loose: u64) -> SimilarityProfile {
        let mut edges = vec![0; BINS];
        edges[15] = loose; // cosine 0.15: related, not close
        edges[45] = close; // cosine 0.45: close
        edges[2] = 1_000; // chance pairs below RELATED_SIMILARITY count for nothing
        SimilarityProfile {
            documents: 100,
            median_terms: 20.0,
            nearest: vec![0; BINS],
            edges,
        }
    }

    #[test]
    fn item2_threshold_rises_with_the_share_of_close_pairs() {
        // Loose stories (snippets of one big story): the lowest cut, once there are enough
        // pairs to tell.
        assert!(choose_threshold(&profile(40_000, 60_000)) < MIN_THRESHOLD + 0.001);
        assert!(
            choose_threshold(&profile(4, 6)) > 0.2,
            "ten pairs say little"
        );
        // Tight stories (full reports of incidents): a high cut, as on ECB+.
        let tight = choose_threshold(&profile(70, 30));
        let rule = SLOPE * (0.7 - LOOSE_SHARE);
        let expected = (100.0 * rule + PRIOR_PAIRS * MAX_THRESHOLD) / (100.0 + PRIOR_PAIRS);
        assert!((tight - expected).abs() < 1e-9, "{tight}");
        assert!(tight > 0.2 && tight < MAX_THRESHOLD, "{tight}");
        // The shape counts: ten times the pairs, about the same threshold.
        assert!((choose_threshold(&profile(700, 300)) - rule).abs() < 0.01);
        // Nothing related: only close copies group.
        assert_eq!(choose_threshold(&profile(0, 0)), MAX_THRESHOLD);
        assert_eq!(choose_threshold(&profile(100, 0)), MAX_THRESHOLD);
    }

    #[test]
    fn item2_long_articles_are_never_cut_as_low_as_snippets() {
        let loose = profile(40_000, 60_000);
        let articles = SimilarityProfile {
            median_terms: 120.0,
            ..loose.clone()
        };
        assert!(choose_threshold(&loose) < MIN_THRESHOLD + 0.001);
        assert!((choose_threshold(&articles) - LONG_FLOOR).abs() < 0.001);
        assert_eq!(length_floor(SHORT_TERMS), MIN_THRESHOLD);
        assert!(length_floor(45.0) > MIN_THRESHOLD && length_floor(45.0) < LONG_FLOOR);
        // Tight articles keep the rule's own, higher cut.
        let tight = SimilarityProfile {
            median_terms: 120.0,
            ..profile(80_000, 20_000)
        };
        assert!(choose_threshold(&tight) > LONG_FLOOR + 0.05);
    }

    #[test]
    fn item2_profile_counts_pairs_and_nearest_partners() {
        let vectors = StoryVectors::unit(&[&[(1, 1.0)], &[(1, 1.0)], &[(2, 1.0)]]);
        let edge = |a, b, similarity| StoryEdge { a, b, similarity };
        let p =
            SimilarityProfile::measure(&vectors, &[1, 1, 1], &[edge(0, 1, 0.9), edge(0, 2, 0.2)]);
        assert_eq!(p.documents, 3);
        assert_eq!(p.edges.iter().sum::<u64>(), 2);
        assert_eq!(p.nearest[90], 2, "0 and 1 are each other's nearest");
        assert_eq!(p.nearest[20], 1);
        assert_eq!(p.close_share(), Some(0.5));
    }
}
