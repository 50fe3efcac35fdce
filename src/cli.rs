//! Command-line interface definitions.
//!
//! The doc comments of the options below are the `--help` text, written for a terminal (bare
//! URLs, `[[alias]]`, `<slug>`), not for rustdoc: its link and HTML checks are off here.
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::bare_urls,
    rustdoc::invalid_html_tags
)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gluework",
    version,
    about = "Make glue work visible: reviews, docs, onboarding, support and maintenance credits from git history",
    long_about = None,
    after_help = "Exit codes: 0 success; 1 some repositories could not be scanned (the rest are reported); 2 usage or output error; 3 a `check` threshold failed; 4 `check` on a shallow clone.\nManual: `gluework man` and `gluework man SUBCOMMAND`. Guides (usage, categories, reports, CI, the JSON schema): the docs/ folder of gluework's repository, from its README."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan repositories and report glue work per person.
    Scan(ScanArgs),
    /// Write one person's promotion packet: their glue work with the evidence, as Markdown.
    Person(PersonArgs),
    /// CI gate: check the team's figures against thresholds (exit 3 when one fails).
    Check(CheckArgs),
    /// Render a saved report (gluework.json) without the repositories.
    Render(RenderArgs),
    /// Merge the parts of sharded scans (`scan --part`) into one report, exactly as one scan of
    /// every repository would make it.
    Merge(MergeArgs),
    /// List the people joined from several identities (with the reason for each join), then
    /// the likely duplicates left apart, with a ready .mailmap and [[alias]] snippet (see
    /// docs/identity.md).
    Identities(IdentitiesArgs),
    /// Print the default or the effective configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Download pull or merge requests with their reviews, comments and commits into a folder
    /// (see docs/forge.md).
    #[command(subcommand)]
    Fetch(FetchCommand),
    /// Print a shell completion script on standard output (e.g. `gluework completions bash >
    /// ~/.local/share/bash-completion/completions/gluework`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on standard output: `gluework man | man -l -`, or one
    /// subcommand's page: `gluework man scan`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose page to print (`scan`, `person`, `fetch github` …); the main page
    /// without it.
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum FetchCommand {
    /// GitHub (or GitHub Enterprise): pull requests, reviews, review comments, conversation
    /// comments and commits. Token: GITHUB_TOKEN or --token-file.
    Github(FetchArgs),
    /// GitLab: merge requests, notes, approvals and commits. Token: GITLAB_TOKEN or
    /// --token-file.
    Gitlab(FetchArgs),
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// OWNER/REPO on GitHub; GROUP/PROJECT (subgroups allowed) on GitLab.
    #[arg(value_name = "REPO")]
    pub repo: String,
    /// The folder to write. When it holds a complete fetch of the same repository, only what
    /// changed since is fetched.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Read the token from the first line of FILE instead of the environment variable.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The API root (default https://api.github.com or https://gitlab.com/api/v4; GitHub
    /// Enterprise: https://HOST/api/v3; self-managed GitLab: https://HOST/api/v4).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// A first fetch only takes pull requests updated since DATE (as --since of scan).
    #[arg(long, value_name = "DATE", value_parser = parse_start)]
    pub since: Option<i64>,
    /// Fetch everything again, whatever the folder holds.
    #[arg(long)]
    pub full: bool,
    /// The longest single wait for a rate limit, in seconds: a limit that resets later fails
    /// the fetch, saying when it resets.
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    pub max_wait: u64,
    /// Pages of one listing followed at most (100 items a page).
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_pages: u64,
    /// The most one request may take, in seconds, from connecting to the last byte (a timed
    /// out request is retried like a broken connection).
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// No progress, notes or summary on standard error (rate-limit waits, retries and errors
    /// are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the complete default configuration, commented: a starting point for .gluework.toml.
    Default,
    /// Print the effective configuration for a repository, with where each value came from.
    Show(ConfigShowArgs),
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// The repository (default `.`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: String,
    /// Read the repository's .gluework.toml at this revision (default HEAD).
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// A configuration file applied last, as with `scan --config`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Month, quarter or year, from the window's length.
    Auto,
    Month,
    Week,
    Quarter,
    Year,
}

