//! The pipeline over many repositories, as a library: [`Session::scan`] finds and scans the
//! repositories (the shard filter, `--forge` data attached), layers the report-wide
//! configuration, and [`Session::report`] builds the [`Report`] of a window; [`Session::merge`]
//! does the same from the parts of sharded scans. The command line's `scan`, `person`,
//! `check`, `identities` and `merge` are thin callers of it (docs/architecture.md).
//!
//! A session prints nothing: what it has to say (errors of single repositories, warnings,
//! notes, progress) goes to an [`Observer`], which the command line prints on standard error.

use crate::aggregate::{build_report, AggregateOptions};
use crate::config::ConfigBase;
use crate::config::{self, ConfigError, Effective, Layer, Scope};
use crate::date::{parse_user_date, timestamp, Bound, DateError, Period, Timestamp};
use crate::forge::{ForgeData, ForgeError};
use crate::input::InputError;
use crate::model::ConfigInfo;
use crate::model::Report;
use crate::part::PartError;
use crate::rules::CompiledRules;
use crate::scan::{self, RepoProgress, RepoScan, ScanOptions};
use crate::shard::ListError;
use crate::shard::Shard;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a session could not be built: what sinks every repository (a repository that cannot
/// be scanned is an [`Event::Error`] instead). Each is one line naming what and where and what
/// to do; a cause is the error's `source()`, printed after it by [`crate::error::one_line`].
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// `--since` or `--until` is not a date (`flag` names which).
    #[error("{flag}")]
    Date {
        flag: &'static str,
        #[source]
        source: DateError,
    },
    #[error("--since is after --until: the window is empty")]
    EmptyWindow,
    /// The `--mailmap` file could not be read.
    #[error("--mailmap {path}: cannot read")]
    MailmapRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The `--mailmap` file was not read (a FIFO, a device, over the cap).
    #[error("--mailmap {0}")]
    Mailmap(InputError),
    /// The user's configuration file, `--config` or a repository's file.
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot start worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// The `--repos` list could not be read.
    #[error(transparent)]
    RepoList(#[from] ListError),
    #[error("--repos {path}: the list names no repositories (one path a line)")]
    EmptyRepoList { path: String },
    #[error(
        "{output}: inside the git directory of {repo} ({git_dir}); gluework never writes into \
         a repository it scans: write the report somewhere else"
    )]
    OutputInGit {
        output: String,
        repo: String,
        git_dir: String,
    },
    /// A `--forge` folder that cannot be read.
    #[error("--forge {spec}")]
    Forge {
        spec: String,
        #[source]
        source: Box<ForgeError>,
    },
    #[error(
        "--forge {spec}: no scanned repository is named {name} (give the name the report \
         uses, or its path)"
    )]
    ForgeNoSuchName { spec: String, name: String },
    #[error(
        "--forge {spec}: {web_url} is no scanned repository's origin; name the repository \
         with --forge NAME={dir}"
    )]
    ForgeNoOrigin {
        spec: String,
        web_url: String,
        dir: String,
    },
    #[error("--forge {spec}: {repo} already has forge data")]
    ForgeTwice { spec: String, repo: String },
    /// A part file of `gluework merge`, or parts that do not fit together.
    #[error(transparent)]
    Part(#[from] PartError),
    #[error("the parts' period {0:?} is not one this gluework knows")]
    UnknownPeriod(String),
    /// `--team NAME` names no configured team; `known` are the configured ones.
    #[error(
        "--team {team}: no such team (configured teams: {})",
        known_teams(known)
    )]
    NoSuchTeam { team: String, known: Vec<String> },
    #[error("--compare-since needs --since: the start of the window to compare")]
    CompareWithoutSince,
    /// `--compare-since ARG`: the previous window (`start..=end`, as dates) does not end
    /// before this one starts (`since`); `days` is this window's length.
    #[error(
        "--compare-since {arg}: the previous window ({start} to {end}) must end before this \
         one starts (--since {since}); give a date at least {days} days before --since"
    )]
    CompareOverlap {
        arg: String,
        start: String,
        end: String,
        since: String,
        days: i64,
    },
    /// A saved report that could not be read.
    #[error("cannot read {path}")]
    ReportRead {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A saved report that was not read (a FIFO, a device, over the cap).
    #[error("cannot read {0}")]
    ReportNotRead(InputError),
    /// A saved report that is not one this gluework reads.
    #[error("{path}")]
    Report {
        path: String,
        #[source]
        source: crate::model::ReadError,
    },
}

