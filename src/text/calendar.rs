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
