//! Shingle sets kept out of memory until verification asks for them.
//!
//! Verification needs every shingle of both documents of a candidate pair, but most documents
//! are in no candidate pair, and the sets are the bulk of what a scan holds: about 8 bytes per
//! word of text, some 70 MB for a 53 MB corpus, 18 GB for ten million news articles. So the
//! sets go to an anonymous temporary file (the operating system keeps it in the page cache
//! while memory allows, which the process's own memory does not count), and the scan keeps
//! only where each one went. Verification reads back only the sets of documents in candidate
//! pairs. The file is deleted by the operating system when the scan ends, however it ends.
//!
//! Workers write without taking turns: each gathers the sets of a run of documents in its own
//! buffer, claims room for the whole run with one atomic addition, and writes it there with
//! one positioned write. (Appending through a shared, locked writer made a worker wait while
//! the other one's write went through the kernel.)

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::Error;
use crate::lsh::unpack_pair;

/// Where one document's set is in the store: `len` shingles from shingle number `start`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct SetRef {
    start: u64,
    len: u32,
}

impl SetRef {
    /// The set at `start` of a run's buffer, before the run has a place in the store.
    pub(super) fn in_run(start: usize, len: usize) -> Self {
        let len = u32::try_from(len).expect("documents are shorter than 4 GiB");
        Self {
            start: start as u64,
            len,
        }
    }

    /// The same set once its run starts at shingle `base` of the store.
    pub(super) fn placed(self, base: u64) -> Self {
        Self {
            start: base + self.start,
            ..self
        }
    }
}

/// Every document's shingle set, in a temporary file.
pub(super) struct SetStore {
    file: File,
    /// Shingles claimed so far.
    claimed: AtomicU64,
}

impl SetStore {
    /// An empty store backed by a new temporary file.
    pub(super) fn new() -> Result<Self, Error> {
        let file = tempfile::tempfile().map_err(|e| spill_error(e, "creating"))?;
        Ok(Self {
            file,
            claimed: AtomicU64::new(0),
        })
    }

    /// Writes a run of sets (any order, repeats allowed) and returns the shingle number it
    /// starts at; safe to call from many threads at once.
    pub(super) fn write_run(&self, run: &[u64]) -> Result<u64, Error> {
        let base = self.claimed.fetch_add(run.len() as u64, Ordering::Relaxed);
        write_all_at(&self.file, bytemuck::cast_slice(run), 8 * base)
            .map_err(|e| spill_error(e, "writing"))?;
        Ok(base)
    }

    /// The sorted, deduplicated sets of the documents in `candidates` (packed pairs of
    /// indexes into `refs`), indexed like `refs`; every other document gets an empty set.
    pub(super) fn load_candidates(
        self,
        refs: &[SetRef],
        candidates: &[u64],
    ) -> Result<Vec<Vec<u64>>, Error> {
        let file = &self.file;
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
                read_exact_at(file, bytemuck::cast_slice_mut(&mut set), 8 * r.start)
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
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
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
        // Two runs, written in the opposite order of their contents.
        let (first, second) = (sets[..2].concat(), sets[2..].concat());
        let second_base = store.write_run(&second).unwrap();
        let first_base = store.write_run(&first).unwrap();
        let refs = [
            SetRef::in_run(0, 4).placed(first_base),
            SetRef::in_run(4, 0).placed(first_base),
            SetRef::in_run(0, 1000).placed(second_base),
            SetRef::in_run(1000, 2).placed(second_base),
        ];
        // Documents are numbered by the merge, not by the order of appends.
        let shuffled = [refs[2], refs[0], refs[3], refs[1]];
        let got = store
            .load_candidates(&shuffled, &[pack_pair(0, 1)])
            .unwrap();
        let want: [&[u64]; 4] = [&[9], &[1, 3, 5], &[], &[]];
        assert_eq!(got.iter().map(|s| &s[..]).collect::<Vec<_>>(), want);
    }
}
