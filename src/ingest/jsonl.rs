//! JSONL: one JSON object per line.

use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::ops::Deref;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::json_fields::{pick, raw_member, Wanted};
use super::{missing_field, problem, record_too_large, value_as_text, ReadOptions, Unit};
use crate::doc::Record;
use crate::error::{Location, Problem};

/// Bytes read from a JSONL input at a time; lines longer than this get a larger block.
const BLOCK: usize = 1 << 20;

/// One line of a JSONL input, without its line ending: a range of a block shared with the
/// lines around it, so reading a line costs no allocation or copy of its own. The block is
/// freed with its last line.
#[derive(Debug, Clone)]
pub struct Line {
    block: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Deref for Line {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.block[self.start..self.end]
    }
}

/// The lines of a JSONL stream as units; blank lines are passed over, and a line longer than
/// the limit is reported and skipped without being held.
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    path: String,
    line: u64,
    /// The longest line read, in bytes.
    limit: usize,
    /// Everything is read (or reading failed and the failure was reported).
    eof: bool,
    /// The current block and where its unread part starts.
    block: Arc<Vec<u8>>,
    pos: usize,
    /// Blocks handed out before, newest last: one whose lines have all been dropped is
    /// refilled instead of allocating (and page-faulting in) a fresh one.
    recent: VecDeque<Arc<Vec<u8>>>,
}

/// Blocks remembered for reuse: enough to cover the batches in flight in a scan.
const RECENT_BLOCKS: usize = 16;

impl Lines {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, limit: u64) -> Self {
        Self {
            reader,
            path,
            line: 0,
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            eof: false,
            block: Arc::new(Vec::new()),
            pos: 0,
            recent: VecDeque::new(),
        }
    }

    /// Starts a new block with the unread rest of the current one (a partial line) followed
    /// by as much input as fits, or sets `eof` at the end of the input.
    fn refill(&mut self) -> std::io::Result<()> {
        let mut next = self.spare_block().unwrap_or_default();
        let rest = &self.block[self.pos..];
        // Room for the line to double, but never beyond one byte over the limit: that byte
        // is enough to know the line is too long.
        let wanted = BLOCK.max((2 * rest.len()).min(self.limit.saturating_add(1)));
        next.clear();
        next.reserve(wanted);
        next.extend_from_slice(rest);
        while next.len() < wanted {
            let n = (&mut self.reader)
                .take((wanted - next.len()) as u64)
                .read_to_end(&mut next)?;
            if n == 0 {
                self.eof = true;
                break;
            }
        }
        let next = Arc::new(next);
        // A block grown for a long line is not kept for reuse: it is freed with its lines.
        if next.capacity() <= BLOCK {
            self.recent.push_back(Arc::clone(&next));
            if self.recent.len() > RECENT_BLOCKS {
                self.recent.pop_front();
            }
        }
        self.block = next;
        self.pos = 0;
        Ok(())
    }

    /// A block handed out before whose lines are all gone, if any.
    fn spare_block(&mut self) -> Option<Vec<u8>> {
        let free = self
            .recent
            .iter()
            .position(|b| Arc::strong_count(b) == 1 && !Arc::ptr_eq(b, &self.block))?;
        let block = self.recent.remove(free)?;
        Arc::try_unwrap(block).ok()
    }
}

impl Lines {
    fn problem(&self, line: u64, reason: String) -> Problem {
        Problem {
            location: Location {
                path: self.path.clone(),
                line: Some(line),
            },
            reason,
        }
    }

    /// Reading failed: reported once, and the input ends there.
    fn read_failure(&mut self, e: &std::io::Error) -> Unit {
        self.eof = true;
        self.block = Arc::new(Vec::new());
        self.pos = 0;
        Unit::Problem(self.problem(
            self.line + 1,
            format!(
                "{}; the rest of this input is not read",
                super::io_reason(e)
            ),
        ))
    }
}

impl Iterator for Lines {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            let rest = &self.block[self.pos..];
            let (mut end, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (self.pos + i, self.pos + i + 1),
                None if self.eof && !rest.is_empty() => (self.block.len(), self.block.len()),
                None if self.eof => return None,
                None if rest.len() > self.limit => {
                    // Too long already: the rest of the line is skipped, not read into memory.
                    let skipped = super::source::skip_line(&mut self.reader);
                    self.block = Arc::new(Vec::new());
                    self.pos = 0;
                    self.line += 1;
                    return Some(match skipped {
                        Ok(found_end) => {
                            self.eof = !found_end;
                            Unit::Problem(
                                self.problem(self.line, record_too_large(self.limit as u64)),
                            )
                        }
                        Err(e) => self.read_failure(&e),
                    });
                }
                None => {
                    if let Err(e) = self.refill() {
                        return Some(self.read_failure(&e));
                    }
                    continue;
                }
            };
            let start = self.pos;
            self.pos = next;
            self.line += 1;
            if end - start > self.limit {
                return Some(Unit::Problem(
                    self.problem(self.line, record_too_large(self.limit as u64)),
                ));
            }
            while end > start && self.block[end - 1] == b'\r' {
                end -= 1;
            }
            if self.block[start..end].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Unit::Json {
                location: Location {
                    path: self.path.clone(),
                    line: Some(self.line),
                },
                bytes: Line {
                    block: Arc::clone(&self.block),
                    start,
                    end,
                },
            });
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A field's value as text; a number as it is written in the line, not as a float prints it.
fn field_text(line: &str, name: &str, value: &Value) -> Option<String> {
    match value {
        Value::Number(_) => raw_member(line, name)
            .map(str::to_owned)
            .or_else(|| value_as_text(value)),
        _ => value_as_text(value),
    }
}

