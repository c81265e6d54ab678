//! This machine's limits, on one core: the ceilings the figures of `benches/stages.rs` are
//! compared against.
//!
//! * `read_sum_512MiB`: summing a 512 MiB `Vec<u64>`, far larger than any cache: read
//!   bandwidth from memory, the most any single pass over the text could reach.
//! * `copy_256MiB`: `copy_from_slice` of a 256 MiB buffer: copy bandwidth.
//! * `xxh3_64MiB`: xxh3 of one large buffer: the hash's own speed, with no per-call overhead.
//! * `xxh3_words_hashes` / `xxh3_words_bytes`: xxh3 of ~1M short keys (1 to 12 bytes, like
//!   words), as hashes per second and as key bytes per second: the ceiling of hashing tokens
//!   one at a time, which is what tokenizing does.
//!
//! Run with `cargo bench --bench machine` (add `-- --warm-up-time 1 --measurement-time 2` for
//! a quick run). On a shared machine, run it alongside `stages` so both see the same load.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use xxhash_rust::xxh3::xxh3_64_with_seed;

const MIB: usize = 1 << 20;
const SEED: u64 = 0x006f_7665_726c_6170;
/// Number of short keys in the word-sized hashing benches.
const WORDS: usize = 1 << 20;

/// A small deterministic generator (xorshift64), so runs hash the same data.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `len` bytes of lower-case letters and spaces: text-like, and every page written, so no
/// first-touch page faults land inside the timed loops.
fn text_like(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            let r = xorshift(&mut state) % 32;
            if r >= 26 {
                b' '
            } else {
                b'a' + r as u8
            }
        })
        .collect()
}

fn memory(c: &mut Criterion) {
    let mut group = c.benchmark_group("machine");
    group.sample_size(10);
    {
        // Filled by value so every page is mapped before timing.
        let v: Vec<u64> = (0..(512 * MIB / 8) as u64).collect();
        group.throughput(Throughput::Bytes((v.len() * 8) as u64));
        group.bench_function("read_sum_512MiB", |b| {
            b.iter(|| black_box(&v).iter().fold(0u64, |a, &x| a.wrapping_add(x)))
        });
    }
    {
        let src = text_like(256 * MIB);
        // Touch every page of the destination too.
        let mut dst = vec![1u8; src.len()];
        dst.fill(2);
        // Throughput is the bytes copied (256 MiB per iteration). The memory traffic is at
        // least twice that (each byte read once and written once), so compare this figure
        // with a stage that both reads and writes text, and halve it against plain reads.
        group.throughput(Throughput::Bytes(src.len() as u64));
        group.bench_function("copy_256MiB", |b| {
            b.iter(|| dst.copy_from_slice(black_box(&src)))
        });
    }
    group.finish();
}

fn hashing(c: &mut Criterion) {
    let mut group = c.benchmark_group("machine");
    group.sample_size(10);

    let big = text_like(64 * MIB);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("xxh3_64MiB", |b| {
        b.iter(|| xxh3_64_with_seed(black_box(&big), SEED))
    });

    // ~1M keys of 1..=12 bytes cut back to back from text-like bytes; the loop only walks a
    // list of lengths, so almost all of its time is the hash calls. The hashes go into a
    // vector, as `token_hashes` does, and `black_box` keeps them from being optimised away.
    let mut state = 0x2545_f491_4f6c_dd1d;
    let lens: Vec<u8> = (0..WORDS)
        .map(|_| 1 + (xorshift(&mut state) % 12) as u8)
        .collect();
    let key_bytes: usize = lens.iter().map(|&l| usize::from(l)).sum();
    let text = text_like(key_bytes);
    let hash_words = |out: &mut Vec<u64>| {
        out.clear();
        let mut pos = 0;
        out.extend(lens.iter().map(|&l| {
            let key = &text[pos..pos + usize::from(l)];
            pos += usize::from(l);
            xxh3_64_with_seed(key, SEED)
        }));
        black_box(&out);
    };
    let mut out = Vec::with_capacity(WORDS);
    group.throughput(Throughput::Elements(WORDS as u64));
    group.bench_function("xxh3_words_hashes", |b| b.iter(|| hash_words(&mut out)));
    group.throughput(Throughput::Bytes(key_bytes as u64));
    group.bench_function("xxh3_words_bytes", |b| b.iter(|| hash_words(&mut out)));
    group.finish();
}

criterion_group!(benches, memory, hashing);
criterion_main!(benches);
