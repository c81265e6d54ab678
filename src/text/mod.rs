//! Text handling: Unicode normalization and tokenization with byte ranges back to the source.
//!
//! Everything downstream (shingles, exact hashes, later the fact diff) sees text only through
//! [`Normalized`], so one definition of "the same words" holds across the whole tool.

pub mod ascii;
pub(crate) mod calendar;
mod sentences;
mod tokenize;
mod windows;

pub use sentences::sentences;
pub use tokenize::{is_cjk_or_thai, normalize, Normalized, Token};
pub use windows::{cut_long_units, Windowed, MAX_UNIT_WORDS};
