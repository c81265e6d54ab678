//! The fact diff of two articles: which facts they share, which conflict, and which each
//! states alone, every one traced to its sentence.
//!
//! ```text
//! sentences(A), sentences(B)         news-aware units with byte ranges (text::sentences);
//!                                    long ones cut into windows (text::windows)
//!   → claims per sentence            clauses, attributed content, appositions (claims)
//!   → facts, weighted terms          entities, numbers, dates, quotes (extract); content
//!                                    words, stems, synonyms, IDF (terms, synonyms)
//!   → candidate claim pairs          inverted indexes both ways, synonyms too (support)
//!   → scored links, many to many     fitted pair score over lexical, vector and fact
//!                                    features (align, pair_score, vectors); denials (denial)
//!   → sentence items                 partner or backing claim, every sentence once (items)
//!   → shared | conflict | only_a | only_b, with evidence and word diffs (diff, conflict)
//!   + verbatim passages              copy-paste runs of N+ words, merged, capped (passages)
//! ```
//!
//! ```
//! use overlap::facts::{compare, Article, CompareOptions, ItemClass};
//!
//! let a = Article::new("a", "Envoy Steve Witkoff will meet Putin on Thursday. Oil rose 2 percent.");
//! let b = Article::new("b", "Putin and envoy Steve Witkoff meet on Thursday, the Kremlin said.");
//! let diff = compare(&a, &b, &CompareOptions::default());
//! assert_eq!(diff.items[0].class, ItemClass::Shared);
//! assert_eq!(diff.summary.only_a, 1); // the oil price
//! ```

mod align;
mod capped;
mod claims;
mod conflict;
mod denial;
mod diff;
mod extract;
mod items;
mod pair_score;
mod passages;
pub mod support;
mod synonyms;
mod terms;
mod vectors;

use std::ops::Range;

use serde::Serialize;

pub use align::lexical_parts;
pub use align::{same_entity, score as alignment_score, UnitTerms};
pub use capped::Capped;
pub use claims::{claims, Claim, ClaimKind, Speaker};
pub use denial::{denial, speaker, Denial, Denier};
pub use diff::{compare_facts, word_diff, Conflict, FactComparison, FactPair, Source, WordChange};
pub use extract::{extract, Capitals, Fact, FactKind};
pub use pair_score::{
    features as pair_features, graded_score, FEATURES as PAIR_FEATURES,
    FEATURE_NAMES as PAIR_FEATURE_NAMES, FITTED_THRESHOLD,
};
pub use passages::{find_passages, shared_passages, Passage, Passages, MAX_PASSAGES};
pub use terms::{
    background_factor, background_idf, background_weights, stem, term, term_into, terms, Idf,
};
pub use vectors::table_terms as vector_table_terms;

use items::{alone, backed, claim_terms, claim_text, paired, Which};

use crate::config::Params;
use crate::shingle::Shingler;
use crate::text::{cut_long_units, normalize, sentences, Normalized, MAX_UNIT_WORDS};
use crate::verify::{classify, similarity, MatchKind, Thresholds};

/// An article to compare.
#[derive(Debug, Clone)]
pub struct Article {
    /// How to name it in the output.
    pub id: String,
    /// Its text.
    pub text: String,
}

impl Article {
    /// An article from an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
        }
    }
}

/// Knobs of `compare`.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Lowest alignment score at which two sentences state the same fact.
    pub min_score: f64,
    /// Shortest verbatim passage, in words.
    pub passage_words: usize,
    /// Most sentences read from each article (the rest is left out, and the output says so).
    pub max_units: usize,
    /// Term statistics from a corpus; `None` counts the sentences of the two articles.
    pub idf: Option<Idf>,
    /// Scan parameters for the near-duplicate verdict in the summary.
    pub params: Params,
}