impl From<PeriodArg> for crate::date::Period {
    fn from(p: PeriodArg) -> Self {
        use crate::date::Period;
        match p {
            PeriodArg::Month => Period::Month,
            PeriodArg::Week => Period::Week,
            PeriodArg::Quarter => Period::Quarter,
            PeriodArg::Year => Period::Year,
            PeriodArg::Auto => Period::Auto,
        }
    }
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the JSON report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE", help_heading = "Outputs")]
    pub json: Option<String>,
    /// Write the report folder: DIR/gluework.json, DIR/report.md and the charts.
    #[arg(long, value_name = "DIR", help_heading = "Outputs")]
    pub out: Option<PathBuf>,
    /// Write one row per person with every category as CSV to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE", help_heading = "Outputs")]
    pub csv: Option<String>,
    /// Write one row per evidence item to FILE: `.ndjson`/`.jsonl` (one JSON object a line;
    /// `-` for standard output) or `.parquet` (see docs/org-scale.md).
    #[arg(long, value_name = "FILE", help_heading = "Outputs")]
    pub events: Option<String>,
    /// People (and newcomers) in each table of report.md and the step summary: a number, or
    /// `all`; the rest are in gluework.json and the CSV.
    #[arg(long, default_value = "50", value_name = "N|all", value_parser = parse_count_or_all, help_heading = "Outputs")]
    pub report_rows: usize,
    /// Do not append the team report to $GITHUB_STEP_SUMMARY (it is appended with --out when
    /// that variable is set).
    #[arg(long, help_heading = "Outputs")]
    pub no_step_summary: bool,
    /// Show bots in the terminal table and count them in team figures.
    #[arg(long, help_heading = "Terminal")]
    pub include_bots: bool,
    /// Terminal colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Terminal")]
    pub color: ColorChoice,
    /// Rows in the terminal table: a number, or `all` for everyone (0 means all too).
    #[arg(long, default_value = "25", value_name = "N|all", value_parser = parse_count_or_all, help_heading = "Terminal")]
    pub rows: usize,
    /// Chart files written with --out.
    #[arg(long, value_enum, default_value_t = ChartsArg::Both, value_name = "FORMAT", help_heading = "Charts")]
    pub charts: ChartsArg,
    /// People on the team charts "who carries the glue" and "who helps whom": a number, or
    /// `all` for everyone (0 means all too).
    #[arg(long, default_value = "15", value_name = "N|all", value_parser = parse_count_or_all, help_heading = "Charts")]
    pub top: usize,
    /// Whose personal charts --out writes, as files and in index.html's person sections: the top
    /// N people by glue (0: nobody), or `all`.
    #[arg(long, default_value = "15", value_name = "N|all", value_parser = parse_people, help_heading = "Charts")]
    pub people: PeopleArg,
    /// Personal charts (files and index.html) for this one person only (id, name, email or
    /// login).
    #[arg(
        long,
        value_name = "WHO",
        conflicts_with = "people",
        help_heading = "Charts"
    )]
    pub person: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartsArg {
    Svg,
    Png,
    Both,
    /// No charts.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleArg {
    Top(usize),
    All,
}

/// A flag's value that is not what the flag takes (clap prints it after the flag's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("expected a number or `all`, not {0:?}")]
    NumberOrAll(String),
    #[error("{0} is not between 0 and 1 (write 60% as 0.6)")]
    FractionRange(String),
    #[error("expected a number between 0 and 1, not {0:?}")]
    Fraction(String),
}

/// `N|all` for `--people` (0 writes no personal charts).
fn parse_people(s: &str) -> Result<PeopleArg, ValueError> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(PeopleArg::All);
    }
    s.parse()
        .map(PeopleArg::Top)
        .map_err(|_| ValueError::NumberOrAll(s.to_string()))
}

/// A count where `all` (or 0) means no limit: 0 in the result.
fn parse_count_or_all(s: &str) -> Result<usize, ValueError> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(0);
    }
    s.parse()
        .map_err(|_| ValueError::NumberOrAll(s.to_string()))
}

