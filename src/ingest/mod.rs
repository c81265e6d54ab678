//! Reading inputs: directories, text files, JSONL, CSV/TSV and stdin, as a stream of units.
//!
//! Reading is split in two so that the expensive half runs in parallel and in order:
//! [`Units`] walks the inputs sequentially and yields raw [`Unit`]s (a JSONL line, a CSV row,
//! a file's bytes) with their location; [`parse_unit`] turns one unit into a [`Record`] or a
//! [`Problem`] and is called from the worker threads. A unit is dropped once parsed, so the
//! raw corpus is never held twice, and `dedup` can walk the same units again to copy the kept
//! records byte for byte ([`ReadLog`] makes sure the second walk reads the same bytes).
//!
//! No record is held whole beyond [`ReadOptions::max_record_size`]: a longer JSONL line, CSV
//! row or text file is reported and skipped while reading on, so no input can exhaust memory.

mod csv;
mod files;
#[cfg(test)]
mod fuzz;
mod json_fields;
mod jsonl;
mod passes;
mod reread;
mod source;

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

pub use jsonl::Line;
pub use passes::ReadLog;
pub use reread::reread;

use passes::{Opened, Pass};

use crate::doc::Record;
use crate::error::{Location, Problem};

/// One input named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input, read as JSONL.
    Stdin,
    /// A file or directory.
    Path {
        /// Where to read.
        path: PathBuf,
        /// How to report it (the path as given; `-` for stdin spooled to a file).
        display: String,
        /// Forces a format instead of detecting it.
        format: Option<Format>,
    },
}

impl Input {
    /// Interprets a command-line argument: `-` is stdin, anything else a path.
    pub fn from_arg(arg: &str, format: Option<Format>) -> Self {
        if arg == "-" {
            Self::Stdin
        } else {
            Self::Path {
                path: PathBuf::from(arg),
                display: arg.to_owned(),
                format,
            }
        }
    }
}

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// The whole file is one document.
    Text,
}

impl Format {
    /// Parses a `--input-format` value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "csv" => Some(Self::Csv),
            "tsv" => Some(Self::Tsv),
            "text" | "txt" => Some(Self::Text),
            _ => None,
        }
    }

    /// The format a file's extension implies, if any.
    pub fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Self::Jsonl),
            "csv" => Some(Self::Csv),
            "tsv" | "tab" => Some(Self::Tsv),
            "txt" | "md" | "markdown" | "text" => Some(Self::Text),
            _ => None,
        }
    }
}

/// Which fields hold what, for JSONL and CSV inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Field holding the text (default `text`).
    pub text_field: String,
    /// Field holding the id. `None` means `id` when present, else the record's `path:line`.
    pub id_field: Option<String>,
    /// Field holding a date, for `--keep earliest`.
    pub date_field: Option<String>,
    /// Keep a JSONL record's other fields in [`Record::meta`] (default). Without them a JSONL
    /// line is read by a faster path that builds nothing else.
    pub keep_meta: bool,
    /// The largest record read, in bytes (a JSONL line, a CSV row, a whole text file); a
    /// larger one is reported and skipped. Default [`DEFAULT_MAX_RECORD_SIZE`].
    pub max_record_size: u64,
}

/// The default of [`ReadOptions::max_record_size`]: 64 MiB.
pub const DEFAULT_MAX_RECORD_SIZE: u64 = 64 << 20;