/// The default lowest score of a claim link, on the scale of the fitted pair score (the
/// probability that two claims are paraphrases; claims that back each other without being
/// paraphrases score lower). Chosen on ECB+'s dev topics 1-22 as the highest score that still
/// finds 70% of the sentences with a shared event (P 0.917 / R 0.731 there); the test topics
/// are in docs/compare.md.
pub const DEFAULT_MIN_SCORE: f64 = 0.06;

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            min_score: DEFAULT_MIN_SCORE,
            passage_words: 8,
            max_units: 2000,
            idf: None,
            params: Params::default(),
        }
    }
}

/// One sentence (fact unit) of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Position among the article's units.
    pub index: usize,
    /// Byte range in the article.
    pub range: Range<usize>,
    /// The sentence.
    pub text: String,
    /// Its atomic facts.
    pub facts: Vec<Fact>,
    /// Its claims (clauses, attributed content, appositions), each matched on its own; one
    /// `main` claim when the sentence states one thing.
    pub claims: Vec<Claim>,
}

/// One article as the diff sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Its id.
    pub id: String,
    /// Its full text (byte ranges point into it).
    pub text: String,
    /// Its sentences.
    pub units: Vec<Unit>,
    /// Sentences beyond `max_units` that were not compared.
    pub units_left_out: usize,
}

/// How an item of the diff relates the two articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemClass {
    /// The same fact, possibly reworded.
    Shared,
    /// The same kind of fact with different values, or one side denies what the other claims.
    Conflict,
    /// Only in A.
    OnlyA,
    /// Only in B.
    OnlyB,
}

impl ItemClass {
    /// The name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shared => "shared",
            Self::Conflict => "conflict",
            Self::OnlyA => "only_a",
            Self::OnlyB => "only_b",
        }
    }
}

/// One entry of the diff: an aligned pair of sentences, or a sentence one side has alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// What the entry says.
    pub class: ItemClass,
    /// The sentence of A (index into `a.units`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<usize>,
    /// The sentence of B.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<usize>,
    /// Alignment score (aligned pairs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Content words both sentences use (as A writes them).
    pub shared_terms: Vec<String>,
    /// The facts, compared.
    pub facts: FactComparison,
    /// Word diff from A's sentence to B's (aligned pairs only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub word_diff: Vec<WordChange>,
    /// Every claim of the other article that backs this item's sentences, with its score:
    /// a sentence may be backed by several, and back several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<Support>,
}

impl Item {
    /// The strongest link of a list (ties: the earliest sentences), the one a sentence shown
    /// without a partner is compared with.
    pub fn best_support(links: &[Support]) -> Option<&Support> {
        links.iter().max_by(|x, y| {
            x.score
                .total_cmp(&y.score)
                .then((y.a, y.b).cmp(&(x.a, x.b)))
        })
    }
}

/// A claim of A and a claim of B that state the same fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Support {
    /// The sentence of A.
    pub a: usize,
    /// The sentence of B.
    pub b: usize,
    /// The claim of A, as a byte range of A's text.
    pub a_claim: Range<usize>,
    /// The claim of B.
    pub b_claim: Range<usize>,
    /// How closely they agree, in [0, 1].
    pub score: f64,
    /// One denies what the other asserts (a conflict, however low the score).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub denial: bool,
}

/// The term statistics a comparison was scored with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdfSource {
    /// `pair`: the sentences of the two articles; `corpus`: the documents of a corpus.
    pub source: &'static str,
    /// How many sentences or documents were counted.
    pub documents: u32,
}

