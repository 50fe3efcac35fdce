//! `gluework fetch`: downloads a repository's pull requests (GitHub) or merge requests (GitLab)
//! with their reviews, comments, approvals and commits into a folder of raw API JSON
//! (docs/forge.md), incrementally when the folder already holds a complete fetch.
//!
//! Every file is written whole (a temporary file, then a rename). The manifest `forge.json`
//! says `complete: true` only once everything was fetched, written, and read back by the
//! loader; while files change it says `complete: false`. An incremental fetch holds what it
//! downloads in memory until every request succeeded, so a failed update leaves the earlier
//! complete fetch as it was.

use super::http::{percent_encode, Client, ClientOptions};
use super::load::{load_with, read_items};
use super::{layout, read_manifest, write_atomic, ForgeError, ForgeKind, Manifest};
use super::{LAYOUT_VERSION, MANIFEST};
use crate::date::{format_utc, parse_bound, Bound};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Caps every wait (rate limits, backoff) at this many seconds; for tests.
pub const MAX_WAIT_ENV: &str = "GLUEWORK_FETCH_MAX_WAIT";

/// Items a page asks for (both forges' maximum).
const PER_PAGE: u32 = 100;

/// What to fetch, from where, into where.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub forge: ForgeKind,
    /// `OWNER/REPO` or `GROUP/[SUBGROUP/…]PROJECT`.
    pub repo: String,
    pub out: PathBuf,
    /// The API root; `None` for the forge's public one.
    pub api_url: Option<String>,
    pub token: Option<String>,
    /// A first fetch only takes pull requests updated at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Fetch everything again, whatever the folder holds.
    pub full: bool,
    /// Caps every single sleep (see [`MAX_WAIT_ENV`]); for tests.
    pub max_wait: Option<Duration>,
    /// The longest single wait (`--max-wait`): a rate limit that resets later fails the fetch.
    pub longest_wait: Duration,
    /// Pages of one listing followed at most (`--max-pages`).
    pub max_pages: u64,
    /// The most one request may take (`--timeout`).
    pub timeout: Duration,
}

/// What the fetch tells as it goes.
#[derive(Debug, Clone, Copy)]
pub enum FetchEvent<'a> {
    /// One line of information (no token, an earlier fetch that did not complete).
    Note(&'a str),
    /// One line about a rate-limit wait or a retry: always worth showing.
    Waiting(&'a str),
    /// A warning line (`warning: …`): always shown.
    Warning(&'a str),
    /// The number of pull requests whose details are about to be fetched.
    Listed(u64),
    /// One pull request's details fetched.
    PullDone,
}

/// What a fetch did, for the closing line on standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub forge: ForgeKind,
    /// `github.com/owner/name`.
    pub label: String,
    pub pulls: usize,
    /// Pull requests whose details were fetched this time.
    pub fetched: usize,
    /// Whether the folder held a complete fetch that was updated.
    pub incremental: bool,
    /// A first fetch's `--since`, RFC 3339.
    pub since: Option<String>,
    pub reviews: usize,
    pub review_comments: usize,
    pub comments: usize,
    pub commits: usize,
    pub requests: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        use crate::figures::thousands;
        // `1 review`, `2 reviews`.
        let n = |x: u64, noun: &str| {
            let noun = if x == 1 {
                noun.strip_suffix('s').unwrap_or(noun)
            } else {
                noun
            };
            format!("{} {noun}", thousands(x))
        };
        let count = |x: usize, noun: &str| n(x as u64, noun);
        write!(
            f,
            "{}: {}",
            self.label,
            count(self.pulls, self.forge.pulls_noun())
        )?;
        if self.incremental {
            write!(f, " ({} updated)", thousands(self.fetched as u64))?;
        } else if let Some(since) = &self.since {
            write!(f, " updated since {}", &since[..10])?;
        }
        let (reviews, review_comments, comments) = match self.forge {
            ForgeKind::Github => ("reviews", "review comments", "comments"),
            ForgeKind::Gitlab => ("approvals", "diff notes", "notes"),
        };
        write!(
            f,
            ", {}, {}, {}, {}; {}",
            count(self.reviews, reviews),
            count(self.review_comments, review_comments),
            count(self.comments, comments),
            count(self.commits, "commits"),
            n(self.requests, "requests")
        )
    }
}

