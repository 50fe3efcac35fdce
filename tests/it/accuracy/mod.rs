//! Credit accuracy (issue 4): gluework agrees with git wherever git defines the answer.
//!
//! * `history`: `git_trailers` against `git interpret-trailers --parse` on every message of this
//!   repository's own history, of every fixture repository and of a larger generated one; and
//!   gluework's credit lines always start with exactly git's trailers.
//! * `identity`: every identity gluework sees (author, committer, co-authors, people in credit
//!   lines) against `git check-mailmap`, and people merged exactly by the documented rule.
//! * `counts`: per-person trailer credits and docs-only commits computed with plain `git log`
//!   pipelines, against gluework's JSON report, with every deliberate difference stated.
//!
//! The fixture repositories come from fixtures/build.sh (tests/it/support); the generated one is
//! built here with `git fast-import` (see `generated.rs`). docs/credit-accuracy.md explains the
//! rules these tests hold gluework to.

use crate::support as common;

mod counts;
mod generated;
mod gitcmd;
mod history;
mod identity;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A fixture repository with history, and the revision gluework scans in it.
pub struct FixtureRepo {
    /// The path under the fixtures folder (`team`, `multi/a`).
    pub name: String,
    pub path: PathBuf,
    /// `None`: HEAD. A repository whose HEAD is unborn is scanned at its first branch.
    pub rev: Option<String>,
}

/// Every fixture repository that has commits, found under the fixtures folder (so a new
/// fixture is checked without being listed here), in name order.
pub fn fixture_repos() -> &'static [FixtureRepo] {
    static REPOS: OnceLock<Vec<FixtureRepo>> = OnceLock::new();
    REPOS.get_or_init(|| {
        let root = common::fixtures();
        let mut found = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let is_repo = dir.join(".git").exists()
                || (dir.join("HEAD").is_file() && dir.join("objects").is_dir());
            if is_repo {
                let name = dir
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if let Some(rev) = start_revision(&dir) {
                    found.push(FixtureRepo {
                        name,
                        path: dir,
                        rev,
                    });
                }
                continue;
            }
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() && !p.ends_with("accuracy-generated") {
                    stack.push(p);
                }
            }
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        for must in [
            "team",
            "team-bare",
            "configured",
            "multi/a",
            "non-utf8",
            "unborn",
        ] {
            assert!(
                names.contains(&must),
                "fixture {must} not found among {names:?}"
            );
        }
        found
    })
}

/// `Some(None)` when HEAD is a commit, `Some(Some(branch))` for the first branch when HEAD is
/// unborn, `None` when the repository has no commits at all.
fn start_revision(repo: &Path) -> Option<Option<String>> {
    let mut head = gitcmd::git(repo);
    head.args(["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
    if gitcmd::try_run(head).is_some() {
        return Some(None);
    }
    let mut branches = gitcmd::git(repo);
    branches.args([
        "for-each-ref",
        "--count=1",
        "--format=%(refname:short)",
        "refs/heads",
    ]);
    let out = gitcmd::try_run(branches)?;
    let branch = String::from_utf8(out).ok()?.trim().to_owned();
    (!branch.is_empty()).then_some(Some(branch))
}

/// Commits in the generated repository.
pub const GENERATED_COMMITS: usize = 2_000;

/// The generated repository, built once per test binary next to the fixtures.
pub fn generated() -> &'static generated::Generated {
    static GEN: OnceLock<generated::Generated> = OnceLock::new();
    GEN.get_or_init(|| {
        let dir = common::fixtures().join("accuracy-generated");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the generated repository's folder");
        generated::build(&dir, GENERATED_COMMITS)
    })
}

pub fn fixture(name: &str) -> PathBuf {
    common::fixtures().join(name)
}

/// gluework's JSON report for one repository (scanned at `rev`).
pub fn report(repo: &Path, rev: Option<&str>) -> serde_json::Value {
    let path = repo.to_str().expect("UTF-8 path");
    let mut args = vec!["scan", "--json", "-", "-q", path];
    if let Some(r) = rev {
        args.extend(["--rev", r]);
    }
    let out = common::gluework(repo.parent().unwrap(), &args);
    assert!(
        out.status.success(),
        "gluework {args:?} failed: {}",
        common::stderr(&out)
    );
    common::parse(&common::stdout(&out))
}
