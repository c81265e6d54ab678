//! Flags (issue 16): absurd thread counts (item 8), flags a subcommand would ignore and runs
//! that read no document (item 15).

use crate::util::{article, run, TestEnv};

#[test]
fn item8_absurd_thread_counts_are_refused() {
    let env = TestEnv::new();
    env.write("a.txt", article(1, 50));
    env.write("b.txt", article(2, 50));
    for args in [
        vec!["scan", "a.txt", "--threads", "5000"],
        vec!["compare", "a.txt", "b.txt", "-j", "5000"],
        vec!["scan", "a.txt", "--threads", "0"],
        vec!["scan", "a.txt", "--threads", "257"],
    ] {
        let r = run(env.cmd(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("--threads") && r.stderr.contains("1 to 256"),
            "{args:?}: says what is allowed: {}",
            r.stderr
        );
    }
    let r = run(env.cmd(&["scan", "a.txt", "b.txt", "-q", "--threads", "256"]));
    assert_eq!(r.code, 0, "the limit itself is allowed: {}", r.stderr);
}

#[test]
fn item15_flags_a_subcommand_would_ignore_are_rejected() {
    let env = TestEnv::new();
    env.write("a.txt", article(1, 50));
    env.write("b.txt", article(2, 50));
    for args in [
        vec!["dedup", "a.txt", "--story-threshold", "0.5"],
        vec!["dedup", "a.txt", "--no-stories"],
        vec!["dedup", "a.txt", "--within", "3d", "--date-field", "d"],
        vec!["dedup", "a.txt", "--story-keywords", "5"],
        vec!["dedup", "a.txt", "--color", "always"],
        vec!["report", "a.txt", "--color", "always", "-f", "md"],
        vec!["eval", "a.txt", "--label-field", "l", "--color", "never"],
        vec!["eval", "a.txt", "--label-field", "l", "--timings"],
    ] {
        let flag = args
            .iter()
            .find(|a| {
                a.starts_with("--")
                    && ["story", "stories", "within", "color", "timings"]
                        .iter()
                        .any(|w| a.contains(w))
            })
            .unwrap();
        let r = run(env.cmd(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{flag} does nothing in `overlap {}`", args[0])),
            "{args:?}: says {flag} does nothing there: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: nothing ran");
    }
    // The same flags where they do something.
    let r = run(env.cmd(&[
        "scan",
        "a.txt",
        "b.txt",
        "-q",
        "--story-threshold",
        "0.5",
        "--color",
        "never",
        "--timings",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn item15_flags_another_flag_turns_off_are_rejected() {
    // `--no-containment` makes `--containment` do nothing, `--no-stories` the story flags.
    let env = TestEnv::new();
    env.write("a.txt", article(1, 50));
    for (args, pair) in [
        (
            vec!["scan", "a.txt", "--no-containment", "--containment", "0.5"],
            ["--no-containment", "--containment"],
        ),
        (
            vec!["dedup", "a.txt", "--containment", "0.5", "--no-containment"],
            ["--no-containment", "--containment"],
        ),
        (
            vec!["scan", "a.txt", "--no-stories", "--story-threshold", "0.3"],
            ["--no-stories", "--story-threshold"],
        ),
        (
            vec!["report", "a.txt", "--no-stories", "--story-keywords", "5"],
            ["--no-stories", "--story-keywords"],
        ),
        (
            vec![
                "scan",
                "a.txt",
                "--no-stories",
                "--within",
                "2d",
                "--date-field",
                "d",
            ],
            ["--no-stories", "--within"],
        ),
    ] {
        let r = run(env.cmd(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            pair.iter().all(|f| r.stderr.contains(f)),
            "{args:?}: names both flags: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: nothing ran");
    }
}

#[test]
fn item15_a_run_that_reads_no_document_says_so_and_exits_2() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("empty")).unwrap();
    env.write("html/page.html", "<p>not a text document</p>");
    env.write("none.jsonl", "");
    for args in [
        vec!["scan", "empty"],
        vec!["scan", "html", "-o", "out.jsonl"],
        vec!["dedup", "empty", "-o", "out.jsonl"],
        vec!["dedup", "none.jsonl", "-o", "out.jsonl"],
        vec!["report", "empty", "-o", "out.html"],
    ] {
        let r = run(env.cmd(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("no documents were read"),
            "{args:?}: a warning on stderr: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: no output");
        assert!(
            !env.path().join("out.jsonl").exists(),
            "{args:?}: no output file"
        );
        assert!(
            !env.path().join("out.html").exists(),
            "{args:?}: no output file"
        );
    }
}
