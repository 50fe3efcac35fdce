//! `gluework merge`: the parts of sharded scans as one report.

use crate::cli::{MergeArgs, ProgressChoice};
use crate::commands::{finish_report, left_for_exit, parse_compare, window};
use crate::output::{check_events_arg, warnings_home, Terminal};
use crate::session::{MergeSettings, Session};
use anyhow::Result;

/// `gluework merge`: parts of shards, checked against each other, aggregated as one scan.
pub(crate) fn merge_command(args: MergeArgs) -> Result<i32> {
    let compare = parse_compare(args.compare_since.as_deref())?;
    check_events_arg(&args.output)?;
    let settings = MergeSettings {
        parts: args.parts.clone(),
        window: window(&args.window)?,
        threads: args.threads,
    };
    let details = warnings_home(Some(&args.output), None, "--json FILE");
    let terminal = Terminal::new(args.quiet, ProgressChoice::Never, &details);
    let session = Session::merge(&settings, &terminal)?;
    let code = finish_report(
        &session,
        compare,
        args.compare_since.as_deref(),
        &args.output,
        args.quiet,
    );
    left_for_exit(session);
    code
}
