//! `gluework fetch github|gitlab`: a forge's pull requests into a folder.

use crate::render;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// `gluework fetch github|gitlab REPO --out DIR`: the forge's data into DIR (docs/forge.md).
pub(crate) fn fetch_command(cmd: crate::cli::FetchCommand) -> Result<i32> {
    use crate::forge::{fetch, ForgeKind};
    let (forge, args) = match cmd {
        crate::cli::FetchCommand::Github(a) => (ForgeKind::Github, a),
        crate::cli::FetchCommand::Gitlab(a) => (ForgeKind::Gitlab, a),
    };
    let opts = fetch::FetchOptions {
        forge,
        repo: args.repo,
        out: args.out,
        api_url: args.api_url,
        token: fetch::resolve_token(forge, args.token_file.as_deref())?,
        since: args.since,
        full: args.full,
        max_wait: fetch::max_wait_from_env()?,
        longest_wait: std::time::Duration::from_secs(args.max_wait),
        max_pages: args.max_pages,
        timeout: std::time::Duration::from_secs(args.timeout),
    };
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {eta}")
            .expect("valid template")
            .progress_chars("=> ");
        let bar = ProgressBar::new(0).with_style(style);
        bar.set_prefix(forge.pulls_noun());
        bar
    } else {
        ProgressBar::hidden()
    };
    let summary = fetch::fetch(&opts, &|event| match event {
        fetch::FetchEvent::Note(line) if !args.quiet => {
            bar.suspend(|| eprintln!("{}", render::plain(line)))
        }
        fetch::FetchEvent::Note(_) => {}
        fetch::FetchEvent::Waiting(line) | fetch::FetchEvent::Warning(line) => {
            bar.suspend(|| eprintln!("{}", render::plain(line)))
        }
        fetch::FetchEvent::Listed(n) => bar.set_length(n),
        fetch::FetchEvent::PullDone => bar.inc(1),
    });
    bar.finish_and_clear();
    let summary = summary?;
    if !args.quiet {
        eprintln!("{}", render::plain(&summary.to_string()));
    }
    Ok(0)
}
