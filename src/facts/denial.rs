//! Denials: one side asserts what the other denies or disputes ("There is no threat of our
//! units being encircled" against "the troops were now encircled"), and who says each.
//!
//! A denial is a conflict even when the two sentences share few words, so [`denial`] is meant
//! for candidate pairs below the pairing threshold too. It stays precise by reading the
//! negation's scope, not the whole sentence: the content words right after the cue (past a
//! hedge such as "no threat of", past "denied that"), and it needs one of them asserted, not
//! negated, on the other side, plus one more term the two share. A negated act of speaking
//! ("did not say", "declined to comment") denies nothing.

use serde::Serialize;

use super::extract::{entities, words, Capitals, Fact, Word};
use super::terms;

/// Words that negate what follows them.
const NEGATION_CUES: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
];
/// Cues that keep what follows from being asserted ("life without parole") but are too
/// loose to deny anything on their own.
const WEAK_CUES: &[&str] = &["without", "lack", "lacked", "absence"];
/// Words after a cue that make it no negation: "not only", "not just", "no less".
const NOT_NEGATING: &[&str] = &[
    "only", "just", "merely", "least", "less", "doubt", "matter", "sooner",
];
/// Verbs that deny or dispute what follows them.
const DENIAL_VERBS: &[&str] = &[
    "deny",
    "denies",
    "denied",
    "denying",
    "rejected",
    "rejects",
    "dismissed",
    "dismisses",
    "refuted",
    "refutes",
    "disputed",
    "disputes",
    "contested",
    "contests",
];
/// Nouns that hedge a negation without being its content: "no threat of", "no sign that".
const HEDGES: &[&str] = &[
    "threat",
    "sign",
    "signs",
    "evidence",
    "indication",
    "risk",
    "danger",
    "chance",
    "truth",
    "question",
    "doubt",
    "reports",
    "report",
    "claims",
    "claim",
    "suggestion",
    "that",
    "of",
    "any",
    "longer",
    "immediate",
    "immediately",
    "real",
    "such",
    "reason",
];
/// Acts of speaking or knowing: negating them says nothing about the content.
const NON_DENIALS: &[&str] = &[
    "say",
    "said",
    "specify",
    "specified",
    "comment",
    "commented",
    "confirm",
    "confirmed",
    "disclose",
    "disclosed",
    "know",
    "known",
    "reveal",
    "revealed",
    "elaborate",
    "explain",
    "indicate",
    "identify",
    "identified",
    "immediately",
    "give",
    "respond",
    "responded",
    "clear",
    "yet",
];
/// Auxiliaries between a cue and its verb.
const AUXILIARIES: &[&str] = &[
    "be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "do", "does", "did",
    "will", "would", "can", "could", "should", "to", "our", "their", "its", "the", "a",
];
/// Content words the scope reads after a cue.
const SCOPE_TERMS: usize = 3;
/// Words that end a negation's scope.
const SCOPE_ENDS: &[&str] = &["but", "while", "although", "though", "because", "and", "as"];

/// Verbs that attribute a statement to a speaker.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "posted",
    "stated",
    "states",
    "announced",
    "claimed",
    "claims",
    "denied",
    "denies",
    "insisted",
    "added",
    "warned",
    "wrote",
    "tweeted",
    "confirmed",
    "argued",
    "alleged",
    "disputed",
    "rejected",
    "dismissed",
    "declared",
    "according",
];
/// Common nouns that name a source on their own: "police said".
const SOURCE_NOUNS: &[&str] = &[
    "police",
    "officials",
    "authorities",
    "witnesses",
    "prosecutors",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "investigators",
    "doctors",
    "residents",
    "sources",
];

/// Words that stand for a speaker without naming one.
const PRONOUNS: &[&str] = &[
    "he", "she", "it", "they", "we", "i", "you", "this", "that", "there", "who",
];

/// Which side denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Denier {
    /// A denies what B asserts.
    A,
    /// B denies what A asserts.
    B,
}

/// A claim and its denial found in two sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Denial {
    /// The side that denies.
    pub denier: Denier,
    /// The denying words as written: the cue and its scope ("no threat of our units being
    /// encircled").
    pub denied: String,
    /// The terms of the scope the other side asserts.
    pub terms: Vec<String>,
    /// Who says A's sentence, when it names a speaker.
    pub a_source: Option<String>,
    /// Who says B's sentence, when it names a speaker.
    pub b_source: Option<String>,
}

/// One negation in a sentence: its words as written and the terms of its scope.
struct Scope {
    text: String,
    terms: Vec<String>,
    /// A weak cue ("without"): its scope is not asserted, and it denies nothing.
    weak: bool,
    /// Byte range of the whole negation (cue and scope) in the sentence.
    range: std::ops::Range<usize>,
}

fn lower(w: &Word) -> String {
    w.text.to_lowercase()
}

fn is_cue(word: &str) -> bool {
    NEGATION_CUES.contains(&word) || word.ends_with("n't") || word.ends_with("n’t")
}

