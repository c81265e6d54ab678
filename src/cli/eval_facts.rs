//! `overlap eval --level facts`: the pair score and the fact diff of `compare`, scored
//! against labelled pairs. The kind of labels is read off the first record:
//!
//! * `text1`, `text2`, `label` (0/1): paraphrase or not (MSRP). A pair is called the same
//!   statement at `score >= --min-score` (default: the threshold fitted with the model on MSRP
//!   train); accuracy and precision / recall / F1 of the positive class.
//! * `text1`, `text2`, `score` (graded, e.g. STS-B 0-5): Pearson and Spearman correlation of
//!   the graded similarity (the pair model's graded head, fitted on STS-B train) with the grade.
//! * `doc_a`, `doc_b`, `shared_chains` (ECB+ `doc_pairs.jsonl`, with `docs.jsonl` beside it):
//!   the two documents are compared at `--min-score` (default: compare's), and a sentence of A
//!   is predicted shared when an item of the diff holds it as shared or conflict; the truth is
//!   the sentences of A in an event chain B shares, on the annotated (selected) sentences only.
//!
//! Sentence pairs are weighted with the IDF of all sentences scored (no labels are read).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use overlap::eval::{binary, pair_idf, pearson, spearman, Binary, Prf};
use overlap::facts::{
    compare_units, sentence_graded_similarity, sentence_similarity, Article, CompareOptions,
    ItemClass, DEFAULT_MIN_SCORE, FITTED_THRESHOLD,
};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::args::EvalArgs;
use super::output;
use super::Outcome;

/// Last topic of ECB+'s dev part; topics after it are the test part.
const ECB_DEV_LAST_TOPIC: u64 = 22;

#[derive(Serialize)]
#[serde(tag = "labels", rename_all = "snake_case")]
enum Scores {
    Paraphrase {
        rows: Vec<ParaphraseRow>,
        always_yes_f1: f64,
    },
    Graded {
        pairs: usize,
        pearson: f64,
        spearman: f64,
    },
    EcbShared {
        document_pairs: usize,
        annotated_sentences: usize,
        rows: Vec<SharedRow>,
        every_sentence_precision: f64,
    },
}

#[derive(Serialize)]
struct ParaphraseRow {
    threshold: f64,
    #[serde(flatten)]
    scores: Binary,
}

#[derive(Serialize)]
struct SharedRow {
    threshold: f64,
    #[serde(flatten)]
    shared: Prf,
}

#[derive(Serialize)]
struct Report {
    version: u32,
    level: &'static str,
    file: String,
    split: Option<String>,
    genre: Option<String>,
    skipped_lines: usize,
    seconds: f64,
    #[serde(flatten)]
    scores: Scores,
}

/// Records of a JSONL file with their line numbers; bad lines are reported and skipped.
fn read_jsonl(path: &Path, skipped: &mut usize) -> Result<Vec<(usize, Value)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) if v.is_object() => out.push((n + 1, v)),
            _ => {
                *skipped += 1;
                eprintln!(
                    "{}:{}: not a JSON object; skipped (each line is one labelled pair)",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    Ok(out)
}

pub fn run(args: EvalArgs) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let [input] = &args.common.inputs[..] else {
        bail!("--level facts reads one file of labelled pairs (JSONL), e.g. ../shared/evaldata/msrp/pairs.jsonl");
    };
    let path = output::read_path(input);
    let docs_path = path.with_file_name("docs.jsonl");
    let reads = || vec![path.clone(), docs_path.clone()];
    let [dest] = output::prepare([("-o", args.output.as_deref())], reads)?;
    let mut skipped = 0;
    let records = read_jsonl(&path, &mut skipped)?;
    let Some((_, first)) = records.first() else {
        bail!("{}: no labelled pairs in it", path.display());
    };
    let first = first.clone();
    let field = |k: &str| first.get(k).is_some();
    let thresholds = |default: f64| -> Result<Vec<f64>> {
        Ok(match (&args.sweep, args.min_score) {
            (Some(s), _) => super::eval::parse_sweep(s)?,
            (None, Some(t)) => vec![t],
            (None, None) => vec![default],
        })
    };
    let scores = if field("doc_a") && field("doc_b") {
        let ts = thresholds(DEFAULT_MIN_SCORE)?;
        ecb(&path, &docs_path, records, &args, &ts, &mut skipped)?
    } else if field("text1") && field("text2") {
        let pairs = select(&path, records, &args, &mut skipped)?;
        if first.get("label").is_some() {
            paraphrase(&pairs, &thresholds(FITTED_THRESHOLD)?)
        } else if first.get("score").is_some() {
            graded(&pairs)
        } else {
            bail!(
                "{}:1: a pair needs \"label\" (0/1) or \"score\" (graded)",
                path.display()
            );
        }
    } else {
        bail!(
            "{}:1: not a labelled pair: expected text1/text2 with label or score, or doc_a/doc_b \
             with shared_chains (ECB+ doc_pairs.jsonl)",
            path.display()
        );
    };
    let report = Report {
        version: 1,
        level: "facts",
        file: path.display().to_string(),
        split: args.split.clone(),
        genre: args.genre.clone(),
        skipped_lines: skipped,
        seconds: started.elapsed().as_secs_f64(),
        scores,
    };
    super::eval::write_report(dest, args.format, &report, human)?;
    Ok(if skipped > 0 {
        Outcome::Skipped
    } else {
        Outcome::Clean
    })
}