/// The configured teams for a message, or where to read how to configure one.
fn known_teams(known: &[String]) -> String {
    if known.is_empty() {
        "none; see docs/configuration.md".to_string()
    } else {
        known.join(", ")
    }
}

type Result<T, E = SessionError> = std::result::Result<T, E>;

/// The window a report is asked for (`--since/--until/--period/--team`): whose credits count
/// (`since..=until`, by commit date), the timeline's period, and the one team it
/// is about. What is not given here is the configuration's (or, for a merge, the parts'); the
/// window the report was made with, every end resolved, is the report's [`model::Window`].
///
/// [`model::Window`]: crate::model::Window
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowSpec {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// `None`: the configuration's period (else auto).
    pub period: Option<Period>,
    pub team: Option<String>,
}

impl WindowSpec {
    /// `--since` and `--until` as people write them (`2024-01`, `3 months ago`): the window's
    /// ends, checked to be in order. Errors name the flag.
    pub fn parse_dates(
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<(Option<Timestamp>, Option<Timestamp>)> {
        let date = |flag, value: Option<&str>, bound| {
            value
                .map(|s| parse_user_date(s, bound, crate::date::now()))
                .transpose()
                .map_err(|source| SessionError::Date { flag, source })
        };
        let since = date("--since", since, Bound::Start)?;
        let until = date("--until", until, Bound::End)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(SessionError::EmptyWindow);
            }
        }
        Ok((since.map(timestamp), until.map(timestamp)))
    }
}

/// What to scan and how: the library's form of `gluework scan`'s options (each field is the
/// flag of the same name; docs/usage.md says what each does).
#[derive(Debug, Clone, Default)]
pub struct ScanSettings {
    /// Repositories, or folders holding repositories (`.` when empty and no `repos`).
    pub paths: Vec<String>,
    /// A file listing repositories, one path a line.
    pub repos: Option<PathBuf>,
    /// Only the repositories of this shard.
    pub shard: Option<Shard>,
    /// Look for repositories at any depth under folders.
    pub recursive: bool,
    /// The revision (or `A..B` range) to walk in every repository.
    pub rev: Option<String>,
    pub window: WindowSpec,
    /// A configuration file applied after the user's and each repository's.
    pub config: Option<PathBuf>,
    /// A mailmap file applied after each repository's own.
    pub mailmap: Option<PathBuf>,
    /// Pull request folders written by `gluework fetch`: `DIR` or `NAME=DIR`.
    pub forge: Vec<String>,
    /// The notes ref to read review votes from.
    pub notes: Option<String>,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
    /// Read and write no cache of per-commit facts.
    pub no_cache: bool,
    /// The files and folders the caller will write: refused when inside a scanned
    /// repository's git directory (gluework never writes into a repository it reads).
    pub outputs: Vec<PathBuf>,
}

/// How to merge the parts of sharded scans (`gluework merge`).
#[derive(Debug, Clone, Default)]
pub struct MergeSettings {
    /// Part files written by `gluework scan --part`.
    pub parts: Vec<PathBuf>,
    /// The window; what is not given here is the parts' own.
    pub window: WindowSpec,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
}

