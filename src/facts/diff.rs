//! Comparing the facts of two aligned sentences: which agree, which conflict, which each side
//! states alone, and the word diff that shows the rewording.

use std::time::Duration;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::align::same_entity;
use super::extract::{Fact, FactKind};

/// Longest a word diff may take before it falls back to a coarser result.
const WORD_DIFF_DEADLINE: Duration = Duration::from_millis(50);

/// Words that turn a claim into its denial.
const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "deny",
    "denies",
    "denied",
    "rejected",
    "rejects",
    "false",
    "dismissed",
    "refused",
    "without",
];

/// A fact stated on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactPair {
    /// As A states it.
    pub a: Fact,
    /// As B states it.
    pub b: Fact,
}

/// Two aligned sentences that disagree about one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// `number`, `date`, `entity` or `negation`.
    pub kind: &'static str,
    /// What A says.
    pub a: String,
    /// What B says.
    pub b: String,
    /// Why this is a conflict.
    pub note: String,
}

/// The facts of an aligned pair, compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FactComparison {
    /// Facts both state.
    pub shared: Vec<FactPair>,
    /// Slots where the two disagree.
    pub conflicts: Vec<Conflict>,
    /// Facts only A states.
    pub only_a: Vec<Fact>,
    /// Facts only B states.
    pub only_b: Vec<Fact>,
}

/// One piece of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordChange {
    /// `equal`, `delete` (only in A) or `insert` (only in B).
    pub tag: &'static str,
    /// The words, with their spacing.
    pub text: String,
}

fn same_fact(a: &Fact, b: &Fact) -> bool {
    match a.kind {
        FactKind::Entity => same_entity(a, b),
        FactKind::Quote => token_jaccard(&a.key, &b.key) >= 0.5,
        FactKind::Number | FactKind::Date => a.key == b.key,
    }
}

fn token_jaccard(a: &str, b: &str) -> f64 {
    let sa: std::collections::HashSet<&str> = a.split(' ').collect();
    let sb: std::collections::HashSet<&str> = b.split(' ').collect();
    let inter = sa.intersection(&sb).count() as f64;
    let union = (sa.len() + sb.len()) as f64 - inter;
    if union == 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// The slot a date fills: a weekday, a month or a year can each disagree with its own kind.
fn date_slot(key: &str) -> &str {
    key.split(' ').next().unwrap_or("")
}

/// Compares the facts of two aligned sentences; with `negation`, one side negating the
/// statement counts as a conflict (only worth asking of closely aligned sentences).
pub fn compare_facts(
    a_facts: &[Fact],
    b_facts: &[Fact],
    a_text: &str,
    b_text: &str,
    negation: bool,
) -> FactComparison {
    let mut out = FactComparison::default();
    let mut b_used = vec![false; b_facts.len()];
    let mut a_left = Vec::new();
    for fa in a_facts {
        let hit = b_facts
            .iter()
            .enumerate()
            .find(|(j, fb)| !b_used[*j] && fb.kind == fa.kind && same_fact(fa, fb));
        match hit {
            Some((j, fb)) => {
                b_used[j] = true;
                out.shared.push(FactPair {
                    a: fa.clone(),
                    b: fb.clone(),
                });
            }
            None => a_left.push(fa.clone()),
        }
    }
    let mut b_left: Vec<Fact> = b_facts
        .iter()
        .zip(&b_used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f.clone())
        .collect();
    // Same slot, different value: a number with the same unit (and the same thing counted,
    // when both say), or a date of the same kind.
    let mut a_rest = Vec::new();
    for fa in a_left {
        let slot = b_left.iter().position(|fb| match (fa.kind, fb.kind) {
            (FactKind::Number, FactKind::Number) => {
                fa.unit.is_some()
                    && fa.unit == fb.unit
                    && (fa.about.is_none() || fb.about.is_none() || fa.about == fb.about)
            }
            (FactKind::Date, FactKind::Date) => date_slot(&fa.key) == date_slot(&fb.key),
            _ => false,
        });
        match slot {
            Some(j) => {
                let fb = b_left.remove(j);
                let kind = if fa.kind == FactKind::Number {
                    "number"
                } else {
                    "date"
                };
                let what = fa
                    .unit
                    .clone()
                    .unwrap_or_else(|| date_slot(&fa.key).to_owned());
                out.conflicts.push(Conflict {
                    kind,
                    note: format!("different {what}: {} vs {}", fa.text, fb.text),
                    a: fa.text,
                    b: fb.text,
                });
            }
            None => a_rest.push(fa),
        }
    }
    let (na, nb) = (negations(a_text), negations(b_text));
    if negation && na.is_empty() != nb.is_empty() {
        let (said, denied) = if na.is_empty() {
            ("B", &nb)
        } else {
            ("A", &na)
        };
        out.conflicts.push(Conflict {
            kind: "negation",
            a: na.join(", "),
            b: nb.join(", "),
            note: format!("only {said} negates the statement ({})", denied.join(", ")),
        });
    }
    out.only_a = a_rest;
    out.only_b = std::mem::take(&mut b_left);
    out
}

fn negations(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(str::to_lowercase)
        .filter(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") || w.ends_with("n’t"))
        .collect()
}

/// The word-level diff of two sentences (bounded in time).
pub fn word_diff(a: &str, b: &str) -> Vec<WordChange> {
    let diff = TextDiff::configure()
        .timeout(WORD_DIFF_DEADLINE)
        .diff_words(a, b);
    let mut out: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(change.value()),
            _ => out.push(WordChange {
                tag,
                text: change.value().to_owned(),
            }),
        }
    }
    out
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

    #[test]
    fn same_unit_different_value_is_a_conflict() {
        let a = "The Fed arranged 1.5 billion dlrs of customer repurchases on Tuesday.";
        let b = "The Fed arranged two billion dlrs of customer repurchases on Wednesday.";
        let c = compare_facts(&facts(a), &facts(b), a, b, true);
        let kinds: Vec<&str> = c.conflicts.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, ["number", "date"]);
        assert_eq!(
            c.conflicts[0].note,
            "different dollar: 1.5 billion dlrs vs two billion dlrs"
        );
        assert_eq!(c.shared.len(), 1, "the Fed");
    }

    #[test]
    fn denial_is_a_conflict_and_extra_facts_are_one_sided() {
        let a = "Ukrainian troops in Kursk were encircled, Gerasimov said.";
        let b = "Ukrainian troops in Kursk were not encircled, the General Staff said on Friday.";
        let c = compare_facts(&facts(a), &facts(b), a, b, true);
        assert!(c
            .conflicts
            .iter()
            .any(|x| x.kind == "negation" && x.note == "only B negates the statement (not)"));
        let only_b: Vec<&str> = c.only_b.iter().map(|f| f.text.as_str()).collect();
        assert!(only_b.contains(&"Friday"), "{only_b:?}");
    }

    #[test]
    fn word_diff_marks_rewording() {
        let d = word_diff(
            "a 30-day pause in fighting",
            "a 30-day ceasefire in fighting",
        );
        let tags: Vec<(&str, &str)> = d.iter().map(|c| (c.tag, c.text.as_str())).collect();
        assert_eq!(
            tags,
            [
                ("equal", "a 30-day "),
                ("delete", "pause"),
                ("insert", "ceasefire"),
                ("equal", " in fighting")
            ]
        );
    }
}
