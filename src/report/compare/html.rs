//! A self-contained HTML page: both articles side by side, every sentence colored by what the
//! other article does with it, then the aligned pairs with their word diffs and evidence, what
//! each article has alone, and the verbatim passages.
//!
//! One file with inline CSS and a small script, nothing fetched. Article text only ever
//! reaches the page escaped, as element text or attribute values; the script reads nothing
//! but ids and `data-` attributes the page writes itself, and never writes markup. A
//! Content-Security-Policy allowing only that script (by its hash) and no fetches of any
//! kind backs this up should an article ever get markup past the escaping.

use std::io::{self, Write};
use std::ops::Range;

use super::{fact_line, headline, DiffExporter};
use crate::facts::{Fact, FactDiff, FactKind, Item, ItemClass, Side};

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

/// Data text (an id, a title, a fact) as element content, in a `<bdi>` element: a
/// right-to-left override in it (U+202E) then turns only its own characters around, never the
/// page's text after it ("Jaccard 0.88" read as "88.0 draccaJ").
pub fn isolate(text: &str) -> String {
    format!("<bdi>{}</bdi>", escape(&balance_isolates(text)))
}

/// Data text where no element can go (`<title>`, an attribute), isolated by the characters
/// FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE instead.
pub fn isolate_plain(text: &str) -> String {
    format!("\u{2068}{}\u{2069}", escape(&balance_isolates(text)))
}

/// `text` without the isolate terminators (U+2069) that close nothing it opened, and with one
/// added for each isolate it leaves open, so that it cannot end the isolate around it early
/// nor keep it open past its end.
fn balance_isolates(text: &str) -> std::borrow::Cow<'_, str> {
    const OPENERS: [char; 3] = ['\u{2066}', '\u{2067}', '\u{2068}'];
    const CLOSER: char = '\u{2069}';
    if !text.contains(CLOSER) && !text.contains(OPENERS) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut open = 0usize;
    let mut out = String::with_capacity(text.len() + 3);
    for c in text.chars() {
        if OPENERS.contains(&c) {
            open += 1;
        } else if c == CLOSER {
            if open == 0 {
                continue;
            }
            open -= 1;
        }
        out.push(c);
    }
    out.extend(std::iter::repeat_n(CLOSER, open));
    std::borrow::Cow::Owned(out)
}

/// The isolate terminators (U+2069) that close what `text`, written as it is, leaves open:
/// for text written piece by piece inside one `<bdi>`.
fn close_isolates(text: &str) -> String {
    let mut open = 0usize;
    for c in text.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => open += 1,
            '\u{2069}' => open = open.saturating_sub(1),
            _ => {}
        }
    }
    "\u{2069}".repeat(open)
}

/// Longest verbatim passage quoted in full in the list; longer ones are shortened to their
/// ends, since the columns show them whole (underlined).
const PASSAGE_QUOTE_WORDS: usize = 30;

/// Longest fact shown whole in a chip, in words.
const FACT_WORDS: usize = 12;

/// The page's style sheet.
const CSS: &str = include_str!("page.css");

/// Hover a matched sentence (or a pair in the list) to light up both sides; click one to
/// bring its counterpart level with it; the list's links bring both sentences into view.
/// Reads only ids and data attributes the page sets itself, and never writes markup.
const JS: &str = include_str!("page.js");

/// One article as the page shows it.
struct View<'a> {
    side: &'a Side,
    /// `a` or `b`: the prefix of its sentence ids.
    key: char,
    /// The item each sentence belongs to.
    owners: Vec<Option<usize>>,
    /// Verbatim passages in its text: sorted, disjoint byte ranges on character boundaries.
    verbatim: Vec<Range<usize>>,
}

impl<'a> View<'a> {
    fn new(diff: &'a FactDiff, key: char) -> Self {
        let (side, pick): (&Side, fn(&Item) -> Option<usize>) = if key == 'a' {
            (&diff.a, |i| i.a)
        } else {
            (&diff.b, |i| i.b)
        };
        let mut owners = vec![None; side.units.len()];
        for (n, item) in diff.items.iter().enumerate() {
            if let Some(slot) = pick(item).and_then(|u| owners.get_mut(u)) {
                *slot = Some(n);
            }
        }
        let ranges = diff
            .passages
            .iter()
            .map(|p| if key == 'a' { p.a.clone() } else { p.b.clone() });
        Self {
            side,
            key,
            owners,
            verbatim: merge(&side.text, ranges),
        }
    }

