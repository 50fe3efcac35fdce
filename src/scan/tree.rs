//! A name-only tree diff: the paths that differ between two trees, found by walking both in
//! git's entry order and descending only into subtrees whose ids differ. No blob is read, no
//! rename detection, no patch: what classification needs and nothing more.

use git2::{Oid, Repository, Tree};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

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

/// Reads trees for successive commits, keeping the trees of the previous commit: a commit's
/// tree is its child's first-parent tree, so walking oldest-first loads each tree once.
pub struct TreeReader<'r> {
    repo: &'r Repository,
    corrupt: &'r HashSet<Oid>,
    prev: HashMap<Oid, Tree<'r>>,
    cur: HashMap<Oid, Tree<'r>>,
}

impl<'r> TreeReader<'r> {
    pub fn new(repo: &'r Repository, corrupt: &'r HashSet<Oid>) -> Self {
        TreeReader {
            repo,
            corrupt,
            prev: HashMap::new(),
            cur: HashMap::new(),
        }
    }

    /// The paths that differ between `old` and `new` (either may be absent: the empty tree).
    pub fn changed_paths(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), git2::Error> {
        self.prev = std::mem::take(&mut self.cur);
        let mut prefix = Vec::new();
        diff(self, old, new, &mut prefix, out)
    }

    fn tree(&mut self, id: Oid) -> Result<Tree<'r>, git2::Error> {
        if let Some(t) = self.cur.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.prev.remove(&id) {
            Some(t) => t,
            None => {
                if self.corrupt.contains(&id) {
                    return Err(git2::Error::from_str(&format!("object {id} is corrupt")));
                }
                self.repo.find_tree(id)?
            }
        };
        self.cur.insert(id, tree.clone());
        Ok(tree)
    }
}

fn diff(
    repo: &mut TreeReader<'_>,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let a = old.map(|o| repo.tree(o)).transpose()?;
    let b = new.map(|o| repo.tree(o)).transpose()?;
    let (na, nb) = (
        a.as_ref().map_or(0, Tree::len),
        b.as_ref().map_or(0, Tree::len),
    );
    let (mut i, mut j) = (0, 0);
    // Entries are compared in place (no copies of names): both trees are in git's order.
    while i < na || j < nb {
        let x = a.as_ref().and_then(|t| t.get(i));
        let y = b.as_ref().and_then(|t| t.get(j));
        let ord = match (&x, &y) {
            (Some(x), Some(y)) => entry_cmp(
                x.name_bytes(),
                is_tree(x.filemode()),
                y.name_bytes(),
                is_tree(y.filemode()),
            ),
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        match (ord, x, y) {
            (Ordering::Less, Some(x), _) => {
                side(
                    repo,
                    x.name_bytes(),
                    x.id(),
                    x.filemode(),
                    true,
                    prefix,
                    out,
                )?;
                i += 1;
            }
            (Ordering::Equal, Some(x), Some(y)) => {
                if x.id() != y.id() || x.filemode() != y.filemode() {
                    let len = push(prefix, x.name_bytes());
                    if is_tree(x.filemode()) && is_tree(y.filemode()) {
                        diff(repo, Some(x.id()), Some(y.id()), prefix, out)?;
                    } else {
                        out.push(prefix.clone());
                    }
                    prefix.truncate(len);
                }
                i += 1;
                j += 1;
            }
            (_, _, Some(y)) => {
                side(
                    repo,
                    y.name_bytes(),
                    y.id(),
                    y.filemode(),
                    false,
                    prefix,
                    out,
                )?;
                j += 1;
            }
            _ => break,
        }
    }
    Ok(())
}

/// An entry on one side only: a file, or every file below a tree.
fn side(
    repo: &mut TreeReader<'_>,
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
