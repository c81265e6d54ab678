//! Reading inputs: directories, text files, JSONL, CSV/TSV and stdin, as a stream of units.
//!
//! Reading is split in two so that the expensive half runs in parallel and in order:
//! [`Units`] walks the inputs sequentially and yields raw [`Unit`]s (a JSONL line, a CSV row,
//! a file's bytes) with their location; [`parse_unit`] turns one unit into a [`Record`] or a
//! [`Problem`] and is called from the worker threads. A unit is dropped once parsed, so the
//! raw corpus is never held twice, and `dedup` can walk the same units again to copy the kept
//! records byte for byte.

mod csv;
mod files;
mod json_fields;
mod jsonl;
mod reread;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub use jsonl::Line;
pub use reread::reread;

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
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            text_field: "text".into(),
            id_field: None,
            date_field: None,
            keep_meta: true,
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
    current: Option<Box<dyn Iterator<Item = Unit> + Send>>,
}

impl Units {
    /// Starts reading `inputs`.
    pub fn new(inputs: Vec<Input>) -> Self {
        Self {
            inputs: inputs.into_iter(),
            current: None,
        }
    }

    fn open(input: Input) -> Box<dyn Iterator<Item = Unit> + Send> {
        match input {
            Input::Stdin => {
                let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
                Box::new(jsonl::Lines::new(reader, "-".into()))
            }
            Input::Path {
                path,
                display,
                format,
            } => {
                let meta = match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        let reason = io_reason(&e);
                        let location = Location {
                            path: display,
                            line: None,
                        };
                        return Box::new(std::iter::once(Unit::Problem(Problem {
                            location,
                            reason,
                        })));
                    }
                };
                if meta.is_dir() {
                    return Box::new(files::DirWalk::new(path, display));
                }
                let format = format.or_else(|| Format::from_extension(&path));
                open_file(path, display, format)
            }
        }
    }
}

fn open_file(
    path: PathBuf,
    display: String,
    format: Option<Format>,
) -> Box<dyn Iterator<Item = Unit> + Send> {
    let location = Location {
        path: display.clone(),
        line: None,
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            return Box::new(std::iter::once(Unit::Problem(Problem {
                location,
                reason: io_reason(&e),
            })))
        }
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let format = match format {
        Some(f) => f,
        // No telling extension: a file whose first non-blank byte opens a JSON object is
        // JSONL, anything else one text document.
        None => match reader.fill_buf() {
            Ok(buf) if buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => {
                Format::Jsonl
            }
            _ => Format::Text,
        },
    };
    match format {
        Format::Jsonl => Box::new(jsonl::Lines::new(Box::new(reader), display)),
        Format::Csv => Box::new(csv::Rows::new(reader, display, b',')),
        Format::Tsv => Box::new(csv::Rows::new(reader, display, b'\t')),
        Format::Text => {
            let mut bytes = Vec::new();
            let unit = match reader.read_to_end(&mut bytes) {
                Ok(_) => Unit::File { location, bytes },
                Err(e) => Unit::Problem(Problem {
                    location,
                    reason: io_reason(&e),
                }),
            };
            Box::new(std::iter::once(unit))
        }
    }
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
            if let Some(cur) = self.current.as_mut() {
                if let Some(u) = cur.next() {
                    return Some(u);
                }
                self.current = None;
            }
            let input = self.inputs.next()?;
            self.current = Some(Self::open(input));
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
