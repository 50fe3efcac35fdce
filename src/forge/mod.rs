//! Forge data: pull requests (GitHub) and merge requests (GitLab) with their reviews, comments,
//! approvals and commits, fetched from the forge's REST API into a folder of raw API JSON
//! ([`fetch`]) and read back, normalised, without the network ([`load()`]).
//!
//! The folder's layout is documented in docs/forge.md: one `forge.json` manifest, written last
//! and only when everything else was written, plus one JSON file per API listing, exactly as the
//! API returned it (`gh api --paginate` and `glab api --paginate` make the same files by hand).

pub mod fetch;
pub mod http;
pub mod load;

pub use load::{load, Comment, ForgeData, Login, Pull, PullCommit, PullState, Review, ReviewState};

use crate::error::Vetted;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The version of the folder layout this gluework reads and writes (`layout_version` in
/// `forge.json`). Bump it for any change a reader of an older layout would misread.
pub const LAYOUT_VERSION: u32 = 1;

/// The manifest's file name in a forge data folder.
pub const MANIFEST: &str = "forge.json";

/// Which forge the data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ForgeKind {
    Github,
    Gitlab,
}

impl ForgeKind {
    /// `github` or `gitlab`, as on the command line and in `forge.json`.
    pub fn name(self) -> &'static str {
        match self {
            ForgeKind::Github => "github",
            ForgeKind::Gitlab => "gitlab",
        }
    }

    /// What the forge calls a pull request, plural.
    pub fn pulls_noun(self) -> &'static str {
        match self {
            ForgeKind::Github => "pull requests",
            ForgeKind::Gitlab => "merge requests",
        }
    }
}

/// `DIR/forge.json`: what the folder holds and whether the fetch that wrote it completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub layout_version: u32,
    pub forge: ForgeKind,
    /// `owner/name` (GitHub) or `group/subgroup/project` (GitLab), as the forge spells it.
    pub repo: String,
    /// The API root the data came from, e.g. `https://api.github.com`.
    pub api_url: String,
    /// The repository's web page, e.g. `https://github.com/owner/name`.
    pub web_url: String,
    /// The newest `updated_at` of the pull requests held (RFC 3339, UTC); an incremental fetch
    /// asks only for pull requests updated after it. `null` when there are none.
    pub updated_through: Option<String>,
    /// With `fetch --since DATE`: only pull requests updated since then are held (RFC 3339).
    #[serde(default)]
    pub since: Option<String>,
    /// `true` once every file was written; a folder whose manifest is not complete is refused.
    pub complete: bool,
}

/// Errors fetching or reading forge data. Each is one line naming what and where (the URL or
/// the file); none ever holds a token. A variant with a cause keeps it as its `source()` and
/// leaves its text out of its own (docs/architecture.md, "Errors"); the variants with a
/// `message` are our own findings, with no error underneath.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    /// A bad argument or a folder that cannot be used.
    #[error("{0}")]
    Usage(String),
    /// A response that is unusable, or a request we refuse to send (off the forge's origin,
    /// too many pages or redirects, rate limited for too long).
    #[error("GET {url}: {message}")]
    Http { url: String, message: String },
    /// A request that failed (after `attempts` tries): the connection, TLS, a body too large.
    /// The error's text is redacted of any credential.
    #[error("GET {url}{}", gave_up(*attempts))]
    Request {
        url: String,
        attempts: u32,
        #[source]
        source: Vetted<ureq::Error>,
    },
    /// A response that is not JSON (the parser's text redacted of any credential).
    #[error("GET {url}: the response is not valid JSON")]
    Json {
        url: String,
        #[source]
        source: Vetted<serde_json::Error>,
    },
    /// The forge answered with an HTTP error status (after any retries and waits).
    #[error("GET {url}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
    },
    /// A file in a forge data folder that is missing or says something wrong.
    #[error("{path}: {message}")]
    Data { path: String, message: String },
    /// A file in a forge data folder that cannot be read.
    #[error("{path}: cannot read")]
    DataRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A file in a forge data folder that is not the JSON it should be (`what`: `malformed
    /// JSON`, `not JSON`, `malformed manifest`); the parser's text quotes none of the file.
    #[error("{path}: {what}")]
    DataJson {
        path: String,
        what: &'static str,
        #[source]
        source: Vetted<serde_json::Error>,
    },
    /// A file or folder of ours that cannot be read or made: `what` says which and what was
    /// done (`--out DIR: cannot create the folder`), the I/O error is the source.
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// `--out DIR` holds a `forge.json` that cannot be used (the source says why): an
    /// incremental fetch cannot start from it.
    #[error("--out {dir} (pass --full to fetch everything again into this folder)")]
    Manifest {
        dir: String,
        #[source]
        source: Box<ForgeError>,
    },
    #[error("cannot write {path}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// `: gave up after N attempts` when a request was tried more than once.
