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

/// Longest verbatim passage quoted in full in the list; longer ones are shortened to their
/// ends, since the columns show them whole (underlined).
const PASSAGE_QUOTE_WORDS: usize = 30;

/// Longest fact shown whole in a chip, in words.
const FACT_WORDS: usize = 12;

const CSS: &str = r#"
:root{--bg:#f6f6f3;--card:#fff;--ink:#1d2228;--muted:#59616d;--line:#dcdfe3;--chip:#f0f1f3;
--shared:#d5efdc;--shared-ink:#17663a;--conflict:#fddcd7;--conflict-ink:#b3261e;
--only:#ecf1f9;--changed:#fcefc2;--only-ink:#34568f;--verbatim:#b7791f;--focus:#1f6feb;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--card:#1d2126;--ink:#e4e7eb;--muted:#a0a8b3;
--line:#343a42;--chip:#2a2f36;--shared:#1d4a2d;--shared-ink:#7fd69b;--conflict:#5a2422;
--conflict-ink:#ff9a8f;--only:#26334a;--changed:#4a3f17;--only-ink:#a9c1ec;--verbatim:#e3b057;--focus:#79a8ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
.wrap{max-width:92rem;margin:0 auto;padding:1.25rem 1.5rem 3rem}
a{color:var(--focus)}
h1{font-size:1.3rem;line-height:1.35;margin:.2rem 0 .8rem;font-weight:650}
h2{font-size:1.1rem;margin:0 0 .75rem}
h3{font-size:.95rem;margin:0 0 .5rem}
.kicker{font-size:.78rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.side{display:inline-block;min-width:1.6em;padding:0 .35em;border-radius:.35em;background:var(--ink);
color:var(--card);font-size:.8em;font-weight:700;text-align:center}
.vs{color:var(--muted);font-weight:400;margin:0 .3em}
.badges{display:flex;flex-wrap:wrap;gap:.4rem;margin:0;padding:0;list-style:none}
.badge{padding:.1rem .65rem;border-radius:999px;font-size:.85rem;background:var(--chip)}
.badge b{font-variant-numeric:tabular-nums;margin-right:.25em}
.badge.shared{background:var(--shared);color:var(--shared-ink)}
.badge.conflict{background:var(--conflict);color:var(--conflict-ink)}
.badge.only{background:var(--only);color:var(--only-ink)}
.summary p{margin:.45rem 0 0;color:var(--muted);font-size:.9rem}
.note{color:var(--conflict-ink)!important}
.legend{display:flex;flex-wrap:wrap;gap:.35rem 1.4rem;margin:1rem 0 0;padding:.6rem .9rem;list-style:none;
font-size:.85rem;color:var(--muted);background:var(--card);border:1px solid var(--line);border-radius:.5rem}
.sw{display:inline-block;width:1.6em;height:1.05em;border-radius:.25em;vertical-align:-.2em;margin-right:.4em}
.sw.shared{background:var(--shared)}.sw.conflict{background:var(--conflict)}.sw.only{background:var(--only)}
.sw.v{height:.2em;vertical-align:.2em;background:var(--verbatim)}
nav{margin:1rem 0 0;font-size:.88rem}nav a{margin-right:1rem}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.25rem;margin-top:1.25rem}
.col{background:var(--card);border:1px solid var(--line);border-radius:.6rem;min-width:0}
.col h2{font-size:.92rem;font-weight:600;margin:0;padding:.6rem 1rem;border-bottom:1px solid var(--line)}
.col h2 .count{color:var(--muted);font-weight:400;margin-left:.4em}
.text{padding:.9rem 1.2rem 1.2rem;max-height:calc(100vh - 5rem);overflow-y:auto;overflow-wrap:break-word;
font-size:1rem;line-height:1.75}
.pb{display:block;height:.85em}
.unit{border-radius:.25em;padding:.12em .05em;-webkit-box-decoration-break:clone;box-decoration-break:clone;
transition:box-shadow .15s}
.unit.shared{background:var(--shared)}.unit.conflict{background:var(--conflict)}.unit.only{background:var(--only)}
.unit[data-pair]{cursor:pointer}
.unit[data-n]::before{content:attr(data-n);display:inline-block;min-width:1.5em;margin-right:.35em;padding:0 .3em;
border-radius:999px;background:var(--shared-ink);color:var(--card);font-size:.68em;font-weight:700;
line-height:1.6;text-align:center;vertical-align:.12em}
.unit.conflict[data-n]::before{background:var(--conflict-ink)}
.rest{color:var(--muted)}
mark.v{background:none;color:inherit;text-decoration:underline 2px var(--verbatim);text-underline-offset:.22em}
.hl,.sel,.unit:target{box-shadow:0 0 0 2px var(--focus)}
.flash{animation:flash 1.4s ease-out}
@keyframes flash{from{box-shadow:0 0 0 5px var(--focus)}to{box-shadow:0 0 0 2px var(--focus)}}
section.list{margin-top:2.25rem}
.count{color:var(--muted);font-weight:400}
.pairs{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.pair{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--shared-ink);
border-radius:.5rem;padding:.7rem 1rem}
.pair.conflict{border-left-color:var(--conflict-ink)}
.pair .head{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;font-size:.87rem}
.num{display:inline-block;min-width:1.6em;padding:0 .3em;border-radius:999px;background:var(--shared-ink);
color:var(--card);font-size:.78rem;font-weight:700;text-align:center}
.conflict .num{background:var(--conflict-ink)}
.tag{font-weight:600;color:var(--shared-ink)}.conflict .tag{color:var(--conflict-ink)}
.score{color:var(--muted);font-variant-numeric:tabular-nums;margin-left:auto}
.wd{margin:.5rem 0 .6rem;line-height:1.65;display:grid;gap:.3rem}.wd p{margin:0}
.wd .side{margin-right:.3em}
del,ins{background:var(--changed);color:inherit;text-decoration:none;border-radius:.2em}
.ev{list-style:none;margin:0;padding:0;font-size:.87rem;display:grid;gap:.2rem}
.ev b{font-weight:600;color:var(--muted);margin-right:.3em}
.ev .bad,.ev .bad b{color:var(--conflict-ink)}
.fact{display:inline-block;margin:.1em .1em;padding:0 .45em;border:1px solid var(--line);border-radius:.3em;
background:var(--chip);font-size:.95em;line-height:1.5}
.fact.quote{font-style:italic}
.muted{color:var(--muted)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:1.25rem}
.alone,.passages{margin:0;padding:0;list-style:none;font-size:.88rem;display:grid;gap:.3rem}
.alone a,.passages a{font-weight:600;margin-right:.4em;white-space:nowrap}
.passages li{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.5rem .9rem}
.passages q{color:var(--ink)}
.words{color:var(--verbatim);font-weight:600;margin-right:.5em}
footer{margin-top:2.5rem;font-size:.8rem;color:var(--muted)}
@media (max-width:60rem){.cols,.two{grid-template-columns:1fr}.text{max-height:none;overflow:visible}
.wrap{padding:1rem}}
@media print{.text{max-height:none;overflow:visible}nav{display:none}}
"#;

/// Hover a matched sentence (or a pair in the list) to light up both sides; click one to
/// bring its counterpart level with it; the list's links bring both sentences into view.
/// Reads only ids and data attributes the page sets itself, and never writes markup.
const JS: &str = r#"
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60.01rem)");
  var selected = null;
  function members(pair) {
    return document.querySelectorAll('[data-pair="' + pair + '"]');
  }
  function mark(pair, cls, on) {
    members(pair).forEach(function (el) { el.classList.toggle(cls, on); });
  }
  function pairOf(target) {
    var el = target instanceof Element ? target.closest("[data-pair]") : null;
    return el ? el.getAttribute("data-pair") : null;
  }
  function select(pair) {
    if (selected) mark(selected, "sel", false);
    selected = pair;
    if (pair) mark(pair, "sel", true);
  }
  function twin(unit) {
    var side = unit.id.charAt(0) === "a" ? "b" : "a";
    var found = null;
    members(unit.getAttribute("data-pair")).forEach(function (el) {
      if (el.classList.contains("unit") && el.id.charAt(0) === side) found = el;
    });
    return found;
  }
  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }
  function offset(el) {
    var box = el.closest(".text");
    return box ? el.getBoundingClientRect().top - box.getBoundingClientRect().top : 0;
  }
  // Side by side, each column scrolls on its own: scroll el's column so that el sits `at`
  // pixels below its top, or as near as the column can scroll, and return where it ends up.
  // Stacked, the page scrolls.
  function place(el, at) {
    var box = el.closest(".text");
    flash(el);
    if (!wide.matches || !box) {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      return at;
    }
    var want = box.scrollTop + offset(el) - at;
    var top = Math.max(0, Math.min(want, box.scrollHeight - box.clientHeight));
    box.scrollTo({ top: top, behavior: "smooth" });
    return at + want - top;
  }
  document.addEventListener("mouseover", function (e) {
    var pair = pairOf(e.target);
    if (pair) mark(pair, "hl", true);
  });
  document.addEventListener("mouseout", function (e) {
    var pair = pairOf(e.target);
    if (pair) mark(pair, "hl", false);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") select(null);
  });
  document.addEventListener("click", function (e) {
    if (!(e.target instanceof Element)) return;
    var link = e.target.closest("a.jump");
    var unit = e.target.closest(".unit[data-pair]");
    if (link) {
      var el = document.getElementById(link.getAttribute("href").slice(1));
      if (!el) return;
      if (el.hasAttribute("data-pair")) select(el.getAttribute("data-pair"));
      if (!wide.matches) { flash(el); return; }
      e.preventDefault();
      document.getElementById("articles").scrollIntoView({ behavior: "smooth", block: "start" });
      var box = el.closest(".text");
      var at = box ? box.clientHeight / 4 : 0;
      var other = el.hasAttribute("data-pair") ? twin(el) : null;
      // Level with each other where the columns allow: the one that cannot scroll as far
      // sets the height.
      var level = other ? place(other, at) : at;
      level = place(el, level);
      if (other) place(other, level);
    } else if (unit) {
      var match = twin(unit);
      if (!match) return;
      select(unit.getAttribute("data-pair"));
      place(match, offset(unit));
    }
  });
})();
"#;

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

