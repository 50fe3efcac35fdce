//! The report: the one serialisable model that every output is rendered from. Its JSON form is
//! documented in docs/json-schema.md; change that page with any change here and bump
//! `SCHEMA_VERSION` for anything that is not a pure addition.

use crate::category::{Category, Counts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub config: ConfigInfo,
    pub window: Window,
    pub repositories: Vec<Repository>,
    pub categories: Vec<Category>,
    pub people: Vec<Person>,
    /// Figures for everyone in the report (with `--team`, for that team).
    pub team: Team,
    /// With teams configured: the same figures per team, people in no team under `other`.
    pub teams: BTreeMap<String, Team>,
    /// Report-wide warnings (e.g. a team member no one matches), sorted.
    pub warnings: Vec<String>,
    /// Pairs of people who are likely one person but were not joined (`gluework identities`
    /// lists them).
    #[serde(default)]
    pub likely_duplicates: u64,
}

/// An identity merged into a person and the reason (`mailmap`, `same-email`, `noreply-id`,
/// `login:<source>`, `same-name`, `alias`; a chain as `a,b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Join {
    pub identity: String,
    pub reason: String,
}

/// Which configuration made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigInfo {
    /// Digest of the settings that apply to every repository (built-in defaults, the user's
    /// file, `--config`): two reports with the same digest and the same rules version were made
    /// with the same rules, apart from repositories' own files (see each `config_digest`).
    pub digest: String,
    /// The configuration files that were read, in order (repository files as
    /// `.gluework.toml at <commit>`).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// The version of the built-in rules (see `rules::RULES_VERSION`).
    pub rules_version: u32,
}

/// The time window credits were counted in (UTC, RFC 3339); `null` where open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub since: Option<String>,
    pub until: Option<String>,
    /// The period of each person's `timeline`: `month`, `week`, `quarter` or `year`.
    pub period: String,
    /// The revision range credits are counted in (`--rev v1.2..HEAD`), absent for a single
    /// revision: commits the range leaves out earn nothing (newcomers are still judged on the
    /// whole history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    /// Unique within the report: the folder name, or the path where two folders share a name.
    pub name: String,
    /// The path as given on the command line.
    pub path: String,
    /// The commit the scan started from (`null` for an empty repository).
    pub head: Option<String>,
    /// The web address of `origin` when it is on GitHub or GitLab (for links), else `null`.
    #[serde(default)]
    pub remote: Option<Remote>,
    /// Commits in the window (merges included).
    pub commits: u64,
    /// Merge commits in the window.
    pub merges: u64,
    /// Commits in the whole history walked, whatever the window.
    pub history: u64,
    pub shallow: bool,
    /// Digest of the rules this repository was classified with.
    pub config_digest: String,
    /// The repository's own configuration file, if it has one.
    pub config_file: Option<String>,
    pub warnings: Vec<String>,
    /// When the window's recent history is mostly squash merges made in the forge's web UI
    /// (and no forge data was read): since when, and how many commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub squash_era: Option<SquashEra>,
}

/// A repository's squash-merge era: from the first day of `since`'s month to the end of the
/// window, more than half of each month's commits are web-UI squash merges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SquashEra {
    /// The first day of the era (UTC, RFC 3339).
    pub since: String,
    /// Non-merge commits of the window in the era, and how many of them are squash merges.
    pub commits: u64,
    pub squash_merges: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A repository's home on a forge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remote {
    /// `https://github.com/owner/repo` (no credentials, no `.git`).
    pub url: String,
    /// `github` or `gitlab`.
    pub forge: String,
}