/// The headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Items stating shared facts: sentence pairs, and sentences backed by claims of the
    /// other article whose sentences stand beside another partner.
    pub shared: usize,
    /// Items that disagree with the other article.
    pub conflict: usize,
    /// Sentences only in A.
    pub only_a: usize,
    /// Sentences only in B.
    pub only_b: usize,
    /// Atomic facts found on both sides.
    pub shared_facts: usize,
    /// Atomic facts in conflict.
    pub conflicting_facts: usize,
    /// Atomic facts only A states (in its unmatched sentences and inside matched ones).
    pub only_a_facts: usize,
    /// Atomic facts only B states.
    pub only_b_facts: usize,
    /// Share of both articles' text (in bytes) that sits in aligned sentences.
    pub overlap: f64,
    /// Verbatim passages found.
    pub passages: usize,
    /// Jaccard similarity of the two articles' shingles at the scan defaults.
    pub jaccard: f64,
    /// Share of A's shingles found in B.
    pub a_in_b: f64,
    /// Share of B's shingles found in A.
    pub b_in_a: f64,
    /// What `overlap scan` would call the pair at its defaults (`null`: not a duplicate).
    pub scan_match: Option<MatchKind>,
    /// The term statistics the sentences were scored with (the same in `compare` and
    /// `report` at the same settings, so one pair gets one verdict).
    pub idf: IdfSource,
    /// Claim links found (a sentence may take part in several).
    pub links: usize,
    /// What was bounded: long sentences windowed, units left out, passages merged or dropped.
    pub capped: Capped,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactDiff {
    /// Format version of the JSON output.
    pub version: u32,
    /// Article A.
    pub a: Side,
    /// Article B.
    pub b: Side,
    /// Headline numbers.
    pub summary: Summary,
    /// Every sentence exactly once, in its dominant class: A's sentences in A's order (each
    /// beside its partner in B, or on its own), then B's sentences that stand beside none.
    pub items: Vec<Item>,
    /// Verbatim shared passages.
    pub passages: Vec<Passage>,
}

struct Prepared {
    side: Side,
    terms: Vec<Vec<String>>,
    /// Per unit: each term, the word it comes from, and where that word starts.
    surface: Vec<Vec<(String, String, usize)>>,
}

/// The terms of a sentence with the words they come from. A multi-word name counts once, by
/// its last word ("U.S. President Donald Trump" → `trump`), so long names and titles do not
/// outweigh the rest of the sentence.
fn unit_terms(
    text: &str,
    offset: usize,
    facts: &[Fact],
    norm: &mut Normalized,
) -> Vec<(String, String, usize)> {
    normalize(text, norm);
    let names: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.kind == FactKind::Entity)
        .collect();
    let mut out = Vec::new();
    for (t, tok) in norm.token_strs().zip(norm.tokens.iter()) {
        let (s, e) = (
            offset + tok.orig.start as usize,
            offset + tok.orig.end as usize,
        );
        if let Some(name) = names
            .iter()
            .find(|f| f.range.start <= s && e <= f.range.end)
        {
            // Only the name's last word stands for it, or the whole name when that word is
            // generic ("Russian General Staff" is not "Ukraine's General Staff").
            if e == name.range.end
                || text[e - offset..name.range.end - offset]
                    .chars()
                    .all(|c| !c.is_alphanumeric())
            {
                if extract::GENERIC_HEADS.contains(&t) {
                    out.push((name.key.clone(), name.text.clone(), name.range.start));
                } else if let Some(term) = terms::term(t) {
                    out.push((term, name.text.clone(), name.range.start));
                }
            }
            continue;
        }
        if let Some(term) = terms::term(t) {
            out.push((term, text[s - offset..e - offset].to_owned(), s));
        }
    }
    out
}

fn prepare(
    article: &Article,
    ranges: Vec<Range<usize>>,
    max_units: usize,
    caps: &Capitals,
) -> Prepared {
    let left_out = ranges.len().saturating_sub(max_units);
    let mut units = Vec::new();
    let mut all_terms = Vec::new();
    let mut surface = Vec::new();
    let mut norm = Normalized::default();
    for (index, range) in ranges.into_iter().take(max_units).enumerate() {
        let text = &article.text[range.clone()];
        let facts = extract(text, range.start, caps);
        let words = unit_terms(text, range.start, &facts, &mut norm);
        all_terms.push(words.iter().map(|(t, _, _)| t.clone()).collect());
        surface.push(words);
        let claims = claims(text, range.start);
        units.push(Unit {
            index,
            range,
            text: text.to_owned(),
            facts,
            claims,
        });
    }
    Prepared {
        side: Side {
            id: article.id.clone(),
            text: article.text.clone(),
            units,
            units_left_out: left_out,
        },
        terms: all_terms,
        surface,
    }
}

