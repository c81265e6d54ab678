//! The items of a fact diff, built from the claim links: a sentence beside its partner, a
//! sentence backed by a claim whose sentence stands beside another partner, or a sentence
//! alone; each with its facts compared, its denials, word diff and the links that back it.

use std::ops::Range;

use super::support::ClaimTerms;
use super::{
    compare_facts, word_diff, Fact, FactComparison, Idf, Item, ItemClass, Prepared, Side, Support,
    UnitTerms,
};

/// The claims of one article with their weighted terms: each claim holds the terms of the
/// words and the facts that lie inside it.
pub(super) fn claim_terms(p: &Prepared, idf: &Idf) -> Vec<ClaimTerms> {
    let mut out = Vec::new();
    for (u, surface) in p.side.units.iter().zip(&p.surface) {
        for c in &u.claims {
            let inside = |start: usize| c.range.start <= start && start < c.range.end;
            let terms: Vec<String> = surface
                .iter()
                .filter(|(_, _, at)| inside(*at))
                .map(|(t, _, _)| t.clone())
                .collect();
            let facts: Vec<Fact> = u
                .facts
                .iter()
                .filter(|f| inside(f.range.start))
                .cloned()
                .collect();
            out.push(ClaimTerms {
                sentence: u.index,
                range: c.range.clone(),
                terms: UnitTerms::new(&terms, &facts, idf)
                    .with_words(p.side.text.get(c.range.clone()).unwrap_or_default()),
            });
        }
    }
    out
}

/// The words of A's sentence `i` that B's sentence `j` uses too, as A writes them.
pub(super) fn shared_words(pa: &Prepared, pb: &Prepared, i: usize, j: usize) -> Vec<String> {
    let b_terms: std::collections::HashSet<&String> = pb.terms[j].iter().collect();
    let mut shared: Vec<String> = Vec::new();
    for (t, word, _) in &pa.surface[i] {
        if b_terms.contains(t) && !shared.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            shared.push(word.clone());
        }
    }
    shared
}

/// Sentence `i` of A shown beside its partner, sentence `j` of B.
pub(super) fn paired(
    pa: &Prepared,
    pb: &Prepared,
    i: usize,
    j: usize,
    score: f64,
    support: Vec<Support>,
) -> Item {
    let (ua, ub) = (&pa.side.units[i], &pb.side.units[j]);
    let mut facts = compare_facts(&ua.facts, &ub.facts, &ua.text, &ub.text, true);
    facts.attribute(&pa.side.id, &pb.side.id);
    add_denials(pa, pb, &mut facts, &support, Some((i, j)));
    Item {
        class: if facts.conflicts.is_empty() {
            ItemClass::Shared
        } else {
            ItemClass::Conflict
        },
        a: Some(i),
        b: Some(j),
        score: Some(score),
        shared_terms: shared_words(pa, pb, i, j),
        word_diff: word_diff(&ua.text, &ub.text),
        facts,
        support,
    }
}

/// Adds the denials among an item's links that the pair it shows (`shown`) does not carry
/// already: each a conflict between the two sentences, attributed to who says them.
pub(super) fn add_denials(
    pa: &Prepared,
    pb: &Prepared,
    facts: &mut FactComparison,
    support: &[Support],
    shown: Option<(usize, usize)>,
) {
    let mut asked = Vec::new();
    for s in support.iter().filter(|s| s.denial) {
        if Some((s.a, s.b)) == shown || asked.contains(&(s.a, s.b)) {
            continue;
        }
        asked.push((s.a, s.b));
        let (ua, ub) = (&pa.side.units[s.a], &pb.side.units[s.b]);
        let mut found = compare_facts(&ua.facts, &ub.facts, &ua.text, &ub.text, true);
        found.attribute(&pa.side.id, &pb.side.id);
        for c in found.conflicts.into_iter().filter(|c| c.kind == "denial") {
            if !facts.conflicts.iter().any(|x| x.note == c.note) {
                facts.conflicts.push(c);
            }
        }
    }
}

/// The text of a claim (a byte range of the article).
pub(super) fn claim_text<'a>(side: &'a Side, range: &Range<usize>) -> &'a str {
    side.text.get(range.clone()).unwrap_or("")
}

/// Which article a sentence belongs to.
#[derive(Clone, Copy)]
pub(super) enum Which {
    A,
    B,
}

/// A sentence backed by claims of the other article whose sentences stand beside other
/// partners: shared, listed once on its own side with the links that back it. Its facts are
/// compared with those of its best backing sentence, its words with its best backing claim.
pub(super) fn backed(
    pa: &Prepared,
    pb: &Prepared,
    side: Which,
    index: usize,
    links: &[Support],
) -> Item {
    let best = Item::best_support(links).expect("a backed sentence has links");
    let (i, j) = (best.a, best.b);
    let (ua, ub) = (&pa.side.units[i], &pb.side.units[j]);
    let mut full = compare_facts(&ua.facts, &ub.facts, &ua.text, &ub.text, true);
    full.attribute(&pa.side.id, &pb.side.id);
    add_denials(pa, pb, &mut full, links, Some((i, j)));
    // Only this side's facts are this item's: the other sentence is listed elsewhere.
    let facts = match side {
        Which::A => FactComparison {
            only_b: Vec::new(),
            ..full
        },
        Which::B => FactComparison {
            only_a: Vec::new(),
            ..full
        },
    };
    Item {
        class: if facts.conflicts.is_empty() {
            ItemClass::Shared
        } else {
            ItemClass::Conflict
        },
        a: matches!(side, Which::A).then_some(index),
        b: matches!(side, Which::B).then_some(index),
        score: Some(best.score),
        shared_terms: shared_words(pa, pb, i, j),
        word_diff: match side {
            Which::A => word_diff(&ua.text, claim_text(&pb.side, &best.b_claim)),
            Which::B => word_diff(claim_text(&pa.side, &best.a_claim), &ub.text),
        },
        facts,
        support: links.to_vec(),
    }
}

pub(super) fn alone(class: ItemClass, a: Option<usize>, b: Option<usize>, facts: &[Fact]) -> Item {
    let mut comparison = FactComparison::default();
    match class {
        ItemClass::OnlyA => comparison.only_a = facts.to_vec(),
        _ => comparison.only_b = facts.to_vec(),
    }
    Item {
        class,
        a,
        b,
        score: None,
        shared_terms: Vec::new(),
        facts: comparison,
        word_diff: Vec::new(),
        support: Vec::new(),
    }
}