/// The negations of a sentence with their scopes.
fn scopes(sentence: &str) -> Vec<Scope> {
    let ws = words(sentence, 0);
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let l = lower(w);
        let verb = DENIAL_VERBS.contains(&l.as_str());
        let weak = WEAK_CUES.contains(&l.as_str());
        if !is_cue(&l) && !verb && !weak {
            continue;
        }
        if ws
            .get(i + 1)
            .is_some_and(|n| NOT_NEGATING.contains(&lower(n).as_str()))
        {
            continue;
        }
        let mut terms_found = Vec::new();
        let mut end = w.end;
        let mut first = true;
        for n in &ws[i + 1..] {
            // A clause break ends the scope: punctuation between the words.
            let gap = &sentence[end..n.start];
            if gap.contains([',', ';', ':', '.', '?', '!', '(', ')']) && !first {
                break;
            }
            let nl = lower(n);
            if SCOPE_ENDS.contains(&nl.as_str()) || is_cue(&nl) || WEAK_CUES.contains(&nl.as_str())
            {
                break;
            }
            if first && NON_DENIALS.contains(&nl.as_str()) {
                terms_found.clear();
                break;
            }
            if AUXILIARIES.contains(&nl.as_str()) || HEDGES.contains(&nl.as_str()) {
                end = n.end;
                continue;
            }
            first = false;
            end = n.end;
            if let Some(t) = terms::term(&nl) {
                terms_found.push(t);
            }
            if terms_found.len() == SCOPE_TERMS {
                break;
            }
        }
        if !terms_found.is_empty() {
            out.push(Scope {
                text: sentence[w.start..end].to_owned(),
                terms: terms_found,
                weak,
                range: w.start..end,
            });
        }
    }
    out
}

/// The terms a sentence asserts: every content term outside its negations' scopes.
fn asserted(sentence: &str, negated: &[Scope]) -> Vec<String> {
    words(sentence, 0)
        .iter()
        .filter(|w| {
            !negated
                .iter()
                .any(|s| s.range.start <= w.start && w.end <= s.range.end)
        })
        .filter_map(|w| terms::term(&lower(w)))
        .collect()
}

/// Whether a text negates or denies anything at all: the cheap test that decides whether
/// [`denial`] is worth asking of its pairs.
pub(crate) fn negates(text: &str) -> bool {
    scopes(text).iter().any(|s| !s.weak)
}

/// Whether one sentence denies what the other asserts, and who says each. Works on any pair,
/// however few words they share: meant for candidate pairs below the pairing threshold too.
pub fn denial(a_text: &str, b_text: &str) -> Option<Denial> {
    let (sa, sb) = (scopes(a_text), scopes(b_text));
    let (aa, ab) = (asserted(a_text, &sa), asserted(b_text, &sb));
    let all = |s: &str| -> Vec<String> { terms::terms(s) };
    let (ta, tb) = (all(a_text), all(b_text));
    let check = |scopes: &[Scope], other_asserted: &[String], own: &[String], other: &[String]| {
        scopes.iter().filter(|s| !s.weak).find_map(|s| {
            let hit: Vec<String> = s
                .terms
                .iter()
                .filter(|t| other_asserted.contains(t))
                .cloned()
                .collect();
            // One more term in common, inside the scope or out: the same participants.
            let more = own
                .iter()
                .filter(|t| other.contains(t) && !hit.contains(t))
                .count();
            // Two of the scope's words asserted on the other side (one when the scope has
            // one): the participants alone are not the claim ("no threat of our units being
            // encircled" does not deny that Ukrainian soldiers were captured; "no longer
            // listening to its coach" does not deny that he is the coach).
            let need = s.terms.len().min(2);
            (hit.len() >= need && hit.len() + more >= 2).then(|| (s.text.clone(), hit))
        })
    };
    let (denier, (denied, hit)) = if let Some(d) = check(&sb, &aa, &tb, &ta) {
        // B denies; unless A denies the same thing (both negative: agreement).
        if sa.iter().any(|s| s.terms.iter().any(|t| d.1.contains(t))) {
            return None;
        }
        (Denier::B, d)
    } else if let Some(d) = check(&sa, &ab, &ta, &tb) {
        if sb.iter().any(|s| s.terms.iter().any(|t| d.1.contains(t))) {
            return None;
        }
        (Denier::A, d)
    } else {
        return None;
    };
    let mut caps = Capitals::default();
    caps.observe(a_text);
    caps.observe(b_text);
    Some(Denial {
        denier,
        denied,
        terms: hit,
        a_source: speaker(a_text, &entities(a_text, 0, &caps)),
        b_source: speaker(b_text, &entities(b_text, 0, &caps)),
    })
}

