//! Names of days and months, lower case: what the sentence splitter and the date extractor
//! both need to recognise.

/// Weekday names.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Weekday abbreviations, without their period.
pub const WEEKDAY_ABBREVIATIONS: &[&str] = &[
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];

/// Month names, January first.
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month abbreviations, without their period ("may" has none).
pub const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Whether a lower-case word names a day or a month, in full or abbreviated.
pub fn is_calendar_word(word: &str) -> bool {
    [WEEKDAYS, WEEKDAY_ABBREVIATIONS, MONTHS, MONTH_ABBREVIATIONS]
        .iter()
        .any(|list| list.contains(&word))
}

/// The month (1-12) of a lower-case month name or abbreviation ("sep" and "sept" are both
/// September).
pub fn month_of(word: &str) -> Option<u32> {
    let at = match MONTHS.iter().position(|m| *m == word) {
        Some(at) => at,
        None if MONTH_ABBREVIATIONS.contains(&word) => {
            MONTHS.iter().position(|m| m.starts_with(&word[..3]))?
        }
        None => return None,
    };
    Some(at as u32 + 1)
}

/// A year written out, 1900-2099.
pub fn is_year(word: &str) -> bool {
    word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) && matches!(&word[..2], "19" | "20")
}