/// The token: `--token-file FILE` (its first line), else `GITHUB_TOKEN` or `GITLAB_TOKEN`.
pub fn resolve_token(
    forge: ForgeKind,
    token_file: Option<&Path>,
) -> Result<Option<String>, ForgeError> {
    let (token, source) = match token_file {
        Some(path) => {
            let text = crate::input::read_capped_string(
                path,
                crate::input::TOKEN,
                crate::input::Links::Named,
            )
            .map_err(|e| match e {
                crate::input::InputError::Io { source, .. } => ForgeError::Io {
                    what: format!("--token-file {}: cannot read", path.display()),
                    source,
                },
                other => ForgeError::Usage(format!("--token-file {other}")),
            })?;
            let token = text.lines().next().unwrap_or("").trim().to_string();
            if token.is_empty() {
                return Err(ForgeError::Usage(format!(
                    "--token-file {}: the file is empty",
                    path.display()
                )));
            }
            (token, format!("--token-file {}", path.display()))
        }
        None => {
            let var = token_env(forge);
            match std::env::var(var) {
                Ok(t) if !t.trim().is_empty() => (t.trim().to_string(), var.to_string()),
                _ => return Ok(None),
            }
        }
    };
    if token.chars().any(|c| c.is_control() || c == ' ') {
        return Err(ForgeError::Usage(format!(
            "{source}: the token holds spaces or control characters"
        )));
    }
    Ok(Some(token))
}

fn token_env(forge: ForgeKind) -> &'static str {
    match forge {
        ForgeKind::Github => "GITHUB_TOKEN",
        ForgeKind::Gitlab => "GITLAB_TOKEN",
    }
}

/// `GLUEWORK_FETCH_MAX_WAIT` as a duration (whole seconds), if set.
pub fn max_wait_from_env() -> Result<Option<Duration>, ForgeError> {
    match std::env::var(MAX_WAIT_ENV) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<u64>()
            .map(|s| Some(Duration::from_secs(s)))
            .map_err(|_| {
                ForgeError::Usage(format!(
                    "{MAX_WAIT_ENV}={v:?}: expected a whole number of seconds"
                ))
            }),
        _ => Ok(None),
    }
}

/// The forge's public API root.
pub fn default_api_url(forge: ForgeKind) -> &'static str {
    match forge {
        ForgeKind::Github => "https://api.github.com",
        ForgeKind::Gitlab => "https://gitlab.com/api/v4",
    }
}

/// Checks `OWNER/REPO` (GitHub) or `GROUP/…/PROJECT` (GitLab).
fn check_repo(forge: ForgeKind, repo: &str) -> Result<(), ForgeError> {
    let parts: Vec<&str> = repo.split('/').collect();
    let ok_part = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let ok = parts.iter().all(ok_part)
        && match forge {
            ForgeKind::Github => parts.len() == 2,
            ForgeKind::Gitlab => parts.len() >= 2,
        };
    if ok {
        Ok(())
    } else {
        Err(ForgeError::Usage(match forge {
            ForgeKind::Github => format!("{repo:?}: expected OWNER/REPO, e.g. rust-lang/cargo"),
            ForgeKind::Gitlab => {
                format!("{repo:?}: expected GROUP/PROJECT (subgroups allowed), e.g. gitlab-org/cli")
            }
        }))
    }
}

/// How this run relates to what the folder holds.
enum Start {
    /// Everything (or, with `--since`, everything updated since then).
    Fresh,
    /// Only what changed since the folder's complete fetch.
    Update(Manifest),
}

/// Names a fetch writes at the top of its folder (any other file makes a folder foreign).
const OWN_NAMES: [&str; 6] = [
    MANIFEST,
    layout::PULLS,
    "pulls",
    "issues",
    layout::MERGE_REQUESTS,
    "merge_requests",
];

