//! Object reading for the scan: gitoxide's object database (`gix-odb`), one reader per worker.
//!
//! libgit2 serialises pack access with process-wide locks, so its readers do not run in
//! parallel; gix-odb's handles share only the memory-mapped packs and keep their caches (the
//! delta-base cache that makes reading deltified trees cheap) per handle, so each worker reads
//! on its own. Objects come back as raw bytes, parsed by `commit` and `tree`; git2 stays for
//! everything else (references, configuration, the mailmap blob, the repository's own file).

use git2::Oid;
use gix_object::Find;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The most memory one decoded object may claim: a corrupt pack cannot make the scan allocate
/// more than this for a single object.
const ALLOC_LIMIT: usize = 1 << 30;

/// Per reader: the delta-base cache. Trees are stored as chains of deltas, and consecutive
/// commits share most of a chain, so a small cache saves most of the inflating. Measured on
/// the generated 100k-commit history: 16 MiB is faster than 64 MiB (2.6 s against 2.9 s of
/// reading with one thread) and holds 120 MiB less with two.
const PACK_CACHE_BYTES: usize = 16 << 20;

/// What kind of object a read expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Commit,
    Tree,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Commit => "commit",
            Kind::Tree => "tree",
        }
    }

    fn matches(self, k: gix_object::Kind) -> bool {
        matches!(
            (self, k),
            (Kind::Commit, gix_object::Kind::Commit) | (Kind::Tree, gix_object::Kind::Tree)
        )
    }
}

/// Why an object could not be read; the message names the object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A repository's object database, shared by the workers of one scan.
pub struct Objects {
    store: Arc<gix_odb::Store>,
    /// Loose objects known to be corrupt (see `loose`): never handed to the reader.
    corrupt: Arc<HashSet<Oid>>,
}

impl Objects {
    /// Opens the object database of the repository whose git directory is `git_dir` (with its
    /// alternates, loose objects, packs and multi-pack index). Nothing is written.
    pub fn open(git_dir: &Path, corrupt: Arc<HashSet<Oid>>) -> std::io::Result<Objects> {
        let options = gix_odb::store::init::Options {
            alloc_limit_bytes: Some(ALLOC_LIMIT),
            ..Default::default()
        };
        let store = gix_odb::Store::at_opts(
            git_dir.join("objects"),
            gix_hash::Kind::Sha1,
            &mut std::iter::empty(),
            options,
        )?;
        Ok(Objects {
            store: Arc::new(store),
            corrupt,
        })
    }

    /// A reader with caches of its own, for one thread.
    pub fn reader(&self) -> Reader {
        let mut odb = self.store.to_cache_arc();
        odb.set_pack_cache(|| {
            Box::new(gix_pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
        Reader {
            odb,
            corrupt: self.corrupt.clone(),
        }
    }
}

/// Reads objects for one thread.
pub struct Reader {
    odb: gix_odb::Cache<gix_odb::store::Handle<Arc<gix_odb::Store>>>,
    corrupt: Arc<HashSet<Oid>>,
}

impl Reader {
    /// Reads object `id`, which must be of kind `kind`, into `buf` (replacing its contents).
    pub fn read(&self, id: Oid, kind: Kind, buf: &mut Vec<u8>) -> Result<(), ReadError> {
        if self.corrupt.contains(&id) {
            return Err(ReadError(format!("object {id} is corrupt")));
        }
        let oid = gix_hash::oid::from_bytes_unchecked(id.as_bytes());
        let found = match self.odb.try_find(oid, buf) {
            Ok(Some(data)) if kind.matches(data.kind) => {
                (data.data.as_ptr() as usize, data.data.len())
            }
            Ok(Some(data)) => {
                return Err(ReadError(format!(
                    "object {id} is a {}, not a {}",
                    data.kind,
                    kind.name()
                )))
            }
            Ok(None) => return Err(ReadError(format!("object {id} not found"))),
            Err(e) => return Err(ReadError(format!("object {id} cannot be read: {e}"))),
        };
        // The data is the buffer itself; should a backend ever return a part of it, keep
        // exactly that part.
        let (start, len) = found;
        let base = buf.as_ptr() as usize;
        match start.checked_sub(base) {
            Some(0) if len == buf.len() => {}
            Some(off) if off + len <= buf.len() => {
                buf.truncate(off + len);
                buf.drain(..off);
            }
            _ => return Err(ReadError(format!("object {id} cannot be read"))),
        }
        Ok(())
    }
}
