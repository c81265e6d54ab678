//! CSV and TSV with a header row: one record per row, columns by name.
//!
//! Rows end at `\n`; a `\r` before it (CRLF files) is dropped from the row's last field, so
//! line numbers count every line (csv's own CRLF handling counts a record's line before its
//! `\n` is read: every line one too low). A row larger than the record-size limit is reported
//! and skipped up to the next line end without being held, and reading goes on after it.

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};

use super::{missing_field, problem, record_too_large, ReadOptions, Unit};
use crate::doc::Record;
use crate::error::{Location, Problem};

/// The csv reader's buffer: a row is read at most this far beyond the limit before it is known
/// to be too long.
const CSV_BUFFER: usize = 8 << 10;

/// The rows of a CSV/TSV stream as units.
pub struct Rows {
    /// `None` only while a new reader replaces one that stopped at an over-long row.
    reader: Option<csv::Reader<Budget>>,
    delimiter: u8,
    header: Option<Vec<String>>,
    path: String,
    done: bool,
    /// Lines before the current reader's first (a new reader starts after a skipped row).
    line_base: u64,
    limit: u64,
}

/// The source of a csv reader, counting what each row takes: the read that would take a row
/// beyond the limit fails instead, so the reader never holds an over-long row.
struct Budget {
    inner: Box<dyn BufRead + Send>,
    /// Bytes handed out since the current row started, and how many are allowed.
    this_row: u64,
    allowed: u64,
    /// Newlines handed out in all.
    newlines: u64,
    /// The limit stopped a row.
    tripped: bool,
    /// The source is exhausted, and the last byte it gave.
    eof: bool,
    last: Option<u8>,
    /// Bytes and double quotes handed to the current csv reader: an odd count of quotes once
    /// all is read means a quoted field was never closed.
    handed: u64,
    quotes: u64,
}

impl Read for Budget {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.this_row > self.allowed {
            self.tripped = true;
            return Err(io::Error::other("row over the record-size limit"));
        }
        let n = self.inner.read(buf)?;
        self.eof |= n == 0;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        self.this_row += n as u64;
        self.newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        self.handed += n as u64;
        self.quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        Ok(n)
    }
}

fn csv_reader(budget: Budget, delimiter: u8) -> csv::Reader<Budget> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(CSV_BUFFER)
        .from_reader(budget)
}

impl Rows {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, delimiter: u8, limit: u64) -> Self {
        let budget = Budget {
            inner: reader,
            this_row: 0,
            // A row is known to be too long once the bytes read for it, less what the
            // reader may have buffered of the rows after it, pass the limit.
            allowed: limit.saturating_add(CSV_BUFFER as u64),
            newlines: 0,
            tripped: false,
            eof: false,
            last: None,
            handed: 0,
            quotes: 0,
        };
        Self {
            reader: Some(csv_reader(budget, delimiter)),
            delimiter,
            header: None,
            path,
            done: false,
            line_base: 0,
            limit,
        }
    }

    fn location(&self, line: Option<u64>) -> Location {
        Location {
            path: self.path.clone(),
            line,
        }
    }

    /// After the budget stopped a row: skips the rest of its line and starts a new reader on
    /// what follows.
    fn skip_row(&mut self, line: u64) -> Unit {
        let Some(reader) = self.reader.take() else {
            self.done = true;
            return Unit::Problem(problem(
                &self.location(Some(line)),
                record_too_large(self.limit),
            ));
        };
        // What the reader had buffered is part of the row being skipped: it was reading on
        // because the row had not ended.
        let mut budget = reader.into_inner();
        let skipped = super::source::skip_line(&mut budget.inner);
        match skipped {
            Ok(found_end) => {
                self.line_base = budget.newlines + u64::from(found_end);
                self.done = !found_end;
                budget.this_row = 0;
                budget.tripped = false;
                (budget.handed, budget.quotes) = (0, 0);
                self.reader = Some(csv_reader(budget, self.delimiter));
                Unit::Problem(problem(
                    &self.location(Some(line)),
                    record_too_large(self.limit),
                ))
            }
            Err(e) => {
                self.done = true;
                Unit::Problem(problem(
                    &self.location(Some(line)),
                    format!(
                        "{}; the rest of this input is not read",
                        super::io_reason(&e)
                    ),
                ))
            }
        }
    }
}

