//! Quality on real labeled data nobody here wrote: the Clough & Stevenson corpus of short
//! answers copied (cut), lightly or heavily revised from, or written independently of a
//! Wikipedia source. Read from ../shared/evaldata at test time: without it the tests fail,
//! unless `OVERLAP_SKIP_SHARED=1` skips them visibly (see `util::needs`).

use std::collections::HashMap;

use overlap::shingle::Shingler;
use overlap::text::{normalize, Normalized};
use overlap::verify::similarity;
use overlap::ShingleSpec;
use serde_json::Value;

use crate::util::{needs, run};

/// The corpus, within the shared data.
const DOCS: &str = "evaldata/clough_stevenson_reuse/docs.jsonl";

/// (id, task, category, text) of every document, or None when the data is not here and
/// `test` is to be skipped (see `util::needs`).
fn load(test: &str) -> Option<Vec<(String, String, String, String)>> {
    let path = needs::shared_file(test, DOCS)?;
    let text = std::fs::read_to_string(&path).expect("read the Clough-Stevenson corpus");
    Some(
        text.lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let s = |k: &str| v[k].as_str().unwrap().to_owned();
                (s("id"), s("task"), s("category"), s("text"))
            })
            .collect(),
    )
}

fn shingles(text: &str) -> Vec<u64> {
    let mut n = Normalized::default();
    normalize(text, &mut n);
    let mut out = Vec::new();
    Shingler::default().shingles(&n, ShingleSpec::Word(5), 1, &mut out);
    out
}

#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn containment_ranks_reuse_levels_in_order() {
    let Some(docs) = load("containment_ranks_reuse_levels_in_order") else {
        return;
    };
    let sources: HashMap<&str, Vec<u64>> = docs
        .iter()
        .filter(|d| d.2 == "orig")
        .map(|d| (d.1.as_str(), shingles(&d.3)))
        .collect();
    let mut by_level: HashMap<&str, Vec<f64>> = HashMap::new();
    for (_, task, category, text) in docs.iter().filter(|d| d.2 != "orig") {
        let sim = similarity(&shingles(text), &sources[task.as_str()]);
        by_level
            .entry(category.as_str())
            .or_default()
            .push(sim.a_in_b);
    }
    let mean = |level: &str| {
        let v = &by_level[level];
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (cut, light, heavy, non) = (mean("cut"), mean("light"), mean("heavy"), mean("non"));
    assert!(
        cut > light && light > heavy && heavy > non,
        "cut {cut:.3} light {light:.3} heavy {heavy:.3} non {non:.3}"
    );
    assert!(
        non < 0.05,
        "independent answers share almost no 5-word runs with the source: {non:.3}"
    );
}

#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn scan_never_clusters_independent_answers_and_finds_most_copies() {
    let Some(docs) = load("scan_never_clusters_independent_answers_and_finds_most_copies") else {
        return;
    };
    let label: HashMap<&str, (&str, &str)> = docs
        .iter()
        .map(|d| (d.0.as_str(), (d.1.as_str(), d.2.as_str())))
        .collect();
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.args(["scan", "--format", "json", "--quiet"])
        .arg(needs::shared_dir().join(DOCS));
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut cut_found = 0;
    for c in v["clusters"].as_array().unwrap() {
        let members: Vec<(&str, &str)> = c["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| label[m["id"].as_str().unwrap()])
            .collect();
        let task = members[0].0;
        assert!(
            members.iter().all(|(t, _)| *t == task),
            "one task per cluster: {members:?}"
        );
        assert!(
            members.iter().all(|(_, cat)| *cat != "non"),
            "an independent answer was clustered: {members:?}"
        );
        assert!(
            members.iter().any(|(_, cat)| *cat == "orig"),
            "each cluster holds its source: {members:?}"
        );
        cut_found += members.iter().filter(|(_, cat)| *cat == "cut").count();
    }
    // 19 answers are labeled cut, but students edited many of them enough to fall below the
    // 0.8 containment default (the mean containment of a cut answer is about 0.75), so the
    // floor is what the defaults reach today (8 of 19), not all of them. One of the eight,
    // g4pC_taska, matches only orig_taska, which is removed for the light revision read first:
    // it is kept, and listed beside orig_taska as a kept member.
    assert!(cut_found >= 8, "found {cut_found} of 19 cut answers");
}

