//! Fuzzing `compare` (issue 16, "must show"): random article pairs, built from the pieces
//! that trip sentence splitters and fact extractors (numbers, dates such as "29th February
//! 2012", money broken across a line like "$9.\n3m", abbreviations "Const." and "p.m.",
//! "+0.", CJK punctuation, control characters, empty texts, very long tokens), go through the
//! library's fact diff and its JSON, human, Markdown and HTML renderers. None may panic; every
//! sentence of each article is listed exactly once; every byte range lies inside its text on
//! character boundaries.
//!
//! `cargo test` runs 128 cases from a fixed seed. `OVERLAP_FUZZ_CASES` sets the number of
//! cases and `OVERLAP_FUZZ_SEED` the seed (a number, or `random`): benches/fuzz_compare.sh
//! runs it for as long as asked.

use std::ops::Range;

use overlap::facts::{compare, Article, CompareOptions, FactDiff, Side};
use overlap::report::compare::{diff_exporter, DiffFormat, Layout};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// The pieces sentences are made of.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Z][a-z]{1,9}|[a-z]{1,9}",
        1 => "[0-9]{1,3}(,[0-9]{3}){0,2}(\\.[0-9]{1,2})?",
        1 => "(1st|2nd|3rd|29th|31st) (February|March|Sept\\.) (2012|1999|0)",
        1 => "(\\$|€|£|US\\$)[0-9]{1,3}(\\.\n?[0-9]{1,2})?(m|bn| million| billion|k)?",
        1 => "(Const\\.|p\\.m\\.|a\\.m\\.|U\\.S\\.|Mr\\.|No\\.|St\\.|e\\.g\\.|\\+0\\.|-0\\.5%|\\.\\.\\.)",
        1 => "(东京|北京市|。|，|、|「|」|《|》|！|？|…)",
        1 => "[\u{0}-\u{1f}\u{7f}\u{85}\u{200b}\u{200e}\u{202e}\u{2028}\u{feff}]",
        1 => "(\"|“|”|'|‘|’|\\(|\\)|—|-|:|;|,)",
        1 => "(not|never|denied|said|Tuesday|March|percent|%|km|people)",
        1 => "[a-zA-Z0-9]{200,3000}",
    ]
}

/// A sentence: some tokens joined by spaces (sometimes none), then an ending.
fn sentence() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(token(), 0..14),
        prop_oneof![Just(" "), Just(""), Just("\n"), Just("  ")],
        prop_oneof![
            Just(". "),
            Just("! "),
            Just("? "),
            Just(".\n\n"),
            Just("\n"),
            Just("。"),
            Just(""),
            Just(".\" "),
        ],
    )
        .prop_map(|(tokens, sep, end)| format!("{}{end}", tokens.join(sep)))
}

/// A pair: A's sentences, and B made of some of them (some edited) plus sentences of its own,
/// so that aligned pairs, conflicts and one-sided sentences all occur.
fn article_pair() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec(sentence(), 0..12),
        prop::collection::vec(sentence(), 0..6),
        prop::collection::vec((0..4u8, token()), 0..12),
    )
        .prop_map(|(a, extra, edits)| {
            let mut b = Vec::new();
            for (i, s) in a.iter().enumerate() {
                match edits.get(i) {
                    Some((0, _)) => {}
                    Some((1, t)) => b.push(s.replacen(' ', &format!(" {t} "), 1)),
                    Some((2, t)) => b.push(format!("{t} {s}")),
                    _ => b.push(s.clone()),
                }
                if let Some(e) = extra.get(i) {
                    b.push(e.clone());
                }
            }
            (a.concat(), b.concat())
        })
}

