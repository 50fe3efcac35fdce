//! The binary's edge: runs a parsed command, prints errors as one line each, and returns the
//! exit code. Library errors are typed; here they become `anyhow` messages for people.

use crate::aggregate::{build_report, AggregateOptions};
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ConfigCommand, ConfigShowArgs, MergeArgs, OutputArgs,
    PacketFormat, PeriodArg, PersonArgs, RenderArgs, ScanArgs, SourceArgs,
};
use crate::config::{self, Effective, Layer, Scope};
use crate::date::{format_utc, parse_user_date, Bound, Period};
use crate::model::ConfigInfo;
use crate::model::{Report, SCHEMA_VERSION};
use crate::render;
use crate::report::{self, gate, FindError};
use crate::rules::CompiledRules;
use crate::scan::ConfigBase;
use crate::scan::{self, RepoProgress, ScanOptions};
use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit code: some repositories failed (the others are reported).
pub const EXIT_PARTIAL: i32 = 1;
/// Exit code: usage, input or output error; nothing trustworthy was produced.
pub const EXIT_ERROR: i32 = 2;
/// Exit code of `check`: at least one threshold failed.
pub const EXIT_CHECK_FAILED: i32 = 3;
/// Exit code of `check`: a scanned repository is a shallow clone (and no `--allow-shallow`).
pub const EXIT_SHALLOW: i32 = 4;

pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Scan(args) => scan_command(args),
        Command::Person(args) => person_command(args),
        Command::Check(args) => check_command(args),
        Command::Render(args) => render_command(args),
        Command::Merge(args) => merge_command(args),
        Command::Identities(args) => identities_command(args),
        Command::Config(ConfigCommand::Default) => {
            print!("{}", config::default_toml());
            Ok(0)
        }
        Command::Config(ConfigCommand::Show(args)) => config_show(args),
        Command::Fetch(cmd) => fetch_command(cmd),
        Command::Completions(args) => completions_command(&args),
        Command::Man(args) => man_command(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", render::plain(&one_line(&e)));
            EXIT_ERROR
        }
    }
}

/// `gluework completions SHELL`: the shell's completion script for every subcommand and option.
fn completions_command(args: &crate::cli::CompletionsArgs) -> Result<i32> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "gluework", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(0)
}

/// `gluework man [SUBCOMMAND…]`: the manual page in roff, of gluework or of one subcommand
/// (named `gluework-scan`, `gluework-fetch-github`, as git names its pages).
fn man_command(args: &crate::cli::ManArgs) -> Result<i32> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let mut name = "gluework".to_string();
    for sub in &args.subcommand {
        let Some(found) = cmd.find_subcommand(sub).cloned() else {
            let known: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            bail!(
                "{name} has no subcommand {sub:?} (its subcommands: {})",
                known.join(", ")
            );
        };
        name = format!("{name}-{sub}");
        cmd = found.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .context("cannot render the manual page")?;
    write_stdout(&String::from_utf8_lossy(&page))?;
    Ok(0)
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// `--since` and `--until` as Unix times.
fn parse_window(args: &SourceArgs) -> Result<(Option<i64>, Option<i64>)> {
    parse_window_of(args.since.as_deref(), args.until.as_deref())
}

fn parse_window_of(since: Option<&str>, until: Option<&str>) -> Result<(Option<i64>, Option<i64>)> {
    let since = since
        .map(|s| parse_user_date(s, Bound::Start, crate::date::now()))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--since")?;
    let until = until
        .map(|s| parse_user_date(s, Bound::End, crate::date::now()))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--until")?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since is after --until: the window is empty");
        }
    }
    Ok((since, until))
}

/// The scanned repositories and the report-wide settings: reports for any window (and with or
/// without bots) are built from one `Scanned`.
struct Scanned {
    scans: Vec<scan::RepoScan>,
    /// Repositories that could not be found or scanned (each already reported on stderr).
    failed: usize,
    /// Those errors' lines, for a part file.
    errors: Vec<String>,
    pool: rayon::ThreadPool,
    /// The report-wide configuration layers (for a part file).
    base: ConfigBase,
    rules: CompiledRules,
    aliases: Vec<config::Alias>,
    exclude: Vec<String>,
    teams: BTreeMap<String, Vec<String>>,
    team: Option<String>,
    config: ConfigInfo,
    period: Period,
    regular_months: usize,
    since: Option<i64>,
    until: Option<i64>,
    range: Option<String>,
    scan_time: std::time::Duration,
}

/// How a `Scanned` is put together from its scans, whether scanned or merged.
struct Assembly {
    scans: Vec<scan::RepoScan>,
    /// No warnings on standard error.
    quiet: bool,
    errors: Vec<String>,
    base: ConfigBase,
    pool: rayon::ThreadPool,
    since: Option<i64>,
    until: Option<i64>,
    period: Option<Period>,
    team: Option<String>,
    /// `--rev A..B`, when the scan counted a range.
    range: Option<String>,
    scan_time: std::time::Duration,
}

impl Scanned {
    /// The report of the window `since..=until`.
    fn report(&self, since: Option<i64>, until: Option<i64>, include_bots: bool) -> Report {
        // `auto`: from the window's length; an open end is the history's first or last commit.
        let period = if self.period == Period::Auto {
            let times = || {
                self.scans
                    .iter()
                    .flat_map(|s| s.records.iter().map(|r| r.time))
            };
            let first = since.or_else(|| times().min()).unwrap_or(0);
            let last = until.or_else(|| times().max()).unwrap_or(first);
            self.period.resolve(first, last)
        } else {
            self.period
        };
        let opts = AggregateOptions {
            rules: &self.rules,
            aliases: &self.aliases,
            exclude: &self.exclude,
            teams: &self.teams,
            team: self.team.as_deref(),
            config: self.config.clone(),
            since,
            until,
            include_bots,
            period,
            range: self.range.clone(),
            regular_months: self.regular_months,
        };
        self.pool.install(|| build_report(&self.scans, &opts))
    }

    /// The report of the command's own window.
    fn main_report(&self, include_bots: bool, quiet: bool) -> Report {
        let t1 = std::time::Instant::now();
        let report = self.report(self.since, self.until, include_bots);
        if std::env::var_os("GLUEWORK_TIMING").is_some() {
            eprintln!(
                "timing: scan {:?} aggregate {:?}",
                self.scan_time,
                t1.elapsed()
            );
        }
        if !quiet {
            for w in &report.warnings {
                eprintln!("warning: {}", render::plain(w));
            }
        }
        report
    }

    /// Whether nothing could be scanned at all (after errors were printed).
    fn nothing_scanned(&self) -> bool {
        self.scans.is_empty() && self.failed > 0
    }

    /// The previous window for `--compare-since START`: from START, as long as this window (as
    /// many calendar months, when this window is made of whole months).
    /// This window ends at `--until`, or else at the newest commit scanned.
    fn previous_window(&self, start: i64, arg: &str) -> Result<(i64, i64)> {
        let Some(since) = self.since else {
            bail!("--compare-since needs --since: the start of the window to compare");
        };
        let newest = self
            .scans
            .iter()
            .flat_map(|s| s.records.iter().map(|r| r.time))
            .max();
        let until = self.until.or(newest).unwrap_or(since).max(since);
        // A window of whole calendar months is compared with as many whole months (April to
        // June against January to March in any year); any other window by its length.
        let end = match crate::date::whole_months(since, until) {
            Some(months) => crate::date::months_after(start, months) - 1,
            None => start + (until - since),
        };
        if end >= since {
            let days = (until - since) / 86_400 + 1;
            bail!(
                "--compare-since {arg}: the previous window ({} to {}) must end before this one \
                 starts (--since {}); give a date at least {days} days before --since",
                &format_utc(start)[..10],
                &format_utc(end)[..10],
                &format_utc(since)[..10]
            );
        }
        Ok((start, end))
    }
}

