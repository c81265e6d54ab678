//! The scan's fast path through a JSONL record: only the wanted fields, nothing built.
//!
//! Parsing a line into a `serde_json::Value` allocates every key and value, and grows a scratch
//! buffer step by step for every string with an escape (news text is full of `\n`): that was
//! a sixth of a duplicate scan. Here a small validating scanner walks the line once: strings
//! are crossed with a vectorised search for the next quote or backslash, everything is checked
//! against the JSON grammar, and the wanted values come out as raw slices of the line; the text
//! is then unescaped once into a string of the right size. Whatever this path does not expect
//! (not an object, a missing or non-string text, an id that is neither string
//! nor number, a lone surrogate, deep nesting) makes it give up, and the full parser produces
//! the answer or the error message. The scanner accepts only valid JSON (a property test holds
//! it to serde_json), so both paths always agree.

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
    let raw = Scanner::new(line).object(wanted)?;
    let text = raw.text??;
    // A string id or date (the usual case) is unescaped like the text; only a number or a
    // boolean goes through a `Value` to be printed the way the full parser prints it.
    let scalar = |raw: Option<&str>| -> Option<Option<String>> {
        let Some(r) = raw else {
            return Some(None);
        };
        match r.as_bytes()[0] {
            b'"' => unescape(r).map(Some),
            // A number as written: `18446744073709551617` and `1e2` are ids of their own,
            // not floats that collide with `18446744073709551616` and `100.0`.
            b'-' | b'0'..=b'9' => Some(Some(r.to_owned())),
            _ => match serde_json::from_str::<Value>(r).ok()? {
                Value::Null => None,
                v => value_as_text(&v).map(Some),
            },
        }
    };
    Some(Picked {
        text,
        id: scalar(raw.id)?,
        date: scalar(raw.date)?,
    })
}

/// The raw JSON text of the member `key` of the object `line` (the last occurrence wins, as
/// in the full parser), or `None` when the line is not a valid object or has no such member.
pub(super) fn raw_member<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let mut scanner = Scanner::new(line);
    let mut found = None;
    scanner.space();
    scanner.members(|s, literal, escaped| {
        let unescaped;
        let name = if escaped {
            unescaped = unescape(literal)?;
            &unescaped
        } else {
            &literal[1..literal.len() - 1]
        };
        let start = s.pos;
        s.value(1)?;
        if name == key {
            let line = s.line;
            found = Some(&line[start..s.pos]);
        }
        Some(())
    })?;
    found
}

/// The wanted fields (the last occurrence wins, as in the full parser): the text decoded
/// (`Some(None)` when it is not a string), the id and date as raw JSON.
#[derive(Default)]
struct Raw<'a> {
    text: Option<Option<String>>,
    id: Option<&'a str>,
    date: Option<&'a str>,
}

/// Nesting beyond this depth is left to the full parser (serde_json stops at 128).
const MAX_DEPTH: usize = 100;