impl Iterator for Rows {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        while !self.done {
            let reader = self.reader.as_mut()?;
            reader.get_mut().this_row = 0;
            let mut row = csv::ByteRecord::new();
            let line = self.line_base + reader.position().line();
            match reader.read_byte_record(&mut row) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    // csv gives a record the position where reading it began, before any
                    // blank lines it skipped: count back from where the record ended instead,
                    // over the newlines in its fields and the one that ended it.
                    let budget = reader.get_ref();
                    let ended_by_newline = !(budget.eof && budget.last != Some(b'\n'));
                    let inner = memchr::memchr_iter(b'\n', row.as_slice()).count() as u64;
                    let line = (self.line_base + reader.position().line())
                        .saturating_sub(inner + u64::from(ended_by_newline))
                        .max(1);
                    if row.as_slice().len() as u64 > self.limit {
                        return Some(Unit::Problem(problem(
                            &self.location(Some(line)),
                            record_too_large(self.limit),
                        )));
                    }
                    // csv reads a quote that is never closed to the end of the input, as one
                    // field: the last row then holds every line after it. An odd number of
                    // quotes in all, with a last row of several lines, tells.
                    let last_row = budget.eof && reader.position().byte() >= budget.handed;
                    if last_row && budget.quotes % 2 == 1 && inner > 0 {
                        self.done = true;
                        // The input's last newline is inside the field, not after the row.
                        let line = line + u64::from(ended_by_newline);
                        return Some(Unit::Problem(problem(
                            &self.location(Some(line)),
                            format!(
                                "a quoted field in this row is never closed, so the {inner} \
                                 lines after it were read into it; skipped (close the quote, \
                                 and double any quote inside a quoted field)"
                            ),
                        )));
                    }
                    let mut cells: Vec<String> = row
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect();
                    if let Some(last) = cells.last_mut() {
                        if last.ends_with('\r') {
                            last.pop();
                        }
                    }
                    // A blank line of a CRLF file.
                    if cells.len() == 1 && cells[0].is_empty() {
                        continue;
                    }
                    let Some(header) = &self.header else {
                        self.header = Some(cells);
                        continue;
                    };
                    if cells.len() != header.len() {
                        return Some(Unit::Problem(problem(
                            &self.location(Some(line)),
                            format!(
                                "row has {} fields but the header has {} (quote fields that contain the delimiter)",
                                cells.len(),
                                header.len()
                            ),
                        )));
                    }
                    let fields = header.iter().cloned().zip(cells).collect();
                    return Some(Unit::Row {
                        location: self.location(Some(line)),
                        fields,
                    });
                }
                Err(_) if reader.get_ref().tripped => return Some(self.skip_row(line)),
                Err(e) => {
                    // A malformed row (bad quoting): report it and carry on with the next one.
                    let line = e.position().map_or(line, |p| self.line_base + p.line());
                    if let csv::ErrorKind::Io(_) = e.kind() {
                        self.done = true;
                    }
                    return Some(Unit::Problem(Problem {
                        location: self.location(Some(line)),
                        reason: format!("malformed row: {e}"),
                    }));
                }
            }
        }
        None
    }
}

