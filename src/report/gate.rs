//! The CI gate (`gluework check`): thresholds on the team's figures, each measured and judged.
//! See docs/ci.md for the thresholds and what they mean.

use super::{carried, team_people};
use crate::model::{Person, Report};

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
/// shows (`limit_text`, `measured_text`); the keys come in the fields' order (`option`, `label`,
/// `limit`, `limit_text`, `measured`, `measured_text`, `pass`, `note`), so keep it meaningful.
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

impl Figure {
    /// As the table shows it: a fraction with two decimals, a count as it is.
    fn text(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Fraction(x) => fraction(x),
        }
    }
}

/// Which side of the limit passes.
#[derive(Clone, Copy)]
enum Bound {
    AtMost(Figure),
    AtLeast(Figure),
}

impl Bound {
    fn limit(self) -> Figure {
        match self {
            Bound::AtMost(f) | Bound::AtLeast(f) => f,
        }
    }

    /// `≤ 0.50`, `≥ 3`.
    fn text(self) -> String {
        match self {
            Bound::AtMost(f) => format!("≤ {}", f.text()),
            Bound::AtLeast(f) => format!("≥ {}", f.text()),
        }
    }

    /// Whether `value` is on the passing side (a NaN is not).
    fn holds(self, value: Figure) -> bool {
        let order = match (value, self.limit()) {
            (Figure::Count(v), Figure::Count(l)) => Some(v.cmp(&l)),
            (Figure::Fraction(v), Figure::Fraction(l)) => v.partial_cmp(&l),
            _ => None,
        };
        match self {
            Bound::AtMost(_) => order.is_some_and(|o| o.is_le()),
            Bound::AtLeast(_) => order.is_some_and(|o| o.is_ge()),
        }
    }
}

/// One threshold's outcome: `measured` is `Err(why)` when the figure cannot be measured (it
/// passes, shown as `n/a` with `why` as its note), else the value and its note.
fn outcome(
    option: &'static str,
    label: &'static str,
    bound: Bound,
    measured: Result<(Figure, String), &str>,
) -> Outcome {
    let (value, note) = match measured {
        Ok((value, note)) => (Some(value), note),
        Err(why) => (None, why.to_string()),
    };
    Outcome {
        option,
        label,
        limit_value: bound.limit(),
        limit: bound.text(),
        value,
        measured: value.map_or_else(|| "n/a".to_string(), Figure::text),
        pass: value.is_none_or(|v| bound.holds(v)),
        note,
    }
}

const NO_GLUE: &str = "no glue work in the window";

/// Measures every threshold that is set, in a fixed order. A figure that cannot be measured
/// (no glue, no commits or no newcomers in the window) passes and is shown as `n/a`.
pub fn evaluate(report: &Report, t: &Thresholds) -> Vec<Outcome> {
    let people = team_people(report);
    [
        t.max_top_share.map(|max| top_share(report, &people, max)),
        t.min_people_for_half
            .map(|min| people_for_half(report, min)),
        t.max_gini.map(|max| gini(report, max)),
        t.min_review_coverage
            .map(|min| review_coverage(report, min)),
        t.max_bus_factor_risk
            .map(|max| bus_factor_risk(&people, max)),
        t.min_newcomers_helped
            .map(|min| newcomers_helped(report, min)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `--max-top-share`: the largest share of glue one person holds, and who.
fn top_share(report: &Report, people: &[&Person], max: f64) -> Outcome {
    let team = &report.team;
    let top = people
        .iter()
        .filter(|p| p.glue > 0)
        .max_by(|a, b| a.glue.cmp(&b.glue).then_with(|| b.name.cmp(&a.name)));
    outcome(
        "--max-top-share",
        "largest share of glue held by one person",
        Bound::AtMost(Figure::Fraction(max)),
        if team.glue == 0 {
            Err(NO_GLUE)
        } else {
            Ok((
                Figure::Fraction(team.top_share),
                top.map(|p| p.name.clone()).unwrap_or_default(),
            ))
        },
    )
}

/// `--min-people-for-half`: how many people carry half of the glue.
fn people_for_half(report: &Report, min: u64) -> Outcome {
    let team = &report.team;
    outcome(
        "--min-people-for-half",
        "people carrying half of the glue",
        Bound::AtLeast(Figure::Count(min)),
        if team.glue == 0 {
            Err(NO_GLUE)
        } else {
            Ok((
                Figure::Count(team.people_for_half),
                format!("of {} people", team.people),
            ))
        },
    )
}

/// `--max-gini`: the regular contributors' Gini coefficient (docs/ci.md); the all-contributor
/// one when nobody is regular in the window.
fn gini(report: &Report, max: f64) -> Outcome {
    let team = &report.team;
    let regular = team.regular.glue > 0;
    let gini = if regular {
        team.regular.gini
    } else {
        team.gini
    };
    let note = if regular {
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
    };
    outcome(
        "--max-gini",
        "Gini coefficient of glue (regular contributors)",
        Bound::AtMost(Figure::Fraction(max)),
        if team.glue == 0 {
            Err(NO_GLUE)
        } else {
            Ok((Figure::Fraction(gini), note))
        },
    )
}

/// `--min-review-coverage`: the share of commits with a review signal. Commits of a
/// squash-merge era have their review on the forge: not measured here.
fn review_coverage(report: &Report, min: f64) -> Outcome {
    let team = &report.team;
    let in_git = team.commits - team.not_in_git.min(team.commits);
    let measured = match (in_git == 0, team.not_in_git) {
        (true, 0) => Err("no commits in the window"),
        (true, _) => Err("every commit is in a squash-merge era: reviews not in git (gluework fetch, then scan --forge)"),
        (false, 0) => Ok(format!("{} of {} commits", team.reviewed_commits, team.commits)),
        (false, n) => Ok(format!(
            "{} of {} commits; {} commits of a squash-merge era left out: reviews not in git",
            team.reviewed_commits, in_git, n
        )),
    };
    outcome(
        "--min-review-coverage",
        "share of commits with a review signal",
        Bound::AtLeast(Figure::Fraction(min)),
        measured.map(|note| (Figure::Fraction(team.review_coverage), note)),
    )
}

/// `--max-bus-factor-risk`: the glue categories resting on one or two people (always
/// measurable).
fn bus_factor_risk(people: &[&Person], max: u64) -> Outcome {
    let risky = carried(people);
    let names: Vec<&str> = risky.iter().map(|c| c.category.as_str()).collect();
    outcome(
        "--max-bus-factor-risk",
        "glue categories resting on one or two people",
        Bound::AtMost(Figure::Count(max)),
        Ok((Figure::Count(risky.len() as u64), names.join(", "))),
    )
}

/// `--min-newcomers-helped`: the share of the window's newcomers someone helped.
fn newcomers_helped(report: &Report, min: f64) -> Outcome {
    let newcomers = &report.team.newcomers;
    let n = newcomers.len();
    let helped = newcomers.iter().filter(|c| !c.helpers.is_empty()).count();
    outcome(
        "--min-newcomers-helped",
        "share of newcomers helped by someone",
        Bound::AtLeast(Figure::Fraction(min)),
        if n == 0 {
            Err("no newcomers in the window")
        } else {
            Ok((
                Figure::Fraction(helped as f64 / n as f64),
                format!("{helped} of {n} newcomers"),
            ))
        },
    )
}
