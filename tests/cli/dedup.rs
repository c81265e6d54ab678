//! `overlap dedup`: the corpus minus its duplicates, records unchanged.

use serde_json::Value;

use crate::util::{article, run, TestEnv};

fn corpus(env: &TestEnv) -> Vec<String> {
    let base = article(1, 120);
    let lines = vec![
        format!(
            r#"{{"id":"a","text":{},"extra":{{"n":1}},"z":"keep my  spacing"}}"#,
            serde_json::to_string(&base).unwrap()
        ),
        serde_json::json!({"id": "b", "text": base.to_uppercase(), "date": "2020-01-01"})
            .to_string(),
        serde_json::json!({"id": "c", "text": article(2, 120)}).to_string(),
        "{broken".to_owned(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    lines
}

#[test]
fn writes_kept_records_unchanged_and_removed_ones_with_their_match() {
    let env = TestEnv::new();
    let lines = corpus(&env);
    let r = run(env.cmd(&[
        "dedup",
        "c.jsonl",
        "-o",
        "clean.jsonl",
        "--removed",
        "removed.jsonl",
    ]));
    assert_eq!(r.code, 2, "the broken line is reported: {}", r.stderr);
    assert!(
        r.stderr
            .contains("wrote 2 records, removed 1, copied 1 skipped records unchanged"),
        "{}",
        r.stderr
    );
    let clean = env.read("clean.jsonl");
    let kept: Vec<&str> = clean.lines().collect();
    assert_eq!(
        kept,
        [lines[0].as_str(), lines[2].as_str(), lines[3].as_str()],
        "byte for byte"
    );
    let removed: Vec<Value> = env
        .read("removed.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["id"], "b");
    assert_eq!(removed[0]["date"], "2020-01-01");
    assert_eq!(removed[0]["duplicate_of"], "a");
    assert_eq!(removed[0]["match"]["kind"], "exact");
}

#[test]
fn keep_earliest_uses_the_date_field() {
    let env = TestEnv::new();
    corpus(&env);
    let r = run(env.cmd(&[
        "dedup",
        "c.jsonl",
        "--keep",
        "earliest",
        "--date-field",
        "date",
        "--quiet",
    ]));
    let ids: Vec<String> = r
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["b", "c"], "b is dated, a is not: b is kept");
}

#[test]
fn dedups_stdin_and_directories() {
    let env = TestEnv::new();
    let text = article(4, 100);
    env.write("d/x.txt", &text);
    env.write("d/y.txt", format!("  {text}  "));
    let mut cmd = env.cmd(&["dedup", "d", "-", "--quiet"]);
    cmd.write_stdin(serde_json::json!({"id": "s", "text": text}).to_string() + "\n");
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["id"], "d/x.txt");
    assert_eq!(out[0]["text"], text.as_str());
}

#[test]
fn refuses_to_overwrite_its_input() {
    let env = TestEnv::new();
    corpus(&env);
    let before = env.read("c.jsonl");
    let r = run(env.cmd(&["dedup", "c.jsonl", "-o", "c.jsonl"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("refusing to overwrite an input"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("c.jsonl"), before);
}

/// A record `dedup` cannot read at all (here over `--max-record-size`) cannot be copied: the
/// run says so in its summary, not only in the problem list, and exits 2.
#[test]
fn item7_dedup_says_how_many_records_it_could_not_copy() {
    let env = TestEnv::new();
    let lines = [
        serde_json::json!({"id": "long", "text": article(5, 600)}).to_string(),
        serde_json::json!({"id": "a", "text": article(6, 60)}).to_string(),
        "{broken".to_owned(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    let r = run(env.cmd(&[
        "dedup",
        "c.jsonl",
        "--max-record-size",
        "1KiB",
        "-o",
        "out.jsonl",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("c.jsonl:1: record is larger"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "copied 1 skipped records unchanged; 1 records or files could not be read at all \
             and are NOT in the output"
        ),
        "{}",
        r.stderr
    );
    let out = std::fs::read_to_string(env.path().join("out.jsonl")).unwrap();
    assert_eq!(
        out.lines().count(),
        2,
        "the readable record and the broken line: {out}"
    );
}