/// The sentence pairs of the chosen split and genre, with their gold value (label or grade).
fn select(
    path: &Path,
    records: Vec<(usize, Value)>,
    args: &EvalArgs,
    skipped: &mut usize,
) -> Result<Vec<(String, String, f64)>> {
    let mut splits = HashSet::new();
    let mut out = Vec::new();
    for (line, r) in records {
        let text = |k: &str| r.get(k).and_then(Value::as_str);
        let gold = r.get("label").or_else(|| r.get("score")).and_then(|v| {
            v.as_f64()
                .or_else(|| v.as_bool().map(|b| f64::from(u8::from(b))))
        });
        let (Some(a), Some(b), Some(gold)) = (text("text1"), text("text2"), gold) else {
            *skipped += 1;
            eprintln!(
                "{}:{line}: a pair needs text1, text2 and a numeric label or score; skipped",
                path.display()
            );
            continue;
        };
        if let Some(s) = text("split") {
            splits.insert(s.to_owned());
        }
        let keep = |flag: &Option<String>, key: &str| {
            flag.as_deref()
                .is_none_or(|want| text(key).is_some_and(|v| v.eq_ignore_ascii_case(want)))
        };
        if keep(&args.split, "split") && keep(&args.genre, "genre") {
            out.push((a.to_owned(), b.to_owned(), gold));
        }
    }
    if out.is_empty() {
        let mut splits: Vec<String> = splits.into_iter().collect();
        splits.sort();
        bail!(
            "{}: no pair matches --split {:?} --genre {:?} (splits in the file: {})",
            path.display(),
            args.split.as_deref().unwrap_or("any"),
            args.genre.as_deref().unwrap_or("any"),
            splits.join(", ")
        );
    }
    Ok(out)
}

/// Each pair scored by `score` (the pair score, or the graded similarity).
fn pair_scores(
    pairs: &[(String, String, f64)],
    score: fn(&str, &str, &overlap::facts::Idf) -> f64,
) -> Vec<f64> {
    let idf = pair_idf(pairs.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()]));
    pairs
        .par_iter()
        .map(|(a, b, _)| score(a, b, &idf))
        .collect()
}

fn paraphrase(pairs: &[(String, String, f64)], thresholds: &[f64]) -> Scores {
    let scores = pair_scores(pairs, sentence_similarity);
    let scored: Vec<(f64, bool)> = scores
        .iter()
        .zip(pairs)
        .map(|(s, p)| (*s, p.2 > 0.0))
        .collect();
    let positives = scored.iter().filter(|x| x.1).count() as f64 / scored.len() as f64;
    Scores::Paraphrase {
        rows: thresholds
            .iter()
            .map(|&t| ParaphraseRow {
                threshold: t,
                scores: binary(&scored, t),
            })
            .collect(),
        always_yes_f1: 2.0 * positives / (1.0 + positives),
    }
}

fn graded(pairs: &[(String, String, f64)]) -> Scores {
    let scores = pair_scores(pairs, sentence_graded_similarity);
    let gold: Vec<f64> = pairs.iter().map(|p| p.2).collect();
    Scores::Graded {
        pairs: pairs.len(),
        pearson: pearson(&scores, &gold),
        spearman: spearman(&scores, &gold),
    }
}

