//! The scanner: finds repositories, reads each one's history (read-only: references,
//! configuration and mailmaps with git2, commits and trees with gix-odb, one reader per
//! worker), and turns every commit into a classified record.

pub mod cache;
mod commit;
mod ids;
mod loose;
pub mod notes;
mod odb;
mod packs;
pub mod remote;
mod tree;
mod walk;

use crate::classify::{self, CommitFacts, CommitRecord, Signature};
use crate::error::Vetted;
use crate::ident::mailmap::Mailmap;
use crate::rules::CompiledRules;
use git2::{ErrorCode, Oid, Repository, RepositoryOpenFlags};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a repository could not be scanned. Every message names the repository.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: not a git repository, and no repositories found directly under it (use --recursive to look deeper)")]
    NotARepo { path: String },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: cannot read folder")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot open repository")]
    Open {
        path: String,
        #[source]
        source: Vetted<git2::Error>,
    },
    #[error("{path}: HEAD points to branch '{branch}', which has no commits; pick a branch with --rev ({hint})")]
    UnbornHead {
        path: String,
        branch: String,
        hint: String,
    },
    #[error("{path}: revision '{rev}' not found")]
    Rev {
        path: String,
        rev: String,
        #[source]
        source: Vetted<git2::Error>,
    },
    /// `gluework config show`: the repository's configuration file cannot be read.
    #[error("{path}: {message}")]
    ConfigUnreadable { path: String, message: String },
    /// The repository's own configuration file says something wrong (the caller's
    /// [`ScanOptions::rules`] judged it: its error is the source).
    #[error("{path}")]
    Config {
        path: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The repository's own configuration file (`name`) is not UTF-8.
    #[error("{path}: {name}: not UTF-8")]
    ConfigNotUtf8 {
        path: String,
        name: String,
        #[source]
        source: std::str::Utf8Error,
    },
    #[error("{path}: the object database is corrupt: {message}; run `git fsck`, then fetch or clone the repository again")]
    Corrupt { path: String, message: String },
    /// The object database cannot be opened (its folder, a pack's index).
    #[error("{path}: cannot walk history from {rev}: cannot open the object database")]
    Objects {
        path: String,
        rev: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot walk history from {rev}: {message}")]
    Walk {
        path: String,
        rev: String,
        message: String,
    },
}

/// The name a repository's configuration file is reported under.
pub const REPO_CONFIG: &str = ".gluework.toml";

/// A repository's own `.gluework.toml` as committed at the scanned revision: the name it is
/// reported under (`.gluework.toml at COMMIT`) and its text. The scan reads it; what it says is
/// judged by the caller ([`ScanOptions::rules`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub name: String,
    pub text: String,
}

/// The rules a repository is classified with and their digest, given its own configuration
/// file (`None`: it has none); an error says what is wrong with the file. The session layers
/// the file between the user's configuration and `--config` (`config::ConfigBase::for_file`).
pub type RulesFor<'a> = dyn Fn(
        Option<&ConfigFile>,
    ) -> Result<(Arc<CompiledRules>, String), Box<dyn std::error::Error + Send + Sync>>
    + Sync
    + 'a;

/// Options for scanning one repository.
pub struct ScanOptions<'a> {
    pub rev: Option<&'a str>,
    /// Extra mailmap text (from `--mailmap`), applied after the repository's own.
    pub extra_mailmap: Option<&'a [u8]>,
    pub extra_mailmap_name: Option<&'a str>,
    /// The rules for the repository, given its own configuration file.
    pub rules: &'a RulesFor<'a>,
    /// The review notes ref (`--notes`); `None` reads `refs/notes/review` when it exists.
    pub notes: Option<&'a str>,
    /// The cache folder for per-commit facts; `None` reads and writes no cache.
    pub cache: Option<&'a Path>,
    /// Called with the number of commits processed, from worker threads.
    pub progress: Option<&'a (dyn Fn(RepoProgress) + Sync)>,
}

/// Progress of one repository's scan.
#[derive(Debug, Clone, Copy)]
pub enum RepoProgress {
    /// The walk, still going, has found this many commits so far.
    Found(u64),
    /// The walk is over: the history has this many commits.
    Total(u64),
    /// This many more commits were read.
    Done(u64),
}

/// A repository to scan: where it is and what to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoTarget {
    /// The path as the user gave it (joined with the sub-folder found under a folder).
    pub display: String,
    pub path: PathBuf,
}

/// The result of scanning one repository.
#[derive(Debug, Clone)]
pub struct RepoScan {
    pub name: String,
    pub path: String,
    /// The commit the walk started from; `None` for an empty repository.
    pub head: Option<String>,
    /// `origin`'s web address, when it is on a known forge.
    pub remote: Option<remote::Remote>,
    /// The `origin` remote's host and path ([`remote::origin_key`]), on any host, for matching
    /// `--forge` folders of self-hosted forges. Not kept in parts.
    pub origin: Option<String>,
    pub shallow: bool,
    pub records: Vec<CommitRecord>,
    /// The identities .mailmap rewrote, as written in commits, each with what it became, sorted
    /// (one per distinct pair: a per-identity table, so that joins can say `mailmap`).
    pub rewrites: Vec<crate::ident::Rewrite>,
    pub warnings: Vec<String>,
    /// The rules this repository was classified with.
    pub rules: Arc<CompiledRules>,
    /// Digest of those rules' settings.
    pub config_digest: String,
    /// The repository's own `.gluework.toml`, as read from the scanned revision.
    pub config_file: Option<ConfigFile>,
    /// Warnings about this machine rather than the repository (the cache): shown, but kept
    /// out of the report so that it stays the same wherever it is made.
    pub local_warnings: Vec<String>,
    /// Whether `warnings` are the same as at the last scan of this repository on this machine
    /// (from the cache): the terminal then says so in one line instead of listing them again.
    pub warnings_repeated: bool,
    /// With `--rev A..B`: which records (by index) A reaches, so they are outside the range and
    /// earn no credit (newcomers are still judged on the whole history). Empty: none.
    pub outside: Vec<bool>,
}

impl RepoScan {
    /// A repository's scan made again from what a part file kept of it (`gluework merge`):
    /// the facts of this machine (the origin's host, the cache's warnings) and a revision
    /// range are not kept in parts.
    #[allow(clippy::too_many_arguments)]
    pub fn rebuilt(
        name: String,
        path: String,
        head: Option<String>,
        remote: Option<remote::Remote>,
        shallow: bool,
        records: Vec<CommitRecord>,
        rewrites: Vec<crate::ident::Rewrite>,
        warnings: Vec<String>,
        rules: Arc<CompiledRules>,
        config_digest: String,
        config_file: Option<ConfigFile>,
    ) -> RepoScan {
        RepoScan {
            name,
            path,
            head,
            remote,
            origin: None,
            shallow,
            records,
            rewrites,
            warnings,
            rules,
            config_digest,
            config_file,
            local_warnings: Vec::new(),
            warnings_repeated: false,
            outside: Vec::new(),
        }
    }
}

