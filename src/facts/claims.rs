//! Claims: the atomic statements inside a sentence, each a byte range of it.
//!
//! A news sentence often states several facts at once: two clauses joined by `, and`, a
//! quotation and who said it, a name and what it is (`Valery Gerasimov, head of the Russian
//! General Staff, reported …`). Comparing whole sentences pairs or misses them together; a
//! claim is the unit one fact can be matched by. The sentence stays the context: every claim
//! is a range inside it, never rewritten text.
//!
//! The rules are shallow on purpose (no parser, no model): one pass over the words to mark
//! quotes, verbs and commas, then a constant number of looks around each comma, so the work
//! is linear in the sentence and the result the same on every machine.
//! * **attribution**: `X said (…) that …`, `"…," X said …`, `…, said X`, `according to X, …`
//!   and `…, X said, …` give the content as a claim with `speaker` set;
//! * **clauses**: independent clauses joined by `; `, `, and`, `, but`, `, while`, `, yet`
//!   when both sides hold a verb, each a claim;
//! * **appositions**: `Name, a noun phrase,` gives a claim for the name and the phrase, beside
//!   the main claim.

use std::ops::Range;

use serde::Serialize;

/// What a claim is in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The sentence's statement, not split further.
    Main,
    /// One of several independent clauses.
    Clause,
    /// What a speaker is said to have said (the claim without `X said`).
    AttributionContent,
    /// A name and the phrase set beside it: `Valery Gerasimov, head of the Russian General Staff`.
    Apposition,
}

/// Who a claim is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// The speaker as written (`Ukraine's General Staff`).
    pub text: String,
    /// Its byte range.
    pub range: Range<usize>,
}

/// One atomic claim of a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// Byte range (absolute: the sentence's offset added), inside the sentence, on character
    /// boundaries.
    pub range: Range<usize>,
    /// What it is.
    pub kind: ClaimKind,
    /// Who is said to claim it, when the sentence says so. Clauses of an attributed content
    /// carry the speaker too.
    pub speaker: Option<Speaker>,
}

/// Verbs that introduce reported speech.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "stated",
    "states",
    "told",
    "tells",
    "added",
    "adds",
    "reported",
    "reports",
    "posted",
    "wrote",
    "writes",
    "announced",
    "announces",
    "claimed",
    "claims",
    "insisted",
    "declared",
    "noted",
    "explained",
    "warned",
    "warns",
    "confirmed",
    "argued",
    "stressed",
    "acknowledged",
    "admitted",
    "asserted",
    "alleged",
    "tweeted",
    "replied",
    "responded",
    "testified",
    "predicted",
    "believes",
    "believed",
    "thinks",
    "recalled",
];

/// Auxiliaries and frequent verbs that are not `-ed` forms: a clause holds one of these or an
/// `-ed` word.
const VERBS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having",
    "will", "would", "can", "could", "should", "shall", "may", "might", "must", "do", "does",
    "did", "met", "meet", "meets", "said", "says", "told", "came", "comes", "went", "goes", "took",
    "takes", "gave", "gives", "made", "makes", "saw", "sees", "found", "left", "held", "holds",
    "led", "leads", "began", "begins", "became", "becomes", "brought", "built", "fell", "got",
    "gets", "kept", "keeps", "knew", "knows", "lost", "paid", "pays", "put", "ran", "runs", "sent",
    "sends", "sold", "spent", "stood", "struck", "thought", "won", "wins", "wrote", "shot", "hit",
    "fled", "seems", "remain", "remains", "comes", "wants", "want", "need", "needs", "plans",
    "aims", "expects", "faces", "face", "suggest", "suggests", "aligns", "include", "includes",
    "spoke", "sought", "seeks", "fought", "drove", "rose", "rises", "grew", "grows", "cut", "cuts",
    "set", "sets", "let", "lets", "hurt", "broke", "chose",
];

/// Auxiliaries: an apposition (`head of the staff`, `dressed in camouflage`) holds none.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "will", "would", "can",
    "could", "should", "shall", "may", "might", "must", "do", "does", "did",
];

/// Words that start something other than an apposition after `Name,`.
const NOT_APPOSITION: &[&str] = &[
    "and", "but", "or", "nor", "while", "who", "which", "that", "he", "she", "it", "they", "we",
    "i", "you", "this", "these", "those", "there", "when", "where", "if", "as", "so", "because",
];

/// Conjunctions that join two independent clauses after a comma.
const CLAUSE_JOINERS: &[&str] = &["and", "but", "while", "whereas", "yet"];

