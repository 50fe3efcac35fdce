use clap::Parser;

fn main() {
    // Read repositories owned by other users (a CI checkout, a mounted volume): the read-only
    // scan runs no hooks and no configured programs, so git's `safe.directory` protection has
    // nothing to protect here. The binary's choice, not the library's (docs/usage.md).
    // SAFETY: called once, before any thread is started or any repository opened.
    unsafe {
        let _ = git2::opts::set_verify_owner_validation(false);
    }
    let cli = gluework::cli::Cli::parse();
    std::process::exit(gluework::commands::run(cli));
}
