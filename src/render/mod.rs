//! Renderers: each reads only the report model, so every output can be made again from a saved
//! `gluework.json` without the repositories.

pub mod chart;
pub mod csv;
pub mod events;
pub mod markdown;
pub mod packet;
pub mod team_report;
pub mod terminal;

use crate::model::Report;

/// Removes control characters (terminal escapes, newlines) from untrusted text for display.
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The report as JSON text (the canonical, deterministic form).
pub fn json(report: &Report) -> String {
    report.to_json()
}
