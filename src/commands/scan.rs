//! `gluework scan`: repositories in, the report's outputs out.

use crate::cli::ScanArgs;
use crate::commands::{finish_report, left_for_exit, parse_compare, scan_sources};
use crate::output::{
    check_events_arg, output_paths, probe_outputs, warnings_home, write_atomic_with,
};
use anyhow::{bail, Result};
use std::path::Path;

pub(crate) fn scan_command(args: ScanArgs) -> Result<i32> {
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
    let details = warnings_home(Some(&args.output), None, "gluework scan --json FILE");
    let session = scan_sources(&args.source, &outputs, &details)?;
    if let (Some(file), Some(part)) = (&args.part, session.part()) {
        // Written even when nothing could be scanned: a merge needs every shard's part, and
        // the part carries the errors.
        let gzip = crate::part::wants_gzip(file);
        write_atomic_with(Path::new(file), |w| part.write_to(w, gzip))?;
    }
    let code = finish_report(
        &session,
        compare,
        args.compare_since.as_deref(),
        &args.output,
        args.source.quiet,
    );
    left_for_exit(session);
    code
}
