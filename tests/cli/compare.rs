//! `overlap compare`: the seed pair's fact diff, every output format, and bad arguments.

use serde_json::Value;

use crate::util::{run, TestEnv, SEED_A, SEED_B};

/// `overlap compare` on two files of samples/, 100 columns wide, without colors.
fn compare_samples(a: &str, b: &str, format: &str) -> String {
    let (a, b) = (format!("samples/{a}"), format!("samples/{b}"));
    let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "compare", &a, &b, "--format", format, "--width", "100", "--color", "never",
    ]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

fn compare_seeds(format: &str) -> String {
    compare_samples(
        "000_ef569615e60f7221.txt",
        "004_19ddaf6e8d9fc9cf.txt",
        format,
    )
}

/// The item whose A sentence (or B sentence) contains the given words.
fn item<'a>(diff: &'a Value, side: &str, words: &str) -> &'a Value {
    diff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i[side].as_u64().is_some_and(|u| {
                diff[side]["units"][u as usize]["text"]
                    .as_str()
                    .unwrap()
                    .contains(words)
            })
        })
        .unwrap_or_else(|| panic!("no item with {words:?} on side {side}"))
}

fn unit_text<'a>(diff: &'a Value, side: &str, item: &Value) -> &'a str {
    diff[side]["units"][item[side].as_u64().unwrap() as usize]["text"]
        .as_str()
        .unwrap()
}

fn fact_texts<'a>(item: &'a Value, key: &str) -> Vec<&'a str> {
    // Shared facts come in pairs; take A's wording.
    item["facts"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["text"]
                .as_str()
                .or_else(|| f["a"]["text"].as_str())
                .unwrap()
        })
        .collect()
}

#[test]
fn seeds_share_the_incursion_and_the_witkoff_talks() {
    let diff: Value = serde_json::from_str(&compare_seeds("json")).unwrap();
    assert_eq!(diff["version"], 2);

    let incursion = item(
        &diff,
        "a",
        "Ukraine launched its surprise offensive into Kursk last August",
    );
    assert_eq!(incursion["class"], "shared");
    assert!(unit_text(&diff, "b", incursion).contains(
        "recapturing much of the territory Ukraine seized in a shock incursion last August"
    ));
    // The foothold is a fact of that sentence that only A states.
    assert_eq!(fact_texts(incursion, "only_a"), ["1,200-square-kilometer"]);

    let talks = item(
        &diff,
        "a",
        "American envoy Steve Witkoff prepares to meet with Kremlin officials",
    );
    assert_eq!(talks["class"], "shared");
    assert!(unit_text(&diff, "b", talks)
        .contains("a meeting Thursday between his envoy Steve Witkoff and Putin"));
    assert!(fact_texts(talks, "shared")
        .iter()
        .any(|f| f.contains("Witkoff")));
    assert!(fact_texts(talks, "only_b").contains(&"30-day"));
}

#[test]
fn seeds_keep_what_each_article_has_alone() {
    let diff: Value = serde_json::from_str(&compare_seeds("json")).unwrap();
    for words in [
        "During a televised visit to a Russian military command post",
        "\"Its systematic destruction is underway,\" Gerasimov",
    ] {
        assert_eq!(item(&diff, "a", words)["class"], "only_a", "{words}");
    }
    let euros = item(&diff, "b", "40 billion euros ($43.5 billion)");
    assert_eq!(euros["class"], "only_b");
    assert!(fact_texts(euros, "only_b").contains(&"40 billion euros"));
    assert_eq!(
        item(&diff, "b", "Keir Starmer on Friday said")["class"],
        "only_b"
    );

    let s = &diff["summary"];
    assert_eq!(
        s["scan_match"],
        Value::Null,
        "the seeds are no near-duplicates"
    );
    assert!(s["jaccard"].as_f64().unwrap() < 0.01);
    assert!(s["shared"].as_u64().unwrap() >= 2);
    assert!(s["only_a"].as_u64().unwrap() > s["shared"].as_u64().unwrap());
}

