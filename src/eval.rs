//! Scoring predicted clusters against labels: pairwise precision / recall / F1, B-cubed
//! precision / recall / F1, and the adjusted Rand index.
//!
//! Every metric is computed from the contingency table of (predicted cluster, true label)
//! counts, so the cost is linear in the number of documents. Documents that no predicted
//! cluster holds count as singletons, as they are for a user; documents without a label are
//! left out of every metric.
//!
//! For the facts level, [`binary`], [`pearson`] and [`spearman`] score the pair score of
//! `compare` against labelled sentence pairs (paraphrase or not; graded similarity), and
//! [`pair_idf`] gives the term weights those pairs are scored with.

use std::collections::BTreeMap;

use serde::Serialize;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    /// From precision and recall.
    pub fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            precision,
            recall,
            f1,
        }
    }
}

/// All scores of one clustering.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Labeled documents scored.
    pub documents: usize,
    /// Predicted clusters of two or more labeled documents.
    pub clusters: usize,
    /// Over pairs of documents: a pair is predicted when both share a cluster.
    pub pairwise: Prf,
    /// Per document, averaged: how pure and how complete its cluster is.
    pub bcubed: Prf,
    /// Adjusted Rand index (1 = identical partitions, about 0 = chance).
    pub ari: f64,
}

fn pairs(n: u64) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores `predicted[d]` (a cluster id, or `None` for a singleton) against `labels[d]`
/// (`None`: unlabeled, left out).
pub fn score(predicted: &[Option<usize>], labels: &[Option<String>]) -> Scores {
    // Singletons get fresh ids past every real cluster id.
    let fresh = predicted.iter().flatten().max().map_or(0, |m| m + 1);
    // Ordered maps, so sums run in one order and the output is the same on every run.
    let mut cells: BTreeMap<(usize, &str), u64> = BTreeMap::new();
    let mut cluster_size: BTreeMap<usize, u64> = BTreeMap::new();
    let mut label_size: BTreeMap<&str, u64> = BTreeMap::new();
    let mut n = 0u64;
    for (d, (p, l)) in predicted.iter().zip(labels).enumerate() {
        let Some(label) = l.as_deref() else { continue };
        let cluster = p.unwrap_or(fresh + d);
        *cells.entry((cluster, label)).or_default() += 1;
        *cluster_size.entry(cluster).or_default() += 1;
        *label_size.entry(label).or_default() += 1;
        n += 1;
    }
    let same_both: f64 = cells.values().map(|&c| pairs(c)).sum();
    let same_cluster: f64 = cluster_size.values().map(|&c| pairs(c)).sum();
    let same_label: f64 = label_size.values().map(|&c| pairs(c)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let pairwise = Prf::new(ratio(same_both, same_cluster), ratio(same_both, same_label));

    // B-cubed: a document in cell (c, l) has precision |cell| / |c| and recall |cell| / |l|.
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(c, l), &k) in &cells {
        let k = k as f64;
        bp += k * k / cluster_size[&c] as f64;
        br += k * k / label_size[l] as f64;
    }
    let total = n.max(1) as f64;
    let bcubed = Prf::new(bp / total, br / total);

    let expected = same_cluster * same_label / pairs(n).max(1.0);
    let max_index = (same_cluster + same_label) / 2.0;
    let ari = if (max_index - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (same_both - expected) / (max_index - expected)
    };
    Scores {
        documents: n as usize,
        clusters: cluster_size.values().filter(|&&c| c >= 2).count(),
        pairwise,
        bcubed,
        ari,
    }
}

/// Scores predictions on labeled pairs only: `pairs` holds `(a, b, same)`, and a pair is
/// predicted when both documents share a cluster.
pub fn score_pairs(predicted: &[Option<usize>], pairs: &[(usize, usize, bool)]) -> Prf {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for &(a, b, same) in pairs {
        let together = matches!((predicted[a], predicted[b]), (Some(x), Some(y)) if x == y);
        match (together, same) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            (false, false) => {}
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    Prf::new(ratio(tp, tp + fp), ratio(tp, tp + fn_))
}

/// Accuracy and precision / recall / F1 of a yes/no decision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Binary {
    /// Pairs scored.
    pub pairs: usize,
    /// Share of pairs decided as labelled.
    pub accuracy: f64,
    /// Of the positive class.
    #[serde(flatten)]
    pub positive: Prf,
}

/// Scores `(score, gold)` pairs, a pair being predicted positive at `score >= threshold`.
pub fn binary(scored: &[(f64, bool)], threshold: f64) -> Binary {
    let (mut tp, mut fp, mut fn_, mut tn) = (0.0, 0.0, 0.0, 0.0);
    for &(s, gold) in scored {
        match (s >= threshold, gold) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            (false, false) => tn += 1.0,
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    Binary {
        pairs: scored.len(),
        accuracy: ratio(tp + tn, tp + tn + fp + fn_),
        positive: Prf::new(ratio(tp, tp + fp), ratio(tp, tp + fn_)),
    }
}

/// Pearson correlation of two equally long series (0 when either is constant or empty).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n == 0 {
        return 0.0;
    }
    let mean = |v: &[f64]| v[..n].iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x[..n].iter().zip(&y[..n]) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Ranks from 1, ties sharing their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman rank correlation (Pearson of the ranks, ties averaged).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// Term weights for scoring a set of labelled sentence pairs: every sentence counts as one
