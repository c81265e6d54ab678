//! Speed of `compare` with the default options, on one core: two ~1,000-word articles from
//! the bench corpus (`reuters-2521`, 970 words, and `reuters-5214`, 1,004 words; the two seed
//! articles when the corpus is absent), and the two seed articles (450 and 750 words), which
//! share many facts. The bar: ≤ 20 ms median for two 1,000-word articles.
//!
//! Run with `cargo bench --bench compare`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use overlap::facts::{compare, Article, CompareOptions};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/corpus.jsonl");
const SEED_A: &str = include_str!("../samples/000_ef569615e60f7221.txt");
const SEED_B: &str = include_str!("../samples/004_19ddaf6e8d9fc9cf.txt");

/// The two corpus articles by id, or `None` without the corpus.
fn corpus_pair() -> Option<(String, String)> {
    let text = std::fs::read_to_string(CORPUS).ok()?;
    let find = |id: &str| {
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["id"] == id)
            .and_then(|v| v["text"].as_str().map(str::to_owned))
    };
    Some((find("reuters-2521")?, find("reuters-5214")?))
}

fn bench(c: &mut Criterion) {
    let opts = CompareOptions::default();
    let (a, b) = corpus_pair().unwrap_or((SEED_A.to_owned(), SEED_B.to_owned()));
    let (a, b) = (Article::new("a", a), Article::new("b", b));
    let (sa, sb) = (Article::new("a", SEED_A), Article::new("b", SEED_B));
    let mut group = c.benchmark_group("compare");
    group.bench_function("two_1000_word_articles", |bench| {
        bench.iter(|| compare(black_box(&a), black_box(&b), &opts))
    });
    group.bench_function("seed_pair", |bench| {
        bench.iter(|| compare(black_box(&sa), black_box(&sb), &opts))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
