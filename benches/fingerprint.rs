//! Throughput of the fingerprint stage, per stage and end to end, in bytes of text per second
//! on one core. Runs on real text: the first 8 MB of the bench corpus when
//! `../shared/bench/corpus.jsonl` is present, else the articles in `samples/`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use overlap::lsh::band_keys;
use overlap::shingle::Shingler;
use overlap::sketch::minhash::MinHasher;
use overlap::text::{normalize, Normalized};
use overlap::{Params, ShingleSpec};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/corpus.jsonl");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
const BUDGET: usize = 8 << 20;

fn texts() -> Vec<String> {
    if let Ok(corpus) = std::fs::read_to_string(CORPUS) {
        let mut total = 0;
        return corpus
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_owned))
            .take_while(|t| {
                total += t.len();
                total < BUDGET
            })
            .collect();
    }
    std::fs::read_dir(SAMPLES)
        .expect("samples/ exists")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let params = Params::default();
    let hasher = MinHasher::new(params.num_perm, params.seed);
    let mut group = c.benchmark_group("fingerprint");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);

    let normalized: Vec<Normalized> = texts
        .iter()
        .map(|t| {
            let mut n = Normalized::default();
            normalize(t, &mut n);
            n
        })
        .collect();
    let sets: Vec<Vec<u64>> = normalized
        .iter()
        .map(|n| {
            let mut s = Vec::new();
            Shingler::default().shingles(n, ShingleSpec::Word(5), 1, &mut s);
            s
        })
        .collect();

    group.bench_function("tokenize", |b| {
        let mut n = Normalized::default();
        b.iter(|| {
            for t in &texts {
                normalize(black_box(t), &mut n);
            }
        })
    });
    group.bench_function("shingle", |b| {
        let (mut sh, mut out) = (Shingler::default(), Vec::new());
        b.iter(|| {
            for n in &normalized {
                sh.shingles(black_box(n), ShingleSpec::Word(5), 1, &mut out);
            }
        })
    });
    group.bench_function("minhash+bands", |b| {
        let (mut sig, mut keys) = (vec![0u32; params.num_perm], Vec::new());
        b.iter(|| {
            for s in &sets {
                hasher.sketch(black_box(s), &mut sig);
                keys.clear();
                band_keys(&sig, params.bands, params.rows, params.seed, &mut keys);
            }
        })
    });
    group.bench_function("all", |b| {
        let (mut n, mut sh, mut set, mut sig, mut keys) = (
            Normalized::default(),
            Shingler::default(),
            Vec::new(),
            vec![0u32; params.num_perm],
            Vec::new(),
        );
        b.iter(|| {
            for t in &texts {
                normalize(black_box(t), &mut n);
                sh.shingles(&n, ShingleSpec::Word(5), 1, &mut set);
                hasher.sketch(&set, &mut sig);
                keys.clear();
                band_keys(&sig, params.bands, params.rows, params.seed, &mut keys);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
