//! Shingle sets kept out of memory until verification asks for them.
//!
//! Verification needs every shingle of both documents of a candidate pair, but most documents
//! are in no candidate pair, and the sets are the bulk of what a scan holds: about 8 bytes per
//! word of text, some 70 MB for a 53 MB corpus, 18 GB for ten million news articles. So each
//! worker appends the set it has just computed to an anonymous temporary file (the operating
//! system keeps it in the page cache while memory allows, which the process's own memory does
//! not count) and keeps only where it went; the set itself stays in the worker's scratch
//! buffer, so no set is ever allocated, handed between threads or freed. Verification reads
//! back only the sets of documents in candidate pairs. The file is deleted by the operating
//! system when the scan ends, however it ends.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::Error;
use crate::lsh::unpack_pair;

/// Where one document's set is in the store: `len` shingles from shingle number `start`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct SetRef {
    start: u64,
    len: u32,
}

/// Every document's shingle set, in a temporary file.
pub(super) struct SetStore {
    file: Mutex<Appender>,
}

struct Appender {
    out: BufWriter<File>,
    /// Shingles written so far.
    written: u64,
}

impl SetStore {
    /// An empty store backed by a new temporary file.
    pub(super) fn new() -> Result<Self, Error> {
        let file = tempfile::tempfile().map_err(|e| spill_error(e, "creating"))?;
        Ok(Self {
            file: Mutex::new(Appender {
                out: BufWriter::with_capacity(1 << 20, file),
                written: 0,
            }),
        })
    }

    /// Appends a set (any order, repeats allowed); safe to call from many threads at once.
    pub(super) fn append(&self, set: &[u64]) -> Result<SetRef, Error> {
        let len = u32::try_from(set.len()).expect("documents are shorter than 4 GiB");
        // A worker that panicked while appending leaves a file that is still well formed up
        // to its last complete write; the scan fails on that panic anyway.
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.out
            .write_all(bytemuck::cast_slice(set))
            .map_err(|e| spill_error(e, "writing"))?;
        let start = file.written;
        file.written += u64::from(len);
        Ok(SetRef { start, len })
    }

    /// The sorted, deduplicated sets of the documents in `candidates` (packed pairs of
    /// indexes into `refs`), indexed like `refs`; every other document gets an empty set.
    pub(super) fn load_candidates(
        self,
        refs: &[SetRef],
        candidates: &[u64],
    ) -> Result<Vec<Vec<u64>>, Error> {
        let appender = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        let file = appender
            .out
            .into_inner()
            .map_err(|e| spill_error(e.into_error(), "writing"))?;
        let mut needed = vec![false; refs.len()];
        for &p in candidates {
            let (a, b) = unpack_pair(p);
            needed[a as usize] = true;
            needed[b as usize] = true;
        }
        refs.par_iter()
            .zip(needed)
            .map(|(r, needed)| {
                if !needed {
                    return Ok(Vec::new());
                }
                // Read straight into the set's own memory: the bytes are the shingles as
                // this process wrote them.
                let mut set = vec![0u64; r.len as usize];
                read_exact_at(&file, bytemuck::cast_slice_mut(&mut set), 8 * r.start)
                    .map_err(|e| spill_error(e, "reading"))?;
                set.sort_unstable();
                set.dedup();
                Ok(set)
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
        let store = SetStore::new().unwrap();
        let sets: [&[u64]; 4] = [&[5, 1, 5, 3], &[], &[9; 1000], &[7, 2]];
        let refs: Vec<SetRef> = sets.iter().map(|s| store.append(s).unwrap()).collect();
        // Documents are numbered by the merge, not by the order of appends.
        let shuffled = [refs[2], refs[0], refs[3], refs[1]];
        let got = store
            .load_candidates(&shuffled, &[pack_pair(0, 1)])
            .unwrap();
        let want: [&[u64]; 4] = [&[9], &[1, 3, 5], &[], &[]];
        assert_eq!(got.iter().map(|s| &s[..]).collect::<Vec<_>>(), want);
    }
}
