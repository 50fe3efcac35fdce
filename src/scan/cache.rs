//! The cache of per-commit facts, so that re-scanning an unchanged repository, or one with a
//! few new commits, reads only what is new.
//!
//! One file per repository in the user's cache folder (`$GLUEWORK_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/gluework`, else `~/.cache/gluework`), never inside the repository. A file
//! holds classified commit records, under a key made of everything that changes them: the
//! tool's version, the rules' version, the repository's configuration digest, a digest of its
//! mailmaps and of its shallow and graft files. It also holds the walked history (its tip and
//! every commit id in walk order), so that a re-scan from the same tip walks nothing at all,
//! and the records give the walk the parents and times of the commits they cover.
//!
//! A file with another key is rebuilt silently (the rules changed); a file that cannot be
//! parsed, whose checksum does not match, or that belongs to another repository is ignored
//! with a warning and never trusted. Commits that were read with a warning are not cached, so
//! they are read (and warned about) again.
//!
//! The format is binary: a magic line, the format number, a CRC-32 of the rest, then the
//! repository, the key, the tip, the ids and the records, encoded with `postcard`.

use super::ids::IdMap;
use crate::classify::CommitRecord;
use crate::rules::RULES_VERSION;
use git2::Oid;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"gluework-cache\n\0";
const FORMAT: u32 = 2;

/// Everything after the key.
#[derive(Serialize, Deserialize)]
struct Body {
    /// The commit the walk started from.
    tip: [u8; 20],
    /// Every commit of the walk from `tip`, in walk order (cached or not).
    order: Vec<[u8; 20]>,
    /// The records of the clean commits, in walk order.
    records: Vec<CommitRecord>,
}

#[derive(Serialize)]
struct BodyRef<'a> {
    tip: [u8; 20],
    order: Vec<[u8; 20]>,
    records: Vec<&'a CommitRecord>,
}

/// The cached records of one repository.
pub struct Cache {
    path: PathBuf,
    repo: String,
    key: String,
    tip: Option<Oid>,
    order: Vec<Oid>,
    records: Vec<Option<CommitRecord>>,
    index: IdMap<usize>,
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

/// The key of a repository's records: what changes a commit's classification or the walk.
pub fn key(config_digest: &str, mailmap_digest: &str, history: &[u8]) -> String {
    format!(
        "gluework {} rules {RULES_VERSION} config {config_digest} mailmap {mailmap_digest} history {}",
        env!("CARGO_PKG_VERSION"),
        &hex(&Sha256::digest(history))[..32]
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

/// Why a file was not used.
enum Unusable {
    Corrupt,
    Foreign,
    OtherKey,
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
            "{}.bin",
            &hex(&Sha256::digest(repo.as_bytes()))[..32]
        ));
        let mut cache = Cache {
            path,
            repo,
            key,
            tip: None,
            order: Vec::new(),
            records: Vec::new(),
            index: IdMap::default(),
        };
        let bytes = match std::fs::read(&cache.path) {
            Ok(b) => b,
            Err(_) => return (cache, None),
        };
        let why = match cache.load(&bytes) {
            Ok(()) => return (cache, None),
            Err(Unusable::OtherKey) => return (cache, None),
            Err(Unusable::Corrupt) => "is corrupt",
            Err(Unusable::Foreign) => "belongs to another repository or gluework",
        };
        let warning = format!(
            "cache file {} {why}; ignored and rebuilt",
            cache.path.display()
        );
        (cache, Some(warning))
    }

