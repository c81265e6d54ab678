//! Strings from the data on a terminal and in HTML (issue 16, item 13): control characters
//! shown as visible escapes in human output and in messages on stderr; right-to-left
//! overrides kept inside their own element in HTML pages.

use crate::util::{article, run, TestEnv};

/// An OSC sequence that would retitle the terminal, a screen clear, and a carriage return
/// that would let the rest of a line overwrite its start.
const HOSTILE: &str = "x\u{1b}]0;owned\u{7}\u{1b}[2J\rfake";

fn assert_no_raw_controls(what: &str, s: &str) {
    let bad: Vec<char> = s.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(
        bad.is_empty(),
        "{what} holds raw control characters {bad:?}: {s:?}"
    );
}

#[test]
fn item13_scan_human_output_and_messages_show_control_characters_escaped() {
    let env = TestEnv::new();
    let text = format!("{HOSTILE} {}", article(1, 80));
    let lines = [
        serde_json::json!({"id": HOSTILE, "text": text}).to_string(),
        serde_json::json!({"id": format!("{HOSTILE}2"), "text": text}).to_string(),
        // A duplicate id: the warning quotes it.
        serde_json::json!({"id": HOSTILE, "text": article(2, 80)}).to_string(),
        // A missing text field: the message lists the field names found.
        serde_json::json!({"id": "m", format!("t{HOSTILE}"): "words"}).to_string(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    let r = run(env.cmd(&["scan", "c.jsonl", "--format", "human", "--color", "never"]));
    assert_eq!(r.code, 2, "one record is skipped: {}", r.stderr);
    assert!(r.stdout.contains("cluster 1"), "{}", r.stdout);
    assert_no_raw_controls("human output", &r.stdout);
    assert_no_raw_controls("stderr", &r.stderr);
    let visible = r"x\x1b]0;owned\x07\x1b[2J\rfake";
    assert!(
        r.stdout.contains(visible),
        "the id shown escaped: {}",
        r.stdout
    );
    assert!(r.stderr.contains("duplicate id"), "{}", r.stderr);
    assert!(
        r.stderr.contains(visible),
        "ids and field names escaped: {}",
        r.stderr
    );
}

#[test]
fn item13_compare_human_output_and_errors_show_control_characters_escaped() {
    let env = TestEnv::new();
    let base = article(5, 60);
    let lines = [
        serde_json::json!({"id": HOSTILE, "text": format!("{HOSTILE}. {base}.")}).to_string(),
        serde_json::json!({"id": "b", "text": format!("{HOSTILE} again. {base}.")}).to_string(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    let a = format!("c.jsonl#{HOSTILE}");
    let r = run(env.cmd(&[
        "compare",
        &a,
        "c.jsonl#b",
        "--format",
        "human",
        "--color",
        "never",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_no_raw_controls("compare output", &r.stdout);
    assert!(r.stdout.contains(r"\x1b"), "{}", r.stdout);
    let r = run(env.cmd(&["compare", &a, "c.jsonl#b", "--format", "md"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_no_raw_controls("compare Markdown", &r.stdout);
    assert!(r.stdout.contains(r"\x1b"), "{}", r.stdout);
    // An error that lists the ids it found.
    let r = run(env.cmd(&["compare", "c.jsonl#nope", "c.jsonl#b"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no record with id"), "{}", r.stderr);
    assert_no_raw_controls("stderr", &r.stderr);
}

/// Every right-to-left override outside script blocks sits inside a `<bdi>` element, or (in
/// the page's `<title>`, where no element can go) between FIRST STRONG ISOLATE and POP
/// DIRECTIONAL ISOLATE.
fn assert_isolated(html: &str) {
    let mut outside = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        outside.push_str(&rest[..start]);
        let end = rest[start..].find("</script>").expect("closed script") + start;
        rest = &rest[end + "</script>".len()..];
    }
    outside.push_str(rest);
    let mut found = 0;
    for (at, _) in outside.match_indices('\u{202e}') {
        found += 1;
        let before = &outside[..at];
        let open = before.rfind("<bdi");
        let close = before.rfind("</bdi>");
        let in_title = before.rfind("<title>") > before.rfind("</title>");
        let fsi = before.rfind('\u{2068}');
        let isolated_plain = in_title && fsi.is_some() && fsi > before.rfind('\u{2069}');
        assert!(
            (open.is_some() && open > close) || isolated_plain,
            "an RLO outside <bdi>: {:?}",
            &outside[at.saturating_sub(120)..(at + 40).min(outside.len())]
        );
    }
    assert!(found > 0, "the page shows the id");
}

#[test]
fn item13_html_pages_isolate_right_to_left_overrides_in_data() {
    let env = TestEnv::new();
    let rlo = "evil\u{202e}0.88 Jaccard";
    let base = article(7, 80);
    let lines = [
        serde_json::json!({"id": rlo, "text": format!("Rain fell. {base}.")}).to_string(),
        serde_json::json!({"id": "b", "text": format!("Rain fell hard. {base}.")}).to_string(),
        serde_json::json!({"id": "c", format!("t{rlo}"): "skipped"}).to_string(),
    ];
    env.write("c.jsonl", lines.join("\n") + "\n");
    let a = format!("c.jsonl#{rlo}");
    let r = run(env.cmd(&[
        "compare",
        &a,
        "c.jsonl#b",
        "--format",
        "html",
        "-o",
        "cmp.html",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_isolated(&env.read("cmp.html"));
    let r = run(env.cmd(&["report", "c.jsonl", "-q", "-o", "report.html"]));
    assert_eq!(r.code, 2, "a record is skipped: {}", r.stderr);
    assert_isolated(&env.read("report.html"));
}