/// The report's window: `--since`, `--until`, `--period` and `--team`, the flags every command
/// that builds a report shares (flattened into [`SourceArgs`] and [`MergeArgs`]).
#[derive(Debug, Args)]
pub struct WindowArgs {
    /// Count credits from this date on, by commit date: YYYY-MM-DD, YYYY-MM, YYYY, RFC 3339, or
    /// as git takes it: `2 weeks ago`, `3.months.ago`, `yesterday`.
    #[arg(long, value_name = "DATE", help_heading = "Window")]
    pub since: Option<String>,
    /// Count credits up to this date, inclusive (as --since; `2024` ends on 31 December).
    #[arg(long, value_name = "DATE", help_heading = "Window")]
    pub until: Option<String>,
    /// Timeline period (default: the configuration's, else auto: months for a window of up
    /// to two years, quarters up to six, years beyond).
    #[arg(long, value_enum, help_heading = "Window")]
    pub period: Option<PeriodArg>,
    /// Only this configured team: its people and its figures.
    #[arg(long, value_name = "NAME", help_heading = "Window")]
    pub team: Option<String>,
}

/// What to scan and how: the options `scan`, `person` and `check` share.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Repositories (work trees or bare), or folders holding repositories (default `.`, unless
    /// --repos is given).
    #[arg(value_name = "PATH", help_heading = "What to scan")]
    pub paths: Vec<String>,
    /// A file listing repositories, one path a line (`#` comments and blank lines allowed;
    /// relative paths are relative to the file's folder), scanned with any PATH arguments.
    #[arg(long, value_name = "FILE", help_heading = "What to scan")]
    pub repos: Option<PathBuf>,
    /// Scan only shard K of N: the repositories whose name hashes to it (FNV-1a 64 of the name,
    /// modulo N), so N jobs given the same list cover each repository once.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::parse_shard, help_heading = "What to scan")]
    pub shard: Option<crate::shard::Shard>,
    /// Look for repositories at any depth under folder arguments.
    #[arg(short, long, help_heading = "What to scan")]
    pub recursive: bool,
    /// Revision to walk from in every repository.
    #[arg(long, value_name = "REV", help_heading = "What to scan")]
    pub rev: Option<String>,
    #[command(flatten)]
    pub window: WindowArgs,
    /// A configuration file applied after the user's and each repository's .gluework.toml.
    #[arg(long, value_name = "FILE", help_heading = "What to scan")]
    pub config: Option<PathBuf>,
    /// A mailmap file applied after each repository's own.
    #[arg(long, value_name = "FILE", help_heading = "What to scan")]
    pub mailmap: Option<PathBuf>,
    /// Pull request data fetched with `gluework fetch` (repeatable): `DIR`, matched to the
    /// repository whose origin is that forge project, or `NAME=DIR` for the repository named NAME.
    #[arg(long, value_name = "[NAME=]DIR", help_heading = "What to scan")]
    pub forge: Vec<String>,
    /// Read review votes from this notes ref (default: refs/notes/review, Gerrit's, when it
    /// exists).
    #[arg(long, value_name = "REF", help_heading = "What to scan")]
    pub notes: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        help_heading = "Performance and messages"
    )]
    pub threads: Option<usize>,
    /// No progress and no warnings on standard error (errors are still printed).
    #[arg(short, long, help_heading = "Performance and messages")]
    pub quiet: bool,
    /// Progress bars on standard error: only on a terminal (auto), always, or never.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN", help_heading = "Performance and messages")]
    pub progress: ProgressChoice,
    /// Read and write no cache: neither per-commit facts nor the last report (see
    /// docs/performance.md).
    #[arg(long, help_heading = "Performance and messages")]
    pub no_cache: bool,
}

