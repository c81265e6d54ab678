//! Throughput of each stage of the duplicate scan, in bytes of text per second on one core.
//!
//! Every benchmark reports `Throughput::Bytes` of the same text slice, so the figures add up:
//! a stage at X bytes/s costs `slice / X` seconds of the scan, and they compare directly with
//! the ceilings of `benches/machine.rs`. The slice is the first 8 MB of text of
//! `../shared/bench/corpus.jsonl`, or the articles in `samples/` when the corpus is absent.
//! Each stage starts from the previous stage's output, computed once before timing.
//!
//! Run with `cargo bench --bench stages` (add `-- --warm-up-time 1 --measurement-time 2` for a
//! quick run, or a name such as `stages/lsh` to run one stage).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use overlap::fingerprint::{FingerprintScratch, Fingerprinter};
use overlap::lsh::{band_bucket, band_entry, band_keys, bucket_pairs, pack_pair, unpack_pair};
use overlap::shingle::{hash_tokens, word_shingles};
use overlap::sketch::hash_sort::{sort_dedup_hashes, HashSortScratch};
use overlap::sketch::minhash::MinHasher;
use overlap::story::{count_terms_into, TermCache, TermRun};
use overlap::text::ascii::{token_hashes, HashScratch};
use overlap::text::{normalize, Normalized};
use overlap::verify::similarity;
use overlap::Params;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/corpus.jsonl");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
const BUDGET: usize = 8 << 20;
/// Shingle length of the default `word:5`.
const K: usize = 5;

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

/// The scan's token path: ASCII texts hash straight from their bytes, anything else is
/// normalized first (both give the same hashes).
#[derive(Default)]
struct Tokenizer {
    ascii: HashScratch,
    normalized: Normalized,
}

impl Tokenizer {
    fn hashes(&mut self, text: &str, seed: u64, out: &mut Vec<u64>) {
        if text.is_ascii() {
            token_hashes(text, seed, &mut self.ascii, out);
        } else {
            normalize(text, &mut self.normalized);
            hash_tokens(&self.normalized, seed, out);
        }
    }
}

/// The scan's candidate step: per band, sort the documents' band entries and pair documents
/// sharing a key (capped), then merge the bands' pairs. `keys` holds each document's `bands`
/// keys in turn.
fn candidates(keys: &[i64], bands: usize, cap: usize) -> Vec<u64> {
    let docs = keys.len() / bands;
    let (mut all, mut sort) = (Vec::new(), HashSortScratch::default());
    for band in 0..bands {
        let mut entries: Vec<u64> = (0..docs)
            .map(|d| band_entry(band_bucket(keys[d * bands + band]), d as u32))
            .collect();
        bucket_pairs(&mut entries, cap, &mut all, &mut sort);
    }
    all.sort_unstable();
    all.dedup();
    all
}

