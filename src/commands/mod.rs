//! The binary's edge: runs a parsed command, prints errors as one line each, and returns the
//! exit code. Library errors are typed; here they become `anyhow` messages for people.
//! One file per subcommand; the pipeline they share is [`crate::session`], the files they
//! write [`crate::output`].

mod check;
mod completions;
mod config;
#[cfg(test)]
mod error_chains;
mod fetch;
mod identities;
mod merge;
mod person;
mod render;
mod scan;

use check::check_command;
use completions::{completions_command, man_command};
use config::config_show;
use fetch::fetch_command;
use identities::identities_command;
use merge::merge_command;
use person::person_command;
use render::render_command;
use scan::scan_command;

use crate::cli::{Cli, Command, ConfigCommand, OutputArgs, SourceArgs, WindowArgs};
use crate::date::{parse_user_date, Bound};
use crate::model::Report;
use crate::output::{write_outputs, Terminal, SCAN_JSON};
use crate::session::{read_report, ScanSettings, Session, WindowSpec};
use anyhow::{Context, Result};

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
            print!("{}", crate::config::default_toml());
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
            eprintln!("error: {}", crate::render::plain(&one_line(&e)));
            EXIT_ERROR
        }
    }
}

/// An error and its causes on one line.
pub(crate) fn one_line(e: &anyhow::Error) -> String {
    crate::error::one_line(e.as_ref())
}

/// Prints the closing line for repositories that failed; the exit code for the run.
pub(crate) fn partial_exit(failed: usize, scanned: usize, what: &str) -> i32 {
    if failed == 0 {
        return 0;
    }
    eprintln!(
        "error: {failed} of {} repositories could not be scanned; {what}",
        failed + scanned
    );
    EXIT_PARTIAL
}

/// Leaves a large value for the operating system to reclaim when the process exits, which it
/// does right after the command. Freeing the records of a 100k-commit history one allocation
/// at a time took a quarter of a second (docs/performance.md).
pub(crate) fn left_for_exit<T>(value: T) {
    std::mem::forget(value);
}

pub(crate) fn parse_compare(arg: Option<&str>) -> Result<Option<crate::date::Timestamp>> {
    arg.map(|s| parse_user_date(s, Bound::Start, crate::date::now()).map(crate::date::timestamp))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--compare-since")
}

/// The report of a scan or a merge, written to the outputs; the exit code.
pub(crate) fn finish_report(
    scanned: &Session,
    compare: Option<crate::date::Timestamp>,
    compare_arg: Option<&str>,
    output: &OutputArgs,
    quiet: bool,
) -> Result<i32> {
    let include_bots = output.include_bots;
    let timing = std::env::var_os("GLUEWORK_TIMING").is_some();
    let t = std::time::Instant::now();
    // The cache of reports: the same repositories at the same commits, with the same rules,
    // options and window, give the same report (docs/performance.md, "Incremental re-scans").
    let slot = scanned.report_slot(include_bots);
    let cached = slot.as_ref().and_then(|slot| {
        let (cached, warning) = slot.load();
        if let (Some(w), false) = (warning, quiet) {
            eprintln!("warning: {}", crate::render::plain(&w));
        }
        cached
    });
    if timing && slot.is_some() {
        eprintln!(
            "timing: report cache {} {:?}",
            if cached.is_some() { "hit" } else { "miss" },
            t.elapsed()
        );
    }
    if let Some(cached) = &cached {
        // Only the JSON text is asked for: written as it is, no model made.
        let text_only = quiet
            && compare.is_none()
            && output.out.is_none()
            && output.csv.is_none()
            && output.events.is_none();
        if text_only {
            let t = std::time::Instant::now();
            if let Some(file) = output.json.as_deref() {
                crate::output::write_json_output(file, crate::output::Json::Text(cached.json()))?;
            }
            if timing {
                eprintln!("timing: outputs {:?}", t.elapsed());
            }
            return Ok(partial_exit(
                scanned.failed(),
                scanned.repositories().len(),
                "the report covers the others",
            ));
        }
    }
    let from_cache = cached.as_ref().and_then(|c| {
        let text = std::str::from_utf8(c.json()).ok()?;
        let report = Report::from_json(text, |e| e.to_string()).ok();
        if report.is_none() && !quiet {
            eprintln!(
                "warning: cache file {} holds no report this gluework reads; ignored and rebuilt",
                crate::render::plain(&slot.as_ref()?.path().display().to_string())
            );
        }
        if let (Some(_), false) = (&report, quiet) {
            for w in &c.warnings {
                eprintln!("warning: {}", crate::render::plain(w));
            }
        }
        report
    });
    let text = from_cache
        .is_some()
        .then(|| cached.as_ref().map(|c| c.json()))
        .flatten();
    let report = match from_cache {
        Some(report) => report,
        None => main_report(scanned, include_bots, quiet),
    };
    if scanned.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(EXIT_ERROR);
    }
    let previous = match (compare, compare_arg) {
        (Some(start), Some(arg)) => {
            let (since, until) = scanned.previous_window(start, arg)?;
            Some(scanned.report_between(Some(since), Some(until), include_bots))
        }
        _ => None,
    };
    let t = std::time::Instant::now();
    scanned.install(|| write_outputs(&report, output, previous.as_ref(), quiet, None, text))?;
    if timing {
        eprintln!("timing: outputs {:?}", t.elapsed());
    }
    if let (Some(slot), None) = (&slot, text) {
        let t = std::time::Instant::now();
        let saved = scanned.install(|| save_report(slot, &report, output));
        if let (Err(e), false) = (saved, quiet) {
            eprintln!(
                "warning: cannot save the report in the cache: {}",
                crate::render::plain(&e.to_string())
            );
        }
        if timing {
            eprintln!("timing: report cache save {:?}", t.elapsed());
        }
    }
    left_for_exit(report);
    left_for_exit(previous);
    Ok(partial_exit(
        scanned.failed(),
        scanned.repositories().len(),
        "the report covers the others",
    ))
}

