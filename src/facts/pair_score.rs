//! The pair score: how likely two sentences state the same fact, from a small fitted model.
//!
//! Shared words alone miss "a temporary halt to hostilities" / "a 30-day pause in hostilities"
//! and pass two sentences that share their names but not their claim. So the score combines
//! cheap features of a pair, each in about [0, 1]:
//!
//! * the lexical score of [`super::align::lexical_score`] (weighted shared terms and facts);
//! * soft alignment: every term's best cosine to a term of the other sentence, with the
//!   shipped word vectors ([`super::vectors`]), IDF-weighted, in both directions;
//! * the cosine of the two sentences' weighted mean vectors;
//! * agreement of names, numbers and dates, and whether numbers or dates disagree;
//! * how alike the two sentences are in weight (a short one inside a long one is less likely
//!   a paraphrase).
//!
//! A logistic model over them (weights in `pair_weights.rs`, fitted on the MSRP training
//! split only by `scripts/fit_pair_model.py`) gives the probability that a person would call
//! the pair the same statement. Scoring a pair is a few microseconds: a few hundred dot
//! products of 50 floats.

use super::align::{fact_agreement, lexical_parts, UnitTerms};
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
];

/// Number of features.
pub const FEATURES: usize = 12;

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

/// Weighted mean over `a`'s terms of each term's best match in `b`: 1 for the same term,
/// else its best cosine to a term of `b` (raw, clamped at 0; and strict, rescaled between
/// the floor and full).
fn soft_alignment(a: &UnitTerms, b: &UnitTerms) -> (f64, f64) {
    if a.total <= 0.0 {
        return (0.0, 0.0);
    }
    let (mut raw, mut strict) = (0.0, 0.0);
    for (i, (t, w)) in a.terms.iter().enumerate() {
        if b.has_term(t) {
            raw += w;
            strict += w;
            continue;
        }
        let Some(va) = a.vector(i) else { continue };
        let best = b
            .vectors
            .chunks_exact(DIM)
            .map(|vb| dot(va, vb))
            .fold(0.0f32, f32::max);
        raw += w * f64::from(best);
        strict +=
            w * f64::from(((best - STRICT_FLOOR) / (STRICT_FULL - STRICT_FLOOR)).clamp(0.0, 1.0));
    }
    (raw / a.total, strict / a.total)
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
    let (ab_raw, ab_strict) = soft_alignment(a, b);
    let (ba_raw, ba_strict) = soft_alignment(b, a);
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
    ]
}

/// The fitted probability that two sentences state the same fact, in [0, 1].
pub fn score(a: &UnitTerms, b: &UnitTerms) -> f64 {
    if a.total <= 0.0 || b.total <= 0.0 {
        return 0.0;
    }
    let f = features(a, b);
    let z: f64 = weights::BIAS
        + f.iter()
            .zip(weights::WEIGHTS.iter())
            .map(|(x, w)| x * w)
            .sum::<f64>();
    1.0 / (1.0 + (-z).exp())
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
