//! A cheap check of the pack files' shape, to say "the object database is corrupt" (and which
//! file) when libgit2 can only say that a reference cannot be peeled: a truncated `.pack` or
//! `.idx` (an interrupted copy, a full disk) makes every object in it unreadable.
//!
//! Only sizes and headers are compared (no checksums): it reads the index's fan-out table and
//! offsets, a few kilobytes per pack.

use std::io::Read;
use std::path::Path;

/// What is wrong with a pack: one line naming the file (its name only, never its contents).
#[derive(Debug, thiserror::Error)]
pub enum PackDamage {
    #[error("{file}: cannot read")]
    Unreadable {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file} is truncated ({len} bytes, at least {want} expected)")]
    Truncated { file: String, len: u64, want: u64 },
    #[error("{idx} has no {pack}")]
    NoPack { idx: String, pack: String },
}

/// The first damaged pack under `objects/pack`; `None` when every pack has the shape its index
/// promises (it may still be corrupt inside: `git fsck` tells).
pub fn damaged_pack(objects: &Path) -> Option<PackDamage> {
    let dir = objects.join("pack");
    let mut idx: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    idx.sort();
    idx.iter().find_map(|i| check(i).err())
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Checks one `.idx` (version 2) and its `.pack`.
fn check(idx: &Path) -> Result<(), PackDamage> {
    let meta = |p: &Path| std::fs::symlink_metadata(p).map(|m| m.len());
    let unreadable = |source| PackDamage::Unreadable {
        file: name(idx),
        source,
    };
    let idx_len = meta(idx).map_err(unreadable)?;
    let truncated = |p: &Path, len: u64, want: u64| PackDamage::Truncated {
        file: name(p),
        len,
        want,
    };
    // Header (8) + fan-out (256 × 4).
    const HEAD: u64 = 8 + 1024;
    if idx_len < HEAD {
        return Err(truncated(idx, idx_len, HEAD));
    }
    let file = std::fs::File::open(idx).map_err(unreadable)?;
    let mut head = vec![0u8; HEAD as usize];
    let mut reader = std::io::BufReader::new(file);
    reader.read_exact(&mut head).map_err(unreadable)?;
    if head[..4] != [0xff, b't', b'O', b'c'] {
        // Version 1 indexes are not checked.
        return Ok(());
    }
    let count = u32::from_be_bytes(head[HEAD as usize - 4..].try_into().unwrap()) as u64;
    // Names (20), CRCs (4), offsets (4) per object, then two checksums.
    let want = HEAD + count * 28 + 40;
    if idx_len < want {
        return Err(truncated(idx, idx_len, want));
    }
    let pack = idx.with_extension("pack");
    let pack_len = match meta(&pack) {
        Ok(n) => n,
        Err(_) => {
            return Err(PackDamage::NoPack {
                idx: name(idx),
                pack: name(&pack),
            })
        }
    };
    if pack_len < 32 {
        return Err(truncated(&pack, pack_len, 32));
    }
    // The largest offset of the small-offset table (large offsets lie beyond 2 GiB: their
    // packs are at least that long, checked by the table's flag alone).
    let mut skip = vec![0u8; (count * 24) as usize];
    reader.read_exact(&mut skip).map_err(unreadable)?;
    drop(skip);
    let mut offsets = vec![0u8; (count * 4) as usize];
    reader.read_exact(&mut offsets).map_err(unreadable)?;
    let mut max = 0u64;
    let mut large = false;
    for o in offsets.chunks_exact(4) {
        let v = u32::from_be_bytes(o.try_into().unwrap());
        if v & 0x8000_0000 != 0 {
            large = true;
        } else {
            max = max.max(v as u64);
        }
    }
    // Every object starts before the trailing checksum, and takes at least two bytes.
    let need = if large { 1 << 31 } else { max + 2 + 20 };
    if count > 0 && pack_len < need {
        return Err(truncated(&pack, pack_len, need));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_packs_no_damage() {
        let dir = tempfile::tempdir().unwrap();
        assert!(damaged_pack(dir.path()).is_none());
        std::fs::create_dir_all(dir.path().join("pack")).unwrap();
        std::fs::write(dir.path().join("pack/pack-1.idx"), b"short").unwrap();
        let e = damaged_pack(dir.path()).unwrap().to_string();
        assert!(e.contains("pack-1.idx is truncated (5 bytes"), "{e}");
    }
}