    /// The index of the sentence at byte `pos` (or of the next one after it).
    fn unit_at(&self, pos: usize) -> Option<usize> {
        self.side
            .units
            .iter()
            .find(|u| u.range.end > pos)
            .map(|u| u.index)
    }
}

/// Sorts ranges, drops those that do not fall on character boundaries of `text`, and merges
/// overlaps (a passage repeated in one article can overlap another in the other's order).
fn merge(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut valid: Vec<Range<usize>> = ranges
        .filter(|r| r.start < r.end && text.get(r.clone()).is_some())
        .collect();
    valid.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in valid {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Byte ranges of the blank lines in `s`: runs of whitespace with two or more line breaks.
fn blank_lines(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            let (start, breaks) = run.unwrap_or((i, 0));
            run = Some((start, breaks + usize::from(c == '\n')));
        } else if let Some((start, breaks)) = run.take() {
            if breaks >= 2 {
                out.push(start..i);
            }
        }
    }
    if let Some((start, breaks)) = run {
        if breaks >= 2 {
            out.push(start..s.len());
        }
    }
    out
}

/// Writes text escaped, its blank lines as paragraph breaks. Single line breaks flow like
/// spaces, since many corpora hard-wrap their text; the whitespace itself is kept as is.
fn write_text(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let mut last = 0;
    for r in blank_lines(s) {
        write!(
            out,
            "{}<span class=\"pb\">{}</span>",
            escape(&s[last..r.start]),
            escape(&s[r.clone()])
        )?;
        last = r.end;
    }
    write!(out, "{}", escape(&s[last..]))
}

/// "1 sentence", "2 sentences".
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn class_name(class: ItemClass) -> &'static str {
    match class {
        ItemClass::Shared => "shared",
        ItemClass::Conflict => "conflict",
        ItemClass::OnlyA | ItemClass::OnlyB => "only",
    }
}

fn kind_name(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Entity => "name",
        FactKind::Number => "number",
        FactKind::Date => "date",
        FactKind::Quote => "quote",
    }
}

/// The sentences an item links on the page: its own, and its partner's or (for a sentence
/// whose backing sentence stands beside another partner) its best backing sentence's.
fn linked_units(item: &Item) -> Option<(usize, usize)> {
    match (item.a, item.b) {
        (Some(a), Some(b)) => Some((a, b)),
        _ if matches!(item.class, ItemClass::OnlyA | ItemClass::OnlyB) => None,
        _ => Item::best_support(&item.support).map(|s| (s.a, s.b)),
    }
}

/// The number each shared or conflicting item carries on the page (1, 2, …), by item index.
fn pair_numbers(items: &[Item]) -> Vec<Option<usize>> {
    let mut n = 0;
    items
        .iter()
        .map(|i| {
            linked_units(i).map(|_| {
                n += 1;
                n
            })
        })
        .collect()
}

/// A link to sentence `index` of side `key` ("A 4": people count from one, ids from zero).
fn unit_link(key: char, index: usize) -> String {
    format!(
        "<a class=\"jump\" href=\"#{key}-{index}\">{} {}</a>",
        key.to_ascii_uppercase(),
        index + 1
    )
}

fn write_head(out: &mut dyn Write, diff: &FactDiff) -> io::Result<()> {
    let (a, b) = (isolate_plain(&diff.a.id), isolate_plain(&diff.b.id));
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{}'; base-uri 'none'; form-action 'none'\">",
        super::csp::base64(&super::csp::sha256(JS.as_bytes()))
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"overlap {}\">",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        out,
        "<title>{a} vs {b} · overlap compare</title>\n<style>{CSS}</style>\n</head>"
    )
}

