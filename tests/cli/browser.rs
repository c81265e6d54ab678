//! `overlap compare --format html` opened in a real browser: headless Chromium runs the page's
//! script and dumps the DOM, and its log shows every console message the page produced.
//!
//! Needs Debian's `chromium` at /usr/bin/chromium (or `OVERLAP_CHROMIUM`). Without it these
//! tests fail, unless `OVERLAP_SKIP_BROWSER=1` skips them visibly (see `util::needs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{needs, run, TestEnv, SEED_A, SEED_B};

/// Longest a page may take to load, run and dump before the browser is stopped.
const BROWSER_DEADLINE: Duration = Duration::from_secs(90);

/// What the browser made of a page.
struct Dump {
    /// The DOM after the page's scripts ran, serialized.
    dom: String,
    /// Console messages the page produced (log lines, see [`console_messages`]).
    console: Vec<String>,
    /// Chromium's whole log, for failure messages.
    log: String,
}

/// Console messages in Chromium's log (`--enable-logging=stderr`). Every console call and
/// every uncaught exception of a page is logged at INFO whatever its level, as
/// `[pid:tid:MMDD/HHMMSS.micros:INFO:CONSOLE:12] "Uncaught Error: x", source: file:///… (12)`
/// (older builds write `CONSOLE(12)`). The rest of the log is the browser about itself (no
/// D-Bus in a container, no GPU), never the page, so it is not a failure.
fn console_messages(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| {
            let prefix = line.split(']').next().unwrap_or("");
            (line.starts_with('[') && prefix.contains(":CONSOLE")) || line.contains("Uncaught ")
        })
        .map(str::to_owned)
        .collect()
}

/// `file://` URL of an absolute path, with anything but unreserved characters and `/`
/// percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Opens `page` in headless Chromium with a fresh profile, lets its scripts run and returns
/// the DOM and the console messages.
fn open_in_chromium(page: &Path) -> Dump {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let (out_path, log_path) = (
        scratch.path().join("dom.html"),
        scratch.path().join("chromium.log"),
    );
    // Output goes to files rather than pipes, so a chatty browser cannot block on a full pipe
    // while we wait for it.
    let mut child = Command::new(needs::chromium_path())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("create DOM file"))
        .stderr(std::fs::File::create(&log_path).expect("create log file"))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > BROWSER_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish within {BROWSER_DEADLINE:?} on {}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = std::fs::read_to_string(&out_path).expect("read DOM");
    let log = String::from_utf8_lossy(&std::fs::read(&log_path).expect("read log")).into_owned();
    assert!(
        status.success(),
        "chromium failed ({status}) on {}:\n{log}",
        page.display()
    );
    Dump {
        dom,
        console: console_messages(&log),
        log,
    }
}

/// The opening tag of the sentence span holding `text`.
fn unit_around<'a>(dom: &'a str, text: &str) -> &'a str {
    let at = dom
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} is not on the page"));
    let start = dom[..at]
        .rfind("<span class=\"unit")
        .expect("text inside a sentence span");
    &dom[start..start + dom[start..].find('>').expect("tag end")]
}

/// The value of attribute `name` in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[from..].split('"').next()
}

/// Opening tags in serialized HTML that carry attribute `name`.
fn tags_with<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    html.split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
        .filter(|t| t.contains(&format!(" {name}=")))
        .collect()
}

