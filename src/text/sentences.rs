//! A news-aware sentence splitter: the "fact units" of `compare`.
//!
//! News text defeats the naive "split after a period" rule in predictable ways, each handled
//! here and tested below:
//! * abbreviations and initials (`Mr.`, `U.S.`, `p.m.`, `Jan.`, `Donald J. Trump`) do not end
//!   a sentence, and neither does a period inside a number (`43.5`);
//! * a quotation that spans several sentences stays one unit with its attribution
//!   (`"We are ready. We will act," he said.`);
//! * headlines, captions and subheads carry no final punctuation: a blank line always ends a
//!   unit, and so does a single line break after a short line (a hard-wrapped paragraph has
//!   long lines, a headline a short one);
//! * `a.m.` and `p.m.` end a sentence only when a new one follows (`4 p.m. One man was shot`),
//!   not when the time goes on (`9:40 p.m. Friday`, `5 p.m. Moscow time`);
//! * a number broken after its decimal point by a space or a line break (`$9.\n3m`, `+0. 26%`,
//!   common in scraped and re-tokenized news) stays in one sentence;
//! * scripts that write no space after a full stop (Chinese, Japanese: `。！？｡`) and other
//!   scripts' own terminators (Devanagari `।`, Arabic `؟` and `۔`, Armenian `։`, Ethiopic `።`)
//!   end a sentence wherever they stand.
//!
//! Every unit is a byte range into the original text, trimmed of surrounding whitespace.

use std::ops::Range;

/// Words that end with a period without ending the sentence (compared case-insensitively,
/// without the final period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "maj",
    "adm", "cmdr", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "atty", "insp", "messrs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "corp", "co", "ltd",
    "llc", "plc", "bros", "dept", "univ", "assn", "no", "nos", "vs", "v", "etc", "approx", "est",
    "fig", "vol", "ed", "eds", "ave", "blvd", "rd", "mt", "ft", "ph", "mssrs", "e.g", "i.e", "a.m",
    "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a", "ala", "ariz", "ark", "calif", "colo",
    "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la", "md", "mass", "mich", "minn",
    "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash",
    "wis", "wyo", "dlrs", "pct", "mln", "bln", "const", "det", "cpl", "pte", "pvt", "brig", "cdr",
    "fr", "msgr", "ald", "insp", "supt",
];

/// Words that carry a time of day on (`9:40 p.m. Friday`, `5 p.m. GMT`), with the names of
/// days and months: after `a.m.` or `p.m.` they continue the sentence; any other capitalized
/// word starts a new one.
const TIME_CONTINUATIONS: &[&str] = &["today", "tonight", "tomorrow", "yesterday"];

/// Words of scale or unit that follow a number: `$9. 3 million` is one number.
const SCALE_WORDS: &[&str] = &[
    "million", "billion", "trillion", "thousand", "percent", "per", "pct", "bn", "mn", "m", "k",
];

/// Terminators that end a sentence wherever they stand: scripts written without a space after
/// the full stop (CJK, with its halfwidth form), and scripts with their own marks (Devanagari
/// danda and double danda, Arabic question mark and Urdu full stop, Armenian full stop,
/// Ethiopic full stop and question mark).
fn is_script_terminator(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '｡' | '।' | '॥' | '؟' | '۔' | '։' | '።' | '፧'
    )
}

/// Closing quotes and brackets of CJK text, swallowed into the terminator run before them.
fn is_cjk_closer(c: char) -> bool {
    matches!(c, '」' | '』' | '）' | '】' | '》' | '〉' | '〕')
}

/// Titles that stand before a name: a line that ends in one (`police spokesman Const.`)
/// goes on with the name on the next line, however short it is.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "cmdr",
    "gov", "sen", "rep", "rev", "hon", "pres", "supt", "atty", "insp", "const", "det", "cpl",
    "pte", "pvt", "brig", "cdr", "fr", "msgr",
];

/// A line shorter than this (in characters) that ends in a single line break is a unit of
/// its own: a headline, a caption, a subhead, a dateline.
const SHORT_LINE: usize = 50;

