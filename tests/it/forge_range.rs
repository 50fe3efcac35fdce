//! `scan --forge` with `--rev A..B` (docs/forge.md): a pull request's credits follow the range,
//! not the clock. Only a pull request with a commit in the range (its merge or squash commit,
//! its head, or one of its commits) is credited; an open or unmerged one is in no range.

use crate::support as common;

use common::*;
use serde_json::{json, Value};
use std::path::Path;

fn git(args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(fixtures().join("team"))
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The id of the `team` commit whose subject starts with `subject`.
fn commit_of(subject: &str) -> String {
    git(&["log", "--format=%H %s", "HEAD"])
        .lines()
        .find_map(|l| {
            let (id, s) = l.split_once(' ').unwrap();
            s.starts_with(subject).then(|| id.to_string())
        })
        .unwrap_or_else(|| panic!("no commit {subject:?}"))
}

fn write(dir: &Path, rel: &str, v: &Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

/// A GitHub forge folder for `team`: #12, merged as the history's "Merge pull request #12",
/// approved by `outside-helper`; #50, still open, where `another-helper` requested changes
/// (logins with no credit of their own in git, so no forge credit is merged into one).
fn forge(dir: &Path, merge12: &str) {
    write(
        dir,
        "forge.json",
        &json!({"layout_version": 1, "forge": "github", "repo": "acme/team",
                "api_url": "https://api.github.com", "web_url": "https://github.com/acme/team",
                "updated_through": "2024-07-01T00:00:00Z", "since": null, "complete": true}),
    );
    let user = |login: &str| json!({"login": login, "type": "User"});
    write(
        dir,
        "pulls.json",
        &json!([
            {"number": 12, "html_url": "https://github.com/acme/team/pull/12", "state": "closed",
             "user": user("erin-dev"), "author_association": "CONTRIBUTOR",
             "created_at": "2024-03-01T09:00:00Z", "merged_at": "2024-03-07T10:00:00Z",
             "merged_by": user("maint"), "merge_commit_sha": merge12, "head": {"sha": "head12"}},
            {"number": 50, "html_url": "https://github.com/acme/team/pull/50", "state": "open",
             "user": user("frank-m"), "author_association": "CONTRIBUTOR",
             "created_at": "2024-05-18T09:00:00Z", "merged_at": null, "merged_by": null,
             "merge_commit_sha": null, "head": {"sha": "head50"}},
        ]),
    );
    let review = |login: &str, state: &str, at: &str| json!({"user": user(login), "state": state, "submitted_at": at});
    write(
        dir,
        "pulls/12/reviews.json",
        &json!([review("outside-helper", "APPROVED", "2024-03-06T10:00:00Z"),]),
    );
    write(
        dir,
        "pulls/50/reviews.json",
        &json!([review(
            "another-helper",
            "CHANGES_REQUESTED",
            "2024-05-20T10:00:00Z"
        )]),
    );
    for n in [12, 50] {
        for rel in [
            format!("pulls/{n}/comments.json"),
            format!("pulls/{n}/commits.json"),
            format!("issues/{n}/comments.json"),
        ] {
            write(dir, &rel, &json!([]));
        }
    }
}

/// The pull requests whose forge reviews are credited, sorted.
fn reviewed_prs(r: &Value) -> Vec<u64> {
    let mut prs: Vec<u64> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["evidence"].as_array().unwrap())
        .filter(|e| e["kind"].as_str().unwrap().starts_with("pr-review:"))
        .map(|e| e["pr"].as_u64().unwrap())
        .collect();
    prs.sort_unstable();
    prs.dedup();
    prs
}

#[test]
fn forge_credits_follow_the_range() {
    let tmp = tempfile::tempdir().unwrap();
    let merge12 = commit_of("Merge pull request #12");
    let dir = tmp.path().join("forge");
    forge(&dir, &merge12);
    let spec = format!("team={}", dir.display());
    let scan = |extra: &[&str]| {
        let mut args = vec!["--forge", spec.as_str()];
        args.extend_from_slice(extra);
        parse(&scan_json(&["team"], &args))
    };
    // The whole history: both pull requests' reviews.
    assert_eq!(reviewed_prs(&scan(&[])), vec![12, 50]);
    // A range that holds #12's merge: #12 only (the open #50 is in no range, though its
    // review was made after the range's start).
    let before = format!("{merge12}^1..HEAD");
    let r = scan(&["--rev", &before]);
    assert_eq!(r["window"]["range"], before.as_str());
    assert_eq!(reviewed_prs(&r), vec![12]);
    // A range after #12's merge: nothing of #12, though the window has no time bound.
    let after = format!("{merge12}..HEAD");
    let r = scan(&["--rev", &after]);
    assert_eq!(reviewed_prs(&r), Vec::<u64>::new());
    assert_eq!(r["window"]["since"], Value::Null);
}
