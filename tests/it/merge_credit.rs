//! Merge and applied-patch credit on fixtures/repos/merges.sh: which merges are reviews (a
//! topic, a pull request, bors) and which are not (a pull, a back-merge, a merge the wrong way
//! round, a release or tag merge); no double credit for applying and then merging; no credit
//! for a history import or for rebasing someone else's commit into one's own branch; credit
//! kinds switched off in the rules; release, translation, licence and submodule commits.

use crate::support as common;

use common::{assert_golden, fixtures, gluework, parse, scan_json, stderr};
use std::collections::BTreeMap;

#[test]
fn merges_report_is_golden() {
    assert_golden("merges.json", &scan_json(&["merges"], &[]));
}

/// Subject → the credits on that commit, as `name category/kind`, sorted.
fn credits_by_subject(report: &serde_json::Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in report["people"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        for e in p["evidence"].as_array().unwrap() {
            out.entry(e["subject"].as_str().unwrap().to_string())
                .or_default()
                .push(format!(
                    "{name} {}/{}",
                    e["category"].as_str().unwrap(),
                    e["kind"].as_str().unwrap()
                ));
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

fn scan_with(config: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.toml");
    std::fs::write(&file, config).unwrap();
    parse(&scan_json(
        &["merges"],
        &["--config", file.to_str().unwrap()],
    ))
}

#[test]
fn merge_shapes_credit_only_integrations() {
    let report = parse(&scan_json(&["merges"], &[]));
    let got = credits_by_subject(&report);
    let get = |s: &str| got.get(s).cloned().unwrap_or_default();
    // A maintainer merging a contributor's topic.
    assert_eq!(
        get("Merge branch 'alice/parser'"),
        [
            "Maya Lindqvist onboarding/newcomer",
            "Maya Lindqvist review/merge"
        ]
    );
    // Kernel style: Maya applied Bob's patches (credited there) and merged them: credited once.
    assert!(get("Merge branch 'bob/cache'").is_empty());
    assert_eq!(
        get("Add a cache"),
        [
            "Bob Tanaka code/code",
            "Maya Lindqvist onboarding/newcomer",
            "Maya Lindqvist review/applied"
        ]
    );
    // Pulls and syncs, a back-merge, a merge the wrong way round, release and tag merges.
    for s in [
        "Merge branch 'main' of github.com:acme/widget",
        "Merge remote-tracking branch 'origin/main'",
        "Merge branch 'main' into feature-x",
        "Merge upstream changes",
        "Merge 'widget-1.2.1' into 'main'",
        "Merge tag 'v1.3'",
    ] {
        assert!(get(s).is_empty(), "{s}: {:?}", get(s));
    }
    // The pull request inside the wrong-way-round merge is still Maya's review, and she helped
    // the newcomer; Alice, who pulled it in, did not.
    assert_eq!(
        get("Merge pull request #8 from newt/typo"),
        [
            "Maya Lindqvist onboarding/newcomer",
            "Maya Lindqvist review/merge"
        ]
    );
    let newt = report["team"]["newcomers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "Newt Osei")
        .unwrap();
    assert_eq!(newt["helpers"], serde_json::json!(["maya@example.org"]));
    // A fork's main line pulled in, written by the URL's owner: an integration.
    assert_eq!(
        get("Merge branch 'main' of https://github.com/newt/widget"),
        [
            "Maya Lindqvist onboarding/newcomer",
            "Maya Lindqvist review/merge"
        ]
    );
    // The first bors's format credits r=.
    assert_eq!(
        get("auto merge of #12 : alice/widget/carol-fix, r=maya"),
        ["maya review/bors"]
    );
    // Alice rebased Bob's commit into her own pull request: no applied credit; Maya's merge
    // of it is a review of both.
    assert_eq!(get("Add cache statistics"), ["Bob Tanaka code/code"]);
    assert_eq!(
        get("Merge pull request #9 from alice/rebase"),
        ["Maya Lindqvist review/merge"]
    );
}

#[test]
fn history_import_earns_nothing_and_is_named_in_a_warning() {
    let report = parse(&scan_json(&["merges"], &[]));
    let got = credits_by_subject(&report);
    for (subject, credits) in &got {
        if subject.starts_with("Legacy plugin change") {
            assert_eq!(credits, &["Olga Petrova code/code"], "{subject}");
        }
    }
    let warnings = report["repositories"][0]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0].as_str().unwrap();
    assert!(
        w.starts_with("history import or rewrite: 24 commits by others committed by Maya Lindqvist between 2025-03-03T10:00:01Z and 2025-03-03T10:00:24Z ("),
        "{w}"
    );
}

#[test]
fn release_translation_licence_and_submodule_commits_are_not_code() {
    let got = credits_by_subject(&parse(&scan_json(&["merges"], &[])));
    let own = |s: &str| got[s][0].clone();
    assert_eq!(own("Release 1.4.0"), "Maya Lindqvist maintenance/release");
    assert_eq!(
        own("Bump version to 1.2.1"),
        "Maya Lindqvist maintenance/release"
    );
    assert_eq!(own("Update the German translation"), "Newt Osei docs/paths");
    assert_eq!(own("Add the licence texts"), "Bob Tanaka docs/paths");
    assert_eq!(own("Update zlib"), "Alice Moreau maintenance/submodule");
    assert_eq!(
        own("Update zlib again"),
        "Alice Moreau maintenance/submodule"
    );
}

#[test]
fn credit_kinds_can_be_switched_off() {
    // Without `applied`, Maya's merge of the topic she applied is her review of it.
    let got = credits_by_subject(&scan_with("[credits]\noff = { add = [\"applied\"] }\n"));
    assert_eq!(
        got["Merge branch 'bob/cache'"],
        [
            "Maya Lindqvist onboarding/newcomer",
            "Maya Lindqvist review/merge"
        ]
    );
    assert_eq!(got["Add a cache"], ["Bob Tanaka code/code"]);
    // Without merges and newcomer help, only applied patches and bors remain as review.
    let report = scan_with("[credits]\noff = { add = [\"merge\", \"newcomer\", \"bors\"] }\n");
    let kinds: std::collections::BTreeSet<String> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["evidence"].as_array().unwrap().iter())
        .filter(|e| e["category"] == "review" || e["category"] == "onboarding")
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["applied"]);
    for p in report["team"]["newcomers"].as_array().unwrap() {
        assert_eq!(p["helpers"], serde_json::json!([]), "{p}");
    }
}

#[test]
fn an_unknown_credit_kind_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.toml");
    std::fs::write(&file, "[credits]\noff = { add = [\"reviews\"] }\n").unwrap();
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "--json",
            "-",
            "-q",
            "merges",
            "--config",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("rules.toml:2:16: unknown credit kind \"reviews\""),
        "{err}"
    );
}

