//! The speed of `compare` on two news articles of about 1,000 words each (the bar:
//! a median of 20 ms or less on one core), and of one sentence pair's score.
//!
//! The articles are built from samples/: A = the first seed article + the local flood story
//! (1,052 words), B = the second seed article + the flood wire copy + the budget story
//! (1,180 words), so the pair has paraphrases, a contained wire copy and unrelated parts.
//!
//! Run: `cargo bench --bench compare`.

use criterion::{criterion_group, criterion_main, Criterion};
use overlap::facts::{compare, sentence_similarity, Article, CompareOptions, Idf};

fn sample(name: &str) -> String {
    let path = format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bench(c: &mut Criterion) {
    let a = [
        sample("000_ef569615e60f7221.txt"),
        sample("flood_longer_story.txt"),
    ]
    .join("\n\n");
    let b = [
        sample("004_19ddaf6e8d9fc9cf.txt"),
        sample("wire_flood.txt"),
        sample("budget_vote.txt"),
    ]
    .join("\n\n");
    let (a, b) = (Article::new("a", a), Article::new("b", b));
    let opts = CompareOptions::default();
    let mut group = c.benchmark_group("compare");
    group.sample_size(30);
    group.bench_function("two_1000_word_articles", |bench| {
        bench.iter(|| compare(&a, &b, &opts))
    });
    let idf = Idf::default();
    group.bench_function("sentence_pair", |bench| {
        bench.iter(|| {
            sentence_similarity(
                "Gerasimov reported that Ukrainian troops in the Kursk region were now encircled.",
                "Trump said thousands of Ukrainian troops were completely surrounded by the Russian military.",
                &idf,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
