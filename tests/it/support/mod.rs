//! Shared helpers for the integration tests: fixture repositories built once per test binary,
//! running the built binary, and golden files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The folder holding every fixture repository, built by `fixtures/build.sh` once per test
/// binary (each binary gets its own folder, so binaries can run in parallel).
pub fn fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let name = exe.file_stem().unwrap().to_string_lossy().into_owned();
        // Outside any git work tree (not under target/): `not-a-repo` must not be found to
        // lie inside this repository. One folder per checkout and test binary.
        let checkout: u64 = env!("CARGO_MANIFEST_DIR")
            .bytes()
            .fold(0xcbf29ce484222325, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            });
        let dir = std::env::temp_dir()
            .join(format!("gluework-fixtures-{checkout:016x}"))
            .join(name);
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

/// The cache folder of the running test: one per test, under one folder per test process.
///
/// Not one per process: a scan tells a repository's warnings in full only when they changed
/// since the last scan with the same cache, so a cache shared by every area would let one
/// area's scan of a fixture change what another area's test sees. Each test starts with an
/// empty cache, whatever ran before it. The test is found by its thread's name (the test
/// harness names each test's thread after the test, with one test thread too).
pub fn test_cache_dir() -> PathBuf {
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
    std::env::temp_dir()
        .join(format!("gluework-test-cache-{}", std::process::id()))
        .join(test)
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

pub fn parse(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("valid JSON")
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
