//! Atomic facts inside a sentence: named entities, numbers with their units, dates, and direct
//! quotes with their speakers. Gazetteer-free heuristics, each tested next to its code.
//!
//! This module holds the shared types and word helpers and runs the parts: [`entities`],
//! [`numbers`], [`dates`] and [`quotes`].

mod dates;
mod entities;
mod numbers;
mod quotes;

use std::collections::HashSet;
use std::ops::Range;

use serde::Serialize;

pub(super) use crate::text::calendar::is_year;
use crate::text::calendar::{month_of, WEEKDAYS};

pub use dates::dates;
pub use entities::entities;
pub use numbers::numbers;
pub use quotes::quotes;

/// What kind of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    /// A name: person, place, organisation.
    Entity,
    /// A number with its unit and what it counts.
    Number,
    /// A date, weekday, month or year.
    Date,
    /// A direct quotation.
    Quote,
}

/// One atomic fact, traced to its bytes in the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The kind.
    pub kind: FactKind,
    /// The words as written.
    pub text: String,
    /// Byte range in the document.
    pub range: Range<usize>,
    /// A normalized value to compare: lowercased name, number in base units, canonical date.
    pub key: String,
    /// Numbers: the unit (`euro`, `day`, `square kilometer`, `percent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Numbers: what is counted (`foothold`, `pause`); quotes: who said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

/// Document-wide evidence about capitalisation, to tell names from sentence-initial words.
#[derive(Debug, Default, Clone)]
pub struct Capitals {
    /// Words (lowercased) seen capitalised somewhere other than the start of a sentence.
    pub inside: HashSet<String>,
    /// Words seen in lowercase anywhere.
    pub lower: HashSet<String>,
}

impl Capitals {
    /// Learns from one sentence.
    pub fn observe(&mut self, sentence: &str) {
        for (i, w) in words(sentence, 0).iter().enumerate() {
            let first = w.text.chars().next().unwrap_or(' ');
            let key = bare(w.text);
            if first.is_lowercase() {
                self.lower.insert(key);
            } else if first.is_uppercase() && i > 0 {
                self.inside.insert(key);
            }
        }
    }

    fn is_name(&self, word: &str) -> bool {
        let key = bare(word);
        self.inside.contains(&key) && !self.lower.contains(&key)
    }
}

/// A word of a sentence with its absolute byte range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Words: runs of letters and digits, keeping inner `.` `,` `'` `’` `-` `&` that sit between
/// two alphanumerics (`U.S`, `1,200`, `Ukraine's`, `30-day`, `AT&T`).
pub(crate) fn words(text: &str, offset: usize) -> Vec<Word<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() {
            let c = chars[i].1;
            let joins = matches!(c, '.' | ',' | '\'' | '’' | '-' | '&')
                && i > start
                && chars.get(i + 1).is_some_and(|n| n.1.is_alphanumeric())
                && (c != ','
                    || (chars[i - 1].1.is_ascii_digit() && chars[i + 1].1.is_ascii_digit()));
            if c.is_alphanumeric() || joins {
                i += 1;
            } else {
                break;
            }
        }
        let s = chars[start].0;
        let e = chars.get(i).map_or(text.len(), |c| c.0);
        out.push(Word {
            text: &text[s..e],
            start: offset + s,
            end: offset + e,
        });
    }
    out
}

/// Lowercase without a possessive `'s`.
fn bare(word: &str) -> String {
    let w = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    w.to_lowercase()
}

/// 0-based month of a month name or its abbreviation ("May" only when capitalised).
fn month_number(word: &str) -> Option<usize> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "may" && !word.starts_with('M') {
        return None;
    }
    month_of(&w).map(|m| m as usize - 1)
}

/// The heads of generic institutional names, which never match on their own ("General Staff"
/// must not match "Russian General Staff" just because it is a suffix).
pub(crate) const GENERIC_HEADS: &[&str] = &[
    "staff",
    "ministry",
    "minister",
    "office",
    "council",
    "president",
    "government",
    "army",
    "forces",
    "force",
    "military",
    "police",
    "court",
    "house",
    "party",
    "department",
    "agency",
    "committee",
    "service",
    "services",
    "state",
    "states",
    "union",
    "group",
    "bank",
    "news",
];

/// Every fact of a sentence, in text order within each kind: entities, numbers, dates,
/// quotes.
pub fn extract(sentence: &str, offset: usize, caps: &Capitals) -> Vec<Fact> {
    let names = entities(sentence, offset, caps);
    let when = dates(sentence, offset);
    let taken: Vec<Range<usize>> = when.iter().map(|d| d.range.clone()).collect();
    let amounts = numbers(sentence, offset, &taken);
    let said = quotes(sentence, offset, &names);
    let mut all = names;
    all.extend(amounts);
    all.extend(when);
    all.extend(said);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn caps_of(texts: &[&str]) -> Capitals {
        let mut c = Capitals::default();
        for t in texts {
            c.observe(t);
        }
        c
    }

    pub(super) fn keys(facts: &[Fact]) -> Vec<&str> {
        facts.iter().map(|f| f.text.as_str()).collect()
    }

    #[test]
    fn words_keep_inner_punctuation() {
        let w: Vec<&str> = words("U.S.-Ukrainian 1,200-square, Ukraine's (AT&T) end.", 0)
            .iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(
            w,
            [
                "U.S",
                "Ukrainian",
                "1,200-square",
                "Ukraine's",
                "AT&T",
                "end"
            ]
        );
    }
}
