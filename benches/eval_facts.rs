//! Scores the sentence aligner of `compare` on real labeled data (not a speed benchmark):
//!
//! * MSRP (`../shared/evaldata/msrp/pairs.jsonl`): paraphrase or not, per sentence pair. The
//!   score threshold is chosen on the train split and applied unchanged to train+val and to
//!   val alone; accuracy and F1 of the positive class are printed, with the always-yes baseline.
//! * ECB+ (`../shared/evaldata/ecbplus/doc_pairs.jsonl`): for each same-event document pair,
//!   predict which sentences of A have a counterpart in B (aligned as shared or conflict) and
//!   compare with the sentences of A that carry a shared event chain, on the annotated
//!   ("selected") sentences only; micro precision / recall / F1 per score threshold, on dev
//!   topics (1-22) and test topics (23-45), and at the threshold that is best on dev.
//!
//! Run: `cargo bench --bench eval_facts`. `overlap eval --level facts` scores the same data
//! from the command line, at the defaults or a `--sweep` of thresholds (README, `overlap eval`);
//! this bench adds the train-chosen threshold and the dev-chosen ECB+ threshold side by side.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use overlap::eval::binary as classify;
use overlap::facts::{compare_units, sentence_similarity, terms, Article, CompareOptions, Idf};
use serde_json::Value;

const MSRP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/evaldata/msrp/pairs.jsonl"
);
const ECB_DOCS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/evaldata/ecbplus/docs.jsonl"
);
const ECB_PAIRS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/evaldata/ecbplus/doc_pairs.jsonl"
);

fn lines(path: &str) -> Option<Vec<Value>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("valid JSONL"))
            .collect(),
    )
}

fn msrp() {
    let Some(rows) = lines(MSRP) else {
        println!("msrp: {MSRP} not found, skipped");
        return;
    };
    let started = Instant::now();
    let mut idf = Idf::default();
    for r in &rows {
        for k in ["text1", "text2"] {
            idf.add_document(&terms(r[k].as_str().unwrap()));
        }
    }
    let scored: Vec<(f64, bool, bool)> = rows
        .iter()
        .map(|r| {
            let s = sentence_similarity(
                r["text1"].as_str().unwrap(),
                r["text2"].as_str().unwrap(),
                &idf,
            );
            (s, r["label"] == 1, r["split"] == "train")
        })
        .collect();
    let pick = |f: &dyn Fn(&(f64, bool, bool)) -> bool| -> Vec<(f64, bool)> {
        scored.iter().filter(|x| f(x)).map(|x| (x.0, x.1)).collect()
    };
    let train = pick(&|x| x.2);
    let val = pick(&|x| !x.2);
    let all = pick(&|_| true);
    let best = (10..=90)
        .map(|t| f64::from(t) / 100.0)
        .max_by(|a, b| {
            classify(&train, *a)
                .accuracy
                .total_cmp(&classify(&train, *b).accuracy)
        })
        .unwrap();
    let positives = all.iter().filter(|x| x.1).count() as f64 / all.len() as f64;
    println!(
        "MSRP paraphrase detection ({} pairs, {:.1} s)",
        all.len(),
        started.elapsed().as_secs_f64()
    );
    println!("  threshold chosen on train: {best:.2}");
    for (name, set) in [("train+val", &all), ("train", &train), ("val", &val)] {
        let s = classify(set, best);
        println!(
            "  {name:<10} accuracy {:.3}  F1 {:.3}",
            s.accuracy, s.positive.f1
        );
    }
    println!(
        "  always-yes baseline on train+val: accuracy {:.3}  F1 {:.3}",
        positives,
        2.0 * positives / (1.0 + positives)
    );
    let d = CompareOptions::default().min_score;
    let at = classify(&all, d);
    println!(
        "  at the compare default {d:.2}: accuracy {:.3}  F1 {:.3}",
        at.accuracy, at.positive.f1
    );
}

/// Byte ranges of the given sentences inside the document text, in order.
fn sentence_ranges(doc: &Value) -> (String, Vec<usize>, Vec<std::ops::Range<usize>>) {
    let text = doc["text"].as_str().unwrap().to_owned();
    let mut ranges = Vec::new();
    let mut ids = Vec::new();
    let mut from = 0;
    for s in doc["sentences"].as_array().unwrap() {
        let st = s["text"].as_str().unwrap();
        if let Some(at) = text[from..].find(st) {
            ranges.push(from + at..from + at + st.len());
            ids.push(s["sent"].as_u64().unwrap() as usize);
            from += at + st.len();
        }
    }
    (text, ids, ranges)
}