/// At most this many per-commit warnings are listed one by one in a repository's warnings.
const MAX_COMMIT_WARNINGS: usize = 20;

/// At most this many warnings of one repository are kept (a junk `.mailmap` of 200,000 lines
/// must not make a report of hundreds of megabytes); the rest are counted in one last line.
/// `GLUEWORK_MAX_WARNINGS` changes it.
pub const MAX_WARNINGS: crate::input::Cap = crate::input::Cap {
    what: "warnings per repository",
    env: "GLUEWORK_MAX_WARNINGS",
    default: 200,
};

/// Keeps the first [`MAX_WARNINGS`] warnings and says how many more there were.
fn cap_warnings(warnings: &mut Vec<String>) {
    let max = MAX_WARNINGS.limit().max(1) as usize;
    if warnings.len() > max {
        let extra = warnings.len() - max;
        warnings.truncate(max);
        warnings.push(format!(
            "… and {extra} more warnings (the first {max} are listed; {}=N shows more)",
            MAX_WARNINGS.env
        ));
    }
}

/// Files that libgit2 reads whole, with a blocking read, when it opens a repository or parses
/// a commit: one that is a FIFO would hang the scan, a device or a huge file would never end.
/// Each with the cap on its size (`None`: any size, e.g. `packed-refs` of a big repository).
const GIT_FILES: &[(&str, Option<crate::input::Cap>)] = &[
    ("HEAD", Some(crate::input::GIT_CONFIG)),
    ("config", Some(crate::input::GIT_CONFIG)),
    ("commondir", Some(crate::input::GIT_CONFIG)),
    ("gitdir", Some(crate::input::GIT_CONFIG)),
    ("packed-refs", None),
    ("shallow", Some(crate::input::GRAFTS)),
    ("info/grafts", Some(crate::input::GRAFTS)),
    ("objects/info/alternates", Some(crate::input::GIT_CONFIG)),
];

/// The first of a repository's git files (under `path`, a work tree or a git directory) that
/// libgit2 must not read: a FIFO, a device or a socket (links followed), or a file over its cap.
/// Nothing is opened to tell.
fn special_git_file(path: &Path) -> Option<String> {
    use crate::input::InputError;
    let check = |p: &Path, cap: Option<crate::input::Cap>| {
        let m = std::fs::metadata(p).ok()?;
        let t = m.file_type();
        if !t.is_file() && !t.is_dir() {
            return Some(format!(
                "{} (a git file must be a regular file)",
                InputError::NotRegular {
                    path: p.display().to_string(),
                    kind: crate::input::kind_of(t),
                }
            ));
        }
        let cap = cap?;
        (t.is_file() && m.len() > cap.limit()).then(|| {
            InputError::TooLarge {
                path: p.display().to_string(),
                cap,
                limit: cap.limit(),
            }
            .to_string()
        })
    };
    let dot = path.join(".git");
    if let Some(e) = check(&dot, Some(crate::input::GIT_CONFIG)) {
        return Some(e);
    }
    let dirs: Vec<PathBuf> = if dot.is_dir() {
        vec![dot, path.to_path_buf()]
    } else {
        vec![path.to_path_buf()]
    };
    dirs.iter()
        .flat_map(|d| GIT_FILES.iter().map(move |(f, cap)| (d.join(f), *cap)))
        .find_map(|(p, cap)| check(&p, cap))
}

/// Whether `path` has the shape of a repository (a `.git` entry, or a git directory's `HEAD`,
/// `objects` and `refs`), whether or not libgit2 can open it.
fn looks_like_repo(path: &Path) -> bool {
    let dot = path.join(".git");
    std::fs::symlink_metadata(&dot).is_ok()
        || (std::fs::symlink_metadata(path.join("HEAD")).is_ok()
            && path.join("objects").is_dir()
            && path.join("refs").is_dir())
}

fn open_exact(path: &Path) -> Result<Repository, git2::Error> {
    if let Some(message) = special_git_file(path) {
        return Err(git2::Error::from_str(&message));
    }
    Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&str>(),
    )
}

/// libgit2's settings for a scan. git's owner check (`safe.directory`) is left as the program
/// that embeds gluework sets it: the `gluework` binary turns it off (src/main.rs), a library
/// user decides for themselves.
pub(crate) fn init_git() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Re-hashing every object read only guards against corruption that the inflate
        // checksum and the object parser already catch; it costs a fifth of the scan.
        git2::opts::strict_hash_verification(false);
    });
}

/// Expands the PATH arguments into repositories: a repository is taken as it is; a folder is
/// searched for repositories directly under it (or at any depth with `recursive`). A path that
/// is neither, but lies inside a repository, means that repository (as git would find it).
pub fn discover(paths: &[String], recursive: bool) -> (Vec<RepoTarget>, Vec<ScanError>) {
    init_git();
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for display in paths {
        let path = PathBuf::from(display);
        if !path.exists() {
            errors.push(ScanError::Missing {
                path: display.clone(),
            });
            continue;
        }
        // A repository that cannot be opened (a FIFO for a git file, a configuration libgit2
        // cannot parse) is taken too, so that the scan says what is wrong with it rather than
        // "not a git repository" (and git2's discovery would block on a FIFO).
        if open_exact(&path).is_ok() || looks_like_repo(&path) {
            targets.push(RepoTarget {
                display: display.clone(),
                path,
            });
            continue;
        }
        let before = targets.len();
        if path.is_dir() {
            if let Err(e) = find_below(&path, display, recursive, &mut targets) {
                errors.push(e);
                continue;
            }
        }
        if targets.len() > before {
            continue;
        }
        // Inside a work tree, like `git log` run from a sub-folder.
        match Repository::discover(&path) {
            Ok(repo) => {
                let root = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
                targets.push(RepoTarget {
                    display: display.clone(),
                    path: root,
                });
            }
            Err(_) => errors.push(ScanError::NotARepo {
                path: display.clone(),
            }),
        }
    }
    // The same repository named twice is scanned once.
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(std::fs::canonicalize(&t.path).unwrap_or(t.path.clone())));
    (targets, errors)
}

fn find_below(
    dir: &Path,
    display: &str,
    recursive: bool,
    out: &mut Vec<RepoTarget>,
) -> Result<(), ScanError> {
    let io = |source| ScanError::Io {
        path: display.to_string(),
        source,
    };
    let mut children: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| name != ".git")
        .collect();
    children.sort();
    for (name, path) in children {
        let child_display = if display.ends_with('/') {
            format!("{display}{name}")
        } else {
            format!("{display}/{name}")
        };
        if open_exact(&path).is_ok() || looks_like_repo(&path) {
            out.push(RepoTarget {
                display: child_display,
                path,
            });
        } else if recursive {
            // Unreadable sub-folders deeper down are skipped, not fatal.
            let _ = find_below(&path, &child_display, true, out);
        }
    }
    Ok(())
}

