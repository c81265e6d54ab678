//! `overlap eval`: scores against labels, sweeps, saved predictions, labeled pairs.

use serde_json::Value;

use crate::util::{needs, run, TestEnv};

/// The sample articles as labeled JSONL: the seeds are one event, every other file its own.
fn labeled_samples(env: &TestEnv) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| {
            n.ends_with(".txt")
                && !n.contains("copy")
                && !n.contains("edited")
                && !n.starts_with("wire")
        })
        .collect();
    names.sort();
    let lines: String = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
            let label = if n.starts_with("00") {
                "kursk"
            } else {
                n.as_str()
            };
            serde_json::json!({"id": n, "text": text, "event": label}).to_string() + "\n"
        })
        .collect();
    env.write("labeled.jsonl", lines);
}

/// `overlap eval labeled.jsonl --label-field event -q EXTRA...`, which must succeed.
fn eval_samples(env: &TestEnv, extra: &[&str]) -> String {
    let mut args = vec!["eval", "labeled.jsonl", "--label-field", "event", "-q"];
    args.extend_from_slice(extra);
    let r = run(env.cmd(&args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn scores_story_clusters_against_labels() {
    let env = TestEnv::new();
    labeled_samples(&env);
    // Seven documents are too few for the threshold chosen from the corpus (a shared
    // "budget", "revenue" and "dollars" already decide); this test is about the scoring.
    let v: Value = serde_json::from_str(&eval_samples(
        &env,
        &["--format", "json", "--story-threshold", "0.25"],
    ))
    .unwrap();
    assert_eq!(v["story_threshold"], 0.25);
    assert_eq!(v["story_threshold_chosen"], false);
    assert_eq!(v["level"], "story");
    let row = &v["rows"][0];
    assert_eq!(row["pairwise"]["precision"], 1.0);
    assert_eq!(row["pairwise"]["recall"], 1.0);
    assert_eq!(row["ari"], 1.0);
    assert_eq!(row["clusters"], 1);
}

#[test]
fn sweeps_thresholds_and_scores_saved_predictions_and_pairs() {
    let env = TestEnv::new();
    labeled_samples(&env);
    let table = eval_samples(&env, &["--sweep", "0.2:0.9:0.35"]);
    // The header, the chosen threshold, the column names; the default row, then the sweep.
    assert!(table.contains("(chosen from the corpus)"), "{table}");
    let rows: Vec<&str> = table.lines().skip(3).collect();
    assert_eq!(rows.len(), 4, "{table}");
    assert!(
        rows[0].starts_with("default ")
            && rows[1].starts_with("0.2 ")
            && rows[3].starts_with("0.9 "),
        "{table}"
    );

    let r = run(env.cmd(&[
        "scan",
        "labeled.jsonl",
        "--format",
        "jsonl",
        "-q",
        "-o",
        "saved.jsonl",
        "--story-threshold",
        "0.25",
    ]));
    assert_eq!(r.code, 0);
    env.write(
        "pairs.jsonl",
        "{\"a\": \"000_ef569615e60f7221.txt\", \"b\": \"004_19ddaf6e8d9fc9cf.txt\", \"label\": 1}\n\
         {\"a\": \"000_ef569615e60f7221.txt\", \"b\": \"budget_vote.txt\", \"label\": 0}\n",
    );
    let scored = eval_samples(
        &env,
        &[
            "--predictions",
            "saved.jsonl",
            "--pairs",
            "pairs.jsonl",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&scored).unwrap();
    assert_eq!(v["rows"][0]["ari"], 1.0);
    assert_eq!(v["rows"][0]["labeled_pairs"]["precision"], 1.0);
    assert_eq!(v["rows"][0]["labeled_pairs"]["recall"], 1.0);
}

#[test]
fn a_missing_label_field_is_explained() {
    let env = TestEnv::new();
    labeled_samples(&env);
    let r = run(env.cmd(&["eval", "labeled.jsonl", "--label-field", "topic", "-q"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "no record has a label field \"topic\"; name the field holding the true cluster with --label-field"
    ), "{}", r.stderr);
    let r = run(env.cmd(&[
        "eval",
        "labeled.jsonl",
        "--label-field",
        "event",
        "--sweep",
        "0.9:0.1:0.1",
    ]));
    assert!(
        r.stderr
            .contains("--sweep \"0.9:0.1:0.1\": use 0 < FROM <= TO <= 1 and STEP > 0"),
        "{}",
        r.stderr
    );
}

/// A regression guard on real labeled data: story clusters of ECB+ against the real event.
#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn ecb_plus_story_clusters_beat_the_published_baseline() {
    let Some(ecb) = needs::shared_file(
        "ecb_plus_story_clusters_beat_the_published_baseline",
        "evaldata/ecbplus/docs.jsonl",
    ) else {
        return;
    };
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.args([
        "eval",
        ecb.to_str().expect("UTF-8 path"),
        "--label-field",
        "subtopic",
        "--format",
        "json",
        "-q",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let row = &v["rows"][0];
    // The all-pairs TF-IDF average-link baseline in ../shared/evaldata/README.md: B-cubed F1
    // 0.869, ARI 0.806 (with its threshold chosen on the data itself).
    assert!(row["bcubed"]["f1"].as_f64().unwrap() > 0.869, "{row}");
    assert!(row["ari"].as_f64().unwrap() > 0.806, "{row}");
}

/// `--level facts` reads each kind of labelled pairs, reports a bad line as path:line and
/// exits 2 after scoring the rest, and keeps only the chosen split.
#[test]
fn item6_eval_facts_reads_each_kind_and_reports_bad_lines() {
    let env = TestEnv::new();
    let pair = |a: &str, b: &str, label: &str, split: &str| {
        format!(r#"{{"text1": "{a}", "text2": "{b}", {label}, "split": "{split}"}}"#) + "\n"
    };
    let same = (
        "Envoy Steve Witkoff will meet Putin on Thursday in Moscow.",
        "Putin and envoy Steve Witkoff meet in Moscow on Thursday.",
    );
    let other = (
        "Oil prices rose two percent on Monday.",
        "The council approved the library budget.",
    );
    let mut text = pair(same.0, same.1, r#""label": 1"#, "val");
    text += "{not json\n";
    text += &pair(other.0, other.1, r#""label": 0"#, "val");
    text += &pair(other.0, other.1, r#""label": 1"#, "train");
    env.write("para.jsonl", text);
    let r = run(env.cmd(&[
        "eval",
        "--level",
        "facts",
        "para.jsonl",
        "--split",
        "val",
        "-f",
        "json",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("para.jsonl:2:"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["labels"], "paraphrase");
    assert_eq!(v["skipped_lines"], 1);
    assert_eq!(v["rows"][0]["pairs"], 2);
    assert_eq!(v["rows"][0]["accuracy"], 1.0, "{v}");

    let graded = pair(same.0, same.1, r#""score": 4.8"#, "dev")
        + &pair(other.0, other.1, r#""score": 0.2"#, "dev")
        + &pair(
            same.0,
            "Witkoff met officials in Moscow.",
            r#""score": 3.0"#,
            "dev",
        );
    env.write("sts.jsonl", graded);
    let r = run(env.cmd(&["eval", "--level", "facts", "sts.jsonl", "-f", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["labels"], "graded");
    assert_eq!(v["spearman"], 1.0, "{v}");

    let r = run(env.cmd(&["eval", "--level", "facts", "sts.jsonl", "--split", "test"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no pair matches --split"), "{}", r.stderr);
    let r = run(env.cmd(&["eval", "labeled.jsonl"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--label-field"), "{}", r.stderr);
}