/// The file that says a fetch is writing into a folder.
pub const LOCK: &str = ".gluework-fetch.lock";

/// Held while a fetch writes into its folder, so that a second fetch into the same folder (two
/// CI jobs, a cron job and a person) is refused instead of mixing files. Released when dropped,
/// whatever the outcome, and on Ctrl-C or SIGTERM; a lock left by a process killed outright is
/// taken over (with a warning) once that process is gone.
struct FolderLock {
    _lock: crate::lockfile::LockFile,
    /// The folder, when the fetch created it (removed again if it is left empty).
    created: Option<PathBuf>,
}

impl FolderLock {
    fn take(dir: &Path, events: &dyn Fn(FetchEvent)) -> Result<Option<FolderLock>, ForgeError> {
        use crate::lockfile::{LockError, LockFile};
        let shown = dir.display();
        let created = if dir.exists() {
            if !dir.is_dir() {
                // `start` says what is wrong.
                return Ok(None);
            }
            None
        } else {
            std::fs::create_dir_all(dir).map_err(|source| ForgeError::Io {
                what: format!("--out {shown}: cannot create the folder"),
                source,
            })?;
            Some(dir.to_path_buf())
        };
        let path = dir.join(LOCK);
        match LockFile::take(&path) {
            Ok(taken) => {
                if let Some(dead) = taken.took_over {
                    events(FetchEvent::Warning(&format!(
                        "warning: --out {shown}: took over the lock of a fetch that is no longer \
                         running ({dead})"
                    )));
                }
                // Temporary files of a fetch that was killed while writing.
                crate::lockfile::clean_leftovers(dir, &[]);
                Ok(Some(FolderLock {
                    _lock: taken.lock,
                    created,
                }))
            }
            Err(LockError::Held(holder)) => Err(ForgeError::Usage(format!(
                "--out {shown}: another `gluework fetch` is writing into this folder ({}); \
                 if none is running (one was killed), remove {}",
                if holder.is_empty() {
                    "no details"
                } else {
                    holder.as_str()
                },
                path.display()
            ))),
            Err(LockError::Io(source)) => Err(ForgeError::Io {
                what: format!("--out {shown}: cannot create {}", path.display()),
                source,
            }),
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(dir) = &self.created {
            // Only if empty (the lock file is removed first: fields drop after this): a failed
            // first fetch leaves no empty folder behind.
            let lock = dir.join(LOCK);
            crate::lockfile::forget(&lock);
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn start(
    opts: &FetchOptions,
    api_url: &str,
    events: &dyn Fn(FetchEvent),
) -> Result<Start, ForgeError> {
    let dir = &opts.out;
    let shown = dir.display();
    if !dir.exists() {
        return Ok(Start::Fresh);
    }
    if !dir.is_dir() {
        return Err(ForgeError::Usage(format!("--out {shown}: not a folder")));
    }
    if !dir.join(MANIFEST).exists() {
        let entries = std::fs::read_dir(dir).map_err(|source| ForgeError::Io {
            what: format!("--out {shown}: cannot read the folder"),
            source,
        })?;
        let foreign = entries.filter_map(Result::ok).find(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && !OWN_NAMES.contains(&name.as_str())
        });
        if let Some(e) = foreign {
            return Err(ForgeError::Usage(format!(
                "--out {shown}: the folder holds other files ({}) and no forge.json; choose a \
                 new or empty folder",
                e.file_name().to_string_lossy()
            )));
        }
        return Ok(Start::Fresh);
    }
    let m = match read_manifest(dir) {
        Ok(m) => m,
        Err(_) if opts.full => return Ok(Start::Fresh),
        Err(e) => {
            return Err(ForgeError::Manifest {
                dir: shown.to_string(),
                source: Box::new(e),
            })
        }
    };
    let same =
        m.forge == opts.forge && m.repo.eq_ignore_ascii_case(&opts.repo) && m.api_url == api_url;
    if !same && !opts.full {
        return Err(ForgeError::Usage(format!(
            "--out {shown} holds {} {} from {}; fetch {} {} into another folder, or pass --full \
             to replace it",
            m.forge.name(),
            m.repo,
            m.api_url,
            opts.forge.name(),
            opts.repo
        )));
    }
    if !same || opts.full {
        return Ok(Start::Fresh);
    }
    if !m.complete {
        events(FetchEvent::Note(&format!(
            "note: the earlier fetch into {shown} did not complete; fetching everything again"
        )));
        return Ok(Start::Fresh);
    }
    if opts.since.is_some() {
        return Err(ForgeError::Usage(format!(
            "--since applies to a first fetch, and {shown} already holds one (updated through \
             {}); leave out --since to update it, or pass --full --since DATE to start again",
            m.updated_through.as_deref().unwrap_or("the start")
        )));
    }
    Ok(Start::Update(m))
}

/// The forge's API for one repository: URLs and field names.
struct Api {
    forge: ForgeKind,
    /// `API/repos/O/R` or `API/projects/ENCODED`.
    root: String,
}

impl Api {
    fn new(forge: ForgeKind, api_url: &str, repo: &str) -> Self {
        let root = match forge {
            ForgeKind::Github => format!("{api_url}/repos/{repo}"),
            ForgeKind::Gitlab => format!("{api_url}/projects/{}", percent_encode(repo)),
        };
        Api { forge, root }
    }

    /// The listing of pull requests: oldest first for a fresh fetch (new ones are appended
    /// while it pages, so none is skipped), most recently updated first when it stops at a
    /// time.
    fn list_url(&self, by_update: bool) -> String {
        let order = match (self.forge, by_update) {
            (ForgeKind::Github, false) => "sort=created&direction=asc",
            (ForgeKind::Github, true) => "sort=updated&direction=desc",
            (ForgeKind::Gitlab, false) => "order_by=created_at&sort=asc",
            (ForgeKind::Gitlab, true) => "order_by=updated_at&sort=desc",
        };
        let what = match self.forge {
            ForgeKind::Github => "pulls",
            ForgeKind::Gitlab => "merge_requests",
        };
        format!("{}/{what}?state=all&{order}&per_page={PER_PAGE}", self.root)
    }

    fn number_field(&self) -> &'static str {
        match self.forge {
            ForgeKind::Github => "number",
            ForgeKind::Gitlab => "iid",
        }
    }

    /// The name the forge spells the repository with, and its web page.
    fn identity(&self, meta: &Value) -> Option<(String, String)> {
        let (name, web) = match self.forge {
            ForgeKind::Github => ("full_name", "html_url"),
            ForgeKind::Gitlab => ("path_with_namespace", "web_url"),
        };
        Some((
            meta.get(name)?.as_str()?.to_string(),
            meta.get(web)?.as_str()?.trim_end_matches('/').to_string(),
        ))
    }
}

/// Files to write: at once in a fresh fetch, or held until every request succeeded in an
/// update (so a failed update leaves the earlier fetch whole).
struct Sink<'a> {
    dir: &'a Path,
    hold: bool,
    held: Vec<(PathBuf, Vec<u8>)>,
    /// The manifest marked incomplete before the first file changes.
    incomplete: &'a Manifest,
    marked: bool,
}

impl Sink<'_> {
    fn write(&mut self, path: PathBuf, bytes: Vec<u8>) -> Result<(), ForgeError> {
        if self.hold {
            self.held.push((path, bytes));
            Ok(())
        } else {
            self.mark()?;
            write_atomic(&path, &bytes)
        }
    }

