//! The caches (per-commit facts, and the last report of a set of repositories): a cached scan's
//! report equals a cold one, byte for byte,
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

/// The files of the per-commit cache (the folder of the cache of reports left out).
/// Runs git in `repo` as "New Person" on 2024-07-01, with no system or user configuration
/// (`home` holds the empty global one); fails the test on a git error, with git's message.
fn git_as_new_person(repo: &Path, home: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("no-gitconfig"))
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
}

fn cache_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

/// A scan with `GLUEWORK_TIMING` (which says whether the cache of reports answered): the
/// output, and whether it was a hit.
fn scan_report(cwd: &Path, cache: &Path, args: &[&str]) -> (Output, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_gluework"))
        .arg("scan")
        .args(args)
        .current_dir(cwd)
        .env("GLUEWORK_CACHE_DIR", cache)
        .env("GLUEWORK_TIMING", "1")
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let hit = err.contains("timing: report cache hit");
    assert!(hit || !args.contains(&"--no-cache") || !err.contains("report cache"));
    (out, hit)
}

/// The report's JSON text of a scan to `--json -`, and whether the cache of reports answered.
fn json_of(cwd: &Path, cache: &Path, args: &[&str]) -> (String, bool) {
    let args: Vec<&str> = args.iter().copied().chain(["-q", "--json", "-"]).collect();
    let (out, hit) = scan_report(cwd, cache, &args);
    (stdout(&out), hit)
}

/// The report of an unchanged history comes from the cache of reports, byte for byte the
/// cold one, with `--json -` alone and with every output (the model read back from the cached
/// text: the terminal table, the report folder, the CSV).
#[test]
fn unchanged_history_report_comes_from_the_report_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let repos = ["team", "multi", "configured", "non-utf8"];
    let (cold, _) = json_of(fixtures(), &cache, &[&repos[..], &["--no-cache"]].concat());
    assert!(!cache.exists(), "--no-cache writes no cache");
    let (first, hit) = json_of(fixtures(), &cache, &repos);
    assert!(!hit && first == cold);
    let (warm, hit) = json_of(fixtures(), &cache, &repos);
    assert!(hit, "an unchanged history is a hit");
    assert!(warm == cold, "warm report differs from cold");
    // Another set of repositories has its own slot; the first is still there.
    assert!(!json_of(fixtures(), &cache, &["team"]).1);
    assert!(json_of(fixtures(), &cache, &repos).1);
    assert!(json_of(fixtures(), &cache, &["team"]).1);

    // Every output, with the table on standard output.
    let all = |dir: &Path, extra: &[&str]| {
        let csv = dir.join("people.csv");
        let args: Vec<&str> = ["team", "--out", dir.to_str().unwrap()]
            .into_iter()
            .chain(["--csv", csv.to_str().unwrap(), "--no-step-summary"])
            .chain(extra.iter().copied())
            .collect();
        let (out, hit) = scan_report(fixtures(), &cache, &args);
        let file = |name: &str| std::fs::read(dir.join(name)).unwrap();
        let files = [
            file("gluework.json"),
            file("report.md"),
            file("index.html"),
            file("people.csv"),
        ];
        (stdout(&out), files, hit)
    };
    let cold = all(&tmp.path().join("cold"), &["--no-cache"]);
    let warm = all(&tmp.path().join("warm"), &[]);
    assert!(warm.2, "the report folder's run is a hit too");
    assert!(warm.0 == cold.0, "warm table differs from cold");
    assert!(warm.1 == cold.1, "warm report folder differs from cold");
}