/// Compares two articles, split into sentences by [`sentences`].
pub fn compare(a: &Article, b: &Article, opts: &CompareOptions) -> FactDiff {
    compare_units(a, sentences(&a.text), b, sentences(&b.text), opts)
}

/// Compares two articles already split into units (byte ranges into their texts), for data
/// that comes with its own sentence boundaries. A unit of more than [`MAX_UNIT_WORDS`] words
/// is cut into windows like any other (`summary.capped.units_windowed` counts them); then the
/// item indices point past it, so map them back by `units[i].range` rather than by position.
pub fn compare_units(
    a: &Article,
    a_units: Vec<Range<usize>>,
    b: &Article,
    b_units: Vec<Range<usize>>,
    opts: &CompareOptions,
) -> FactDiff {
    // Long sentences become windows of at most MAX_UNIT_WORDS words: per-unit work (terms,
    // facts, scores, word diffs) then stays bounded whatever the input.
    let (a_cut, b_cut) = (
        cut_long_units(&a.text, a_units, MAX_UNIT_WORDS),
        cut_long_units(&b.text, b_units, MAX_UNIT_WORDS),
    );
    let (a_units, b_units) = (a_cut.units, b_cut.units);
    let mut caps = Capitals::default();
    for (art, units) in [(a, &a_units), (b, &b_units)] {
        for r in units {
            caps.observe(&art.text[r.clone()]);
        }
    }
    let pa = prepare(a, a_units, opts.max_units, &caps);
    let pb = prepare(b, b_units, opts.max_units, &caps);
    // Borrowed, not cloned: a corpus's table is large and a report compares thousands of pairs.
    let local;
    let idf = match &opts.idf {
        Some(idf) => idf,
        None => {
            let mut counts = Idf::default();
            pa.terms
                .iter()
                .chain(&pb.terms)
                .for_each(|t| counts.add_document(t));
            local = counts;
            &local
        }
    };
    let (ca, cb) = (claim_terms(&pa, idf), claim_terms(&pb, idf));
    // A denial shares few words with the claim it denies, so candidate pairs below the score
    // are asked too, when one side negates anything (a cheap test, once per claim).
    let texts_a: Vec<&str> = ca.iter().map(|c| claim_text(&pa.side, &c.range)).collect();
    let texts_b: Vec<&str> = cb.iter().map(|c| claim_text(&pb.side, &c.range)).collect();
    let neg_a: Vec<bool> = texts_a.iter().map(|t| denial::negates(t)).collect();
    let neg_b: Vec<bool> = texts_b.iter().map(|t| denial::negates(t)).collect();
    let links = support::link(&ca, &cb, opts.min_score, |i, j| {
        (neg_a[i] || neg_b[j]) && denial(texts_a[i], texts_b[j]).is_some()
    });
    let partners = support::partners(&links, &ca, &cb, pa.side.units.len(), pb.side.units.len());
    let as_support = |l: &support::Link| Support {
        a: ca[l.a].sentence,
        b: cb[l.b].sentence,
        a_claim: ca[l.a].range.clone(),
        b_claim: cb[l.b].range.clone(),
        score: l.score,
        denial: l.denial,
    };
    let (mut links_a, mut links_b) = (
        vec![Vec::new(); pa.side.units.len()],
        vec![Vec::new(); pb.side.units.len()],
    );
    for l in &links {
        links_a[ca[l.a].sentence].push(as_support(l));
        links_b[cb[l.b].sentence].push(as_support(l));
    }

    let mut items = Vec::new();
    let mut b_partnered = vec![false; pb.side.units.len()];
    let mut next_pair = partners.iter().peekable();
    for (i, unit) in pa.side.units.iter().enumerate() {
        match next_pair.peek() {
            Some(&&(pi, j, score)) if pi == i => {
                next_pair.next();
                b_partnered[j] = true;
                let mut support = links_a[i].clone();
                support.extend(links_b[j].iter().filter(|s| s.a != i).cloned());
                items.push(paired(&pa, &pb, i, j, score, support));
            }
            _ if !links_a[i].is_empty() => {
                items.push(backed(&pa, &pb, Which::A, i, &links_a[i]));
            }
            _ => items.push(alone(ItemClass::OnlyA, Some(i), None, &unit.facts)),
        }
    }
    for (j, unit) in pb.side.units.iter().enumerate() {
        if b_partnered[j] {
            continue;
        }
        if links_b[j].is_empty() {
            items.push(alone(ItemClass::OnlyB, None, Some(j), &unit.facts));
        } else {
            items.push(backed(&pa, &pb, Which::B, j, &links_b[j]));
        }
    }
    let found = find_passages(&a.text, &b.text, opts.passage_words, MAX_PASSAGES);
    let passages = found.list;
    let idf_source = IdfSource {
        source: if opts.idf.is_some() { "corpus" } else { "pair" },
        documents: idf.documents(),
    };
    let mut summary = summarize(
        &pa.side,
        &pb.side,
        &items,
        passages.len(),
        &opts.params,
        idf_source,
    );
    summary.links = links.len();
    summary.capped = Capped {
        units_windowed: a_cut.cut + b_cut.cut,
        windows: a_cut.windows + b_cut.windows,
        units_left_out: pa.side.units_left_out + pb.side.units_left_out,
        passages_merged: found.merged,
        passages_dropped: found.dropped,
    };
    FactDiff {
        version: 2,
        a: pa.side,
        b: pb.side,
        summary,
        items,
        passages,
    }
}