/// The git directory of the repository at `path` (for a work tree, its `.git`), without
/// reading anything libgit2 would block on.
pub fn git_dir(path: &Path) -> Option<PathBuf> {
    init_git();
    if special_git_file(path).is_some() {
        return None;
    }
    open_exact(path).ok().map(|r| r.path().to_path_buf())
}

/// The repository's name: its folder's name without a `.git` suffix.
pub fn repo_name(target: &RepoTarget) -> String {
    let abs = std::fs::canonicalize(&target.path).unwrap_or_else(|_| target.path.clone());
    let mut p = abs.as_path();
    if p.file_name().is_some_and(|n| n == ".git") {
        p = p.parent().unwrap_or(p);
    }
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| target.display.clone());
    name.strip_suffix(".git")
        .map(str::to_string)
        .unwrap_or(name)
}

/// The repository's work tree, as git sees it. libgit2 gives a git directory that has no
/// `core.bare` setting (a plain mirror folder) its parent folder as work tree; git treats such a
/// directory as bare. A work tree is real only when it holds the `.git` entry that leads here.
fn work_tree(repo: &Repository) -> Option<&Path> {
    let dir = repo.workdir()?;
    (!repo.is_bare() && dir.join(".git").exists()).then_some(dir)
}

/// Reads the repository's mailmap the way git does: the work tree's `.mailmap` (in a bare
/// repository, `HEAD:.mailmap`), then `mailmap.blob`, then `mailmap.file`; then `--mailmap`.
///
/// Like git, a `.mailmap` in the work tree that is a symbolic link is not followed (a
/// repository can commit one that points at `.git/config` or any file on the machine), and no
/// file is read past its cap or opened when it is a FIFO or a device. Warnings name the source
/// and the line; they quote the line only when its text came from the repository's own
/// committed blobs (a blob source, or a work-tree `.mailmap` identical to the one committed at
/// `HEAD`), never the text of any other file.
fn load_mailmap(
    repo: &Repository,
    opts: &ScanOptions<'_>,
    corrupt: &HashSet<Oid>,
    warnings: &mut Vec<String>,
) -> (Mailmap, String) {
    use crate::input::{self, Links};
    let mut map = Mailmap::new();
    // What was read, in order, for the cache key.
    let mut sources: Vec<(String, Vec<u8>)> = Vec::new();
    // Git reads files and blobs slightly differently (line-length limits, NUL bytes).
    let add = |map: &mut Mailmap,
               text: &[u8],
               source: &str,
               quote: bool,
               warnings: &mut Vec<String>,
               sources: &mut Vec<(String, Vec<u8>)>| {
        sources.push((format!("file {source}"), text.to_vec()));
        for w in map.add_text(text) {
            warnings.push(format!("{source} line {}: {}", w.line, w.text(quote)));
        }
    };
    let add_blob = |map: &mut Mailmap,
                    text: &[u8],
                    source: &str,
                    warnings: &mut Vec<String>,
                    sources: &mut Vec<(String, Vec<u8>)>| {
        sources.push((format!("blob {source}"), text.to_vec()));
        for w in map.add_blob_text(text) {
            warnings.push(format!(
                "{source} line {}: {} (line skipped)",
                w.line,
                w.text(true)
            ));
        }
    };
    if let Some(dir) = work_tree(repo) {
        match input::read_capped(&dir.join(".mailmap"), input::MAILMAP, Links::Refuse) {
            Ok(text) => {
                // Quoted only when it is what the repository committed.
                let quote = committed_blob(repo, ".mailmap", corrupt).as_deref() == Some(&text[..]);
                add(&mut map, &text, ".mailmap", quote, warnings, &mut sources);
            }
            Err(e) if e.is_missing() => {}
            Err(e @ input::InputError::Symlink { .. }) => warnings.push(format!(
                "{} (git does not follow it either)",
                e.renamed(".mailmap")
            )),
            Err(e) => warnings.push(crate::error::one_line(&e.renamed(".mailmap"))),
        }
    }
    let config = repo.config().ok();
    let blob_spec = config
        .as_ref()
        .and_then(|c| c.get_string("mailmap.blob").ok())
        .or_else(|| {
            work_tree(repo)
                .is_none()
                .then(|| "HEAD:.mailmap".to_string())
        });
    if let Some(spec) = blob_spec {
        match blob_at(repo, &spec, corrupt) {
            Ok(blob) => add_blob(&mut map, blob.content(), &spec, warnings, &mut sources),
            Err(e) if e.code() == ErrorCode::NotFound => {}
            Err(e) => warnings.push(format!("mailmap.blob {spec}: cannot read: {}", e.message())),
        }
    }
    if let Some(file) = config
        .as_ref()
        .and_then(|c| c.get_path("mailmap.file").ok())
    {
        // A path from git's configuration: followed like git follows it, but never quoted
        // (it may point anywhere on the machine).
        match input::read_capped(&file, input::MAILMAP, Links::Follow) {
            Ok(text) => add(
                &mut map,
                &text,
                &file.display().to_string(),
                false,
                warnings,
                &mut sources,
            ),
            Err(e) => warnings.push(format!("mailmap.file {}", crate::error::one_line(&e))),
        }
    }
    if let Some(text) = opts.extra_mailmap {
        add(
            &mut map,
            text,
            opts.extra_mailmap_name.unwrap_or("--mailmap"),
            false,
            warnings,
            &mut sources,
        );
    }
    (map, cache::mailmap_digest(&sources))
}

/// The contents of the regular file `path` committed at `HEAD`, when there is one.
fn committed_blob(repo: &Repository, path: &str, corrupt: &HashSet<Oid>) -> Option<Vec<u8>> {
    let head = repo.head().ok()?.target()?;
    if corrupt.contains(&head) {
        return None;
    }
    let commit = repo.find_commit(head).ok()?;
    if corrupt.contains(&commit.tree_id()) {
        return None;
    }
    let entry = commit.tree().ok()?.get_path(Path::new(path)).ok()?;
    let regular = matches!(entry.filemode(), 0o100644 | 0o100755);
    if !regular || corrupt.contains(&entry.id()) {
        return None;
    }
    over_cap(repo, entry.id(), crate::input::MAILMAP).ok()?;
    Some(repo.find_blob(entry.id()).ok()?.content().to_vec())
}

