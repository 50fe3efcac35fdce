//! The CI examples in docs/ci/: their gluework commands are the ones in tests/ci_workflow.sh,
//! docs/ci.md shows the files as they are, and the script (so the workflows' commands) works on
//! a fixture repository: the report folder, the step summary, and the gate's exit codes.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn commands(text: &str) -> Vec<String> {
    workflow_commands(text, &["gluework "])
}

#[test]
fn workflows_run_the_scripts_commands_and_the_docs_show_them() {
    let script = commands(&read("tests/ci_workflow.sh"));
    assert_eq!(script.len(), 2, "{script:#?}");
    assert!(script[0].starts_with("gluework scan . "));
    assert!(script[1].starts_with("gluework check . "));
    let doc = read("docs/ci.md");
    for file in ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"] {
        let text = read(file);
        assert_eq!(
            commands(&text),
            script,
            "{file} and tests/ci_workflow.sh differ"
        );
        assert!(
            doc.contains(&text),
            "docs/ci.md does not show {file} as it is"
        );
    }
    // Full history, an artifact, a schedule and a push to main, in both.
    let gh = read("docs/ci/github-actions.yml");
    for needle in [
        "fetch-depth: 0",
        "upload-artifact",
        "schedule:",
        "branches: [main]",
    ] {
        assert!(gh.contains(needle), "{needle}");
    }
    let gl = read("docs/ci/gitlab-ci.yml");
    for needle in [
        "GIT_DEPTH: 0",
        "artifacts:",
        "\"schedule\"",
        "$CI_DEFAULT_BRANCH",
    ] {
        assert!(gl.contains(needle), "{needle}");
    }
}

fn git(args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// Runs tests/ci_workflow.sh on `checkout` with the built gluework on PATH, as a CI job would.
fn run_workflow(checkout: &Path, summary: &Path) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_gluework"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .arg(root().join("tests/ci_workflow.sh"))
        .arg(checkout)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("HOME", checkout)
        .env("XDG_CONFIG_HOME", checkout.join(".no-config"))
        .env("GITHUB_STEP_SUMMARY", summary)
        .env("SINCE", "2024-04-01")
        .env("UNTIL", "2024-06-30")
        .env("PREVIOUS", "2024-01-01")
        .output()
        .unwrap()
}

#[test]
fn the_workflow_writes_the_report_and_runs_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("checkout");
    git(&[
        "clone",
        "-q",
        fixtures().join("team").to_str().unwrap(),
        checkout.to_str().unwrap(),
    ]);
    let summary = dir.path().join("step-summary.md");
    let o = run_workflow(&checkout, &summary);
    let out = stdout(&o);
    // The team fixture's review coverage (33% from April to June) is below the gate's 60%.
    assert_eq!(o.status.code(), Some(3), "{out}\n{}", stderr(&o));
    assert!(out.contains("PASS    --max-top-share"), "{out}");
    assert!(out.contains("PASS    --min-people-for-half"), "{out}");
    assert!(out.contains("FAIL    --min-review-coverage"), "{out}");
    assert!(
        out.contains("check failed: 1 of 3 thresholds not met (exit code 3)"),
        "{out}"
    );
    // The artifact: the report folder.
    let report = checkout.join("gluework-report");
    for f in [
        "gluework.json",
        "report.md",
        "people.csv",
        "charts/who-carries-glue.png",
        "charts/who-carries-glue.svg",
        "charts/people/maya-lindqvist-profile.png",
    ] {
        assert!(
            report.join(f).is_file(),
            "{f} missing from the report folder"
        );
    }
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    assert!(md.contains("## Change since the previous window"));
    // The run's page: the report, then the gate's table.
    let s = std::fs::read_to_string(&summary).unwrap();
    let report_at = s
        .find("# Glue work: team report")
        .expect("report in the summary");
    let gate_at = s
        .find("## gluework check: failed")
        .expect("gate in the summary");
    assert!(report_at < gate_at);
    assert!(s.contains("| ❌ FAIL | `--min-review-coverage` |"), "{s}");
}

#[test]
fn the_workflow_refuses_a_shallow_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("checkout");
    let url = format!("file://{}", fixtures().join("team").display());
    git(&[
        "clone",
        "-q",
        "--depth",
        "5",
        &url,
        checkout.to_str().unwrap(),
    ]);
    let o = run_workflow(&checkout, &dir.path().join("summary.md"));
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("shallow clone"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    assert!(err.contains("GIT_DEPTH: 0"), "{err}");
}
