//! `gluework fetch` against loopback servers that answer like the GitHub and GitLab REST APIs:
//! pagination, rate limits, retries, malformed answers, incremental updates, and the loader on
//! the result. Every server listens on 127.0.0.1 only and stops with its test.

use crate::support::{dead_pid, hostname};
use gluework::forge::{self, Login, PullState, ReviewState};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server: one connection at a time, one request a connection.

#[derive(Debug, Clone)]
struct Request {
    path: String,
    query: String,
    headers: HashMap<String, String>,
    /// Unix seconds (with fraction) when it arrived.
    at: f64,
}

impl Request {
    fn param(&self, key: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

enum Reply {
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Hangup,
}

fn answer(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Answer {
        status,
        headers,
        body: body.into(),
    }
}

struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(handler: impl Fn(&Request, u16) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (log.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                if let Some(req) = read_request(&conn) {
                    log2.lock().unwrap().push(req.clone());
                    respond(conn, handler(&req, port));
                }
            }
        });
        Server {
            port,
            log,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn take_log(&self) -> Vec<Request> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_request(conn: &TcpStream) -> Option<Request> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    Some(Request {
        path: path.to_string(),
        query: query.to_string(),
        headers,
        at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs_f64(),
    })
}

fn respond(mut conn: TcpStream, reply: Reply) {
    let Reply::Answer {
        status,
        headers,
        body,
    } = reply
    else {
        let _ = conn.shutdown(std::net::Shutdown::Both);
        return;
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&body);
    let _ = conn.flush();
    // Drain what the client may still send, so closing does not reset the connection.
    let _ = conn.shutdown(std::net::Shutdown::Write);
    let _ = conn.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = conn.read(&mut [0u8; 64]);
}

/// One page of `items` (pages of `size`), with a `Link` header to the next and last pages
/// (and GitLab's `x-next-page` when `gitlab`).
fn paged(
    req: &Request,
    port: u16,
    items: &[Value],
    size: usize,
    link: bool,
    gitlab: bool,
) -> Reply {
    let page: usize = req.param("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let pages = items.len().div_ceil(size).max(1);
    let chunk: Vec<&Value> = items.iter().skip((page - 1) * size).take(size).collect();
    let mut headers = Vec::new();
    let page_url = |p: usize| {
        let q: Vec<String> = req
            .query
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("page="))
            .map(str::to_string)
            .chain([format!("page={p}")])
            .collect();
        format!("http://127.0.0.1:{port}{}?{}", req.path, q.join("&"))
    };
    if page < pages && link {
        headers.push((
            "Link".to_string(),
            format!(
                "<{}>; rel=\"next\", <{}>; rel=\"last\"",
                page_url(page + 1),
                page_url(pages)
            ),
        ));
    }
    if gitlab {
        let next = if page < pages {
            (page + 1).to_string()
        } else {
            String::new()
        };
        headers.push(("x-next-page".to_string(), next));
        headers.push(("x-page".to_string(), page.to_string()));
    }
    answer(200, headers, serde_json::to_vec(&chunk).unwrap())
}

// ---------------------------------------------------------------------------------------------
// Running the binary.

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gluework"));
    cmd.args(args).env("NO_COLOR", "1");
    for var in [
        "GITHUB_TOKEN",
        "GITLAB_TOKEN",
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("GLUEWORK_FETCH_MAX_WAIT", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run gluework")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn manifest(dir: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(dir.join("forge.json")).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

const TOKEN: &str = "ghp_test_token_never_printed";

// ---------------------------------------------------------------------------------------------
// A fake GitHub.

#[derive(Clone, Copy)]
enum Fault {
    Status502,
    /// 403 with no requests left; the limit resets this many seconds from now.
    RateLimit403(i64),
    /// 429 with `Retry-After`.
    Retry429(u64),
    Hangup,
    Malformed,
    /// 403 saying "secondary rate limit", with no header giving its length.
    Secondary403,
    /// Answers normally, after this many milliseconds.
    Slow(u64),
}

#[derive(Default)]
struct GithubState {
    pulls: BTreeMap<u64, Value>,
    merged_by: BTreeMap<u64, Value>,
    reviews: BTreeMap<u64, Vec<Value>>,
    review_comments: BTreeMap<u64, Vec<Value>>,
    comments: BTreeMap<u64, Vec<Value>>,
    commits: BTreeMap<u64, Vec<Value>>,
    /// Faults by `path#page`, each answered once, in order.
    faults: HashMap<String, VecDeque<Fault>>,
}

fn gh_user(login: &str) -> Value {
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    json!({"login": login, "id": 1, "type": kind, "site_admin": false})
}

fn gh_time(n: u64, hour: u32) -> String {
    format!("2024-03-{n:02}T{hour:02}:00:00Z")
}

impl GithubState {
    fn add_pull(&mut self, n: u64, author: Option<&str>, state: &str, merged_by: Option<&str>) {
        let merged = merged_by.is_some();
        self.pulls.insert(
            n,
            json!({
                "url": format!("https://api.github.com/repos/o/r/pulls/{n}"),
                "id": 1000 + n, "number": n, "state": state, "title": format!("Pull {n}"),
                "html_url": format!("https://github.com/o/r/pull/{n}"),
                "user": author.map(gh_user),
                "author_association": if n == 2 { "FIRST_TIME_CONTRIBUTOR" } else { "MEMBER" },
                "created_at": gh_time(n, 9), "updated_at": gh_time(n, 12),
                "closed_at": if state == "closed" { Value::from(gh_time(n, 11)) } else { Value::Null },
                "merged_at": if merged { Value::from(gh_time(n, 11)) } else { Value::Null },
                "merge_commit_sha": format!("merge{n}"),
                "head": {"ref": "topic", "sha": format!("head{n}")},
                "base": {"ref": "main", "sha": "base"},
            }),
        );
        if let Some(m) = merged_by {
            self.merged_by.insert(n, gh_user(m));
        }
        for map in [
            &mut self.reviews,
            &mut self.review_comments,
            &mut self.comments,
            &mut self.commits,
        ] {
            map.insert(n, Vec::new());
        }
    }

    fn review(&mut self, n: u64, who: &str, state: &str, hour: u32) {
        self.reviews.get_mut(&n).unwrap().push(json!({
            "id": 1, "user": gh_user(who), "body": "", "state": state,
            "submitted_at": gh_time(n, hour), "commit_id": format!("head{n}"),
        }));
    }

    fn comment(&mut self, n: u64, review: bool, who: &str, hour: u32) {
        let map = if review {
            &mut self.review_comments
        } else {
            &mut self.comments
        };
        map.get_mut(&n).unwrap().push(json!({
            "id": 1, "user": gh_user(who), "body": "hm", "created_at": gh_time(n, hour),
            "updated_at": gh_time(n, hour),
        }));
    }

    fn commit(&mut self, n: u64, sha: &str, login: Option<&str>, name: &str, email: &str) {
        self.commits.get_mut(&n).unwrap().push(json!({
            "sha": sha,
            "commit": {"author": {"name": name, "email": email, "date": gh_time(n, 8)},
                       "committer": {"name": name, "email": email, "date": gh_time(n, 8)},
                       "message": "change"},
            "author": login.map(gh_user),
            "committer": login.map(gh_user),
            "parents": [],
        }));
    }

    /// Five pull requests: merged, a newcomer's with three commits, a deleted account's, one
    /// merged by a bot, and a bot's.
    fn sample() -> Self {
        let mut s = GithubState::default();
        s.add_pull(1, Some("alice"), "closed", Some("maint"));
        s.review(1, "bob", "COMMENTED", 10);
        s.review(1, "maint", "APPROVED", 10);
        s.comment(1, true, "bob", 10);
        s.comment(1, false, "dependabot[bot]", 9);
        s.commit(1, "c1a", Some("alice"), "Alice A", "alice@example.com");
        s.add_pull(2, Some("newbie"), "open", None);
        s.review(2, "maint", "CHANGES_REQUESTED", 10);
        s.comment(2, false, "maint", 11);
        for (i, email) in ["nb@example.com", "nb@laptop.local", "nb@example.com"]
            .iter()
            .enumerate()
        {
            let login = (i != 1).then_some("newbie");
            s.commit(2, &format!("c2{i}"), login, "New Bie", email);
        }
        s.add_pull(3, None, "closed", None);
        s.add_pull(4, Some("carol"), "closed", Some("merge-bot[bot]"));
        s.review(4, "alice", "APPROVED", 10);
        s.commit(4, "c4a", Some("carol"), "Carol", "carol@example.com");
        s.add_pull(5, Some("renovate[bot]"), "open", None);
        s
    }

    fn handle(&mut self, req: &Request, port: u16) -> Reply {
        let page = req.param("page").unwrap_or("1");
        if let Some(f) = self
            .faults
            .get_mut(&format!("{}#{page}", req.path))
            .and_then(VecDeque::pop_front)
        {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            return match f {
                Fault::Status502 => answer(502, vec![], "<html>Bad Gateway</html>"),
                Fault::RateLimit403(ahead) => answer(
                    403,
                    vec![
                        ("x-ratelimit-limit".into(), "5000".into()),
                        ("x-ratelimit-remaining".into(), "0".into()),
                        ("x-ratelimit-reset".into(), (now + ahead).to_string()),
                    ],
                    r#"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#,
                ),
                Fault::Retry429(secs) => answer(
                    429,
                    vec![("Retry-After".into(), secs.to_string())],
                    r#"{"message":"You have exceeded a secondary rate limit."}"#,
                ),
                Fault::Hangup => Reply::Hangup,
                Fault::Malformed => answer(200, vec![], r#"[{"user": {"login": "bob", "#),
                Fault::Secondary403 => answer(
                    403,
                    vec![],
                    r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
                ),
                Fault::Slow(ms) => {
                    std::thread::sleep(Duration::from_millis(ms));
                    return self.handle(req, port);
                }
            };
        }
        let parts: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
        let list = |items: &[Value]| paged(req, port, items, 2, true, false);
        let moved = |host: &str| {
            let location = format!("http://{host}:{port}/repos/o/r");
            answer(
                301,
                vec![("Location".into(), location)],
                r#"{"message":"Moved Permanently"}"#,
            )
        };
        match parts.as_slice() {
            // A renamed repository, and one that redirects to another host.
            ["repos", "o", "old"] => moved("127.0.0.1"),
            ["repos", "o", "away"] => moved("localhost"),
            ["repos", "o", "r"] => answer(
                200,
                vec![],
                json!({"id": 1, "full_name": "o/r", "html_url": "https://github.com/o/r",
                       "private": false})
                .to_string(),
            ),
            ["repos", "o", "r", "pulls"] => {
                let mut items: Vec<Value> = self.pulls.values().cloned().collect();
                if req.param("sort") == Some("updated") {
                    items.sort_by(|a, b| b["updated_at"].as_str().cmp(&a["updated_at"].as_str()));
                }
                list(&items)
            }
            ["repos", "o", "r", "pulls", n] => {
                let n: u64 = n.parse().unwrap();
                let mut p = self.pulls[&n].clone();
                p["merged"] = json!(self.merged_by.contains_key(&n));
                p["merged_by"] = self.merged_by.get(&n).cloned().unwrap_or(Value::Null);
                p["comments"] = json!(self.comments[&n].len());
                answer(200, vec![], p.to_string())
            }
            ["repos", "o", "r", "pulls", n, what] => {
                let n: u64 = n.parse().unwrap();
                match *what {
                    "reviews" => list(&self.reviews[&n]),
                    "comments" => list(&self.review_comments[&n]),
                    "commits" => list(&self.commits[&n]),
                    _ => answer(404, vec![], r#"{"message":"Not Found"}"#),
                }
            }
            ["repos", "o", "r", "issues", n, "comments"] => {
                list(&self.comments[&n.parse::<u64>().unwrap()])
            }
            _ => answer(
                404,
                vec![],
                r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#,
            ),
        }
    }
}

fn github_server(state: GithubState) -> (Server, Arc<Mutex<GithubState>>) {
    let state = Arc::new(Mutex::new(state));
    let s2 = state.clone();
    let server = Server::start(move |req, port| s2.lock().unwrap().handle(req, port));
    (server, state)
}

/// `gluework fetch github REPO --out OUT --api-url SERVER`, with the token unless `token` is
/// false.
fn fetch_repo(server: &Server, repo: &str, out: &Path, token: bool) -> Output {
    let url = server.url();
    let args = [
        "fetch",
        "github",
        repo,
        "--out",
        out.to_str().unwrap(),
        "--api-url",
        &url,
    ];
    run(
        &args,
        if token {
            &[("GITHUB_TOKEN", TOKEN)]
        } else {
            &[]
        },
    )
}

fn fetch_github(server: &Server, out: &Path, extra: &[&str]) -> Output {
    let url = server.url();
    let mut args = vec![
        "fetch",
        "github",
        "o/r",
        "--out",
        out.to_str().unwrap(),
        "--api-url",
        &url,
    ];
    args.extend_from_slice(extra);
    run(&args, &[("GITHUB_TOKEN", TOKEN)])
}

fn login(l: &str) -> Login {
    Login {
        login: l.into(),
        bot: l.ends_with("[bot]"),
    }
}

#[test]
fn github_fetch_pages_retries_and_loads() {
    let mut state = GithubState::sample();
    for (key, fault) in [
        ("/repos/o/r/pulls#2", Fault::Status502),
        ("/repos/o/r/pulls/2/commits#2", Fault::Hangup),
        ("/repos/o/r/pulls/1/reviews#1", Fault::Retry429(1)),
        ("/repos/o/r/issues/4/comments#1", Fault::RateLimit403(1)),
    ] {
        state.faults.entry(key.into()).or_default().push_back(fault);
    }
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("forge");
    let o = fetch_github(&server, &out, &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains(TOKEN));
    let host = format!("127.0.0.1:{}", server.port);
    assert!(
        err.contains(&format!(
            "{host} answered HTTP 502 Bad Gateway; retrying in 1 s (attempt 2 of 5)"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{host}: connection failed (io: ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("rate limited by {host}; waiting 1 s (until ")),
        "{err}"
    );
    assert_eq!(
        err.matches(&format!("rate limited by {host}; waiting"))
            .count(),
        2,
        "{err}"
    );
    assert!(
        err.contains(
            "github.com/o/r: 5 pull requests, 4 reviews, 1 review comment, 2 comments, 5 commits;"
        ),
        "{err}"
    );

    let log = server.take_log();
    for r in &log {
        assert_eq!(
            r.headers["authorization"],
            format!("Bearer {TOKEN}"),
            "{}",
            r.path
        );
        assert_eq!(r.headers["accept"], "application/vnd.github+json");
        assert_eq!(r.headers["x-github-api-version"], "2022-11-28");
        assert!(r.headers["user-agent"].starts_with("gluework/"));
    }
    let lists: Vec<&Request> = log
        .iter()
        .filter(|r| r.path == "/repos/o/r/pulls")
        .collect();
    // Pages 1, 2 (502), 2, 3.
    assert_eq!(lists.len(), 4);
    assert!(lists
        .iter()
        .all(|r| r.param("per_page") == Some("100") && r.param("state") == Some("all")));
    // The full object only for merged pull requests.
    let singles: Vec<&str> = log
        .iter()
        .filter(|r| r.path.starts_with("/repos/o/r/pulls/") && r.path.matches('/').count() == 5)
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(singles, ["/repos/o/r/pulls/1", "/repos/o/r/pulls/4"]);

    let m = manifest(&out).unwrap();
    assert_eq!(m["complete"], true);
    assert_eq!(m["layout_version"], 1);
    assert_eq!(m["forge"], "github");
    assert_eq!(m["repo"], "o/r");
    assert_eq!(m["web_url"], "https://github.com/o/r");
    assert_eq!(m["api_url"], server.url());
    assert_eq!(m["updated_through"], "2024-03-05T12:00:00Z");
    // Raw API objects, one a line, sorted by number.
    let text = std::fs::read_to_string(out.join("pulls.json")).unwrap();
    let pulls: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(text.lines().count(), 7);
    let nums: Vec<u64> = pulls
        .iter()
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(nums, [1, 2, 3, 4, 5]);
    assert_eq!(pulls[0]["base"]["ref"], "main");
    assert_eq!(pulls[0]["merged_by"]["login"], "maint");

    let data = forge::load(&out).unwrap();
    assert_eq!(data.repo, "o/r");
    let p1 = &data.pulls[0];
    assert_eq!(p1.state, PullState::Merged);
    assert_eq!(p1.merged_by, Some(login("maint")));
    assert_eq!(p1.head_sha.as_deref(), Some("head1"));
    let reviews: Vec<(&str, ReviewState)> = p1
        .reviews
        .iter()
        .map(|r| (r.who.login.as_str(), r.state))
        .collect();
    assert_eq!(
        reviews,
        [
            ("bob", ReviewState::Commented),
            ("maint", ReviewState::Approved)
        ]
    );
    assert_eq!(p1.comments[0].who, login("dependabot[bot]"));
    assert!(p1.comments[0].who.bot);
    let p2 = &data.pulls[1];
    assert!(p2.first_time);
    assert_eq!(p2.state, PullState::Open);
    let commits: Vec<(Option<&str>, &str)> = p2
        .commits
        .iter()
        .map(|c| (c.login.as_deref(), c.email.as_str()))
        .collect();
    assert_eq!(
        commits,
        [
            (Some("newbie"), "nb@example.com"),
            (None, "nb@laptop.local"),
            (Some("newbie"), "nb@example.com")
        ]
    );
    assert_eq!(data.pulls[2].author, None);
    assert_eq!(data.pulls[2].state, PullState::Closed);
    assert_eq!(data.pulls[3].merged_by, Some(login("merge-bot[bot]")));
    assert!(data.pulls[4].author.as_ref().unwrap().bot);
}

#[test]
fn rate_limit_is_waited_out_until_the_reset() {
    let mut state = GithubState::default();
    state.add_pull(1, Some("alice"), "open", None);
    state.faults.insert(
        "/repos/o/r/pulls/1/reviews#1".into(),
        [Fault::RateLimit403(1)].into(),
    );
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let url = server.url();
    let o = run(
        &[
            "fetch",
            "github",
            "o/r",
            "--out",
            out.to_str().unwrap(),
            "--api-url",
            &url,
        ],
        &[("GITHUB_TOKEN", TOKEN), ("GLUEWORK_FETCH_MAX_WAIT", "5")],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("rate limited by 127.0.0.1:"))
        .unwrap_or_else(|| panic!("no rate-limit line in:\n{err}"));
    assert!(
        line.contains("; waiting ") && line.ends_with(" UTC)"),
        "{line}"
    );
    // The retry came no earlier than the reset the server announced.
    let log = server.take_log();
    let tries: Vec<&Request> = log
        .iter()
        .filter(|r| r.path == "/repos/o/r/pulls/1/reviews")
        .collect();
    assert_eq!(tries.len(), 2);
    let reset = tries[0].at.floor() + 1.0;
    assert!(
        tries[1].at >= reset,
        "retried at {} before the reset {reset}",
        tries[1].at
    );
}

#[test]
fn malformed_answer_fails_with_one_line_and_no_complete_manifest() {
    let mut state = GithubState::sample();
    state.faults.insert(
        "/repos/o/r/pulls/2/reviews#1".into(),
        [Fault::Malformed].into(),
    );
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let o = fetch_github(&server, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with(&format!(
            "error: GET {}/repos/o/r/pulls/2/reviews?per_page=100: the response is not valid JSON: ",
            server.url()
        )),
        "{err}"
    );
    assert!(!err.contains(TOKEN));
    assert_ne!(
        manifest(&out).map(|m| m["complete"].clone()),
        Some(json!(true))
    );
    let e = forge::load(&out).unwrap_err().to_string();
    assert!(e.contains("did not complete"), "{e}");
}

#[test]
fn incremental_fetch_asks_only_for_what_changed() {
    let (server, state) = github_server(GithubState::sample());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let o = fetch_github(&server, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    server.take_log();

    // Pull 2 gets a review and a new update time; nothing else changes.
    {
        let mut s = state.lock().unwrap();
        s.review(2, "bob", "APPROVED", 13);
        s.pulls.get_mut(&2).unwrap()["updated_at"] = json!("2024-03-09T13:00:00Z");
    }
    let o = fetch_github(&server, &out, &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("github.com/o/r: 5 pull requests (1 updated), 5 reviews"),
        "{err}"
    );
    let paths: Vec<String> = server.take_log().into_iter().map(|r| r.path).collect();
    assert!(
        paths.iter().any(|p| p == "/repos/o/r/pulls/2/reviews"),
        "{paths:?}"
    );
    for p in &paths {
        assert!(
            !p.contains("/pulls/1") && !p.contains("/issues/1") && !p.contains("/pulls/5"),
            "{p} fetched again: {paths:?}"
        );
    }
    // Sorted by update time, the listing stopped on its first page.
    assert_eq!(paths.iter().filter(|p| *p == "/repos/o/r/pulls").count(), 1);
    let m = manifest(&out).unwrap();
    assert_eq!(m["updated_through"], "2024-03-09T13:00:00Z");
    let data = forge::load(&out).unwrap();
    assert_eq!(data.pulls.len(), 5);
    assert_eq!(data.pulls[1].reviews.len(), 2);

    // A failed update leaves the earlier complete fetch as it was.
    {
        let mut s = state.lock().unwrap();
        s.pulls.get_mut(&3).unwrap()["updated_at"] = json!("2024-03-10T10:00:00Z");
        s.faults.insert(
            "/repos/o/r/pulls/3/commits#1".into(),
            [Fault::Malformed].into(),
        );
    }
    let before = std::fs::read(out.join("pulls.json")).unwrap();
    let o = fetch_github(&server, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(manifest(&out).unwrap()["complete"], true);
    assert_eq!(std::fs::read(out.join("pulls.json")).unwrap(), before);
    assert_eq!(forge::load(&out).unwrap(), data);

    // --since is for first fetches; --full starts again.
    let o = fetch_github(&server, &out, &["--since", "2024-03-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--since applies to a first fetch"),
        "{}",
        stderr(&o)
    );
    server.take_log();
    let o = fetch_github(&server, &out, &["--full", "--since", "2024-03-04"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // Pull 2 was updated on 2024-03-09, pull 1 last on 2024-03-01.
    assert!(
        err.contains("4 pull requests updated since 2024-03-04"),
        "{err}"
    );
    assert_eq!(manifest(&out).unwrap()["since"], "2024-03-04T00:00:00Z");
    let nums: Vec<u64> = forge::load(&out)
        .unwrap()
        .pulls
        .iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(nums, [2, 3, 4, 5]);
}

#[test]
fn refusals_and_the_no_token_note() {
    let (server, _) = github_server(GithubState::default());
    let tmp = tempfile::tempdir().unwrap();
    let url = server.url();

    // No token: a note, and no Authorization header.
    let out = tmp.path().join("empty");
    let o = fetch_repo(&server, "o/r", &out, false);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.starts_with("note: no GITHUB_TOKEN and no --token-file"),
        "{err}"
    );
    assert!(err.contains("github.com/o/r: 0 pull requests"), "{err}");
    assert!(server
        .take_log()
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
    assert!(forge::load(&out).unwrap().pulls.is_empty());
    let lock = out.join(".gluework-fetch.lock");
    assert!(!lock.exists(), "the lock is released");

    // A fetch already writing into the folder (or one that was killed): refused, the folder
    // left as it was; once the lock file is gone, fetching works again.
    std::fs::write(&lock, "process 4242 since 2026-11-24T10:00:00Z\n").unwrap();
    let manifest_before = std::fs::read(out.join("forge.json")).unwrap();
    let o = fetch_repo(&server, "o/r", &out, true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "another `gluework fetch` is writing into this folder (process 4242 since \
             2026-11-24T10:00:00Z); if none is running (one was killed), remove"
        ),
        "{}",
        stderr(&o)
    );
    assert!(lock.exists());
    assert_eq!(
        std::fs::read(out.join("forge.json")).unwrap(),
        manifest_before
    );
    std::fs::remove_file(&lock).unwrap();
    let o = fetch_repo(&server, "o/r", &out, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!lock.exists());
    // A first fetch that fails leaves no empty folder behind.
    let never = tmp.path().join("never");
    let o = fetch_repo(&server, "o/gone", &never, true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!never.exists());

    // A folder holding other files; another repository's folder; a missing repository.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    for (repo, dir, want) in [
        (
            "o/r",
            &foreign,
            "holds other files (notes.txt) and no forge.json",
        ),
        ("o/other", &out, "holds github o/r from"),
        ("o", &out, "expected OWNER/REPO"),
    ] {
        let o = fetch_repo(&server, repo, dir, true);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
    }
    // Redirects are followed within the API's origin only.
    let renamed = tmp.path().join("renamed");
    let o = fetch_repo(&server, "o/old", &renamed, true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(manifest(&renamed).unwrap()["repo"], "o/r");
    let away = tmp.path().join("away");
    let o = fetch_repo(&server, "o/away", &away, true);
    assert_eq!(o.status.code(), Some(2));
    let want = format!(
        "redirected to http://localhost:{}/repos/o/r, off {url} (refusing to send the token \
         elsewhere)",
        server.port
    );
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    let log = server.take_log();
    assert!(log
        .iter()
        .all(|r| r.headers["host"].starts_with("127.0.0.1:")));
    let o = fetch_repo(&server, "o/gone", &tmp.path().join("g"), true);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        format!(
            "error: GET {url}/repos/o/gone: HTTP 404 Not Found (Not Found); no such repository, \
             or the token cannot see it"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// A fake GitLab.

fn gl_user(name: &str) -> Value {
    json!({"id": 7, "username": name, "name": name.to_uppercase(), "state": "active",
           "avatar_url": null, "web_url": format!("https://gitlab.example/{name}")})
}

fn gl_note(who: &str, at: &str, system: bool, kind: Option<&str>, body: &str) -> Value {
    let mut n = json!({"id": 1, "type": kind, "body": body, "author": gl_user(who),
        "created_at": at, "updated_at": at, "system": system, "noteable_type": "MergeRequest",
        "resolvable": false});
    if kind == Some("DiffNote") {
        n["position"] = json!({"base_sha": "b", "new_path": "src/x.rs", "new_line": 4});
    }
    n
}

fn gitlab_server() -> Server {
    let mrs: Vec<Value> = (1..=3u64)
        .map(|iid| {
            json!({
                "id": 500 + iid, "iid": iid, "project_id": 9, "title": format!("MR {iid}"),
                "state": if iid == 3 { "opened" } else { "merged" },
                "created_at": format!("2024-03-0{iid}T09:00:00.000Z"),
                "updated_at": format!("2024-03-0{iid}T12:00:00.000Z"),
                "merged_at": if iid == 3 { Value::Null } else { format!("2024-03-0{iid}T11:00:00.000Z").into() },
                "merged_by": if iid == 3 { Value::Null } else { gl_user("old-merger") },
                "merge_user": if iid == 3 { Value::Null } else { gl_user("merger") },
                "author": gl_user("dev"),
                "sha": format!("head{iid}"), "merge_commit_sha": null,
                "squash_commit_sha": if iid == 1 { Value::from("squash1") } else { Value::Null },
                "web_url": format!("https://gitlab.example/g/sub/p/-/merge_requests/{iid}"),
            })
        })
        .collect();
    Server::start(move |req, port| {
        let root = "/api/v4/projects/g%2Fsub%2Fp";
        let Some(rest) = req.path.strip_prefix(root) else {
            return answer(404, vec![], r#"{"message":"404 Project Not Found"}"#);
        };
        if req.headers.get("private-token").map(String::as_str) != Some("glpat-secret") {
            return answer(401, vec![], r#"{"message":"401 Unauthorized"}"#);
        }
        let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            [""] => answer(
                200,
                vec![],
                json!({"id": 9, "path_with_namespace": "g/sub/p",
                       "web_url": "https://gitlab.example/g/sub/p"})
                .to_string(),
            ),
            ["merge_requests"] => paged(req, port, &mrs, 2, true, true),
            ["merge_requests", "1", "notes"] => {
                let notes = vec![
                    gl_note(
                        "rev1",
                        "2024-03-01T09:30:00.000Z",
                        false,
                        None,
                        "looks good",
                    ),
                    gl_note(
                        "rev2",
                        "2024-03-01T09:20:00.000Z",
                        false,
                        Some("DiffNote"),
                        "nit",
                    ),
                    gl_note(
                        "rev2",
                        "2024-03-01T10:00:00.000Z",
                        true,
                        None,
                        "approved this merge request",
                    ),
                    gl_note(
                        "dev",
                        "2024-03-01T09:40:00.000Z",
                        true,
                        None,
                        "added 1 commit",
                    ),
                    gl_note(
                        "rev1",
                        "2024-03-01T09:50:00.000Z",
                        false,
                        Some("DiscussionNote"),
                        "why?",
                    ),
                ];
                // Pages told by x-next-page only, as GitLab does past 10,000 items.
                paged(req, port, &notes, 2, false, true)
            }
            ["merge_requests", "1", "approvals"] => answer(
                200,
                vec![],
                json!({"id": 501, "iid": 1, "approved": true, "approvals_required": 0,
                       "approved_by": [{"user": gl_user("rev2")}, {"user": gl_user("rev1")}]})
                .to_string(),
            ),
            ["merge_requests", "1", "commits"] => paged(
                req,
                port,
                &[
                    json!({"id": "c1", "short_id": "c1", "title": "x", "author_name": "Dev",
                         "author_email": "dev@example.com", "authored_date": "2024-03-01T08:00:00.000Z"}),
                ],
                2,
                true,
                true,
            ),
            ["merge_requests", _, "notes" | "commits"] => paged(req, port, &[], 2, true, true),
            // A token or tier that may not read approvals: a warning, not a failed fetch.
            ["merge_requests", "3", "approvals"] => {
                answer(403, vec![], r#"{"message":"403 Forbidden"}"#)
            }
            ["merge_requests", _, "approvals"] => {
                answer(200, vec![], r#"{"approved": false, "approved_by": []}"#)
            }
            _ => answer(404, vec![], r#"{"message":"404 Not found"}"#),
        }
    })
}

#[test]
fn gitlab_fetch_pages_and_maps_notes_and_approvals() {
    let server = gitlab_server();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("gl");
    let token = tmp.path().join("token");
    std::fs::write(&token, "glpat-secret\n").unwrap();
    let api = format!("{}/api/v4/", server.url());
    let o = run(
        &[
            "fetch",
            "gitlab",
            "g/sub/p",
            "--out",
            out.to_str().unwrap(),
            "--api-url",
            &api,
            "--token-file",
            token.to_str().unwrap(),
        ],
        &[("GITLAB_TOKEN", "wrong-token")],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("glpat-secret"));
    assert_eq!(
        err.trim_end(),
        "warning: g/sub/p: the approvals of 1 merge request (!3) could not be read (HTTP 403 \
         Forbidden (403 Forbidden); the token may lack a scope (see docs/forge.md)); they count \
         no approvals. Once the token can read them, fetch again with --full\n\
         gitlab.example/g/sub/p: 3 merge requests, 2 approvals, 1 diff note, 2 notes, 1 commit; 14 requests"
    );
    let log = server.take_log();
    assert!(log
        .iter()
        .all(|r| r.headers["accept"] == "application/json"
            && !r.headers.contains_key("authorization")));
    assert_eq!(
        log.iter()
            .filter(|r| r.path.ends_with("/merge_requests"))
            .count(),
        2
    );
    assert_eq!(
        log.iter().filter(|r| r.path.ends_with("/1/notes")).count(),
        3
    );
    let m = manifest(&out).unwrap();
    assert_eq!(m["forge"], "gitlab");
    assert_eq!(m["repo"], "g/sub/p");
    assert_eq!(m["api_url"], api.trim_end_matches('/'));
    assert!(out.join("merge_requests/2/approvals.json").is_file());
    let unread: Value = serde_json::from_slice(
        &std::fs::read(out.join("merge_requests/3/approvals.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(unread["approved_by"], json!([]));
    assert!(unread["gluework_unavailable"]
        .as_str()
        .unwrap()
        .starts_with("HTTP 403: "));

    let data = forge::load(&out).unwrap();
    assert_eq!(data.web_url, "https://gitlab.example/g/sub/p");
    assert_eq!(data.pulls.len(), 3);
    let mr = &data.pulls[0];
    assert_eq!(mr.url, "https://gitlab.example/g/sub/p/-/merge_requests/1");
    assert_eq!(mr.state, PullState::Merged);
    assert_eq!(mr.merged_by, Some(login("merger")));
    assert_eq!(mr.squash_commit_sha.as_deref(), Some("squash1"));
    assert_eq!(mr.head_sha.as_deref(), Some("head1"));
    let t = |hm: &str| {
        gluework::date::parse_bound(
            &format!("2024-03-01T{hm}:00Z"),
            gluework::date::Bound::Start,
        )
        .unwrap()
    };
    let reviews: Vec<(&str, i64)> = mr
        .reviews
        .iter()
        .map(|r| (r.who.login.as_str(), r.at))
        .collect();
    // rev2 by its "approved" system note; rev1 by the merge request's updated_at.
    assert_eq!(reviews, [("rev2", t("10:00")), ("rev1", t("12:00"))]);
    assert!(mr.reviews.iter().all(|r| r.state == ReviewState::Approved));
    let who = |cs: &[forge::Comment]| -> Vec<(String, i64)> {
        cs.iter().map(|c| (c.who.login.clone(), c.at)).collect()
    };
    assert_eq!(who(&mr.review_comments), [("rev2".to_string(), t("09:20"))]);
    assert_eq!(
        who(&mr.comments),
        [
            ("rev1".to_string(), t("09:30")),
            ("rev1".to_string(), t("09:50"))
        ]
    );
    assert_eq!(mr.commits[0].email, "dev@example.com");
    assert_eq!(mr.commits[0].login, None);
    assert_eq!(data.pulls[2].state, PullState::Open);
}

// ---------------------------------------------------------------------------------------------
// A layout made by hand with `gh api --paginate`.

#[test]
fn loads_a_hand_made_gh_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "forge.json",
        r#"{"layout_version": 1, "forge": "github", "repo": "o/r",
            "api_url": "https://api.github.com", "web_url": "https://github.com/o/r",
            "updated_through": null, "complete": true}"#,
    );
    // `gh api --paginate` prints each page's array as it comes: `[…][…]`.
    let p = |n: u64| {
        format!(
            r#"{{"number":{n},"html_url":"https://github.com/o/r/pull/{n}","state":"open",
                 "user":{{"login":"u{n}","type":"User"}},"created_at":"2024-03-0{n}T10:00:00Z",
                 "merged_at":null,"merge_commit_sha":null,"head":{{"sha":"h{n}"}}}}"#
        )
    };
    write("pulls.json", &format!("[{},{}][{}]", p(3), p(1), p(2)));
    for n in 1..=3 {
        write(&format!("pulls/{n}/reviews.json"), "[]");
        write(&format!("pulls/{n}/comments.json"), "[][]");
        write(&format!("issues/{n}/comments.json"), "[[],[]]");
        write(
            &format!("pulls/{n}/commits.json"),
            r#"[{"sha":"s","commit":{"author":{"name":"N","email":"e@x"}},"author":null}]"#,
        );
    }
    write(
        "pulls/2/reviews.json",
        r#"[{"user":{"login":"rev","type":"User"},"state":"APPROVED","submitted_at":"2024-03-02T11:00:00Z"}]
[{"user":{"login":"rev","type":"User"},"state":"COMMENTED","submitted_at":"2024-03-02T10:30:00Z"}]"#,
    );
    let data = forge::load(dir).unwrap();
    let nums: Vec<u64> = data.pulls.iter().map(|p| p.number).collect();
    assert_eq!(nums, [1, 2, 3]);
    let states: Vec<ReviewState> = data.pulls[1].reviews.iter().map(|r| r.state).collect();
    assert_eq!(states, [ReviewState::Commented, ReviewState::Approved]);
    assert_eq!(data.pulls[0].commits.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Limits: the longest wait, secondary limits, pages, and the per-request timeout.

#[test]
fn a_far_rate_limit_reset_fails_with_its_date_unless_allowed() {
    let mut state = GithubState::default();
    state.add_pull(1, Some("alice"), "open", None);
    state.faults.insert(
        "/repos/o/r/pulls/1/reviews#1".into(),
        [Fault::RateLimit403(3 * 3600)].into(),
    );
    let (server, shared) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let o = fetch_github(&server, &out, &[]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    let line = err.lines().find(|l| l.starts_with("error:")).unwrap();
    // The reset's date and time, how far it is, and the option that allows it.
    let today = &gluework::date::format_utc(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )[..4];
    assert!(line.contains(&format!("until {today}")), "{line}");
    assert!(line.contains(" UTC (3 h "), "{line}");
    assert!(line.contains("--max-wait 900 s"), "{line}");
    // Nobody slept: the server saw one try of that page.
    let tries = server
        .take_log()
        .iter()
        .filter(|r| r.path == "/repos/o/r/pulls/1/reviews")
        .count();
    assert_eq!(tries, 1);
    // Allowed to wait that long, the fetch waits (the test's sleep cap makes it short).
    shared.lock().unwrap().faults.insert(
        "/repos/o/r/pulls/1/reviews#1".into(),
        [Fault::RateLimit403(3 * 3600)].into(),
    );
    let o = fetch_github(&server, &out, &["--max-wait", "20000"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("rate limited by"))
        .unwrap();
    assert!(line.contains(&format!("(until {today}")), "{line}");
}

#[test]
fn secondary_rate_limits_back_off_exponentially() {
    let mut state = GithubState::default();
    state.add_pull(1, Some("alice"), "open", None);
    state.faults.insert(
        "/repos/o/r/pulls/1/reviews#1".into(),
        [
            Fault::Secondary403,
            Fault::Secondary403,
            Fault::Secondary403,
        ]
        .into(),
    );
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let o = fetch_github(&server, &tmp.path().join("f"), &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let waits: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("rate limited by"))
        .map(|l| {
            l.split("; waiting ")
                .nth(1)
                .unwrap()
                .split(" s ")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(waits, ["60", "120", "240"], "{err}");
}

#[test]
fn endless_next_page_links_stop_at_the_page_cap() {
    let server = Server::start(|req, port| {
        if req.path == "/repos/o/r" {
            return answer(
                200,
                vec![],
                json!({"id": 1, "full_name": "o/r", "html_url": "https://github.com/o/r"})
                    .to_string(),
            );
        }
        // Every page is empty and links to one more.
        let page: u64 = req.param("page").unwrap_or("1").parse().unwrap();
        let next = format!(
            "<http://127.0.0.1:{port}{}?page={}>; rel=\"next\"",
            req.path,
            page + 1
        );
        answer(200, vec![("Link".into(), next)], "[]")
    });
    let tmp = tempfile::tempdir().unwrap();
    let o = fetch_github(&server, &tmp.path().join("f"), &["--max-pages", "5"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("past 5 pages (--max-pages)"), "{err}");
    let pages = server
        .take_log()
        .iter()
        .filter(|r| r.path == "/repos/o/r/pulls")
        .count();
    assert_eq!(pages, 5);
}

#[test]
fn a_request_that_takes_too_long_times_out_and_is_retried() {
    let mut state = GithubState::default();
    state.add_pull(1, Some("alice"), "open", None);
    state.faults.insert(
        "/repos/o/r/pulls/1/reviews#1".into(),
        [Fault::Slow(2500)].into(),
    );
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let o = fetch_github(&server, &tmp.path().join("f"), &["--timeout", "1"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("connection failed"))
        .unwrap_or_else(|| panic!("no retry line in:\n{err}"));
    assert!(line.to_lowercase().contains("timeout"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// Every shape GitHub's API description allows for the fields gluework reads.

#[test]
fn github_schema_shapes_empty_and_null_users_are_accepted() {
    let mut state = GithubState::default();
    state.add_pull(1, Some("alice"), "closed", Some("maint"));
    state.review(1, "bob", "APPROVED", 10);
    // A commit by an email no account claims: `author` and `committer` are `{}`; another whose
    // git author is null; one with only an email.
    state.commits.get_mut(&1).unwrap().extend([
        json!({"sha": "c1", "commit": {"author": {"name": "Lap Top", "email": "lt@x.local"},
               "message": "m"}, "author": {}, "committer": {}, "parents": []}),
        json!({"sha": "c2", "commit": {"author": null, "committer": null, "message": "m"},
               "author": null, "committer": null, "parents": []}),
        json!({"sha": "c3", "commit": {"author": {"email": "only@x.org"}, "message": "m"},
               "parents": []}),
    ]);
    // A review and comments by deleted accounts (null users), a pending review with no time.
    state.reviews.get_mut(&1).unwrap().extend([
        json!({"id": 2, "user": null, "state": "COMMENTED", "submitted_at": gh_time(1, 11)}),
        json!({"id": 3, "user": {}, "state": "PENDING"}),
    ]);
    state
        .comments
        .get_mut(&1)
        .unwrap()
        .push(json!({"id": 4, "user": null, "created_at": gh_time(1, 11)}));
    state
        .review_comments
        .get_mut(&1)
        .unwrap()
        .push(json!({"id": 5, "user": {}, "created_at": gh_time(1, 11)}));
    // A pull request by a deleted account, merged by nobody known, with no title.
    state.add_pull(2, None, "open", None);
    state.pulls.get_mut(&2).unwrap()["title"] = Value::Null;
    let (server, _) = github_server(state);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    let o = fetch_github(&server, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data = forge::load(&out).unwrap();
    let p = data.pulls.iter().find(|p| p.number == 1).unwrap();
    let commits: Vec<(&str, Option<&str>, &str)> = p
        .commits
        .iter()
        .map(|c| (c.sha.as_str(), c.login.as_deref(), c.email.as_str()))
        .collect();
    assert_eq!(
        commits,
        [
            ("c1", None, "lt@x.local"),
            ("c2", None, ""),
            ("c3", None, "only@x.org")
        ]
    );
    assert_eq!(p.reviews.len(), 1);
    assert!(p.comments.is_empty() && p.review_comments.is_empty());
    let p2 = data.pulls.iter().find(|p| p.number == 2).unwrap();
    assert_eq!(p2.author, None);
}

// ---------------------------------------------------------------------------------------------
// Interrupted fetches: the lock goes with the process.

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_or_sigterm_during_a_fetch_releases_the_lock() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let mut state = GithubState::default();
        state.add_pull(1, Some("alice"), "open", None);
        state
            .faults
            .insert("/repos/o/r/pulls#1".into(), [Fault::Slow(3000)].into());
        let (server, _) = github_server(state);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("f");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gluework"));
        cmd.args([
            "fetch",
            "github",
            "o/r",
            "--out",
            out.to_str().unwrap(),
            "--api-url",
            &server.url(),
        ])
        .env("GITHUB_TOKEN", TOKEN)
        .env("GLUEWORK_FETCH_MAX_WAIT", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let lock = out.join(".gluework-fetch.lock");
        let start = std::time::Instant::now();
        // Wait until the fetch is waiting for the slow listing (its lock is taken).
        while !server
            .take_log()
            .iter()
            .any(|r| r.path == "/repos/o/r/pulls")
        {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the fetch never listed"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(lock.exists());
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("the fetch did not stop on {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(code), "{signal}");
        assert!(!lock.exists(), "{signal}: the lock is left behind");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_dead_fetch_is_taken_over_with_a_warning() {
    let Some(host) = hostname() else { return };
    let (server, _) = github_server(GithubState::sample());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("f");
    std::fs::create_dir_all(&out).unwrap();
    let dead = dead_pid();
    let lock = out.join(".gluework-fetch.lock");
    let line = format!("process {dead} on {host} since 2026-11-24T10:00:00Z");
    std::fs::write(&lock, format!("{line}\n")).unwrap();
    // Temporary files of the dead fetch.
    std::fs::write(out.join(format!(".forge.json.tmp-{dead}")), "{").unwrap();
    let o = fetch_github(&server, &out, &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "warning: --out {}: took over the lock of a fetch that is no longer running ({line})",
            out.display()
        )),
        "{err}"
    );
    assert!(!lock.exists());
    assert!(!out.join(format!(".forge.json.tmp-{dead}")).exists());
    // A live process's lock (this test's) is still refused.
    std::fs::write(
        &lock,
        format!("process {} on {host} since x\n", std::process::id()),
    )
    .unwrap();
    let o = fetch_github(&server, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
