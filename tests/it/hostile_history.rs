//! Histories shaped to make a careless algorithm superlinear or endless: one commit with
//! thousands of co-authors, a long chain of nested merges, parent cycles through `info/grafts`
//! and through a hand-edited part. Each scan runs under a watchdog, so a regression fails
//! instead of stalling the suite; nothing asserts on speed.

use crate::support as common;

use common::{parse, stderr, stdout};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far above what these inputs take when linear (well under a second each in a release build;
/// a few seconds in a debug build on a busy machine), far below what the quadratic paths took.
const WATCHDOG: Duration = Duration::from_secs(120);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gluework-hostile-history-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Ann")
        .env("GIT_AUTHOR_EMAIL", "ann@x.org")
        .env("GIT_COMMITTER_NAME", "Ann")
        .env("GIT_COMMITTER_EMAIL", "ann@x.org")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

/// Runs gluework with `args` in `cwd`, killed (and the test failed) past the watchdog.
fn gluework_watched(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gluework"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("HOME", cwd)
        .env("GLUEWORK_CACHE_DIR", cwd.join(".cache"))
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads so a large report cannot fill them and stall the child.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).unwrap();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).unwrap();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "gluework {args:?} did not finish within {} s (a hang or a superlinear path)",
                WATCHDOG.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn scan_report(cwd: &Path, repo: &str, extra: &[&str]) -> Value {
    let mut args = vec!["scan", "--json", "-", "-q", repo];
    args.extend_from_slice(extra);
    let out = gluework_watched(cwd, &args);
    assert!(
        out.status.success(),
        "gluework {args:?} failed: {}",
        stderr(&out)
    );
    parse(&stdout(&out))
}