#[test]
fn seed_snapshots() {
    insta::assert_snapshot!("seeds_human", compare_seeds("human"));
    insta::assert_snapshot!("seeds_markdown", compare_seeds("md"));
    let json: Value = serde_json::from_str(&compare_seeds("json")).unwrap();
    assert_ranges_hold_their_text(&json);
    // The JSON as a person reviews it: one line per unit and per diff item (a JSON snapshot
    // of it ran to 5,562 lines, mostly byte ranges, which the check above covers instead).
    insta::assert_snapshot!("seeds_json_digest", json_digest(&json));
    insta::assert_snapshot!("seeds_html", compare_seeds("html"));
}

/// Every `range` in a compare JSON slices its article's text to the `text` beside it.
fn assert_ranges_hold_their_text(json: &Value) {
    fn walk(v: &Value, text: &str, path: &str) {
        match v {
            Value::Object(o) => {
                if let (Some(r), Some(Value::String(t))) = (o.get("range"), o.get("text")) {
                    let (start, end) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
                    let slice = text.get(start as usize..end as usize);
                    assert_eq!(slice, Some(t.as_str()), "{path}: range {start}..{end}");
                }
                for (k, x) in o {
                    walk(x, text, &format!("{path}.{k}"));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, text, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }
    for side in ["a", "b"] {
        let text = json[side]["text"].as_str().unwrap();
        walk(&json[side]["units"], text, side);
        for item in json["items"].as_array().unwrap() {
            for class in ["shared", "only_a", "only_b"] {
                for fact in item["facts"][class].as_array().unwrap() {
                    let fact = if class == "shared" { &fact[side] } else { fact };
                    if class == "shared" || class == format!("only_{side}") {
                        walk(fact, text, &format!("items.{class}"));
                    }
                }
            }
        }
    }
}

/// A compare JSON as reviewable lines: the summary, each unit with its facts (`kind:key`),
/// and each diff item with its shared facts and conflicts.
fn json_digest(json: &Value) -> String {
    let short = |s: &str| {
        let s = s.replace('\n', " ");
        match s.char_indices().nth(72) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s,
        }
    };
    let fact = |f: &Value| {
        format!(
            "{}:{}",
            f["kind"].as_str().unwrap(),
            f["key"].as_str().unwrap()
        )
    };
    let mut out = format!("summary {}\n", json["summary"]);
    for side in ["a", "b"] {
        let doc = &json[side];
        out += &format!(
            "\n{side} {} ({} units left out)\n",
            doc["id"].as_str().unwrap(),
            doc["units_left_out"]
        );
        for u in doc["units"].as_array().unwrap() {
            let facts: Vec<String> = u["facts"].as_array().unwrap().iter().map(fact).collect();
            out += &format!(
                "  {side}{} {:?}\n      {}\n",
                u["index"],
                short(u["text"].as_str().unwrap()),
                facts.join(" ")
            );
        }
    }
    out += "\nitems\n";
    for item in json["items"].as_array().unwrap() {
        let unit = |side: &str| {
            item.get(side)
                .map(|u| format!(" {side}{u}"))
                .unwrap_or_default()
        };
        let score = item
            .get("score")
            .and_then(Value::as_f64)
            .map(|s| format!(" score {s:.3}"))
            .unwrap_or_default();
        out += &format!(
            "  {}{}{}{score}\n",
            item["class"].as_str().unwrap(),
            unit("a"),
            unit("b")
        );
        let facts = &item["facts"];
        for pair in facts["shared"].as_array().unwrap() {
            out += &format!("      shared {} = {}\n", fact(&pair["a"]), fact(&pair["b"]));
        }
        for c in facts["conflicts"].as_array().unwrap() {
            out += &format!(
                "      conflict {}: {}\n",
                c["kind"].as_str().unwrap(),
                c["note"].as_str().unwrap_or("")
            );
        }
    }
    out
}

#[test]
fn compares_records_of_a_corpus_by_id() {
    let env = TestEnv::new();
    let a = std::fs::read_to_string(SEED_A).unwrap();
    let b = std::fs::read_to_string(SEED_B).unwrap();
    let lines = [
        serde_json::json!({"id": "id-17", "text": a}).to_string(),
        serde_json::json!({"id": "id-42", "text": b}).to_string(),
        serde_json::json!({"id": "other", "text": "An unrelated note about the weather in Lisbon."}).to_string(),
    ];
    env.write("corpus.jsonl", lines.join("\n") + "\n");
    let r = run(env.cmd(&[
        "compare",
        "corpus.jsonl#id-17",
        "corpus.jsonl#id-42",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let diff: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(diff["a"]["id"], "corpus.jsonl#id-17");
    assert_eq!(
        item(&diff, "a", "Ukraine launched its surprise offensive")["class"],
        "shared"
    );

    let r = run(env.cmd(&["compare", "corpus.jsonl#nope", "corpus.jsonl#id-42"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(
        "overlap: corpus.jsonl: no record with id \"nope\" (ids there look like: \"id-17\", \"id-42\", \"other\"; choose the id field with --id-field)"
    ), "{}", r.stderr);
    let r = run(env.cmd(&["compare", "corpus.jsonl", "corpus.jsonl#id-42"]));
    assert!(
        r.stderr
            .contains("overlap: corpus.jsonl holds many records; name one with corpus.jsonl#ID"),
        "{}",
        r.stderr
    );
    let r = run(env.cmd(&["compare", "missing.txt", "corpus.jsonl#id-42"]));
    assert!(r.stderr.contains("overlap: missing.txt: no such file (name a text file, or a record of a corpus as FILE#ID)"), "{}", r.stderr);
}

#[test]
fn conflicting_numbers_are_reported_with_both_values() {
    let env = TestEnv::new();
    env.write("a.txt", "FED ADDS RESERVES\n\nThe Federal Reserve arranged two billion dlrs of customer repurchase agreements on Tuesday, a Fed spokesman said.");
    env.write("b.txt", "FED ADDS RESERVES\n\nThe Federal Reserve arranged 1.5 billion dlrs of customer repurchase agreements on Tuesday, a Fed spokesman said.");
    let r = run(env.cmd(&["compare", "a.txt", "b.txt", "--format", "json"]));
    let diff: Value = serde_json::from_str(&r.stdout).unwrap();
    let it = item(&diff, "a", "two billion dlrs");
    assert_eq!(it["class"], "conflict");
    assert_eq!(
        it["facts"]["conflicts"][0]["note"],
        "different dollar: two billion dlrs vs 1.5 billion dlrs"
    );
    // The run after the changed number is verbatim; the one before it has 7 words, under 8.
    assert_eq!(diff["summary"]["passages"], 1);
    assert_eq!(
        diff["passages"][0]["text"],
        "billion dlrs of customer repurchase agreements on Tuesday, a Fed spokesman said"
    );
}

#[test]
fn narrow_terminals_get_stacked_columns() {
    let r = {
        let mut cmd = assert_cmd::Command::cargo_bin("overlap").unwrap();
        cmd.args([
            "compare", SEED_A, SEED_B, "--format", "human", "--width", "60", "--color", "never",
        ]);
        run(cmd)
    };
    assert!(
        r.stdout.lines().all(|l| l.chars().count() <= 60),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(" │ "));
    assert!(
        r.stdout
            .contains("\nA  Ukraine launched its surprise offensive"),
        "{}",
        r.stdout
    );
}

#[test]
fn light_edits_are_listed_word_by_word() {
    let out = compare_samples("budget_vote.txt", "budget_vote_edited.txt", "human");
    assert!(out.contains("  changed: −night +evening\n"), "{out}");
    assert!(out.contains("  changed: −optoin +option\n"), "{out}");
    assert!(out.contains("would call it near (Jaccard 0.86)"), "{out}");
}
