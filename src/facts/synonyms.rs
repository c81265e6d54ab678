//! Synonyms from WordNet: terms that name the same thing in their commonest senses
//! ("retake" / "recapture", "encircle" / "surround"), which word vectors only place near
//! each other among many other neighbours.
//!
//! Two words count as synonyms when they share a synset that is among the first two senses
//! (WordNet lists senses commonest first) of one and the first four of the other, so rare
//! senses of both do not join unrelated words. The table (`synonyms.tsv`: a term, a tab, its synonyms separated by
//! spaces, sorted by term) holds the pairs as `terms::term` spells them; it is generated from
//! WordNet 3.0 by the ignored test `regenerate_synonym_table` and read into a hash map on
//! first use.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("synonyms.tsv");

/// The table as a map from term to synonyms, built once per process (a few milliseconds):
/// candidate search asks for the synonyms of every term of every claim, so each lookup must
/// be a hash probe, not a search of the text.
fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(term, rest)| (term, rest.split(' ').filter(|s| !s.is_empty()).collect()))
            .collect()
    })
}

/// The synonyms of a term (as `terms::term` spells them), or none.
pub fn of(term: &str) -> impl Iterator<Item = &'static str> {
    table().get(term).into_iter().flatten().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::terms::term;

    fn are_synonyms(a: &str, b: &str) -> bool {
        a != b && of(a).any(|s| s == b)
    }

    fn syn(a: &str, b: &str) -> bool {
        are_synonyms(&term(a).unwrap(), &term(b).unwrap())
    }

    #[test]
    fn commonest_senses_join_and_rare_ones_do_not() {
        assert!(syn("halt", "stop"));
        assert!(syn("pause", "suspension"));
        assert!(syn("threat", "menace"));
        assert!(!syn("halt", "banana"));
        assert!(!syn("ring", "surround"));
        // Symmetric, and a term is not its own synonym.
        assert!(syn("stop", "halt"));
        assert!(!are_synonyms("halt", "halt"));
    }

    #[test]
    fn the_table_is_sorted_and_well_formed() {
        let keys: Vec<&str> = TABLE
            .lines()
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert!(keys.len() > 1000, "{} terms", keys.len());
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(TABLE.lines().all(|l| l.split('\t').count() == 2));
    }

    /// Writes `synonyms.tsv` from WordNet 3.0's `index.*` and `data.*` files (Debian's
    /// `wordnet-base`, in /usr/share/wordnet):
    /// `OVERLAP_WORDNET=/usr/share/wordnet cargo test --release --lib -- --ignored regenerate_synonym_table`.
    #[test]
    #[ignore]
    fn regenerate_synonym_table() {
        use std::collections::{BTreeMap, BTreeSet, HashMap};
        let dir = std::env::var("OVERLAP_WORDNET").expect("OVERLAP_WORDNET=DIR");
        // Per synset, the single-word lemmas that have it among their first four senses, each
        // with its rank there (0 = commonest).
        let mut members: HashMap<(String, String), BTreeMap<String, usize>> = HashMap::new();
        for pos in ["noun", "verb", "adj", "adv"] {
            let index = std::fs::read_to_string(format!("{dir}/index.{pos}")).expect("index");
            for line in index.lines().filter(|l| !l.starts_with(' ')) {
                let f: Vec<&str> = line.split(' ').collect();
                let lemma = f[0];
                if !lemma.chars().all(|c| c.is_ascii_lowercase()) || lemma.len() < 3 {
                    continue;
                }
                let synsets: usize = f[2].parse().expect("synset count");
                let pointers: usize = f[3].parse().expect("pointer count");
                let offsets = &f[4 + pointers + 2..];
                for (rank, off) in offsets.iter().take(synsets.min(4)).enumerate() {
                    members
                        .entry((pos.to_owned(), (*off).to_owned()))
                        .or_default()
                        .insert(lemma.to_owned(), rank);
                }
            }
        }
        // Irregular forms first (term() reads them): single-word form → base, sorted.
        let mut irregular: BTreeMap<String, String> = BTreeMap::new();
        for pos in ["verb", "noun"] {
            let exc = std::fs::read_to_string(format!("{dir}/{pos}.exc")).expect("exceptions");
            for line in exc.lines() {
                let mut f = line.split(' ');
                let (Some(form), Some(base)) = (f.next(), f.next()) else {
                    continue;
                };
                let plain = |w: &str| w.chars().all(|c| c.is_ascii_lowercase());
                if plain(form) && plain(base) && form != base {
                    irregular
                        .entry(form.to_owned())
                        .or_insert_with(|| base.to_owned());
                }
            }
        }
        let lines: String = irregular
            .iter()
            .map(|(f, b)| format!("{f}\t{b}\n"))
            .collect();
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/facts/irregular.tsv"),
            lines,
        )
        .expect("write the irregular forms");
        let mut table: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for words in members.values().filter(|w| w.len() >= 2) {
            let ranked: Vec<(String, usize)> = words
                .iter()
                .filter_map(|(w, &rank)| Some((term(w)?, rank)))
                .collect();
            for (a, ra) in &ranked {
                for (b, rb) in &ranked {
                    // One of the two in a commonest sense, the other in its first four.
                    if a != b && (*ra).min(*rb) < 2 {
                        table.entry(a.clone()).or_default().insert(b.clone());
                        table.entry(b.clone()).or_default().insert(a.clone());
                    }
                }
            }
        }
        let mut out = String::new();
        for (t, syns) in table {
            out.push_str(&t);
            out.push('\t');
            out.push_str(&syns.into_iter().collect::<Vec<_>>().join(" "));
            out.push('\n');
        }
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/facts/synonyms.tsv"),
            out,
        )
        .expect("write the table");
    }
}