    fn flush(&mut self) -> Result<(), ForgeError> {
        self.mark()?;
        for (path, bytes) in std::mem::take(&mut self.held) {
            write_atomic(&path, &bytes)?;
        }
        Ok(())
    }

    fn mark(&mut self) -> Result<(), ForgeError> {
        if !self.marked {
            write_manifest(self.dir, self.incomplete)?;
            self.marked = true;
        }
        Ok(())
    }
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), ForgeError> {
    let mut text = serde_json::to_vec_pretty(m).expect("a manifest serialises");
    text.push(b'\n');
    write_atomic(&dir.join(MANIFEST), &text)
}

/// A JSON array with one item a line.
fn json_array(items: &[Value]) -> Vec<u8> {
    let mut out = Vec::from(&b"["[..]);
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut out, item).expect("JSON values serialise");
    }
    out.extend_from_slice(b"\n]\n");
    out
}

fn updated_at(item: &Value) -> Option<i64> {
    item.get("updated_at")?
        .as_str()
        .and_then(|s| parse_bound(s, Bound::Start).ok())
}

/// Fetches `opts.repo` into `opts.out`; see the module documentation. The steps: the client,
/// the repository's identity, the listing of what changed, each pull request's details, then
/// the listing merged into the folder's and the manifest marked complete.
pub fn fetch(opts: &FetchOptions, events: &dyn Fn(FetchEvent)) -> Result<Summary, ForgeError> {
    check_repo(opts.forge, &opts.repo)?;
    let _lock = FolderLock::take(&opts.out, events)?;
    let api_url = opts
        .api_url
        .as_deref()
        .unwrap_or(default_api_url(opts.forge))
        .trim_end_matches('/')
        .to_string();
    let start = start(opts, &api_url, events)?;
    let dir = opts.out.as_path();
    token_notes(opts, &api_url, events);
    let notify = |line: &str| events(FetchEvent::Waiting(line));
    let client = Client::new(
        ClientOptions {
            api_url: api_url.clone(),
            headers: request_headers(opts.forge, opts.token.as_deref()),
            max_wait: opts.max_wait,
            longest_wait: opts.longest_wait,
            max_pages: opts.max_pages,
            timeout: opts.timeout,
        },
        &notify,
    )?;
    let (repo, web_url) = repository_identity(&client, opts.forge, &api_url, &opts.repo)?;
    let api = Api::new(opts.forge, &api_url, &repo);

    // The pull requests to fetch in detail: those updated after the folder's fetch, or since
    // `--since`, or all.
    let (previous, since) = match &start {
        Start::Update(m) => {
            let through = m
                .updated_through
                .as_deref()
                .map(|s| parse_bound(s, Bound::Start))
                .transpose()
                .map_err(|e| {
                    ForgeError::data(&dir.join(MANIFEST), format!("updated_through: {e}"))
                })?;
            (Some(through), m.since.clone())
        }
        Start::Fresh => (None, opts.since.map(format_utc)),
    };
    let since_ts = since
        .as_deref()
        .map(|s| parse_bound(s, Bound::Start))
        .transpose()
        .map_err(|e| ForgeError::data(&dir.join(MANIFEST), format!("since: {e}")))?;
    // The listing stops at the first pull request updated at or before this.
    let stop_at = match previous {
        Some(Some(through)) => Some(through),
        _ => since_ts.map(|s| s - 1),
    };
    let (mut fetched, listed_at) = api.listing(&client, stop_at)?;

    let incomplete = Manifest {
        layout_version: LAYOUT_VERSION,
        forge: opts.forge,
        repo: repo.clone(),
        api_url: api_url.clone(),
        web_url: web_url.clone(),
        updated_through: None,
        since: since.clone(),
        complete: false,
    };
    let mut sink = Sink {
        dir,
        hold: previous.is_some(),
        held: Vec::new(),
        incomplete: &incomplete,
        marked: false,
    };
    events(FetchEvent::Listed(fetched.len() as u64));
    // GitLab merge requests whose approvals could not be read: (iid, why).
    let mut no_approvals: Vec<(u64, String)> = Vec::new();
    for (&n, item) in fetched.iter_mut() {
        match opts.forge {
            ForgeKind::Github => api.github_details(&client, n, item, &mut sink)?,
            ForgeKind::Gitlab => {
                if let Some(why) = api.gitlab_details(&client, n, &mut sink)? {
                    no_approvals.push((n, why));
                }
            }
        }
        events(FetchEvent::PullDone);
    }
    warn_no_approvals(&repo, &no_approvals, events);

    // Every request succeeded: merge into what the folder holds and write it.
    let fetched_count = fetched.len();
    let items = api.write_listing(dir, previous.is_some(), fetched, &mut sink)?;

    // The newest update held, but never past the server's clock when the listing began: a
    // pull request updated while the listing paged may have been missed, and is asked for
    // again next time.
    let mut through = items.iter().filter_map(updated_at).max();
    if let Some(old) = previous {
        through = through.max(old);
    }
    if let (Some(t), Some(at)) = (through, listed_at) {
        through = Some(t.min(at - 1));
    }
    let mut manifest = Manifest {
        updated_through: through.map(format_utc),
        ..incomplete.clone()
    };
    // Read back what was written before calling it complete.
    let data = load_with(dir, &manifest)?;
    manifest.complete = true;
    write_manifest(dir, &manifest)?;

    let label = web_url
        .split_once("://")
        .map_or(web_url.as_str(), |(_, rest)| rest)
        .to_string();
    Ok(Summary {
        forge: opts.forge,
        label,
        pulls: data.pulls.len(),
        fetched: fetched_count,
        incremental: previous.is_some(),
        since: if previous.is_some() { None } else { since },
        reviews: data.pulls.iter().map(|p| p.reviews.len()).sum(),
        review_comments: data.pulls.iter().map(|p| p.review_comments.len()).sum(),
        comments: data.pulls.iter().map(|p| p.comments.len()).sum(),
        commits: data.pulls.iter().map(|p| p.commits.len()).sum(),
        requests: client.requests(),
    })
}

