//! Atomic facts inside a sentence: named entities, numbers with their units, dates, and direct
//! quotes with their speakers. Gazetteer-free heuristics, each tested below.

use std::collections::HashSet;
use std::ops::Range;

use serde::Serialize;

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

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// 0-based month of a month name or its abbreviation ("May" only when capitalised).
fn month_number(word: &str) -> Option<usize> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "may" && !word.starts_with('M') {
        return None;
    }
    MONTHS.iter().position(|m| *m == w).or_else(|| {
        MONTH_ABBREVIATIONS
            .contains(&w.as_str())
            .then(|| MONTHS.iter().position(|m| m.starts_with(&w[..3])))
            .flatten()
    })
}

/// Capitalised words that start sentences without being names.
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "if",
    "when",
    "as",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "however",
    "after",
    "before",
    "during",
    "while",
    "his",
    "her",
    "their",
    "our",
    "its",
    "my",
    "for",
    "with",
    "from",
    "to",
    "by",
    "of",
    "some",
    "many",
    "most",
    "all",
    "no",
    "not",
    "one",
    "two",
    "three",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "yet",
    "so",
    "then",
    "also",
    "meanwhile",
    "since",
    "earlier",
    "later",
    "both",
    "each",
    "every",
    "such",
    "other",
    "another",
    "last",
    "next",
    "according",
    "despite",
    "although",
    "because",
    "under",
    "over",
    "about",
    "than",
];

/// Joiners allowed inside a multi-word name ("Group of Seven", "Bank of the West").
const NAME_JOINERS: &[&str] = &[
    "of", "the", "de", "du", "da", "del", "la", "le", "al", "bin", "van", "von", "der",
];

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

/// Named entities: runs of capitalised words, minus sentence-initial words that are not names.
pub fn entities(sentence: &str, offset: usize, caps: &Capitals) -> Vec<Fact> {
    let letters = sentence.chars().filter(|c| c.is_alphabetic()).count();
    let upper = sentence.chars().filter(|c| c.is_uppercase()).count();
    if letters > 0 && upper * 10 > letters * 6 {
        return Vec::new(); // An all-caps headline: capitals say nothing.
    }
    let ws = words(sentence, 0);
    let capital = |w: &Word| w.text.chars().next().is_some_and(char::is_uppercase);
    let is_date_word = |w: &Word| {
        let l = bare(w.text);
        WEEKDAYS.contains(&l.as_str()) || (month_number(w.text).is_some() && w.text.len() > 2)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !capital(&ws[i]) || is_date_word(&ws[i]) {
            i += 1;
            continue;
        }
        // Extend over capitalised words, and over joiners followed by one ("Group of Seven").
        let extends = |j: usize| {
            let word = j < ws.len() && capital(&ws[j]) && !is_date_word(&ws[j]);
            let joiner = j + 1 < ws.len()
                && NAME_JOINERS.contains(&ws[j].text)
                && (capital(&ws[j + 1])
                    || (NAME_JOINERS.contains(&ws[j + 1].text)
                        && ws.get(j + 2).is_some_and(capital)));
            word || joiner
        };
        let mut j = i + 1;
        while extends(j) {
            j += 1;
        }
        let mut first = i;
        if i == 0 && SENTENCE_STARTERS.contains(&bare(ws[0].text).as_str()) {
            first = 1;
        }
        // A lone capitalised word at the start of a sentence is a name only if the documents
        // capitalise it elsewhere too and never write it in lowercase.
        let lone_initial = first == 0 && j == 1;
        let keep = first < j
            && (!lone_initial || caps.is_name(ws[0].text))
            && !(j - first == 1 && SENTENCE_STARTERS.contains(&bare(ws[first].text).as_str()));
        if keep {
            let (s, e) = (ws[first].start, ws[j - 1].end);
            let text = &sentence[s..e];
            let key = text
                .split(|c: char| c.is_whitespace() || c == '-')
                .map(|w| bare(w.trim_end_matches('.')).replace('.', ""))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Fact {
                kind: FactKind::Entity,
                text: text.to_owned(),
                range: offset + s..offset + e,
                key,
                unit: None,
                about: None,
            });
        }
        i = j;
    }
    out
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
];
const VAGUE_QUANTITIES: &[&str] = &[
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "billions",
    "scores",
];
const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("mln", 1e6),
    ("billion", 1e9),
    ("bln", 1e9),
    ("trillion", 1e12),
];
/// Unit words and their canonical names.
const UNITS: &[(&str, &str)] = &[
    ("euros", "euro"),
    ("euro", "euro"),
    ("dollars", "dollar"),
    ("dollar", "dollar"),
    ("dlrs", "dollar"),
    ("pounds", "pound"),
    ("yen", "yen"),
    ("yuan", "yuan"),
    ("rubles", "ruble"),
    ("roubles", "ruble"),
    ("percent", "percent"),
    ("pct", "percent"),
    ("per", "percent"),
    ("people", "people"),
    ("troops", "troops"),
    ("soldiers", "soldiers"),
    ("km", "kilometer"),
    ("kilometers", "kilometer"),
    ("kilometres", "kilometer"),
    ("miles", "mile"),
    ("tonnes", "tonne"),
    ("tons", "tonne"),
    ("barrels", "barrel"),
    ("bags", "bag"),
    ("kilos", "kilo"),
    ("shares", "share"),
    ("years", "year"),
    ("year", "year"),
    ("days", "day"),
    ("day", "day"),
    ("weeks", "week"),
    ("week", "week"),
    ("months", "month"),
    ("month", "month"),
    ("hours", "hour"),
    ("hour", "hour"),
    ("minutes", "minute"),
    ("countries", "country"),
    ("country", "country"),
    ("square", "square"),
    ("kilometer", "kilometer"),
    ("kilometre", "kilometer"),
    ("mile", "mile"),
    ("points", "point"),
    ("votes", "vote"),
    ("seats", "seat"),
];
const COUNT_SKIP: &[&str] = &[
    "of", "in", "a", "an", "the", "to", "for", "new", "more", "than", "some", "about",
];

