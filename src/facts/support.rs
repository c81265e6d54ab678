//! Many-to-many support: which claims of B back each claim of A, and the other way round.
//!
//! One sentence of B may support several facts of A ("a 30-day pause in hostilities" backs
//! both the ceasefire terms and the temporary halt), so claims are linked to every claim on
//! the other side that states the same fact, each link with its score. The sentence-level
//! view is derived from the links: each sentence pair's score is its best claim link, a
//! greedy one-to-one matching of those picks the pair a sentence is shown beside, and a
//! sentence with links but no partner left is still shared, with the links that back it.
//!
//! Candidates come from inverted indexes over the terms of both sides and their WordNet
//! synonyms (the heaviest shared terms first, a fixed number per claim), so the work grows with the number of claims, not
//! with its square, and swapping A and B gives the same links.

use std::collections::HashMap;

use std::ops::Range;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use super::align::{score, UnitTerms};
use super::synonyms;

/// Most candidate claims of the other side scored for one claim.
const CANDIDATES_PER_CLAIM: usize = 10;
/// A term in more claims than this adds no candidates (its weight is tiny anyway).
const MAX_POSTINGS: usize = 400;
/// What a shared synonym adds to a candidate's rank, as a share of the term's weight.
const SYNONYM_DISCOUNT: f64 = 0.8;
/// Most links kept per claim, best first: a claim backed by more is a generic one ("the
/// war") and more links would only bury the ones that matter.
pub const MAX_LINKS_PER_CLAIM: usize = 4;

/// One claim as alignment sees it.
#[derive(Debug, Clone)]
pub struct ClaimTerms {
    /// The sentence it belongs to.
    pub sentence: usize,
    /// Its byte range in the article.
    pub range: Range<usize>,
    /// Its weighted terms and facts.
    pub terms: UnitTerms,
}

/// A link between a claim of A and a claim of B (indexes into the claim lists).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Claim of A.
    pub a: usize,
    /// Claim of B.
    pub b: usize,
    /// Similarity in [0, 1].
    pub score: f64,
    /// One claim denies what the other asserts (kept whatever the score: a denial shares
    /// few words with the claim it denies).
    pub denial: bool,
}

