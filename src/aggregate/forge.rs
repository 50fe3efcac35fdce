//! Credits from forge data (`--forge`, docs/forge.md): reviews of pull requests, review comments,
//! and help on newcomers' pull requests. Pure: the loaded data, the records and the resolver in,
//! credits out; `build_report` applies them with the git credits so that nothing is counted twice.

use super::{is_human, RepoFacts};
use crate::category::Category;
use crate::classify::{CommitId, CommitRecord};
use crate::forge::{ForgeData, ForgeKind, Login, Pull, PullState, ReviewState};
use crate::ident::Ident;
use crate::identity::{PersonId, Resolver, ResolverBuilder, Seen};
use crate::rules::CompiledRules;
use crate::scan::RepoScan;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A forge account that can earn credit: not a bot by the forge's word or by the rules.
fn is_bot_login(rules: &CompiledRules, l: &Login) -> bool {
    l.bot || rules.is_bot(&l.login, None, Some(&l.login))
}

/// Everyone a pull request names, by login.
fn logins(pull: &Pull) -> impl Iterator<Item = &Login> {
    pull.author
        .iter()
        .chain(pull.merged_by.iter())
        .chain(pull.reviews.iter().map(|r| &r.who))
        .chain(pull.review_comments.iter().map(|c| &c.who))
        .chain(pull.comments.iter().map(|c| &c.who))
}

/// Observes the forge's people (as logins) and what joins a login to a git identity: GitHub says
/// which account each pull request commit's author email belongs to; a request whose commits
/// all have one author email (on GitHub: none of them matched to an account) joins that email
/// to the request's author.
/// Where the commit is in the scanned history, its author after .mailmap is used.
pub(super) fn observe(
    b: &mut ResolverBuilder,
    scan: &RepoScan,
    data: &ForgeData,
    rules: &CompiledRules,
) {
    let by_id: HashMap<CommitId, &CommitRecord> = scan.records.iter().map(|r| (r.id, r)).collect();
    let ident_of = |sha: &str, name: &str, email: &str| -> Ident {
        CommitId::from_hex(sha)
            .ok()
            .and_then(|id| by_id.get(&id))
            .map(|r| Ident::clone(&r.author))
            .unwrap_or_else(|| Ident::from_signature(name, email))
    };
    for pull in &data.pulls {
        let t = pull.created_at;
        for l in logins(pull) {
            if !is_bot_login(rules, l) {
                b.observe(&Ident::from_login(&l.login), Seen::Credited, t);
            }
        }
        let mut join = |base: Ident, login: &str| {
            if let Some(email) = &base.email {
                b.link_login(email, login, "forge");
            }
        };
        if data.forge == ForgeKind::Github {
            for c in &pull.commits {
                if let Some(login) = &c.login {
                    join(ident_of(&c.sha, &c.name, &c.email), login);
                }
            }
        }
        // On either forge, a request whose commits all have one author email joins that email
        // to the request's author (on GitHub this covers commits it matched to no account).
        let emails: BTreeSet<String> = pull
            .commits
            .iter()
            .map(|c| c.email.to_lowercase())
            .collect();
        let unmatched =
            data.forge == ForgeKind::Gitlab || pull.commits.iter().all(|c| c.login.is_none());
        if let (Some(author), 1, Some(c), true) =
            (&pull.author, emails.len(), pull.commits.first(), unmatched)
        {
            if !is_bot_login(rules, author) {
                join(ident_of(&c.sha, &c.name, &c.email), &author.login);
            }
        }
    }
}

/// One credit from forge data, before de-duplication against the git credits.
pub(super) struct PullCredit {
    pub person: PersonId,
    pub category: Category,
    pub kind: String,
    pub with: Vec<PersonId>,
    pub time: i64,
    pub pr: u64,
}

/// What the forge data of one repository gives.
#[derive(Default)]
pub(super) struct RepoForge {
    pub credits: Vec<PullCredit>,
    /// Per person: review comments in the window, and the pull requests they were on.
    pub review_comments: BTreeMap<PersonId, (u64, BTreeSet<u64>)>,
    /// Newcomer → the people who helped on their newcomer pull requests.
    pub helped: BTreeMap<PersonId, BTreeSet<PersonId>>,
    /// Newcomers' first merged pull requests: (newcomer, pull number, merge time, helpers).
    pub onboarding: Vec<(PersonId, u64, i64, Vec<PersonId>)>,
    /// Pull requests with a review in the window (for review coverage).
    pub reviewed: BTreeSet<u64>,
}

