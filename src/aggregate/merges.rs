//! Which merges and applied patches are reviews. A merge earns credit only when it integrates
//! someone's work (not a sync, a back-merge, a release merge, or a merge whose parents are the
//! wrong way round); an applied patch only when its committer did not import or rewrite history
//! in bulk, and did not rebase someone else's commit into their own branch. See
//! docs/categories.md ("Merges" and "Applied patches").

use crate::classify::merges::{merge_kind, MergeKind};
use crate::classify::{CommitId, CommitRecord, MergeStyle};
use crate::date::format_utc;
use crate::identity::{PersonId, Resolver};
use crate::rules::CompiledRules;
use crate::FastMap;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A run of at least this many commits by others, committed by one person...
pub const BULK_MIN_COMMITS: usize = 20;
/// ...each within this many seconds of the previous one...
pub const BULK_MAX_GAP: i64 = 120;
/// ...at least half of them committed this long after they were authored...
pub const BULK_MIN_LAG: i64 = 30 * 86_400;
/// ...and authored over at least this long a time, is a history import or a bulk rewrite, not
/// patches applied one by one (a long-lived series applied with `git am` was written within
/// weeks, however long ago).
pub const BULK_MIN_SPAN: i64 = 180 * 86_400;

/// What the review rules decided for a repository's commits.
#[derive(Default)]
pub(super) struct ReviewFacts {
    /// Merges that are not integrations, and what they are.
    pub not_integration: HashMap<usize, MergeKind>,
    /// Commits whose committer earns no `applied` credit (a bulk import or rewrite, or a
    /// commit rebased into the committer's own branch).
    pub no_applied: Vec<bool>,
    /// Commits brought in by a bulk import or rewrite: no merge credit for them either.
    pub imported: Vec<bool>,
    /// One warning per bulk import or rewrite.
    pub warnings: Vec<String>,
}

/// The person who committed commit `r`, when that is a human other than its web UI.
pub(super) fn committer_of(
    r: &CommitRecord,
    resolver: &Resolver,
    rules: &CompiledRules,
) -> Option<PersonId> {
    if super::is_web_ui(rules, &r.committer) {
        return None;
    }
    let c = resolver.person(&r.committer)?;
    super::is_human(resolver, c).then_some(c)
}

/// The scanned repository's owner and name as its remote gives them (`…/owner/repo`).
fn own_repo(remote: Option<&crate::scan::remote::Remote>) -> Option<(&str, &str)> {
    remote.map(|r| crate::classify::merges::url_owner_repo(&r.url))
}

pub(super) fn review_facts(
    scan: &crate::scan::RepoScan,
    resolver: &Resolver,
    rules: &CompiledRules,
    authors: &[Vec<PersonId>],
    introduced: &HashMap<usize, Vec<usize>>,
) -> ReviewFacts {
    let records = &scan.records;
    let committers: Vec<Option<PersonId>> = records
        .par_iter()
        .map(|r| committer_of(r, resolver, rules))
        .collect();
    let mut out = ReviewFacts {
        no_applied: vec![false; records.len()],
        imported: vec![false; records.len()],
        ..Default::default()
    };
    let own = own_repo(scan.remote.as_ref());
    let index: FastMap<CommitId, usize> =
        records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    // Each merge on its own, side by side: what it is, and the commits rebased into their
    // committer's own branch; then gathered in merge order.
    let mut merges: Vec<(&usize, &Vec<usize>)> = introduced.iter().collect();
    merges.sort_unstable();
    let judged: Vec<(usize, Option<MergeKind>, Vec<usize>)> = merges
        .par_iter()
        .filter_map(|&(&m, side)| {
            let r = &records[m];
            let style = r.merge.as_deref()?;
            let mut kind = merge_kind(style, &r.subject, own);
            if kind == MergeKind::Integration && wrong_way_round(records, r, side, rules) {
                kind = MergeKind::Sync;
            }
            if kind == MergeKind::Sync && own.is_none() && pulled_from_its_authors(records, r, side)
            {
                kind = MergeKind::Integration;
            }
            if kind != MergeKind::Integration {
                return Some((m, Some(kind), Vec::new()));
            }
            // The commits this merge brought in itself, not through a nested merge: the branch
            // that was merged, its first-parent line within the side (a release merge's side
            // holds whole topics, merged on their own). Linear in the side: a chain of nested
            // merges must not make it grow with the square of the history.
            let direct = merged_branch(records, &index, r, side);
            let rebased =
                rebased_into_own_branch(records, style, &direct, authors, &committers, resolver);
            Some((m, None, rebased))
        })
        .collect();
    for (m, kind, rebased) in judged {
        if let Some(kind) = kind {
            out.not_integration.insert(m, kind);
        }
        for j in rebased {
            out.no_applied[j] = true;
        }
    }
    bulk_rewrites(scan, authors, &committers, resolver, &mut out);
    out
}

