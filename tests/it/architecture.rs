//! The arrows of docs/architecture.md, kept true: every `crate::` path in `src/` (outside
//! comments) is checked against the modules its layer may use. A new arrow fails here, naming
//! the file and the line; if it is meant, change the table below and the picture in
//! docs/architecture.md together. And no function in `src/` is longer than 150 lines
//! (docs/architecture.md, "Function length").

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
            "config", "forge", "scan", "classify", "identity", "ident", "rules", "model",
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
            "scan", "forge", "identity", "ident", "classify", "rules", "model", "report",
        ],
    ),
    // The input side.
    ("scan", &["classify", "identity", "ident", "rules"]),
    ("forge", &[]),
    ("config", &["identity", "rules"]),
    // Who is who (identity) reads what each commit is and whom it names (classify); both, and
    // the rules, share the identities as written (ident), which uses none of them.
    ("identity", &["classify", "ident", "rules"]),
    ("classify", &["ident", "rules"]),
    ("rules", &["ident"]),
    ("ident", &[]),
    // The history generator (gluework-genrepo, the accuracy tests, bench/): a tool beside the
    // pipeline, used by no layer.
    ("genrepo", &[]),
];

/// Modules any layer may use: they import nothing above them.
const LOW: &[&str] = &[
    "FastMap", "category", "date", "error", "id", "input", "fsio", "figures", "shard", "lockfile",
];

/// Items a layer may not use even from a module it may import: (layer, forbidden path,
/// why).
const FORBIDDEN: &[(&str, &str, &str)] = &[(
    "part",
    "RepoScan {",
    "a part builds scans back with RepoScan::rebuilt, not by filling scan's fields",
)];

