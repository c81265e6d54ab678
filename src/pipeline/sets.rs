//! Shingle sets kept out of memory until verification asks for them.
//!
//! Verification needs every shingle of both documents of a candidate pair, but most documents
//! are in no candidate pair, and the sets are the bulk of what a scan holds: about 8 bytes per
//! word of text, some 70 MB for a 53 MB corpus, 18 GB for ten million news articles. So each
//! set is appended to an anonymous temporary file as it is merged (the operating system keeps
//! it in the page cache while memory allows, which the process's own memory does not count),
//! and only the sets of documents in candidate pairs are read back, sorted and deduplicated.
//! The file is deleted by the operating system when the scan ends, however it ends.

use std::fs::File;
use std::io::{BufWriter, Write};

use rayon::prelude::*;

use crate::error::Error;
use crate::lsh::unpack_pair;

/// Shingles written per `write_all` call, converted through a stack buffer.
const CHUNK: usize = 512;

/// Every document's shingle set, in a temporary file.
pub(super) struct SetStore {
    file: BufWriter<File>,
    /// Where each document's set starts in the file, in shingles; the next one's start (or
    /// `written`) is where it ends. Exact copies store an empty set.
    starts: Vec<u64>,
    written: u64,
}

impl SetStore {
    /// An empty store backed by a new temporary file.
    pub(super) fn new() -> Result<Self, Error> {
        let file = tempfile::tempfile().map_err(|e| {
            Error::io(
                std::env::temp_dir(),
                std::io::Error::new(
                    e.kind(),
                    format!("cannot create a temporary file for shingle sets: {e} (set TMPDIR to a directory with free space)"),
                ),
            )
        })?;
        Ok(Self {
            file: BufWriter::with_capacity(1 << 20, file),
            starts: Vec::new(),
            written: 0,
        })
    }

    /// Appends the next document's set (any order, repeats allowed).
    pub(super) fn push(&mut self, set: &[u64]) -> Result<(), Error> {
        self.starts.push(self.written);
        let mut bytes = [0u8; 8 * CHUNK];
        for chunk in set.chunks(CHUNK) {
            for (slot, s) in bytes.chunks_exact_mut(8).zip(chunk) {
                slot.copy_from_slice(&s.to_le_bytes());
            }
            self.file
                .write_all(&bytes[..8 * chunk.len()])
                .map_err(|e| spill_error(e, "writing"))?;
        }
        self.written += set.len() as u64;
        Ok(())
    }

    /// The sorted, deduplicated sets of the documents in `candidates` (packed pairs), indexed
    /// by document; every other document gets an empty set.
    pub(super) fn load_candidates(self, candidates: &[u64]) -> Result<Vec<Box<[u64]>>, Error> {
        let file = self
            .file
            .into_inner()
            .map_err(|e| spill_error(e.into_error(), "writing"))?;
        let docs = self.starts.len();
        let mut needed = vec![false; docs];
        for &p in candidates {
            let (a, b) = unpack_pair(p);
            needed[a as usize] = true;
            needed[b as usize] = true;
        }
        let starts = &self.starts;
        let end = |d: usize| starts.get(d + 1).copied().unwrap_or(self.written);
        (0..docs)
            .into_par_iter()
            .map(|d| {
                if !needed[d] {
                    return Ok(Box::default());
                }
                let (from, to) = (starts[d], end(d));
                let mut bytes = vec![0u8; 8 * (to - from) as usize];
                read_exact_at(&file, &mut bytes, 8 * from)
                    .map_err(|e| spill_error(e, "reading"))?;
                let mut set: Vec<u64> = bytes
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("chunks of 8")))
                    .collect();
                set.sort_unstable();
                set.dedup();
                Ok(set.into_boxed_slice())
            })
            .collect()
    }
}

fn spill_error(e: std::io::Error, doing: &str) -> Error {
    Error::io(
        std::env::temp_dir(),
        std::io::Error::new(
            e.kind(),
            format!("{doing} the temporary file of shingle sets: {e} (set TMPDIR to a directory with free space)"),
        ),
    )
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsh::pack_pair;

    #[test]
    fn reads_back_only_candidate_sets_sorted_and_deduplicated() {
        let mut store = SetStore::new().unwrap();
        let sets: [&[u64]; 4] = [&[5, 1, 5, 3], &[], &[9; 1000], &[7, 2]];
        for s in sets {
            store.push(s).unwrap();
        }
        let got = store.load_candidates(&[pack_pair(0, 2)]).unwrap();
        let want: [&[u64]; 4] = [&[1, 3, 5], &[], &[9], &[]];
        assert_eq!(got.iter().map(|s| &s[..]).collect::<Vec<_>>(), want);
    }
}
