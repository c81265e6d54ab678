//! Markdown: the summary, then one table per class, then the verbatim passages.

use std::io::{self, Write};

use super::{
    best_backing, evidence_line, fact_line, headline, support_line, unit_text, DiffExporter,
};
use crate::facts::{FactDiff, ItemClass};

pub struct Markdown;

/// Makes text safe inside a table cell: no pipes, no line breaks, no raw HTML, and no other
/// control character (an escape sequence shown as `\x1b`, as on the terminal).
pub(crate) fn cell(text: &str) -> String {
    let text = text
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r', '\t'], " ");
    crate::report::visible(&text).into_owned()
}

impl DiffExporter for Markdown {
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "# Compare: `{}` vs `{}`\n",
            cell(&diff.a.id),
            cell(&diff.b.id)
        )?;
        writeln!(out, "{}\n", cell(&headline(diff)))?;
        writeln!(out, "{}\n", fact_line(diff))?;
        for (class, title) in [
            (ItemClass::Shared, "Shared"),
            (ItemClass::Conflict, "Conflicting"),
        ] {
            let items: Vec<_> = diff.items.iter().filter(|i| i.class == class).collect();
            if items.is_empty() {
                continue;
            }
            writeln!(out, "## {title} ({})\n", items.len())?;
            writeln!(out, "| score | A | B | evidence |\n|---:|---|---|---|")?;
            for i in items {
                let (mut a, mut b) = (
                    unit_text(&diff.a, i.a).to_owned(),
                    unit_text(&diff.b, i.b).to_owned(),
                );
                // The claim backing a sentence whose backing sentence stands beside another.
                match best_backing(diff, i) {
                    Some(('B', claim)) => b = format!("↳ {claim}"),
                    Some((_, claim)) => a = format!("↳ {claim}"),
                    None => {}
                }
                let mut evidence = evidence_line(i);
                if let Some(support) = support_line(i) {
                    evidence = [evidence, support].join(" · ");
                }
                writeln!(
                    out,
                    "| {:.2} | {} | {} | {} |",
                    i.score.unwrap_or(0.0),
                    cell(&a),
                    cell(&b),
                    cell(evidence.trim_start_matches(" · "))
                )?;
            }
            writeln!(out)?;
        }
        for (class, side, title) in [
            (ItemClass::OnlyA, &diff.a, "Only in A"),
            (ItemClass::OnlyB, &diff.b, "Only in B"),
        ] {
            let items: Vec<_> = diff.items.iter().filter(|i| i.class == class).collect();
            if items.is_empty() {
                continue;
            }
            writeln!(out, "## {title} ({})\n", items.len())?;
            writeln!(out, "| sentence | facts |\n|---|---|")?;
            for i in items {
                let unit = i.a.or(i.b);
                let facts = i
                    .facts
                    .only_a
                    .iter()
                    .chain(&i.facts.only_b)
                    .map(|f| f.text.as_str())
                    .collect::<Vec<_>>();
                writeln!(
                    out,
                    "| {} | {} |",
                    cell(unit_text(side, unit)),
                    cell(&facts.join(", "))
                )?;
            }
            writeln!(out)?;
        }
        if !diff.passages.is_empty() {
            writeln!(out, "## Verbatim passages ({})\n", diff.passages.len())?;
            writeln!(out, "| words | passage |\n|---:|---|")?;
            for p in &diff.passages {
                writeln!(out, "| {} | {} |", p.words, cell(&p.text))?;
            }
            writeln!(out)?;
        }
        if let Some(capped) = diff.summary.capped.describe() {
            writeln!(out, "---\n\n{}.", cell(&capped))?;
        }
        Ok(())
    }
}