/// Builds a record from a row's `(column, value)` pairs.
pub fn record_from_row(
    fields: Vec<(String, String)>,
    location: Location,
    opts: &ReadOptions,
) -> Result<Record, Problem> {
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    let find = |name: &str| fields.iter().position(|(k, _)| k == name);
    let Some(text_at) = find(&opts.text_field) else {
        return Err(problem(
            &location,
            missing_field("text", "column", "--text-field", &opts.text_field, &names),
        ));
    };
    let id_name = opts.id_field.as_deref().unwrap_or("id");
    let id_at = find(id_name);
    if id_at.is_none() && opts.id_field.is_some() {
        return Err(problem(
            &location,
            missing_field("id", "column", "--id-field", id_name, &names),
        ));
    }
    let date_at = opts.date_field.as_deref().and_then(find);
    let id = match id_at {
        Some(i) => fields[i].1.clone(),
        None => location.to_string(),
    };
    let date = date_at.map(|i| fields[i].1.clone());
    let mut text = String::new();
    let mut meta = Map::new();
    for (i, (k, v)) in fields.into_iter().enumerate() {
        if i == text_at {
            text = v;
        } else {
            meta.insert(k, Value::String(v));
        }
    }
    Ok(Record {
        id,
        text,
        date,
        meta,
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse_unit;

    fn units(data: &str) -> Vec<Unit> {
        rows(data, crate::ingest::DEFAULT_MAX_RECORD_SIZE)
    }

    /// Each unit as `location "text"`, or its problem.
    fn described(units: Vec<Unit>) -> Vec<String> {
        units
            .into_iter()
            .map(|u| match parse_unit(u, &ReadOptions::default()) {
                Ok(p) => format!("{} {:?}", p.record.location, p.record.text),
                Err(p) => p.to_string(),
            })
            .collect()
    }

    fn rows(data: &str, limit: u64) -> Vec<Unit> {
        let reader = Box::new(std::io::Cursor::new(data.as_bytes().to_vec()));
        Rows::new(reader, "t.csv".into(), b',', limit).collect()
    }

    #[test]
    fn reads_rows_by_header_name_with_quoted_newlines() {
        let us = units("id,text,src\n1,\"hello, world\",a\n2,\"two\nlines\",b\n");
        let recs: Vec<_> = us
            .into_iter()
            .map(|u| parse_unit(u, &ReadOptions::default()).unwrap().record)
            .collect();
        assert_eq!(recs[0].id, "1");
        assert_eq!(recs[0].text, "hello, world");
        assert_eq!(recs[1].text, "two\nlines");
        assert_eq!(recs[1].location.to_string(), "t.csv:3");
        assert_eq!(recs[1].meta.get("src"), Some(&Value::String("b".into())));
    }

    #[test]
    fn reports_ragged_rows_and_missing_columns() {
        let us = units("id,text\n1,a,extra\n");
        match &us[0] {
            Unit::Problem(p) => assert_eq!(
                p.to_string(),
                "t.csv:2: row has 3 fields but the header has 2 (quote fields that contain the delimiter)"
            ),
            other => panic!("{other:?}"),
        }
        let us = units("id,body\n1,hello\n");
        let err = parse_unit(us.into_iter().next().unwrap(), &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:2: missing text column \"text\" (columns here: id, body); choose one with --text-field NAME"
        );
    }

    #[test]
    fn item12_a_quote_never_closed_is_reported_not_read_as_one_long_field() {
        let got = described(units("id,text\n1,\"never closed\n2,hello world\n3,more\n"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("t.csv:2: a quoted field in this row is never closed, so the 3"),
            "{got:?}"
        );
        // A closed quoted field over several lines, last in the file, is a row like any other.
        let got = described(units("id,text\n1,a\n2,\"b\nc \"\"d\"\"\"\n"));
        assert_eq!(got, ["t.csv:2 \"a\"", "t.csv:3 \"b\\nc \\\"d\\\"\""]);
    }

    #[test]
    fn item12_crlf_rows_keep_their_line_numbers() {
        let us = units("id,text\r\n1,a\r\n\r\n2,\"b\r\nc\"\r\n3,d,x\r\n4,e\r\n");
        let got = described(us);
        assert_eq!(
            got,
            [
                "t.csv:2 \"a\"",
                "t.csv:4 \"b\\r\\nc\"",
                "t.csv:6: row has 3 fields but the header has 2 (quote fields that contain the delimiter)",
                "t.csv:7 \"e\"",
            ]
        );
    }

    #[test]
    fn item7_an_over_long_row_is_skipped_without_being_held() {
        // A row far over the limit and the reader's buffer, with quoted newlines in it: it
        // is reported at its first line, and reading goes on at the next line end.
        let long = "y".repeat(40_000);
        let data = format!("id,text\n1,a\n2,{long}\n3,b\n4,\"c\nd\"\n");
        let got = described(rows(&data, 100));
        assert_eq!(
            got,
            [
                "t.csv:2 \"a\"",
                "t.csv:3: record is larger than --max-record-size (100 bytes); skipped (raise the limit to read it)",
                "t.csv:4 \"b\"",
                "t.csv:5 \"c\\nd\"",
            ]
        );
    }
}
