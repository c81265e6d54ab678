//! The report as one self-contained HTML page: summary, method, charts and skipped records
//! written as markup; the cluster browser and the pair diffs drawn by a small script from one
//! embedded JSON block, a page of clusters at a time, so a corpus of 100k documents opens as
//! fast as one of ten (the page grows with the clusters, not with the documents).
//!
//! Safety: text from documents reaches the page only escaped (markup) or inside the JSON
//! block with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`, so nothing in a
//! document can close the block; the script puts text into the page only through
//! `textContent`, never as markup. A Content-Security-Policy allows the page's own script and
//! style (by hash) and nothing else: no fetches, no other scripts, no inline handlers.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::{centre, method_lines, parameter_flags, Chart, CorpusExporter, CorpusReport, Group};
use crate::doc::DocId;
use crate::facts::{Fact, FactDiff, Item, Side};
use crate::report::compare::{edits, escape, fact_line, headline, isolate};
use crate::report::human_size;

pub struct Html;

const CSS: &str = include_str!("page.css");
/// The cluster browser: filtering, sorting, paging, the cluster view and the diff view.
const JS: &str = include_str!("page.js");

/// Skipped records written into the page; the rest are counted (JSON lists them all).
const LISTED_PROBLEMS: usize = 1000;
/// Verbatim passages listed per diff.
const LISTED_PASSAGES: usize = 5;
/// Longest passage quoted, in characters.
const PASSAGE_CHARS: usize = 240;

/// Writes a number rounded to three decimals: enough for similarities, and a third the size.
fn round3<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 1000.0).round() / 1000.0)
}

fn round3_opt<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => round3(x, s),
        None => s.serialize_none(),
    }
}

/// Everything the script draws from. Documents are numbered by their position in `docs`
/// (only documents in some cluster are listed); texts are present for documents in a diff.
#[derive(Serialize)]
struct PageData<'a> {
    /// The input files, named once (documents point into this list).
    paths: Vec<&'a str>,
    docs: Vec<DocData<'a>>,
    clusters: Vec<ClusterData<'a>>,
    texts: BTreeMap<usize, TextData<'a>>,
    diffs: Vec<DiffData<'a>>,
}

#[derive(Serialize)]
struct DocData<'a> {
    id: &'a str,
    title: &'a str,
    /// The file, by index into `paths`.
    path: usize,
    /// The line, for line-based formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    bytes: u64,
}

#[derive(Serialize)]
struct ClusterData<'a> {
    /// `3` or `s3`, as in every other output.
    label: String,
    /// `exact`, `near`, `contained` (duplicate clusters) or `story`.
    kinds: Vec<&'static str>,
    size: usize,
    /// Duplicates: the lowest Jaccard similarity of a link; stories: the mean similarity.
    #[serde(serialize_with = "round3")]
    sim: f64,
    /// Stories: the shared terms.
    terms: &'a [String],
    /// The kept document (duplicates) or the most central one (stories).
    lead: usize,
    members: Vec<MemberData>,
    /// Indices into `diffs`.
    diffs: Vec<usize>,
}

#[derive(Serialize)]
struct MemberData {
    d: usize,
    /// `exact`, `near`, `contained`; absent for the kept document and in stories.
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<&'static str>,
    /// The member it matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<usize>,
    /// Jaccard similarity of the link, or the story similarity.
    #[serde(serialize_with = "round3")]
    j: f64,
    /// Share of this member in `to` and of `to` in this member.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "round3_opt")]
    c: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "round3_opt")]
    r: Option<f64>,
    /// Kept although it matches a member (one removed for another document).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    kept: bool,
}

#[derive(Serialize)]
struct TextData<'a> {
    /// The sentences, as compared.
    s: Vec<&'a str>,
    /// Sentences that start a paragraph.
    p: Vec<usize>,
    /// Sentences beyond the comparison limit, not shown.
    more: usize,
}

#[derive(Serialize)]
struct DiffData<'a> {
    a: usize,
    b: usize,
    headline: String,
    facts: String,
    items: Vec<ItemData<'a>>,
    passages: Vec<String>,
}

#[derive(Serialize)]
struct ItemData<'a> {
    /// `shared`, `conflict`, `only_a`, `only_b`.
    c: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<usize>,
    /// Facts both state.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    both: Vec<&'a str>,
    /// Why the pair conflicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    only_a: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    only_b: Vec<&'a str>,
    /// Word edits of a lightly reworded pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    edits: Option<Vec<String>>,
}