/// Splits `text` into sentence units, as trimmed byte ranges.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut units = Vec::new();
    let mut start = 0;
    let mut quote_open = false;
    let mut line_start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '"' => quote_open = !quote_open,
            '“' => quote_open = true,
            '”' => quote_open = false,
            '\n' => {
                let line = &text[line_start..i];
                let this_line = line_start;
                line_start = i + 1;
                let blank_follows = text[i + 1..]
                    .split('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty());
                // A number broken by the line break (`$9.\n3m`) continues on the next line.
                let number_goes_on = line
                    .trim_end()
                    .strip_suffix('.')
                    .is_some_and(|head| broken_number(text, this_line + head.len()));
                let title_goes_on = line
                    .trim_end()
                    .strip_suffix('.')
                    .and_then(|head| head.rsplit(|c: char| !c.is_alphabetic()).next())
                    .is_some_and(|w| TITLES.contains(&w.to_lowercase().as_str()));
                let short =
                    line.trim().chars().count() < SHORT_LINE && !number_goes_on && !title_goes_on;
                if blank_follows || short {
                    // A paragraph (or a headline) ends every open quote with it.
                    quote_open = false;
                    push(&mut units, text, start..i);
                    start = i + 1;
                }
            }
            c if is_script_terminator(c) => {
                let mut end = i + c.len_utf8();
                let mut closed = false;
                while let Some(&(j, d)) = iter.peek() {
                    if is_script_terminator(d) || matches!(d, '.' | '!' | '?') {
                        closed = false;
                    } else if is_cjk_closer(d) || matches!(d, '”' | '’' | '"') {
                        closed = true;
                    } else {
                        break;
                    }
                    end = j + d.len_utf8();
                    iter.next();
                }
                // A closed quote followed by more text is followed by its attribution
                // (`「好。」他说。`): the sentence goes on.
                let attribution_follows = closed
                    && text[end..]
                        .chars()
                        .next()
                        .is_some_and(|n| !n.is_whitespace() && !matches!(n, '「' | '『' | '“'));
                if quote_open || attribution_follows {
                    continue;
                }
                push(&mut units, text, start..end);
                start = end;
            }
            '.' | '!' | '?' => {
                // Swallow a run of terminal punctuation and closing quotes/brackets.
                let mut end = i + c.len_utf8();
                let mut closes_quote = false;
                while let Some(&(j, d)) = iter.peek() {
                    match d {
                        '.' | '!' | '?' | ')' | ']' | '\'' | '’' => {}
                        '"' | '”' => closes_quote = true,
                        _ => break,
                    }
                    end = j + d.len_utf8();
                    iter.next();
                }
                if closes_quote {
                    quote_open = false;
                }
                if quote_open || !is_sentence_end(text, i, c, end) {
                    continue;
                }
                // A quote followed by its attribution (`"...," he said`) is handled by
                // is_sentence_end: the next word is lowercase.
                push(&mut units, text, start..end);
                start = end;
            }
            _ => {}
        }
    }
    push(&mut units, text, start..text.len());
    units
}

/// Whether the punctuation `c` at byte `i` (its run ending at `end`) ends a sentence.
fn is_sentence_end(text: &str, i: usize, c: char, end: usize) -> bool {
    let rest = &text[end..];
    // The next non-space character must start a new sentence: an uppercase letter, a digit,
    // or an opening quote or bracket. End of text counts.
    let after_space = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{a0}']);
    if after_space.len() == rest.len() && !rest.is_empty() {
        return false; // No space after it: "43.5", "U.S.-Ukrainian", "a.m.".
    }
    let Some(next) = after_space.chars().next() else {
        return true;
    };
    // A letter of a script without case (Arabic, Devanagari, CJK) may start a sentence too.
    let caseless = next.is_alphabetic() && !next.is_lowercase() && !next.is_uppercase();
    if !(next.is_uppercase()
        || caseless
        || next.is_ascii_digit()
        || matches!(next, '"' | '“' | '\'' | '‘' | '(' | '['))
    {
        return false;
    }
    if c != '.' {
        return true;
    }
    if end == i + 1 && broken_number(text, i) {
        return false;
    }
    // The word the period belongs to.
    let before = &text[..i];
    let word_start = before
        .rfind(|ch: char| ch.is_whitespace() || matches!(ch, '(' | '"' | '“' | '\''))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    // A single capital letter is an initial ("Donald J. Trump").
    let mut chars = word.chars();
    if let (Some(only), None) = (chars.next(), chars.next()) {
        if only.is_uppercase() {
            return false;
        }
    }
    let lower = word.to_lowercase();
    if matches!(lower.as_str(), "a.m" | "p.m") {
        return !time_goes_on(after_space);
    }
    !ABBREVIATIONS.contains(&lower.as_str())
}

