//! The binary's edge: runs a parsed command, prints errors as one line each, and returns the
//! exit code. Library errors are typed; here they become `anyhow` messages for people.

use crate::aggregate::{build_report, AggregateOptions};
use crate::cli::{
    Cli, ColorChoice, Command, ConfigCommand, ConfigShowArgs, OutputArgs, PeriodArg, RenderArgs,
    ScanArgs,
};
use crate::config::{self, Effective, Layer, Scope};
use crate::date::{parse_bound, Bound, Period};
use crate::model::ConfigInfo;
use crate::model::{Report, SCHEMA_VERSION};
use crate::render;
use crate::rules::CompiledRules;
use crate::scan::ConfigBase;
use crate::scan::{self, RepoProgress, ScanOptions};
use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Exit code: some repositories failed (the others are reported).
pub const EXIT_PARTIAL: i32 = 1;
/// Exit code: usage, input or output error; nothing trustworthy was produced.
pub const EXIT_ERROR: i32 = 2;

pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Scan(args) => scan_command(args),
        Command::Render(args) => render_command(args),
        Command::Config(ConfigCommand::Default) => {
            print!("{}", config::default_toml());
            Ok(0)
        }
        Command::Config(ConfigCommand::Show(args)) => config_show(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            EXIT_ERROR
        }
    }
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