/// A person's work in one top-level area (folder) of a repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaCounts {
    pub repo: String,
    /// The first path component (`src`, `docs`), or `/` for files at the root.
    pub area: String,
    /// Their `code` commits touching it.
    pub code: u64,
    /// Commits touching it on which they earned any glue credit.
    pub glue: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Stable key that `with` lists refer to: the primary email in lower case, else `@login`,
    /// else the bare name.
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub login: Option<String>,
    pub aliases: Vec<String>,
    /// The identities in `aliases`, in the same order, each with the reason it was joined
    /// (docs/identity.md).
    #[serde(default)]
    pub joins: Vec<Join>,
    pub bot: bool,
    /// Configured teams this person belongs to.
    pub teams: Vec<String>,
    /// Non-merge commits in the window they authored or co-authored.
    pub commits: u64,
    pub categories: Counts,
    pub glue: u64,
    pub glue_share: f64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub by_repo: Vec<RepoCounts>,
    /// Review comments left on others' pull requests in the window (forge data; 0 without).
    #[serde(default)]
    pub review_comments: u64,
    /// The pull requests those review comments were on.
    #[serde(default)]
    pub review_comment_prs: u64,
    /// Top-level areas of their credited non-merge commits, sorted by repo and area.
    #[serde(default)]
    pub areas: Vec<AreaCounts>,
    pub timeline: Vec<PeriodCounts>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoCounts {
    pub repo: String,
    pub categories: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCounts {
    pub period: String,
    pub categories: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub category: Category,
    pub kind: String,
    pub repo: String,
    pub commit: String,
    pub date: String,
    pub subject: String,
    pub pr: Option<u64>,
    /// Ids of the people the work helped or was shared with: at most 100 (see `with_more`).
    pub with: Vec<String>,
    /// How many more people the work was shared with than `with` names (a commit with
    /// thousands of co-authors); absent when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub with_more: u64,
    /// The pull request's web page, for evidence from forge data (docs/forge.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// People counted in team figures (humans; bots too with `--include-bots`).
    pub people: u64,
    /// Non-merge commits in the window.
    pub commits: u64,
    /// Sums of the people's category counts.
    pub categories: Counts,
    pub glue: u64,
    /// Gini coefficient of glue across the team's people (0 = evenly shared, 1 = one person).
    pub gini: f64,
    /// The largest single person's share of all glue.
    pub top_share: f64,
    /// The fewest people who together carry at least half of all glue.
    pub people_for_half: u64,
    /// The same three figures over the team's regular contributors only: the figures teams
    /// can be told apart by (one-off contributors push every project's Gini towards 1).
    #[serde(default)]
    pub regular: Concentration,
    /// Non-merge commits in `commits` that carry a review signal: a review credit on the commit,
    /// or a review credit on the merge that brought it in.
    #[serde(default)]
    pub reviewed_commits: u64,
    /// reviewed_commits / (commits - not_in_git) (0 when that is 0).
    #[serde(default)]
    pub review_coverage: f64,
    /// Commits in `commits` made in a repository's squash-merge era (`repositories[].squash_era`):
    /// their review is on the forge, not in git, so they are left out of `review_coverage`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_in_git: u64,
    pub newcomers: Vec<Newcomer>,
    /// Review comments on others' pull requests (forge data).
    #[serde(default)]
    pub review_comments: u64,
    /// Newcomers' first merged pull requests in the window and who helped them land (forge
    /// data), by merge date.
    #[serde(default)]
    pub onboarding_prs: Vec<OnboardingPr>,
}

/// Concentration of glue over the regular contributors: people active (an authored commit or a
/// credit) in at least `min_months` distinct months of the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Concentration {
    pub min_months: u64,
    /// Regular contributors counted.
    pub people: u64,
    /// Their glue.
    pub glue: u64,
    pub gini: f64,
    pub top_share: f64,
    pub people_for_half: u64,
}

impl Concentration {
    /// The figures of these glue counts (one per regular contributor).
    pub fn of(min_months: u64, glues: &[u64]) -> Concentration {
        let glue: u64 = glues.iter().sum();
        let top = glues.iter().copied().max().unwrap_or(0);
        Concentration {
            min_months,
            people: glues.len() as u64,
            glue,
            gini: gini(glues),
            top_share: if glue == 0 {
                0.0
            } else {
                ratio(top as f64 / glue as f64)
            },
            people_for_half: people_for_half(glues),
        }
    }
}

/// A newcomer's first merged pull request (forge data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnboardingPr {
    pub repo: String,
    pub pr: u64,
    pub url: String,
    /// The newcomer's id and name.
    pub author: String,
    pub author_name: String,
    /// When it was merged (UTC, RFC 3339).
    pub merged: String,
    /// Ids of the people who reviewed, commented on or merged it.
    pub helpers: Vec<String>,
}

/// A person whose first commit (across the scanned repositories) is in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Newcomer {
    pub id: String,
    pub name: String,
    pub repo: String,
    pub first_commit: String,
    pub date: String,
    /// Ids of the people credited with onboarding them.
    pub helpers: Vec<String>,
}

/// Rounds a ratio for the report (four decimals keep it readable and stable).
pub fn ratio(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

/// Gini coefficient of non-negative values; 0 for no values or a zero sum.
pub fn gini(values: &[u64]) -> f64 {
    let n = values.len();
    let sum: u64 = values.iter().sum();
    if n == 0 || sum == 0 {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let weighted: f64 = v
        .iter()
        .enumerate()
        .map(|(i, &x)| (i as f64 + 1.0) * x as f64)
        .sum();
    let n = n as f64;
    ratio((2.0 * weighted) / (n * sum as f64) - (n + 1.0) / n)
}

/// The fewest values whose sum reaches half of the total; 0 for a zero total.
pub fn people_for_half(values: &[u64]) -> u64 {
    let total: u64 = values.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut v = values.to_vec();
    v.sort_unstable_by(|a, b| b.cmp(a));
    let mut acc = 0;
    for (i, x) in v.iter().enumerate() {
        acc += x;
        if acc * 2 >= total {
            return i as u64 + 1;
        }
    }
    v.len() as u64
}

impl Report {
    pub fn person_by_id(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_values() {
        assert_eq!(gini(&[]), 0.0);
        assert_eq!(gini(&[0, 0]), 0.0);
        assert_eq!(gini(&[5, 5, 5]), 0.0);
        assert_eq!(gini(&[0, 0, 0, 10]), 0.75);
        assert_eq!(gini(&[1, 2, 3, 4]), 0.25);
    }

    #[test]
    fn half_carriers() {
        assert_eq!(people_for_half(&[]), 0);
        assert_eq!(people_for_half(&[10, 1, 1]), 1);
        assert_eq!(people_for_half(&[3, 3, 3, 3]), 2);
        assert_eq!(people_for_half(&[0, 0]), 0);
    }
}
