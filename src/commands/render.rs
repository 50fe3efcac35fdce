//! `gluework render`: a saved report's outputs, without the repositories.

use crate::cli::RenderArgs;
use crate::output::{check_events_arg, write_outputs};
use crate::session::read_report;
use anyhow::{Context, Result};

pub(crate) fn render_command(args: RenderArgs) -> Result<i32> {
    check_events_arg(&args.output)?;
    let path = args
        .report
        .as_deref()
        .or(args.report_flag.as_deref())
        .context("render needs a saved report: REPORT.json or --report REPORT.json")?;
    let report = read_report(path)?;
    write_outputs(&report, &args.output, None, args.quiet, Some(path), None)?;
    Ok(0)
}
