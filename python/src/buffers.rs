//! Raw column buffers in and out: little-endian integers and floats, and Arrow's
//! offsets-plus-data layout for strings.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

/// Reads a buffer of little-endian `i64`s (no alignment needed).
pub fn i64s(bytes: &[u8], what: &str) -> PyResult<Vec<i64>> {
    if bytes.len() % 8 != 0 {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of int64 values",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}

/// Reads a buffer of little-endian `f64`s.
pub fn f64s(bytes: &[u8], what: &str) -> PyResult<Vec<f64>> {
    Ok(i64s(bytes, what)?
        .into_iter()
        .map(|v| f64::from_bits(v as u64))
        .collect())
}

/// A string or binary column: `n + 1` int64 offsets into one data buffer.
pub struct Strings<'a> {
    offsets: Vec<i64>,
    data: &'a [u8],
}

impl<'a> Strings<'a> {
    /// Checks the offsets once so that every later access is in bounds.
    pub fn new(offsets: &[u8], data: &'a [u8], what: &str) -> PyResult<Self> {
        let offsets = i64s(offsets, what)?;
        let bad = |why: &str| PyValueError::new_err(format!("{what}: {why}"));
        if offsets.is_empty() {
            return Err(bad("a column needs n + 1 offsets"));
        }
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[0] < 0 {
            return Err(bad("offsets must not decrease"));
        }
        if *offsets.last().expect("not empty") as usize > data.len() {
            return Err(bad("offsets point past the end of the data"));
        }
        Ok(Self { offsets, data })
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The bytes of row `i`.
    pub fn bytes(&self, i: usize) -> &'a [u8] {
        &self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The text of row `i`, or `None` when it is not UTF-8 (Arrow strings always are).
    pub fn text(&self, i: usize) -> Option<&'a str> {
        std::str::from_utf8(self.bytes(i)).ok()
    }
}

/// Collects output columns as raw buffers into a `dict` of `bytes`.
pub struct Columns<'py> {
    dict: Bound<'py, PyDict>,
}

impl<'py> Columns<'py> {
    pub fn new(py: Python<'py>) -> Self {
        Self {
            dict: PyDict::new(py),
        }
    }

    /// Adds a column of plain values (integers, floats, bytes).
    pub fn put<T: ToLe>(self, name: &str, values: &[T]) -> PyResult<Self> {
        let mut raw = Vec::with_capacity(std::mem::size_of_val(values));
        for v in values {
            v.to_le(&mut raw);
        }
        self.dict
            .set_item(name, PyBytes::new(self.dict.py(), &raw))?;
        Ok(self)
    }

    pub fn finish(self) -> Bound<'py, PyDict> {
        self.dict
    }
}

/// A value written to a little-endian buffer.
pub trait ToLe {
    fn to_le(&self, out: &mut Vec<u8>);
}

macro_rules! to_le {
    ($($t:ty),*) => {$(
        impl ToLe for $t {
            fn to_le(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
to_le!(u8, i32, u32, i64, u64, f64);
