//! What each merge brought into the history, in time linear in the history (plus a bounded
//! amount per merge inside a merged branch), and parent cycles found and cut.
//!
//! A repository's parent links can form a cycle: `info/grafts` (or a hand-made part) may make a
//! commit its own ancestor. The links that close a cycle are ignored, with one warning, so every
//! walk below ends.
//!
//! A merge inside a merged branch (a *nested* merge) is credited with what it brought into that
//! branch. A chain of such merges (each merging the previous one) brings in ever more of the
//! same commits, so the sum of what they brought in grows with the square of the chain's length:
//! each nested merge is credited with at most [`NESTED_BROUGHT_CAP`] commits (the newest), found
//! within [`NESTED_WALK_STEPS`] steps; past either cap the rest stays credited to the enclosing
//! merge only, and the repository gets one warning. Real histories stay far below both.

use crate::classify::{CommitId, CommitRecord};
use crate::FastMap;
use rayon::prelude::*;
use std::collections::{BinaryHeap, HashMap};

/// The most commits one nested merge is credited with bringing in.
pub const NESTED_BROUGHT_CAP: usize = 1_000;
/// The most commits one nested merge's walk visits.
pub const NESTED_WALK_STEPS: usize = 10_000;

/// What [`introduced_sets`] found.
pub struct Introduced {
    /// For each merge, the commits it brought in (sorted).
    pub sets: HashMap<usize, Vec<usize>>,
    /// Lines for the repository's warnings.
    pub warnings: Vec<String>,
}

/// Each commit's parents (as record numbers, parents outside the records left out), with the
/// links that close a cycle removed; and those links, as (child, parent).
fn acyclic_parents(
    records: &[CommitRecord],
    index: &FastMap<CommitId, usize>,
) -> (Vec<Vec<usize>>, Vec<(usize, usize)>) {
    let mut parents: Vec<Vec<usize>> = records
        .par_iter()
        .map(|r| {
            r.parents
                .iter()
                .filter_map(|p| index.get(p).copied())
                .collect()
        })
        .collect();
    // Depth-first from every commit in record order; a link to a commit still on the path is
    // a cycle's closing link. 0 = not reached, 1 = on the path, 2 = done.
    let mut state = vec![0u8; records.len()];
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..records.len() {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (x, k) = *top;
            if k < parents[x].len() {
                top.1 += 1;
                let p = parents[x][k];
                match state[p] {
                    0 => {
                        state[p] = 1;
                        stack.push((p, 0));
                    }
                    1 => cut.push((x, p)),
                    _ => {}
                }
            } else {
                state[x] = 2;
                stack.pop();
            }
        }
    }
    for &(x, p) in &cut {
        parents[x].retain(|&q| q != p);
    }
    (parents, cut)
}

/// Generation numbers: 1 + the largest of the parents' (0 for a root), so a commit's number is
/// larger than that of every commit it reaches. `parents` is acyclic.
fn generations(parents: &[Vec<usize>]) -> Vec<u32> {
    const UNSET: u32 = u32::MAX;
    let mut generation = vec![UNSET; parents.len()];
    let mut stack: Vec<usize> = Vec::new();
    for root in 0..parents.len() {
        if generation[root] != UNSET {
            continue;
        }
        stack.push(root);
        while let Some(&x) = stack.last() {
            let mut ready = true;
            for &p in &parents[x] {
                if generation[p] == UNSET {
                    ready = false;
                    stack.push(p);
                }
            }
            if ready {
                stack.pop();
                if generation[x] == UNSET {
                    generation[x] = parents[x]
                        .iter()
                        .map(|&p| generation[p] + 1)
                        .max()
                        .unwrap_or(0);
                }
            }
        }
    }
    generation
}

