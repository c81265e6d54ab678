//! Conflicts that are real: two facts fill the same slot of the same event with values that
//! cannot both be true.
//!
//! A number, date or name left over once the shared facts are paired is a conflict only when
//! three things hold:
//! - the slot is like for like: numbers of the same unit and the same thing counted, dates
//!   that name a common field (weekday, day, month, year), names that fill the same role;
//! - the event is the same: the content words around each value (its predicate or trigger,
//!   names and values aside) share a term, so Putin's visit "on Tuesday" and his call "on
//!   Friday" are two events, not one date stated twice;
//! - the values truly differ: numbers as intervals (precision, "more than", "about",
//!   ranges), so "$281m" agrees with "$281 million" and "more than 20" with "25"; dates field
//!   by field, so "29th February 2012" agrees with "February 29, 2012".
//!
//! When one side has several candidates for a slot, any one that agrees settles it.

use std::ops::Range;

use super::diff::Conflict;
use super::extract::{words, Fact, FactKind};
use super::terms;

/// Words either side of a value that say which event it belongs to.
const CONTEXT_WORDS: usize = 4;

/// Content words too light to identify an event on their own.
const LIGHT_WORDS: &[&str] = &[
    "last", "next", "first", "time", "early", "late", "earlier", "later", "ago", "since", "about",
    "more", "less", "than", "some", "around", "nearly", "almost", "over", "least", "up", "only",
    "just", "total", "number", "now", "this", "that", "also", "still", "week", "day", "year",
    "month", "date", "after", "before", "until", "during", "while", "new",
];

/// Qualifiers before a number and the interval they make of value `v`.
const QUALIFIERS: &[(&str, Bound)] = &[
    ("more than", Bound::Above),
    ("greater than", Bound::Above),
    ("in excess of", Bound::Above),
    ("upwards of", Bound::Above),
    ("at least", Bound::Above),
    ("over", Bound::Above),
    ("above", Bound::Above),
    ("exceeding", Bound::Above),
    ("less than", Bound::Below),
    ("fewer than", Bound::Below),
    ("no more than", Bound::Below),
    ("at most", Bound::Below),
    ("up to", Bound::Below),
    ("under", Bound::Below),
    ("below", Bound::Below),
    ("nearly", Bound::Nearly),
    ("almost", Bound::Nearly),
    ("close to", Bound::Nearly),
    ("about", Bound::About),
    ("around", Bound::About),
    ("roughly", Bound::About),
    ("approximately", Bound::About),
    ("some", Bound::About),
    ("estimated", Bound::About),
    ("an estimated", Bound::About),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Above,
    Below,
    Nearly,
    About,
}

/// Where each fact of a sentence sits in it: facts carry document ranges, the sentence comes
/// alone, so find the offset at which every fact's text is where its range says.
pub(crate) fn locate(facts: &[Fact], sentence: &str) -> Vec<Option<Range<usize>>> {
    let fits = |f: &Fact, off: usize| {
        f.range.start >= off
            && sentence.get(f.range.start - off..f.range.end - off) == Some(f.text.as_str())
    };
    let offset = facts.first().and_then(|first| {
        sentence
            .match_indices(first.text.as_str())
            .filter_map(|(p, _)| first.range.start.checked_sub(p))
            .find(|off| facts.iter().all(|f| fits(f, *off)))
    });
    facts
        .iter()
        .map(|f| match offset {
            Some(off) if fits(f, off) => Some(f.range.start - off..f.range.end - off),
            _ => sentence.find(f.text.as_str()).map(|p| p..p + f.text.len()),
        })
        .collect()
}

