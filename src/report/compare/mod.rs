//! Output formats for `compare`, one module each behind [`DiffExporter`]: human (two columns
//! or stacked), JSON (versioned), Markdown, and a self-contained HTML page.

mod csp;
mod html;
mod human;
mod json;
mod markdown;

use std::io::{self, Write};

pub use html::{escape, isolate};
pub(crate) use markdown::cell as markdown_cell;

use crate::facts::FactDiff;

/// Writes a fact diff in one format.
pub trait DiffExporter {
    /// Writes `diff` to `out`.
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// For a terminal: two columns when wide enough, stacked otherwise.
    Human,
    /// The whole diff as one JSON document (`"version": 1`).
    Json,
    /// Summary and tables, for pasting into an issue or a notebook.
    Markdown,
    /// One self-contained page with both articles side by side.
    Html,
}

/// How the human format lays out text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Total width in columns.
    pub width: usize,
    /// ANSI colors.
    pub color: bool,
}

/// The exporter for a format.
pub fn diff_exporter(format: DiffFormat, layout: Layout) -> Box<dyn DiffExporter> {
    match format {
        DiffFormat::Human => Box::new(human::Human { layout }),
        DiffFormat::Json => Box::new(json::Json),
        DiffFormat::Markdown => Box::new(markdown::Markdown),
        DiffFormat::Html => Box::new(html::Html),
    }
}

/// The base64 SHA-256 digest of an inline script or style sheet, as a Content-Security-Policy
/// names it (`'sha256-…'`).
pub(crate) fn csp_hash(source: &str) -> String {
    csp::base64(&csp::sha256(source.as_bytes()))
}

/// The edits between two lightly reworded sentences (`−night`, `+evening`); `None` when
/// nothing changed or when most words did (a paraphrase, where a list of edits says less
/// than the two sentences side by side).
pub(crate) fn edits(item: &crate::facts::Item) -> Option<Vec<String>> {
    let changed: usize = item
        .word_diff
        .iter()
        .filter(|c| c.tag != "equal")
        .map(|c| c.text.len())
        .sum();
    let total: usize = item.word_diff.iter().map(|c| c.text.len()).sum();
    if changed == 0 || changed * 3 > total {
        return None;
    }
    Some(
        item.word_diff
            .iter()
            .filter(|c| c.tag != "equal" && !c.text.trim().is_empty())
            .map(|c| {
                format!(
                    "{}{}",
                    if c.tag == "delete" { "−" } else { "+" },
                    c.text.trim()
                )
            })
            .collect(),
    )
}

/// Text of sentence `i` of a side, or "" when absent.
pub(crate) fn unit_text(side: &crate::facts::Side, i: Option<usize>) -> &str {
    i.map_or("", |i| side.units[i].text.as_str())
}

/// Who says each side of a conflict, when a sentence names its speaker: " [A: Gerasimov;
/// B: Ukraine's General Staff]" (an unnamed side is its article, already in the header).
pub(crate) fn conflict_sources(c: &crate::facts::Conflict) -> String {
    if !c.a_source.named && !c.b_source.named {
        return String::new();
    }
    let who = |s: &crate::facts::Source, side: &'static str| {
        if s.named {
            s.name.clone()
        } else {
            side.to_owned()
        }
    };
    format!(
        " [A: {}; B: {}]",
        who(&c.a_source, "article A"),
        who(&c.b_source, "article B")
    )
}

