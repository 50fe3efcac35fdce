//! `gluework identities`: who was joined and why.

use crate::commands::{left_for_exit, partial_exit, scan_sources, EXIT_ERROR};
use crate::output::write_stdout;
use crate::render;
use anyhow::Result;

/// `gluework identities`: who was joined and why, and what is likely one person but was not.
pub(crate) fn identities_command(args: crate::cli::IdentitiesArgs) -> Result<i32> {
    let session = scan_sources(&args.source, &[], crate::output::SCAN_JSON)?;
    if session.nothing_scanned() {
        eprintln!("error: no repository could be scanned");
        return Ok(EXIT_ERROR);
    }
    let text = session
        .install(|| crate::identity::duplicates::listing(&session.resolver(), &render::plain));
    write_stdout(&text)?;
    let code = partial_exit(
        session.failed(),
        session.repositories().len(),
        "the listing covers the others",
    );
    left_for_exit(session);
    Ok(code)
}