/// Whether the text after `a.m.`/`p.m.` continues the time (`Friday`, `GMT`, `Moscow time`)
/// rather than starting a new sentence.
fn time_goes_on(after: &str) -> bool {
    let mut words = after
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let Some(first) = words.next() else {
        return false;
    };
    let lower = first.to_lowercase();
    // A time zone is a short all-capital word: ET, GMT, PDT, UTC.
    let zone = (2..=4).contains(&first.len()) && first.chars().all(|c| c.is_ascii_uppercase());
    zone || TIME_CONTINUATIONS.contains(&lower.as_str())
        || super::calendar::is_calendar_word(&lower)
        || words.next().is_some_and(|w| w.eq_ignore_ascii_case("time"))
}

/// Whether the period at byte `dot` sits inside a number broken after its decimal point by
/// whitespace (`$9. 3m`, `+0. 26%`, `$9.\n3m`): digits before it, digits after the space,
/// and either a currency symbol or sign before the number or a unit, percent or scale word
/// after it. "The vote was 52 to 48. 12 members abstained." stays two sentences.
fn broken_number(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let digits_before = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_before == 0 {
        return false;
    }
    let after = &text[dot + 1..];
    let after = after.trim_start_matches([' ', '\t', '\r', '\n', '\u{a0}']);
    if after.len() == text.len() - dot - 1 {
        return false; // No break at all: an ordinary decimal, never a sentence end anyway.
    }
    let digits_after = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits_after == 0 {
        return false;
    }
    let signed = before[..before.len() - digits_before]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥' | '+' | '-' | '−'));
    if signed {
        return true;
    }
    let rest = &after[digits_after..];
    if rest.starts_with(|c: char| c == '%' || c.is_ascii_lowercase()) {
        return true;
    }
    let next_word = rest
        .trim_start_matches(' ')
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    rest.starts_with(' ') && SCALE_WORDS.contains(&next_word.to_lowercase().as_str())
}

