//! The scan's fast path through a JSONL record: only the wanted fields, nothing built.
//!
//! Parsing a line into a `serde_json::Value` allocates every key and value, and grows a scratch
//! buffer step by step for every string with an escape (news text is full of `\n`): that was
//! a sixth of a duplicate scan. Here serde_json still checks the whole line, but it hands over
//! the wanted values as raw JSON slices and skips everything else; the text is unescaped once
//! into a string of the right size. Whatever this path does not expect (not an object, a
//! missing or non-string text, an id that is neither string nor number, a lone surrogate)
//! makes it give up, and the full parser produces the answer or the error message, so both
//! paths always agree.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::value_as_text;

/// The fields to pick.
pub(super) struct Wanted<'a> {
    pub text: &'a str,
    pub id: &'a str,
    pub date: Option<&'a str>,
}

/// What the fast path found: the text, and the id and date when present.
pub(super) struct Picked {
    pub text: String,
    pub id: Option<String>,
    pub date: Option<String>,
}

/// Picks the wanted fields out of one JSON object, or `None` when the full parser must decide.
pub(super) fn pick(line: &str, wanted: &Wanted<'_>) -> Option<Picked> {
    let mut de = serde_json::Deserializer::from_str(line);
    let raw = wanted.deserialize(&mut de).ok()?;
    de.end().ok()?;
    let text = unescape(raw.text?.get())?;
    // A string id or date (the usual case) is unescaped like the text; only a number or a
    // boolean goes through a `Value` to be printed the way the full parser prints it.
    let scalar = |raw: Option<&RawValue>| -> Option<Option<String>> {
        let Some(r) = raw else {
            return Some(None);
        };
        if r.get().starts_with('"') {
            return unescape(r.get()).map(Some);
        }
        match serde_json::from_str::<Value>(r.get()).ok()? {
            Value::Null => None,
            v => value_as_text(&v).map(Some),
        }
    };
    Some(Picked {
        text,
        id: scalar(raw.id)?,
        date: scalar(raw.date)?,
    })
}

/// The raw JSON of the wanted fields (the last occurrence wins, as in the full parser).
#[derive(Default)]
pub(super) struct Raw<'de> {
    text: Option<&'de RawValue>,
    id: Option<&'de RawValue>,
    date: Option<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for &Wanted<'_> {
    type Value = Raw<'de>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Raw<'de>, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &Wanted<'_> {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let mut raw = Raw::default();
        while let Some(Key(key)) = map.next_key()? {
            let slot = if key == self.text {
                &mut raw.text
            } else if key == self.id {
                &mut raw.id
            } else if Some(&*key) == self.date {
                &mut raw.date
            } else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            *slot = Some(map.next_value::<&RawValue>()?);
        }
        Ok(raw)
    }
}

/// An object key, borrowed from the line unless it holds an escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        de.deserialize_str(KeyVisitor)
    }
}

/// The value of a JSON string literal that serde_json has already checked, or `None` for
/// anything else (another kind of value, a lone surrogate).
fn unescape(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let escape = rest.as_bytes().get(at + 1)?;
        rest = &rest[at + 2..];
        let c = match escape {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = hex4(rest)?;
                rest = &rest[4..];
                match unit {
                    0xD800..=0xDBFF => {
                        let low = hex4(rest.strip_prefix("\\u")?)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        rest = &rest[6..];
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                    }
                    _ => char::from_u32(unit)?,
                }
            }
            _ => return None,
        };
        out.push(c);
    }
    out.push_str(rest);
    Some(out)
}

/// The four hex digits at the start of `s`.
fn hex4(s: &str) -> Option<u32> {
    let digits = s.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WANTED: Wanted<'static> = Wanted {
        text: "text",
        id: "id",
        date: Some("date"),
    };

    #[test]
    fn picks_wanted_fields_and_skips_the_rest() {
        let p = pick(
            r#"{"x": {"text": [1, "y"]}, "id": 7, "text": "a\nb \"q\" \u00e9\ud83d\ude00", "date": "2024-01-02"}"#,
            &WANTED,
        )
        .unwrap();
        assert_eq!(p.text, "a\nb \"q\" é😀");
        assert_eq!(p.id.as_deref(), Some("7"));
        assert_eq!(p.date.as_deref(), Some("2024-01-02"));
    }

    #[test]
    fn gives_up_where_the_full_parser_must_explain() {
        for line in [
            r#"[1]"#,
            r#"{"id": "a"}"#,
            r#"{"text": 5}"#,
            r#"{"text": "a", "id": null}"#,
            r#"{"text": "a", "id": [1]}"#,
            r#"{"text": "\ud800"}"#,
            r#"{"text": "a"} x"#,
            r#"{"text": "a", "b": tru}"#,
        ] {
            assert!(pick(line, &WANTED).is_none(), "{line}");
        }
    }

    proptest! {
        /// Any string serde_json writes reads back the same.
        #[test]
        fn unescape_reverses_serde_json(s in "\\PC{0,40}|[\u{0}-\u{7f}]{0,40}") {
            let raw = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(unescape(&raw), Some(s));
        }
    }
}