/// An ECB+ document with its sentences located in its text.
struct EcbDoc {
    topic: u64,
    text: String,
    /// ECB+ sentence number and byte range of each sentence found in the text.
    sentences: Vec<(usize, std::ops::Range<usize>)>,
    selected: HashSet<usize>,
}

fn ecb_doc(v: &Value) -> Option<(String, EcbDoc)> {
    let text = v.get("text")?.as_str()?.to_owned();
    let mut sentences = Vec::new();
    let mut from = 0;
    for s in v.get("sentences")?.as_array()? {
        let st = s.get("text")?.as_str()?;
        if let Some(at) = text[from..].find(st) {
            sentences.push((
                s.get("sent")?.as_u64()? as usize,
                from + at..from + at + st.len(),
            ));
            from += at + st.len();
        }
    }
    let selected = v
        .get("selected_sentences")?
        .as_array()?
        .iter()
        .filter_map(|x| Some(x.as_u64()? as usize))
        .collect();
    let doc = EcbDoc {
        topic: v.get("topic")?.as_u64()?,
        text,
        sentences,
        selected,
    };
    Some((v.get("id")?.as_str()?.to_owned(), doc))
}

fn ecb(
    path: &Path,
    docs_path: &Path,
    records: Vec<(usize, Value)>,
    args: &EvalArgs,
    thresholds: &[f64],
    skipped: &mut usize,
) -> Result<Scores> {
    if args.genre.is_some() {
        bail!("--genre applies to sentence pairs (STS-B); ECB+ pairs have topics: use --split dev|test");
    }
    let dev = match args.split.as_deref() {
        None => None,
        Some("dev") => Some(true),
        Some("test") => Some(false),
        Some(other) => bail!(
            "--split {other:?}: ECB+ pairs split into dev (topics 1-{ECB_DEV_LAST_TOPIC}) and test (the rest)"
        ),
    };
    if !docs_path.is_file() {
        bail!(
            "{}: ECB+ document pairs need docs.jsonl beside them ({} not found)",
            path.display(),
            docs_path.display()
        );
    }
    let mut docs = HashMap::new();
    for (line, v) in read_jsonl(docs_path, skipped)? {
        match ecb_doc(&v) {
            Some((id, d)) => {
                docs.insert(id, d);
            }
            None => {
                *skipped += 1;
                eprintln!(
                    "{}:{line}: an ECB+ document needs id, topic, text, sentences and selected_sentences; skipped",
                    docs_path.display()
                );
            }
        }
    }
    // (doc A, doc B, gold sentences of A)
    let mut pairs: Vec<(&EcbDoc, &EcbDoc, HashSet<usize>)> = Vec::new();
    for (line, r) in &records {
        let doc = |k: &str| r.get(k).and_then(Value::as_str).and_then(|id| docs.get(id));
        let (Some(da), Some(db), Some(chains)) = (
            doc("doc_a"),
            doc("doc_b"),
            r.get("shared_chains").and_then(Value::as_array),
        ) else {
            *skipped += 1;
            eprintln!(
                "{}:{line}: a document pair needs doc_a and doc_b (ids in docs.jsonl) and shared_chains; skipped",
                path.display()
            );
            continue;
        };
        if dev.is_some_and(|d| d != (da.topic <= ECB_DEV_LAST_TOPIC)) {
            continue;
        }
        let gold = chains
            .iter()
            .filter(|c| c.get("type").and_then(Value::as_str) == Some("event"))
            .filter_map(|c| c.get("sents_a")?.as_array())
            .flatten()
            .filter_map(|s| Some(s.as_u64()? as usize))
            .filter(|s| da.selected.contains(s))
            .collect();
        pairs.push((da, db, gold));
    }
    if pairs.is_empty() {
        bail!("{}: no document pair in the chosen split", path.display());
    }
    let annotated: usize = pairs.iter().map(|p| p.0.selected.len()).sum();
    let gold_total: usize = pairs.iter().map(|p| p.2.len()).sum();
    let rows = thresholds
        .iter()
        .map(|&t| SharedRow {
            threshold: t,
            shared: ecb_at(&pairs, t),
        })
        .collect();
    Ok(Scores::EcbShared {
        document_pairs: pairs.len(),
        annotated_sentences: annotated,
        rows,
        every_sentence_precision: gold_total as f64 / annotated.max(1) as f64,
    })
}

