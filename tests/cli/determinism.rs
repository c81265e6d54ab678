//! Same input, same output: byte-identical on one thread and on several.

use crate::util::{article, needs, run, TestEnv};

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
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn bench_corpus_slice_is_identical_on_one_and_many_threads() {
    let Some(corpus) = needs::shared_file(
        "bench_corpus_slice_is_identical_on_one_and_many_threads",
        "bench/corpus.jsonl",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(corpus).expect("read the bench corpus");
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

/// Busy-loop threads that keep every core loaded until dropped (also on a panic), and for
/// at most two minutes whatever happens, so a hung test cannot leave them spinning.
struct CpuBurners {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl CpuBurners {
    fn start() -> Self {
        use std::sync::atomic::Ordering;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let threads = (0..2 * cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let started = std::time::Instant::now();
                    let mut x = 1u64;
                    while !stop.load(Ordering::Relaxed)
                        && started.elapsed() < std::time::Duration::from_secs(120)
                    {
                        for _ in 0..10_000 {
                            x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005) ^ 1);
                        }
                    }
                })
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for CpuBurners {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Twelve sentences of growing length (300 to 8,000 words), each drawn from a vocabulary of
/// its own, so sentence i of one article aligns with sentence i of the other.
fn graded_article(seed: u32) -> String {
    const VOCAB: &[&str] = &[
        "council", "harbour", "vote", "budget", "river", "minister", "strike", "workers", "flood",
        "market", "report", "police", "school", "court", "energy", "price", "company", "city",
        "village", "storm", "election", "road", "bridge", "farmers", "rain", "mayor", "trade",
        "union", "hospital", "judge", "museum", "festival", "airport", "station", "train",
    ];
    const LETTERS: &[u8] = b"bcdfghjklmnpqrstvwz";
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345);
    let mut sentences = Vec::new();
    let mut words = 300.0f64;
    for i in 0..12 {
        let prefix = format!("{}{}o", LETTERS[i % 19] as char, LETTERS[i / 19] as char);
        let sentence: Vec<String> = (0..words as usize)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                format!("{prefix}{}", VOCAB[(x % VOCAB.len() as u32) as usize])
            })
            .collect();
        let sentence = sentence.join(" ");
        let mut chars = sentence.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        sentences.push(format!("{}{}.", first.unwrap_or('X'), chars.as_str()));
        words *= 1.35;
    }
    sentences.join(" ")
}

/// Two articles whose aligned sentences use the same words in unrelated orders: long, dense
/// word diffs, of the kind a time-limited diff cuts short at a point that depends on how fast
/// the machine happens to be (sizes graded so that some pair sits near any such limit). The
/// corpus adds four articles on other subjects, so that the pair's terms weigh something and
/// it forms a story cluster that `report` diffs.
fn long_unlike_pair(env: &TestEnv) {
    let (a, b) = (graded_article(1), graded_article(2));
    env.write("a.txt", &a);
    env.write("b.txt", &b);
    let record = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let mut corpus = format!("{}\n{}\n", record("a", &a), record("b", &b));
    for k in 0..4 {
        let other = article(500 + k, 300).replace("council", "orchard") + ".";
        corpus.push_str(&record(
            &format!("other{k}"),
            &other.replace(' ', " apple "),
        ));
        corpus.push('\n');
    }
    env.write("pair.jsonl", corpus);
}

/// The output of `args`, which must succeed; report JSON with its `report.seconds` (the
/// run's own wall times, the one field that is meant to vary) blanked.
fn deterministic_output(env: &TestEnv, args: &[&str]) -> String {
    let r = run(env.cmd(args));
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    let mut v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON output");
    if let Some(report) = v.get_mut("report") {
        report["seconds"] = serde_json::Value::Null;
    }
    serde_json::to_string_pretty(&v).expect("serialize")
}

/// Equal, or a failure that shows the first line that differs (the outputs are megabytes).
fn assert_same(what: &str, got: &str, want: &str) {
    if got == want {
        return;
    }
    let line = got
        .lines()
        .zip(want.lines())
        .position(|(g, w)| g != w)
        .unwrap_or(got.lines().count().min(want.lines().count()));
    let cut = |s: &str| -> String {
        let l = s.lines().nth(line).unwrap_or("<end>");
        l.chars().take(200).collect()
    };
    panic!(
        "{what}: outputs differ ({} vs {} bytes), first at line {}:\n  got:  {}\n  want: {}",
        got.len(),
        want.len(),
        line + 1,
        cut(got),
        cut(want)
    );
}

#[test]
fn item10_compare_and_report_json_are_identical_under_load() {
    let env = TestEnv::new();
    long_unlike_pair(&env);
    let compare = |threads: &str| {
        deterministic_output(
            &env,
            &[
                "compare", "a.txt", "b.txt", "--format", "json", "-j", threads,
            ],
        )
    };
    let report = |threads: &str| {
        deterministic_output(
            &env,
            &[
                "report",
                "pair.jsonl",
                "--format",
                "json",
                "--threshold",
                "0.6",
                "--quiet",
                "-j",
                threads,
            ],
        )
    };
    let (compare_alone, report_alone) = (compare("1"), report("1"));
    let v: serde_json::Value = serde_json::from_str(&report_alone).expect("report JSON");
    assert!(
        v["diffs"].as_array().is_some_and(|d| !d.is_empty()),
        "the pair is reported with its diff"
    );
    assert!(
        compare_alone.contains("\"tag\": \"delete\""),
        "the long sentences are aligned and diffed"
    );
    let burners = CpuBurners::start();
    for round in 0..2 {
        let what = format!("under load (round {round}, -j 7) vs unloaded -j 1");
        assert_same(&format!("compare {what}"), &compare("7"), &compare_alone);
        assert_same(&format!("report {what}"), &report("7"), &report_alone);
    }
    drop(burners);
}
