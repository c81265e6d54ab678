//! `overlap report`: what each format holds, and how it agrees with `scan` and `compare`.

use serde_json::Value;

use crate::util::{article, run, Run, TestEnv};

/// `overlap report ARGS` run from the crate's root, so `samples` is a relative path.
fn in_root(args: &[&str]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("report")
        .args(args);
    run(cmd)
}

fn json_of(r: &Run) -> Value {
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("valid JSON")
}

/// The Markdown report with its timings (which vary from run to run) blanked.
fn without_timings(md: &str) -> String {
    md.lines()
        .map(|l| {
            if l.contains(" · overlap ") && l.contains(" s (scan ") {
                l.split(" · overlap ").next().unwrap_or("").to_owned()
                    + " · overlap [version · time]"
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn markdown_report_of_samples() {
    let r = in_root(&["samples", "--format", "md", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("samples_report_md", without_timings(&r.stdout));
}

#[test]
fn json_report_is_the_scan_json_plus_the_pair_diffs() {
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "samples", "--format", "json", "--quiet"]);
    let scan = json_of(&run(cmd));
    let report = json_of(&in_root(&["samples", "--format", "json", "--quiet"]));
    for key in [
        "version", "overlap", "params", "summary", "clusters", "stories", "skipped", "warnings",
    ] {
        assert_eq!(report[key], scan[key], "{key} differs from scan's");
    }
    assert_eq!(report["report"]["inputs"], serde_json::json!(["samples"]));
    let diffs = report["diffs"].as_array().expect("diffs");
    // One per cluster that is not made of exact copies: the edited budget vote, the wire story
    // inside the longer flood story, and the seed story.
    let clusters: Vec<&str> = diffs
        .iter()
        .map(|d| d["cluster"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(clusters, ["1", "2", "s1"]);
    assert_eq!(report["report"]["diffs"], 3);
    assert_eq!(report["report"]["diffs_left_out"], 0);
    for d in diffs {
        // "2" is clusters[1], "s1" is stories[0].
        let label = d["cluster"].as_str().expect("label");
        let (list, number) = match label.strip_prefix('s') {
            Some(n) => (&report["stories"], n),
            None => (&report["clusters"], label),
        };
        let index: usize = number.parse::<usize>().expect("number") - 1;
        let members: Vec<&Value> = list[index]["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|m| &m["id"])
            .collect();
        assert!(
            members.contains(&&d["a"]) && members.contains(&&d["b"]),
            "{d}"
        );
        assert_eq!(d["diff"]["a"]["id"], d["a"]);
        assert_eq!(d["diff"]["b"]["id"], d["b"]);
    }
    // Each diff is what `compare FILE FILE` says about the pair, apart from term weights,
    // which come from the whole corpus: the verdict and the verbatim passages agree.
    let budget = &diffs[0]["diff"];
    assert_eq!(budget["summary"]["scan_match"], "near");
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "compare",
        "samples/budget_vote.txt",
        "samples/budget_vote_edited.txt",
        "--format",
        "json",
    ]);
    let compared = json_of(&run(cmd));
    assert_eq!(
        compared["summary"]["scan_match"],
        budget["summary"]["scan_match"]
    );
    assert_eq!(compared["summary"]["jaccard"], budget["summary"]["jaccard"]);
    assert_eq!(compared["passages"], budget["passages"]);
}

#[test]
fn the_output_extension_picks_the_format() {
    let env = TestEnv::new();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    for (name, starts) in [
        ("r.html", "<!doctype html>"),
        ("r.md", "# Overlap report"),
        ("r.json", "{"),
    ] {
        let r = run(env.cmd(&["report", samples, "-o", name, "--quiet"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(env.read(name).starts_with(starts), "{name}");
    }
    // An explicit format wins over the extension.
    let r = run(env.cmd(&["report", samples, "-o", "r.txt", "-f", "md", "--quiet"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(env.read("r.txt").starts_with("# Overlap report"));
}

#[test]
fn skipped_records_are_listed_with_their_reasons_and_the_exit_code_says_so() {
    let env = TestEnv::new();
    let good = serde_json::json!({"id": "a", "text": article(1, 120)}).to_string();
    let copy = serde_json::json!({"id": "b", "text": article(1, 120)}).to_string();
    env.write(
        "c.jsonl",
        format!("{good}\n{{\"id\": \"broken\", \"text\": \n{copy}\n"),
    );
    for format in ["md", "html"] {
        let out = format!("r.{format}");
        let r = run(env.cmd(&["report", "c.jsonl", "-o", &out]));
        assert_eq!(
            r.code, 2,
            "a skipped record makes the exit code 2: {}",
            r.stderr
        );
        assert!(r.stderr.contains("skipped: c.jsonl:2:"), "{}", r.stderr);
        let page = env.read(&out);
        assert!(page.contains("Skipped records (1)"), "{format}");
        assert!(page.contains("c.jsonl:2"), "{format}");
    }
    // The other records are still there: one cluster of exact copies.
    let r = run(env.cmd(&["report", "c.jsonl", "-f", "json", "--quiet"]));
    assert_eq!(r.code, 2);
    let json: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(json["summary"]["exact"], 1);
    assert_eq!(json["skipped"][0]["line"], 2);
}

#[test]
fn the_diff_budget_is_respected_and_reported() {
    let r = in_root(&["samples", "--format", "json", "--max-diffs", "1"]);
    let json = json_of(&r);
    assert_eq!(json["diffs"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["report"]["diffs_left_out"], 2);
    assert!(
        r.stderr.contains("2 more left out, raise --max-diffs"),
        "{}",
        r.stderr
    );
    let md = in_root(&["samples", "--format", "md", "--max-diffs", "0", "--quiet"]).stdout;
    assert!(md.contains("at most 10 pairs per cluster and 0 in all (3 more left out)"));
}

#[test]
fn reads_standard_input_twice_through_a_spool() {
    let env = TestEnv::new();
    let base = article(4, 200);
    let mut edited: Vec<&str> = base.split(' ').collect();
    edited[50] = "zebra";
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "x", "text": base}),
        serde_json::json!({"id": "y", "text": edited.join(" ")})
    );
    let mut cmd = env.cmd(&["report", "-", "--format", "json", "--quiet"]);
    cmd.write_stdin(lines);
    let json = json_of(&run(cmd));
    assert_eq!(json["diffs"][0]["a"], "x");
    assert_eq!(json["diffs"][0]["b"], "y");
    assert_eq!(json["diffs"][0]["diff"]["summary"]["scan_match"], "near");
}

#[test]
fn same_report_on_one_thread_and_on_many() {
    let strip = |mut v: Value| {
        v["report"]["seconds"] = Value::Null;
        v
    };
    let one = strip(json_of(&in_root(&[
        "samples", "-f", "json", "-j", "1", "--quiet",
    ])));
    let many = strip(json_of(&in_root(&[
        "samples", "-f", "json", "-j", "4", "--quiet",
    ])));
    assert_eq!(one, many);
}

#[test]
fn refuses_to_overwrite_an_input() {
    let env = TestEnv::new();
    let text = serde_json::json!({"id": "a", "text": article(1, 80)}).to_string() + "\n";
    env.write("c.jsonl", &text);
    let r = run(env.cmd(&["report", "c.jsonl", "-o", "c.jsonl", "-f", "md"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("refusing to overwrite an input"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("c.jsonl"), text);
}
