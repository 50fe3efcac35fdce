//! Reads a forge data folder (docs/forge.md) into [`ForgeData`]: pull requests with their
//! reviews, comments and commits, normalised across GitHub and GitLab. Pure: files in, data out,
//! no network.
//!
//! Every listing file may hold a plain JSON array, pages concatenated as `gh api --paginate`
//! writes them (`[…][…]`), or an array of pages (`--slurp`); files are read with a streaming
//! deserializer, one item at a time, and the pages flattened.
//!
//! The shared reading (listings, manifest, sorting) is here; each forge's answer shapes are in
//! its own file: `github.rs`, `gitlab.rs`.

use super::{layout, read_manifest, ForgeError, ForgeKind, Manifest};
use crate::date::{parse_bound, Bound};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::marker::PhantomData;
use std::path::Path;

/// A forge data folder, normalised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct ForgeData {
    pub forge: ForgeKind,
    /// `owner/name` or `group/subgroup/project`.
    pub repo: String,
    /// The repository's web page, e.g. `https://github.com/owner/name`.
    pub web_url: String,
    /// Sorted by number.
    pub pulls: Vec<Pull>,
}

/// A pull request (GitHub) or merge request (GitLab).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Pull {
    /// The pull request's number (GitLab: the merge request's `iid`).
    pub number: u64,
    /// Its web page (`html_url` / `web_url`).
    pub url: String,
    /// Its title on one line (empty when the folder has none; parts of earlier versions lack it).
    #[serde(default)]
    pub title: String,
    /// `None` for a deleted account.
    pub author: Option<Login>,
    /// GitHub: `author_association` is `FIRST_TIME_CONTRIBUTOR` or `FIRST_TIMER`. GitLab:
    /// `first_contribution` is `true` (the field is only in single merge request responses, so
    /// usually `false`).
    pub first_time: bool,
    pub state: PullState,
    /// Unix seconds.
    pub created_at: i64,
    pub merged_at: Option<i64>,
    /// GitHub: only known when the full pull object was fetched (gluework fetches it for merged
    /// pull requests; the list endpoint does not carry it). GitLab: `merge_user`, else
    /// `merged_by`.
    pub merged_by: Option<Login>,
    pub merge_commit_sha: Option<String>,
    /// GitLab only (GitHub does not tell a squash from a merge commit).
    pub squash_commit_sha: Option<String>,
    pub head_sha: Option<String>,
    /// Sorted by time, then login.
    pub reviews: Vec<Review>,
    /// Comments on the diff (GitHub review comments; GitLab diff notes), by time then login.
    pub review_comments: Vec<Comment>,
    /// Conversation comments (GitHub issue comments; GitLab notes that are neither system notes
    /// nor diff notes), by time then login.
    pub comments: Vec<Comment>,
    /// In the forge's order (oldest first).
    pub commits: Vec<PullCommit>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
pub enum PullState {
    Open,
    Closed,
    Merged,
}

