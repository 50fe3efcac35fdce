//! The pipeline over many repositories: finds and scans them (the shard filter, the forge
//! data attached), layers the report-wide configuration, and builds the report of a window.

use crate::aggregate::{build_report, AggregateOptions};
use crate::cli::{PeriodArg, SourceArgs};
use crate::config::{self, Effective, Layer, Scope};
use crate::date::{format_utc, parse_user_date, Bound, Period};
use crate::model::ConfigInfo;
use crate::model::{Report, SCHEMA_VERSION};
use crate::output::{folded_warnings, progress_styles, warning_details};
use crate::render;
use crate::rules::CompiledRules;
use crate::scan::ConfigBase;
use crate::scan::{self, RepoProgress, ScanOptions};
use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `--since` and `--until` as Unix times.
pub(crate) fn parse_window(args: &SourceArgs) -> Result<(Option<i64>, Option<i64>)> {
    parse_window_of(args.since.as_deref(), args.until.as_deref())
}

pub(crate) fn parse_window_of(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<i64>, Option<i64>)> {
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
pub(crate) struct Scanned {
    pub(crate) scans: Vec<scan::RepoScan>,
    /// Repositories that could not be found or scanned (each already reported on stderr).
    pub(crate) failed: usize,
    /// Those errors' lines, for a part file.
    pub(crate) errors: Vec<String>,
    pub(crate) pool: rayon::ThreadPool,
    /// The report-wide configuration layers (for a part file).
    pub(crate) base: ConfigBase,
    pub(crate) rules: CompiledRules,
    pub(crate) aliases: Vec<config::Alias>,
    pub(crate) exclude: Vec<String>,
    pub(crate) teams: BTreeMap<String, Vec<String>>,
    pub(crate) team: Option<String>,
    pub(crate) config: ConfigInfo,
    pub(crate) period: Period,
    pub(crate) regular_months: usize,
    pub(crate) since: Option<i64>,
    pub(crate) until: Option<i64>,
    pub(crate) range: Option<String>,
    pub(crate) scan_time: std::time::Duration,
}

/// How a `Scanned` is put together from its scans, whether scanned or merged.
pub(crate) struct Assembly {
    pub(crate) scans: Vec<scan::RepoScan>,
    /// No warnings on standard error.
    pub(crate) quiet: bool,
    pub(crate) errors: Vec<String>,
    pub(crate) base: ConfigBase,
    pub(crate) pool: rayon::ThreadPool,
    pub(crate) since: Option<i64>,
    pub(crate) until: Option<i64>,
    pub(crate) period: Option<Period>,
    pub(crate) team: Option<String>,
    /// `--rev A..B`, when the scan counted a range.
    pub(crate) range: Option<String>,
    pub(crate) scan_time: std::time::Duration,
}

impl Scanned {
    /// The report of the window `since..=until`.
    pub(crate) fn report(
        &self,
        since: Option<i64>,
        until: Option<i64>,
        include_bots: bool,
    ) -> Report {
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
    pub(crate) fn main_report(&self, include_bots: bool, quiet: bool) -> Report {
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
    pub(crate) fn nothing_scanned(&self) -> bool {
        self.scans.is_empty() && self.failed > 0
    }

    /// The previous window for `--compare-since START`: from START, as long as this window (as
    /// many calendar months, when this window is made of whole months).
    /// This window ends at `--until`, or else at the newest commit scanned.
    pub(crate) fn previous_window(&self, start: i64, arg: &str) -> Result<(i64, i64)> {
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

/// Scans the repositories `args` names, printing errors (and warnings, unless quiet) on
/// standard error as it goes.
pub(crate) fn scan_sources(args: &SourceArgs, outputs: &[PathBuf]) -> Result<(Scanned, PartInfo)> {
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
pub(crate) fn attach_forge(
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

pub(crate) fn period_of(p: PeriodArg) -> Period {
    match p {
        PeriodArg::Month => Period::Month,
        PeriodArg::Week => Period::Week,
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Year => Period::Year,
        PeriodArg::Auto => Period::Auto,
    }
}

/// What a part file records besides the scans.
pub(crate) struct PartInfo {
    pub(crate) options: crate::part::PartOptions,
    pub(crate) shard: Option<crate::part::PartShard>,
}

/// The report-wide settings around the scans: the user's file, every repository's file (by
/// name), `--config`. Repositories are put in (name, path) order, so a report does not depend
/// on the order repositories were named in, and a merge of parts equals one scan.
pub(crate) fn assemble(a: Assembly) -> Result<Scanned> {
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
pub(crate) fn source_paths(args: &SourceArgs) -> Result<(Vec<String>, String)> {
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

/// `path` made absolute with every existing part resolved (links included), so that it can be
/// compared with a repository's git directory even when it does not exist yet.
pub(crate) fn resolved(path: &Path) -> PathBuf {
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
pub(crate) fn refuse_outputs_in_git(
    targets: &[scan::RepoTarget],
    outputs: &[PathBuf],
) -> Result<()> {
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

/// The user's configuration file (if it exists) and `--config FILE` (which must).
pub(crate) fn read_layers(cli: Option<&Path>) -> Result<(Option<Layer>, Option<Layer>)> {
    let user = match config::user_config_path() {
        Some(p) if p.is_file() => Some(Layer::read(&p)?),
        _ => None,
    };
    let cli = cli.map(Layer::read).transpose()?;
    Ok((user, cli))
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
