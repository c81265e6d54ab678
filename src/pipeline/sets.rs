//! Shingle sets kept out of memory until verification asks for them.
//!
//! Verification needs every shingle of both documents of a candidate pair, but most documents
//! are in no candidate pair, and the sets are the bulk of what a scan holds: about 8 bytes per
//! word of text, some 70 MB for a 53 MB corpus, 18 GB for ten million news articles. So the
//! sets go to an anonymous temporary file (the operating system keeps it in the page cache
//! while memory allows, which the process's own memory does not count), and the scan keeps
//! only where each one went. Each set is stored sorted (it is sorted once, when fingerprinted),
//! so verification maps the file into memory and merges the sets of the candidate pairs where
//! they lie, without reading them into memory of its own. The file is deleted by the
//! operating system when the scan ends, however it ends.
//!
//! Workers write without taking turns: each gathers the sets of a run of documents in its own
//! buffer, claims room for the whole run with one atomic addition, and writes it there with
//! one positioned write. (Appending through a shared, locked writer made a worker wait while
//! the other one's write went through the kernel.)

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::doc::DocId;
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

/// Every document's shingle set, sorted and distinct, in a temporary file.
pub(super) struct SetStore {
    file: File,
    /// Shingles claimed so far.
    claimed: AtomicU64,
    /// Shingles per window when reading ([`WINDOW_SHINGLES`]; tests use small ones).
    window: u64,
}

impl SetStore {
    /// An empty store backed by a new temporary file.
    pub(super) fn new() -> Result<Self, Error> {
        let file = tempfile::tempfile().map_err(|e| spill_error(e, "creating"))?;
        Ok(Self {
            file,
            claimed: AtomicU64::new(0),
            window: WINDOW_SHINGLES,
        })
    }

    /// Writes a run of sets and returns the shingle number it starts at; safe to call from
    /// many threads at once.
    pub(super) fn write_run(&self, run: &[u64]) -> Result<u64, Error> {
        let base = self.claimed.fetch_add(run.len() as u64, Ordering::Relaxed);
        write_all_at(&self.file, bytemuck::cast_slice(run), 8 * base)
            .map_err(|e| spill_error(e, "writing"))?;
        Ok(base)
    }

    /// Calls `visit` with groups of the candidate pairs (packed pairs of indexes into
    /// `refs`) and a view of the sets of their documents. Every pair is in one group; the
    /// groups, and the pairs in a group, come in no particular order.
    ///
    /// The file is mapped into memory, so that a set is read where the operating system
    /// keeps it, without a copy or an allocation (reading each set into memory of its own
    /// took a fifth of the scan's CPU time, mostly the kernel's). It is mapped a window of
    /// [`WINDOW_SHINGLES`] at a time: a group holds pairs whose sets all lie in the same two
    /// windows, and at most two windows are mapped at once, so the pages of the store the
    /// process holds stay bounded however large the corpus.
    pub(super) fn visit_pairs(
        self,
        refs: &[SetRef],
        candidates: &[u64],
        mut visit: impl FnMut(&[u64], &SetView<'_>),
    ) -> Result<(), Error> {
        let size = self.window;
        // A window maps every set that starts in it, to the end of the last one.
        let windows = self.claimed.load(Ordering::Relaxed) / size + 1;
        let mut ends: Vec<u64> = (0..windows).map(|w| w * size).collect();
        for r in refs {
            let end = &mut ends[(r.start / size) as usize];
            *end = (*end).max(r.start + u64::from(r.len));
        }
        let mut mapped: Vec<Window> = Vec::with_capacity(2);
        let mut visit_group = |needed: &[u64], pairs: &[u64]| -> Result<(), Error> {
            // A window the previous group mapped stays mapped when this one needs it too.
            mapped.retain(|w| needed.contains(&w.index));
            for &index in needed {
                if !mapped.iter().any(|w| w.index == index) {
                    let (start, end) = (index * size, ends[index as usize]);
                    mapped.push(Window::map(&self.file, index, start, end)?);
                }
            }
            visit(
                pairs,
                &SetView {
                    refs,
                    windows: &mapped,
                    size,
                },
            );
            Ok(())
        };
        if windows <= 2 {
            // The whole store fits in the two windows (the bench corpus's does): every pair in
            // one group, in candidate order, so verification makes one parallel pass.
            if !candidates.is_empty() {
                visit_group(&(0..windows).collect::<Vec<_>>(), candidates)?;
            }
        } else {
            // A group per pair of windows, in order, so that a window stays mapped while
            // consecutive groups need it. (Merging groups that fit in two windows held more of
            // both windows' pages at once: the 2x corpus peaked at 220 MB instead of 160.)
            let window_of = |doc: DocId| refs[doc as usize].start / size;
            let mut by_windows: Vec<(u64, u64, u64)> = candidates
                .iter()
                .map(|&pair| {
                    let (a, b) = unpack_pair(pair);
                    let (x, y) = (window_of(a), window_of(b));
                    (x.min(y), x.max(y), pair)
                })
                .collect();
            by_windows.sort_unstable();
            let mut pairs = Vec::new();
            for group in by_windows.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
                let (low, high) = (group[0].0, group[0].1);
                pairs.clear();
                pairs.extend(group.iter().map(|&(_, _, pair)| pair));
                visit_group(&[low, high], &pairs)?;
            }
        }
        // Unmapping the windows takes their pages out of the process and closing the file
        // makes the operating system free its pages, a few milliseconds each for a large
        // corpus: both happen on a thread of their own while the scan goes on (or right here
        // when no thread can be started).
        let (windows, file) = (mapped, self.file);
        let _ = std::thread::Builder::new()
            .name("overlap-close".into())
            .spawn(move || drop((windows, file)));
        Ok(())
    }
}

