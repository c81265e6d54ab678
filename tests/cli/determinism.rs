//! Same input, same output: byte-identical on one thread and on several.

use crate::util::{article, run, TestEnv};

fn scan_with_threads(env: &TestEnv, input: &str, threads: &str, format: &str) -> String {
    let mut args = vec![
        "scan",
        input,
        "--format",
        format,
        "--quiet",
        "--threads",
        threads,
    ];
    // The synthetic articles below all draw from one 40-word vocabulary, so for the story
    // stage every document resembles every other: fine in a release build, tens of seconds
    // for eight runs in a test build. Story determinism is checked on the bench corpus slice.
    if input == "c.jsonl" {
        args.push("--no-stories");
    }
    let r = run(env.cmd(&args));
    assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
    r.stdout
}

#[test]
fn output_is_identical_on_one_and_many_threads() {
    let env = TestEnv::new();
    // 3,000 documents with planted exact copies, edits and contained copies, enough for
    // several batches and busy worker threads. Documents 1, 2 and 5 of every ten are
    // originals; 0 copies the original 9 before it, 3 edits the one before it, and 7 holds
    // the one two before it inside a longer text.
    let mut lines = String::new();
    let mut planted: Vec<(String, String, &str)> = Vec::new();
    for i in 0..3000u32 {
        let text = match i % 10 {
            0 if i > 0 => {
                planted.push((format!("d{i}"), format!("d{}", i - 9), "exact"));
                article(i - 9, 150).to_uppercase()
            }
            3 => {
                planted.push((format!("d{i}"), format!("d{}", i - 1), "near"));
                let base = article(i - 1, 150);
                let mut words: Vec<&str> = base.split(' ').collect();
                words[75] = "edited";
                words.join(" ")
            }
            7 => {
                planted.push((format!("d{}", i - 2), format!("d{i}"), "contained"));
                format!("{} {}", article(i + 100_000, 200), article(i - 2, 150))
            }
            _ => article(i, 150),
        };
        lines.push_str(&serde_json::json!({"id": format!("d{i}"), "text": text}).to_string());
        lines.push('\n');
    }
    env.write("c.jsonl", lines);
    for format in ["json", "jsonl", "csv", "human"] {
        let one = scan_with_threads(&env, "c.jsonl", "1", format);
        let many = scan_with_threads(&env, "c.jsonl", "4", format);
        assert!(one.len() > 1000, "{format}: suspiciously small output");
        assert_eq!(one, many, "{format} output differs between 1 and 4 threads");
        if format == "json" {
            assert_planted_found(&one, &planted);
        }
    }
}

/// Every planted copy `(removed, kept, kind)` is removed for its original, with its kind.
fn assert_planted_found(json: &str, planted: &[(String, String, &str)]) {
    let out: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut removed_for = std::collections::HashMap::new();
    for cluster in out["clusters"].as_array().unwrap() {
        for m in cluster["members"].as_array().unwrap() {
            if !m["kept"].as_bool().unwrap() {
                let matched = (
                    m["match"]["to"].as_str().unwrap(),
                    m["match"]["kind"].as_str().unwrap(),
                );
                removed_for.insert(m["id"].as_str().unwrap().to_owned(), matched);
            }
        }
    }
    assert_eq!(planted.len(), 899);
    for (copy, original, kind) in planted {
        assert_eq!(
            removed_for.get(copy),
            Some(&(original.as_str(), *kind)),
            "{copy} is a planted {kind} copy of {original}"
        );
    }
    assert_eq!(removed_for.len(), planted.len(), "nothing else is removed");
}

#[test]
fn bench_corpus_slice_is_identical_on_one_and_many_threads() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/corpus.jsonl");
    let Ok(text) = std::fs::read_to_string(corpus) else {
        eprintln!("skipping: {corpus} is not available");
        return;
    };
    let env = TestEnv::new();
    let slice: String = text.lines().take(8000).map(|l| format!("{l}\n")).collect();
    env.write("slice.jsonl", slice);
    let one = scan_with_threads(&env, "slice.jsonl", "1", "json");
    let many = scan_with_threads(&env, "slice.jsonl", "3", "json");
    assert!(
        one.contains("\"kind\": \"exact\""),
        "the slice holds exact copies"
    );
    assert!(
        one.contains("\"stories\": [\n    {"),
        "the slice holds story clusters"
    );
    assert_eq!(one, many);
}
