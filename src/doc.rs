//! Documents: the records read from the inputs and what a scan keeps of each.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Location;

/// Index of a document in read order (the first document read is 0).
pub type DocId = u32;

/// One document as read from an input.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The id: from the id field, a file's path, or the record's `path:line`.
    pub id: String,
    /// The text to fingerprint.
    pub text: String,
    /// The raw value of the date field, when one was asked for and present.
    pub date: Option<String>,
    /// Every other field of the record (JSONL fields, CSV columns).
    pub meta: Map<String, Value>,
    /// Where the record came from.
    pub location: Location,
}

/// What a scan remembers of each document after fingerprinting (the text is dropped).
#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    /// The record's id.
    pub id: String,
    /// Where it came from.
    pub location: Location,
    /// Length of the text in bytes.
    pub bytes: u64,
    /// The first line of the text, shortened to at most 80 characters, to recognise it by.
    pub title: String,
    /// The raw date, when a date field was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The date as seconds since 1970, when it could be read.
    #[serde(skip)]
    pub date_key: Option<i64>,
    /// Position of the record among all records read, skipped ones included (lets `dedup`
    /// re-read the inputs and match records without holding them).
    #[serde(skip)]
    pub unit: u64,
}

/// The first non-empty line of `text`, cut at a character boundary to `max` characters.
pub fn title_of(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    // Cut at the byte where character `max` starts, copying the title in one piece.
    let end = line
        .char_indices()
        .nth(max)
        .map_or(line.len(), |(at, _)| at);
    let mut out = String::with_capacity(end + '…'.len_utf8());
    out.push_str(&line[..end]);
    if end < line.len() {
        out.push('…');
    }
    out
}

/// Parses a date field into seconds since 1970 (UTC). Accepts numbers (Unix seconds) and
/// ISO-8601 strings: `YYYY-MM-DD`, optionally followed by `THH:MM[:SS][.fff]` and `Z` or an
/// offset `±HH:MM`. Returns `None` for anything else.
pub fn parse_date(raw: &str) -> Option<i64> {
    let s = raw.trim();
    if let Ok(n) = s.parse::<f64>() {
        return n.is_finite().then_some(n as i64);
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let hh: i64 = rest.get(0..2)?.parse().ok()?;
    let mm: i64 = rest.get(3..5)?.parse().ok()?;
    secs += hh * 3600 + mm * 60;
    let mut tail = rest.get(5..)?;
    if let Some(t) = tail.strip_prefix(':') {
        secs += t.get(0..2)?.parse::<i64>().ok()?;
        tail = t.get(2..)?;
    }
    if let Some(t) = tail.strip_prefix('.') {
        tail = t.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    match tail {
        "" | "Z" | "z" => Some(secs),
        _ => {
            let sign = match tail.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = tail.get(1..3)?.parse().ok()?;
            let om: i64 = tail.get(4..6).or(tail.get(3..5))?.parse().ok()?;
            Some(secs - sign * (oh * 3600 + om * 60))
        }
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_first_nonblank_lines() {
        assert_eq!(title_of("\n  Headline here \nbody", 80), "Headline here");
        assert_eq!(title_of("abcdef", 3), "abc…");
    }

    #[test]
    fn parses_common_dates() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2025-03-15"), Some(1_741_996_800));
        assert_eq!(
            parse_date("2025-03-15T01:00:00Z"),
            Some(1_741_996_800 + 3600)
        );
        assert_eq!(parse_date("2025-03-15T01:00+01:00"), Some(1_741_996_800));
        assert_eq!(parse_date("1741996800"), Some(1_741_996_800));
        assert_eq!(parse_date("March 15"), None);
        assert_eq!(parse_date("2025-13-01"), None);
    }
}
