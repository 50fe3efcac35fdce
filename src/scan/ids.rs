//! Hash maps keyed by object ids. Ids are already uniformly distributed, so hashing them with
//! SipHash (the standard maps' default) is wasted work: a few percent of a scan. The hasher
//! here folds the id's first eight bytes with a per-process random key, so a history built to
//! make ids collide in some bits still spreads over the table.

use git2::Oid;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

fn key() -> u64 {
    static KEY: OnceLock<u64> = OnceLock::new();
    *KEY.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0x9e37_79b9u64))
}

/// Builds `IdHasher`s.
#[derive(Clone, Copy, Default)]
pub struct IdHash;

impl BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(key())
    }
}

/// Hashes an id's bytes (anything else still hashes correctly, only less quickly).
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        // An id: its first eight bytes are as random as any hash of it.
        if let Some(first) = chunks.next() {
            self.mix(u64::from_le_bytes(first.try_into().expect("8 bytes")));
            if bytes.len() == 20 {
                return;
            }
            for c in chunks.by_ref() {
                self.mix(u64::from_le_bytes(c.try_into().expect("8 bytes")));
            }
        }
        for &b in chunks.remainder() {
            self.mix(b as u64);
        }
    }

    fn write_usize(&mut self, _len: usize) {}

    fn finish(&self) -> u64 {
        self.0
    }
}

impl IdHasher {
    fn mix(&mut self, v: u64) {
        let p = ((self.0 ^ v) as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_u128);
        self.0 = (p >> 64) as u64 ^ p as u64;
    }
}

pub type IdMap<V> = HashMap<Oid, V, IdHash>;
pub type IdSet = HashSet<Oid, IdHash>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hash_by_content() {
        let a = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let b = Oid::from_str("0123456789abcdef0123456789abcdef01234568").unwrap();
        let mut m: IdMap<u32> = IdMap::default();
        m.insert(a, 1);
        assert_eq!(m.get(&a), Some(&1));
        assert_eq!(m.get(&b), None);
        let h = |o: &Oid| IdHash.hash_one(o);
        assert_eq!(h(&a), h(&a));
        assert_ne!(
            h(&a),
            h(&Oid::from_str("1123456789abcdef0123456789abcdef01234567").unwrap())
        );
    }
}