/// `overlap eval --level facts FILE EXTRA... -f json` on a file of the shared data, parsed.
fn eval_facts(test: &str, rel: &str, extra: &[&str]) -> Option<Value> {
    let path = needs::shared_file(test, rel)?;
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.args(["eval", "--level", "facts", "-f", "json"])
        .arg(path)
        .args(extra);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    Some(serde_json::from_str(&r.stdout).unwrap())
}

/// MSRP validation pairs at the defaults (threshold fitted on train only). Before the fitted
/// pair score: accuracy 0.698, F1 0.802 at the best train threshold; the GloVe vectors alone
/// 0.750 / 0.830. The issue asks 0.76 / 0.83; with the sentence's own words (function words,
/// negations) and the quadratic head the score reaches 0.768 / 0.838 (fitted with unrelated pairs too), and these floors hold it.
#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn item6_eval_facts_msrp_val_accuracy_and_f1() {
    let test = "item6_eval_facts_msrp_val_accuracy_and_f1";
    let Some(v) = eval_facts(test, "evaldata/msrp/pairs.jsonl", &["--split", "val"]) else {
        return;
    };
    assert_eq!(v["labels"], "paraphrase");
    let row = &v["rows"][0];
    assert_eq!(row["pairs"], 500);
    let (acc, f1) = (
        row["accuracy"].as_f64().unwrap(),
        row["f1"].as_f64().unwrap(),
    );
    assert!(acc >= 0.76 && f1 >= 0.83, "accuracy {acc:.3} F1 {f1:.3}");
}

/// STS-B dev news pairs: the graded similarity (the pair model's graded head, fitted on STS-B
/// train grades) against the 0-5 grades. The issue asks r 0.78; the paraphrase score gave
/// 0.635 (the lexical score alone 0.672); the graded head reaches r 0.799 (Spearman 0.740),
/// and these floors hold it.
#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn item6_eval_facts_stsb_dev_news_correlation() {
    let test = "item6_eval_facts_stsb_dev_news_correlation";
    let extra = ["--split", "dev", "--genre", "main-news"];
    let Some(v) = eval_facts(test, "evaldata/stsb/pairs.jsonl", &extra) else {
        return;
    };
    assert_eq!(v["labels"], "graded");
    assert_eq!(v["pairs"], 500);
    let (r, rho) = (
        v["pearson"].as_f64().unwrap(),
        v["spearman"].as_f64().unwrap(),
    );
    assert!(r >= 0.79 && rho >= 0.73, "Pearson {r:.3} Spearman {rho:.3}");
}

/// ECB+ test topics: sentences of A predicted shared (item contract: a shared or conflict
/// item holds them) against the annotated shared-event sentences, at compare's default
/// min-score (0.06, chosen on the dev topics 1-22: P 0.917, R 0.731). The issue asks
/// precision 0.90 and recall 0.70 (every annotated sentence called shared would give
/// precision 0.886); the test topics give 0.923 / 0.740.
#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn item6_eval_facts_ecb_test_shared_precision_recall() {
    let test = "item6_eval_facts_ecb_test_shared_precision_recall";
    let extra = ["--split", "test"];
    let Some(v) = eval_facts(test, "evaldata/ecbplus/doc_pairs.jsonl", &extra) else {
        return;
    };
    assert_eq!(v["labels"], "ecb_shared");
    assert_eq!(v["document_pairs"], 2847);
    let row = &v["rows"][0];
    let (p, r) = (
        row["precision"].as_f64().unwrap(),
        row["recall"].as_f64().unwrap(),
    );
    assert!(p >= 0.92 && r >= 0.73, "precision {p:.3} recall {r:.3}");
    assert!(p > v["every_sentence_precision"].as_f64().unwrap());
}
