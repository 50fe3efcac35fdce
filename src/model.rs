//! The report: the one serialisable model that every output is rendered from. Its JSON form is
//! documented in docs/json-schema.md; change that page with any change here and bump
//! `SCHEMA_VERSION` for anything that is not a pure addition.

use crate::category::{Category, Counts};
pub use crate::id::CommitId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Version 2: each credited commit's facts are stored once, in `commits`, and evidence refers
/// to them by `row` (version 1 repeated them in every credited person's evidence). Reports of
/// version 1 are still read ([`Report::link`] converts them).
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest schema version still read.
pub const OLDEST_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub config: ConfigInfo,
    pub window: Window,
    pub repositories: Vec<Repository>,
    pub categories: Vec<Category>,
    /// The facts of every commit (or pull request) that evidence refers to, once each, sorted
    /// by date, repository, commit; each row is the one its evidence items share. Absent from
    /// version 1 (evidence carried them itself).
    #[serde(default, with = "shared_rows")]
    pub commits: Vec<Arc<CommitRow>>,
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

/// An identity merged into a person and the reason (`mailmap`, `same-email`, `subaddress`, `noreply-id`,
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

/// The time window credits were counted in (UTC, RFC 3339); `null` where open: the report's
/// record of the window it was made with, from the window asked for
/// ([`crate::session::WindowSpec`]) and the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    #[serde(default, with = "crate::date::rfc3339::option")]
    pub since: Option<Timestamp>,
    #[serde(default, with = "crate::date::rfc3339::option")]
    pub until: Option<Timestamp>,
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
    /// The first day of the era (UTC; in JSON its first second, RFC 3339).
    #[serde(with = "crate::date::rfc3339::day")]
    pub since: jiff::civil::Date,
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
    /// Their first and last authored commit or credit (UTC, RFC 3339 in JSON).
    #[serde(default, with = "crate::date::rfc3339::option")]
    pub first_seen: Option<Timestamp>,
    #[serde(default, with = "crate::date::rfc3339::option")]
    pub last_seen: Option<Timestamp>,
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

/// One credit. In memory an item refers to its commit's facts (`repo`, `commit`, `date`,
/// `subject`, `pr`, `url`) through one shared [`CommitRow`], the same one as every other item on
/// that commit and the report's `commits` table (it reads as those facts: `item.subject`); in
/// JSON it names them by `row` in the report's `commits` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EvidenceIn")]
pub struct Evidence {
    pub category: Category,
    /// The rule (`trailer:Reviewed-by`, `merge`, …), shared with every item of that rule.
    pub kind: Text,
    /// The item's row in `Report::commits` ([`Evidence::UNINDEXED`] until
    /// [`Report::index_commits`] runs).
    pub row: u32,
    /// Ids of the people the work helped or was shared with: at most 100 (see `with_more`);
    /// each id is the one string all items naming that person share.
    pub with: Vec<Text>,
    /// How many more people the work was shared with than `with` names (a commit with
    /// thousands of co-authors); absent when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub with_more: u64,
    /// The commit's facts, shared by every item on the commit.
    #[serde(skip)]
    pub facts: Arc<CommitRow>,
}

/// An item reads as its commit's facts: `item.subject`, `item.repo`, `item.date`.
impl std::ops::Deref for Evidence {
    type Target = CommitRow;

    fn deref(&self) -> &CommitRow {
        &self.facts
    }
}

impl Evidence {
    /// `row` of an item not yet indexed into a report's `commits`.
    pub const UNINDEXED: u32 = u32::MAX;

    /// The date as the report writes it (`2024-03-04T10:00:00Z`), for text outputs.
    pub fn date_text(&self) -> String {
        crate::date::utc_text(self.date)
    }
}

/// A shared string that reads, compares, hashes and serialises as the text it holds: equal
/// values made once and cloned point at one copy (an evidence item's rule is one of a few
/// dozen, held by millions of items).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Arc::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::from(s))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        crate::id::from_str(d, |s| Ok::<_, std::convert::Infallible>(Text::from(s)))
    }
}

/// A credited commit's facts, once per report (`Report::commits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRow {
    /// The repository's name.
    #[serde(with = "shared")]
    pub repo: Arc<str>,
    /// The full commit id; `""` for forge evidence with no commit in the scanned history.
    pub commit: CommitId,
    /// The commit (committer) date (UTC, RFC 3339).
    #[serde(with = "crate::date::rfc3339")]
    pub date: Timestamp,
    /// The commit's first line (forge evidence with no commit: the pull request's title).
    #[serde(with = "shared")]
    pub subject: Arc<str>,
    /// The pull/merge request.
    pub pr: Option<u64>,
    /// The pull request's web page, for evidence from forge data.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "shared_opt")]
    pub url: Option<Arc<str>>,
}

