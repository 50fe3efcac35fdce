//! The history walk: every commit reachable from the start, in the order libgit2's revision
//! walk gives them (gluework used it before; the order is kept so that reports stay the same),
//! reading each commit object once. The walk hands on what it read, so the workers that
//! classify the commits (while the walk goes on) do not read them again, and it takes the
//! parents and times of commits that the cache already holds from the cache, reading nothing
//! for them.

use super::commit;
use super::ids::{IdMap, IdSet};
use super::odb::{Kind, ReadError, Reader};
use crate::input::Links;
use git2::Oid;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::Path;

/// Replaced parent lists: the `shallow` file (commits whose parents were cut off) and the old
/// `info/grafts` file, which libgit2 applies when it parses a commit.
#[derive(Debug, Default)]
pub struct Grafts {
    parents: HashMap<Oid, Vec<Oid>>,
    /// The files' contents, for the cache key: a repository that is deepened reads again.
    pub digest_input: Vec<u8>,
    /// Why a file was not read (a link, not a regular file, over its cap): it is then ignored.
    pub warnings: Vec<String>,
}

impl Grafts {
    /// Reads the grafts of the repository whose common git directory is `dir`.
    pub fn read(dir: &Path) -> Grafts {
        let mut g = Grafts::default();
        // libgit2 looks grafts up first, then shallow commits.
        for (file, shallow) in [("shallow", true), ("info/grafts", false)] {
            let cap = crate::input::GRAFTS;
            let text = match crate::input::read_capped(&dir.join(file), cap, Links::Refuse) {
                Ok(text) => text,
                Err(e) if e.is_missing() => continue,
                Err(e) => {
                    g.warnings.push(format!(
                        "{}; its commits are read as they are",
                        crate::error::one_line(&e.renamed(file))
                    ));
                    continue;
                }
            };
            g.digest_input.extend_from_slice(file.as_bytes());
            g.digest_input.push(0);
            g.digest_input.extend_from_slice(&text);
            for line in text.split(|&c| c == b'\n') {
                let mut ids = line
                    .split(|&c| c == b' ')
                    .filter(|w| !w.is_empty())
                    .map(commit::parse_hex);
                let Some(Some(id)) = ids.next() else {
                    continue;
                };
                let parents: Option<Vec<Oid>> = if shallow {
                    Some(Vec::new())
                } else {
                    ids.collect()
                };
                if let Some(parents) = parents {
                    match g.parents.entry(id) {
                        // A graft wins over a shallow entry for the same commit.
                        Entry::Occupied(mut e) if !shallow => {
                            e.insert(parents);
                        }
                        Entry::Occupied(_) => {}
                        Entry::Vacant(e) => {
                            e.insert(parents);
                        }
                    }
                }
            }
        }
        g
    }

    /// The parents git sees for commit `id`, whose object lists `parents`.
    pub fn apply(&self, id: Oid, parents: Vec<Oid>) -> Vec<Oid> {
        match self.parents.get(&id) {
            Some(p) => p.clone(),
            None => parents,
        }
    }
}

/// One commit of the walk.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Oid,
    /// Its object's bytes, when the walk read it.
    pub data: Option<Vec<u8>>,
    /// Its first parent's tree, when the walk read that parent.
    pub parent_tree: Option<Oid>,
}

/// What the walk knows of a commit without reading it (from the cache): time and parents.
pub type Known<'a> = dyn Fn(Oid) -> Option<(i64, Vec<Oid>)> + 'a;

