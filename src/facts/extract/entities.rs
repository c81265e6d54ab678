//! Named entities: runs of capitalised words, told apart from sentence-initial words.

use super::{bare, month_number, words, Capitals, Fact, FactKind, Word, WEEKDAYS};

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

#[cfg(test)]
mod tests {
    use super::super::tests::{caps_of, keys};
    use super::*;

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
}