/// A cursor over one line that checks the JSON grammar as it goes; every method returns
/// `None` at the first thing it does not accept.
struct Scanner<'a> {
    line: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(line: &'a str) -> Self {
        Self {
            line,
            bytes: line.as_bytes(),
            pos: 0,
        }
    }

    /// The whole line as one object, with the wanted fields' raw values.
    fn object(mut self, wanted: &Wanted<'_>) -> Option<Raw<'a>> {
        let mut raw = Raw::default();
        self.space();
        self.members(|s, literal, escaped| {
            let unescaped;
            let key = if escaped {
                unescaped = unescape(literal)?;
                &unescaped
            } else {
                &literal[1..literal.len() - 1]
            };
            if key == wanted.text {
                raw.text = Some(s.text_value()?);
                return Some(());
            }
            let start = s.pos;
            s.value(1)?;
            let value = &s.line[start..s.pos];
            if key == wanted.id {
                raw.id = Some(value);
            } else if Some(key) == wanted.date {
                raw.date = Some(value);
            }
            Some(())
        })?;
        self.space();
        (self.pos == self.bytes.len()).then_some(raw)
    }

    /// Walks an object whose `{` is next: `member` gets each key's literal (quotes included)
    /// and whether it holds an escape, with the scanner at the key's value, which it consumes.
    fn members(
        &mut self,
        mut member: impl FnMut(&mut Self, &'a str, bool) -> Option<()>,
    ) -> Option<()> {
        self.expect(b'{')?;
        self.space();
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let (literal, escaped) = self.string()?;
            self.space();
            self.expect(b':')?;
            self.space();
            member(self, literal, escaped)?;
            self.space();
            if !self.eat(b',') {
                return self.expect(b'}');
            }
            self.space();
        }
    }

    /// The text field's value, decoded while it is checked (the one copy it needs); `None`
    /// inside when it is not a string.
    fn text_value(&mut self) -> Option<Option<String>> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            self.value(1)?;
            return Some(None);
        }
        let mut text = String::with_capacity(self.bytes.len() - self.pos);
        self.string_into(Some(&mut text))?;
        Some(Some(text))
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.bytes.get(self.pos)? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.members(|s, _, _| s.value(depth + 1)),
            b'[' => {
                self.pos += 1;
                self.space();
                if self.eat(b']') {
                    return Some(());
                }
                loop {
                    self.value(depth + 1)?;
                    self.space();
                    if !self.eat(b',') {
                        return self.expect(b']');
                    }
                    self.space();
                }
            }
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number(),
        }
    }

    /// A string literal, quotes included, and whether it holds an escape.
    fn string(&mut self) -> Option<(&'a str, bool)> {
        let start = self.pos;
        let escaped = self.string_into(None)?;
        Some((&self.line[start..self.pos], escaped))
    }

    /// Checks a string literal and, when `out` is given, appends its value there: one pass
    /// over the text, from one quote, backslash or control character to the next. Returns
    /// whether it holds an escape.
    fn string_into(&mut self, mut out: Option<&mut String>) -> Option<bool> {
        self.expect(b'"')?;
        let mut escaped = false;
        loop {
            let at = self.pos + plain_run(&self.bytes[self.pos..])?;
            if let Some(out) = out.as_deref_mut() {
                out.push_str(&self.line[self.pos..at]);
            }
            match self.bytes[at] {
                b'"' => {
                    self.pos = at + 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    let (c, len) = escape(&self.line[at..])?;
                    if let Some(out) = out.as_deref_mut() {
                        out.push(c);
                    }
                    self.pos = at + len;
                }
                // A raw control character, which a JSON string may not hold.
                _ => return None,
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        if !self.eat(b'0') {
            if !matches!(self.bytes.get(self.pos), Some(b'1'..=b'9')) {
                return None;
            }
            self.digits();
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // serde_json refuses a number too large for an f64; any long number or exponent is
        // checked the same way.
        let number = &self.line[start..self.pos];
        if number.len() > 15 || number.contains(['e', 'E']) {
            number.parse::<f64>().ok().filter(|x| x.is_finite())?;
        }
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        self.bytes[self.pos..]
            .starts_with(word)
            .then(|| self.pos += word.len())
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.pos) == Some(&byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }
}

/// The value of a JSON string literal, or `None` for anything else (another kind of value,
/// a lone surrogate).
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut scanner = Scanner::new(raw);
    scanner.string_into(Some(&mut out))?;
    (scanner.pos == raw.len()).then_some(out)
}

/// The length of the plain string content at the start of `bytes`: up to the first quote,
/// backslash or control character, `None` when there is none.
///
/// News text has an escape every forty bytes or so (`\\n` ends every line), so runs are short:
/// eight bytes are tested at a time in a general-purpose register, with no call and no setup,
/// where a vectorised search for two bytes followed by a pass for control characters spent
/// more time starting than searching.
fn plain_run(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte below `n` (for bytes below 0x80). A borrow can flag bytes
    // above a flagged one, never below it, so the lowest flag is always right.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        let special = below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20);
        if special != 0 {
            return Some(base + special.trailing_zeros() as usize / 8);
        }
        base += 8;
    }
    let rest = chunks.remainder();
    let at = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    Some(base + at)
}

