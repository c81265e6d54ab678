//! Per-document stages on a batch of texts: fingerprints, signatures, and verification of
//! candidate pairs (exact, from the texts; or estimated, from two signatures).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use overlap::doc::parse_date;
use overlap::fingerprint::{FingerprintScratch, Fingerprinter};
use overlap::sketch::minhash::estimate_jaccard;
use overlap::verify::{classify, similarity, MatchKind, Thresholds};

use crate::buffers::{Columns, Strings};
use crate::params::PyParams;

/// Codes of the `kind` columns; the Python half maps them to names.
const NONE: u8 = 0;
const EXACT: u8 = 1;
const NEAR: u8 = 2;
const CONTAINED: u8 = 3;

pub(crate) fn kind_code(kind: Option<MatchKind>) -> u8 {
    match kind {
        None => NONE,
        Some(MatchKind::Exact) => EXACT,
        Some(MatchKind::Near) => NEAR,
        Some(MatchKind::Contained) => CONTAINED,
    }
}

/// Offsets of `n` lists, each `len(i)` long.
fn list_offsets(n: usize, len: impl Fn(usize) -> usize) -> Vec<i32> {
    let mut offsets = Vec::with_capacity(n + 1);
    let mut at = 0i32;
    offsets.push(0);
    for i in 0..n {
        at += len(i) as i32;
        offsets.push(at);
    }
    offsets
}

/// Fingerprints of a batch of texts: `ok` (0 for a text without words), `exact`, `bytes`
/// (text length), `date` (the optional date column read as `overlap` reads `--date-field`,
/// in seconds since 1970; `i64::MAX` when absent or unreadable), the band keys as a list
/// column (`key_offsets`, `keys`) and the containment samples as another (`sample_offsets`,
/// `samples`).
#[pyfunction]
#[pyo3(signature = (params, offsets, data, date_offsets = None, date_data = None))]
pub fn fingerprints<'py>(
    py: Python<'py>,
    params: &PyParams,
    offsets: &[u8],
    data: &[u8],
    date_offsets: Option<&[u8]>,
    date_data: Option<&[u8]>,
) -> PyResult<Bound<'py, PyDict>> {
    let texts = Strings::new(offsets, data, "texts")?;
    let dates = match (date_offsets, date_data) {
        (Some(o), Some(d)) => Some(Strings::new(o, d, "dates")?),
        _ => None,
    };
    let date: Vec<i64> = (0..texts.len())
        .map(|i| {
            dates
                .as_ref()
                .and_then(|d| d.text(i))
                .filter(|raw| !raw.is_empty())
                .and_then(parse_date)
                .unwrap_or(i64::MAX)
        })
        .collect();
    let fp = Fingerprinter::new(&params.inner);
    let n = texts.len();
    let (ok, exact, bytes, keys, samples) = py.detach(|| {
        let mut scratch = FingerprintScratch::default();
        let (mut ok, mut exact, mut bytes) = (vec![0u8; n], vec![0i64; n], vec![0i64; n]);
        let (mut keys, mut samples): (Vec<Vec<i64>>, Vec<Vec<u64>>) = (vec![], vec![]);
        for i in 0..n {
            bytes[i] = texts.bytes(i).len() as i64;
            let print = texts.text(i).and_then(|t| fp.fingerprint(t, &mut scratch));
            match print {
                Some(p) => {
                    ok[i] = 1;
                    exact[i] = p.exact as i64;
                    keys.push(p.band_keys);
                    samples.push(p.samples);
                }
                None => {
                    keys.push(Vec::new());
                    samples.push(Vec::new());
                }
            }
        }
        (ok, exact, bytes, keys, samples)
    });
    let flat_samples: Vec<i64> = samples.iter().flatten().map(|&s| s as i64).collect();
    Columns::new(py)
        .put("ok", &ok)?
        .put("exact", &exact)?
        .put("bytes", &bytes)?
        .put("date", &date)?
        .put("key_offsets", &list_offsets(n, |i| keys[i].len()))?
        .put("keys", &keys.concat())?
        .put("sample_offsets", &list_offsets(n, |i| samples[i].len()))?
        .put("samples", &flat_samples)
        .map(Columns::finish)
}

/// MinHash signatures of a batch of texts: `ok`, and `signatures`, `num_perm` little-endian
/// u32 values per row (zeros for a text without words).
#[pyfunction]
pub fn signatures<'py>(
    py: Python<'py>,
    params: &PyParams,
    offsets: &[u8],
    data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let texts = Strings::new(offsets, data, "texts")?;
    let fp = Fingerprinter::new(&params.inner);
    let (n, width) = (texts.len(), params.inner.num_perm);
    let (ok, sigs) = py.detach(|| {
        let mut scratch = FingerprintScratch::default();
        let (mut ok, mut sigs) = (vec![0u8; n], vec![0u32; n * width]);
        for i in 0..n {
            let print = texts.text(i).and_then(|t| fp.fingerprint(t, &mut scratch));
            if print.is_some() {
                ok[i] = 1;
                sigs[i * width..(i + 1) * width].copy_from_slice(scratch.signature());
            }
        }
        (ok, sigs)
    });
    Columns::new(py)
        .put("ok", &ok)?
        .put("signatures", &sigs)
        .map(Columns::finish)
}

