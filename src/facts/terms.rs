//! Content words and their weights: what two sentences must share to state the same fact.
//!
//! A term is a normalized token (see [`crate::text`]) that is not a function word, reduced by
//! a light suffix stemmer (`meeting` → `meet`, `seized` → `seiz`) and mapped through a small
//! table of news synonyms (`incursion`, `offensive` and `assault` are one term), so a
//! reworded sentence keeps most of its terms. Weights are inverse document frequencies over
//! the sentences being compared (or over a corpus), damped by a built-in background table of
//! how common each word is in news text, so `said` or `new` weigh little even in two short
//! articles.

use std::collections::HashMap;

use crate::text::{normalize, Normalized};

/// Function words that carry no fact on their own.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "if",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "them",
    "his",
    "her",
    "their",
    "we",
    "our",
    "us",
    "i",
    "you",
    "your",
    "my",
    "me",
    "him",
    "who",
    "whom",
    "which",
    "what",
    "when",
    "where",
    "why",
    "how",
    "not",
    "no",
    "do",
    "does",
    "did",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "there",
    "here",
    "than",
    "then",
    "so",
    "too",
    "very",
    "also",
    "just",
    "about",
    "into",
    "over",
    "after",
    "before",
    "up",
    "down",
    "out",
    "off",
    "all",
    "any",
    "some",
    "more",
    "most",
    "other",
    "such",
    "only",
    "own",
    "same",
    "both",
    "each",
    "few",
    "nor",
    "s",
    "t",
    "d",
    "ll",
    "re",
    "ve",
    "m",
    "o",
    "while",
    "during",
    "against",
    "between",
    "through",
    "under",
    "again",
    "further",
    "once",
    "because",
    "until",
    "since",
    "whether",
    "though",
    "although",
    "per",
    "via",
    "upon",
    "onto",
    "within",
    "without",
    "around",
    "among",
    "across",
    "toward",
    "towards",
    "said",
    "says",
    "say",
    "told",
    "according",
];

/// Groups of words news writers use for the same thing; each maps to its group's first word.
const SYNONYMS: &[&[&str]] = &[
    &[
        "offensive",
        "incursion",
        "assault",
        "attack",
        "counteroffensive",
        "invasion",
        "operation",
    ],
    &["ceasefire", "truce", "armistice"],
    &[
        "seize", "capture", "take", "took", "taken", "occupy", "grab",
    ],
    &["recapture", "retake", "reclaim", "liberate", "regain"],
    &["encircle", "surround"],
    &["talk", "negotiation", "discussion", "meeting", "meet"],
    &["proposal", "plan", "initiative", "propose"],
    &["troop", "soldier", "force", "unit"],
    &["kill", "slay"],
    &["buy", "purchase", "acquire", "acquisition"],
    &["sell", "sale"],
    &["rise", "rose", "increase", "climb", "gain"],
    &["fall", "fell", "drop", "decline", "decrease"],
    &["quit", "resign", "resignation"],
    &["arrest", "detain", "detention"],
    &["chief", "head", "leader"],
    &["warn", "threaten", "warning"],
    &["penalty", "sanction"],
    &["war", "conflict", "fighting", "hostility"],
    &["big", "large", "major"],
    &["fire", "blaze"],
    &["quake", "earthquake", "tremor"],
    &["die", "dead", "death"],
];