fn summarize(
    a: &Side,
    b: &Side,
    items: &[Item],
    passages: usize,
    params: &Params,
    idf: IdfSource,
) -> Summary {
    let count = |c: ItemClass| items.iter().filter(|i| i.class == c).count();
    let sum = |f: &dyn Fn(&Item) -> usize| items.iter().map(f).sum::<usize>();
    let unit_bytes = |s: &Side, i: usize| s.units[i].range.len();
    let aligned_bytes = sum(&|i: &Item| {
        if matches!(i.class, ItemClass::OnlyA | ItemClass::OnlyB) {
            return 0;
        }
        i.a.map_or(0, |x| unit_bytes(a, x)) + i.b.map_or(0, |y| unit_bytes(b, y))
    });
    let total: usize = a.units.iter().chain(&b.units).map(|u| u.range.len()).sum();
    let (sim, scan_match) = scan_verdict(&a.text, &b.text, params);
    Summary {
        shared: count(ItemClass::Shared),
        conflict: count(ItemClass::Conflict),
        only_a: count(ItemClass::OnlyA),
        only_b: count(ItemClass::OnlyB),
        shared_facts: sum(&|i: &Item| i.facts.shared.len()),
        conflicting_facts: sum(&|i: &Item| {
            i.facts
                .conflicts
                .iter()
                .filter(|c| c.kind != "denial")
                .count()
        }),
        only_a_facts: sum(&|i: &Item| i.facts.only_a.len()),
        only_b_facts: sum(&|i: &Item| i.facts.only_b.len()),
        overlap: if total == 0 {
            0.0
        } else {
            aligned_bytes as f64 / total as f64
        },
        passages,
        jaccard: sim.jaccard,
        a_in_b: sim.a_in_b,
        b_in_a: sim.b_in_a,
        scan_match,
        idf,
        links: 0,
        capped: Capped::default(),
    }
}