/// One document pair's gold and predicted A-sentences (with alignment scores).
struct PairOutcome {
    dev: bool,
    selected: usize,
    gold: HashSet<usize>,
    predicted: Vec<(usize, f64)>,
}

fn prf(outcomes: &[&PairOutcome], threshold: f64) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0.0f64, 0.0f64, 0.0f64);
    for o in outcomes {
        let predicted: HashSet<usize> = o
            .predicted
            .iter()
            .filter(|(_, s)| *s >= threshold)
            .map(|(a, _)| *a)
            .collect();
        tp += predicted.intersection(&o.gold).count() as f64;
        fp += predicted.difference(&o.gold).count() as f64;
        fn_ += o.gold.difference(&predicted).count() as f64;
    }
    let p = tp / (tp + fp).max(1.0);
    let r = tp / (tp + fn_).max(1.0);
    (p, r, 2.0 * p * r / (p + r).max(1e-9))
}

fn ecb() {
    let (Some(docs), Some(pairs)) = (lines(ECB_DOCS), lines(ECB_PAIRS)) else {
        println!("ecbplus: data not found, skipped");
        return;
    };
    let started = Instant::now();
    let docs: HashMap<&str, &Value> = docs
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    // Align down to a low score once; a higher threshold keeps exactly the pairs scoring above
    // it (greedy matching takes pairs best first, so lower pairs never block higher ones).
    let opts = CompareOptions {
        min_score: 0.1,
        ..CompareOptions::default()
    };
    let mut outcomes = Vec::new();
    for pair in &pairs {
        let (da, db) = (
            docs[pair["doc_a"].as_str().unwrap()],
            docs[pair["doc_b"].as_str().unwrap()],
        );
        let (ta, ids_a, ra) = sentence_ranges(da);
        let (tb, _, rb) = sentence_ranges(db);
        let selected: HashSet<usize> = da["selected_sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let gold: HashSet<usize> = pair["shared_chains"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["type"] == "event")
            .flat_map(|c| {
                c["sents_a"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
            })
            .filter(|s| selected.contains(s))
            .collect();
        let diff = compare_units(
            &Article::new("a", ta),
            ra,
            &Article::new("b", tb),
            rb,
            &opts,
        );
        let predicted = diff
            .items
            .iter()
            .filter_map(|i| Some((ids_a[i.a?], i.score?)))
            .filter(|(s, _)| selected.contains(s))
            .collect();
        let topic = da["topic"].as_u64().unwrap();
        outcomes.push(PairOutcome {
            dev: topic <= 22,
            selected: selected.len(),
            gold,
            predicted,
        });
    }
    let dev: Vec<&PairOutcome> = outcomes.iter().filter(|o| o.dev).collect();
    let test: Vec<&PairOutcome> = outcomes.iter().filter(|o| !o.dev).collect();
    let all: Vec<&PairOutcome> = outcomes.iter().collect();
    println!(
        "ECB+ sentences of A with a shared-event counterpart in B ({} document pairs: {} dev = topics 1-22, {} test; {:.1} s)",
        outcomes.len(),
        dev.len(),
        test.len(),
        started.elapsed().as_secs_f64()
    );
    println!("  threshold   dev P / R / F1          test P / R / F1");
    let mut best = (0.0, 0.0);
    for t in (2..=12).map(|x| f64::from(x) * 0.05) {
        let (d, e) = (prf(&dev, t), prf(&test, t));
        println!(
            "  {t:.2}        {:.3} / {:.3} / {:.3}   {:.3} / {:.3} / {:.3}",
            d.0, d.1, d.2, e.0, e.1, e.2
        );
        if d.2 > best.1 {
            best = (t, d.2);
        }
    }
    let (mut gold, mut selected) = (0usize, 0usize);
    for o in &test {
        gold += o.gold.len();
        selected += o.selected;
    }
    let base = gold as f64 / selected.max(1) as f64;
    println!(
        "  baseline, every annotated sentence of A has a counterpart: test P {base:.3} R 1.000 F1 {:.3}",
        2.0 * base / (1.0 + base)
    );
    let d = CompareOptions::default().min_score;
    for (name, t) in [("best on dev", best.0), ("compare default", d)] {
        let (p, r, f) = prf(&test, t);
        let (pa, ra, fa) = prf(&all, t);
        println!("  {name} {t:.2}: test P {p:.3} R {r:.3} F1 {f:.3}; all pairs P {pa:.3} R {ra:.3} F1 {fa:.3}");
    }
}

fn main() {
    // `cargo bench` passes --bench; nothing else is accepted.
    msrp();
    ecb();
}