/// One whitespace-separated word of the sentence.
#[derive(Debug, Clone)]
struct Word {
    /// Byte range in the sentence (without surrounding whitespace).
    range: Range<usize>,
    /// Lowercase letters and digits of the word, apostrophes and inner periods kept.
    core: String,
    /// Starts with an uppercase letter (after any opening quote).
    capital: bool,
    /// Starts inside a quotation.
    quoted: bool,
    /// Ends with a comma outside a quotation (`word,`), or with `,"` closing one.
    comma: bool,
    /// Ends with a semicolon outside a quotation.
    semicolon: bool,
    /// Holds a quotation mark.
    has_quote: bool,
    /// A verb or auxiliary, by the word lists or an `-ed` ending.
    verb: bool,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Splits the sentence into words, tracking quotation state.
fn words(sentence: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut open = false;
    let mut start: Option<usize> = None;
    let mut flush = |start: usize, end: usize, open_at_start: bool, open_at_end: bool| {
        let raw = &sentence[start..end];
        let core: String = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .flat_map(char::to_lowercase)
            .collect();
        let first_letter = raw.chars().find(|c| c.is_alphanumeric());
        let capital = first_letter.is_some_and(char::is_uppercase);
        let tail = raw.trim_end_matches(['.', '!', '?', ')']);
        let comma =
            (!open_at_end && tail.ends_with(',')) || tail.ends_with(",\"") || tail.ends_with(",”");
        let semicolon = !open_at_end && tail.ends_with(';');
        let verb = !capital
            && (VERBS.contains(&core.as_str())
                || (core.len() >= 4 && core.ends_with("ed") && core.is_ascii()));
        out.push(Word {
            range: start..end,
            capital,
            quoted: open_at_start,
            comma,
            semicolon,
            has_quote: raw.contains(is_quote),
            verb,
            core,
        });
    };
    let mut open_at_start = false;
    for (i, c) in sentence.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                flush(s, i, open_at_start, open);
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
            open_at_start = open;
        }
        match c {
            '"' => open = !open,
            '“' => open = true,
            '”' => open = false,
            _ => {}
        }
    }
    if let Some(s) = start {
        flush(s, sentence.len(), open_at_start, open);
    }
    out
}

/// `range` of `sentence` without surrounding spaces, trailing commas, semicolons and colons,
/// and a pair of quotation marks around the whole of it; `None` when nothing is left.
fn trim(sentence: &str, range: Range<usize>) -> Option<Range<usize>> {
    let edge = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':');
    let (mut s, mut e) = (range.start, range.end);
    for _ in 0..2 {
        let part = &sentence[s..e];
        let t = part.trim_start_matches(edge);
        s += part.len() - t.len();
        let t = t.trim_end_matches(edge);
        e = s + t.len();
        let inner = t.chars().filter(|&c| is_quote(c)).count();
        let mut cs = t.chars();
        let (first, last) = (cs.next(), cs.next_back());
        if inner == 2 && first.is_some_and(is_quote) && last.is_some_and(is_quote) {
            s += first.map_or(0, char::len_utf8);
            e -= last.map_or(0, char::len_utf8);
        } else {
            break;
        }
    }
    (s < e).then_some(s..e)
}

/// An attribution found in the sentence: the content's word span and the speaker's.
struct Attribution {
    content: Range<usize>,
    speaker: Range<usize>,
}

/// Whether `w[range]` could name a speaker: one to six words, no verb, no quotation, not
/// starting with a conjunction.
fn speaker_like(w: &[Word], range: Range<usize>) -> bool {
    let n = range.len();
    (1..=6).contains(&n)
        && w[range.clone()]
            .iter()
            .all(|x| !x.verb && !x.quoted && !x.has_quote)
        && !CLAUSE_JOINERS.contains(&w[range.start].core.as_str())
}

/// Whether the words in `range` hold a verb or a quotation (a statement, not a noun phrase),
/// from `marks`, the running count of such words (one lookup, so every test is O(1)).
fn statement(marks: &[usize], range: Range<usize>) -> bool {
    marks[range.end] > marks[range.start]
}