/// Saves a report in the cache of reports: its JSON text copied from the JSON file just
/// written (`--json FILE`, else `--out DIR`'s), or made again when there is none.
fn save_report(
    slot: &crate::report_cache::Slot,
    report: &Report,
    output: &OutputArgs,
) -> std::result::Result<(), crate::report_cache::SaveError> {
    let written = match (output.json.as_deref(), &output.out) {
        (Some(file), _) if file != "-" => Some(PathBuf::from(file)),
        (_, Some(dir)) => Some(dir.join("gluework.json")),
        _ => None,
    };
    // Only a regular file (never a FIFO or a device the JSON went to), read to its end.
    let copied = written.and_then(|path| {
        crate::input::open_regular(&path, crate::input::Links::Follow)
            .ok()
            .map(|(file, _)| file)
    });
    slot.save(&report.warnings, |w| match copied {
        Some(mut file) => std::io::copy(&mut file, w).map(|_| ()),
        None => crate::render::write_json(report, w),
    })
}

/// The report `person` and `check` work on: a saved one (`--report`) or a fresh scan. Returns
/// the report and the number of repositories that failed, or an exit code when nothing could be
/// scanned.
pub(crate) fn report_for(
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
    let scanned = scan_sources(source, outputs, SCAN_JSON)?;
    let report = main_report(&scanned, include_bots, source.quiet);
    if scanned.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(Err(EXIT_ERROR));
    }
    Ok(Ok((report, scanned.failed(), scanned.repositories().len())))
}

/// `--since`, `--until`, `--period` and `--team` as the library's window.
pub(crate) fn window(args: &WindowArgs) -> Result<WindowSpec> {
    let (since, until) = WindowSpec::parse_dates(args.since.as_deref(), args.until.as_deref())?;
    Ok(WindowSpec {
        since,
        until,
        period: args.period.map(Into::into),
        team: args.team.clone(),
    })
}

/// Scans the repositories `args` names, printing errors (and warnings and progress, unless
/// quiet) on standard error as it goes. `outputs` are the files and folders the command
/// writes; `details` where the folded warnings can be read in full
/// ([`crate::output::warnings_home`]).
pub(crate) fn scan_sources(
    args: &SourceArgs,
    outputs: &[PathBuf],
    details: &str,
) -> Result<Session> {
    let settings = ScanSettings {
        window: window(&args.window)?,
        paths: args.paths.clone(),
        repos: args.repos.clone(),
        shard: args.shard,
        recursive: args.recursive,
        rev: args.rev.clone(),
        config: args.config.clone(),
        mailmap: args.mailmap.clone(),
        forge: args.forge.clone(),
        notes: args.notes.clone(),
        threads: args.threads,
        no_cache: args.no_cache,
        outputs: outputs.to_vec(),
    };
    let terminal = Terminal::new(args.quiet, args.progress, details);
    Ok(Session::scan(&settings, &terminal)?)
}

/// The report of the session's own window, its warnings printed unless `quiet`.
pub(crate) fn main_report(session: &Session, include_bots: bool, quiet: bool) -> Report {
    let t1 = std::time::Instant::now();
    let report = session.report(include_bots);
    if std::env::var_os("GLUEWORK_TIMING").is_some() {
        eprintln!(
            "timing: scan {:?} aggregate {:?}",
            session.scan_time(),
            t1.elapsed()
        );
    }
    if !quiet {
        for w in &report.warnings {
            eprintln!("warning: {}", crate::render::plain(w));
        }
    }
    report
}