fn write_summary(out: &mut dyn Write, diff: &FactDiff) -> io::Result<()> {
    let s = &diff.summary;
    writeln!(
        out,
        "<header class=\"summary\">\n<div class=\"kicker\">overlap · fact diff</div>"
    )?;
    writeln!(
        out,
        "<h1><span class=\"side\">A</span> <span class=\"id\">{}</span><span class=\"vs\">vs</span>\
         <span class=\"side\">B</span> <span class=\"id\">{}</span></h1>",
        isolate(&diff.a.id),
        isolate(&diff.b.id)
    )?;
    let badges = [
        ("shared", s.shared.to_string(), "shared"),
        ("conflict", s.conflict.to_string(), "conflicting"),
        ("only", s.only_a.to_string(), "only in A"),
        ("only", s.only_b.to_string(), "only in B"),
        ("", format!("{:.0}%", s.overlap * 100.0), "overlap"),
        (
            "",
            s.passages.to_string(),
            if s.passages == 1 {
                "verbatim passage"
            } else {
                "verbatim passages"
            },
        ),
    ];
    writeln!(out, "<ul class=\"badges\">")?;
    for (class, value, label) in badges {
        writeln!(
            out,
            "<li class=\"badge {class}\"><b>{value}</b>{label}</li>"
        )?;
    }
    writeln!(out, "</ul>")?;
    writeln!(
        out,
        "<p>{}</p>\n<p>{}</p>",
        escape(&headline(diff)),
        escape(&fact_line(diff))
    )?;
    for side in [&diff.a, &diff.b] {
        if side.units_left_out > 0 {
            writeln!(
                out,
                "<p class=\"note\">{} sentences of {} were beyond --max-sentences and not compared (shown in grey).</p>",
                side.units_left_out,
                isolate(&side.id)
            )?;
        }
    }
    writeln!(
        out,
        "<ul class=\"legend\">\
         <li><span class=\"sw shared\"></span>Shared: the same facts, possibly reworded</li>\
         <li><span class=\"sw conflict\"></span>Conflict: the same statement with different numbers or dates, or denied</li>\
         <li><span class=\"sw only\"></span>Only in one article</li>\
         <li><span class=\"sw v\"></span>Copied word for word</li>\
         <li>Numbered sentences are pairs: hover or click one to find its counterpart</li></ul>"
    )?;
    writeln!(
        out,
        "<nav><a href=\"#articles\">Articles</a><a href=\"#pairs\">Aligned pairs</a>\
         <a href=\"#alone\">Only in one</a><a href=\"#passages\">Verbatim passages</a></nav>\n</header>"
    )
}

/// One article in full: the text between sentences as it is, each sentence in a span.
fn write_column(
    out: &mut dyn Write,
    diff: &FactDiff,
    view: &View,
    numbers: &[Option<usize>],
) -> io::Result<()> {
    let side = view.side;
    let upper = view.key.to_ascii_uppercase();
    writeln!(
        out,
        "<section class=\"col\" aria-label=\"Article {upper}\"><h2><span class=\"side\">{upper}</span> \
         <span class=\"id\">{}</span><span class=\"count\">{}</span></h2>",
        isolate(&side.id),
        plural(side.units.len(), "sentence")
    )?;
    // The article in one isolate, left to right as the page: an override in it stays in it.
    write!(out, "<div class=\"text\"><bdi dir=\"ltr\">")?;
    let text = side.text.as_str();
    let mut pos = 0;
    for unit in &side.units {
        // A range out of order or off a character boundary cannot be wrapped; its text is
        // still written, with the text around it.
        let Some(gap) = text.get(pos..unit.range.start) else {
            continue;
        };
        if text.get(unit.range.clone()).is_none() {
            continue;
        }
        write_marked(out, gap, pos, &view.verbatim)?;
        write_unit(out, diff, view, unit.index, unit.range.clone(), numbers)?;
        pos = unit.range.end;
    }
    let rest = text.get(pos..).unwrap_or("");
    if side.units_left_out > 0 && !rest.trim().is_empty() {
        write!(
            out,
            "<span class=\"rest\" title=\"not compared (beyond --max-sentences)\">"
        )?;
        write_marked(out, rest, pos, &view.verbatim)?;
        write!(out, "</span>")?;
    } else {
        write_marked(out, rest, pos, &view.verbatim)?;
    }
    write!(out, "{}</bdi>", close_isolates(text))?;
    if text.trim().is_empty() {
        write!(out, "<span class=\"muted\">(no text)</span>")?;
    }
    writeln!(out, "</div></section>")
}

