//! What a test needs from the machine (headless Chromium, the data in `../shared`), and what
//! happens without it: the test fails with what to install or where the data should be. A test
//! that did not run never passes.
//!
//! The one way out is explicit: `OVERLAP_SKIP_BROWSER=1` or `OVERLAP_SKIP_SHARED=1`. Set when
//! the tests are built (`OVERLAP_SKIP_BROWSER=1 cargo test`), `build.rs` turns it into a cfg
//! that marks those tests `#[ignore]` with the reason, so the runner lists them as ignored and
//! counts them in its summary. Set only when they run (e.g. with `--include-ignored`), the test
//! returns early and writes `SKIPPED: <test>: <reason>` straight to the process's stderr,
//! which the harness does not capture.

use std::io::Write;
use std::path::PathBuf;

/// Opt-out for the tests that drive headless Chromium.
pub const SKIP_BROWSER: &str = "OVERLAP_SKIP_BROWSER";
/// Opt-out for the tests that read `../shared` (bench corpus, labeled evaluation data).
pub const SKIP_SHARED: &str = "OVERLAP_SKIP_SHARED";

/// Debian's launcher script, or the browser named by `OVERLAP_CHROMIUM` (which also lets a
/// test point at a browser that is not there).
pub fn chromium_path() -> PathBuf {
    std::env::var_os("OVERLAP_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Where the shared data lives: `OVERLAP_SHARED`, else `../shared` beside the repository
/// (the same rule as python/tests/conftest.py).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("OVERLAP_SHARED").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
        PathBuf::from,
    )
}

/// Whether `test` may go on with Chromium: yes when it is installed; no, with a visible
/// SKIPPED line, when it is not and [`SKIP_BROWSER`] is set; otherwise the test fails.
pub fn chromium(test: &str) -> bool {
    let path = chromium_path();
    if path.is_file() {
        return true;
    }
    let reason = format!(
        "{} not found: install Debian's chromium (scripts/setup-test-deps.sh, or \
         apt-get install -y chromium), or set {SKIP_BROWSER}=1 to skip the browser tests",
        path.display()
    );
    skip_or_fail(test, SKIP_BROWSER, &reason);
    false
}

/// The file `rel` of the shared data for `test`: `Some(path)` when it is there; `None`, with a
/// visible SKIPPED line, when it is not and [`SKIP_SHARED`] is set; otherwise the test fails.
pub fn shared_file(test: &str, rel: &str) -> Option<PathBuf> {
    let path = shared_dir().join(rel);
    if path.is_file() {
        return Some(path);
    }
    let reason = format!(
        "{} not found: this test reads the shared data set (bench corpus and labeled \
         evaluation data) from ../shared beside the repository; put it there or point \
         OVERLAP_SHARED at it, or set {SKIP_SHARED}=1 to skip the tests that need it",
        path.display()
    );
    skip_or_fail(test, SKIP_SHARED, &reason);
    None
}

/// Returns (the test is to be skipped) only when `opt_out` is set; panics otherwise.
fn skip_or_fail(test: &str, opt_out: &str, reason: &str) {
    if std::env::var_os(opt_out).is_some_and(|v| !v.is_empty() && v != "0") {
        // Straight to fd 2: the harness captures eprintln! of passing tests, not this.
        let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {reason}");
        return;
    }
    panic!("{test} cannot run: {reason}");
}
