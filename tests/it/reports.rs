//! The two documents: the promotion packet (`gluework person`) and the team report
//! (`DIR/report.md`), plus the CSV and the step summary. Golden Markdown for the fixture
//! repositories (plain text for `team`, which has no origin; links for `hostile`, whose origin is
//! on GitHub), and hostile names and subjects that must not break tables or inject HTML.

use crate::support as common;

use common::run_ok as ok;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    gluework(fixtures(), args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Checks Markdown written from hostile input: every table row has as many cells as its
/// header (counting unescaped `|`), no HTML but the folds' own tags, every link target is a
/// forge address in `allowed` (the address itself, or below it with only letters, digits, `-`,
/// `_` and `/`) or a chart file, and no line holds a control character.
fn assert_safe_markdown(md: &str, allowed: &[&str]) {
    let cells = |line: &str| {
        let b = line.as_bytes();
        let mut n = 0;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == b'|' {
                n += 1;
            }
            i += 1;
        }
        n
    };
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(n, h, "a table row with a different cell count:\n{line}"),
            }
            assert!(line.ends_with('|'), "a table row cut short:\n{line}");
        } else {
            header = None;
        }
        // HTML: only the folds' own tags.
        let mut rest = line;
        while let Some(i) = rest.find('<') {
            let tail = &rest[i..];
            assert!(
                ["<details>", "</details>", "<summary>", "</summary>"]
                    .iter()
                    .any(|t| tail.starts_with(t)),
                "raw `<` in:\n{line}"
            );
            rest = &rest[i + 1..];
        }
        // Links and images: `](target)` only with trusted targets.
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let escaped = i > 0 && rest.as_bytes()[i - 1] == b'\\';
            let target = &rest[i + 2..];
            if !escaped {
                let end = target.find(')').expect("a link target ends");
                let url = &target[..end];
                let trusted = allowed.iter().any(|a| {
                    url == a.trim_end_matches('/')
                        || url.strip_prefix(a).is_some_and(|rest| {
                            rest.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-_/".contains(&b))
                        })
                });
                assert!(
                    trusted
                        || (url.ends_with(".svg") || url.ends_with(".png"))
                            && url
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-./".contains(&b)),
                    "untrusted link target {url:?} in:\n{line}"
                );
            }
            rest = &rest[i + 2..];
        }
        for c in line.chars() {
            assert!(!c.is_control(), "a control character {c:?} in:\n{line}");
        }
    }
}

#[test]
fn team_report_is_golden_and_plain() {
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&[
        "scan", "team", "-q", "--out", out, "--charts", "svg", "--people", "0",
    ]);
    let md = read(&dir.path().join("report.md"));
    assert_golden("reports/team-report.md", &md);
    // No origin: commits are plain text, never links.
    assert!(!md.contains("](http"), "{md}");
    assert!(md.contains("Half of all glue work is done by 2 of 8 people"));
    for chart in [
        "who-carries-glue",
        "concentration",
        "trend",
        "who-helps-whom",
    ] {
        assert!(md.contains(&format!("(charts/{chart}.svg)")), "{chart}");
        assert!(dir.path().join(format!("charts/{chart}.svg")).is_file());
    }
    assert_safe_markdown(&md, &[]);
}

#[test]
fn team_report_compares_with_the_previous_window() {
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&[
        "scan",
        "team",
        "-q",
        "--since",
        "2024-04-01",
        "--until",
        "2024-06-30",
        "--compare-since",
        "2024-01-01",
        "--out",
        out,
        "--charts",
        "none",
    ]);
    let md = read(&dir.path().join("report.md"));
    assert_golden("reports/team-compare.md", &md);
    assert!(
        md.contains(
            "This window, 2024-04-01 to 2024-06-30 (3 months), against the previous window of \
             as many months, 2024-01-01 to 2024-03-31."
        ),
        "{md}"
    );
    // The comparison's "previous" column is the report of that window.
    let prev = parse(&scan_json(
        &["team"],
        &["--since", "2024-01-01", "--until", "2024-03-31"],
    ));
    let glue = prev["team"]["glue"].as_u64().unwrap();
    assert!(md.contains(&format!("| Glue | {glue} |")), "{md}");
    assert!(!md.contains("## Charts"));
}

