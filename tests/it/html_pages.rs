//! The HTML pages (`DIR/index.html`, the packet's `<slug>.html`) in a real browser: Debian's
//! headless Chromium, installed by the test when missing (as root, with apt-get), driven through
//! its DevTools protocol over `--remote-debugging-pipe` (no driver, no extra crate). One
//! Chromium serves every test of this area, each test in its own tab.
//!
//! Checked: the pages load with no console error and no request but the file itself; the people
//! table sorts and filters (and pages) the visible rows, and is whole with scripts off; a
//! person's section shows their evidence; hostile names stay text; the policy blocks changed
//! inline code; the packet prints (A4 and Letter) with its summary on the first page.

use crate::support as common;
use common::*;
use serde_json::{json, Value};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How long to wait for any one answer of Chromium before failing (not a timing assertion: a
/// hung browser must not hang the test run).
const PATIENCE: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// Chromium

/// Where Debian's Chromium is, after installing it (and poppler-utils, for pdftotext) when
/// missing. `Err` says why it cannot be had.
fn chromium_exe() -> Result<PathBuf, String> {
    let find = || {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    };
    let pdftotext = || Command::new("pdftotext").arg("-v").output().is_ok();
    if find().is_some() && pdftotext() {
        return Ok(find().unwrap_or_default());
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err(
            "Chromium or pdftotext is missing and this user is not root: install them \
                    with `sudo apt-get install chromium poppler-utils`"
                .to_string(),
        );
    }
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .map_err(|e| format!("cannot run apt-get: {e}"))
    };
    let install = [
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "poppler-utils",
    ];
    let first = apt(&install)?;
    if !first.status.success() {
        apt(&["update"])?;
        let again = apt(&install)?;
        if !again.status.success() {
            return Err(format!(
                "apt-get install chromium poppler-utils failed: {}",
                String::from_utf8_lossy(&again.stderr).trim()
            ));
        }
    }
    match (find(), pdftotext()) {
        (Some(exe), true) => Ok(exe),
        _ => Err("apt-get installed chromium and poppler-utils, yet they are not found".into()),
    }
}

/// How Chromium is started: headless, and nothing it would fetch on its own.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
];

/// A Chromium talking DevTools protocol over its pipe (fd 3 in, fd 4 out, messages ended by NUL).
struct Browser {
    exe: PathBuf,
    child: Child,
    to: File,
    from: Receiver<Value>,
    next_id: u64,
    /// Events (and answers) read while waiting for something else.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// Two pipes' ends, close-on-exec (the child gets its ends as fds 3 and 4 only).
fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: fds is a valid array of two ints.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", std::io::Error::last_os_error());
    (fds[0], fds[1])
}

