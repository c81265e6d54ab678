//! A self-contained HTML page (placeholder until the full page lands).

use std::io::{self, Write};

use super::DiffExporter;
use crate::facts::FactDiff;

pub struct Html;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl DiffExporter for Html {
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "<!doctype html><meta charset=utf-8><title>{}</title>",
            escape(&diff.a.id)
        )
    }
}