/// Parses one JSONL line into a record.
pub fn parse_line(line: &str, location: Location, opts: &ReadOptions) -> Result<Record, Problem> {
    if !opts.keep_meta {
        let wanted = Wanted {
            text: &opts.text_field,
            id: opts.id_field.as_deref().unwrap_or("id"),
            date: opts.date_field.as_deref(),
        };
        if let Some(picked) = pick(line, &wanted) {
            // A missing id is the record's place, unless an id field was asked for: then the
            // full parser below explains what is missing.
            let id = match picked.id {
                Some(id) => Some(id),
                None if opts.id_field.is_none() => Some(location.to_string()),
                None => None,
            };
            if let Some(id) = id {
                return Ok(Record {
                    id,
                    text: picked.text,
                    date: picked.date,
                    meta: Map::new(),
                    location,
                });
            }
        }
    }
    let value: Value = serde_json::from_str(line).map_err(|e| {
        problem(
            &location,
            format!("invalid JSON: {e} (each line must hold one complete JSON object)"),
        )
    })?;
    let mut fields: Map<String, Value> = match value {
        Value::Object(m) => m,
        other => {
            return Err(problem(
                &location,
                format!("expected a JSON object, found {}", kind_of(&other)),
            ))
        }
    };
    fn names(fields: &Map<String, Value>) -> Vec<&str> {
        fields.keys().map(String::as_str).collect()
    }
    match fields.get(&opts.text_field) {
        Some(Value::String(_)) => {}
        None | Some(Value::Null) => {
            return Err(problem(
                &location,
                missing_field(
                    "text",
                    "field",
                    "--text-field",
                    &opts.text_field,
                    &names(&fields),
                ),
            ))
        }
        Some(other) => {
            return Err(problem(
                &location,
                format!(
                    "field {:?} is {}, expected a string of text",
                    opts.text_field,
                    kind_of(other)
                ),
            ))
        }
    }
    let id_name = opts.id_field.as_deref().unwrap_or("id");
    let id = match fields.get(id_name) {
        Some(v) => field_text(line, id_name, v).ok_or_else(|| {
            problem(
                &location,
                format!(
                    "field {id_name:?} is {}, expected a string or number",
                    kind_of(v)
                ),
            )
        })?,
        None if opts.id_field.is_none() => location.to_string(),
        None => {
            return Err(problem(
                &location,
                missing_field("id", "field", "--id-field", id_name, &names(&fields)),
            ))
        }
    };
    let date = opts
        .date_field
        .as_ref()
        .and_then(|f| field_text(line, f, fields.get(f)?));
    let Some(Value::String(text)) = fields.remove(&opts.text_field) else {
        return Err(problem(&location, "text field vanished while parsing"));
    };
    Ok(Record {
        id,
        text,
        date,
        meta: fields,
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of a stream read through `Lines`: (line number, bytes) of each unit.
    fn lines_of(input: Vec<u8>) -> Vec<(u64, Vec<u8>)> {
        Lines::new(
            Box::new(std::io::Cursor::new(input)),
            "s.jsonl".into(),
            crate::ingest::DEFAULT_MAX_RECORD_SIZE,
        )
        .map(|u| match u {
            Unit::Json { location, bytes } => (location.line.unwrap(), bytes.to_vec()),
            other => panic!("unexpected unit {other:?}"),
        })
        .collect()
    }

    #[test]
    fn lines_cross_blocks_and_keep_their_numbers() {
        // A line longer than a block, lines ending exactly at a block edge, CRLF, blank
        // lines and a last line without a newline.
        let long = vec![b'x'; 2 * BLOCK + 17];
        let edge = vec![b'y'; BLOCK - 1];
        let mut input = Vec::new();
        input.extend_from_slice(&edge);
        input.push(b'\n');
        input.extend_from_slice(b"a\r\n\n  \r\n");
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nlast");
        let got = lines_of(input);
        let want: Vec<(u64, Vec<u8>)> = vec![
            (1, edge),
            (2, b"a".to_vec()),
            (5, long),
            (6, b"last".to_vec()),
        ];
        assert_eq!(got, want);
        assert!(lines_of(Vec::new()).is_empty());
        assert_eq!(lines_of(b"\n\nz\n".to_vec()), [(3, b"z".to_vec())]);
    }

    fn loc() -> Location {
        Location {
            path: "c.jsonl".into(),
            line: Some(3),
        }
    }

    #[test]
    fn reads_fields_and_keeps_the_rest_as_metadata() {
        let r = parse_line(
            r#"{"id": 17, "text": "hi there", "src": "x"}"#,
            loc(),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(r.id, "17");
        assert_eq!(r.text, "hi there");
        assert_eq!(r.meta.get("src"), Some(&Value::String("x".into())));
    }

    #[test]
    fn falls_back_to_location_only_without_an_explicit_id_field() {
        let r = parse_line(r#"{"text": "hi"}"#, loc(), &ReadOptions::default()).unwrap();
        assert_eq!(r.id, "c.jsonl:3");
        let opts = ReadOptions {
            id_field: Some("uid".into()),
            ..ReadOptions::default()
        };
        let e = parse_line(r#"{"text": "hi"}"#, loc(), &opts).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.jsonl:3: missing id field \"uid\" (fields here: text); choose one with --id-field NAME"
        );
    }

    #[test]
    fn explains_wrong_types() {
        let e = parse_line(r#"{"text": 5}"#, loc(), &ReadOptions::default()).unwrap_err();
        assert_eq!(
            e.reason,
            "field \"text\" is a number, expected a string of text"
        );
        let e = parse_line("[1]", loc(), &ReadOptions::default()).unwrap_err();
        assert_eq!(e.reason, "expected a JSON object, found an array");
    }
}
