//! `gluework config default|show`.

use crate::cli::ConfigShowArgs;
use crate::config::{Effective, Layer, Scope};
use crate::render;
use crate::rules::CompiledRules;
use crate::scan::{self};
use crate::session::read_layers;
use anyhow::{bail, Context, Result};

pub(crate) fn config_show(args: ConfigShowArgs) -> Result<i32> {
    let (user, cli) = read_layers(args.config.as_deref())?;
    let (targets, errors) = scan::discover(std::slice::from_ref(&args.path), false);
    if let Some(e) = errors.into_iter().next() {
        bail!(e);
    }
    let Some(target) = targets.first() else {
        bail!("{}: no repository found", args.path);
    };
    let repo_layer = scan::repo_config(target, args.rev.as_deref())?
        .map(|f| Layer::parse_committed(&f.name, &f.text))
        .transpose()
        .with_context(|| target.display.clone())?;
    let mut eff = Effective::defaults();
    for layer in [user.as_ref(), repo_layer.as_ref(), cli.as_ref()]
        .into_iter()
        .flatten()
    {
        eff.apply(layer, Scope::All)?;
    }
    CompiledRules::new(eff.rules()).context("configuration")?;
    println!(
        "# Effective gluework configuration for {}",
        render::plain(&target.display)
    );
    println!(
        "# Sources, later refining earlier: {}",
        eff.sources.join(" < ")
    );
    println!();
    print!("{}", eff.to_toml(true, Scope::All));
    Ok(0)
}
