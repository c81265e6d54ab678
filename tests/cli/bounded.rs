//! `overlap compare` on inputs built to explode: the work and the output stay bounded, and the
//! output says what was capped (issue 17 item 7).

use serde_json::Value;

use crate::util::{run, TestEnv};

/// About 780 KB of four sentences repeated: every window of each side recurs thousands of
/// times in the other.
fn periodic_text() -> String {
    let period = "The council approved the budget on Monday after a long debate. \
                  Officials said the new plan would cut costs by 12 percent. \
                  Critics argued that the proposal ignored rural districts entirely. \
                  The mayor promised further talks with unions next week. ";
    period.repeat(780_000 / period.len())
}

/// `count` distinct lowercase pseudo-words separated by single spaces, no punctuation.
fn one_long_sentence(count: usize) -> String {
    let mut out = String::with_capacity(count * 6);
    for i in 0..count {
        if i > 0 {
            out.push(' ');
        }
        let mut n = i;
        out.push('w');
        loop {
            out.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                break;
            }
        }
    }
    out
}

/// `compare A B` as JSON, after checking that the output is at most eight times the input:
/// both texts, their sentences, the pairs' word diffs and the passages, never the square of
/// the input (789 MB for 780 KB before).
fn compare_json(env: &TestEnv, a: &str, b: &str, input_bytes: usize) -> Value {
    let r = run(env.cmd(&["compare", a, b, "--format", "json", "-o", "out.json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let size = std::fs::metadata(env.path().join("out.json"))
        .unwrap()
        .len();
    assert!(
        size <= 8 * input_bytes as u64,
        "{size} bytes of JSON for {input_bytes} bytes of input"
    );
    serde_json::from_str(&env.read("out.json")).unwrap()
}

#[test]
fn item7_periodic_text_compared_with_itself_gives_bounded_output() {
    let env = TestEnv::new();
    let text = periodic_text();
    env.write("periodic.txt", &text);
    let diff = compare_json(&env, "periodic.txt", "periodic.txt", text.len());
    // The whole text is one verbatim passage; the thousands of overlapping runs inside it are
    // merged into it, and the output says so.
    assert_eq!(diff["summary"]["passages"], 1);
    assert_eq!(diff["passages"][0]["a"]["start"], 0);
    assert_eq!(diff["passages"][0]["b"]["start"], 0);
    let capped = &diff["summary"]["capped"];
    assert!(
        capped["passages_merged"].as_u64().unwrap() > 1000,
        "{capped}"
    );
    assert_eq!(capped["passages_dropped"], 0);
    // 12,000 sentences, 2,000 compared per side.
    assert_eq!(
        capped["units_left_out"],
        diff["a"]["units_left_out"].as_u64().unwrap()
            + diff["b"]["units_left_out"].as_u64().unwrap()
    );
    assert!(
        capped["units_left_out"].as_u64().unwrap() > 10_000,
        "{capped}"
    );
}

#[test]
fn item7_million_word_sentence_is_cut_into_windows_and_finishes() {
    let env = TestEnv::new();
    let text = one_long_sentence(1_000_000);
    env.write("long.txt", &text);
    let diff = compare_json(&env, "long.txt", "long.txt", text.len());
    let capped = &diff["summary"]["capped"];
    // One sentence per side, each cut into windows of at most 200 words; the windows beyond
    // --max-sentences (2000) are left out.
    assert_eq!(capped["units_windowed"], 2, "{capped}");
    assert_eq!(capped["windows"], 2 * 5000, "{capped}");
    assert_eq!(capped["units_left_out"], 2 * 3000, "{capped}");
    let units = diff["a"]["units"].as_array().unwrap();
    assert_eq!(units.len(), 2000);
    for u in units {
        let words = u["text"].as_str().unwrap().split_whitespace().count();
        assert!((1..=200).contains(&words), "{words} words in a window");
    }
    // Every compared window pairs with its copy.
    assert_eq!(diff["summary"]["shared"], 2000);
}

#[test]
fn item7_every_format_says_what_was_capped() {
    let env = TestEnv::new();
    env.write("long.txt", one_long_sentence(1000));
    env.write("short.txt", "The council approved the budget on Monday.");
    for (format, needle) in [
        (
            "human",
            "capped: 1 sentence of over 200 words cut into 5 windows",
        ),
        (
            "md",
            "capped: 1 sentence of over 200 words cut into 5 windows",
        ),
        (
            "html",
            "capped: 1 sentence of over 200 words cut into 5 windows",
        ),
    ] {
        let r = run(env.cmd(&[
            "compare",
            "long.txt",
            "short.txt",
            "--format",
            format,
            "--width",
            "100",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(needle), "{format}: {}", r.stdout);
    }
    // Nothing capped, nothing said.
    let r = run(env.cmd(&["compare", "short.txt", "short.txt", "--format", "md"]));
    assert!(!r.stdout.contains("capped"), "{}", r.stdout);
}