/// The two sides of a batch of pairs: `[a offsets, a data, b offsets, b data]`, equally long.
fn pair_columns<'a>(raw: [&'a [u8]; 4], what: &str) -> PyResult<(Strings<'a>, Strings<'a>)> {
    let a = Strings::new(raw[0], raw[1], &format!("{what}s a"))?;
    let b = Strings::new(raw[2], raw[3], &format!("{what}s b"))?;
    if a.len() != b.len() {
        return Err(PyValueError::new_err(format!(
            "the two {what} columns differ in length ({} and {})",
            a.len(),
            b.len()
        )));
    }
    Ok((a, b))
}

/// Exact verification of pairs `(a[i], b[i])` from their texts: `kind` (0 rejected,
/// 1 exact, 2 near, 3 contained), `jaccard`, `a_in_b`, `b_in_a`. A text without words is
/// rejected with similarities of 0.
#[pyfunction]
pub fn verify_texts<'py>(
    py: Python<'py>,
    params: &PyParams,
    a_offsets: &[u8],
    a_data: &[u8],
    b_offsets: &[u8],
    b_data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let (a, b) = pair_columns([a_offsets, a_data, b_offsets, b_data], "text")?;
    let fp = Fingerprinter::new(&params.inner);
    let thresholds = Thresholds {
        jaccard: params.inner.threshold,
        containment: params.inner.containment,
    };
    let n = a.len();
    let (kind, jaccard, a_in_b, b_in_a) = py.detach(|| {
        let mut scratch = FingerprintScratch::default();
        let (mut set_a, mut set_b) = (Vec::new(), Vec::new());
        let mut kind = vec![NONE; n];
        let (mut jaccard, mut a_in_b, mut b_in_a) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for i in 0..n {
            let key_a = a
                .text(i)
                .and_then(|t| fp.shingle_set(t, &mut scratch, &mut set_a));
            let key_b = b
                .text(i)
                .and_then(|t| fp.shingle_set(t, &mut scratch, &mut set_b));
            let (Some(key_a), Some(key_b)) = (key_a, key_b) else {
                continue;
            };
            let sim = similarity(&set_a, &set_b);
            kind[i] = if key_a == key_b {
                EXACT
            } else {
                kind_code(classify(sim, thresholds))
            };
            (jaccard[i], a_in_b[i], b_in_a[i]) = (sim.jaccard, sim.a_in_b, sim.b_in_a);
        }
        (kind, jaccard, a_in_b, b_in_a)
    });
    Columns::new(py)
        .put("kind", &kind)?
        .put("jaccard", &jaccard)?
        .put("a_in_b", &a_in_b)?
        .put("b_in_a", &b_in_a)
        .map(Columns::finish)
}

/// Estimated verification of pairs from two signature columns (binary, `4 * num_perm` bytes
/// a row): `jaccard` (the MinHash estimate) and `kind` (2 when at or above the threshold, else
/// 0; containment cannot be estimated from a MinHash signature).
#[pyfunction]
pub fn verify_signatures<'py>(
    py: Python<'py>,
    params: &PyParams,
    a_offsets: &[u8],
    a_data: &[u8],
    b_offsets: &[u8],
    b_data: &[u8],
) -> PyResult<Bound<'py, PyDict>> {
    let (a, b) = pair_columns([a_offsets, a_data, b_offsets, b_data], "signature")?;
    let width = params.inner.num_perm;
    let read = |col: &Strings, i: usize| -> PyResult<Vec<u32>> {
        let raw = col.bytes(i);
        if raw.len() != 4 * width {
            return Err(PyValueError::new_err(format!(
                "row {i}: a signature of {} bytes, expected {} (num_perm = {width})",
                raw.len(),
                4 * width
            )));
        }
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    };
    let mut jaccard = Vec::with_capacity(a.len());
    for i in 0..a.len() {
        jaccard.push(estimate_jaccard(&read(&a, i)?, &read(&b, i)?));
    }
    let threshold = params.inner.threshold;
    let kind: Vec<u8> = jaccard
        .iter()
        .map(|&j| if j >= threshold { NEAR } else { NONE })
        .collect();
    Columns::new(py)
        .put("kind", &kind)?
        .put("jaccard", &jaccard)
        .map(Columns::finish)
}
