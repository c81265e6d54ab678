//! `overlap scan`: what it finds and how each format says it.

use serde_json::Value;

use crate::util::{article, run, TestEnv};

/// A small corpus with one of each match kind, as JSONL.
fn corpus(env: &TestEnv) {
    let base = article(1, 200);
    let mut edited: Vec<&str> = base.split(' ').collect();
    edited[100] = "zebra";
    let edited = edited.join(" ");
    let wire = article(7, 120);
    let long = format!("{} {} {}", article(8, 300), wire, article(9, 300));
    let lines = [
        ("orig", base.clone()),
        ("copy", base.to_uppercase()),
        ("edit", edited),
        ("wire", wire),
        ("long", long),
        ("other", article(3, 200)),
    ];
    let text: String = lines
        .iter()
        .map(|(id, t)| serde_json::json!({"id": id, "text": t, "src": "test"}).to_string() + "\n")
        .collect();
    env.write("c.jsonl", text);
}

fn json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "c.jsonl", "--format", "json", "--quiet"];
    args.extend_from_slice(extra);
    let r = run(env.cmd(&args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("valid JSON")
}

#[test]
fn finds_each_match_kind_with_evidence() {
    let env = TestEnv::new();
    corpus(&env);
    let v = json(&env, &[]);
    assert_eq!(v["version"], 1);
    let clusters = v["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 2, "{v:#}");
    let first = &clusters[0];
    assert_eq!(first["kinds"], serde_json::json!(["exact", "near"]));
    assert_eq!(first["kept"], "orig");
    let members = first["members"].as_array().unwrap();
    assert_eq!(members[1]["id"], "copy");
    assert_eq!(members[1]["match"]["kind"], "exact");
    assert_eq!(members[2]["match"]["kind"], "near");
    assert!(members[2]["match"]["jaccard"].as_f64().unwrap() >= 0.8);

    let second = &clusters[1];
    assert_eq!(second["kinds"], serde_json::json!(["contained"]));
    assert_eq!(
        second["kept"], "long",
        "the container is kept, not the contained copy"
    );
    let wire = &second["members"][0];
    assert_eq!(wire["id"], "wire");
    assert!(wire["match"]["containment"].as_f64().unwrap() >= 0.8);
    assert!(wire["match"]["jaccard"].as_f64().unwrap() < 0.5);
    assert_eq!(v["summary"]["duplicates"], 3);
    assert_eq!(v["params"]["shingle"], "word:5");
}

#[test]
fn no_containment_finds_near_duplicates_only() {
    let env = TestEnv::new();
    corpus(&env);
    let v = json(&env, &["--no-containment"]);
    assert_eq!(v["clusters"].as_array().unwrap().len(), 1);
    assert_eq!(v["params"]["containment"], Value::Null);
}

#[test]
fn jsonl_is_a_stream_of_typed_events_with_the_summary_last() {
    let env = TestEnv::new();
    corpus(&env);
    env.write("bad.jsonl", "{\n");
    let r = run(env.cmd(&["scan", "c.jsonl", "bad.jsonl", "--quiet", "--no-stories"]));
    assert_eq!(r.code, 2);
    let events: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["cluster", "cluster", "skipped", "summary"]);
    let summary = &events[3]["data"];
    assert_eq!(summary["version"], 1);
    assert_eq!(summary["documents"], 6);
    assert_eq!(summary["skipped"], 1);
    assert!(
        summary.get("seconds").is_none(),
        "no wall time in machine output"
    );
}

#[test]
fn csv_has_one_row_per_member() {
    let env = TestEnv::new();
    corpus(&env);
    let r = run(env.cmd(&[
        "scan",
        "c.jsonl",
        "--format",
        "csv",
        "--quiet",
        "--no-stories",
    ]));
    let mut rows = csv::Reader::from_reader(r.stdout.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "cluster");
    assert_eq!(&header[6], "match_kind");
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[1][2], "copy");
    assert_eq!(&rows[1][6], "exact");
}

#[test]
fn human_output_shows_clusters_and_evidence() {
    let env = TestEnv::new();
    corpus(&env);
    let r = run(env.cmd(&[
        "scan",
        "c.jsonl",
        "--format",
        "human",
        "--quiet",
        "--no-stories",
    ]));
    assert!(
        r.stdout
            .starts_with("cluster 1 · 3 documents · exact, near · keep orig\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("exact copy of orig"), "{}", r.stdout);
    assert!(r.stdout.contains("contained in long: "), "{}", r.stdout);
    assert!(r
        .stdout
        .ends_with("2 clusters, 3 duplicates (1 exact, 1 near, 1 contained) among 6 documents\n"));
    assert!(!r.stdout.contains('\x1b'), "no color when NO_COLOR is set");
}

#[test]
fn reads_stdin_csv_and_directories_together() {
    let env = TestEnv::new();
    let text = article(5, 80);
    env.write("dir/sub/a.txt", &text);
    env.write("dir/ignored.bin", &text);
    env.write("c.csv", format!("id,text\nrow1,\"{text}\"\n"));
    let stdin = serde_json::json!({"id": "s1", "text": text}).to_string();
    let mut cmd = env.cmd(&["scan", "dir", "c.csv", "-", "--format", "json", "--quiet"]);
    cmd.write_stdin(stdin);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["clusters"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["dir/sub/a.txt", "row1", "s1"]);
    assert_eq!(v["clusters"][0]["members"][1]["source"], "c.csv:2");
    assert_eq!(v["clusters"][0]["members"][2]["source"], "-:1");
}

#[test]
fn output_file_is_written_atomically_and_inputs_are_never_overwritten() {
    let env = TestEnv::new();
    corpus(&env);
    let r = run(env.cmd(&[
        "scan",
        "c.jsonl",
        "-o",
        "report.json",
        "--format",
        "json",
        "--quiet",
    ]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty());
    let v: Value = serde_json::from_str(&env.read("report.json")).unwrap();
    assert_eq!(v["version"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let before = env.read("c.jsonl");
    let r = run(env.cmd(&["scan", "c.jsonl", "-o", "c.jsonl", "--quiet"]));
    assert_eq!(r.code, 2);
    assert!(r
        .stderr
        .contains("c.jsonl: refusing to overwrite an input; write the output to another file"));
    assert_eq!(env.read("c.jsonl"), before);
}

/// A named pipe (like `/dev/stdout` or `/dev/null`) is written in place: renaming a finished
/// file over it would replace the pipe or device with a plain file.
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_goes_through_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let env = TestEnv::new();
    corpus(&env);
    let fifo = env.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = run(env.cmd(&[
        "scan", "c.jsonl", "-o", "out.fifo", "--format", "json", "--quiet",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn an_unusable_temporary_directory_is_named_with_the_fix() {
    let env = TestEnv::new();
    corpus(&env);
    let mut cmd = env.cmd(&["scan", "c.jsonl", "--quiet"]);
    cmd.env("TMPDIR", env.path().join("missing"));
    let r = run(cmd);
    assert_eq!(r.code, 2);
    let message = "creating the temporary file of shingle sets";
    assert!(r.stderr.contains(message), "{}", r.stderr);
    assert!(r.stderr.contains("set TMPDIR"), "{}", r.stderr);
    // The operating system's reason is said once.
    assert_eq!(r.stderr.matches(message).count(), 1, "{}", r.stderr);
}

#[test]
fn samples_show_every_match_kind() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "scan", "samples", "--format", "human", "--color", "never", "--quiet",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::path::Path::new(samples).is_dir());
    insta::assert_snapshot!("samples_human", r.stdout);
}

#[test]
fn the_seed_articles_are_one_story_and_unrelated_samples_join_none() {
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "samples", "--format", "json", "--quiet"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let stories = v["stories"].as_array().unwrap();
    let ids: Vec<Vec<&str>> = stories
        .iter()
        .map(|s| {
            s["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap())
                .collect()
        })
        .collect();
    // Copies are duplicate clusters, not stories; the seeds are the one story here.
    assert_eq!(
        ids,
        [[
            "samples/000_ef569615e60f7221.txt",
            "samples/004_19ddaf6e8d9fc9cf.txt"
        ]]
    );
    let terms: Vec<&str> = stories[0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms.contains(&"kursk") && terms.contains(&"putin"),
        "{terms:?}"
    );
    assert_eq!(v["summary"]["stories"], 1);
}

#[test]
fn stories_can_be_turned_off_and_need_a_date_field_for_a_window() {
    let env = TestEnv::new();
    corpus(&env);
    let v = json(&env, &["--no-stories"]);
    assert!(v["stories"].as_array().unwrap().is_empty());
    assert_eq!(v["params"]["stories"], Value::Null);
    let r = run(env.cmd(&["scan", "c.jsonl", "--within", "3d"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--within needs --date-field NAME"),
        "{}",
        r.stderr
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--date-field", "d", "--within", "3 days"]));
    assert!(
        r.stderr.contains(
            "--within \"3 days\" is not a duration: use a number with a unit, e.g. 36h, 3d or 2w"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let env = TestEnv::new();
    corpus(&env);
    let plain = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl"]));
    let timed = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl", "--timings"]));
    assert_eq!(timed.code, 0, "{}", timed.stderr);
    assert_eq!(plain.stdout, timed.stdout);
    let line = timed
        .stderr
        .lines()
        .find(|l| l.starts_with("overlap: stage wall times:"))
        .unwrap_or_else(|| panic!("no timings line in {:?}", timed.stderr));
    for stage in [
        "read+fingerprint",
        "candidates",
        "verify",
        "cluster",
        "stories",
    ] {
        assert!(
            line.contains(&format!("{stage} ")),
            "{stage} missing: {line}"
        );
    }
    assert!(!plain.stderr.contains("stage wall times"));
}

/// Copies of one line are one story unit: 20,000 of them beside the samples change nothing
/// in the stories, and the story stage counts them once (issue 18, item 1).
#[test]
fn item1_copies_of_one_line_are_one_story_unit() {
    let env = TestEnv::new();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut lines = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in &names {
        let text = std::fs::read_to_string(path).unwrap();
        let id = path.file_name().unwrap().to_str().unwrap();
        lines.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
        lines.push('\n');
    }
    env.write("plain.jsonl", lines.clone());
    let line = "Subscribe to our newsletter for the latest updates delivered to your inbox daily.";
    for i in 0..20_000 {
        lines.push_str(&serde_json::json!({"id": format!("copy-{i}"), "text": line}).to_string());
        lines.push('\n');
    }
    env.write("copies.jsonl", lines);
    let scan = |input: &str| {
        let r = run(env.cmd(&["scan", input, "--format", "json", "-q"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    let (plain, copies) = (scan("plain.jsonl"), scan("copies.jsonl"));
    let units = |v: &Value| v["summary"]["story_units"].as_u64().unwrap();
    assert!(units(&plain) >= 9, "{}", plain["summary"]);
    assert_eq!(units(&copies), units(&plain) + 1);
    // The same stories with the same evidence (the similarities move a little: the line is
    // one more unit in the document frequencies).
    let stories = |v: &Value| -> Vec<(Vec<String>, Value)> {
        v["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let ids = s["members"].as_array().unwrap().iter();
                let ids = ids.map(|m| m["id"].as_str().unwrap().to_owned()).collect();
                (ids, s["terms"].clone())
            })
            .collect()
    };
    assert!(!stories(&plain).is_empty());
    assert_eq!(stories(&plain), stories(&copies));
    let biggest = copies["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["members"].as_array().unwrap().len())
        .max();
    assert_eq!(biggest, Some(20_000));
}

#[test]
fn item2_a_date_field_brings_a_default_window_and_the_chosen_threshold_is_shown() {
    let env = TestEnv::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let seed = |n: &str| std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
    let (a, b) = (
        seed("000_ef569615e60f7221.txt"),
        seed("004_19ddaf6e8d9fc9cf.txt"),
    );
    // Undated unrelated articles give the corpus a background (two documents alone share
    // every term they have in common with the whole corpus).
    let others: String = [
        "budget_vote.txt",
        "harbour_strike.txt",
        "unrelated_wildfire_evacuation.txt",
    ]
    .iter()
    .map(|n| serde_json::json!({"id": n, "text": seed(n)}).to_string() + "\n")
    .collect();
    let write = |second_date: &str| {
        let lines = [("a", &a, "2025-03-11"), ("b", &b, second_date)]
            .iter()
            .map(|(id, t, d)| serde_json::json!({"id": id, "text": t, "d": d}).to_string() + "\n")
            .collect::<String>();
        env.write("c.jsonl", lines + &others);
    };
    // Whether the two seeds are one story.
    let together = |extra: &[&str]| -> bool {
        let v = json(&env, extra);
        assert!(v["summary"]["story_threshold"].as_f64().is_some(), "{v:#}");
        v["stories"].as_array().unwrap().iter().any(|s| {
            let ids: Vec<&str> = s["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap())
                .collect();
            ids.contains(&"a") && ids.contains(&"b")
        })
    };
    // Four days apart: one story.
    write("2025-03-15");
    assert!(together(&["--date-field", "d"]));
    // Three months apart, the same words: by default two weeks is the window.
    write("2025-06-15");
    assert!(!together(&["--date-field", "d"]));
    assert!(together(&["--date-field", "d", "--within", "off"]));
    assert!(together(&["--date-field", "d", "--within", "120d"]));
    // Without a date field, dates are not read at all.
    assert!(together(&[]));
}