/// The commits each merge brought in. Walks the first-parent line from the oldest commit: a
/// merge on it brings in what its other parents reach that nothing before it had. A merge
/// inside a merged side (a nested merge) is credited with what it brought into that side
/// (bounded: see the module's documentation).
pub fn introduced_sets(
    records: &[CommitRecord],
    index: &FastMap<CommitId, usize>,
    head: usize,
) -> Introduced {
    let (parents, cut) = acyclic_parents(records, index);
    let mut warnings = Vec::new();
    if let Some(&(x, p)) = cut.first() {
        warnings.push(format!(
            "the history's parent links form {} (commit {} lists {} as a parent, which it is \
             itself an ancestor of; grafts or a hand-edited part?): {} ignored",
            if cut.len() == 1 {
                "a cycle".to_string()
            } else {
                format!("{} cycles", cut.len())
            },
            short(&records[x].id),
            short(&records[p].id),
            if cut.len() == 1 {
                "that link is".to_string()
            } else {
                "those links are".to_string()
            },
        ));
    }
    let generation = generations(&parents);
    let mut mainline = vec![head];
    let mut cur = head;
    // The first parent, when it is among the records and its link was not cut.
    let first_parent = |x: usize| {
        records[x]
            .parents
            .first()
            .and_then(|p| index.get(p).copied())
            .filter(|p| parents[x].first() == Some(p))
    };
    while let Some(p) = first_parent(cur) {
        mainline.push(p);
        cur = p;
    }
    mainline.reverse();
    let mut seen = vec![false; records.len()];
    // The mainline merge whose side each commit is in (usize::MAX: none yet).
    let mut side_of = vec![usize::MAX; records.len()];
    let mut walk = NestedWalk {
        parents: &parents,
        generation: &generation,
        color: vec![0; records.len()],
        touched: Vec::new(),
        heap: BinaryHeap::new(),
    };
    let mut capped = 0usize;
    let mut sets = HashMap::new();
    let mut stack = Vec::new();
    for &c in &mainline {
        seen[c] = true;
        if parents[c].len() < 2 {
            continue;
        }
        let mut side = Vec::new();
        stack.extend(parents[c][1..].iter().copied());
        while let Some(x) = stack.pop() {
            if seen[x] {
                continue;
            }
            seen[x] = true;
            side_of[x] = c;
            side.push(x);
            stack.extend(parents[x].iter().copied());
        }
        side.sort_unstable();
        // Nested merges: what each brought into this side.
        for &m in &side {
            if parents[m].len() < 2 {
                continue;
            }
            let (mut brought, complete) = walk.brought(m, |x| side_of[x] == c);
            if !complete {
                capped += 1;
            }
            brought.sort_unstable();
            sets.insert(m, brought);
        }
        sets.insert(c, side);
    }
    if capped > 0 {
        warnings.push(format!(
            "{capped} merge{} inside merged branches brought in more than gluework follows \
             ({NESTED_BROUGHT_CAP} commits, {NESTED_WALK_STEPS} steps per merge): each is \
             credited with the newest it brought in, the rest only to the enclosing merge",
            if capped == 1 { "" } else { "s" }
        ));
    }
    Introduced { sets, warnings }
}

fn short(id: &CommitId) -> String {
    let hex = id.hex();
    hex.get(..12).unwrap_or(&hex).to_string()
}

/// A walk that paints what a nested merge's first parent reaches and what its other parents
/// reach, newest (highest generation) first, and stops when nothing only the other parents
/// reach is left to look at.
struct NestedWalk<'a> {
    parents: &'a [Vec<usize>],
    generation: &'a [u32],
    /// 1: reached from the first parent; 2: from the others; 3: both. Reset after each walk.
    color: Vec<u8>,
    touched: Vec<usize>,
    heap: BinaryHeap<(u32, usize)>,
}

