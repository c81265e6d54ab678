//! `overlap.Params`: the CLI's parameters, validated by the core crate's builder.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use overlap::config::DEFAULT_SEED;
use overlap::story::StoryParams;
use overlap::{KeepPolicy, Params, ShingleSpec};

/// Scan parameters with the same names and defaults as `overlap scan`'s flags.
#[pyclass(name = "Params", module = "overlap", frozen)]
#[derive(Clone)]
pub struct PyParams {
    pub inner: Params,
}

fn keep_policy(name: &str) -> PyResult<KeepPolicy> {
    match name {
        "first" => Ok(KeepPolicy::First),
        "longest" => Ok(KeepPolicy::Longest),
        "earliest" => Ok(KeepPolicy::Earliest),
        other => Err(PyValueError::new_err(format!(
            "keep={other:?}: expected \"first\", \"longest\" or \"earliest\""
        ))),
    }
}

#[pymethods]
impl PyParams {
    /// Validates the parameters; `bands`/`rows` are derived from the threshold when omitted.
    #[new]
    #[pyo3(signature = (*, shingle = "word:5", num_perm = 128, threshold = 0.8,
        containment = Some(0.8), bands = None, rows = None, max_bucket = 100,
        seed = DEFAULT_SEED, keep = "first", stories = true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        shingle: &str,
        num_perm: usize,
        threshold: f64,
        containment: Option<f64>,
        bands: Option<usize>,
        rows: Option<usize>,
        max_bucket: usize,
        seed: u64,
        keep: &str,
        stories: bool,
    ) -> PyResult<Self> {
        let err = |e: overlap::Error| PyValueError::new_err(e.to_string());
        let inner = Params::builder()
            .shingle(ShingleSpec::parse(shingle).map_err(err)?)
            .num_perm(num_perm)
            .threshold(threshold)
            .containment(containment)
            .bands(bands)
            .rows(rows)
            .max_bucket(max_bucket)
            .seed(seed)
            .keep(keep_policy(keep)?)
            .stories(stories.then(StoryParams::default))
            .build()
            .map_err(err)?;
        Ok(Self { inner })
    }

    #[getter]
    fn shingle(&self) -> String {
        self.inner.shingle.to_string()
    }
    #[getter]
    fn num_perm(&self) -> usize {
        self.inner.num_perm
    }
    #[getter]
    fn threshold(&self) -> f64 {
        self.inner.threshold
    }
    #[getter]
    fn containment(&self) -> Option<f64> {
        self.inner.containment
    }
    #[getter]
    fn bands(&self) -> usize {
        self.inner.bands
    }
    #[getter]
    fn rows(&self) -> usize {
        self.inner.rows
    }
    #[getter]
    fn max_bucket(&self) -> usize {
        self.inner.max_bucket
    }
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }
    #[getter]
    fn keep(&self) -> &'static str {
        self.inner.keep.as_str()
    }
    #[getter]
    fn stories(&self) -> bool {
        self.inner.stories.is_some()
    }

    /// The keyword arguments that rebuild these parameters.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("shingle", self.shingle())?;
        d.set_item("num_perm", self.num_perm())?;
        d.set_item("threshold", self.threshold())?;
        d.set_item("containment", self.containment())?;
        d.set_item("bands", self.bands())?;
        d.set_item("rows", self.rows())?;
        d.set_item("max_bucket", self.max_bucket())?;
        d.set_item("seed", self.seed())?;
        d.set_item("keep", self.keep())?;
        d.set_item("stories", self.stories())?;
        Ok(d)
    }

    /// Pickling (Spark ships the parameters to its executors this way).
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        Ok((PyTuple::empty(py), self.to_dict(py)?))
    }

    fn __eq__(&self, other: &Self) -> bool {
        format!("{:?}", self.inner) == format!("{:?}", other.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Params(shingle={:?}, num_perm={}, threshold={}, containment={}, bands={}, rows={}, \
             max_bucket={}, seed={}, keep={:?}, stories={})",
            self.shingle(),
            self.num_perm(),
            self.threshold(),
            self.containment()
                .map_or("None".to_owned(), |c| c.to_string()),
            self.bands(),
            self.rows(),
            self.max_bucket(),
            self.seed(),
            self.keep(),
            if self.stories() { "True" } else { "False" },
        )
    }
}