/// The headers of every request: the media type, GitHub's API version, the token.
fn request_headers(forge: ForgeKind, token: Option<&str>) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = Vec::new();
    match forge {
        ForgeKind::Github => {
            headers.push(("Accept", "application/vnd.github+json".into()));
            headers.push(("X-GitHub-Api-Version", "2022-11-28".into()));
            if let Some(t) = token {
                headers.push(("Authorization", format!("Bearer {t}")));
            }
        }
        ForgeKind::Gitlab => {
            headers.push(("Accept", "application/json".into()));
            if let Some(t) = token {
                headers.push(("PRIVATE-TOKEN", t.to_string()));
            }
        }
    }
    headers
}

/// A note when there is no token (public repositories only, a low rate limit), or when the
/// token would travel over plain http to another machine.
fn token_notes(opts: &FetchOptions, api_url: &str, events: &dyn Fn(FetchEvent)) {
    if opts.token.is_none() {
        events(FetchEvent::Note(&format!(
            "note: no {} and no --token-file: fetching without a token (public repositories \
             only, with a low rate limit)",
            token_env(opts.forge)
        )));
    } else if api_url.starts_with("http://") && !is_loopback(api_url) {
        events(FetchEvent::Note(&format!(
            "note: --api-url {api_url} is plain http: the token travels unencrypted"
        )));
    }
}