/// A size in bytes as a person writes it: `64 MiB`, `1 KiB`, `1000 bytes`.
pub fn format_size(bytes: u64) -> String {
    for (unit, name) in [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")] {
        if bytes >= unit && bytes % unit == 0 {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// The reason given for a record over the size limit.
pub(crate) fn record_too_large(limit: u64) -> String {
    format!(
        "record is larger than --max-record-size ({}); skipped (raise the limit to read it)",
        format_size(limit)
    )
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            text_field: "text".into(),
            id_field: None,
            date_field: None,
            keep_meta: true,
            max_record_size: DEFAULT_MAX_RECORD_SIZE,
        }
    }
}

/// A raw, unparsed piece of input.
#[derive(Debug)]
pub enum Unit {
    /// One line of a JSONL input (without its line ending).
    Json {
        /// Where it is.
        location: Location,
        /// The line's bytes, unchanged.
        bytes: Line,
    },
    /// One row of a CSV/TSV input, with the header's column names.
    Row {
        /// Where it is.
        location: Location,
        /// `(column, value)` in column order.
        fields: Vec<(String, String)>,
    },
    /// A whole text file.
    File {
        /// Where it is (the id of the document too).
        location: Location,
        /// The file's bytes, unchanged.
        bytes: Vec<u8>,
    },
    /// Something that could not be read at all (unreadable file, symlink loop, bad CSV row).
    Problem(Problem),
}

/// A parsed record and, when its bytes were not valid UTF-8, the warning about that.
#[derive(Debug)]
pub struct Parsed {
    /// The record.
    pub record: Record,
    /// Set when invalid UTF-8 was replaced with U+FFFD.
    pub warning: Option<Problem>,
}

/// Turns one unit into a record, or says why it cannot be used.
pub fn parse_unit(unit: Unit, opts: &ReadOptions) -> Result<Parsed, Problem> {
    let (record, warning) = match unit {
        Unit::Problem(p) => return Err(p),
        Unit::Json { location, bytes } => {
            let (line, warning) = decode(&bytes, &location, false);
            (jsonl::parse_line(&line, location, opts)?, warning)
        }
        Unit::Row { location, fields } => (csv::record_from_row(fields, location, opts)?, None),
        Unit::File { location, bytes } => {
            let (text, warning) = decode(&bytes, &location, true);
            let record = Record {
                id: location.path.clone(),
                text: text.into_owned(),
                date: None,
                meta: Map::new(),
                location,
            };
            (record, warning)
        }
    };
    if record.text.trim().is_empty() {
        return Err(problem(&record.location, "empty text: nothing to compare"));
    }
    Ok(Parsed { record, warning })
}

/// Decodes bytes as UTF-8, replacing invalid sequences and describing where the first was.
fn decode<'a>(
    bytes: &'a [u8],
    location: &Location,
    count_lines: bool,
) -> (std::borrow::Cow<'a, str>, Option<Problem>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.into(), None),
        Err(e) => {
            let mut at = location.clone();
            if count_lines {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                at.line = Some(line as u64 + 1);
            }
            let warning = Problem {
                location: at,
                reason: format!(
                    "invalid UTF-8 at byte {} replaced with U+FFFD (the document is still compared; re-encode the file as UTF-8 to silence this)",
                    e.valid_up_to()
                ),
            };
            (String::from_utf8_lossy(bytes), Some(warning))
        }
    }
}

pub(crate) fn problem(location: &Location, reason: impl Into<String>) -> Problem {
    Problem {
        location: location.clone(),
        reason: reason.into(),
    }
}

/// A field's value as text: strings as they are, numbers and booleans printed.
pub fn value_as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Describes a missing field and suggests the closest present one.
pub(crate) fn missing_field(
    role: &str,
    noun: &str,
    flag: &str,
    name: &str,
    present: &[&str],
) -> String {
    let mut msg = format!("missing {role} {noun} {name:?}");
    if present.is_empty() {
        msg.push_str(&format!(" (the record has no {noun}s)"));
        return msg;
    }
    msg.push_str(&format!(" ({noun}s here: {})", present.join(", ")));
    let closest = present
        .iter()
        .map(|p| {
            (
                strsim::jaro_winkler(&p.to_lowercase(), &name.to_lowercase()),
                *p,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, p)) => msg.push_str(&format!("; did you mean {flag} {p}?")),
        None => msg.push_str(&format!("; choose one with {flag} NAME")),
    }
    msg
}

/// Every unit of every input, in order: inputs as given, directories in file-name order.
pub struct Units {
    inputs: std::vec::IntoIter<Input>,
    /// The directory being walked, if any.
    dir: Option<files::DirWalk>,
    /// The units of the source being read, if any.
    current: Option<Box<dyn Iterator<Item = Unit> + Send>>,
    /// The largest record read.
    limit: u64,
    pass: Pass,
    /// Sources opened so far (the log's index of the next one).
    opened: usize,
    /// Every input was read.
    ended: bool,
}

impl Units {
    /// Starts reading `inputs`, with the default record-size limit.
    pub fn new(inputs: Vec<Input>) -> Self {
        Self::with_limit(inputs, DEFAULT_MAX_RECORD_SIZE)
    }

    /// Starts reading `inputs`; records larger than `max_record_size` bytes are skipped.
    pub fn with_limit(inputs: Vec<Input>, max_record_size: u64) -> Self {
        Self {
            inputs: inputs.into_iter(),
            dir: None,
            current: None,
            limit: max_record_size,
            pass: Pass::Once,
            opened: 0,
            ended: false,
        }
    }

    /// A first pass over `inputs`, logging what it reads to `log` for a second pass.
    pub fn first_pass(inputs: Vec<Input>, log: Arc<ReadLog>) -> Self {
        Self {
            limit: log.max_record_size,
            pass: Pass::First(log),
            ..Self::new(inputs)
        }
    }