/// The blob named `REV:path` (or a blob id), reading no corrupt object on the way.
fn blob_at<'r>(
    repo: &'r Repository,
    spec: &str,
    corrupt: &HashSet<Oid>,
) -> Result<git2::Blob<'r>, git2::Error> {
    let check = |id: Oid| {
        if corrupt.contains(&id) {
            Err(corrupt_error(id))
        } else {
            Ok(id)
        }
    };
    let Some((rev, path)) = spec.split_once(':') else {
        let id = check(Oid::from_str(spec)?)?;
        over_cap(repo, id, crate::input::MAILMAP)?;
        return repo.find_blob(id);
    };
    let target = match repo.resolve_reference_from_short_name(rev) {
        Ok(r) => r
            .resolve()?
            .target()
            .ok_or_else(|| git2::Error::from_str("symbolic reference"))?,
        Err(_) => Oid::from_str(rev)?,
    };
    let tree_id = repo.find_commit(check(target)?)?.tree_id();
    let entry = repo.find_tree(check(tree_id)?)?.get_path(Path::new(path))?;
    // The file is listed but its blob may be absent (a blobless partial clone): that is not
    // "no mailmap", and must be said.
    let id = check(entry.id())?;
    over_cap(repo, id, crate::input::MAILMAP)?;
    repo.find_blob(id).map_err(|e| {
        git2::Error::from_str(&format!(
            "blob {id} is missing ({}); in a partial clone, fetch it with `git cat-file -p {spec}`",
            e.message()
        ))
    })
}

/// An error when blob `id` is larger than `cap`, found from its header (before it is read).
fn over_cap(repo: &Repository, id: Oid, cap: crate::input::Cap) -> Result<(), git2::Error> {
    match repo.odb().and_then(|odb| odb.read_header(id)) {
        Ok((size, _)) if size as u64 > cap.limit() => Err(git2::Error::from_str(&format!(
            "larger than the {} cap of {} bytes; not read (raise it with {}=BYTES)",
            cap.what,
            cap.limit(),
            cap.env
        ))),
        _ => Ok(()),
    }
}

/// `--rev` as git reads a range: `A..B` is (A, B), `A..` is (A, HEAD), `..B` is (HEAD, B); a
/// single revision (or none) excludes nothing. `A...B` (a symmetric difference) is not a range
/// here: it is passed on whole, and libgit2 says what it makes of it.
pub fn split_range(rev: Option<&str>) -> (Option<&str>, Option<&str>) {
    let Some(rev) = rev else {
        return (None, None);
    };
    match rev.split_once("..") {
        Some((a, b)) if !b.starts_with('.') => (
            Some(if a.is_empty() { "HEAD" } else { a }),
            Some(if b.is_empty() { "HEAD" } else { b }),
        ),
        _ => (None, Some(rev)),
    }
}

/// Which of `records` the revision `rev` reaches (they are outside the range `rev..`).
fn outside_range(
    repo: &Repository,
    display: &str,
    rev: &str,
    records: &[CommitRecord],
) -> Result<Vec<bool>, ScanError> {
    let err = |e: git2::Error| ScanError::Rev {
        path: display.to_string(),
        rev: rev.to_string(),
        source: git_error(e),
    };
    let from = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(err)?;
    let mut walk = repo.revwalk().map_err(err)?;
    walk.push(from.id()).map_err(err)?;
    let reached: HashSet<crate::classify::CommitId> =
        walk.filter_map(Result::ok).map(Into::into).collect();
    Ok(records.iter().map(|r| reached.contains(&r.id)).collect())
}

