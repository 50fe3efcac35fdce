//! The example commands of README.md and docs/usage.md work as written: each `gluework …` (or
//! `cargo run --release -- …`) line of their shell blocks, and each such command the README
//! quotes in its text, is run with bash, in order, on clones of the `team` fixture laid out
//! where the examples look (`~/src/…`, a bare mirror, "this repository"), and must exit 0.
//! Paths and names that only exist on the writer's machine are substituted (SUBSTITUTIONS);
//! commands that need the network or a forge token are skipped, each with its reason (SKIP).

use crate::support as common;

use common::*;
use std::path::Path;
use std::process::Command;

/// Commands not run, and why. Each must match at least one example (so the list stays honest).
const SKIP: &[(&str, &str)] = &[
    (
        "gluework fetch github ",
        "needs the network and a GitHub token (tests/it/forge_fetch.rs runs fetch on a local server)",
    ),
    (
        "gluework fetch gitlab ",
        "needs the network and a GitLab token (tests/it/forge_fetch.rs runs fetch on a local server)",
    ),
];

/// Text of the examples that names things on the writer's machine, and what stands for it here.
const SUBSTITUTIONS: &[(&str, &str)] = &[
    // Builds are not run by a test: the built binary stands for `cargo run --release --`.
    ("cargo run --release -- ", "gluework "),
    ("/srv/mirrors/api.git", "~/mirrors/api.git"),
    ("\"Their Name\"", "\"Maya Lindqvist\""),
];

/// The example commands of a Markdown file: lines starting with `gluework` (after `$ ` and any
/// `VAR=value` prefixes), `cargo run --release --` or `mkdir -p` in ```sh, ```bash and
/// ```console blocks,
/// then (with `inline`) such commands quoted in the text with their arguments.
fn examples(file: &str, inline: bool) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let is_command = |l: &str| {
        let mut words = l.split_whitespace().skip_while(|w| {
            w.contains('=') && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        });
        let first = words.next().unwrap_or("");
        (first == "gluework" && words.next().is_some()) || l.starts_with("cargo run --release -- ")
    };
    let mut out = Vec::new();
    let mut shell = None::<bool>;
    for line in text.lines() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            shell = match shell {
                Some(_) => None,
                None => Some(matches!(lang.trim(), "sh" | "bash" | "console")),
            };
            continue;
        }
        match shell {
            Some(true) => {
                let l = line.trim();
                let l = l.strip_prefix("$ ").unwrap_or(l);
                // Commands, and the folders they are told to make first.
                if is_command(l) || l.starts_with("mkdir -p ") {
                    out.push(l.to_string());
                }
            }
            Some(false) => {}
            None if inline => {
                for (k, span) in line.split('`').enumerate() {
                    if k % 2 == 1 && is_command(span) && span.contains(" --") {
                        out.push(span.to_string());
                    }
                }
            }
            None => {}
        }
    }
    out
}

fn git(cwd: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn readme_and_usage_examples_work_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let team = fixtures().join("team");
    let team = team.to_str().unwrap();
    // ~/src holds three repositories; ~/mirrors/api.git is a bare mirror with a release branch.
    std::fs::create_dir_all(home.join("src")).unwrap();
    std::fs::create_dir_all(home.join("mirrors")).unwrap();
    for name in ["tokio", "cargo", "project"] {
        git(&home.join("src"), &["clone", "-q", team, name]);
    }
    git(
        &home.join("mirrors"),
        &["clone", "-q", "--bare", team, "api.git"],
    );
    git(
        &home.join("mirrors/api.git"),
        &["branch", "release-2.x", "HEAD~3"],
    );
    // "This repository": a clone of its own, with an organisation's mailmap beside it.
    let work = tmp.path().join("work");
    git(tmp.path(), &["clone", "-q", team, "work"]);
    std::fs::write(
        work.join("org.mailmap"),
        "Dana Park <dana@example.com> <dpark@oldcorp.example>\n",
    )
    .unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_gluework")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |command: &str| {
        Command::new("bash")
            .args(["-c", command])
            .current_dir(&work)
            .env("HOME", &home)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env("GLUEWORK_CACHE_DIR", tmp.path().join("cache"))
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .output()
            .unwrap()
    };
    // What the examples take as given: parts of an earlier sharded run (docs/org-scale.md).
    for (i, repo) in ["tokio", "cargo"].iter().enumerate() {
        let out = run(&format!(
            "gluework scan ~/src/{repo} -q --part part-{}.json.gz",
            i + 1
        ));
        assert!(out.status.success(), "{}", stderr(&out));
    }

    let mut commands = examples("README.md", true);
    commands.extend(examples("docs/usage.md", false));
    assert!(
        commands.len() >= 15,
        "too few examples found: {commands:#?}"
    );
    let mut skipped = vec![false; SKIP.len()];
    let mut ran = 0;
    for example in &commands {
        if let Some(k) = SKIP.iter().position(|(s, _)| example.starts_with(s)) {
            skipped[k] = true;
            continue;
        }
        let mut command = example.clone();
        for (from, to) in SUBSTITUTIONS {
            command = command.replace(from, to);
        }
        let out = run(&command);
        assert!(
            out.status.success(),
            "the documented example `{example}` (run as `{command}`) exited with {:?}:\n{}{}",
            out.status.code(),
            stdout(&out),
            stderr(&out)
        );
        ran += 1;
    }
    for ((s, why), used) in SKIP.iter().zip(skipped) {
        assert!(
            used,
            "the skip list names {s:?} ({why}), which no example is"
        );
    }
    assert!(ran >= 12, "{ran} examples run");
    // What they wrote is where the docs say.
    for file in [
        "gluework-report/gluework.json",
        "glue-report/gluework.json",
        "glue-report/report.md",
        "report/gluework.json",
        "packets/maint.json",
        "identities.txt",
    ] {
        assert!(work.join(file).is_file(), "{file} not written");
    }
    assert!(home
        .join(".local/share/bash-completion/completions/gluework")
        .is_file());
}
