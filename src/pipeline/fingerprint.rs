//! The parallel half of the scan: one raw unit in, one document's fingerprints out.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::sets::{SetRef, SetStore};
use crate::config::{Params, ShingleSpec};
use crate::doc::{parse_date, title_of, DocInfo};
use crate::error::{Error, Problem};
use crate::ingest::{parse_unit, ReadOptions, Unit};
use crate::lsh::band_keys;
use crate::shingle::{char_shingles, hash_tokens, sequence_key, word_shingles};
use crate::sketch::minhash::MinHasher;
use crate::sketch::sample::sample_shingles;
use crate::story::{count_terms, TermCounts};
use crate::text::{ascii, normalize, Normalized};

/// What the workers produce for one record.
pub(super) struct Fingerprinted {
    pub info: DocInfo,
    /// Hash of the id, to find repeated ids.
    pub id_hash: u64,
    pub exact: u64,
    /// Where the shingle set went (the scan stops if it could not be written).
    pub set: Result<SetRef, Error>,
    pub band_keys: Vec<u64>,
    /// The distinct shingles sampled for containment.
    pub samples: Vec<u64>,
    pub story: Option<TermCounts>,
    pub warnings: Vec<Problem>,
}

/// Per-thread scratch buffers, reused across documents.
#[derive(Default)]
pub(super) struct Scratch {
    normalized: Normalized,
    ascii: ascii::HashScratch,
    token_hashes: Vec<u64>,
    shingles: Vec<u64>,
    signature: Vec<u32>,
}

pub(super) fn unit_size(unit: &Unit) -> usize {
    match unit {
        Unit::Json { bytes, .. } => bytes.len(),
        Unit::File { bytes, .. } => bytes.len(),
        Unit::Row { fields, .. } => fields.iter().map(|(k, v)| k.len() + v.len()).sum(),
        Unit::Problem(_) => 0,
    }
}

pub(super) fn fingerprint(
    unit_no: u64,
    unit: Unit,
    read: &ReadOptions,
    params: &Params,
    hasher: &MinHasher,
    store: &SetStore,
    scratch: &mut Scratch,
) -> Result<Fingerprinted, Problem> {
    let parsed = parse_unit(unit, read)?;
    let record = parsed.record;
    let mut warnings: Vec<Problem> = parsed.warning.into_iter().collect();
    if record.text.len() >= u32::MAX as usize {
        return Err(Problem {
            location: record.location,
            reason: "document is 4 GiB or larger; split it into smaller documents".into(),
        });
    }
    // The duplicate scan needs only token hashes. An all-ASCII text gets them straight from
    // its bytes; the story stage and character shingles need the normalized text.
    let hashes = &mut scratch.token_hashes;
    let direct = params.stories.is_none()
        && matches!(params.shingle, ShingleSpec::Word(_))
        && record.text.is_ascii();
    if direct {
        ascii::token_hashes(&record.text, params.seed, &mut scratch.ascii, hashes);
    } else {
        normalize(&record.text, &mut scratch.normalized);
        hash_tokens(&scratch.normalized, params.seed, hashes);
    }
    if hashes.is_empty() {
        return Err(Problem {
            location: record.location,
            reason: "no words to compare (the text holds only punctuation or symbols)".into(),
        });
    }
    let exact = sequence_key(hashes, params.seed);
    let shingles = &mut scratch.shingles;
    shingles.clear();
    match params.shingle {
        ShingleSpec::Word(k) => word_shingles(hashes, k, shingles),
        ShingleSpec::Char(k) => char_shingles(&scratch.normalized.text, k, params.seed, shingles),
    }
    let set = store.append(shingles);
    scratch.signature.resize(params.num_perm, 0);
    hasher.sketch(shingles, &mut scratch.signature);
    let mut keys = Vec::with_capacity(params.bands);
    band_keys(
        &scratch.signature,
        params.bands,
        params.rows,
        params.seed,
        &mut keys,
    );
    let mut samples = Vec::new();
    if params.containment.is_some() {
        sample_shingles(shingles, params.seed, &mut samples);
        // The shingles are unsorted and may repeat; a sample is counted once.
        samples.sort_unstable();
        samples.dedup();
    }
    let story = params
        .stories
        .map(|_| count_terms(&record.text, &scratch.normalized, params.seed));

    let date_key = record.date.as_deref().and_then(parse_date);
    if let (Some(raw), None) = (&record.date, date_key) {
        warnings.push(Problem {
            location: record.location.clone(),
            reason: format!(
                "date {raw:?} is not a date (expected YYYY-MM-DD, an ISO-8601 time or Unix seconds); treated as undated"
            ),
        });
    }
    let info = DocInfo {
        title: title_of(&record.text, 80),
        bytes: record.text.len() as u64,
        id: record.id,
        location: record.location,
        date: record.date,
        date_key,
        unit: unit_no,
    };
    Ok(Fingerprinted {
        id_hash: xxh3_64_with_seed(info.id.as_bytes(), 0),
        info,
        exact,
        set,
        band_keys: keys,
        samples,
        story,
        warnings,
    })
}