/// Irregular past forms, mapped to their present so `met` meets `meeting`.
const IRREGULAR: &[(&str, &str)] = &[
    ("came", "come"),
    ("gave", "give"),
    ("given", "give"),
    ("held", "hold"),
    ("met", "meet"),
    ("went", "go"),
    ("gone", "go"),
    ("made", "make"),
    ("won", "win"),
    ("lost", "lose"),
    ("led", "lead"),
    ("left", "leave"),
    ("saw", "see"),
    ("seen", "see"),
    ("found", "find"),
    ("began", "begin"),
    ("begun", "begin"),
    ("brought", "bring"),
    ("sent", "send"),
    ("spent", "spend"),
    ("struck", "strike"),
    ("stood", "stand"),
    ("knew", "know"),
    ("thought", "think"),
    ("kept", "keep"),
    ("built", "build"),
    ("paid", "pay"),
    ("sold", "sell"),
    ("bought", "buy"),
    ("fought", "fight"),
    ("caught", "catch"),
    ("hit", "hit"),
    ("ran", "run"),
    ("wrote", "write"),
    ("written", "write"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("flew", "fly"),
    ("drove", "drive"),
];

/// Words whose final `s` is not a plural.
const UNSTEMMED: &[&str] = &[
    "news", "series", "species", "always", "perhaps", "thus", "less", "unless", "whereas",
];

/// Reduces a lowercase word to a stem: plural and verb endings only, so stems stay readable.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// [`stem`] into a reusable buffer (cleared first): the hot loop of the story stage stems
/// every word of the corpus and must not allocate for each.
pub fn stem_into(word: &str, out: &mut String) {
    static IRREGULARS: std::sync::OnceLock<HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    out.clear();
    let w = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    let irregular = IRREGULARS.get_or_init(|| {
        let mut map: HashMap<&'static str, &'static str> = WORDNET_IRREGULAR
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .collect();
        map.extend(IRREGULAR.iter().copied());
        map
    });
    let w = irregular.get(w).copied().unwrap_or(w);
    let n = w.chars().count();
    if n <= 3 || !w.is_ascii() || UNSTEMMED.contains(&w) {
        out.push_str(w);
        return;
    }
    if let Some(b) = w.strip_suffix("ies").filter(|_| n > 4) {
        out.push_str(b);
        out.push('y');
    } else if let Some(b) = w.strip_suffix("sses") {
        out.push_str(b);
        out.push_str("ss");
    } else if let Some(b) = w.strip_suffix("ing").filter(|_| n > 5) {
        out.push_str(undouble(b));
    } else if let Some(b) = w.strip_suffix("ed").filter(|_| n > 4) {
        out.push_str(undouble(b));
    } else if let Some(b) = w
        .strip_suffix("es")
        .filter(|b| b.ends_with(['x', 'z']) || b.ends_with("ch") || b.ends_with("sh"))
    {
        out.push_str(b);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        out.push_str(&w[..w.len() - 1]);
    } else {
        out.push_str(w);
    }
    // "seized" → "seiz", "seize" → "seize": drop a final e so both meet.
    if out.len() >= 4 && out.ends_with('e') {
        out.pop();
    }
}

fn undouble(b: &str) -> &str {
    let bytes = b.as_bytes();
    let n = bytes.len();
    if n >= 3 && bytes[n - 1] == bytes[n - 2] && !matches!(bytes[n - 1], b'l' | b's' | b'z') {
        &b[..n - 1]
    } else {
        b
    }
}

fn synonym_table() -> &'static HashMap<String, String> {
    static TABLE: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::new();
        for group in SYNONYMS {
            let head = stem(group[0]);
            for w in *group {
                m.insert(stem(w), head.clone());
            }
        }
        m
    })
}

/// The terms of a piece of text, in order, with repeats.
pub fn terms(text: &str) -> Vec<String> {
    let mut n = Normalized::default();
    normalize(text, &mut n);
    terms_of(&n)
}

/// The terms of already normalized text.
pub fn terms_of(n: &Normalized) -> Vec<String> {
    n.token_strs().filter_map(term).collect()
}

/// The term of one normalized token, or `None` for a function word.
pub fn term(token: &str) -> Option<String> {
    let mut out = String::new();
    term_into(token, &mut out).then_some(out)
}

/// [`term`] into a reusable buffer; false (and the buffer unspecified) for a function word.
pub fn term_into(token: &str, out: &mut String) -> bool {
    static STOP: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let stop = STOP.get_or_init(|| STOPWORDS.iter().copied().collect());
    if stop.contains(token) || (token.len() == 1 && token.is_ascii()) {
        return false;
    }
    stem_into(token, out);
    if let Some(head) = synonym_table().get(out.as_str()) {
        out.clear();
        out.push_str(head);
    }
    true
}

/// More irregular inflections and their base forms ("retaken" → "retake", "fought" →
/// "fight"), one `form<TAB>base` per line: WordNet 3.0's exception lists (`verb.exc`,
/// `noun.exc`, single words), written by the ignored test `regenerate_synonym_table` in
/// `synonyms.rs`. Joined to [`IRREGULAR`] in one hash map, so stemming costs one lookup as
/// before.
const WORDNET_IRREGULAR: &str = include_str!("irregular.tsv");

/// The built-in background table: stems with their document frequency per million news
/// documents, for the words common enough to matter (generated by the ignored test
/// `regenerate_background_table` below from the bench corpus).
const BACKGROUND: &str = include_str!("background.tsv");