    fn load(&mut self, bytes: &[u8]) -> Result<(), Unusable> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(Unusable::Corrupt)?;
        if rest.len() < 8 {
            return Err(Unusable::Corrupt);
        }
        let format = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes"));
        if format != FORMAT {
            return Err(Unusable::Foreign);
        }
        let crc = u32::from_le_bytes(rest[4..8].try_into().expect("4 bytes"));
        let payload = &rest[8..];
        if crc32fast::hash(payload) != crc {
            return Err(Unusable::Corrupt);
        }
        let (repo, payload) =
            postcard::take_from_bytes::<&str>(payload).map_err(|_| Unusable::Corrupt)?;
        if repo != self.repo {
            return Err(Unusable::Foreign);
        }
        let (key, payload) =
            postcard::take_from_bytes::<&str>(payload).map_err(|_| Unusable::Corrupt)?;
        if key != self.key {
            return Err(Unusable::OtherKey);
        }
        let body: Body = postcard::from_bytes(payload).map_err(|_| Unusable::Corrupt)?;
        let oid = |b: &[u8; 20]| Oid::from_bytes(b).map_err(|_| Unusable::Corrupt);
        let mut index = IdMap::with_capacity_and_hasher(body.records.len(), Default::default());
        for (i, r) in body.records.iter().enumerate() {
            let id = super::commit::parse_hex(r.id.as_bytes()).ok_or(Unusable::Corrupt)?;
            index.insert(id, i);
        }
        self.tip = Some(oid(&body.tip)?);
        self.order = body.order.iter().map(oid).collect::<Result<_, _>>()?;
        self.records = body.records.into_iter().map(Some).collect();
        self.index = index;
        Ok(())
    }

    /// The walk from `tip`, when the cache holds the walk from exactly that commit.
    pub fn walk_from(&self, tip: Oid) -> Option<&[Oid]> {
        (self.tip == Some(tip)).then_some(self.order.as_slice())
    }

    /// The cached record of a commit.
    pub fn get(&self, id: &Oid) -> Option<&CommitRecord> {
        self.index.get(id).and_then(|&i| self.records[i].as_ref())
    }

    /// Takes the cached record of a commit out of the cache.
    pub fn take(&mut self, id: &Oid) -> Option<CommitRecord> {
        self.index.get(id).and_then(|&i| self.records[i].take())
    }

    /// Saves the walk from `tip` and the records of its clean commits, unless the file
    /// already holds exactly these (`reused`: every clean record came from this cache, and
    /// the walk is the cached one). Failing to save is not an error: the next scan is cold.
    pub fn save(
        &self,
        tip: Oid,
        order: &[Oid],
        records: &[CommitRecord],
        clean: &[bool],
        reused: bool,
    ) -> Result<(), String> {
        if reused && self.tip == Some(tip) && self.order == order {
            return Ok(());
        }
        let body = BodyRef {
            tip: raw(&tip),
            order: order.iter().map(raw).collect(),
            records: records
                .iter()
                .zip(clean)
                .filter(|(_, &c)| c)
                .map(|(r, _)| r)
                .collect(),
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        // Streamed to the file (no copy of it in memory), the checksum computed on the way and
        // written into the header at the end.
        let write = || -> std::io::Result<()> {
            use std::io::{Seek, SeekFrom, Write};
            let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
            file.write_all(MAGIC)?;
            file.write_all(&FORMAT.to_le_bytes())?;
            file.write_all(&[0; 4])?;
            let mut w = CrcWriter {
                inner: file,
                crc: crc32fast::Hasher::new(),
            };
            let err = |e: postcard::Error| std::io::Error::other(e.to_string());
            postcard::to_io(self.repo.as_str(), &mut w).map_err(err)?;
            postcard::to_io(self.key.as_str(), &mut w).map_err(err)?;
            postcard::to_io(&body, &mut w).map_err(err)?;
            let CrcWriter { inner, crc } = w;
            let mut file = inner.into_inner().map_err(|e| e.into_error())?;
            let crc = crc.finalize();
            file.seek(SeekFrom::Start((MAGIC.len() + 4) as u64))?;
            file.write_all(&crc.to_le_bytes())?;
            drop(file);
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{}: {e}", self.path.display())
        })
    }
}

/// Writes through, keeping a CRC-32 of what was written.
struct CrcWriter<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: std::io::Write> std::io::Write for CrcWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn raw(id: &Oid) -> [u8; 20] {
    id.as_bytes().try_into().expect("SHA-1 ids")
}