impl NestedWalk<'_> {
    /// What merge `m` brought in among the commits `inside` accepts, and whether that is all
    /// of it (no cap reached).
    fn brought(&mut self, m: usize, inside: impl Fn(usize) -> bool) -> (Vec<usize>, bool) {
        let mut out = Vec::new();
        // Queued commits painted 2 only: the walk goes on while there are any.
        let mut pending = 0usize;
        for (k, &p) in self.parents[m].iter().enumerate() {
            let paint = if k == 0 { 1 } else { 2 };
            self.paint(p, paint, &inside, &mut pending);
        }
        let mut steps = 0usize;
        let mut complete = true;
        while pending > 0 {
            if steps >= NESTED_WALK_STEPS || out.len() >= NESTED_BROUGHT_CAP {
                complete = false;
                break;
            }
            let Some((_, x)) = self.heap.pop() else {
                break;
            };
            steps += 1;
            let color = self.color[x];
            let paint = if color == 2 {
                pending -= 1;
                out.push(x);
                2
            } else {
                1
            };
            for k in 0..self.parents[x].len() {
                let p = self.parents[x][k];
                self.paint(p, paint, &inside, &mut pending);
            }
        }
        self.heap.clear();
        for x in self.touched.drain(..) {
            self.color[x] = 0;
        }
        (out, complete)
    }

    /// Adds `paint` to commit `x` (when `inside` accepts it), queueing it when first reached.
    fn paint(&mut self, x: usize, paint: u8, inside: &impl Fn(usize) -> bool, pending: &mut usize) {
        let old = self.color[x];
        let new = old | paint;
        if new == old || !inside(x) {
            return;
        }
        self.color[x] = new;
        if old == 0 {
            self.touched.push(x);
            self.heap.push((self.generation[x], x));
        }
        if new == 2 {
            *pending += 1;
        } else if old == 2 {
            *pending -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn records(parents: &[Vec<usize>]) -> Vec<CommitRecord> {
        parents
            .iter()
            .enumerate()
            .map(|(i, ps)| CommitRecord {
                id: CommitId::from_hex(&format!("{i:040}")).unwrap(),
                parents: ps
                    .iter()
                    .map(|p| CommitId::from_hex(&format!("{p:040}")).unwrap())
                    .collect(),
                author: Default::default(),
                committer: Default::default(),
                author_time: 0,
                time: 0,
                subject: "".into(),
                merge: None,
                own: None,
                fix: false,
                pr: None,
                areas: Vec::new(),
                coauthors: Vec::new(),
                named: Vec::new(),
            })
            .collect()
    }

    fn sets(parents: &[Vec<usize>]) -> Introduced {
        let recs = records(parents);
        let index: FastMap<CommitId, usize> =
            recs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        introduced_sets(&recs, &index, 0)
    }

    /// The definition, walked the slow way: a mainline merge brings in what its other parents
    /// reach and its first parent does not; a merge inside that side, what its other parents
    /// reach and its first parent does not, within the side.
    fn naive(parents: &[Vec<usize>]) -> HashMap<usize, Vec<usize>> {
        let reach = |starts: &[usize]| {
            let mut seen = HashSet::new();
            let mut stack = starts.to_vec();
            while let Some(x) = stack.pop() {
                if seen.insert(x) {
                    stack.extend(parents[x].iter().copied());
                }
            }
            seen
        };
        let mut out = HashMap::new();
        let mut c = 0;
        loop {
            if parents[c].len() > 1 {
                let first = reach(&parents[c][..1]);
                let side: HashSet<usize> = reach(&parents[c][1..])
                    .into_iter()
                    .filter(|x| !first.contains(x))
                    .collect();
                for &m in &side {
                    if parents[m].len() > 1 {
                        let f = reach(&parents[m][..1]);
                        let mut b: Vec<usize> = reach(&parents[m][1..])
                            .into_iter()
                            .filter(|x| side.contains(x) && !f.contains(x))
                            .collect();
                        b.sort_unstable();
                        out.insert(m, b);
                    }
                }
                let mut side: Vec<usize> = side.into_iter().collect();
                side.sort_unstable();
                out.insert(c, side);
            }
            match parents[c].first() {
                Some(&p) => c = p,
                None => break,
            }
        }
        out
    }

    #[test]
    fn same_sets_as_the_definition_on_random_histories() {
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        for _ in 0..200 {
            // Commit i's parents are older commits (larger numbers); 0 is the head.
            let n = 2 + next(60);
            let parents: Vec<Vec<usize>> = (0..n)
                .map(|i| {
                    let left = n - 1 - i;
                    let mut ps = Vec::new();
                    if left > 0 {
                        ps.push(i + 1 + next(left.min(3)));
                        if next(3) == 0 {
                            let p = i + 1 + next(left);
                            if !ps.contains(&p) {
                                ps.push(p);
                            }
                        }
                    }
                    ps
                })
                .collect();
            let got = sets(&parents);
            assert!(got.warnings.is_empty());
            assert_eq!(got.sets, naive(&parents), "{parents:?}");
        }
    }

    #[test]
    fn cycles_are_cut_with_one_warning() {
        // 0 → 1 → 2 → 0, and 2 → 3.
        let got = sets(&[vec![1], vec![2], vec![0, 3], vec![]]);
        assert_eq!(got.warnings.len(), 1);
        assert!(
            got.warnings[0].contains("form a cycle"),
            "{:?}",
            got.warnings
        );
        // A merge whose side leads back to itself.
        let got = sets(&[vec![1, 2], vec![], vec![0]]);
        assert_eq!(got.warnings.len(), 1);
        assert_eq!(got.sets.get(&0).map(Vec::len), Some(1));
    }

    #[test]
    fn a_chain_of_nested_merges_is_capped() {
        // 0 = head merge of (1, 2); each merge 2k has parents (2k + 1, 2k + 2): a fresh root and
        // the next merge down.
        let merges = NESTED_BROUGHT_CAP + 50;
        let mut parents = Vec::new();
        for k in 0..merges {
            parents.push(vec![2 * k + 1, 2 * k + 2]);
            parents.push(vec![]);
        }
        parents.push(vec![]);
        let got = sets(&parents);
        assert!(got.sets.values().all(|s| s.len() <= parents.len()));
        assert!(got
            .sets
            .iter()
            .all(|(&m, s)| m == 0 || s.len() <= NESTED_BROUGHT_CAP));
        assert_eq!(got.sets[&0].len(), parents.len() - 2);
        assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
        // Merge 2k brings in everything from 2k + 2 down: 2 (merges - k) - 1 commits.
        let over = (1..merges)
            .filter(|k| 2 * (merges - k) - 1 > NESTED_BROUGHT_CAP)
            .count();
        let expected = format!("{over} merges inside merged branches");
        assert!(got.warnings[0].starts_with(&expected), "{:?}", got.warnings);
    }
}
