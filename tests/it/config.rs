//! Configuration: a repository's own .gluework.toml, --config, the user's file, and errors.

use crate::support as common;

use common::*;

#[test]
fn repository_configuration_changes_the_rules() {
    let json = scan_json(&["configured"], &[]);
    assert_golden("configured.json", &json);
    let r = parse(&json);
    // Aliases: both of Kim's addresses are one person with the configured name.
    let kim = person(&r, "Kim Lee");
    assert!(
        kim["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Kim L <kim@old.example>"),
        "{kim}"
    );
    // site/ is docs; handbook/ is onboarding.
    assert_eq!(person(&r, "Pat Morgan")["categories"]["docs"], 1);
    let ravi = person(&r, "Ravi Shah");
    assert!(ravi["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["category"] == "onboarding" && e["kind"] == "paths"));
    // LGTM-by is a review key now; Tested-by is not.
    assert!(ravi["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "trailer:lgtm-by"));
    assert!(person(&r, "Sam Ortiz")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["category"] != "review"));
    // signoff_is_review: Kim's Signed-off-by on Ravi's fix is a review.
    assert!(kim["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "trailer:signed-off-by"));
    // vendor/ only: nobody's commit.
    assert!(r["people"].as_array().unwrap().iter().all(|p| p["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["subject"] != "Vendor libfoo 1.0")));
    assert_eq!(kim["commits"], 1);
    assert_eq!(r["team"]["commits"], 7);
    // Teams, with everyone else under "other".
    let teams: Vec<&str> = r["teams"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(teams, ["core", "other", "web"]);
    assert_eq!(r["teams"]["core"]["people"], 2);
    assert_eq!(r["teams"]["other"]["people"], 1);
    assert_eq!(kim["teams"], serde_json::json!(["core"]));
    assert_eq!(
        r["repositories"][0]["config_file"].as_str().unwrap()[..18].to_string(),
        ".gluework.toml at "
    );
    assert_eq!(r["config"]["sources"].as_array().unwrap().len(), 1);
}

#[test]
fn one_team_only() {
    let r = parse(&scan_json(&["configured"], &["--team", "core"]));
    let names: Vec<&str> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kim Lee", "Pat Morgan"]);
    assert_eq!(r["team"]["people"], 2);
    assert_eq!(
        r["teams"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["core"]
    );
    let out = gluework(fixtures(), &["scan", "configured", "--team", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--team nope: no such team (configured teams: core, web)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn digest_says_whether_the_rules_were_the_same() {
    let plain = parse(&scan_json(&["team"], &[]));
    let configured = parse(&scan_json(&["configured"], &[]));
    // A repository's own file shows in that repository's digest; the overall digest covers
    // what applies to every repository (built-in, user file, --config).
    assert_eq!(plain["config"]["digest"], configured["config"]["digest"]);
    assert_ne!(
        plain["repositories"][0]["config_digest"],
        configured["repositories"][0]["config_digest"]
    );
    let tmp0 = tempfile::tempdir().unwrap();
    let changed = tmp0.path().join("changed.toml");
    std::fs::write(&changed, "[commits]\nnewcomer_commits = 5\n").unwrap();
    let other = parse(&scan_json(
        &["team"],
        &["--config", changed.to_str().unwrap()],
    ));
    assert_ne!(plain["config"]["digest"], other["config"]["digest"]);
    // Restating the defaults (config default as --config) changes nothing.
    let tmp = tempfile::tempdir().unwrap();
    let defaults = gluework(tmp.path(), &["config", "default"]);
    assert!(defaults.status.success());
    let file = tmp.path().join("defaults.toml");
    std::fs::write(&file, &defaults.stdout).unwrap();
    let restated = parse(&scan_json(&["team"], &["--config", file.to_str().unwrap()]));
    assert_eq!(plain["config"]["digest"], restated["config"]["digest"]);
    assert_eq!(plain["people"], restated["people"]);
}

#[test]
fn command_line_configuration_comes_last() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("more.toml");
    std::fs::write(&file, "[paths]\ndocs = { remove = [\"site/\"] }\n[people]\nexclude = { add = [\"sam@example.com\"] }\n").unwrap();
    let r = parse(&scan_json(
        &["configured"],
        &["--config", file.to_str().unwrap()],
    ));
    assert_eq!(person(&r, "Pat Morgan")["categories"]["docs"], 0);
    assert!(r["people"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["name"] != "Sam Ortiz"));
    assert_eq!(r["config"]["sources"].as_array().unwrap().len(), 2);
}

#[test]
fn user_configuration_is_read_from_xdg_config_home() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xdg/gluework");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[report]\nperiod = \"quarter\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gluework"))
        .args(["scan", "team", "--json", "-", "-q"])
        .current_dir(fixtures())
        .env("XDG_CONFIG_HOME", tmp.path().join("xdg"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = parse(&stdout(&out));
    assert_eq!(r["window"]["period"], "quarter");
    assert!(r["config"]["sources"][0]
        .as_str()
        .unwrap()
        .ends_with("gluework/config.toml"));
}

#[test]
fn config_errors_name_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[paths]\ndocs = { add = [\"site/[\"] }\n",
            ":2:17: invalid glob \"site/[\"",
        ),
        ("[paths]\ndoc = { add = [] }\n", ":2:1: unknown field `doc`"),
        (
            "[commits]\nnewcomer_commits = \"3\"\n",
            ":2:20: invalid type",
        ),
        (
            "[bots]\nnames = { add = [\"(\"] }\n",
            ":2:18: invalid regex",
        ),
        ("not toml at all\n", ":1:"),
    ];
    for (text, want) in cases {
        let file = tmp.path().join("bad.toml");
        std::fs::write(&file, text).unwrap();
        let out = gluework(
            fixtures(),
            &["scan", "team", "--config", file.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = stderr(&out);
        assert!(err.contains(&format!("bad.toml{want}")), "{text}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn config_show_names_every_source() {
    let out = gluework(fixtures(), &["config", "show", "configured"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\"site/\",  # .gluework.toml at "), "{text}");
    assert!(text.contains("\"docs/\",  # built-in"), "{text}");
    assert!(
        text.contains("signoff_is_review = true  # .gluework.toml at"),
        "{text}"
    );
    assert!(text.contains("[[alias]]"));
}