/// Assigns page numbers to documents on first sight.
#[derive(Default)]
struct DocNumbers {
    index: BTreeMap<DocId, usize>,
    order: Vec<DocId>,
}

impl DocNumbers {
    fn of(&mut self, d: DocId) -> usize {
        *self.index.entry(d).or_insert_with(|| {
            self.order.push(d);
            self.order.len() - 1
        })
    }
}

fn fact_texts(facts: &[Fact]) -> Vec<&str> {
    facts.iter().map(|f| f.text.as_str()).collect()
}

fn item_data(item: &Item) -> ItemData<'_> {
    ItemData {
        c: item.class.as_str(),
        a: item.a,
        b: item.b,
        both: item
            .facts
            .shared
            .iter()
            .map(|p| p.a.text.as_str())
            .collect(),
        conflicts: item
            .facts
            .conflicts
            .iter()
            .map(|c| c.note.as_str())
            .collect(),
        only_a: fact_texts(&item.facts.only_a),
        only_b: fact_texts(&item.facts.only_b),
        edits: edits(item),
    }
}

/// The sentences of a side, with paragraph starts: sentences after a blank line.
fn text_data(side: &Side) -> TextData<'_> {
    let mut p = Vec::new();
    let mut last_end = 0;
    for (i, u) in side.units.iter().enumerate() {
        let gap = side.text.get(last_end..u.range.start).unwrap_or("");
        if i > 0 && gap.matches('\n').count() >= 2 {
            p.push(i);
        }
        last_end = u.range.end;
    }
    TextData {
        s: side.units.iter().map(|u| u.text.as_str()).collect(),
        p,
        more: side.units_left_out,
    }
}

fn passages(diff: &FactDiff) -> Vec<String> {
    diff.passages
        .iter()
        .take(LISTED_PASSAGES)
        .map(|p| {
            let mut s: String = p.text.chars().take(PASSAGE_CHARS).collect();
            if p.text.chars().nth(PASSAGE_CHARS).is_some() {
                s.push('…');
            }
            s
        })
        .collect()
}

