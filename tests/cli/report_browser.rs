//! `overlap report` pages driven in headless Chromium like a user would: load, read the
//! console, click into a cluster, filter, and look at the pair diff.
//!
//! Needs Debian's `chromium`; without it these tests fail, unless `OVERLAP_SKIP_BROWSER=1`
//! skips them visibly (see `util::needs`). The bench-corpus test also needs ../shared.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::util::cdp::{file_url, Browser};
use crate::util::{needs, run, TestEnv};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
/// How long the bench corpus's report may take to load and draw its first page of clusters
/// in headless Chromium on a 2-core machine; the README gives the measured figure.
const BENCH_OPEN_BOUND: Duration = Duration::from_secs(30);

/// `overlap report ARGS -o <dir>/NAME`; returns the report's path.
fn report(env: &TestEnv, args: &[&str], name: &str) -> PathBuf {
    let path = env.path().join(name);
    let out = path.to_str().expect("UTF-8 temporary path");
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out]);
    let r = run(env.cmd(&all));
    assert_eq!(r.code, 0, "{}", r.stderr);
    path
}

/// Opens a report and waits until the script has drawn the cluster table.
fn open(browser: &mut Browser, page: &Path, bound: Duration) -> Duration {
    let loaded = browser.navigate(&file_url(page));
    browser.wait_for(
        "document.querySelectorAll('#cluster-table tbody tr').length > 0",
        bound,
    );
    loaded
}

fn rows(browser: &mut Browser) -> u64 {
    browser
        .evaluate("document.querySelectorAll('#cluster-table tbody tr').length")
        .as_u64()
        .expect("a count")
}