/// What a session has to say as it goes. Text is as it came (from repositories too): escape
/// it before showing it (`render::plain`).
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A repository that could not be found or scanned; the others go on.
    Error(&'a str),
    /// A warning about one repository.
    Warning { path: &'a str, text: &'a str },
    /// A scanned repository, with its warnings (once each, after all are scanned).
    Scanned(&'a RepoScan),
    /// Something worth knowing that is not wrong (a shard holding no repository).
    Note(&'a str),
    /// How long a step took (`GLUEWORK_TIMING` shows them).
    Timing(&'a str),
}

/// Hears a session's [`Event`]s and draws its progress. `()` hears nothing.
pub trait Observer: Sync {
    /// Something to say, in the order it happened.
    fn event(&self, _event: Event<'_>) {}
    /// A repository's scan begins: what hears its progress until it is dropped (the scan's
    /// end), or `None`.
    fn progress(&self, _repo: &str) -> Option<Box<dyn Progress + '_>> {
        None
    }
}

impl Observer for () {}

/// Hears one repository's progress.
pub trait Progress: Sync {
    fn update(&self, progress: RepoProgress);
}

/// The scanned repositories and the report-wide settings: reports for any window (and with or
/// without bots) are built from one `Session`.
pub struct Session {
    scans: Vec<scan::RepoScan>,
    /// Each scan's pull request data (`--forge`), beside `scans`.
    forge: Vec<Option<Arc<ForgeData>>>,
    /// Repositories that could not be found or scanned (each already told).
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
    /// What a part file of this scan records besides the scans (`None` for a merge).
    part: Option<PartInfo>,
    /// The cache folder (`None`: `--no-cache`, or a merge), for the cache of reports.
    cache_dir: Option<PathBuf>,
    /// A digest of the report-wide settings as layered (`Effective::digest`).
    wide_digest: String,
}

/// How a `Session` is put together from its scans, whether scanned or merged.
struct Assembly {
    scans: Vec<scan::RepoScan>,
    /// Each scan's pull request data (`--forge`), beside `scans`.
    forge: Vec<Option<Arc<ForgeData>>>,
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
    part: Option<PartInfo>,
    cache_dir: Option<PathBuf>,
}

/// What a part file records besides the scans.
struct PartInfo {
    options: crate::part::PartOptions,
    shard: Option<crate::part::PartShard>,
}

impl Session {
    /// Scans the repositories `settings` names. A repository that cannot be found or scanned
    /// is an [`Event::Error`] and the others go on; an error here is one that sinks them all
    /// (a bad configuration file, an output inside a repository, an unknown team).
    pub fn scan(settings: &ScanSettings, observer: &dyn Observer) -> Result<Session> {
        scan_sources(settings, observer)
    }

    /// Merges the parts of sharded scans: checked against each other, then assembled as one
    /// scan of every repository would be.
    pub fn merge(settings: &MergeSettings, observer: &dyn Observer) -> Result<Session> {
        merge_parts(settings, observer)
    }

    /// The report of the session's own window, with or without bots.
    pub fn report(&self, include_bots: bool) -> Report {
        self.report_of(self.since, self.until, include_bots)
    }

    /// The report of the window `since..=until`.
    pub fn report_between(
        &self,
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        include_bots: bool,
    ) -> Report {
        let second = |t: Option<Timestamp>| t.map(|t| t.as_second());
        self.report_of(second(since), second(until), include_bots)
    }

    /// The report of the window `since..=until` (Unix times, as the scan's commit dates).
    fn report_of(&self, since: Option<i64>, until: Option<i64>, include_bots: bool) -> Report {
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
            forge: &self.forge,
        };
        self.pool.install(|| build_report(&self.scans, &opts))
    }

    /// Where the report of the session's own window (with or without bots) is cached, and the
    /// key it must have there (a digest of everything the report is made from: see
    /// [`Session::report_key`]). `None` with `--no-cache`, for a merge, and when nothing was
    /// scanned.
    pub fn report_slot(&self, include_bots: bool) -> Option<crate::report_cache::Slot> {
        let dir = self.cache_dir.as_deref()?;
        if self.scans.is_empty() {
            return None;
        }
        let key = self.report_key(self.since, self.until, include_bots);
        let paths: Vec<String> = self.scans.iter().map(|s| s.path.clone()).collect();
        Some(crate::report_cache::Slot::new(dir, &paths, key))
    }

    /// A digest of everything the report of `since..=until` is made from: this cache's
    /// format and the gluework binary itself (its length and time, so that another build never
    /// serves a report made by this one), the window and options, the report-wide settings,
    /// and for each repository its name, path, tip, warnings, rules, revision range, forge data
    /// and every commit's facts (hashed side by side). Every field of the session and of a
    /// scan is named below, so that a new one cannot be forgotten.
    pub fn report_key(
        &self,
        since: Option<i64>,
        until: Option<i64>,
        include_bots: bool,
    ) -> crate::report_cache::Key {
        use sha2::{Digest, Sha256};
        let Session {
            scans,
            forge,
            failed: _,
            errors: _,
            pool: _,
            base: _,
            rules: _,
            aliases,
            exclude,
            teams,
            team,
            config,
            period,
            regular_months,
            since: _,
            until: _,
            range,
            scan_time: _,
            part: _,
            cache_dir: _,
            wide_digest,
        } = self;
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(b"gluework report key 1");
        field(env!("CARGO_PKG_VERSION").as_bytes());
        field(crate::rules::RULES_VERSION.to_string().as_bytes());
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
            .unwrap_or_default();
        field(exe.as_bytes());
        field(
            format!(
                "{since:?} {until:?} {include_bots} {period:?} {regular_months} {range:?} {team:?}"
            )
            .as_bytes(),
        );
        field(format!("{aliases:?} {exclude:?} {teams:?} {config:?}").as_bytes());
        field(wide_digest.as_bytes());
        for (scan, forge) in scans.iter().zip(forge) {
            let RepoScan {
                name,
                path,
                head,
                remote,
                origin,
                shallow,
                records,
                rewrites,
                warnings,
                rules: _,
                config_digest,
                config_file,
                local_warnings: _,
                warnings_repeated: _,
                outside,
            } = scan;
            field(format!("{name:?} {path:?} {head:?} {remote:?} {origin:?} {shallow} {config_digest:?} {config_file:?}").as_bytes());
            field(format!("{rewrites:?} {warnings:?} {outside:?}").as_bytes());
            field(
                forge
                    .as_deref()
                    .and_then(|f| serde_json::to_vec(f).ok())
                    .unwrap_or_default()
                    .as_slice(),
            );
            // The records, in blocks hashed side by side (a record that cannot be encoded
            // makes a key no other scan has).
            let blocks: Vec<[u8; 32]> = self.pool.install(|| {
                records
                    .par_chunks(4096)
                    .map(|block| match postcard::to_stdvec(block) {
                        Ok(bytes) => Sha256::digest(&bytes).into(),
                        Err(_) => rand_key(),
                    })
                    .collect()
            });
            field(&(records.len() as u64).to_le_bytes());
            for b in &blocks {
                field(b);
            }
        }
        h.finalize().into()
    }

    /// The scanned repositories, in (name, path) order.
    pub fn repositories(&self) -> &[RepoScan] {
        &self.scans
    }

    /// How many repositories could not be found or scanned.
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Whether nothing could be scanned at all.
    pub fn nothing_scanned(&self) -> bool {
        self.scans.is_empty() && self.failed > 0
    }

    /// How long the scan took (zero for a merge).
    pub fn scan_time(&self) -> std::time::Duration {
        self.scan_time
    }

    /// Runs `f` on the session's worker threads (what it does in parallel uses them).
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }

    /// The identity resolver of the scanned repositories (who is who, and why).
    pub fn resolver(&self) -> crate::identity::Resolver {
        self.install(|| {
            crate::aggregate::resolve(&self.scans, &self.forge, &self.rules, &self.aliases)
        })
    }

    /// This scan as a part for `gluework merge` (`None` for a merge). Written even when
    /// nothing could be scanned: a merge needs every shard's part, and the part carries the
    /// errors.
    pub fn part(&self) -> Option<crate::part::Part> {
        let info = self.part.as_ref()?;
        Some(crate::part::Part::new(
            &self.base,
            info.options.clone(),
            info.shard.clone(),
            self.errors.clone(),
            &self.scans,
            &self.forge,
        ))
    }

    /// The previous window for `--compare-since START`: from START, as long as this window (as
    /// many calendar months, when this window is made of whole months).
    /// This window ends at `--until`, or else at the newest commit scanned.
    pub fn previous_window(&self, start: Timestamp, arg: &str) -> Result<(Timestamp, Timestamp)> {
        let start = start.as_second();
        let Some(since) = self.since else {
            return Err(SessionError::CompareWithoutSince);
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
            None => start.saturating_add(until.saturating_sub(since)),
        };
        if end >= since {
            return Err(SessionError::CompareOverlap {
                arg: arg.to_string(),
                start: crate::date::format_day(start),
                end: crate::date::format_day(end),
                since: crate::date::format_day(since),
                days: until.saturating_sub(since) / 86_400 + 1,
            });
        }
        Ok((timestamp(start), timestamp(end)))
    }
}

/// A key no report was cached under (the process id and the time: unique enough for that).
fn rand_key() -> crate::report_cache::Key {
    use sha2::{Digest, Sha256};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Sha256::digest(format!("unencodable {} {now:?}", std::process::id())).into()
}

/// Scans the repositories `args` names, telling errors and warnings to `observer` as it goes.
fn scan_sources(args: &ScanSettings, observer: &dyn Observer) -> Result<Session> {
    let WindowSpec {
        since,
        until,
        period,
        team,
    } = args.window.clone();
    let (since, until) = (since.map(|t| t.as_second()), until.map(|t| t.as_second()));
    let extra_mailmap = match &args.mailmap {
        Some(p) => Some(
            crate::input::read_capped(p, crate::input::MAILMAP, crate::input::Links::Named)
                .map_err(|e| match e {
                    InputError::Io { path, source } => SessionError::MailmapRead { path, source },
                    other => SessionError::Mailmap(other),
                })?,
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
        .map_err(SessionError::Threads)?;

    let (paths, list_digest) = source_paths(args)?;
    let (mut targets, discover_errors) = scan::discover(&paths, args.recursive);
    refuse_outputs_in_git(&targets, &args.outputs)?;
    if let Some(shard) = args.shard {
        targets.retain(|t| shard.contains(&scan::repo_name(t)));
        if targets.is_empty() && discover_errors.is_empty() {
            observer.event(Event::Note(&format!(
                "shard {shard} holds none of the repositories"
            )));
        }
    }
    let mut errors = Vec::new();
    for e in &discover_errors {
        let line = crate::error::one_line(e);
        observer.event(Event::Error(&line));
        errors.push(line);
    }
    let cache_dir = if args.no_cache {
        None
    } else {
        scan::cache::cache_dir()
    };

    // A repository's own file between the user's and --config.
    let rules_for = |file: Option<&scan::ConfigFile>| {
        base.for_file(file.map(|f| (f.name.as_str(), f.text.as_str())))
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    };
    let t0 = std::time::Instant::now();
    let results: Vec<_> = pool.install(|| {
        targets
            .par_iter()
            .map(|t| {
                let bar = observer.progress(&scan::repo_name(t));
                let progress = |p: RepoProgress| {
                    if let Some(bar) = &bar {
                        bar.update(p);
                    }
                };
                let opts = ScanOptions {
                    rev: args.rev.as_deref(),
                    extra_mailmap: extra_mailmap.as_deref(),
                    extra_mailmap_name: extra_name.as_deref(),
                    rules: &rules_for,
                    notes: args.notes.as_deref(),
                    cache: cache_dir.as_deref(),
                    progress: Some(&progress),
                };
                let r = scan::scan_repo(t, &opts);
                drop(bar);
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
                let line = crate::error::one_line(&e);
                observer.event(Event::Error(&line));
                errors.push(line);
            }
        }
    }
    for s in &scans {
        observer.event(Event::Scanned(s));
    }
    let forge = attach_forge(&scans, &args.forge, args.shard.is_some(), observer)?;
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
            period: period.map(|p| p.name().to_string()),
            team: team.clone(),
        },
        shard: args.shard.map(|s| crate::part::PartShard {
            index: s.index,
            count: s.count,
            list: list_digest,
        }),
    };
    assemble(
        Assembly {
            scans,
            forge,
            errors,
            base,
            pool,
            since,
            until,
            period,
            team,
            range: crate::scan::split_range(args.rev.as_deref())
                .0
                .and(args.rev.clone()),
            scan_time,
            part: Some(part),
            cache_dir,
        },
        observer,
    )
}

/// Reads and combines the parts `settings` names; the window is the settings', else the
/// parts'.
fn merge_parts(args: &MergeSettings, observer: &dyn Observer) -> Result<Session> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(SessionError::Threads)?;
    // Parts are read side by side; the first bad one in the order given is the one reported.
    let t = std::time::Instant::now();
    let read: Vec<_> = pool.install(|| {
        args.parts
            .par_iter()
            .map(|path| crate::part::read(path).map(|part| (path.clone(), part)))
            .collect()
    });
    let parts = read.into_iter().collect::<Result<Vec<_>, PartError>>()?;
    observer.event(Event::Timing(&format!(
        "reading {} parts {:?}",
        parts.len(),
        t.elapsed()
    )));
    let window = &args.window;
    let chosen = crate::part::Chosen {
        window: window.since.is_some() || window.until.is_some(),
        period: window.period.is_some(),
        team: window.team.is_some(),
    };
    let merged = crate::part::combine(parts, chosen)?;
    for e in &merged.errors {
        observer.event(Event::Error(e));
    }
    for s in &merged.scans {
        for w in &s.warnings {
            observer.event(Event::Warning {
                path: &s.path,
                text: w,
            });
        }
    }
    let opts = &merged.options;
    let (since, until) = if chosen.window {
        let second = |t: Option<Timestamp>| t.map(|t| t.as_second());
        (second(window.since), second(window.until))
    } else {
        (opts.since, opts.until)
    };
    let period = match window.period {
        Some(p) => Some(p),
        None => match opts.period.as_deref() {
            None => None,
            Some(name) => Some(
                Period::parse(name).ok_or_else(|| SessionError::UnknownPeriod(name.to_string()))?,
            ),
        },
    };
    let team = window.team.clone().or_else(|| opts.team.clone());
    assemble(
        Assembly {
            scans: merged.scans,
            forge: merged.forge,
            errors: merged.errors,
            base: merged.base,
            pool,
            since,
            until,
            period,
            team,
            range: None,
            scan_time: std::time::Duration::ZERO,
            part: None,
            cache_dir: None,
        },
        observer,
    )
}

/// Loads `--forge` folders and attaches each to its repository: by `NAME=`, else by the
/// repository's origin. In a shard, a folder whose repository is in another shard is skipped.
/// Returns each scan's forge data, beside `scans`.
fn attach_forge(
    scans: &[scan::RepoScan],
    specs: &[String],
    sharded: bool,
    observer: &dyn Observer,
) -> Result<Vec<Option<Arc<ForgeData>>>> {
    let mut attached: Vec<Option<Arc<ForgeData>>> = vec![None; scans.len()];
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
        let data = crate::forge::load(Path::new(dir)).map_err(|source| SessionError::Forge {
            spec: spec.clone(),
            source: Box::new(source),
        })?;
        let found = match name {
            Some(n) => scans.iter().position(|s| s.name == n || s.path == n),
            None => {
                let want = norm(&data.web_url);
                // A self-hosted forge (any host, http or https): the origin's host and path.
                let key = crate::scan::remote::origin_key(&data.web_url);
                scans.iter().position(|s| {
                    s.remote.as_ref().is_some_and(|r| norm(&r.url) == want)
                        || (key.is_some() && s.origin == key)
                })
            }
        };
        let Some(index) = found else {
            if sharded {
                observer.event(Event::Note(&format!(
                    "--forge {spec}: its repository is not in this shard; skipped"
                )));
                continue;
            }
            return Err(match name {
                Some(n) => SessionError::ForgeNoSuchName {
                    spec: spec.clone(),
                    name: n.to_string(),
                },
                None => SessionError::ForgeNoOrigin {
                    spec: spec.clone(),
                    web_url: data.web_url,
                    dir: dir.to_string(),
                },
            });
        };
        if attached[index].is_some() {
            return Err(SessionError::ForgeTwice {
                spec: spec.clone(),
                repo: scans[index].name.clone(),
            });
        }
        attached[index] = Some(Arc::new(data));
    }
    Ok(attached)
}

