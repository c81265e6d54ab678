//! `overlap._native`: the Rust half of the Python package.
//!
//! Columns cross the boundary as raw little-endian buffers (`bytes`), never as Python objects:
//! the Python half (`overlap/arrow.py`) takes them out of Arrow arrays and wraps the results
//! back into Arrow arrays, so a batch of a hundred thousand documents costs a few copies and no
//! per-row Python work. Every function works on one batch on the calling thread and releases
//! the GIL while it runs: on Spark, the parallelism comes from the tasks.
//!
//! The stages are the core crate's own functions (`Fingerprinter`, `WindowStream`,
//! `similarity`/`classify`, `build_clusters`), so a batch gives exactly what `overlap scan`
//! computes for the same documents.

mod batch;
mod buffers;
mod graph;
mod params;
mod plain;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<params::PyParams>()?;
    m.add("DEFAULT_SEED", overlap::config::DEFAULT_SEED)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(batch::fingerprints, m)?)?;
    m.add_function(wrap_pyfunction!(batch::signatures, m)?)?;
    m.add_function(wrap_pyfunction!(batch::verify_texts, m)?)?;
    m.add_function(wrap_pyfunction!(batch::verify_signatures, m)?)?;
    m.add_class::<graph::BucketStream>()?;
    m.add_function(wrap_pyfunction!(graph::union_find, m)?)?;
    m.add_function(wrap_pyfunction!(graph::cluster_edges, m)?)?;
    m.add_function(wrap_pyfunction!(plain::scan_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(plain::compare, m)?)?;
    Ok(())
}