/// Whatever goes into a report changes its key: a rule, a mailmap, the window, the tip, an
/// option. Each is a miss whose report equals the cold one, and then a hit.
#[test]
fn report_cache_key_follows_rules_mailmap_window_and_tip() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let repo = tmp.path().join("team");
    let out = Command::new("git")
        .arg("clone")
        .arg("-q")
        .arg(fixtures().join("team"))
        .arg(&repo)
        .output()
        .unwrap();
    assert!(out.status.success());
    let conf = tmp.path().join("rules.toml");
    std::fs::write(
        &conf,
        "[credits]\nreview = { remove = [\"reviewed-by\"] }\n",
    )
    .unwrap();
    let mailmap = tmp.path().join("mailmap");
    std::fs::write(
        &mailmap,
        "Maya L <maya@example.org> Maya Lindqvist <1001+maint@users.noreply.github.com>\n",
    )
    .unwrap();
    let base = json_of(tmp.path(), &cache, &["team"]).0;
    assert!(json_of(tmp.path(), &cache, &["team"]).1);
    let variants: Vec<Vec<&str>> = vec![
        vec!["--config", conf.to_str().unwrap()],
        vec!["--mailmap", mailmap.to_str().unwrap()],
        vec!["--since", "2024-03-01"],
        vec!["--until", "2024-03-01"],
        vec!["--period", "week"],
        vec!["--include-bots"],
    ];
    for extra in &variants {
        let args = [&["team"][..], extra].concat();
        let (warm, hit) = json_of(tmp.path(), &cache, &args);
        assert!(!hit, "{extra:?}: a hit");
        let (cold, _) = json_of(tmp.path(), &cache, &[&args[..], &["--no-cache"]].concat());
        assert!(warm == cold, "{extra:?}: differs from cold");
        assert!(warm != base, "{extra:?}: had no effect");
        assert!(
            json_of(tmp.path(), &cache, &args).1,
            "{extra:?}: then a hit"
        );
    }
    // The mailmap file's contents, not its name.
    std::fs::write(
        &mailmap,
        "Maya Q <maya@example.org> Maya Lindqvist <1001+maint@users.noreply.github.com>\n",
    )
    .unwrap();
    let args = ["team", "--mailmap", mailmap.to_str().unwrap()];
    let (warm, hit) = json_of(tmp.path(), &cache, &args);
    assert!(!hit && warm.contains("Maya Q"), "an edited mailmap");
    // The repository's own .mailmap (committed, so the tip moves too) and a new commit.
    let git = |args: &[&str]| git_as_new_person(&repo, tmp.path(), args);
    git(&["commit", "-q", "--allow-empty", "-m", "docs: a note"]);
    let (warm, hit) = json_of(tmp.path(), &cache, &["team"]);
    let (cold, _) = json_of(tmp.path(), &cache, &["team", "--no-cache"]);
    assert!(!hit && warm == cold && warm != base && warm.contains("docs: a note"));
    // Back to the old tip (a detached HEAD): the old report, which is not the cached one.
    git(&["checkout", "-q", "HEAD~1"]);
    let (warm, hit) = json_of(tmp.path(), &cache, &["team"]);
    assert!(!hit && warm == base);
}

/// A damaged file in the cache of reports is a warning and a cold report, never a panic nor
/// the damaged text; a foreign file under the right name is a warning too.
#[test]
fn a_damaged_report_cache_is_a_warning_and_a_cold_report() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let (cold, _) = json_of(fixtures(), &cache, &["team", "--no-cache"]);
    json_of(fixtures(), &cache, &["team"]);
    let file = std::fs::read_dir(cache.join("reports"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let good = std::fs::read(&file).unwrap();
    let mut damaged: Vec<Vec<u8>> = Vec::new();
    for at in [3, 30, good.len() / 2, good.len() - 2] {
        let mut bad = good.clone();
        bad[at] ^= 0x41;
        damaged.push(bad);
    }
    damaged.push(good[..good.len() / 3].to_vec());
    damaged.push(b"gluework-report\n".to_vec());
    for (k, bad) in damaged.iter().enumerate() {
        std::fs::write(&file, bad).unwrap();
        // Not quiet, so that the warning shows: the table goes to standard output then.
        let json = tmp.path().join("out.json");
        let (out, hit) = scan_report(
            fixtures(),
            &cache,
            &["team", "--json", json.to_str().unwrap()],
        );
        assert!(!hit, "damage {k}: a hit");
        assert!(
            stderr(&out).contains("; ignored and rebuilt"),
            "damage {k}: {}",
            stderr(&out)
        );
        assert!(
            std::fs::read_to_string(&json).unwrap() == cold,
            "damage {k}"
        );
        // Rebuilt: the next run is a hit again.
        assert!(json_of(fixtures(), &cache, &["team"]).1, "damage {k}");
    }
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
    let git = |args: &[&str]| git_as_new_person(&repo, tmp.path(), args);
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
