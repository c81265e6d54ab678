//! The keep rule `dedup` users rely on (issue 16, item 1): every removed record has a verified
//! edge, directly, to a record that is kept (an exact copy, a near-duplicate at or above the
//! threshold, or a container holding at least the containment share of it), and
//! `duplicate_of` names that record. So no text survives only in a removed record.
//!
//! The edges are checked here independently of the library: shingles are rebuilt from the
//! texts as plain strings, so a wrong similarity in the engine cannot vouch for itself.

use std::collections::{BTreeSet, HashMap};

use overlap::dedup::write_deduplicated;
use overlap::{scan, Input, KeepPolicy, NoProgress, Params, ReadOptions, ScanOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::util::{plain_shingles, run, TestEnv};

const THRESHOLD: f64 = 0.8;
const CONTAINMENT: f64 = 0.8;

/// Checks the keep rule on a dedup's kept and removed outputs; `texts` maps every input id to
/// its text.
fn check_keep_rule(texts: &HashMap<String, String>, kept: &[Value], removed: &[Value]) {
    let kept_ids: BTreeSet<&str> = kept.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let removed_ids: BTreeSet<&str> = removed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        kept_ids.len() + removed_ids.len(),
        texts.len(),
        "every record once"
    );
    assert!(kept_ids.is_disjoint(&removed_ids));
    for r in removed {
        let id = r["id"].as_str().unwrap();
        let keeper = r["duplicate_of"].as_str().unwrap();
        assert!(
            kept_ids.contains(keeper),
            "{id} is removed for {keeper}, which is not kept"
        );
        assert_eq!(
            r["match"]["to"], keeper,
            "{id}: the evidence is about the kept record"
        );
        let (a, b) = (plain_shingles(&texts[id]), plain_shingles(&texts[keeper]));
        let shared = a.intersection(&b).count() as f64;
        let jaccard = shared / ((a.len() + b.len()) as f64 - shared);
        let inside = shared / a.len() as f64;
        let ok = match r["match"]["kind"].as_str().unwrap() {
            "exact" => a == b,
            "near" => jaccard >= THRESHOLD - 1e-9,
            "contained" => inside >= CONTAINMENT - 1e-9 && a.len() <= b.len(),
            other => panic!("{id}: unknown match kind {other}"),
        };
        assert!(
            ok,
            "{id} removed for {keeper} as {}, but Jaccard is {jaccard:.3} and {inside:.3} of it is inside",
            r["match"]["kind"]
        );
    }
}

fn read_jsonl(bytes: &[u8]) -> Vec<Value> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect()
}

/// How one document of a random corpus is made from the corpus's stories.
#[derive(Debug, Clone)]
enum Make {
    /// A story as it is.
    Story(usize),
    /// A story in upper case: an exact copy after normalization.
    Shouted(usize),
    /// A story with every `n`th word replaced.
    Edited(usize, usize),
    /// The first `percent` of a story's words.
    Excerpt(usize, usize),
    /// Several stories one after the other.
    Digest(Vec<usize>),
    /// Earlier documents one after the other (digests of digests, copies of edits…).
    Bundle(Vec<usize>),
}

fn make_strategy() -> impl Strategy<Value = Make> {
    prop_oneof![
        (0usize..6).prop_map(Make::Story),
        (0usize..6).prop_map(Make::Shouted),
        (0usize..6, 12usize..40).prop_map(|(s, n)| Make::Edited(s, n)),
        (0usize..6, 50usize..100).prop_map(|(s, p)| Make::Excerpt(s, p)),
        proptest::collection::vec(0usize..6, 2..4).prop_map(Make::Digest),
        proptest::collection::vec(0usize..64, 1..3).prop_map(Make::Bundle),
    ]
}