impl Browser {
    fn start(exe: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (cmd_read, cmd_write) = pipe();
        let (answer_read, answer_write) = pipe();
        let mut command = Command::new(exe);
        command
            .args(FLAGS)
            .arg("--remote-debugging-pipe")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls (fcntl, dup2) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Copies above 10 first, so that dup2 onto 3 and 4 never hits its own source.
                let a = libc::fcntl(cmd_read, libc::F_DUPFD, 10);
                let b = libc::fcntl(answer_write, libc::F_DUPFD, 10);
                if a < 0 || b < 0 || libc::dup2(a, 3) < 0 || libc::dup2(b, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        // SAFETY: these fds were just made by pipe2 and are owned here alone.
        let (to, mut from_file) = unsafe {
            libc::close(cmd_read);
            libc::close(answer_write);
            (File::from_raw_fd(cmd_write), File::from_raw_fd(answer_read))
        };
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1 << 16];
            loop {
                let n = match from_file.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|&b| b == 0) {
                    let msg: Vec<u8> = buf.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice::<Value>(&msg[..end]) {
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        Browser {
            exe: exe.to_path_buf(),
            child,
            to,
            from: rx,
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        }
    }

    fn receive(&mut self, what: &str) -> Value {
        self.from
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|e| panic!("Chromium sent nothing while waiting for {what}: {e}"))
    }

    /// Sends a command (to a tab's session, or to the browser) and returns its result.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = s.into();
        }
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        self.to
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("cannot send {method} to Chromium: {e}"));
        loop {
            let v = self.receive(method);
            if v["id"] == id {
                if let Some(err) = v.get("error") {
                    panic!("{method} failed: {err}");
                }
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    /// Waits for an event of a session.
    fn wait_event(&mut self, session: &str, method: &str) -> Value {
        let matches = |v: &Value| v["method"] == method && v["sessionId"] == session;
        if let Some(i) = self.events.iter().position(matches) {
            return self.events.remove(i);
        }
        loop {
            let v = self.receive(method);
            if matches(&v) {
                return v;
            }
            self.events.push(v);
        }
    }

    /// Reads whatever has arrived.
    fn drain(&mut self) {
        while let Ok(v) = self.from.try_recv() {
            self.events.push(v);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The one Chromium of the test run, or `None` (with the reason printed) when it cannot be
/// installed outside CI. On CI (`CI` or `GLUEWORK_REQUIRE_BROWSER` set, as `.ci/run` does) a
/// missing browser fails the test.
fn browser() -> Option<MutexGuard<'static, Browser>> {
    static BROWSER: OnceLock<Result<Mutex<Browser>, String>> = OnceLock::new();
    let b = BROWSER.get_or_init(|| chromium_exe().map(|exe| Mutex::new(Browser::start(&exe))));
    match b {
        Ok(m) => Some(m.lock().unwrap_or_else(|e| e.into_inner())),
        Err(why)
            if ["CI", "GLUEWORK_REQUIRE_BROWSER"]
                .iter()
                .any(|v| std::env::var_os(v).is_some()) =>
        {
            panic!("the browser tests must run here (CI or GLUEWORK_REQUIRE_BROWSER is set): {why}")
        }
        Err(why) => {
            // Straight to standard error, past the test harness's capture: a skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: the browser tests need Debian's Chromium: {why}"
            );
            None
        }
    }
}

/// A tab with one page loaded.
struct Tab<'a> {
    browser: &'a mut Browser,
    session: String,
    target: String,
    url: String,
}

impl<'a> Tab<'a> {
    /// Opens `file` in a new tab (scripts off when `scripts` is false) and waits for its load.
    fn open(browser: &'a mut Browser, file: &Path, scripts: bool) -> Tab<'a> {
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}))
            ["targetId"]
            .as_str()
            .unwrap()
            .to_string();
        let session = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            browser.call(Some(&session), &format!("{domain}.enable"), json!({}));
        }
        if !scripts {
            browser.call(
                Some(&session),
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
            );
        }
        let url = format!("file://{}", file.display());
        browser.call(Some(&session), "Page.navigate", json!({"url": url}));
        browser.wait_event(&session, "Page.loadEventFired");
        let mut tab = Tab {
            browser,
            session,
            target,
            url,
        };
        // Let the page settle: a round trip through its event loop (timers do not run with
        // scripts off).
        if scripts {
            tab.eval("new Promise(r => setTimeout(() => r(1), 50))");
        }
        tab
    }

    /// Evaluates `expr` in the page and returns its value (JSON).
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.browser.call(
            Some(&self.session),
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expr} threw: {e}");
        }
        r["result"]["value"].clone()
    }

    fn events(&mut self) -> Vec<Value> {
        self.browser.drain();
        let s = self.session.clone();
        self.browser
            .events
            .iter()
            .filter(|v| v["sessionId"] == s.as_str())
            .cloned()
            .collect()
    }

    /// Console errors and warnings, uncaught exceptions and logged errors (a blocked inline
    /// script or style is one).
    fn errors(&mut self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|v| match v["method"].as_str()? {
                "Runtime.exceptionThrown" => Some(v["params"]["exceptionDetails"].to_string()),
                "Runtime.consoleAPICalled"
                    if matches!(v["params"]["type"].as_str(), Some("error" | "warning")) =>
                {
                    Some(v["params"]["args"].to_string())
                }
                "Log.entryAdded"
                    if matches!(
                        v["params"]["entry"]["level"].as_str(),
                        Some("error" | "warning")
                    ) =>
                {
                    Some(v["params"]["entry"]["text"].to_string())
                }
                _ => None,
            })
            .collect()
    }

    /// Every address the page asked for.
    fn requests(&mut self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|v| v["method"] == "Network.requestWillBeSent")
            .map(|v| {
                v["params"]["request"]["url"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    /// The page loaded cleanly: no error, and no request but the file itself.
    fn assert_clean(&mut self) {
        let errors = self.errors();
        assert!(errors.is_empty(), "console errors: {errors:#?}");
        let url = self.url.clone();
        let other: Vec<String> = self.requests().into_iter().filter(|u| *u != url).collect();
        assert!(other.is_empty(), "requests besides the file: {other:?}");
        let ids = self.eval(
            "(() => { const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id); \
             return ids.filter((id, i) => ids.indexOf(id) !== i); })()",
        );
        assert_eq!(ids, json!([]), "ids used twice");
    }

    /// The people table's visible rows: each row's person cell.
    fn visible_people(&mut self) -> Vec<String> {
        let v = self.eval(
            "Array.from(document.querySelectorAll('#people-table tbody tr'))\
             .filter(r => !r.hidden).map(r => r.cells[1].textContent)",
        );
        serde_json::from_value(v).unwrap()
    }

    fn click(&mut self, selector_js: &str) {
        self.eval(&format!("{selector_js}.click(); 1"));
    }

    /// Prints the page to PDF (paper in inches) and returns the file's bytes.
    fn pdf(&mut self, width: f64, height: f64) -> Vec<u8> {
        let r = self.browser.call(
            Some(&self.session),
            "Page.printToPDF",
            json!({"paperWidth": width, "paperHeight": height, "preferCSSPageSize": false}),
        );
        base64_decode(r["data"].as_str().expect("PDF data"))
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        let t = self.target.clone();
        self.browser
            .call(None, "Target.closeTarget", json!({"targetId": t}));
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|&b| b != b'=' && b != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= (val(c) as u32) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// The text of a PDF's pages `first..=last`, by pdftotext.
fn pdf_text(pdf: &[u8], first: u32, last: u32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(&file)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// ---------------------------------------------------------------------------------------------
// The pages

/// `scan team --out DIR`: the team fixture's report folder.
fn team_folder() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        run_ok(&["scan", "team", "--out", out, "--charts", "none", "-q"]);
        dir
    })
    .path()
}

fn read_json(path: &Path) -> Value {
    parse(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn team_page_sorts_filters_and_shows_each_persons_evidence() {
    let dir = team_folder();
    let report = read_json(&dir.join("gluework.json"));
    let Some(mut browser) = browser() else {
        return;
    };
    let mut tab = Tab::open(&mut browser, &dir.join("index.html"), true);
    tab.assert_clean();
    let humans: Vec<&Value> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["bot"] == false)
        .collect();
    let names = |ps: &[&Value]| -> Vec<String> {
        ps.iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    // Report order first: most glue first.
    assert_eq!(tab.visible_people(), names(&humans));
    assert_eq!(
        tab.eval("document.getElementById('controls').hidden"),
        false
    );

    // Sorting by name, then by name again (reversed), then by code (most first).
    let by_heading = |h: &str| {
        format!(
            "Array.from(document.querySelectorAll('#people-table thead th button'))\
             .find(b => b.textContent.trim() === '{h}')"
        )
    };
    tab.click(&by_heading("Person"));
    let mut sorted = names(&humans);
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(tab.visible_people(), sorted);
    assert_eq!(
        tab.eval(
            "document.querySelectorAll('#people-table thead th')[1].getAttribute('aria-sort')"
        ),
        "ascending"
    );
    tab.click(&by_heading("Person"));
    sorted.reverse();
    assert_eq!(tab.visible_people(), sorted);
    tab.click(&by_heading("Code"));
    let mut by_code = humans.clone();
    by_code.sort_by_key(|p| std::cmp::Reverse(p["categories"]["code"].as_u64().unwrap()));
    let shown_code: Vec<u64> = tab
        .visible_people()
        .iter()
        .map(|n| {
            humans.iter().find(|p| p["name"] == n.as_str()).unwrap()["categories"]["code"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let want: Vec<u64> = by_code
        .iter()
        .map(|p| p["categories"]["code"].as_u64().unwrap())
        .collect();
    assert_eq!(shown_code, want);
    // A sort button is a button: keyboard-focusable, and Enter sorts.
    tab.eval(&format!("{}.focus(); 1", by_heading("Glue")));
    assert_eq!(
        tab.eval("document.activeElement.textContent.trim()"),
        "Glue"
    );
    for kind in ["keyDown", "keyUp"] {
        let s = tab.session.clone();
        tab.browser.call(
            Some(&s),
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13,
                   "text": if kind == "keyDown" { "\r" } else { "" }}),
        );
    }
    assert_eq!(
        tab.eval(
            "Array.from(document.querySelectorAll('#people-table thead th'))\
             .find(th => th.textContent.trim() === 'Glue').getAttribute('aria-sort')"
        ),
        "descending"
    );

    // Filtering by name, then by category.
    tab.eval(
        "const f = document.getElementById('f-name'); f.value = 'LINDQ'; \
         f.dispatchEvent(new Event('input')); 1",
    );
    assert_eq!(tab.visible_people(), ["Maya Lindqvist"]);
    assert_eq!(
        tab.eval("document.getElementById('count').textContent"),
        format!("1 of {} people", humans.len())
    );
    tab.eval(
        "const g = document.getElementById('f-name'); g.value = ''; \
         g.dispatchEvent(new Event('input')); \
         const c = document.getElementById('f-cat'); \
         c.value = Array.from(c.options).find(o => o.text === 'Onboarding').value; \
         c.dispatchEvent(new Event('input')); 1",
    );
    let mut onboarding = tab.visible_people();
    onboarding.sort();
    let mut want: Vec<String> = humans
        .iter()
        .filter(|p| p["categories"]["onboarding"].as_u64().unwrap() > 0)
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert!(!want.is_empty() && want.len() < humans.len());
    assert_eq!(onboarding, want);

    // A person's row leads to their section, whose fold holds their newest evidence.
    tab.click(
        "Array.from(document.querySelectorAll('#people-table tbody th a'))\
         .find(a => a.textContent === 'Maya Lindqvist')",
    );
    assert_eq!(tab.eval("location.hash"), "#p-maya-lindqvist");
    let section = "document.getElementById('p-maya-lindqvist')";
    // Scrolled to it, and drawn (sections are laid out only when shown).
    assert_eq!(
        tab.eval(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(\
             document.elementFromPoint(200, 40).closest('section.person')?.id))))"
        ),
        "p-maya-lindqvist"
    );
    assert_eq!(
        tab.eval(&format!("{section}.querySelector('details').open")),
        false
    );
    tab.click(&format!("{section}.querySelector('summary')"));
    let rows: Vec<Vec<String>> = serde_json::from_value(tab.eval(&format!(
        "Array.from({section}.querySelectorAll('table.evidence tbody tr'))\
         .map(r => Array.from(r.cells).map(c => c.textContent))"
    )))
    .unwrap();
    let maya = humans
        .iter()
        .find(|p| p["name"] == "Maya Lindqvist")
        .unwrap();
    let evidence: Vec<&Value> = maya["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["category"] != "code")
        .collect();
    assert_eq!(rows.len(), evidence.len().min(5), "{rows:?}");
    for row in &rows {
        assert!(
            evidence.iter().any(|e| e["subject"] == row[3].as_str()
                && e["date"].as_str().unwrap().starts_with(&row[0])),
            "{row:?} is not one of Maya's evidence items"
        );
    }
    assert!(tab
        .eval(&format!("{section}.textContent"))
        .as_str()
        .unwrap()
        .contains("Reviewed 10 changes by 5 people"),);
    // The team charts and the first people's charts are inline SVG with a title.
    let titles: Vec<String> = serde_json::from_value(
        tab.eval("Array.from(document.querySelectorAll('svg > title')).map(t => t.textContent)"),
    )
    .unwrap();
    assert!(
        titles.contains(&"Who carries the glue".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Glue profile: Maya Lindqvist".to_string()),
        "{titles:?}"
    );
    // Dark mode follows the system's.
    let background = "getComputedStyle(document.body).backgroundColor";
    let light = tab.eval(background);
    let s = tab.session.clone();
    tab.browser.call(
        Some(&s),
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    );
    let dark = tab.eval(background);
    assert_eq!(
        (light, dark),
        (json!("rgb(255, 255, 255)"), json!("rgb(22, 24, 28)"))
    );
    tab.assert_clean();
    drop(tab);

    // Scripts off: the whole table, no controls.
    let mut tab = Tab::open(&mut browser, &dir.join("index.html"), false);
    assert_eq!(tab.visible_people(), names(&humans));
    assert_eq!(tab.eval("document.getElementById('controls').hidden"), true);
    assert_eq!(
        tab.eval("document.querySelectorAll('#people-table thead th button').length"),
        0
    );
    drop(tab);

    // The policy allows only the page's own inline code: a changed script is blocked (and the
    // console says so, which shows the checks above would see it).
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let changed = html.replacen("\"use strict\";", "\"use strict\"; ", 1);
    assert_ne!(html, changed);
    let copy = tempfile::tempdir().unwrap();
    std::fs::write(copy.path().join("index.html"), changed).unwrap();
    let mut tab = Tab::open(&mut browser, &copy.path().join("index.html"), true);
    let errors = tab.errors();
    assert!(
        errors.iter().any(|e| e.contains("Content Security Policy")),
        "{errors:#?}"
    );
    assert_eq!(
        tab.eval("document.querySelectorAll('#people-table thead th button').length"),
        0
    );
    drop(tab);

    // A report with nobody in it: the page says so, and its script has nothing to do.
    let empty = tempfile::tempdir().unwrap();
    let out = empty.path().to_str().unwrap();
    run_ok(&["scan", "empty", "--out", out, "--charts", "none", "-q"]);
    let mut tab = Tab::open(&mut browser, &empty.path().join("index.html"), true);
    tab.assert_clean();
    assert!(tab
        .eval("document.body.textContent")
        .as_str()
        .unwrap()
        .contains("Nobody has commits or credits in this window."));
}

/// A saved report with hostile names (markup, quotes, a fold's end tag, control characters) and
/// 130 people: rendered with `render`, opened in the browser.
#[test]
fn hostile_names_stay_text_and_many_people_are_paged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chart-report.json");
    let mut r = read_json(&path);
    // 80 characters: shown whole (names are cut after 80).
    let hostile = "<script>window.pwned=1</script>\"'><img src=x onerror=pwned=2></details>\
                   \u{1}\u{1b}[31mAda";
    assert_eq!(hostile.chars().count(), 80);
    r["people"][0]["name"] = hostile.into();
    // A glue item, made the newest so that the team page's section lists it too.
    let glue = r["people"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["category"] != "code")
        .unwrap();
    let item = &mut r["people"][0]["evidence"][glue];
    item["subject"] = "</td></tr></table><script>window.pwned=3</script> subject".into();
    item["repo"] = "api\"><b>".into();
    item["date"] = "2024-12-31T00:00:00Z".into();
    r["people"][1]["evidence"][0]["url"] = "javascript:window.pwned=4".into();
    r["people"][0]["teams"] = json!(["<i>core</i>"]);
    r["teams"] = json!({"<i>core</i>": r["team"].clone()});
    let template = r["people"][7].clone();
    let people = r["people"].as_array_mut().unwrap();
    for i in 0..130 {
        let mut p = template.clone();
        p["id"] = format!("clone-{i:03}@example.com").into();
        p["name"] = format!("Clone {i:03}").into();
        p["email"] = format!("clone-{i:03}@example.com").into();
        p["glue"] = 0.into();
        people.push(p);
    }
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("hostile.json");
    std::fs::write(&json_file, r.to_string()).unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        "render",
        json_file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--charts",
        "none",
        "-q",
    ]);
    let packets = dir.path().join("packets");
    run_ok(&[
        "person",
        "ada@example.com",
        "--report",
        json_file.to_str().unwrap(),
        "--out",
        packets.to_str().unwrap(),
        "-q",
    ]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<img"), "no injected element");
    // Escaped once, never twice: a chart's accessible name reads the name as typed.
    let packet = std::fs::read_dir(&packets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "html"))
        .expect("the packet page");
    let packet_html = std::fs::read_to_string(&packet).unwrap();
    for page in [&html, &packet_html] {
        assert!(!page.contains("&amp;lt;script"), "escaped twice somewhere");
    }
    assert!(
        packet_html.contains("aria-label=\"Glue profile of &lt;script&gt;window.pwned=1"),
        "the profile chart's accessible name is the name as typed"
    );
    let Some(mut browser) = browser() else {
        return;
    };
    // What the hostile name shows as: control characters as U+FFFD, the rest as typed.
    let shown = hostile.replace(['\u{1}', '\u{1b}'], "\u{FFFD}");
    for page in [out.join("index.html"), packet] {
        let mut tab = Tab::open(&mut browser, &page, true);
        tab.assert_clean();
        assert_eq!(tab.eval("typeof window.pwned"), "undefined");
        assert_eq!(tab.eval("document.querySelectorAll('img, b, i').length"), 0);
        assert_eq!(
            tab.eval("document.scripts.length"),
            if page.ends_with("index.html") { 1 } else { 0 }
        );
        let text = tab.eval("document.body.textContent");
        let text = text.as_str().unwrap();
        assert!(text.contains(&shown), "the hostile name is shown as text");
        assert!(text.contains("</td></tr></table><script>window.pwned=3</script> subject"));
        assert!(
            tab.eval("Array.from(document.querySelectorAll('a')).every(a => /^(https:|#|[a-z0-9-]+-evidence[.]csv$)/.test(a.getAttribute('href')))") == true,
            "every link is a checked forge address, an anchor or the evidence CSV"
        );
        // Every table has an accessible name: its caption, or the heading it is under.
        assert_eq!(
            tab.eval(
                "Array.from(document.querySelectorAll('table')).filter(t => { \
                 const by = t.getAttribute('aria-labelledby'); \
                 const named = by ? document.getElementById(by) : t.caption; \
                 return !named || !named.textContent.trim(); }).length"
            ),
            0,
            "a table with no name"
        );
        assert!(
            tab.eval("document.querySelectorAll('table[aria-labelledby]').length")
                .as_u64()
                .unwrap()
                > 0,
            "the Markdown's tables are named by their headings"
        );
    }
    // Many people: shown 50 at a time, the pager moves on.
    let mut tab = Tab::open(&mut browser, &out.join("index.html"), true);
    let first = tab.visible_people();
    assert_eq!(first.len(), 50);
    assert_eq!(
        tab.eval("document.getElementById('page').textContent"),
        "Page 1 of 3"
    );
    tab.click("document.getElementById('next')");
    let second = tab.visible_people();
    assert_eq!(second.len(), 50);
    assert!(first.iter().all(|n| !second.contains(n)));
    // The hostile team's filter.
    tab.eval(
        "const t = document.getElementById('f-team'); t.value = '0'; \
         t.dispatchEvent(new Event('input')); 1",
    );
    assert_eq!(tab.visible_people(), [shown]);
    tab.assert_clean();
}

#[test]
fn packet_prints_with_its_summary_on_the_first_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    run_ok(&[
        "person", "maya", "team", "--out", out, "-q", "--charts", "none",
    ]);
    let page = dir.path().join("maya-lindqvist.html");
    let Some(mut browser) = browser() else {
        return;
    };
    let mut tab = Tab::open(&mut browser, &page, true);
    tab.assert_clean();
    assert_eq!(
        tab.eval("document.querySelector('main > section h2').textContent"),
        "Summary"
    );
    assert_eq!(
        tab.eval("document.querySelectorAll('svg[role=img] > title').length"),
        2
    );
    // Every listed item is unfolded, so the printout holds it.
    assert_eq!(
        tab.eval("document.querySelectorAll('details:not([open])').length"),
        0
    );
    for (paper, w, h) in [("A4", 8.27, 11.69), ("Letter", 8.5, 11.0)] {
        let pdf = tab.pdf(w, h);
        assert!(pdf.starts_with(b"%PDF"), "{paper}: not a PDF");
        let first = pdf_text(&pdf, 1, 1);
        assert!(first.contains("Glue work"), "{paper}: {first}");
        assert!(first.contains("Summary"), "{paper}: {first}");
        assert!(
            first.contains("Reviewed 10 changes by 5 people"),
            "{paper}, first page:\n{first}"
        );
        // Sections start on new pages: the evidence is not on the first page.
        assert!(!first.contains("Preventative work"), "{paper}: {first}");
        let all = pdf_text(&pdf, 1, 99);
        assert!(
            all.contains("Preventative work") && all.contains("Evidence"),
            "{paper}"
        );
    }
    // The same from the command line, as docs/reports.md says to print it.
    let exe = tab.browser.exe.clone();
    drop(tab);
    let profile = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("maya.pdf");
    let o = Command::new(&exe)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium --print-to-pdf");
    assert!(o.status.success(), "{}", stderr(&o));
    let first = pdf_text(&std::fs::read(&pdf).unwrap(), 1, 1);
    assert!(
        first.contains("Summary") && first.contains("Reviewed 10 changes by 5 people"),
        "--print-to-pdf, first page:\n{first}"
    );
    assert!(!first.contains("Preventative work"), "{first}");
}

