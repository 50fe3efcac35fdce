//! `gluework merge` (docs/org-scale.md): the parts of sharded scans, merged, are byte for byte
//! the report of one scan of the whole list; parts that were made differently are refused.

use crate::support as common;

use common::{fixtures, gluework, parse, stderr};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A generated fleet: small repositories whose people overlap (as in one organisation), two
/// with the same folder name, fixture repositories with their own configuration, and one
/// listed path that does not exist.
struct Fleet {
    _dir: tempfile::TempDir,
    root: PathBuf,
    list: PathBuf,
    config: PathBuf,
}

fn fleet() -> &'static Fleet {
    static FLEET: OnceLock<Fleet> = OnceLock::new();
    FLEET.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let mut lines = vec!["# a generated fleet".to_string()];
        for i in 0..14usize {
            // Overlapping ranges of people: person 8 is in several repositories.
            let first = (i * 4) % 24;
            let name = if i == 13 {
                "sub/r03.git".to_string()
            } else {
                format!("r{i:02}.git")
            };
            let out = root.join(&name);
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_gluework-genrepo"))
                .args(["--commits", &(60 + 17 * i).to_string()])
                .args(["--authors", &(8 + i % 5).to_string()])
                .args(["--first-author", &first.to_string()])
                .args(["--seed", &(i + 1).to_string()])
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "gluework-genrepo {name}");
            lines.push(name);
        }
        for fx in ["team", "configured", "multi/a", "hostile"] {
            lines.push(fixtures().join(fx).display().to_string());
        }
        lines.push("missing-repo".to_string());
        let list = root.join("repos.txt");
        std::fs::write(&list, lines.join("\n") + "\n").unwrap();
        let config = root.join("org.toml");
        std::fs::write(
            &config,
            "[teams]\n\
             platform = { add = [\"alex.smith0@example.com\", \"Sam Okafor\", \"@ana-c8\"] }\n\
             core = { add = [\"dana.park11@example.com\", \"Maya Chen\"] }\n",
        )
        .unwrap();
        Fleet {
            _dir: dir,
            root,
            list,
            config,
        }
    })
}

fn run(args: &[&str]) -> std::process::Output {
    gluework(&fleet().root, args)
}

/// The outputs compared byte for byte: JSON, CSV and NDJSON events.
fn outputs(dir: &Path, command: &[&str]) -> BTreeMap<&'static str, Vec<u8>> {
    std::fs::create_dir_all(dir).unwrap();
    let json = dir.join("report.json");
    let csv = dir.join("people.csv");
    let events = dir.join("events.ndjson");
    let mut args = command.to_vec();
    args.extend([
        "-q",
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
    ]);
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?}: the missing repository makes the run partial:\n{}",
        stderr(&out)
    );
    [("json", json), ("csv", csv), ("events", events)]
        .into_iter()
        .map(|(k, p)| (k, std::fs::read(&p).unwrap()))
        .collect()
}

/// Scans the fleet in `n` shards with `--part` (and each shard's own report as
/// `shard-K.json` beside it), returning the part files.
fn parts(dir: &Path, n: u64, extra: &[&str]) -> Vec<PathBuf> {
    let list = fleet().list.to_str().unwrap();
    (1..=n)
        .map(|k| {
            // Alternate plain and compressed parts.
            let file = dir.join(if k % 2 == 0 {
                format!("part-{k}.json.gz")
            } else {
                format!("part-{k}.json")
            });
            let shard = format!("{k}/{n}");
            let report = dir.join(format!("shard-{k}.json"));
            let mut args = vec![
                "scan",
                "--repos",
                list,
                "--shard",
                &shard,
                "-q",
                "--json",
                report.to_str().unwrap(),
                "--part",
                file.to_str().unwrap(),
            ];
            args.extend_from_slice(extra);
            let out = run(&args);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                stderr(&out)
            );
            assert!(file.is_file(), "{args:?} wrote its part");
            file
        })
        .collect()
}

fn merge_args(parts: &[PathBuf]) -> Vec<&str> {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args
}