/// Who a sentence says is speaking: the name before a speech verb ("Trump said",
/// "Ukraine's General Staff posted", "Ukraine's military leadership denied"), past an
/// apposition ("Valery Gerasimov, head of the Russian General Staff, reported"), or after it
/// ("said Trump", "according to police"). `names` are the sentence's entities with ranges
/// relative to `sentence`.
pub fn speaker(sentence: &str, names: &[Fact]) -> Option<String> {
    let ws = words(sentence, 0);
    let v = ws
        .iter()
        .position(|w| SPEECH_VERBS.contains(&lower(w).as_str()))?;
    let verb = ws[v];
    if lower(&verb) == "according" {
        let rest = sentence[verb.end..].trim_start().strip_prefix("to")?;
        let from = sentence.len() - rest.len();
        return names
            .iter()
            .find(|n| {
                n.range.start >= from
                    && sentence[from..n.range.start].split_whitespace().count() <= 1
            })
            .map(|n| n.text.clone())
            .or_else(|| {
                ws.iter()
                    .find(|w| w.start >= from && SOURCE_NOUNS.contains(&lower(w).as_str()))
                    .map(|w| w.text.to_owned())
            });
    }
    let mut before = sentence[..verb.start].trim_end();
    // "X, head of Y, reported": the subject is before the apposition.
    if let Some(stripped) = before.strip_suffix(',') {
        if let Some(comma) = stripped.rfind(',') {
            before = stripped[..comma].trim_end();
        }
    }
    let cut = before.len();
    let name = names
        .iter()
        .filter(|n| n.range.end <= cut)
        .filter(|n| {
            let gap = &sentence[n.range.end..cut];
            !gap.contains([',', ';', ':', '"', '“', '”'])
                && gap.split_whitespace().count() <= 2
                && gap
                    .split_whitespace()
                    .all(|w| w.chars().all(char::is_lowercase))
        })
        .max_by_key(|n| n.range.end);
    if let Some(n) = name {
        // The name and the words that complete it as a source: "Ukraine's military leadership".
        return Some(sentence[n.range.start..cut].trim().to_owned());
    }
    // "police said"; or a capitalised word the entity pass left out because it only ever
    // starts a sentence ("Trump said …" with no other mention to learn it is a name).
    if let Some(w) = ws[..v].last().filter(|w| {
        w.end == cut
            && (SOURCE_NOUNS.contains(&lower(w).as_str())
                || (w.text.starts_with(char::is_uppercase)
                    && !PRONOUNS.contains(&lower(w).as_str())))
    }) {
        return Some(w.text.to_owned());
    }
    // "…," said Trump.
    names
        .iter()
        .find(|n| {
            n.range.start >= verb.end
                && sentence[verb.end..n.range.start].split_whitespace().count() == 0
        })
        .map(|n| n.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker_of(s: &str) -> Option<String> {
        let mut caps = Capitals::default();
        caps.observe(s);
        caps.observe("troops in Ukraine");
        speaker(s, &entities(s, 0, &caps))
    }

    const GERASIMOV: &str = "Valery Gerasimov, head of the Russian General Staff, reported to Putin that Ukrainian troops in the Kursk region were now encircled.";
    const STAFF: &str = "\"There is no threat of our units being encircled,\" Ukraine's General Staff posted on social media.";

    #[test]
    fn item4_denial_of_the_encircled_claim() {
        let d = denial(GERASIMOV, STAFF).expect("the General Staff denies the encirclement");
        assert_eq!(d.denier, Denier::B);
        assert_eq!(d.denied, "no threat of our units being encircled");
        assert_eq!(d.a_source.as_deref(), Some("Valery Gerasimov"));
        assert_eq!(d.b_source.as_deref(), Some("Ukraine's General Staff"));
        // The other way round, and with a synonym: "surrounded" is "encircled".
        let trump = "Trump said \"thousands\" of Ukrainian troops were \"completely surrounded by the Russian military, and in a very bad and vulnerable position\".";
        let d = denial(STAFF, trump).expect("surrounded vs no threat of being encircled");
        assert_eq!(
            (d.denier, d.b_source.as_deref()),
            (Denier::A, Some("Trump"))
        );
    }

    #[test]
    fn item4_denial_needs_the_same_claim() {
        // Both sides negative: agreement.
        assert!(denial(
            "The troops were not encircled, officials said.",
            "Officials said the troops were not encircled."
        )
        .is_none());
        // A negated act of speaking denies nothing.
        assert!(denial(
            "Jack Ketsoyan said Reid entered the Promises Treatment Center.",
            "He did not say what Reid was being treated for at the Promises Treatment Center."
        )
        .is_none());
        // A negation about something else.
        assert!(denial(
            "Putin visited the Kursk region on Tuesday.",
            "Putin said Russia would not extend protections to foreigners in the Kursk region."
        )
        .is_none());
        assert!(denial(
            "The suspect was arrested on Tuesday, police said.",
            "Police denied that the suspect was arrested."
        )
        .is_some());
    }

    #[test]
    fn item4_speakers() {
        assert_eq!(speaker_of(GERASIMOV).as_deref(), Some("Valery Gerasimov"));
        assert_eq!(
            speaker_of(STAFF).as_deref(),
            Some("Ukraine's General Staff")
        );
        assert_eq!(
            speaker_of("Ukraine's military leadership denied the claims.").as_deref(),
            Some("Ukraine's military leadership")
        );
        assert_eq!(
            speaker_of("\"It is over,\" said Trump.").as_deref(),
            Some("Trump")
        );
        assert_eq!(
            speaker_of("Two men were hurt, according to police.").as_deref(),
            Some("police")
        );
        assert_eq!(speaker_of("The storm hit the coast on Monday."), None);
    }
}