/// Commits and pull requests are linked only where the origin is a known forge (the `hostile`
/// fixture's is on GitHub; the `team` fixture has none), through the same checked addresses
/// as the Markdown; and the same report gives the same bytes.
#[test]
fn links_only_to_the_known_forge_and_the_same_bytes_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hostile");
    run_ok(&[
        "scan",
        "hostile",
        "--out",
        out.to_str().unwrap(),
        "--charts",
        "none",
        "-q",
    ]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(
        hrefs
            .iter()
            .any(|h| h.starts_with("https://github.com/acme/widget/commit/")),
        "{hrefs:?}"
    );
    // Ann's packet lists her merge of pull request 7, linked.
    let packets = dir.path().join("packets");
    run_ok(&[
        "person",
        "ann@example.com",
        "hostile",
        "--out",
        packets.to_str().unwrap(),
        "--charts",
        "none",
        "-q",
    ]);
    let packet = std::fs::read_to_string(packets.join("ann-keeper.html")).unwrap();
    assert!(packet.contains("<a href=\"https://github.com/acme/widget/pull/7\">#7</a>"));
    for h in &hrefs {
        assert!(
            h.starts_with("https://github.com/acme/widget/")
                || h.starts_with('#')
                || *h == "data:,"
                || *h == "https://github.com/acme/widget",
            "{h}"
        );
    }
    let team = team_folder();
    let html = std::fs::read_to_string(team.join("index.html")).unwrap();
    assert!(!html.contains("href=\"http"), "no origin, no links");
    // `render` of the saved report writes the same page, byte for byte.
    let again = dir.path().join("again");
    run_ok(&[
        "render",
        team.join("gluework.json").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--charts",
        "none",
        "-q",
    ]);
    assert!(html == std::fs::read_to_string(again.join("index.html")).unwrap());
}

