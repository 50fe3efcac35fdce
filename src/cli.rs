//! Command-line interface definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gluework",
    version,
    about = "Make glue work visible: reviews, docs, onboarding, support and maintenance credits from git history",
    long_about = None,
    after_help = "Exit codes: 0 success; 1 some repositories could not be scanned (the rest are reported); 2 usage or output error.\nDocs: docs/usage.md, docs/categories.md, docs/json-schema.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan repositories and report glue work per person.
    Scan(ScanArgs),
    /// Render a saved report (gluework.json) without the repositories.
    Render(RenderArgs),
    /// Print the default or the effective configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
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
    Month,
    Week,
    Quarter,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the JSON report to FILE (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub json: Option<String>,
    /// Write the report folder: DIR/gluework.json.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Show bots in the terminal table and count them in team figures.
    #[arg(long)]
    pub include_bots: bool,
    /// Terminal colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Rows in the terminal table (0 for everyone).
    #[arg(long, default_value_t = 25, value_name = "N")]
    pub rows: usize,
    /// Chart files written with --out.
    #[arg(long, value_enum, default_value_t = ChartsArg::Both, value_name = "FORMAT")]
    pub charts: ChartsArg,
    /// People on the team charts "who carries the glue" and "who helps whom" (0 for everyone).
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Whose personal charts to write with --out: the top N people by glue, or `all`.
    #[arg(long, default_value = "15", value_name = "N|all", value_parser = parse_people)]
    pub people: PeopleArg,
    /// Write personal charts for this one person only (id, name, email or login).
    #[arg(long, value_name = "WHO", conflicts_with = "people")]
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

fn parse_people(s: &str) -> Result<PeopleArg, String> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(PeopleArg::All);
    }
    s.parse()
        .map(PeopleArg::Top)
        .map_err(|_| format!("expected a number or `all`, not {s:?}"))
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Repositories (work trees or bare), or folders holding repositories.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    /// Look for repositories at any depth under folder arguments.
    #[arg(short, long)]
    pub recursive: bool,
    /// Revision to walk from in every repository.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Count credits from this date on (YYYY-MM-DD or RFC 3339; by commit date).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Count credits up to this date, inclusive (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Timeline period (default: the configuration's, else month).
    #[arg(long, value_enum)]
    pub period: Option<PeriodArg>,
    /// A configuration file applied after the user's and each repository's .gluework.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only this configured team: its people and its figures.
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    /// A mailmap file applied after each repository's own.
    #[arg(long, value_name = "FILE")]
    pub mailmap: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress and no warnings on standard error (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Progress bars on standard error: only on a terminal (auto), always, or never.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Read and write no cache of per-commit facts (see docs/performance.md).
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// A report written by `gluework scan --json` or `--out`.
    #[arg(value_name = "REPORT.json")]
    pub report: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}