/// The progress styles of a repository's scan, one line of at most 60 columns: a spinner with
/// the commits read so far and the rate (before the walk knows the total), then a bar with the
/// count, a whole-number rate and an estimate shown only once it means something.
fn progress_styles() -> (ProgressStyle, ProgressStyle) {
    use indicatif::ProgressState;
    let rate = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(
            w,
            "{}/s",
            render::chart::thousands(s.per_sec().round() as u64)
        );
    };
    let eta = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        // Not before a second and a twentieth of the work: early rates mislead.
        let done = s.len().is_some_and(|n| n > 0 && s.pos() * 20 >= n);
        if done && s.elapsed().as_secs() >= 1 {
            let secs = s.eta().as_secs();
            let _ = match secs {
                0..60 => write!(w, "eta {secs}s"),
                60..3600 => write!(w, "eta {}m{:02}s", secs / 60, secs % 60),
                _ => write!(w, "eta {}h{:02}m", secs / 3600, (secs / 60) % 60),
            };
        }
    };
    let counting =
        ProgressStyle::with_template("{prefix:>14.bold} {spinner} {human_pos} read, {msg} {rate}")
            .expect("valid template")
            .with_key("rate", rate);
    let bar = ProgressStyle::with_template(
        "{prefix:>14.bold} [{bar:12}] {human_pos}/{human_len} {rate} {eta}",
    )
    .expect("valid template")
    .with_key("rate", rate)
    .with_key("eta", eta)
    .progress_chars("=> ");
    (counting, bar)
}

/// Where a repository's warnings can be read in full: the JSON report this command writes,
/// or how to write one.
fn warning_details(outputs: &[PathBuf]) -> String {
    let json = outputs.iter().find_map(|o| {
        if o.is_dir() || o.extension().is_none() {
            Some(o.join("gluework.json"))
        } else {
            (o.extension().is_some_and(|e| e == "json")).then(|| o.clone())
        }
    });
    match json {
        Some(file) => format!("all are in {}", render::plain(&file.display().to_string())),
        None => "`gluework scan --json FILE` lists them all".to_string(),
    }
}

/// The kind of a warning, to fold repeats: its text with numbers, commit ids and quoted text
/// taken out, up to the second `: ` (`.mailmap line N` for every malformed mailmap line).
fn warning_kind(w: &str) -> String {
    let mut kind = String::with_capacity(w.len());
    let mut in_quote = false;
    let mut last_digit = false;
    for c in w.chars() {
        if in_quote {
            in_quote = c != '"';
            continue;
        }
        match c {
            '"' => {
                in_quote = true;
                kind.push('…');
            }
            c if c.is_ascii_hexdigit() && (c.is_ascii_digit() || last_digit) => {
                if !last_digit {
                    kind.push('#');
                }
                last_digit = true;
                continue;
            }
            c => kind.push(c),
        }
        last_digit = false;
    }
    let mut parts = kind.splitn(3, ": ");
    let first = parts.next().unwrap_or_default();
    // "FILE line #": one kind for every line of that file.
    if first.ends_with(" line #") {
        return first.to_string();
    }
    match parts.next() {
        Some(second) => format!("{first}: {second}"),
        None => first.to_string(),
    }
}

