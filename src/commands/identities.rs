//! `gluework identities`: who was joined and why.

use crate::commands::{left_for_exit, partial_exit, EXIT_ERROR};
use crate::output::write_stdout;
use crate::render;
use crate::session::scan_sources;
use anyhow::Result;

/// `gluework identities`: who was joined and why, and what is likely one person but was not.
pub(crate) fn identities_command(args: crate::cli::IdentitiesArgs) -> Result<i32> {
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
