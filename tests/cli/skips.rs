//! Item 6 of issue 16: a test that did not run never passes. The tests that need headless
//! Chromium or the data in ../shared are run here again, as their own test binary in a child
//! process, with the browser or the data pointed somewhere empty: they must fail and say what
//! to install or where the data goes, unless the opt-out is set, when they must say SKIPPED.

use std::process::Command;

use crate::util::needs;

/// The tests that drive Chromium.
const BROWSER_TESTS: &[&str] = &[
    "cli::browser::html_page_renders_in_headless_chromium",
    "cli::browser::console_detector_catches_a_script_error",
    "cli::browser::html_escapes_hostile_article_text",
    "cli::report_browser::samples_report_opens_clicks_into_the_seed_story_and_shows_its_diff",
    "cli::report_browser::hostile_document_text_is_shown_as_text_and_never_runs",
    "cli::report_browser::bench_corpus_report_opens_in_chromium",
    "cli::report_browser::item13_report_page_keeps_right_to_left_overrides_of_the_data_in_isolates",
];

/// The tests that read ../shared.
const SHARED_TESTS: &[&str] = &[
    "cli::eval::ecb_plus_story_clusters_beat_the_published_baseline",
    "cli::evaldata::containment_ranks_reuse_levels_in_order",
    "cli::evaldata::scan_never_clusters_independent_answers_and_finds_most_copies",
    "cli::determinism::bench_corpus_slice_is_identical_on_one_and_many_threads",
    "cli::recall::item6_planted_copies_in_a_bench_slice_are_found",
    "cli::report_browser::bench_corpus_report_opens_in_chromium",
];

/// Runs one test of this binary (ignored or not) in a child with `env` set and both opt-outs
/// cleared unless `env` sets them; returns (passed, everything it printed).
fn run_alone(test: &str, env: &[(&str, &str)]) -> (bool, String) {
    let exe = std::env::current_exe().expect("path of the test binary");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", test, "--include-ignored", "--test-threads", "1"])
        .env_remove(needs::SKIP_BROWSER)
        .env_remove(needs::SKIP_SHARED)
        .env_remove("CI");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the test binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("1 passed") || text.contains("1 failed"),
        "{test}: the child ran no test:\n{text}"
    );
    (out.status.success(), text)
}

#[test]
fn item6_browser_tests_fail_without_chromium() {
    for test in BROWSER_TESTS {
        let (passed, out) = run_alone(test, &[("OVERLAP_CHROMIUM", "/nonexistent/chromium")]);
        assert!(!passed, "{test} passed without a browser:\n{out}");
        assert!(
            out.contains("/nonexistent/chromium not found: install Debian's chromium"),
            "{test} does not say what to install:\n{out}"
        );
    }
}

#[test]
fn item6_shared_data_tests_fail_without_the_data() {
    for test in SHARED_TESTS {
        let (passed, out) = run_alone(test, &[("OVERLAP_SHARED", "/nonexistent/shared")]);
        assert!(!passed, "{test} passed without ../shared:\n{out}");
        assert!(
            out.contains("/nonexistent/shared/") && out.contains("not found: this test reads"),
            "{test} does not say where the data should be:\n{out}"
        );
    }
}

#[test]
fn item6_opt_outs_skip_visibly() {
    let browser = BROWSER_TESTS[0];
    let (passed, out) = run_alone(
        browser,
        &[
            ("OVERLAP_CHROMIUM", "/nonexistent/chromium"),
            (needs::SKIP_BROWSER, "1"),
        ],
    );
    let name = browser.rsplit("::").next().unwrap_or(browser);
    assert!(passed, "{out}");
    assert!(
        out.contains(&format!("SKIPPED: {name}: /nonexistent/chromium not found")),
        "no SKIPPED line:\n{out}"
    );
    let shared = SHARED_TESTS[0];
    let (passed, out) = run_alone(
        shared,
        &[
            ("OVERLAP_SHARED", "/nonexistent/shared"),
            (needs::SKIP_SHARED, "1"),
        ],
    );
    let name = shared.rsplit("::").next().unwrap_or(shared);
    assert!(passed, "{out}");
    assert!(
        out.contains(&format!("SKIPPED: {name}: /nonexistent/shared/")),
        "no SKIPPED line:\n{out}"
    );
}