/// A repository's warnings for the terminal: each kind once, with how many more are like it;
/// one line when they are the same as at the last scan (`repeated`). `details` says where to
/// read them all.
fn folded_warnings(warnings: &[String], repeated: bool, details: &str) -> Vec<String> {
    if warnings.is_empty() {
        return Vec::new();
    }
    if repeated {
        return vec![format!(
            "{}, the same as at the last scan ({details})",
            crate::render::markdown::count(warnings.len() as u64, "warning", "warnings")
        )];
    }
    let mut kinds: Vec<(String, &String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in warnings {
        let kind = warning_kind(w);
        match index.get(&kind) {
            Some(&k) => kinds[k].2 += 1,
            None => {
                index.insert(kind.clone(), kinds.len());
                kinds.push((kind, w, 1));
            }
        }
    }
    kinds
        .into_iter()
        .map(|(_, first, n)| match n {
            1 => render::plain(first),
            n => format!(
                "{} (and {} more like it; {details})",
                render::plain(first),
                n - 1
            ),
        })
        .collect()
}

/// Scans the repositories `args` names, printing errors (and warnings, unless quiet) on
/// standard error as it goes.
fn scan_sources(args: &SourceArgs, outputs: &[PathBuf]) -> Result<(Scanned, PartInfo)> {
    let (since, until) = parse_window(args)?;
    let extra_mailmap = match &args.mailmap {
        Some(p) => Some(
            crate::input::read_capped(p, crate::input::MAILMAP, crate::input::Links::Named)
                .map_err(|e| anyhow::anyhow!("--mailmap {e}"))?,
        ),
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

    let (paths, list_digest) = source_paths(args)?;
    let (mut targets, discover_errors) = scan::discover(&paths, args.recursive);
    refuse_outputs_in_git(&targets, outputs)?;
    if let Some(shard) = args.shard {
        targets.retain(|t| shard.contains(&scan::repo_name(t)));
        if targets.is_empty() && discover_errors.is_empty() && !args.quiet {
            eprintln!("note: shard {shard} holds none of the repositories");
        }
    }
    let mut errors = Vec::new();
    for e in &discover_errors {
        eprintln!("error: {}", render::plain(&e.to_string()));
        errors.push(e.to_string());
    }
    let cache_dir = if args.no_cache {
        None
    } else {
        scan::cache::cache_dir()
    };
    let show_progress = !args.quiet
        && match args.progress {
            crate::cli::ProgressChoice::Always => true,
            crate::cli::ProgressChoice::Never => false,
            crate::cli::ProgressChoice::Auto => std::io::stderr().is_terminal(),
        };
    let multi = MultiProgress::with_draw_target(match (show_progress, args.progress) {
        (false, _) => ProgressDrawTarget::hidden(),
        // Asked for: drawn even where standard error is a file or a pipe.
        (true, crate::cli::ProgressChoice::Always) => {
            ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 4)
        }
        (true, _) => ProgressDrawTarget::stderr(),
    });
    let (counting, style) = progress_styles();

    let t0 = std::time::Instant::now();
    let results: Vec<_> = pool.install(|| {
        targets
            .par_iter()
            .map(|t| {
                // A spinner with a count until the walk knows the total, then a bar that never
                // moves backwards nor past its end.
                let bar = multi.add(ProgressBar::no_length().with_style(counting.clone()));
                bar.set_prefix(render::terminal::fit(
                    &render::plain(&scan::repo_name(t)),
                    14,
                ));
                let progress = |p: RepoProgress| match p {
                    RepoProgress::Found(n) => {
                        bar.set_message(format!("{} found", render::chart::thousands(n)))
                    }
                    RepoProgress::Total(n) => {
                        bar.set_length(n.max(bar.position()));
                        bar.set_style(style.clone());
                    }
                    RepoProgress::Done(n) => {
                        let end = bar.length().unwrap_or(u64::MAX);
                        bar.set_position(bar.position().saturating_add(n).min(end));
                    }
                };
                let opts = ScanOptions {
                    rev: args.rev.as_deref(),
                    extra_mailmap: extra_mailmap.as_deref(),
                    extra_mailmap_name: extra_name.as_deref(),
                    config: &base,
                    notes: args.notes.as_deref(),
                    cache: cache_dir.as_deref(),
                    progress: Some(&progress),
                };
                let r = scan::scan_repo(t, &opts);
                bar.finish_and_clear();
                r
            })
            .collect()
    });
    let scan_time = t0.elapsed();
    let mut scans = Vec::new();
    for r in results {
        match r {
            Ok(s) => scans.push(s),
            Err(e) => {
                eprintln!("error: {}", render::plain(&e.to_string()));
                errors.push(e.to_string());
            }
        }
    }
    if !args.quiet {
        let details = warning_details(outputs);
        for s in &scans {
            for line in folded_warnings(&s.warnings, s.warnings_repeated, &details) {
                eprintln!("warning: {}: {line}", render::plain(&s.path));
            }
            for w in &s.local_warnings {
                eprintln!("warning: {}: {}", render::plain(&s.path), render::plain(w));
            }
        }
    }
    attach_forge(&mut scans, &args.forge, args.shard.is_some(), args.quiet)?;
    let part = PartInfo {
        options: crate::part::PartOptions {
            rev: args.rev.clone(),
            notes: args.notes.clone(),
            // Its contents, not its path: shards may keep the file in different places.
            mailmap: extra_mailmap
                .as_deref()
                .map(|m| scan::cache::mailmap_digest(&[(String::new(), m.to_vec())])),
            since,
            until,
            period: args.period.map(|p| period_of(p).name().to_string()),
            team: args.team.clone(),
        },
        shard: args.shard.map(|s| crate::part::PartShard {
            index: s.index,
            count: s.count,
            list: list_digest,
        }),
    };
    let scanned = assemble(Assembly {
        quiet: args.quiet,
        scans,
        errors,
        base,
        pool,
        since,
        until,
        period: args.period.map(period_of),
        team: args.team.clone(),
        range: crate::scan::split_range(args.rev.as_deref())
            .0
            .and(args.rev.clone()),
        scan_time,
    })?;
    Ok((scanned, part))
}

/// Loads `--forge` folders and attaches each to its repository: by `NAME=`, else by the
/// repository's origin. In a shard, a folder whose repository is in another shard is skipped.
fn attach_forge(
    scans: &mut [scan::RepoScan],
    specs: &[String],
    sharded: bool,
    quiet: bool,
) -> Result<()> {
    let norm = |u: &str| {
        u.trim_end_matches('/')
            .trim_end_matches(".git")
            .to_ascii_lowercase()
    };
    for spec in specs {
        let (name, dir) = match spec.split_once('=') {
            Some((n, d)) if !n.is_empty() && !Path::new(spec).exists() => (Some(n), d),
            _ => (None, spec.as_str()),
        };
        let data = crate::forge::load(Path::new(dir)).with_context(|| format!("--forge {spec}"))?;
        let found = match name {
            Some(n) => scans.iter_mut().find(|s| s.name == n || s.path == n),
            None => {
                let want = norm(&data.web_url);
                // A self-hosted forge (any host, http or https): the origin's host and path.
                let key = crate::scan::remote::origin_key(&data.web_url);
                scans.iter_mut().find(|s| {
                    s.remote.as_ref().is_some_and(|r| norm(&r.url) == want)
                        || (key.is_some() && s.origin == key)
                })
            }
        };
        let Some(target) = found else {
            if sharded {
                if !quiet {
                    eprintln!(
                        "note: --forge {}: its repository is not in this shard; skipped",
                        render::plain(spec)
                    );
                }
                continue;
            }
            match name {
                Some(n) => bail!(
                    "--forge {spec}: no scanned repository is named {n} (give the name the \
                     report uses, or its path)"
                ),
                None => bail!(
                    "--forge {spec}: {} is no scanned repository's origin; name the repository \
                     with --forge NAME={dir}",
                    data.web_url
                ),
            }
        };
        if target.forge.is_some() {
            bail!("--forge {spec}: {} already has forge data", target.name);
        }
        target.forge = Some(std::sync::Arc::new(data));
    }
    Ok(())
}

fn period_of(p: PeriodArg) -> Period {
    match p {
        PeriodArg::Month => Period::Month,
        PeriodArg::Week => Period::Week,
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Year => Period::Year,
        PeriodArg::Auto => Period::Auto,
    }
}

/// What a part file records besides the scans.
struct PartInfo {
    options: crate::part::PartOptions,
    shard: Option<crate::part::PartShard>,
}

/// The report-wide settings around the scans: the user's file, every repository's file (by
/// name), `--config`. Repositories are put in (name, path) order, so a report does not depend
/// on the order repositories were named in, and a merge of parts equals one scan.
fn assemble(a: Assembly) -> Result<Scanned> {
    let Assembly {
        mut scans,
        quiet,
        errors,
        base,
        pool,
        since,
        until,
        period,
        team,
        range,
        scan_time,
    } = a;
    scans.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
    let mut wide = Effective::defaults();
    let mut sources = Vec::new();
    // A repository's own file decides who is who only in a report of that repository alone:
    // with others in the report, its [[alias]], [bots] and [people] could hand their credits
    // to someone else. Cross-repository identity rules come from the user's file and --config.
    let alone = scans.len() == 1;
    let repo_scope = if alone {
        Scope::ReportWide
    } else {
        Scope::ReportWideShared
    };
    for s in scans.iter_mut() {
        let Some(layer) = &s.config_file else {
            continue;
        };
        let sections = layer.identity_sections();
        if alone || sections.is_empty() {
            continue;
        }
        let w = format!(
            "{}: {} not applied: a repository's own identity rules apply only when it is \
             scanned alone, never to other repositories' commits; put rules for several \
             repositories in --config or the user's configuration file",
            layer.name,
            sections.join(", ")
        );
        if !s.warnings.contains(&w) {
            if !quiet {
                eprintln!("warning: {}: {}", render::plain(&s.path), render::plain(&w));
            }
            s.warnings.push(w);
        }
    }
    let user = base.user.iter().map(|l| (l, Scope::ReportWide));
    let repo_layers = scans
        .iter()
        .filter_map(|s| s.config_file.as_ref())
        .map(|l| (l, repo_scope));
    let cli = base.cli.iter().map(|l| (l, Scope::ReportWide));
    for (layer, scope) in user.chain(repo_layers).chain(cli) {
        wide.apply(layer, scope)?;
        sources.push(layer.name.clone());
    }
    if let Some(team) = &team {
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
    let rules = CompiledRules::new(wide.rules()).context("configuration")?;
    let aliases: Vec<config::Alias> = wide.aliases.iter().map(|a| a.value.clone()).collect();
    let exclude: Vec<String> = wide
        .people_exclude
        .iter()
        .map(|i| i.value.clone())
        .collect();
    let teams: BTreeMap<String, Vec<String>> = wide
        .teams
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().map(|i| i.value.clone()).collect()))
        .collect();
    Ok(Scanned {
        scans,
        failed: errors.len(),
        errors,
        pool,
        base,
        rules,
        aliases,
        exclude,
        teams,
        team,
        config: ConfigInfo { digest, sources },
        period: period.unwrap_or(wide.period.value),
        regular_months: wide.regular_months.value,
        since,
        until,
        range,
        scan_time,
    })
}

/// The paths to scan: the PATH arguments, then the `--repos` list (`.` when neither is
/// given). With `--shard`, paths that do not exist are kept only in the shard their name
/// hashes to, so a missing repository is reported by one job, not by every one.
/// Also returns the digest of the whole list (before the shard is chosen).
fn source_paths(args: &SourceArgs) -> Result<(Vec<String>, String)> {
    let mut paths = args.paths.clone();
    if let Some(list) = &args.repos {
        let listed = crate::shard::read_repo_list(list)?;
        if listed.is_empty() && paths.is_empty() {
            bail!(
                "--repos {}: the list names no repositories (one path a line)",
                list.display()
            );
        }
        paths.extend(listed);
    } else if paths.is_empty() {
        paths.push(".".to_string());
    }
    let digest = crate::part::list_digest(&paths);
    if let Some(shard) = args.shard {
        paths.retain(|p| Path::new(p).exists() || shard.contains(&crate::shard::name_of_path(p)));
    }
    Ok((paths, digest))
}

