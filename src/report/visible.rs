//! Strings from the data made safe to print on a terminal.
//!
//! An id, a title or a field name can hold an escape sequence (ESC `]0;...` retitles the
//! terminal, ESC `[2J` clears it) or a bare carriage return, which lets the rest of a line
//! overwrite its start. Human output and messages on stderr show such characters as visible
//! escapes instead; JSON and CSV keep the data as it is, escaped by their own syntax.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every control character (C0, DEL and C1, line breaks and tabs included) shown as
/// a visible escape: `\x1b`, `\r`, `\n`, `\t`, `\u{9b}`. Borrows when there is none.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`visible`], keeping line breaks: for a message of several lines.
pub fn visible_lines(s: &str) -> String {
    s.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item13_control_characters_become_visible_escapes() {
        assert_eq!(
            visible("a\u{1b}]0;x\u{7}\rb\u{9b}c\u{7f}\td"),
            "a\\x1b]0;x\\x07\\rb\\u{9b}c\\x7f\\td"
        );
        assert!(matches!(
            visible("plain · ünïcode \u{202e}"),
            Cow::Borrowed(_)
        ));
        assert_eq!(visible_lines("a\u{1b}\nb\r"), "a\\x1b\nb\\r");
    }
}
