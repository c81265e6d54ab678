//! Direct quotations and their speakers.

use std::ops::Range;

use super::{words, Fact, FactKind};

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
            // The range covers exactly the text: a quote's trailing comma is not part of it.
            let text = sentence[r.clone()].trim_end_matches([',', ' ']).to_owned();
            let r = r.start..r.start + text.len();
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

#[cfg(test)]
mod tests {
    use super::super::entities;
    use super::super::tests::{caps_of, keys};
    use super::*;

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
}
