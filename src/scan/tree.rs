//! A name-only tree diff: the paths that differ between two trees, found by walking both in
//! git's entry order and descending only into subtrees whose ids differ. No blob is read, no
//! rename detection, no patch: what classification needs and nothing more.
//!
//! Trees are read as raw bytes and compared in place. Entries are stored in a canonical form,
//! so the unchanged entries before the first change and after the last one are byte-for-byte
//! the same in both trees: the diff skips them with one comparison of memory and only parses
//! the entries in between (a commit changes a few files in trees of hundreds).

use super::ids::IdMap;
use super::odb::{Kind, ReadError, Reader};
use git2::Oid;
use std::cmp::Ordering;
use std::rc::Rc;

const MODE_TREE: u32 = 0o040000;

fn is_tree(mode: u32) -> bool {
    mode & 0o170000 == MODE_TREE
}

/// A submodule pointer (gitlink).
fn is_gitlink(mode: u32) -> bool {
    mode & 0o170000 == 0o160000
}

/// Git's tree-entry order: names compared bytewise, a tree's name as if followed by `/`.
fn entry_cmp(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {
            let ca = a.get(n).copied().unwrap_or(if a_tree { b'/' } else { 0 });
            let cb = b.get(n).copied().unwrap_or(if b_tree { b'/' } else { 0 });
            ca.cmp(&cb)
        }
        o => o,
    }
}

/// One tree entry, borrowed from the tree's bytes.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    id: &'a [u8],
    /// Where the next entry starts.
    end: usize,
}

impl Entry<'_> {
    fn oid(&self) -> Oid {
        Oid::from_bytes(self.id).expect("20 bytes")
    }
}

/// The entry at `pos` of tree `id`'s bytes, checked the way libgit2 checks it.
fn entry_at(data: &[u8], pos: usize, id: Oid) -> Result<Entry<'_>, ReadError> {
    let bad = |what: &str| ReadError(format!("tree {id} is corrupt: {what}"));
    let rest = &data[pos..];
    // The mode: octal digits (libgit2 also takes a sign), then a space.
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = rest.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            i = 1;
        }
    }
    let digits = i;
    let mut mode: u32 = 0;
    while i < rest.len() && (b'0'..=b'7').contains(&rest[i]) {
        mode = mode
            .saturating_mul(8)
            .saturating_add((rest[i] - b'0') as u32);
        i += 1;
    }
    if i == digits || (neg && mode != 0) || mode > u16::MAX as u32 {
        return Err(bad("can't parse filemode"));
    }
    if rest.get(i) != Some(&b' ') {
        return Err(bad("missing space after filemode"));
    }
    let name_start = i + 1;
    let Some(nul) = rest[name_start..].iter().position(|&c| c == 0) else {
        return Err(bad("object is corrupted"));
    };
    if nul == 0 || nul > u16::MAX as usize {
        return Err(bad("can't parse filename"));
    }
    let id_start = name_start + nul + 1;
    if rest.len() - id_start < 20 {
        return Err(bad("can't parse OID"));
    }
    Ok(Entry {
        mode,
        name: &rest[name_start..name_start + nul],
        id: &rest[id_start..id_start + 20],
        end: pos + id_start + 20,
    })
}

/// Whether two 20-byte ids are equal, compared inline.
fn same_id(a: &[u8], b: &[u8]) -> bool {
    word(a, 0) == word(b, 0) && word(a, 8) == word(b, 8) && a[16..20] == b[16..20]
}

