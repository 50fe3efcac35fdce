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
pub mod bad_input;
pub mod cache;
pub mod charts;
pub mod check;
pub mod check_mailmap_diff;
pub mod ci_workflow;
pub mod config;
pub mod forge_fetch;
pub mod forge_scan;
pub mod git_trailers_diff;
pub mod hostile_history;
pub mod hostile_input;
pub mod identity;
pub mod merge;
pub mod merge_credit;
pub mod org_scale;
pub mod org_workflow;
pub mod out_folder;
pub mod reports;
pub mod scan;
pub mod security;
