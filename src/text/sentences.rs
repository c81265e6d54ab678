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
//!   long lines, a headline a short one).
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
    "wis", "wyo", "dlrs", "pct", "mln", "bln",
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
                line_start = i + 1;
                let blank_follows = text[i + 1..]
                    .split('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty());
                let short = line.trim().chars().count() < SHORT_LINE;
                if blank_follows || short {
                    // A paragraph (or a headline) ends every open quote with it.
                    quote_open = false;
                    push(&mut units, text, start..i);
                    start = i + 1;
                }
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
    if !(next.is_uppercase()
        || next.is_ascii_digit()
        || matches!(next, '"' | '“' | '\'' | '‘' | '(' | '['))
    {
        return false;
    }
    if c != '.' {
        return true;
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
    !ABBREVIATIONS.contains(&lower.as_str())
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
    fn ranges_are_trimmed_and_cover_the_text() {
        let text = "  One.   Two.  ";
        let r = sentences(text);
        assert_eq!(r, [2..6, 9..13]);
    }
}
