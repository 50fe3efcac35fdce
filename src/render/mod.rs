//! Renderers: each reads only the report model, so every output can be made again from a saved
//! `gluework.json` without the repositories.

pub mod chart;
pub mod csv;
pub mod events;
pub mod html;
pub mod json;
pub mod markdown;
pub mod packet;
pub mod team_report;
pub mod terminal;

use crate::model::Report;

/// Removes control characters (terminal escapes, newlines) and bidirectional overrides from
/// untrusted text for display: the one sanitiser every error and warning line goes through
/// where it is printed ([`crate::input::sanitize`]).
pub fn plain(text: &str) -> String {
    crate::input::sanitize(text)
}

/// Writes the report as JSON: the canonical, deterministic form (pretty-printed, with a
/// trailing newline), streamed rather than built as one string.
pub fn write_json(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    json::write(report, w)
}

/// How an open window's span (from the first to the last activity) is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// `2024-01-03`
    Day,
    /// `2024-01`
    Month,
}

/// The report's window as a phrase: `2024-01-01 to 2024-06-30`, `since 2024-01-01`,
/// `until 2024-06-30`, or `all history (2024-01-03 to 2024-06-12)` from the first and last
/// activity in the report. Not escaped: the dates come from the report.
pub fn window_phrase(report: &Report, span: Span) -> String {
    let phrase = dates_phrase(report, span);
    match &report.window.range {
        // `v1.2..HEAD (2024-01 to 2024-06)`, not "all history".
        Some(range) => format!(
            "{range} ({})",
            phrase
                .strip_prefix("all history (")
                .map_or(phrase.as_str(), |p| p.trim_end_matches(')'))
        ),
        None => phrase,
    }
}

/// The window's dates in words: `2024-01-01 to 2024-06-30`, `since …`, `all history (… to …)`.
fn dates_phrase(report: &Report, span: Span) -> String {
    use crate::date::{utc_day as day, utc_month};
    match (report.window.since, report.window.until) {
        (Some(s), Some(u)) => format!("{} to {}", day(s), day(u)),
        (Some(s), None) => format!("since {}", day(s)),
        (None, Some(u)) => format!("until {}", day(u)),
        (None, None) => {
            let first = report.people.iter().filter_map(|p| p.first_seen).min();
            let last = report.people.iter().filter_map(|p| p.last_seen).max();
            let cut = |t| match span {
                Span::Day => day(t),
                Span::Month => utc_month(t),
            };
            match (first, last) {
                (Some(f), Some(l)) => format!("all history ({} to {})", cut(f), cut(l)),
                _ => "all history".to_string(),
            }
        }
    }
}
