//! The pair score: how likely two sentences state the same fact, from a small fitted model.
//!
//! Shared words alone miss "a temporary halt to hostilities" / "a 30-day pause in hostilities"
//! and pass two sentences that share their names but not their claim. So the score combines
//! cheap features of a pair, each in about [0, 1]:
//!
//! * the lexical score of [`super::align::lexical_parts`] (weighted shared terms and facts);
//! * soft alignment: every term's best cosine to a term of the other sentence, with the
//!   shipped word vectors ([`super::vectors`]), IDF-weighted, in both directions;
//! * the cosine of the two sentences' weighted mean vectors;
//! * agreement of names, numbers and dates, and whether numbers or dates disagree;
//! * how alike the two sentences are in weight (a short one inside a long one is less likely
//!   a paraphrase), and how long they are;
//! * surface overlap: Dice of terms, term pairs, character 4-grams, of the words themselves
//!   (function words included, which terms drop) and word pairs; word order; a negation on
//!   one side only.
//!
//! A logistic model over them and their pairwise products (weights in `pair_weights.rs`,
//! fitted on the MSRP training split only by `scripts/fit_pair_model.py`) gives the
//! probability that a person would call the pair the same statement: [`score`], the one
//! score `compare` pairs with. A second head over the same inputs, a regression fitted on
//! STS-B train grades, gives a graded similarity ([`graded_score`]) for `eval`. Scoring a pair
//! is a few microseconds: a few hundred dot products of 50 floats and a few merges.

use super::align::{fact_agreement, lexical_parts, shared_count, UnitTerms};
use super::extract::FactKind;
use super::vectors::DIM;

#[path = "pair_weights.rs"]
mod weights;

pub use weights::THRESHOLD as FITTED_THRESHOLD;

/// Names of the features, in the order of [`features`] (and of the weights).
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "lexical",
    "soft_mean",
    "soft_min",
    "soft_mean_strict",
    "soft_min_strict",
    "centroid",
    "facts_agree",
    "facts_stated",
    "weight_ratio",
    "value_mismatch",
    "dice",
    "overlap",
    "soft_uniform",
    "unmatched",
    "term_dice",
    "bigram_dice",
    "char_dice",
    "count_ratio",
    "length",
    "order",
    "uniform_min",
    "unmatched_share",
    "word_dice",
    "word_bigram_dice",
    "negation_mismatch",
];

/// Number of features.
pub const FEATURES: usize = 25;

/// Cosine at which a word counts as fully matched in the strict soft alignment; below
/// [`STRICT_FLOOR`] it does not count at all (GloVe puts most related news words at 0.4-0.6).
const STRICT_FULL: f32 = 0.9;
const STRICT_FLOOR: f32 = 0.45;

/// Dot product in eight lanes, which the compiler turns into SIMD (a plain float sum must
/// run in order and does not vectorize); this loop is most of the cost of a pair.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for ((lane, x), y) in lanes.iter_mut().zip(x).zip(y) {
            *lane += x * y;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// How well `a`'s terms find a counterpart in `b`.
struct Alignment {
    /// Weighted mean of each term's best match: 1 for the same term, else its best cosine to
    /// a term of `b` (clamped at 0).
    raw: f64,
    /// The same with the cosine rescaled between the floor and full.
    strict: f64,
    /// The strict match with every term counted alike (graders weigh words more evenly
    /// than IDF does).
    uniform: f64,
    /// Share of the weight whose best match is weaker than half.
    unmatched_share: f64,
    /// Share of the weight held by the heaviest term that finds no counterpart (a name or
    /// a verb one side adds).
    unmatched: f64,
}

/// Each term of `a` matched to its best counterpart in `b`.
fn soft_alignment(a: &UnitTerms, b: &UnitTerms) -> Alignment {
    let mut out = Alignment {
        raw: 0.0,
        strict: 0.0,
        uniform: 0.0,
        unmatched_share: 0.0,
        unmatched: 0.0,
    };
    if a.total <= 0.0 {
        return out;
    }
    for (i, (t, w)) in a.terms.iter().enumerate() {
        let (raw, strict) = if b.has_term(t) {
            (1.0, 1.0)
        } else if let Some(va) = a.vector(i) {
            let best = b
                .vectors
                .chunks_exact(DIM)
                .map(|vb| dot(va, vb))
                .fold(0.0f32, f32::max);
            (
                f64::from(best),
                f64::from(((best - STRICT_FLOOR) / (STRICT_FULL - STRICT_FLOOR)).clamp(0.0, 1.0)),
            )
        } else {
            (0.0, 0.0)
        };
        out.raw += w * raw;
        out.strict += w * strict;
        out.uniform += strict;
        out.unmatched = out.unmatched.max(w * (1.0 - strict));
        if strict < 0.5 {
            out.unmatched_share += w;
        }
    }
    out.unmatched_share /= a.total;
    out.raw /= a.total;
    out.strict /= a.total;
    out.uniform /= a.terms.len() as f64;
    out.unmatched /= a.total;
    out
}

