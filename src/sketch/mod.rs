//! Sketches of shingle sets: MinHash signatures for near-duplicates and consistent samples
//! for containment.

pub mod hash_sort;
pub mod minhash;
pub mod sample;
