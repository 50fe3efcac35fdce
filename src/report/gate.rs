//! The CI gate (`gluework check`): thresholds on the team's figures, each measured and judged.
//! See docs/ci.md for the thresholds and what they mean.

use super::{carried, team_people};
use crate::model::Report;

/// The thresholds of `gluework check`; `None` is not checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    /// Fail when one person carries more than this share of all glue (0–1).
    pub max_top_share: Option<f64>,
    /// Fail when fewer than this many people carry half of all glue.
    pub min_people_for_half: Option<u64>,
    /// Fail when the Gini coefficient of glue is above this (0–1).
    pub max_gini: Option<f64>,
    /// Fail when less than this share of non-merge commits carries a review signal (0–1).
    pub min_review_coverage: Option<f64>,
    /// Fail when more than this many glue categories rest on one or two people (see
    /// [`super::carried`]).
    pub max_bus_factor_risk: Option<u64>,
    /// Fail when less than this share of the window's newcomers were helped by someone (0–1).
    pub min_newcomers_helped: Option<f64>,
}

impl Thresholds {
    pub fn is_empty(&self) -> bool {
        *self == Thresholds::default()
    }
}

/// One threshold, measured. In JSON (`check --json`) the limit and the measured value are
/// numbers (`limit`, `measured`: `null` when not measurable), each beside the text the table
/// shows (`limit_text`, `measured_text`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The option that set it (`--max-top-share`).
    pub option: &'static str,
    /// What is measured, in words.
    pub label: &'static str,
    /// The limit as given.
    #[serde(rename = "limit")]
    pub limit_value: Figure,
    /// The limit as written: `≤ 0.50`, `≥ 3`.
    #[serde(rename = "limit_text")]
    pub limit: String,
    /// The measured value, unrounded; `None` when it cannot be measured.
    #[serde(rename = "measured")]
    pub value: Option<Figure>,
    /// The measured value as shown (`0.31`, `2`), or `n/a`.
    #[serde(rename = "measured_text")]
    pub measured: String,
    pub pass: bool,
    /// Who or what the figure is about (`Maya Lindqvist`, `review, onboarding`); plain text,
    /// not escaped.
    pub note: String,
}

/// A limit or a measured value: a count, or a fraction between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Figure {
    Count(u64),
    Fraction(f64),
}

fn fraction(x: f64) -> String {
    format!("{x:.2}")
}