/// `overlap compare A B --format html -o <dir>/NAME`: the page, and its path.
fn render(env: &TestEnv, a: &str, b: &str, name: &str) -> (String, PathBuf) {
    let path = env.path().join(name);
    let out = path.to_str().expect("UTF-8 temporary path");
    let r = run(env.cmd(&["compare", a, b, "--format", "html", "-o", out]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    (std::fs::read_to_string(&path).expect("read page"), path)
}

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn html_page_renders_in_headless_chromium() {
    if !needs::chromium("html_page_renders_in_headless_chromium") {
        return;
    }
    let env = TestEnv::new();
    let (html, path) = render(&env, SEED_A, SEED_B, "seeds.html");
    // Self-contained: nothing to fetch.
    for external in [" src=", "<link", "url(", "@import", "http://", "https://"] {
        assert!(
            !html.contains(external),
            "the page refers to something outside it: {external}"
        );
    }
    let dump = open_in_chromium(&path);
    assert!(
        dump.console.is_empty(),
        "the page wrote to the console:\n{}",
        dump.console.join("\n")
    );
    // Every sentence is a span, numbered from zero.
    let first = unit_around(
        &dump.dom,
        "Russian President Vladimir Putin traveled to the Kursk region",
    );
    assert_eq!(attribute(first, "id"), Some("a-0"), "{first}");
    assert!(dump.dom.contains("Witkoff"));
    // Both sentences about the Witkoff talks carry the same pair, so either finds the other,
    // and the pair's entry in the list links to both.
    let witkoff_a = unit_around(&dump.dom, "American envoy Steve Witkoff prepares");
    let witkoff_b = unit_around(&dump.dom, "between his envoy Steve Witkoff and Putin");
    let pair = attribute(witkoff_a, "data-pair").expect("A's Witkoff sentence is paired");
    assert_eq!(
        attribute(witkoff_b, "data-pair"),
        Some(pair),
        "{witkoff_a} / {witkoff_b}"
    );
    assert!(
        witkoff_a.contains("class=\"unit shared\"") && witkoff_b.contains("class=\"unit shared\"")
    );
    let entry = format!("<li class=\"pair shared\" data-pair=\"{pair}\">");
    let entry = &dump.dom[dump.dom.find(&entry).expect("the pair is listed")..];
    let entry = &entry[..entry.find("</li>").expect("entry end")];
    for unit in [witkoff_a, witkoff_b] {
        let id = attribute(unit, "id").expect("sentence id");
        assert!(entry.contains(&format!("href=\"#{id}\"")), "{entry}");
    }
}

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn console_detector_catches_a_script_error() {
    if !needs::chromium("console_detector_catches_a_script_error") {
        return;
    }
    let env = TestEnv::new();
    let page = env.write(
        "broken.html",
        "<!doctype html><meta charset=\"utf-8\"><title>broken</title><p>text</p>\
         <script>throw new Error(\"x\");</script>",
    );
    let dump = open_in_chromium(&page);
    assert_eq!(dump.console.len(), 1, "{}", dump.log);
    assert!(
        dump.console[0].contains("Uncaught Error: x"),
        "{}",
        dump.console[0]
    );
    let quiet = env.write(
        "quiet.html",
        "<!doctype html><meta charset=\"utf-8\"><title>quiet</title><p>text</p>",
    );
    assert_eq!(open_in_chromium(&quiet).console, Vec::<String>::new());
}

#[test]
fn console_messages_reads_chromium_log_lines() {
    let log = "/usr/bin/chromium: 9: [: 25276502016: unexpected operator\n\
        [61:90:1122/030316.533757:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n\
        [61:61:1122/030317.423263:INFO:CONSOLE:2] \"Uncaught Error: x\", source: file:///t.html (2)\n\
        [61:61:1122/030317.423264:INFO:CONSOLE(7)] \"a log line\", source: file:///t.html (7)\n";
    let found = console_messages(log);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("Uncaught Error: x") && found[1].contains("a log line"));
}

#[test]
#[cfg_attr(
    overlap_skip_browser,
    ignore = "OVERLAP_SKIP_BROWSER is set: needs headless Chromium"
)]
fn html_escapes_hostile_article_text() {
    if !needs::chromium("html_escapes_hostile_article_text") {
        return;
    }
    let env = TestEnv::new();
    let shared = "The harbour council approved a budget of 212 million euros on Thursday night after a long debate.";
    let hostile = "Critics posted <script>window.__pwned=1</script> on the council site. \
        Then </script><img src=x onerror=\"window.__pwned=2\"> appeared, closing </textarea> too. \
        They said \"quotes\" & 'apostrophes' break\u{2028}pages.";
    let a = env.write("a<i>&.txt", format!("{shared}\n\n{hostile}\n"));
    let b = env.write(
        "b.txt",
        format!("{shared}\n\nThe mayor said nothing more. {hostile}\n"),
    );
    let (html, path) = render(
        &env,
        a.to_str().expect("UTF-8 path"),
        b.to_str().expect("UTF-8 path"),
        "hostile.html",
    );

    // The raw page: only its own script, the article's markup escaped wherever it appears.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert_eq!(html.matches("</script").count(), 1);
    assert!(!html.contains("<script>window.__pwned"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("</textarea>"));
    assert!(!html.contains("<i>&"), "the id is escaped too");
    assert!(html.contains("a&lt;i&gt;&amp;.txt"));
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;"));
    assert!(html.contains("&quot;quotes&quot; &amp; &#39;apostrophes&#39; break\u{2028}pages."));
    assert!(
        html.contains("data-pair=\"p0\""),
        "the shared sentence is aligned:\n{html}"
    );

    // In the browser: the hostile text is text, no element came out of it, nothing ran.
    let dump = open_in_chromium(&path);
    assert!(
        dump.console.is_empty(),
        "the page wrote to the console:\n{}",
        dump.console.join("\n")
    );
    assert!(
        !dump.dom.contains("<img"),
        "an img element was created:\n{}",
        dump.dom
    );
    assert_eq!(tags_with(&dump.dom, "onerror"), Vec::<&str>::new());
    assert_eq!(dump.dom.matches("<script").count(), 1, "{}", dump.dom);
    assert!(dump
        .dom
        .contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(dump
        .dom
        .contains("&lt;/script&gt;&lt;img src=x onerror=\"window.__pwned=2\"&gt;"));
    assert!(dump.dom.contains("&lt;/textarea&gt;"));
}