/// document (no labels are read).
pub fn pair_idf<'a>(texts: impl IntoIterator<Item = &'a str>) -> crate::facts::Idf {
    let mut idf = crate::facts::Idf::default();
    for t in texts {
        idf.add_document(&crate::facts::terms(t));
    }
    idf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ls: &[&str]) -> Vec<Option<String>> {
        ls.iter().map(|l| Some((*l).to_owned())).collect()
    }

    #[test]
    fn a_perfect_clustering_scores_one() {
        let s = score(
            &[Some(0), Some(0), Some(1), Some(1), None],
            &labels(&["a", "a", "b", "b", "c"]),
        );
        assert_eq!(
            s.pairwise,
            Prf {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0
            }
        );
        assert_eq!(s.bcubed.f1, 1.0);
        assert!((s.ari - 1.0).abs() < 1e-12);
        assert_eq!(s.clusters, 2);
    }

    #[test]
    fn known_values() {
        // Gold {0,1,2} {3,4}; predicted {0,1} {2,3,4}.
        let s = score(
            &[Some(0), Some(0), Some(1), Some(1), Some(1)],
            &labels(&["a", "a", "a", "b", "b"]),
        );
        // Pairs: predicted {01, 23, 24, 34}, gold {01, 02, 12, 34}: TP = {01, 34}.
        assert_eq!(s.pairwise.precision, 0.5);
        assert_eq!(s.pairwise.recall, 0.5);
        // B-cubed precision: (1 + 1 + 1/3 + 2/3 + 2/3) / 5; recall: (2/3 + 2/3 + 1/3 + 1 + 1) / 5.
        assert!((s.bcubed.precision - (11.0 / 3.0) / 5.0).abs() < 1e-12);
        assert!((s.bcubed.recall - (11.0 / 3.0) / 5.0).abs() < 1e-12);
        // ARI by the formula: index 2, expected 4*4/10 = 1.6, max 4: (2 - 1.6) / (4 - 1.6).
        assert!((s.ari - 0.4 / 2.4).abs() < 1e-12);
    }

    #[test]
    fn unlabeled_documents_are_left_out() {
        let mut l = labels(&["a", "a"]);
        l.push(None);
        let s = score(&[Some(0), Some(0), Some(0)], &l);
        assert_eq!(s.documents, 2);
        assert_eq!(s.pairwise.precision, 1.0);
    }

    #[test]
    fn labeled_pairs() {
        let p = score_pairs(
            &[Some(0), Some(0), None],
            &[(0, 1, true), (1, 2, true), (0, 2, false)],
        );
        assert_eq!(p.precision, 1.0);
        assert_eq!(p.recall, 0.5);
    }

    #[test]
    fn item6_binary_and_correlations_known_values() {
        let b = binary(&[(0.9, true), (0.2, true), (0.7, false), (0.1, false)], 0.5);
        assert_eq!(b.accuracy, 0.5);
        assert_eq!(b.positive.precision, 0.5);
        assert_eq!(b.positive.recall, 0.5);
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&x, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&x, &[8.0, 6.0, 4.0, 2.0]) + 1.0).abs() < 1e-12);
        // Monotone but not linear: Spearman 1, Pearson below.
        let y = [1.0, 10.0, 100.0, 1000.0];
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        assert!(pearson(&x, &y) < 0.9);
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), [2.5, 1.0, 2.5]);
        assert_eq!(pearson(&x, &[1.0; 4]), 0.0);
    }

    /// Writes the pair features of MSRP and STS-B (`target/pair_features.tsv`) for
    /// `scripts/fit_pair_model.py`: `cargo test --release --lib -- --ignored dump_pair_features`.
    /// Each split (and STS-B genre) is weighted with the IDF of its own sentences, as
    /// `overlap eval --level facts` does.
    #[test]
    #[ignore]
    fn dump_pair_features() {
        use crate::facts::{pair_features, sentence_units, PAIR_FEATURE_NAMES};
        use std::collections::BTreeMap;
        use std::fmt::Write as _;
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/evaldata/");
        let mut out = format!(
            "set\tsplit\tgenre\tgold\t{}\n",
            PAIR_FEATURE_NAMES.join("\t")
        );
        fn texts(r: &serde_json::Value) -> [&str; 2] {
            [r["text1"].as_str().unwrap(), r["text2"].as_str().unwrap()]
        }
        for (set, gold_key) in [("msrp", "label"), ("stsb", "score")] {
            let text = std::fs::read_to_string(format!("{shared}{set}/pairs.jsonl")).unwrap();
            let mut groups: BTreeMap<(String, String), Vec<serde_json::Value>> = BTreeMap::new();
            for line in text.lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let key = (
                    v["split"].as_str().unwrap().to_owned(),
                    v["genre"].as_str().unwrap_or("-").to_owned(),
                );
                groups.entry(key).or_default().push(v);
            }
            for ((split, genre), rows) in &groups {
                let idf = pair_idf(rows.iter().flat_map(texts));
                for r in rows {
                    let [a, b] = texts(r);
                    let (ua, ub) = sentence_units(a, b, &idf);
                    let f = pair_features(&ua, &ub);
                    let _ = write!(out, "{set}\t{split}\t{genre}\t{}", r[gold_key]);
                    for x in f {
                        let _ = write!(out, "\t{x:.6}");
                    }
                    out.push('\n');
                }
                // Unrelated pairs (each first sentence with the second sentence of the pair
                // half the split away): the labelled pairs are all about one story, and a
                // diff also has to turn down sentences that are not.
                if set == "msrp" {
                    for (i, r) in rows.iter().enumerate() {
                        let other = &rows[(i + rows.len() / 2) % rows.len()];
                        let (ua, ub) = sentence_units(texts(r)[0], texts(other)[1], &idf);
                        let _ = write!(out, "msrp-unrelated\t{split}\t{genre}\t0");
                        for x in pair_features(&ua, &ub) {
                            let _ = write!(out, "\t{x:.6}");
                        }
                        out.push('\n');
                    }
                }
            }
        }
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/target/pair_features.tsv"),
            out,
        )
        .unwrap();
    }
}
