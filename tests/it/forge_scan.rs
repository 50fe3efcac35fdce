//! `scan --forge` (docs/forge.md, "Using forge data in a scan"): pull request reviews, review
//! comments and help on newcomers' pull requests, joined to the git history of the `team`
//! fixture without counting anything twice.

use crate::support as common;

use common::*;
use serde_json::{json, Value};
use std::path::Path;

/// The id of the `team` commit whose subject starts with `subject`.
fn commit_of(subject: &str) -> String {
    let out = std::process::Command::new("git")
        .args(["log", "--format=%H %s", "HEAD"])
        .current_dir(fixtures().join("team"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| {
            let (id, s) = l.split_once(' ').unwrap();
            s.starts_with(subject).then(|| id.to_string())
        })
        .unwrap_or_else(|| panic!("no commit {subject:?}"))
}

fn user(login: &str) -> Value {
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    json!({ "login": login, "type": kind })
}

fn write(dir: &Path, rel: &str, v: &Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

/// The manifest of a complete fetch of `acme/team`, updated through July 2024.
fn write_manifest(dir: &Path, forge: &str, api_url: &str, web_url: &str) {
    write(
        dir,
        "forge.json",
        &json!({"layout_version": 1, "forge": forge, "repo": "acme/team",
                "api_url": api_url, "web_url": web_url,
                "updated_through": "2024-07-01T00:00:00Z", "since": null, "complete": true}),
    );
}

/// A GitHub forge folder for the `team` fixture, as `gluework fetch github` writes it:
/// - #12, Erin's first pull request (merged by Maya; in the history as a merge): Maya approved,
///   Bob commented with three review comments, Carol and dependabot commented in the
///   conversation;
/// - #40, Carol's first pull request (login `carolc`, joined to Carol Chen by its commit), but
///   Carol has committed since January, so it is no newcomer's: Dana approved;
/// - #50, Frank's first pull request, still open (not in the history; its commit matched to no
///   account, so its single author email joins the request's author): Dana requested changes
///   with two review comments;
/// - #51, by a login no commit joins (`drive-by`): Bob approved.
fn team_forge(dir: &Path) {
    let merge12 = commit_of("Merge pull request #12");
    let erin_commit = commit_of("Add --verbose flag");
    let carol_commit = commit_of(&subject_of_carol());
    write_manifest(
        dir,
        "github",
        "https://api.github.com",
        "https://github.com/acme/team",
    );
    let pull =
        |n: u64, login: &str, assoc: &str, created: &str, merged: Option<(&str, &str, &str)>| {
            json!({
                "number": n, "html_url": format!("https://github.com/acme/team/pull/{n}"),
                "state": if merged.is_some() { "closed" } else { "open" },
                "user": user(login), "author_association": assoc, "created_at": created,
                "merged_at": merged.map(|m| m.0), "merged_by": merged.map(|m| user(m.1)),
                "merge_commit_sha": merged.map(|m| m.2), "head": {"sha": format!("head{n}")}
            })
        };
    write(
        dir,
        "pulls.json",
        &json!([
            pull(
                12,
                "erin-dev",
                "FIRST_TIME_CONTRIBUTOR",
                "2024-03-01T09:00:00Z",
                Some(("2024-03-07T10:00:00Z", "maint", &merge12))
            ),
            pull(40, "carolc", "MEMBER", "2024-02-20T09:00:00Z", None),
            pull(
                50,
                "frank-m",
                "FIRST_TIME_CONTRIBUTOR",
                "2024-05-18T09:00:00Z",
                None
            ),
            pull(51, "drive-by", "NONE", "2024-06-01T09:00:00Z", None),
        ]),
    );
    let review = |login: &str, state: &str, at: &str| json!({"user": user(login), "state": state, "submitted_at": at});
    let comment = |login: &str, at: &str| json!({"user": user(login), "created_at": at});
    let commit = |sha: &str, login: Option<&str>, name: &str, email: &str| {
        json!({"sha": sha, "author": login.map(user),
               "commit": {"author": {"name": name, "email": email}}})
    };
    write(
        dir,
        "pulls/12/reviews.json",
        &json!([
            review("bob", "COMMENTED", "2024-03-05T10:00:00Z"),
            review("maint", "APPROVED", "2024-03-06T10:00:00Z"),
        ]),
    );
    write(
        dir,
        "pulls/12/comments.json",
        &json!([
            comment("bob", "2024-03-05T10:00:00Z"),
            comment("bob", "2024-03-05T10:01:00Z"),
            comment("bob", "2024-03-05T10:02:00Z"),
        ]),
    );
    write(
        dir,
        "issues/12/comments.json",
        &json!([
            comment("carolc", "2024-03-02T10:00:00Z"),
            comment("dependabot[bot]", "2024-03-02T11:00:00Z"),
        ]),
    );
    write(
        dir,
        "pulls/12/commits.json",
        &json!([commit(
            &erin_commit,
            Some("erin-dev"),
            "Erin Diaz",
            "3003+erin-dev@users.noreply.github.com"
        ),]),
    );
    write(
        dir,
        "pulls/40/reviews.json",
        &json!([review("dana", "APPROVED", "2024-02-21T10:00:00Z")]),
    );
    write(
        dir,
        "pulls/40/commits.json",
        &json!([commit(
            &carol_commit,
            Some("carolc"),
            "Carol Chen",
            "carol@example.com"
        ),]),
    );
    write(
        dir,
        "pulls/50/reviews.json",
        &json!([review("dana", "CHANGES_REQUESTED", "2024-05-20T10:00:00Z"),]),
    );
    write(
        dir,
        "pulls/50/comments.json",
        &json!([
            comment("dana", "2024-05-20T10:00:00Z"),
            comment("dana", "2024-05-20T10:05:00Z"),
        ]),
    );
    write(
        dir,
        "pulls/50/commits.json",
        &json!([commit(
            "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0",
            None,
            "Frank Moreau",
            "frank@example.com"
        ),]),
    );
    write(
        dir,
        "pulls/51/reviews.json",
        &json!([review("bob", "APPROVED", "2024-06-02T10:00:00Z")]),
    );
    for n in [12, 40, 50, 51] {
        for rel in [
            format!("pulls/{n}/reviews.json"),
            format!("pulls/{n}/comments.json"),
            format!("pulls/{n}/commits.json"),
            format!("issues/{n}/comments.json"),
        ] {
            if !dir.join(&rel).exists() {
                write(dir, &rel, &json!([]));
            }
        }
    }
}

/// The subject of Carol's first commit in `team` (c05).
fn subject_of_carol() -> String {
    let out = std::process::Command::new("git")
        .args([
            "log",
            "--reverse",
            "--format=%s",
            "--author=carol@example.com",
            "HEAD",
        ])
        .current_dir(fixtures().join("team"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

/// A temporary folder holding the GitHub forge folder of `team` (`forge/`), and the
/// `--forge team=DIR` argument for it.
fn team_forge_spec() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let forge = tmp.path().join("forge");
    team_forge(&forge);
    let spec = format!("team={}", forge.display());
    (tmp, forge, spec)
}

fn scan_with_forge(extra: &[&str]) -> (tempfile::TempDir, Value, Value) {
    let (tmp, _, spec) = team_forge_spec();
    let mut args = vec!["--forge", spec.as_str()];
    args.extend_from_slice(extra);
    let with = parse(&scan_json(&["team"], &args));
    let without = parse(&scan_json(&["team"], extra));
    (tmp, with, without)
}

fn forge_kinds(p: &Value) -> Vec<(String, String, u64)> {
    p["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("url").is_some())
        .map(|e| {
            (
                e["category"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["pr"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn forge_reviews_comments_and_onboarding_are_credited_once() {
    let (_tmp, with, without) = scan_with_forge(&[]);
    let k = |a: &str, b: &str, n: u64| (a.to_string(), b.to_string(), n);

    // Dana: approved Carol's #40 (no git credit for it) and requested changes on Frank's first
    // pull request #50, with two review comments: two reviews, and onboarding for Frank.
    let dana = person(&with, "Dana Park");
    assert_eq!(
        forge_kinds(dana),
        [
            k("review", "pr-review:approved", 40),
            k("review", "pr-review:changes-requested", 50),
            k("onboarding", "pr-newcomer", 50),
        ]
    );
    let dana0 = person(&without, "Dana Park");
    assert_eq!(count(dana, "review"), count(dana0, "review") + 2);
    assert_eq!(count(dana, "onboarding"), count(dana0, "onboarding") + 1);
    assert_eq!(dana["review_comments"], 2);
    assert_eq!(dana["review_comment_prs"], 1);

    // Maya approved and merged #12, which git already credits (the merge, its newcomer help):
    // nothing more.
    let maya = person(&with, "Maya Lindqvist");
    assert!(forge_kinds(maya).is_empty(), "{:?}", forge_kinds(maya));
    assert_eq!(
        maya["categories"],
        person(&without, "Maya Lindqvist")["categories"]
    );

    // Bob reviewed #12 in git too (Tested-by on Erin's commit): only #51 is new, plus his
    // three review comments on #12; #51 is drive-by's first pull request: onboarding too.
    let bob = person(&with, "Bob Okafor");
    assert_eq!(
        forge_kinds(bob),
        [
            k("review", "pr-review:approved", 51),
            k("onboarding", "pr-newcomer", 51)
        ]
    );
    assert_eq!(bob["review_comments"], 3);
    assert_eq!(bob["review_comment_prs"], 1);

    // Carol (login carolc, joined through #40's commit) commented on Erin's first pull request.
    let carol = person(&with, "Carol Chen");
    assert_eq!(carol["login"], "carolc");
    assert!(forge_kinds(carol).contains(&k("onboarding", "pr-newcomer", 12)));

    // Frank's login joins his git identity; drive-by stays a login of its own (no credit, so
    // not listed); bots earn nothing.
    assert_eq!(person(&with, "Frank Moreau")["login"], "frank-m");
    let names: Vec<&str> = with["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"@drive-by"), "{names:?}");
    let bob_with: Vec<&Value> = bob["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["pr"] == 51)
        .map(|e| &e["with"])
        .collect();
    assert!(
        bob_with.iter().all(|w| **w == json!(["@drive-by"])),
        "{bob_with:?}"
    );

    // Erin's first merged pull request is an onboarding PR, with who helped it land.
    let prs = with["team"]["onboarding_prs"].as_array().unwrap();
    assert_eq!(prs.len(), 1, "{prs:?}");
    assert_eq!(prs[0]["pr"], 12);
    assert_eq!(prs[0]["author_name"], "Erin Diaz");
    assert_eq!(prs[0]["url"], "https://github.com/acme/team/pull/12");
    let helpers: Vec<&str> = prs[0]["helpers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(helpers.len(), 3, "Maya, Bob and Carol: {helpers:?}");
    assert_eq!(with["team"]["review_comments"], 5);
    // Evidence carries the pull request's page; one that is in the history shows its commit.
    let e12 = carol["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pr"] == 12 && e.get("url").is_some())
        .unwrap();
    assert_eq!(e12["commit"], commit_of("Merge pull request #12"));
    assert!(e12["subject"]
        .as_str()
        .unwrap()
        .starts_with("Merge pull request #12"));
}

#[test]
fn the_window_applies_to_forge_credits() {
    let (_tmp, with, _) = scan_with_forge(&["--since", "2024-05-01"]);
    let dana = person(&with, "Dana Park");
    let kinds = forge_kinds(dana);
    assert!(kinds.iter().all(|(_, _, n)| *n == 50), "{kinds:?}");
    assert_eq!(dana["review_comments"], 2);
    assert!(with["team"]["onboarding_prs"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(person(&with, "Bob Okafor")["review_comments"], 0);
}

#[test]
fn forge_data_shows_in_the_reports() {
    let (tmp, _, spec) = team_forge_spec();
    let out_dir = tmp.path().join("out");
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "-q",
            "--forge",
            &spec,
            "--out",
            out_dir.to_str().unwrap(),
            "--charts",
            "none",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(md.contains("Onboarding pull requests"), "{md}");
    assert!(md.contains("https://github.com/acme/team/pull/12"), "{md}");
    assert!(md.contains("review comments"), "{md}");
    // The promotion packet says how many review comments on how many pull requests.
    let out = gluework(
        fixtures(),
        &["person", "Dana Park", "team", "-q", "--forge", &spec],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 review comments on 1 pull request"),
        "{}",
        stdout(&out)
    );
    // Her review that asked for changes is counted from the forge data.
    assert!(
        stdout(&out).contains("asked for changes on 1 pull request (forge data"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn forge_folders_that_match_nothing_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let forge = tmp.path().join("forge");
    team_forge(&forge);
    // By origin: team has none.
    let out = gluework(
        fixtures(),
        &["scan", "team", "-q", "--forge", forge.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("is no scanned repository's origin") && err.contains("NAME="),
        "{err}"
    );
    let spec = format!("nope={}", forge.display());
    let out = gluework(fixtures(), &["scan", "team", "-q", "--forge", &spec]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no scanned repository is named nope"));
    // An incomplete folder is refused with the loader's message.
    std::fs::remove_file(forge.join("forge.json")).unwrap();
    let spec = format!("team={}", forge.display());
    let out = gluework(fixtures(), &["scan", "team", "-q", "--forge", &spec]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn forge_data_travels_in_parts() {
    let (tmp, _, spec) = team_forge_spec();
    let part = tmp.path().join("team.json.gz");
    let direct = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "-q",
            "--forge",
            &spec,
            "--json",
            "-",
            "--part",
            part.to_str().unwrap(),
        ],
    );
    assert!(direct.status.success(), "{}", stderr(&direct));
    let merged = gluework(
        fixtures(),
        &["merge", part.to_str().unwrap(), "-q", "--json", "-"],
    );
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(stdout(&merged), stdout(&direct));
}

#[test]
fn review_comments_are_on_the_glue_profile_chart() {
    let (tmp, _, spec) = team_forge_spec();
    let out_dir = tmp.path().join("out");
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "-q",
            "--forge",
            &spec,
            "--out",
            out_dir.to_str().unwrap(),
            "--charts",
            "svg",
            "--person",
            "Bob Okafor",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let people = out_dir.join("charts/people");
    let profile = std::fs::read_dir(&people)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-profile.svg"))
        .expect("Bob's profile chart");
    let svg = std::fs::read_to_string(profile).unwrap();
    assert!(svg.contains("3 review comments on 1 pull request"), "{svg}");
}

/// A GitLab folder for `team`: merge request !60 by `frank-gl` whose commits all carry Frank's
/// email (so the login joins Frank Moreau), approved by `dana` (Dana's GitHub login, which the
/// team history proves) with one diff note; !61 by `stranger`, whose commits carry two emails
/// (nothing is joined), approved by `maint`.
fn team_gitlab(dir: &Path) {
    let gl_user = |name: &str| json!({"id": 7, "username": name, "name": name, "state": "active"});
    write_manifest(
        dir,
        "gitlab",
        "https://gitlab.com/api/v4",
        "https://gitlab.com/acme/team",
    );
    let mr = |iid: u64, author: &str, created: &str| {
        json!({"iid": iid, "state": "opened", "created_at": created, "updated_at": created,
               "merged_at": null, "merged_by": null, "merge_user": null, "author": gl_user(author),
               "sha": format!("head{iid}"), "merge_commit_sha": null, "squash_commit_sha": null,
               "web_url": format!("https://gitlab.com/acme/team/-/merge_requests/{iid}")})
    };
    // !61's title names its evidence (no commit of it is in the history), on one line.
    let mut mr61 = mr(61, "stranger", "2024-06-02T09:00:00Z");
    mr61["title"] = json!("Draft: FAQ for\nnew   contributors\u{7}");
    write(
        dir,
        "merge_requests.json",
        &json!([mr(60, "frank-gl", "2024-06-01T09:00:00Z"), mr61]),
    );
    let commit = |id: &str, email: &str| {
        json!({"id": id, "title": "x", "author_name": "Someone", "author_email": email,
               "authored_date": "2024-06-01T08:00:00Z"})
    };
    write(
        dir,
        "merge_requests/60/commits.json",
        &json!([
            commit("a1", "frank@example.com"),
            commit("a2", "FRANK@example.com"),
        ]),
    );
    write(
        dir,
        "merge_requests/61/commits.json",
        &json!([
            commit("b1", "s1@example.com"),
            commit("b2", "s2@example.com"),
        ]),
    );
    write(
        dir,
        "merge_requests/60/approvals.json",
        &json!({"approved_by": [{"user": gl_user("dana")}]}),
    );
    write(
        dir,
        "merge_requests/61/approvals.json",
        &json!({"approved_by": [{"user": gl_user("maint")}]}),
    );
    let note = |who: &str, diff: bool| {
        let mut n = json!({"id": 1, "type": if diff { Value::from("DiffNote") } else { Value::Null },
                           "body": "nit", "author": gl_user(who), "created_at": "2024-06-01T10:00:00Z",
                           "updated_at": "2024-06-01T10:00:00Z", "system": false});
        if diff {
            n["position"] = json!({"new_path": "src/x.rs", "new_line": 1});
        }
        n
    };
    write(
        dir,
        "merge_requests/60/notes.json",
        &json!([note("dana", true)]),
    );
    write(dir, "merge_requests/61/notes.json", &json!([]));
}

#[test]
fn gitlab_merge_requests_join_logins_by_their_commits_emails() {
    let tmp = tempfile::tempdir().unwrap();
    let forge = tmp.path().join("gl");
    team_gitlab(&forge);
    let spec = format!("team={}", forge.display());
    let with = parse(&scan_json(&["team"], &["--forge", &spec]));
    // frank-gl is Frank, joined through his merge request's commits (one email, any case);
    // Dana's approval of it is a review, her diff note a review comment.
    assert_eq!(person(&with, "Frank Moreau")["login"], "frank-gl");
    let dana = person(&with, "Dana Park");
    assert!(
        forge_kinds(dana).contains(&("review".to_string(), "pr-review:approved".to_string(), 60)),
        "{:?}",
        forge_kinds(dana)
    );
    assert_eq!(dana["review_comments"], 1);
    // stranger's commits have two emails: no join, so stranger stays a login of its own.
    let maya = person(&with, "Maya Lindqvist");
    let e61: Vec<&Value> = maya["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["pr"] == 61)
        .collect();
    assert!(!e61.is_empty());
    assert!(
        e61.iter().all(|e| e["with"] == json!(["@stranger"])),
        "{e61:?}"
    );
    assert_eq!(
        e61[0]["url"],
        "https://gitlab.com/acme/team/-/merge_requests/61"
    );
    assert_eq!(e61[0]["subject"], "Draft: FAQ for new contributors");
}

/// A copy of the `team` fixture whose `origin` is `origin`.
fn team_with_origin(tmp: &Path, origin: &str) -> std::path::PathBuf {
    let repo = tmp.join("team.git");
    let git = |args: &[&str], dir: &Path| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(
        &[
            "clone",
            "-q",
            "--bare",
            fixtures().join("team").to_str().unwrap(),
            repo.to_str().unwrap(),
        ],
        tmp,
    );
    git(&["remote", "set-url", "origin", origin], &repo);
    repo
}

#[test]
fn self_hosted_forges_attach_by_origin_on_any_host() {
    // GitHub Enterprise over https, the clone over scp-like ssh; a self-managed GitLab over
    // http on a port, the clone over ssh on another port.
    for (kind, web, origin) in [
        (
            "github",
            "https://ghe.corp.example/acme/team",
            "git@ghe.corp.example:acme/team.git",
        ),
        (
            "gitlab",
            "http://code.internal:8080/acme/team",
            "ssh://git@code.internal:2222/Acme/team.git",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let forge = tmp.path().join("forge");
        if kind == "github" {
            team_forge(&forge);
            write_manifest(&forge, kind, "https://ghe.corp.example/api/v3", web);
        } else {
            team_gitlab(&forge);
            write_manifest(&forge, kind, "http://code.internal:8080/api/v4", web);
        }
        let repo = team_with_origin(tmp.path(), origin);
        let out = gluework(
            tmp.path(),
            &[
                "scan",
                "--json",
                "-",
                "-q",
                repo.to_str().unwrap(),
                "--forge",
                forge.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let report = parse(&stdout(&out));
        let dana = person(&report, "Dana Park");
        let reviews: Vec<&Value> = dana["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"].as_str().unwrap().starts_with("pr-review:"))
            .collect();
        assert!(!reviews.is_empty(), "{kind}: {dana}");
        // Credited, but not linked: a host the user did not name in GLUEWORK_FORGE_HOSTS is
        // no forge for links (docs/usage.md, Security model).
        assert!(
            reviews.iter().all(|e| e.get("url").is_none()),
            "{kind}: {dana}"
        );
    }
}