/// Checks `--events FILE` before any work is done: its format, and that it does not share
/// standard output with another output.
fn check_events_arg(out: &OutputArgs) -> Result<()> {
    if let Some(file) = out.events.as_deref() {
        render::events::EventsFormat::from_path(file).map_err(anyhow::Error::msg)?;
        if file == "-" && (out.json.as_deref() == Some("-") || out.csv.as_deref() == Some("-")) {
            bail!("--events - cannot share standard output with --json - or --csv -");
        }
    }
    Ok(())
}

/// Writes `--events FILE` (whole or not at all).
fn write_events(report: &Report, file: &str) -> Result<()> {
    use render::events::{self, EventsFormat};
    match EventsFormat::from_path(file).map_err(anyhow::Error::msg)? {
        EventsFormat::Ndjson if file == "-" => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            events::write_ndjson(report, &mut stdout)
                .and_then(|()| stdout.flush())
                .context("cannot write to standard output")
        }
        EventsFormat::Ndjson => {
            write_atomic_with(Path::new(file), |w| events::write_ndjson(report, w))
        }
        EventsFormat::Parquet => {
            let bytes =
                events::parquet_bytes(report).with_context(|| format!("cannot write {file}"))?;
            write_atomic(Path::new(file), &bytes)
        }
    }
}

/// Prints the closing line for repositories that failed; the exit code for the run.
fn partial_exit(failed: usize, scanned: usize, what: &str) -> i32 {
    if failed == 0 {
        return 0;
    }
    eprintln!(
        "error: {failed} of {} repositories could not be scanned; {what}",
        failed + scanned
    );
    EXIT_PARTIAL
}

fn scan_command(args: ScanArgs) -> Result<i32> {
    let compare = parse_compare(args.compare_since.as_deref())?;
    check_events_arg(&args.output)?;
    let outputs = output_paths(&args.output, args.part.as_deref());
    probe_outputs(&outputs)?;
    if args.part.is_some()
        && crate::scan::split_range(args.source.rev.as_deref())
            .0
            .is_some()
    {
        bail!(
            "--part cannot hold a revision range (--rev {}): a part records whole histories; \
             scan with a single revision, then merge with --since/--until",
            args.source.rev.as_deref().unwrap_or_default()
        );
    }
    let (scanned, info) = scan_sources(&args.source, &outputs)?;
    if let Some(file) = &args.part {
        // Written even when nothing could be scanned: a merge needs every shard's part, and
        // the part carries the errors.
        let part = crate::part::Part::new(
            &scanned.base,
            info.options,
            info.shard,
            scanned.errors.clone(),
            &scanned.scans,
        );
        let gzip = crate::part::wants_gzip(file);
        write_atomic_with(Path::new(file), |w| part.write_to(w, gzip))?;
    }
    let code = finish_report(
        &scanned,
        compare,
        args.compare_since.as_deref(),
        &args.output,
        args.source.quiet,
    );
    left_for_exit(scanned);
    code
}

/// The files and folders a command writes (standard output, `-`, left out).
fn output_paths(out: &OutputArgs, part: Option<&str>) -> Vec<PathBuf> {
    let files = [
        out.json.as_deref(),
        out.csv.as_deref(),
        out.events.as_deref(),
        part,
    ];
    out.out
        .iter()
        .cloned()
        .chain(
            files
                .into_iter()
                .flatten()
                .filter(|f| *f != "-")
                .map(PathBuf::from),
        )
        .collect()
}

/// `path` made absolute with every existing part resolved (links included), so that it can be
/// compared with a repository's git directory even when it does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses to write anything inside a scanned repository's git directory: gluework never
/// writes into a repository it reads.
fn refuse_outputs_in_git(targets: &[scan::RepoTarget], outputs: &[PathBuf]) -> Result<()> {
    if outputs.is_empty() {
        return Ok(());
    }
    let outs: Vec<(&PathBuf, PathBuf)> = outputs.iter().map(|o| (o, resolved(o))).collect();
    for t in targets {
        let Some(git_dir) = scan::git_dir(&t.path) else {
            continue;
        };
        let git_dir = resolved(&git_dir);
        if let Some((given, _)) = outs.iter().find(|(_, r)| r.starts_with(&git_dir)) {
            bail!(
                "{}: inside the git directory of {} ({}); gluework never writes into a \
                 repository it scans: write the report somewhere else",
                given.display(),
                t.display,
                git_dir.display()
            );
        }
    }
    Ok(())
}

/// Finds an output folder that cannot be written (read-only, full, missing permissions)
/// before the scan rather than after it: writes a small file in the nearest existing folder of
/// each output, then removes it. Devices and pipes (`/dev/null`, a FIFO) are left alone.
fn probe_outputs(outputs: &[PathBuf]) -> Result<()> {
    let mut probed: Vec<PathBuf> = Vec::new();
    for out in outputs {
        if std::fs::metadata(out).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            continue;
        }
        let abs = std::path::absolute(out).unwrap_or_else(|_| out.clone());
        // The folder a file goes into; for --out, the folder itself.
        let mut dir = if std::fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
            abs.clone()
        } else {
            abs.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| abs.clone())
        };
        while !dir.is_dir() {
            match dir.parent() {
                Some(p) => dir = p.to_path_buf(),
                None => break,
            }
        }
        if probed.contains(&dir) {
            continue;
        }
        let probe = dir.join(format!(".gluework-probe-{}", std::process::id()));
        let result = (|| -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&probe)?;
            // Enough to need a block of its own: a full disk fails here, not after the scan.
            f.write_all(&[0u8; 64 * 1024])?;
            f.sync_all()
        })();
        let _ = std::fs::remove_file(&probe);
        result.with_context(|| {
            format!(
                "cannot write {}: its folder {} is not writable (checked before scanning)",
                out.display(),
                dir.display()
            )
        })?;
        probed.push(dir);
    }
    Ok(())
}

/// `gluework identities`: who was joined and why, and what is likely one person but was not.
fn identities_command(args: crate::cli::IdentitiesArgs) -> Result<i32> {
    let (scanned, _) = scan_sources(&args.source, &[])?;
    if scanned.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(EXIT_ERROR);
    }
    let text = scanned.pool.install(|| {
        let resolver = crate::aggregate::resolve(&scanned.scans, &scanned.rules, &scanned.aliases);
        crate::identity::duplicates::listing(&resolver, &render::plain)
    });
    write_stdout(&text)?;
    let code = partial_exit(
        scanned.failed,
        scanned.scans.len(),
        "the listing covers the others",
    );
    left_for_exit(scanned);
    Ok(code)
}

/// Leaves a large value for the operating system to reclaim when the process exits, which it
/// does right after the command. Freeing the records of a 100k-commit history one allocation
/// at a time took a quarter of a second (docs/performance.md).
fn left_for_exit<T>(value: T) {
    std::mem::forget(value);
}

fn parse_compare(arg: Option<&str>) -> Result<Option<i64>> {
    arg.map(|s| parse_user_date(s, Bound::Start, crate::date::now()))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--compare-since")
}

/// The report of a scan or a merge, written to the outputs; the exit code.
fn finish_report(
    scanned: &Scanned,
    compare: Option<i64>,
    compare_arg: Option<&str>,
    output: &OutputArgs,
    quiet: bool,
) -> Result<i32> {
    let include_bots = output.include_bots;
    let report = scanned.main_report(include_bots, quiet);
    if scanned.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(EXIT_ERROR);
    }
    let previous = match (compare, compare_arg) {
        (Some(start), Some(arg)) => {
            let (since, until) = scanned.previous_window(start, arg)?;
            Some(scanned.report(Some(since), Some(until), include_bots))
        }
        _ => None,
    };
    let t = std::time::Instant::now();
    scanned
        .pool
        .install(|| write_outputs(&report, output, previous.as_ref(), quiet))?;
    if std::env::var_os("GLUEWORK_TIMING").is_some() {
        eprintln!("timing: outputs {:?}", t.elapsed());
    }
    left_for_exit(report);
    left_for_exit(previous);
    Ok(partial_exit(
        scanned.failed,
        scanned.scans.len(),
        "the report covers the others",
    ))
}

