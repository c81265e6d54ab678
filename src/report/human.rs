//! Readable clusters: one block per cluster, one line per member with the evidence that put
//! it there.
//!
//! ```text
//! cluster 1 · 3 documents · exact, near · keep reuters-123
//!   ★ reuters-123     corpus.jsonl:123  2.1 KB  BAHIA COCOA REVIEW
//!   = reuters-456     corpus.jsonl:456  2.1 KB  exact copy of reuters-123
//!   ≈ planted-000017  corpus.jsonl:900  2.0 KB  near reuters-123: Jaccard 0.91, 95% of it in reuters-123
//! ```

use std::io::{self, Write};

use super::model::{self, MatchView, MemberView};
use super::{visible, Exporter};
use crate::pipeline::Scan;
use crate::verify::MatchKind;

pub struct Human {
    pub color: bool,
}

impl Human {
    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Bytes as a short human size.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.1} GB", b as f64 / 1e9),
    }
}

/// Width of an id column: the longest id, at most 40 characters.
fn column_width<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.map(|id| visible(id).chars().count())
        .max()
        .unwrap_or(0)
        .min(40)
}

fn percent(x: f64) -> String {
    // Floor, so "100%" only ever means all of it.
    format!("{}%", (x * 100.0).floor() as u64)
}

fn evidence(m: &MemberView) -> String {
    let Some(x) = &m.matched else {
        return m.title.to_owned();
    };
    // Kept although it matches a member: that member is removed for another document that
    // this one does not match directly.
    let also_kept = if m.kept { "kept too, " } else { "" };
    format!("{also_kept}{}", match_evidence(x))
}

fn match_evidence(x: &MatchView) -> String {
    match x.kind {
        MatchKind::Exact => format!("exact copy of {}", x.to),
        MatchKind::Near => format!(
            "near {}: Jaccard {:.2}, {} of it in {}",
            x.to,
            (x.jaccard * 100.0).floor() / 100.0,
            percent(x.containment),
            x.to
        ),
        // A member is linked to what it is inside; should a link ever run from the container,
        // say which way.
        MatchKind::Contained if x.containment >= x.reverse_containment => format!(
            "contained in {}: {} of it inside (Jaccard {:.2})",
            x.to,
            percent(x.containment),
            (x.jaccard * 100.0).floor() / 100.0
        ),
        MatchKind::Contained => format!(
            "contains {}: {} of {} inside it (Jaccard {:.2})",
            x.to,
            percent(x.reverse_containment),
            x.to,
            (x.jaccard * 100.0).floor() / 100.0
        ),
    }
}

impl Exporter for Human {
    fn write(&self, scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
        for c in model::clusters(scan) {
            let kinds = c
                .kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let head = format!(
                "cluster {} · {} documents · {kinds} · keep {}",
                c.cluster, c.size, c.kept
            );
            writeln!(out, "{}", self.paint(&visible(&head), "1"))?;
            let id_width = column_width(c.members.iter().map(|m| m.id));
            // Files are their own ids: show a source column only where it adds something.
            let source = |m: &MemberView| {
                if m.source == m.id {
                    String::new()
                } else {
                    visible(&m.source).into_owned()
                }
            };
            let src_width = c
                .members
                .iter()
                .map(|m| source(m).chars().count())
                .max()
                .unwrap_or(0)
                .min(40);
            for m in &c.members {
                let kind = m.matched.as_ref().map(|x| x.kind).filter(|_| !m.kept);
                let (mark, code) = match kind {
                    None => ("★", "32;1"),
                    Some(MatchKind::Exact) => ("=", "31"),
                    Some(MatchKind::Near) => ("≈", "33"),
                    Some(MatchKind::Contained) => ("⊂", "36"),
                };
                let src = if src_width == 0 {
                    String::new()
                } else {
                    format!("{:src_width$}  ", source(m))
                };
                writeln!(
                    out,
                    "  {} {:id_width$}  {src}{:>8}  {}",
                    self.paint(mark, code),
                    visible(m.id),
                    size(m.bytes),
                    visible(&evidence(m)),
                )?;
            }
            writeln!(out)?;
        }
        for story in model::stories(scan) {
            let head = format!(
                "story {} · {} documents · {}",
                story.story,
                story.size,
                story.terms.join(", ")
            );
            writeln!(out, "{}", self.paint(&visible(&head), "1;34"))?;
            // Who, how many and when, as the members share them.
            let kinds: Vec<String> = [
                ("names", story.names),
                ("figures", story.figures),
                ("dates", story.dates),
            ]
            .iter()
            .filter(|(_, words)| !words.is_empty())
            .map(|(label, words)| format!("{label}: {}", words.join(", ")))
            .collect();
            if !kinds.is_empty() {
                writeln!(out, "  {}", visible(&kinds.join(" · ")))?;
            }
            let id_width = column_width(story.members.iter().map(|m| m.id));
            for m in &story.members {
                writeln!(
                    out,
                    "  {} {:id_width$}  {:>8}  similarity {:.2}  {}",
                    self.paint("~", "34"),
                    visible(m.id),
                    size(m.bytes),
                    m.similarity,
                    visible(m.title)
                )?;
            }
            writeln!(out)?;
        }
        let s = &scan.stats;
        let line = if s.clusters == 0 {
            format!("no duplicates among {} documents", s.documents)
        } else {
            format!(
                "{} clusters, {} duplicates ({} exact, {} near, {} contained) among {} documents",
                s.clusters, s.duplicates, s.exact, s.near, s.contained, s.documents
            )
        };
        let line = if scan.params.stories.is_some() {
            format!(
                "{line}; {} story cluster{}{}",
                s.stories,
                if s.stories == 1 { "" } else { "s" },
                s.story_threshold
                    .map(|t| format!(" (story threshold {t:.3})"))
                    .unwrap_or_default()
            )
        } else {
            line
        };
        writeln!(out, "{line}")
    }
}
