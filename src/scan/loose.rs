//! A guard against corrupt loose objects. libgit2 (1.9) loops forever when it inflates a
//! truncated loose object, so before a repository is read, every loose object is inflated here
//! once (packed repositories have few), and a corrupt one is never handed to libgit2: the
//! commit that needs it gets a warning instead.

use git2::Oid;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// The ids of loose objects under `objects` that do not inflate to a whole, well-formed object.
pub fn corrupt_objects(objects: &Path) -> HashSet<Oid> {
    let mut files = Vec::new();
    for fan in 0..=255u8 {
        let dir = objects.join(format!("{fan:02x}"));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if let Ok(oid) = Oid::from_str(&format!("{fan:02x}{name}")) {
                if name.len() >= 38 {
                    files.push((oid, e.path()));
                }
            }
        }
    }
    files
        .par_iter()
        .filter(|(_, path)| !std::fs::read(path).is_ok_and(|bytes| is_whole_object(&bytes)))
        .map(|(oid, _)| *oid)
        .collect()
}

/// True when `bytes` is a zlib stream that ends properly and holds `type size\0payload` with
/// the declared size.
pub fn is_whole_object(bytes: &[u8]) -> bool {
    use flate2::{Decompress, FlushDecompress, Status};
    let mut z = Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len().saturating_mul(2).min(1 << 20));
    loop {
        if out.capacity() - out.len() < 32 * 1024 {
            out.reserve(out.capacity().max(64 * 1024));
        }
        let (read, wrote) = (z.total_in(), z.total_out());
        let input = &bytes[(read as usize).min(bytes.len())..];
        match z.decompress_vec(input, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => break,
            Ok(_) if z.total_in() == read && z.total_out() == wrote => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    if z.total_in() as usize != bytes.len() {
        return false;
    }
    let Some(nul) = out.iter().position(|&b| b == 0) else {
        return false;
    };
    let header = String::from_utf8_lossy(&out[..nul]);
    let Some((kind, size)) = header.split_once(' ') else {
        return false;
    };
    matches!(kind, "commit" | "tree" | "blob" | "tag")
        && size.parse::<usize>().ok() == Some(out.len() - nul - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn whole_objects_pass_and_damaged_ones_fail() {
        let good = deflate(b"blob 5\0hello");
        assert!(is_whole_object(&good));
        assert!(!is_whole_object(&good[..good.len() - 3]), "truncated");
        assert!(!is_whole_object(&deflate(b"blob 9\0hello")), "wrong size");
        assert!(
            !is_whole_object(&deflate(b"thing 5\0hello")),
            "unknown type"
        );
        assert!(!is_whole_object(b"not zlib at all"));
        assert!(!is_whole_object(&[]));
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"junk");
        assert!(!is_whole_object(&trailing));
        let big: Vec<u8> = b"blob 300000\0"
            .iter()
            .copied()
            .chain((0..300_000).map(|i| (i % 251) as u8))
            .collect();
        assert!(is_whole_object(&deflate(&big)));
    }
}