/// The repository: its canonical name and web page (and a clear 404 before anything else).
/// A renamed repository is asked for by its new name from here on.
fn repository_identity(
    client: &Client<'_>,
    forge: ForgeKind,
    api_url: &str,
    asked: &str,
) -> Result<(String, String), ForgeError> {
    let api = Api::new(forge, api_url, asked);
    let meta = client.get(&api.root)?;
    let (repo, web_url) = api.identity(&meta.body).ok_or_else(|| ForgeError::Http {
        url: api.root.clone(),
        message: "not a repository object (no name or web address)".into(),
    })?;
    check_repo(forge, &repo).map_err(|_| ForgeError::Http {
        url: api.root.clone(),
        message: format!("the repository's name {repo:?} is not OWNER/REPO"),
    })?;
    Ok((repo, web_url))
}

/// One warning naming the GitLab merge requests whose approvals could not be read.
fn warn_no_approvals(repo: &str, no_approvals: &[(u64, String)], events: &dyn Fn(FetchEvent)) {
    let Some((_, why)) = no_approvals.first() else {
        return;
    };
    let list: Vec<String> = no_approvals.iter().map(|(n, _)| format!("!{n}")).collect();
    let k = no_approvals.len();
    events(FetchEvent::Note(&format!(
        "warning: {repo}: the approvals of {k} merge request{} ({}) could not be read ({why}); \
         they count no approvals. Once the token can read them, fetch again with --full",
        if k == 1 { "" } else { "s" },
        if k > 5 {
            format!("{} and {} more", list[..5].join(", "), k - 5)
        } else {
            list.join(", ")
        },
    )));
}