/// The table keyed by xxh3: the story terms look up every new word of a corpus here.
type BackgroundTable = HashMap<&'static str, f64, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

fn background() -> &'static BackgroundTable {
    static TABLE: std::sync::OnceLock<BackgroundTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        BACKGROUND
            .lines()
            .filter_map(|l| {
                let (term, per_million) = l.split_once('\t')?;
                Some((term, per_million.trim().parse::<f64>().ok()? / 1e6))
            })
            .collect()
    })
}

/// Document frequencies: over the sentences of the compared articles, or over a corpus.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    df: HashMap<String, u32>,
    docs: u32,
}

impl Idf {
    /// Counts each term once per document (a sentence, or a corpus record).
    pub fn add_document<'a>(&mut self, terms: impl IntoIterator<Item = &'a String>) {
        let mut seen: Vec<&String> = terms.into_iter().collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *self.df.entry(t.clone()).or_default() += 1;
        }
        self.docs += 1;
    }

    /// Documents counted.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    /// Weight of a term: its IDF (BM25's form, floored so that a term in every sentence still
    /// counts a little), times how rare the word is in news in general.
    pub fn weight(&self, term: &str) -> f64 {
        let df = f64::from(self.df.get(term).copied().unwrap_or(0));
        let n = f64::from(self.docs);
        let idf = ((n - df + 0.5) / (df + 0.5)).ln_1p().max(0.1);
        idf * background_factor(term)
    }
}

/// The inverse document frequency of a term in news in general, `ln(1 / p)`: from 0.1 for
/// the most common words to ln(1000) ≈ 6.9 for words the table does not list (each in fewer
/// than 0.15% of news documents).
pub fn background_idf(term: &str) -> f64 {
    background_weights(term).0
}

/// From 0.3 for the most common news words to 1 for words in at most 1% of news documents
/// (and words the table does not list).
pub fn background_factor(term: &str) -> f64 {
    background_weights(term).1
}

/// [`background_idf`] and [`background_factor`] of `term` from one lookup.
pub fn background_weights(term: &str) -> (f64, f64) {
    match background().get(term) {
        // A word in every other document gets ln(2)/ln(100) ≈ 0.15, raised to the floor.
        Some(&p) => {
            let idf = (1.0 / p).ln();
            (idf, (idf / 100f64.ln()).clamp(0.3, 1.0))
        }
        None => (1000f64.ln(), 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet_across_inflections() {
        assert_eq!(stem("meeting"), stem("meet"));
        assert_eq!(stem("seized"), stem("seize"));
        assert_eq!(stem("proposals"), stem("proposal"));
        assert_eq!(stem("territories"), "territory");
        assert_eq!(stem("forces"), stem("force"));
        assert_eq!(stem("planned"), "plan");
        assert_eq!(stem("news"), "news");
    }

    #[test]
    fn terms_drop_function_words_and_merge_synonyms() {
        assert_eq!(
            terms("The troops seized the town in a surprise incursion"),
            ["troop", "seiz", "town", "surpris", "offensiv"]
        );
        assert_eq!(terms("a truce"), terms("the ceasefire"));
    }

    #[test]
    fn common_words_weigh_less_than_names() {
        let mut idf = Idf::default();
        idf.add_document(&terms("the government said on monday"));
        idf.add_document(&terms("witkoff met the government"));
        assert!(idf.weight("witkoff") > 2.0 * idf.weight("government"));
    }

    /// Regenerates `background.tsv` from the Reuters part of the bench corpus:
    /// `cargo test --release -- --ignored regenerate_background_table`.
    #[test]
    #[ignore]
    fn regenerate_background_table() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/corpus.jsonl");
        let text = std::fs::read_to_string(corpus).expect("the bench corpus");
        let mut idf = Idf::default();
        for line in text.lines().filter(|l| l.contains("\"reuters-")) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            idf.add_document(&terms(v["text"].as_str().unwrap()));
        }
        let mut rows: Vec<(&String, &u32)> = idf.df.iter().filter(|(_, &d)| d >= 20).collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let out: String = rows
            .iter()
            .take(4000)
            .map(|(t, d)| {
                format!(
                    "{t}\t{}\n",
                    (f64::from(**d) * 1e6 / f64::from(idf.docs)).round()
                )
            })
            .collect();
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/facts/background.tsv"),
            out,
        )
        .unwrap();
    }
}
