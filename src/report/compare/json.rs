//! The whole diff as one pretty-printed JSON document; the README documents every field.

use std::io::{self, Write};

use super::DiffExporter;
use crate::facts::FactDiff;

pub struct Json;

impl DiffExporter for Json {
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, diff)?;
        out.write_all(b"\n")
    }
}
