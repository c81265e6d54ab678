//! What users rely on most, guarded by a test that fails when it slips (issue 16, item 6):
//! the planted copies of a slice of the real bench corpus are found. A change that weakens
//! candidate generation (fewer LSH bands, a smaller sample, a stricter bucket cap) loses
//! planted pairs near the threshold, and this test names them.
//!
//! The copies are made here as `../shared/bench/make_planted.py` makes them (words deleted,
//! inserted or swapped), but with 1-4% of the words edited, so that most pairs sit just
//! above or below the 0.8 threshold where a weaker engine loses them first; the seed is
//! fixed, and each pair's Jaccard is measured here on 5-word shingles rebuilt from the texts,
//! independently of the engine.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::util::{needs, plain_shingles, plain_words, run, TestEnv};

/// Documents of the bench corpus in the slice; each with 25 words or more gets a copy.
const SLICE: usize = 4000;
/// The share of the planted pairs at Jaccard 0.8 or more (2,173 of them) that each candidate
/// path must find. At this seed the scan finds all of them, LSH alone all but one; LSH with
/// every second band dropped misses 10 (recall 0.9954).
const RECALL_FLOOR: f64 = 0.998;

/// A fixed-seed xorshift generator: the same copies on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn jaccard(a: &str, b: &str) -> f64 {
    let (a, b) = (plain_shingles(a), plain_shingles(b));
    let shared = a.intersection(&b).count() as f64;
    shared / ((a.len() + b.len()) as f64 - shared)
}

/// A copy of `words` with 1-4% of them deleted, inserted (from `pool`) or swapped.
fn mutate(words: &[&str], pool: &[&str], rng: &mut Rng) -> String {
    let mut w: Vec<&str> = words.to_vec();
    let rate = 1 + rng.below(4);
    let edits = (words.len() * rate / 100).max(1);
    for _ in 0..edits {
        match rng.below(3) {
            0 if w.len() > 1 => {
                w.remove(rng.below(w.len()));
            }
            0 | 1 => {
                let at = rng.below(w.len() + 1);
                w.insert(at, pool[rng.below(pool.len())]);
            }
            _ if w.len() > 1 => {
                let i = rng.below(w.len() - 1);
                w.swap(i, i + 1);
            }
            _ => {}
        }
    }
    w.join(" ")
}

#[test]
#[cfg_attr(
    overlap_skip_shared,
    ignore = "OVERLAP_SKIP_SHARED is set: needs the data in ../shared"
)]
fn item6_planted_copies_in_a_bench_slice_are_found() {
    let test = "item6_planted_copies_in_a_bench_slice_are_found";
    let Some(path) = needs::shared_file(test, "bench/corpus.jsonl") else {
        return;
    };
    let corpus = std::fs::read_to_string(path).expect("read the bench corpus");
    let docs: Vec<(String, String)> = corpus
        .lines()
        .take(SLICE)
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_owned(),
                v["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pool: Vec<&str> = docs
        .iter()
        .take(500)
        .flat_map(|(_, t)| t.split_whitespace())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut planted: Vec<(String, String, f64)> = Vec::new();
    let mut lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| json!({"id": id, "text": text}).to_string())
        .collect();
    let eligible = docs.iter().filter(|(_, t)| plain_words(t).len() >= 25);
    for (n, (id, text)) in eligible.enumerate() {
        let words: Vec<&str> = text.split_whitespace().collect();
        let copy = mutate(&words, &pool, &mut rng);
        let copy_id = format!("planted-{n:04}");
        planted.push((copy_id.clone(), id.clone(), jaccard(&copy, text)));
        // Spread the copies through the file, away from their sources.
        let at = rng.below(lines.len() + 1);
        lines.insert(at, json!({"id": copy_id, "text": copy}).to_string());
    }
    let env = TestEnv::new();
    env.write("slice.jsonl", lines.join("\n") + "\n");
    let above = planted.iter().filter(|p| p.2 >= 0.8).count();
    assert!(above >= 1500, "only {above} planted pairs reach 0.8");
    // Both candidate paths find near-duplicates: LSH bands and the containment samples. Each
    // must find the planted pairs alone, or a weakened one would hide behind the other.
    for flags in [&[][..], &["--no-containment"][..]] {
        let missed = missed_pairs(&env, &planted, flags);
        let recall = 1.0 - missed.len() as f64 / above as f64;
        assert!(
            recall >= RECALL_FLOOR,
            "{flags:?}: {} of {above} planted pairs at Jaccard >= 0.8 were missed: {missed:#?}",
            missed.len(),
        );
    }
    // The test has teeth: half the bands, LSH alone, falls below the floor.
    let weak = missed_pairs(
        &env,
        &planted,
        &["--no-containment", "--bands", "10", "--rows", "6"],
    );
    assert!(
        1.0 - (weak.len() as f64 / above as f64) < RECALL_FLOOR,
        "half the LSH bands still found all but {} of {above}: the floor no longer tells",
        weak.len()
    );
}

/// The planted pairs at Jaccard 0.8 or more whose copy and source a scan with `flags` does
/// not put in one cluster.
fn missed_pairs(env: &TestEnv, planted: &[(String, String, f64)], flags: &[&str]) -> Vec<String> {
    let mut args = vec!["scan", "slice.jsonl", "--no-stories", "-f", "json", "-q"];
    args.extend(flags);
    let r = run(env.cmd(&args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    for (c, cluster) in out["clusters"].as_array().unwrap().iter().enumerate() {
        for m in cluster["members"].as_array().unwrap() {
            cluster_of.insert(m["id"].as_str().unwrap(), c);
        }
    }
    let together = |a: &str, b: &str| {
        cluster_of
            .get(a)
            .is_some_and(|c| cluster_of.get(b) == Some(c))
    };
    planted
        .iter()
        .filter(|(copy, source, j)| *j >= 0.8 && !together(copy, source))
        .map(|(copy, source, j)| format!("{copy} of {source} (Jaccard {j:.3})"))
        .collect()
}
