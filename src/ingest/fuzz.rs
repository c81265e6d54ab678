//! A fuzz test of the reading layer (issue 16): JSONL, CSV, TSV and text files, plain, gzip or
//! zstd (named as such or not), with a byte-order mark or CRLF line ends, holding well-formed
//! records between lines of garbage and over-long lines, or the same bytes damaged at random.
//!
//! Whatever the bytes, reading never panics and every problem names the file (and the line,
//! for a problem within a line-based file); when the file is not damaged, every well-formed
//! record is read, at its true line. 256 cases from a fixed seed run with `cargo test`;
//! `PROPTEST_CASES=100000 cargo test --lib ingest::fuzz` (or `benches/fuzz_ingest.sh`) runs a
//! longer campaign, and `PROPTEST_RNG_SEED` picks another seed.

use std::io::Write;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::{parse_unit, Input, ReadOptions, Units};

#[derive(Debug, Clone, Copy)]
enum Kind {
    Jsonl,
    Csv,
    Tsv,
    Text,
}

#[derive(Debug, Clone, Copy)]
enum Packing {
    Plain,
    Gzip,
    Zstd,
}

/// One line of a generated file: a well-formed record, or anything else.
#[derive(Debug, Clone)]
enum Entry {
    Good(Vec<String>),
    /// Bytes of a line, and how many of them were drawn as arbitrary bytes.
    Garbage(Vec<u8>, usize),
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        3 => proptest::collection::vec("[a-z]{1,8}", 1..12).prop_map(Entry::Good),
        // Text-like garbage with a few arbitrary bytes; no newline (it is one line).
        2 => ("\\PC{0,40}", proptest::collection::vec(any::<u8>(), 0..3))
            .prop_map(|(s, bytes)| {
                let mut g = s.into_bytes();
                let odd = bytes.len();
                g.extend(bytes);
                Entry::Garbage(g.into_iter().filter(|&b| b != b'\n').collect(), odd)
            }),
        // A line over the record-size limit of the small-limit cases.
        1 => (1500usize..3000).prop_map(|n| Entry::Garbage(vec![b'x'; n], 0)),
    ]
}

/// The file's bytes and, per entry, the line it starts on.
fn render(kind: Kind, entries: &[Entry], crlf: bool, bom: bool) -> (Vec<u8>, Vec<u64>) {
    let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xef\xbb\xbf");
    }
    let delimiter = if matches!(kind, Kind::Tsv) { "\t" } else { "," };
    let mut line = 1;
    if matches!(kind, Kind::Csv | Kind::Tsv) {
        out.extend_from_slice(format!("id{delimiter}text").as_bytes());
        out.extend_from_slice(end);
        line += 1;
    }
    let mut lines = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        lines.push(line);
        match (e, kind) {
            (Entry::Good(words), Kind::Jsonl) => out.extend_from_slice(
                serde_json::json!({"id": format!("g{i}"), "text": words.join(" ")})
                    .to_string()
                    .as_bytes(),
            ),
            (Entry::Good(words), Kind::Csv | Kind::Tsv) => {
                out.extend_from_slice(format!("g{i}{delimiter}{}", words.join(" ")).as_bytes())
            }
            (Entry::Good(words), Kind::Text) => out.extend_from_slice(words.join(" ").as_bytes()),
            // A quote in CSV garbage would open a field that swallows the lines after it:
            // such a file is damaged, which the second property covers.
            (Entry::Garbage(g, _), Kind::Csv | Kind::Tsv) => {
                out.extend(g.iter().filter(|&&b| b != b'"'))
            }
            (Entry::Garbage(g, _), _) => out.extend_from_slice(g),
        }
        out.extend_from_slice(end);
        line += 1;
    }
    (out, lines)
}

fn pack(bytes: &[u8], packing: Packing) -> Vec<u8> {
    match packing {
        Packing::Plain => bytes.to_vec(),
        Packing::Gzip => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(bytes).expect("in memory");
            enc.finish().expect("in memory")
        }
        Packing::Zstd => zstd::encode_all(bytes, 1).expect("in memory"),
    }
}

/// The file name: the format's extension, and the compression's unless it is to be found
/// from the magic bytes alone.
fn name(kind: Kind, packing: Packing, named: bool) -> String {
    let ext = match kind {
        Kind::Jsonl => "jsonl",
        Kind::Csv => "csv",
        Kind::Tsv => "tsv",
        Kind::Text => "txt",
    };
    match (packing, named) {
        (Packing::Gzip, true) => format!("f.{ext}.gz"),
        (Packing::Zstd, true) => format!("f.{ext}.zst"),
        _ => format!("f.{ext}"),
    }
}