/// The branch merge `r` merged: from each of its other parents, the first-parent line while it
/// stays in `side` (what the merge brought in), in side order. Nested merges on that line are
/// part of it; what they brought in is not.
fn merged_branch(
    records: &[CommitRecord],
    index: &FastMap<CommitId, usize>,
    r: &CommitRecord,
    side: &[usize],
) -> Vec<usize> {
    let in_side: HashSet<usize> = side.iter().copied().collect();
    let mut seen: HashSet<usize> = HashSet::new();
    for p in r.parents.iter().skip(1) {
        let mut at = index.get(p).copied();
        while let Some(x) = at.filter(|x| in_side.contains(x) && seen.insert(*x)) {
            at = records[x]
                .parents
                .first()
                .and_then(|p| index.get(p).copied());
        }
    }
    side.iter().copied().filter(|j| seen.contains(j)).collect()
}

/// A plain merge whose merged side holds other pull requests' merges, or squash merges made in
/// a forge's web UI: the side is the project's main line, so the first parent is someone's
/// branch and the merge a pull (`git pull` on a feature branch, then pushed as the main line).
/// A contributor's commit that merely ends in `(#N)` (an issue number) is no sign.
fn wrong_way_round(
    records: &[CommitRecord],
    r: &CommitRecord,
    side: &[usize],
    rules: &CompiledRules,
) -> bool {
    matches!(r.merge.as_deref(), Some(MergeStyle::Plain))
        && side.iter().any(|&j| {
            let x = &records[j];
            x.pr.is_some_and(|n| Some(n) != r.pr)
                && (x.merge.is_some() || super::squash::is_web_squash(x, rules))
        })
}

/// Without a known remote, `Merge branch 'master' of https://github.com/alice/repo` is a sync
/// unless the URL's owner wrote what it brought in (a login or an email's user part equal to
/// `alice`): then it is a contributor's fork pulled in by a maintainer.
fn pulled_from_its_authors(records: &[CommitRecord], r: &CommitRecord, side: &[usize]) -> bool {
    let Some(url) = crate::classify::merges::parse_subject(&r.subject).url else {
        return false;
    };
    let (owner, _) = crate::classify::merges::url_owner_repo(url);
    let owner = owner.trim_start_matches('~');
    if owner.is_empty() {
        return false;
    }
    side.iter().any(|&j| {
        let a = &records[j].author;
        records[j].merge.is_none()
            && (a
                .login
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(owner))
                || a.email.as_deref().is_some_and(|e| {
                    let user = e.split('@').next().unwrap_or("");
                    let user = user.split_once('+').map_or(user, |(_, u)| u);
                    user.eq_ignore_ascii_case(owner)
                }))
    })
}