fn unit_of(word: &str) -> Option<&'static str> {
    let l = word.to_lowercase();
    UNITS.iter().find(|(w, _)| *w == l).map(|(_, u)| *u)
}

/// Parses "1,200", "43.5", "$43.5" into a value and a currency, if it is a number.
fn parse_numeral(word: &str) -> Option<(f64, Option<&'static str>)> {
    let (currency, digits) = match word.chars().next()? {
        '$' => (Some("dollar"), &word[1..]),
        '€' => (Some("euro"), &word['€'.len_utf8()..]),
        '£' => (Some("pound"), &word['£'.len_utf8()..]),
        _ => (None, word),
    };
    let clean: String = digits.chars().filter(|c| *c != ',').collect();
    if clean.is_empty() || !clean.chars().next()?.is_ascii_digit() {
        return None;
    }
    clean.parse::<f64>().ok().map(|v| (v, currency))
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn is_year(word: &str) -> bool {
    word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()) && matches!(&word[..2], "19" | "20")
}

/// Numbers with their unit and what they count, skipping byte ranges already taken by dates.
pub fn numbers(sentence: &str, offset: usize, taken: &[Range<usize>]) -> Vec<Fact> {
    // Currency signs are not alphanumeric, so find them just before a word.
    let ws = words(sentence, 0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        if taken
            .iter()
            .any(|t| t.start <= offset + w.start && offset + w.end <= t.end)
        {
            i += 1;
            continue;
        }
        let sign = sentence[..w.start]
            .chars()
            .next_back()
            .filter(|c| matches!(c, '$' | '€' | '£'));
        let mut parts = w.text.split('-');
        let head = parts.next().unwrap_or("");
        let tail: Vec<&str> = parts.collect();
        let lower_head = head.to_lowercase();
        let (mut value, mut unit) = if let Some((v, cur)) = parse_numeral(&format!(
            "{}{head}",
            sign.map(String::from).unwrap_or_default()
        )) {
            if is_year(head) && tail.is_empty() && sign.is_none() {
                i += 1;
                continue;
            }
            (Some(v), cur.map(str::to_owned))
        } else if let Some((_, v)) = NUMBER_WORDS.iter().find(|(n, _)| *n == lower_head) {
            if tail.is_empty() && (lower_head == "one" || lower_head == "ten") {
                i += 1; // "one of them" is rarely a fact worth comparing.
                continue;
            }
            (Some(*v), None)
        } else if VAGUE_QUANTITIES.contains(&lower_head.as_str()) && tail.is_empty() {
            (None, None)
        } else {
            i += 1;
            continue;
        };
        let start = w.start - sign.map_or(0, char::len_utf8);
        let mut end = w.end;
        let mut j = i + 1;
        // A hyphenated unit chain: 1,200-square-kilometer, 30-day, three-year-old.
        if !tail.is_empty() {
            let chain: Vec<String> = tail
                .iter()
                .map(|t| t.to_lowercase())
                .filter(|t| t != "old")
                .collect();
            unit = Some(
                chain
                    .iter()
                    .map(|t| unit_of(t).unwrap_or(t))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        } else {
            if let Some((_, scale)) = ws
                .get(j)
                .and_then(|n| SCALES.iter().find(|(s, _)| n.text.eq_ignore_ascii_case(s)))
            {
                value = value.map(|v| v * scale);
                end = ws[j].end;
                j += 1;
            }
            if sentence[w.end..].starts_with('%') {
                unit = Some("percent".into());
                end = w.end + 1;
            } else if let Some(u) = ws.get(j).and_then(|n| unit_of(n.text)) {
                if unit.is_none() {
                    unit = Some(u.to_owned());
                }
                end = ws[j].end;
                j += 1;
            }
        }
        // Skip a parenthetical equivalent: "40 billion euros ($43.5 billion)".
        let mut k = j;
        if sentence[end..].trim_start().starts_with('(') {
            if let Some(close) = sentence[end..].find(')') {
                let close = end + close;
                while k < ws.len() && ws[k].end <= close {
                    k += 1;
                }
            }
        }
        while k < ws.len() && COUNT_SKIP.contains(&ws[k].text.to_lowercase().as_str()) {
            k += 1;
        }
        let about = ws
            .get(k)
            .filter(|n| n.text.chars().all(char::is_alphabetic))
            .map(|n| n.text.to_lowercase());
        let text = &sentence[start..end];
        let key = match value {
            Some(v) => format!(
                "{}{}",
                format_value(v),
                unit.as_ref().map(|u| format!(" {u}")).unwrap_or_default()
            ),
            None => lower_head.clone(),
        };
        out.push(Fact {
            kind: FactKind::Number,
            text: text.to_owned(),
            range: offset + start..offset + end,
            key,
            unit,
            about,
        });
        i = j.max(i + 1);
    }
    out
}

/// Dates: weekdays, month names with optional day and year, years, ISO dates, and
/// yesterday/today/tomorrow.
pub fn dates(sentence: &str, offset: usize) -> Vec<Fact> {
    let ws = words(sentence, 0);
    let mut out = Vec::new();
    let mut i = 0;
    let push = |out: &mut Vec<Fact>, s: usize, e: usize, key: String| {
        out.push(Fact {
            kind: FactKind::Date,
            text: sentence[s..e].to_owned(),
            range: offset + s..offset + e,
            key,
            unit: None,
            about: None,
        });
    };
    while i < ws.len() {
        let w = ws[i];
        let lower = w.text.to_lowercase();
        let day_of = |x: Option<&Word>| {
            x.and_then(|d| d.text.parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d))
        };
        if WEEKDAYS.contains(&lower.as_str()) || WEEKDAYS.iter().any(|d| lower == format!("{d}s")) {
            push(
                &mut out,
                w.start,
                w.end,
                format!("weekday {}", lower.trim_end_matches('s')),
            );
        } else if let Some(m) =
            month_number(w.text).filter(|_| w.text.chars().next().is_some_and(char::is_uppercase))
        {
            let mut end = w.end;
            let mut key = format!("month {}", m + 1);
            let mut j = i + 1;
            if let Some(d) = day_of(ws.get(j)) {
                key = format!("{key} day {d}");
                end = ws[j].end;
                j += 1;
            }
            let mut start = w.start;
            if i > 0 && key.len() < 9 {
                if let Some(d) = day_of(ws.get(i - 1)) {
                    key = format!("{key} day {d}");
                    start = ws[i - 1].start;
                }
            }
            if ws.get(j).is_some_and(|y| is_year(y.text)) {
                key = format!("year {} {key}", ws[j].text);
                end = ws[j].end;
                j += 1;
            }
            push(&mut out, start, end, key);
            i = j;
            continue;
        } else if is_year(w.text) {
            push(&mut out, w.start, w.end, format!("year {}", w.text));
        } else if matches!(
            lower.as_str(),
            "yesterday" | "today" | "tomorrow" | "tonight"
        ) {
            push(&mut out, w.start, w.end, lower.clone());
        } else if w.text.len() == 10 && w.text.as_bytes()[4] == b'-' && is_year(&w.text[..4]) {
            push(&mut out, w.start, w.end, format!("date {}", w.text));
        }
        i += 1;
    }
    out
}

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "stated",
    "states",
    "posted",
    "added",
    "warned",
    "declared",
    "insisted",
    "wrote",
    "tweeted",
    "asked",
    "urged",
    "noted",
    "explained",
    "argued",
    "claimed",
    "announced",
    "replied",
    "according",
];

