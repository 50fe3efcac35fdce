//! gluework: makes glue work visible from git history.
//!
//! The pipeline has one room per job: [`scan`] walks repositories (read-only, in parallel) →
//! [`classify`] turns each commit's facts into what it is and whom it names (pure) →
//! [`identity`] resolves who is who → [`aggregate`] builds the [`model::Report`] → [`render`]
//! writes JSON and the terminal table from the model alone. [`ident`] is the identity as
//! written (and the `.mailmap`) that classify, identity and the rules share.
//!
//! [`session`] runs that pipeline over many repositories (the shard filter, forge data, the
//! configuration's layers, report windows): it is the library's front door, and the command
//! line ([`commands`], one file per subcommand, with [`output`] for the files it writes) is a
//! thin caller of it. docs/architecture.md draws the layers and the arrows allowed between
//! them.
//!
//! ```no_run
//! use gluework::session::{ScanSettings, Session, WindowSpec};
//!
//! let settings = ScanSettings {
//!     paths: vec!["path/to/repository".to_string()],
//!     window: WindowSpec { since: Some("2024-01-01T00:00:00Z".parse()?), ..WindowSpec::default() },
//!     ..ScanSettings::default()
//! };
//! let session = Session::scan(&settings, &())?; // `()` hears no errors, warnings or progress
//! let report = session.report(false); // without bots
//! for person in report.people.iter().take(5) {
//!     println!("{}: {} glue", person.name, person.glue);
//! }
//! gluework::render::write_json(&report, &mut std::io::stdout())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod aggregate;
pub mod category;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod error;
pub mod figures;
pub mod forge;
pub mod fsio;
pub mod genrepo;
pub mod id;
pub mod ident;
pub mod identity;
pub mod input;
pub mod lockfile;
pub mod model;
pub mod output;
pub mod part;
pub mod render;
pub mod report;
pub mod report_cache;
pub mod rules;
pub mod scan;
pub mod session;
pub mod shard;

/// A hash map with a fast hasher, randomly seeded per process, for the aggregation's maps of
/// identities and commit ids (hot: hundreds of thousands of lookups per scan).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