/// The commits table's order of two commits' facts: date, repository, commit, then the rest.
fn facts_order(a: &CommitRow, b: &CommitRow) -> std::cmp::Ordering {
    (a.date, &a.repo, a.commit, &a.subject, a.pr, &a.url)
        .cmp(&(b.date, &b.repo, b.commit, &b.subject, b.pr, &b.url))
}

impl CommitRow {
    /// The facts of an item read with `row` only, until [`Report::link`] gives it its row's.
    fn unlinked() -> Arc<CommitRow> {
        static EMPTY: std::sync::LazyLock<Arc<CommitRow>> = std::sync::LazyLock::new(|| {
            Arc::new(CommitRow {
                repo: Arc::from(""),
                commit: CommitId::NULL,
                date: Timestamp::UNIX_EPOCH,
                subject: Arc::from(""),
                pr: None,
                url: None,
            })
        });
        EMPTY.clone()
    }
}

/// An evidence item as JSON has it: version 2's `row`, or version 1's facts inline.
#[derive(Deserialize)]
struct EvidenceIn {
    category: Category,
    kind: Text,
    #[serde(default)]
    row: Option<u32>,
    with: Vec<Text>,
    #[serde(default)]
    with_more: u64,
    #[serde(default)]
    repo: Option<String>,
    #[serde(default)]
    commit: Option<CommitId>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    pr: Option<u64>,
    #[serde(default)]
    url: Option<String>,
}

impl TryFrom<EvidenceIn> for Evidence {
    type Error = &'static str;

    fn try_from(e: EvidenceIn) -> Result<Evidence, &'static str> {
        let mut out = Evidence {
            category: e.category,
            kind: e.kind,
            row: Evidence::UNINDEXED,
            with: e.with,
            with_more: e.with_more,
            facts: CommitRow::unlinked(),
        };
        if let Some(row) = e.row.filter(|&r| r != Evidence::UNINDEXED) {
            out.row = row;
            return Ok(out);
        }
        let (Some(repo), Some(commit), Some(date), Some(subject)) =
            (e.repo, e.commit, e.date, e.subject)
        else {
            return Err("an evidence item has neither `row` nor its commit's facts \
                        (repo, commit, date, subject)");
        };
        out.facts = Arc::new(CommitRow {
            repo: Arc::from(repo),
            commit,
            date: crate::date::rfc3339::parse(&date)?,
            subject: Arc::from(subject),
            pr: e.pr,
            url: e.url.map(Arc::from),
        });
        Ok(out)
    }
}

/// Serde for shared strings (`Arc<str>`), without serde's `rc` feature.
mod shared {
    use serde::{Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        crate::id::from_str(d, |s| Ok::<_, std::convert::Infallible>(Arc::from(s)))
    }
}

/// Serde for the commits table's shared rows, without serde's `rc` feature.
mod shared_rows {
    use super::CommitRow;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(v: &[Arc<CommitRow>], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for row in v {
            seq.serialize_element(&**row)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Arc<CommitRow>>, D::Error> {
        Ok(Vec::<CommitRow>::deserialize(d)?
            .into_iter()
            .map(Arc::new)
            .collect())
    }
}

mod shared_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(v: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(&**v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Arc<str>>, D::Error> {
        Ok(<Option<std::borrow::Cow<'de, str>>>::deserialize(d)?.map(Arc::from))
    }
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
    /// When it was merged (UTC, RFC 3339 in JSON).
    #[serde(with = "crate::date::rfc3339")]
    pub merged: Timestamp,
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
    /// The first commit's (committer) date (UTC, RFC 3339 in JSON).
    #[serde(with = "crate::date::rfc3339")]
    pub date: Timestamp,
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

impl Person {
    /// A copy of the person whose evidence rows point into a table of their own commits only
    /// (rows of `commits`, in its order), and that table: a person's slice stands alone.
    pub fn with_own_commits(&self, commits: &[Arc<CommitRow>]) -> (Vec<CommitRow>, Person) {
        let mut rows: Vec<u32> = self.evidence.iter().map(|e| e.row).collect();
        rows.sort_unstable();
        rows.dedup();
        let mut person = self.clone();
        for e in &mut person.evidence {
            e.row = rows
                .binary_search(&e.row)
                .map_or(Evidence::UNINDEXED, |k| k as u32);
        }
        let table = rows
            .iter()
            .filter_map(|&r| commits.get(r as usize).map(|row| CommitRow::clone(row)))
            .collect();
        (table, person)
    }
}

/// Why a saved report cannot be read. No message quotes the file's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a gluework report (no schema_version)")]
    NoVersion,
    #[error(
        "report schema version {0}, this gluework reads versions {OLDEST_SCHEMA_VERSION} to \
         {SCHEMA_VERSION}; re-run the scan with this version"
    )]
    Version(u64),
    #[error("malformed gluework report: {0}")]
    Malformed(String),
    #[error(
        "malformed gluework report: evidence refers to commits row {row}, and the report has \
         {rows} rows"
    )]
    NoSuchRow { row: u64, rows: usize },
}

