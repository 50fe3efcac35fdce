//! End-to-end: the built binary on the fixture repositories, compared with golden reports and
//! with the hand-written oracle in fixtures/expected/.

use crate::support as common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn tsv(name: &str) -> Vec<BTreeMap<String, String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/expected")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn team_credits_match_the_hand_written_oracle() {
    let report = parse(&scan_json(&["team"], &[]));
    let label: BTreeMap<(String, String), String> = tsv("team-commits.tsv")
        .into_iter()
        .map(|c| {
            (
                (c["date"].clone(), c["subject"].clone()),
                c["commit"].clone(),
            )
        })
        .collect();
    let mut expected: Vec<(String, String, String, String)> = tsv("team-credits.tsv")
        .into_iter()
        .map(|r| {
            (
                r["commit"].clone(),
                r["person"].clone(),
                r["category"].clone(),
                r["kind"].clone(),
            )
        })
        .collect();
    let mut got = Vec::new();
    for p in report["people"].as_array().unwrap() {
        for e in p["evidence"].as_array().unwrap() {
            let key = (
                e["date"].as_str().unwrap()[..10].to_string(),
                e["subject"].as_str().unwrap().to_string(),
            );
            let l = label
                .get(&key)
                .cloned()
                .unwrap_or_else(|| format!("?{}", key.1));
            got.push((
                l,
                p["name"].as_str().unwrap().to_string(),
                e["category"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
            ));
        }
    }
    expected.sort();
    got.sort();
    let missing: Vec<_> = expected.iter().filter(|e| !got.contains(e)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !expected.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(got.len(), 116);
}

#[test]
fn team_report_is_golden() {
    assert_golden("team.json", &scan_json(&["team"], &[]));
}

#[test]
fn team_summary_figures() {
    let r = parse(&scan_json(&["team"], &[]));
    let maya = person(&r, "Maya Lindqvist");
    assert_eq!(maya["categories"]["review"], 10);
    assert_eq!(
        maya["glue"],
        maya["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["category"] != "code")
            .count()
    );
    // Every category's count equals its evidence items.
    for p in r["people"].as_array().unwrap() {
        for c in r["categories"].as_array().unwrap() {
            let n = p["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["category"] == *c)
                .count();
            assert_eq!(p["categories"][c.as_str().unwrap()], n, "{} {c}", p["name"]);
        }
    }
    let bot = person(&r, "dependabot[bot]");
    assert_eq!(bot["bot"], true);
    assert_eq!(r["repositories"][0]["merges"], 3);
    assert_eq!(r["repositories"][0]["commits"], 60);
    // Team figures leave the bot out.
    let humans = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["bot"] == false)
        .count();
    assert_eq!(r["team"]["people"], humans);
    let sum: u64 = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["bot"] == false)
        .map(|p| p["glue"].as_u64().unwrap())
        .sum();
    assert_eq!(r["team"]["glue"], sum);
}

/// Everything but the repository's own name and path.
fn without_repo_identity(mut v: Value) -> Value {
    for r in v["repositories"].as_array_mut().unwrap() {
        r["name"] = Value::Null;
        r["path"] = Value::Null;
    }
    let s = v
        .to_string()
        .replace("\"repo\":\"team-bare\"", "\"repo\":\"team\"")
        .replace("\"repo\":\"mirror\"", "\"repo\":\"team\"");
    serde_json::from_str(&s).unwrap()
}

#[test]
fn bare_clone_gives_the_same_report() {
    let a = without_repo_identity(parse(&scan_json(&["team"], &[])));
    let b = without_repo_identity(parse(&scan_json(&["team-bare"], &[])));
    assert_same(&a, &b);
}

#[test]
fn git_directory_without_config_reads_head_mailmap() {
    // A plain mirror folder (a git directory with no config file) is bare to git; libgit2 would
    // take its parent folder as the work tree. The mailmap must still come from HEAD:.mailmap.
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("mirror");
    let out = std::process::Command::new("cp")
        .arg("-r")
        .arg(fixtures().join("team-bare"))
        .arg(&mirror)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::remove_file(mirror.join("config")).unwrap();
    let out = gluework(tmp.path(), &["scan", "mirror", "--json", "-", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = without_repo_identity(parse(&scan_json(&["team"], &[])));
    let b = without_repo_identity(parse(&stdout(&out)));
    assert_same(&a["people"], &b["people"]);
}

#[test]
fn output_is_deterministic_whatever_the_thread_count() {
    let one = scan_json(&["team", "multi"], &["-j1"]);
    let two = scan_json(&["team", "multi"], &["-j2"]);
    let again = scan_json(&["team", "multi"], &["-j2"]);
    assert_eq!(one, two);
    assert_eq!(two, again);
}

/// The aggregation and the JSON output work in chunks of commits and pieces of evidence side by
/// side (4,096 commits, 1,024 evidence items): a generated history of several chunks gives the
/// same bytes with one thread, three, and from the cache.
#[test]
fn a_history_of_several_chunks_is_the_same_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("big.git");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gluework-genrepo"))
        .args(["--commits", "9000", "--seed", "3"])
        .arg(&repo)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let cache = tmp.path().join("cache");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gluework"))
            .arg("scan")
            .arg(&repo)
            .args(["--json", "-", "-q"])
            .args(args)
            .env("GLUEWORK_CACHE_DIR", &cache)
            .env("XDG_CONFIG_HOME", tmp.path().join("no-config"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let one = run(&["-j1", "--no-cache"]);
    let report = parse(&String::from_utf8(one.clone()).unwrap());
    let evidence: Vec<usize> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["evidence"].as_array().unwrap().len())
        .collect();
    assert!(report["repositories"][0]["history"].as_u64() == Some(9000));
    assert!(
        evidence[0] > 1024,
        "a person's evidence spans pieces: {evidence:?}"
    );
    assert!(one == run(&["-j3", "--no-cache"]), "-j3 differs from -j1");
    run(&["-j2"]);
    assert!(one == run(&["-j2"]), "the cached scan differs");
}

#[test]
fn scanning_writes_nothing_into_the_repository() {
    for repo in ["team", "team-bare", "mailmap-config"] {
        let dir = fixtures().join(repo);
        let before = snapshot(&dir);
        let out = gluework(fixtures(), &["scan", repo, "--json", "-", "-q"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = gluework(&dir, &["scan", "-q"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(snapshot(&dir), before, "{repo} changed");
    }
}

#[test]
fn folders_of_repositories_and_recursion() {
    let r = parse(&scan_json(&["multi"], &[]));
    let names: Vec<&str> = r["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let paths: Vec<&str> = r["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["multi/a", "multi/b", "multi/c"]);
    // One email across repositories: one person, named as on the latest commit.
    let sam = person(&r, "Sam Rivera");
    assert_eq!(sam["email"], "sam@example.com");
    assert_eq!(sam["by_repo"].as_array().unwrap().len(), 3);
    let deep = parse(&scan_json(&["multi"], &["--recursive"]));
    let names: Vec<&str> = deep["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    assert_golden(
        "multi-recursive.json",
        &scan_json(&["multi"], &["--recursive"]),
    );
}

#[test]
fn window_counts_by_commit_date_and_keeps_newcomers_on_full_history() {
    let all = parse(&scan_json(&["team"], &[]));
    let q2 = parse(&scan_json(
        &["team"],
        &["--since", "2024-04-01", "--until", "2024-06-30"],
    ));
    assert_eq!(q2["window"]["since"], "2024-04-01T00:00:00Z");
    assert_eq!(q2["window"]["until"], "2024-06-30T23:59:59Z");
    for p in q2["people"].as_array().unwrap() {
        for e in p["evidence"].as_array().unwrap() {
            let d = e["date"].as_str().unwrap();
            assert!(("2024-04-01".."2024-07-01").contains(&d), "{d}");
        }
        assert!(p["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["period"].as_str().unwrap() >= "2024-04"));
    }
    let total = |r: &Value| r["team"]["glue"].as_u64().unwrap();
    assert!(total(&q2) < total(&all));
    // Newcomers are people whose first commit ever is in the window: founders are not.
    let newcomers: Vec<&str> = q2["team"]["newcomers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(!newcomers.contains(&"Maya Lindqvist"), "{newcomers:?}");
    // Weekly and quarterly periods.
    let w = parse(&scan_json(&["team"], &["--period", "week"]));
    assert!(w["people"][0]["timeline"][0]["period"]
        .as_str()
        .unwrap()
        .contains("-W"));
    let q = parse(&scan_json(&["team"], &["--period", "quarter"]));
    assert_eq!(q["window"]["period"], "quarter");
    assert!(q["people"][0]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["period"].as_str().unwrap().contains("-Q")));
}

#[test]
fn mailmap_from_configuration_and_command_line() {
    let r = parse(&scan_json(&["mailmap-config"], &[]));
    let names: Vec<&str> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_golden("mailmap-config.json", &scan_json(&["mailmap-config"], &[]));
    // --mailmap applies after the repository's own.
    let tmp = tempfile::tempdir().unwrap();
    let extra = tmp.path().join("extra.mailmap");
    let first = &r["people"][0];
    std::fs::write(
        &extra,
        format!("Renamed Person <{}>\n", first["email"].as_str().unwrap()),
    )
    .unwrap();
    let r2 = parse(&scan_json(
        &["mailmap-config"],
        &["--mailmap", extra.to_str().unwrap()],
    ));
    assert!(
        r2["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Renamed Person"),
        "{names:?}"
    );
}

#[test]
fn terminal_table_lists_people_without_colour_when_piped() {
    let out = gluework(fixtures(), &["scan", "team"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("Glue work in team"), "{text}");
    assert!(text
        .lines()
        .any(|l| l.contains("review") && l.contains("glue") && l.contains("code")));
    assert!(text.contains("Maya Lindqvist"));
    assert!(
        !text.contains("dependabot"),
        "bots are hidden without --include-bots"
    );
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    let with_bots = stdout(&gluework(fixtures(), &["scan", "team", "--include-bots"]));
    assert!(with_bots.contains("dependabot[bot] [bot]"));
    let coloured = stdout(&gluework(
        fixtures(),
        &["scan", "team", "--color", "always"],
    ));
    assert!(coloured.contains('\u{1b}'));
    let top = stdout(&gluework(fixtures(), &["scan", "team", "--rows", "2"]));
    assert!(top.contains("more people"));
}

#[test]
fn render_reads_a_saved_report_without_the_repositories() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gluework(
        fixtures(),
        &["scan", "team", "-q", "--out", tmp.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = std::fs::read_to_string(tmp.path().join("gluework.json")).unwrap();
    let again = gluework(tmp.path(), &["render", "gluework.json", "--json", "-"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&again), saved);
    let table = gluework(tmp.path(), &["render", "gluework.json"]);
    assert!(stdout(&table).contains("Maya Lindqvist"));
    // A schema 1 report (each evidence item with its commit's facts inline, no `commits`
    // table) is converted on read: the same outputs, and `render --json` rewrites it as
    // schema 2 byte for byte.
    let mut v1 = parse_raw(&saved);
    inline_commits(&mut v1);
    assert_eq!(v1["schema_version"], 1);
    assert!(v1["people"][0]["evidence"][0]["subject"].is_string());
    std::fs::write(
        tmp.path().join("v1.json"),
        serde_json::to_string_pretty(&v1).unwrap(),
    )
    .unwrap();
    let converted = gluework(tmp.path(), &["render", "v1.json", "--json", "-"]);
    assert!(converted.status.success(), "{}", stderr(&converted));
    assert_eq!(stdout(&converted), saved);
    let outputs = |file: &str| {
        let dir = tmp.path().join(format!("out-{file}"));
        let events = tmp.path().join(format!("{file}.ndjson"));
        let o = gluework(
            tmp.path(),
            &[
                "render",
                file,
                "--out",
                dir.to_str().unwrap(),
                "--events",
                events.to_str().unwrap(),
                "--csv",
                "-",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let files: Vec<(String, Vec<u8>)> = snapshot(&dir)
            .into_iter()
            .map(|(p, bytes, _)| (p.strip_prefix(&dir).unwrap().display().to_string(), bytes))
            .collect();
        assert!(files.len() > 3, "{files:?}");
        (stdout(&o), files, std::fs::read(events).unwrap())
    };
    assert_eq!(outputs("v1.json"), outputs("gluework.json"));
    // An evidence row outside the table, or a commit id that is not one, is refused in one
    // line that quotes nothing of the file.
    let mut bad = parse_raw(&saved);
    bad["people"][0]["evidence"][0]["row"] = 999_999.into();
    std::fs::write(tmp.path().join("bad.json"), bad.to_string()).unwrap();
    let o = gluework(tmp.path(), &["render", "bad.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("malformed gluework report: evidence refers to commits row 999999"),
        "{}",
        stderr(&o)
    );
    let mut bad = parse_raw(&saved);
    bad["commits"][0]["commit"] = "not-hex)\"><b>".into();
    std::fs::write(tmp.path().join("bad.json"), bad.to_string()).unwrap();
    let o = gluework(tmp.path(), &["render", "bad.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("malformed gluework report") && !stderr(&o).contains("<b>"),
        "{}",
        stderr(&o)
    );
    // Another schema version is refused with a message.
    std::fs::write(
        tmp.path().join("old.json"),
        saved.replacen("\"schema_version\": 2", "\"schema_version\": 99", 1),
    )
    .unwrap();
    let old = gluework(tmp.path(), &["render", "old.json"]);
    assert_eq!(old.status.code(), Some(2));
    assert!(
        stderr(&old).contains("schema version 99"),
        "{}",
        stderr(&old)
    );
}

#[test]
fn non_utf8_history_is_decoded() {
    let out = gluework(fixtures(), &["scan", "non-utf8", "--json", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = parse(&stdout(&out));
    let all = stdout(&out);
    assert!(
        all.contains("Jos\u{e9} Mu\u{f1}oz"),
        "Latin-1 name decoded: {all}"
    );
    assert!(
        all.contains("R\u{e9}sum\u{e9} des caf\u{e9}s"),
        "Latin-1 subject decoded"
    );
    let warnings = r["repositories"][0]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("not valid UTF-8")),
        "{warnings:?}"
    );
    assert!(
        all.contains("Zo\u{eb} Lat\u{ed}n"),
        "undeclared Latin-1 name read as Windows-1252"
    );
    assert!(warnings.iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("declares no encoding; read as Windows-1252")));
    assert_golden("non-utf8.json", &all);
}

#[test]
fn report_folder_holds_json_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "-q",
            "--out",
            dir.to_str().unwrap(),
            "--people",
            "2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("gluework.json").is_file());
    for chart in [
        "who-carries-glue",
        "concentration",
        "trend",
        "who-helps-whom",
    ] {
        for ext in ["svg", "png"] {
            assert!(
                dir.join(format!("charts/{chart}.{ext}")).is_file(),
                "{chart}.{ext}"
            );
        }
    }
    let people: Vec<String> = std::fs::read_dir(dir.join("charts/people"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        people.len(),
        8,
        "two people, two charts, two formats: {people:?}"
    );
    assert!(people.contains(&"maya-lindqvist-profile.svg".to_string()));
    // The same folder from the saved report, SVG only, one person.
    let again = tmp.path().join("again");
    let out = gluework(
        tmp.path(),
        &[
            "render",
            "report/gluework.json",
            "--out",
            again.to_str().unwrap(),
            "--charts",
            "svg",
            "--person",
            "Dana Park",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let people: Vec<String> = std::fs::read_dir(again.join("charts/people"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(people.len(), 2, "{people:?}");
    assert!(!again.join("charts/trend.png").exists());
    assert_eq!(
        std::fs::read(dir.join("charts/trend.svg")).unwrap(),
        std::fs::read(again.join("charts/trend.svg")).unwrap(),
        "charts are drawn from the report alone"
    );
    // An unknown person is a clear error.
    let out = gluework(
        tmp.path(),
        &[
            "render",
            "report/gluework.json",
            "--out",
            again.to_str().unwrap(),
            "--person",
            "Nobody",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Nobody"), "{}", stderr(&out));
}

/// Per person: (review count, evidence kinds of review credits, sorted).
fn review_kinds(report: &serde_json::Value) -> Vec<(String, u64, Vec<String>)> {
    report["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut kinds: Vec<String> = p["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["category"] == "review")
                .map(|e| e["kind"].as_str().unwrap().to_string())
                .collect();
            kinds.sort();
            (
                p["name"].as_str().unwrap().to_string(),
                p["categories"]["review"].as_u64().unwrap(),
                kinds,
            )
        })
        .collect()
}

#[test]
fn gerrit_review_notes_credit_the_voters() {
    let report = parse(&scan_json(&["gerrit"], &[]));
    let got = review_kinds(&report);
    let want = [
        // Ann's own change earns her nothing; her +2 and her Reviewed-by footer on n3 are one
        // review; on n2 her vote, her submission and her applying the commit are one.
        (
            "Ann Berg",
            2,
            vec!["gerrit:code-review+2", "trailer:reviewed-by"],
        ),
        // Votes under an old address count for the person the .mailmap names; -1 is a review.
        (
            "Chi Nguyen",
            2,
            vec!["gerrit:code-review+1", "gerrit:code-review-1"],
        ),
        ("Ben Costa", 0, vec![]),
    ];
    let want: Vec<(String, u64, Vec<String>)> = want
        .into_iter()
        .map(|(n, c, k)| (n.to_string(), c, k.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(got, want);
    // The CI bot's Verified votes earn nothing, and it is not listed.
    assert!(!report.to_string().contains("CI Bot"));
    assert!(report["repositories"][0]["warnings"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn gerrit_notes_ref_can_be_named_and_a_missing_one_is_a_warning() {
    // `review` is short for refs/notes/review.
    let short = scan_json(&["gerrit"], &["--notes", "review"]);
    assert_eq!(short, scan_json(&["gerrit"], &[]));
    let other = parse(&scan_json(&["gerrit"], &["--notes", "refs/notes/votes"]));
    let warnings = other["repositories"][0]["warnings"].to_string();
    assert!(
        warnings.contains("--notes refs/notes/votes: no such notes ref"),
        "{warnings}"
    );
    // Without the notes, only the Reviewed-by footer and applying remain.
    let ann = &review_kinds(&other)[0];
    assert_eq!(ann.0, "Ann Berg");
    assert!(ann.2.iter().all(|k| !k.starts_with("gerrit:")), "{ann:?}");
}

/// Credit lines as projects write them (fixtures/repos/credit-lines.sh): every credit the
/// fixture's comments promise, and nothing from the lines that name nobody.
#[test]
fn credit_lines_as_projects_write_them() {
    let json = scan_json(&["credit-lines"], &[]);
    assert_golden("credit-lines.json", &json);
    let r = parse(&json);
    let mut got: Vec<(String, String, String, String)> = Vec::new();
    for p in r["people"].as_array().unwrap() {
        for e in p["evidence"].as_array().unwrap() {
            let kind = e["kind"].as_str().unwrap();
            if kind.starts_with("trailer:") {
                got.push((
                    e["subject"].as_str().unwrap().to_string(),
                    p["id"].as_str().unwrap().to_string(),
                    e["category"].as_str().unwrap().to_string(),
                    kind.to_string(),
                ));
            }
        }
    }
    got.sort();
    let mut want: Vec<(String, String, String, String)> = [
        // Not in the final paragraph.
        (
            "Fix stale cache entries",
            "mara@example.org",
            "support",
            "trailer:reported-by",
        ),
        (
            "Fix stale cache entries",
            "ivo@example.org",
            "support",
            "trailer:assisted-by",
        ),
        // Logins on a service.
        (
            "Handle an empty log line",
            "7007+octo-lee@users.noreply.github.com",
            "support",
            "trailer:reported-by",
        ),
        (
            "Handle an empty log line",
            "zeroday on hackerone",
            "support",
            "trailer:reported-by",
        ),
        // Several people on one line.
        (
            "Speed up the cache",
            "mara@example.org",
            "review",
            "trailer:reviewed-by",
        ),
        (
            "Speed up the cache",
            "ivo@example.org",
            "review",
            "trailer:reviewed-by",
        ),
        (
            "Speed up the cache",
            "pat@example.org",
            "support",
            "trailer:reported-by",
        ),
        (
            "Speed up the cache",
            "lou@example.org",
            "support",
            "trailer:reported-by",
        ),
        // Key variants.
        (
            "Add the retry loop",
            "pat@example.org",
            "support",
            "trailer:reported-by",
        ),
        (
            "Add the retry loop",
            "ivo@example.org",
            "support",
            "trailer:idea-by",
        ),
        (
            "Add the retry loop",
            "mara@example.org",
            "support",
            "trailer:help-by",
        ),
        // Malformed addresses.
        (
            "Parse proxy URLs",
            "ivo@example.org",
            "support",
            "trailer:reported-by",
        ),
        (
            "Parse proxy URLs",
            "mara@example.org",
            "review",
            "trailer:tested-by",
        ),
        (
            "Parse proxy URLs",
            "lou@example.org",
            "support",
            "trailer:suggested-by",
        ),
        (
            "Parse proxy URLs",
            "7007+octo-lee@users.noreply.github.com",
            "support",
            "trailer:helped-by",
        ),
        (
            "Parse proxy URLs",
            "pat@example.org",
            "review",
            "trailer:acked-by",
        ),
    ]
    .iter()
    .map(|(s, p, c, k)| (s.to_string(), p.to_string(), c.to_string(), k.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    // `Patch-by: Lou Ng <lou@example.org>` makes Lou a co-author: the commit is Lou's code too.
    let lou = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "lou@example.org")
        .unwrap();
    assert!(lou["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["subject"] == "Add the retry loop" && e["kind"] == "code"));
    // Never people: the organisation, tool, URL, issue and prose lines, and a credit line above
    // a paragraph of prose.
    for p in r["people"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        for bad in [
            "Trail", "OSS", "Acme", "http", "#1234", "nightly", "upstream", "Zed",
        ] {
            assert!(!name.contains(bad), "{name:?} is not a person");
        }
    }
    assert_eq!(r["people"].as_array().unwrap().len(), 7);
}