/// `"…," X said …` and `…, X said` / `…, said X`: the content before a comma, the speaker
/// right after it. Tried from the last comma back, so `"…," he said, while …` finds `he`.
fn trailing_attribution(w: &[Word], marks: &[usize]) -> Option<Attribution> {
    for b in (0..w.len()).rev().filter(|&b| w[b].comma) {
        let tail = b + 1;
        if !statement(marks, 0..tail) {
            continue;
        }
        let limit = (tail + 7).min(w.len());
        let Some(v) =
            (tail..limit).find(|&k| SPEECH_VERBS.contains(&w[k].core.as_str()) && !w[k].quoted)
        else {
            continue;
        };
        if v > tail && speaker_like(w, tail..v) && !w[v - 1].comma {
            return Some(Attribution {
                content: 0..tail,
                speaker: tail..v,
            });
        }
        if v == tail {
            // `…, said Sgt. Marty Earley`: the capitalized words after the verb.
            let end = (v + 1..(v + 7).min(w.len()))
                .take_while(|&k| w[k].capital || matches!(w[k].core.as_str(), "the" | "of"))
                .last()
                .map_or(v + 1, |k| k + 1);
            if end > v + 1 && speaker_like(w, v + 1..end) {
                return Some(Attribution {
                    content: 0..tail,
                    speaker: v + 1..end,
                });
            }
        }
    }
    None
}

/// `X said (…) that …`, `X said "…"`, and the parenthetical `…, X said, …`.
fn leading_attribution(
    w: &[Word],
    marks: &[usize],
    appositions: &[(Range<usize>, Range<usize>)],
) -> Option<Attribution> {
    let limit = w.len().min(24);
    let v = (1..limit).find(|&k| SPEECH_VERBS.contains(&w[k].core.as_str()) && !w[k].quoted)?;
    if w.get(v + 1).is_some_and(|x| x.core == "to") && !w.get(v + 2).is_some_and(|x| x.capital) {
        return None; // `claimed to have retaken`: not reported speech (`reported to Putin` is).
    }
    // The speaker runs back to the sentence start or the last comma; a name with its
    // apposition (`Valery Gerasimov, head of the staff, reported`) is the name.
    let mut from = (0..v).rev().find(|&k| w[k].comma).map_or(0, |k| k + 1);
    let mut speaker = from..v;
    if let Some((name, whole)) = appositions
        .iter()
        .find(|(_, whole)| whole.end == from && from == v)
    {
        from = whole.start;
        speaker = name.clone();
    }
    if !speaker_like(w, speaker.clone()) {
        return None;
    }
    if from > 0 && w[v].comma {
        // `Russia, he said, had been forced …`: the claim is the whole sentence around it.
        return statement(marks, v + 1..w.len()).then_some(Attribution {
            content: 0..w.len(),
            speaker,
        });
    }
    if from > 0 && statement(marks, 0..from) {
        // A statement before the comma is not a scene setter (`In Moscow, officials said …`):
        // the speaker belongs to a trailing attribution, or to none.
        return None;
    }
    let that = (v + 1..(v + 10).min(w.len()))
        .find(|&k| w[k].core == "that" && !w[k].quoted)
        .filter(|&k| !w[v + 1..k].iter().any(|x| x.verb || x.has_quote));
    let start = that.map_or(v + 1, |k| k + 1);
    (start < w.len() && statement(marks, start..w.len())).then_some(Attribution {
        content: start..w.len(),
        speaker,
    })
}

/// `According to X, …` and `…, according to X.`
fn according_to(w: &[Word]) -> Option<Attribution> {
    let at = (0..w.len().saturating_sub(1))
        .find(|&k| w[k].core == "according" && w[k + 1].core == "to" && !w[k].quoted)?;
    if at == 0 {
        let end = (at + 2..w.len()).find(|&k| w[k].comma)?;
        return (end + 1 < w.len()).then_some(Attribution {
            content: end + 1..w.len(),
            speaker: at + 2..end + 1,
        });
    }
    (w[at - 1].comma && at + 2 < w.len()).then_some(Attribution {
        content: 0..at,
        speaker: at + 2..w.len(),
    })
}

/// Word indices where a new independent clause starts, inside `span`: after `; ` or at the
/// word after `, and`/`, but`/… when both sides hold a verb.
fn clause_starts(w: &[Word], span: Range<usize>, verbs_before: &[usize]) -> Vec<(usize, usize)> {
    let verbs = |r: Range<usize>| verbs_before[r.end] - verbs_before[r.start];
    let mut cuts = Vec::new(); // (end of the left clause, start of the right one), in words.
    let mut left_start = span.start;
    for k in span.start..span.end.saturating_sub(1) {
        if w[k].quoted && !w[k].has_quote {
            continue;
        }
        let right = if w[k].semicolon {
            k + 1
        } else if w[k].comma && CLAUSE_JOINERS.contains(&w[k + 1].core.as_str()) && !w[k + 1].quoted
        {
            k + 2
        } else {
            continue;
        };
        if right < span.end && verbs(left_start..k + 1) > 0 && verbs(right..span.end) > 0 {
            cuts.push((k + 1, right));
            left_start = right;
        }
    }
    cuts
}