/// Measures every threshold that is set, in a fixed order. A figure that cannot be measured
/// (no glue, no commits or no newcomers in the window) passes and is shown as `n/a`.
pub fn evaluate(report: &Report, t: &Thresholds) -> Vec<Outcome> {
    let team = &report.team;
    let people = team_people(report);
    let mut out = Vec::new();
    let no_glue = team.glue == 0;
    if let Some(max) = t.max_top_share {
        let top = people
            .iter()
            .filter(|p| p.glue > 0)
            .max_by(|a, b| a.glue.cmp(&b.glue).then_with(|| b.name.cmp(&a.name)));
        out.push(Outcome {
            option: "--max-top-share",
            label: "largest share of glue held by one person",
            limit_value: Figure::Fraction(max),
            limit: format!("≤ {}", fraction(max)),
            value: (!no_glue).then_some(Figure::Fraction(team.top_share)),
            measured: if no_glue {
                "n/a".into()
            } else {
                fraction(team.top_share)
            },
            pass: no_glue || team.top_share <= max,
            note: if no_glue {
                "no glue work in the window".into()
            } else {
                top.map(|p| p.name.clone()).unwrap_or_default()
            },
        });
    }
    if let Some(min) = t.min_people_for_half {
        out.push(Outcome {
            option: "--min-people-for-half",
            label: "people carrying half of the glue",
            limit_value: Figure::Count(min),
            limit: format!("≥ {min}"),
            value: (!no_glue).then_some(Figure::Count(team.people_for_half)),
            measured: if no_glue {
                "n/a".into()
            } else {
                team.people_for_half.to_string()
            },
            pass: no_glue || team.people_for_half >= min,
            note: if no_glue {
                "no glue work in the window".into()
            } else {
                format!("of {} people", team.people)
            },
        });
    }
    if let Some(max) = t.max_gini {
        // The regular contributors' figure (docs/ci.md); the all-contributor one when nobody is
        // regular in the window.
        let regular = team.regular.glue > 0;
        let gini = if regular {
            team.regular.gini
        } else {
            team.gini
        };
        out.push(Outcome {
            option: "--max-gini",
            label: "Gini coefficient of glue (regular contributors)",
            limit_value: Figure::Fraction(max),
            limit: format!("≤ {}", fraction(max)),
            value: (!no_glue).then_some(Figure::Fraction(gini)),
            measured: if no_glue {
                "n/a".into()
            } else {
                fraction(gini)
            },
            pass: no_glue || gini <= max,
            note: if no_glue {
                "no glue work in the window".into()
            } else if regular {
                format!(
                    "{}; {} regular contributors (active in {}+ months); all {} people: {}",
                    super::gini_reading(gini),
                    team.regular.people,
                    team.regular.min_months,
                    team.people,
                    fraction(team.gini)
                )
            } else {
                format!(
                    "{}; no regular contributors (active in {}+ months): all {} people",
                    super::gini_reading(gini),
                    team.regular.min_months,
                    team.people
                )
            },
        });
    }
    if let Some(min) = t.min_review_coverage {
        // Commits of a squash-merge era have their review on the forge: not measured here.
        let in_git = team.commits - team.not_in_git.min(team.commits);
        let none = in_git == 0;
        out.push(Outcome {
            option: "--min-review-coverage",
            label: "share of commits with a review signal",
            limit_value: Figure::Fraction(min),
            limit: format!("≥ {}", fraction(min)),
            value: (!none).then_some(Figure::Fraction(team.review_coverage)),
            measured: if none {
                "n/a".into()
            } else {
                fraction(team.review_coverage)
            },
            pass: none || team.review_coverage >= min,
            note: match (none, team.not_in_git) {
                (true, 0) => "no commits in the window".into(),
                (true, _) => "every commit is in a squash-merge era: reviews not in git (gluework fetch, then scan --forge)".into(),
                (false, 0) => format!("{} of {} commits", team.reviewed_commits, team.commits),
                (false, n) => format!(
                    "{} of {} commits; {} commits of a squash-merge era left out: reviews not in git",
                    team.reviewed_commits, in_git, n
                ),
            },
        });
    }
    if let Some(max) = t.max_bus_factor_risk {
        let risky = carried(&people);
        let names: Vec<&str> = risky.iter().map(|c| c.category.as_str()).collect();
        out.push(Outcome {
            option: "--max-bus-factor-risk",
            label: "glue categories resting on one or two people",
            limit_value: Figure::Count(max),
            limit: format!("≤ {max}"),
            value: Some(Figure::Count(risky.len() as u64)),
            measured: risky.len().to_string(),
            pass: risky.len() as u64 <= max,
            note: names.join(", "),
        });
    }
    if let Some(min) = t.min_newcomers_helped {
        let n = team.newcomers.len();
        let helped = team
            .newcomers
            .iter()
            .filter(|c| !c.helpers.is_empty())
            .count();
        let share = if n == 0 {
            0.0
        } else {
            helped as f64 / n as f64
        };
        out.push(Outcome {
            option: "--min-newcomers-helped",
            label: "share of newcomers helped by someone",
            limit_value: Figure::Fraction(min),
            limit: format!("≥ {}", fraction(min)),
            value: (n > 0).then_some(Figure::Fraction(share)),
            measured: if n == 0 {
                "n/a".into()
            } else {
                fraction(share)
            },
            pass: n == 0 || share >= min,
            note: if n == 0 {
                "no newcomers in the window".into()
            } else {
                format!("{helped} of {n} newcomers")
            },
        });
    }
    out
}
