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
//! repository, the key, the tip and the ids, encoded with `postcard`, and the records in
//! blocks of 8,192 (each its length, then its `postcard` encoding), decoded in parallel.

use super::ids::IdMap;
#[cfg(test)]
use crate::classify::CommitId;
use crate::classify::CommitRecord;
use crate::ident::Rewrite;
use crate::rules::RULES_VERSION;
use git2::Oid;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"gluework-cache\n\0";
const FORMAT: u32 = 5;

/// What follows the key: the walk. Then come the records, in blocks decoded in parallel.
#[derive(Serialize, Deserialize)]
struct Walk {
    /// The commit the walk started from.
    tip: [u8; 20],
    /// Every commit of the walk from `tip`, in walk order (cached or not).
    order: Vec<[u8; 20]>,
    /// The identities .mailmap rewrote in the commits of this walk (format 4).
    rewrites: Vec<Rewrite>,
}

/// Records per block: each block is its length (8 bytes, little-endian) and the postcard
/// encoding of a `Vec<CommitRecord>` (the clean commits' records, in walk order).
const BLOCK: usize = 8192;

/// The cached records of one repository.
pub struct Cache {
    path: PathBuf,
    repo: String,
    key: String,
    tip: Option<Oid>,
    order: Vec<Oid>,
    /// The identities .mailmap rewrote in the cached walk's commits.
    rewrites: Vec<Rewrite>,
    /// The records, by block of the file.
    records: Vec<Vec<Option<CommitRecord>>>,
    /// Where each commit's record is: block, position.
    index: IdMap<(u32, u32)>,
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

/// Why the cache could not be saved (the scan goes on; the next one is cold). Its text names
/// the file and the cause, as the scan's one warning line prints it.
#[derive(Debug, thiserror::Error)]
#[error("{}", path.display())]
pub struct SaveError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
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
            rewrites: Vec::new(),
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
        let (walk, mut payload) =
            postcard::take_from_bytes::<Walk>(payload).map_err(|_| Unusable::Corrupt)?;
        // Each length is checked against what the file holds (no arithmetic on it, no
        // allocation from it): a length past the end is a corrupt file, however large.
        let mut blocks = Vec::new();
        while !payload.is_empty() {
            let (len, rest) = payload.split_at_checked(8).ok_or(Unusable::Corrupt)?;
            let len = u64::from_le_bytes(len.try_into().map_err(|_| Unusable::Corrupt)?);
            let len = usize::try_from(len).map_err(|_| Unusable::Corrupt)?;
            let (block, rest) = rest.split_at_checked(len).ok_or(Unusable::Corrupt)?;
            blocks.push(block);
            payload = rest;
        }
        // Decoding is allocation-bound (every string of every record): one block per worker.
        type Block = (Vec<Oid>, Vec<Option<CommitRecord>>);
        let decoded: Vec<Result<Block, Unusable>> = blocks
            .par_iter()
            .map(|block| {
                let records: Vec<CommitRecord> =
                    postcard::from_bytes(block).map_err(|_| Unusable::Corrupt)?;
                let ids: Vec<Oid> = records.iter().map(|r| r.id.into()).collect();
                Ok((ids, records.into_iter().map(Some).collect()))
            })
            .collect();
        let oid = |b: &[u8; 20]| Oid::from_bytes(b).map_err(|_| Unusable::Corrupt);
        let n: usize = decoded
            .iter()
            .map(|d| d.as_ref().map_or(0, |b| b.0.len()))
            .sum();
        let mut index = IdMap::with_capacity_and_hasher(n, Default::default());
        let mut records = Vec::with_capacity(decoded.len());
        let position = |n: usize| u32::try_from(n).map_err(|_| Unusable::Corrupt);
        for (b, block) in decoded.into_iter().enumerate() {
            let (ids, block) = block?;
            for (i, id) in ids.into_iter().enumerate() {
                index.insert(id, (position(b)?, position(i)?));
            }
            records.push(block);
        }
        self.tip = Some(oid(&walk.tip)?);
        self.order = walk.order.iter().map(oid).collect::<Result<_, _>>()?;
        self.rewrites = walk.rewrites;
        self.records = records;
        self.index = index;
        Ok(())
    }

    /// The identities .mailmap rewrote in the cached commits (see [`Cache::keep_if_rewrites_hold`]).
    pub fn rewrites(&self) -> &[Rewrite] {
        &self.rewrites
    }

    /// Before a scan from `start`: the cached table of rewrites is known only for the cached
    /// walk as a whole, so it holds for the new walk when that walk contains every cached
    /// commit (the same tip, or a tip that descends from it: `descends(old_tip)`), or when the
    /// table is empty. Otherwise (history rewritten, an older revision) the records are
    /// dropped and the scan reads every commit, so that no address .mailmap rewrote only in
    /// commits that are gone is reported as joined.
    pub fn keep_if_rewrites_hold(&mut self, start: Oid, descends: impl FnOnce(Oid) -> bool) {
        let holds = match self.tip {
            None => true,
            Some(tip) => tip == start || self.rewrites.is_empty() || descends(tip),
        };
        if !holds {
            self.tip = None;
            self.order.clear();
            self.rewrites.clear();
            self.records.clear();
            self.index = IdMap::default();
        }
    }

    /// The walk from `tip`, when the cache holds the walk from exactly that commit.
    pub fn walk_from(&self, tip: Oid) -> Option<&[Oid]> {
        (self.tip == Some(tip)).then_some(self.order.as_slice())
    }

    /// The cached record of a commit.
    pub fn get(&self, id: &Oid) -> Option<&CommitRecord> {
        let &(b, i) = self.index.get(id)?;
        self.records[b as usize][i as usize].as_ref()
    }

    /// Takes the cached record of a commit out of the cache.
    pub fn take(&mut self, id: &Oid) -> Option<CommitRecord> {
        let &(b, i) = self.index.get(id)?;
        self.records[b as usize][i as usize].take()
    }

    /// Saves the walk from `tip` and the records of its clean commits, unless the file
    /// already holds exactly these (`reused`: every clean record came from this cache, and
    /// the walk is the cached one). Failing to save is not an error: the next scan is cold.
    /// Whether `warnings` are the ones the last scan of this repository gave (so the terminal
    /// need not list them again); records them for the next scan. A small file beside the
    /// cache holds their digest; any failure to read or write it only means "changed".
    pub fn warnings_unchanged(&self, warnings: &[String]) -> bool {
        let mut h = Sha256::new();
        for w in warnings {
            h.update(w.as_bytes());
            h.update([0]);
        }
        let digest = hex(&h.finalize());
        let path = self.path.with_extension("warnings");
        let before = std::fs::symlink_metadata(&path)
            .ok()
            .filter(|m| m.is_file() && m.len() <= 128)
            .and_then(|_| std::fs::read_to_string(&path).ok());
        if before.as_deref() == Some(digest.as_str()) {
            return true;
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsio::write_atomic_file(&path, crate::fsio::Sync::No, |f| {
            f.write_all(digest.as_bytes())
        });
        false
    }

    pub fn save(
        &self,
        tip: Oid,
        order: &[Oid],
        records: &[CommitRecord],
        clean: &[bool],
        rewrites: &[Rewrite],
        reused: bool,
    ) -> Result<(), SaveError> {
        if reused && self.tip == Some(tip) && self.order == order && self.rewrites == rewrites {
            return Ok(());
        }
        let walk = Walk {
            tip: raw(&tip),
            order: order.iter().map(raw).collect(),
            rewrites: rewrites.to_vec(),
        };
        let keep: Vec<&CommitRecord> = records
            .iter()
            .zip(clean)
            .filter(|(_, &c)| c)
            .map(|(r, _)| r)
            .collect();
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|source| SaveError {
            path: dir.to_path_buf(),
            source,
        })?;
        // Streamed to the file (no copy of it in memory), the checksum computed on the way and
        // written into the header at the end.
        let write = |file: &mut std::fs::File| -> std::io::Result<()> {
            use std::io::{Seek, SeekFrom};
            let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
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
            postcard::to_io(&walk, &mut w).map_err(err)?;
            for block in keep.chunks(BLOCK) {
                let bytes = postcard::to_stdvec(block).map_err(err)?;
                w.write_all(&(bytes.len() as u64).to_le_bytes())?;
                w.write_all(&bytes)?;
            }
            let CrcWriter { inner, crc } = w;
            let file = inner.into_inner().map_err(|e| e.into_error())?;
            let crc = crc.finalize();
            file.seek(SeekFrom::Start((MAGIC.len() + 4) as u64))?;
            file.write_all(&crc.to_le_bytes())
        };
        crate::fsio::write_atomic_file(&self.path, crate::fsio::Sync::No, write).map_err(|e| {
            SaveError {
                path: self.path.clone(),
                source: e.source,
            }
        })?;
        // The same repository's file in the JSON format of earlier versions, never read
        // again: removed (a failure to remove it is of no consequence).
        let _ = std::fs::remove_file(self.path.with_extension("json"));
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: u32) -> CommitRecord {
        let id = |n: u32| CommitId::from_hex(&format!("{n:040x}")).unwrap();
        CommitRecord {
            id: id(i),
            parents: vec![id(i + 1)],
            author: crate::ident::Ident::from_signature("A", "a@example.com").into(),
            committer: crate::ident::Ident::from_signature("C", "c@example.com").into(),
            author_time: i as i64,
            time: i as i64,
            subject: format!("commit {i}").into(),
            merge: None,
            own: None,
            fix: false,
            pr: None,
            areas: vec!["src".into()],
            coauthors: Vec::new(),
            named: Vec::new(),
        }
    }

    /// Records survive a save and a load in blocks; a flipped byte anywhere is caught.
    #[test]
    fn round_trip_and_damage() {
        let dir = std::env::temp_dir().join(format!("gluework-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let git_dir = dir.join("repo.git");
        std::fs::create_dir_all(&git_dir).unwrap();
        let records: Vec<CommitRecord> = (0..9_000).map(record).collect();
        let order: Vec<Oid> = records.iter().map(|r| r.id.into()).collect();
        let clean: Vec<bool> = (0..records.len()).map(|i| i % 7 != 3).collect();
        let (c, w) = Cache::open(&dir, &git_dir, "k".to_string());
        assert!(w.is_none());
        let rewrites = vec![Rewrite {
            canonical: crate::ident::Ident::from_signature("A", "a@example.com"),
            raw: crate::ident::Ident::from_signature("a", "a@old.example"),
        }];
        c.save(order[0], &order, &records, &clean, &rewrites, false)
            .unwrap();
        let (mut c, w) = Cache::open(&dir, &git_dir, "k".to_string());
        assert!(w.is_none());
        assert_eq!(c.rewrites(), rewrites.as_slice());
        assert_eq!(c.walk_from(order[0]), Some(order.as_slice()));
        assert_eq!(c.walk_from(order[1]), None);
        for (i, id) in order.iter().enumerate() {
            assert_eq!(c.get(id).is_some(), clean[i], "{i}");
        }
        assert_eq!(c.take(&order[5]), Some(records[5].clone()));
        assert_eq!(c.get(&order[5]), None);
        // A tip that descends from the cached one keeps the records and the table; one that
        // does not drops both (the table may name addresses of commits that are gone).
        c.keep_if_rewrites_hold(order[1], |_| true);
        assert!(c.get(&order[0]).is_some() && !c.rewrites().is_empty());
        c.keep_if_rewrites_hold(order[1], |_| false);
        assert!(c.get(&order[0]).is_none() && c.rewrites().is_empty());
        assert_eq!(c.walk_from(order[0]), None);
        // Another key: silently empty.
        let (c, w) = Cache::open(&dir, &git_dir, "other".to_string());
        assert!(w.is_none() && c.get(&order[0]).is_none());
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "bin"))
            .unwrap();
        let good = std::fs::read(&file).unwrap();
        for at in [30, good.len() / 3, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&file, &bad).unwrap();
            let (c, w) = Cache::open(&dir, &git_dir, "k".to_string());
            assert!(w.unwrap().contains("is corrupt"), "byte {at}");
            assert!(c.get(&order[0]).is_none());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file with a valid checksum whose block lengths are huge (as a damaged or hand-made
    /// file can hold): a clear "is corrupt" warning and a re-scan, never a panic (overflow,
    /// out-of-bounds slice) or an allocation of the stated size.
    #[test]
    fn huge_block_lengths_are_corrupt() {
        let dir = std::env::temp_dir().join(format!("gluework-cache-huge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let git_dir = dir.join("repo.git");
        std::fs::create_dir_all(&git_dir).unwrap();
        let (c, _) = Cache::open(&dir, &git_dir, "k".to_string());
        let walk = Walk {
            tip: [1; 20],
            order: vec![[1; 20]],
            rewrites: Vec::new(),
        };
        let one_block = postcard::to_stdvec(&[record(0)]).unwrap();
        for tail in [
            u64::MAX.to_le_bytes().to_vec(),
            (u64::MAX - 7).to_le_bytes().to_vec(),
            (1u64 << 40).to_le_bytes().to_vec(),
            [
                &(one_block.len() as u64).to_le_bytes()[..],
                &one_block,
                &u64::MAX.to_le_bytes(),
            ]
            .concat(),
            vec![1, 2, 3],
        ] {
            let mut payload = postcard::to_stdvec(c.repo.as_str()).unwrap();
            payload.extend(postcard::to_stdvec(c.key.as_str()).unwrap());
            payload.extend(postcard::to_stdvec(&walk).unwrap());
            payload.extend(&tail);
            let mut file = MAGIC.to_vec();
            file.extend(FORMAT.to_le_bytes());
            file.extend(crc32fast::hash(&payload).to_le_bytes());
            file.extend(&payload);
            std::fs::write(&c.path, &file).unwrap();
            let (back, w) = Cache::open(&dir, &git_dir, "k".to_string());
            let w = w.expect("a warning");
            assert!(w.contains("is corrupt; ignored and rebuilt"), "{w}");
            assert!(back.walk_from(Oid::from_bytes(&[1; 20]).unwrap()).is_none());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
