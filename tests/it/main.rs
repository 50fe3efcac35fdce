//! gluework's integration tests: one test binary (`cargo test --test it`), one module per area.
//!
//! One binary instead of one per file: each test binary is a link of its own (about 250 MB for
//! each that uses the library), so on a small machine much of the suite's time went to linking
//! the same code over and over. Every module was a test binary of its own before; its tests now
//! run as threads of this one process, so a test never changes the process's state (the current
//! directory, environment variables): it sets them on the `Command` it runs instead.
//!
//! Run one area with `cargo test --test it scan::`, one test with
//! `cargo test --test it scan::team_credits_match_the_hand_written_oracle` (any substring of
//! `area::test_name` filters). Shared helpers (fixture repositories built once per run, running
//! the built binary, golden files) are in `support/`; docs/testing.md describes the layout.

mod support;

// `pub`: each area was a crate of its own, whose public items counted as used; private modules
// would turn helpers some area keeps public for its submodules into dead-code warnings.
pub mod accuracy;
pub mod architecture;
pub mod bad_input;
pub mod cache;
pub mod charts;
pub mod check;
pub mod check_mailmap_diff;
pub mod ci_workflow;
pub mod config;
pub mod doc_examples;
pub mod forge_fetch;
pub mod forge_range;
pub mod forge_scan;
pub mod git_trailers_diff;
pub mod hostile_history;
pub mod hostile_input;
pub mod html_pages;
pub mod identity;
pub mod merge;
pub mod merge_credit;
pub mod org_scale;
pub mod org_workflow;
pub mod out_folder;
pub mod reports;
pub mod scan;
pub mod security;
pub mod terminal;

/// With `autotests = false`, Cargo builds no test binary it is not told about: a `tests/x.rs`
/// (say, from a branch made before the move) would silently never run. Every Rust file under
/// tests/ is in this binary: under tests/it/, and each area declared above.
#[test]
fn every_test_file_is_part_of_this_binary() {
    use std::path::Path;
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(tests.join("it/main.rs")).unwrap();
    let mut stray = Vec::new();
    let mut stack = vec![tests.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&tests).unwrap();
                let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
                let (first, area) = (parts.next().unwrap(), parts.next());
                let declared = match area {
                    Some(area) if first == "it" => {
                        let module = area.strip_suffix(".rs").unwrap_or(&area).to_owned();
                        module == "main"
                            || main
                                .lines()
                                .any(|l| l.trim_start_matches("pub ") == format!("mod {module};"))
                    }
                    _ => false,
                };
                if !declared {
                    stray.push(rel.display().to_string());
                }
            }
        }
    }
    stray.sort();
    assert!(
        stray.is_empty(),
        "test files outside the one test binary (move them to tests/it/AREA.rs and add \
         `pub mod AREA;` to tests/it/main.rs; `mod common;` becomes \
         `use crate::support as common;`): {stray:?}"
    );
}
