//! The organisation workflows in docs/ci/ (docs/org-scale.md): their commands are the ones in
//! tests/org_workflow.sh, docs/org-scale.md shows the files as they are, and the script (so the
//! workflows' commands, with docs/ci/mirror-shard.sh) works on a generated fleet: blobless
//! mirrors per shard, parts, a merge byte-identical to one scan, the events and the gate.

use crate::support as common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn commands(text: &str) -> Vec<String> {
    workflow_commands(text, &["gluework ", "./mirror-shard.sh "])
}

#[test]
fn workflows_run_the_scripts_commands_and_the_docs_show_them() {
    let script = commands(&read("tests/org_workflow.sh"));
    assert_eq!(script.len(), 4, "{script:#?}");
    assert!(script[0].starts_with("./mirror-shard.sh "));
    assert!(script[1].starts_with("gluework scan --repos repos.txt --shard"));
    assert!(script[2].starts_with("gluework merge "));
    assert!(script[3].starts_with("gluework check --report "));
    let doc = read("docs/org-scale.md");
    for file in [
        "docs/ci/org-github-actions.yml",
        "docs/ci/org-gitlab-ci.yml",
        "docs/ci/mirror-shard.sh",
    ] {
        let text = read(file);
        assert!(
            doc.contains(&text),
            "docs/org-scale.md does not show {file} as it is"
        );
        if file.ends_with(".yml") {
            assert_eq!(
                commands(&text),
                script,
                "{file} and tests/org_workflow.sh differ"
            );
        }
    }
}

#[test]
fn the_workflows_merge_a_sharded_fleet_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    // The organisation's repositories, served from a folder as a forge would serve them.
    let remote = tmp.path().join("org");
    let mut names = Vec::new();
    for i in 0..9usize {
        let name = format!("svc-{i}");
        let out = remote.join(format!("{name}.git"));
        let status = Command::new(env!("CARGO_BIN_EXE_gluework-genrepo"))
            .args(["--commits", &(80 + 23 * i).to_string()])
            .args(["--authors", "10"])
            .args(["--first-author", &((i * 3) % 15).to_string()])
            .args(["--seed", &(i + 7).to_string()])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        // Let partial clones be made from it.
        git(&[
            "-C",
            out.to_str().unwrap(),
            "config",
            "uploadpack.allowFilter",
            "true",
        ]);
        names.push(name);
    }
    let checkout = tmp.path().join("checkout");
    std::fs::create_dir_all(&checkout).unwrap();
    let mut list = String::from("# the organisation's repositories\n");
    for n in &names {
        list.push_str(&format!("mirrors/{n}.git\n"));
    }
    list.push_str("mirrors/retired.git\n"); // listed, but gone from the forge
    std::fs::write(checkout.join("repos.txt"), list).unwrap();
    std::fs::copy(
        root().join("docs/ci/mirror-shard.sh"),
        checkout.join("mirror-shard.sh"),
    )
    .unwrap();

    let bin = PathBuf::from(env!("CARGO_BIN_EXE_gluework"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(root().join("tests/org_workflow.sh"))
        .arg(&checkout)
        .arg("3")
        .env("PATH", path)
        .env("REMOTE", format!("file://{}", remote.display()))
        .env("NO_COLOR", "1")
        .env("HOME", &checkout)
        .env("XDG_CONFIG_HOME", checkout.join(".no-config"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env(
            "GLUEWORK_CACHE_DIR",
            tmp.path().join("cache").to_str().unwrap(),
        )
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let err = stderr(&out);
    // The gate passes (0) or fails (3); anything else is the workflow breaking.
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{:?}: {err}",
        out.status.code()
    );
    // The retired repository cannot be cloned: the mirror script says so and goes on, and its
    // shard's scan reports it missing (exit 1, allowed by the workflow).
    assert!(err.contains("cannot clone retired"), "{err}");
    for n in &names {
        let mirror = checkout.join(format!("mirrors/{n}.git"));
        assert!(mirror.is_dir(), "{n} was mirrored by its shard");
    }
    let report_dir = checkout.join("glue-report");
    for f in [
        "gluework.json",
        "report.md",
        "index.html",
        "people.csv",
        "events.parquet",
    ] {
        assert!(report_dir.join(f).is_file(), "{f}: {err}");
    }
    // The merged report is the report of one scan of the whole list.
    let single = gluework(
        &checkout,
        &["scan", "--repos", "repos.txt", "-q", "--json", "-"],
    );
    assert_eq!(single.status.code(), Some(1), "{}", stderr(&single));
    let merged = std::fs::read_to_string(report_dir.join("gluework.json")).unwrap();
    assert!(
        merged == stdout(&single),
        "the merged report differs from one scan's"
    );
    let report = parse(&merged);
    assert_eq!(
        report["repositories"].as_array().unwrap().len(),
        names.len()
    );
    // Blobless mirrors, with the .mailmap fetched: identities are joined as in a full clone.
    let warnings = report.to_string();
    assert!(
        !warnings.contains("is missing"),
        "no missing-blob warning: the mirror script fetched .mailmap"
    );
}
