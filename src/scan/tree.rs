//! A name-only tree diff: the paths that differ between two trees, found by walking both in
//! git's entry order and descending only into subtrees whose ids differ. No blob is read, no
//! rename detection, no patch: what classification needs and nothing more.

use git2::{Oid, Repository, Tree};
use std::cmp::Ordering;

const MODE_TREE: i32 = 0o040000;

fn is_tree(mode: i32) -> bool {
    mode & 0o170000 == MODE_TREE
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

/// The paths that differ between `old` and `new` (either may be absent: the empty tree).
pub fn changed_paths(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), git2::Error> {
    let mut prefix = Vec::new();
    diff(repo, old, new, &mut prefix, out)
}

fn diff(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let old_tree = old.map(|o| repo.find_tree(o)).transpose()?;
    let new_tree = new.map(|o| repo.find_tree(o)).transpose()?;
    let a: Vec<(Vec<u8>, Oid, i32)> = old_tree.as_ref().map(owned_entries).unwrap_or_default();
    let b: Vec<(Vec<u8>, Oid, i32)> = new_tree.as_ref().map(owned_entries).unwrap_or_default();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => entry_cmp(&x.0, is_tree(x.2), &y.0, is_tree(y.2)),
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                let (name, id, mode) = &a[i];
                side(repo, name, *id, *mode, true, prefix, out)?;
                i += 1;
            }
            Ordering::Greater => {
                let (name, id, mode) = &b[j];
                side(repo, name, *id, *mode, false, prefix, out)?;
                j += 1;
            }
            Ordering::Equal => {
                let (name, ida, ma) = &a[i];
                let (_, idb, mb) = &b[j];
                if ida != idb || ma != mb {
                    let len = push(prefix, name);
                    if is_tree(*ma) && is_tree(*mb) {
                        diff(repo, Some(*ida), Some(*idb), prefix, out)?;
                    } else {
                        out.push(prefix.clone());
                    }
                    prefix.truncate(len);
                }
                i += 1;
                j += 1;
            }
        }
    }
    Ok(())
}

fn owned_entries(tree: &Tree<'_>) -> Vec<(Vec<u8>, Oid, i32)> {
    tree.iter()
        .map(|e| (e.name_bytes().to_vec(), e.id(), e.filemode()))
        .collect()
}

/// An entry on one side only: a file, or every file below a tree.
fn side(
    repo: &Repository,
    name: &[u8],
    id: Oid,
    mode: i32,
    old: bool,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), git2::Error> {
    let len = push(prefix, name);
    if is_tree(mode) {
        if old {
            diff(repo, Some(id), None, prefix, out)?;
        } else {
            diff(repo, None, Some(id), prefix, out)?;
        }
    } else {
        out.push(prefix.clone());
    }
    prefix.truncate(len);
    Ok(())
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
}