/// A record read: its id, line and text.
type ReadRecord = (String, Option<u64>, String);

/// Reads `bytes` as the file `name` and returns the records' `(id, line, text)` and problems,
/// checking that every problem names the file.
fn read(name: &str, kind: Kind, bytes: &[u8], limit: u64) -> (Vec<ReadRecord>, Vec<String>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write input");
    let input = Input::Path {
        path,
        display: name.to_owned(),
        format: None,
    };
    let opts = ReadOptions {
        max_record_size: limit,
        ..ReadOptions::default()
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for unit in Units::with_limit(vec![input], limit) {
        let line_based = !matches!(kind, Kind::Text);
        match parse_unit(unit, &opts) {
            Ok(p) => records.push((p.record.id, p.record.location.line, p.record.text)),
            Err(p) => {
                assert_eq!(p.location.path, name, "{p}");
                // A problem without a line is about the whole file.
                if line_based && p.location.line.is_none() {
                    let whole_file = ["looks like binary data", "named like", "cannot read"]
                        .iter()
                        .any(|r| p.reason.starts_with(r));
                    assert!(whole_file, "a problem within a line names no line: {p}");
                }
                problems.push(p.to_string());
            }
        }
    }
    (records, problems)
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Jsonl),
        Just(Kind::Csv),
        Just(Kind::Tsv),
        Just(Kind::Text)
    ]
}

fn packing() -> impl Strategy<Value = Packing> {
    prop_oneof![
        Just(Packing::Plain),
        Just(Packing::Gzip),
        Just(Packing::Zstd)
    ]
}

fn config() -> Config {
    Config {
        // Overridden by PROPTEST_RNG_SEED; PROPTEST_CASES sets the count (256 by default).
        rng_seed: match std::env::var("PROPTEST_RNG_SEED") {
            Ok(s) => RngSeed::Fixed(s.parse().unwrap_or(16)),
            Err(_) => RngSeed::Fixed(16),
        },
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Undamaged files: every well-formed record is read, at its line.
    #[test]
    fn every_well_formed_record_is_read(
        kind in kind(),
        packing in packing(),
        named in any::<bool>(),
        entries in proptest::collection::vec(entry(), 1..30),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        small_limit in any::<bool>(),
    ) {
        let limit = if small_limit { 1024 } else { super::DEFAULT_MAX_RECORD_SIZE };
        // A text file is one record: only its good words, within the limit.
        let entries = match kind {
            Kind::Text => entries.into_iter().filter(|e| matches!(e, Entry::Good(_))).take(1).collect(),
            _ => entries,
        };
        let (plain, lines) = render(kind, &entries, crlf, bom);
        let file = name(kind, packing, named);
        let (records, problems) = read(&file, kind, &pack(&plain, packing), limit);
        // A file mostly of arbitrary bytes may rightly look binary; one with few (under 5%
        // of its bytes) must not, and then every good record must be read.
        let odd: usize = entries
            .iter()
            .map(|e| if let Entry::Garbage(_, n) = e { *n } else { 0 })
            .sum();
        let refused = problems.iter().any(|p| p.contains("looks like binary data"));
        prop_assert!(!refused || odd * 20 >= plain.len(), "text refused as binary: {:?}", problems);
        if refused {
            return Ok(());
        }
        for (i, e) in entries.iter().enumerate() {
            let Entry::Good(words) = e else { continue };
            let text = words.join(" ");
            let found = match kind {
                Kind::Text => records.iter().any(|(id, _, t)| id == &file && t.trim() == text),
                _ => records.iter().any(|(id, line, t)| {
                    *id == format!("g{i}") && *line == Some(lines[i]) && *t == text
                }),
            };
            prop_assert!(found, "record {} (line {}) lost from {}: {:?} {:?}", i, lines[i], file, records, problems);
        }
    }

    /// Damaged bytes (cut, flipped, compressed or not): reading never panics, and every
    /// problem names the file (checked in `read`).
    #[test]
    fn damaged_input_never_panics(
        kind in kind(),
        packing in packing(),
        named in any::<bool>(),
        entries in proptest::collection::vec(entry(), 0..20),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        raw in proptest::collection::vec(any::<u8>(), 0..300),
        use_raw in any::<bool>(),
    ) {
        let mut bytes = if use_raw {
            raw
        } else {
            pack(&render(kind, &entries, false, false).0, packing)
        };
        if !bytes.is_empty() {
            for (at, with) in flips {
                let at = at.index(bytes.len());
                bytes[at] = with;
            }
            bytes.truncate(cut.index(bytes.len()) + 1);
        }
        let _ = read(&name(kind, packing, named), kind, &bytes, 1024);
    }
}
