//! `overlap compare --pairs FILE`: many comparisons in one process, JSONL in and out.
//!
//! Each input line is one pair: two texts (`"a"`, `"b"`) or two references (`"a_ref"`,
//! `"b_ref"`: a text file or `CORPUS#ID`, as on the command line), with an optional `"id"`.
//! Each output line is that pair's diff (the `compare` JSON) with `id` and `line` in front, in
//! input order. A bad line is reported as `FILE:LINE: reason`, skipped, and the run ends with
//! exit 2; it never stops the others.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use overlap::facts::{compare, Article, CompareOptions, FactDiff};
use overlap::ingest::{parse_unit, Units};
use overlap::{Input, ReadOptions};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::Outcome;

/// Pairs compared together (in parallel) before their lines are written.
const BATCH: usize = 256;

/// What one input line asks for.
struct Request {
    line: usize,
    id: Value,
    a: Source,
    b: Source,
}

enum Source {
    Text(String),
    Ref(String),
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a Value,
    line: usize,
    #[serde(flatten)]
    diff: &'a FactDiff,
}

/// Reads one line of the pairs file.
fn parse_line(text: &str, line: usize) -> Result<Request, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("not a JSON object ({e}); write one pair per line"))?;
    let Value::Object(map) = value else {
        return Err(
            "not a JSON object; write one pair per line as {\"a\": ..., \"b\": ...}".into(),
        );
    };
    let side = |name: &str| -> Result<Source, String> {
        let reference = format!("{name}_ref");
        match (map.get(name), map.get(&reference)) {
            (Some(Value::String(t)), None) => Ok(Source::Text(t.clone())),
            (None, Some(Value::String(r))) => Ok(Source::Ref(r.clone())),
            (Some(_), Some(_)) => Err(format!(
                "both \"{name}\" and \"{reference}\" are given; keep one"
            )),
            (None, None) => Err(format!(
                "no \"{name}\" (a text) or \"{reference}\" (FILE or CORPUS#ID)"
            )),
            _ => Err(format!("\"{name}\" / \"{reference}\" must be a string")),
        }
    };
    Ok(Request {
        line,
        id: map.get("id").cloned().unwrap_or(Value::from(line)),
        a: side("a")?,
        b: side("b")?,
    })
}

/// The texts of every reference the requests name: each corpus is read once, keeping only
/// the records asked for.
fn load_refs(requests: &[Request], read: &ReadOptions) -> HashMap<String, Result<String, String>> {
    let mut wanted: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut files = BTreeSet::new();
    for r in requests {
        for s in [&r.a, &r.b] {
            let Source::Ref(spec) = s else { continue };
            if Path::new(spec).is_file() {
                files.insert(spec.clone());
            } else if let Some((file, id)) = spec.rsplit_once('#') {
                wanted
                    .entry(file.to_owned())
                    .or_default()
                    .insert(id.to_owned());
            } else {
                files.insert(spec.clone());
            }
        }
    }
    let mut texts = HashMap::new();
    for spec in files {
        let text = super::compare::load_article(&spec, read)
            .map(|a| a.text)
            .map_err(|e| format!("{e:#}"));
        texts.insert(spec, text);
    }
    for (file, ids) in wanted {
        if !Path::new(&file).is_file() {
            for id in ids {
                texts.insert(
                    format!("{file}#{id}"),
                    Err(format!(
                        "{file}: no such file (name a record of a corpus as FILE#ID)"
                    )),
                );
            }
            continue;
        }
        let mut found: HashMap<String, String> = HashMap::new();
        for unit in Units::new(vec![Input::from_arg(&file, None)]) {
            if let Ok(parsed) = parse_unit(unit, read) {
                if ids.contains(&parsed.record.id) {
                    found
                        .entry(parsed.record.id.clone())
                        .or_insert(parsed.record.text);
                }
            }
        }
        for id in ids {
            let text = found.remove(&id).ok_or_else(|| {
                format!("{file}: no record with id {id:?} (choose the id field with --id-field)")
            });
            texts.insert(format!("{file}#{id}"), text);
        }
    }
    texts
}