fn bench(c: &mut Criterion) {
    // `bucket_pairs` sorts with rayon; one worker keeps every figure per core, like the rest.
    // (The scan runs the bands in parallel, so per-core is also what each core sees there.)
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();

    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let params = Params::default();
    let (seed, bands, rows) = (params.seed, params.bands, params.rows);
    let hasher = MinHasher::new(params.num_perm, seed);

    // Each stage's input, computed once, so each benchmark times only its own stage.
    let mut tok = Tokenizer::default();
    let tokens: Vec<Vec<u64>> = texts
        .iter()
        .map(|t| {
            let mut h = Vec::new();
            tok.hashes(t, seed, &mut h);
            h
        })
        .collect();
    let shingles: Vec<Vec<u64>> = tokens
        .iter()
        .map(|h| {
            let mut s = Vec::new();
            word_shingles(h, K, &mut s);
            s
        })
        .collect();
    let mut keys = Vec::with_capacity(shingles.len() * bands);
    let mut sig = vec![0u32; params.num_perm];
    for s in &shingles {
        hasher.sketch(s, &mut sig);
        band_keys(&sig, bands, rows, seed, &mut keys);
    }
    let mut pairs = candidates(&keys, bands, params.max_bucket);
    let found = pairs.len();
    // A slice with hardly any near-duplicates would leave `verify` timing an empty loop; pair
    // each document with its successor as well, so it measures real set intersections (on
    // mostly unrelated documents, as most LSH false positives are).
    if found < texts.len() / 10 {
        pairs.extend((1..texts.len() as u32).map(|d| pack_pair(d - 1, d)));
        pairs.sort_unstable();
        pairs.dedup();
    }
    eprintln!(
        "stages: {} documents, {bytes} bytes of text ({} ASCII), {found} LSH candidate pairs, \
         {} verified",
        texts.len(),
        texts.iter().filter(|t| t.is_ascii()).count(),
        pairs.len()
    );
    // The scan verifies on sorted, deduplicated sets; sorting them is the `set` stage.
    let sets: Vec<Vec<u64>> = shingles
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    // All stages report the whole slice's text bytes, even `lsh` and `verify`, whose work is
    // per document or per pair: the figure is the rate at which that stage gets through text.
    group.throughput(Throughput::Bytes(bytes as u64));

    group.bench_function("tokenize", |b| {
        let (mut tok, mut out) = (Tokenizer::default(), Vec::new());
        b.iter(|| {
            for t in &texts {
                tok.hashes(black_box(t), seed, &mut out);
            }
        })
    });
    // The sentence-level path (and the scan's path for non-ASCII text), for reference.
    group.bench_function("normalize", |b| {
        let mut n = Normalized::default();
        b.iter(|| {
            for t in &texts {
                normalize(black_box(t), &mut n);
            }
        })
    });
    group.bench_function("shingle", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for h in &tokens {
                out.clear();
                word_shingles(black_box(h), K, &mut out);
            }
        })
    });
    group.bench_function("sketch", |b| {
        let (mut sig, mut out) = (vec![0u32; params.num_perm], Vec::new());
        b.iter(|| {
            for s in &shingles {
                hasher.sketch(black_box(s), &mut sig);
                out.clear();
                band_keys(&sig, bands, rows, seed, &mut out);
            }
        })
    });
    // What a scan stores and verification merges: the shingles, sorted and distinct.
    group.bench_function("set", |b| {
        let (mut set, mut sort) = (Vec::new(), HashSortScratch::default());
        b.iter(|| {
            for s in &shingles {
                set.clear();
                set.extend_from_slice(black_box(s));
                sort_dedup_hashes(&mut set, &mut sort);
            }
        })
    });
    group.bench_function("lsh", |b| {
        b.iter(|| candidates(black_box(&keys), bands, params.max_bucket))
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &p in black_box(&pairs) {
                let (a, b) = unpack_pair(p);
                sum += similarity(&sets[a as usize], &sets[b as usize]).jaccard;
            }
            sum
        })
    });
    // What the scan does per document: tokens, shingles, the sorted set, its signature.
    group.bench_function("all", |b| {
        let (mut tok, mut hashes, mut set, mut sort, mut sig, mut out) = (
            Tokenizer::default(),
            Vec::new(),
            Vec::new(),
            HashSortScratch::default(),
            vec![0u32; params.num_perm],
            Vec::new(),
        );
        b.iter(|| {
            for t in &texts {
                tok.hashes(black_box(t), seed, &mut hashes);
                set.clear();
                word_shingles(&hashes, K, &mut set);
                sort_dedup_hashes(&mut set, &mut sort);
                hasher.sketch(&set, &mut sig);
                out.clear();
                band_keys(&sig, bands, rows, seed, &mut out);
            }
        })
    });
    // The story stage's share of reading: the same fingerprinting, then each document's story
    // terms counted from its tokens (compare with `fingerprint` for what the terms cost).
    let fingerprinter = Fingerprinter::new(&params);
    group.bench_function("fingerprint", |b| {
        let mut scratch = FingerprintScratch::default();
        b.iter(|| {
            for t in &texts {
                black_box(fingerprinter.fingerprint(black_box(t), &mut scratch));
            }
        })
    });
    group.bench_function("fingerprint_story_terms", |b| {
        let (mut scratch, mut cache, mut run) = (
            FingerprintScratch::default(),
            TermCache::default(),
            TermRun::default(),
        );
        b.iter(|| {
            for t in &texts {
                black_box(fingerprinter.fingerprint(black_box(t), &mut scratch));
                count_terms_into(t, &scratch, &mut cache, seed, &mut run);
            }
            run = TermRun::default();
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
