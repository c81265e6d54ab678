//! Dates: weekdays, months with day and year, years, ISO dates and relative days.

use super::{is_year, month_number, words, Fact, FactKind, Word, WEEKDAYS};

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
            // "29", or "29th", "1st", "2nd", "3rd".
            x.and_then(|d| {
                let t = d.text.to_lowercase();
                let digits = ["st", "nd", "rd", "th"]
                    .iter()
                    .find_map(|s| t.strip_suffix(s))
                    .unwrap_or(&t);
                digits.parse::<u32>().ok()
            })
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

#[cfg(test)]
mod tests {
    use super::super::numbers;
    use super::*;

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
        // Ordinal days, before or after the month, name the same date.
        let key = |s: &str| dates(s, 0)[0].key.clone();
        assert_eq!(key("on 29th February 2012"), "year 2012 month 2 day 29");
        assert_eq!(key("on February 29, 2012"), "year 2012 month 2 day 29");
        assert_eq!(key("on Feb. 29th, 2012"), "year 2012 month 2 day 29");
        // Years are dates, not numbers.
        let taken: Vec<_> = d.iter().map(|f| f.range.clone()).collect();
        assert!(numbers(
            "On Friday, March 14, 2025, a tank was seen; Crimea was taken in 2014, last August.",
            0,
            &taken
        )
        .is_empty());
    }
}
