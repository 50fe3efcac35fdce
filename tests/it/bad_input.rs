//! Bad input gets one clear line naming what and where, never a panic; one bad repository does
//! not sink the others.

use crate::support as common;

use common::*;

fn assert_no_panic(err: &str) {
    assert!(!err.contains("panicked"), "panic: {err}");
    assert!(!err.contains("RUST_BACKTRACE"), "panic: {err}");
}

#[test]
fn not_a_repository() {
    let (code, _, err) = run(&["scan", "not-a-repo", "--json", "-"]);
    assert_eq!(code, Some(2));
    assert_no_panic(&err);
    assert!(
        err.contains("error: not-a-repo: not a git repository"),
        "{err}"
    );
}

#[test]
fn missing_path() {
    let (code, _, err) = run(&["scan", "no/such/place", "--json", "-"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("error: no/such/place: no such file or directory"),
        "{err}"
    );
}

#[test]
fn empty_repository_is_scanned_as_empty() {
    let (code, out, err) = run(&["scan", "empty", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: empty: repository has no commits"),
        "{err}"
    );
    let r = parse(&out);
    assert_eq!(r["repositories"][0]["head"], serde_json::Value::Null);
    assert_eq!(r["people"].as_array().unwrap().len(), 0);
    // The table says so rather than printing an empty grid.
    let (_, table, _) = run(&["scan", "empty"]);
    assert!(table.contains("No commits in this window."), "{table}");
}

#[test]
fn unborn_head_says_which_branches_exist() {
    let (code, _, err) = run(&["scan", "unborn", "--json", "-"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("error: unborn: HEAD points to branch 'main', which has no commits"),
        "{err}"
    );
    assert!(err.contains("--rev") && err.contains("work"), "{err}");
    let (code, out, err) = run(&["scan", "unborn", "--rev", "work", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        parse(&out)["repositories"][0]["head"],
        "cf57f9d74e72f4d4c692ea4e40b08ca7e975b931"
    );
}

#[test]
fn unknown_revision() {
    let (code, _, err) = run(&["scan", "team", "--rev", "no-such-branch", "--json", "-"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("error: team: revision 'no-such-branch' not found"),
        "{err}"
    );
}

#[test]
fn detached_head_is_scanned_from_where_it_points() {
    let (code, out, err) = run(&["scan", "detached", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        parse(&out)["repositories"][0]["head"],
        "3d128ce8a7caa30a49f93405e8adb7d456a806ce"
    );
}

#[test]
fn shallow_clone_warns_that_counts_are_partial() {
    let (code, out, err) = run(&["scan", "shallow", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    let r = parse(&out);
    assert_eq!(r["repositories"][0]["shallow"], true);
    assert!(err.contains("shallow clone: history is cut"), "{err}");
    assert!(r["repositories"][0]["history"].as_u64().unwrap() < 60);
}

#[test]
fn corrupt_and_missing_objects_are_warnings_on_that_commit() {
    for repo in ["corrupt-object", "missing-object"] {
        let (code, out, err) = run(&["scan", repo, "--json", "-"]);
        assert_eq!(code, Some(0), "{repo}: {err}");
        assert_no_panic(&err);
        let r = parse(&out);
        let warnings: Vec<&str> = r["repositories"][0]["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        let on_commit: Vec<&&str> = warnings
            .iter()
            .filter(|w| {
                w.starts_with(
                    "commit 6a0a2d56ba845172932a65571f383827c61fa6d0: cannot read its changes",
                )
            })
            .collect();
        assert_eq!(on_commit.len(), 1, "{repo}: {warnings:?}");
        assert!(
            on_commit[0].contains("judged by its message alone"),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(".gluework.toml at 6a0a2d56ba84: cannot read the tree")),
            "{warnings:?}"
        );
        if repo == "corrupt-object" {
            assert!(warnings.contains(&"object 3ad4a441e91b51b70b7a01ac1e84888d1dee10e9 is corrupt (run `git fsck`); commits that need it are judged without it"), "{warnings:?}");
        }
        assert!(!r["people"].as_array().unwrap().is_empty());
    }
}

#[test]
fn malformed_mailmap_lines_are_skipped_with_a_warning() {
    let (code, out, err) = run(&["scan", "bad-mailmap", "--json", "-"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning: bad-mailmap: .mailmap line "),
        "{err}"
    );
    let r = parse(&out);
    let warnings: Vec<&str> = r["repositories"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().all(|w| w.starts_with(".mailmap line ")),
        "{warnings:?}"
    );
    assert_golden("bad-mailmap.json", &out);
}

#[test]
fn one_bad_repository_does_not_sink_the_others() {
    let (code, out, err) = run(&[
        "scan",
        "team",
        "not-a-repo",
        "unborn",
        "multi",
        "--json",
        "-",
    ]);
    assert_eq!(code, Some(1));
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 3, "{err}");
    assert!(
        errors[2].contains("2 of 6 repositories could not be scanned"),
        "{err}"
    );
    let r = parse(&out);
    let names: Vec<&str> = r["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    // Repositories are in name order, whatever the order they were named in.
    assert_eq!(names, ["a", "b", "c", "team"]);
}

#[test]
fn nothing_scannable_fails_without_a_report() {
    let (code, out, err) = run(&["scan", "not-a-repo", "--json", "-"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("no repository could be scanned"), "{err}");
}

#[test]
fn bad_options_exit_2_with_one_line() {
    for (args, want) in [
        (
            vec!["scan", "team", "--since", "the other day"],
            "error: --since: invalid date \"the other day\"",
        ),
        (
            vec![
                "scan",
                "team",
                "--since",
                "2024-05-01",
                "--until",
                "2024-04-01",
            ],
            "--since is after --until",
        ),
        (
            vec!["scan", "team", "--mailmap", "no-such.mailmap"],
            "error: --mailmap no-such.mailmap",
        ),
        (
            vec!["render", "no-such.json"],
            "error: cannot read no-such.json",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn special_output_files_are_written_in_place() {
    // Writing to /dev/null must not replace the device with a file.
    let (code, _, err) = run(&["scan", "team", "-q", "--json", "/dev/null"]);
    assert_eq!(code, Some(0), "{err}");
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null was replaced by a plain file");
}

#[test]
fn dates_as_git_takes_them_give_the_same_window() {
    // A year or a month means its first (or, for --until, last) second; a relative date far
    // enough back holds the whole history, and is resolved to a date in the report.
    let year = scan_json(&["team"], &["--since", "2024", "--until", "2024-03"]);
    let days = scan_json(
        &["team"],
        &["--since", "2024-01-01", "--until", "2024-03-31T23:59:59Z"],
    );
    assert_eq!(year, days);
    // (A window of a hundred years is counted in years by `--period auto`: monthly here.)
    let all = parse(&scan_json(
        &["team"],
        &["--since", "100.years.ago", "--period", "month"],
    ));
    let since = all["window"]["since"].as_str().unwrap();
    assert!(since.len() == 20 && since.ends_with('Z'), "{since}");
    let whole = parse(&scan_json(&["team"], &[]));
    assert_eq!(all["people"], whole["people"]);
    let yearly = parse(&scan_json(&["team"], &["--since", "100.years.ago"]));
    assert_eq!(yearly["window"]["period"], "year");
    assert_eq!(whole["window"]["period"], "month");
}

#[test]
fn completions_and_manual_pages() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        for word in ["scan", "--since", "--out", "person"] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    // `scan -h` groups its options by topic.
    let (_, help, _) = run(&["scan", "-h"]);
    let at = |h: &str| {
        help.find(h)
            .unwrap_or_else(|| panic!("{h} missing:\n{help}"))
    };
    assert!(at("What to scan:") < at("Window:"));
    assert!(at("Window:") < at("Outputs:") && at("Outputs:") < at("Charts:"));
    let (_, help, _) = run(&["--help"]);
    assert!(help.contains("gluework man"), "{help}");
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with(".ie") && out.contains(".TH gluework 1"),
        "{out}"
    );
    assert!(out.contains("gluework\\-scan(1)"), "{out}");
    let (code, out, _) = run(&["man", "fetch", "github"]);
    assert_eq!(code, Some(0));
    assert!(out.contains(".TH gluework-fetch-github 1"), "{out}");
    assert!(out.contains("\\-\\-token\\-file"), "{out}");
    let (code, _, err) = run(&["man", "nope"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no subcommand \"nope\""), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn everyone_is_spelled_all() {
    let all = run(&["scan", "team", "--rows", "all", "--color", "never"]).1;
    let zero = run(&["scan", "team", "--rows", "0", "--color", "never"]).1;
    let two = run(&["scan", "team", "--rows", "2", "--color", "never"]).1;
    assert_eq!(all, zero);
    assert!(all.lines().count() > two.lines().count(), "{all}\n{two}");
    let (code, _, err) = run(&["scan", "team", "--top", "everyone"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("expected a number or `all`"), "{err}");
}

#[test]
fn file_outputs_say_what_they_wrote_and_keep_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = out.to_str().unwrap();
    let (code, stdout, err) = run(&["scan", "team", "--out", o, "--charts", "svg", "--top", "3"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.starts_with("Glue work in team"), "{stdout}");
    let charts = walk_files(&out.join("charts"));
    assert!(charts > 0);
    assert_eq!(
        err.trim_end(),
        format!("wrote {o}/report.md, {o}/index.html, {o}/gluework.json and {charts} charts"),
    );
    // --csv FILE alone keeps the table.
    let csv = dir.path().join("people.csv");
    let (code, stdout, err) = run(&["scan", "team", "--csv", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.starts_with("Glue work in team"), "{stdout}");
    assert_eq!(err.trim_end(), format!("wrote {}", csv.display()));
    // An output on standard output is the only thing there.
    let (_, stdout, _) = run(&["scan", "team", "--json", "-"]);
    parse(&stdout);
    // -q: nothing but errors, for scan and render alike.
    let (code, stdout, err) = run(&["scan", "team", "-q", "--out", o]);
    assert_eq!((code, stdout.as_str(), err.as_str()), (Some(0), "", ""));
    let json = out.join("gluework.json");
    let (code, stdout, err) = run(&["render", json.to_str().unwrap(), "-q", "--out", o]);
    assert_eq!((code, stdout.as_str(), err.as_str()), (Some(0), "", ""));
    let (_, stdout, err) = run(&["render", json.to_str().unwrap(), "--out", o]);
    assert!(stdout.starts_with("Glue work in team"), "{stdout}");
    assert!(err.starts_with(&format!("wrote {o}/report.md")), "{err}");
    // Two outputs cannot share standard output.
    let (code, _, err) = run(&["scan", "team", "--json", "-", "--csv", "-"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("only one of --json, --csv and --events"),
        "{err}"
    );
}

fn walk_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn warnings_are_folded_and_not_repeated_from_the_cache() {
    // A cache of its own: the first scan of bad-mailmap here is this test's.
    let cache = tempfile::tempdir().unwrap();
    let json = cache.path().join("r.json");
    let scan = || {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gluework"))
            .args(["scan", "bad-mailmap", "--json", json.to_str().unwrap()])
            .current_dir(fixtures())
            .env("NO_COLOR", "1")
            .env("GLUEWORK_CACHE_DIR", cache.path())
            .env("XDG_CONFIG_HOME", cache.path().join("no-config"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        stderr(&o)
    };
    let first = scan();
    let lines: Vec<&str> = first
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    // Five malformed lines, one warning line naming the first and how many more.
    assert_eq!(lines.len(), 1, "{first}");
    assert!(
        lines[0].starts_with("warning: bad-mailmap: .mailmap line 3: ")
            && lines[0].ends_with(&format!(
                "(and 4 more like it; all are in {})",
                json.display()
            )),
        "{first}"
    );
    let again = scan();
    assert!(
        again.contains(&format!(
            "warning: bad-mailmap: 5 warnings, the same as at the last scan (all are in {})",
            json.display()
        )),
        "{again}"
    );
    let report = parse(&std::fs::read_to_string(&json).unwrap());
    assert_eq!(
        report["repositories"][0]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[test]
fn progress_always_draws_to_a_file_and_auto_does_not() {
    let (code, _, err) = run(&[
        "scan",
        "team",
        "--no-cache",
        "--progress",
        "always",
        "--json",
        "/dev/null",
    ]);
    assert_eq!(code, Some(0), "{err}");
    // The spinner's count, then the bar with whole-number rates.
    assert!(err.contains(" read, ") && err.contains("/s"), "{err:?}");
    for rate in err.split_whitespace().filter_map(|t| t.strip_suffix("/s")) {
        assert!(
            rate.chars().all(|c| c.is_ascii_digit() || c == ','),
            "a rate that is not a whole number: {rate:?} in {err:?}"
        );
    }
    let (_, _, err) = run(&["scan", "team", "--no-cache", "--json", "/dev/null"]);
    assert!(!err.contains(" read, "), "{err:?}");
}

#[test]
fn a_saved_report_is_given_with_report_to_every_command_that_reads_one() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let j = json.to_str().unwrap();
    let (code, _, err) = run(&["scan", "team", "-q", "--json", j]);
    assert_eq!(code, Some(0), "{err}");
    let (_, positional, _) = run(&["render", j]);
    let (code, flag, err) = run(&["render", "--report", j]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(positional, flag);
    for args in [
        vec!["person", "Maya Lindqvist", "--report", j],
        vec!["check", "--report", j, "--max-gini", "0.9"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}

#[test]
fn a_revision_range_counts_credits_inside_it_and_newcomers_on_the_whole_history() {
    let git_count = |args: &[&str]| -> u64 {
        let o = std::process::Command::new("git")
            .args(args)
            .current_dir(fixtures().join("team"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    let range = parse(&scan_json(&["team"], &["--rev", "HEAD~20..HEAD"]));
    let whole = parse(&scan_json(&["team"], &[]));
    assert_eq!(range["window"]["range"], "HEAD~20..HEAD");
    assert!(whole["window"].get("range").is_none());
    // The commits git lists for the range, merges aside.
    let in_range = git_count(&["rev-list", "--count", "--no-merges", "HEAD~20..HEAD"]);
    assert_eq!(range["team"]["commits"].as_u64().unwrap(), in_range);
    assert!(in_range < whole["team"]["commits"].as_u64().unwrap());
    // A newcomer of the range is a newcomer of the whole history whose first commit is in it.
    let first_commits = |r: &serde_json::Value| -> Vec<String> {
        r["team"]["newcomers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["first_commit"].as_str().unwrap().to_string())
            .collect()
    };
    let all = first_commits(&whole);
    for c in first_commits(&range) {
        assert!(all.contains(&c), "{c} is no newcomer of the whole history");
        let outside = std::process::Command::new("git")
            .args(["merge-base", "--is-ancestor", &c, "HEAD~20"])
            .current_dir(fixtures().join("team"))
            .status()
            .unwrap()
            .success();
        assert!(!outside, "{c} is outside the range");
    }
    assert!(first_commits(&range).len() < all.len());
    // The terminal names the range; a part cannot hold one.
    let (_, table, _) = run(&["scan", "team", "--rev", "HEAD~20..HEAD"]);
    assert!(
        table.starts_with("Glue work in team · HEAD~20..HEAD"),
        "{table}"
    );
    let (code, _, err) = run(&["scan", "team", "--rev", "HEAD~20..", "--part", "p.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--part cannot hold a revision range"), "{err}");
}