/// Length of the longest common subsequence of two term sequences over the shorter one's
/// length: 1 when one sentence's terms appear in the other in the same order.
fn order_agreement(a: &[u64], b: &[u64]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0.0;
    }
    // One row of the dynamic programme, over the shorter sequence; on the stack for the
    // usual claim (this runs for every candidate pair).
    let mut stack = [0u32; 64];
    let mut heap = Vec::new();
    let row: &mut [u32] = if short.len() < stack.len() {
        &mut stack[..short.len() + 1]
    } else {
        heap.resize(short.len() + 1, 0);
        &mut heap
    };
    for y in long {
        let mut diagonal = 0;
        for (j, x) in short.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    f64::from(row[short.len()]) / short.len() as f64
}

/// Dice coefficient of two sorted distinct hash lists (0 when both are empty).
fn hashed_dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * shared_count(a, b) as f64 / (a.len() + b.len()) as f64
}

fn value_keys(u: &UnitTerms, kind: FactKind) -> Vec<&str> {
    u.facts
        .iter()
        .filter(|(f, _)| f.kind == kind)
        .map(|(f, _)| f.key.as_str())
        .collect()
}

/// Whether both sentences state numbers (or dates) and some value on one side has no equal
/// on the other.
fn value_mismatch(a: &UnitTerms, b: &UnitTerms) -> bool {
    [FactKind::Number, FactKind::Date].iter().any(|&kind| {
        let (ka, kb) = (value_keys(a, kind), value_keys(b, kind));
        !ka.is_empty()
            && !kb.is_empty()
            && (ka.iter().any(|k| !kb.contains(k)) || kb.iter().any(|k| !ka.contains(k)))
    })
}

/// The features of a pair, in the order of [`FEATURE_NAMES`].
pub fn features(a: &UnitTerms, b: &UnitTerms) -> [f64; FEATURES] {
    let (lexical, dice, overlap) = lexical_parts(a, b);
    let (ab, ba) = (soft_alignment(a, b), soft_alignment(b, a));
    let (ab_raw, ab_strict, ba_raw, ba_strict) = (ab.raw, ab.strict, ba.raw, ba.strict);
    let (na, nb) = (a.terms.len() as f64, b.terms.len() as f64);
    let shared_terms = a.terms.iter().filter(|(t, _)| b.has_term(t)).count() as f64;
    let centroid = if a.centroid.len() == DIM && b.centroid.len() == DIM {
        f64::from(dot(&a.centroid, &b.centroid).max(0.0))
    } else {
        0.0
    };
    let agreement = fact_agreement(&a.facts, &b.facts);
    let ratio = if a.total > 0.0 && b.total > 0.0 {
        a.total.min(b.total) / a.total.max(b.total)
    } else {
        0.0
    };
    [
        lexical,
        0.5 * (ab_raw + ba_raw),
        ab_raw.min(ba_raw),
        0.5 * (ab_strict + ba_strict),
        ab_strict.min(ba_strict),
        centroid,
        agreement.unwrap_or(0.0),
        f64::from(u8::from(agreement.is_some())),
        ratio,
        f64::from(u8::from(value_mismatch(a, b))),
        dice,
        overlap,
        0.5 * (ab.uniform + ba.uniform),
        ab.unmatched.max(ba.unmatched),
        2.0 * shared_terms / (na + nb).max(1.0),
        hashed_dice(&a.bigrams, &b.bigrams),
        hashed_dice(&a.char_grams, &b.char_grams),
        na.min(nb) / na.max(nb).max(1.0),
        // Terms per sentence on a log scale, about 1 for a 20-term sentence: how much a
        // given overlap means depends on it (a headline against a long report sentence).
        (1.0 + 0.5 * (na + nb)).ln() / 3.0,
        order_agreement(&a.sequence, &b.sequence),
        ab.uniform.min(ba.uniform),
        ab.unmatched_share.max(ba.unmatched_share),
        hashed_dice(&a.words, &b.words),
        hashed_dice(&a.word_bigrams, &b.word_bigrams),
        f64::from(u8::from(a.negations % 2 != b.negations % 2)),
    ]
}