fn write_unit(
    out: &mut dyn Write,
    diff: &FactDiff,
    view: &View,
    index: usize,
    range: Range<usize>,
    numbers: &[Option<usize>],
) -> io::Result<()> {
    let owner = view.owners.get(index).copied().flatten();
    let item = owner.and_then(|n| diff.items.get(n));
    let class = item.map_or("only", |i| class_name(i.class));
    write!(
        out,
        "<span class=\"unit {class}\" id=\"{}-{index}\"",
        view.key
    )?;
    if let (Some(n), Some(item)) = (owner, item) {
        let other =
            linked_units(item).map(|(a, b)| if view.key == 'a' { ('B', b) } else { ('A', a) });
        if let Some((other_key, other_index)) = other {
            let mut title = format!(
                "{} {other_key} {} (score {:.2})",
                if item.class == ItemClass::Conflict {
                    "Conflicts with"
                } else {
                    "Shared with"
                },
                other_index + 1,
                item.score.unwrap_or(0.0)
            );
            for c in &item.facts.conflicts {
                title.push_str(&format!(
                    " · {}",
                    isolate_plain(&format!("{}{}", c.note, super::conflict_sources(c)))
                ));
            }
            let number = numbers.get(n).copied().flatten().unwrap_or(0);
            // The notes in the title are escaped already.
            write!(
                out,
                " data-pair=\"p{n}\" data-n=\"{number}\" title=\"{title}\""
            )?;
        }
    }
    write!(out, ">")?;
    write_marked(
        out,
        &view.side.text[range.clone()],
        range.start,
        &view.verbatim,
    )?;
    write!(out, "</span>")
}

/// Writes `s` (which starts at byte `offset` of its article, on a character boundary) with
/// the verbatim passages in it underlined.
fn write_marked(
    out: &mut dyn Write,
    s: &str,
    offset: usize,
    verbatim: &[Range<usize>],
) -> io::Result<()> {
    let end = offset + s.len();
    let mut pos = offset;
    for r in verbatim.iter().filter(|r| r.start < end && r.end > offset) {
        let (from, to) = (r.start.max(offset), r.end.min(end));
        write_text(out, &s[pos - offset..from - offset])?;
        write!(out, "<mark class=\"v\">")?;
        write_text(out, &s[from - offset..to - offset])?;
        write!(out, "</mark>")?;
        pos = to;
    }
    write_text(out, &s[pos - offset..])
}

/// A fact as a chip. Long quotations are cut to their first words: the sentence, one click
/// away, has them whole.
fn write_fact(out: &mut dyn Write, kind: FactKind, text: &str) -> io::Result<()> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let text = if words.len() > FACT_WORDS {
        format!("{} …", words[..FACT_WORDS - 2].join(" "))
    } else {
        text.to_owned()
    };
    let kind = kind_name(kind);
    write!(
        out,
        "<span class=\"fact {kind}\" title=\"{kind}\">{}</span>",
        isolate(&text)
    )
}

fn write_facts(out: &mut dyn Write, facts: &[&Fact]) -> io::Result<()> {
    facts
        .iter()
        .try_for_each(|f| write_fact(out, f.kind, &f.text))
}

