//! Integration tests of the `overlap` binary: one test binary, one module per concern.

mod util;

mod cli {
    pub mod bad_input;
    pub mod browser;
    pub mod compare;
    pub mod dedup;
    pub mod determinism;
    pub mod eval;
    pub mod evaldata;
    pub mod ingest;
    pub mod report;
    pub mod report_browser;
    pub mod scan;
}