/// Length of the model input: the features, then the products of every pair of them
/// (`i <= j`), so a fitted head can weigh a feature by another (shared words mean less in a
/// long sentence) and stay a single dot product.
pub const EXPANDED: usize = FEATURES + FEATURES * (FEATURES + 1) / 2;

/// `bias + weights . (features, their pairwise products)`.
fn quadratic(f: &[f64; FEATURES], bias: f64, weights: &[f64; EXPANDED]) -> f64 {
    let (linear, products) = weights.split_at(FEATURES);
    let mut z = bias + f.iter().zip(linear).map(|(x, w)| x * w).sum::<f64>();
    let mut k = 0;
    for (i, x) in f.iter().enumerate() {
        for y in &f[i..] {
            z += x * y * products[k];
            k += 1;
        }
    }
    z
}

/// The fitted probability that two sentences state the same fact, in [0, 1]: the paraphrase
/// head, fitted on MSRP train. This is the one score `compare` pairs claims with.
pub fn score(a: &UnitTerms, b: &UnitTerms) -> f64 {
    if a.total <= 0.0 || b.total <= 0.0 {
        return 0.0;
    }
    let z = quadratic(&features(a, b), weights::BIAS, &weights::WEIGHTS);
    1.0 / (1.0 + (-z).exp())
}

/// Graded similarity in [0, 1] (a 0-5 similarity grade / 5): the graded head, fitted as a
/// regression on STS-B train grades over the same features. `eval` correlates it with graded
/// labels; `compare` does not use it (a paraphrase decision and a degree of likeness are
/// different questions: "the man is cutting a tomato" / "a woman is slicing an onion" is
/// graded about 1.5 of 5 but is plainly no paraphrase).
///
/// Unlike [`score`] it grades a sentence without content terms too ("It is not." / "It is."):
/// the word features still see it, and the regression was fitted on such pairs.
pub fn graded_score(a: &UnitTerms, b: &UnitTerms) -> f64 {
    let z = quadratic(
        &features(a, b),
        weights::GRADED_BIAS,
        &weights::GRADED_WEIGHTS,
    );
    z.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{sentence_units, terms, Idf};

    fn idf(texts: &[&str]) -> Idf {
        let mut idf = Idf::default();
        texts.iter().for_each(|t| idf.add_document(&terms(t)));
        idf
    }

    /// A paraphrase in other words outscores a sentence that shares more words but not the
    /// claim; shared words alone (the lexical score) rank them the other way round.
    #[test]
    fn item3_meaning_beyond_shared_words() {
        let a = "Talks on a temporary halt to the hostilities began in Geneva.";
        let para = "Negotiations on a suspension of the hostilities started in Geneva.";
        let other = "The hostilities began again in Geneva after the banana harvest.";
        let idf = idf(&[a, para, other]);
        let (ua, up) = sentence_units(a, para, &idf);
        let (_, uo) = sentence_units(a, other, &idf);
        let (fp, fo) = (features(&ua, &up), features(&ua, &uo));
        assert!(
            fp[0] <= fo[0],
            "lexical: paraphrase {} other {}",
            fp[0],
            fo[0]
        );
        let (sp, so) = (score(&ua, &up), score(&ua, &uo));
        assert!(sp > so, "pair score: paraphrase {sp:.3} other {so:.3}");
        // The soft alignment sees what the shared words miss.
        assert!(fp[3] > fp[10], "{fp:?}");
    }

    #[test]
    fn scores_are_probabilities_and_symmetric_enough() {
        let a = "Envoy Steve Witkoff will meet Putin on Thursday in Moscow.";
        let b = "Putin and envoy Steve Witkoff meet in Moscow on Thursday.";
        let idf = idf(&[a, b]);
        let (ua, ub) = sentence_units(a, b, &idf);
        let (ab, ba) = (score(&ua, &ub), score(&ub, &ua));
        assert!((0.0..=1.0).contains(&ab));
        assert!((ab - ba).abs() < 0.05, "{ab} {ba}");
        assert!(ab >= FITTED_THRESHOLD, "{ab}");
        assert_eq!(score(&ua, &UnitTerms::default()), 0.0);
    }
}