fn push(units: &mut Vec<Range<usize>>, text: &str, range: Range<usize>) {
    let slice = &text[range.clone()];
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = range.start + (slice.len() - slice.trim_start().len());
    units.push(start..start + trimmed.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_end_sentences() {
        assert_eq!(
            split("Mr. Smith met U.S. officials at 3 p.m. on Jan. 5. Prices rose 3.5 percent. Donald J. Trump spoke."),
            [
                "Mr. Smith met U.S. officials at 3 p.m. on Jan. 5.",
                "Prices rose 3.5 percent.",
                "Donald J. Trump spoke."
            ]
        );
    }

    #[test]
    fn quotes_spanning_sentences_stay_whole() {
        assert_eq!(
            split("\"We are ready. We will act,\" Putin said. Trump agreed. “It is over. Done.” He left."),
            ["\"We are ready. We will act,\" Putin said.", "Trump agreed.", "“It is over. Done.”", "He left."]
        );
    }

    #[test]
    fn headlines_and_subheads_are_their_own_units() {
        let text = "Putin tells troops to surrender\n\nIn this photo taken on Friday, a tank is seen.\n\n'Horrible massacre'\n\n\"I have asked,\" Trump said.";
        assert_eq!(
            split(text),
            [
                "Putin tells troops to surrender",
                "In this photo taken on Friday, a tank is seen.",
                "'Horrible massacre'",
                "\"I have asked,\" Trump said."
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_not_split_at_line_breaks() {
        let text = "BAHIA COCOA REVIEW\nShowers continued throughout the week in the Bahia cocoa zone,\nalleviating the drought since early January, Comissaria Smith said.\nThe dry period means the temporao will be late this year.";
        assert_eq!(
            split(text),
            [
                "BAHIA COCOA REVIEW",
                "Showers continued throughout the week in the Bahia cocoa zone,\nalleviating the drought since early January, Comissaria Smith said.",
                "The dry period means the temporao will be late this year."
            ]
        );
    }

    #[test]
    fn lowercase_continuations_and_question_marks() {
        assert_eq!(
            split("Is it over? Nobody knows. He said no. and then left!"),
            ["Is it over?", "Nobody knows.", "He said no. and then left!"]
        );
    }

    #[test]
    fn item1_constable_and_other_titles_do_not_end_sentences() {
        assert_eq!(
            split("At a weekend news conference, city police spokesman Const.\nTim Fanning said the man left. Police Const. Tim Fanning spoke. Det. Sgt. Ray Lee agreed."),
            [
                "At a weekend news conference, city police spokesman Const.\nTim Fanning said the man left.",
                "Police Const. Tim Fanning spoke.",
                "Det. Sgt. Ray Lee agreed."
            ]
        );
    }

    #[test]
    fn item1_a_short_line_ending_in_a_title_goes_on_with_the_name() {
        assert_eq!(
            split("Vancouver police Const.\nTim Fanning told a news conference.\nShots fired\nPolice arrived."),
            [
                "Vancouver police Const.\nTim Fanning told a news conference.",
                "Shots fired",
                "Police arrived."
            ]
        );
    }

    #[test]
    fn item1_pm_ends_a_sentence_only_when_a_new_one_follows() {
        assert_eq!(
            split("The gunman entered the office Christmas party in Vancouver around 4 p.m.\nOne man was shot and killed. It started about 9:40 p.m. Friday (1:40 a.m. ET Saturday). Voting closed at 6 p.m. local time. He came at 5 p.m. Moscow time. They left at 11 a.m. The bus was late."),
            [
                "The gunman entered the office Christmas party in Vancouver around 4 p.m.",
                "One man was shot and killed.",
                "It started about 9:40 p.m. Friday (1:40 a.m. ET Saturday).",
                "Voting closed at 6 p.m. local time.",
                "He came at 5 p.m. Moscow time.",
                "They left at 11 a.m.",
                "The bus was late."
            ]
        );
    }

    #[test]
    fn item1_numbers_broken_after_their_decimal_point_stay_whole() {
        assert_eq!(
            split("Got $9.\n3m in funding. AMD +0. 26% vowing to change the game, it said. SeaMicro got $9.\n3m in funding. The price stands at $9. 21, implying a premium. Costs rose 4. 5 percent. The vote was 52 to 48. 12 members abstained."),
            [
                "Got $9.\n3m in funding.",
                "AMD +0. 26% vowing to change the game, it said.",
                "SeaMicro got $9.\n3m in funding.",
                "The price stands at $9. 21, implying a premium.",
                "Costs rose 4. 5 percent.",
                "The vote was 52 to 48.",
                "12 members abstained."
            ]
        );
    }

    #[test]
    fn item1_cjk_sentence_punctuation_splits_without_spaces() {
        assert_eq!(
            split("东京今天下雨。大阪晴天！你去吗？「好。」他说｡終わり"),
            [
                "东京今天下雨。",
                "大阪晴天！",
                "你去吗？",
                "「好。」他说｡",
                "終わり"
            ]
        );
        // A closed quote ends the sentence when another quote or a space follows.
        assert_eq!(
            split("「好。」「走！」 再见。"),
            ["「好。」", "「走！」", "再见。"]
        );
        assert_eq!(split("本当？はい！"), ["本当？", "はい！"]);
    }

    #[test]
    fn item1_other_scripts_terminators_split() {
        assert_eq!(
            split("यह एक वाक्य है। यह दूसरा है। هل أنت هنا؟ نعم. Բարեւ։ Ինչպե՞ս ես։ ሰላም ነው። ደህና።"),
            [
                "यह एक वाक्य है।",
                "यह दूसरा है।",
                "هل أنت هنا؟",
                "نعم.",
                "Բարեւ։",
                "Ինչպե՞ս ես։",
                "ሰላም ነው።",
                "ደህና።"
            ]
        );
    }

    proptest::proptest! {
        /// Any mix of terminators, digits, quotes and scripts splits into trimmed, ordered,
        /// non-empty ranges on character boundaries.
        #[test]
        fn item1_any_text_splits_into_ordered_ranges(
            text in "([0-9]{1,3}|[.!?。！？｡।؟։።」』\"“” \n$+]|p\\.m\\.|Const\\.|[A-Z][a-z]{0,5}|东京|\\PC){0,80}"
        ) {
            let mut last = 0;
            for r in sentences(&text) {
                proptest::prop_assert!(last <= r.start && r.start < r.end);
                proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                proptest::prop_assert_eq!(text[r.clone()].trim(), &text[r.clone()]);
                last = r.end;
            }
        }
    }

    #[test]
    fn ranges_are_trimmed_and_cover_the_text() {
        let text = "  One.   Two.  ";
        let r = sentences(text);
        assert_eq!(r, [2..6, 9..13]);
    }
}