#[test]
fn compare_since_counts_calendar_months_in_any_year() {
    // April to June against January to March: 91 days against 90 in a common year.
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&[
        "scan",
        "team",
        "-q",
        "--since",
        "2023-04",
        "--until",
        "2023-06",
        "--compare-since",
        "2023-01-01",
        "--out",
        out,
        "--charts",
        "none",
    ]);
    let md = read(&dir.path().join("report.md"));
    assert!(
        md.contains(
            "This window, 2023-04-01 to 2023-06-30 (3 months), against the previous window of \
             as many months, 2023-01-01 to 2023-03-31."
        ),
        "{md}"
    );
    // A window that is not whole months is compared by its length in days.
    ok(&[
        "scan",
        "team",
        "-q",
        "--since",
        "2024-04-10",
        "--until",
        "2024-04-19",
        "--compare-since",
        "2024-03-01",
        "--out",
        out,
        "--charts",
        "none",
    ]);
    let md = read(&dir.path().join("report.md"));
    assert!(
        md.contains(
            "This window, 2024-04-10 to 2024-04-19 (10 days), against the previous window of \
             the same length, 2024-03-01 to 2024-03-10."
        ),
        "{md}"
    );
}

#[test]
fn compare_since_must_end_before_the_window() {
    let out = run(&[
        "scan",
        "team",
        "-q",
        "--since",
        "2024-04-01",
        "--until",
        "2024-06-30",
        "--compare-since",
        "2024-03-01",
        "--out",
        tmp().path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("must end before this one starts"),
        "{}",
        stderr(&out)
    );
    let out = run(&[
        "scan",
        "team",
        "--compare-since",
        "2024-03-01",
        "--out",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2), "needs --since");
    let out = run(&[
        "scan",
        "team",
        "--since",
        "2024-04-01",
        "--compare-since",
        "2023-01-01",
    ]);
    assert_eq!(out.status.code(), Some(2), "needs --out");
}

#[test]
fn configured_teams_get_a_section_each() {
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&["scan", "configured", "-q", "--out", out, "--charts", "none"]);
    let md = read(&dir.path().join("report.md"));
    assert_golden("reports/configured-report.md", &md);
    for section in [
        "## Team core",
        "## Team web",
        "## People in no team (`other`)",
    ] {
        assert!(md.contains(section), "{section}");
    }
}

#[test]
fn packet_is_golden_with_plain_evidence() {
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    let o = ok(&[
        "person",
        "Maya Lindqvist",
        "team",
        "--out",
        out,
        "--charts",
        "svg",
    ]);
    assert!(stderr(&o).contains("maya-lindqvist.md"), "{}", stderr(&o));
    let md = read(&dir.path().join("maya-lindqvist.md"));
    assert_golden("reports/team-maya.md", &md);
    for f in ["maya-lindqvist-profile.svg", "maya-lindqvist-timeline.svg"] {
        assert!(dir.path().join(f).is_file(), "{f}");
        assert!(md.contains(&format!("]({f})")), "{f}");
    }
    // Only the packet (Markdown and HTML), its evidence CSV and its charts: no team charts, no
    // temporary folder.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "maya-lindqvist-evidence.csv",
            "maya-lindqvist-profile.svg",
            "maya-lindqvist-timeline.svg",
            "maya-lindqvist.html",
            "maya-lindqvist.md"
        ]
    );
    assert!(
        md.contains("- **Review:** Reviewed 10 changes by 5 people"),
        "{md}"
    );
    assert!(
        md.contains("Helped 3 newcomers land their first changes in 4 changes"),
        "{md}"
    );
    assert!(!md.contains("](http"), "no origin, no links:\n{md}");
    assert_safe_markdown(&md, &[]);
}

#[test]
fn packet_prefers_png_when_both_are_drawn() {
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&["person", "@dana", "team", "-q", "--out", out]);
    let md = read(&dir.path().join("dana-park.md"));
    assert!(md.contains("](dana-park-profile.png)"), "{md}");
    for f in [
        "dana-park-profile.svg",
        "dana-park-profile.png",
        "dana-park-timeline.svg",
        "dana-park-timeline.png",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
}

