//! From an opened source to its units: gzip and zstd are undone, binary data is refused, a
//! UTF-8 byte-order mark is dropped, and the format is chosen, before any record is read.
//!
//! Compression is recognised by the name (`.gz`, `.zst`) and by the first bytes, so a
//! compressed stream on standard input or a file without an extension is read too; the format
//! of `x.jsonl.gz` is that of `x.jsonl`. Binary data (a Parquet or zip file, a flood of NUL
//! bytes, random bytes) is recognised from its first few KiB and refused as a whole, before
//! any of it is buffered as a "record".

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

use super::passes::Opened;
use super::{csv, io_reason, jsonl, record_too_large, Format, Unit};
use crate::error::{Location, Problem};

/// Bytes looked at to tell text from binary data and JSONL from text.
const SNIFF: usize = 8 << 10;

/// Buffer between the source (or its decompressor) and the record readers.
const BUFFER: usize = 1 << 16;

/// A way a source can be compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gz" | "gzip" => Some(Self::Gzip),
            "zst" | "zstd" => Some(Self::Zstd),
            _ => None,
        }
    }

    fn from_magic(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Self::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Self::Zstd)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Gzip => "gzip",
            Self::Zstd => "zstd",
        }
    }
}

/// The name without a compression extension (`x.jsonl.gz` -> `x.jsonl`), for the format.
pub(super) fn uncompressed_name(path: &Path) -> &Path {
    match Compression::from_extension(path) {
        Some(_) => path.file_stem().map_or(path, Path::new),
        None => path,
    }
}

/// The units of one opened source. `path` is its name (for the extensions), `format` the
/// format asked for, `limit` the largest record read.
pub(super) fn units(
    reader: Opened,
    display: String,
    path: Option<&Path>,
    format: Option<Format>,
    limit: u64,
) -> Box<dyn Iterator<Item = Unit> + Send> {
    let location = Location {
        path: display.clone(),
        line: None,
    };
    let refuse = |reason: String| -> Box<dyn Iterator<Item = Unit> + Send> {
        Box::new(std::iter::once(Unit::Problem(Problem {
            location: location.clone(),
            reason,
        })))
    };
    let (rest, sample) = match decompress(reader, path) {
        Ok(r) => match peek(r, SNIFF) {
            Ok(r) => r,
            Err(e) => return refuse(read_failure(&e)),
        },
        Err(Refusal::Io(e)) => return refuse(read_failure(&e)),
        Err(Refusal::Reason(reason)) => return refuse(reason),
    };
    if let Some(why) = binary_reason(&sample.bytes, sample.whole) {
        return refuse(format!(
            "looks like binary data ({why}); skipped: only UTF-8 text, JSONL, CSV and TSV are read, plain or gzip- or zstd-compressed"
        ));
    }
    let bom = usize::from(sample.bytes.starts_with(b"\xef\xbb\xbf")) * 3;
    let format = format
        .or_else(|| path.and_then(|p| Format::from_extension(uncompressed_name(p))))
        // No telling extension: a source whose first non-blank byte opens a JSON object is
        // JSONL, anything else one text document.
        .unwrap_or_else(|| {
            match sample.bytes[bom..]
                .iter()
                .find(|b| !b.is_ascii_whitespace())
            {
                Some(b'{') => Format::Jsonl,
                _ => Format::Text,
            }
        });
    let mut head = Cursor::new(sample.bytes);
    head.set_position(bom as u64);
    let reader = BufReader::with_capacity(BUFFER, head.chain(rest));
    match format {
        Format::Jsonl => Box::new(jsonl::Lines::new(Box::new(reader), display, limit)),
        Format::Csv => Box::new(csv::Rows::new(Box::new(reader), display, b',', limit)),
        Format::Tsv => Box::new(csv::Rows::new(Box::new(reader), display, b'\t', limit)),
        Format::Text => Box::new(std::iter::once(whole_text(reader, location, limit))),
    }
}

/// A whole text file as one unit, unless it is larger than `limit`.
fn whole_text(reader: impl Read, location: Location, limit: u64) -> Unit {
    let mut bytes = Vec::new();
    match reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > limit => Unit::Problem(Problem {
            location,
            reason: record_too_large(limit),
        }),
        Ok(_) => Unit::File { location, bytes },
        Err(e) => Unit::Problem(Problem {
            location,
            reason: read_failure(&e),
        }),
    }
}

fn read_failure(e: &io::Error) -> String {
    io_reason(e)
}

/// Why a source is not read at all.
enum Refusal {
    Io(io::Error),
    Reason(String),
}

/// The source decompressed when its name or first bytes say it is compressed.
fn decompress(reader: Opened, path: Option<&Path>) -> Result<Opened, Refusal> {
    let (rest, head) = peek(reader, 4).map_err(Refusal::Io)?;
    let by_name = path.and_then(Compression::from_extension);
    let by_magic = Compression::from_magic(&head.bytes);
    let reader: Opened = Box::new(Cursor::new(head.bytes).chain(rest));
    match (by_name, by_magic) {
        (_, Some(Compression::Gzip)) => Ok(Box::new(flate2::read::MultiGzDecoder::new(reader))),
        (_, Some(Compression::Zstd)) => Ok(Box::new(
            zstd::stream::read::Decoder::new(reader).map_err(Refusal::Io)?,
        )),
        (Some(named), None) => Err(Refusal::Reason(format!(
            "named like {} data but it is not (it does not start with the {} signature); skipped: rename or recompress it",
            named.name(),
            named.name()
        ))),
        (None, None) => Ok(reader),
    }
}

