//! The people an evidence item names as the ones the work was shared with or helped: at most
//! [`WITH_CAP`] of them, and how many more. One commit can name thousands of co-authors (or
//! reviewers, or newcomers); every one of them is credited, but listing all the others on
//! every one of their credits would grow with the square of their number.

use crate::identity::PersonId;

/// The most people one evidence item names in `with` (the rest are counted in `with_more`);
/// also the most helpers recorded for the newcomers of one commit.
pub const WITH_CAP: usize = 100;

/// A credit's `with` list: the first [`WITH_CAP`] people (in person order) and a count of the
/// rest.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct With {
    pub ids: Vec<PersonId>,
    pub more: usize,
}

impl With {
    /// Everyone in `list` (sorted, unique).
    pub fn all(list: &[PersonId]) -> With {
        With::without(list, None, None)
    }

    /// Everyone in the sorted, unique `list`, plus `extra`, but `p`; in time bounded by the cap,
    /// not by the list's length.
    pub fn without(list: &[PersonId], extra: Option<PersonId>, p: Option<PersonId>) -> With {
        debug_assert!(list.windows(2).all(|w| w[0] < w[1]));
        let has = |x: PersonId| list.binary_search(&x).is_ok();
        let extra = extra.filter(|&e| !has(e));
        let total = list.len() + usize::from(extra.is_some())
            - usize::from(p.is_some_and(|p| has(p) || extra == Some(p)));
        let mut ids = Vec::with_capacity(total.min(WITH_CAP));
        let mut pending_extra = extra;
        for &x in list {
            if ids.len() >= WITH_CAP {
                break;
            }
            if let Some(e) = pending_extra.filter(|&e| e < x) {
                pending_extra = None;
                if Some(e) != p {
                    ids.push(e);
                    if ids.len() >= WITH_CAP {
                        break;
                    }
                }
            }
            if Some(x) != p {
                ids.push(x);
            }
        }
        if let Some(e) = pending_extra {
            if ids.len() < WITH_CAP && Some(e) != p {
                ids.push(e);
            }
        }
        With {
            more: total - ids.len(),
            ids,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.more == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(list: &[PersonId], extra: Option<PersonId>, p: Option<PersonId>) -> With {
        let mut all: Vec<PersonId> = list.iter().copied().chain(extra).collect();
        all.sort_unstable();
        all.dedup();
        all.retain(|&x| Some(x) != p);
        let more = all.len().saturating_sub(WITH_CAP);
        all.truncate(WITH_CAP);
        With { ids: all, more }
    }

    #[test]
    fn same_as_the_plain_list_below_the_cap_and_capped_above() {
        for n in [0usize, 1, 2, 5, 99, 100, 101, 102, 250] {
            let list: Vec<PersonId> = (0..n as PersonId).map(|x| x * 2).collect();
            for extra in [None, Some(0), Some(1), Some(3), Some(199), Some(1000)] {
                for p in [None, Some(0), Some(1), Some(2), Some(198), Some(1000)] {
                    assert_eq!(
                        With::without(&list, extra, p),
                        naive(&list, extra, p),
                        "n {n} extra {extra:?} p {p:?}"
                    );
                }
            }
        }
        let w = With::all(&(0..5000).collect::<Vec<_>>());
        assert_eq!((w.ids.len(), w.more), (WITH_CAP, 5000 - WITH_CAP));
    }
}