/// Shingles in one window of the store as verification maps it: 64 MiB, so that the two
/// windows mapped at once hold at most 128 MiB (and the sets that run past their end).
const WINDOW_SHINGLES: u64 = (64 << 20) / 8;

/// One window of the store, mapped into memory.
struct Window {
    index: u64,
    /// The shingle it starts at.
    start: u64,
    map: memmap2::Mmap,
}

impl Window {
    /// Maps window `index`: shingles `start..end`.
    fn map(file: &File, index: u64, start: u64, end: u64) -> Result<Self, Error> {
        let len = usize::try_from(8 * (end - start))
            .map_err(|_| spill_error(std::io::ErrorKind::OutOfMemory.into(), "mapping"))?;
        // SAFETY: the file is this scan's own temporary file, which has no name in the file
        // system to be opened by, and nothing writes to it any more (the workers are done), so
        // the mapped bytes cannot change under the slices read from them.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(8 * start)
                .len(len)
                .map(file)
        }
        .map_err(|e| spill_error(e, "mapping"))?;
        Ok(Self { index, start, map })
    }

    fn shingles(&self) -> &[u64] {
        // A mapping starts at a page boundary plus a multiple of 8, and holds whole shingles.
        bytemuck::cast_slice(&self.map[..])
    }
}

/// The sets of the documents of one group of pairs.
pub(super) struct SetView<'a> {
    refs: &'a [SetRef],
    windows: &'a [Window],
    size: u64,
}

impl SetView<'_> {
    /// The set of `doc`, sorted and distinct; `doc` must be in a pair of the group.
    pub(super) fn get(&self, doc: DocId) -> &[u64] {
        let r = self.refs[doc as usize];
        if r.len == 0 {
            return &[];
        }
        let index = r.start / self.size;
        let window = self
            .windows
            .iter()
            .find(|w| w.index == index)
            .expect("the windows of a group's sets are mapped");
        let at = (r.start - window.start) as usize;
        &window.shingles()[at..at + r.len as usize]
    }
}

/// An error of `doing` ("writing", "reading" ...) a temporary file of `what` ("shingle
/// sets"), with the way out.
pub(super) fn temp_file_error(e: std::io::Error, doing: &str, what: &str) -> Error {
    Error::io(
        std::env::temp_dir(),
        std::io::Error::new(
            e.kind(),
            format!("{doing} the temporary file of {what}: {e} (set TMPDIR to a directory with free space)"),
        ),
    )
}

fn spill_error(e: std::io::Error, doing: &str) -> Error {
    temp_file_error(e, doing, "shingle sets")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsh::pack_pair;

    /// Every pair's two sets as `visit_pairs` shows them, by pair.
    fn visited(
        store: SetStore,
        refs: &[SetRef],
        pairs: &[(DocId, DocId)],
    ) -> Vec<(u64, Vec<u64>, Vec<u64>)> {
        let candidates: Vec<u64> = pairs.iter().map(|&(a, b)| pack_pair(a, b)).collect();
        let mut seen = Vec::new();
        store
            .visit_pairs(refs, &candidates, |group, sets| {
                for &p in group {
                    let (a, b) = unpack_pair(p);
                    seen.push((p, sets.get(a).to_vec(), sets.get(b).to_vec()));
                }
            })
            .unwrap();
        seen.sort();
        seen
    }

    #[test]
    fn reads_each_set_where_it_was_written() {
        let sets: [&[u64]; 4] = [&[1, 3, 5], &[], &[9; 1000], &[2, 7]];
        let pairs = [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)];
        // One window for everything, and windows of 3 shingles, which many sets cross.
        for window in [WINDOW_SHINGLES, 3] {
            let mut store = SetStore::new().unwrap();
            store.window = window;
            // Two runs, written in the opposite order of their contents.
            let (first, second) = (sets[..2].concat(), sets[2..].concat());
            let second_base = store.write_run(&second).unwrap();
            let first_base = store.write_run(&first).unwrap();
            let refs = [
                SetRef::in_run(0, 3).placed(first_base),
                SetRef::in_run(3, 0).placed(first_base),
                SetRef::in_run(0, 1000).placed(second_base),
                SetRef::in_run(1000, 2).placed(second_base),
            ];
            let want: Vec<_> = pairs
                .iter()
                .map(|&(a, b)| {
                    (
                        pack_pair(a, b),
                        sets[a as usize].to_vec(),
                        sets[b as usize].to_vec(),
                    )
                })
                .collect();
            assert_eq!(visited(store, &refs, &pairs), want, "window {window}");
        }
    }

    #[test]
    fn an_empty_store_visits_nothing() {
        assert!(visited(SetStore::new().unwrap(), &[], &[]).is_empty());
    }
}
