//! `overlap eval`: score story or near-duplicate clusters against labels.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{bail, Context, Result};
use overlap::eval::{score, score_pairs, Prf, Scores};
use overlap::ingest::{parse_unit, value_as_text, Units};
use overlap::{Input, Scan};
use serde::Serialize;
use serde_json::Value;

use super::args::{EvalArgs, EvalFormat, EvalLevel};
use super::output;
use super::Outcome;

#[derive(Serialize)]
struct Row {
    threshold: Option<f64>,
    #[serde(flatten)]
    scores: Scores,
    #[serde(skip_serializing_if = "Option::is_none")]
    labeled_pairs: Option<Prf>,
}

#[derive(Serialize)]
struct Report {
    version: u32,
    level: &'static str,
    label_field: String,
    documents: usize,
    labels: usize,
    /// The story threshold of the `default` row: given, or chosen from the corpus.
    #[serde(skip_serializing_if = "Option::is_none")]
    story_threshold: Option<f64>,
    /// Whether it was chosen from the corpus (no --story-threshold).
    #[serde(skip_serializing_if = "Option::is_none")]
    story_threshold_chosen: Option<bool>,
    /// What the threshold rule read (to refit it: benches/story_quality.py).
    #[serde(skip_serializing_if = "Option::is_none")]
    story_profile: Option<overlap::story::SimilarityProfile>,
    seconds: f64,
    rows: Vec<Row>,
}

pub fn run(args: EvalArgs) -> Result<Outcome> {
    if args.level == EvalLevel::Facts {
        return super::eval_facts::run(args);
    }
    for (flag, given) in [
        ("--min-score", args.min_score.is_some()),
        ("--split", args.split.is_some()),
        ("--genre", args.genre.is_some()),
    ] {
        if given {
            bail!("{flag} applies to --level facts only");
        }
    }
    let Some(label_field) = args.label_field.clone() else {
        bail!("--level story and --level near need --label-field NAME: the field holding each document's true cluster");
    };
    let started = std::time::Instant::now();
    let common = &args.common;
    let inputs = common.inputs()?;
    let reads = || {
        let mut reads = common.read_paths();
        reads.extend(args.predictions.iter().chain(&args.pairs).cloned());
        reads
    };
    let [dest] = output::prepare([("-o", args.output.as_deref())], reads)?;
    let level = args.level;
    let mut params = common.params(Some(&args.stories))?;
    let sweep = args.sweep.as_deref().map(parse_sweep).transpose()?;
    match level {
        EvalLevel::Story => {
            let mut sp = params
                .stories
                .context("--level story needs the story stage: drop --no-stories")?;
            // Build the graph low enough for the whole sweep. A chosen threshold needs edges
            // down to AUTO_FLOOR only, so it stays chosen unless the sweep goes lower; the
            // choice reads edges far above either floor, so it is the scan's choice either way.
            if let Some(low) = sweep
                .as_ref()
                .and_then(|ts| ts.iter().copied().reduce(f64::min))
            {
                let auto_floor = f64::from(overlap::story::threshold::AUTO_FLOOR);
                match sp.threshold {
                    Some(t) => sp.threshold = Some(t.min(low)),
                    None if low < auto_floor => sp.threshold = Some(low),
                    None => {}
                }
            }
            params.stories = Some(sp);
        }
        EvalLevel::Near | EvalLevel::Facts => params.stories = None,
    }

    let labels_by_id = read_labels(inputs.clone(), common, &label_field)?;
    let pair_labels = match &args.pairs {
        Some(path) => Some(read_pairs(path)?),
        None => None,
    };
    // The default row first, then the sweep (for near-duplicates a sweep only).
    let thresholds: Vec<Option<f64>> = match &sweep {
        Some(ts) if level == EvalLevel::Story => std::iter::once(None)
            .chain(ts.iter().map(|t| Some(*t)))
            .collect(),
        Some(ts) => ts.iter().map(|t| Some(*t)).collect(),
        None => vec![None],
    };
    let explicit = args.stories.story_threshold;
    let mut default_threshold = None;
    let mut story_profile = None;

    let mut rows = Vec::new();
    let ids: Vec<String>;
    if let Some(path) = &args.predictions {
        let predicted = read_predictions(path, level)?;
        ids = {
            let mut ids: Vec<String> = labels_by_id.keys().cloned().collect();
            ids.sort();
            ids
        };
        let pred: Vec<Option<usize>> = ids.iter().map(|id| predicted.get(id).copied()).collect();
        rows.push(row(
            None,
            &pred,
            &ids,
            &labels_by_id,
            pair_labels.as_deref(),
        ));
    } else {
        let mut scan = common.scan_with(inputs.clone(), params.clone(), false)?;
        super::refuse_empty(&scan, common)?;
        ids = scan.docs.iter().map(|d| d.id.clone()).collect();
        for t in thresholds {
            let pred = match level {
                EvalLevel::Story => {
                    let graph = scan
                        .story_graph
                        .as_mut()
                        .context("the story stage did not run")?;
                    // The default: the given threshold, else the one chosen from the corpus
                    // (the params' threshold may be the sweep's low end, only there to build the graph).
                    let chosen = explicit.unwrap_or_else(|| {
                        overlap::story::threshold::choose_threshold(&graph.profile)
                    });
                    default_threshold = Some(chosen);
                    story_profile = Some(graph.profile.clone());
                    let th = t.unwrap_or(chosen);
                    let clusters = graph.clusters(th);
                    assign(
                        ids.len(),
                        clusters
                            .iter()
                            .map(|c| c.members.iter().map(|m| m.doc as usize).collect()),
                    )
                }
                EvalLevel::Near | EvalLevel::Facts => {
                    let owned;
                    let s: &Scan = match t {
                        Some(t) => {
                            let mut p = params.clone();
                            p.threshold = t;
                            owned = common.scan_with(inputs.clone(), p, false)?;
                            &owned
                        }
                        None => &scan,
                    };
                    assign(
                        ids.len(),
                        s.clusters
                            .iter()
                            .map(|c| c.members.iter().map(|m| m.doc as usize).collect()),
                    )
                }
            };
            rows.push(row(t, &pred, &ids, &labels_by_id, pair_labels.as_deref()));
        }
    }
    let report = Report {
        version: 1,
        level: match level {
            EvalLevel::Story => "story",
            EvalLevel::Near | EvalLevel::Facts => "near",
        },
        label_field,
        documents: ids.len(),
        labels: labels_by_id
            .values()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        story_threshold: default_threshold,
        story_threshold_chosen: default_threshold.map(|_| explicit.is_none()),
        story_profile,
        seconds: started.elapsed().as_secs_f64(),
        rows,
    };
    write_report(dest, args.format, &report, human)?;
    Ok(Outcome::Clean)
}