/// The first bytes of a source, and whether they are all of it.
struct Sample {
    bytes: Vec<u8>,
    whole: bool,
}

/// Reads up to `n` bytes: the reader of the rest, and those bytes.
fn peek(mut reader: Opened, n: usize) -> io::Result<(Opened, Sample)> {
    let mut bytes = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut bytes)?;
    let whole = bytes.len() < n;
    Ok((reader, Sample { bytes, whole }))
}

/// The fewest odd bytes that make a source binary.
const EVIDENCE: usize = 16;

/// Formats known by their first bytes that are not text, and what to do about them.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"PAR1", "a Parquet file: export it to JSONL or CSV first"),
    (
        b"PK\x03\x04",
        "a zip archive or Office document: unpack or export it first",
    ),
    (b"%PDF-", "a PDF: extract its text first"),
    (
        b"\xfd7zXZ\x00",
        "xz-compressed: decompress it, or recompress it with gzip or zstd",
    ),
    (
        b"BZh",
        "bzip2-compressed: decompress it, or recompress it with gzip or zstd",
    ),
    (
        b"SQLite format 3\x00",
        "an SQLite database: export it to JSONL or CSV first",
    ),
    (b"\xff\xfe", "UTF-16 text: re-encode it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text: re-encode it as UTF-8"),
];

/// Why `sample` (the first bytes of a source; `whole` when it is all of it) is not text, or
/// `None` when it is. A few NUL bytes or stray invalid UTF-8 do not make a source binary
/// (they are reported per record); NUL bytes in 5% of the sample, or bytes that are not
/// UTF-8 text in 30%, do, once there are at least [`EVIDENCE`] of them (a file of two bytes,
/// one of them odd, is not called binary).
pub(super) fn binary_reason(sample: &[u8], whole: bool) -> Option<String> {
    for (signature, what) in SIGNATURES {
        if sample.starts_with(signature) {
            // "BZh" is also how text can begin: bzip2 has a block signature after the level.
            let bzip2_block = sample.get(4..10) == Some(&[0x31, 0x41, 0x59, 0x26, 0x53, 0x59]);
            if *signature != b"BZh" || bzip2_block {
                return Some((*what).to_owned());
            }
        }
    }
    if sample.is_empty() {
        return None;
    }
    let len = sample.len();
    let nul = memchr::memchr_iter(0, sample).count();
    if nul >= EVIDENCE && nul * 20 >= len {
        return Some(format!(
            "{}% of its first {len} bytes are NUL",
            percent(nul, len)
        ));
    }
    let not_text = not_text_bytes(sample, whole);
    if not_text >= EVIDENCE && not_text * 10 >= len * 3 {
        return Some(format!(
            "{}% of its first {len} bytes are not UTF-8 text; if it is text, re-encode it as UTF-8",
            percent(not_text, len)
        ));
    }
    None
}

fn percent(part: usize, whole: usize) -> usize {
    (part * 100 / whole).max(1)
}

/// Bytes that are neither valid UTF-8 nor printable: invalid sequences and control characters
/// other than whitespace. A sequence cut off at the end of a partial sample is not counted.
fn not_text_bytes(sample: &[u8], whole: bool) -> usize {
    let controls = |s: &[u8]| {
        s.iter()
            .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
            .count()
    };
    let mut count = 0;
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => return count + controls(rest),
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                count += controls(valid);
                match e.error_len() {
                    Some(n) => {
                        count += n;
                        rest = &after[n..];
                    }
                    None => return count + if whole { after.len() } else { 0 },
                }
            }
        }
    }
}

/// Skips what is left of a line (up to and including its newline) without holding it;
/// returns whether a newline was found before the end.
pub(super) fn skip_line(reader: &mut dyn BufRead) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        match memchr::memchr(b'\n', buf) {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(true);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_a_few_odd_bytes_is_not_binary() {
        assert_eq!(binary_reason(b"plain text\n", true), None);
        assert_eq!(binary_reason("caf\u{e9} na\u{ef}ve".as_bytes(), true), None);
        // Latin-1 text: an invalid byte here and there.
        let latin1: Vec<u8> = b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e and more words".to_vec();
        assert_eq!(binary_reason(&latin1, true), None);
        // A multi-byte character cut by the end of a partial sample.
        let mut cut = "word ".repeat(10).into_bytes();
        cut.extend_from_slice(&"\u{e9}".as_bytes()[..1]);
        assert_eq!(binary_reason(&cut, false), None);
    }

    #[test]
    fn binary_data_is_named() {
        assert!(binary_reason(b"PAR1\x15\x04", false)
            .unwrap()
            .contains("Parquet"));
        assert!(binary_reason(&[0; 100], true)
            .unwrap()
            .contains("100% of its first 100 bytes are NUL"));
        let noise: Vec<u8> = (0..1000u32)
            .map(|i| (i * 7919 % 251) as u8 | 0x80)
            .collect();
        assert!(binary_reason(&noise, true)
            .unwrap()
            .contains("not UTF-8 text"));
        assert_eq!(
            binary_reason(b"BZh is how this sentence starts", true),
            None
        );
    }

    #[test]
    fn compression_extensions_are_stripped_for_the_format() {
        assert_eq!(
            uncompressed_name(Path::new("d/x.jsonl.gz")),
            Path::new("x.jsonl")
        );
        assert_eq!(
            uncompressed_name(Path::new("x.csv.zst")),
            Path::new("x.csv")
        );
        assert_eq!(uncompressed_name(Path::new("x.csv")), Path::new("x.csv"));
    }
}
