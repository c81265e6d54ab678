//! Long sentences cut into windows, so no single unit of `compare` can hold a million words.
//!
//! Everything `compare` does per sentence (facts, terms, scores, word diffs) is cheap for a
//! sentence of 40 words and can be quadratic in a sentence of 10⁶: a text without punctuation
//! is one sentence to the splitter. A unit with more than [`MAX_UNIT_WORDS`] words is cut into
//! windows of about equal size, each cut placed after a comma, semicolon, colon or dash near
//! the even split when there is one, else between two words. Words are counted as the
//! tokenizer sees them: runs of letters and digits, and each CJK or Thai character alone.

use std::ops::Range;

use super::is_cjk_or_thai;

/// Most words in one unit of `compare`. News sentences rarely pass 80 words; a unit longer
/// than this is a list, a table flattened into text, or text without punctuation.
pub const MAX_UNIT_WORDS: usize = 200;

/// Units after cutting, with how many were cut and into how many windows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Windowed {
    /// The units, long ones replaced by their windows, in text order.
    pub units: Vec<Range<usize>>,
    /// Units that were longer than the limit and cut.
    pub cut: usize,
    /// Windows those units became.
    pub windows: usize,
}

/// Byte ranges of the words of `text` (relative to it).
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_cjk_or_thai(c) {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
            out.push(i..i + c.len_utf8());
        } else if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Whether the gap between two words holds a clause break: a cut there reads naturally.
fn is_clause_break(gap: &str) -> bool {
    gap.contains([',', ';', ':', '–', '—', '、', '，', '；', '：'])
}

/// Cuts every unit of more than `max_words` words into windows of at most `max_words`.
/// Ranges stay on character boundaries, trimmed of surrounding whitespace, inside their unit.
pub fn cut_long_units(text: &str, units: Vec<Range<usize>>, max_words: usize) -> Windowed {
    let max_words = max_words.max(1);
    let mut out = Windowed::default();
    for unit in units {
        let slice = &text[unit.clone()];
        // Cheap pre-check: fewer bytes than words allowed cannot exceed the limit.
        if slice.len() <= max_words {
            out.units.push(unit);
            continue;
        }
        let ws = words(slice);
        if ws.len() <= max_words {
            out.units.push(unit);
            continue;
        }
        out.cut += 1;
        let before = out.units.len();
        let mut first = 0; // Index of the first word of the current window.
        let mut window_start = 0; // Its byte offset in the unit.
        while ws.len() - first > max_words {
            let remaining = ws.len() - first;
            let pieces = remaining.div_ceil(max_words);
            let even = remaining.div_ceil(pieces);
            // The window ends after word `last`: at a clause break between half the even size
            // and the limit, the one nearest the even split, or at the even split itself.
            let lo = first + (even / 2).max(1) - 1;
            let hi = first + max_words - 1;
            let target = first + even - 1;
            let last = (lo..hi)
                .filter(|&k| is_clause_break(&slice[ws[k].end..ws[k + 1].start]))
                .min_by_key(|&k| (k.abs_diff(target), k))
                .unwrap_or(target);
            // The window keeps the punctuation right after its last word (the comma), the next
            // one starts at its first word.
            let gap = &slice[ws[last].end..ws[last + 1].start];
            let end = ws[last].end + gap.find(char::is_whitespace).unwrap_or(gap.len());
            push_trimmed(&mut out.units, slice, unit.start, window_start..end);
            first = last + 1;
            window_start = end;
        }
        push_trimmed(&mut out.units, slice, unit.start, window_start..slice.len());
        out.windows += out.units.len() - before;
    }
    out
}

/// Pushes `range` of `slice` (offset by `base`), trimmed, unless it is blank.
fn push_trimmed(units: &mut Vec<Range<usize>>, slice: &str, base: usize, range: Range<usize>) {
    let part = &slice[range.clone()];
    let trimmed = part.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = base + range.start + (part.len() - part.trim_start().len());
    units.push(start..start + trimmed.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole text as one unit.
    fn whole(text: &str) -> Vec<Range<usize>> {
        std::iter::once(0..text.len()).collect()
    }

    fn counted(text: &str, r: &Range<usize>) -> usize {
        words(&text[r.clone()]).len()
    }

    #[test]
    fn item7_short_units_are_left_alone() {
        let text = "One two three. Four five.";
        let w = cut_long_units(text, vec![0..14, 15..25], 3);
        assert_eq!(w.units, [0..14, 15..25]);
        assert_eq!((w.cut, w.windows), (0, 0));
    }

    #[test]
    fn item7_long_units_are_cut_evenly_at_commas_when_there_are_some() {
        // 500 words: 250 clauses of two words, each followed by a comma.
        let text: String = (0..250).map(|i| format!("alpha{i} beta{i}, ")).collect();
        let text = text.trim_end();
        let w = cut_long_units(text, whole(text), 200);
        assert_eq!((w.cut, w.windows), (1, 3));
        let sizes: Vec<usize> = w.units.iter().map(|r| counted(text, r)).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 500);
        assert!(sizes.iter().all(|&n| (150..=200).contains(&n)), "{sizes:?}");
        for r in &w.units[..2] {
            assert!(text[r.clone()].ends_with(','), "{:?}", &text[r.clone()]);
        }
        // Windows are in order, disjoint, and cover every word.
        for pair in w.units.windows(2) {
            assert!(pair[0].end < pair[1].start);
        }
        assert_eq!(w.units[0].start, 0);
        assert_eq!(w.units[2].end, text.len());
    }

    #[test]
    fn item7_text_without_spaces_or_punctuation_is_cut_too() {
        let text = "东京".repeat(300); // 600 CJK characters, each a word.
        let w = cut_long_units(&text, whole(&text), 200);
        assert_eq!((w.cut, w.windows), (1, 3));
        assert_eq!(w.units.iter().map(|r| r.len()).sum::<usize>(), text.len());
        for r in &w.units {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            assert_eq!(counted(&text, r), 200);
        }
        // One word of a million letters cannot be cut between words: it stays whole.
        let word = "a".repeat(1000);
        assert_eq!(cut_long_units(&word, whole(&word), 10).units, whole(&word));
    }

    proptest::proptest! {
        /// Any text: windows are ordered, trimmed, on character boundaries, inside their unit,
        /// of at most the limit in words, and lose no word.
        #[test]
        fn item7_windows_hold_for_any_text(text in "([a-z]{1,4}|[,;: \n.]|东|\\PC){0,200}", max in 1usize..12) {
            // Units come trimmed from the splitter.
            let start = text.len() - text.trim_start().len();
            let unit = start..start + text.trim().len();
            let w = cut_long_units(&text, vec![unit], max);
            let mut last = 0;
            let mut total = 0;
            for r in &w.units {
                proptest::prop_assert!(last <= r.start && r.start <= r.end && r.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                proptest::prop_assert_eq!(text[r.clone()].trim(), &text[r.clone()]);
                proptest::prop_assert!(w.cut == 0 || counted(&text, r) <= max);
                total += counted(&text, r);
                last = r.end;
            }
            proptest::prop_assert_eq!(total, words(&text).len());
        }
    }
}