/// Writes an eval report to `dest`: pretty JSON, or the `human` table.
pub(super) fn write_report<R: Serialize>(
    dest: output::Destination,
    format: EvalFormat,
    report: &R,
    human: fn(&R, &mut dyn Write) -> Result<()>,
) -> Result<()> {
    dest.write(|out| match format {
        EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            Ok(writeln!(out)?)
        }
        EvalFormat::Human => human(report, out),
    })
}

fn row(
    threshold: Option<f64>,
    pred: &[Option<usize>],
    ids: &[String],
    labels: &HashMap<String, String>,
    pairs: Option<&[(String, String, bool)]>,
) -> Row {
    let gold: Vec<Option<String>> = ids.iter().map(|id| labels.get(id).cloned()).collect();
    let labeled_pairs = pairs.map(|ps| {
        let at: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let indexed: Vec<(usize, usize, bool)> = ps
            .iter()
            .filter_map(|(a, b, s)| Some((*at.get(a.as_str())?, *at.get(b.as_str())?, *s)))
            .collect();
        score_pairs(pred, &indexed)
    });
    Row {
        threshold,
        scores: score(pred, &gold),
        labeled_pairs,
    }
}

/// Cluster id per document from cluster member lists.
fn assign(n: usize, clusters: impl Iterator<Item = Vec<usize>>) -> Vec<Option<usize>> {
    let mut pred = vec![None; n];
    for (c, members) in clusters.enumerate() {
        for d in members {
            pred[d] = Some(c);
        }
    }
    pred
}