/// The evidence of an aligned pair: conflicts, facts in both, facts on one side, common words.
fn write_evidence(out: &mut dyn Write, item: &Item) -> io::Result<()> {
    let facts = &item.facts;
    write!(out, "<ul class=\"ev\">")?;
    for c in &facts.conflicts {
        write!(
            out,
            "<li class=\"bad\"><b>Conflict</b>{}</li>",
            isolate(&format!("{}{}", c.note, super::conflict_sources(c)))
        )?;
    }
    if !facts.shared.is_empty() {
        write!(out, "<li><b>In both</b>")?;
        for pair in &facts.shared {
            let (a, b) = (&pair.a.text, &pair.b.text);
            let text = if a.to_lowercase() == b.to_lowercase() {
                a.clone()
            } else {
                format!("{a} ≈ {b}")
            };
            write_fact(out, pair.a.kind, &text)?;
        }
        write!(out, "</li>")?;
    }
    for (label, list) in [("Only A", &facts.only_a), ("Only B", &facts.only_b)] {
        if !list.is_empty() {
            write!(out, "<li><b>{label}</b>")?;
            write_facts(out, &list.iter().collect::<Vec<_>>())?;
            write!(out, "</li>")?;
        }
    }
    if !item.shared_terms.is_empty() {
        write!(
            out,
            "<li class=\"muted\"><b>Common words</b>{}</li>",
            isolate(&item.shared_terms.join(", "))
        )?;
    }
    writeln!(out, "</ul>")
}

/// One side of a word diff: its equal and own-changed pieces (`own` is `delete` for A,
/// `insert` for B), a space between two changed words joined to them so a reworded phrase
/// reads as one highlight rather than a row of single words.
fn side_of_diff(item: &Item, own: &str) -> Vec<(bool, String)> {
    let parts: Vec<(bool, &str)> = item
        .word_diff
        .iter()
        .filter(|c| c.tag == "equal" || c.tag == own)
        .map(|c| (c.tag != "equal", c.text.as_str()))
        .collect();
    let mut out: Vec<(bool, String)> = Vec::new();
    for (i, &(changed, text)) in parts.iter().enumerate() {
        let bridge = text.trim().is_empty()
            && i > 0
            && parts[i - 1].0
            && parts.get(i + 1).is_some_and(|p| p.0);
        let changed = changed || bridge;
        match out.last_mut() {
            Some((c, t)) if *c == changed => t.push_str(text),
            _ => out.push((changed, text.to_owned())),
        }
    }
    out
}

/// The word diff as two lines, A's sentence and B's, each with the words the other lacks
/// highlighted (`<del>` in A, `<ins>` in B): easier to read than one interleaved line when a
/// sentence is reworded.
fn write_word_diff(out: &mut dyn Write, item: &Item) -> io::Result<()> {
    write!(out, "<div class=\"wd\">")?;
    for (key, own, tag) in [('A', "delete", "del"), ('B', "insert", "ins")] {
        write!(out, "<p><span class=\"side\">{key}</span> <bdi>")?;
        let mut sentence = String::new();
        for (changed, text) in side_of_diff(item, own) {
            if changed {
                write!(out, "<{tag}>{}</{tag}>", escape(&text))?;
            } else {
                write!(out, "{}", escape(&text))?;
            }
            sentence.push_str(&text);
        }
        write!(out, "{}</bdi></p>", close_isolates(&sentence))?;
    }
    writeln!(out, "</div>")
}

fn write_pairs(out: &mut dyn Write, diff: &FactDiff, numbers: &[Option<usize>]) -> io::Result<()> {
    let aligned = numbers.iter().flatten().count();
    writeln!(out, "<section class=\"list\" id=\"pairs\"><h2>Aligned pairs <span class=\"count\">{aligned}</span></h2>")?;
    if aligned == 0 {
        return writeln!(out, "<p class=\"muted\">No sentence of A states the facts of a sentence of B.</p></section>");
    }
    writeln!(
        out,
        "<p class=\"muted\">Each pair shows both sentences, with the words the other one lacks \
         <ins>highlighted</ins>.</p>\n<ol class=\"pairs\">"
    )?;
    for (n, item) in diff.items.iter().enumerate() {
        let (Some((ia, ib)), Some(number)) =
            (linked_units(item), numbers.get(n).copied().flatten())
        else {
            continue;
        };
        let class = class_name(item.class);
        writeln!(
            out,
            "<li class=\"pair {class}\" data-pair=\"p{n}\"><div class=\"head\"><span class=\"num\">{number}</span>\
             <span class=\"tag\">{}</span>{} ↔ {}<span class=\"score\" title=\"alignment score\">score {:.2}</span></div>",
            if item.class == ItemClass::Conflict { "Conflict" } else { "Shared" },
            unit_link('a', ia),
            unit_link('b', ib),
            item.score.unwrap_or(0.0)
        )?;
        if item.a.is_none() || item.b.is_none() {
            writeln!(
                out,
                "<p class=\"muted\">The {} sentence also stands beside another partner; \
                 the claim that backs this one:</p>",
                if item.a.is_some() { "B" } else { "A" }
            )?;
        }
        write_word_diff(out, item)?;
        write_evidence(out, item)?;
        writeln!(out, "</li>")?;
    }
    writeln!(out, "</ol></section>")
}

