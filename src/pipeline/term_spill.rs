//! Story terms kept out of memory from reading until the story stage.
//!
//! The story stage reads every document's terms (32 terms of seven bytes at most), but only
//! once the shingle sets are verified and gone, while holding them in memory put them on top
//! of verification, the scan's memory peak: at eight times the bench corpus 80 of 425 MB, and
//! the default scan took 1,178 bytes of memory per added document against `--no-stories`' 826.
//! So the terms go to an anonymous temporary file as documents are collected (the operating
//! system keeps it in its page cache while memory allows, which the process's own memory does
//! not count), and the story stage reads them back into a [`TermTable`]. Each document's term
//! count, length and language key stay in memory: 15 bytes.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use super::sets::temp_file_error;
use crate::error::Error;
use crate::story::language::LanguageKey;
use crate::story::{Term, TermTable};

/// Bytes of one term in the file: its id, count and background weight, little-endian.
const TERM_BYTES: usize = 7;

/// Buffer of the file's writer and reader.
const BUFFER: usize = 1 << 20;

/// See the module doc.
pub(super) struct TermSpill {
    /// Created with the first term.
    file: Option<BufWriter<File>>,
    /// Each document's number of terms (at most [`MAX_TERMS`](crate::story::terms::MAX_TERMS)
    /// in a scan; more are refused), distinct terms and language key.
    terms: Vec<u8>,
    lengths: Vec<u16>,
    languages: Vec<LanguageKey>,
    /// One document's terms as written, reused (the collector runs on one thread, once per
    /// document).
    bytes: Vec<u8>,
}

impl TermSpill {
    /// An empty spill; nothing is created until the first term.
    pub(super) fn new() -> Self {
        Self {
            file: None,
            terms: Vec::new(),
            lengths: Vec::new(),
            languages: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// Appends the next document's terms (none for an exact copy of an earlier document).
    pub(super) fn push(
        &mut self,
        terms: &[Term],
        length: u16,
        language: LanguageKey,
    ) -> Result<(), Error> {
        let count = u8::try_from(terms.len()).map_err(|_| {
            spill_error(
                std::io::Error::other("more than 255 story terms in one document"),
                "writing",
            )
        })?;
        if !terms.is_empty() {
            let file = match &mut self.file {
                Some(file) => file,
                None => {
                    let file = tempfile::tempfile().map_err(|e| spill_error(e, "creating"))?;
                    self.file.insert(BufWriter::with_capacity(BUFFER, file))
                }
            };
            let bytes = &mut self.bytes;
            bytes.clear();
            for t in terms {
                bytes.extend_from_slice(&t.id.to_le_bytes());
                bytes.extend_from_slice(&t.count.to_le_bytes());
                bytes.push(t.background);
            }
            file.write_all(bytes)
                .map_err(|e| spill_error(e, "writing"))?;
        }
        self.terms.push(count);
        self.lengths.push(length);
        self.languages.push(language);
        Ok(())
    }

    /// Reads every document's terms back.
    pub(super) fn into_table(self) -> Result<TermTable, Error> {
        let total: usize = self.terms.iter().map(|&n| usize::from(n)).sum();
        let mut table = TermTable::with_capacity(self.terms.len(), total);
        let mut reader = match self.file {
            Some(writer) => {
                let mut file = writer
                    .into_inner()
                    .map_err(|e| spill_error(e.into_error(), "writing"))?;
                file.rewind().map_err(|e| spill_error(e, "reading"))?;
                Some(BufReader::with_capacity(BUFFER, file))
            }
            None => None,
        };
        let (mut terms, mut bytes) = (Vec::new(), self.bytes);
        for ((&n, &length), &language) in self.terms.iter().zip(&self.lengths).zip(&self.languages)
        {
            bytes.resize(usize::from(n) * TERM_BYTES, 0);
            if n > 0 {
                let file = reader.as_mut().ok_or_else(|| {
                    spill_error(std::io::ErrorKind::UnexpectedEof.into(), "reading")
                })?;
                file.read_exact(&mut bytes)
                    .map_err(|e| spill_error(e, "reading"))?;
            }
            terms.clear();
            terms.extend(bytes.chunks_exact(TERM_BYTES).map(|b| Term {
                id: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                count: u16::from_le_bytes([b[4], b[5]]),
                background: b[6],
            }));
            table.push_document(&terms, length, language);
        }
        Ok(table)
    }
}

fn spill_error(e: std::io::Error, doing: &str) -> Error {
    temp_file_error(e, doing, "story terms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_come_back_as_they_went_in() {
        let docs: Vec<Vec<Term>> = vec![
            vec![
                Term::rare(7, 3),
                Term {
                    id: u32::MAX,
                    count: u16::MAX,
                    background: 76,
                },
            ],
            vec![],
            (0..32).map(|i| Term::rare(i * 1_000_003, 1)).collect(),
        ];
        let key = LanguageKey { words: [1, 0, 0] };
        let mut spill = TermSpill::new();
        let mut direct = TermTable::default();
        for (i, d) in docs.iter().enumerate() {
            spill.push(d, i as u16 + 10, key).unwrap();
            direct.push_document(d, i as u16 + 10, key);
        }
        let table = spill.into_table().unwrap();
        assert_eq!(table.len(), 3);
        for (i, d) in docs.iter().enumerate() {
            assert_eq!(table.terms(i).collect::<Vec<_>>(), *d);
            assert_eq!(table.length(i), direct.length(i));
        }
    }

    #[test]
    fn a_scan_without_terms_creates_no_file() {
        let mut spill = TermSpill::new();
        spill.push(&[], 0, LanguageKey::default()).unwrap();
        assert!(spill.file.is_none());
        let table = spill.into_table().unwrap();
        assert_eq!(table.len(), 1);
        assert!(table.ids(0).is_empty());
    }
}
