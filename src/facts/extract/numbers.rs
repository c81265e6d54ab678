//! Numbers with their units and what they count: numerals, number words, scales, currencies.

use std::ops::Range;

use super::{is_year, words, Fact, FactKind};

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
    // A scale letter glued on: "$281m", "€4bn", "12mn". A bare "m" or "k" is a scale only
    // after a currency sign ("5m" alone may be metres).
    let lower = clean.to_lowercase();
    for (suffix, scale, needs_currency) in [
        ("bn", 1e9, false),
        ("bln", 1e9, false),
        ("mn", 1e6, false),
        ("mln", 1e6, false),
        ("tn", 1e12, false),
        ("m", 1e6, true),
        ("b", 1e9, true),
        ("k", 1e3, true),
    ] {
        if let Some(n) = lower.strip_suffix(suffix) {
            if needs_currency && currency.is_none() {
                return None;
            }
            return n.parse::<f64>().ok().map(|v| (v * scale, currency));
        }
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
            if tail.is_empty() && lower_head == "one" {
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
        // A range ("5-10") is one number whose upper end the conflict check reads: the
        // second numeral is not a unit.
        let tail: Vec<&str> = tail
            .into_iter()
            .skip_while(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .collect();
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

#[cfg(test)]
mod tests {
    use super::super::tests::keys;
    use super::*;

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
    fn item4_glued_scales_and_ranges() {
        let n = numbers(
            "a $281m deal, €4bn in aid, 12mn shares and a 5m drop",
            0,
            &[],
        );
        assert_eq!(keys(&n), ["$281m", "€4bn", "12mn shares"]);
        assert_eq!(n[0].key, "281000000 dollar");
        assert_eq!(n[1].key, "4000000000 euro");
        assert_eq!(n[2].key, "12000000 share");
        let n = numbers("between 5-10 people died", 0, &[]);
        assert_eq!(
            (n[0].text.as_str(), n[0].key.as_str()),
            ("5-10 people", "5 people")
        );
    }
}
