//! gluework: makes glue work visible from git history.
//!
//! The pipeline has one room per job: [`scan`] walks repositories (read-only, in parallel) →
//! [`classify`] turns each commit's facts into what it is and whom it names (pure) →
//! [`identity`] resolves who is who → [`aggregate`] builds the [`model::Report`] → [`render`]
//! writes JSON and the terminal table from the model alone.

pub mod aggregate;
pub mod app;
pub mod category;
pub mod classify;
pub mod cli;
pub mod config;
pub mod date;
pub mod forge;
pub mod genrepo;
pub mod identity;
pub mod input;
pub mod lockfile;
pub mod model;
pub mod part;
pub mod render;
pub mod report;
pub mod rules;
pub mod scan;
pub mod shard;

/// A hash map with a fast hasher, randomly seeded per process, for the aggregation's maps of
/// identities and commit ids (hot: hundreds of thousands of lookups per scan).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