/// Scan options that cannot be combined with `--report FILE` (a saved report is not scanned).
const SCAN_ONLY: [&str; 13] = [
    "paths",
    "repos",
    "shard",
    "recursive",
    "rev",
    "since",
    "until",
    "period",
    "config",
    "team",
    "mailmap",
    "notes",
    "forge",
];

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Compare with the previous window of the same length, starting at DATE (needs --since
    /// and --out: the comparison is a section of DIR/report.md).
    #[arg(long, value_name = "DATE", requires_all = ["since", "out"], help_heading = "Window")]
    pub compare_since: Option<String>,
    /// Also write this scan's part for `gluework merge` to FILE (`.json`, or `.json.gz`
    /// compressed): every repository's classified commits (see docs/org-scale.md).
    #[arg(long, value_name = "FILE", help_heading = "Outputs")]
    pub part: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct IdentitiesArgs {
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("since", |a| a.help("Count credits from this date on (default: the parts' --since)")),
    mut_arg("until", |a| a.help("Count credits up to this date, inclusive (default: the parts' --until)")),
    mut_arg("period", |a| a.help("Timeline period (default: the parts' --period, else the configuration's)")),
    mut_arg("team", |a| a.help("Only this configured team (default: the parts' --team)"))
)]
pub struct MergeArgs {
    /// Parts written by `gluework scan --part` (all N shards of one run, or whole scans of
    /// different repositories).
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
    /// The window; what is not given is the parts' own.
    #[command(flatten)]
    pub window: WindowArgs,
    /// Compare with the previous window of the same length, starting at DATE (needs --out).
    #[arg(long, value_name = "DATE", requires = "out")]
    pub compare_since: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// No warnings on standard error (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PacketFormat {
    /// The promotion packet as Markdown (with the person's charts beside it).
    #[value(alias = "md")]
    Markdown,
    /// The person's slice of the report model as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct PersonArgs {
    /// The person: a name, email or login (`@login`), or their id in the report.
    #[arg(value_name = "WHO")]
    pub who: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Write DIR/<slug>.md (or .json) and the person's charts beside it; without it the packet
    /// is printed on standard output (without charts).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Markdown packet or the JSON slice of the model.
    #[arg(long, value_enum, default_value_t = PacketFormat::Markdown, value_name = "FORMAT")]
    pub format: PacketFormat,
    /// Also write the person's slice of the report model as JSON to FILE (`-` for standard
    /// output, which then holds only the JSON), as `scan --json` does for the whole report.
    #[arg(long, value_name = "FILE")]
    pub json: Option<String>,
    /// Chart files written beside the packet with --out.
    #[arg(long, value_enum, default_value_t = ChartsArg::Both, value_name = "FORMAT")]
    pub charts: ChartsArg,
    /// Count bots in the team figures the packet compares with.
    #[arg(long)]
    pub include_bots: bool,
    /// Read a saved report (gluework.json) instead of scanning.
    #[arg(long, value_name = "REPORT.json", conflicts_with_all = SCAN_ONLY)]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Fail when one person carries more than this share of all glue (0 to 1).
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub max_top_share: Option<f64>,
    /// Fail when fewer than N people carry half of all glue.
    #[arg(long, value_name = "N")]
    pub min_people_for_half: Option<u64>,
    /// Fail when the Gini coefficient of glue among regular contributors (active in at least
    /// `[report] regular_months` months of the window, 3 by default) is above this (0 to 1).
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub max_gini: Option<f64>,
    /// Fail when less than this share of non-merge commits carries a review signal (0 to 1).
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub min_review_coverage: Option<f64>,
    /// Fail when more than N glue categories rest on one or two people.
    #[arg(long, value_name = "N")]
    pub max_bus_factor_risk: Option<u64>,
    /// Fail when less than this share of the window's newcomers were helped by someone (0 to 1).
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub min_newcomers_helped: Option<f64>,
    /// Also write the figures and verdicts as JSON to FILE (`-` for standard output, which
    /// then holds only the JSON).
    #[arg(long, value_name = "FILE")]
    pub json: Option<String>,
    /// Colour PASS and FAIL: on a terminal (auto), always, or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Check a shallow clone anyway (its figures are partial).
    #[arg(long)]
    pub allow_shallow: bool,
    /// Count bots in the team figures.
    #[arg(long)]
    pub include_bots: bool,
    /// Check a saved report (gluework.json) instead of scanning.
    #[arg(long, value_name = "REPORT.json", conflicts_with_all = SCAN_ONLY)]
    pub report: Option<PathBuf>,
}

/// A date or time as the Unix time it starts at.
fn parse_start(s: &str) -> Result<i64, crate::date::DateError> {
    crate::date::parse_user_date(s, crate::date::Bound::Start, crate::date::now())
}

fn parse_fraction(s: &str) -> Result<f64, ValueError> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err(ValueError::FractionRange(s.to_string())),
        Err(_) => Err(ValueError::Fraction(s.to_string())),
    }
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// A report written by `gluework scan --json` or `--out` (also given as `--report FILE`,
    /// as to `person` and `check`).
    #[arg(value_name = "REPORT.json", required_unless_present = "report_flag")]
    pub report: Option<PathBuf>,
    /// The saved report, named the way `person --report` and `check --report` take it.
    #[arg(long = "report", value_name = "REPORT.json", conflicts_with = "report")]
    pub report_flag: Option<PathBuf>,
    /// Print nothing but errors: no table and no list of what was written.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}
