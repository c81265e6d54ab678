//! Reading the inputs a second time (`dedup` copies the kept records, `report` fetches texts):
//! the second pass must see exactly the bytes the first one saw.
//!
//! The first pass keeps a [`ReadLog`] of every source it opened, in order. A regular file is
//! logged with its size and modification time when opened and, when its reading ends, with the
//! number of bytes read and their xxh3 checksum; the second pass checks all of these and fails
//! on any difference, so a file truncated or rewritten between the passes gives an error rather
//! than a partial or mixed output. A source that cannot be read twice (standard input, a pipe,
//! `<(cmd)`, a character device) is copied, while the first pass reads it, to an unnamed
//! temporary file: one that has no name in any directory, so nothing is left behind however the
//! process ends, and the second pass reads that copy.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use xxhash_rust::xxh3::Xxh3Default;

use crate::error::Error;

/// What the first pass over the inputs read, for a second pass to read the same again.
#[derive(Debug, Default)]
pub struct ReadLog {
    /// Every source opened, in the order opened.
    sources: Mutex<Vec<Seen>>,
    /// Spool streams that cannot be read twice; without it a second pass cannot read them.
    spool: bool,
    /// The record-size limit of both passes (the same records must be skipped).
    pub(super) max_record_size: u64,
    /// The first difference a second pass found.
    failure: Mutex<Option<String>>,
}

/// One source as the first pass saw it.
#[derive(Debug)]
enum Seen {
    /// A regular file: its size and modification time when opened, and the bytes read and
    /// their checksum once its reading ended.
    File {
        display: String,
        len: u64,
        modified: Option<SystemTime>,
        read: Option<(u64, u64)>,
    },
    /// A stream, with the copy of what was read of it (none when not spooled).
    Stream {
        display: String,
        spool: Option<Arc<File>>,
    },
}

impl Seen {
    fn display(&self) -> &str {
        match self {
            Seen::File { display, .. } | Seen::Stream { display, .. } => display,
        }
    }
}

/// How a walk over the inputs relates to other walks over them.
#[derive(Debug, Clone, Default)]
pub(super) enum Pass {
    /// Read once: nothing logged.
    #[default]
    Once,
    /// The first of two passes: log what is read.
    First(Arc<ReadLog>),
    /// The second pass: read what the first logged, and check it is the same.
    Again(Arc<ReadLog>),
}

/// A source opened for reading, wrapped for the pass.
pub(super) type Opened = Box<dyn Read + Send>;

impl ReadLog {
    /// A log for a first pass that skips records over `max_record_size` bytes; with `spool`,
    /// streams are copied so a second pass can read them.
    pub fn new(spool: bool, max_record_size: u64) -> Self {
        Self {
            spool,
            max_record_size,
            ..Self::default()
        }
    }

    fn sources(&self) -> MutexGuard<'_, Vec<Seen>> {
        self.sources.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fail(&self, message: String) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        failure.get_or_insert(message);
    }

    /// Whether a second pass found a difference.
    pub(super) fn failed(&self) -> bool {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The first difference found, as an error.
    pub(super) fn check(&self) -> Result<(), Error> {
        match &*self.failure.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(message) => Err(Error::InputChanged(message.clone())),
            None => Ok(()),
        }
    }

    /// After a complete second pass that opened `opened` sources: a source the first pass had
    /// and the second did not is a change too.
    pub(super) fn check_count(&self, opened: usize) -> Result<(), Error> {
        self.check()?;
        if let Some(gone) = self.sources().get(opened) {
            return Err(Error::InputChanged(changed(
                gone.display(),
                "it was read the first time and is no longer there",
            )));
        }
        Ok(())
    }
}

/// The message for a changed source.
fn changed(display: &str, how: &str) -> String {
    format!(
        "{display}: changed since it was first read ({how}); nothing was written: run again once the input no longer changes"
    )
}