#[test]
fn merged_shards_equal_one_scan_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let config = fleet().config.to_str().unwrap();
    let list = fleet().list.to_str().unwrap();
    for (label, extra) in [
        ("plain", vec!["--config", config]),
        (
            "windowed",
            vec![
                "--config",
                config,
                "--since",
                "2018-01-01",
                "--until",
                "2021-06-30",
                "--period",
                "quarter",
            ],
        ),
    ] {
        let mut single = vec!["scan", "--repos", list];
        single.extend_from_slice(&extra);
        let want = outputs(&tmp.path().join(format!("{label}-single")), &single);
        let report = parse(std::str::from_utf8(&want["json"]).unwrap());
        assert!(
            report["repositories"].as_array().unwrap().len() >= 18,
            "the fleet was scanned"
        );
        for n in [1u64, 2, 5] {
            let dir = tmp.path().join(format!("{label}-{n}"));
            std::fs::create_dir_all(&dir).unwrap();
            let parts = parts(&dir, n, &extra);
            let got = outputs(&dir.join("merged"), &merge_args(&parts));
            for (what, bytes) in &want {
                assert!(
                    got[what] == *bytes,
                    "{label}, {n} shards: the merged {what} differs from one scan's"
                );
            }
        }
    }
}

/// The fleet exercises what makes merging hard: people whose work is in repositories of
/// different shards, names shared by two repositories, and teams over all of them.
#[test]
fn the_fleet_has_people_across_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = parts(tmp.path(), 5, &[]);
    let mut shard_of: BTreeMap<String, usize> = BTreeMap::new();
    for k in 1..=parts.len() {
        let text = std::fs::read_to_string(tmp.path().join(format!("shard-{k}.json"))).unwrap();
        let report = parse(&text);
        for r in report["repositories"].as_array().unwrap() {
            shard_of.insert(r["name"].as_str().unwrap().to_string(), k);
        }
    }
    assert!(
        shard_of.contains_key("r03.git") || shard_of.keys().any(|n| n.ends_with("/r03.git")),
        "{shard_of:?}"
    );
    let out = run(&merge_args(&parts)
        .into_iter()
        .chain(["-q", "--json", "-"])
        .collect::<Vec<_>>());
    let report = parse(&common::stdout(&out));
    let spanning = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            let shards: BTreeSet<usize> = p["by_repo"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|r| shard_of.get(r["repo"].as_str().unwrap()).copied())
                .collect();
            shards.len() >= 2
        })
        .count();
    assert!(
        spanning >= 5,
        "at least five people have work in two shards or more: {spanning}"
    );
    // Both repositories called r03.git are named by their paths.
    let names: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().filter(|n| n.ends_with("r03.git")).count() == 2 && !names.contains(&"r03.git"),
        "{names:?}"
    );
}

#[test]
fn merge_options_override_the_parts_and_still_match_one_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let list = fleet().list.to_str().unwrap();
    let parts = parts(tmp.path(), 3, &[]);
    let window = [
        "--since",
        "2019-03-01",
        "--until",
        "2020-12-31",
        "--period",
        "week",
    ];
    let mut single = vec!["scan", "--repos", list];
    single.extend(window);
    let want = outputs(&tmp.path().join("single"), &single);
    let mut merge = merge_args(&parts);
    merge.extend(window);
    let got = outputs(&tmp.path().join("merged"), &merge);
    assert!(
        got["json"] == want["json"],
        "merge --since/--until/--period"
    );
}

#[test]
fn repository_order_does_not_change_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&fleet().list).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    let reversed = fleet().root.join("reversed.txt");
    std::fs::write(&reversed, lines.join("\n")).unwrap();
    let a = outputs(
        &tmp.path().join("a"),
        &["scan", "--repos", fleet().list.to_str().unwrap()],
    );
    let b = outputs(
        &tmp.path().join("b"),
        &["scan", "--repos", reversed.to_str().unwrap()],
    );
    assert!(
        a["json"] == b["json"],
        "a reversed list gives the same JSON"
    );
}

#[test]
fn errors_of_the_shards_are_reported_by_the_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = parts(tmp.path(), 4, &[]);
    let mut args = merge_args(&parts);
    args.extend(["--json", "/dev/null"]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("missing-repo").count(),
        1,
        "the missing repository is reported once: {err}"
    );
    assert!(err.contains("could not be scanned"), "{err}");
}