    /// A second pass over the inputs a first pass logged to `log`: it reads the same bytes,
    /// or stops early and [`Units::finish`] says what changed.
    pub fn second_pass(inputs: Vec<Input>, log: Arc<ReadLog>) -> Self {
        Self {
            limit: log.max_record_size,
            pass: Pass::Again(log),
            ..Self::new(inputs)
        }
    }

    /// After a second pass: an error when an input changed since the first pass (then the
    /// units read are not to be trusted). `Ok` for any other pass.
    pub fn finish(&self) -> Result<(), crate::error::Error> {
        match &self.pass {
            Pass::Again(log) if self.ended => log.check_count(self.opened),
            Pass::Again(log) => log.check(),
            _ => Ok(()),
        }
    }

    fn failed(&self) -> bool {
        matches!(&self.pass, Pass::Again(log) if log.failed())
    }

    fn open_input(&mut self, input: Input) {
        let (path, display, format) = match input {
            Input::Stdin => {
                self.open_source(None, "-".into(), Some(Format::Jsonl), false);
                return;
            }
            Input::Path {
                path,
                display,
                format,
            } => (path, display, format),
        };
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => self.dir = Some(files::DirWalk::new(path, display)),
            Ok(m) => self.open_source(Some(path), display, format, m.is_file()),
            Err(e) => self.current = Some(problem_unit(display, io_reason(&e))),
        }
    }

    /// Opens a file (standard input when `path` is `None`) for the pass and starts its units.
    fn open_source(
        &mut self,
        path: Option<PathBuf>,
        display: String,
        format: Option<Format>,
        regular: bool,
    ) {
        let (pass, index) = (&self.pass, self.opened);
        let opened =
            match &path {
                None => passes::open_stream(pass, index, &display, || {
                    Ok(Box::new(io::stdin()) as Opened)
                }),
                Some(p) if regular => {
                    File::open(p).and_then(|f| passes::open_file(pass, index, &display, f))
                }
                Some(p) => passes::open_stream(pass, index, &display, || {
                    Ok(Box::new(File::open(p)?) as Opened)
                }),
            };
        self.current = Some(match opened {
            Ok(reader) => {
                self.opened += 1;
                source::units(reader, display, path.as_deref(), format, self.limit)
            }
            Err(e) => problem_unit(display, io_reason(&e)),
        });
    }
}

fn problem_unit(path: String, reason: String) -> Box<dyn Iterator<Item = Unit> + Send> {
    Box::new(std::iter::once(Unit::Problem(Problem {
        location: Location { path, line: None },
        reason,
    })))
}

/// A user-facing description of an I/O error, with the fix where there is an obvious one.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => {
            format!("cannot read: {e} (check the path, or a broken symlink)")
        }
        io::ErrorKind::PermissionDenied => {
            format!("cannot read: {e} (check the file's permissions)")
        }
        _ => format!("cannot read: {e}"),
    }
}

impl Iterator for Units {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            // A second pass that found a change reads no further.
            if self.failed() {
                return None;
            }
            if let Some(cur) = self.current.as_mut() {
                if let Some(u) = cur.next() {
                    return Some(u);
                }
                // Dropping the source ends its reading (a second pass checks it here).
                self.current = None;
                continue;
            }
            if let Some(dir) = self.dir.as_mut() {
                match dir.next() {
                    // A walk yields regular files only.
                    Some(files::Entry::File { path, display }) => {
                        self.open_source(Some(path), display, Some(Format::Text), true)
                    }
                    Some(files::Entry::Problem(p)) => return Some(Unit::Problem(p)),
                    None => self.dir = None,
                }
                continue;
            }
            match self.inputs.next() {
                Some(input) => self.open_input(input),
                None => {
                    self.ended = true;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let msg = missing_field(
            "text",
            "field",
            "--text-field",
            "text",
            &["id", "txt", "title"],
        );
        assert_eq!(
            msg,
            "missing text field \"text\" (fields here: id, txt, title); did you mean --text-field txt?"
        );
        let msg = missing_field("text", "field", "--text-field", "text", &["id", "body"]);
        assert!(msg.ends_with("choose one with --text-field NAME"), "{msg}");
    }

    #[test]
    fn formats_from_extensions() {
        assert_eq!(
            Format::from_extension(Path::new("a/b.JSONL")),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::from_extension(Path::new("x.tsv")),
            Some(Format::Tsv)
        );
        assert_eq!(
            Format::from_extension(Path::new("x.md")),
            Some(Format::Text)
        );
        assert_eq!(Format::from_extension(Path::new("x")), None);
    }
}