impl Api {
    /// The pull requests of the listing by number, stopping at the first one updated at or
    /// before `stop_at`; and the server's clock when the listing began.
    fn listing(
        &self,
        client: &Client<'_>,
        stop_at: Option<i64>,
    ) -> Result<(BTreeMap<u64, Value>, Option<i64>), ForgeError> {
        let list_url = self.list_url(stop_at.is_some());
        let (listed, listed_at) = client.get_all(&list_url, |item| {
            stop_at.is_some_and(|stop| updated_at(item).is_some_and(|t| t <= stop))
        })?;
        let field = self.number_field();
        let mut fetched: BTreeMap<u64, Value> = BTreeMap::new();
        for item in listed {
            let Some(n) = item.get(field).and_then(Value::as_u64) else {
                return Err(ForgeError::Http {
                    url: list_url,
                    message: format!("an item has no {field}"),
                });
            };
            fetched.entry(n).or_insert(item);
        }
        Ok((fetched, listed_at))
    }

    /// A GitHub pull request's details: the pull request itself when merged (the listing
    /// leaves out `merged_by`), its reviews, review comments, commits and comments.
    fn github_details(
        &self,
        client: &Client<'_>,
        n: u64,
        item: &mut Value,
        sink: &mut Sink<'_>,
    ) -> Result<(), ForgeError> {
        let dir = sink.dir;
        if item.get("merged_at").is_some_and(|v| !v.is_null()) {
            let url = format!("{}/pulls/{n}", self.root);
            let full = client.get(&url)?.body;
            if full.get("number").and_then(Value::as_u64) != Some(n) {
                return Err(ForgeError::Http {
                    url,
                    message: format!("not pull request {n}"),
                });
            }
            *item = full;
        }
        let q = format!("per_page={PER_PAGE}");
        for (name, url) in [
            ("reviews", format!("{}/pulls/{n}/reviews?{q}", self.root)),
            ("comments", format!("{}/pulls/{n}/comments?{q}", self.root)),
            ("commits", format!("{}/pulls/{n}/commits?{q}", self.root)),
        ] {
            let items = client.get_all(&url, |_| false)?.0;
            sink.write(layout::pull_file(dir, n, name), json_array(&items))?;
        }
        let url = format!("{}/issues/{n}/comments?{q}", self.root);
        let items = client.get_all(&url, |_| false)?.0;
        sink.write(layout::issue_comments(dir, n), json_array(&items))
    }

    /// A GitLab merge request's details: notes, approvals, commits. Returns why the approvals
    /// could not be read (403 or 404: some tokens and tiers may not read them; the merge
    /// request is kept, with none).
    fn gitlab_details(
        &self,
        client: &Client<'_>,
        n: u64,
        sink: &mut Sink<'_>,
    ) -> Result<Option<String>, ForgeError> {
        let dir = sink.dir;
        let all_pages = |url: String| -> Result<Vec<Value>, ForgeError> {
            Ok(client.get_all(&url, |_| false)?.0)
        };
        let mr = format!("{}/merge_requests/{n}", self.root);
        let notes = all_pages(format!(
            "{mr}/notes?sort=asc&order_by=created_at&per_page={PER_PAGE}"
        ))?;
        sink.write(layout::mr_file(dir, n, "notes"), json_array(&notes))?;
        let url = format!("{mr}/approvals");
        let mut unavailable = None;
        let approvals = match client.get(&url) {
            Ok(page) => page.body,
            Err(ForgeError::Status {
                status: status @ (403 | 404),
                message,
                ..
            }) => {
                unavailable = Some(message.clone());
                serde_json::json!({
                    "approved_by": [],
                    "gluework_unavailable": format!("HTTP {status}: {message}"),
                })
            }
            Err(e) => return Err(e),
        };
        if !approvals.is_object() {
            return Err(ForgeError::Http {
                url,
                message: "expected a JSON object".into(),
            });
        }
        let mut bytes = serde_json::to_vec(&approvals).expect("JSON values serialise");
        bytes.push(b'\n');
        sink.write(layout::mr_file(dir, n, "approvals"), bytes)?;
        let commits = all_pages(format!("{mr}/commits?per_page={PER_PAGE}"))?;
        sink.write(layout::mr_file(dir, n, "commits"), json_array(&commits))?;
        Ok(unavailable)
    }