/// A forge account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize)]
pub struct Login {
    pub login: String,
    /// GitHub: `type` is `Bot` or the login ends with `[bot]`. GitLab: the user's `bot` flag, or
    /// a project or group access token's bot user (`project_<id>_bot…`, `group_<id>_bot…`).
    pub bot: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Review {
    pub who: Login,
    pub state: ReviewState,
    /// Unix seconds.
    pub at: i64,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
pub enum ReviewState {
    Approved,
    ChangesRequested,
    Commented,
    Dismissed,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Comment {
    pub who: Login,
    /// Unix seconds.
    pub at: i64,
}

/// A commit of a pull request: how forge logins are joined to git identities.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct PullCommit {
    pub sha: String,
    /// GitHub: the account the commit's author email belongs to, if GitHub knows it. GitLab:
    /// always `None` (its commits carry no account).
    pub login: Option<String>,
    /// The git author's name and email.
    pub name: String,
    pub email: String,
}

/// Reads the forge data folder `dir`. Refuses a folder without a complete manifest of this
/// layout version.
/// A title as one line: runs of whitespace (line breaks included) become one space, control
/// characters are dropped.
fn one_line(title: Option<&str>) -> String {
    title
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

pub fn load(dir: &Path) -> Result<ForgeData, ForgeError> {
    let manifest = read_manifest(dir)?;
    if !manifest.complete {
        return Err(ForgeError::data(
            &dir.join(super::MANIFEST),
            format!(
                "the fetch that wrote this folder did not complete; run `gluework fetch {} {} \
                 --out {}` again",
                manifest.forge.name(),
                manifest.repo,
                dir.display()
            ),
        ));
    }
    load_with(dir, &manifest)
}

/// Reads the folder as `manifest` describes it, whether or not the manifest says complete (the
/// fetcher checks what it wrote before it writes the manifest).
pub(crate) fn load_with(dir: &Path, manifest: &Manifest) -> Result<ForgeData, ForgeError> {
    let mut pulls = match manifest.forge {
        ForgeKind::Github => github::load(dir)?,
        ForgeKind::Gitlab => gitlab::load(dir)?,
    };
    pulls.sort_by_key(|p| p.number);
    // A page address is kept only when it is exactly the repository's page and the number:
    // the server's `html_url` / `web_url` could say anything (`javascript:…`, another host).
    let web = manifest.web_url.trim_end_matches('/');
    let web_ok = web.starts_with("https://") || web.starts_with("http://");
    for p in &mut pulls {
        let expected = match manifest.forge {
            ForgeKind::Github => format!("{web}/pull/{}", p.number),
            ForgeKind::Gitlab => format!("{web}/-/merge_requests/{}", p.number),
        };
        if !web_ok || p.url != expected {
            p.url = String::new();
        }
    }
    let file = match manifest.forge {
        ForgeKind::Github => layout::PULLS,
        ForgeKind::Gitlab => layout::MERGE_REQUESTS,
    };
    // Numbers travel as signed 64-bit integers (Parquet events): larger is no real number.
    if let Some(p) = pulls.last().filter(|p| p.number > i64::MAX as u64) {
        return Err(ForgeError::data(
            &dir.join(file),
            format!("number {} is out of range (at most {})", p.number, i64::MAX),
        ));
    }
    if let Some(w) = pulls.windows(2).find(|w| w[0].number == w[1].number) {
        return Err(ForgeError::data(
            &dir.join(file),
            format!("number {} is listed twice", w[0].number),
        ));
    }
    Ok(ForgeData {
        forge: manifest.forge,
        repo: manifest.repo.clone(),
        web_url: manifest.web_url.clone(),
        pulls,
    })
}

/// The items of a listing file: a JSON array, concatenated arrays (`[…][…]`) or an array of
/// arrays, flattened. Read one item at a time.
pub fn read_items<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, ForgeError> {
    let file = open(path)?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut items = Vec::new();
    let mut pages = 0;
    for page in serde_json::Deserializer::from_reader(reader).into_iter::<Page<T>>() {
        let page = page.map_err(|e| json_error(path, e))?;
        items.extend(page.0);
        pages += 1;
    }
    if pages == 0 {
        return Err(ForgeError::data(path, "empty file: expected a JSON array"));
    }
    Ok(items)
}

/// A single JSON object file (GitLab's `approvals.json`).
fn read_object<T: DeserializeOwned>(path: &Path) -> Result<T, ForgeError> {
    let reader = std::io::BufReader::new(open(path)?);
    serde_json::from_reader(reader).map_err(|e| json_error(path, e))
}

/// Opens a file of the folder: a regular file (a FIFO is refused, not waited on), read up to
/// the JSON cap.
fn open(path: &Path) -> Result<crate::input::CappedReader<std::fs::File>, ForgeError> {
    use crate::input::{self, InputError};
    // A data folder holds regular files written by `fetch` (or `gh api`): no links.
    match input::open_regular(path, input::Links::Refuse) {
        Ok((file, _)) => Ok(input::CappedReader::new(file, input::JSON, path)),
        Err(e) if e.is_missing() => Err(ForgeError::data(
            path,
            "missing: the layout needs this file for every pull request (docs/forge.md)",
        )),
        Err(InputError::Io { source, .. }) => Err(ForgeError::DataRead {
            path: path.display().to_string(),
            source,
        }),
        Err(e) => Err(ForgeError::data(path, e.reason())),
    }
}

/// A JSON error, quoting no text of the file (see [`crate::input::unquote`]).
fn json_error(path: &Path, e: serde_json::Error) -> ForgeError {
    let what = match e.classify() {
        serde_json::error::Category::Io => "cannot read",
        _ => "malformed JSON",
    };
    ForgeError::data_json(path, what, e)
}

/// One top-level JSON array, flattened: its objects, or the objects of its arrays.
struct Page<T>(Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PageVisitor<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for PageVisitor<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON array of objects (or an array of such arrays)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Page<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Item<T>>()? {
                    match item {
                        Item::One(t) => out.push(t),
                        Item::Many(ts) => out.extend(ts),
                    }
                }
                Ok(Page(out))
            }
        }
        d.deserialize_seq(PageVisitor(PhantomData))
    }
}