/// `gluework merge`: parts of shards, checked against each other, aggregated as one scan.
fn merge_command(args: MergeArgs) -> Result<i32> {
    let compare = parse_compare(args.compare_since.as_deref())?;
    check_events_arg(&args.output)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    // Parts are read side by side; the first bad one in the order given is the one reported.
    let t = std::time::Instant::now();
    let read: Vec<_> = pool.install(|| {
        use rayon::prelude::*;
        args.parts
            .par_iter()
            .map(|path| crate::part::read(path).map(|part| (path.clone(), part)))
            .collect()
    });
    let parts = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    if std::env::var_os("GLUEWORK_TIMING").is_some() {
        eprintln!("timing: reading {} parts {:?}", parts.len(), t.elapsed());
    }
    let chosen = crate::part::Chosen {
        window: args.since.is_some() || args.until.is_some(),
        period: args.period.is_some(),
        team: args.team.is_some(),
    };
    let merged = crate::part::combine(parts, chosen)?;
    for e in &merged.errors {
        eprintln!("error: {}", render::plain(e));
    }
    if !args.quiet {
        for s in &merged.scans {
            for w in &s.warnings {
                eprintln!("warning: {}: {}", render::plain(&s.path), render::plain(w));
            }
        }
    }
    let opts = &merged.options;
    let (since, until) = if args.since.is_some() || args.until.is_some() {
        parse_window_of(args.since.as_deref(), args.until.as_deref())?
    } else {
        (opts.since, opts.until)
    };
    let period = match args.period {
        Some(p) => Some(period_of(p)),
        None => match opts.period.as_deref() {
            None => None,
            Some(name) => Some(Period::parse(name).with_context(|| {
                format!("the parts' period {name:?} is not one this gluework knows")
            })?),
        },
    };
    let scanned = assemble(Assembly {
        quiet: args.quiet,
        scans: merged.scans,
        errors: merged.errors,
        base: merged.base,
        pool,
        since,
        until,
        period,
        team: args.team.clone().or_else(|| opts.team.clone()),
        range: None,
        scan_time: std::time::Duration::ZERO,
    })?;
    let code = finish_report(
        &scanned,
        compare,
        args.compare_since.as_deref(),
        &args.output,
        args.quiet,
    );
    left_for_exit(scanned);
    code
}

/// The report `person` and `check` work on: a saved one (`--report`) or a fresh scan. Returns
/// the report and the number of repositories that failed, or an exit code when nothing could be
/// scanned.
fn report_for(
    saved: Option<&Path>,
    source: &SourceArgs,
    include_bots: bool,
    outputs: &[PathBuf],
) -> Result<std::result::Result<(Report, usize, usize), i32>> {
    if let Some(path) = saved {
        let report = read_report(path)?;
        let n = report.repositories.len();
        return Ok(Ok((report, 0, n)));
    }
    let (scanned, _) = scan_sources(source, outputs)?;
    let report = scanned.main_report(include_bots, source.quiet);
    if scanned.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(Err(EXIT_ERROR));
    }
    Ok(Ok((report, scanned.failed, scanned.scans.len())))
}

/// One line describing a person for lists of candidates.
fn describe(p: &crate::model::Person) -> String {
    let mut s = format!("{}  {}", p.id, p.name);
    if let Some(e) = p.email.as_deref().filter(|e| *e != p.id) {
        s.push_str(&format!(" <{e}>"));
    }
    if let Some(l) = &p.login {
        s.push_str(&format!(" @{}", l.trim_start_matches('@')));
    }
    s.push_str(&format!("  (glue {}, code {})", p.glue, p.categories.code));
    render::plain(&s)
}

