//! Verbatim passages: runs of N or more words that appear word for word in both articles, so
//! a copy-paste is never hidden inside a paraphrase.
//!
//! Every N-word window of A is indexed (a window repeated more than a few times in A, such as
//! boilerplate, keeps only its first positions). B is read from left to right: at each window
//! of B that hits the index, the longest run both texts share from there is a passage, and
//! reading goes on after it. Every word of B is so in at most one passage, which bounds both
//! the work and the output by the length of B: a text of repeated sentences compared with
//! itself is one passage, not one per repeat (789 MB of JSON for 780 KB of input before).
//! Runs that start inside a listed passage, or copies of it elsewhere in A, are counted as
//! merged into it; beyond [`MAX_PASSAGES`] the shortest passages are dropped and counted.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::text::{normalize, Normalized};

/// Positions of one window followed at most this many times.
const MAX_REPEATS: usize = 8;

/// Most passages listed; the shortest beyond it are dropped (and counted).
pub const MAX_PASSAGES: usize = 500;

/// A passage shared word for word (after normalization).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// Length in words.
    pub words: usize,
    /// Byte range in A.
    pub a: Range<usize>,
    /// Byte range in B.
    pub b: Range<usize>,
    /// The passage as A writes it.
    pub text: String,
}

/// The passages found, and what was left out of the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Passages {
    /// Listed passages in A's order, disjoint in B.
    pub list: Vec<Passage>,
    /// Shared runs not listed because they start inside a listed passage (in B), or repeat
    /// one elsewhere in A.
    pub merged: usize,
    /// Passages beyond the cap, not listed.
    pub dropped: usize,
}

/// Token ids: equal normalized words get equal ids.
fn intern<'a>(n: &'a Normalized, ids: &mut HashMap<&'a str, u32>) -> Vec<u32> {
    (0..n.tokens.len())
        .map(|i| {
            let next = ids.len() as u32;
            *ids.entry(n.token_str(i)).or_insert(next)
        })
        .collect()
}

/// Shared passages of at least `min_words` words, in A's order, at most [`MAX_PASSAGES`].
pub fn shared_passages(a: &str, b: &str, min_words: usize) -> Vec<Passage> {
    find_passages(a, b, min_words, MAX_PASSAGES).list
}