fn human(r: &Report, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{} clusters scored against {:?}: {} documents, {} labels ({:.1} s)",
        r.level, r.label_field, r.documents, r.labels, r.seconds
    )?;
    if let Some(t) = r.story_threshold {
        let how = if r.story_threshold_chosen == Some(true) {
            "chosen from the corpus"
        } else {
            "given"
        };
        writeln!(out, "default story threshold {t:.3} ({how})")?;
    }
    writeln!(
        out,
        "threshold  clusters  pairwise P / R / F1      B-cubed P / R / F1       ARI"
    )?;
    for row in &r.rows {
        let s = &row.scores;
        let t = row
            .threshold
            .map_or("default".to_owned(), |t| format!("{t}"));
        writeln!(
            out,
            "{t:<9}  {:>8}  {:.3} / {:.3} / {:.3}    {:.3} / {:.3} / {:.3}    {:.3}",
            s.clusters,
            s.pairwise.precision,
            s.pairwise.recall,
            s.pairwise.f1,
            s.bcubed.precision,
            s.bcubed.recall,
            s.bcubed.f1,
            s.ari
        )?;
        if let Some(p) = row.labeled_pairs {
            writeln!(
                out,
                "           labeled pairs: P {:.3} R {:.3} F1 {:.3}",
                p.precision, p.recall, p.f1
            )?;
        }
    }
    Ok(())
}

/// `FROM:TO:STEP` into thresholds, both ends included.
pub(super) fn parse_sweep(s: &str) -> Result<Vec<f64>> {
    let parts: Vec<f64> = s
        .split(':')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow::anyhow!("--sweep {s:?} is not FROM:TO:STEP, e.g. 0.3:0.9:0.05"))?;
    let [from, to, step] = parts[..] else {
        bail!("--sweep {s:?} is not FROM:TO:STEP, e.g. 0.3:0.9:0.05");
    };
    if !(from > 0.0 && to <= 1.0 && from <= to && step > 0.0) {
        bail!("--sweep {s:?}: use 0 < FROM <= TO <= 1 and STEP > 0");
    }
    let n = ((to - from) / step + 1e-9).floor() as usize;
    Ok((0..=n)
        .map(|i| ((from + i as f64 * step) * 1e6).round() / 1e6)
        .collect())
}

/// Labels by document id, from the label field of every record.
fn read_labels(
    inputs: Vec<Input>,
    common: &super::args::CommonArgs,
    field: &str,
) -> Result<HashMap<String, String>> {
    let read = common.scan_options().read;
    let mut labels = HashMap::new();
    for unit in Units::with_limit(inputs, read.max_record_size) {
        let Ok(parsed) = parse_unit(unit, &read) else {
            continue;
        };
        if let Some(label) = parsed.record.meta.get(field).and_then(value_as_text) {
            labels.insert(parsed.record.id, label);
        }
    }
    if labels.is_empty() {
        bail!("no record has a label field {field:?}; name the field holding the true cluster with --label-field");
    }
    Ok(labels)
}

/// Labeled pairs: JSONL lines `{"a": ID, "b": ID, "label": 1|0 or true|false}`.
fn read_pairs(path: &std::path::Path) -> Result<Vec<(String, String, bool)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: invalid JSON (each line: {{\"a\": ID, \"b\": ID, \"label\": 1}})",
                path.display(),
                n + 1
            )
        })?;
        let id = |k: &str| v.get(k).and_then(value_as_text);
        let (Some(a), Some(b)) = (id("a"), id("b")) else {
            bail!(
                "{}:{}: a labeled pair needs \"a\" and \"b\" ids",
                path.display(),
                n + 1
            );
        };
        let same = match v.get("label") {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(x)) => x.as_f64().unwrap_or(0.0) > 0.0,
            _ => bail!(
                "{}:{}: \"label\" must be 1/0 or true/false",
                path.display(),
                n + 1
            ),
        };
        out.push((a, b, same));
    }
    Ok(out)
}

/// Cluster per document id from a saved `scan` output (JSON or JSONL).
fn read_predictions(path: &std::path::Path, level: EvalLevel) -> Result<HashMap<String, usize>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let (list_key, event) = match level {
        EvalLevel::Story => ("stories", "story"),
        EvalLevel::Near | EvalLevel::Facts => ("clusters", "cluster"),
    };
    let groups: Vec<Value> = match serde_json::from_str::<Value>(&text) {
        Ok(doc) => doc
            .get(list_key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        Err(_) => text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|e| e["type"] == event)
            .map(|e| e["data"].clone())
            .collect(),
    };
    let mut out = HashMap::new();
    for (c, g) in groups.iter().enumerate() {
        for m in g["members"].as_array().into_iter().flatten() {
            if let Some(id) = m["id"].as_str() {
                out.insert(id.to_owned(), c);
            }
        }
    }
    Ok(out)
}
