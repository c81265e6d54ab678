//! Integration tests of the `overlap` binary: one test binary, one module per concern.

mod util;

mod cli {
    pub mod args;
    pub mod bad_input;
    pub mod bounded;
    pub mod browser;
    pub mod compare;
    pub mod compare_v2;
    pub mod conflicts;
    pub mod dedup;
    pub mod determinism;
    pub mod escaping;
    pub mod eval;
    pub mod evaldata;
    pub mod fuzz_compare;
    pub mod ingest;
    pub mod keep_invariant;
    pub mod outputs;
    pub mod recall;
    pub mod report;
    pub mod report_browser;
    pub mod scan;
    pub mod skips;
}