fn person_command(args: PersonArgs) -> Result<i32> {
    let outputs: Vec<PathBuf> = args.out.iter().cloned().collect();
    probe_outputs(&outputs)?;
    let (report, failed, scanned) = match report_for(
        args.report.as_deref(),
        &args.source,
        args.include_bots,
        &outputs,
    )? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let who = args.who.trim();
    let person = match report::find_person(&report, who) {
        Ok(p) => p,
        Err(FindError::Ambiguous { candidates }) => {
            eprintln!(
                "error: {} matches {} people; give one of their ids (the first column):",
                render::plain(&format!("{who:?}")),
                candidates.len()
            );
            for c in candidates {
                eprintln!("  {}", describe(c));
            }
            return Ok(EXIT_ERROR);
        }
        Err(FindError::NoMatch { suggestions }) => {
            eprintln!(
                "error: no person in the report matches {} (give a name, email, login or id)",
                render::plain(&format!("{who:?}"))
            );
            if !suggestions.is_empty() {
                eprintln!("people with a similar name, email or login:");
                for c in suggestions {
                    eprintln!("  {}", describe(c));
                }
            }
            return Ok(EXIT_ERROR);
        }
    };
    let exact = {
        let w = who.to_lowercase();
        let bare = w.trim_start_matches('@');
        person.id.to_lowercase() == w
            || person.name.to_lowercase() == w
            || person.email.as_deref().map(str::to_lowercase) == Some(w.clone())
            || person
                .login
                .as_deref()
                .map(|l| l.trim_start_matches('@').to_lowercase())
                == Some(bare.to_string())
    };
    if !exact && !args.source.quiet {
        eprintln!(
            "note: {} matched {}",
            render::plain(&format!("{who:?}")),
            describe(person)
        );
    }
    let slug = render::chart::slugs(&report)
        .remove(&person.id)
        .unwrap_or_else(|| render::chart::slug(person));
    if let Some(file) = args.json.as_deref() {
        let json = render::packet::slice_json(&report, person);
        if file == "-" {
            write_stdout(&json)?;
            return Ok(partial_exit(
                failed,
                scanned,
                "the packet covers the others",
            ));
        }
        write_atomic(Path::new(file), json.as_bytes())?;
        if !args.source.quiet {
            eprintln!("wrote {}", render::plain(file));
        }
    }
    match (&args.out, args.format) {
        (None, PacketFormat::Json) => write_stdout(&render::packet::slice_json(&report, person))?,
        (None, PacketFormat::Markdown) => write_stdout(&render::packet::packet(
            &report,
            person,
            &render::packet::PacketOptions::default(),
        ))?,
        (Some(dir), format) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let (path, text) = match format {
                PacketFormat::Json => (
                    dir.join(format!("{slug}.json")),
                    render::packet::slice_json(&report, person),
                ),
                PacketFormat::Markdown => {
                    let charts = person_charts(&report, person, dir, &slug, args.charts)?;
                    // Every evidence item, beside a packet that lists the newest of each
                    // category.
                    let csv_name = format!("{slug}-evidence.csv");
                    let csv = dir.join(&csv_name);
                    write_atomic(
                        &csv,
                        render::packet::evidence_csv(&report, person).as_bytes(),
                    )?;
                    if !args.source.quiet {
                        eprintln!("wrote {}", csv.display());
                    }
                    // The same packet as a page to open and print, beside the Markdown.
                    let html = dir.join(format!("{slug}.html"));
                    let page = render::html::packet_page(&report, person, Some(&csv_name));
                    write_atomic(&html, page.as_bytes())?;
                    if !args.source.quiet {
                        eprintln!("wrote {}", html.display());
                    }
                    (
                        dir.join(format!("{slug}.md")),
                        render::packet::packet(
                            &report,
                            person,
                            &render::packet::PacketOptions {
                                charts,
                                evidence_csv: Some(csv_name),
                            },
                        ),
                    )
                }
            };
            write_atomic(&path, text.as_bytes())?;
            if !args.source.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(partial_exit(
        failed,
        scanned,
        "the packet covers the others",
    ))
}

/// Draws the person's two charts into `dir` as `<slug>-profile.*` and `<slug>-timeline.*`;
/// returns the file names the packet shows (PNG when written, else SVG).
fn person_charts(
    report: &Report,
    person: &crate::model::Person,
    dir: &Path,
    slug: &str,
    charts: crate::cli::ChartsArg,
) -> Result<Option<(String, String)>> {
    use crate::cli::ChartsArg;
    use crate::render::chart::{self, ChartFormat, ChartOptions, PeopleSelection};
    let (format, exts, shown) = match charts {
        ChartsArg::None => return Ok(None),
        ChartsArg::Svg => (ChartFormat::Svg, &["svg"][..], "svg"),
        ChartsArg::Png => (ChartFormat::Png, &["png"][..], "png"),
        ChartsArg::Both => (ChartFormat::Both, &["svg", "png"][..], "png"),
    };
    // The chart module writes people's charts under people/: draw the person's two into a
    // private folder and move them here.
    let tmp = dir.join(format!(".gluework-charts-{}", std::process::id()));
    let opts = ChartOptions {
        format,
        top: 15,
        people: PeopleSelection::One(person.id.clone()),
        team: false,
    };
    let drawn = chart::write_charts(report, &tmp, &opts).map_err(anyhow::Error::from);
    let moved = drawn.and_then(|_| {
        for kind in ["profile", "timeline"] {
            for ext in exts {
                let name = format!("{slug}-{kind}.{ext}");
                let from = tmp.join("people").join(&name);
                let to = dir.join(&name);
                std::fs::rename(&from, &to)
                    .with_context(|| format!("cannot write {}", to.display()))?;
            }
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&tmp);
    moved?;
    Ok(Some((
        format!("{slug}-profile.{shown}"),
        format!("{slug}-timeline.{shown}"),
    )))
}

fn check_command(args: CheckArgs) -> Result<i32> {
    let thresholds = gate::Thresholds {
        max_top_share: args.max_top_share,
        min_people_for_half: args.min_people_for_half,
        max_gini: args.max_gini,
        min_review_coverage: args.min_review_coverage,
        max_bus_factor_risk: args.max_bus_factor_risk,
        min_newcomers_helped: args.min_newcomers_helped,
    };
    if thresholds.is_empty() {
        bail!("no thresholds given: pass at least one, e.g. --max-top-share 0.5 (see docs/ci.md)");
    }
    let (report, failed, scanned) =
        match report_for(args.report.as_deref(), &args.source, args.include_bots, &[])? {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
    if failed > 0 {
        partial_exit(
            failed,
            scanned,
            "the figures would be partial, so nothing was checked",
        );
        return Ok(EXIT_PARTIAL);
    }
    let shallow: Vec<&crate::model::Repository> =
        report.repositories.iter().filter(|r| r.shallow).collect();
    if !shallow.is_empty() && !args.allow_shallow {
        for r in &shallow {
            eprintln!(
                "error: {}: a shallow clone: its history is cut, so the glue figures would be partial",
                render::plain(&r.path)
            );
        }
        eprintln!(
            "hint: fetch the full history before checking: `git fetch --unshallow`; in GitHub \
             Actions, `fetch-depth: 0` for actions/checkout; in GitLab CI, `GIT_DEPTH: 0`. \
             Or pass --allow-shallow to check the partial figures anyway."
        );
        return Ok(EXIT_SHALLOW);
    }
    for r in &shallow {
        eprintln!(
            "warning: {}: a shallow clone, checked anyway (--allow-shallow): the figures are partial",
            render::plain(&r.path)
        );
    }
    let outcomes = gate::evaluate(&report, &thresholds);
    let failures = outcomes.iter().filter(|o| !o.pass).count();
    let mut text = String::new();
    let scope = match report.repositories.as_slice() {
        [one] => render::plain(&one.name),
        many => format!("{} repositories", many.len()),
    };
    text.push_str(&format!(
        "gluework check: {scope} · {} · {} people · {} commits\n\n",
        render::plain(&strip_md(&render::markdown::window(&report))),
        report.team.people,
        report.team.commits
    ));
    let opt_w = outcomes.iter().map(|o| o.option.len()).max().unwrap_or(0);
    let lim_w = outcomes
        .iter()
        .map(|o| o.limit.chars().count())
        .max()
        .unwrap_or(0);
    let val_w = outcomes
        .iter()
        .map(|o| o.measured.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    text.push_str(&format!(
        "{:<8}{:<opt_w$}  {:<lim_w$}  {:>val_w$}  {}\n",
        "result", "threshold", "limit", "measured", "what"
    ));
    let colour = use_colour(args.color, std::io::stdout().is_terminal());
    for o in &outcomes {
        let note = if o.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", render::plain(&o.note))
        };
        let verdict = match (o.pass, colour) {
            (true, true) => console::style("PASS    ")
                .green()
                .bold()
                .force_styling(true),
            (false, true) => console::style("FAIL    ").red().bold().force_styling(true),
            (true, false) => console::style("PASS    "),
            (false, false) => console::style("FAIL    "),
        };
        text.push_str(&format!(
            "{verdict}{:<opt_w$}  {:<lim_w$}  {:>val_w$}  {}{note}\n",
            o.option, o.limit, o.measured, o.label
        ));
    }
    text.push('\n');
    if failures > 0 {
        text.push_str(&format!(
            "check failed: {failures} of {} thresholds not met (exit code {EXIT_CHECK_FAILED})\n",
            outcomes.len()
        ));
    } else {
        text.push_str(&match outcomes.len() {
            1 => "check passed: the threshold is met\n".to_string(),
            n => format!("check passed: all {n} thresholds met\n"),
        });
    }
    if let Some(file) = args.json.as_deref() {
        let json = check_json(&report, &outcomes, failures);
        if file == "-" {
            write_stdout(&json)?;
        } else {
            write_atomic(Path::new(file), json.as_bytes())?;
        }
    }
    if args.json.as_deref() != Some("-") {
        write_stdout(&text)?;
    }
    append_step_summary(&check_summary(&report, &outcomes, failures));
    Ok(if failures > 0 { EXIT_CHECK_FAILED } else { 0 })
}

/// Removes the backslash escapes of Markdown text (for the terminal).
fn strip_md(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The figures and verdicts of `check` as JSON (`check --json`): the window, the team's size,
/// and each threshold with its limit, measured value and verdict.
fn check_json(report: &Report, outcomes: &[gate::Outcome], failures: usize) -> String {
    let value = serde_json::json!({
        "passed": failures == 0,
        "failures": failures,
        "window": report.window,
        "repositories": report.repositories.iter().map(|r| &r.name).collect::<Vec<_>>(),
        "people": report.team.people,
        "commits": report.team.commits,
        "thresholds": outcomes,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("plain values serialise");
    text.push('\n');
    text
}

/// The check's results as Markdown, for $GITHUB_STEP_SUMMARY.
fn check_summary(report: &Report, outcomes: &[gate::Outcome], failures: usize) -> String {
    use crate::render::markdown::{self as md, Align};
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            vec![
                if o.pass { "✅ PASS" } else { "❌ FAIL" }.to_string(),
                format!("`{}`", o.option),
                md::text(&o.limit),
                md::text(&o.measured),
                format!(
                    "{}{}",
                    md::text(o.label),
                    if o.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", md::text_max(&o.note, 200))
                    }
                ),
            ]
        })
        .collect();
    format!(
        "## gluework check: {}\n\n{} · {} people · {} commits\n\n{}\n",
        if failures > 0 { "failed" } else { "passed" },
        md::window(report),
        report.team.people,
        report.team.commits,
        md::table(
            &[
                ("Result", Align::Left),
                ("Threshold", Align::Left),
                ("Limit", Align::Left),
                ("Measured", Align::Right),
                ("What", Align::Left),
            ],
            &rows,
        )
    )
}

/// Writes text to standard output.
fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .context("cannot write to standard output")
}

/// The largest step summary GitHub accepts is 1 MiB; stay below it.
const STEP_SUMMARY_MAX: usize = 1_000_000;

/// Appends Markdown to the file named by $GITHUB_STEP_SUMMARY, if set (GitHub Actions shows
/// it on the run's page). A failure is a warning: the summary is a courtesy, not an output.
fn append_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) else {
        return;
    };
    let mut text = markdown.to_string();
    if text.len() > STEP_SUMMARY_MAX {
        let mut cut = STEP_SUMMARY_MAX - 200;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[..cut].rfind('\n').unwrap_or(cut);
        text.truncate(cut);
        text.push_str("\n\n*(Cut here: a step summary holds at most 1 MiB. The whole report is report.md in the report folder.)*\n");
    }
    text.push('\n');
    let result = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = result {
        eprintln!(
            "warning: {}",
            render::plain(&format!(
                "cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
                PathBuf::from(path).display()
            ))
        );
    }
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

/// `gluework fetch github|gitlab REPO --out DIR`: the forge's data into DIR (docs/forge.md).
fn fetch_command(cmd: crate::cli::FetchCommand) -> Result<i32> {
    use crate::forge::{fetch, ForgeKind};
    let (forge, args) = match cmd {
        crate::cli::FetchCommand::Github(a) => (ForgeKind::Github, a),
        crate::cli::FetchCommand::Gitlab(a) => (ForgeKind::Gitlab, a),
    };
    let opts = fetch::FetchOptions {
        forge,
        repo: args.repo,
        out: args.out,
        api_url: args.api_url,
        token: fetch::resolve_token(forge, args.token_file.as_deref())?,
        since: args.since,
        full: args.full,
        max_wait: fetch::max_wait_from_env()?,
        longest_wait: std::time::Duration::from_secs(args.max_wait),
        max_pages: args.max_pages,
        timeout: std::time::Duration::from_secs(args.timeout),
    };
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {eta}")
            .expect("valid template")
            .progress_chars("=> ");
        let bar = ProgressBar::new(0).with_style(style);
        bar.set_prefix(forge.pulls_noun());
        bar
    } else {
        ProgressBar::hidden()
    };
    let summary = fetch::fetch(&opts, &|event| match event {
        fetch::FetchEvent::Note(line) if !args.quiet => {
            bar.suspend(|| eprintln!("{}", render::plain(line)))
        }
        fetch::FetchEvent::Note(_) => {}
        fetch::FetchEvent::Waiting(line) | fetch::FetchEvent::Warning(line) => {
            bar.suspend(|| eprintln!("{}", render::plain(line)))
        }
        fetch::FetchEvent::Listed(n) => bar.set_length(n),
        fetch::FetchEvent::PullDone => bar.inc(1),
    });
    bar.finish_and_clear();
    let summary = summary?;
    if !args.quiet {
        eprintln!("{}", render::plain(&summary.to_string()));
    }
    Ok(0)
}

fn render_command(args: RenderArgs) -> Result<i32> {
    check_events_arg(&args.output)?;
    let path = args
        .report
        .as_deref()
        .or(args.report_flag.as_deref())
        .context("render needs a saved report: REPORT.json or --report REPORT.json")?;
    let report = read_report(path)?;
    write_outputs(&report, &args.output, None, args.quiet)?;
    Ok(0)
}

/// Reads a saved report, refusing other schema versions with a message that says what to do.
pub fn read_report(path: &Path) -> Result<Report> {
    let text =
        crate::input::read_capped_string(path, crate::input::JSON, crate::input::Links::Named)
            .map_err(|e| match e {
                crate::input::InputError::Io { source, .. } => {
                    anyhow::Error::new(source).context(format!("cannot read {}", path.display()))
                }
                other => anyhow::anyhow!("cannot read {other}"),
            })?;
    // Parse errors quote none of the file's text: it may be anything.
    let quiet = |e: serde_json::Error| anyhow::anyhow!(crate::input::unquote(&e.to_string(), &[]));
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(quiet)
        .with_context(|| format!("{} is not JSON", path.display()))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => {}
        Some(v) => bail!(
            "{}: report schema version {v}, this gluework reads version {SCHEMA_VERSION}; re-run the scan with this version",
            path.display()
        ),
        None => bail!("{}: not a gluework report (no schema_version)", path.display()),
    }
    serde_json::from_value(value)
        .map_err(quiet)
        .with_context(|| format!("{}: malformed gluework report", path.display()))
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// Like [`write_atomic`], with the contents written by `fill` through a buffer (so a large
/// report is never held in memory as one string).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let write = |target: &Path| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(target)?);
        fill(&mut w)?;
        w.into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
            .or(Ok(()))
    };
    // Devices, pipes and other special files (`/dev/null`, `/dev/stdout`, a FIFO) are written
    // as they are: renaming over them would replace the device with a plain file.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return write(path).with_context(|| format!("cannot write {}", path.display()));
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
    if let Err(e) = write(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The charts of a report folder: DIR/charts/ (team) and DIR/charts/people/.
/// Writes the charts `out` asks for into `dir/charts`; how many files were written.
fn write_charts(report: &Report, dir: &Path, out: &OutputArgs) -> Result<usize> {
    use crate::cli::{ChartsArg, PeopleArg};
    use crate::render::chart::{self, ChartFormat, ChartOptions, PeopleSelection};
    let format = match out.charts {
        ChartsArg::None => return Ok(0),
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
        team: true,
    };
    Ok(chart::write_charts(report, &dir.join("charts"), &opts)?.len())
}

/// The team report of a report folder, `DIR/report.md` (charts linked when they are written).
fn team_report_md(report: &Report, out: &OutputArgs, previous: Option<&Report>) -> String {
    use crate::cli::ChartsArg;
    let ext = match out.charts {
        ChartsArg::None => None,
        ChartsArg::Svg => Some("svg"),
        ChartsArg::Png | ChartsArg::Both => Some("png"),
    };
    render::team_report::team_report(
        report,
        &render::team_report::TeamReportOptions {
            charts: ext.map(|e| ("charts".to_string(), e.to_string())),
            previous,
            people_limit: out.report_rows,
        },
    )
}

/// The lock a run holds on its `--out` folder.
pub const OUT_LOCK: &str = ".gluework-out.lock";
/// The folder a run writes its report into before moving it into `--out` (`.gluework-new-PID`).
const OUT_STAGE: &str = ".gluework-new-";
/// Where the earlier run's charts wait while the new ones move in (`.gluework-old-PID`).
const OUT_OLD: &str = ".gluework-old-";

/// Writes the report folder as a whole: under a lock (a second run into the same folder is
/// refused; a dead run's lock is taken over), everything is written into a staging folder
/// first, then moved in (the charts folder replaced whole, so charts an earlier run wrote and
/// this one did not are gone). What a killed run left (its staging folder, temporary files) is
/// removed; an interrupted run removes its own. Returns how many charts were written.
fn write_report_folder(
    report: &Report,
    dir: &Path,
    out: &OutputArgs,
    previous: Option<&Report>,
) -> Result<usize> {
    use crate::lockfile::{LockError, LockFile};
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let shown = dir.display();
    let lock = match LockFile::take(&dir.join(OUT_LOCK)) {
        Ok(taken) => {
            if let Some(dead) = taken.took_over {
                eprintln!(
                    "warning: --out {shown}: took over the lock of a run that is no longer \
                     running ({dead})"
                );
            }
            taken.lock
        }
        Err(LockError::Held(holder)) => bail!(
            "--out {shown}: another gluework run is writing into this folder ({holder}); wait for \
             it, or write elsewhere (if none is running, remove {})",
            dir.join(OUT_LOCK).display()
        ),
        Err(LockError::Io(e)) => {
            bail!(
                "--out {shown}: cannot create {}: {e}",
                dir.join(OUT_LOCK).display()
            )
        }
    };
    crate::lockfile::clean_leftovers(dir, &[OUT_STAGE, OUT_OLD]);
    crate::lockfile::clean_leftovers(&dir.join("charts"), &[]);
    let pid = std::process::id();
    let stage = dir.join(format!("{OUT_STAGE}{pid}"));
    let old = dir.join(format!("{OUT_OLD}{pid}"));
    crate::lockfile::remove_on_interrupt(&stage);
    let written = (|| -> Result<usize> {
        let _ = std::fs::remove_dir_all(&stage);
        std::fs::create_dir(&stage)
            .with_context(|| format!("cannot create {}", stage.display()))?;
        write_atomic_with(&stage.join("gluework.json"), |w| {
            render::write_json(report, w)
        })?;
        let charts_written = write_charts(report, &stage, out)?;
        write_atomic(
            &stage.join("report.md"),
            team_report_md(report, out, previous).as_bytes(),
        )?;
        write_atomic(
            &stage.join("index.html"),
            render::html::team_page(
                report,
                &render::html::HtmlOptions {
                    previous,
                    top: out.top,
                    ..Default::default()
                },
            )
            .as_bytes(),
        )?;
        // Everything is written: move it in (renames within one folder).
        let charts = dir.join("charts");
        if charts.exists() {
            std::fs::rename(&charts, &old)
                .with_context(|| format!("cannot move {} aside", charts.display()))?;
        }
        if stage.join("charts").exists() {
            std::fs::rename(stage.join("charts"), &charts)
                .with_context(|| format!("cannot write {}", charts.display()))?;
        }
        for name in ["report.md", "index.html", "gluework.json"] {
            std::fs::rename(stage.join(name), dir.join(name))
                .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
        }
        Ok(charts_written)
    })();
    let _ = std::fs::remove_dir_all(&stage);
    let _ = std::fs::remove_dir_all(&old);
    crate::lockfile::forget(&stage);
    drop(lock);
    written
}

/// The most people rows in the step summary's tables (GitHub caps a summary at 1 MiB; the
/// longer tables are in report.md).
const STEP_SUMMARY_PEOPLE: usize = 25;

/// Writes every output `out` names. Unless `quiet`, then prints the summary table on standard
/// output (except when an output goes to standard output itself) and says what it wrote on
/// standard error (`wrote DIR/report.md, DIR/gluework.json and 36 charts`).
fn write_outputs(
    report: &Report,
    out: &OutputArgs,
    previous: Option<&Report>,
    quiet: bool,
) -> Result<()> {
    let stdout_outputs = [&out.json, &out.csv, &out.events]
        .iter()
        .filter(|o| o.as_deref() == Some("-"))
        .count();
    if stdout_outputs > 1 {
        bail!("only one of --json, --csv and --events can write to standard output (`-`)");
    }
    // What was written, as the user named it, for the closing line.
    let mut wrote: Vec<String> = Vec::new();
    let mut charts = 0;
    if let Some(dir) = &out.out {
        charts = write_report_folder(report, dir, out, previous)?;
        wrote.push(dir.join("report.md").display().to_string());
        wrote.push(dir.join("gluework.json").display().to_string());
        if !out.no_step_summary {
            let mut summary = render::team_report::team_report(
                report,
                &render::team_report::TeamReportOptions {
                    charts: None,
                    previous,
                    people_limit: match out.report_rows {
                        0 => STEP_SUMMARY_PEOPLE,
                        n => n.min(STEP_SUMMARY_PEOPLE),
                    },
                },
            );
            summary.push_str(
                "\n*The charts and the whole report are in the report folder (report.md).*\n",
            );
            append_step_summary(&summary);
        }
    }
    match out.csv.as_deref() {
        Some("-") => write_stdout(&render::csv::people(report))?,
        Some(file) => {
            write_atomic(Path::new(file), render::csv::people(report).as_bytes())?;
            wrote.push(file.to_string());
        }
        None => {}
    }
    if let Some(file) = out.events.as_deref() {
        write_events(report, file)?;
        if file != "-" {
            wrote.push(file.to_string());
        }
    }
    match out.json.as_deref() {
        Some("-") => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            render::write_json(report, &mut stdout)
                .and_then(|()| stdout.flush())
                .context("cannot write to standard output")?;
        }
        Some(file) => {
            write_atomic_with(Path::new(file), |w| render::write_json(report, w))?;
            wrote.push(file.to_string());
        }
        None => {}
    }
    if quiet {
        return Ok(());
    }
    if stdout_outputs == 0 {
        print_table(report, out)?;
    }
    if !wrote.is_empty() || charts > 0 {
        let mut parts: Vec<String> = wrote.iter().map(|w| render::plain(w)).collect();
        if charts > 0 {
            parts.push(crate::render::markdown::count(
                charts as u64,
                "chart",
                "charts",
            ));
        }
        let last = parts.pop().unwrap_or_default();
        if parts.is_empty() {
            eprintln!("wrote {last}");
        } else {
            eprintln!("wrote {} and {last}", parts.join(", "));
        }
    }
    Ok(())
}

