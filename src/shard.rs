//! Organisation scale: repository lists (`--repos FILE`) and shards (`--shard K/N`).
//!
//! A shard is chosen by a stable hash of each repository's name (the folder name without
//! `.git`, as in the report), not by its position in a list, so N jobs given the same list (in
//! any order) cover every repository exactly once, and adding a repository to the list moves no
//! other repository to another shard. See docs/org-scale.md.

use std::path::{Path, PathBuf};

/// One of N shards: repositories whose name hashes to `index - 1` modulo `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based: `1..=count`.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the repository named `name` (see `scan::repo_name`) belongs to this shard.
    pub fn contains(&self, name: &str) -> bool {
        shard_of(name, self.count) == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A `--shard` value that is not `K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("expected K/N, e.g. 2/5, not {0:?}")]
    NoSlash(String),
    #[error("expected K/N with whole numbers, e.g. 2/5, not {0:?}")]
    NotNumbers(String),
    #[error("{0}: the number of shards N must be at least 1")]
    NoShards(String),
    #[error("{given}: K must be between 1 and N ({count})")]
    OutOfRange { given: String, count: u64 },
}

/// Parses `K/N` with `1 <= K <= N` (for clap).
pub fn parse_shard(s: &str) -> Result<Shard, ShardError> {
    let Some((k, n)) = s.trim().split_once('/') else {
        return Err(ShardError::NoSlash(s.to_string()));
    };
    let whole = |x: &str| {
        x.trim()
            .parse::<u64>()
            .map_err(|_| ShardError::NotNumbers(s.to_string()))
    };
    let (k, n) = (whole(k)?, whole(n)?);
    if n == 0 {
        return Err(ShardError::NoShards(s.to_string()));
    }
    if k == 0 || k > n {
        return Err(ShardError::OutOfRange {
            given: s.to_string(),
            count: n,
        });
    }
    Ok(Shard { index: k, count: n })
}

/// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3), of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The 1-based shard of `count` that the repository named `name` belongs to:
/// `fnv1a64(UTF-8 name) % count + 1`.
pub fn shard_of(name: &str, count: u64) -> u64 {
    fnv1a64(name.as_bytes()) % count.max(1) + 1
}

/// The name a repository path will have in the report when it cannot be opened (for a path
/// that does not exist): its last component without `.git` (or its parent's, for `.git`).
pub fn name_of_path(path: &str) -> String {
    let p = Path::new(path);
    let p = if p.file_name().is_some_and(|n| n == ".git") {
        p.parent().unwrap_or(p)
    } else {
        p
    };
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    name.strip_suffix(".git")
        .map(str::to_string)
        .unwrap_or(name)
}

/// An error reading a repository list.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("--repos {path}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("--repos {path}: line {line} is not valid UTF-8")]
    NotUtf8 { path: String, line: usize },
}

/// Parses a repository list: one path a line; blank lines and lines starting with `#`
/// (after spaces) are skipped, and surrounding spaces are trimmed. Relative paths are relative
/// to `base` (the list file's folder). Returns the paths in list order.
pub fn parse_repo_list(text: &str, base: &Path) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let p = Path::new(l);
            if p.is_absolute() || base.as_os_str().is_empty() {
                l.to_string()
            } else {
                base.join(p).to_string_lossy().into_owned()
            }
        })
        .collect()
}

/// Reads the repository list at `path` (see [`parse_repo_list`]).
pub fn read_repo_list(path: &Path) -> Result<Vec<String>, ListError> {
    let shown = path.display().to_string();
    let bytes = crate::input::read_capped(path, crate::input::LIST, crate::input::Links::Named)
        .map_err(|e| ListError::Read {
            path: shown.clone(),
            source: match e {
                crate::input::InputError::Io { source, .. } => source,
                other => std::io::Error::other(other.reason()),
            },
        })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(ListError::NotUtf8 { path: shown, line });
        }
    };
    let base: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(parse_repo_list(&text, &base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_known_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn shards_parse_and_reject() {
        assert_eq!(parse_shard("2/5"), Ok(Shard { index: 2, count: 5 }));
        assert_eq!(parse_shard("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in [
            "0/3", "4/3", "1/0", "x/3", "3", "", "-1/3", "1/3/4", "1.5/3",
        ] {
            assert!(parse_shard(bad).is_err(), "{bad} accepted");
        }
        for (bad, message) in [
            ("3", "expected K/N, e.g. 2/5, not \"3\""),
            (
                "x/3",
                "expected K/N with whole numbers, e.g. 2/5, not \"x/3\"",
            ),
            ("1/0", "1/0: the number of shards N must be at least 1"),
            ("4/3", "4/3: K must be between 1 and N (3)"),
        ] {
            assert_eq!(parse_shard(bad).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn every_name_is_in_exactly_one_shard() {
        for name in ["a", "b", "c", "team", "configured", "api", "ünïcode"] {
            for n in 1..=7 {
                let hits = (1..=n)
                    .filter(|&k| Shard { index: k, count: n }.contains(name))
                    .count();
                assert_eq!(hits, 1, "{name} in {hits} of {n} shards");
            }
        }
    }

    #[test]
    fn lists_skip_comments_and_resolve_relative_paths() {
        let text = "# repos\n\n  a  \n/abs/b.git\n   # indented comment\nsub/c\n";
        assert_eq!(
            parse_repo_list(text, Path::new("/lists")),
            ["/lists/a", "/abs/b.git", "/lists/sub/c"]
        );
        assert_eq!(
            parse_repo_list(text, Path::new("")),
            ["a", "/abs/b.git", "sub/c"]
        );
    }

    #[test]
    fn names_of_paths() {
        assert_eq!(name_of_path("/srv/api.git"), "api");
        assert_eq!(name_of_path("src/web/.git"), "web");
        assert_eq!(name_of_path("web"), "web");
    }
}
