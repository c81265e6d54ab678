//! Output files (issue 16): never onto or inside an input (item 3), removed on SIGINT/SIGTERM
//! (item 9), created with the umask's mode and replacing a file without changing its mode
//! (item 14).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::util::{article, run, TestEnv};

/// Two records of a JSONL corpus, different enough to compare.
fn corpus(env: &TestEnv, rel: &str) -> String {
    let lines = [
        serde_json::json!({"id": "a", "text": article(1, 80)}).to_string(),
        serde_json::json!({"id": "b", "text": article(2, 80)}).to_string(),
    ];
    let body = lines.join("\n") + "\n";
    env.write(rel, &body);
    body
}

/// A directory of text documents.
fn docs(env: &TestEnv) {
    env.write("docs/a.txt", article(1, 80));
    env.write("docs/sub/b.txt", article(2, 80));
    env.write("docs/sub/c.txt", article(1, 80));
}

/// Asserts a refused run: exit 2, a message naming the output and the way out, no file changed.
fn assert_refused(env: &TestEnv, args: &[&str], needle: &str, unchanged: &[(&str, &str)]) {
    let r = run(env.cmd(args));
    assert_eq!(r.code, 2, "{args:?} must be refused: {}", r.stderr);
    assert!(
        r.stderr.contains(needle),
        "{args:?}: the message names the problem ({needle:?}): {}",
        r.stderr
    );
    for (rel, before) in unchanged {
        assert_eq!(&env.read(rel), before, "{rel} must be left as it was");
    }
    let leftovers: Vec<String> = std::fs::read_dir(env.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
}

#[test]
fn item3_compare_output_onto_its_own_corpus_is_refused() {
    let env = TestEnv::new();
    let before = corpus(&env, "c.jsonl");
    assert_refused(
        &env,
        &[
            "compare",
            "c.jsonl#a",
            "c.jsonl#b",
            "-f",
            "json",
            "-o",
            "c.jsonl",
        ],
        "refusing to overwrite an input",
        &[("c.jsonl", &before)],
    );
}

#[test]
fn item3_compare_output_onto_the_idf_corpus_is_refused() {
    let env = TestEnv::new();
    let before = corpus(&env, "idf.jsonl");
    env.write("a.txt", article(3, 60));
    env.write("b.txt", article(4, 60));
    assert_refused(
        &env,
        &[
            "compare",
            "a.txt",
            "b.txt",
            "--idf",
            "idf.jsonl",
            "-o",
            "idf.jsonl",
        ],
        "refusing to overwrite an input",
        &[("idf.jsonl", &before)],
    );
}

#[test]
fn item3_scan_output_onto_a_document_of_an_input_directory_is_refused() {
    let env = TestEnv::new();
    docs(&env);
    let before = env.read("docs/a.txt");
    assert_refused(
        &env,
        &["scan", "docs", "-o", "docs/a.txt"],
        "inside the input directory docs",
        &[("docs/a.txt", &before)],
    );
}

#[test]
fn item3_dedup_output_inside_an_input_directory_is_refused_new_or_not() {
    let env = TestEnv::new();
    docs(&env);
    let before = env.read("docs/sub/b.txt");
    assert_refused(
        &env,
        &["dedup", "docs", "-o", "docs/sub/b.txt"],
        "inside the input directory docs",
        &[("docs/sub/b.txt", &before)],
    );
    // A new file there would be read as a document by the next run.
    assert_refused(
        &env,
        &[
            "dedup",
            "docs",
            "-o",
            "out.jsonl",
            "--removed",
            "docs/removed.txt",
        ],
        "inside the input directory docs",
        &[],
    );
    assert!(!env.path().join("docs/removed.txt").exists());
    assert!(!env.path().join("out.jsonl").exists());
    // A symlink outside that leads to a document inside.
    std::os::unix::fs::symlink("docs/sub/b.txt", env.path().join("link.txt")).unwrap();
    assert_refused(
        &env,
        &["dedup", "docs", "-o", "link.txt"],
        "inside the input directory docs",
        &[("docs/sub/b.txt", &before)],
    );
}

#[test]
fn item3_dedup_output_and_removed_file_the_same_are_refused() {
    let env = TestEnv::new();
    corpus(&env, "c.jsonl");
    assert_refused(
        &env,
        &["dedup", "c.jsonl", "-o", "x.jsonl", "--removed", "x.jsonl"],
        "the same file",
        &[],
    );
    assert!(!env.path().join("x.jsonl").exists());
    // The same file by another name: a symlink to where -o writes.
    std::fs::write(env.path().join("x.jsonl"), "old\n").unwrap();
    std::os::unix::fs::symlink("x.jsonl", env.path().join("y.jsonl")).unwrap();
    assert_refused(
        &env,
        &["dedup", "c.jsonl", "-o", "x.jsonl", "--removed", "y.jsonl"],
        "the same file",
        &[("x.jsonl", "old\n")],
    );
}

#[test]
fn item3_outputs_linked_to_an_input_are_refused() {
    let env = TestEnv::new();
    let before = corpus(&env, "c.jsonl");
    std::fs::hard_link(env.path().join("c.jsonl"), env.path().join("hard.jsonl")).unwrap();
    std::os::unix::fs::symlink("c.jsonl", env.path().join("soft.jsonl")).unwrap();
    for out in ["hard.jsonl", "soft.jsonl"] {
        assert_refused(
            &env,
            &["scan", "c.jsonl", "-o", out],
            "refusing to overwrite an input",
            &[("c.jsonl", &before)],
        );
        assert_refused(
            &env,
            &["report", "c.jsonl", "--format", "json", "-o", out],
            "refusing to overwrite an input",
            &[("c.jsonl", &before)],
        );
    }
}

#[test]
fn item3_outputs_reached_through_a_symlink_inside_an_input_directory_are_refused() {
    // The walk follows symlinks, so a file or directory a link inside `docs` leads to is read
    // too: an output onto that file, or inside that directory, would replace what the run read.
    let env = TestEnv::new();
    docs(&env);
    env.write("elsewhere/story.txt", article(3, 80));
    let before = env.read("elsewhere/story.txt");
    std::os::unix::fs::symlink("../elsewhere/story.txt", env.path().join("docs/story.txt"))
        .unwrap();
    assert_refused(
        &env,
        &["dedup", "docs", "-o", "elsewhere/story.txt"],
        "refusing to overwrite an input",
        &[("elsewhere/story.txt", &before)],
    );
    env.write("linked/d.txt", article(4, 80));
    std::os::unix::fs::symlink("../linked", env.path().join("docs/linked")).unwrap();
    assert_refused(
        &env,
        &["scan", "docs", "-o", "linked/d.txt"],
        "inside the input directory",
        &[("elsewhere/story.txt", &before)],
    );
}

#[test]
fn item3_eval_output_onto_its_predictions_is_refused() {
    let env = TestEnv::new();
    let lines = [
        serde_json::json!({"id": "a", "text": article(1, 80), "label": "x"}).to_string(),
        serde_json::json!({"id": "b", "text": article(2, 80), "label": "y"}).to_string(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    let saved = "{\"type\":\"summary\"}\n";
    env.write("pred.jsonl", saved);
    assert_refused(
        &env,
        &[
            "eval",
            "c.jsonl",
            "--label-field",
            "label",
            "--predictions",
            "pred.jsonl",
            "-o",
            "pred.jsonl",
        ],
        "refusing to overwrite an input",
        &[("pred.jsonl", saved)],
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// `overlap ARGS` under `umask MASK`, through the shell that sets it.
fn with_umask(env: &TestEnv, mask: &str, args: &[&str]) -> crate::util::Run {
    let bin = assert_cmd::cargo::cargo_bin("overlap");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.current_dir(env.path())
        .arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args);
    run(cmd)
}

#[test]
fn item14_new_outputs_get_the_mode_the_umask_allows() {
    let env = TestEnv::new();
    corpus(&env, "c.jsonl");
    for (mask, expected) in [("022", 0o644), ("027", 0o640), ("002", 0o664)] {
        let out = format!("out{mask}.jsonl");
        let removed = format!("removed{mask}.jsonl");
        let r = with_umask(
            &env,
            mask,
            &["dedup", "c.jsonl", "-q", "-o", &out, "--removed", &removed],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        for name in [&out, &removed] {
            assert_eq!(
                mode(&env.path().join(name)),
                expected,
                "{name} under umask {mask}"
            );
        }
    }
}

#[test]
fn item14_an_output_through_a_symlink_replaces_the_file_it_leads_to_and_keeps_the_link() {
    // `-o link` writes the file the link leads to, as `> link` in a shell would: the link is
    // not replaced by a plain file while its target keeps the old contents.
    let env = TestEnv::new();
    corpus(&env, "c.jsonl");
    let target = env.write("results/out.jsonl", "old\n");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("results/out.jsonl", env.path().join("link.jsonl")).unwrap();
    let r = run(env.cmd(&["scan", "c.jsonl", "-q", "-o", "link.jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let link = std::fs::symlink_metadata(env.path().join("link.jsonl")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "link.jsonl is still a symlink"
    );
    let written = env.read("results/out.jsonl");
    assert!(
        written.contains("\"summary\""),
        "the file behind the link holds the scan: {written}"
    );
    assert_eq!(mode(&target), 0o640, "and keeps its mode");
}

#[test]
fn item14_a_replaced_output_keeps_its_mode() {
    let env = TestEnv::new();
    corpus(&env, "c.jsonl");
    let out = env.write("out.jsonl", "old\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let report = env.write("report.json", "old\n");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = with_umask(&env, "077", &["scan", "c.jsonl", "-q", "-o", "out.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = with_umask(
        &env,
        "002",
        &["report", "c.jsonl", "-q", "-o", "report.json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(env.read("out.jsonl"), "old\n", "the file was replaced");
    assert_ne!(env.read("report.json"), "old\n", "the file was replaced");
    assert_eq!(
        mode(&out),
        0o644,
        "umask 077 does not narrow a replaced file"
    );
    assert_eq!(
        mode(&report),
        0o640,
        "umask 002 does not widen a replaced file"
    );
    // A replaced file's setuid and setgid bits are not carried over to data.
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o6755)).unwrap();
    let r = run(env.cmd(&["scan", "c.jsonl", "-q", "-o", "out.jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777,
        0o755
    );
}

/// Entries of `dir` other than `keep`.
fn others(dir: &Path, keep: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect()
}

#[test]
fn item9_a_signal_mid_run_removes_the_temporary_outputs() {
    use std::os::unix::process::ExitStatusExt;
    let env = TestEnv::new();
    // Large enough that the run is still going when the signal comes.
    let mut big = String::new();
    for i in 0..20_000u32 {
        big.push_str(&serde_json::json!({"id": i, "text": article(i % 15_000, 150)}).to_string());
        big.push('\n');
    }
    env.write("big.jsonl", &big);
    for (signal, number) in [("INT", 2), ("TERM", 15)] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("overlap"))
            .current_dir(env.path())
            .args([
                "dedup",
                "big.jsonl",
                "-q",
                "-o",
                "out.jsonl",
                "--removed",
                "rm.jsonl",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start overlap");
        // Wait (a bounded number of polls) until a temporary output holds bytes: the signal
        // comes mid-write.
        let mut seen = Vec::new();
        for _ in 0..60_000 {
            seen = others(env.path(), "big.jsonl");
            let writing = seen
                .iter()
                .any(|n| std::fs::metadata(env.path().join(n)).is_ok_and(|m| m.len() > 0));
            if writing || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(
            !seen.is_empty() && seen.iter().all(|n| n.starts_with('.')),
            "only temporary outputs exist before the end: {seen:?}"
        );
        assert!(child.try_wait().unwrap().is_none(), "still running");
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        let out = child.wait_with_output().expect("wait for overlap");
        assert_eq!(
            out.status.signal(),
            Some(number),
            "SIG{signal} ends the run as the signal would: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            others(env.path(), "big.jsonl"),
            Vec::<String>::new(),
            "SIG{signal}: no temporary file, no out.jsonl, no rm.jsonl"
        );
    }
}

#[test]
fn item3_output_onto_the_file_behind_standard_input_is_refused() {
    let env = TestEnv::new();
    let before = corpus(&env, "c.jsonl");
    // `< c.jsonl`: standard input is the file itself, not a pipe.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("overlap"))
        .current_dir(env.path())
        .args(["dedup", "-", "-o", "c.jsonl"])
        .stdin(std::fs::File::open(env.path().join("c.jsonl")).unwrap())
        .output()
        .expect("run overlap");
    let r = crate::util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("refusing to overwrite an input") && r.stderr.contains("standard input"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("c.jsonl"), before);
}