/// The team page's person sections show charts for the people `--people N|all` (or `--person
/// WHO`) writes chart files for: the same selection, so the page and `charts/people/` agree.
#[test]
fn person_charts_on_the_page_follow_people() {
    let team = team_folder();
    let saved = team.join("gluework.json");
    let dir = tempfile::tempdir().unwrap();
    // (section slugs in page order, the slugs of the sections with charts, the chart files' slugs)
    let folder = |args: &[&str]| -> (Vec<String>, Vec<String>, Vec<String>) {
        let out = dir.path().join(format!("out{}", args.join("")));
        let mut all = vec![
            "render",
            saved.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--charts",
            "svg",
            "-q",
        ];
        all.extend_from_slice(args);
        run_ok(&all);
        let html = std::fs::read_to_string(out.join("index.html")).unwrap();
        let mut sections = Vec::new();
        let mut charted = Vec::new();
        for part in html.split("<section class=\"person\" id=\"p-").skip(1) {
            let slug = part.split('"').next().unwrap().to_string();
            let body = part.split("</section>").next().unwrap();
            if body.contains("<div class=\"charts\">") {
                assert_eq!(
                    body.matches("<svg").count(),
                    2,
                    "{slug}: the profile and the timeline"
                );
                charted.push(slug.clone());
            }
            sections.push(slug);
        }
        let mut files: Vec<String> = std::fs::read_dir(out.join("charts/people"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter_map(|n| n.strip_suffix("-profile.svg").map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        (sections, charted, files)
    };
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };

    let (sections, charted, files) = folder(&["--people", "2"]);
    assert!(sections.len() > 2, "{sections:?}");
    assert_eq!(charted, sections[..2], "the first two sections");
    assert_eq!(
        sorted(&charted),
        files,
        "the page charts whom the files chart"
    );

    let (sections, charted, files) = folder(&["--people", "all"]);
    assert_eq!(charted, sections, "everyone's section");
    assert!(
        charted.iter().all(|s| files.contains(s)),
        "{charted:?} {files:?}"
    );

    let (sections, charted, files) = folder(&["--people", "0"]);
    assert!(!sections.is_empty());
    assert_eq!((charted.len(), files.len()), (0, 0), "nobody's charts");

    // The default is the first 15, as the files.
    let (sections, charted, files) = folder(&[]);
    assert_eq!(charted, sections[..sections.len().min(15)]);
    assert_eq!(sorted(&charted), files);

    // One person: theirs only, wherever they are in the order.
    let (sections, charted, files) = folder(&["--person", "dana"]);
    assert_eq!(charted, files, "{sections:?}");
    assert_eq!(charted.len(), 1, "{charted:?}");
    assert!(charted[0].starts_with("dana"), "{charted:?}");
}