#[test]
fn hostile_documents_are_golden_linked_and_safe() {
    let forge = ["https://github.com/acme/widget/"];
    let dir = tmp();
    let out = dir.path().to_str().unwrap();
    ok(&[
        "scan", "hostile", "-q", "--out", out, "--charts", "svg", "--people", "0",
    ]);
    let report = read(&dir.path().join("report.md"));
    assert_golden("reports/hostile-report.md", &report);
    assert_safe_markdown(&report, &forge);
    for who in ["ann@example.com", "mallory@example.com"] {
        let o = ok(&["person", who, "hostile", "-q", "--charts", "none"]);
        let md = stdout(&o);
        let name = who.split('@').next().unwrap();
        assert_golden(&format!("reports/hostile-{name}.md"), &md);
        assert_safe_markdown(&md, &forge);
    }
    let ann = stdout(&ok(&[
        "person",
        "ann@example.com",
        "hostile",
        "-q",
        "--charts",
        "none",
    ]));
    // Links to commits and to pull request #7 on GitHub.
    assert!(
        ann.contains("[#7](https://github.com/acme/widget/pull/7)"),
        "{ann}"
    );
    assert!(
        ann.contains("(https://github.com/acme/widget/commit/"),
        "{ann}"
    );
    // The hostile text is shown, escaped, and the escape sequence is defused.
    assert!(ann.contains("Fix &lt;script&gt;alert(1)&lt;/script&gt; in \\| table \\| cells"));
    assert!(ann.contains("Colour \u{FFFD}\\[31mred\u{FFFD}\\[0m output OVERWRITE"));
    assert!(!ann.contains('\u{1b}') && !ann.contains('\r'));
}