/// The event a value belongs to: content terms within [`CONTEXT_WORDS`] words of it in its
/// clause, leaving out names, numbers and dates (participants and values, not the event).
fn context(sentence: &str, at: &Range<usize>, facts: &[Option<Range<usize>>]) -> Vec<String> {
    let breaks = [';', ':', '—', '(', ')'];
    let clause_start = sentence[..at.start]
        .char_indices()
        .rev()
        .find(|(_, c)| breaks.contains(c))
        .map_or(0, |(p, c)| p + c.len_utf8());
    let clause_end = sentence[at.end..]
        .find(breaks)
        .map_or(sentence.len(), |p| at.end + p);
    let ws = words(&sentence[clause_start..clause_end], clause_start);
    let inside = |s: usize, e: usize| facts.iter().flatten().any(|r| r.start <= s && e <= r.end);
    let before: Vec<_> = ws.iter().filter(|w| w.end <= at.start).collect();
    let after: Vec<_> = ws.iter().filter(|w| w.start >= at.end).collect();
    before
        .iter()
        .rev()
        .take(CONTEXT_WORDS)
        .chain(after.iter().take(CONTEXT_WORDS))
        .filter(|w| !inside(w.start, w.end))
        .map(|w| w.text.to_lowercase())
        .filter(|w| {
            !LIGHT_WORDS.contains(&w.as_str()) && !w.starts_with(|c: char| c.is_ascii_digit())
        })
        .filter_map(|w| terms::term(&w))
        .collect()
}

/// Where facts sit in a sentence (None: not found in it).
type Spans = Vec<Option<Range<usize>>>;

/// [`context`] without names; when that leaves nothing ("Us Weekly on Friday."), with the
/// names, which then are all that tells the event.
fn event_context(sentence: &str, at: &Range<usize>, (all, values): &(Spans, Spans)) -> Vec<String> {
    let strict = context(sentence, at, all);
    if strict.is_empty() {
        context(sentence, at, values)
    } else {
        strict
    }
}

fn same_event(a: &[String], b: &[String]) -> bool {
    a.iter().any(|t| b.contains(t))
}

