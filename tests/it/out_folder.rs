//! `--out DIR` is written as a whole: under a lock, staged and moved in, earlier charts this run
//! did not write removed, and what a killed run left behind cleaned up.

use crate::support as common;

use common::*;
use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = snapshot(dir)
        .into_iter()
        .map(|(p, _, _)| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn charts_an_earlier_run_wrote_and_this_one_did_not_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let d = dir.to_str().unwrap();
    let o = gluework(fixtures(), &["scan", "team", "-q", "--out", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = files(&dir);
    assert!(first.iter().any(|f| f.starts_with("charts/")), "{first:?}");
    // Charts of someone no longer in the report, and a different chart format.
    std::fs::write(dir.join("charts/person-gone.svg"), "<svg/>").unwrap();
    let o = gluework(fixtures(), &["scan", "team", "-q", "--out", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&dir), first);
    // No charts this time: none left either.
    let o = gluework(
        fixtures(),
        &["scan", "team", "-q", "--out", d, "--charts", "none"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files(&dir), ["gluework.json", "index.html", "report.md"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_folder_another_run_is_writing_is_refused_and_a_dead_runs_leftovers_are_cleaned() {
    let Some(host) = hostname() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let d = dir.to_str().unwrap();
    let o = gluework(fixtures(), &["scan", "team", "-q", "--out", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&dir);
    // A live run (this test process) holds the folder: refused, nothing touched.
    let lock = dir.join(".gluework-out.lock");
    let live = format!(
        "process {} on {host} since 2026-11-24T10:00:00Z",
        std::process::id()
    );
    std::fs::write(&lock, format!("{live}\n")).unwrap();
    let o = gluework(fixtures(), &["scan", "team", "-q", "--out", d]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "another gluework run is writing into this folder ({live})"
        )),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(snapshot(&dir), before);
    // A run that was killed: its lock, staging folder and temporary files.
    let dead = dead_pid();
    let line = format!("process {dead} on {host} since 2026-11-24T10:00:00Z");
    std::fs::write(&lock, format!("{line}\n")).unwrap();
    std::fs::create_dir(dir.join(format!(".gluework-new-{dead}"))).unwrap();
    std::fs::write(dir.join(format!(".gluework-new-{dead}/gluework.json")), "{").unwrap();
    std::fs::write(dir.join(format!(".report.md.tmp-{dead}")), "half").unwrap();
    std::fs::write(dir.join(format!("charts/.team-glue.svg.tmp-{dead}")), "<").unwrap();
    let o = gluework(fixtures(), &["scan", "team", "-q", "--out", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "warning: --out {d}: took over the lock of a run that is no longer running ({line})"
        )),
        "{}",
        stderr(&o)
    );
    let names: Vec<String> = snapshot(&dir)
        .into_iter()
        .map(|(p, _, _)| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    let old: Vec<String> = before
        .into_iter()
        .map(|(p, _, _)| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    assert_eq!(names, old);
}