    /// Writes the held detail files, then the listing: the folder's listing (in an update)
    /// with the fetched pull requests replacing theirs, by number. Returns the listing.
    fn write_listing(
        &self,
        dir: &Path,
        update: bool,
        fetched: BTreeMap<u64, Value>,
        sink: &mut Sink<'_>,
    ) -> Result<Vec<Value>, ForgeError> {
        let list_file = dir.join(match self.forge {
            ForgeKind::Github => layout::PULLS,
            ForgeKind::Gitlab => layout::MERGE_REQUESTS,
        });
        let field = self.number_field();
        let mut all: BTreeMap<u64, Value> = BTreeMap::new();
        if update {
            for item in read_items::<Value>(&list_file)? {
                let n = item.get(field).and_then(Value::as_u64).ok_or_else(|| {
                    ForgeError::data(&list_file, format!("an item has no {field}"))
                })?;
                all.insert(n, item);
            }
        }
        all.extend(fetched);
        sink.flush()?;
        let items: Vec<Value> = all.into_values().collect();
        write_atomic(&list_file, &json_array(&items))?;
        Ok(items)
    }
}

fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_names() {
        assert!(check_repo(ForgeKind::Github, "rust-lang/cargo").is_ok());
        assert!(check_repo(ForgeKind::Github, "o/r.js").is_ok());
        for bad in ["cargo", "a/b/c", "/r", "o/", "o/r?x", "o/..", "o r/x"] {
            assert!(check_repo(ForgeKind::Github, bad).is_err(), "{bad}");
        }
        assert!(check_repo(ForgeKind::Gitlab, "gitlab-org/cli").is_ok());
        assert!(check_repo(ForgeKind::Gitlab, "g/sub/sub2/p").is_ok());
        assert!(check_repo(ForgeKind::Gitlab, "p").is_err());
    }

    #[test]
    fn arrays_one_item_a_line() {
        assert_eq!(json_array(&[]), b"[\n]\n");
        let items = [serde_json::json!({"b": 1, "a": [2]}), serde_json::json!({})];
        assert_eq!(
            String::from_utf8(json_array(&items)).unwrap(),
            "[\n{\"a\":[2],\"b\":1},\n{}\n]\n"
        );
    }

    #[test]
    fn list_urls() {
        let gh = Api::new(ForgeKind::Github, "https://api.github.com", "o/r");
        assert_eq!(
            gh.list_url(false),
            "https://api.github.com/repos/o/r/pulls?state=all&sort=created&direction=asc&per_page=100"
        );
        let gl = Api::new(ForgeKind::Gitlab, "https://gitlab.com/api/v4", "g/s/p");
        assert_eq!(
            gl.list_url(true),
            "https://gitlab.com/api/v4/projects/g%2Fs%2Fp/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=100"
        );
    }

    #[test]
    fn summary_line() {
        let s = Summary {
            forge: ForgeKind::Github,
            label: "github.com/o/r".into(),
            pulls: 412,
            fetched: 12,
            incremental: true,
            since: None,
            reviews: 1873,
            review_comments: 2010,
            comments: 3402,
            commits: 5120,
            requests: 49,
        };
        assert_eq!(
            s.to_string(),
            "github.com/o/r: 412 pull requests (12 updated), 1,873 reviews, 2,010 review \
             comments, 3,402 comments, 5,120 commits; 49 requests"
        );
    }

    #[test]
    fn loopback() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://localhost/api"));
        assert!(is_loopback("http://[::1]:80"));
        assert!(!is_loopback("http://ghe.internal/api/v3"));
    }
}