/// A number as the interval of values its wording allows.
fn interval(fact: &Fact, sentence: &str, at: &Range<usize>) -> Option<(f64, f64)> {
    let value: f64 = fact.key.split(' ').next()?.parse().ok()?;
    // The precision of the written numeral: "281" million is 281 ± 0.5 million.
    let numeral: String = fact
        .text
        .trim_start_matches(['$', '€', '£'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let numeral = numeral.trim_end_matches('.');
    let (written, decimals) = match numeral.parse::<f64>() {
        Ok(n) if n != 0.0 => (n, numeral.split('.').nth(1).map_or(0, str::len)),
        _ => (value, 0),
    };
    let mut scale = if written == 0.0 { 1.0 } else { value / written };
    let mut value = value;
    // A range written out: "5-10", "5 to 10", "between $270 and $290 million" (where the
    // scale written once after the upper end applies to both).
    let upper = match fact
        .text
        .split('-')
        .nth(1)
        .and_then(|t| t.parse::<f64>().ok())
    {
        Some(u) => Some(u),
        None => range_end(sentence, at).map(|(u, upper_scale)| {
            if scale == 1.0 && upper_scale > 1.0 {
                scale = upper_scale;
                value *= upper_scale;
            }
            u
        }),
    };
    let tolerance = 0.49 * 10f64.powi(-(decimals as i32)) * scale.abs();
    let (mut lo, mut hi) = (value - tolerance, value + tolerance);
    if let Some(u) = upper {
        hi = u * scale + tolerance;
    }
    let before = sentence[..at.start].to_lowercase();
    let before = before.trim_end();
    let bound = QUALIFIERS
        .iter()
        .filter(|(q, _)| {
            before.ends_with(q)
                && before[..before.len() - q.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .max_by_key(|(q, _)| q.len())
        .map(|(_, b)| *b);
    match bound {
        Some(Bound::Above) => hi = f64::INFINITY,
        Some(Bound::Below) => lo = f64::NEG_INFINITY,
        Some(Bound::Nearly) => lo = value * 0.9,
        Some(Bound::About) => {
            lo = lo.min(value * 0.9);
            hi = hi.max(value * 1.1);
        }
        None => {}
    }
    Some((lo, hi))
}

/// The upper end of "5 to 10" or "between 5 and 10", read after the first number, with the
/// scale written after it (1 when none).
fn range_end(sentence: &str, at: &Range<usize>) -> Option<(f64, f64)> {
    let rest = sentence[at.end..].trim_start();
    let tail = rest
        .strip_prefix("to ")
        .or_else(|| {
            let before = sentence[..at.start].to_lowercase();
            before
                .trim_end()
                .ends_with("between")
                .then(|| rest.strip_prefix("and "))
                .flatten()
        })
        .or_else(|| rest.strip_prefix(['-', '–']))?;
    let head: String = tail
        .trim_start()
        .trim_start_matches(['$', '€', '£'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let upper: f64 = head.trim_end_matches('.').parse().ok()?;
    let after = tail
        .trim_start()
        .trim_start_matches(|c: char| !c.is_whitespace());
    let next = after.split_whitespace().next().unwrap_or("").to_lowercase();
    let scale = match next.trim_end_matches([',', '.']) {
        "thousand" => 1e3,
        "million" | "mln" => 1e6,
        "billion" | "bln" => 1e9,
        "trillion" => 1e12,
        _ => 1.0,
    };
    Some((upper, scale))
}

/// True for the second number of "between 5 and 10" or "5 to 10": part of the first one's
/// range, not a value of its own.
fn is_range_end(sentence: &str, at: &Range<usize>) -> bool {
    let before = sentence[..at.start].trim_end().to_lowercase();
    let Some(head) = before
        .strip_suffix(" to")
        .or_else(|| before.strip_suffix(" and"))
        .or_else(|| before.strip_suffix(['-', '–']))
    else {
        return false;
    };
    let head = head.trim_end();
    let last = head.rsplit(' ').next().unwrap_or("");
    last.trim_start_matches(['$', '€', '£'])
        .starts_with(|c: char| c.is_ascii_digit())
        && !head.contains("from ")
}

/// The fields a date key names: weekday, year, month, day.
#[derive(Debug, Default, PartialEq)]
struct DateFields {
    weekday: Option<String>,
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
}

fn date_fields(key: &str) -> DateFields {
    let mut f = DateFields::default();
    let parts: Vec<&str> = key.split(' ').collect();
    if let ["date", iso] = parts[..] {
        let mut n = iso.split('-').map(|x| x.parse::<i64>().ok());
        f.year = n.next().flatten();
        f.month = n.next().flatten();
        f.day = n.next().flatten();
        return f;
    }
    for pair in parts.chunks(2) {
        match pair {
            ["weekday", d] => f.weekday = Some((*d).to_owned()),
            ["year", y] => f.year = y.parse().ok(),
            ["month", m] => f.month = m.parse().ok(),
            ["day", d] => f.day = d.parse().ok(),
            _ => {}
        }
    }
    if f.weekday.is_none() {
        if let (Some(y), Some(m), Some(d)) = (f.year, f.month, f.day) {
            f.weekday = Some(weekday_of(y, m, d).to_owned());
        }
    }
    f
}

/// The weekday of a Gregorian date (Zeller's congruence).
fn weekday_of(year: i64, month: i64, day: i64) -> &'static str {
    let (y, m) = if month < 3 {
        (year - 1, month + 12)
    } else {
        (year, month)
    };
    let h = (day + 13 * (m + 1) / 5 + y + y / 4 - y / 100 + y / 400).rem_euclid(7);
    [
        "saturday",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
    ][h as usize]
}

/// Whether two dates share a field, and whether every shared field agrees.
fn date_relation(a: &DateFields, b: &DateFields) -> Option<bool> {
    let mut shared = false;
    let mut agree = true;
    let mut check = |x: Option<String>, y: Option<String>| {
        if let (Some(x), Some(y)) = (x, y) {
            shared = true;
            agree &= x == y;
        }
    };
    check(a.weekday.clone(), b.weekday.clone());
    check(a.year.map(|v| v.to_string()), b.year.map(|v| v.to_string()));
    check(
        a.month.map(|v| v.to_string()),
        b.month.map(|v| v.to_string()),
    );
    // A day means nothing without its month.
    if a.month.is_some() && a.month == b.month {
        check(a.day.map(|v| v.to_string()), b.day.map(|v| v.to_string()));
    }
    shared.then_some(agree)
}

/// Titles that make a role of the name they precede: a different person in the same role
/// on the other side is a conflict.
const ROLES: &[&str] = &[
    "president",
    "minister",
    "secretary",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "ceo",
    "coach",
    "manager",
    "director",
    "judge",
    "sheriff",
    "commissioner",
    "chairman",
    "chairwoman",
    "captain",
    "general",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "prince",
    "pope",
    "premier",
    "actor",
    "actress",
    "singer",
    "star",
    "head",
    "leader",
    "officer",
    "detective",
    "lawyer",
    "attorney",
    "representative",
    "publicist",
];

/// A name's role and the person: "U.S. President Donald Trump" → ("u.s. president", "trump");
/// "spokesman John Smith" → ("spokesman", "smith"). None when no role word comes first.
fn role_of(fact: &Fact, sentence: &str, at: &Range<usize>) -> Option<(String, String)> {
    let inner: Vec<&str> = fact.text.split_whitespace().collect();
    let last_role = inner
        .iter()
        .rposition(|w| ROLES.contains(&w.to_lowercase().as_str()));
    let (role, person) = match last_role {
        Some(r) if r + 1 < inner.len() => (inner[..=r].join(" "), inner[r + 1..].to_vec()),
        Some(_) => return None,
        None => {
            let before = sentence[..at.start].trim_end();
            let word = before.rsplit(' ').next()?.to_lowercase();
            if !ROLES.contains(&word.as_str()) {
                return None;
            }
            (word, inner)
        }
    };
    let surname = person.last()?.trim_end_matches("'s").to_lowercase();
    Some((role.to_lowercase(), surname))
}

/// A fact and where it sits in its sentence.
struct Located<'a> {
    fact: &'a Fact,
    at: Range<usize>,
}

fn located<'a>(facts: &'a [Fact], sentence: &str) -> Vec<Located<'a>> {
    facts
        .iter()
        .zip(locate(facts, sentence))
        .filter_map(|(fact, at)| at.map(|at| Located { fact, at }))
        .collect()
}

/// The value conflicts between two sentences: for every fact of A that B does not state
/// (`a_left`), the facts of B in the same slot of the same event, and a conflict when none
/// of them agrees. Returns the conflicts and the indices (into `a_left`, into `b_left`) of the
/// facts they consumed.
pub(crate) fn value_conflicts(
    a_left: &[Fact],
    b_left: &[Fact],
    a_all: &[Fact],
    b_all: &[Fact],
    a_text: &str,
    b_text: &str,
) -> Vec<(usize, usize, Conflict)> {
    let (la, lb) = (located(a_all, a_text), located(b_all, b_text));
    let spans = |list: &[Located], names: bool| -> Vec<Option<Range<usize>>> {
        list.iter()
            .filter(|l| names || l.fact.kind != FactKind::Entity)
            .map(|l| Some(l.at.clone()))
            .collect()
    };
    let (spans_a, spans_b) = (
        (spans(&la, true), spans(&la, false)),
        (spans(&lb, true), spans(&lb, false)),
    );
    let find = |list: &[Located], f: &Fact| list.iter().position(|l| l.fact == f);
    let mut out = Vec::new();
    let mut b_taken = vec![false; b_left.len()];
    for (i, fa) in a_left.iter().enumerate() {
        let Some(pa) = find(&la, fa) else { continue };
        let ctx_a = event_context(a_text, &la[pa].at, &spans_a);
        // Every fact of B in the same slot of the same event, agreeing or not.
        let mut agrees = false;
        let mut differs: Option<(usize, String)> = None;
        for lbf in &lb {
            let fb = lbf.fact;
            if fb.kind != fa.kind {
                continue;
            }
            let ctx_b = || event_context(b_text, &lbf.at, &spans_b);
            let verdict = match fa.kind {
                FactKind::Number => number_relation(fa, fb, a_text, b_text, &la[pa].at, &lbf.at)
                    .filter(|_| {
                        same_counted(a_text, &la[pa].at, b_text, &lbf.at)
                            || same_age(a_text, &la[pa].at, b_text, &lbf.at)
                            || same_event(&ctx_a, &ctx_b())
                    })
                    .map(|agree| {
                        (
                            agree,
                            fa.unit
                                .clone()
                                .or(fa.about.clone())
                                .unwrap_or_else(|| "number".into()),
                        )
                    }),
                FactKind::Date => date_relation(&date_fields(&fa.key), &date_fields(&fb.key))
                    .filter(|_| {
                        !is_period_bound(a_text, &la[pa].at)
                            && !is_period_bound(b_text, &lbf.at)
                            && same_event(&ctx_a, &ctx_b())
                    })
                    .map(|agree| (agree, date_slot(&fa.key, &fb.key))),
                FactKind::Entity => {
                    match (
                        role_of(fa, a_text, &la[pa].at),
                        role_of(fb, b_text, &lbf.at),
                    ) {
                        (Some((ra, pa_)), Some((rb, pb_))) if ra == rb => {
                            Some((pa_ == pb_, ra)).filter(|_| same_event(&ctx_a, &ctx_b()))
                        }
                        _ => None,
                    }
                }
                FactKind::Quote => None,
            };
            match verdict {
                Some((true, _)) => agrees = true,
                Some((false, what)) => {
                    if let Some(j) = b_left.iter().position(|x| x == fb) {
                        if differs.is_none() && !b_taken[j] {
                            differs = Some((j, what));
                        }
                    }
                }
                None => {}
            }
        }
        if agrees {
            continue;
        }
        if let Some((j, what)) = differs {
            // A name in the same role is a conflict only if B does not also name A's person.
            if fa.kind == FactKind::Entity && b_text.contains(fa.text.as_str()) {
                continue;
            }
            b_taken[j] = true;
            let fb = &b_left[j];
            let kind = match fa.kind {
                FactKind::Number => "number",
                FactKind::Date => "date",
                _ => "entity",
            };
            out.push((
                i,
                j,
                Conflict::new(
                    kind,
                    &fa.text,
                    &fb.text,
                    format!("different {what}: {} vs {}", fa.text, fb.text),
                ),
            ));
        }
    }
    out
}

/// The field two dates disagree on, for the note.
fn date_slot(a: &str, b: &str) -> String {
    let (fa, fb) = (date_fields(a), date_fields(b));
    if fa.year.is_some() && fb.year.is_some() && fa.year != fb.year {
        "year".into()
    } else if fa.month.is_some() && fb.month.is_some() && fa.month != fb.month {
        "month".into()
    } else if fa.day.is_some() && fb.day.is_some() && fa.day != fb.day {
        "day".into()
    } else {
        "weekday".into()
    }
}

/// A bare number that is an age: "aged 85", "at the age of 85", "dies at 91", "at age 85",
/// or set off after a name ("Tara Reid, 33, who").
fn is_age(sentence: &str, at: &Range<usize>) -> bool {
    let before = sentence[..at.start].trim_end().to_lowercase();
    let after = sentence[at.end..].trim_start();
    ["aged", "age of", "at age", "dies at", "died at", "dead at"]
        .iter()
        .any(|p| before.ends_with(p))
        || (sentence[..at.start].trim_end().ends_with(',')
            && sentence[..at.start]
                .trim_end()
                .trim_end_matches(',')
                .rsplit(' ')
                .next()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
            && (after.starts_with(',') || after.is_empty() || after.starts_with('.')))
}

/// The name an age is set off after: "Tara Reid, 33," → "reid".
fn aged_person(sentence: &str, at: &Range<usize>) -> Option<String> {
    let before = sentence[..at.start].trim_end().strip_suffix(',')?;
    let word = before.rsplit(' ').next()?;
    word.starts_with(char::is_uppercase)
        .then(|| word.trim_end_matches(['.', '\'']).to_lowercase())
}

/// Both numbers are ages, of the same person when both sentences name whose.
fn same_age(a_text: &str, at_a: &Range<usize>, b_text: &str, at_b: &Range<usize>) -> bool {
    if !(is_age(a_text, at_a) && is_age(b_text, at_b)) {
        return false;
    }
    match (aged_person(a_text, at_a), aged_person(b_text, at_b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Words before a date that make it the bound of a period, not the day of an event:
/// "since September", "until Friday".
const PERIOD_BOUNDS: &[&str] = &[
    "since", "until", "till", "before", "after", "by", "through", "from",
];

fn is_period_bound(sentence: &str, at: &Range<usize>) -> bool {
    let before = sentence[..at.start].trim_end().to_lowercase();
    PERIOD_BOUNDS.iter().any(|w| {
        before.ends_with(w)
            && before[..before.len() - w.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Both numbers say what they count (a content word, not "were"), and it is the same.
fn same_counted(a_text: &str, at_a: &Range<usize>, b_text: &str, at_b: &Range<usize>) -> bool {
    let counted = counted(a_text, at_a);
    counted.is_some() && counted == self::counted(b_text, at_b)
}

/// What a number counts: the first content word within three words after it ("23 into
/// custody", "5.6 on the Richter scale", "six rounds").
fn counted(sentence: &str, at: &Range<usize>) -> Option<String> {
    words(&sentence[at.end..], at.end)
        .iter()
        .take(3)
        .map(|w| w.text.to_lowercase())
        .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
        .find_map(|w| terms::term(&w))
}

/// Like for like: the same unit (or none on both sides), the same thing counted when both
/// say; then whether the two intervals meet.
fn number_relation(
    fa: &Fact,
    fb: &Fact,
    a_text: &str,
    b_text: &str,
    at_a: &Range<usize>,
    at_b: &Range<usize>,
) -> Option<bool> {
    if fa.unit != fb.unit {
        return None;
    }
    // A bare number ("49", "three") is like for like only with what it counts: an age and
    // a count of sentences share no unit.
    if fa.unit.is_none()
        && !same_counted(a_text, at_a, b_text, at_b)
        && !same_age(a_text, at_a, b_text, at_b)
    {
        return None;
    }
    if is_range_end(a_text, at_a) || is_range_end(b_text, at_b) {
        return None;
    }
    let (alo, ahi) = interval(fa, a_text, at_a)?;
    let (blo, bhi) = interval(fb, b_text, at_b)?;
    Some(alo <= bhi && blo <= ahi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::extract::{extract, Capitals};

    fn facts(s: &str) -> Vec<Fact> {
        let mut caps = Capitals::default();
        caps.observe(s);
        extract(s, 0, &caps)
    }

    fn conflicts(a: &str, b: &str) -> Vec<String> {
        let (fa, fb) = (facts(a), facts(b));
        value_conflicts(&fa, &fb, &fa, &fb, a, b)
            .into_iter()
            .map(|(_, _, c)| c.note)
            .collect()
    }

    #[test]
    fn item4_numbers_like_for_like() {
        let base = "The company paid $281 million for the stake, officials said.";
        assert!(conflicts(
            base,
            "The company paid $281m for the stake, officials said."
        )
        .is_empty());
        assert!(conflicts(base, "The company paid about $280 million for the stake.").is_empty());
        assert!(conflicts(
            base,
            "The company paid more than $250 million for the stake."
        )
        .is_empty());
        assert!(conflicts(
            base,
            "The company paid between $270 and $290 million for the stake."
        )
        .is_empty());
        assert_eq!(
            conflicts(
                base,
                "The company paid $9.3 million for the stake, officials said."
            ),
            ["different dollar: $281 million vs $9.3 million"]
        );
        assert_eq!(
            conflicts(
                base,
                "The company paid more than $300 million for the stake."
            ),
            ["different dollar: $281 million vs $300 million"]
        );
        // A number of another thing is no conflict.
        assert!(conflicts(
            "Five people were killed in the blast.",
            "Twenty people were injured in the blast."
        )
        .is_empty());
        assert!(conflicts(
            "Five people were killed in the blast.",
            "5 people were killed in the blast."
        )
        .is_empty());
        assert_eq!(
            conflicts(
                "Five people were killed in the blast.",
                "Seven people were killed in the blast."
            ),
            ["different people: Five people vs Seven people"]
        );
    }

    #[test]
    fn item4_dates_normalised_and_tied_to_their_event() {
        let a = "The leap-day wedding took place on February 29, 2012 in Paris.";
        assert!(conflicts(
            a,
            "The leap-day wedding took place on 29th February 2012 in Paris."
        )
        .is_empty());
        assert_eq!(
            conflicts(
                a,
                "The leap-day wedding took place on March 1, 2012 in Paris."
            ),
            ["different month: February 29, 2012 vs March 1, 2012"]
        );
        // A weekday that agrees with the full date is no conflict; one that does not is.
        assert!(conflicts(a, "The leap-day wedding took place on Wednesday in Paris.").is_empty());
        assert_eq!(
            conflicts(a, "The leap-day wedding took place on Friday in Paris.").len(),
            1
        );
        // The seed pair: the Tuesday visit and the Friday call are two events.
        assert!(conflicts(
            "Russian President Vladimir Putin traveled to the Kursk region on Tuesday for the first time since Ukrainian forces seized territory there last August.",
            "President Vladimir Putin called on Friday for beleaguered Ukrainian troops in the Russian region of Kursk to \"surrender\"."
        )
        .is_empty());
    }

    #[test]
    fn item4_names_in_the_same_role() {
        assert_eq!(
            conflicts(
                "Police Chief John Smith said the suspect was arrested.",
                "Police Chief Bob Jones said the suspect was arrested."
            ),
            ["different police chief: Police Chief John Smith vs Police Chief Bob Jones"]
        );
        // Presidents of two countries fill two roles.
        assert!(conflicts(
            "U.S. President Donald Trump said the talks were productive.",
            "Russian President Vladimir Putin said the talks were productive."
        )
        .is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// Any pair of texts (numbers, currency, dates, quotes, dashes, CJK, combining marks)
        /// goes through the conflict and denial rules without a panic.
        #[test]
        fn item4_any_pair_is_checked_without_panic(
            a in "([A-Z][a-z]{0,8}|[0-9,.$€%-]{1,6}|not|no|denied|than|between|and|to|aged|since|[\"“”'‘’();:—, \n]|东京|e\u{301}|29th|February|Friday| ){0,40}",
            b in "\\PC{0,200}",
        ) {
            let (fa, fb) = (facts(&a), facts(&b));
            let _ = crate::facts::compare_facts(&fa, &fb, &a, &b, true);
            let _ = crate::facts::compare_facts(&fb, &fa, &b, &a, true);
            let _ = crate::facts::denial(&a, &b);
        }
    }

    #[test]
    fn weekday_of_known_dates() {
        assert_eq!(weekday_of(2012, 2, 29), "wednesday");
        assert_eq!(weekday_of(2025, 3, 14), "friday");
    }
}