/// Micro precision / recall of the shared sentences of A over all pairs, at one threshold.
fn ecb_at(pairs: &[(&EcbDoc, &EcbDoc, HashSet<usize>)], threshold: f64) -> Prf {
    let opts = CompareOptions {
        min_score: threshold,
        ..CompareOptions::default()
    };
    let counts: Vec<(usize, usize, usize)> = pairs
        .par_iter()
        .map(|(da, db, gold)| {
            let ranges = |d: &EcbDoc| d.sentences.iter().map(|(_, r)| r.clone()).collect();
            let diff = compare_units(
                &Article::new("a", da.text.clone()),
                ranges(da),
                &Article::new("b", db.text.clone()),
                ranges(db),
                &opts,
            );
            let predicted: HashSet<usize> = diff
                .items
                .iter()
                .filter(|i| matches!(i.class, ItemClass::Shared | ItemClass::Conflict))
                .filter_map(|i| Some(da.sentences.get(i.a?)?.0))
                .filter(|s| da.selected.contains(s))
                .collect();
            let tp = predicted.intersection(gold).count();
            (tp, predicted.len() - tp, gold.len() - tp)
        })
        .collect();
    let (tp, fp, fn_) = counts
        .iter()
        .fold((0, 0, 0), |s, c| (s.0 + c.0, s.1 + c.1, s.2 + c.2));
    let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    Prf::new(ratio(tp, tp + fp), ratio(tp, tp + fn_))
}

fn human(r: &Report, out: &mut dyn Write) -> Result<()> {
    let scope = [("split", &r.split), ("genre", &r.genre)]
        .iter()
        .filter_map(|(k, v)| Some(format!("{k} {}", v.as_deref()?)))
        .collect::<Vec<_>>()
        .join(", ");
    let scope = if scope.is_empty() {
        "all pairs".to_owned()
    } else {
        scope
    };
    match &r.scores {
        Scores::Paraphrase {
            rows,
            always_yes_f1,
        } => {
            writeln!(
                out,
                "paraphrase pairs of {} ({scope}; {:.1} s)",
                r.file, r.seconds
            )?;
            writeln!(out, "threshold  pairs  accuracy  precision  recall  F1")?;
            for row in rows {
                let s = &row.scores;
                writeln!(
                    out,
                    "{:<9}  {:>5}  {:.3}     {:.3}      {:.3}   {:.3}",
                    row.threshold,
                    s.pairs,
                    s.accuracy,
                    s.positive.precision,
                    s.positive.recall,
                    s.positive.f1
                )?;
            }
            writeln!(out, "always-yes baseline F1 {always_yes_f1:.3}")?;
        }
        Scores::Graded {
            pairs,
            pearson,
            spearman,
        } => {
            writeln!(
                out,
                "graded pairs of {} ({scope}; {:.1} s)",
                r.file, r.seconds
            )?;
            writeln!(
                out,
                "{pairs} pairs: Pearson r {pearson:.3}, Spearman rho {spearman:.3}"
            )?;
        }
        Scores::EcbShared {
            document_pairs,
            annotated_sentences,
            rows,
            every_sentence_precision,
        } => {
            writeln!(
                out,
                "shared sentences of A in ECB+ document pairs of {} ({scope}; {document_pairs} pairs, {annotated_sentences} annotated sentences of A; {:.1} s)",
                r.file, r.seconds
            )?;
            writeln!(out, "min-score  precision  recall  F1")?;
            for row in rows {
                writeln!(
                    out,
                    "{:<9}  {:.3}      {:.3}   {:.3}",
                    row.threshold, row.shared.precision, row.shared.recall, row.shared.f1
                )?;
            }
            writeln!(
                out,
                "baseline, every annotated sentence shared: precision {every_sentence_precision:.3}, recall 1.000"
            )?;
        }
    }
    if r.skipped_lines > 0 {
        writeln!(
            out,
            "{} bad lines skipped (see standard error)",
            r.skipped_lines
        )?;
    }
    Ok(())
}