/// A saved report with names no git identity can carry (line breaks, `<script>`), and a
/// remote whose address would smuggle markup into a link: rendered through `render`.
#[test]
fn names_with_line_breaks_and_markup_cannot_break_the_documents() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chart-report.json");
    let mut r = parse(&read(&path));
    r["people"][0]["name"] = "Ada\n| --- |\n<script>alert(1)</script>".into();
    r["people"][1]["evidence"][0]["subject"] =
        "two\nlines | <img src=x onerror=alert(1)> [a](javascript:alert(1)) `x`".into();
    r["repositories"][0]["remote"] = serde_json::json!({
        "url": "https://github.com\"><script>alert(1)</script>/o/r",
        "forge": "github"
    });
    r["repositories"][1]["remote"] = serde_json::json!({
        "url": "https://gitlab.example.org/group/web",
        "forge": "gitlab"
    });
    let dir = tmp();
    let json = dir.path().join("hostile.json");
    std::fs::write(&json, r.to_string()).unwrap();
    let out_dir = dir.path().join("out");
    let csv = dir.path().join("people.csv");
    ok(&[
        "render",
        json.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--charts",
        "none",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let md = read(&out_dir.join("report.md"));
    assert_safe_markdown(&md, &["https://gitlab.example.org/group/web/"]);
    assert!(
        md.contains("Ada \\| --- \\| &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{md}"
    );
    for who in ["ada@example.com", "bob@example.com"] {
        let o = ok(&["person", who, "--report", json.to_str().unwrap(), "-q"]);
        let packet = stdout(&o);
        assert_safe_markdown(&packet, &["https://gitlab.example.org/group/web/"]);
        assert!(
            !packet.contains("github.com"),
            "a bad remote gives no links:\n{packet}"
        );
    }
    let csv = read(&csv);
    assert!(
        csv.contains("\"Ada\n| --- |\n<script>alert(1)</script>\""),
        "{csv}"
    );
}

#[test]
fn person_json_is_the_persons_slice() {
    let o = ok(&["person", "erin-dev", "team", "--format", "json", "-q"]);
    let raw = parse_raw(&stdout(&o));
    assert_eq!(raw["schema_version"], 2);
    // The slice carries the facts of its own commits only, and its evidence points into them.
    let rows = raw["commits"].as_array().unwrap();
    let evidence = raw["person"]["evidence"].as_array().unwrap();
    let mut used: Vec<u64> = evidence
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(used, (0..rows.len() as u64).collect::<Vec<_>>());
    assert!(evidence.iter().all(|e| e.get("subject").is_none()));
    let v = parse(&stdout(&o));
    assert_eq!(v["slice"], "person");
    assert_eq!(v["person"]["name"], "Erin Diaz");
    assert_eq!(v["repositories"][0]["name"], "team");
    // Erin helped Frank, a newcomer.
    let helped: Vec<&str> = v["newcomers_helped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(helped, ["Frank Moreau"]);
    assert_eq!(v["names"]["frank@example.com"], "Frank Moreau");
    // The slice's person is the report's person.
    let report = parse(&scan_json(&["team"], &[]));
    let full = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Erin Diaz")
        .unwrap();
    assert_same(&v["person"], full);
    // With --out: DIR/<slug>.json.
    let dir = tmp();
    ok(&[
        "person",
        "Erin Diaz",
        "team",
        "--format",
        "json",
        "-q",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(parse(&read(&dir.path().join("erin-diaz.json"))), v);
}

#[test]
fn who_must_name_exactly_one_person() {
    // Several people match: listed with their ids, exit 2.
    let o = run(&["person", "example.com", "team"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("matches 3 people"), "{err}");
    for id in ["carol@example.com", "frank@example.com", "gus@example.com"] {
        assert!(err.contains(id), "{err}");
    }
    // Nobody matches: suggestions where a word matches.
    let o = run(&["person", "Maya Smith", "team"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no person in the report matches"), "{err}");
    assert!(err.contains("Maya Lindqvist"), "{err}");
    // A unique part of a name is enough, and is said.
    let o = ok(&["person", "lindqvist", "team", "--charts", "none"]);
    assert!(stderr(&o).contains("matched"), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("# Glue work: Maya Lindqvist\n"));
    // Case-insensitive exact email, name and @login.
    for who in ["CAROL@example.com", "carol chen", "@maint", "maint"] {
        let o = ok(&["person", who, "team", "-q"]);
        assert!(stdout(&o).starts_with("# Glue work: "), "{who}");
    }
}

#[test]
fn long_evidence_lists_are_folded_after_twenty() {
    // Thirty review items for one person.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chart-report.json");
    let mut r = parse(&read(&path));
    let template = r["people"][0]["evidence"][0].clone();
    let mut ev = Vec::new();
    for i in 0..30 {
        let mut e = template.clone();
        e["category"] = "review".into();
        e["kind"] = "trailer:reviewed-by".into();
        e["commit"] = format!("{:040x}", i + 1).into();
        e["date"] = format!("2024-03-{:02}T10:00:00Z", i + 1).into();
        e["subject"] = format!("Change {i}").into();
        ev.push(e);
    }
    r["people"][0]["evidence"] = ev.into();
    r["people"][0]["categories"]["review"] = 30.into();
    let dir = tmp();
    let json = dir.path().join("r.json");
    std::fs::write(&json, r.to_string()).unwrap();
    let md = stdout(&ok(&[
        "person",
        "ada@example.com",
        "--report",
        json.to_str().unwrap(),
    ]));
    let section = &md[md.find("### Review (30)").unwrap()..];
    let fold = section.find("<details>").expect("folded");
    // Newest first: the 20 newest above the fold, the 10 oldest in it.
    assert_eq!(section[..fold].matches("\n| 2024-03-").count(), 20);
    assert_eq!(section[fold..].matches("\n| 2024-03-").count(), 10);
    assert!(section[..fold].contains("| 2024-03-30 |"));
    assert!(section.contains("<summary>10 more review items</summary>"));
    assert!(section[fold..].contains("| 2024-03-01 |"));
    assert!(section[..fold].find("2024-03-30") < section[..fold].find("2024-03-11"));
}

#[test]
fn csv_has_one_row_per_person_with_every_category() {
    let o = ok(&["scan", "team", "-q", "--csv", "-"]);
    let csv = stdout(&o);
    let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(
        lines.next().unwrap(),
        "rank,id,name,email,login,bot,teams,commits,review,docs,co_authored_fix,onboarding,\
         support,maintenance,code,glue,glue_share,first_seen,last_seen"
    );
    let rows: Vec<&str> = lines.collect();
    let report = parse(&scan_json(&["team"], &[]));
    assert_eq!(rows.len(), report["people"].as_array().unwrap().len());
    assert!(rows[0].starts_with(
        "1,1001+maint@users.noreply.github.com,Maya Lindqvist,1001+maint@users.noreply.github.com,maint,false,,12,10,0,1,8,0,6,2,25,0.9259,"
    ), "{}", rows[0]);
    assert!(rows
        .iter()
        .any(|r| r.contains(",dependabot[bot],") && r.contains(",true,")));
}

#[test]
fn step_summary_gets_the_report_appended() {
    let dir = tmp();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            "team",
            "-q",
            "--charts",
            "none",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = Command::new(env!("CARGO_BIN_EXE_gluework"))
            .args(&args)
            .current_dir(fixtures())
            .env("NO_COLOR", "1")
            .env("HOME", fixtures())
            .env("XDG_CONFIG_HOME", fixtures().join(".no-config"))
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    run(&[]);
    let text = read(&summary);
    assert!(
        text.starts_with("earlier step\n# Glue work: team report\n"),
        "{text}"
    );
    assert!(text.contains("The charts and the whole report are in the report folder"));
    assert!(!text.contains("!["), "no images in the step summary");
    run(&["--no-step-summary"]);
    assert_eq!(read(&summary), text, "--no-step-summary appends nothing");
}

#[test]
fn render_writes_the_same_report_md_as_scan() {
    let dir = tmp();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(&[
        "scan",
        "team",
        "-q",
        "--out",
        a.to_str().unwrap(),
        "--charts",
        "none",
    ]);
    ok(&[
        "render",
        a.join("gluework.json").to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
        "--charts",
        "none",
    ]);
    assert_eq!(read(&a.join("report.md")), read(&b.join("report.md")));
}

#[test]
fn a_large_packet_lists_the_newest_items_and_the_csv_holds_them_all() {
    let dir = tmp();
    let json = dir.path().join("report.json");
    ok(&["scan", "team", "-q", "--json", json.to_str().unwrap()]);
    // Maya with 450 review items: more than a packet lists per category.
    let mut report: serde_json::Value = serde_json::from_str(&read(&json)).unwrap();
    let maya = report["people"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["name"] == "Maya Lindqvist")
        .expect("Maya in the report");
    let evidence = maya["evidence"].as_array_mut().unwrap();
    let review = evidence
        .iter()
        .find(|e| e["category"] == "review")
        .expect("a review item")
        .clone();
    let before = evidence
        .iter()
        .filter(|e| e["category"] == "review")
        .count();
    for i in 0..450 - before {
        let mut e = review.clone();
        e["date"] = serde_json::Value::from(format!("2023-01-01T00:00:{:02}Z", i % 60));
        evidence.push(e);
    }
    std::fs::write(&json, serde_json::to_string(&report).unwrap()).unwrap();
    let out = dir.path().join("packets");
    ok(&[
        "person",
        "Maya Lindqvist",
        "--report",
        json.to_str().unwrap(),
        "-q",
        "--charts",
        "none",
        "--out",
        out.to_str().unwrap(),
    ]);
    let md = read(&out.join("maya-lindqvist.md"));
    assert!(md.contains("### Review (450)"), "{md}");
    assert!(
        md.contains(
            "*250 older review items are not listed here; every item is in \
             [maya-lindqvist-evidence.csv](maya-lindqvist-evidence.csv).*"
        ),
        "{md}"
    );
    assert!(md.contains("180 more review items"), "{md}");
    let csv = read(&out.join("maya-lindqvist-evidence.csv"));
    assert!(csv.starts_with("date,category,credit,repository,commit,pr,subject,with\r\n"));
    let reviews = csv.lines().filter(|l| l.contains(",review,")).count();
    assert_eq!(reviews, 450, "{csv}");
    // On standard output there is no CSV beside the packet: the packet says how to get one.
    let o = ok(&[
        "person",
        "Maya Lindqvist",
        "--report",
        json.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("writes every item to a CSV file"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn report_md_shows_the_top_people_and_says_where_the_rest_are() {
    let dir = tmp();
    let repo = dir.path().join("many");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gluework-genrepo"))
        .args(["--commits", "600", "--authors", "90", "--seed", "3"])
        .arg(&repo)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let json = dir.path().join("all.json");
    let out = dir.path().join("out");
    ok(&[
        "scan",
        repo.to_str().unwrap(),
        "-q",
        "--charts",
        "none",
        "--json",
        json.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&read(&json)).unwrap();
    let people = report["team"]["people"].as_u64().unwrap();
    assert!(people > 60, "{people} people");
    let md = read(&out.join("report.md"));
    let rows = |md: &str| {
        let at = md.find("## People").unwrap();
        md[at..]
            .lines()
            .skip_while(|l| !l.starts_with("| #"))
            .take_while(|l| l.starts_with('|'))
            .count()
    };
    // Header, rule, 50 people, the team row.
    assert_eq!(rows(&md), 53, "{md}");
    assert!(
        md.contains(&format!(
            "… and {} more people (every person is in `gluework.json`",
            people - 50
        )),
        "{md}"
    );
    ok(&[
        "scan",
        repo.to_str().unwrap(),
        "-q",
        "--charts",
        "none",
        "--report-rows",
        "all",
        "--out",
        out.to_str().unwrap(),
    ]);
    let md = read(&out.join("report.md"));
    assert_eq!(rows(&md), people as usize + 3, "{md}");
    assert!(!md.contains("(every person is in"), "{md}");
}