/// Direct quotations, with the speaker when the sentence names one next to a speech verb.
pub fn quotes(sentence: &str, offset: usize, names: &[Fact]) -> Vec<Fact> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut open: Option<(usize, char)> = None;
    for (n, &(i, c)) in chars.iter().enumerate() {
        let prev_alnum = n > 0 && chars[n - 1].1.is_alphanumeric();
        let next_alnum = chars.get(n + 1).is_some_and(|x| x.1.is_alphanumeric());
        match (open, c) {
            (None, '“') | (None, '"') => open = Some((i + c.len_utf8(), c)),
            (None, '‘') | (None, '\'') if !prev_alnum => open = Some((i + c.len_utf8(), c)),
            (Some((s, '“')), '”') | (Some((s, '"')), '"') | (Some((s, '‘')), '’') => {
                spans.push(s..i);
                open = None;
            }
            (Some((s, '\'')), '\'') if !next_alnum => {
                spans.push(s..i);
                open = None;
            }
            _ => {}
        }
    }
    let ws = words(sentence, 0);
    let speaker = ws
        .iter()
        .position(|w| SPEECH_VERBS.contains(&w.text.to_lowercase().as_str()))
        .and_then(|v| {
            let verb = ws[v];
            // The name closest to the verb, before it or right after it.
            names
                .iter()
                .filter(|f| {
                    let (s, e) = (f.range.start - offset, f.range.end - offset);
                    (e <= verb.start && sentence[e..verb.start].split_whitespace().count() <= 3)
                        || (s >= verb.end && sentence[verb.end..s].split_whitespace().count() <= 2)
                })
                .min_by_key(|f| (f.range.start as i64 - (offset + verb.start) as i64).abs())
                .map(|f| f.text.clone())
        });
    spans
        .into_iter()
        .filter(|r| !words(&sentence[r.clone()], 0).is_empty())
        .map(|r| {
            let text = sentence[r.clone()].trim_end_matches([',', ' ']).to_owned();
            let key = words(&text, 0)
                .iter()
                .map(|w| w.text.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            Fact {
                kind: FactKind::Quote,
                text,
                range: offset + r.start..offset + r.end,
                key,
                unit: None,
                about: speaker.clone(),
            }
        })
        .collect()
}

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

    fn caps_of(texts: &[&str]) -> Capitals {
        let mut c = Capitals::default();
        for t in texts {
            c.observe(t);
        }
        c
    }

    fn keys(facts: &[Fact]) -> Vec<&str> {
        facts.iter().map(|f| f.text.as_str()).collect()
    }

    #[test]
    fn entities_are_capitalised_runs_not_sentence_starts() {
        let caps = caps_of(&[
            "Russian President Vladimir Putin met Witkoff.",
            "Defeat in Kursk would hurt.",
            "a defeat",
        ]);
        let e = entities(
            "Russian President Vladimir Putin traveled to the Kursk region on Tuesday.",
            0,
            &caps,
        );
        assert_eq!(keys(&e), ["Russian President Vladimir Putin", "Kursk"]);
        assert_eq!(e[0].key, "russian president vladimir putin");
        // "Defeat" starts the sentence and is written in lowercase elsewhere: not a name.
        assert_eq!(
            keys(&entities("Defeat in Kursk would be a blow.", 0, &caps)),
            ["Kursk"]
        );
        // "Witkoff" starts a sentence but is capitalised mid-sentence elsewhere: a name.
        assert_eq!(
            keys(&entities("Witkoff flew to Moscow.", 0, &caps)),
            ["Witkoff", "Moscow"]
        );
        // "The" is dropped from a name at the start; joiners stay inside names.
        assert_eq!(
            keys(&entities(
                "The Group of Seven met U.S. Secretary of State Marco Rubio in Canada.",
                0,
                &caps
            )),
            [
                "Group of Seven",
                "U.S. Secretary of State Marco Rubio",
                "Canada"
            ]
        );
        assert_eq!(
            entities("Ukraine's General Staff denied it.", 0, &caps)[0].key,
            "ukraine general staff"
        );
    }

    #[test]
    fn all_caps_headlines_and_dates_are_not_entities() {
        let caps = Capitals::default();
        assert!(entities("BAHIA COCOA REVIEW", 0, &caps).is_empty());
        assert_eq!(
            keys(&entities(
                "He left on Friday, March 14 for Paris.",
                0,
                &caps
            )),
            ["Paris"]
        );
    }

    #[test]
    fn numbers_carry_units_and_what_they_count() {
        let n = numbers(
            "securing a 1,200-square-kilometer foothold in Russian territory",
            0,
            &[],
        );
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].text, "1,200-square-kilometer");
        assert_eq!(n[0].key, "1200 square kilometer");
        assert_eq!(n[0].about.as_deref(), Some("foothold"));

        let n = numbers("a proposal for a 30-day pause in hostilities", 0, &[]);
        assert_eq!(
            (n[0].key.as_str(), n[0].about.as_deref()),
            ("30 day", Some("pause"))
        );

        let n = numbers(
            "supply up to 40 billion euros ($43.5 billion) in new military aid",
            0,
            &[],
        );
        assert_eq!(keys(&n), ["40 billion euros", "$43.5 billion"]);
        assert_eq!(n[0].key, "40000000000 euro");
        assert_eq!(n[0].about.as_deref(), Some("military"));
        assert_eq!(n[1].key, "43500000000 dollar");

        let n = numbers(
            "the three-year-old war and thousands of troops, up 5% or 2 pct",
            0,
            &[],
        );
        assert_eq!(keys(&n), ["three-year-old", "thousands", "5%", "2 pct"]);
        assert_eq!(n[0].key, "3 year");
        assert_eq!(n[2].key, "5 percent");
    }

    #[test]
    fn dates_weekdays_and_years() {
        let d = dates(
            "On Friday, March 14, 2025, a tank was seen; Crimea was taken in 2014, last August.",
            0,
        );
        let got: Vec<(&str, &str)> = d
            .iter()
            .map(|f| (f.text.as_str(), f.key.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Friday", "weekday friday"),
                ("March 14, 2025", "year 2025 month 3 day 14"),
                ("2014", "year 2014"),
                ("August", "month 8")
            ]
        );
        // Years are dates, not numbers.
        let taken: Vec<_> = d.iter().map(|f| f.range.clone()).collect();
        assert!(numbers(
            "On Friday, March 14, 2025, a tank was seen; Crimea was taken in 2014, last August.",
            0,
            &taken
        )
        .is_empty());
    }

    #[test]
    fn quotes_with_their_speakers() {
        let s = "\"We are sympathetic to President Trump's call,\" Putin said in remarks.";
        let caps = caps_of(&[s, "met Putin"]);
        let names = entities(s, 0, &caps);
        let q = quotes(s, 0, &names);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].text, "We are sympathetic to President Trump's call");
        assert_eq!(q[0].about.as_deref(), Some("Putin"));

        let s = "Zelensky posted: “He is doing everything to sabotage diplomacy.” Putin called for troops to 'surrender'.";
        let caps = caps_of(&[s, "and Zelensky"]);
        let q = quotes(s, 0, &entities(s, 0, &caps));
        assert_eq!(
            keys(&q),
            ["He is doing everything to sabotage diplomacy.", "surrender"]
        );
        assert_eq!(q[0].about.as_deref(), Some("Zelensky"));
        // Apostrophes are not quotes.
        assert!(quotes("Ukraine's troops and Russia's army", 0, &[]).is_empty());
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