/// The files the references of a pairs file read (text files and corpora), so that `-o` can
/// refuse to write over one of them. Lines that do not parse are skipped here (the run
/// reports them).
pub fn referenced_files(path: &str) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut files = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let Ok(r) = parse_line(line, n + 1) else {
            continue;
        };
        for s in [r.a, r.b] {
            if let Source::Ref(spec) = s {
                if let Some(p) = super::compare::article_path(&spec) {
                    files.insert(p);
                }
            }
        }
    }
    files.into_iter().collect()
}

/// Compares every pair of `path` (`-`: standard input) and writes one JSON line per pair.
pub fn run(
    path: &str,
    read: &ReadOptions,
    opts: &CompareOptions,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("{path}: cannot read"))?;
        Box::new(std::io::BufReader::new(file))
    };
    let shown = overlap::report::visible(path).into_owned();
    let mut problems = 0usize;
    let mut report = |line: usize, reason: &str| {
        problems += 1;
        eprintln!("{shown}:{line}: {reason}");
    };
    // References are resolved per batch, so memory holds one batch of texts at a time.
    let mut lines = reader.lines().enumerate().peekable();
    while lines.peek().is_some() {
        let mut requests = Vec::new();
        for (n, text) in lines.by_ref().take(BATCH) {
            let line = n + 1;
            match text {
                Err(e) => report(line, &format!("cannot read: {e}")),
                Ok(t) if t.trim().is_empty() => {}
                Ok(t) => match parse_line(&t, line) {
                    Ok(r) => requests.push(r),
                    Err(reason) => report(line, &reason),
                },
            }
        }
        let refs = load_refs(&requests, read);
        let resolve = |s: &Source| -> Result<String, String> {
            match s {
                Source::Text(t) => Ok(t.clone()),
                Source::Ref(r) => refs
                    .get(r)
                    .cloned()
                    .unwrap_or_else(|| Err(format!("{r}: not found"))),
            }
        };
        let results: Vec<(usize, Result<String, String>)> = requests
            .par_iter()
            .map(|r| {
                let diff = resolve(&r.a).and_then(|a| {
                    let b = resolve(&r.b)?;
                    let name = |s: &Source, side: &str| match s {
                        Source::Ref(spec) => spec.clone(),
                        Source::Text(_) => format!("{}:{}", r.line, side),
                    };
                    let diff = compare(
                        &Article::new(name(&r.a, "a"), a),
                        &Article::new(name(&r.b, "b"), b),
                        opts,
                    );
                    serde_json::to_string(&Line {
                        id: &r.id,
                        line: r.line,
                        diff: &diff,
                    })
                    .map_err(|e| e.to_string())
                });
                (r.line, diff)
            })
            .collect();
        for (line, result) in results {
            match result {
                Ok(json) => writeln!(out, "{json}")?,
                Err(reason) => report(line, &reason),
            }
        }
    }
    Ok(if problems == 0 {
        Outcome::Clean
    } else {
        Outcome::Skipped
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item6_a_line_names_two_texts_or_two_references() {
        let r = parse_line(r#"{"id": "p1", "a": "One.", "b_ref": "x.txt"}"#, 3).unwrap();
        assert_eq!(r.id, Value::from("p1"));
        assert!(matches!(r.a, Source::Text(ref t) if t == "One."));
        assert!(matches!(r.b, Source::Ref(ref t) if t == "x.txt"));
        let r = parse_line(r#"{"a": "x", "b": "y"}"#, 9).unwrap();
        assert_eq!(r.id, Value::from(9));
        for bad in [
            "[1]",
            "{\"a\": \"x\"}",
            "{\"a\": 1, \"b\": \"y\"}",
            "{\"a\": \"x\", \"a_ref\": \"y\", \"b\": \"z\"}",
            "{oops",
        ] {
            assert!(parse_line(bad, 1).is_err(), "{bad}");
        }
    }
}