/// Appositions: `Name, phrase,` where the name is one to four capitalized words and the
/// phrase one to twelve words starting in lowercase, with no auxiliary or speech verb. Each
/// is given as (the name's words, the whole apposition's words).
fn appositions(w: &[Word]) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < w.len() {
        let name_ends_here = w[k].comma && w[k].capital && !w[k].quoted && !w[k].has_quote;
        if !name_ends_here {
            k += 1;
            continue;
        }
        let mut name_start = k;
        while name_start > 0
            && k - name_start < 3
            && w[name_start - 1].capital
            && !w[name_start - 1].comma
            && !w[name_start - 1].has_quote
        {
            name_start -= 1;
        }
        let phrase = k + 1;
        let close = (phrase..(phrase + 12).min(w.len())).find(|&j| w[j].comma);
        let fits = close.is_some_and(|c| {
            c + 1 < w.len()
                && !w[phrase].capital
                && !NOT_APPOSITION.contains(&w[phrase].core.as_str())
                && w[phrase..=c].iter().all(|x| {
                    !x.quoted
                        && !x.has_quote
                        && !AUXILIARIES.contains(&x.core.as_str())
                        && !SPEECH_VERBS.contains(&x.core.as_str())
                })
        });
        match close {
            Some(c) if fits => {
                out.push((name_start..k + 1, name_start..c + 1));
                k = c + 1;
            }
            _ => k += 1,
        }
    }
    out
}