fn word(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// How many leading bytes `a` and `b` share (eight at a time, without a call per block).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let d = word(a, i) ^ word(b, i);
        if d != 0 {
            return i + (d.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// How many trailing bytes `a` and `b` share.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + 8 <= n {
        let d = word(a, ea - i - 8) ^ word(b, eb - i - 8);
        if d != 0 {
            return i + (d.leading_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[ea - i - 1] == b[eb - i - 1] {
        i += 1;
    }
    i
}

type Tree = Rc<Vec<u8>>;

/// Reads trees for successive commits, keeping the trees of the previous commit: a commit's
/// tree is its child's first-parent tree, so walking oldest-first loads each tree once.
pub struct TreeReader<'r> {
    reader: &'r Reader,
    prev: IdMap<Tree>,
    cur: IdMap<Tree>,
    /// Buffers of trees no longer needed, for the next reads.
    spare: Vec<Vec<u8>>,
    /// How many of the paths the last `changed_paths` gave are submodule pointers.
    pub gitlinks: usize,
}

impl<'r> TreeReader<'r> {
    pub fn new(reader: &'r Reader) -> Self {
        TreeReader {
            reader,
            prev: IdMap::default(),
            cur: IdMap::default(),
            spare: Vec::new(),
            gitlinks: 0,
        }
    }

    /// The paths that differ between `old` and `new` (either may be absent: the empty tree).
    pub fn changed_paths(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), ReadError> {
        let done = std::mem::replace(&mut self.prev, std::mem::take(&mut self.cur));
        for (_, tree) in done {
            if let Ok(mut buf) = Rc::try_unwrap(tree) {
                if self.spare.len() < 64 {
                    buf.clear();
                    self.spare.push(buf);
                }
            }
        }
        let mut prefix = Vec::new();
        self.gitlinks = 0;
        self.diff(old, new, &mut prefix, out)
    }

    fn tree(&mut self, id: Oid) -> Result<Tree, ReadError> {
        if let Some(t) = self.cur.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.prev.remove(&id) {
            Some(t) => t,
            None => {
                let mut buf = self.spare.pop().unwrap_or_default();
                self.reader.read(id, Kind::Tree, &mut buf)?;
                Rc::new(buf)
            }
        };
        self.cur.insert(id, tree.clone());
        Ok(tree)
    }

    fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        prefix: &mut Vec<u8>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), ReadError> {
        if old == new {
            return Ok(());
        }
        let a = old.map(|o| self.tree(o)).transpose()?;
        let b = new.map(|o| self.tree(o)).transpose()?;
        let x: &[u8] = a.as_deref().map_or(&[], Vec::as_slice);
        let y: &[u8] = b.as_deref().map_or(&[], Vec::as_slice);
        let (xid, yid) = (old.unwrap_or(Oid::ZERO_SHA1), new.unwrap_or(Oid::ZERO_SHA1));
        // Skip the entries that lie wholly in the bytes both trees start with: they are equal.
        let same = common_prefix(x, y);
        let mut i = 0;
        while i < x.len() {
            let e = entry_at(x, i, xid)?;
            if e.end > same {
                break;
            }
            i = e.end;
        }
        let mut j = i;
        // Once both positions are in the bytes both trees end with, at the same distance from
        // the end, everything after is equal too.
        let tail = common_suffix(&x[i..], &y[j..]);
        let (x_tail, y_tail) = (x.len() - tail, y.len() - tail);
        while i < x.len() || j < y.len() {
            if i >= x_tail && j >= y_tail && x.len() - i == y.len() - j {
                break;
            }
            let e = (i < x.len()).then(|| entry_at(x, i, xid)).transpose()?;
            let f = (j < y.len()).then(|| entry_at(y, j, yid)).transpose()?;
            let ord = match (&e, &f) {
                (Some(e), Some(f)) => entry_cmp(e.name, is_tree(e.mode), f.name, is_tree(f.mode)),
                (Some(_), None) => Ordering::Less,
                (None, _) => Ordering::Greater,
            };
            match (ord, e, f) {
                (Ordering::Less, Some(e), _) => {
                    self.side(&e, true, prefix, out)?;
                    i = e.end;
                }
                (Ordering::Equal, Some(e), Some(f)) => {
                    if !same_id(e.id, f.id) || e.mode != f.mode {
                        let len = push(prefix, e.name);
                        if is_tree(e.mode) && is_tree(f.mode) {
                            self.diff(Some(e.oid()), Some(f.oid()), prefix, out)?;
                        } else {
                            if is_gitlink(e.mode) || is_gitlink(f.mode) {
                                self.gitlinks += 1;
                            }
                            out.push(prefix.clone());
                        }
                        prefix.truncate(len);
                    }
                    i = e.end;
                    j = f.end;
                }
                (_, _, Some(f)) => {
                    self.side(&f, false, prefix, out)?;
                    j = f.end;
                }
                _ => break,
            }
        }
        Ok(())
    }

    /// An entry on one side only: a file, or every file below a tree.
    fn side(
        &mut self,
        entry: &Entry<'_>,
        old: bool,
        prefix: &mut Vec<u8>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), ReadError> {
        let len = push(prefix, entry.name);
        if is_tree(entry.mode) {
            let id = Some(entry.oid());
            if old {
                self.diff(id, None, prefix, out)?;
            } else {
                self.diff(None, id, prefix, out)?;
            }
        } else {
            if is_gitlink(entry.mode) {
                self.gitlinks += 1;
            }
            out.push(prefix.clone());
        }
        prefix.truncate(len);
        Ok(())
    }
}

/// Appends `name` (with a `/` separator) and returns the length to truncate back to.
fn push(prefix: &mut Vec<u8>, name: &[u8]) -> usize {
    let len = prefix.len();
    if len > 0 {
        prefix.push(b'/');
    }
    prefix.extend_from_slice(name);
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_order() {
        // "a.txt" < "a/" (tree) because '.' < '/'; "a" (blob) < "a.txt" because end < '.'.
        assert_eq!(entry_cmp(b"a.txt", false, b"a", true), Ordering::Less);
        assert_eq!(entry_cmp(b"a", false, b"a.txt", false), Ordering::Less);
        assert_eq!(entry_cmp(b"a", true, b"a0", false), Ordering::Less);
        assert_eq!(entry_cmp(b"a", false, b"a", true), Ordering::Less);
        assert_eq!(entry_cmp(b"b", true, b"b", true), Ordering::Equal);
    }

    #[test]
    fn prefixes_and_suffixes() {
        let a: Vec<u8> = (0..100u8).collect();
        let mut b = a.clone();
        b[37] = 0xff;
        assert_eq!(common_prefix(&a, &b), 37);
        assert_eq!(common_suffix(&a, &b), 62);
        assert_eq!(common_prefix(&a, &a), 100);
        assert_eq!(common_suffix(&a[..10], &a), 0);
        assert_eq!(common_suffix(&a[50..], &a), 50);
        assert_eq!(common_prefix(&[], &a), 0);
        for k in 0..100 {
            let mut c = a.clone();
            c[k] ^= 1;
            assert_eq!(common_prefix(&a, &c), k);
            assert_eq!(common_suffix(&a, &c), 99 - k);
            assert_eq!(common_prefix(&a[..k], &a), k);
            assert_eq!(common_suffix(&a[k..], &a), 100 - k);
        }
    }

    #[test]
    fn entries_parse_like_libgit2() {
        let id = Oid::ZERO_SHA1;
        let mut t = b"100644 a.txt\0".to_vec();
        t.extend_from_slice(&[7u8; 20]);
        let e = entry_at(&t, 0, id).unwrap();
        assert_eq!((e.mode, e.name, e.end), (0o100644, &b"a.txt"[..], t.len()));
        assert!(entry_at(b"100644 a.txt\0short", 0, id).is_err());
        assert!(entry_at(b"1006x4 a\0", 0, id).is_err());
        assert!(entry_at(b"100644 \0aaaaaaaaaaaaaaaaaaaa", 0, id).is_err());
        assert!(entry_at(b" 100644 a\0aaaaaaaaaaaaaaaaaaaa", 0, id).is_err());
        assert!(entry_at(b"100644a\0aaaaaaaaaaaaaaaaaaaa", 0, id).is_err());
    }
}