/// The `.rs` files of `src/`, sorted: each path relative to `src/` (`render/chart/mod.rs`),
/// and its text.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    rust_files(&src)
        .into_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap();
            (rel, text)
        })
        .collect()
}

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
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut broken = Vec::new();
    let mut seen_layers = Vec::new();
    for (rel, text) in sources() {
        // The binaries (main.rs, bin/) are above everything; lib.rs only declares modules.
        if rel == "main.rs" || rel == "lib.rs" || rel.starts_with("bin/") {
            continue;
        }
        let layer = rel.split('/').next().unwrap().trim_end_matches(".rs");
        seen_layers.push(layer.to_string());
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

/// The longest a function in `src/` may be, in lines from its `fn` line to its closing brace
/// (docs/architecture.md: a longer one is split into named steps).
const MAX_FUNCTION_LINES: usize = 150;

/// Functions still longer than `MAX_FUNCTION_LINES`, each with its file (under `src/`) and why
/// it is here: they are split on their owners' branches, and each line goes when its branch
/// lands (an entry whose function is no longer too long fails the test, so the list only
/// shrinks).
const LONG_FUNCTIONS: &[(&str, &str, &str)] = &[];

/// `text` with the contents of comments, string literals (raw ones too) and character literals
/// blanked to spaces, newlines kept: what is left are the code's own braces, on their lines.
fn code_only(text: &str) -> Vec<char> {
    let s: Vec<char> = text.chars().collect();
    let mut out = s.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in &mut out[from..to.min(s.len())] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < s.len() {
        let at = |k: usize| s.get(k).copied().unwrap_or('\0');
        let start = i;
        if at(i) == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if at(i) == '/' && at(i + 1) == '*' {
            // Block comments nest.
            let mut depth = 0;
            loop {
                if i >= s.len() {
                    break;
                } else if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if at(i) == 'r'
            && (i == 0 || !ident(at(i - 1)) || (at(i - 1) == 'b' && (i < 2 || !ident(at(i - 2)))))
            && {
                let mut k = i + 1;
                while at(k) == '#' {
                    k += 1;
                }
                at(k) == '"'
            }
        {
            // A raw string: r"…", r#"…"#, br"…".
            let mut k = i + 1;
            while at(k) == '#' {
                k += 1;
            }
            let hashes = k - i - 1;
            i = k + 1;
            while i < s.len() && !(s[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#')) {
                i += 1;
            }
            i += 1 + hashes;
        } else if at(i) == '"' {
            i += 1;
            while i < s.len() && s[i] != '"' {
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if at(i) == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A character literal ('{', '\'', '\u{7b}'); a lifetime ('a) has no closing quote.
            i += 1;
            while i < s.len() && s[i] != '\'' {
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else {
            i += 1;
            continue;
        }
        blank(&mut out, start, i);
    }
    out
}

/// Each function with a body in `text`: (name, line of its `fn`, lines up to its closing
/// brace). Functions inside functions, impls and test modules count too; a trait's function
/// without a body does not.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let s = code_only(text);
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut line_of = Vec::with_capacity(s.len());
    let mut line = 1;
    for &c in &s {
        line_of.push(line);
        if c == '\n' {
            line += 1;
        }
    }
    let mut found = Vec::new();
    for i in 0..s.len().saturating_sub(2) {
        let is_fn = s[i] == 'f'
            && s[i + 1] == 'n'
            && s[i + 2].is_whitespace()
            && (i == 0 || !ident(s[i - 1]));
        if !is_fn {
            continue;
        }
        let mut k = i + 2;
        while k < s.len() && s[k].is_whitespace() {
            k += 1;
        }
        let name: String = s[k..].iter().take_while(|&&c| ident(c)).collect();
        if name.is_empty() {
            continue; // `fn (…)`: a function pointer's type
        }
        // The body's opening brace, unless a `;` ends the declaration first.
        let mut nest = 0i32;
        let mut open = None;
        while k < s.len() {
            match s[k] {
                '(' | '[' => nest += 1,
                ')' | ']' => nest -= 1,
                ';' if nest == 0 => break,
                '{' if nest == 0 => {
                    open = Some(k);
                    break;
                }
                _ => {}
            }
            k += 1;
        }
        let Some(open) = open else { continue };
        let mut depth = 0;
        for (j, &c) in s.iter().enumerate().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => continue,
            }
            if depth == 0 {
                found.push((name, line_of[i], line_of[j] - line_of[i] + 1));
                break;
            }
        }
    }
    found
}

#[test]
fn functions_are_at_most_150_lines() {
    let mut long = Vec::new();
    let mut listed_and_long = Vec::new();
    for (rel, text) in sources() {
        for (name, line, lines) in functions(&text) {
            if lines <= MAX_FUNCTION_LINES {
                continue;
            }
            if LONG_FUNCTIONS
                .iter()
                .any(|&(f, n, _)| f == rel && n == name)
            {
                listed_and_long.push((rel.clone(), name));
            } else {
                long.push(format!(
                    "src/{rel}:{line}: fn {name} is {lines} lines (at most \
                     {MAX_FUNCTION_LINES}): split it into named steps"
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions too long (docs/architecture.md, \"Function length\"):\n{}",
        long.join("\n")
    );
    for &(file, name, why) in LONG_FUNCTIONS {
        assert!(
            listed_and_long.iter().any(|(f, n)| f == file && n == name),
            "src/{file}: fn {name} ({why}) is no longer over {MAX_FUNCTION_LINES} lines (or \
             is gone): take it off LONG_FUNCTIONS in tests/it/architecture.rs"
        );
    }
}

#[test]
fn the_length_checker_sees_functions() {
    let text = r####"
fn short() {
    let s = "}}}{"; // }
    let c = '{';
    let q = '\'';
    let r = r#"{"#;
    /* { nested /* } */ { */
}
pub(crate) fn generic<'a, T: Fn(u8) -> u8>(x: &'a [u8; 2], f: fn(u8) -> u8) -> &'a str
where
    T: Clone,
{
    fn inner() {}
    "x"
}
trait T {
    fn declared(&self) -> [u8; 4];
    fn provided(&self) {
        let b = br"}";
    }
}
"####;
    let found: Vec<(String, usize, usize)> = functions(text);
    let found: Vec<(&str, usize, usize)> =
        found.iter().map(|(n, l, c)| (n.as_str(), *l, *c)).collect();
    assert_eq!(
        found,
        [
            ("short", 2, 7),
            ("generic", 9, 7),
            ("inner", 13, 1),
            ("provided", 18, 3)
        ]
    );
}