fn state_rank(s: ReviewState) -> (u8, &'static str) {
    match s {
        ReviewState::Approved => (0, "approved"),
        ReviewState::ChangesRequested => (1, "changes-requested"),
        ReviewState::Commented => (2, "commented"),
        ReviewState::Dismissed => (3, "dismissed"),
    }
}

/// The credits of one repository's forge data. `in_range` says whether a pull request's credits
/// count at all (with `--rev A..B`: only one with a commit in the range), `in_window` whether
/// a time counts;
/// `commits_before(p, t)` is how many commits person `p` authored in the repository before `t`.
/// A newcomer pull request is one the forge marks as a first-time contributor's, or one of its
/// author's first `newcomers` pull requests opened while they had fewer than `newcomers`
/// commits in the repository (so a long-time committer's first pull request is not one).
pub(super) fn credits(
    data: &ForgeData,
    resolver: &Resolver,
    rules: &CompiledRules,
    newcomers: usize,
    in_range: &dyn Fn(&Pull) -> bool,
    in_window: &dyn Fn(i64) -> bool,
    commits_before: &dyn Fn(PersonId, i64) -> usize,
) -> RepoForge {
    let mut out = RepoForge::default();
    let person = |l: &Login| -> Option<PersonId> {
        if is_bot_login(rules, l) {
            return None;
        }
        let p = resolver.person(&Ident::from_login(&l.login))?;
        is_human(resolver, p).then_some(p)
    };
    // Each author's first pull requests (by creation), and their first merged one.
    let mut by_author: BTreeMap<PersonId, Vec<(i64, u64)>> = BTreeMap::new();
    let mut merged_by_author: BTreeMap<PersonId, (i64, u64)> = BTreeMap::new();
    for pull in &data.pulls {
        if let Some(a) = pull.author.as_ref().and_then(person) {
            by_author
                .entry(a)
                .or_default()
                .push((pull.created_at, pull.number));
            if let (PullState::Merged, Some(t)) = (pull.state, pull.merged_at) {
                let e = merged_by_author.entry(a).or_insert((t, pull.number));
                *e = (*e).min((t, pull.number));
            }
        }
    }
    let mut newcomer_pr: BTreeSet<u64> = BTreeSet::new();
    for (&a, list) in by_author.iter_mut() {
        list.sort_unstable();
        newcomer_pr.extend(
            list.iter()
                .take(newcomers)
                .filter(|&&(t, _)| commits_before(a, t) < newcomers)
                .map(|&(_, n)| n),
        );
    }
    let first_merged: BTreeSet<u64> = merged_by_author.values().map(|&(_, n)| n).collect();

    for pull in &data.pulls {
        // Outside the range nothing of it is credited (who helped whom is still known, as
        // newcomers are judged on the whole history).
        let counts = in_range(pull);
        let in_window = |t: i64| counts && in_window(t);
        let author = pull.author.as_ref().and_then(person);
        let with: Vec<PersonId> = author.into_iter().collect();
        // Nobody reviews or helps on their own pull request (also not under another key of
        // theirs that resolution missed).
        let others = |p: &PersonId| {
            Some(*p) != author && !author.is_some_and(|a| resolver.shares_key(*p, &[a]))
        };
        // Reviewers: the most telling state, at their first review or diff comment.
        let mut reviewers: BTreeMap<PersonId, ((u8, &str), i64)> = BTreeMap::new();
        for r in &pull.reviews {
            if let Some(p) = person(&r.who).filter(others) {
                let e = reviewers.entry(p).or_insert((state_rank(r.state), r.at));
                e.0 = e.0.min(state_rank(r.state));
                e.1 = e.1.min(r.at);
            }
        }
        for c in &pull.review_comments {
            if let Some(p) = person(&c.who).filter(others) {
                let e = reviewers
                    .entry(p)
                    .or_insert((state_rank(ReviewState::Commented), c.at));
                e.1 = e.1.min(c.at);
                if in_window(c.at) {
                    let rc = out.review_comments.entry(p).or_default();
                    rc.0 += 1;
                    rc.1.insert(pull.number);
                }
            }
        }
        for (&p, &((_, state), t)) in &reviewers {
            if in_window(t) {
                out.reviewed.insert(pull.number);
                out.credits.push(PullCredit {
                    person: p,
                    category: Category::Review,
                    kind: format!("pr-review:{state}"),
                    with: with.clone(),
                    time: t,
                    pr: pull.number,
                });
            }
        }
        // Help on a newcomer's pull request: reviews, comments and the merge.
        let Some(newcomer) = author else { continue };
        let is_newcomer_pr = pull.first_time || newcomer_pr.contains(&pull.number);
        if !is_newcomer_pr {
            continue;
        }
        let mut helpers: BTreeMap<PersonId, i64> = BTreeMap::new();
        let mut helped_at = |p: PersonId, t: i64| {
            let e = helpers.entry(p).or_insert(t);
            *e = (*e).min(t);
        };
        for (&p, &(_, t)) in &reviewers {
            helped_at(p, t);
        }
        for c in &pull.comments {
            if let Some(p) = person(&c.who).filter(others) {
                helped_at(p, c.at);
            }
        }
        if let (Some(m), Some(t)) = (pull.merged_by.as_ref().and_then(person), pull.merged_at) {
            if others(&m) {
                helped_at(m, t);
            }
        }
        for (&h, &t) in &helpers {
            out.helped.entry(newcomer).or_default().insert(h);
            if in_window(t) {
                out.credits.push(PullCredit {
                    person: h,
                    category: Category::Onboarding,
                    kind: "pr-newcomer".to_string(),
                    with: vec![newcomer],
                    time: t,
                    pr: pull.number,
                });
            }
        }
        if first_merged.contains(&pull.number) {
            if let Some(t) = pull.merged_at.filter(|&t| in_window(t)) {
                out.onboarding
                    .push((newcomer, pull.number, t, helpers.keys().copied().collect()));
            }
        }
    }
    out
}