/// A word from a number: letters only, so every tokenizer agrees on it.
fn word(n: u32) -> String {
    let mut n = n;
    let mut w = String::new();
    for _ in 0..3 {
        w.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    w
}

fn build_corpus(
    stories: &[Vec<u32>],
    makes: &[Make],
    dates: &[u32],
) -> Vec<(String, String, String)> {
    let story_text = |s: usize| -> String {
        let words = &stories[s % stories.len()];
        words.iter().map(|&w| word(w)).collect::<Vec<_>>().join(" ")
    };
    let mut texts: Vec<String> = Vec::new();
    for (i, make) in makes.iter().enumerate() {
        let text = match make {
            Make::Story(s) => story_text(*s),
            Make::Shouted(s) => story_text(*s).to_uppercase() + ".",
            Make::Edited(s, n) => story_text(*s)
                .split(' ')
                .enumerate()
                .map(|(k, w)| {
                    if k % n == n / 2 {
                        "edited".to_owned()
                    } else {
                        w.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
            Make::Excerpt(s, p) => {
                let t = story_text(*s);
                let words: Vec<&str> = t.split(' ').collect();
                words[..(words.len() * p / 100).max(6)].join(" ")
            }
            Make::Digest(parts) => parts
                .iter()
                .map(|&s| story_text(s))
                .collect::<Vec<_>>()
                .join(". "),
            Make::Bundle(parts) if i > 0 => parts
                .iter()
                .map(|&d| texts[d % i].clone())
                .collect::<Vec<_>>()
                .join(". "),
            Make::Bundle(_) => story_text(0),
        };
        texts.push(text);
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            (
                format!("d{i:02}"),
                t,
                format!("2020-01-{:02}", 1 + dates[i % dates.len()] % 28),
            )
        })
        .collect()
}

fn dedup_in_library(env: &TestEnv, keep: KeepPolicy) -> (Vec<Value>, Vec<Value>) {
    let params = Params::builder()
        .threshold(THRESHOLD)
        .containment(Some(CONTAINMENT))
        .keep(keep)
        .stories(None)
        .build()
        .unwrap();
    let options = ScanOptions {
        read: ReadOptions {
            date_field: Some("date".into()),
            ..ReadOptions::default()
        },
        strict: false,
        // `write_deduplicated` reads the input again, and checks it is the same.
        read_again: true,
    };
    let path = env.path().join("c.jsonl");
    let inputs = vec![Input::from_arg(path.to_str().unwrap(), None)];
    let result = scan(inputs.clone(), &params, &options, &NoProgress).unwrap();
    let (mut kept, mut removed) = (Vec::new(), Vec::new());
    write_deduplicated(inputs, &result, &mut kept, Some(&mut removed)).unwrap();
    (read_jsonl(&kept), read_jsonl(&removed))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random corpora of stories, exact copies, edits, excerpts, digests and digests of
    /// digests, under every keep policy.
    #[test]
    fn item1_every_removed_record_matches_a_kept_one_directly(
        stories in proptest::collection::vec(proptest::collection::vec(0u32..17_000, 30..90), 2..6),
        makes in proptest::collection::vec(make_strategy(), 3..16),
        dates in proptest::collection::vec(0u32..28, 1..16),
    ) {
        let corpus = build_corpus(&stories, &makes, &dates);
        let env = TestEnv::new();
        let lines: Vec<String> = corpus
            .iter()
            .map(|(id, text, date)| json!({"id": id, "text": text, "date": date}).to_string())
            .collect();
        env.write("c.jsonl", lines.join("\n") + "\n");
        let texts: HashMap<String, String> =
            corpus.iter().map(|(id, text, _)| (id.clone(), text.clone())).collect();
        // Two records with one text: at least one of them must go, so the test has teeth.
        let distinct: BTreeSet<String> = texts.values().map(|t| plain_shingles(t).into_iter().collect::<Vec<_>>().join("|")).collect();
        for keep in [KeepPolicy::First, KeepPolicy::Longest, KeepPolicy::Earliest] {
            let (kept, removed) = dedup_in_library(&env, keep);
            check_keep_rule(&texts, &kept, &removed);
            prop_assert!(kept.len() <= distinct.len(), "{keep:?}: an exact copy was kept");
        }
    }
}

/// The case of the issue, through the binary, in English and in Chinese: a digest of two
/// stories, one of which also exists in an edited version and the other as an exact copy.
#[test]
fn item1_dedup_never_removes_the_only_copy_of_a_story() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let read = |name: &str| std::fs::read_to_string(samples.join(name)).unwrap();
    let english = [
        read("harbour_strike.txt"),
        read("budget_vote.txt"),
        read("budget_vote_edited.txt"),
    ];
    let chinese = [
        "东桥港的码头工人周二凌晨起停工，抗议夜班津贴被削减。工会表示，港口管理方上月单方面宣布将夜班补贴降低三成，\
         数百名工人因此每月少收入近两千元。停工导致二十多艘货轮滞留锚地，冷藏集装箱的电力供应只能维持两天。\
         港口发言人称，管理方愿意在周四与工会代表重新谈判，但坚持新的排班制度必须在下月实施。当地商会警告，\
         若停工持续一周以上，周边物流企业将面临严重损失。"
            .to_owned(),
        "米尔布鲁克市议会周一晚间以七票对四票通过明年预算，其中图书馆开放时间每周缩短十二小时。市长表示，\
         削减开支是为了弥补道路维修和供暖费用上涨带来的缺口。多名居民在会上发言，反对关闭周日阅览室，\
         认为学生和老人将失去安静的学习场所。议会同意在明年春季重新评估图书馆的服务安排，并承诺不会裁减馆员。\
         预算还包括为两所小学更换屋顶的拨款。"
            .to_owned(),
        "米尔布鲁克市议会周一晚间以七票对四票通过明年预算，其中图书馆开放时间每周缩短十二小时。市长表示，\
         削减开支是为了弥补道路维修和取暖费用上涨带来的缺口。多名居民在会上发言，反对关闭周日阅览室，\
         认为学生和老人将失去安静的学习场所。议会同意在明年春季重新评估图书馆的服务安排，并承诺不会裁减馆员。\
         预算还包括为两所小学更换屋顶的拨款。"
            .to_owned(),
    ];
    for (language, [harbour, budget, edited]) in [("english", english), ("chinese", chinese)] {
        let env = TestEnv::new();
        env.write("in/harbour_strike.txt", &harbour);
        env.write("in/budget_vote.txt", &budget);
        env.write("in/budget_vote_edited.txt", &edited);
        env.write("in/digest.txt", format!("{harbour}\n\n{budget}"));
        let r = run(env.cmd(&[
            "dedup",
            "in",
            "-o",
            "kept.jsonl",
            "--removed",
            "removed.jsonl",
        ]));
        assert_eq!(r.code, 0, "{language}: {}", r.stderr);
        let kept = read_jsonl(&std::fs::read(env.path().join("kept.jsonl")).unwrap());
        let removed = read_jsonl(&std::fs::read(env.path().join("removed.jsonl")).unwrap());
        let kept_ids: Vec<&str> = kept.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert!(
            kept_ids.contains(&"in/digest.txt"),
            "{language}: the digest holds both stories: {kept_ids:?}"
        );
        let surviving: String = kept.iter().map(|r| r["text"].as_str().unwrap()).collect();
        assert!(
            surviving.contains(harbour.trim()),
            "{language}: the harbour story survives"
        );
        assert!(
            surviving.contains(budget.trim()),
            "{language}: the budget story survives"
        );
        assert!(
            !removed.is_empty(),
            "{language}: the copies inside the digest are removed"
        );
        for r in &removed {
            assert!(
                kept_ids.contains(&r["duplicate_of"].as_str().unwrap()),
                "{language}: {} removed for a record that is not kept",
                r["id"]
            );
        }
    }
}
