//! The squash-merge era: when a repository's recent history is mostly squash merges made in a
//! forge's web UI, git holds no reviewer for those commits (the review happened on the pull
//! request). Review coverage for that period is then "not in git", not a low percentage. See
//! docs/categories.md ("Squash-merge era").

use crate::classify::CommitRecord;
use crate::rules::CompiledRules;
use std::collections::BTreeMap;

/// An era needs at least this many squash merges in all...
pub const MIN_SQUASH_MERGES: u64 = 20;

/// A squash merge made in a forge's web UI: a non-merge commit committed by the web UI whose
/// subject ends in `(#N)`.
pub fn is_web_squash(r: &CommitRecord, rules: &CompiledRules) -> bool {
    r.merge.is_none() && r.pr.is_some() && super::is_web_ui(rules, &r.committer)
}

/// The era of one repository: the latest run of months (of the window's counted commits, by
/// commit date) in each of which more than half the commits are web-UI squash merges, ending
/// with the window's last month, holding at least `MIN_SQUASH_MERGES` of them. Returns the
/// first second of its first month, its commits and its squash merges.
pub fn era(
    records: &[CommitRecord],
    window: impl Iterator<Item = usize>,
    rules: &CompiledRules,
) -> Option<(i64, u64, u64)> {
    // month → (commits, squash merges)
    let mut months: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for i in window {
        let m = months.entry(super::month_of(records[i].time)).or_default();
        m.0 += 1;
        if is_web_squash(&records[i], rules) {
            m.1 += 1;
        }
    }
    let (mut first, mut commits, mut squash) = (None, 0, 0);
    for (&month, &(n, s)) in months.iter().rev() {
        if s * 2 <= n {
            break;
        }
        first = Some(month);
        commits += n;
        squash += s;
    }
    let month = first.filter(|_| squash >= MIN_SQUASH_MERGES)?;
    Some((crate::date::month_start(month), commits, squash))
}
