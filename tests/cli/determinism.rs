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
    // several batches and busy worker threads.
    let mut lines = String::new();
    for i in 0..3000u32 {
        let text = match i % 10 {
            0 if i > 0 => article(i - 10, 150).to_uppercase(),
            3 if i > 3 => {
                let base = article(i - 3, 150);
                let mut words: Vec<&str> = base.split(' ').collect();
                words[75] = "edited";
                words.join(" ")
            }
            7 if i > 7 => format!("{} {}", article(i + 100_000, 200), article(i - 7, 150)),
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
    }
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
