//! `gluework check`: each threshold printed with its measured value and PASS/FAIL, and the exit
//! codes: 0 all pass, 3 a threshold failed, 1 a repository could not be scanned, 4 a shallow
//! clone (unless --allow-shallow), 2 a usage error.

use crate::support as common;

use common::*;

#[test]
fn passing_thresholds_exit_zero() {
    let (code, out, err) = run(&[
        "check",
        "team",
        "-q",
        "--max-top-share",
        "0.5",
        "--min-people-for-half",
        "2",
        "--max-gini",
        "0.5",
    ]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.starts_with(
        "gluework check: team · all history (2024-01-03 to 2024-06-12) · 8 people · 57 commits\n"
    ), "{out}");
    assert!(out.contains(
        "PASS    --max-top-share        ≤ 0.50      0.31  largest share of glue held by one person (Maya Lindqvist)"
    ), "{out}");
    assert!(
        out.contains("PASS    --min-people-for-half  ≥ 2            2"),
        "{out}"
    );
    assert!(
        // The regular contributors' Gini (6 people active in 3+ months), not everyone's 0.43.
        out.contains("PASS    --max-gini             ≤ 0.50      0.28  Gini coefficient of glue (regular contributors) (fairly evenly shared; 6 regular contributors (active in 3+ months); all 8 people: 0.43)"),
        "{out}"
    );
    assert!(
        out.ends_with("check passed: all 3 thresholds met\n"),
        "{out}"
    );
}

#[test]
fn a_failing_threshold_exits_three() {
    let (code, out, _) = run(&[
        "check",
        "team",
        "-q",
        "--max-top-share",
        "0.5",
        "--min-people-for-half",
        "3",
        "--min-review-coverage",
        "0.6",
        "--max-bus-factor-risk",
        "1",
        "--min-newcomers-helped",
        "0.5",
    ]);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("PASS    --max-top-share"), "{out}");
    assert!(out.contains(
        "FAIL    --min-people-for-half   ≥ 3            2  people carrying half of the glue (of 8 people)"
    ), "{out}");
    assert!(out.contains(
        "FAIL    --min-review-coverage   ≥ 0.60      0.28  share of commits with a review signal (16 of 57 commits)"
    ), "{out}");
    assert!(out.contains(
        "FAIL    --max-bus-factor-risk   ≤ 1            4  glue categories resting on one or two people (review, docs, co_authored_fix, onboarding)"
    ), "{out}");
    assert!(
        out.contains("PASS    --min-newcomers-helped  ≥ 0.50      0.50"),
        "{out}"
    );
    assert!(
        out.ends_with("check failed: 3 of 5 thresholds not met (exit code 3)\n"),
        "{out}"
    );
}