/// Resolves the commit to start from, with errors that say what to do.
fn start_commit(
    repo: &Repository,
    display: &str,
    rev: Option<&str>,
    corrupt: &HashSet<Oid>,
) -> Result<Option<Oid>, ScanError> {
    if let Some(rev) = rev {
        return repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| Some(c.id()))
            .map_err(|e| ScanError::Rev {
                path: display.to_string(),
                rev: rev.to_string(),
                source: git_error(e),
            });
    }
    match repo.head() {
        Ok(head) => {
            if let Some(id) = head.target().filter(|id| corrupt.contains(id)) {
                return Err(ScanError::Rev {
                    path: display.to_string(),
                    rev: "HEAD".to_string(),
                    source: git_error(git2::Error::from_str(&format!(
                        "commit {id} is corrupt (run `git fsck`)"
                    ))),
                });
            }
            head.peel_to_commit()
                .map(|c| Some(c.id()))
                .map_err(|e| ScanError::Rev {
                    path: display.to_string(),
                    rev: "HEAD".to_string(),
                    source: git_error(e),
                })
        }
        Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound => {
            let mut branches: Vec<String> = repo
                .branches(None)
                .map(|it| {
                    it.filter_map(|b| b.ok())
                        .filter_map(|(b, _)| b.name().ok().flatten().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if branches.is_empty() {
                // No branches at all: an empty repository.
                return Ok(None);
            }
            branches.sort();
            let branch = repo
                .find_reference("HEAD")
                .ok()
                .and_then(|r| {
                    r.symbolic_target()
                        .ok()
                        .flatten()
                        .map(|s| s.trim_start_matches("refs/heads/").to_string())
                })
                .unwrap_or_else(|| "HEAD".to_string());
            let shown: Vec<&str> = branches.iter().take(5).map(String::as_str).collect();
            Err(ScanError::UnbornHead {
                path: display.to_string(),
                branch,
                hint: format!("branches: {}", shown.join(", ")),
            })
        }
        Err(e) => Err(ScanError::Rev {
            path: display.to_string(),
            rev: "HEAD".to_string(),
            source: git_error(e),
        }),
    }
}

/// Scans one repository: walks the history from the start revision and classifies every commit.
/// What the scan read with (object readers and their caches, the pack maps, the record cache,
/// the walk's maps) is released before it returns, so scanning many repositories holds only
/// their records.
pub fn scan_repo(target: &RepoTarget, opts: &ScanOptions<'_>) -> Result<RepoScan, ScanError> {
    let scan = scan_one(target, opts);
    release_freed_memory();
    scan
}

/// Opens the repository a target names, exactly there (no discovery upwards).
fn open_target(target: &RepoTarget) -> Result<Repository, ScanError> {
    init_git();
    open_exact(&target.path).map_err(|e| ScanError::Open {
        path: target.display.clone(),
        source: git_error(e),
    })
}

fn scan_one(target: &RepoTarget, opts: &ScanOptions<'_>) -> Result<RepoScan, ScanError> {
    let display = target.display.as_str();
    let repo = open_target(target)?;
    let mut warnings = Vec::new();
    let shallow = repo.is_shallow();
    if shallow {
        warnings.push(SHALLOW.to_string());
    }
    let name = repo_name(target);
    let corrupt = corrupt_objects(&repo, &mut warnings);
    // A damaged pack makes HEAD "not found": say what is wrong instead.
    let damaged = |e: ScanError| match packs::damaged_pack(&repo.commondir().join("objects")) {
        Some(damage) => ScanError::Corrupt {
            path: display.to_string(),
            message: crate::error::one_line(&damage),
        },
        None => e,
    };
    // `--rev A..B`: walk from B (the whole history, for newcomers), and mark what A reaches
    // as outside the range (no credit for it).
    let (excluded_rev, tip_rev) = split_range(opts.rev);
    let Some(start) = start_commit(&repo, display, tip_rev, &corrupt).map_err(damaged)? else {
        warnings.push("repository has no commits".to_string());
        return no_commits(&repo, name, display, shallow, warnings, opts);
    };
    let (rules, config_digest, config_file) =
        repo_rules(&repo, display, start, &corrupt, opts, &mut warnings)?;
    let (mailmap, mailmap_digest) = load_mailmap(&repo, opts, &corrupt, &mut warnings);

    let walk_err = |message: String| ScanError::Walk {
        path: display.to_string(),
        rev: opts.rev.unwrap_or("HEAD").to_string(),
        message,
    };
    let timing = std::env::var_os("GLUEWORK_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let common_dir = repo.commondir().to_path_buf();
    let grafts = walk::Grafts::read(&common_dir);
    warnings.extend(grafts.warnings.iter().cloned());
    let corrupt = Arc::new(corrupt);
    let objects = odb::Objects::open(&common_dir, corrupt.clone()).map_err(|source| {
        damaged(ScanError::Objects {
            path: display.to_string(),
            rev: opts.rev.unwrap_or("HEAD").to_string(),
            source,
        })
    })?;
    let readers = Readers::new(&objects);

    // The cache answers for the commits it holds; the rest are read.
    let (mut cache, cache_warning) = match opts.cache {
        Some(dir) => {
            let key = cache::key(&config_digest, &mailmap_digest, &grafts.digest_input);
            let (c, w) = open_cache(&repo, dir, key, start);
            (Some(c), w)
        }
        None => (None, None),
    };
    let mut local_warnings: Vec<String> = cache_warning.into_iter().collect();
    let t_cache = t0.elapsed();

    let ctx = ReadCtx {
        rules: &rules,
        mailmap: &mailmap,
        grafts: &grafts,
        readers: &readers,
        progress: opts.progress,
    };
    let (walked, history) = walk_and_read(&ctx, cache.as_ref(), start, &corrupt, &mut warnings, t0);
    walked.map_err(|e| damaged(walk_err(e.0)))?;
    let t_walk = history.walk_time;
    let t_read = t0.elapsed();
    let total = history.order.len();
    if let Some(p) = opts.progress {
        p(RepoProgress::Total(total as u64));
        p(RepoProgress::Done(history.cached));
    }

    let Assembled {
        mut records,
        clean,
        commit_warnings,
        reused,
        read: n_read,
    } = assemble(&history.order, history.runs, cache.as_mut());
    share_names(&mut records);
    // The identities .mailmap rewrote: in the commits read now, and in the cached ones.
    let cached_rewrites = cache.as_ref().map(|c| c.rewrites().to_vec());
    let union = |mut r: Vec<crate::ident::Rewrite>| {
        r.extend(cached_rewrites.iter().flatten().cloned());
        r.sort_unstable();
        r.dedup();
        r
    };
    if let Some(c) = cache.as_mut() {
        let rewrites = union(mailmap.rewrites());
        if let Err(e) = c.save(start, &history.order, &records, &clean, &rewrites, reused) {
            local_warnings.push(format!(
                "cannot save the cache: {}",
                crate::error::one_line(&e)
            ));
        }
    }
    // After the cache is saved: notes are read afresh on every scan.
    notes::apply(
        &repo,
        opts.notes,
        &mailmap,
        &corrupt,
        &mut records,
        &mut warnings,
    );
    if timing {
        eprintln!(
            "timing: {display}: cache {t_cache:?}, walk {t_walk:?}, walk and read {t_read:?} ({n_read} of {total} commits read), assemble and cache {:?}, peak memory so far {}",
            t0.elapsed() - t_read,
            peak_memory()
        );
    }
    add_commit_warnings(&mut warnings, commit_warnings);
    cap_warnings(&mut warnings);
    let outside = match excluded_rev {
        Some(rev) => outside_range(&repo, display, rev, &records)?,
        None => Vec::new(),
    };
    let warnings_repeated = !warnings.is_empty()
        && cache
            .as_ref()
            .is_some_and(|c| c.warnings_unchanged(&warnings));
    Ok(RepoScan {
        name,
        path: display.to_string(),
        head: Some(start.to_string()),
        remote: origin(&repo),
        origin: origin_key(&repo),
        shallow,
        records,
        // With the credit lines of review notes, read afresh on every scan.
        rewrites: union(mailmap.rewrites()),
        warnings,
        rules,
        config_digest,
        config_file,
        local_warnings,
        warnings_repeated,
        outside,
    })
}

/// The warning of a shallow clone.
const SHALLOW: &str = "shallow clone: history is cut, so counts are partial and newcomers cannot be judged (fetch the full history, e.g. `git fetch --unshallow`)";

/// The scan of a repository with no commits: its name and remote, the configuration's rules
/// (no repository file to read), and the warnings so far.
fn no_commits(
    repo: &Repository,
    name: String,
    display: &str,
    shallow: bool,
    warnings: Vec<String>,
    opts: &ScanOptions<'_>,
) -> Result<RepoScan, ScanError> {
    let (rules, config_digest) = (opts.rules)(None).map_err(|source| ScanError::Config {
        path: display.to_string(),
        source,
    })?;
    Ok(RepoScan {
        name,
        path: display.to_string(),
        head: None,
        remote: origin(repo),
        origin: origin_key(repo),
        shallow,
        records: Vec::new(),
        rewrites: Vec::new(),
        warnings,
        rules,
        config_digest,
        config_file: None,
        local_warnings: Vec::new(),
        warnings_repeated: false,
        outside: Vec::new(),
    })
}

/// The repository's objects that libgit2 would hang on, each with a warning. Read before
/// libgit2 reads anything: it would hang on a truncated loose object.
fn corrupt_objects(repo: &Repository, warnings: &mut Vec<String>) -> HashSet<Oid> {
    let corrupt = loose::corrupt_objects(&repo.path().join("objects"));
    let mut corrupt_list: Vec<&Oid> = corrupt.iter().collect();
    corrupt_list.sort();
    for oid in corrupt_list {
        warnings.push(format!(
            "object {oid} is corrupt (run `git fsck`); commits that need it are judged without it"
        ));
    }
    corrupt
}

/// The rules the repository is classified with: the configuration's, with the repository's own
/// file at `start` applied (its digest, and the file). A file that says something wrong stops
/// the scan; one that cannot be read at all (a missing or corrupt object, a partial clone) is
/// a warning.
fn repo_rules(
    repo: &Repository,
    display: &str,
    start: Oid,
    corrupt: &HashSet<Oid>,
    opts: &ScanOptions<'_>,
    warnings: &mut Vec<String>,
) -> Result<(Arc<CompiledRules>, String, Option<ConfigFile>), ScanError> {
    let config_file = match read_repo_config(repo, start, corrupt) {
        Ok(file) => file,
        // A configuration that is not text stops the scan; one that cannot be read at all (a
        // missing or corrupt object, a partial clone) is a warning.
        Err(ReadConfig::NotUtf8(e)) => return Err(e.of(display)),
        Err(ReadConfig::Unreadable(w)) => {
            warnings.push(w);
            None
        }
    };
    // What the file says is judged by the caller (a file that says something wrong stops
    // the scan).
    let (rules, config_digest) =
        (opts.rules)(config_file.as_ref()).map_err(|source| ScanError::Config {
            path: display.to_string(),
            source,
        })?;
    Ok((rules, config_digest, config_file))
}

/// The repository's record cache in `dir`, keeping its records only when its table of
/// .mailmap rewrites holds for the walk from `start` (`Cache::keep_if_rewrites_hold`).
fn open_cache(
    repo: &Repository,
    dir: &Path,
    key: String,
    start: Oid,
) -> (cache::Cache, Option<String>) {
    let (mut c, w) = cache::Cache::open(dir, repo.path(), key);
    c.keep_if_rewrites_hold(start, |tip| {
        repo.graph_descendant_of(start, tip).unwrap_or(false)
    });
    (c, w)
}

/// One copy of each name for the whole history (runs and cache blocks each had their own).
fn share_names(records: &mut [CommitRecord]) {
    let mut names = classify::Interner::default();
    for r in records {
        names.record(r);
    }
}

/// The history as walked: every commit's id, newest first, and the runs of commits read.
struct History {
    order: Vec<Oid>,
    /// The runs read, each with its index in walk order (in any order).
    runs: Vec<(usize, Vec<Read>)>,
    /// How many commits the cache held.
    cached: u64,
    /// When the walk ended, since the scan began.
    walk_time: std::time::Duration,
}

/// Walks the history from `start`, newest first: from the cache when it holds the walk from
/// this very commit, else walked (reading only the commits the cache does not hold). Commits to
/// read go to the workers in runs of consecutive walk positions while the walk goes on; each
/// run is read by one worker with its own reader, oldest first (a commit's tree is its child's
/// parent tree).
fn walk_and_read(
    ctx: &ReadCtx<'_>,
    cache: Option<&cache::Cache>,
    start: Oid,
    corrupt: &HashSet<Oid>,
    warnings: &mut Vec<String>,
    t0: std::time::Instant,
) -> (Result<(), odb::ReadError>, History) {
    let cached = |id: &Oid| cache.is_some_and(|c| c.get(id).is_some());
    let (readers, grafts, progress) = (ctx.readers, ctx.grafts, ctx.progress);
    let done: std::sync::Mutex<Vec<(usize, Vec<Read>)>> = std::sync::Mutex::new(Vec::new());
    let mut order: Vec<Oid> = Vec::new();
    let mut n_cached = 0u64;
    let mut t_walk = std::time::Duration::ZERO;
    // Runs waiting for a worker, oldest first. The walk is several times faster than reading
    // and classifying, so without a bound it would hold every commit's raw bytes at once (on
    // git.git, ~100 MB): when more than `MAX_WAITING` commits wait, the walk reads the oldest
    // waiting run itself before it goes on. Each spawned task reads whichever run is oldest.
    let waiting: std::sync::Mutex<std::collections::VecDeque<(usize, Vec<walk::Item>)>> =
        std::sync::Mutex::new(std::collections::VecDeque::new());
    let walked = rayon::scope(|s| {
        let (done, waiting) = (&done, &waiting);
        let read_oldest = move || {
            let next = waiting.lock().ok().and_then(|mut q| q.pop_front());
            let Some((index, run)) = next else {
                return false;
            };
            let out = read_run(ctx, run);
            if let Ok(mut d) = done.lock() {
                d.push((index, out));
            }
            true
        };
        let mut run: Vec<walk::Item> = Vec::new();
        let mut run_size = RUN_FIRST;
        let mut runs = 0;
        let mut send = |run: Vec<walk::Item>| {
            let index = runs;
            runs += 1;
            if let Ok(mut q) = waiting.lock() {
                q.push_back((index, run));
            }
            s.spawn(move |_| {
                read_oldest();
            });
            let queued = || {
                waiting
                    .lock()
                    .map(|q| q.iter().map(|(_, r)| r.len()).sum::<usize>())
                    .unwrap_or(0)
            };
            while queued() > MAX_WAITING && read_oldest() {}
        };
        let mut emit = |item: walk::Item| {
            order.push(item.id);
            // The total is known once the walk ends; until then, how many it found so far.
            if order.len().is_multiple_of(RUN_FIRST) {
                if let Some(p) = progress {
                    p(RepoProgress::Found(order.len() as u64));
                }
            }
            if cached(&item.id) {
                n_cached += 1;
                return;
            }
            run.push(item);
            if run.len() == run_size {
                send(std::mem::take(&mut run));
                run_size = (run_size * 2).min(RUN_MAX);
            }
        };
        let result = match cache.and_then(|c| c.walk_from(start)) {
            Some(ids) => {
                for &id in ids {
                    emit(walk::Item {
                        id,
                        data: None,
                        parent_tree: None,
                    });
                }
                Ok(())
            }
            None => {
                let reader = readers.take();
                let r = if corrupt.is_empty() {
                    let known = |id: Oid| {
                        let r = cache?.get(&id)?;
                        let parents: Vec<Oid> = r.parents.iter().map(|&p| p.into()).collect();
                        Some((r.time, parents))
                    };
                    walk::walk(&reader, start, grafts, &known, &mut emit)
                } else {
                    walk::careful_walk(&reader, start, grafts, corrupt, warnings, &mut emit)
                };
                readers.give(reader);
                r
            }
        };
        if !run.is_empty() {
            send(std::mem::take(&mut run));
        }
        t_walk = t0.elapsed();
        result
    });
    let history = History {
        order,
        runs: done.into_inner().unwrap_or_default(),
        cached: n_cached,
        walk_time: t_walk,
    };
    (walked, history)
}

/// The records in walk order, cached and read commits together.
struct Assembled {
    records: Vec<CommitRecord>,
    /// Per record: read without a warning (or cached), so the cache may keep it.
    clean: Vec<bool>,
    commit_warnings: Vec<String>,
    /// Whether every clean record came from the cache (then the file needs no rewrite).
    reused: bool,
    /// How many commits were read (not cached).
    read: usize,
}

/// Puts the history's records in walk order: each from the cache when it holds it, else the
/// next one read.
fn assemble(
    order: &[Oid],
    mut runs: Vec<(usize, Vec<Read>)>,
    mut cache: Option<&mut cache::Cache>,
) -> Assembled {
    runs.sort_unstable_by_key(|(i, _)| *i);
    let mut read = runs.into_iter().flat_map(|(_, run)| run);
    let mut out = Assembled {
        records: Vec::with_capacity(order.len()),
        clean: Vec::with_capacity(order.len()),
        commit_warnings: Vec::new(),
        reused: true,
        read: 0,
    };
    for id in order {
        match cache.as_mut().and_then(|c| c.take(id)) {
            Some(rec) => {
                out.records.push(rec);
                out.clean.push(true);
            }
            None => {
                out.read += 1;
                let (rec, warn) = read.next().unwrap_or((None, None));
                if let Some(r) = rec {
                    out.reused &= warn.is_some();
                    out.clean.push(warn.is_none());
                    out.records.push(r);
                }
                out.commit_warnings.extend(warn);
            }
        }
    }
    out
}

/// Adds the commits' warnings, sorted, at most `MAX_COMMIT_WARNINGS` of them and a line for
/// the rest.
fn add_commit_warnings(warnings: &mut Vec<String>, mut commit_warnings: Vec<String>) {
    commit_warnings.sort();
    let extra = commit_warnings.len().saturating_sub(MAX_COMMIT_WARNINGS);
    commit_warnings.truncate(MAX_COMMIT_WARNINGS);
    warnings.extend(commit_warnings);
    if extra > 0 {
        warnings.push(format!("… and {extra} more commit warnings"));
    }
}

/// Gives the memory freed by a repository's scan back to the system. The allocator keeps freed
/// memory for reuse, in pieces between what is still in use (each repository's records), so
/// with many repositories the process grew by what every scan had used and freed (a fleet of
/// 300 repositories with loose objects: 284 MiB after 100, 492 MiB after 200, while the heap in
/// use never passed 50 MiB). `malloc_trim` returns the free pages of every arena.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's own arenas to the
    // system; it is thread-safe and touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The `origin` remote's host and path, on any host (read from the configuration only).
fn origin_key(repo: &git2::Repository) -> Option<String> {
    let remote = repo.find_remote("origin").ok()?;
    remote::origin_key(&String::from_utf8_lossy(remote.url_bytes()))
}

/// The web address of the `origin` remote (read from the configuration only).
fn origin(repo: &Repository) -> Option<remote::Remote> {
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url_bytes();
    remote::web_remote(&String::from_utf8_lossy(url))
}

/// A libgit2 error, shown by its message alone (its own text adds `; class=…; code=…`).
fn git_error(e: git2::Error) -> Vetted<git2::Error> {
    let text = e.message().to_string();
    Vetted::with_text(e, text)
}

fn corrupt_error(oid: Oid) -> git2::Error {
    git2::Error::from_str(&format!("object {oid} is corrupt"))
}

/// The `.gluework.toml` of a repository at a revision (default HEAD), for `config show`.
pub fn repo_config(
    target: &RepoTarget,
    rev: Option<&str>,
) -> Result<Option<ConfigFile>, ScanError> {
    let display = target.display.as_str();
    let repo = open_target(target)?;
    let corrupt = loose::corrupt_objects(&repo.path().join("objects"));
    match start_commit(&repo, display, rev, &corrupt)? {
        None => Ok(None),
        Some(start) => match read_repo_config(&repo, start, &corrupt) {
            Ok(file) => Ok(file),
            Err(ReadConfig::NotUtf8(e)) => Err(e.of(display)),
            Err(ReadConfig::Unreadable(message)) => Err(ScanError::ConfigUnreadable {
                path: display.to_string(),
                message,
            }),
        },
    }
}

/// Reads `.gluework.toml` from the tree of the commit being scanned (never the work tree, so
/// bare repositories and historic scans see the configuration of what they scan).
fn read_repo_config(
    repo: &Repository,
    start: Oid,
    corrupt: &HashSet<Oid>,
) -> Result<Option<ConfigFile>, ReadConfig> {
    let name = format!("{REPO_CONFIG} at {}", &start.to_string()[..12]);
    let unreadable = |what: String| {
        ReadConfig::Unreadable(format!(
            "{name}: cannot read {what}; scanned without the repository's configuration"
        ))
    };
    let commit = repo
        .find_commit(start)
        .map_err(|e| unreadable(format!("the commit ({})", e.message())))?;
    if corrupt.contains(&commit.tree_id()) {
        return Err(unreadable("the tree (corrupt object)".to_string()));
    }
    let tree = commit
        .tree()
        .map_err(|e| unreadable(format!("the tree ({})", e.message())))?;
    let Some(entry) = tree.get_name(REPO_CONFIG) else {
        return Ok(None);
    };
    if corrupt.contains(&entry.id()) {
        return Err(unreadable("the file (corrupt object)".to_string()));
    }
    // git checks a link out as a link: its text is a path, never configuration to follow.
    if entry.filemode() == 0o120000 {
        return Err(ReadConfig::Unreadable(format!(
            "{name}: is a symbolic link; not followed; scanned without the repository's configuration"
        )));
    }
    let cap = crate::input::CONFIG;
    match repo.odb().and_then(|odb| odb.read_header(entry.id())) {
        Ok((size, _)) if size as u64 > cap.limit() => {
            return Err(ReadConfig::Unreadable(format!(
                "{name}: larger than the {} cap of {} bytes; not read (raise it with {}=BYTES); scanned without the repository's configuration",
                cap.what,
                cap.limit(),
                cap.env
            )))
        }
        _ => {}
    }
    let blob = repo
        .find_blob(entry.id())
        .map_err(|e| unreadable(format!("the file ({})", e.message())))?;
    match std::str::from_utf8(blob.content()) {
        Ok(text) => Ok(Some(ConfigFile {
            name,
            text: text.to_string(),
        })),
        Err(source) => Err(ReadConfig::NotUtf8(NotUtf8 { name, source })),
    }
}

/// A configuration file that is not UTF-8.
struct NotUtf8 {
    name: String,
    source: std::str::Utf8Error,
}

impl NotUtf8 {
    /// The error of the repository at `path`.
    fn of(self, path: &str) -> ScanError {
        ScanError::ConfigNotUtf8 {
            path: path.to_string(),
            name: self.name,
            source: self.source,
        }
    }
}

/// Why a repository's configuration was not read.
enum ReadConfig {
    /// It is not text: the scan of this repository stops.
    NotUtf8(NotUtf8),
    /// It could not be read: a warning.
    Unreadable(String),
}

/// Decodes text stored in `encoding` (the commit's `encoding` header; UTF-8 when absent).
/// Returns the text and whether it had to be decoded lossily.
fn decode<'a>(
    bytes: &'a [u8],
    encoding: Option<&'static encoding_rs::Encoding>,
) -> (Cow<'a, str>, bool) {
    match encoding {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            (text, had_errors)
        }
        // Undeclared bytes that are not UTF-8 are nearly always Latin-1 or Windows-1252 from an
        // old tool: read them so ("Zoë", not "Zo\u{FFFD}"); the caller warns.
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => (
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0,
                true,
            ),
        },
    }
}

