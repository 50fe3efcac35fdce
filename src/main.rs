use clap::Parser;

fn main() {
    let cli = gluework::cli::Cli::parse();
    std::process::exit(gluework::commands::run(cli));
}