/// Rebasing someone else's commit into one's own branch is not reviewing it: in the branch an
/// integration merge brought in (`side`, without what nested merges brought), a commit
/// committed by someone who also authored other commits of that branch, or by the person whose
/// branch the merge names, earns its committer no `applied` credit.
fn rebased_into_own_branch(
    records: &[CommitRecord],
    style: &MergeStyle,
    side: &[usize],
    authors: &[Vec<PersonId>],
    committers: &[Option<PersonId>],
    resolver: &Resolver,
) -> Vec<usize> {
    let owner = match style {
        MergeStyle::GitHub { from, .. } => from.split('/').next(),
        MergeStyle::Bors { author, .. } => Some(author.as_str()),
        _ => None,
    };
    let side_authors: HashSet<PersonId> = side
        .iter()
        .filter(|&&j| records[j].merge.is_none())
        .flat_map(|&j| authors[j].iter().copied())
        .collect();
    let mut out = Vec::new();
    for &j in side {
        let Some(c) = committers[j] else { continue };
        if records[j].merge.is_some() || authors[j].contains(&c) {
            continue;
        }
        let owns_branch = owner.is_some_and(|o| {
            resolver
                .info(c)
                .login
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(o))
        });
        if side_authors.contains(&c) || owns_branch {
            out.push(j);
        }
    }
    out
}

/// History imports and bulk rewrites: runs of commits by others committed by one person within
/// moments of each other, long after they were authored (see the constants).
fn bulk_rewrites(
    scan: &crate::scan::RepoScan,
    authors: &[Vec<PersonId>],
    committers: &[Option<PersonId>],
    resolver: &Resolver,
    out: &mut ReviewFacts,
) {
    let records = &scan.records;
    let mut by_committer: FastMap<PersonId, Vec<usize>> = FastMap::default();
    for (j, r) in records.iter().enumerate() {
        if r.merge.is_some() {
            continue;
        }
        if let Some(c) = committers[j] {
            if !authors[j].contains(&c) {
                by_committer.entry(c).or_default().push(j);
            }
        }
    }
    let mut people: Vec<PersonId> = by_committer.keys().copied().collect();
    people.sort_unstable();
    for p in people {
        let mut list = by_committer.remove(&p).unwrap_or_default();
        list.sort_unstable_by(|&a, &b| {
            (records[a].time, &records[a].id).cmp(&(records[b].time, &records[b].id))
        });
        let mut start = 0;
        for k in 1..=list.len() {
            let run_ends = k == list.len()
                || records[list[k]]
                    .time
                    .saturating_sub(records[list[k - 1]].time)
                    > BULK_MAX_GAP;
            if !run_ends {
                continue;
            }
            let run = &list[start..k];
            start = k;
            if run.len() < BULK_MIN_COMMITS {
                continue;
            }
            let late = run
                .iter()
                .filter(|&&j| {
                    records[j].time.saturating_sub(records[j].author_time) >= BULK_MIN_LAG
                })
                .count();
            let oldest = run
                .iter()
                .map(|&j| records[j].author_time)
                .min()
                .unwrap_or(0);
            let newest = run
                .iter()
                .map(|&j| records[j].author_time)
                .max()
                .unwrap_or(0);
            // Saturating: a hostile commit's date can be any 64-bit time.
            if late * 2 < run.len() || newest.saturating_sub(oldest) < BULK_MIN_SPAN {
                continue;
            }
            for &j in run {
                out.no_applied[j] = true;
                out.imported[j] = true;
            }
            let (first, last) = (&records[run[0]], &records[run[run.len() - 1]]);
            out.warnings.push(format!(
                "history import or rewrite: {} commits by others committed by {} between {} and {} ({}..{}), authored between {} and {}; no applied or merge credit for them",
                run.len(),
                resolver.info(p).name,
                format_utc(first.time),
                format_utc(last.time),
                short_id(&first.id),
                short_id(&last.id),
                format_utc(oldest),
                format_utc(newest),
            ));
        }
    }
}

fn short_id(id: &CommitId) -> String {
    let hex = id.hex();
    hex.get(..12).unwrap_or(&hex).to_string()
}
