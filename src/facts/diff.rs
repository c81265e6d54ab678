//! Comparing the facts of two aligned sentences: which agree, which conflict, which each side
//! states alone, and the word diff that shows the rewording.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::align::same_entity;
use super::conflict::{locate, value_conflicts};
use super::denial::{denial, speaker, Denier};
use super::extract::{Fact, FactKind};

/// Most work a word diff may do, as the square of the tokens (words and the spaces between
/// them) left once the common start and end are set aside: Myers' algorithm takes at most
/// about that many steps. 2,048 tokens (some 1,000 words) is far beyond any real sentence.
/// A count, not a clock, so that the diff is the same on any machine under any load.
const WORD_DIFF_BUDGET: usize = 2048 * 2048;

/// A fact stated on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactPair {
    /// As A states it.
    pub a: Fact,
    /// As B states it.
    pub b: Fact,
}

/// Two sentences that disagree about one slot of the same event, or one denies what the
/// other asserts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// `number`, `date`, `entity` or `denial`.
    pub kind: &'static str,
    /// What A says.
    pub a: String,
    /// What B says.
    pub b: String,
    /// Why this is a conflict.
    pub note: String,
    /// Who says A's side.
    pub a_source: Source,
    /// Who says B's side.
    pub b_source: Source,
}

/// Who says one side of a conflict: the speaker its sentence names ("Gerasimov reported",
/// "Ukraine's General Staff said"), else the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The speaker as written, or the article id (empty until [`FactComparison::attribute`]
    /// names the articles).
    pub name: String,
    /// True when the sentence names the speaker; false when the source is the article.
    pub named: bool,
}

impl Source {
    fn from_speaker(speaker: Option<&String>) -> Self {
        Self {
            name: speaker.cloned().unwrap_or_default(),
            named: speaker.is_some(),
        }
    }
}

impl Conflict {
    /// A conflict not yet attributed to its sources.
    pub(crate) fn new(kind: &'static str, a: &str, b: &str, note: String) -> Self {
        Self {
            kind,
            a: a.to_owned(),
            b: b.to_owned(),
            note,
            a_source: Source::default(),
            b_source: Source::default(),
        }
    }
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

impl FactComparison {
    /// Names the article as the source of every conflict side whose sentence names no
    /// speaker.
    pub fn attribute(&mut self, a_id: &str, b_id: &str) {
        for c in &mut self.conflicts {
            for (source, id) in [(&mut c.a_source, a_id), (&mut c.b_source, b_id)] {
                if !source.named {
                    source.name = id.to_owned();
                }
            }
        }
    }
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

/// Compares the facts of two aligned sentences: shared facts, value conflicts (same slot of
/// the same event, see `conflict`), facts one side states alone; with `negation`, also a
/// denial of what the other side asserts (see [`denial`]). Every conflict names who says
/// each side when the sentence does; [`FactComparison::attribute`] names the articles for
/// the rest.
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
    let b_left: Vec<Fact> = b_facts
        .iter()
        .zip(&b_used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f.clone())
        .collect();
    // Same slot of the same event, a value that truly differs (see `conflict`).
    let found = value_conflicts(&a_left, &b_left, a_facts, b_facts, a_text, b_text);
    let (a_gone, b_gone): (Vec<usize>, Vec<usize>) = found.iter().map(|(i, j, _)| (*i, *j)).unzip();
    out.conflicts = found.into_iter().map(|(_, _, c)| c).collect();
    let a_rest: Vec<Fact> = a_left
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !a_gone.contains(i))
        .map(|(_, f)| f)
        .collect();
    let mut b_left: Vec<Fact> = b_left
        .into_iter()
        .enumerate()
        .filter(|(j, _)| !b_gone.contains(j))
        .map(|(_, f)| f)
        .collect();
    if negation {
        if let Some(d) = denial(a_text, b_text) {
            let (said, other) = match d.denier {
                Denier::A => ("A", "B"),
                Denier::B => ("B", "A"),
            };
            let (a, b) = match d.denier {
                Denier::A => (d.denied.clone(), d.terms.join(", ")),
                Denier::B => (d.terms.join(", "), d.denied.clone()),
            };
            out.conflicts.push(Conflict {
                kind: "denial",
                note: format!("{said} denies what {other} asserts: \"{}\"", d.denied),
                a,
                b,
                a_source: Source::default(),
                b_source: Source::default(),
            });
        }
    }
    if !out.conflicts.is_empty() {
        let (who_a, who_b) = (
            sentence_speaker(a_facts, a_text),
            sentence_speaker(b_facts, b_text),
        );
        for c in &mut out.conflicts {
            c.a_source = Source::from_speaker(who_a.as_ref());
            c.b_source = Source::from_speaker(who_b.as_ref());
        }
    }
    out.only_a = a_rest;
    out.only_b = std::mem::take(&mut b_left);
    out
}

