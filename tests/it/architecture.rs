//! The arrows of docs/architecture.md, kept true: every `crate::` path in `src/` (outside
//! comments) is checked against the modules its layer may use. A new arrow fails here, naming
//! the file and the line; if it is meant, change the table below and the picture in
//! docs/architecture.md together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What each top-level module of `src/` may import (besides itself). The low modules
/// (`LOW`) may be used by anyone.
const ALLOWED: &[(&str, &[&str])] = &[
    // The binary's edge.
    (
        "commands",
        &[
            "cli",
            "output",
            "session",
            "config",
            "scan",
            "forge",
            "identity",
            "part",
            "render",
            "report",
            "model",
            "rules",
            "report_cache",
        ],
    ),
    ("output", &["cli", "session", "scan", "render", "model"]),
    ("cli", &[]),
    // The library's front door and the shards' parts.
    (
        "session",
        &[
            "aggregate",
            "part",
            "forge",
            "config",
            "scan",
            "identity",
            "rules",
            "model",
            "report_cache",
        ],
    ),
    // The cache of reports: bytes under a key the session computes.
    ("report_cache", &[]),
    (
        "part",
        &[
            "config", "forge", "scan", "classify", "identity", "rules", "model",
        ],
    ),
    // The report and what reads it.
    ("render", &["report", "model"]),
    ("report", &["model"]),
    ("model", &[]),
    // Building the report (pull request links through report::links).
    (
        "aggregate",
        &[
            "scan", "forge", "identity", "classify", "rules", "model", "report",
        ],
    ),
    // The input side.
    ("scan", &["config", "classify", "identity", "rules"]),
    ("forge", &[]),
    ("config", &["identity", "rules"]),
    // Known exceptions: classify and identity import each other, as do rules and identity.
    ("classify", &["identity", "rules"]),
    ("identity", &["classify", "rules"]),
    ("rules", &["identity"]),
    // The history generator (gluework-genrepo, the accuracy tests, bench/): a tool beside the
    // pipeline, used by no layer.
    ("genrepo", &[]),
];

/// Modules any layer may use: they import nothing above them.
const LOW: &[&str] = &[
    "FastMap", "category", "date", "id", "input", "fsio", "figures", "shard", "lockfile",
];

/// Items a layer may not use even from a module it may import: (layer, forbidden path,
/// why).
const FORBIDDEN: &[(&str, &str, &str)] = &[
    (
        "scan",
        "config::Effective",
        "the configuration's layering is config's (ConfigBase::for_repo)",
    ),
    (
        "scan",
        "config::Scope",
        "the configuration's layering is config's (ConfigBase::for_repo)",
    ),
    (
        "part",
        "RepoScan {",
        "a part builds scans back with RepoScan::rebuilt, not by filling scan's fields",
    ),
];

/// The `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Each `crate::NAME` a line uses (a line comment's text left out).
fn crate_paths(line: &str) -> Vec<&str> {
    let code = match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    };
    code.match_indices("crate::")
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(i, m)| {
            let rest = &code[i + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn imports_follow_the_arrows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut broken = Vec::new();
    let mut seen_layers = Vec::new();
    for file in rust_files(&src) {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The binaries (main.rs, bin/) are above everything; lib.rs only declares modules.
        if rel == "main.rs" || rel == "lib.rs" || rel.starts_with("bin/") {
            continue;
        }
        let layer = rel.split('/').next().unwrap().trim_end_matches(".rs");
        seen_layers.push(layer.to_string());
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for (l, forbidden, why) in FORBIDDEN {
                if *l == layer && line.contains(forbidden) && !line.trim_start().starts_with("//") {
                    broken.push(format!("src/{rel}:{}: uses {forbidden}: {why}", n + 1));
                }
            }
            for used in crate_paths(line) {
                if used == layer || LOW.contains(&used) {
                    continue;
                }
                let ok = match allowed.get(layer) {
                    Some(list) => list.contains(&used),
                    None => false,
                };
                if !ok {
                    broken.push(format!(
                        "src/{rel}:{}: {layer} imports crate::{used}, an arrow \
                         docs/architecture.md does not allow",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "arrows broken:\n{}", broken.join("\n"));
    // Every layer of src/ is in the table (a new module must be placed in the picture).
    for layer in &seen_layers {
        assert!(
            allowed.contains_key(layer.as_str()) || LOW.contains(&layer.as_str()),
            "src/{layer}: a module docs/architecture.md does not place; add it to ALLOWED \
             or LOW in this test, and to the picture"
        );
    }
}

#[test]
fn the_checker_sees_imports() {
    assert_eq!(
        crate_paths("use crate::render::plain; // crate::model"),
        ["render"]
    );
    assert_eq!(
        crate_paths("    let x = crate::scan::remote::web_remote(u) + mycrate::y;"),
        ["scan"]
    );
    assert!(crate_paths("/// see [`crate::model`]").is_empty());
}