/// With `--rev A..B` (`outside` marks the records A reaches): whether a pull request is in the
/// range, that is whether its merge or squash commit, its head or one of its commits is a
/// commit of the range. A pull request with none of them in the scanned history (open, closed
/// unmerged, or merged into another branch) is in no range. Without a range, every one is.
pub(super) fn range_filter<'a>(
    records: &'a [CommitRecord],
    outside: &'a [bool],
) -> impl Fn(&Pull) -> bool + 'a {
    let inside: Option<std::collections::HashSet<CommitId>> = (!outside.is_empty()).then(|| {
        records
            .iter()
            .zip(outside)
            .filter(|(_, &out)| !out)
            .map(|(r, _)| r.id)
            .collect()
    });
    move |pull: &Pull| {
        let Some(inside) = &inside else { return true };
        [
            &pull.merge_commit_sha,
            &pull.squash_commit_sha,
            &pull.head_sha,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .chain(pull.commits.iter().map(|c| c.sha.as_str()))
        .any(|sha| CommitId::from_hex(sha).is_ok_and(|id| inside.contains(&id)))
    }
}

/// The commits of each pull request in the scanned history (its own and those it brought in).
pub(super) fn commits_by_pr(facts: &RepoFacts) -> HashMap<u64, Vec<usize>> {
    let mut out: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, pr) in facts.pr.iter().enumerate() {
        if let Some(n) = pr {
            out.entry(*n).or_default().push(j);
        }
    }
    out
}

/// The subject and commit an evidence item of pull request `n` shows: its merge (or squash)
/// commit when that is in the scanned history.
pub(super) fn pull_commit<'a>(
    pull: &Pull,
    index: &HashMap<CommitId, &'a CommitRecord>,
) -> Option<&'a CommitRecord> {
    [&pull.merge_commit_sha, &pull.squash_commit_sha]
        .into_iter()
        .flatten()
        .find_map(|sha| index.get(&CommitId::from_hex(sha).ok()?).copied())
}

/// `pull request #12` or `merge request !12`.
pub(super) fn pull_name(forge: ForgeKind, n: u64) -> String {
    match forge {
        ForgeKind::Github => format!("pull request #{n}"),
        ForgeKind::Gitlab => format!("merge request !{n}"),
    }
}

/// What evidence about a pull request with no commit in the history is called: its title,
/// else its number (`pull request #7`).
pub(super) fn pull_subject(forge: ForgeKind, pull: &Pull) -> String {
    if pull.title.is_empty() {
        pull_name(forge, pull.number)
    } else {
        pull.title.clone()
    }
}
