//! `gluework completions SHELL` and `gluework man [SUBCOMMAND…]`.

use crate::cli::Cli;
use crate::output::write_stdout;
use anyhow::{bail, Context, Result};

/// `gluework completions SHELL`: the shell's completion script for every subcommand and option.
pub(crate) fn completions_command(args: &crate::cli::CompletionsArgs) -> Result<i32> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "gluework", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(0)
}

/// `gluework man [SUBCOMMAND…]`: the manual page in roff, of gluework or of one subcommand
/// (named `gluework-scan`, `gluework-fetch-github`, as git names its pages).
pub(crate) fn man_command(args: &crate::cli::ManArgs) -> Result<i32> {
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
