//! Shared helpers for the integration tests: fixture repositories built once per test binary,
//! running the built binary, and golden files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The folder holding every fixture repository, built by `fixtures/build.sh` once per run of the
/// test binary: one folder per checkout, and in it one per running test process (`it-PID`), so
/// two runs at once (two terminals, a watcher) never rebuild a fixture another is reading.
/// Folders of processes that have ended are removed by the next run (Linux, where `/proc` tells;
/// elsewhere they stay in the temp folder).
pub fn fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Outside any git work tree (not under target/): `not-a-repo` must not be found to
        // lie inside this repository. One folder per checkout.
        let checkout: u64 = env!("CARGO_MANIFEST_DIR")
            .bytes()
            .fold(0xcbf29ce484222325, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            });
        let root = std::env::temp_dir().join(format!("gluework-fixtures-{checkout:016x}"));
        remove_ended_runs(&root);
        let dir = root.join(format!("it-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/build.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .output()
            .expect("run fixtures/build.sh");
        assert!(
            out.status.success(),
            "fixtures/build.sh failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// Removes the fixture folders (`it-PID`) of test processes that have ended.
fn remove_ended_runs(root: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        // `it-PID` of a running process stays; anything else is an ended run's folder (or one
        // that earlier layouts of the suite left: `it`, `NAME-HASH` per test binary).
        let running = name
            .to_str()
            .and_then(|n| n.strip_prefix("it-"))
            .is_some_and(|pid| pid.parse::<u32>().is_ok() && Path::new("/proc").join(pid).exists());
        if !running {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Runs the built `gluework` with `args` in `cwd`, with no colour and a fixed environment.
pub fn gluework(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gluework"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("HOME", cwd)
        // The cache lives outside the scanned repositories (HOME is the working directory here).
        .env("GLUEWORK_CACHE_DIR", test_cache_dir())
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .output()
        .expect("run gluework")
}

/// The cache folder of the running test: one per test, under one folder per test process in
/// the build's temporary folder (`target/tmp/test-cache/PID/TEST`), so the system's temp folder
/// does not fill up run after run; the folders of processes that have ended are removed on first
/// use.
///
/// Not one per process: a scan tells a repository's warnings in full only when they changed
/// since the last scan with the same cache, so a cache shared by every area would let one
/// area's scan of a fixture change what another area's test sees. Each test starts with an
/// empty cache, whatever ran before it. The test is found by its thread's name (the test
/// harness names each test's thread after the test, with one test thread too).
pub fn test_cache_dir() -> PathBuf {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let all = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-cache");
        for entry in std::fs::read_dir(&all).into_iter().flatten().flatten() {
            let pid = entry.file_name();
            if !Path::new("/proc").join(&pid).exists() && Path::new("/proc/self").exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        all.join(std::process::id().to_string())
    });
    let thread = std::thread::current();
    let test: String = thread
        .name()
        .unwrap_or("unnamed")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    run.join(test)
}

/// Runs the built `gluework` in the fixtures folder: its exit code, stdout and stderr.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = gluework(fixtures(), args);
    (out.status.code(), stdout(&out), stderr(&out))
}

/// Runs the built `gluework` in the fixtures folder and fails unless it exits with 0.
pub fn run_ok(args: &[&str]) -> Output {
    let out = gluework(fixtures(), args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "gluework {args:?}:\n{}",
        stderr(&out)
    );
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Scans `paths` (relative to the fixtures folder) and returns the JSON report text.
pub fn scan_json(paths: &[&str], extra: &[&str]) -> String {
    let mut args = vec!["scan", "--json", "-", "-q"];
    args.extend_from_slice(paths);
    args.extend_from_slice(extra);
    let out = gluework(fixtures(), &args);
    assert!(
        out.status.success(),
        "gluework {args:?} failed ({:?}):\n{}",
        out.status.code(),
        stderr(&out)
    );
    stdout(&out)
}

/// A report (or a person's slice) as JSON, exactly as written (schema 2: evidence names its
/// commit by `row` in the top-level `commits`).
pub fn parse_raw(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("valid JSON")
}

/// A report (or a person's slice) as schema 1 had it, which gluework still reads: every
/// evidence item with its commit's facts inline (`repo`, `commit`, `date`, `subject`, `pr`,
/// `url`), no `commits` table, `schema_version` 1. Tests read and edit evidence this way; an
/// edited report written back is read through the conversion of schema 1.
pub fn parse(json: &str) -> serde_json::Value {
    let mut v = parse_raw(json);
    inline_commits(&mut v);
    v
}

/// Turns a schema 2 report or slice (a JSON value) into the schema 1 form (see [`parse`]).
pub fn inline_commits(v: &mut serde_json::Value) {
    use serde_json::Value;
    let Some(table) = v.get_mut("commits").map(Value::take) else {
        return;
    };
    let table = table.as_array().cloned().unwrap_or_default();
    let obj = v.as_object_mut().expect("a report is an object");
    obj.remove("commits");
    obj.insert("schema_version".into(), 1.into());
    let mut people: Vec<&mut Value> = Vec::new();
    for (k, v) in obj.iter_mut() {
        match (k.as_str(), v) {
            ("people", Value::Array(ps)) => people.extend(ps.iter_mut()),
            ("person", p) => people.push(p),
            _ => {}
        }
    }
    for p in people {
        let Some(Value::Array(evidence)) = p.get_mut("evidence") else {
            continue;
        };
        for e in evidence {
            let e = e.as_object_mut().expect("evidence items are objects");
            let row = e.remove("row").and_then(|r| r.as_u64()).expect("a row");
            let facts = table[row as usize].as_object().expect("a commits row");
            // Schema 1's order: category, kind, repo, commit, date, subject, pr, with,
            // with_more, url.
            let mut out = serde_json::Map::new();
            for k in ["category", "kind"] {
                out.insert(k.into(), e[k].clone());
            }
            for k in ["repo", "commit", "date", "subject", "pr"] {
                out.insert(k.into(), facts[k].clone());
            }
            for k in ["with", "with_more"] {
                if let Some(x) = e.get(k) {
                    out.insert(k.into(), x.clone());
                }
            }
            if let Some(url) = facts.get("url") {
                out.insert("url".into(), url.clone());
            }
            *e = out;
        }
    }
}

/// Compares `actual` with `tests/golden/<name>`; with `GLUEWORK_BLESS=1`, writes it instead.
/// Review golden diffs like code.
pub fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("GLUEWORK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with GLUEWORK_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let diff_at = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        let show = |s: &str| {
            s.lines()
                .skip(diff_at.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{} differs from the output at line {}.\n--- expected\n{}\n--- actual\n{}\n(re-run with GLUEWORK_BLESS=1 to accept, then review the diff)",
            path.display(),
            diff_at + 1,
            show(&expected),
            show(actual)
        );
    }
}

/// Every file under `dir` with its contents and modification time, for read-only checks.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.clone(),
                    std::fs::read(&p).unwrap_or_default(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Asserts two JSON values are equal, naming the first paths where they differ (a whole
/// report in a failure message is unreadable).
pub fn assert_same(a: &serde_json::Value, b: &serde_json::Value) {
    fn walk(a: &serde_json::Value, b: &serde_json::Value, path: String, out: &mut Vec<String>) {
        use serde_json::Value::*;
        if out.len() >= 10 {
            return;
        }
        match (a, b) {
            (Object(x), Object(y)) => {
                for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                    let n = serde_json::Value::Null;
                    walk(
                        x.get(k).unwrap_or(&n),
                        y.get(k).unwrap_or(&n),
                        format!("{path}.{k}"),
                        out,
                    );
                }
            }
            (Array(x), Array(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(p, q, format!("{path}[{i}]"), out);
                }
            }
            _ if a != b => out.push(format!("{path}: {a} != {b}")),
            _ => {}
        }
    }
    let mut diffs = Vec::new();
    walk(a, b, String::new(), &mut diffs);
    assert!(diffs.is_empty(), "JSON differs:\n{}", diffs.join("\n"));
}

/// The commands of a CI workflow or shell script that start with one of `starts` (after YAML's
/// `- ` or `run: `), joined with their continuation lines (a trailing `\`, or in YAML's folded
/// lists a next line starting with `--`), trailing ` # ` comments dropped, whitespace collapsed.
pub fn workflow_commands(text: &str, starts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let t = line.trim();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let t = t.strip_prefix("run: ").unwrap_or(t);
        let t = t.split(" # ").next().unwrap_or(t).trim();
        if open || (t.starts_with("--") && !t.starts_with("---") && !out.is_empty()) {
            let last = out.last_mut().unwrap();
            last.push(' ');
            last.push_str(t.trim_end_matches('\\'));
            open = t.ends_with('\\');
        } else if starts.iter().any(|s| t.starts_with(s)) {
            out.push(t.trim_end_matches('\\').to_string());
            open = t.ends_with('\\');
        }
    }
    out.into_iter()
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// A virtual environment under the build's temporary folder (`target/tmp/NAME`) with the
/// pinned Python `packages` installed by pip on first use (`pip_args` added), for tests that
/// check gluework's outputs with other tools (DuckDB, workflow linters). The system's Python
/// is never changed. Fails (never skips) when it cannot be had, saying why.
#[allow(dead_code)]
pub fn pinned_venv(name: &str, packages: &[&str], pip_args: &[&str]) -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let stamp = venv.join("installed.txt");
    let want = packages.join("\n");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == want) {
        return venv;
    }
    let run = |cmd: &mut Command| {
        let o = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
        assert!(
            o.status.success(),
            "{cmd:?} failed (python3 with its venv module and access to PyPI are needed): {}",
            stderr(&o)
        );
    };
    run(Command::new("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv));
    run(Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(pip_args)
        .args(packages));
    std::fs::write(&stamp, want).expect("write the venv's stamp");
    venv
}

/// The person named `name` in a JSON report; fails when there is none.
pub fn person<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no person named {name}"))
}

/// A person's credits in `category` (a JSON report's `categories` object).
pub fn count(person: &serde_json::Value, category: &str) -> u64 {
    person["categories"][category].as_u64().unwrap()
}

/// This checkout (the folder of Cargo.toml).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of this checkout, by its path from the root (`docs/ci.md`).
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs git with `args` and no user or system configuration; fails when git does.
pub fn git(args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// The git the differential tests compare with: `GLUEWORK_GIT`, else the one the fixtures are
/// built with (fixtures/lib.sh: /usr/local/bin/git when there is one).
pub fn git_binary() -> String {
    if let Ok(git) = std::env::var("GLUEWORK_GIT") {
        return git;
    }
    if Path::new("/usr/local/bin/git").exists() {
        "/usr/local/bin/git".to_owned()
    } else {
        "git".to_owned()
    }
}

/// A scratch folder `gluework-TAG-…` under the system's temp folder, removed when dropped.
pub fn scratch_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gluework-{tag}-"))
        .tempdir()
        .expect("create a scratch folder")
}

/// A pid no process has: a child that has exited.
pub fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

/// This machine's host name, as a lock file records it (Linux only; `None` elsewhere).
pub fn hostname() -> Option<String> {
    let h = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    Some(h.trim().to_string())
}