/// The number each aligned pair carries on the page (1, 2, …), by item index.
fn pair_numbers(items: &[Item]) -> Vec<Option<usize>> {
    let mut n = 0;
    items
        .iter()
        .map(|i| {
            (i.a.is_some() && i.b.is_some()).then(|| {
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
    let (a, b) = (escape(&diff.a.id), escape(&diff.b.id));
    writeln!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{}'; base-uri 'none'; form-action 'none'\">",
        base64(&sha256(JS.as_bytes()))
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
        escape(&diff.a.id),
        escape(&diff.b.id)
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
                escape(&side.id)
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
        escape(&side.id),
        plural(side.units.len(), "sentence")
    )?;
    write!(out, "<div class=\"text\">")?;
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
        let other = if view.key == 'a' {
            item.b.map(|i| ('B', i))
        } else {
            item.a.map(|i| ('A', i))
        };
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
                title.push_str(&format!(" · {}", c.note));
            }
            let number = numbers.get(n).copied().flatten().unwrap_or(0);
            write!(
                out,
                " data-pair=\"p{n}\" data-n=\"{number}\" title=\"{}\"",
                escape(&title)
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
        escape(&text)
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
            escape(&c.note)
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
            escape(&item.shared_terms.join(", "))
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
        write!(out, "<p><span class=\"side\">{key}</span> ")?;
        for (changed, text) in side_of_diff(item, own) {
            if changed {
                write!(out, "<{tag}>{}</{tag}>", escape(&text))?;
            } else {
                write!(out, "{}", escape(&text))?;
            }
        }
        write!(out, "</p>")?;
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
        let (Some(ia), Some(ib), Some(number)) =
            (item.a, item.b, numbers.get(n).copied().flatten())
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
        writeln!(out, " <q>{}</q></li>", escape(&quote(&p.text)))?;
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
        writeln!(out, "</main>\n<footer>Made by overlap compare. This page is self-contained: it loads nothing.</footer>")?;
        writeln!(out, "</div>\n<script>{JS}</script>\n</body>\n</html>")
    }
}

/// SHA-256 (FIPS 180-4), to name the page's script in its Content-Security-Policy.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (slot, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *slot = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for (k, wi) in K.iter().zip(w) {
            let [a, b, c, d, e, f, g, hh] = v;
            let t1 = hh
                .wrapping_add(e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25))
                .wrapping_add((e & f) ^ (!e & g))
                .wrapping_add(*k)
                .wrapping_add(wi);
            let t2 = (a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22))
                .wrapping_add((a & b) ^ (a & c) ^ (b & c));
            v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
        }
        for (x, y) in h.iter_mut().zip(v) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Standard base64 with padding, as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
    fn hashes_like_sha256_and_encodes_like_base64() {
        let hex = |d: [u8; 32]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            hex(sha256(long)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
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