impl Report {
    /// Reads a saved report of any version still read (version 1 is converted: see
    /// [`Report::link`]). `quiet` makes a parse error's message (it may quote the file's text)
    /// fit to show.
    pub fn from_json(
        text: &str,
        quiet: impl Fn(&serde_json::Error) -> String,
    ) -> Result<Report, ReadError> {
        // One parse for a good report; on failure the header alone, so that another version
        // or another document gets a message of its own rather than a missing field's.
        let full = serde_json::from_str::<Report>(text);
        let version = match &full {
            Ok(report) => Some(report.schema_version as u64),
            Err(_) => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| ReadError::NotJson(quiet(&e)))?;
                value.get("schema_version").and_then(|v| v.as_u64())
            }
        };
        match version {
            Some(v) if (OLDEST_SCHEMA_VERSION as u64..=SCHEMA_VERSION as u64).contains(&v) => {}
            Some(v) => return Err(ReadError::Version(v)),
            None => return Err(ReadError::NoVersion),
        }
        let mut report = full.map_err(|e| ReadError::Malformed(quiet(&e)))?;
        report.link()?;
        Ok(report)
    }

    pub fn person_by_id(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// Builds `commits` from the evidence's facts (each distinct commit once, in the table's
    /// order) and points every item's `row` at it; items with equal facts (read each with its
    /// own) come to share the table's row, and each repository's name is held once. Called when
    /// a report is made, and when a version 1 report is read.
    pub fn index_commits(&mut self) {
        // The distinct rows the items share, each once (a large report holds millions of items
        // and about one row per commit: nothing here is per item but a lookup).
        let mut distinct: Vec<Arc<CommitRow>> = Vec::new();
        let mut seen: HashSet<*const CommitRow> = HashSet::new();
        for e in self.people.iter().flat_map(|p| &p.evidence) {
            if seen.insert(Arc::as_ptr(&e.facts)) {
                distinct.push(e.facts.clone());
            }
        }
        drop(seen);
        let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| facts_order(&distinct[a as usize], &distinct[b as usize]));
        let mut table: Vec<Arc<CommitRow>> = Vec::new();
        // (address of a distinct row, its row in the table), sorted by address.
        let mut row_of: Vec<(usize, u32)> = Vec::with_capacity(distinct.len());
        let mut repos: HashSet<Arc<str>> = HashSet::new();
        for &k in &order {
            let facts = &distinct[k as usize];
            let same = table
                .last()
                .is_some_and(|t| facts_order(t, facts) == std::cmp::Ordering::Equal);
            if !same {
                let mut row = facts.clone();
                // One name per repository, however many items were read with their own.
                match repos.get(&row.repo) {
                    Some(r) if !Arc::ptr_eq(r, &row.repo) => {
                        Arc::make_mut(&mut row).repo = r.clone()
                    }
                    Some(_) => {}
                    None => {
                        repos.insert(row.repo.clone());
                    }
                }
                table.push(row);
            }
            row_of.push((Arc::as_ptr(facts) as usize, table.len() as u32 - 1));
        }
        drop(order);
        row_of.sort_unstable();
        // `distinct` keeps every original row alive until here, so no address is reused.
        for e in self.people.iter_mut().flat_map(|p| &mut p.evidence) {
            let at = Arc::as_ptr(&e.facts) as usize;
            if let Ok(k) = row_of.binary_search_by_key(&at, |&(a, _)| a) {
                let row = row_of[k].1;
                e.row = row;
                if !Arc::ptr_eq(&e.facts, &table[row as usize]) {
                    e.facts = table[row as usize].clone();
                }
            }
        }
        drop(distinct);
        self.commits = table;
    }

    /// After reading a report: gives every evidence item its commit's row from `commits`
    /// (version 2), or builds `commits` from the items' own facts (version 1, or items written
    /// by hand with their facts inline); equal rules and ids are held once. Fails on a `row` outside the
    /// table, with a message that names no text of the file.
    pub fn link(&mut self) -> Result<(), ReadError> {
        let mut repos: HashSet<Arc<str>> = HashSet::new();
        for row in &mut self.commits {
            match repos.get(&row.repo) {
                Some(r) if !Arc::ptr_eq(r, &row.repo) => Arc::make_mut(row).repo = r.clone(),
                Some(_) => {}
                None => {
                    repos.insert(row.repo.clone());
                }
            }
        }
        let n = self.commits.len();
        let mut inline = false;
        // Rules and people's ids, each held once however many items name them.
        let mut texts: HashSet<Text> = HashSet::new();
        let mut share = |t: &mut Text| match texts.get(&*t) {
            Some(known) => *t = known.clone(),
            None => {
                texts.insert(t.clone());
            }
        };
        for p in &mut self.people {
            for e in &mut p.evidence {
                share(&mut e.kind);
                e.with.iter_mut().for_each(&mut share);
                if e.row == Evidence::UNINDEXED {
                    inline = true;
                    continue;
                }
                let Some(row) = self.commits.get(e.row as usize) else {
                    return Err(ReadError::NoSuchRow {
                        row: e.row as u64,
                        rows: n,
                    });
                };
                e.facts = row.clone();
            }
        }
        if inline || self.schema_version < SCHEMA_VERSION {
            self.index_commits();
        }
        self.schema_version = SCHEMA_VERSION;
        Ok(())
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
    fn reads_schema_1_and_2_and_refuses_others() {
        let quiet = |e: &serde_json::Error| e.to_string();
        let text = include_str!("../tests/golden/team.json");
        let report = Report::from_json(text, quiet).unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION);
        let first = &report.people[0].evidence[0];
        assert!(Arc::ptr_eq(
            &report.commits[first.row as usize],
            &first.facts
        ));
        assert_eq!(first.commit.hex().len(), 40);
        // Schema 1: the facts inline, no table; converted into the same report.
        let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
        let table = v["commits"].take();
        v.as_object_mut().unwrap().remove("commits");
        v["schema_version"] = 1.into();
        for p in v["people"].as_array_mut().unwrap() {
            for e in p["evidence"].as_array_mut().unwrap() {
                let row = &table[e["row"].as_u64().unwrap() as usize];
                let e = e.as_object_mut().unwrap();
                e.remove("row");
                for (k, x) in row.as_object().unwrap() {
                    e.insert(k.clone(), x.clone());
                }
            }
        }
        let old = Report::from_json(&v.to_string(), quiet).unwrap();
        assert_eq!(old, report);
        // Shared strings: one subject per commit, however many people it credits.
        let on_first: Vec<&Evidence> = old
            .people
            .iter()
            .flat_map(|p| &p.evidence)
            .filter(|e| e.row == first.row)
            .collect();
        assert!(on_first
            .iter()
            .all(|e| Arc::ptr_eq(&e.facts, &old.commits[first.row as usize])));
        v["schema_version"] = 3.into();
        assert_eq!(
            Report::from_json(&v.to_string(), quiet),
            Err(ReadError::Version(3))
        );
        assert_eq!(Report::from_json("[1]", quiet), Err(ReadError::NoVersion));
        assert_eq!(
            Report::from_json("{\"a\": 1}", quiet),
            Err(ReadError::NoVersion)
        );
        assert!(matches!(
            Report::from_json("{", quiet),
            Err(ReadError::NotJson(_))
        ));
        let mut bad: serde_json::Value = serde_json::from_str(text).unwrap();
        bad["people"][0]["evidence"][0]["row"] = 100_000.into();
        assert!(matches!(
            Report::from_json(&bad.to_string(), quiet),
            Err(ReadError::NoSuchRow { row: 100000, .. })
        ));
    }

    #[test]
    fn half_carriers() {
        assert_eq!(people_for_half(&[]), 0);
        assert_eq!(people_for_half(&[10, 1, 1]), 1);
        assert_eq!(people_for_half(&[3, 3, 3, 3]), 2);
        assert_eq!(people_for_half(&[0, 0]), 0);
    }
}
