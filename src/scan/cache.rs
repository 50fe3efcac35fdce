//! The cache of per-commit facts, so that re-scanning an unchanged repository, or one with a
//! few new commits, reads only what is new.
//!
//! One file per repository in the user's cache folder (`$GLUEWORK_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/gluework`, else `~/.cache/gluework`), never inside the repository. A file
//! holds classified commit records by commit id, under a key made of everything that changes
//! them: the tool's version, the rules' version, the repository's configuration digest and a
//! digest of its mailmaps. A file with another key is rebuilt silently (the rules changed); a
//! file that cannot be parsed, or that belongs to another repository, is ignored with a
//! warning and never trusted. Commits that were read with a warning are not cached, so they
//! are read (and warned about) again.

use crate::classify::CommitRecord;
use crate::rules::RULES_VERSION;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    /// The repository's git directory, canonical: a file found under another repository's
    /// name is foreign.
    repo: String,
    key: String,
    records: Vec<CommitRecord>,
}

/// The cached records of one repository.
pub struct Cache {
    path: PathBuf,
    repo: String,
    key: String,
    records: HashMap<String, CommitRecord>,
    /// Whether the file on disk already holds exactly what `save` would write.
    fresh: bool,
}

/// The cache folder.
pub fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("GLUEWORK_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("gluework")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("gluework")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of a repository's records: what changes a commit's classification.
pub fn key(config_digest: &str, mailmap_digest: &str) -> String {
    format!(
        "gluework {} rules {RULES_VERSION} config {config_digest} mailmap {mailmap_digest}",
        env!("CARGO_PKG_VERSION")
    )
}

/// A digest of mailmap texts, in the order they were applied.
pub fn mailmap_digest(sources: &[(String, Vec<u8>)]) -> String {
    let mut h = Sha256::new();
    for (name, text) in sources {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((text.len() as u64).to_le_bytes());
        h.update(text);
    }
    hex(&h.finalize()[..16])
}

impl Cache {
    /// Opens the cache of the repository at `git_dir` under `key`. Returns the cache and, if
    /// the file was unusable, a warning saying so.
    pub fn open(dir: &Path, git_dir: &Path, key: String) -> (Cache, Option<String>) {
        let repo = std::fs::canonicalize(git_dir)
            .unwrap_or_else(|_| git_dir.to_path_buf())
            .to_string_lossy()
            .into_owned();
        let path = dir.join(format!(
            "{}.json",
            &hex(&Sha256::digest(repo.as_bytes()))[..32]
        ));
        let mut cache = Cache {
            path,
            repo,
            key,
            records: HashMap::new(),
            fresh: false,
        };
        let bytes = match std::fs::read(&cache.path) {
            Ok(b) => b,
            Err(_) => return (cache, None),
        };
        let warning = |why: &str| {
            Some(format!(
                "cache file {} {why}; ignored and rebuilt",
                cache.path.display()
            ))
        };
        match serde_json::from_slice::<File>(&bytes) {
            Err(_) => {
                let w = warning("is corrupt");
                (cache, w)
            }
            Ok(f) if f.format != FORMAT || f.repo != cache.repo => {
                let w = warning("belongs to another repository or gluework");
                (cache, w)
            }
            Ok(f) if f.key != cache.key => (cache, None),
            Ok(f) => {
                cache.records = f.records.into_iter().map(|r| (r.id.clone(), r)).collect();
                (cache, None)
            }
        }
    }

    /// The cached record of a commit.
    pub fn get(&self, id: &str) -> Option<&CommitRecord> {
        self.records.get(id)
    }

    /// Saves the records of this scan (the walked history's clean commits), unless the file
    /// already holds exactly these. Failing to save is not an error: the next scan is cold.
    pub fn save(&mut self, records: &[CommitRecord], clean: &[bool]) -> Result<(), String> {
        let keep: Vec<&CommitRecord> = records
            .iter()
            .zip(clean)
            .filter(|(_, &c)| c)
            .map(|(r, _)| r)
            .collect();
        self.fresh = keep.len() == self.records.len()
            && keep.iter().all(|r| self.records.contains_key(&r.id));
        if self.fresh {
            return Ok(());
        }
        let file = FileRef {
            format: FORMAT,
            repo: &self.repo,
            key: &self.key,
            records: keep,
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            serde_json::to_writer(&mut w, &file)?;
            std::io::Write::flush(&mut w)?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{}: {e}", self.path.display())
        })
    }
}

#[derive(Serialize)]
struct FileRef<'a> {
    format: u32,
    repo: &'a str,
    key: &'a str,
    records: Vec<&'a CommitRecord>,
}
