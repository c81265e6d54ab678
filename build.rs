//! Turns the test opt-outs `OVERLAP_SKIP_BROWSER` and `OVERLAP_SKIP_SHARED` (see
//! tests/util/needs.rs) into cfgs that mark the tests needing Chromium or ../shared as
//! ignored, so that a skipped test shows as "ignored" in the runner's summary, never as "ok".

fn main() {
    for (var, cfg) in [
        ("OVERLAP_SKIP_BROWSER", "overlap_skip_browser"),
        ("OVERLAP_SKIP_SHARED", "overlap_skip_shared"),
    ] {
        println!("cargo::rerun-if-env-changed={var}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var_os(var).is_some_and(|v| !v.is_empty() && v != "0") {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