/// The report-wide settings around the scans: the user's file, every repository's file (by
/// name), `--config`. Repositories are put in (name, path) order, so a report does not depend
/// on the order repositories were named in, and a merge of parts equals one scan.
fn assemble(a: Assembly, observer: &dyn Observer) -> Result<Session> {
    let Assembly {
        scans,
        forge,
        errors,
        base,
        pool,
        since,
        until,
        period,
        team,
        range,
        scan_time,
        part,
        cache_dir,
    } = a;
    let mut repos: Vec<_> = scans.into_iter().zip(forge).collect();
    repos.sort_by(|(a, _), (b, _)| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
    let (mut scans, forge): (Vec<_>, Vec<_>) = repos.into_iter().unzip();
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
    // Each repository's own file, as its scan judged it (a file that does not parse stopped
    // that scan, or that part's merge).
    let own_layers = scans
        .iter()
        .map(|s| {
            s.config_file
                .as_ref()
                .map(|f| Layer::parse(&f.name, &f.text))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (s, layer) in scans.iter_mut().zip(&own_layers) {
        let Some(layer) = layer else {
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
            observer.event(Event::Warning {
                path: &s.path,
                text: &w,
            });
            s.warnings.push(w);
        }
    }
    let user = base.user.iter().map(|l| (l, Scope::ReportWide));
    let repo_layers = own_layers.iter().flatten().map(|l| (l, repo_scope));
    let cli = base.cli.iter().map(|l| (l, Scope::ReportWide));
    for (layer, scope) in user.chain(repo_layers).chain(cli) {
        wide.apply(layer, scope)?;
        sources.push(layer.name.clone());
    }
    if let Some(team) = &team {
        if !wide.teams.contains_key(team) {
            return Err(SessionError::NoSuchTeam {
                team: team.clone(),
                known: wide.teams.keys().cloned().collect(),
            });
        }
    }
    let digest = base.digest.clone();
    let wide_digest = wide.digest(Scope::All);
    let rules = CompiledRules::new(wide.rules()).map_err(|source| ConfigError::Rules {
        name: "configuration".to_string(),
        source: Box::new(source),
    })?;
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
    Ok(Session {
        scans,
        forge,
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
        part,
        cache_dir,
        wide_digest,
    })
}

/// The paths to scan: the PATH arguments, then the `--repos` list (`.` when neither is
/// given). With `--shard`, paths that do not exist are kept only in the shard their name
/// hashes to, so a missing repository is reported by one job, not by every one.
/// Also returns the digest of the whole list (before the shard is chosen).
fn source_paths(args: &ScanSettings) -> Result<(Vec<String>, String)> {
    let mut paths = args.paths.clone();
    if let Some(list) = &args.repos {
        let listed = crate::shard::read_repo_list(list)?;
        if listed.is_empty() && paths.is_empty() {
            return Err(SessionError::EmptyRepoList {
                path: list.display().to_string(),
            });
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
            return Err(SessionError::OutputInGit {
                output: given.display().to_string(),
                repo: t.display.to_string(),
                git_dir: git_dir.display().to_string(),
            });
        }
    }
    Ok(())
}

/// The user's configuration file (if it exists) and `--config FILE` (which must).
pub fn read_layers(cli: Option<&Path>) -> Result<(Option<Layer>, Option<Layer>)> {
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
                InputError::Io { source, .. } => SessionError::ReportRead {
                    path: path.display().to_string(),
                    source,
                },
                other => SessionError::ReportNotRead(other),
            })?;
    // Parse errors quote none of the file's text: it may be anything.
    let quiet = |e: &serde_json::Error| crate::input::unquote(&e.to_string(), &[]);
    Report::from_json(&text, quiet).map_err(|source| SessionError::Report {
        path: path.display().to_string(),
        source,
    })
}