/// The sentences each article has alone, as links with their facts (the text itself is in
/// the columns).
fn write_alone(out: &mut dyn Write, diff: &FactDiff) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"list\" id=\"alone\"><h2>Only in one article</h2><div class=\"two\">"
    )?;
    for (class, key, side) in [
        (ItemClass::OnlyA, 'a', &diff.a),
        (ItemClass::OnlyB, 'b', &diff.b),
    ] {
        let items: Vec<&Item> = diff.items.iter().filter(|i| i.class == class).collect();
        let upper = key.to_ascii_uppercase();
        writeln!(
            out,
            "<div><h3>Only in {upper} <span class=\"count\">{} of {}</span></h3>",
            items.len(),
            plural(side.units.len(), "sentence")
        )?;
        if items.is_empty() {
            writeln!(
                out,
                "<p class=\"muted\">Every sentence of {upper} has a counterpart.</p></div>"
            )?;
            continue;
        }
        writeln!(out, "<ol class=\"alone\">")?;
        for item in items {
            let Some(index) = item.a.or(item.b) else {
                continue;
            };
            write!(out, "<li>{}", unit_link(key, index))?;
            let facts: Vec<&Fact> = item.facts.only_a.iter().chain(&item.facts.only_b).collect();
            if facts.is_empty() {
                write!(
                    out,
                    "<span class=\"muted\">no names, numbers, dates or quotes</span>"
                )?;
            }
            write_facts(out, &facts)?;
            writeln!(out, "</li>")?;
        }
        writeln!(out, "</ol></div>")?;
    }
    writeln!(out, "</div></section>")
}

/// A passage as quoted in the list: whole when short, else its first and last words.
fn quote(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= PASSAGE_QUOTE_WORDS {
        return words.join(" ");
    }
    let head = words[..PASSAGE_QUOTE_WORDS * 2 / 3].join(" ");
    let tail = words[words.len() - PASSAGE_QUOTE_WORDS / 3..].join(" ");
    format!("{head} … {tail}")
}

fn write_passages(out: &mut dyn Write, diff: &FactDiff, a: &View, b: &View) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"list\" id=\"passages\"><h2>Verbatim passages <span class=\"count\">{}</span></h2>",
        diff.passages.len()
    )?;
    if diff.passages.is_empty() {
        return writeln!(
            out,
            "<p class=\"muted\">No passage is shared word for word.</p></section>"
        );
    }
    writeln!(out, "<ol class=\"passages\">")?;
    for p in &diff.passages {
        write!(out, "<li><span class=\"words\">{} words</span>", p.words)?;
        let links: Vec<String> = [
            a.unit_at(p.a.start).map(|i| unit_link('a', i)),
            b.unit_at(p.b.start).map(|i| unit_link('b', i)),
        ]
        .into_iter()
        .flatten()
        .collect();
        write!(out, "{}", links.join(" ↔ "))?;
        writeln!(out, " <q>{}</q></li>", isolate(&quote(&p.text)))?;
    }
    writeln!(out, "</ol></section>")
}