#[test]
fn squash_report_is_golden() {
    assert_golden("squash.json", &scan_json(&["squash"], &[]));
}

#[test]
fn squash_era_coverage_is_not_in_git() {
    let report = parse(&scan_json(&["squash"], &[]));
    assert_eq!(
        report["repositories"][0]["squash_era"],
        serde_json::json!({"since": "2024-05-01T00:00:00Z", "commits": 25, "squash_merges": 24})
    );
    let team = &report["team"];
    assert_eq!(team["commits"], 42);
    assert_eq!(team["not_in_git"], 25);
    // 12 Reviewed-by and 5 applied patches, of the 17 commits before the era.
    assert_eq!(team["reviewed_commits"], 17);
    assert_eq!(team["review_coverage"], 1.0);
    // The terminal summary and report.md say so, and point to the forge.
    let out = gluework(fixtures(), &["scan", "squash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = common::stdout(&out);
    assert!(
        text.contains("squash: since 2024-05-01 mostly squash merges made in the forge's web UI (24 of 25 commits): review coverage not in git; run `gluework fetch` then `gluework scan --forge`"),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "squash",
            "-q",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        md.contains("17 of 17 non-merge commits (100%) carry a review signal. Review coverage of the 25 commits made in a squash-merge era is **not in git**"),
        "{md}"
    );
    // check: coverage is measured on the commits before the era.
    let out = gluework(
        fixtures(),
        &["check", "squash", "--min-review-coverage", "0.9"],
    );
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("25 commits of a squash-merge era left out: reviews not in git"),
        "{text}"
    );
}

#[test]
fn a_window_inside_the_squash_era_has_no_coverage_figure() {
    let report = parse(&scan_json(&["squash"], &["--since", "2024-05-01"]));
    assert_eq!(report["team"]["commits"], 25);
    assert_eq!(report["team"]["not_in_git"], 25);
    assert_eq!(report["team"]["review_coverage"], 0.0);
    let out = gluework(
        fixtures(),
        &[
            "check",
            "squash",
            "--since",
            "2024-05-01",
            "--min-review-coverage",
            "0.9",
        ],
    );
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("n/a  share of commits with a review signal (every commit is in a squash-merge era: reviews not in git (gluework fetch, then scan --forge))"),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "squash",
            "-q",
            "--since",
            "2024-05-01",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        md.contains("Every non-merge commit of this window was made in a squash-merge era. Review coverage of the 25 commits made in a squash-merge era is **not in git**"),
        "{md}"
    );
}

#[test]
fn regular_contributors_concentration_and_max_gini() {
    let report = parse(&scan_json(&["squash"], &[]));
    let team = &report["team"];
    // Ann, Ben and Cy are active in 6 months; the five one-off contributors in one.
    assert_eq!(team["people"], 8);
    let regular = &team["regular"];
    assert_eq!(regular["min_months"], 3);
    assert_eq!(regular["people"], 3);
    assert_eq!(regular["glue"], team["glue"]);
    let (all, reg) = (
        team["gini"].as_f64().unwrap(),
        regular["gini"].as_f64().unwrap(),
    );
    assert!(reg < all, "regular {reg} vs all {all}");
    // --max-gini measures the regular contributors' figure.
    let limit = format!("{:.2}", (reg + all) / 2.0);
    let out = gluework(fixtures(), &["check", "squash", "--max-gini", &limit]);
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(
        text.contains("3 regular contributors (active in 3+ months); all 8 people"),
        "{text}"
    );
    // With regular_months = 7 nobody is regular: the all-contributor figure is used.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.toml");
    std::fs::write(&file, "[report]\nregular_months = 7\n").unwrap();
    let out = gluework(
        fixtures(),
        &[
            "check",
            "squash",
            "--max-gini",
            &limit,
            "--config",
            file.to_str().unwrap(),
        ],
    );
    let text = common::stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("no regular contributors (active in 7+ months): all 8 people"),
        "{text}"
    );
}

#[test]
fn a_packet_says_its_reviews_are_on_the_forge_in_a_squash_era() {
    let out = gluework(fixtures(), &["person", "Ann Berg", "squash", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains(
            "- **Reviews not in git:** squash has been squash-merged in the forge's web UI since \
             2024-05-01"
        ),
        "{md}"
    );
    // Not in a history without one.
    let out = gluework(fixtures(), &["person", "Maya Lindqvist", "team", "-q"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Reviews not in git"));
}