fn in_text(text: &str, r: &Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fn check_side(side: &Side, listed: &[usize]) -> Result<(), TestCaseError> {
    let mut seen = vec![0usize; side.units.len()];
    for &i in listed {
        prop_assert!(
            i < seen.len(),
            "{}: item points past the sentences",
            side.id
        );
        seen[i] += 1;
    }
    prop_assert!(
        seen.iter().all(|&n| n == 1),
        "{}: every sentence listed exactly once, got {seen:?}",
        side.id
    );
    for (i, u) in side.units.iter().enumerate() {
        prop_assert_eq!(u.index, i);
        prop_assert!(
            in_text(&side.text, &u.range),
            "{:?} outside the text",
            u.range
        );
        prop_assert_eq!(&side.text[u.range.clone()], u.text.as_str());
        for f in &u.facts {
            prop_assert!(in_text(&side.text, &f.range), "fact {f:?} outside the text");
            prop_assert!(
                u.range.start <= f.range.start && f.range.end <= u.range.end,
                "fact {f:?} outside its sentence {:?}",
                u.range
            );
        }
    }
    Ok(())
}

fn check(diff: &FactDiff) -> Result<(), TestCaseError> {
    let a: Vec<usize> = diff.items.iter().filter_map(|i| i.a).collect();
    let b: Vec<usize> = diff.items.iter().filter_map(|i| i.b).collect();
    check_side(&diff.a, &a)?;
    check_side(&diff.b, &b)?;
    for p in &diff.passages {
        prop_assert!(
            in_text(&diff.a.text, &p.a) && in_text(&diff.b.text, &p.b),
            "{p:?}"
        );
    }
    for item in &diff.items {
        if let (Some(x), Some(y)) = (item.a, item.b) {
            // The word diff rebuilds both sentences.
            let side = |keep: &str| -> String {
                item.word_diff
                    .iter()
                    .filter(|c| c.tag == "equal" || c.tag == keep)
                    .map(|c| c.text.as_str())
                    .collect()
            };
            prop_assert_eq!(side("delete"), diff.a.units[x].text.as_str());
            prop_assert_eq!(side("insert"), diff.b.units[y].text.as_str());
        }
    }
    let render = |format: DiffFormat| -> Result<String, TestCaseError> {
        let mut out = Vec::new();
        diff_exporter(
            format,
            Layout {
                width: 80,
                color: true,
            },
        )
        .write(diff, &mut out)
        .map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
        String::from_utf8(out).map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))
    };
    let json: serde_json::Value = serde_json::from_str(&render(DiffFormat::Json)?)
        .map_err(|e| TestCaseError::fail(format!("JSON output does not parse: {e}")))?;
    prop_assert_eq!(
        json["items"].as_array().map(Vec::len),
        Some(diff.items.len())
    );
    prop_assert_eq!(json["a"]["text"].as_str(), Some(diff.a.text.as_str()));
    render(DiffFormat::Human)?;
    render(DiffFormat::Markdown)?;
    let html = render(DiffFormat::Html)?;
    for (side, units) in [("a", diff.a.units.len()), ("b", diff.b.units.len())] {
        for i in 0..units {
            prop_assert_eq!(
                html.matches(&format!(" id=\"{side}-{i}\"")).count(),
                1,
                "sentence {}-{} once in the page",
                side,
                i
            );
        }
    }
    Ok(())
}

#[test]
fn fuzz_compare_random_article_pairs() {
    let cases = std::env::var("OVERLAP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    let rng_seed = match std::env::var("OVERLAP_FUZZ_SEED").ok().as_deref() {
        Some("random") => RngSeed::Random,
        Some(n) => RngSeed::Fixed(n.parse().expect("OVERLAP_FUZZ_SEED: a number or `random`")),
        None => RngSeed::Fixed(16),
    };
    let config = Config {
        cases,
        rng_seed,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&article_pair(), |(a, b)| {
        let diff = compare(
            &Article::new("a", a),
            &Article::new("b", b),
            &CompareOptions::default(),
        );
        check(&diff)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // For benches/fuzz_compare.sh: how many cases ran.
    eprintln!("fuzz_compare: {cases} cases, no failure");
}
