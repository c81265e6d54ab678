//! Typed errors of the library, and the per-record problems a scan reports and skips.

use std::fmt;
use std::io;
use std::path::PathBuf;

use serde::Serialize;

/// A failure that stops the current operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter is out of range or malformed; the message names the flag and a valid value.
    #[error("{0}")]
    Config(String),
    /// Reading or writing a file failed.
    ///
    /// The message already holds what the operating system said, so the I/O error is not also
    /// given as the `source` (an error chain would print it twice).
    #[error("{path}: {error}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said.
        error: io::Error,
    },
    /// A record could not be used and the scan runs in strict mode.
    #[error("{0} (stopped because of --strict)")]
    Strict(Problem),
    /// Writing output failed (the consumer went away, the disk is full, ...).
    #[error("writing output: {0}")]
    Output(io::Error),
    /// An input changed between two passes over it (`dedup` and `report` read their inputs
    /// twice); the message names the input and what changed.
    #[error("{0}")]
    InputChanged(String),
    /// The operating system would not start a thread.
    #[error("cannot start a thread: {0}")]
    Thread(io::Error),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, error: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            error,
        }
    }
}

impl From<io::Error> for Error {
    /// An I/O error without a path is a failure to write output.
    fn from(error: io::Error) -> Self {
        Self::Output(error)
    }
}

/// Where a record came from: a file (or `-` for stdin) and, for line-based formats, a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The input path as the user gave it (or as found below a directory); `-` is stdin.
    pub path: String,
    /// 1-based line number, for JSONL and CSV records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// A record, file or line that could not be used: reported, counted and skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where it happened.
    pub location: Location,
    /// What is wrong and how to fix it.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

impl std::error::Error for Problem {}
