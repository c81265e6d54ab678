//! The terminal view: a headline, then every aligned pair side by side (A left, B right) with
//! its evidence, then what each article has alone. Narrow terminals get the same content
//! stacked. Widths count characters, so wide CJK text may overhang a little.

use std::io::{self, Write};

use super::{
    best_backing, edits, evidence_line, fact_line, headline, support_line, unit_text, DiffExporter,
    Layout,
};
use crate::facts::{FactDiff, Item, ItemClass};
use crate::report::visible;

pub struct Human {
    pub layout: Layout,
}

/// The edits of a lightly reworded pair as `changed: −night +evening`.
fn changes_line(item: &Item) -> Option<String> {
    edits(item).map(|e| format!("changed: {}", e.join(" ")))
}

/// Below this width the two columns are stacked.
const TWO_COLUMNS_FROM: usize = 90;

/// Greedy word wrap to `width` characters (long words are cut); control characters in the
/// words (from the data) are shown as visible escapes.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = visible(word).into_owned();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

impl Human {
    fn paint(&self, text: &str, code: &str) -> String {
        if self.layout.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn rule(&self, out: &mut dyn Write, label: &str, code: &str) -> io::Result<()> {
        let width = self.layout.width.max(20);
        let line = format!(
            "── {label} {}",
            "─".repeat(width.saturating_sub(label.chars().count() + 4))
        );
        writeln!(out, "{}", self.paint(&line, code))
    }

    fn pair(&self, out: &mut dyn Write, diff: &FactDiff, item: &Item) -> io::Result<()> {
        let (mut a, mut b) = (
            unit_text(&diff.a, item.a).to_owned(),
            unit_text(&diff.b, item.b).to_owned(),
        );
        // A sentence whose backing sentence stands beside another partner: show the claim
        // that backs it, marked, in the other column.
        if let Some((side, claim)) = best_backing(diff, item) {
            let shown = format!("↳ {claim}");
            if side == 'B' {
                b = shown;
            } else {
                a = shown;
            }
        }
        let (a, b) = (a.as_str(), b.as_str());
        let width = self.layout.width.max(20);
        if width >= TWO_COLUMNS_FROM {
            let col = (width - 3) / 2;
            let (la, lb) = (wrap(a, col), wrap(b, col));
            for i in 0..la.len().max(lb.len()) {
                let left = la.get(i).map_or("", String::as_str);
                let right = lb.get(i).map_or("", String::as_str);
                writeln!(
                    out,
                    "{}",
                    format!("{} │ {right}", pad(left, col)).trim_end()
                )?;
            }
        } else {
            for (label, text) in [("A", a), ("B", b)] {
                for (i, line) in wrap(text, width - 3).iter().enumerate() {
                    writeln!(out, "{}  {line}", if i == 0 { label } else { " " })?;
                }
            }
        }
        if let Some(changes) = changes_line(item) {
            for line in wrap(&changes, width - 2) {
                writeln!(out, "  {}", self.paint(&line, "33"))?;
            }
        }
        let mut evidence = evidence_line(item);
        if let Some(support) = support_line(item) {
            if !evidence.is_empty() {
                evidence.push_str(" · ");
            }
            evidence.push_str(&support);
        }
        if !evidence.is_empty() {
            for line in wrap(&evidence, width - 2) {
                writeln!(out, "  {}", self.paint(&line, "2"))?;
            }
        }
        writeln!(out)
    }
}

impl DiffExporter for Human {
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()> {
        let width = self.layout.width.max(20);
        let title = format!(
            "A: {} ({} sentences) · B: {} ({} sentences)",
            diff.a.id,
            diff.a.units.len(),
            diff.b.id,
            diff.b.units.len()
        );
        for line in wrap(&title, width) {
            writeln!(out, "{}", self.paint(&line, "1"))?;
        }
        for line in wrap(&headline(diff), width) {
            writeln!(out, "{line}")?;
        }
        for line in wrap(&fact_line(diff), width) {
            writeln!(out, "{line}")?;
        }
        for side in [&diff.a, &diff.b] {
            if side.units_left_out > 0 {
                writeln!(
                    out,
                    "note: {} sentences of {} were beyond --max-sentences and not compared",
                    side.units_left_out,
                    visible(&side.id)
                )?;
            }
        }
        writeln!(out)?;
        for item in diff
            .items
            .iter()
            .filter(|i| matches!(i.class, ItemClass::Shared | ItemClass::Conflict))
        {
            let (label, code) = match item.class {
                ItemClass::Shared => (
                    format!("shared · score {:.2}", item.score.unwrap_or(0.0)),
                    "32",
                ),
                _ => (
                    format!("conflict · score {:.2}", item.score.unwrap_or(0.0)),
                    "31;1",
                ),
            };
            self.rule(out, &label, code)?;
            self.pair(out, diff, item)?;
        }
        for (class, side, label, code) in [
            (ItemClass::OnlyA, &diff.a, "only in A", "34"),
            (ItemClass::OnlyB, &diff.b, "only in B", "35"),
        ] {
            let items: Vec<&Item> = diff.items.iter().filter(|i| i.class == class).collect();
            if items.is_empty() {
                continue;
            }
            self.rule(out, &format!("{label} · {}", items.len()), code)?;
            for item in items {
                let text = unit_text(side, item.a.or(item.b));
                for (i, line) in wrap(text, width - 2).iter().enumerate() {
                    writeln!(out, "{} {line}", if i == 0 { "•" } else { " " })?;
                }
            }
            writeln!(out)?;
        }
        if !diff.passages.is_empty() {
            self.rule(
                out,
                &format!("verbatim passages · {}", diff.passages.len()),
                "33",
            )?;
            for p in &diff.passages {
                for (i, line) in wrap(&format!("({} words) {}", p.words, p.text), width - 2)
                    .iter()
                    .enumerate()
                {
                    writeln!(out, "{} {line}", if i == 0 { "•" } else { " " })?;
                }
            }
        }
        if let Some(capped) = diff.summary.capped.describe() {
            writeln!(out)?;
            for line in wrap(&format!("{capped}."), width) {
                writeln!(out, "{}", self.paint(&line, "2"))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(
            wrap("one two three four five", 10),
            ["one two", "three four", "five"]
        );
        assert_eq!(wrap("abcdefghijklmnop", 10), ["abcdefghij", "klmnop"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