fn scan_command(args: ScanArgs) -> Result<i32> {
    let since = args
        .since
        .as_deref()
        .map(|s| parse_bound(s, Bound::Start))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--since")?;
    let until = args
        .until
        .as_deref()
        .map(|s| parse_bound(s, Bound::End))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--until")?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since is after --until: the window is empty");
        }
    }
    let extra_mailmap = match &args.mailmap {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("--mailmap {}", p.display()))?),
        None => None,
    };
    let extra_name = args.mailmap.as_ref().map(|p| p.display().to_string());
    let (user, cli_layer) = read_layers(args.config.as_deref())?;
    let base = ConfigBase::new(user, cli_layer)?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;

    let (targets, discover_errors) = scan::discover(&args.paths, args.recursive);
    let mut failed = discover_errors.len();
    for e in &discover_errors {
        eprintln!("error: {e}");
    }
    let show_progress = !args.quiet
        && match args.progress {
            crate::cli::ProgressChoice::Always => true,
            crate::cli::ProgressChoice::Never => false,
            crate::cli::ProgressChoice::Auto => std::io::stderr().is_terminal(),
        };
    let multi = MultiProgress::with_draw_target(if show_progress {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let style = ProgressStyle::with_template(
        "{prefix:>20.bold} [{bar:30}] {pos}/{len} commits {per_sec} eta {eta}",
    )
    .expect("valid template")
    .progress_chars("=> ");

    let t0 = std::time::Instant::now();
    let results: Vec<_> = pool.install(|| {
        targets
            .par_iter()
            .map(|t| {
                let bar = multi.add(ProgressBar::new(0).with_style(style.clone()));
                bar.set_prefix(render::terminal::fit(&scan::repo_name(t), 20));
                let progress = |p: RepoProgress| match p {
                    RepoProgress::Total(n) => bar.set_length(n),
                    RepoProgress::Done(n) => bar.inc(n),
                };
                let opts = ScanOptions {
                    rev: args.rev.as_deref(),
                    extra_mailmap: extra_mailmap.as_deref(),
                    extra_mailmap_name: extra_name.as_deref(),
                    config: &base,
                    progress: Some(&progress),
                };
                let r = scan::scan_repo(t, &opts);
                bar.finish_and_clear();
                r
            })
            .collect()
    });
    let mut scans = Vec::new();
    for r in results {
        match r {
            Ok(s) => scans.push(s),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if !args.quiet {
        for s in &scans {
            for w in &s.warnings {
                eprintln!("warning: {}: {}", s.path, render::plain(w));
            }
        }
    }
    // Report-wide settings: the user's file, every repository's file (by name), --config.
    let mut wide = Effective::defaults();
    let mut sources = Vec::new();
    let mut ordered: Vec<&scan::RepoScan> = scans.iter().collect();
    ordered.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
    let repo_layers = ordered.iter().filter_map(|s| s.config_file.as_ref());
    for layer in base.user.iter().chain(repo_layers).chain(base.cli.iter()) {
        wide.apply(layer, Scope::ReportWide)?;
        sources.push(layer.name.clone());
    }
    if let Some(team) = &args.team {
        if !wide.teams.contains_key(team) {
            let known: Vec<&str> = wide.teams.keys().map(String::as_str).collect();
            bail!(
                "--team {team}: no such team (configured teams: {})",
                if known.is_empty() {
                    "none; see docs/configuration.md".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    let digest = base.digest.clone();
    let wide_rules = CompiledRules::new(wide.rules()).context("configuration")?;
    let aliases: Vec<config::Alias> = wide.aliases.iter().map(|a| a.value.clone()).collect();
    let exclude: Vec<String> = wide
        .people_exclude
        .iter()
        .map(|i| i.value.clone())
        .collect();
    let teams: std::collections::BTreeMap<String, Vec<String>> = wide
        .teams
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().map(|i| i.value.clone()).collect()))
        .collect();
    let opts = AggregateOptions {
        rules: &wide_rules,
        aliases: &aliases,
        exclude: &exclude,
        teams: &teams,
        team: args.team.as_deref(),
        config: ConfigInfo { digest, sources },
        since,
        until,
        include_bots: args.output.include_bots,
        period: match args.period {
            Some(PeriodArg::Month) => Period::Month,
            Some(PeriodArg::Week) => Period::Week,
            Some(PeriodArg::Quarter) => Period::Quarter,
            None => wide.period.value,
        },
    };
    let t1 = std::time::Instant::now();
    let report = pool.install(|| build_report(&scans, &opts));
    if std::env::var_os("GLUEWORK_TIMING").is_some() {
        eprintln!("timing: scan {:?} aggregate {:?}", t1 - t0, t1.elapsed());
    }
    if !args.quiet {
        for w in &report.warnings {
            eprintln!("warning: {}", render::plain(w));
        }
    }
    if scans.is_empty() && failed > 0 {
        eprintln!("error: no repository could be scanned");
        return Ok(EXIT_PARTIAL);
    }
    write_outputs(&report, &args.output)?;
    if failed > 0 {
        eprintln!(
            "error: {failed} of {} repositories could not be scanned; the report covers the others",
            failed + scans.len()
        );
        return Ok(EXIT_PARTIAL);
    }
    Ok(0)
}

/// The user's configuration file (if it exists) and `--config FILE` (which must).
fn read_layers(cli: Option<&Path>) -> Result<(Option<Layer>, Option<Layer>)> {
    let user = match config::user_config_path() {
        Some(p) if p.is_file() => Some(Layer::read(&p)?),
        _ => None,
    };
    let cli = cli.map(Layer::read).transpose()?;
    Ok((user, cli))
}

fn config_show(args: ConfigShowArgs) -> Result<i32> {
    let (user, cli) = read_layers(args.config.as_deref())?;
    let (targets, errors) = scan::discover(std::slice::from_ref(&args.path), false);
    if let Some(e) = errors.into_iter().next() {
        bail!(e);
    }
    let Some(target) = targets.first() else {
        bail!("{}: no repository found", args.path);
    };
    let repo_layer = scan::repo_config(target, args.rev.as_deref())?;
    let mut eff = Effective::defaults();
    for layer in [user.as_ref(), repo_layer.as_ref(), cli.as_ref()]
        .into_iter()
        .flatten()
    {
        eff.apply(layer, Scope::All)?;
    }
    CompiledRules::new(eff.rules()).context("configuration")?;
    println!(
        "# Effective gluework configuration for {}",
        render::plain(&target.display)
    );
    println!(
        "# Sources, later refining earlier: {}",
        eff.sources.join(" < ")
    );
    println!();
    print!("{}", eff.to_toml(true, Scope::All));
    Ok(0)
}

fn render_command(args: RenderArgs) -> Result<i32> {
    let report = read_report(&args.report)?;
    write_outputs(&report, &args.output)?;
    Ok(0)
}

/// Reads a saved report, refusing other schema versions with a message that says what to do.
pub fn read_report(path: &Path) -> Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => {}
        Some(v) => bail!(
            "{}: report schema version {v}, this gluework reads version {SCHEMA_VERSION}; re-run the scan with this version",
            path.display()
        ),
        None => bail!("{}: not a gluework report (no schema_version)", path.display()),
    }
    serde_json::from_value(value)
        .with_context(|| format!("{}: malformed gluework report", path.display()))
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    // Devices, pipes and other special files (`/dev/null`, `/dev/stdout`, a FIFO) are written
    // as they are: renaming over them would replace the device with a plain file.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return std::fs::write(path, contents)
                .with_context(|| format!("cannot write {}", path.display()));
        }
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, contents).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The charts of a report folder: DIR/charts/ (team) and DIR/charts/people/.
fn write_charts(report: &Report, dir: &Path, out: &OutputArgs) -> Result<()> {
    use crate::cli::{ChartsArg, PeopleArg};
    use crate::render::chart::{self, ChartFormat, ChartOptions, PeopleSelection};
    let format = match out.charts {
        ChartsArg::None => return Ok(()),
        ChartsArg::Svg => ChartFormat::Svg,
        ChartsArg::Png => ChartFormat::Png,
        ChartsArg::Both => ChartFormat::Both,
    };
    let people = match (&out.person, out.people) {
        (Some(who), _) => PeopleSelection::One(who.clone()),
        (None, PeopleArg::All) => PeopleSelection::All,
        (None, PeopleArg::Top(n)) => PeopleSelection::Top(n),
    };
    let opts = ChartOptions {
        format,
        top: out.top,
        people,
    };
    chart::write_charts(report, &dir.join("charts"), &opts)?;
    Ok(())
}

fn write_outputs(report: &Report, out: &OutputArgs) -> Result<()> {
    let mut wrote = false;
    if let Some(dir) = &out.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write_atomic(&dir.join("gluework.json"), render::json(report).as_bytes())?;
        write_charts(report, dir, out)?;
        wrote = true;
    }
    match out.json.as_deref() {
        Some("-") => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(render::json(report).as_bytes())
                .context("cannot write to standard output")?;
            wrote = true;
        }
        Some(file) => {
            write_atomic(Path::new(file), render::json(report).as_bytes())?;
            wrote = true;
        }
        None => {}
    }
    if !wrote {
        let stdout = std::io::stdout();
        let tty = stdout.is_terminal();
        let colour = match out.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        let width = if tty {
            console::Term::stdout().size().1 as usize
        } else {
            120
        };
        let table = render::terminal::render(
            report,
            &render::terminal::TableOptions {
                width: width.max(40),
                colour,
                include_bots: out.include_bots,
                limit: out.rows,
            },
        );
        stdout
            .lock()
            .write_all(table.as_bytes())
            .context("cannot write to standard output")?;
    }
    Ok(())
}
