//! What `compare` bounded: long sentences cut into windows, sentences beyond the limit left
//! out, overlapping passages merged, passages beyond the cap dropped. Every output format
//! states it, so a bounded result never passes for a complete one.

use serde::Serialize;

use crate::text::MAX_UNIT_WORDS;

/// The limits `compare` applied to one pair, counted over both articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capped {
    /// Sentences of more than [`MAX_UNIT_WORDS`] words, cut into windows.
    pub units_windowed: usize,
    /// Windows those sentences became (each compared as a unit of its own).
    pub windows: usize,
    /// Units (sentences or windows) beyond the most compared per article, left out.
    pub units_left_out: usize,
    /// Shared runs merged into a listed verbatim passage that contains them (in B), or that
    /// repeat it elsewhere in A.
    pub passages_merged: usize,
    /// Verbatim passages beyond the most listed, the shortest, dropped.
    pub passages_dropped: usize,
}

impl Capped {
    /// Whether nothing was capped.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// One line for the human, Markdown and HTML views (`None` when nothing was capped):
    /// `capped: 1 sentence of over 200 words cut into 5 windows · …`.
    pub fn describe(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.units_windowed > 0 {
            parts.push(format!(
                "{} of over {MAX_UNIT_WORDS} words cut into {}",
                plural(self.units_windowed, "sentence", "sentences"),
                plural(self.windows, "window", "windows")
            ));
        }
        if self.units_left_out > 0 {
            parts.push(format!(
                "{} beyond --max-sentences not compared",
                plural(self.units_left_out, "unit", "units")
            ));
        }
        if self.passages_merged > 0 {
            parts.push(format!(
                "{} merged into the verbatim passages that contain or repeat them",
                plural(self.passages_merged, "overlapping run", "overlapping runs")
            ));
        }
        if self.passages_dropped > 0 {
            parts.push(format!(
                "{} beyond the {} longest not listed",
                plural(
                    self.passages_dropped,
                    "verbatim passage",
                    "verbatim passages"
                ),
                super::passages::MAX_PASSAGES
            ));
        }
        Some(format!("capped: {}", parts.join(" · ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item7_describes_only_what_was_capped() {
        assert_eq!(Capped::default().describe(), None);
        let c = Capped {
            units_windowed: 1,
            windows: 5,
            passages_merged: 2,
            ..Capped::default()
        };
        assert_eq!(
            c.describe().as_deref(),
            Some("capped: 1 sentence of over 200 words cut into 5 windows · 2 overlapping runs merged into the verbatim passages that contain or repeat them")
        );
    }
}