fn page_data(r: &CorpusReport) -> PageData<'_> {
    let scan = &r.scan;
    let mut numbers = DocNumbers::default();
    let mut clusters = Vec::new();
    let diff_indices = |group: Group| -> Vec<usize> { r.diff_range(group).collect() };
    for (i, c) in scan.clusters.iter().enumerate() {
        let members: Vec<MemberData> = c
            .members
            .iter()
            .map(|m| MemberData {
                d: numbers.of(m.doc),
                k: m.link.map(|l| l.kind.as_str()),
                to: m.link.map(|l| numbers.of(l.to)),
                j: m.link.map_or(1.0, |l| l.jaccard),
                c: m.link.map(|l| l.containment),
                r: m.link.map(|l| l.reverse_containment),
                kept: m.kept && m.link.is_some(),
            })
            .collect();
        clusters.push(ClusterData {
            label: Group::Duplicates(i).label(),
            kinds: c.kinds.iter().map(|k| k.as_str()).collect(),
            size: c.members.len(),
            sim: members.iter().map(|m| m.j).fold(1.0, f64::min),
            terms: &[],
            lead: numbers.of(c.kept),
            members,
            diffs: diff_indices(Group::Duplicates(i)),
        });
    }
    for (i, s) in scan.stories.iter().enumerate() {
        let lead = centre(s).unwrap_or(0);
        let members: Vec<MemberData> = s
            .members
            .iter()
            .map(|m| MemberData {
                d: numbers.of(m.doc),
                k: None,
                to: None,
                j: m.similarity,
                c: None,
                r: None,
                kept: false,
            })
            .collect();
        let n = s.members.len().max(1) as f64;
        clusters.push(ClusterData {
            label: Group::Story(i).label(),
            kinds: vec!["story"],
            size: s.members.len(),
            sim: s.members.iter().map(|m| m.similarity).sum::<f64>() / n,
            terms: &s.terms,
            lead: numbers.of(lead),
            members,
            diffs: diff_indices(Group::Story(i)),
        });
    }
    let mut texts = BTreeMap::new();
    let diffs = r
        .diffs
        .iter()
        .map(|d| {
            let (a, b) = (numbers.of(d.a), numbers.of(d.b));
            texts.entry(a).or_insert_with(|| text_data(&d.diff.a));
            texts.entry(b).or_insert_with(|| text_data(&d.diff.b));
            DiffData {
                a,
                b,
                headline: headline(&d.diff),
                facts: fact_line(&d.diff),
                items: d.diff.items.iter().map(item_data).collect(),
                passages: passages(&d.diff),
            }
        })
        .collect();
    let mut paths: Vec<&str> = Vec::new();
    let docs = numbers
        .order
        .iter()
        .map(|&d| {
            let info = scan.doc(d);
            let path = info.location.path.as_str();
            // Documents come grouped by file, so the last path is nearly always the one.
            let index = match paths.iter().rposition(|p| *p == path) {
                Some(i) => i,
                None => {
                    paths.push(path);
                    paths.len() - 1
                }
            };
            DocData {
                id: &info.id,
                title: &info.title,
                path: index,
                line: info.location.line,
                bytes: info.bytes,
            }
        })
        .collect();
    PageData {
        paths,
        docs,
        clusters,
        texts,
        diffs,
    }
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` can end the element or
/// open a comment, and U+2028/U+2029 are escaped too.
fn script_json(data: &PageData) -> io::Result<String> {
    let json = serde_json::to_string(data)?;
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn write_head(r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
    let hash = |s: &str| crate::report::compare::csp_hash(s);
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'sha256-{}'; script-src 'sha256-{}'; img-src 'none'; base-uri 'none'; \
         form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"overlap {}\">\n\
         <title>Overlap report · {} documents</title>\n<style>{CSS}</style>\n</head>",
        hash(CSS),
        hash(JS),
        env!("CARGO_PKG_VERSION"),
        thousands(r.scan.stats.documents)
    )
}

fn write_summary(r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.scan.stats;
    let inputs: Vec<String> = r
        .inputs
        .iter()
        .map(|i| format!("<code>{}</code>", isolate(i)))
        .collect();
    writeln!(
        out,
        "<header>\n<div class=\"kicker\">overlap {} · corpus report</div>\n\
         <h1>Overlap in {}</h1>\n<p class=\"sub\">Generated in {:.2} s: scan {:.2} s, re-reading \
         {:.2} s, {} pair diffs {:.2} s.</p>\n\
         <nav><a href=\"#summary\">Summary</a><a href=\"#method\">Method</a>\
         <a href=\"#charts\">Charts</a><a href=\"#clusters\">Clusters</a>\
         <a href=\"#skipped\">Skipped</a></nav>\n</header>\n<main>",
        env!("CARGO_PKG_VERSION"),
        inputs.join(", "),
        r.timing.total(),
        r.timing.scan,
        r.timing.reread,
        thousands(r.diffs.len() as u64),
        r.timing.compare
    )?;
    let cards = [
        (
            "documents",
            thousands(s.documents),
            "",
            "read and fingerprinted",
        ),
        ("text", human_size(s.bytes), "", "of text"),
        (
            "exact copies",
            thousands(s.exact),
            "exact",
            "same text after normalization",
        ),
        (
            "near-duplicates",
            thousands(s.near),
            "near",
            "edited copies",
        ),
        (
            "contained",
            thousands(s.contained),
            "contained",
            "copies inside a longer text",
        ),
        (
            "duplicate clusters",
            thousands(s.clusters),
            "",
            "groups of copies",
        ),
        (
            "stories",
            thousands(s.stories),
            "story",
            "groups reporting the same events",
        ),
        (
            "skipped",
            thousands(s.skipped),
            if s.skipped > 0 { "bad" } else { "" },
            "records that could not be read",
        ),
    ];
    writeln!(
        out,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"cards\">"
    )?;
    for (label, value, class, note) in cards {
        writeln!(
            out,
            "<li class=\"card {class}\"><b>{value}</b><span>{label}</span><small>{note}</small></li>"
        )?;
    }
    writeln!(out, "</ul>\n</section>")
}

fn write_method(r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"method\">\n<h2>How these numbers were obtained</h2>\n<dl class=\"method\">"
    )?;
    for (what, how) in method_lines(r) {
        writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(what), escape(&how))?;
    }
    writeln!(
        out,
        "</dl>\n<p class=\"params\">Parameters: <code>{}</code></p>\n</section>",
        isolate(&parameter_flags(&r.scan.params))
    )
}

fn write_charts(r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">"
    )?;
    let charts = [
        (
            Chart::jaccard(&r.scan.stats.jaccard_histogram),
            "Every verified pair, exact copies included. Contained copies can sit at any \
             Jaccard similarity: what makes them copies is the share of the shorter text found \
             in the longer one.",
        ),
        (
            Chart::cluster_sizes(&r.scan),
            "Duplicate clusters and story clusters by number of members.",
        ),
    ];
    for (chart, caption) in charts {
        writeln!(
            out,
            "<figure>\n<h3>{}</h3>\n{}\n<figcaption>{} ({} in all)</figcaption>\n</figure>",
            escape(chart.title),
            chart.svg(),
            escape(caption),
            thousands(chart.total())
        )?;
    }
    writeln!(out, "</div>\n</section>")
}

fn write_browser(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section id=\"clusters\">\n<h2>Clusters</h2>\n\
         <noscript><p class=\"warn\">The cluster browser needs JavaScript. \
         <code>overlap report --format md</code> or <code>--format json</code> give the same \
         clusters without it.</p></noscript>\n\
         <div class=\"controls\">\
         <label>Filter <input type=\"search\" id=\"filter\" placeholder=\"id, title or term\" \
         autocomplete=\"off\"></label>\
         <label>Kind <select id=\"kind\"><option value=\"\">all</option>\
         <option value=\"exact\">exact</option><option value=\"near\">near</option>\
         <option value=\"contained\">contained</option><option value=\"story\">story</option>\
         </select></label>\
         <label>Members ≥ <input type=\"number\" id=\"min-size\" min=\"2\" value=\"2\"></label>\
         <span id=\"count\" aria-live=\"polite\"></span></div>\n\
         <table id=\"cluster-table\">\n<thead><tr>\
         <th><button data-sort=\"n\">#</button></th>\
         <th><button data-sort=\"kind\">Kind</button></th>\
         <th><button data-sort=\"size\">Members</button></th>\
         <th><button data-sort=\"sim\">Similarity</button></th>\
         <th><button data-sort=\"title\">Title</button></th>\
         <th>Evidence</th>\
         <th class=\"num\"><button data-sort=\"diffs\">Diffs</button></th></tr></thead>\n<tbody></tbody>\n</table>\n\
         <div class=\"pages\"><button id=\"prev\">← Previous</button><span id=\"page\"></span>\
         <button id=\"next\">Next →</button></div>\n</section>\n\
         <section id=\"detail\" hidden></section>"
    )
}

fn write_skipped(r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
    let skipped = &r.scan.skipped;
    writeln!(
        out,
        "<section id=\"skipped\">\n<h2>Skipped records ({})</h2>",
        thousands(skipped.len() as u64)
    )?;
    if skipped.is_empty() {
        return writeln!(out, "<p>None: every record was read.</p>\n</section>");
    }
    writeln!(
        out,
        "<table class=\"problems\"><thead><tr><th>Source</th><th>Reason</th></tr></thead><tbody>"
    )?;
    for p in skipped.iter().take(LISTED_PROBLEMS) {
        writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            isolate(&p.location.to_string()),
            isolate(&p.reason)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if skipped.len() > LISTED_PROBLEMS {
        writeln!(
            out,
            "<p>… and {} more: <code>overlap report --format json</code> lists them all.</p>",
            thousands((skipped.len() - LISTED_PROBLEMS) as u64)
        )?;
    }
    writeln!(out, "</section>")
}

impl CorpusExporter for Html {
    fn write(&self, r: &CorpusReport, out: &mut dyn Write) -> io::Result<()> {
        write_head(r, out)?;
        writeln!(out, "<body>")?;
        write_summary(r, out)?;
        write_method(r, out)?;
        write_charts(r, out)?;
        write_browser(out)?;
        write_skipped(r, out)?;
        writeln!(
            out,
            "</main>\n<script type=\"application/json\" id=\"data\">{}</script>\n\
             <script>{JS}</script>\n</body>\n</html>",
            script_json(&page_data(r))?
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_a_document_can_close_the_data_block() {
        let data = PageData {
            paths: vec!["x"],
            docs: vec![DocData {
                id: "</script><script>alert(1)</script>",
                title: "<!-- & \u{2028}",
                path: 0,
                line: None,
                bytes: 1,
            }],
            clusters: Vec::new(),
            texts: BTreeMap::new(),
            diffs: Vec::new(),
        };
        let json = script_json(&data).expect("serializes");
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert!(json.contains("\\u003c/script\\u003e"));
        let back: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
        assert_eq!(back["docs"][0]["id"], "</script><script>alert(1)</script>");
        assert_eq!(back["docs"][0]["title"], "<!-- & \u{2028}");
    }

    #[test]
    fn large_numbers_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(40_423), "40,423");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