/// The speaker a sentence names, from its entities (ranges made relative to the sentence).
fn sentence_speaker(facts: &[Fact], text: &str) -> Option<String> {
    let names: Vec<Fact> = facts
        .iter()
        .zip(locate(facts, text))
        .filter(|(f, _)| f.kind == FactKind::Entity)
        .filter_map(|(f, at)| at.map(|range| Fact { range, ..f.clone() }))
        .collect();
    speaker(text, &names)
}

/// The word-level diff of two sentences. Bounded in work, not in time: when the parts that
/// differ are too long (their token counts' product over 2048²), the diff keeps the common
/// start and end and shows everything between as deleted and inserted.
pub fn word_diff(a: &str, b: &str) -> Vec<WordChange> {
    let (ta, tb) = (word_tokens(a), word_tokens(b));
    let prefix = ta.iter().zip(&tb).take_while(|(x, y)| x == y).count();
    let suffix = ta[prefix..]
        .iter()
        .rev()
        .zip(tb[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let differing = (ta.len() - prefix - suffix) + (tb.len() - prefix - suffix);
    let ops = if differing.saturating_mul(differing) <= WORD_DIFF_BUDGET {
        capture_diff_slices(Algorithm::Myers, &ta, &tb)
    } else {
        coarse_ops(ta.len(), tb.len(), prefix, suffix)
    };
    let mut out: Vec<WordChange> = Vec::new();
    let mut push = |tag: &'static str, tokens: &[&str]| {
        if tokens.is_empty() {
            return;
        }
        let text = tokens.concat();
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(&text),
            _ => out.push(WordChange { tag, text }),
        }
    };
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => push("equal", &ta[old]),
            DiffOp::Delete { .. } => push("delete", &ta[old]),
            DiffOp::Insert { .. } => push("insert", &tb[new]),
            DiffOp::Replace { .. } => {
                push("delete", &ta[old]);
                push("insert", &tb[new]);
            }
        }
    }
    out
}

/// Runs of whitespace and runs of anything else, in order: the words of a word diff with the
/// spacing between them, so that the pieces concatenate back to the sentence.
fn word_tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            tokens.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// The diff of a pair too long to align word by word: the common start, the rest of A
/// deleted, the rest of B inserted, the common end.
fn coarse_ops(a_len: usize, b_len: usize, prefix: usize, suffix: usize) -> Vec<DiffOp> {
    let (a_mid, b_mid) = (a_len - prefix - suffix, b_len - prefix - suffix);
    vec![
        DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: prefix,
        },
        DiffOp::Delete {
            old_index: prefix,
            old_len: a_mid,
            new_index: prefix,
        },
        DiffOp::Insert {
            old_index: prefix + a_mid,
            new_index: prefix,
            new_len: b_mid,
        },
        DiffOp::Equal {
            old_index: prefix + a_mid,
            new_index: prefix + b_mid,
            len: suffix,
        },
    ]
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
            .any(|x| x.kind == "denial" && x.note == "B denies what A asserts: \"not encircled\""));
        assert_eq!(c.conflicts[0].a_source.name, "Gerasimov");
        assert_eq!(c.conflicts[0].b_source.name, "General Staff");
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

    fn rebuilt(diff: &[WordChange], keep: &str) -> String {
        diff.iter()
            .filter(|c| c.tag == "equal" || c.tag == keep)
            .map(|c| c.text.as_str())
            .collect()
    }

    #[test]
    fn item10_word_diff_over_budget_is_coarse_and_exact() {
        // 3,000 words each side: far over the budget, so the middle is replaced wholesale,
        // the same way on every machine.
        let a: Vec<String> = (0..3000).map(|i| format!("w{}", i % 37)).collect();
        let b: Vec<String> = (0..3000).map(|i| format!("w{}", i % 41)).collect();
        let (a, b) = (
            format!("Same start {} same end.", a.join(" ")),
            format!("Same start {} same end.", b.join("  ")),
        );
        let d = word_diff(&a, &b);
        let tags: Vec<&str> = d.iter().map(|c| c.tag).collect();
        assert_eq!(tags, ["equal", "delete", "insert", "equal"]);
        assert_eq!(d[0].text, "Same start w0");
        assert_eq!(rebuilt(&d, "delete"), a);
        assert_eq!(rebuilt(&d, "insert"), b);
    }

    #[test]
    fn word_diff_tokens_rebuild_the_sentences() {
        let (a, b) = ("  Die   Kälte\tkam. ", "Die Kälte kam\n früh.");
        let d = word_diff(a, b);
        assert_eq!(rebuilt(&d, "delete"), a);
        assert_eq!(rebuilt(&d, "insert"), b);
        assert_eq!(
            word_tokens(a),
            ["  ", "Die", "   ", "Kälte", "\t", "kam.", " "]
        );
        assert!(word_diff("", "").is_empty());
    }
}
