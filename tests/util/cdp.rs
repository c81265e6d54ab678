//! A minimal driver for headless Chromium over the Chrome DevTools Protocol (CDP), for tests
//! that need a real browser: load a page, run script in it, click and type as a user would,
//! take screenshots, and collect what the page wrote to its console.
//!
//! Chromium runs with `--remote-debugging-pipe`: it reads protocol messages from fd 3 and
//! writes its replies and events to fd 4, each message a JSON text followed by a NUL byte. std
//! cannot hand a child descriptors beyond 0–2, so a shell in between moves our stdin and stdout
//! pipes to 3 and 4 before it `exec`s the browser. No port, no WebSocket, no new dependency.
//!
//! Every wait has a deadline, [`DEFAULT_DEADLINE`] unless one is given, so that a wedged
//! browser fails the test instead of hanging it. The deadlines guard against hangs only: they
//! are generous and say nothing about speed.

// A toolkit: each browser test uses the few methods it needs, and the module is compiled into
// the test binary whole, so a method no test calls yet must not fail the build.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Width and height of the page's viewport in CSS pixels, and of screenshots in pixels.
pub const VIEWPORT: (u32, u32) = (1280, 900);
/// How long any single wait may take unless told otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Pause between two evaluations in [`Browser::wait_for`].
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// How long Chromium gets to shut down after `Browser.close` before it is killed.
const CLOSE_GRACE: Duration = Duration::from_secs(10);
/// Events kept for later waits; beyond this the oldest go (only `Page.loadEventFired` is ever
/// looked for, and it is looked for soon after it comes).
const MAX_BUFFERED_EVENTS: usize = 1000;

/// Moves our pipes to the protocol descriptors (stdin to fd 3, stdout to fd 4), then detaches
/// stdin and stdout so that only the protocol uses the pipes, and sends the log to a file so a
/// chatty browser can never block on a full pipe nobody reads. `$0` is the browser.
const LAUNCH_SCRIPT: &str = r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null 2>"$CDP_LOG""#;

/// What the reader thread passes on: a message, or why the stream broke.
type Incoming = Result<Value, String>;

/// A headless Chromium with one page (tab) to drive. Every method panics with a message that
/// says what failed (and the tail of Chromium's log) on a protocol error or a timeout.
///
/// Dropping it closes the browser: `Browser.close`, then a kill if it lingers, then a wait, so
/// no process is left behind.
pub struct Browser {
    child: Child,
    /// Our end of the browser's fd 3; `None` once closed (on drop).
    to_browser: Option<ChildStdin>,
    /// Messages from the reader thread, in the order Chromium wrote them.
    from_browser: Receiver<Incoming>,
    next_id: u64,
    /// The flat-mode session attached to our page; commands without one go to the browser.
    session: Option<String>,
    /// Events not handled on arrival, for [`Browser::navigate`] to find its load event among.
    events: VecDeque<Value>,
    /// Every console message, log entry and uncaught exception of the page, as text.
    console: Vec<String>,
    /// The errors among them not yet returned by [`Browser::console_errors`], each with the
    /// id of the exception it reports, if it does.
    unreported_errors: Vec<(Option<i64>, String)>,
    log_path: PathBuf,
    /// The profile and the log; removed after the browser is gone (fields drop after `drop`).
    _scratch: tempfile::TempDir,
}