/// An element of a top-level array: an object, or a page (array) of objects.
enum Item<T> {
    One(T),
    Many(Vec<T>),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ItemVisitor<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for ItemVisitor<T> {
            type Value = Item<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object or an array of objects")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    out.push(t);
                }
                Ok(Item::Many(out))
            }
        }
        d.deserialize_any(ItemVisitor(PhantomData))
    }
}

/// An RFC 3339 time as Unix seconds, or an error naming the field.
fn time(path: &Path, what: &str, s: &str) -> Result<i64, ForgeError> {
    parse_bound(s, Bound::Start).map_err(|e| ForgeError::data(path, format!("{what}: {e}")))
}

fn opt_time(path: &Path, what: &str, s: Option<&str>) -> Result<Option<i64>, ForgeError> {
    s.map(|s| time(path, what, s)).transpose()
}

/// Sorts reviews and comments by time, then login (then state), for a stable order.
fn sort_events(p: &mut Pull) {
    p.reviews
        .sort_by(|a, b| (a.at, &a.who, a.state).cmp(&(b.at, &b.who, b.state)));
    for c in [&mut p.review_comments, &mut p.comments] {
        c.sort_by(|a, b| (a.at, &a.who).cmp(&(b.at, &b.who)));
    }
}

mod github;
mod gitlab;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::{Manifest, LAYOUT_VERSION, MANIFEST};

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn manifest(dir: &Path, forge: ForgeKind, complete: bool) {
        let m = Manifest {
            layout_version: LAYOUT_VERSION,
            forge,
            repo: "o/r".into(),
            api_url: "https://api.example".into(),
            web_url: "https://example/o/r".into(),
            updated_through: None,
            since: None,
            complete,
        };
        write(dir, MANIFEST, &serde_json::to_string(&m).unwrap());
    }

    fn user(login: &str) -> Login {
        Login {
            login: login.into(),
            bot: false,
        }
    }

    fn bot(login: &str) -> Login {
        Login {
            login: login.into(),
            bot: true,
        }
    }

    const T0: i64 = 1_709_287_200; // 2024-03-01T10:00:00Z

    /// Two pulls: a merged one with everything, and an open one by a deleted account.
    fn github_dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        manifest(dir, ForgeKind::Github, true);
        // Concatenated pages, as `gh api --paginate` writes them; pull 7 before pull 3.
        write(
            dir,
            "pulls.json",
            r#"[{"number":7,"html_url":"https://github.com/o/r/pull/7","state":"open",
                "user":null,"created_at":"2024-03-02T10:00:00Z","merged_at":null,
                "merge_commit_sha":null,"head":{"sha":"b7"}}]
               [{"number":3,"html_url":"https://github.com/o/r/pull/3","state":"closed",
                "user":{"login":"newbie","type":"User"},"author_association":"FIRST_TIME_CONTRIBUTOR",
                "created_at":"2024-03-01T10:00:00Z","merged_at":"2024-03-01T12:00:00+01:00",
                "merged_by":{"login":"maint","type":"User"},"merge_commit_sha":"m3",
                "head":{"sha":"h3"},"extra":{"ignored":[1,2]}}]"#,
        );
        // Slurped: an array of pages.
        write(
            dir,
            "pulls/3/reviews.json",
            r#"[[{"user":{"login":"rev2","type":"User"},"state":"APPROVED","submitted_at":"2024-03-01T10:30:00Z"},
                 {"user":{"login":"rev1","type":"User"},"state":"CHANGES_REQUESTED","submitted_at":"2024-03-01T10:30:00Z"}],
                [{"user":{"login":"me","type":"User"},"state":"PENDING"},
                 {"user":null,"state":"COMMENTED","submitted_at":"2024-03-01T10:40:00Z"},
                 {"user":{"login":"old","type":"User"},"state":"DISMISSED","submitted_at":"2024-03-01T10:05:00Z"}]]"#,
        );
        write(
            dir,
            "pulls/3/comments.json",
            r#"[{"user":{"login":"rev1","type":"User"},"created_at":"2024-03-01T10:20:00Z"}]"#,
        );
        write(
            dir,
            "issues/3/comments.json",
            r#"[{"user":{"login":"ci-helper[bot]","type":"User"},"created_at":"2024-03-01T10:01:00Z"},
                {"user":{"login":"dependabot","type":"Bot"},"created_at":"2024-03-01T10:00:30Z"},
                {"user":{"login":"ghost","type":"User"},"created_at":"2024-03-01T10:02:00Z"}]"#,
        );
        write(
            dir,
            "pulls/3/commits.json",
            r#"[{"sha":"c1","commit":{"author":{"name":"New Bie","email":"nb@example.com","date":"x"}},
                 "author":{"login":"newbie","type":"User"}},
                {"sha":"c2","commit":{"author":{"name":"Laptop","email":"nb@laptop.local"}},"author":null}]"#,
        );
        for f in ["reviews", "comments", "commits"] {
            write(dir, &format!("pulls/7/{f}.json"), "[]");
        }
        write(dir, "issues/7/comments.json", "[]\n");
        d
    }

    #[test]
    fn github_layout() {
        let d = github_dir();
        let data = load(d.path()).unwrap();
        assert_eq!(data.forge, ForgeKind::Github);
        assert_eq!(data.repo, "o/r");
        assert_eq!(data.web_url, "https://example/o/r");
        let nums: Vec<u64> = data.pulls.iter().map(|p| p.number).collect();
        assert_eq!(nums, [3, 7]);
        let p = &data.pulls[0];
        // Not the folder's repository page (`https://example/o/r`) + the number: dropped.
        assert_eq!(p.url, "");
        assert_eq!(p.author, Some(user("newbie")));
        assert!(p.first_time);
        assert_eq!(p.state, PullState::Merged);
        assert_eq!(p.created_at, T0);
        assert_eq!(p.merged_at, Some(T0 + 3600));
        assert_eq!(p.merged_by, Some(user("maint")));
        assert_eq!(p.merge_commit_sha.as_deref(), Some("m3"));
        assert_eq!(p.squash_commit_sha, None);
        assert_eq!(p.head_sha.as_deref(), Some("h3"));
        assert_eq!(
            p.reviews,
            [
                Review {
                    who: user("old"),
                    state: ReviewState::Dismissed,
                    at: T0 + 300
                },
                Review {
                    who: user("rev1"),
                    state: ReviewState::ChangesRequested,
                    at: T0 + 1800
                },
                Review {
                    who: user("rev2"),
                    state: ReviewState::Approved,
                    at: T0 + 1800
                },
            ]
        );
        assert_eq!(
            p.review_comments,
            [Comment {
                who: user("rev1"),
                at: T0 + 1200
            }]
        );
        assert_eq!(
            p.comments,
            [
                Comment {
                    who: bot("dependabot"),
                    at: T0 + 30
                },
                Comment {
                    who: bot("ci-helper[bot]"),
                    at: T0 + 60
                },
            ]
        );
        assert_eq!(
            p.commits,
            [
                PullCommit {
                    sha: "c1".into(),
                    login: Some("newbie".into()),
                    name: "New Bie".into(),
                    email: "nb@example.com".into()
                },
                PullCommit {
                    sha: "c2".into(),
                    login: None,
                    name: "Laptop".into(),
                    email: "nb@laptop.local".into()
                },
            ]
        );
        let p = &data.pulls[1];
        assert_eq!(p.author, None);
        assert!(!p.first_time);
        assert_eq!(p.state, PullState::Open);
        assert_eq!(p.merged_by, None);
        assert!(p.reviews.is_empty() && p.comments.is_empty() && p.commits.is_empty());
    }

    #[test]
    fn refuses_incomplete_other_version_and_missing_files() {
        let d = github_dir();
        let dir = d.path();
        manifest(dir, ForgeKind::Github, false);
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("forge.json: the fetch that wrote this folder did not complete"));
        assert!(e.contains("gluework fetch github o/r --out"), "{e}");

        write(
            dir,
            MANIFEST,
            r#"{"layout_version":2,"forge":"github","something":"else"}"#,
        );
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(
            e.contains("layout version 2, this gluework reads version 1"),
            "{e}"
        );

        std::fs::remove_file(dir.join(MANIFEST)).unwrap();
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("no forge data here (no forge.json)"), "{e}");

        manifest(dir, ForgeKind::Github, true);
        std::fs::remove_file(dir.join("pulls/7/commits.json")).unwrap();
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("pulls/7/commits.json: missing"), "{e}");
    }

    #[test]
    fn malformed_files_name_the_file_and_place() {
        let d = github_dir();
        let dir = d.path();
        write(dir, "pulls/7/reviews.json", "[{\"user\": ");
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("pulls/7/reviews.json: malformed JSON"), "{e}");
        write(dir, "pulls/7/reviews.json", "{\"message\":\"Not Found\"}");
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("expected a JSON array"), "{e}");
        write(dir, "pulls/7/reviews.json", "");
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("empty file"), "{e}");
        write(dir, "pulls/7/reviews.json", "[]");
        write(
            dir,
            "pulls.json",
            r#"[{"number":7,"html_url":"u","state":"open","created_at":"yesterday"}]"#,
        );
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(
            e.contains("pulls.json: pull request 7: created_at: invalid date"),
            "{e}"
        );
        write(
            dir,
            "pulls.json",
            r#"[{"number":7,"html_url":"u","state":"open","created_at":"2024-03-01T10:00:00Z"}]
               [{"number":7,"html_url":"u","state":"open","created_at":"2024-03-01T10:00:00Z"}]"#,
        );
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(e.contains("number 7 is listed twice"), "{e}");
        // A number beyond a signed 64-bit integer (Parquet events would wrap it to -1).
        for f in ["reviews", "comments", "commits"] {
            write(dir, &format!("pulls/18446744073709551615/{f}.json"), "[]");
        }
        write(dir, "issues/18446744073709551615/comments.json", "[]");
        write(
            dir,
            "pulls.json",
            r#"[{"number":18446744073709551615,"html_url":"u","state":"open","created_at":"2024-03-01T10:00:00Z"}]"#,
        );
        let e = crate::error::one_line(&load(dir).unwrap_err());
        assert!(
            e.contains("number 18446744073709551615 is out of range"),
            "{e}"
        );
    }

    #[test]
    fn flattens_every_page_shape() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.json");
        for text in [
            r#"[{"a":1},{"a":2},{"a":3}]"#,
            r#"[{"a":1}][{"a":2},{"a":3}]"#,
            "[{\"a\":1}]\n[]\n[{\"a\":2},{\"a\":3}]\n",
            r#"[[{"a":1}],[{"a":2},{"a":3}]]"#,
            r#"[[{"a":1}],[]][[{"a":2}],[{"a":3}]]"#,
        ] {
            std::fs::write(&p, text).unwrap();
            let items: Vec<serde_json::Value> = read_items(&p).unwrap();
            let a: Vec<i64> = items.iter().map(|v| v["a"].as_i64().unwrap()).collect();
            assert_eq!(a, [1, 2, 3], "{text}");
        }
        std::fs::write(&p, "[]").unwrap();
        assert!(read_items::<serde_json::Value>(&p).unwrap().is_empty());
        std::fs::write(&p, "[1]").unwrap();
        assert!(read_items::<serde_json::Value>(&p).is_err());
    }

    fn gitlab_dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        manifest(dir, ForgeKind::Gitlab, true);
        let u = |name: &str| {
            format!(r#"{{"id":1,"username":"{name}","name":"{name}","state":"active"}}"#)
        };
        write(
            dir,
            "merge_requests.json",
            &format!(
                r#"[{{"iid":5,"web_url":"https://gitlab.example/g/p/-/merge_requests/5","state":"merged",
                     "author":{a},"created_at":"2024-03-01T10:00:00.000Z","updated_at":"2024-03-01T15:00:00.000Z",
                     "merged_at":"2024-03-01T14:00:00.000Z","merged_by":{m},"merge_user":{mu},
                     "merge_commit_sha":"mc","squash_commit_sha":"sq","sha":"hd","first_contribution":true}},
                    {{"iid":2,"web_url":"w2","state":"opened","author":{ghost},
                     "created_at":"2024-03-01T10:00:00Z","updated_at":null,"merged_at":null,"merged_by":null,
                     "merge_user":null,"merge_commit_sha":null,"squash_commit_sha":null,"sha":"h2"}}]"#,
                a = u("author"),
                m = u("old-field"),
                mu = u("merger"),
                ghost = r#"{"id":2,"username":"ghost","name":"Ghost User"}"#,
            ),
        );
        write(
            dir,
            "merge_requests/5/notes.json",
            &format!(
                r#"[{{"id":1,"type":null,"body":"looks good","author":{r1},"created_at":"2024-03-01T10:10:00Z","system":false}},
                    {{"id":2,"type":"DiffNote","body":"nit","author":{r2},"created_at":"2024-03-01T10:05:00Z","system":false,
                      "position":{{"new_line":3}}}},
                    {{"id":3,"type":"DiscussionNote","body":"q","author":{bot},"created_at":"2024-03-01T10:20:00Z","system":false}},
                    {{"id":4,"type":null,"body":"approved this merge request","author":{r2},"created_at":"2024-03-01T11:00:00Z","system":true}},
                    {{"id":5,"type":null,"body":"added 1 commit","author":{a},"created_at":"2024-03-01T10:30:00Z","system":true}}]"#,
                r1 = u("rev1"),
                r2 = u("rev2"),
                a = u("author"),
                bot = r#"{"id":9,"username":"project_42_bot_abc","name":"Deploy"}"#,
            ),
        );
        write(
            dir,
            "merge_requests/5/approvals.json",
            &format!(
                r#"{{"id":5,"iid":5,"approved":true,"approved_by":[{{"user":{r2}}},{{"user":{r1}}},
                    {{"user":{{"id":7,"username":"renovate","bot":true}},"approved_at":"2024-03-01T12:00:00Z"}}]}}"#,
                r1 = u("rev1"),
                r2 = u("rev2"),
            ),
        );
        write(
            dir,
            "merge_requests/5/commits.json",
            r#"[{"id":"abc","short_id":"abc","author_name":"A Uthor","author_email":"a@example.com"}]"#,
        );
        write(dir, "merge_requests/2/notes.json", "[]");
        write(
            dir,
            "merge_requests/2/approvals.json",
            r#"{"approved_by":[]}"#,
        );
        write(dir, "merge_requests/2/commits.json", "[[]]");
        d
    }

    #[test]
    fn gitlab_layout() {
        let d = gitlab_dir();
        let data = load(d.path()).unwrap();
        assert_eq!(data.forge, ForgeKind::Gitlab);
        assert_eq!(
            data.pulls.iter().map(|p| p.number).collect::<Vec<_>>(),
            [2, 5]
        );
        let p = &data.pulls[0];
        assert_eq!(p.author, None);
        assert_eq!(p.state, PullState::Open);
        assert!(!p.first_time);
        let p = &data.pulls[1];
        // Not the folder's repository page (`https://example/o/r`) + the number: dropped.
        assert_eq!(p.url, "");
        assert_eq!(p.author, Some(user("author")));
        assert!(p.first_time);
        assert_eq!(p.state, PullState::Merged);
        assert_eq!(p.merged_at, Some(T0 + 4 * 3600));
        assert_eq!(p.merged_by, Some(user("merger")));
        assert_eq!(p.merge_commit_sha.as_deref(), Some("mc"));
        assert_eq!(p.squash_commit_sha.as_deref(), Some("sq"));
        assert_eq!(p.head_sha.as_deref(), Some("hd"));
        // rev2's approval is dated by its system note; rev1's by the MR's updated_at.
        assert_eq!(
            p.reviews,
            [
                Review {
                    who: user("rev2"),
                    state: ReviewState::Approved,
                    at: T0 + 3600
                },
                Review {
                    who: bot("renovate"),
                    state: ReviewState::Approved,
                    at: T0 + 2 * 3600
                },
                Review {
                    who: user("rev1"),
                    state: ReviewState::Approved,
                    at: T0 + 5 * 3600
                },
            ]
        );
        assert_eq!(
            p.review_comments,
            [Comment {
                who: user("rev2"),
                at: T0 + 300
            }]
        );
        assert_eq!(
            p.comments,
            [
                Comment {
                    who: user("rev1"),
                    at: T0 + 600
                },
                Comment {
                    who: bot("project_42_bot_abc"),
                    at: T0 + 1200
                },
            ]
        );
        assert_eq!(
            p.commits,
            [PullCommit {
                sha: "abc".into(),
                login: None,
                name: "A Uthor".into(),
                email: "a@example.com".into()
            }]
        );
    }
}