impl DiffExporter for Html {
    fn write(&self, diff: &FactDiff, out: &mut dyn Write) -> io::Result<()> {
        let (a, b) = (View::new(diff, 'a'), View::new(diff, 'b'));
        let numbers = pair_numbers(&diff.items);
        write_head(out, diff)?;
        writeln!(out, "<body>\n<div class=\"wrap\">")?;
        write_summary(out, diff)?;
        writeln!(out, "<main>\n<div class=\"cols\" id=\"articles\">")?;
        write_column(out, diff, &a, &numbers)?;
        write_column(out, diff, &b, &numbers)?;
        writeln!(out, "</div>")?;
        write_pairs(out, diff, &numbers)?;
        write_alone(out, diff)?;
        write_passages(out, diff, &a, &b)?;
        write!(out, "</main>\n<footer>")?;
        if let Some(capped) = diff.summary.capped.describe() {
            write!(out, "<p class=\"note\">{}.</p>", escape(&capped))?;
        }
        writeln!(
            out,
            "Made by overlap compare. This page is self-contained: it loads nothing.</footer>"
        )?;
        writeln!(out, "</div>\n<script>{JS}</script>\n</body>\n</html>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{compare, Article, CompareOptions};

    fn page(a: &str, b: &str) -> String {
        let diff = compare(
            &Article::new("a", a),
            &Article::new("b", b),
            &CompareOptions::default(),
        );
        let mut out = Vec::new();
        Html.write(&diff, &mut out).expect("write to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn item13_isolated_data_can_neither_end_its_isolate_early_nor_leave_one_open() {
        // A stray terminator is dropped; an opener left open is closed inside.
        assert_eq!(isolate("a\u{2069}\u{202e}b"), "<bdi>a\u{202e}b</bdi>");
        assert_eq!(isolate("\u{2067}x"), "<bdi>\u{2067}x\u{2069}</bdi>");
        assert_eq!(
            isolate_plain("<\u{2066}\u{2069}\u{2069}>"),
            "\u{2068}&lt;\u{2066}\u{2069}&gt;\u{2069}"
        );
        assert_eq!(
            close_isolates("\u{2068}a\u{2069}\u{2069}\u{2066}"),
            "\u{2069}"
        );
    }

    #[test]
    fn escapes_all_five_special_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(
            escape("plain text, ünïcode\u{2028}"),
            "plain text, ünïcode\u{2028}"
        );
    }

    #[test]
    fn article_text_never_reaches_a_script_element() {
        let hostile = "</script><script>alert(1)</script> <img src=x onerror=alert(2)>";
        let html = page(
            &format!("The council met on Monday. {hostile}"),
            &format!("The council met on Monday. {hostile}"),
        );
        // The page has exactly one script (its own, hashed in the CSP) and embeds no data.
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert_eq!(html.matches("</script").count(), 1);
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
        assert!(
            !JS.contains("</script"),
            "the script must not close its own element"
        );
    }

    #[test]
    fn every_sentence_is_a_span_and_the_text_is_kept_whole() {
        let a = "Envoy Steve Witkoff will meet Putin on Thursday.\n\nOil rose 2 percent.";
        let b = "Putin and envoy Steve Witkoff meet on Thursday, the Kremlin said.";
        let html = page(a, b);
        assert!(
            html.contains("<span class=\"unit shared\" id=\"a-0\" data-pair=\"p0\" data-n=\"1\""),
            "{html}"
        );
        assert!(html.contains("<span class=\"unit shared\" id=\"b-0\" data-pair=\"p0\""));
        assert!(html.contains("<span class=\"pb\">\n\n</span><span class=\"unit only\" id=\"a-1\">Oil rose 2 percent.</span>"));
        assert!(html.contains(
            "<a class=\"jump\" href=\"#a-0\">A 1</a> ↔ <a class=\"jump\" href=\"#b-0\">B 1</a>"
        ));
    }

    #[test]
    fn blank_lines_are_runs_with_two_line_breaks() {
        assert_eq!(blank_lines("a\nb"), Vec::<Range<usize>>::new());
        assert_eq!(blank_lines("a\n \nb\r\n\r\n"), vec![1..4, 5..9]);
    }

    #[test]
    fn verbatim_ranges_are_merged_and_checked() {
        let text = "héllo world";
        // 2 is inside 'é'; 0..4 and 3..8 overlap.
        assert_eq!(
            merge(text, [3..8, 0..4, 2..5, 9..9].into_iter()),
            vec![0..8]
        );
    }
}