/// Whether to colour output: `--color always|never`, else on a terminal unless `NO_COLOR` is
/// set or `TERM` is `dumb`.
fn use_colour(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// The summary table on standard output, as wide as the terminal (120 columns elsewhere).
fn print_table(report: &Report, out: &OutputArgs) -> Result<()> {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let colour = use_colour(out.color, tty);
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
    write_stdout(&table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_fold_by_kind() {
        let w = |s: &str| s.to_string();
        let warnings = vec![
            w(".mailmap line 3: '<' without a closing '>'; git ignores this line: \"A <b\""),
            w(".mailmap line 12: no <email> found; git ignores this line: \"x\""),
            w("commit 21561c9d265f: message is not valid UTF-8 and declares no encoding"),
            w("commit 6a0a2d56ba84: message is not valid UTF-8 and declares no encoding"),
            w("commit 6a0a2d56ba84: cannot read its changes (object 3ad4 not found)"),
            w("shallow clone: history is cut"),
        ];
        assert_eq!(warning_kind(&warnings[0]), ".mailmap line #");
        assert_eq!(warning_kind(&warnings[1]), ".mailmap line #");
        assert_eq!(
            warning_kind(&warnings[2]),
            "commit #: message is not valid UTF-# and declares no encoding"
        );
        let lines = folded_warnings(&warnings, false, "all are in r.json");
        assert_eq!(
            lines,
            [
                ".mailmap line 3: '<' without a closing '>'; git ignores this line: \"A <b\" \
                 (and 1 more like it; all are in r.json)",
                "commit 21561c9d265f: message is not valid UTF-8 and declares no encoding \
                 (and 1 more like it; all are in r.json)",
                "commit 6a0a2d56ba84: cannot read its changes (object 3ad4 not found)",
                "shallow clone: history is cut",
            ]
        );
        assert_eq!(
            folded_warnings(&warnings, true, "all are in r.json"),
            ["6 warnings, the same as at the last scan (all are in r.json)"]
        );
        assert!(folded_warnings(&[], true, "x").is_empty());
    }
}
