//! Word vectors shipped inside the crate, so `compare` knows that "halt" is close to "pause"
//! and "leverage" to "bargaining" without a download or a model at run time.
//!
//! The table (`vectors.bin`, built by `scripts/build_vectors.py` and the ignored test
//! `regenerate_vector_table` below) holds one 50-dimensional int8 vector per *term*, the unit
//! [`super::terms`] produces: the GloVe 6B 50-d vectors (public domain, PDDL 1.0) of the
//! 60,000 most frequent plain English words, averaged over the words that share a term
//! ("seized", "seize", "seizing" → `seiz`), unit-normalised and quantised to -127..=127.
//!
//! Layout (little-endian): `OVEC`, version, term count `n`, dimension; `n + 1` byte offsets
//! into the key blob; the keys, sorted bytewise; then `n` rows of `dim` int8. The terms are
//! sorted, so a lookup is a binary search on the embedded bytes: opening the table parses only
//! the header and costs nothing, which matters when `compare` has a few milliseconds per pair.

use std::sync::OnceLock;

const TABLE: &[u8] = include_bytes!("vectors.bin");
const MAGIC: &[u8; 4] = b"OVEC";
const VERSION: u32 = 1;
const HEADER: usize = 16;
/// Dimension of the shipped vectors.
pub const DIM: usize = 50;

/// A term's vector in the shipped table.
#[derive(Debug, Clone, Copy)]
pub struct Vector {
    row: &'static [u8],
    inv_norm: f32,
}

impl Vector {
    /// Cosine similarity of two vectors, in [-1, 1].
    #[cfg(test)]
    pub fn cosine(self, other: Vector) -> f32 {
        let dot: i32 = self
            .row
            .iter()
            .zip(other.row)
            .map(|(&x, &y)| i32::from(x as i8) * i32::from(y as i8))
            .sum();
        dot as f32 * self.inv_norm * other.inv_norm
    }

    /// The components, for averaging several vectors.
    pub fn components(self) -> impl Iterator<Item = f32> {
        self.row
            .iter()
            .map(move |&x| f32::from(x as i8) * self.inv_norm)
    }
}

struct Table {
    n: usize,
    dim: usize,
    offsets: &'static [u8],
    keys: &'static [u8],
    rows: &'static [u8],
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

impl Table {
    /// The header checked and the sections located, or `None` for a malformed table (then no
    /// term has a vector and scoring falls back to shared words).
    fn open(bytes: &'static [u8]) -> Option<Self> {
        if bytes.get(..4)? != MAGIC || read_u32(bytes, 4)? != VERSION {
            return None;
        }
        let n = read_u32(bytes, 8)? as usize;
        let dim = read_u32(bytes, 12)? as usize;
        if dim != DIM {
            return None;
        }
        let offsets = bytes.get(HEADER..HEADER + 4 * (n + 1))?;
        let key_bytes = read_u32(offsets, 4 * n)? as usize;
        let keys_at = HEADER + offsets.len();
        let keys = bytes.get(keys_at..keys_at + key_bytes)?;
        let rows = bytes.get(keys_at + key_bytes..keys_at + key_bytes + n * dim)?;
        Some(Self {
            n,
            dim,
            offsets,
            keys,
            rows,
        })
    }

    fn key(&self, i: usize) -> &'static [u8] {
        let at = |k: usize| read_u32(self.offsets, 4 * k).unwrap_or(0) as usize;
        self.keys.get(at(i)..at(i + 1)).unwrap_or(&[])
    }

    fn find(&self, term: &str) -> Option<Vector> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    // Each byte is an int8 component.
                    let row = self.rows.get(mid * self.dim..(mid + 1) * self.dim)?;
                    let norm = row
                        .iter()
                        .map(|&x| f32::from(x as i8) * f32::from(x as i8))
                        .sum::<f32>()
                        .sqrt();
                    return (norm > 0.0).then_some(Vector {
                        row,
                        inv_norm: 1.0 / norm,
                    });
                }
            }
        }
        None
    }
}

fn table() -> Option<&'static Table> {
    static OPENED: OnceLock<Option<Table>> = OnceLock::new();
    OPENED.get_or_init(|| Table::open(TABLE)).as_ref()
}

/// The vector of a term (see [`super::terms::term`]), if the table has one.
pub fn lookup(term: &str) -> Option<Vector> {
    table()?.find(term)
}

/// Terms in the shipped table.
pub fn table_terms() -> usize {
    table().map_or(0, |t| t.n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::terms::term;

    fn cos(a: &str, b: &str) -> f32 {
        let v = |w: &str| lookup(&term(w).unwrap()).unwrap_or_else(|| panic!("{w}: no vector"));
        v(a).cosine(v(b))
    }

    #[test]
    fn item3_the_table_knows_near_synonyms_news_writers_use() {
        assert!(table_terms() > 30_000, "{} terms", table_terms());
        let pairs = [
            ("halt", "suspend"),
            ("leverage", "bargaining"),
            ("territory", "area"),
            ("retaken", "recaptured"),
            ("halt", "pause"),
            ("halt", "banana"),
        ];
        let c: Vec<f32> = pairs.iter().map(|(a, b)| cos(a, b)).collect();
        assert!(
            c[0] > 0.7 && c[1] > 0.5 && c[2] > 0.6 && c[3] > 0.5,
            "{pairs:?} {c:?}"
        );
        // Unrelated words stay apart, below even a weak relation.
        assert!(c[5] < 0.3 && c[4] > c[5], "{pairs:?} {c:?}");
        assert!((cos("pause", "pause") - 1.0).abs() < 1e-3);
    }

    /// Writes `vectors.bin` from word vectors in GloVe's text format (`word v1 ... vD`, most
    /// frequent first), made by `scripts/build_vectors.py`:
    /// `OVERLAP_WORD_VECTORS=glove-top.txt cargo test --release --lib -- --ignored regenerate_vector_table`.
    #[test]
    #[ignore]
    fn regenerate_vector_table() {
        use std::collections::BTreeMap;
        let path = std::env::var("OVERLAP_WORD_VECTORS").expect("OVERLAP_WORD_VECTORS=FILE");
        let text = std::fs::read_to_string(path).expect("the word vectors");
        // Sum of unit word vectors per term, each weighted by its word's Zipf frequency
        // (1 / rank), so a term's vector is mostly that of its commonest word.
        let mut sums: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut dim = 0;
        for (rank, line) in text.lines().enumerate() {
            let mut parts = line.split(' ');
            let word = parts.next().unwrap();
            let v: Vec<f64> = parts.map(|x| x.parse().unwrap()).collect();
            dim = v.len();
            let Some(t) = term(word) else { continue };
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            let w = 1.0 / (rank as f64 + 10.0) / norm.max(1e-9);
            let sum = sums.entry(t).or_insert_with(|| vec![0.0; v.len()]);
            sum.iter_mut().zip(&v).for_each(|(s, x)| *s += w * x);
        }
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(sums.len() as u32).to_le_bytes());
        out.extend_from_slice(&(dim as u32).to_le_bytes());
        let mut at = 0u32;
        out.extend_from_slice(&at.to_le_bytes());
        for k in sums.keys() {
            at += k.len() as u32;
            out.extend_from_slice(&at.to_le_bytes());
        }
        for k in sums.keys() {
            out.extend_from_slice(k.as_bytes());
        }
        for v in sums.values() {
            let max = v.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-12);
            out.extend(v.iter().map(|x| ((x / max * 127.0).round() as i8) as u8));
        }
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/facts/vectors.bin"),
            out,
        )
        .unwrap();
    }
}