fn gave_up(attempts: u32) -> String {
    if attempts > 1 {
        format!(": gave up after {attempts} attempts")
    } else {
        String::new()
    }
}

impl ForgeError {
    pub(crate) fn data(path: &Path, message: impl Into<String>) -> Self {
        ForgeError::Data {
            path: path.display().to_string(),
            message: message.into(),
        }
    }

    /// A JSON file of the folder that does not parse: `what` it is, and the parser's error
    /// quoting none of the file's text.
    pub(crate) fn data_json(path: &Path, what: &'static str, e: serde_json::Error) -> Self {
        ForgeError::DataJson {
            path: path.display().to_string(),
            what,
            source: Vetted::new(e, |t| crate::input::unquote(t, &[])),
        }
    }
}

/// Where each file of the layout lives, relative to the folder.
pub mod layout {
    use super::*;

    /// GitHub: the pull requests (`GET /repos/O/R/pulls?state=all`).
    pub const PULLS: &str = "pulls.json";
    /// GitLab: the merge requests (`GET /projects/:id/merge_requests?state=all`).
    pub const MERGE_REQUESTS: &str = "merge_requests.json";

    /// GitHub: `pulls/<N>/<name>.json` with `name` one of `reviews`, `comments` (review
    /// comments) and `commits`.
    pub fn pull_file(dir: &Path, number: u64, name: &str) -> PathBuf {
        dir.join("pulls")
            .join(number.to_string())
            .join(format!("{name}.json"))
    }

    /// GitHub: `issues/<N>/comments.json`, the conversation of pull request N.
    pub fn issue_comments(dir: &Path, number: u64) -> PathBuf {
        dir.join("issues")
            .join(number.to_string())
            .join("comments.json")
    }

    /// GitLab: `merge_requests/<iid>/<name>.json` with `name` one of `notes`, `approvals` (an
    /// object) and `commits`.
    pub fn mr_file(dir: &Path, iid: u64, name: &str) -> PathBuf {
        dir.join("merge_requests")
            .join(iid.to_string())
            .join(format!("{name}.json"))
    }
}

/// Reads `DIR/forge.json` whatever its state (the loader and the fetcher judge it).
pub fn read_manifest(dir: &Path) -> Result<Manifest, ForgeError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ForgeError::data(
                dir,
                "no forge data here (no forge.json); fetch it with `gluework fetch github \
                 OWNER/REPO --out DIR` or `gluework fetch gitlab GROUP/PROJECT --out DIR` \
                 (docs/forge.md)",
            ))
        }
        Err(source) => {
            return Err(ForgeError::DataRead {
                path: path.display().to_string(),
                source,
            })
        }
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| ForgeError::data_json(&path, "not JSON", e))?;
    match value.get("layout_version").and_then(|v| v.as_u64()) {
        Some(v) if v == LAYOUT_VERSION as u64 => {}
        Some(v) => {
            return Err(ForgeError::data(
                &path,
                format!(
                    "layout version {v}, this gluework reads version {LAYOUT_VERSION}; fetch \
                     again with this version (`gluework fetch … --full`)"
                ),
            ))
        }
        None => {
            return Err(ForgeError::data(
                &path,
                "not a gluework forge manifest (no layout_version)",
            ))
        }
    }
    serde_json::from_value(value).map_err(|e| ForgeError::data_json(&path, "malformed manifest", e))
}

/// Writes a file whole or not at all ([`crate::fsio`]). Creates the parent folders.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ForgeError> {
    let err = |source| ForgeError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    crate::fsio::write_atomic(path, contents).map_err(|e| err(e.source))
}