/// A read commit: its record (`None` when it could not be read) and a warning.
type Read = (Option<CommitRecord>, Option<String>);

/// Readers for the workers of one scan, reused from chunk to chunk so that their caches stay
/// warm.
struct Readers<'o> {
    objects: &'o odb::Objects,
    idle: std::sync::Mutex<Vec<odb::Reader>>,
}

impl<'o> Readers<'o> {
    fn new(objects: &'o odb::Objects) -> Self {
        Readers {
            objects,
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn take(&self) -> odb::Reader {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        idle.unwrap_or_else(|| self.objects.reader())
    }

    fn give(&self, reader: odb::Reader) {
        if let Ok(mut v) = self.idle.lock() {
            v.push(reader);
        }
    }
}

/// Commits per run handed to a worker: the first runs are small, so that every worker starts
/// soon, and each is twice the last up to `RUN_MAX`. Long runs keep a reader's caches warm: at
/// 100k commits, growing runs instead of runs of 1,024 took ~10% off the CPU time of a scan with
/// two workers (measured: docs/performance.md).
const RUN_FIRST: usize = 1024;
const RUN_MAX: usize = 16384;

/// At most this many walked commits wait for a worker (their raw bytes in memory) before the
/// walk reads a waiting run itself: two of the longest runs. With one, git.git's cold scan took
/// 4.0 s instead of 3.5 s (the walk stopped to read with a third, cold reader); with two, 3.5 s
/// and 305 MiB at the peak (255 MiB with one, 376 MiB for `git log`).
const MAX_WAITING: usize = 2 * RUN_MAX;

/// What every worker needs.
struct ReadCtx<'a> {
    rules: &'a CompiledRules,
    mailmap: &'a Mailmap,
    grafts: &'a walk::Grafts,
    readers: &'a Readers<'a>,
    progress: Option<&'a (dyn Fn(RepoProgress) + Sync)>,
}

/// Reads a run of commits (newest first) with one reader. They are read oldest first, so that
/// a commit's tree, loaded for its own diff, is still at hand as its child's parent tree;
/// results come back in walk order.
fn read_run(ctx: &ReadCtx<'_>, run: Vec<walk::Item>) -> Vec<Read> {
    let reader = ctx.readers.take();
    let mut trees = tree::TreeReader::new(&reader);
    let mut tree_of: ids::IdMap<Oid> = ids::IdMap::default();
    let mut buf = Vec::new();
    let n = run.len();
    // Records share their names within the run at once (and across runs once all are read).
    let mut names = classify::Interner::default();
    // Each commit's raw bytes are freed as soon as it is read.
    let mut out: Vec<Read> = run
        .into_iter()
        .rev()
        .map(|item| {
            let mut read = read_commit(ctx, &item, &reader, &mut trees, &mut tree_of, &mut buf);
            if let Some(r) = &mut read.0 {
                names.record(r);
            }
            read
        })
        .collect();
    drop(trees);
    ctx.readers.give(reader);
    // The pages of the pack this run read are released (they stay in the page cache).
    ctx.readers.objects.release_pages();
    out.reverse();
    if let Some(p) = ctx.progress {
        p(RepoProgress::Done(n as u64));
    }
    out
}

/// Reads one commit's facts and classifies it. A commit that cannot be read is skipped with a
/// warning; a commit whose trees cannot be read is judged by its message, with a warning.
fn read_commit(
    ctx: &ReadCtx<'_>,
    item: &walk::Item,
    reader: &odb::Reader,
    trees: &mut tree::TreeReader<'_>,
    tree_of: &mut ids::IdMap<Oid>,
    buf: &mut Vec<u8>,
) -> Read {
    let oid = item.id;
    let data: &[u8] = match &item.data {
        Some(data) => data,
        None => match reader.read(oid, odb::Kind::Commit, buf) {
            Ok(()) => buf,
            Err(e) => return (None, Some(format!("commit {oid}: cannot read: {e}"))),
        },
    };
    let commit = match commit::parse(data) {
        Ok(c) => c,
        Err(e) => return (None, Some(format!("commit {oid}: cannot read: {e}"))),
    };
    let mut warning = None;
    let encoding = match commit.encoding {
        None => None,
        Some(l) => match encoding_rs::Encoding::for_label(l.trim().as_bytes()) {
            Some(e) => Some(e),
            None => {
                warning = Some(format!(
                    "commit {oid}: unknown encoding '{l}', read as UTF-8"
                ));
                None
            }
        },
    };
    let (message, lossy) = decode(commit.message, encoding);
    if lossy && warning.is_none() {
        warning = Some(match encoding {
            Some(e) => format!("commit {oid}: message is not valid {}; undecodable bytes replaced", e.name()),
            None => format!("commit {oid}: message is not valid UTF-8 and declares no encoding; read as Windows-1252"),
        });
    }
    let sig = |s: &commit::RawSig<'_>| Signature {
        name: decode(s.name, encoding).0.into_owned(),
        email: decode(s.email, encoding).0.into_owned(),
        time: s.time,
    };
    let parents = ctx.grafts.apply(oid, commit.parents.clone());
    tree_of.insert(oid, commit.tree);
    let mut gitlinks = 0;
    let paths = if parents.len() <= 1 {
        let old = match parents.first() {
            None => Ok(None),
            Some(p) => match tree_of.get(p).copied().or(item.parent_tree) {
                Some(t) => Ok(Some(t)),
                None => parent_tree(reader, *p),
            },
        };
        let mut paths = Vec::new();
        match old.and_then(|old| trees.changed_paths(old, Some(commit.tree), &mut paths)) {
            Ok(()) => {
                gitlinks = trees.gitlinks;
                Some(paths)
            }
            Err(e) => {
                warning = Some(format!(
                    "commit {oid}: cannot read its changes ({e}); judged by its message alone"
                ));
                None
            }
        }
    } else {
        None
    };
    let facts = CommitFacts {
        id: oid.into(),
        parents: parents.iter().map(|&p| p.into()).collect(),
        author: sig(&commit.author),
        committer: sig(&commit.committer),
        message: message.into_owned(),
        paths,
        gitlinks,
    };
    (
        Some(classify::classify(&facts, ctx.rules, ctx.mailmap)),
        warning,
    )
}

/// The tree of commit `id`, read for its child's diff.
fn parent_tree(reader: &odb::Reader, id: Oid) -> Result<Option<Oid>, odb::ReadError> {
    let mut buf = Vec::new();
    reader.read(id, odb::Kind::Commit, &mut buf)?;
    let c = commit::parse(&buf).map_err(|e| odb::ReadError(format!("commit {id}: {e}")))?;
    Ok(Some(c.tree))
}

/// The process's peak resident memory so far, for `GLUEWORK_TIMING` (Linux only).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_string()))
        })
        .unwrap_or_else(|| "unknown".to_string())
}