#[test]
fn a_scan_error_exits_one_and_checks_nothing() {
    let (code, out, err) = run(&["check", "team", "not-a-repo", "--max-top-share", "0.9"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("error: not-a-repo: not a git repository"),
        "{err}"
    );
    assert!(err.contains("nothing was checked"), "{err}");
    let (code, _, err) = run(&["check", "no/such/place", "--max-top-share", "0.9"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_shallow_clone_exits_four_unless_allowed() {
    let (code, out, err) = run(&["check", "shallow", "-q", "--max-top-share", "0.9"]);
    assert_eq!(code, Some(4), "{out}\n{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("error: shallow: a shallow clone"), "{err}");
    assert!(err.contains("git fetch --unshallow"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    let (code, out, err) = run(&[
        "check",
        "shallow",
        "-q",
        "--max-top-share",
        "0.9",
        "--allow-shallow",
    ]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("checked anyway (--allow-shallow)"), "{err}");
}

#[test]
fn usage_errors_exit_two() {
    let (code, _, err) = run(&["check", "team"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no thresholds given"), "{err}");
    let (code, _, err) = run(&["check", "team", "--max-top-share", "60"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not between 0 and 1"), "{err}");
    let (code, _, _) = run(&["check", "team", "--report", "x.json", "--max-gini", "0.5"]);
    assert_eq!(code, Some(2), "--report with a PATH");
}

#[test]
fn a_saved_report_can_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("gluework.json");
    std::fs::write(&json, scan_json(&["team"], &[])).unwrap();
    let (code, out, err) = run(&[
        "check",
        "--report",
        json.to_str().unwrap(),
        "--min-review-coverage",
        "0.25",
    ]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(
        out.contains("PASS    --min-review-coverage  ≥ 0.25      0.28"),
        "{out}"
    );
    // A saved report of a shallow clone is refused too.
    let shallow = dir.path().join("shallow.json");
    std::fs::write(&shallow, scan_json(&["shallow"], &[])).unwrap();
    let (code, _, _) = run(&[
        "check",
        "--report",
        shallow.to_str().unwrap(),
        "--max-gini",
        "1",
    ]);
    assert_eq!(code, Some(4));
}

#[test]
fn figures_that_cannot_be_measured_pass_as_na() {
    // An empty window: no commits, no glue, no newcomers.
    let (code, out, _) = run(&[
        "check",
        "team",
        "-q",
        "--since",
        "2030-01-01",
        "--max-top-share",
        "0.1",
        "--min-people-for-half",
        "5",
        "--min-review-coverage",
        "0.9",
        "--min-newcomers-helped",
        "1",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out.matches(" n/a ").count(), 4, "{out}");
    assert!(out.contains("(no commits in the window)"), "{out}");
}

#[test]
fn pass_and_fail_are_coloured_when_asked() {
    let (_, out, _) = run(&[
        "check",
        "team",
        "--max-gini",
        "0.1",
        "--min-people-for-half",
        "1",
        "--color",
        "always",
    ]);
    assert!(
        out.contains("\u{1b}[32m\u{1b}[1mPASS    \u{1b}[0m"),
        "{out:?}"
    );
    assert!(
        out.contains("\u{1b}[31m\u{1b}[1mFAIL    \u{1b}[0m"),
        "{out:?}"
    );
    // Not on a pipe (auto), and never with --color never.
    for color in ["auto", "never"] {
        let (_, out, _) = run(&["check", "team", "--max-gini", "0.1", "--color", color]);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("FAIL    --max-gini"), "{out}");
    }
}

#[test]
fn check_json_holds_the_figures_and_verdicts() {
    let (code, out, err) = run(&[
        "check",
        "team",
        "--max-gini",
        "0.1",
        "--min-people-for-half",
        "1",
        "--json",
        "-",
    ]);
    assert_eq!(code, Some(3), "{err}");
    // Standard output holds only the JSON.
    let v: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(v["passed"], false);
    assert_eq!(v["failures"], 1);
    let t = v["thresholds"].as_array().unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t[1]["option"], "--max-gini");
    assert_eq!(t[1]["pass"], false);
    assert_eq!(t[0]["pass"], true);
    // Limits and measured values are numbers (a count is an integer), each beside the text the
    // table shows.
    assert_eq!(t[0]["limit"], 1, "{v}");
    assert!(t[0]["measured"].is_u64(), "{v}");
    assert_eq!(t[0]["measured_text"], t[0]["measured"].to_string());
    assert_eq!(t[0]["limit_text"], "≥ 1");
    assert_eq!(t[1]["limit"], 0.1);
    let gini = t[1]["measured"].as_f64().expect("a number");
    assert!(gini > 0.1 && gini <= 1.0, "{v}");
    assert_eq!(t[1]["measured_text"], format!("{gini:.2}"));
    // To a file, beside the table.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gate.json");
    let (code, out, _) = run(&[
        "check",
        "team",
        "--max-gini",
        "0.9",
        "--json",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(out.contains("PASS    --max-gini"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["passed"], true);
}

/// `check --json` keeps its keys in a fixed, meaningful order (not a map's alphabetical one):
/// the verdict, the window, the repositories, the team's size, then the thresholds in the
/// table's order, each with its fields in the order of `gate::Outcome`. docs/ci.md shows the
/// output as it is, byte for byte.
#[test]
fn check_json_keys_in_a_fixed_order_as_documented() {
    let args = [
        "check",
        "team",
        "--min-people-for-half",
        "1",
        "--max-gini",
        "0.1",
    ];
    let (code, out, err) = run(&[&args[..], &["--json", "-"]].concat());
    assert_eq!(code, Some(3), "{err}");
    // The keys at a given indentation, in the order printed.
    let keys = |indent: usize| -> Vec<String> {
        let prefix = format!("{}\"", " ".repeat(indent));
        out.lines()
            .filter_map(|l| l.strip_prefix(&prefix)?.split_once("\": "))
            .map(|(key, _)| key.to_string())
            .collect()
    };
    assert_eq!(
        keys(2),
        [
            "passed",
            "failures",
            "window",
            "repositories",
            "people",
            "commits",
            "thresholds"
        ],
        "{out}"
    );
    assert_eq!(
        keys(4),
        ["since", "until", "period"],
        "the window's, as in the report"
    );
    let fields = [
        "option",
        "label",
        "limit",
        "limit_text",
        "measured",
        "measured_text",
        "pass",
        "note",
    ];
    assert_eq!(keys(6), [fields, fields].concat(), "{out}");
    // The thresholds in the order the table shows them.
    let (_, table, _) = run(&args);
    let rows: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("PASS    ").or(l.strip_prefix("FAIL    ")))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let options: Vec<&str> = v["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["option"].as_str().unwrap())
        .collect();
    assert_eq!(options, rows, "{table}");
    // docs/ci.md, "Check JSON", shows this very output.
    let doc = read("docs/ci.md");
    let block = doc
        .split("### Check JSON")
        .nth(1)
        .and_then(|s| s.split("```json\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("docs/ci.md has a JSON block under Check JSON");
    assert_eq!(
        block, out,
        "docs/ci.md's check --json example is not the output"
    );
}

#[test]
fn person_json_writes_the_slice() {
    let (code, out, err) = run(&["person", "Maya Lindqvist", "team", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(v["person"]["name"], "Maya Lindqvist", "{v}");
    let (_, same, _) = run(&["person", "Maya Lindqvist", "team", "--format", "json"]);
    assert_eq!(out, same);
}
