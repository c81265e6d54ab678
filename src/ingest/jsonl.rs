//! JSONL: one JSON object per line.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::json_fields::{pick, Wanted};
use super::{missing_field, problem, value_as_text, ReadOptions, Unit};
use crate::doc::Record;
use crate::error::{Location, Problem};

/// The lines of a JSONL stream as units; blank lines are passed over.
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    path: String,
    line: u64,
    done: bool,
    /// Reused for every line, so a line costs one allocation of its own size.
    buf: Vec<u8>,
}

impl Lines {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String) -> Self {
        Self {
            reader,
            path,
            line: 0,
            done: false,
            buf: Vec::new(),
        }
    }
}

impl Iterator for Lines {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        while !self.done {
            let bytes = &mut self.buf;
            bytes.clear();
            self.line += 1;
            let location = Location {
                path: self.path.clone(),
                line: Some(self.line),
            };
            match self.reader.read_until(b'\n', bytes) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
                        bytes.pop();
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Unit::Json {
                        location,
                        bytes: bytes.to_vec(),
                    });
                }
                Err(e) => {
                    self.done = true;
                    return Some(Unit::Problem(Problem {
                        location,
                        reason: format!(
                            "{}; the rest of this input is not read",
                            super::io_reason(&e)
                        ),
                    }));
                }
            }
        }
        None
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
        Some(v) => value_as_text(v).ok_or_else(|| {
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
        .and_then(|f| fields.get(f))
        .and_then(value_as_text);
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