/// Opens regular file number `index` of a pass, logging (first pass) or checking it (second).
pub(super) fn open_file(
    pass: &Pass,
    index: usize,
    display: &str,
    file: File,
) -> io::Result<Opened> {
    let log = match pass {
        Pass::Once => return Ok(Box::new(file)),
        Pass::First(log) | Pass::Again(log) => Arc::clone(log),
    };
    let meta = file.metadata()?;
    let (len, modified) = (meta.len(), meta.modified().ok());
    let first = matches!(pass, Pass::First(_));
    if first {
        log.sources().push(Seen::File {
            display: display.to_owned(),
            len,
            modified,
            read: None,
        });
    } else {
        let sources = log.sources();
        let difference = match sources.get(index) {
            Some(Seen::File {
                display: was,
                len: was_len,
                modified: was_modified,
                ..
            }) if was == display => {
                if *was_len != len {
                    Some(format!("size {was_len} bytes, now {len}"))
                } else if *was_modified != modified {
                    Some("its modification time changed".to_owned())
                } else {
                    None
                }
            }
            Some(seen) if seen.display() == display => {
                Some("it was a stream, now it is a file".to_owned())
            }
            Some(seen) => Some(format!("the first time, {} was read here", seen.display())),
            None => Some("it was not there the first time".to_owned()),
        };
        drop(sources);
        if let Some(how) = difference {
            log.fail(changed(display, &how));
        }
    }
    Ok(Box::new(Witness {
        inner: file,
        hash: Xxh3Default::new(),
        bytes: 0,
        log,
        index,
        first,
        display: display.to_owned(),
    }))
}

/// Opens stream number `index` of a pass: in a first pass `open` gives the stream, copied to a
/// spool as it is read; in a second pass the spool is read instead.
pub(super) fn open_stream(
    pass: &Pass,
    index: usize,
    display: &str,
    open: impl FnOnce() -> io::Result<Opened>,
) -> io::Result<Opened> {
    match pass {
        Pass::Once => open(),
        Pass::First(log) => {
            let stream = open()?;
            let spool = if log.spool {
                Some(Arc::new(tempfile::tempfile().map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!(
                            "cannot create a temporary file to hold it for a second reading: {e}"
                        ),
                    )
                })?))
            } else {
                None
            };
            log.sources().push(Seen::Stream {
                display: display.to_owned(),
                spool: spool.clone(),
            });
            Ok(match spool {
                Some(spool) => Box::new(Tee { stream, spool }),
                None => stream,
            })
        }
        Pass::Again(log) => {
            let found = match log.sources().get(index) {
                Some(Seen::Stream {
                    display: was,
                    spool: Some(spool),
                }) if was == display => Ok(Arc::clone(spool)),
                Some(Seen::Stream { display: was, .. }) if was == display => Err(format!(
                    "{display}: cannot be read a second time (it is a stream and was not kept)"
                )),
                Some(seen) if seen.display() == display => {
                    Err(changed(display, "it was a file, now it is a stream"))
                }
                Some(seen) => Err(changed(
                    display,
                    &format!("the first time, {} was read here", seen.display()),
                )),
                None => Err(changed(display, "it was not there the first time")),
            };
            match found {
                Ok(spool) => {
                    // The writer is done: a handle of its own, rewound, reads the copy.
                    let mut copy = spool.try_clone()?;
                    copy.rewind()?;
                    Ok(Box::new(copy))
                }
                Err(message) => {
                    log.fail(message.clone());
                    Err(io::Error::other(message))
                }
            }
        }
    }
}

/// A regular file being read: counts and checksums the bytes; when dropped (its reading
/// ended), logs them or checks them against the log.
struct Witness {
    inner: File,
    hash: Xxh3Default,
    bytes: u64,
    log: Arc<ReadLog>,
    index: usize,
    first: bool,
    display: String,
}

impl Read for Witness {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        let now = (self.bytes, self.hash.digest());
        let mut sources = self.log.sources();
        let Some(Seen::File { read, .. }) = sources.get_mut(self.index) else {
            return;
        };
        if self.first {
            *read = Some(now);
            return;
        }
        let how = match *read {
            Some((bytes, _)) if bytes != now.0 => {
                format!("{bytes} bytes were read the first time, {} now", now.0)
            }
            Some((_, hash)) if hash != now.1 => {
                "same size, but the checksum of its bytes differs".to_owned()
            }
            _ => return,
        };
        drop(sources);
        self.log.fail(changed(&self.display, &how));
    }
}

/// A stream read for the first time, copying what it reads to a spool.
struct Tee {
    stream: Opened,
    spool: Arc<File>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.stream.read(buf)?;
        (&*self.spool).write_all(&buf[..n]).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot keep a copy of it for a second reading: {e}"),
            )
        })?;
        Ok(n)
    }
}