impl Browser {
    /// Starts headless Chromium with a fresh profile, opens a page at `about:blank` and attaches
    /// to it with the Runtime, Log and Page domains enabled, so console messages and load
    /// events are reported from now on.
    pub fn launch() -> Browser {
        // Debian's launcher script: it `exec`s the real binary, so fds 3 and 4 reach it.
        let chromium = super::needs::chromium_path();
        assert!(
            chromium.is_file(),
            "{} not found: install Debian's chromium (apt-get install -y chromium)",
            chromium.display()
        );
        let scratch = tempfile::tempdir().expect("temporary directory for chromium");
        let log_path = scratch.path().join("chromium.log");
        let mut profile = OsString::from("--user-data-dir=");
        profile.push(scratch.path().join("profile"));
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(LAUNCH_SCRIPT)
            .arg(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // A page may sit in a background tab or be considered hidden in headless mode;
                // its timers and rendering must run at full speed all the same.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--remote-debugging-pipe",
                "--window-size=1280,900",
            ])
            .arg(profile)
            .arg("about:blank")
            .env("CDP_LOG", &log_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // The shell has nothing to say: past the `exec`, the log file has the browser's
            // stderr, and an `exec` that fails reports there too.
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium through sh");
        let to_browser = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, from_browser) = mpsc::channel();
        std::thread::Builder::new()
            .name("cdp-reader".into())
            .spawn(move || read_messages(stdout, &sender))
            .expect("start the CDP reader thread");
        let mut browser = Browser {
            child,
            to_browser: Some(to_browser),
            from_browser,
            next_id: 1,
            session: None,
            events: VecDeque::new(),
            console: Vec::new(),
            unreported_errors: Vec::new(),
            log_path,
            _scratch: scratch,
        };
        let target = browser.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            DEFAULT_DEADLINE,
        );
        let target_id = target["targetId"]
            .as_str()
            .expect("Target.createTarget returns a targetId")
            .to_owned();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            DEFAULT_DEADLINE,
        );
        browser.session = Some(
            attached["sessionId"]
                .as_str()
                .expect("Target.attachToTarget returns a sessionId")
                .to_owned(),
        );
        for domain in ["Runtime", "Log", "Page"] {
            browser.command(&format!("{domain}.enable"), json!({}));
        }
        // Headless Chromium takes some of the window for browser UI it does not draw, so a
        // 1280x900 window has a 1280x813 viewport; pin the viewport itself (and one device
        // pixel per CSS pixel) so layouts and screenshots are the same everywhere.
        browser.command(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": VIEWPORT.0,
                "height": VIEWPORT.1,
                "deviceScaleFactor": 1,
                "mobile": false,
            }),
        );
        browser
    }

    /// Sends any CDP command to the page's session and returns its result, for what the
    /// helpers below do not cover (e.g. `Emulation.setDeviceMetricsOverride`).
    pub fn command(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(session.as_deref(), method, params, DEFAULT_DEADLINE)
    }

    /// Loads `url` in the page and waits for its load event; returns how long that took.
    /// Panics if the navigation fails (a missing file, say).
    pub fn navigate(&mut self, url: &str) -> Duration {
        // A load event left from an earlier page must not pass for this one.
        self.pump();
        let session = self.session.clone();
        self.events
            .retain(|e| !is_event(e, "Page.loadEventFired", session.as_deref()));
        let started = Instant::now();
        let navigated = self.command("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigated.get("errorText").and_then(Value::as_str) {
            self.fail(format!("navigating to {url} failed: {error}"));
        }
        // A jump within the same document (a fragment) starts no load, so there is no event to
        // wait for; only navigations that load a document have a loader.
        if navigated.get("loaderId").is_some() {
            self.wait_event(
                "Page.loadEventFired",
                DEFAULT_DEADLINE,
                &format!("the load event of {url}"),
            );
        }
        started.elapsed()
    }

    /// The value of the JavaScript `expression` in the page (awaited, if it is a promise), as
    /// JSON: `undefined` is `null`, and numbers JSON cannot hold (`NaN`, `Infinity`, `-0`,
    /// bigints) are strings. Panics with the exception if the expression throws or rejects.
    pub fn evaluate(&mut self, expression: &str) -> Value {
        match self.try_evaluate(expression, DEFAULT_DEADLINE) {
            Ok(remote) => value_of(&remote),
            Err(exception) => panic!("{expression} threw: {exception}"),
        }
    }

    /// Evaluates `expression` every 50 ms until its value is truthy (neither `null`,
    /// `undefined`, `false`, `0`, `NaN` nor `""`) and returns that value. An expression that
    /// throws counts as not yet true, so it may refer to elements that are still to come.
    /// Panics, with the last value or exception, if `deadline` passes first.
    pub fn wait_for(&mut self, expression: &str, deadline: Duration) -> Value {
        let until = Instant::now() + deadline;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let outcome = self.try_evaluate(expression, left.max(POLL_INTERVAL));
            let last = match outcome {
                Ok(remote) if is_truthy(&remote) => return value_of(&remote),
                Ok(remote) => format!("its value is {}", value_of(&remote)),
                Err(exception) => format!("it throws {exception}"),
            };
            if Instant::now() + POLL_INTERVAL > until {
                panic!("{expression} did not become true within {deadline:?}: {last}");
            }
            std::thread::sleep(POLL_INTERVAL);
        }
    }

    /// Clicks the first element matching the CSS `selector` with a real mouse: scrolls it to the
    /// middle of the viewport, then moves the mouse to the centre of its box and presses and
    /// releases the left button there, so the page sees the whole sequence of trusted events a
    /// user's click makes. Panics if nothing matches, if the element has no box, or if
    /// something else covers its centre (the click would land there instead).
    pub fn click(&mut self, selector: &str) {
        let (x, y) = self.centre_of(selector);
        for (kind, button, buttons, clicks) in [
            ("mouseMoved", "none", 0, 0),
            ("mousePressed", "left", 1, 1),
            ("mouseReleased", "left", 0, 1),
        ] {
            self.command(
                "Input.dispatchMouseEvent",
                json!({
                    "type": kind,
                    "x": x,
                    "y": y,
                    "button": button,
                    "buttons": buttons,
                    "clickCount": clicks,
                }),
            );
        }
    }

    /// Clicks the first element matching `selector` to focus it, then types `text` into it as
    /// one input (`Input.insertText`: `beforeinput` and `input` events, no key events). Panics
    /// if the click does not give the element focus.
    pub fn type_text(&mut self, selector: &str, text: &str) {
        self.click(selector);
        let focused = self.evaluate(&format!(
            "(() => {{ const el = document.querySelector({selector}); \
             return !!el && el.contains(document.activeElement); }})()",
            selector = js_string(selector),
        ));
        assert_eq!(
            focused,
            Value::Bool(true),
            "clicking {selector} did not focus it, so there is nowhere to type"
        );
        self.command("Input.insertText", json!({ "text": text }));
    }

    /// Saves what the viewport shows as a PNG file at `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.command(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": false }),
        );
        let data = shot["data"]
            .as_str()
            .expect("Page.captureScreenshot returns base64 data");
        let png = base64_decode(data);
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("write screenshot {}: {e}", path.display()));
    }

    /// The errors the page reported since the last call (or since launch): `console.error` and
    /// failed `console.assert` calls, uncaught exceptions and rejections, and error entries of
    /// the browser's log about the page (blocked by the Content-Security-Policy, failed to
    /// load a resource, ...). Each is a line of text with its source location when known (an
    /// exception's is followed by its stack).
    pub fn console_errors(&mut self) -> Vec<String> {
        self.pump();
        std::mem::take(&mut self.unreported_errors)
            .into_iter()
            .map(|(_, line)| line)
            .collect()
    }

    /// Everything the page reported since launch, errors included, at every level: console
    /// calls, uncaught exceptions, and the browser's log entries about the page.
    pub fn console_messages(&mut self) -> Vec<String> {
        self.pump();
        self.console.clone()
    }

    /// Sends `method` to `session` (or to the browser itself) and waits for its result,
    /// handling the events that come meanwhile.
    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Duration,
    ) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            command["sessionId"] = session.into();
        }
        let mut bytes = serde_json::to_vec(&command).expect("serialize a CDP command");
        bytes.push(0);
        let to_browser = self
            .to_browser
            .as_mut()
            .expect("the pipe to chromium is open until drop");
        if let Err(e) = to_browser
            .write_all(&bytes)
            .and_then(|()| to_browser.flush())
        {
            self.fail(format!("cannot send {method}: {e}"));
        }
        let params = abbreviate(&command["params"]);
        let until = Instant::now() + deadline;
        loop {
            let mut message = self.next_message(until, || {
                format!("no reply to {method} {params} within {deadline:?}")
            });
            match message.get("id").and_then(Value::as_u64) {
                Some(reply) if reply == id => {
                    if let Some(error) = message.get("error") {
                        self.fail(format!("{method} {params} failed: {error}"));
                    }
                    return message
                        .get_mut("result")
                        .map(Value::take)
                        .unwrap_or(Value::Null);
                }
                // The reply to a command an earlier wait gave up on.
                Some(_) => {}
                None => self.take_event(message),
            }
        }
    }

    /// Waits for the event `method` of our page, taking it from the events that came earlier
    /// if it is there. `what` names it in the panic message.
    fn wait_event(&mut self, method: &str, deadline: Duration, what: &str) -> Value {
        let session = self.session.clone();
        if let Some(at) = self
            .events
            .iter()
            .position(|e| is_event(e, method, session.as_deref()))
        {
            return self.events.remove(at).expect("position is in range");
        }
        let until = Instant::now() + deadline;
        loop {
            let message = self.next_message(until, || {
                format!("no {what} ({method}) within {deadline:?}")
            });
            if is_event(&message, method, session.as_deref()) {
                return message;
            }
            if message.get("id").is_none() {
                self.take_event(message);
            }
        }
    }

    /// Handles the messages that have come, without waiting for more.
    fn pump(&mut self) {
        loop {
            match self.from_browser.try_recv() {
                Ok(Ok(message)) => {
                    if message.get("id").is_none() {
                        self.take_event(message);
                    }
                }
                Ok(Err(broken)) => self.fail(broken),
                // A browser that went away has nothing more to report; the next command says so.
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            }
        }
    }

    /// The next message from the browser; panics with `timeout()` if none comes by `until`.
    fn next_message(&mut self, until: Instant, timeout: impl FnOnce() -> String) -> Value {
        let left = until.saturating_duration_since(Instant::now());
        match self.from_browser.recv_timeout(left) {
            Ok(Ok(message)) => message,
            Ok(Err(broken)) => self.fail(broken),
            Err(RecvTimeoutError::Timeout) => self.fail(timeout()),
            Err(RecvTimeoutError::Disconnected) => {
                let status = match self.child.try_wait() {
                    Ok(Some(status)) => format!("it exited: {status}"),
                    _ => "it is still running".to_owned(),
                };
                self.fail(format!("chromium closed the protocol pipe ({status})"))
            }
        }
    }

    /// Records console output and log entries of the page, stops on a crash, keeps the rest.
    fn take_event(&mut self, event: Value) {
        let session = self.session.clone();
        let session = session.as_deref();
        let ours = session.is_some() && event["sessionId"].as_str() == session;
        let params = &event["params"];
        match event["method"].as_str().unwrap_or("") {
            "Runtime.consoleAPICalled" if ours => {
                let kind = params["type"].as_str().unwrap_or("log");
                let args = params["args"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                let text = args.iter().map(describe).collect::<Vec<_>>().join(" ");
                let place = params["stackTrace"]["callFrames"]
                    .get(0)
                    .map(location)
                    .unwrap_or_default();
                let line = format!("console.{kind}: {text}{place}");
                self.report(line, matches!(kind, "error" | "assert"), None);
            }
            "Runtime.exceptionThrown" if ours => {
                let details = &params["exceptionDetails"];
                let text = details["text"].as_str().unwrap_or("Uncaught");
                let exception = details.get("exception").map(describe).unwrap_or_default();
                let line = format!("exception: {text} {exception}{}", location(details));
                let id = details["exceptionId"].as_i64();
                self.report(line.trim_end().to_owned(), true, id);
            }
            // A promise rejected with no handler is reported at once, and revoked if a handler
            // comes later: then nothing went wrong after all.
            "Runtime.exceptionRevoked" if ours => {
                let id = params["exceptionId"].as_i64();
                self.unreported_errors.retain(|(thrown, _)| *thrown != id);
                let reason = params["reason"].as_str().unwrap_or("handled");
                self.console.push(format!("exception revoked: {reason}"));
            }
            "Log.entryAdded" if ours => {
                let entry = &params["entry"];
                let level = entry["level"].as_str().unwrap_or("info");
                let line = format!(
                    "log.{level} ({}): {}{}",
                    entry["source"].as_str().unwrap_or("other"),
                    entry["text"].as_str().unwrap_or(""),
                    location(entry),
                );
                self.report(line, level == "error", None);
            }
            "Inspector.targetCrashed" if ours => self.fail("the page crashed".to_owned()),
            "Target.detachedFromTarget"
                if session.is_some() && params["sessionId"].as_str() == session =>
            {
                self.fail("the page went away (detached from its target)".to_owned())
            }
            _ => {
                if self.events.len() == MAX_BUFFERED_EVENTS {
                    self.events.pop_front();
                }
                self.events.push_back(event);
            }
        }
    }

    /// Adds a line to the console messages and, if it is an error, to the errors to report;
    /// `exception` identifies an uncaught exception, which may be revoked later.
    fn report(&mut self, line: String, is_error: bool, exception: Option<i64>) {
        if is_error {
            self.unreported_errors.push((exception, line.clone()));
        }
        self.console.push(line);
    }

    /// `Runtime.evaluate`: the resulting remote object, or the exception as text.
    fn try_evaluate(&mut self, expression: &str, deadline: Duration) -> Result<Value, String> {
        let session = self.session.clone();
        let mut evaluated = self.call(
            session.as_deref(),
            "Runtime.evaluate",
            json!({
                "expression": expression,
                "returnByValue": true,
                "awaitPromise": true,
                // As if a user had acted, so that what needs a gesture (focus, clipboard,
                // fullscreen) is allowed to the script.
                "userGesture": true,
            }),
            deadline,
        );
        if let Some(details) = evaluated.get("exceptionDetails") {
            let text = details["text"].as_str().unwrap_or("Uncaught");
            let exception = details.get("exception").map(describe).unwrap_or_default();
            return Err(format!("{text} {exception}").trim_end().to_owned());
        }
        Ok(evaluated["result"].take())
    }

    /// Panics with `what` and the end of Chromium's log.
    fn fail(&mut self, what: String) -> ! {
        let log = std::fs::read(&self.log_path).unwrap_or_default();
        let log = String::from_utf8_lossy(&log);
        // Without a system bus (in a container) Chromium complains about D-Bus all the time;
        // those lines never explain a failure and would push out the ones that do.
        let lines: Vec<&str> = log.lines().filter(|l| !l.contains("dbus")).collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        panic!("chromium: {what}\n--- end of chromium's log ---\n{tail}");
    }

    /// The viewport coordinates of the centre of the first element matching `selector`, after
    /// scrolling it into view.
    fn centre_of(&mut self, selector: &str) -> (f64, f64) {
        // `instant`: a page with `scroll-behavior: smooth` would otherwise still be scrolling,
        // and the box measured now would not be where the element ends up.
        let found = self.evaluate(&format!(
            r#"((selector) => {{
                const el = document.querySelector(selector);
                if (!el) return {{ error: "no element matches it" }};
                el.scrollIntoView({{ block: "center", inline: "center", behavior: "instant" }});
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0)
                    return {{ error: `it has no box (${{r.width}}x${{r.height}}): is it hidden?` }};
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                if (!hit || !(el === hit || el.contains(hit))) {{
                    const what = hit ? hit.outerHTML.slice(0, 200) : "nothing (off screen)";
                    return {{ error: `at its centre (${{x}}, ${{y}}) is ${{what}}` }};
                }}
                return {{ x, y }};
            }})({})"#,
            js_string(selector)
        ));
        if let Some(error) = found["error"].as_str() {
            panic!("cannot click {selector}: {error}");
        }
        let coordinate = |name: &str| {
            found[name]
                .as_f64()
                .unwrap_or_else(|| panic!("the centre of {selector} has no {name}: {found}"))
        };
        (coordinate("x"), coordinate("y"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Asked to close, Chromium stops its renderer and helper processes too; killed, it
        // would leave them to exit on their own. Closing the pipe also tells it we are gone.
        if let Some(mut to_browser) = self.to_browser.take() {
            let close = json!({ "id": self.next_id, "method": "Browser.close" });
            let mut bytes = serde_json::to_vec(&close).expect("serialize Browser.close");
            bytes.push(0);
            // It may be dead already (this can run while a failed test unwinds): no matter.
            let _ = to_browser
                .write_all(&bytes)
                .and_then(|()| to_browser.flush());
        }
        let until = Instant::now() + CLOSE_GRACE;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < until => std::thread::sleep(POLL_INTERVAL),
                _ => break,
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `file://` URL of `path` (made absolute), with anything but unreserved characters and `/`
/// percent-encoded.
pub fn file_url(path: &Path) -> String {
    let path = std::path::absolute(path)
        .unwrap_or_else(|e| panic!("absolute path of {}: {e}", path.display()));
    let mut url = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The reader thread: splits Chromium's output on NULs and passes on each message, parsed,
/// until the pipe closes or nobody listens any more.
fn read_messages(from_browser: impl Read, to_driver: &mpsc::Sender<Incoming>) {
    let mut from_browser = BufReader::new(from_browser);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let incoming = match from_browser.read_until(0, &mut buf) {
            Ok(0) => return,
            Ok(_) if buf.last() == Some(&0) => {
                buf.pop();
                serde_json::from_slice(&buf).map_err(|e| {
                    format!(
                        "unreadable protocol message ({e}): {}",
                        String::from_utf8_lossy(&buf[..buf.len().min(300)])
                    )
                })
            }
            Ok(_) => Err(format!(
                "the protocol pipe closed within a message: {}",
                String::from_utf8_lossy(&buf[..buf.len().min(300)])
            )),
            Err(e) => Err(format!("reading the protocol pipe: {e}")),
        };
        let broken = incoming.is_err();
        if to_driver.send(incoming).is_err() || broken {
            return;
        }
    }
}

/// Whether `message` is the event `method` from `session`.
fn is_event(message: &Value, method: &str, session: Option<&str>) -> bool {
    message.get("id").is_none()
        && message["method"].as_str() == Some(method)
        && message["sessionId"].as_str() == session
}

/// `value` as JSON, cut short if long (a failure message needs only a glimpse).
fn abbreviate(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A JavaScript string literal holding `text`: JSON strings are valid JavaScript.
fn js_string(text: &str) -> String {
    Value::from(text).to_string()
}

/// The JSON value of a remote object obtained by value (see [`Browser::evaluate`]).
fn value_of(remote: &Value) -> Value {
    if let Some(value) = remote.get("value") {
        return value.clone();
    }
    match remote.get("unserializableValue") {
        Some(special) => special.clone(),
        None => Value::Null,
    }
}

/// JavaScript truthiness of a remote object obtained by value.
fn is_truthy(remote: &Value) -> bool {
    if let Some(special) = remote["unserializableValue"].as_str() {
        return !matches!(special, "NaN" | "-0" | "0n");
    }
    match remote.get("value") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}

/// A console argument or exception as text: strings as they are, other values as JSON, plain
/// objects and arrays by their preview (`{a: 1}`), the rest by description (an error's is its
/// message and stack).
fn describe(remote: &Value) -> String {
    match remote.get("value") {
        Some(Value::String(s)) => return s.clone(),
        Some(value) if remote.get("description").is_none() => return value.to_string(),
        _ => {}
    }
    let preview = &remote["preview"];
    if let (Some(properties), Some("object")) =
        (preview["properties"].as_array(), preview["type"].as_str())
    {
        if matches!(preview["subtype"].as_str(), None | Some("array")) {
            let more = if preview["overflow"].as_bool() == Some(true) {
                ", …"
            } else {
                ""
            };
            let array = preview["subtype"].as_str() == Some("array");
            let items = properties
                .iter()
                .map(|p| {
                    let value = match p["type"].as_str() {
                        Some("string") => {
                            Value::from(p["value"].as_str().unwrap_or("")).to_string()
                        }
                        _ => p["value"].as_str().unwrap_or("?").to_owned(),
                    };
                    if array {
                        value
                    } else {
                        format!("{}: {value}", p["name"].as_str().unwrap_or("?"))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            return if array {
                format!("[{items}{more}]")
            } else {
                format!("{{{items}{more}}}")
            };
        }
    }
    remote["unserializableValue"]
        .as_str()
        .or(remote["description"].as_str())
        .or(remote["type"].as_str())
        .unwrap_or("?")
        .to_owned()
}

/// ` (url:line)` of a call frame, exception or log entry, whose line numbers count from 0;
/// empty if it has no URL.
fn location(at: &Value) -> String {
    match at["url"].as_str().filter(|u| !u.is_empty()) {
        Some(url) => match at["lineNumber"].as_u64() {
            Some(line) => format!(" ({url}:{})", line + 1),
            None => format!(" ({url})"),
        },
        None => String::new(),
    }
}

/// Decodes standard base64 (with or without padding), as `Page.captureScreenshot` sends it.
fn base64_decode(text: &str) -> Vec<u8> {
    let digits = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (at, &c) in digits.iter().enumerate() {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: byte {c:#04x} at {at}"),
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    assert!(
        digits.len() % 4 != 1,
        "not base64: {} digits cannot end a group",
        digits.len()
    );
    out
}
