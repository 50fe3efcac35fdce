//! The cache of per-commit facts: a cached scan's report equals a cold one, byte for byte,
//! and a corrupt or foreign cache file is ignored with a warning, never trusted.

use crate::support as common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn scan(cwd: &Path, cache: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_gluework"))
        .arg("scan")
        .args(args)
        .args(["--json", "-"])
        .current_dir(cwd)
        .env("GLUEWORK_CACHE_DIR", cache)
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn cache_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn cached_scan_equals_cold_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cold = scan(
        fixtures(),
        &cache,
        &["team", "multi", "configured", "-q", "--no-cache"],
    );
    assert!(cache_files(&cache).is_empty(), "--no-cache writes no cache");
    // A cache file of an earlier version's JSON format is removed when its repository's
    // file is written; other files are left alone.
    std::fs::create_dir_all(&cache).unwrap();
    let stray = cache.join("notes.txt");
    std::fs::write(&stray, "mine").unwrap();
    let first = scan(fixtures(), &cache, &["team", "-q"]);
    let bin = cache_files(&cache)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "bin"))
        .unwrap();
    let old = bin.with_extension("json");
    std::fs::write(&old, "{}").unwrap();
    std::fs::remove_file(&bin).unwrap();
    assert!(stdout(&first) == stdout(&scan(fixtures(), &cache, &["team", "-q"])));
    assert!(bin.is_file() && !old.exists() && stray.is_file());
    std::fs::remove_file(&stray).unwrap();

    let first = scan(fixtures(), &cache, &["team", "multi", "configured", "-q"]);
    assert_eq!(cache_files(&cache).len(), 5, "one file per repository");
    let warm = scan(fixtures(), &cache, &["team", "multi", "configured", "-q"]);
    assert!(
        stdout(&cold) == stdout(&first),
        "first cached run differs from cold"
    );
    assert!(stdout(&cold) == stdout(&warm), "warm run differs from cold");
    // Commits read with a warning are never cached: their warnings come back every time, in
    // the report; the terminal lists them the first time and then says they are unchanged.
    let a = scan(fixtures(), &cache, &["non-utf8", "corrupt-object"]);
    let b = scan(fixtures(), &cache, &["non-utf8", "corrupt-object"]);
    assert!(
        stdout(&a) == stdout(&b),
        "warned commits differ between runs"
    );
    assert!(
        stderr(&a).contains("read as Windows-1252"),
        "{}",
        stderr(&a)
    );
    assert!(
        stderr(&b).contains("warning: non-utf8: 1 warning, the same as at the last scan"),
        "{}",
        stderr(&b)
    );
}

#[test]
fn new_commits_are_read_and_old_ones_come_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let repo = tmp.path().join("team");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", tmp.path().join("no-gitconfig"))
            .env("GIT_AUTHOR_NAME", "New Person")
            .env("GIT_AUTHOR_EMAIL", "new@example.com")
            .env("GIT_AUTHOR_DATE", "2024-07-01T10:00:00Z")
            .env("GIT_COMMITTER_NAME", "New Person")
            .env("GIT_COMMITTER_EMAIL", "new@example.com")
            .env("GIT_COMMITTER_DATE", "2024-07-01T10:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let out = Command::new("git")
        .arg("clone")
        .arg("-q")
        .arg(fixtures().join("team"))
        .arg(&repo)
        .output()
        .unwrap();
    assert!(out.status.success());
    scan(tmp.path(), &cache, &["team", "-q"]);
    git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "docs: a note\n\nReviewed-by: Maya Lindqvist <1001+maint@users.noreply.github.com>",
    ]);
    let warm = scan(tmp.path(), &cache, &["team", "-q"]);
    let cold = scan(tmp.path(), &cache, &["team", "-q", "--no-cache"]);
    assert!(
        stdout(&warm) == stdout(&cold),
        "incremental run differs from cold"
    );
    assert!(stdout(&warm).contains("docs: a note"));
}

#[test]
fn a_corrupt_or_foreign_cache_file_is_ignored_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cold = stdout(&scan(fixtures(), &cache, &["team", "-q", "--no-cache"]));
    scan(fixtures(), &cache, &["team", "-q"]);
    let file = cache_files(&cache).pop().unwrap();
    // Corrupt: truncated.
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let out = scan(fixtures(), &cache, &["team"]);
    assert!(
        stdout(&out) == cold,
        "output with a bad cache file differs from cold"
    );
    assert!(
        stderr(&out).contains("is corrupt; ignored and rebuilt"),
        "{}",
        stderr(&out)
    );
    // Foreign: another repository's cache under this repository's name.
    scan(fixtures(), &cache, &["configured", "-q"]);
    let other = cache_files(&cache)
        .into_iter()
        .find(|f| *f != file)
        .unwrap();
    std::fs::copy(&other, &file).unwrap();
    let out = scan(fixtures(), &cache, &["team"]);
    assert!(
        stdout(&out) == cold,
        "output with a bad cache file differs from cold"
    );
    assert!(
        stderr(&out).contains("belongs to another repository"),
        "{}",
        stderr(&out)
    );
    // Tampered records under the right key would be trusted, so the key must change with the
    // rules: a different configuration reads everything again and gives its own answer.
    let conf = tmp.path().join("more.toml");
    std::fs::write(
        &conf,
        "[credits]\nreview = { remove = [\"reviewed-by\"] }\n",
    )
    .unwrap();
    let changed = stdout(&scan(
        fixtures(),
        &cache,
        &["team", "-q", "--config", conf.to_str().unwrap()],
    ));
    let changed_cold = stdout(&scan(
        fixtures(),
        &cache,
        &[
            "team",
            "-q",
            "--no-cache",
            "--config",
            conf.to_str().unwrap(),
        ],
    ));
    assert!(
        changed == changed_cold,
        "changed configuration: cached differs from cold"
    );
    assert!(changed != cold, "the configuration change had no effect");
}

/// The table of identities .mailmap rewrote is cached with the walk: a warm scan names the
/// same `mailmap` joins as a cold one, and a scan from a commit that does not descend from the
/// cached tip (here an older one, before Frank's commit as `fmoss`) reads every commit again
/// rather than naming an address only the cached walk carried.
#[test]
fn mailmap_rewrites_follow_the_walk() {
    // The commit before fmoss's, found by its subject (commits added to the fixture later do
    // not move it).
    const BEFORE_FMOSS: &str = "HEAD^{/^Add the scheduler}~1";
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let frank_joins = |out: &Output| -> String {
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == "frank@moss.dev")
            .map(|p| p["joins"].to_string())
            .unwrap_or_default()
    };
    let cold = scan(fixtures(), &cache, &["identity", "-q", "--no-cache"]);
    let first = scan(fixtures(), &cache, &["identity", "-q"]);
    let warm = scan(fixtures(), &cache, &["identity", "-q"]);
    assert!(frank_joins(&cold).contains("\"fmoss <frank@oldjob.example>\""));
    assert!(stdout(&cold) == stdout(&first) && stdout(&cold) == stdout(&warm));
    let old_cold = scan(
        fixtures(),
        &cache,
        &["identity", "-q", "--no-cache", "--rev", BEFORE_FMOSS],
    );
    let old_warm = scan(
        fixtures(),
        &cache,
        &["identity", "-q", "--rev", BEFORE_FMOSS],
    );
    assert!(!stdout(&old_cold).contains("fmoss"));
    assert!(
        stdout(&old_cold) == stdout(&old_warm),
        "a scan of an older commit with the cache differs from a cold one"
    );
}