/// The claims of one sentence, in order of their start. `offset` is the sentence's byte
/// offset in its article: the ranges returned are absolute. Every sentence with a letter or
/// digit gives at least one claim.
pub fn claims(sentence: &str, offset: usize) -> Vec<Claim> {
    let w = words(sentence);
    if w.is_empty() {
        return Vec::new();
    }
    let bytes = |r: &Range<usize>| w[r.start].range.start..w[r.end - 1].range.end;
    let absolute = |r: Range<usize>| r.start + offset..r.end + offset;
    // Running counts of verbs, and of verbs or quotations, before each word.
    let (mut verbs_before, mut marks) = (vec![0], vec![0]);
    for x in &w {
        verbs_before.push(verbs_before.last().copied().unwrap_or(0) + usize::from(x.verb));
        marks.push(marks.last().copied().unwrap_or(0) + usize::from(x.verb || x.has_quote));
    }
    let appositions = appositions(&w);
    let attribution = according_to(&w)
        .or_else(|| trailing_attribution(&w, &marks))
        .or_else(|| leading_attribution(&w, &marks, &appositions));
    let (span, speaker) = match &attribution {
        Some(a) => {
            // A speaker is a name: no final period (`said Sgt. Marty Earley.`).
            let r = trim(sentence, bytes(&a.speaker)).map(|r| {
                let t = sentence[r.clone()].trim_end_matches(['.', '!', '?']);
                r.start..r.start + t.len()
            });
            let r = r.filter(|r| !r.is_empty());
            let speaker = r.map(|r| Speaker {
                text: sentence[r.clone()].to_owned(),
                range: absolute(r),
            });
            (a.content.clone(), speaker)
        }
        None => (0..w.len(), None),
    };
    let mut out = Vec::new();
    let cuts = clause_starts(&w, span.clone(), &verbs_before);
    if cuts.is_empty() {
        let kind = if speaker.is_some() {
            ClaimKind::AttributionContent
        } else {
            ClaimKind::Main
        };
        if let Some(r) = trim(sentence, bytes(&span)) {
            out.push(Claim {
                range: absolute(r),
                kind,
                speaker: speaker.clone(),
            });
        }
    } else {
        let mut start = span.start;
        for (end, next) in cuts.iter().copied().chain([(span.end, span.end)]) {
            if let Some(r) = (start < end)
                .then(|| trim(sentence, bytes(&(start..end))))
                .flatten()
            {
                out.push(Claim {
                    range: absolute(r),
                    kind: ClaimKind::Clause,
                    speaker: speaker.clone(),
                });
            }
            start = next;
        }
    }
    for (_, a) in appositions {
        if let Some(r) = trim(sentence, bytes(&a)) {
            out.push(Claim {
                range: absolute(r),
                kind: ClaimKind::Apposition,
                speaker: None,
            });
        }
    }
    if out.is_empty() {
        if let Some(r) = trim(sentence, 0..sentence.len()) {
            out.push(Claim {
                range: absolute(r),
                kind: ClaimKind::Main,
                speaker: None,
            });
        }
    }
    out.sort_by_key(|c| (c.range.start, c.range.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The claims of a sentence as (kind, text, speaker) for comparison.
    fn split(sentence: &str) -> Vec<(ClaimKind, &str, Option<&str>)> {
        claims(sentence, 0)
            .into_iter()
            .map(|c| {
                let speaker = c.speaker.map(|s| &sentence[s.range]);
                (c.kind, &sentence[c.range], speaker)
            })
            .collect()
    }

    use ClaimKind::{Apposition, AttributionContent, Clause, Main};

    #[test]
    fn item1_seed_apposition_and_reported_claim() {
        assert_eq!(
            split("Valery Gerasimov, head of the Russian General Staff, reported to Putin that Ukrainian troops in the Kursk region were now encircled."),
            [
                (Apposition, "Valery Gerasimov, head of the Russian General Staff", None),
                (AttributionContent, "Ukrainian troops in the Kursk region were now encircled.", Some("Valery Gerasimov")),
            ]
        );
    }

    #[test]
    fn item1_seed_quotes_and_their_speakers() {
        assert_eq!(
            split("\"Its systematic destruction is underway,\" Gerasimov stated."),
            [(
                AttributionContent,
                "Its systematic destruction is underway",
                Some("Gerasimov")
            )]
        );
        assert_eq!(
            split("\"There is no threat of our units being encircled,\" Ukraine's General Staff posted on social media."),
            [(AttributionContent, "There is no threat of our units being encircled", Some("Ukraine's General Staff"))]
        );
        assert_eq!(
            split("Trump said \"thousands\" of Ukrainian troops were \"completely surrounded by the Russian military, and in a very bad and vulnerable position\"."),
            [(AttributionContent, "\"thousands\" of Ukrainian troops were \"completely surrounded by the Russian military, and in a very bad and vulnerable position\".", Some("Trump"))]
        );
        assert_eq!(
            split("\"The situation in the Kursk region is obviously very difficult,\" he said, while insisting the campaign still had value."),
            [(AttributionContent, "The situation in the Kursk region is obviously very difficult", Some("he"))]
        );
        assert_eq!(
            split("Putin said Thursday that he had \"serious questions\" about the proposal and that events in Kursk would influence the next moves towards a ceasefire."),
            [(AttributionContent, "he had \"serious questions\" about the proposal and that events in Kursk would influence the next moves towards a ceasefire.", Some("Putin"))]
        );
    }

    #[test]
    fn item1_seed_clauses_and_participle_appositions() {
        assert_eq!(
            split("The proposal's details remain unclear, but it is expected to include conditions for a temporary halt to hostilities."),
            [
                (Clause, "The proposal's details remain unclear", None),
                (Clause, "it is expected to include conditions for a temporary halt to hostilities.", None),
            ]
        );
        assert_eq!(
            split("During a televised visit to a Russian military command post, Putin, dressed in military camouflage, met with top defense officials and stressed the need to reclaim the border region swiftly."),
            [
                (Main, "During a televised visit to a Russian military command post, Putin, dressed in military camouflage, met with top defense officials and stressed the need to reclaim the border region swiftly.", None),
                (Apposition, "Putin, dressed in military camouflage", None),
            ]
        );
        assert_eq!(
            split("The Biden administration had previously advocated for continued military support for Ukraine, but Trump's administration has emphasized economic leverage over direct military aid."),
            [
                (Clause, "The Biden administration had previously advocated for continued military support for Ukraine", None),
                (Clause, "Trump's administration has emphasized economic leverage over direct military aid.", None),
            ]
        );
        // "claimed to" is no attribution; ", and" + a verb starts a second claim (its subject
        // is the first clause's, which the sentence keeps as context).
        assert_eq!(
            split("Russian forces claimed to have retaken most of the occupied area, including Sudzha, the largest town seized by Ukraine, and captured hundreds of Ukrainian soldiers."),
            [
                (Clause, "Russian forces claimed to have retaken most of the occupied area, including Sudzha, the largest town seized by Ukraine", None),
                (Apposition, "Sudzha, the largest town seized by Ukraine", None),
                (Clause, "captured hundreds of Ukrainian soldiers.", None),
            ]
        );
        // ", and" between nouns is no clause break: one side has no verb.
        assert_eq!(
            split("The talks covered oil prices, grain exports, and prisoner swaps."),
            [(
                Main,
                "The talks covered oil prices, grain exports, and prisoner swaps.",
                None
            )]
        );
        assert_eq!(
            split("Russia, he said, had been forced to pull troops from other areas on the front line."),
            [(AttributionContent, "Russia, he said, had been forced to pull troops from other areas on the front line.", Some("he"))]
        );
        assert_eq!(
            split("Ukraine's military leadership denied the claims."),
            [(
                Main,
                "Ukraine's military leadership denied the claims.",
                None
            )]
        );
    }

    #[test]
    fn item1_ecb_style_attributions() {
        assert_eq!(
            split("She was in a marked crosswalk when she was struck just after 7 p.m., said Sgt. Marty Earley."),
            [(AttributionContent, "She was in a marked crosswalk when she was struck just after 7 p.m.", Some("Sgt. Marty Earley"))]
        );
        assert_eq!(
            split("According to the U.S. Geological Survey, the earthquake struck the island at 5:11 p.m. local time."),
            [(AttributionContent, "the earthquake struck the island at 5:11 p.m. local time.", Some("the U.S. Geological Survey"))]
        );
        assert_eq!(
            split("The bomb detonated around 5:30 p.m. at the bank, Marion County deputies said."),
            [(
                AttributionContent,
                "The bomb detonated around 5:30 p.m. at the bank",
                Some("Marion County deputies")
            )]
        );
        assert_eq!(
            split("Police Const. Tim Fanning said the gunman entered the party around 4 p.m. local time."),
            [(AttributionContent, "the gunman entered the party around 4 p.m. local time.", Some("Police Const. Tim Fanning"))]
        );
        assert_eq!(
            split("The quake hit at 10:41 a.m.; no damage was reported, the agency said."),
            [
                (Clause, "The quake hit at 10:41 a.m.", Some("the agency")),
                (Clause, "no damage was reported", Some("the agency")),
            ]
        );
        assert_eq!(
            split("AMD agreed to buy SeaMicro for $334 million, and the deal is expected to close this quarter."),
            [
                (Clause, "AMD agreed to buy SeaMicro for $334 million", None),
                (Clause, "the deal is expected to close this quarter.", None),
            ]
        );
    }

    #[test]
    fn item1_ranges_are_absolute() {
        let text = "Intro. Putin, dressed in camouflage, met officials.";
        let c = claims(&text[7..], 7);
        let apposition = c
            .iter()
            .find(|c| c.kind == Apposition)
            .expect("an apposition");
        assert_eq!(
            &text[apposition.range.clone()],
            "Putin, dressed in camouflage"
        );
        assert!(c.iter().all(|c| c.range.start >= 7));
    }

    #[test]
    fn item1_a_long_sentence_is_split_in_one_pass() {
        // 100,000 clauses behind one another, each with a comma: a quadratic look back from
        // every comma would not finish.
        let sentence = "the council voted, and the mayor agreed"
            .repeat(50_000)
            .replace("agreedthe", "agreed; the");
        let cs = claims(&sentence, 0);
        assert_eq!(cs.len(), 100_000);
        assert!(cs.iter().all(|c| c.kind == Clause));
        assert_eq!(&sentence[cs[1].range.clone()], "the mayor agreed");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Any sentence splits without a panic into claims inside it, on character boundaries,
        /// with speakers inside it too, and at least one claim when it has a word.
        #[test]
        fn item1_claims_hold_for_any_text(
            s in "([A-Z][a-z]{0,6}|said|that|and|but|was|according|to|[\"“”,;:.'] ?| |东京|e\u{301}|\\PC){0,60}",
            offset in 0usize..1000,
        ) {
            let cs = claims(&s, offset);
            if s.contains(char::is_alphanumeric) {
                prop_assert!(!cs.is_empty());
            }
            for c in &cs {
                let r = c.range.start - offset..c.range.end - offset;
                prop_assert!(r.start < r.end && r.end <= s.len());
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                if let Some(sp) = &c.speaker {
                    let r = sp.range.start - offset..sp.range.end - offset;
                    prop_assert!(r.end <= s.len() && s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                    prop_assert_eq!(&s[r], sp.text.as_str());
                }
            }
        }
    }
}