/// Shared passages of at least `min_words` words, at most `max_listed` of them (the longest),
/// with the counts of runs merged into them and of passages dropped.
pub fn find_passages(a: &str, b: &str, min_words: usize, max_listed: usize) -> Passages {
    let min_words = min_words.max(1);
    let (mut na, mut nb) = (Normalized::default(), Normalized::default());
    normalize(a, &mut na);
    normalize(b, &mut nb);
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let ta = intern(&na, &mut ids);
    let tb = intern(&nb, &mut ids);
    if ta.len() < min_words || tb.len() < min_words {
        return Passages::default();
    }
    let mut index: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for (i, w) in ta.windows(min_words).enumerate() {
        let at = index.entry(w).or_default();
        if at.len() < MAX_REPEATS {
            at.push(i);
        }
    }
    // Whether a run through A's word i and B's word j starts there (on its diagonal).
    let run_starts = |i: usize, j: usize| i == 0 || j == 0 || ta[i - 1] != tb[j - 1];
    let extend = |i: usize, j: usize| {
        let mut len = min_words;
        while i + len < ta.len() && j + len < tb.len() && ta[i + len] == tb[j + len] {
            len += 1;
        }
        len
    };
    let last_window = tb.len() - min_words;
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut merged = 0;
    let mut j = 0;
    while j <= last_window {
        let Some(starts) = index.get(&tb[j..j + min_words]) else {
            j += 1;
            continue;
        };
        // The longest run from here (the first in A among equals).
        let (mut len, mut i) = (0, 0);
        for &at in starts {
            let l = extend(at, j);
            if l > len {
                (len, i) = (l, at);
            }
        }
        merged += starts
            .iter()
            .filter(|&&at| at != i && run_starts(at, j))
            .count();
        // Runs that start inside this one in B are part of it.
        for k in j + 1..(j + len).min(last_window + 1) {
            if let Some(inside) = index.get(&tb[k..k + min_words]) {
                merged += inside.iter().filter(|&&at| run_starts(at, k)).count();
            }
        }
        found.push((i, j, len));
        j += len;
    }
    let mut dropped = 0;
    if found.len() > max_listed {
        found.sort_unstable_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
        dropped = found.len() - max_listed;
        found.truncate(max_listed);
    }
    found.sort_unstable();
    let list = found
        .into_iter()
        .map(|(i, j, len)| {
            let ra = na.tokens[i].orig.start as usize..na.tokens[i + len - 1].orig.end as usize;
            let rb = nb.tokens[j].orig.start as usize..nb.tokens[j + len - 1].orig.end as usize;
            Passage {
                words: len,
                text: a[ra.clone()].to_owned(),
                a: ra,
                b: rb,
            }
        })
        .collect();
    Passages {
        list,
        merged,
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_maximal_shared_runs() {
        let a = "Intro words here. The quick brown fox jumps over the lazy dog near the river bank today.";
        let b = "Other opening. the quick brown fox jumps over the LAZY dog, near the river! End.";
        let p = shared_passages(a, b, 6);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].words, 12);
        assert_eq!(
            p[0].text,
            "The quick brown fox jumps over the lazy dog near the river"
        );
        assert_eq!(
            &b[p[0].b.clone()],
            "the quick brown fox jumps over the LAZY dog, near the river"
        );
    }

    #[test]
    fn item7_overlapping_runs_merge_into_one_passage() {
        let text = "one two three four five six seven eight nine ten. ".repeat(200);
        let found = find_passages(&text, &text, 8, MAX_PASSAGES);
        assert_eq!(found.list.len(), 1);
        assert_eq!(found.list[0].words, 2000);
        assert_eq!(
            (found.list[0].a.clone(), found.list[0].b.clone()),
            (0..text.len() - 2, 0..text.len() - 2)
        );
        // Every other copy of the period in A starts a run inside the listed one.
        assert!(found.merged >= 199, "{}", found.merged);
        assert_eq!(found.dropped, 0);
    }

    #[test]
    fn item7_a_passage_repeated_in_one_article_is_listed_once() {
        let p = "the quick brown fox jumps over the lazy dog near the river";
        let a = format!("{p}. Something else entirely here. {p}.");
        let b = format!("Intro. {p}.");
        let found = find_passages(&a, &b, 8, MAX_PASSAGES);
        assert_eq!(found.list.len(), 1);
        assert_eq!(&a[found.list[0].a.clone()], p);
        assert_eq!(found.merged, 1);
    }

    #[test]
    fn item7_passages_beyond_the_cap_are_dropped_shortest_first() {
        // Four shared runs of 8, 9, 10 and 11 words, separated by words only A or B has.
        let runs: Vec<String> = (8..12)
            .map(|n| {
                (0..n)
                    .map(|i| format!("r{n}w{i}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let a = runs
            .iter()
            .map(|r| format!("{r} onlya"))
            .collect::<Vec<_>>()
            .join(" ");
        let b = runs
            .iter()
            .map(|r| format!("{r} onlyb"))
            .collect::<Vec<_>>()
            .join(" ");
        let all = find_passages(&a, &b, 8, MAX_PASSAGES);
        assert_eq!(
            all.list.iter().map(|p| p.words).collect::<Vec<_>>(),
            [8, 9, 10, 11]
        );
        let capped = find_passages(&a, &b, 8, 2);
        assert_eq!(
            capped.list.iter().map(|p| p.words).collect::<Vec<_>>(),
            [10, 11]
        );
        assert_eq!(capped.dropped, 2);
    }

    #[test]
    fn short_runs_are_not_passages() {
        assert!(shared_passages("one two three four", "one two three four", 8).is_empty());
        assert!(shared_passages("a b c d e f g h", "h g f e d c b a", 3).is_empty());
    }
}
