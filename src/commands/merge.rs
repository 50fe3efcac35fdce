//! `gluework merge`: the parts of sharded scans as one report.

use crate::cli::MergeArgs;
use crate::commands::{finish_report, left_for_exit, parse_compare};
use crate::date::Period;
use crate::output::check_events_arg;
use crate::render;
use crate::session::{assemble, parse_window_of, period_of, Assembly};
use anyhow::{Context, Result};

/// `gluework merge`: parts of shards, checked against each other, aggregated as one scan.
pub(crate) fn merge_command(args: MergeArgs) -> Result<i32> {
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