fn text_of(browser: &mut Browser, selector: &str) -> String {
    browser
        .evaluate(&format!(
            "(document.querySelector('{selector}') || {{}}).textContent || ''"
        ))
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn samples_report_opens_clicks_into_the_seed_story_and_shows_its_diff() {
    if !needs::chromium("samples_report_opens_clicks_into_the_seed_story_and_shows_its_diff") {
        return;
    }
    let env = TestEnv::new();
    let page = report(&env, &[SAMPLES], "samples.html");
    let html = std::fs::read_to_string(&page).expect("read report");
    for external in [" src=", "<link", "url(", "@import", "http://", "https://"] {
        assert!(
            !html.contains(external),
            "the report refers to something outside it: {external}"
        );
    }
    // The numbers the page must show, from the JSON report of the same input.
    let json: Value =
        serde_json::from_str(&run(env.cmd(&["report", SAMPLES, "--format", "json"])).stdout)
            .expect("JSON report");
    let seed_diff = json["diffs"]
        .as_array()
        .expect("diffs")
        .iter()
        .find(|d| d["cluster"] == "s1")
        .expect("the seed story has a diff");
    let shared = seed_diff["diff"]["summary"]["shared"]
        .as_u64()
        .expect("count");
    assert!(shared > 0);
    // Shared items shown side by side, and shared sentences of A in all (some are backed by
    // a sentence of B that stands beside another partner).
    let items = seed_diff["diff"]["items"].as_array().expect("items");
    let is_shared = |i: &&Value| i["class"] == "shared";
    let side_by_side = items
        .iter()
        .filter(is_shared)
        .filter(|i| i["a"].is_u64() && i["b"].is_u64())
        .count() as u64;
    let shared_in_a = items
        .iter()
        .filter(is_shared)
        .filter(|i| i["a"].is_u64())
        .count() as u64;
    assert!(side_by_side > 0);

    let mut browser = Browser::launch();
    open(&mut browser, &page, Duration::from_secs(20));
    let clusters = json["clusters"].as_array().expect("clusters").len()
        + json["stories"].as_array().expect("stories").len();
    assert_eq!(rows(&mut browser), clusters as u64);
    assert!(browser.evaluate("document.getElementById('detail').hidden") == Value::Bool(true));

    // Click the story's row as a user would.
    browser.click("#cluster-table a[href='#c-s1']");
    browser.wait_for(
        "document.querySelector('#detail .diff .cols') !== null",
        Duration::from_secs(10),
    );
    let detail = text_of(&mut browser, "#detail");
    for must in [
        "Story s1",
        "000_ef569615e60f7221.txt",
        "004_19ddaf6e8d9fc9cf.txt",
        "Russian President Vladimir Putin traveled to the Kursk region",
        "Putin tells Ukraine troops in Russian region to 'surrender'",
    ] {
        assert!(detail.contains(must), "{must:?} is not in the cluster view");
    }
    let headline = text_of(&mut browser, "#detail .headline");
    assert!(
        headline.starts_with(&format!("{shared} shared")),
        "{headline}"
    );
    // Shared sentences are highlighted on both sides and paired across them.
    let paired = browser.evaluate(
        "(() => { const a = document.querySelectorAll('#detail .unit.shared[id^=a-][data-pair]'); \
         return [...a].filter(el => document.querySelector( \
           '#detail .unit[id^=b-][data-pair=\"' + el.dataset.pair + '\"]')).length; })()",
    );
    assert_eq!(
        paired.as_u64(),
        Some(side_by_side),
        "every shared pair is highlighted on both sides"
    );
    let highlighted =
        browser.evaluate("document.querySelectorAll('#detail .unit.shared[id^=a-]').length");
    assert_eq!(
        highlighted.as_u64(),
        Some(shared_in_a),
        "every shared sentence of A is highlighted"
    );
    assert!(browser.evaluate("location.hash") == Value::String("#c-s1".into()));
    assert!(
        browser.evaluate("document.querySelector('tr.current').dataset.cluster")
            == Value::String("s1".into())
    );

    let shot = env.path().join("samples-report.png");
    browser.screenshot(&shot);
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);

    // The filter narrows the table to the harbour strike's cluster of exact copies.
    browser.type_text("#filter", "harbour");
    browser.wait_for(
        "document.querySelectorAll('#cluster-table tbody tr').length === 1",
        Duration::from_secs(10),
    );
    assert!(text_of(&mut browser, "#cluster-table tbody").contains("exact"));
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn hostile_document_text_is_shown_as_text_and_never_runs() {
    if !needs::chromium("hostile_document_text_is_shown_as_text_and_never_runs") {
        return;
    }
    let env = TestEnv::new();
    let hostile = "<script>window.__pwned = 1</script></textarea><img src=x onerror=\"window.__pwned = 2\"> \"double\" 'single' </script><!-- & &amp;";
    let body = crate::util::article(7, 220);
    let mut lines = String::new();
    for (id, extra) in [
        ("<b>a</b>\"'</script>", ""),
        ("</textarea>b", " A closing sentence differs here."),
    ] {
        let text = format!("{hostile}\n\n{body} {hostile}.{extra}");
        lines.push_str(&serde_json::json!({ "id": id, "text": text }).to_string());
        lines.push('\n');
    }
    env.write("hostile.jsonl", lines);
    let page = report(&env, &["hostile.jsonl"], "hostile.html");

    let mut browser = Browser::launch();
    open(&mut browser, &page, Duration::from_secs(20));
    assert_eq!(rows(&mut browser), 1, "the two documents form one cluster");
    browser.click("#cluster-table a[href='#c-1']");
    browser.wait_for(
        "document.querySelector('#detail .diff .cols') !== null",
        Duration::from_secs(10),
    );
    let detail = text_of(&mut browser, "#detail");
    assert!(detail.contains("<script>window.__pwned = 1</script></textarea>"));
    assert!(detail.contains("<b>a</b>\"'</script>"));
    let facts = browser.evaluate(
        "({ pwned: window.__pwned === undefined, scripts: document.scripts.length, \
           images: document.images.length, textareas: document.querySelectorAll('textarea').length, \
           bold: document.querySelectorAll('b').length - document.querySelectorAll('.card b').length })",
    );
    assert_eq!(
        facts,
        serde_json::json!({ "pwned": true, "scripts": 2, "images": 0, "textareas": 0, "bold": 0 }),
        "markup from a document reached the page"
    );
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

/// The report of the 40k-document bench corpus opens and draws its first page of clusters
/// within [`BENCH_OPEN_BOUND`] (a hang guard; the measured time is printed and is in the
/// README), and the largest story opens with a diff.
#[test]
#[cfg_attr(
    any(overlap_skip_browser, overlap_skip_shared),
    ignore = "OVERLAP_SKIP_BROWSER or OVERLAP_SKIP_SHARED is set: needs Chromium and ../shared"
)]
fn bench_corpus_report_opens_in_chromium() {
    const TEST: &str = "bench_corpus_report_opens_in_chromium";
    let Some(corpus) = needs::shared_file(TEST, "bench/corpus.jsonl") else {
        return;
    };
    if !needs::chromium(TEST) {
        return;
    }
    let corpus = corpus.to_str().expect("UTF-8 path");
    let env = TestEnv::new();
    let page = report(&env, &[corpus, "--quiet"], "bench.html");
    let bytes = std::fs::metadata(&page).expect("report written").len();
    let mut browser = Browser::launch();
    let started = std::time::Instant::now();
    let loaded = open(&mut browser, &page, BENCH_OPEN_BOUND);
    eprintln!(
        "bench report: {:.1} MB, load event after {:.2} s, table drawn after {:.2} s",
        bytes as f64 / 1e6,
        loaded.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(rows(&mut browser), 50, "one page of 50 clusters");
    // Largest first, then into the first one.
    browser.click("#cluster-table th button[data-sort='size']");
    browser.wait_for(
        "document.querySelector('#cluster-table th[aria-sort=descending] button[data-sort=size]') !== null",
        Duration::from_secs(10),
    );
    browser.click("#cluster-table tbody tr:first-child td:first-child a");
    browser.wait_for(
        "document.querySelector('#detail .diff .headline') !== null",
        Duration::from_secs(20),
    );
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

/// Text nodes with a right-to-left override, and those of them outside an isolate (a `<bdi>`,
/// or FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE inside an `<option>`).
const RLO_OUTSIDE_ISOLATES: &str = "(() => { let checked = 0, bad = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const el = n.parentElement;
    if (!n.data.includes('\\u202e') || el.closest('script')) continue;
    checked++;
    const plain = el.tagName === 'OPTION' && n.data.startsWith('\\u2068') && n.data.endsWith('\\u2069');
    if (!el.closest('bdi') && !plain) bad.push(n.data.slice(0, 60));
  }
  return [checked, bad]; })()";

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn item13_report_page_keeps_right_to_left_overrides_of_the_data_in_isolates() {
    if !needs::chromium("item13_report_page_keeps_right_to_left_overrides_of_the_data_in_isolates")
    {
        return;
    }
    let env = TestEnv::new();
    let base = crate::util::article(13, 120);
    let lines = [
        serde_json::json!({"id": "a\u{202e}0.88 Jaccard", "title": "T\u{202e}itle",
            "text": format!("Rain fell \u{202e}hard. {base}")}),
        serde_json::json!({"id": "b\u{202e}", "text": format!("Rain fell today. {base} and more")}),
        serde_json::json!({"id": "c\u{202e}", "text": format!("Rain fell \u{202e}hard. {base}")}),
    ]
    .map(|v| v.to_string());
    env.write("c.jsonl", lines.join("\n") + "\n");
    let page = report(&env, &["c.jsonl", "-q"], "rlo.html");
    let mut browser = Browser::launch();
    open(&mut browser, &page, Duration::from_secs(20));
    // Every view: the table, each cluster, each pair of its members.
    let views = browser.evaluate(
        "(() => { const d = JSON.parse(document.getElementById('data').textContent); \
         return d.clusters.flatMap(c => ['#c-' + c.label].concat(c.members.flatMap(m => \
           c.members.map(o => '#c-' + c.label + '/p-' + m.d + '-' + o.d)))); })()",
    );
    let views: Vec<String> = serde_json::from_value(views).expect("a list of views");
    assert!(views.len() > 3, "{views:?}");
    let mut checked = 0;
    for view in &views {
        // A jump to a fragment loads nothing: wait for the pair view drawn after it.
        browser.evaluate(
            "document.querySelectorAll('#detail .diff').forEach(d => d.dataset.old = '1')",
        );
        browser.navigate(&format!("{}{view}", file_url(&page)));
        browser.wait_for(
            "document.querySelector('#detail .diff:not([data-old])') !== null",
            Duration::from_secs(10),
        );
        let result = browser.evaluate(RLO_OUTSIDE_ISOLATES);
        checked += result[0].as_u64().expect("a count");
        assert_eq!(
            result[1],
            serde_json::json!([]),
            "{view}: outside an isolate"
        );
    }
    assert!(checked > 0, "the page shows the ids and texts");
}
