//! The whole-job functions for plain Python: a scan and a comparison, answered with the same
//! JSON documents `overlap scan --format json` and `overlap compare --format json` print.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use overlap::facts::{compare as compare_articles, Article, CompareOptions};
use overlap::report::{exporter, ReportFormat};
use overlap::{scan, Error, Format, Input, NoProgress, ReadOptions, ScanOptions};

use crate::params::PyParams;

fn to_py(e: Error) -> PyErr {
    match e {
        Error::Io { .. } => PyOSError::new_err(e.to_string()),
        other => PyValueError::new_err(other.to_string()),
    }
}

/// Scans JSONL files (`(path, name)`: `name` is how locations are reported) and returns the
/// scan's JSON document.
#[pyfunction]
#[pyo3(signature = (inputs, params, text_field = "text", id_field = None, date_field = None))]
pub fn scan_jsonl(
    py: Python<'_>,
    inputs: Vec<(String, String)>,
    params: &PyParams,
    text_field: &str,
    id_field: Option<String>,
    date_field: Option<String>,
) -> PyResult<String> {
    let inputs = inputs
        .into_iter()
        .map(|(path, display)| Input::Path {
            path: PathBuf::from(path),
            display,
            format: Some(Format::Jsonl),
        })
        .collect();
    let opts = ScanOptions {
        read: ReadOptions {
            text_field: text_field.to_owned(),
            id_field,
            date_field,
            keep_meta: false,
            ..ReadOptions::default()
        },
        ..ScanOptions::default()
    };
    let params = &params.inner;
    py.detach(|| {
        let result = scan(inputs, params, &opts, &NoProgress).map_err(to_py)?;
        let mut out = Vec::new();
        exporter(ReportFormat::Json, false)
            .write(&result, &mut out)
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    })
}

/// Compares two articles and returns the fact diff's JSON document.
#[pyfunction]
#[pyo3(signature = (a_id, a_text, b_id, b_text, params, min_score = None))]
pub fn compare(
    py: Python<'_>,
    a_id: &str,
    a_text: &str,
    b_id: &str,
    b_text: &str,
    params: &PyParams,
    min_score: Option<f64>,
) -> PyResult<String> {
    let (a, b) = (Article::new(a_id, a_text), Article::new(b_id, b_text));
    let mut opts = CompareOptions {
        params: params.inner.clone(),
        ..CompareOptions::default()
    };
    if let Some(score) = min_score {
        opts.min_score = score;
    }
    py.detach(|| {
        let diff = compare_articles(&a, &b, &opts);
        serde_json::to_string_pretty(&diff).map_err(|e| PyValueError::new_err(e.to_string()))
    })
}
