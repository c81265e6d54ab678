//! The report as Markdown, for pasting into an issue or a notebook: the summary, how the
//! numbers were obtained, both charts as tables, the largest clusters with their members and
//! their first pair diff's headline, and the skipped records.

use std::io::{self, Write};

use super::{method_lines, parameter_flags, Chart, CorpusExporter, CorpusReport, Group};
use crate::report::compare::{headline, markdown_cell};
use crate::report::human_size;

pub struct Markdown {
    /// Clusters of each kind listed.
    pub top: usize,
}

/// Skipped records listed before the rest are only counted.
const LISTED_PROBLEMS: usize = 100;

/// Text made safe for a table cell, as `compare` makes it, and with backticks escaped too:
/// ids are quoted in code spans here.
fn cell(text: &str) -> String {
    markdown_cell(text).replace('`', "\\`")
}

/// The largest clusters first, ties in report order.
fn largest(sizes: impl Iterator<Item = usize>, top: usize) -> Vec<usize> {
    let mut order: Vec<(usize, usize)> = sizes.enumerate().collect();
    order.sort_by_key(|&(i, size)| (std::cmp::Reverse(size), i));
    order.into_iter().take(top).map(|(i, _)| i).collect()
}

impl Markdown {
    fn summary(&self, r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        let s = &r.scan.stats;
        writeln!(out, "# Overlap report\n")?;
        writeln!(
            out,
            "{} · overlap {} · {:.2} s (scan {:.2} s, diffs {:.2} s)\n",
            r.inputs
                .iter()
                .map(|i| format!("`{}`", cell(i)))
                .collect::<Vec<_>>()
                .join(", "),
            env!("CARGO_PKG_VERSION"),
            r.timing.total(),
            r.timing.scan,
            r.timing.reread + r.timing.compare
        )?;
        writeln!(out, "| | |\n|---|---:|")?;
        let rows = [
            ("documents", s.documents.to_string()),
            ("text", human_size(s.bytes)),
            ("duplicate clusters", s.clusters.to_string()),
            ("exact copies", s.exact.to_string()),
            ("near-duplicates", s.near.to_string()),
            ("contained copies", s.contained.to_string()),
            ("story clusters", s.stories.to_string()),
            ("pair diffs", r.diffs.len().to_string()),
            ("skipped records", s.skipped.to_string()),
            ("warnings", s.warnings.to_string()),
        ];
        for (label, value) in rows {
            writeln!(out, "| {label} | {value} |")?;
        }
        writeln!(out, "\n## How these numbers were obtained\n")?;
        for (what, how) in method_lines(r) {
            writeln!(out, "- **{what}**: {}", cell(&how))?;
        }
        writeln!(out, "\nParameters: `{}`\n", parameter_flags(&r.scan.params))?;
        for chart in [
            Chart::jaccard(&r.scan.stats.jaccard_histogram),
            Chart::cluster_sizes(&r.scan),
        ] {
            writeln!(out, "## {}\n", chart.title)?;
            if chart.total() == 0 {
                writeln!(out, "None.\n")?;
            } else {
                writeln!(out, "{}", chart.markdown())?;
            }
        }
        Ok(())
    }

    fn duplicates(&self, r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        let scan = &r.scan;
        let shown = largest(scan.clusters.iter().map(|c| c.members.len()), self.top);
        writeln!(
            out,
            "## Largest duplicate clusters ({} of {})\n",
            shown.len(),
            scan.clusters.len()
        )?;
        for i in shown {
            let c = &scan.clusters[i];
            let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
            writeln!(
                out,
                "### Cluster {} · {} members · {}\n",
                i + 1,
                c.members.len(),
                kinds.join(", ")
            )?;
            writeln!(
                out,
                "| id | source | bytes | match | title |\n|---|---|---:|---|---|"
            )?;
            for m in &c.members {
                let d = scan.doc(m.doc);
                let matched = match m.link {
                    Some(l) => format!(
                        "{}{} of `{}` (J {:.2}, in it {:.2})",
                        if m.kept { "**kept**, " } else { "" },
                        l.kind.as_str(),
                        cell(&scan.doc(l.to).id),
                        l.jaccard,
                        l.containment
                    ),
                    None => "**kept**".to_owned(),
                };
                writeln!(
                    out,
                    "| `{}` | {} | {} | {matched} | {} |",
                    cell(&d.id),
                    cell(&d.location.to_string()),
                    d.bytes,
                    cell(&d.title)
                )?;
            }
            self.first_diff(r, Group::Duplicates(i), out)?;
        }
        Ok(())
    }

    fn stories(&self, r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        let scan = &r.scan;
        if scan.params.stories.is_none() {
            return Ok(());
        }
        let shown = largest(scan.stories.iter().map(|s| s.members.len()), self.top);
        writeln!(
            out,
            "## Largest stories ({} of {})\n",
            shown.len(),
            scan.stories.len()
        )?;
        for i in shown {
            let s = &scan.stories[i];
            writeln!(
                out,
                "### Story s{} · {} members · {}\n",
                i + 1,
                s.members.len(),
                cell(&s.terms.join(", "))
            )?;
            writeln!(
                out,
                "| id | source | bytes | similarity | title |\n|---|---|---:|---:|---|"
            )?;
            for m in &s.members {
                let d = scan.doc(m.doc);
                writeln!(
                    out,
                    "| `{}` | {} | {} | {:.2} | {} |",
                    cell(&d.id),
                    cell(&d.location.to_string()),
                    d.bytes,
                    m.similarity,
                    cell(&d.title)
                )?;
            }
            self.first_diff(r, Group::Story(i), out)?;
        }
        Ok(())
    }

    /// The headline of a cluster's best pair diff, and how many more the report holds.
    fn first_diff(&self, r: &CorpusReport, group: Group, out: &mut dyn Write) -> io::Result<()> {
        let diffs = r.diffs_of(group);
        match diffs.first() {
            Some(d) => writeln!(
                out,
                "\n`{}` ↔ `{}`: {}{}\n",
                cell(&r.scan.doc(d.a).id),
                cell(&r.scan.doc(d.b).id),
                cell(&headline(&d.diff)),
                match diffs.len() {
                    1 => String::new(),
                    n => format!(" ({} more pair diffs in the HTML and JSON reports)", n - 1),
                }
            ),
            None => writeln!(out),
        }
    }

    fn problems(&self, r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        let skipped = &r.scan.skipped;
        writeln!(out, "## Skipped records ({})\n", skipped.len())?;
        if skipped.is_empty() {
            return writeln!(out, "None: every record was read.");
        }
        writeln!(out, "| source | reason |\n|---|---|")?;
        for p in skipped.iter().take(LISTED_PROBLEMS) {
            writeln!(
                out,
                "| {} | {} |",
                cell(&p.location.to_string()),
                cell(&p.reason)
            )?;
        }
        if skipped.len() > LISTED_PROBLEMS {
            writeln!(
                out,
                "\n… and {} more (`--format json` lists them all).",
                skipped.len() - LISTED_PROBLEMS
            )?;
        }
        Ok(())
    }
}

impl CorpusExporter for Markdown {
    fn write(&self, report: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        self.summary(report, out)?;
        self.duplicates(report, out)?;
        self.stories(report, out)?;
        self.problems(report, out)
    }
}
