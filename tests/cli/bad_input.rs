//! Every kind of bad input gets `path:line: reason`, is counted, and does not stop the scan;
//! the run exits 2 at the end (or at once with --strict).

use crate::util::{article, run, TestEnv};

fn jsonl(lines: &[String]) -> String {
    lines.join("\n") + "\n"
}

fn good(id: &str, seed: u32) -> String {
    serde_json::json!({"id": id, "text": article(seed, 60)}).to_string()
}

#[test]
fn malformed_json_is_skipped_and_the_scan_goes_on() {
    let env = TestEnv::new();
    let same = article(1, 60);
    env.write(
        "c.jsonl",
        jsonl(&[
            serde_json::json!({"id": "a", "text": same}).to_string(),
            r#"{"id": "b", "text": "unterminated"#.to_owned(),
            serde_json::json!({"id": "c", "text": same}).to_string(),
        ]),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "skipped: c.jsonl:2: invalid JSON: EOF while parsing a string at line 1 column 33 (each line must hold one complete JSON object)"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 documents"), "{}", r.stderr);
    // The good records around the bad line were still compared.
    assert!(r.stdout.contains(r#""type":"cluster""#), "{}", r.stdout);
    assert!(r
        .stdout
        .contains(r#""type":"skipped","data":{"source":"c.jsonl:2","path":"c.jsonl","line":2"#));
}

#[test]
fn missing_and_mistyped_fields_suggest_the_fix() {
    let env = TestEnv::new();
    env.write(
        "c.jsonl",
        jsonl(&[
            good("a", 1),
            r#"{"id": "b", "txt": "the text is under another name"}"#.to_owned(),
            r#"{"id": "c", "text": 42}"#.to_owned(),
            r#"["not", "an", "object"]"#.to_owned(),
        ]),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    for expected in [
        "skipped: c.jsonl:2: missing text field \"text\" (fields here: id, txt); did you mean --text-field txt?",
        "skipped: c.jsonl:3: field \"text\" is a number, expected a string of text",
        "skipped: c.jsonl:4: expected a JSON object, found an array",
    ] {
        assert!(r.stderr.contains(expected), "missing {expected:?} in:\n{}", r.stderr);
    }
}

#[test]
fn missing_explicit_id_field_is_reported() {
    let env = TestEnv::new();
    env.write(
        "c.jsonl",
        jsonl(&[r#"{"text": "some words here"}"#.to_owned()]),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--id-field", "uid", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "skipped: c.jsonl:1: missing id field \"uid\" (fields here: text); choose one with --id-field NAME"
    ));
}

#[test]
fn empty_documents_and_duplicate_ids_are_skipped() {
    let env = TestEnv::new();
    env.write(
        "c.jsonl",
        jsonl(&[
            good("a", 1),
            r#"{"id": "e", "text": "   \n "}"#.to_owned(),
            r#"{"id": "p", "text": "-- ... !!!"}"#.to_owned(),
            good("a", 2),
        ]),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    for expected in [
        "skipped: c.jsonl:2: empty text: nothing to compare",
        "skipped: c.jsonl:3: no words to compare (the text holds only punctuation or symbols)",
        "skipped: c.jsonl:4: duplicate id \"a\" (first seen at c.jsonl:1); ids must be unique: fix the data or choose another field with --id-field",
    ] {
        assert!(r.stderr.contains(expected), "missing {expected:?} in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("overlap: 1 documents"), "{}", r.stderr);
    assert!(r.stderr.contains("3 skipped"), "{}", r.stderr);
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let env = TestEnv::new();
    let mut file = b"first line is fine\nsecond line has a bad byte \xff here\n".to_vec();
    file.extend_from_slice(article(3, 40).as_bytes());
    env.write("docs/bad.txt", &file);
    let mut line = br#"{"id": "j", "text": "caf"#.to_vec();
    line.extend_from_slice(b"\xe9 au lait and more words\"}\n");
    env.write("c.jsonl", &line);
    let r = run(env.cmd(&["scan", "docs", "c.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 0, "a warning is not a skip: {}", r.stderr);
    assert!(r.stderr.contains(
        "warning: docs/bad.txt:2: invalid UTF-8 at byte 46 replaced with U+FFFD (the document is still compared; re-encode the file as UTF-8 to silence this)"
    ), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: c.jsonl:1: invalid UTF-8 at byte 24 replaced with U+FFFD"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("overlap: 2 documents"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_symlink_loops_are_reported() {
    let env = TestEnv::new();
    env.write("docs/a.txt", article(1, 50));
    std::os::unix::fs::symlink("missing.txt", env.path().join("docs/broken.txt")).unwrap();
    std::os::unix::fs::symlink(".", env.path().join("docs/sub_loop")).unwrap();
    let r = run(env.cmd(&["scan", "docs", "nowhere.jsonl", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    for expected in [
        "skipped: docs/broken.txt: cannot read: No such file or directory (os error 2) (check the path, or a broken symlink)",
        "skipped: docs/sub_loop: symlink loop: it leads back to docs (skipped; remove the link or point it elsewhere)",
        "skipped: nowhere.jsonl: cannot read: No such file or directory (os error 2) (check the path, or a broken symlink)",
    ] {
        assert!(r.stderr.contains(expected), "missing {expected:?} in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("overlap: 1 documents"), "{}", r.stderr);
}

#[test]
fn csv_rows_with_the_wrong_shape_are_skipped() {
    let env = TestEnv::new();
    env.write(
        "c.csv",
        format!(
            "id,text\n1,\"{}\"\n2,a,b\n3,\"{}\"\n",
            article(1, 30),
            article(2, 30)
        ),
    );
    let r = run(env.cmd(&["scan", "c.csv", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "skipped: c.csv:3: row has 3 fields but the header has 2 (quote fields that contain the delimiter)"
    ), "{}", r.stderr);
    assert!(r.stderr.contains("overlap: 2 documents"), "{}", r.stderr);
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    let env = TestEnv::new();
    env.write(
        "c.jsonl",
        jsonl(&[good("a", 1), "{oops".to_owned(), good("b", 2)]),
    );
    let r = run(env.cmd(&["scan", "c.jsonl", "--strict", "--format", "jsonl"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.is_empty(),
        "no report after a strict stop: {}",
        r.stdout
    );
    assert!(r.stderr.contains(
        "overlap: c.jsonl:2: invalid JSON: key must be a string at line 1 column 2 (each line must hold one complete JSON object) (stopped because of --strict)"
    ), "{}", r.stderr);
}

#[test]
fn bad_flags_explain_the_valid_range() {
    let env = TestEnv::new();
    env.write("a.txt", "words");
    let r = run(env.cmd(&["scan", "a.txt", "--threshold", "1.5"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "overlap: --threshold 1.5 is out of range: use a Jaccard similarity above 0 and at most 1 (default 0.8)"
    ), "{}", r.stderr);
    let r = run(env.cmd(&["scan", "a.txt", "--shingle", "words:5"]));
    assert!(
        r.stderr
            .contains("invalid shingle spec \"words:5\": expected word:K or char:K"),
        "{}",
        r.stderr
    );
    let r = run(env.cmd(&["scan", "a.txt", "--keep", "earliest"]));
    assert!(
        r.stderr.contains("--keep earliest needs --date-field NAME"),
        "{}",
        r.stderr
    );
}