fn warnings(report: &Value) -> Vec<String> {
    report["repositories"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn one_commit_with_five_thousand_coauthors() {
    const N: usize = 5000;
    let dir = scratch("coauthors");
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("a.c"), "a\n").unwrap();
    git(&repo, &["add", "a.c"]);
    git(&repo, &["commit", "-qm", "init"]);
    std::fs::write(repo.join("a.c"), "a\nb\n").unwrap();
    git(&repo, &["add", "a.c"]);
    let mut msg = String::from("Fix crash\n\n");
    for i in 0..N {
        msg.push_str(&format!("Co-authored-by: P{i} <p{i}@x.org>\n"));
    }
    std::fs::write(dir.join("msg"), msg).unwrap();
    git(&repo, &["commit", "-q", "-F", "../msg"]);

    let report = scan_report(&dir, "repo", &[]);
    let people = report["people"].as_array().unwrap();
    // Ann and every co-author, each credited.
    assert_eq!(people.len(), N + 1);
    let p7 = people
        .iter()
        .find(|p| p["id"] == "p7@x.org")
        .expect("co-author P7 in the report");
    let fix = p7["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["category"] == "co_authored_fix")
        .expect("a co-authored fix");
    // The others, named up to the cap and counted beyond it.
    let with = fix["with"].as_array().unwrap().len();
    assert_eq!(with, 100);
    assert_eq!(fix["with_more"].as_u64().unwrap() as usize + with, N);
    // Newcomers: each gets helpers from the commit, at most the cap.
    let newcomer = report["team"]["newcomers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "p7@x.org")
        .expect("P7 is a newcomer");
    assert!(newcomer["helpers"].as_array().unwrap().len() <= 100);
}

/// A bare repository made by `git fast-import` from `stream`, HEAD on `main`.
fn fast_import(dir: &Path, stream: &str) -> PathBuf {
    let repo = dir.join("repo.git");
    git(dir, &["init", "-q", "--bare", "repo.git"]);
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(&repo)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    git(&repo, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    repo
}

fn commit_cmd(out: &mut String, refname: &str, mark: usize, author: &str, t: i64, msg: &str) {
    out.push_str(&format!(
        "commit {refname}\nmark :{mark}\nauthor {author} <{}@x.org> {t} +0000\ncommitter C <c@x.org> {t} +0000\ndata {}\n{msg}\n",
        author.to_lowercase(),
        msg.len()
    ));
}

#[test]
fn a_long_chain_of_nested_merges() {
    // Each merge's parents: a fresh side commit (a root) and the previous merge. Every merge but
    // the last is nested in the last one's side, and each brings in all the history below it.
    const MERGES: usize = 3000;
    let dir = scratch("chain");
    let mut s = String::new();
    let t0 = 1_700_000_000i64;
    commit_cmd(&mut s, "refs/heads/main", 1, "Root", t0, "root");
    s.push_str("M 644 inline root.c\ndata 2\nx\n\n");
    let mut prev = 1;
    let mut mark = 2;
    for k in 0..MERGES {
        let side = mark;
        s.push_str("reset refs/heads/side\n");
        commit_cmd(
            &mut s,
            "refs/heads/side",
            side,
            &format!("A{}", k % 7),
            t0 + 2 * k as i64 + 1,
            &format!("side {k}"),
        );
        s.push_str(&format!("M 644 inline f{k}.c\ndata 2\nx\n\n"));
        let merge = mark + 1;
        commit_cmd(
            &mut s,
            "refs/heads/main",
            merge,
            "Mia",
            t0 + 2 * k as i64 + 2,
            &format!("Merge pull request #{} from x/y", k + 1),
        );
        s.push_str(&format!("from :{side}\nmerge :{prev}\n\n"));
        prev = merge;
        mark += 2;
    }
    fast_import(&dir, &s);
    let report = scan_report(&dir, "repo.git", &[]);
    assert_eq!(report["repositories"][0]["merges"], MERGES as u64);
    let w = warnings(&report);
    assert!(
        w.iter()
            .any(|w| w.contains("merges inside merged branches brought in more than")),
        "{w:?}"
    );
    // The last merge brought in everything, and says so.
    let mia = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "mia@x.org")
        .unwrap();
    let last = mia["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "merge" && e["pr"] == MERGES as u64)
        .expect("the last merge's credit");
    let with: Vec<&str> = last["with"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(
        with,
        [
            "a0@x.org",
            "a1@x.org",
            "a2@x.org",
            "a3@x.org",
            "a4@x.org",
            "a5@x.org",
            "a6@x.org",
            "root@x.org"
        ]
    );
}

#[test]
fn a_parent_cycle_through_grafts_ends_with_a_warning() {
    let dir = scratch("grafts");
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    for (i, f) in ["a.c", "b.c", "c.c"].iter().enumerate() {
        std::fs::write(repo.join(f), format!("{i}\n")).unwrap();
        git(&repo, &["add", f]);
        git(&repo, &["commit", "-qm", &format!("Add {f}")]);
    }
    let a = git_out(&repo, &["rev-parse", "HEAD~2"]);
    let c = git_out(&repo, &["rev-parse", "HEAD"]);
    // The root's parent is now the tip: a → … → c → a.
    std::fs::write(repo.join(".git/info/grafts"), format!("{a} {c}\n")).unwrap();
    let report = scan_report(&dir, "repo", &[]);
    assert_eq!(report["repositories"][0]["commits"], 3);
    let w = warnings(&report);
    assert!(w.iter().any(|w| w.contains("form a cycle")), "{w:?}");
    assert_eq!(report["people"][0]["commits"], 3);
}

/// A one-repository part of two commits, written by `scan --part`, read back.
fn two_commit_part(dir: &Path) -> gluework::part::Part {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    for f in ["a.c", "b.c"] {
        std::fs::write(repo.join(f), "x\n").unwrap();
        git(&repo, &["add", f]);
        git(&repo, &["commit", "-qm", &format!("Add {f} (#12)")]);
    }
    let out = gluework_watched(dir, &["scan", "-q", "repo", "--part", "p.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&std::fs::read(dir.join("p.json")).unwrap()).unwrap()
}

fn write_part(dir: &Path, part: &gluework::part::Part) {
    std::fs::write(dir.join("p.json"), serde_json::to_vec(part).unwrap()).unwrap();
}

#[test]
fn a_parent_cycle_in_a_part_ends_with_a_warning() {
    let dir = scratch("part");
    let mut part = two_commit_part(&dir);
    // Make the root list the tip as its parent, and seal the part again (anyone can).
    let records = &mut part.repositories[0].records;
    let tip = records[0].id;
    let last = records.len() - 1;
    records[last].parents = vec![tip];
    part.seal();
    write_part(&dir, &part);
    let out = gluework_watched(&dir, &["merge", "--json", "-", "-q", "p.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = parse(&stdout(&out));
    let w = warnings(&report);
    assert!(w.iter().any(|w| w.contains("form a cycle")), "{w:?}");
}

#[test]
fn edited_duplicated_and_out_of_range_parts_are_refused() {
    let dir = scratch("part-edits");
    let good = two_commit_part(&dir);
    let merged = |part: &gluework::part::Part| {
        write_part(&dir, part);
        gluework_watched(&dir, &["merge", "--json", "-", "-q", "p.json"])
    };
    // Untouched: merged.
    let out = merged(&good);
    assert!(out.status.success(), "{}", stderr(&out));
    let refused = |part: &gluework::part::Part, what: &str| {
        let out = merged(part);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("p.json") && err.contains(what), "{err}");
    };
    // A record edited (a credit handed to someone else) and not sealed again.
    let mut part = good.clone();
    part.repositories[0].records[0].author.name = "Mallory".into();
    refused(&part, "does not match its digest");
    // No digest at all.
    let mut part = good.clone();
    part.digest = None;
    refused(&part, "has no digest");
    // Sealed again, but a commit twice.
    let mut part = good.clone();
    let again = part.repositories[0].records[0].clone();
    part.repositories[0].records.push(again);
    part.seal();
    refused(&part, "is listed twice");
    // Sealed again, but a pull request number no signed 64-bit integer holds (it was written
    // to Parquet as -1).
    let mut part = good.clone();
    part.repositories[0].records[0].pr = Some(u64::MAX);
    part.seal();
    refused(&part, "out of range");
}

/// Commit dates git takes and a report cannot hold as they are: i64's extremes, year 10000, a
/// negative time, offsets of ±99:59. The scan and every output finish; the dates beyond the
/// years -9999 to 9999 are the nearer end of that range, with one warning line saying so; the
/// saved report reads back as it was written.
#[test]
fn commit_dates_beyond_what_a_report_holds() {
    let dir = scratch("dates");
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    let tree = git_out(&repo, &["write-tree"]);
    let mut parent: Option<String> = None;
    for (i, date) in [
        "1704067200 +0000",           // 2024-01-01
        "9223372036854775807 +9959",  // i64::MAX
        "-9223372036854775808 -9959", // i64::MIN
        "-1 +0000",                   // 1969-12-31T23:59:59Z
        "253402300800 +0000",         // 10000-01-01
        "1706745600 +0100",           // 2024-02-01
    ]
    .iter()
    .enumerate()
    {
        let mut text = format!("tree {tree}\n");
        if let Some(p) = &parent {
            text.push_str(&format!("parent {p}\n"));
        }
        text.push_str(&format!(
            "author Ann <ann@x.org> {date}\ncommitter Ann <ann@x.org> {date}\n\nFix bug {i}\n"
        ));
        let path = dir.join("commit");
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        let id = git_out(
            &repo,
            &["hash-object", "-t", "commit", "-w", "--literally", path],
        );
        parent = Some(id);
    }
    git(
        &repo,
        &["update-ref", "refs/heads/main", parent.as_deref().unwrap()],
    );
    git(&repo, &["symbolic-ref", "HEAD", "refs/heads/main"]);

    let out = gluework_watched(&dir, &["scan", "-q", "repo", "--out", "report"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.join("report/gluework.json")).unwrap();
    let report = parse(&text);
    let ann = &report["people"][0];
    assert_eq!(ann["first_seen"], "-009999-01-02T01:59:59Z");
    assert_eq!(ann["last_seen"], "9999-12-30T22:00:00Z");
    let w = warnings(&report);
    let dates: Vec<&String> = w.iter().filter(|w| w.contains("-9999 to 9999")).collect();
    assert_eq!(dates.len(), 1, "{w:?}");
    assert!(dates[0].starts_with("3 commits (first: "), "{w:?}");
    let periods: Vec<&str> = ann["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert!(periods.contains(&"9999"), "{periods:?}");
    assert!(periods.contains(&"-009999"), "{periods:?}");
    // Every date in the report is read back, and written again the same.
    let out = gluework_watched(
        &dir,
        &[
            "render",
            "report/gluework.json",
            "--json",
            "again.json",
            "-q",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let again = std::fs::read_to_string(dir.join("again.json")).unwrap();
    assert_eq!(parse(&again), report);
    let _ = std::fs::remove_dir_all(&dir);
}
