//! CSV and TSV with a header row: one record per row, columns by name.

use std::io::Read;

use serde_json::{Map, Value};

use super::{missing_field, problem, ReadOptions, Unit};
use crate::doc::Record;
use crate::error::{Location, Problem};

/// The rows of a CSV/TSV stream as units.
pub struct Rows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    header: Option<Vec<String>>,
    path: String,
    done: bool,
}

impl Rows {
    pub fn new(reader: impl Read + Send + 'static, path: String, delimiter: u8) -> Self {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(Box::new(reader) as Box<dyn Read + Send>);
        Self {
            reader,
            header: None,
            path,
            done: false,
        }
    }

    fn location(&self, line: Option<u64>) -> Location {
        Location {
            path: self.path.clone(),
            line,
        }
    }
}

impl Iterator for Rows {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        while !self.done {
            let mut row = csv::ByteRecord::new();
            let line = self.reader.position().line() + 1;
            match self.reader.read_byte_record(&mut row) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = row.position().map_or(line, |p| p.line());
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect();
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
                Err(e) => {
                    // A malformed row (bad quoting): report it and carry on with the next one.
                    let line = e.position().map_or(line, |p| p.line());
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
        Rows::new(std::io::Cursor::new(data.to_owned()), "t.csv".into(), b',').collect()
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
}