/// A commit waiting in the walk's queue.
struct Queued {
    time: i64,
    seq: u64,
    id: Oid,
    parents: Vec<Oid>,
    data: Option<Vec<u8>>,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    /// Newest first; among equal times, first queued first (libgit2 inserts a commit after
    /// those with the same time).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.time
            .cmp(&other.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Walks the history from `start`: libgit2's default order (by committer time, newest first,
/// parents queued when their child is taken), handing each commit to `emit` as soon as its
/// place is known. A commit that cannot be read or parsed stops the walk with an error, as it
/// stops libgit2's.
pub fn walk(
    reader: &Reader,
    start: Oid,
    grafts: &Grafts,
    known: &Known<'_>,
    emit: &mut dyn FnMut(Item),
) -> Result<(), ReadError> {
    let mut tree_of: IdMap<Oid> = IdMap::default();
    let mut seen = IdSet::default();
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut load = |id: Oid, tree_of: &mut IdMap<Oid>| -> Result<Queued, ReadError> {
        seq += 1;
        if let Some((time, parents)) = known(id) {
            return Ok(Queued {
                time,
                seq,
                id,
                parents,
                data: None,
            });
        }
        let mut data = Vec::new();
        reader.read(id, Kind::Commit, &mut data)?;
        let c = commit::parse_quick(&data)
            .map_err(|e| ReadError(format!("commit {id} cannot be parsed: {e}")))?;
        if let Some(t) = c.tree {
            tree_of.insert(id, t);
        }
        Ok(Queued {
            time: c.time,
            seq,
            id,
            parents: grafts.apply(id, c.parents),
            data: Some(data),
        })
    };
    seen.insert(start);
    heap.push(load(start, &mut tree_of)?);
    while let Some(q) = heap.pop() {
        for &p in &q.parents {
            if seen.insert(p) {
                heap.push(load(p, &mut tree_of)?);
            }
        }
        emit(Item {
            id: q.id,
            parent_tree: q.parents.first().and_then(|p| tree_of.get(p).copied()),
            data: q.data,
        });
    }
    Ok(())
}

/// Walks the history from `start` breadth-first, never reading a corrupt object: used only
/// when the repository has corrupt loose objects (`loose`). Commits are read again later.
pub fn careful_walk(
    reader: &Reader,
    start: Oid,
    grafts: &Grafts,
    corrupt: &HashSet<Oid>,
    warnings: &mut Vec<String>,
    emit: &mut dyn FnMut(Item),
) -> Result<(), ReadError> {
    let mut seen = IdSet::default();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut buf = Vec::new();
    while let Some(oid) = queue.pop_front() {
        if !seen.insert(oid) {
            continue;
        }
        if corrupt.contains(&oid) {
            warnings.push(format!(
                "commit {oid} is corrupt: it and the history only it leads to are not read"
            ));
            continue;
        }
        reader.read(oid, Kind::Commit, &mut buf)?;
        let c = commit::parse(&buf)
            .map_err(|e| ReadError(format!("commit {oid} cannot be parsed: {e}")))?;
        emit(Item {
            id: oid,
            data: None,
            parent_tree: None,
        });
        queue.extend(grafts.apply(oid, c.parents));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::odb::Objects;
    use super::*;
    use std::sync::Arc;

    /// A history with merges, equal times and children older than their parents: the walk
    /// gives exactly libgit2's revwalk order.
    #[test]
    fn same_order_as_libgit2() {
        let dir = std::env::temp_dir().join(format!("gluework-walk-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = git2::Repository::init_bare(&dir).unwrap();
        let tree = {
            let b = repo.treebuilder(None).unwrap();
            b.write().unwrap()
        };
        let tree = repo.find_tree(tree).unwrap();
        // A small pseudo-random history: each commit has one or two parents among the last
        // few, and times that repeat and sometimes go backwards.
        let mut ids: Vec<Oid> = Vec::new();
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for i in 0..400 {
            let time = 1_000_000 + (i as i64 / 3) * 10 - (next() % 4) as i64 * 10;
            let sig =
                git2::Signature::new("A", "a@example.com", &git2::Time::new(time, 0)).unwrap();
            let mut parents = Vec::new();
            if !ids.is_empty() {
                parents.push(ids[ids.len() - 1 - next() % ids.len().min(3)]);
                if next() % 5 == 0 && ids.len() > 4 {
                    let p = ids[ids.len() - 1 - next() % ids.len().min(12)];
                    if !parents.contains(&p) {
                        parents.push(p);
                    }
                }
            }
            let parents: Vec<git2::Commit> = parents
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            let id = repo
                .commit(None, &sig, &sig, &format!("c{i}"), &tree, &refs)
                .unwrap();
            ids.push(id);
        }
        let tip = *ids.last().unwrap();
        let mut theirs = repo.revwalk().unwrap();
        theirs.push(tip).unwrap();
        let theirs: Vec<Oid> = theirs.map(|r| r.unwrap()).collect();

        let objects = Objects::open(&dir, Arc::default()).unwrap();
        let reader = objects.reader();
        let grafts = Grafts::default();
        let mut ours = Vec::new();
        walk(&reader, tip, &grafts, &|_| None, &mut |item| {
            ours.push(item.id)
        })
        .unwrap();
        assert_eq!(ours, theirs);

        // With every other commit's parents and time known (as from the cache).
        let known = |id: Oid| {
            let i = ids.iter().position(|&x| x == id)?;
            (i % 2 == 0).then(|| {
                let c = repo.find_commit(id).unwrap();
                (c.time().seconds(), c.parent_ids().collect())
            })
        };
        let mut ours = Vec::new();
        walk(&reader, tip, &grafts, &known, &mut |item| {
            ours.push(item.id)
        })
        .unwrap();
        assert_eq!(ours, theirs);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