/// Up to `CANDIDATES_PER_CLAIM` claims of `to` for each claim of `from`, by the summed weight
/// of the terms they share (heaviest first, ties by position).
fn candidates(from: &[ClaimTerms], to: &[ClaimTerms], mut push: impl FnMut(usize, usize)) {
    // Fixed-seed fast hashing: these maps are rebuilt for every pair a report compares.
    let mut postings: HashMap<&str, Vec<usize>, Xxh3DefaultBuilder> = HashMap::default();
    for (j, c) in to.iter().enumerate() {
        for (t, _) in &c.terms.terms {
            postings.entry(t.as_str()).or_default().push(j);
        }
    }
    let mut acc: HashMap<usize, f64, Xxh3DefaultBuilder> = HashMap::default();
    for (i, c) in from.iter().enumerate() {
        acc.clear();
        for (t, w) in &c.terms.terms {
            // The term itself, and its WordNet synonyms at a discount: "halt" finds "pause".
            let words = std::iter::once((t.as_str(), 1.0))
                .chain(synonyms::of(t).map(|s| (s, SYNONYM_DISCOUNT)));
            for (word, share) in words {
                if let Some(list) = postings.get(word).filter(|l| l.len() <= MAX_POSTINGS) {
                    for &j in list {
                        *acc.entry(j).or_default() += w * share;
                    }
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = acc.iter().map(|(&j, &w)| (j, w)).collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        for (j, _) in ranked.into_iter().take(CANDIDATES_PER_CLAIM) {
            push(i, j);
        }
    }
}

/// Every claim pair worth scoring, each once, in a fixed order.
pub fn candidate_pairs(a: &[ClaimTerms], b: &[ClaimTerms]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    candidates(a, b, |i, j| pairs.push((i, j)));
    candidates(b, a, |j, i| pairs.push((i, j)));
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Links every claim of A to the claims of B that state the same fact (score at least
/// `min_score`), keeping a link only while both of its claims have fewer than
/// [`MAX_LINKS_PER_CLAIM`] better ones, plus every candidate pair below the score that
/// `denies` says is a claim and its denial. Sorted by (a, b).
pub fn link(
    a: &[ClaimTerms],
    b: &[ClaimTerms],
    min_score: f64,
    denies: impl Fn(usize, usize) -> bool,
) -> Vec<Link> {
    let mut denials = Vec::new();
    let mut scored: Vec<Link> = candidate_pairs(a, b)
        .into_iter()
        .filter_map(|(i, j)| {
            // A claim copied word for word is the same fact: no model needed (copies are
            // most of what a corpus report compares).
            let (x, y) = (&a[i].terms, &b[j].terms);
            let s = if !x.terms.is_empty() && x.terms == y.terms && x.facts.len() == y.facts.len() {
                1.0
            } else {
                score(x, y)
            };
            let link = Link {
                a: i,
                b: j,
                score: s,
                denial: false,
            };
            if s >= min_score {
                Some(link)
            } else {
                if denies(i, j) {
                    denials.push(Link {
                        denial: true,
                        ..link
                    });
                }
                None
            }
        })
        .collect();
    scored.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let (mut per_a, mut per_b) = (vec![0usize; a.len()], vec![0usize; b.len()]);
    let mut kept = Vec::new();
    for l in scored {
        if per_a[l.a] < MAX_LINKS_PER_CLAIM && per_b[l.b] < MAX_LINKS_PER_CLAIM {
            per_a[l.a] += 1;
            per_b[l.b] += 1;
            kept.push(l);
        }
    }
    kept.extend(denials);
    kept.sort_by_key(|l| (l.a, l.b));
    kept
}

/// The sentence pairs shown side by side: each sentence pair scores its best claim link, and
/// pairs are taken best first while neither sentence has a partner. Sorted by A's sentence.
pub fn partners(
    links: &[Link],
    a: &[ClaimTerms],
    b: &[ClaimTerms],
    sentences_a: usize,
    sentences_b: usize,
) -> Vec<(usize, usize, f64)> {
    let mut best: HashMap<(usize, usize), f64, Xxh3DefaultBuilder> = HashMap::default();
    for l in links {
        let key = (a[l.a].sentence, b[l.b].sentence);
        let s = best.entry(key).or_insert(0.0);
        *s = s.max(l.score);
    }
    let mut pairs: Vec<(usize, usize, f64)> =
        best.into_iter().map(|((i, j), s)| (i, j, s)).collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let (mut used_a, mut used_b) = (vec![false; sentences_a], vec![false; sentences_b]);
    let mut out = Vec::new();
    for (i, j, s) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j, s));
        }
    }
    out.sort_by_key(|p| (p.0, p.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::extract::{extract, Capitals};
    use crate::facts::terms::{terms, Idf};

    fn claims(sentences: &[&str], idf: &Idf, caps: &Capitals) -> Vec<ClaimTerms> {
        sentences
            .iter()
            .enumerate()
            .map(|(i, s)| ClaimTerms {
                sentence: i,
                range: 0..s.len(),
                terms: UnitTerms::new(&terms(s), &extract(s, 0, caps), idf).with_words(s),
            })
            .collect()
    }

    fn setup(a: &[&str], b: &[&str]) -> (Vec<ClaimTerms>, Vec<ClaimTerms>) {
        let mut caps = Capitals::default();
        a.iter().chain(b).for_each(|s| caps.observe(s));
        let mut idf = Idf::default();
        a.iter().chain(b).for_each(|s| idf.add_document(&terms(s)));
        (claims(a, &idf, &caps), claims(b, &idf, &caps))
    }

    #[test]
    fn one_sentence_supports_two() {
        let a = [
            "Kyiv agreed to a ceasefire proposal on Tuesday.",
            "The proposal includes a halt to hostilities for 30 days.",
            "Oil prices rose sharply in Asian trading.",
        ];
        let b = ["Kyiv agreed on Tuesday to the ceasefire proposal, a 30-day halt to hostilities."];
        let (ca, cb) = setup(&a, &b);
        let links = link(&ca, &cb, 0.25, |_, _| false);
        let linked: Vec<usize> = links.iter().map(|l| l.a).collect();
        assert_eq!(linked, vec![0, 1], "{links:?}");
        // Only one of them can stand beside B's sentence; the other is still backed by it.
        assert_eq!(partners(&links, &ca, &cb, 3, 1).len(), 1);
    }

    #[test]
    fn links_do_not_depend_on_the_order_of_the_articles() {
        let a = [
            "Putin visited the Kursk region on Tuesday.",
            "Gerasimov said the troops were encircled.",
            "The talks will resume in Riyadh next week.",
        ];
        let b = [
            "Talks are due to resume next week in Riyadh.",
            "Putin went to Kursk on Tuesday, his first visit.",
        ];
        let (ca, cb) = setup(&a, &b);
        let ab: Vec<(usize, usize)> = link(&ca, &cb, 0.2, |_, _| false)
            .iter()
            .map(|l| (l.a, l.b))
            .collect();
        let mut ba: Vec<(usize, usize)> = link(&cb, &ca, 0.2, |_, _| false)
            .iter()
            .map(|l| (l.b, l.a))
            .collect();
        ba.sort_unstable();
        assert_eq!(ab, ba);
        assert!(ab.contains(&(0, 1)) && ab.contains(&(2, 0)), "{ab:?}");
    }
}