/// A one-line description of what an aligned pair has in common and where it differs.
pub(crate) fn evidence_line(item: &crate::facts::Item) -> String {
    let mut parts = Vec::new();
    let both: Vec<&str> = item
        .facts
        .shared
        .iter()
        .map(|p| p.a.text.as_str())
        .collect();
    if !both.is_empty() {
        parts.push(format!("both: {}", both.join(", ")));
    }
    for c in &item.facts.conflicts {
        parts.push(format!("conflict: {}{}", c.note, conflict_sources(c)));
    }
    let only = |facts: &[crate::facts::Fact]| {
        facts
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !item.facts.only_a.is_empty() && item.b.is_some() {
        parts.push(format!("only A: {}", only(&item.facts.only_a)));
    }
    if !item.facts.only_b.is_empty() && item.a.is_some() {
        parts.push(format!("only B: {}", only(&item.facts.only_b)));
    }
    if !item.shared_terms.is_empty() {
        parts.push(format!("words: {}", item.shared_terms.join(", ")));
    }
    parts.join(" · ")
}

/// The other article's claim that best backs an item shown without a partner, as
/// `(side letter, text)`: its sentence stands beside another partner elsewhere in the diff.
pub(crate) fn best_backing<'a>(
    diff: &'a FactDiff,
    item: &crate::facts::Item,
) -> Option<(char, &'a str)> {
    if item.a.is_some() && item.b.is_some() {
        return None;
    }
    let best = crate::facts::Item::best_support(&item.support)?;
    Some(if item.a.is_some() {
        ('B', diff.b.text.get(best.b_claim.clone()).unwrap_or(""))
    } else {
        ('A', diff.a.text.get(best.a_claim.clone()).unwrap_or(""))
    })
}

/// The claims of the other article that back an item's sentences beyond the partner it is
/// shown beside, sentences numbered from 1: `backed by: B 12 (0.31)` for a sentence on its
/// own; `A also backed by: B 5 (0.28) · B also backed by: A 4 (0.29)` for a pair.
pub(crate) fn support_line(item: &crate::facts::Item) -> Option<String> {
    let mut of_a: Vec<(usize, f64)> = Vec::new();
    let mut of_b: Vec<(usize, f64)> = Vec::new();
    let add = |list: &mut Vec<(usize, f64)>, sentence: usize, score: f64| match list
        .iter_mut()
        .find(|(n, _)| *n == sentence)
    {
        Some((_, best)) => *best = best.max(score),
        None => list.push((sentence, score)),
    };
    for s in &item.support {
        match (item.a, item.b) {
            (Some(i), Some(j)) if s.a == i && s.b == j => {}
            (Some(i), _) if s.a == i => add(&mut of_a, s.b, s.score),
            (_, Some(j)) if s.b == j => add(&mut of_b, s.a, s.score),
            _ => {}
        }
    }
    let list = |letter: char, xs: &[(usize, f64)]| {
        xs.iter()
            .map(|(n, s)| format!("{letter} {} ({s:.2})", n + 1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let paired = item.a.is_some() && item.b.is_some();
    let mut parts = Vec::new();
    if !of_a.is_empty() {
        let head = if paired {
            "A also backed by"
        } else {
            "backed by"
        };
        parts.push(format!("{head}: {}", list('B', &of_a)));
    }
    if !of_b.is_empty() {
        let head = if paired {
            "B also backed by"
        } else {
            "backed by"
        };
        parts.push(format!("{head}: {}", list('A', &of_b)));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The summary as one line of plain text.
pub(crate) fn headline(diff: &FactDiff) -> String {
    let s = &diff.summary;
    let verdict = match s.scan_match {
        Some(kind) => format!(
            "scan would call it {} (Jaccard {:.2})",
            kind.as_str(),
            s.jaccard
        ),
        None => format!(
            "not a near-duplicate at the scan defaults (Jaccard {:.2}, containment {:.2} / {:.2})",
            s.jaccard, s.a_in_b, s.b_in_a
        ),
    };
    format!(
        "{} shared · {} conflicting · {} only in A · {} only in B · overlap {:.0}% · {} verbatim passage{} · {verdict}",
        s.shared,
        s.conflict,
        s.only_a,
        s.only_b,
        s.overlap * 100.0,
        s.passages,
        if s.passages == 1 { "" } else { "s" }
    )
}

/// The fact counts as one line.
pub(crate) fn fact_line(diff: &FactDiff) -> String {
    let s = &diff.summary;
    let idf = match s.idf.source {
        "corpus" => format!(
            "term weights from a corpus of {} documents",
            s.idf.documents
        ),
        _ => format!("term weights from the pair's {} sentences", s.idf.documents),
    };
    format!(
        "facts: {} shared · {} conflicting · {} only in A · {} only in B · {} claim links · {idf}",
        s.shared_facts, s.conflicting_facts, s.only_a_facts, s.only_b_facts, s.links
    )
}