/// Runs a merge expected to be refused: exit 2, one `error:` line containing `expect`, and no
/// report written.
fn refused(parts: &[&Path], extra: &[&str], expect: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("merged.json");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    args.extend(["--json", json.to_str().unwrap()]);
    let out = run(&args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    assert!(!json.exists(), "no report is written");
}

#[test]
fn parts_made_differently_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |n: &str| {
        let d = tmp.path().join(n);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let three = parts(&dir("three"), 3, &[]);
    let config = fleet().config.to_str().unwrap();
    let configured = parts(&dir("configured"), 3, &["--config", config]);
    let two = parts(&dir("two"), 2, &[]);
    let windowed = parts(&dir("windowed"), 3, &["--since", "2020-01-01"]);

    // A shard missing.
    refused(&[&three[0], &three[2]], &[], "shard 2/3 is missing");
    // The same shard twice.
    refused(
        &[&three[0], &three[1], &three[1]],
        &[],
        "are both shard 2/3",
    );
    // Another configuration: which part, and how to fix it.
    refused(
        &[&three[0], &configured[1], &three[2]],
        &[],
        "was made with another configuration",
    );
    // Shards of different runs.
    refused(&[&three[0], &two[1]], &[], "merge the N shards of one run");
    // Another --mailmap (by its contents).
    let mailmap = fixtures().join("mailmap-config.mailmap");
    let mailmapped = parts(
        &dir("mailmapped"),
        3,
        &["--mailmap", mailmap.to_str().unwrap()],
    );
    refused(
        &[&three[0], &mailmapped[1], &three[2]],
        &[],
        "was made with --mailmap (digest)",
    );
    // Another window, unless the merge chooses one.
    refused(
        &[&three[0], &windowed[1], &three[2]],
        &[],
        "give merge --since/--until to choose one",
    );
    let out = run(
        &merge_args(&[three[0].clone(), windowed[1].clone(), three[2].clone()])
            .into_iter()
            .chain(["--since", "2020-01-01", "-q", "--json", "/dev/null"])
            .collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Shards of another list.
    let other_list = tmp.path().join("other.txt");
    std::fs::write(
        &other_list,
        std::fs::read_to_string(&fleet().list).unwrap() + "r00.git\n",
    )
    .unwrap();
    let other = tmp.path().join("other-2.json");
    let out = run(&[
        "scan",
        "--repos",
        other_list.to_str().unwrap(),
        "--shard",
        "2/3",
        "-q",
        "--part",
        other.to_str().unwrap(),
        "--json",
        "/dev/null",
    ]);
    assert!(other.is_file(), "{}", stderr(&out));
    refused(
        &[&three[0], &other, &three[2]],
        &[],
        "different repository lists",
    );
}

#[test]
fn reports_and_broken_files_are_not_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.json");
    let out = run(&[
        "scan",
        fixtures().join("team").to_str().unwrap(),
        "-q",
        "--json",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    refused(&[&report], &[], "this is a report, not a part");

    let part = tmp.path().join("team.json.gz");
    let out = run(&[
        "scan",
        fixtures().join("team").to_str().unwrap(),
        "-q",
        "--part",
        part.to_str().unwrap(),
        "--json",
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&part).unwrap();
    let truncated = tmp.path().join("truncated.json.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    refused(&[&truncated], &[], "truncated.json.gz");
    let garbage = tmp.path().join("garbage.json");
    std::fs::write(&garbage, "{\"gluework_part\": 2, \"repositories\": 3}").unwrap();
    refused(&[&garbage], &[], "malformed part");
    let future = tmp.path().join("future.json");
    std::fs::write(&future, "{\"gluework_part\": 99}").unwrap();
    refused(&[&future], &[], "part format version 99");
    // A part of format 1 (before the .mailmap rewrites table): refused, with what to do.
    let old: serde_json::Value = {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["gluework_part"] = 1.into();
        for r in v["repositories"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("rewrites");
        }
        v
    };
    assert!(!old["repositories"][0]
        .as_object()
        .unwrap()
        .contains_key("rewrites"));
    let old_part = tmp.path().join("old.json");
    std::fs::write(&old_part, old.to_string()).unwrap();
    refused(
        &[&old_part],
        &[],
        "part format version 1, this gluework reads version 2; re-run the shard's scan with this version",
    );
    refused(
        &[&tmp.path().join("absent.json")],
        &[],
        "absent.json: cannot read",
    );
    // The same repository in two parts.
    refused(&[&part, &part], &[], "is in both");

    // A whole scan merged alone is that scan's report.
    let out = run(&["merge", part.to_str().unwrap(), "-q", "--json", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        common::stdout(&out),
        std::fs::read_to_string(&report).unwrap()
    );
}