/// What the scan would say about the pair: the same shingles, thresholds and classification.
fn scan_verdict(
    a: &str,
    b: &str,
    params: &Params,
) -> (crate::verify::Similarity, Option<MatchKind>) {
    let mut shingler = Shingler::default();
    let sets: Vec<(String, Vec<u64>)> = [a, b]
        .iter()
        .map(|t| {
            let mut n = Normalized::default();
            normalize(t, &mut n);
            let mut set = Vec::new();
            shingler.shingles(&n, params.shingle, params.seed, &mut set);
            (n.text, set)
        })
        .collect();
    let sim = similarity(&sets[0].1, &sets[1].1);
    if !sets[0].0.is_empty() && sets[0].0 == sets[1].0 {
        return (sim, Some(MatchKind::Exact));
    }
    let t = Thresholds {
        jaccard: params.threshold,
        containment: params.containment,
    };
    (sim, classify(sim, t))
}

/// The alignment score of two single sentences (what `compare` uses to pair sentences), with
/// term weights from `idf`.
pub fn sentence_similarity(a: &str, b: &str, idf: &Idf) -> f64 {
    let (ua, ub) = sentence_units(a, b, idf);
    align::score(&ua, &ub)
}

/// Graded similarity of two single sentences in [0, 1] (a 0-5 grade / 5), from the graded
/// head of the pair model (see [`graded_score`]); what `eval` correlates with graded labels.
pub fn sentence_graded_similarity(a: &str, b: &str, idf: &Idf) -> f64 {
    let (ua, ub) = sentence_units(a, b, idf);
    graded_score(&ua, &ub)
}

/// What the pair score sees of two single sentences, with term weights from `idf`.
pub fn sentence_units(a: &str, b: &str, idf: &Idf) -> (UnitTerms, UnitTerms) {
    let mut caps = Capitals::default();
    caps.observe(a);
    caps.observe(b);
    let mut norm = Normalized::default();
    let mut unit = |s: &str| {
        let facts = extract(s, 0, &caps);
        let ts: Vec<String> = unit_terms(s, 0, &facts, &mut norm)
            .into_iter()
            .map(|(t, _, _)| t)
            .collect();
        UnitTerms::new(&ts, &facts, idf).with_words(s)
    };
    (unit(a), unit(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_ranges(side: &Side) {
        for u in &side.units {
            assert_eq!(&side.text[u.range.clone()], u.text);
            for f in &u.facts {
                assert!(
                    side.text.is_char_boundary(f.range.start)
                        && side.text.is_char_boundary(f.range.end)
                );
                assert!(
                    u.range.start <= f.range.start && f.range.end <= u.range.end,
                    "{f:?} outside {u:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any text, however odd (quotes, digits, currency, CJK, combining marks, newlines),
        /// compares without a panic, and every range it reports lies on character boundaries
        /// inside its sentence.
        #[test]
        fn arbitrary_text_compares_and_ranges_hold(
            a in "([A-Z][a-z]{0,8}|[0-9,.$€%-]{1,6}|[\"“”'‘’(). \n]|东京|e\u{301}|Mr\\.|U\\.S\\.| ){0,60}",
            b in "([A-Z][a-z]{0,8}|[0-9,.$€%-]{1,6}|[\"“”'‘’(). \n]|东京|e\u{301}|Mr\\.|U\\.S\\.| ){0,60}",
        ) {
            let diff = compare(&Article::new("a", a), &Article::new("b", b), &CompareOptions::default());
            check_ranges(&diff.a);
            check_ranges(&diff.b);
            for p in &diff.passages {
                prop_assert!(diff.a.text.is_char_boundary(p.a.start) && diff.a.text.is_char_boundary(p.a.end));
                prop_assert!(diff.b.text.is_char_boundary(p.b.start) && diff.b.text.is_char_boundary(p.b.end));
            }
            let classes = diff.summary.shared + diff.summary.conflict + diff.summary.only_a + diff.summary.only_b;
            prop_assert_eq!(classes, diff.items.len());
        }

        /// The same for any printable Unicode at all.
        #[test]
        fn any_unicode_compares(a in "\\PC{0,300}", b in "\\PC{0,300}") {
            let diff = compare(&Article::new("a", a), &Article::new("b", b), &CompareOptions::default());
            check_ranges(&diff.a);
            check_ranges(&diff.b);
        }
    }
}
