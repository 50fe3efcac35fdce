//! Organisation scale (docs/org-scale.md): `--repos FILE`, `--shard K/N` and `--events FILE`
//! (NDJSON and Parquet, the Parquet file read back with a real DuckDB).

use crate::support as common;

use common::{fixtures, gluework, parse, scan_json, stderr, stdout};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

/// Fixture repositories for the list tests, as paths relative to the fixtures folder, with the
/// names they get in the report.
const LISTED: [(&str, &str); 9] = [
    ("multi/a", "a"),
    ("multi/b", "b"),
    ("multi/c", "c"),
    ("team", "team"),
    ("configured", "configured"),
    ("mailmap-config", "mailmap-config"),
    ("non-utf8", "non-utf8"),
    ("detached", "detached"),
    ("hostile", "hostile"),
];

fn repo_names(report: &Value) -> Vec<String> {
    report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

/// A temporary folder holding `repos.txt`, listing `LISTED` with absolute paths.
fn list_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("# every fixture repository of the list tests\n\n");
    for (path, _) in LISTED {
        text.push_str(&format!("{}\n", fixtures().join(path).display()));
    }
    let file = dir.path().join("repos.txt");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

#[test]
fn repos_file_with_comments_relative_and_absolute_paths() {
    let dir = tempfile::tempdir().unwrap();
    let lists = dir.path().join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    // The fixtures folder, reached from the list's folder: relative paths are relative to it.
    let link = lists.join("fx");
    std::os::unix::fs::symlink(fixtures(), &link).unwrap();
    let text = format!(
        "# the org's repositories\n\n   fx/multi/a  \n\t# an indented comment\nfx/team\n{}\n\n",
        fixtures().join("configured").display()
    );
    let file = lists.join("repos.txt");
    std::fs::write(&file, text).unwrap();
    // Run from the fixtures folder: without --repos, `.` would find every fixture.
    let report = parse(&scan_json(&["--repos", file.to_str().unwrap()], &[]));
    let mut names = repo_names(&report);
    names.sort();
    assert_eq!(names, ["a", "configured", "team"]);

    // PATH arguments and the list together.
    let both = parse(&scan_json(
        &["multi/b", "--repos", file.to_str().unwrap()],
        &[],
    ));
    let mut names = repo_names(&both);
    names.sort();
    assert_eq!(names, ["a", "b", "configured", "team"]);
}

#[test]
fn missing_or_empty_repos_file_is_a_usage_error() {
    let out = gluework(
        fixtures(),
        &["scan", "--repos", "no-such-list.txt", "--json", "-"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no-such-list.txt"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "# nothing yet\n\n").unwrap();
    let out = gluework(
        fixtures(),
        &["scan", "--repos", empty.to_str().unwrap(), "--json", "-"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("names no repositories"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn invalid_shards_are_usage_errors() {
    for bad in ["0/3", "4/3", "1/0", "two/3", "3", "-1/3"] {
        let arg = format!("--shard={bad}");
        let out = gluework(fixtures(), &["scan", "team", &arg, "--json", "-"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--shard {bad}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("--shard"),
            "--shard {bad}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn shards_partition_the_list_by_name() {
    let (_dir, file) = list_file();
    let file = file.to_str().unwrap();
    let all: BTreeSet<String> = LISTED.iter().map(|(_, n)| n.to_string()).collect();
    let whole = parse(&scan_json(&["--repos", file], &[]));
    assert_eq!(repo_names(&whole).into_iter().collect::<BTreeSet<_>>(), all);

    for n in [1, 2, 3, 4] {
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let report = parse(&scan_json(&["--repos", file, "--shard", &shard], &[]));
            for name in repo_names(&report) {
                // The documented hash: FNV-1a 64 of the name, modulo N.
                let h = name.bytes().fold(0xcbf29ce484222325u64, |h, b| {
                    (h ^ b as u64).wrapping_mul(0x100000001b3)
                });
                assert_eq!(h % n + 1, k, "{name} in shard {shard}");
                *seen.entry(name).or_default() += 1;
            }
        }
        assert_eq!(
            seen.keys().cloned().collect::<BTreeSet<_>>(),
            all,
            "the {n} shards together cover the list"
        );
        assert!(
            seen.values().all(|&c| c == 1),
            "each repository in exactly one of {n} shards: {seen:?}"
        );
    }
}

#[test]
fn a_shard_reports_exactly_what_scanning_its_repositories_reports() {
    let (_dir, file) = list_file();
    let file = file.to_str().unwrap();
    // The list order does not matter: a reversed list gives the same shards.
    let reversed_dir = tempfile::tempdir().unwrap();
    let reversed = reversed_dir.path().join("reversed.txt");
    let text: Vec<String> = LISTED
        .iter()
        .rev()
        .map(|(p, _)| fixtures().join(p).display().to_string())
        .collect();
    std::fs::write(&reversed, text.join("\n")).unwrap();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let sharded = scan_json(&["--repos", file, "--shard", &shard], &[]);
        let report = parse(&sharded);
        let paths: Vec<String> = report["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect();
        let again = parse(&scan_json(
            &["--repos", reversed.to_str().unwrap(), "--shard", &shard],
            &[],
        ));
        let mut a = repo_names(&report);
        let mut b = repo_names(&again);
        a.sort();
        b.sort();
        assert_eq!(a, b, "shard {shard} of a reordered list");
        if paths.is_empty() {
            continue;
        }
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let direct = scan_json(&refs, &[]);
        common::assert_same(&report, &parse(&direct));
    }
}

/// Per person and category, the counts of the report (only non-zero ones).
fn report_counts(report: &Value) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for p in report["people"].as_array().unwrap() {
        for (cat, n) in p["categories"].as_object().unwrap() {
            let n = n.as_u64().unwrap();
            if n > 0 {
                out.insert((p["id"].as_str().unwrap().to_string(), cat.to_string()), n);
            }
        }
    }
    out
}

#[test]
fn ndjson_events_match_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.ndjson");
    let json = dir.path().join("report.json");
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "multi",
            "configured",
            "-q",
            "--json",
            json.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = parse(&std::fs::read_to_string(&json).unwrap());
    let text = std::fs::read_to_string(&events).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!rows.is_empty());
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    let columns = [
        "person_id",
        "person_name",
        "email",
        "login",
        "teams",
        "bot",
        "category",
        "kind",
        "repo",
        "commit",
        "date",
        "pr",
        "with",
        "url",
    ];
    for r in &rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = columns.to_vec();
        expected.sort();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort();
        assert_eq!(keys_sorted, expected);
        assert!(r["teams"].is_array() && r["with"].is_array());
        *counts
            .entry((
                r["person_id"].as_str().unwrap().to_string(),
                r["category"].as_str().unwrap().to_string(),
            ))
            .or_default() += 1;
    }
    assert_eq!(counts, report_counts(&report));
    // Rows in report order: people as in the report, each person's evidence in order.
    let expected: Vec<(String, String, String)> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["evidence"].as_array().unwrap().iter().map(move |e| {
                (
                    p["id"].as_str().unwrap().to_string(),
                    e["commit"].as_str().unwrap().to_string(),
                    e["category"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["person_id"].as_str().unwrap().to_string(),
                r["commit"].as_str().unwrap().to_string(),
                r["category"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);

    // `render` writes the same events from the saved report alone.
    let again = dir.path().join("again.jsonl");
    let out = gluework(
        fixtures(),
        &[
            "render",
            json.to_str().unwrap(),
            "--events",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn events_with_an_unknown_extension_or_unwritable_folder_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("events.csv");
    let out = gluework(
        fixtures(),
        &["scan", "team", "--events", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".parquet"), "{}", stderr(&out));
    assert!(!bad.exists());

    let missing = dir.path().join("no-such-folder").join("events.parquet");
    let out = gluework(
        fixtures(),
        &["scan", "team", "-q", "--events", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!missing.exists());
    // Nothing half-written is left beside the final name.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A Python with DuckDB's package, pinned so a new release cannot change what the test checks,
/// in a virtual environment under target/tmp ([`common::pinned_venv`]).
fn python_with_duckdb() -> PathBuf {
    common::pinned_venv("duckdb-venv", &["duckdb==2.0.1"], &[])
        .join("bin")
        .join("python")
}

const DUCKDB_SCRIPT: &str = r#"
import duckdb, json, sys
path = sys.argv[1]
con = duckdb.connect()
types = {r[0]: r[1] for r in con.execute(
    "DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()}
counts = con.execute(
    "SELECT person_id, category, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY ALL",
    [path]).fetchall()
first = con.execute(
    'SELECT person_id, CAST(date AS VARCHAR), pr, teams, "with", email FROM read_parquet(?) LIMIT 1',
    [path]).fetchall()[0]
rows = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]
with_pr = con.execute(
    "SELECT count(*) FROM read_parquet(?) WHERE pr IS NOT NULL", [path]).fetchone()[0]
teamed = con.execute(
    "SELECT count(*) FROM read_parquet(?) WHERE len(teams) > 0", [path]).fetchone()[0]
helped = con.execute(
    'SELECT count(*) FROM (SELECT unnest("with") FROM read_parquet(?))', [path]).fetchone()[0]
print(json.dumps({
    "types": types,
    "counts": [[p, c, n] for p, c, n in counts],
    "first": [str(x) if x is not None else None for x in first],
    "rows": rows, "with_pr": with_pr, "teamed": teamed, "helped": helped,
}))
"#;

#[test]
fn parquet_events_read_by_duckdb_match_the_report() {
    let python = python_with_duckdb();
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.parquet");
    let json = dir.path().join("report.json");
    let out = gluework(
        fixtures(),
        &[
            "scan",
            "team",
            "multi",
            "configured",
            "-q",
            "--json",
            json.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = parse(&std::fs::read_to_string(&json).unwrap());

    let script = dir.path().join("read.py");
    std::fs::write(&script, DUCKDB_SCRIPT).unwrap();
    let out = Command::new(&python)
        .arg(&script)
        .arg(&events)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "duckdb could not read {}:\n{}",
        events.display(),
        stderr(&out)
    );
    let got = parse(&stdout(&out));

    let types = got["types"].as_object().unwrap();
    let expected_types = [
        ("person_id", "VARCHAR"),
        ("person_name", "VARCHAR"),
        ("email", "VARCHAR"),
        ("login", "VARCHAR"),
        ("teams", "VARCHAR[]"),
        ("bot", "BOOLEAN"),
        ("category", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("repo", "VARCHAR"),
        ("commit", "VARCHAR"),
        ("date", "TIMESTAMP WITH TIME ZONE"),
        ("pr", "BIGINT"),
        ("with", "VARCHAR[]"),
        ("url", "VARCHAR"),
    ];
    for (col, ty) in expected_types {
        assert_eq!(types[col].as_str(), Some(ty), "column {col}: {types:?}");
    }
    assert_eq!(types.len(), expected_types.len(), "{types:?}");

    let mut counts = BTreeMap::new();
    for row in got["counts"].as_array().unwrap() {
        counts.insert(
            (
                row[0].as_str().unwrap().to_string(),
                row[1].as_str().unwrap().to_string(),
            ),
            row[2].as_u64().unwrap(),
        );
    }
    assert_eq!(counts, report_counts(&report));

    // The same totals as the report's evidence: rows, PR numbers, teams and `with` lists.
    let evidence: Vec<(&Value, &Value)> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |e| (p, e))
        })
        .collect();
    assert_eq!(got["rows"].as_u64().unwrap() as usize, evidence.len());
    let with_pr = evidence.iter().filter(|(_, e)| !e["pr"].is_null()).count();
    assert_eq!(got["with_pr"].as_u64().unwrap() as usize, with_pr);
    let teamed = evidence
        .iter()
        .filter(|(p, _)| !p["teams"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(got["teamed"].as_u64().unwrap() as usize, teamed);
    assert!(teamed > 0, "the configured fixture has teams");
    let helped: usize = evidence
        .iter()
        .map(|(_, e)| e["with"].as_array().unwrap().len())
        .sum();
    assert_eq!(got["helped"].as_u64().unwrap() as usize, helped);

    // The first row is the first evidence item of the first person; the date is the same
    // instant (DuckDB shows it in its session time zone, UTC here by default).
    let (p0, e0) = evidence[0];
    let first = got["first"].as_array().unwrap();
    assert_eq!(first[0].as_str(), p0["id"].as_str());
    let date = first[1].as_str().unwrap();
    let want = e0["date"]
        .as_str()
        .unwrap()
        .trim_end_matches('Z')
        .replace('T', " ");
    assert!(date.starts_with(&want), "{date} vs {want}");

    // `render` of the saved report writes the same Parquet bytes.
    let again = dir.path().join("again.parquet");
    let out = gluework(
        fixtures(),
        &[
            "render",
            json.to_str().unwrap(),
            "--events",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&events).unwrap()
    );
}

#[test]
fn a_missing_listed_repository_is_reported_by_one_shard_only() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("repos.txt");
    std::fs::write(
        &list,
        format!(
            "{}\n{}\nghost.git\n",
            fixtures().join("team").display(),
            fixtures().join("multi/a").display()
        ),
    )
    .unwrap();
    let list = list.to_str().unwrap();
    let mut reported = 0;
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = gluework(
            fixtures(),
            &[
                "scan", "--repos", list, "--shard", &shard, "-q", "--json", "-",
            ],
        );
        if stderr(&out).contains("ghost.git") {
            reported += 1;
            // Exit 1 when the shard's other repositories were reported; 2 when it held
            // nothing else, so nothing was scanned at all.
            let want = if stdout(&out).is_empty() { 2 } else { 1 };
            assert_eq!(out.status.code(), Some(want), "{}", stderr(&out));
        } else {
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
    }
    assert_eq!(reported, 1, "the missing repository is one shard's error");
}