/// The character of the escape at the start of `s` (a backslash and what follows) and the
/// bytes it takes; `None` for an invalid escape or a lone surrogate.
fn escape(s: &str) -> Option<(char, usize)> {
    let c = match *s.as_bytes().get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = hex4(s.get(2..)?)?;
            return match unit {
                0xD800..=0xDBFF => {
                    let low = hex4(s.get(6..)?.strip_prefix("\\u")?)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                    Some((c, 12))
                }
                _ => Some((char::from_u32(unit)?, 6)),
            };
        }
        _ => return None,
    };
    Some((c, 2))
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

    /// Any JSON value, nested a few levels, with keys that are sometimes the wanted ones.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "\\PC{0,12}|[\u{0}-\u{7f}]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(
                    (
                        prop_oneof![
                            Just("text".to_owned()),
                            Just("id".to_owned()),
                            Just("date".to_owned()),
                            "[a-z\\\\\"]{0,3}"
                        ],
                        inner
                    ),
                    0..4
                )
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    /// Whether `got` is `want` as text; a number must read back as the same number (the fast
    /// path keeps it as written, where `value_as_text` prints it again).
    fn same_text(got: &Option<String>, want: &Option<Value>) -> bool {
        match (got, want) {
            (Some(g), Some(Value::Number(n))) => {
                serde_json::from_str::<Value>(g)
                    .ok()
                    .and_then(|v| v.as_f64())
                    == n.as_f64()
            }
            _ => *got == want.as_ref().and_then(value_as_text),
        }
    }

    /// What the full parser reads from `line`, in the fast path's terms; `None` when the line
    /// is not an object or its text is not a string.
    fn full_parse(line: &str) -> Option<(String, Option<Value>, Option<Value>)> {
        let Value::Object(map) = serde_json::from_str::<Value>(line).ok()? else {
            return None;
        };
        let text = map.get("text")?.as_str()?.to_owned();
        Some((text, map.get("id").cloned(), map.get("date").cloned()))
    }

    proptest! {
        /// The eight-at-a-time search finds what a byte-by-byte one finds.
        #[test]
        fn plain_run_stops_where_a_byte_loop_stops(s in "[a-z \"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{2019}]{0,40}") {
            let naive = s.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20);
            prop_assert_eq!(plain_run(s.as_bytes()), naive);
        }
    }

    proptest! {
        /// On lines serde_json writes, compact or spaced out, the fast path reads what the
        /// full parser reads, and gives up only where the record is not a plain one.
        #[test]
        fn agrees_with_serde_json_on_valid_lines(
            value in json_value(),
            text in "\\PC{0,30}",
            spaced in any::<bool>(),
        ) {
            let mut object = match value {
                Value::Object(map) => map,
                other => [("x".to_owned(), other)].into_iter().collect(),
            };
            object.insert("text".to_owned(), Value::String(text));
            let value = Value::Object(object);
            let line = if spaced {
                serde_json::to_string_pretty(&value).unwrap().replace('\n', " \t")
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let (want_text, id, date) = full_parse(&line).unwrap();
            match pick(&line, &WANTED) {
                Some(p) => {
                    prop_assert_eq!(p.text, want_text);
                    prop_assert!(same_text(&p.id, &id), "{:?} {:?}", p.id, id);
                    prop_assert!(same_text(&p.date, &date), "{:?} {:?}", p.date, date);
                }
                None => {
                    // Only ids and dates that are not scalars may send a line to the full parser.
                    let odd = |v: &Option<Value>| matches!(v, Some(Value::Null | Value::Array(_) | Value::Object(_)));
                    prop_assert!(odd(&id) || odd(&date), "gave up on {}", line);
                }
            }
        }

        /// The fast path accepts only valid JSON: whatever a damaged line becomes, if the
        /// fast path reads it, the full parser reads the same.
        #[test]
        fn accepts_only_what_serde_json_accepts(
            value in json_value(),
            cuts in proptest::collection::vec((any::<proptest::sample::Index>(), "[{}\\[\\]\",:\\\\0-9a-z.eE+\\- \\u{1}]?"), 1..3),
        ) {
            let mut object = match value {
                Value::Object(map) => map,
                other => [("x".to_owned(), other)].into_iter().collect(),
            };
            object.insert("text".to_owned(), Value::String("t".to_owned()));
            let mut line = serde_json::to_string(&Value::Object(object)).unwrap();
            for (at, with) in cuts {
                let mut at = at.index(line.len() + 1);
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                // Replace one character with another (or with nothing).
                let end = line[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                line.replace_range(at..end, &with);
            }
            if let Some(p) = pick(&line, &WANTED) {
                let full = full_parse(&line);
                prop_assert!(full.is_some(), "fast path read {:?}, full parser refused", line);
                let (text, id, date) = full.unwrap();
                prop_assert_eq!(p.text, text);
                prop_assert!(same_text(&p.id, &id), "{:?} {:?}", p.id, id);
                prop_assert!(same_text(&p.date, &date), "{:?} {:?}", p.date, date);
            }
        }

        /// Any string serde_json writes reads back the same.
        #[test]
        fn unescape_reverses_serde_json(s in "\\PC{0,40}|[\u{0}-\u{7f}]{0,40}") {
            let raw = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(unescape(&raw), Some(s));
        }
    }
}
