//! Aggregation: from classified commits of every repository to the report. This is where the
//! rules that span commits live: who is who, who is a newcomer, what a merge brought in, and
//! where each credit lands. Pure: no git2, no I/O.

use crate::category::{Category, Counts};
use crate::classify::{CommitId, CommitRecord, MergeStyle};
use crate::date::{timestamp, Period};
use crate::forge::ForgeData;
use crate::ident::Ident;
use crate::identity::Alias;
use crate::identity::{PersonId, Resolver, ResolverBuilder, Seen};
use crate::model::{self, CommitRow, Evidence, Newcomer, PeriodCounts, RepoCounts, Report, Text};
use crate::rules::{CompiledRules, RULES_VERSION};
use crate::scan::RepoScan;
use crate::FastMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod ancestry;
mod forge;
mod merges;
mod squash;
mod with;

use with::With;

/// Options that shape the report.
pub struct AggregateOptions<'a> {
    /// Report-wide rules: bots and web-UI identities. (Each repository's classification rules
    /// travel with its scan.)
    pub rules: &'a CompiledRules,
    pub aliases: &'a [Alias],
    /// People left out entirely: emails, `@logins`, logins or names.
    pub exclude: &'a [String],
    /// Configured teams: name → members (emails, `@logins`, logins or names).
    pub teams: &'a BTreeMap<String, Vec<String>>,
    /// Restrict people and team figures to this team.
    pub team: Option<&'a str>,
    pub config: model::ConfigInfo,
    /// Inclusive bounds on commit (committer) time, as Unix timestamps.
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub include_bots: bool,
    pub period: Period,
    /// `--rev A..B` as given, for the report's window (the records outside it are marked by the
    /// scan: `RepoScan::outside`).
    pub range: Option<String>,
    /// A person active (an authored commit or a credit) in at least this many distinct months
    /// of the window is a regular contributor (`[report] regular_months`).
    pub regular_months: usize,
    /// Each repository's pull request data (`--forge`), by its index in the scans; missing
    /// entries are none.
    pub forge: &'a [Option<Arc<ForgeData>>],
}

/// The pull request data of repository `ri`, if it has any.
fn forge_of(forge: &[Option<Arc<ForgeData>>], ri: usize) -> Option<&ForgeData> {
    forge.get(ri).and_then(|f| f.as_deref())
}

impl AggregateOptions<'_> {
    fn in_window(&self, t: i64) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u)
    }
}

/// One credit before de-duplication.
struct Credit {
    person: PersonId,
    category: Category,
    kind: String,
    with: With,
}

/// A person's account: everything the report says about them, before it becomes a
/// `model::Person`.
#[derive(Default)]
struct Acc {
    /// Their non-merge commits in the window, (repo, commit), sorted.
    commits: Vec<(usize, usize)>,
    /// (repo, commit, category) credited, sorted: counts are distinct commits.
    credited: Vec<(usize, usize, Category)>,
    counts: Counts,
    by_repo: BTreeMap<usize, Counts>,
    timeline: BTreeMap<String, Counts>,
    /// Their credits' evidence; sorted by `into_person`.
    evidence: Vec<Evidence>,
    /// (repo, area number) → (code commits, glue commits).
    areas: BTreeMap<(usize, u32), (u64, u64)>,
    /// (repo, pull request, category) credited from forge data.
    credited_prs: BTreeSet<(usize, u64, Category)>,
    /// Review comments (forge data) and the (repo, pull request)s they were on.
    review_comments: u64,
    review_comment_prs: BTreeSet<(usize, u64)>,
    first: Option<i64>,
    last: Option<i64>,
    /// The months (`year * 12 + month - 1`, UTC) with an authored commit or a credit.
    months: BTreeSet<i64>,
}

/// The month of a timestamp as one number: `year * 12 + month - 1` (UTC).
fn month_of(t: i64) -> i64 {
    crate::date::month_index(t)
}

impl Acc {
    fn seen_at(&mut self, t: i64) {
        self.first = Some(self.first.map_or(t, |f| f.min(t)));
        self.last = Some(self.last.map_or(t, |l| l.max(t)));
        self.months.insert(month_of(t));
    }

    /// The person in the report, and their commits (for team figures).
    fn into_person(
        mut self,
        info: &crate::identity::PersonInfo,
        teams: Vec<String>,
        names: &[String],
        facts: &[RepoFacts],
    ) -> (model::Person, Vec<(usize, usize)>, usize) {
        // By time (an item's date is its commit's time, or its forge event's), commit, category
        // and rule.
        self.evidence.sort_by(|x, y| {
            (x.date, &x.commit, x.category, &x.kind).cmp(&(y.date, &y.commit, y.category, &y.kind))
        });
        let glue = self.counts.glue();
        let total = self.counts.total();
        let mut by_repo: Vec<RepoCounts> = self
            .by_repo
            .into_iter()
            .map(|(ri, categories)| RepoCounts {
                repo: names[ri].clone(),
                categories,
            })
            .collect();
        by_repo.sort_by(|a, b| a.repo.cmp(&b.repo));
        let person = model::Person {
            id: info.id.clone(),
            name: info.name.clone(),
            email: info.email.clone(),
            login: info.login.clone(),
            aliases: info.aliases.clone(),
            joins: info
                .joins
                .iter()
                .map(|j| model::Join {
                    identity: j.identity.clone(),
                    reason: j.reason.clone(),
                })
                .collect(),
            bot: info.bot,
            teams,
            commits: self.commits.len() as u64,
            categories: self.counts,
            glue,
            glue_share: if total == 0 {
                0.0
            } else {
                model::ratio(glue as f64 / total as f64)
            },
            first_seen: self.first.map(timestamp),
            last_seen: self.last.map(timestamp),
            by_repo,
            review_comments: self.review_comments,
            review_comment_prs: self.review_comment_prs.len() as u64,
            areas: self
                .areas
                .into_iter()
                .map(|((ri, area), (code, glue))| model::AreaCounts {
                    repo: names[ri].clone(),
                    area: facts[ri].areas.names[area as usize].clone(),
                    code,
                    glue,
                })
                .collect(),
            timeline: self
                .timeline
                .into_iter()
                .map(|(period, categories)| PeriodCounts { period, categories })
                .collect(),
            evidence: self.evidence,
        };
        (person, self.commits, self.months.len())
    }
}

/// Commits per chunk of the credit stage (small repositories are one chunk).
const CHUNK: usize = 4096;

/// A credit ready for its person's account: one per commit, person and category (repository
/// and commit numbers, and the item; its time is its commit's).
struct Row {
    ri: u32,
    i: u32,
    evidence: Evidence,
}

/// What one chunk of one repository's commits gives.
struct ChunkOut {
    ri: usize,
    /// Commits and merges in the window.
    commits: u64,
    merges: u64,
    /// Non-merge commits in the window that count (not only excluded paths).
    window: Vec<usize>,
    /// Commits with a review signal.
    reviewed: Vec<usize>,
    /// (newcomer, helper) pairs.
    helped: Vec<(PersonId, PersonId)>,
    /// Each author's earliest counted commit in the chunk: (author time, commit).
    first: FastMap<PersonId, (i64, usize)>,
    /// Credits by person (sorted by person), in commit order.
    rows: Vec<(PersonId, Vec<Row>)>,
    /// Authored commits in the window by person (sorted by person): (commit, time).
    authored: Vec<(PersonId, Vec<(usize, i64)>)>,
}

/// A person's share of every chunk, in chunk order.
#[derive(Default)]
struct PersonChunks {
    rows: Vec<Vec<Row>>,
    authored: Vec<(usize, Vec<(usize, i64)>)>,
}

impl PersonChunks {
    /// Their account from their credits and commits.
    fn account(self, facts: &[RepoFacts], period: Period) -> Acc {
        let mut acc = Acc::default();
        for (ri, commits) in self.authored {
            for (i, t) in commits {
                acc.commits.push((ri, i));
                acc.seen_at(t);
            }
        }
        acc.commits.sort_unstable();
        // The last commit counted as glue in `areas` (a person's rows of a commit are adjacent).
        let mut glue_commit = None;
        // Counts per day (UTC), then per period: a period's label is made once per day, not
        // once per credit.
        let mut days: FastMap<i64, Counts> = FastMap::default();
        acc.evidence
            .reserve_exact(self.rows.iter().map(Vec::len).sum::<usize>());
        for row in self.rows.into_iter().flatten() {
            let (ri, i, category) = (row.ri as usize, row.i as usize, row.evidence.category);
            let time = row.evidence.date.as_second();
            acc.credited.push((ri, i, category));
            acc.seen_at(time);
            acc.counts[category] += 1;
            acc.by_repo.entry(ri).or_default()[category] += 1;
            days.entry(time.div_euclid(86_400)).or_default()[category] += 1;
            let glue_first = category.is_glue() && glue_commit != Some((ri, i));
            if glue_first {
                glue_commit = Some((ri, i));
            }
            let (start, end) = facts[ri].areas.range(i);
            let ids = &facts[ri].areas.ids[start as usize..end as usize];
            for &area in ids {
                let a = acc.areas.entry((ri, area)).or_default();
                if category == Category::Code {
                    a.0 += 1;
                } else if glue_first {
                    a.1 += 1;
                }
            }
            acc.evidence.push(row.evidence);
        }
        for (day, counts) in days {
            acc.timeline
                .entry(period.label(day.saturating_mul(86_400)))
                .or_default()
                .add(&counts);
        }
        acc.credited.sort_unstable();
        acc
    }
}

/// What the credit steps read (the chunks, the forge credits, the people rows).
struct ChunkContext<'a> {
    scans: &'a [RepoScan],
    facts: &'a [RepoFacts],
    resolver: &'a Resolver,
    rules: &'a CompiledRules,
    opts: &'a AggregateOptions<'a>,
    excluded: &'a BTreeSet<PersonId>,
    names: &'a [String],
    /// `names`, shared by every evidence item.
    shared_names: &'a [Arc<str>],
    /// Every person's id, shared by every evidence item that names them.
    ids: &'a [Text],
}

impl ChunkContext<'_> {
    /// Person `p`'s id, as evidence names them.
    fn id(&self, p: PersonId) -> Text {
        self.ids[p as usize].clone()
    }

    /// Whether first commit `a` (author time, repo, commit) comes before `b`: by time, then
    /// repository name, then commit id.
    fn earlier(&self, a: (i64, usize, usize), b: (i64, usize, usize)) -> bool {
        let key =
            |(t, ri, i): (i64, usize, usize)| (t, &self.names[ri], &self.scans[ri].records[i].id);
        key(a) < key(b)
    }

    /// The credits of commits `range` of repository `ri`.
    fn credits(&self, ri: usize, range: std::ops::Range<usize>) -> ChunkOut {
        let scan = &self.scans[ri];
        let facts = &self.facts[ri];
        let mut out = ChunkOut {
            ri,
            commits: 0,
            merges: 0,
            window: Vec::new(),
            reviewed: Vec::new(),
            helped: Vec::new(),
            first: FastMap::default(),
            rows: Vec::new(),
            authored: Vec::new(),
        };
        let crediting = Crediting {
            records: &scan.records,
            facts,
            resolver: self.resolver,
            rules: self.rules,
            kinds: &scan.rules,
        };
        let mut rows: FastMap<PersonId, Vec<Row>> = FastMap::default();
        let mut authored: FastMap<PersonId, Vec<(usize, i64)>> = FastMap::default();
        // (person, category) already credited on the commit: a set, as one commit can credit
        // thousands of people.
        let mut seen: FastMap<(PersonId, Category), ()> = FastMap::default();
        // The rules' names, each held once by the chunk's items.
        let mut kinds: std::collections::HashSet<Text> = Default::default();
        for i in range {
            let r = &scan.records[i];
            let counted = r.merge.is_none() && r.own.is_some();
            if counted {
                for &p in &facts.authors[i] {
                    let e = out.first.entry(p).or_insert((r.author_time, i));
                    if self.earlier((r.author_time, ri, i), (e.0, ri, e.1)) {
                        *e = (r.author_time, i);
                    }
                }
            }
            if !self.opts.in_window(r.time) || scan.outside.get(i) == Some(&true) {
                continue;
            }
            out.commits += 1;
            if r.merge.is_some() {
                out.merges += 1;
            } else if counted {
                out.window.push(i);
                for &p in facts.authors[i]
                    .iter()
                    .filter(|p| !self.excluded.contains(p))
                {
                    authored.entry(p).or_default().push((i, r.time));
                }
            }
            let credits = crediting.commit(i, &mut out.helped);
            if credits.iter().any(|c| c.category == Category::Review) {
                match facts.introduced.get(&i) {
                    Some(brought) if r.merge.is_some() => out.reviewed.extend(brought),
                    _ => out.reviewed.push(i),
                }
            }
            seen.clear();
            // The commit's row of the report's commits table, made once and shared by everyone
            // it credits.
            let mut shared: Option<Arc<CommitRow>> = None;
            for c in credits {
                if self.excluded.contains(&c.person)
                    || seen.insert((c.person, c.category), ()).is_some()
                {
                    continue;
                }
                let mut with: Vec<Text> = c.with.ids.iter().map(|&p| self.id(p)).collect();
                with.sort();
                with.dedup();
                let commit_row = shared.get_or_insert_with(|| {
                    Arc::new(CommitRow {
                        repo: self.shared_names[ri].clone(),
                        commit: r.id,
                        date: crate::date::timestamp(r.time),
                        subject: r.subject.0.clone(),
                        pr: facts.pr[i],
                        url: None,
                    })
                });
                let kind = match kinds.get(c.kind.as_str()) {
                    Some(k) => k.clone(),
                    None => {
                        let k = Text::from(c.kind);
                        kinds.insert(k.clone());
                        k
                    }
                };
                rows.entry(c.person).or_default().push(Row {
                    ri: ri as u32,
                    i: i as u32,
                    evidence: Evidence {
                        category: c.category,
                        kind,
                        row: Evidence::UNINDEXED,
                        with,
                        with_more: c.with.more as u64,
                        facts: commit_row.clone(),
                    },
                });
            }
        }
        // Each person's rows as long as they are (a chunk's rows are most of the aggregation's
        // memory until the accounts are made).
        out.rows = rows
            .into_iter()
            .map(|(p, mut v)| {
                v.shrink_to_fit();
                (p, v)
            })
            .collect();
        out.rows.sort_unstable_by_key(|(p, _)| *p);
        out.authored = authored.into_iter().collect();
        out.authored.sort_unstable_by_key(|(p, _)| *p);
        out
    }
}

/// Per-repository facts derived from the whole history.
struct RepoFacts {
    /// Authors (author + co-authors) of each commit, as people, sorted and unique.
    authors: Vec<Vec<PersonId>>,
    /// For each commit, the people for whom it is one of their first N commits in the repo.
    newcomer_of: Vec<Vec<PersonId>>,
    /// For each merge, the commits it brought into the history.
    introduced: HashMap<usize, Vec<usize>>,
    /// Each commit's pull request: its own, else that of the merge that brought it in.
    pr: Vec<Option<u64>>,
    /// Each commit's top-level areas, as numbers.
    areas: AreaIds,
    /// Warnings about the history's shape (parent cycles, capped walks).
    warnings: Vec<String>,
    /// Which merges integrate work and which applied patches are reviews.
    review: merges::ReviewFacts,
}

/// The top-level areas of a repository's commits, numbered in name order (so numbers compare
/// as names do): per person, counting areas then compares small numbers in memory close at
/// hand instead of following each record's strings.
struct AreaIds {
    names: Vec<String>,
    /// Commit `i`'s areas are `ids[start[i]..start[i + 1]]`.
    ids: Vec<u32>,
    start: Vec<u32>,
}

impl AreaIds {
    fn of(records: &[CommitRecord]) -> AreaIds {
        let mut number: FastMap<&str, u32> = FastMap::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut ids = Vec::new();
        let mut start = Vec::with_capacity(records.len() + 1);
        start.push(0);
        for r in records {
            for a in &r.areas {
                let n = *number.entry(&**a).or_insert_with(|| {
                    seen.push(&**a);
                    seen.len() as u32 - 1
                });
                ids.push(n);
            }
            start.push(ids.len() as u32);
        }
        let mut order: Vec<u32> = (0..seen.len() as u32).collect();
        order.sort_unstable_by_key(|&n| seen[n as usize]);
        let mut rank = vec![0u32; seen.len()];
        for (k, &n) in order.iter().enumerate() {
            rank[n as usize] = k as u32;
        }
        for id in &mut ids {
            *id = rank[*id as usize];
        }
        AreaIds {
            names: order
                .iter()
                .map(|&n| seen[n as usize].to_string())
                .collect(),
            ids,
            start,
        }
    }

    fn range(&self, i: usize) -> (u32, u32) {
        (self.start[i], self.start[i + 1])
    }
}

/// A person who can earn glue credit: not a bot, not a tool (AI assistant, `r=me`), not a
/// placeholder identity (docs/identity.md).
fn is_human(resolver: &Resolver, p: PersonId) -> bool {
    let info = resolver.info(p);
    !info.bot && !info.not_person && !info.placeholder
}

/// The web page of pull request `n` of a repository with forge data: its `origin`'s forge
/// address when that is the same forge, else the forge folder's repository address; either only
/// on github.com, gitlab.com or a host the user named (`GLUEWORK_FORGE_HOSTS`). `None` when
/// neither is such an address.
fn pull_page(scan: &RepoScan, data: &crate::forge::ForgeData, n: u64) -> Option<String> {
    let kind = data.forge.name();
    let from_remote = scan.remote.clone().filter(|r| r.forge == kind);
    let from_data = || crate::scan::remote::web_remote(&data.web_url).filter(|r| r.forge == kind);
    let remote = from_remote.or_else(from_data)?;
    crate::report::links::Forge::of(Some(&report_remote(remote))).map(|f| f.pr_url(n))
}

/// The report's form of a repository's remote.
fn report_remote(r: crate::scan::remote::Remote) -> model::Remote {
    model::Remote {
        url: r.url,
        forge: r.forge,
    }
}

/// Each repository's merges: what each brought in, and each commit's pull request.
type MergeFacts = (HashMap<usize, Vec<usize>>, Vec<Option<u64>>, Vec<String>);

/// Who is who across the scanned repositories (what `gluework identities` lists).
pub fn resolve(
    scans: &[RepoScan],
    forge: &[Option<Arc<ForgeData>>],
    rules: &CompiledRules,
    aliases: &[Alias],
) -> Resolver {
    let merges: Vec<MergeFacts> = scans
        .par_iter()
        .map(|scan| merge_facts(&scan.records, scan.head.as_deref()))
        .collect();
    observe_all(scans, forge, &merges, rules, aliases)
}

/// Observes every identity the records mention, and the logins merges teach.
fn observe_all(
    scans: &[RepoScan],
    forge_data: &[Option<Arc<ForgeData>>],
    merges: &[MergeFacts],
    rules: &CompiledRules,
    aliases: &[Alias],
) -> Resolver {
    let observe = |records: &[CommitRecord]| {
        let mut b = ResolverBuilder::default();
        for r in records {
            b.observe(&r.author, Seen::Authored, r.time);
            for c in &r.coauthors {
                b.observe(c, Seen::Authored, r.time);
            }
            if !is_web_ui(rules, &r.committer) {
                b.observe(&r.committer, Seen::Committed, r.time);
            }
            for n in &r.named {
                b.observe(&n.who, Seen::Credited, r.time);
            }
        }
        b
    };
    // Chunks side by side; what each saw is combined (the best sighting wins, in any order).
    let mut b = scans
        .par_iter()
        .flat_map(|scan| scan.records.par_chunks(CHUNK))
        .map(observe)
        .reduce(ResolverBuilder::default, ResolverBuilder::merge);
    for (ri, scan) in scans.iter().enumerate() {
        b.rewrites(&scan.rewrites);
        if let Some(data) = forge_of(forge_data, ri) {
            forge::observe(&mut b, scan, data, rules);
        }
    }
    let votes: Vec<_> = scans
        .par_iter()
        .zip(merges)
        .flat_map_iter(|(scan, (introduced, _, _))| {
            // `https://github.com/OWNER/REPO`: OWNER's in-repository branches are no person's.
            let owner = scan
                .remote
                .as_ref()
                .and_then(|r| r.url.trim_end_matches('/').rsplit('/').nth(1));
            crate::identity::learn::merge_votes(&scan.records, introduced, rules, owner)
        })
        .collect();
    for (email, login, source) in crate::identity::learn::links(&votes) {
        b.link_login(&email, &login, source);
    }
    b.build(rules, aliases)
}

fn is_web_ui(rules: &CompiledRules, ident: &Ident) -> bool {
    ident.email.as_deref().is_some_and(|e| rules.is_web_ui(e))
}

fn repo_facts(
    scan: &RepoScan,
    resolver: &Resolver,
    rules: &CompiledRules,
    merges: MergeFacts,
) -> RepoFacts {
    // Who is who, and the areas: independent, so side by side.
    let (introduced, pr, warnings) = merges;
    let ((authors, newcomer_of), areas) = rayon::join(
        || people_facts(scan, resolver),
        || AreaIds::of(&scan.records),
    );
    let review = merges::review_facts(scan, resolver, rules, &authors, &introduced);
    RepoFacts {
        authors,
        newcomer_of,
        introduced,
        pr,
        areas,
        warnings,
        review,
    }
}

/// Each commit's authors, and the newcomers each commit is one of the first commits of.
#[allow(clippy::type_complexity)]
fn people_facts(scan: &RepoScan, resolver: &Resolver) -> (Vec<Vec<PersonId>>, Vec<Vec<PersonId>>) {
    let records = &scan.records;
    let authors: Vec<Vec<PersonId>> = records
        .par_iter()
        .map(|r| {
            // Co-authors that are tools (AI assistants) are no authors.
            let mut a: Vec<PersonId> = resolver
                .person(&r.author)
                .into_iter()
                .chain(
                    r.coauthors
                        .iter()
                        .filter_map(|i| resolver.person(i))
                        .filter(|&p| !resolver.info(p).not_person),
                )
                .collect();
            a.sort_unstable();
            a.dedup();
            a
        })
        .collect();
    // Newcomers: each human's first N authored non-merge commits, by author date.
    let mut by_person: FastMap<PersonId, Vec<(i64, CommitId, usize)>> = FastMap::default();
    for (i, r) in records.iter().enumerate() {
        // Merges, and commits that touch only excluded paths, are nobody's work.
        if r.merge.is_some() || r.own.is_none() {
            continue;
        }
        for &p in &authors[i] {
            if is_human(resolver, p) {
                by_person
                    .entry(p)
                    .or_default()
                    .push((r.author_time, r.id, i));
            }
        }
    }
    let mut newcomer_of = vec![Vec::new(); records.len()];
    let n = scan.rules.rules.newcomer_commits;
    for (p, mut list) in by_person {
        if list.len() > n {
            list.select_nth_unstable(n);
            list.truncate(n);
        }
        for &(_, _, i) in &list {
            newcomer_of[i].push(p);
        }
    }
    for n in &mut newcomer_of {
        n.sort_unstable();
    }
    (authors, newcomer_of)
}

/// What each merge brought in, each commit's pull request (its own, else its merge's), and
/// warnings about the history's shape.
#[allow(clippy::type_complexity)]
fn merge_facts(
    records: &[CommitRecord],
    head: Option<&str>,
) -> (HashMap<usize, Vec<usize>>, Vec<Option<u64>>, Vec<String>) {
    let index: FastMap<CommitId, usize> =
        records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let head = head
        .and_then(|h| CommitId::from_hex(h).ok())
        .and_then(|h| index.get(&h).copied());
    let (introduced, warnings) = match head {
        Some(h) => {
            let got = ancestry::introduced_sets(records, &index, h);
            (got.sets, got.warnings)
        }
        None => (HashMap::new(), Vec::new()),
    };
    let mut pr: Vec<Option<u64>> = records.iter().map(|r| r.pr).collect();
    // Merges in id order, so a commit brought in by two merges takes the same one every time.
    let mut merges: Vec<(&usize, &Vec<usize>)> = introduced.iter().collect();
    merges.sort_unstable();
    for (&m, brought) in merges {
        if let Some(n) = records[m].pr {
            for &j in brought {
                if pr[j].is_none() {
                    pr[j] = Some(n);
                }
            }
        }
    }
    (introduced, pr, warnings)
}

fn without(list: &[PersonId], p: PersonId) -> With {
    With::without(list, None, Some(p))
}

/// What crediting one repository's commits reads: its records and facts, who is who, the
/// report-wide rules (bots, web UIs) and the repository's own, which may switch credit kinds
/// off.
#[derive(Clone, Copy)]
struct Crediting<'a> {
    records: &'a [CommitRecord],
    facts: &'a RepoFacts,
    resolver: &'a Resolver,
    rules: &'a CompiledRules,
    kinds: &'a CompiledRules,
}

impl Crediting<'_> {
    /// The credits commit `i` gives, in a fixed order (the first kind for a person and category
    /// is the one reported): a change's ([`Crediting::change`]) or a merge's
    /// ([`Crediting::merge`]). `helped` collects newcomer → helpers.
    fn commit(&self, i: usize, helped: &mut Vec<(PersonId, PersonId)>) -> Vec<Credit> {
        let r = &self.records[i];
        match (&r.merge, &r.own) {
            // Only excluded paths: the commit counts for nobody.
            (None, None) => Vec::new(),
            (None, Some(_)) => self.change(i, r, helped),
            (Some(_), _) => self.merge(i, r, helped),
        }
    }

    /// A change's credits: its authors' own category, a co-authored fix, the people its credit
    /// lines name, who applied it, and who helped its newcomer authors.
    fn change(
        &self,
        i: usize,
        r: &CommitRecord,
        helped: &mut Vec<(PersonId, PersonId)>,
    ) -> Vec<Credit> {
        let Crediting {
            facts,
            resolver,
            kinds,
            ..
        } = *self;
        let mut out = Vec::new();
        let human = |p: PersonId| is_human(resolver, p);
        let on = |kind: &str| kinds.kind_enabled(kind);
        let authors = &facts.authors[i];
        if let Some((category, kind)) = &r.own {
            for &p in authors {
                out.push(Credit {
                    person: p,
                    category: *category,
                    kind: kind.to_string(),
                    with: without(authors, p),
                });
            }
        }
        let author = resolver.person(&r.author);
        let human_coauthor = authors.iter().any(|&p| Some(p) != author && human(p));
        if r.fix && human_coauthor && on("co-authored-fix") {
            for &p in authors {
                out.push(Credit {
                    person: p,
                    category: Category::CoAuthoredFix,
                    kind: "co-authored-fix".to_string(),
                    with: without(authors, p),
                });
            }
        }
        let mut helpers: Vec<PersonId> = Vec::new();
        // The authors' name and login keys (the self-credit guard), made once per commit.
        let author_keys = resolver.key_set(authors);
        let shares = |p: PersonId| author_keys.shared_with_other(resolver, p);
        for n in &r.named {
            let Some(p) = resolver.person(&n.who) else {
                continue;
            };
            if authors.binary_search(&p).is_ok() || !human(p) || !on(&n.kind) || shares(p) {
                continue;
            }
            out.push(Credit {
                person: p,
                category: n.category,
                kind: n.kind.to_string(),
                with: With::all(authors),
            });
            helpers.push(p);
        }
        if let Some(c) = self.applied_by(i).filter(|&c| !shares(c)) {
            out.push(Credit {
                person: c,
                category: Category::Review,
                kind: "applied".to_string(),
                with: With::all(authors),
            });
            helpers.push(c);
        }
        // Helping a newcomer: anyone credited on one of their first commits, and co-authors.
        let newcomers = &facts.newcomer_of[i];
        if !newcomers.is_empty() && on("newcomer") {
            helpers.extend(authors.iter().copied());
            newcomer_credits(resolver, helpers, newcomers, &human, helped, &mut out);
        }
        out
    }

    /// A merge's credits: the reviewers its lines name (bors `r=` among them), the merger for
    /// what it brought in that nobody credited them for yet, and who helped the newcomers of the
    /// side; nothing for a sync, back-merge or release merge.
    fn merge(
        &self,
        i: usize,
        r: &CommitRecord,
        helped: &mut Vec<(PersonId, PersonId)>,
    ) -> Vec<Credit> {
        let Crediting {
            facts,
            resolver,
            rules,
            kinds,
            ..
        } = *self;
        let mut out = Vec::new();
        let human = |p: PersonId| is_human(resolver, p);
        let on = |kind: &str| kinds.kind_enabled(kind);
        if facts.review.not_integration.contains_key(&i) {
            // A sync, back-merge or release merge: nobody reviewed anything.
            return out;
        }
        let merger = resolver
            .person(&r.author)
            .filter(|&m| !is_web_ui(rules, &r.author) && human(m));
        let brought = facts.introduced.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        let authors_of = |commits: &mut dyn Iterator<Item = usize>| {
            let mut a: Vec<PersonId> = commits
                .flat_map(|j| facts.authors[j].iter().copied())
                .collect();
            a.sort_unstable();
            a.dedup();
            a
        };
        let brought_authors = authors_of(&mut brought.iter().copied());
        // Helpers of the side's newcomers: bors reviewers (the merger comes below).
        let mut helpers: Vec<PersonId> = Vec::new();
        let brought_keys = resolver.key_set(&brought_authors);
        for n in &r.named {
            let Some(p) = resolver.person(&n.who) else {
                continue;
            };
            // Nobody reviews their own work: the brought-in commits' authors are never
            // credited for them, nor anyone sharing a name or login key with one.
            if Some(p) == merger && n.kind != "bors"
                || !human(p)
                || !on(&n.kind)
                || brought_authors.binary_search(&p).is_ok()
                || brought_keys.shared_with_other(resolver, p)
            {
                continue;
            }
            let with = With::without(&brought_authors, merger, Some(p));
            if n.kind == "bors" && with.is_empty() {
                continue;
            }
            out.push(Credit {
                person: p,
                category: n.category,
                kind: n.kind.to_string(),
                with,
            });
            if matches!(r.merge.as_deref(), Some(MergeStyle::Bors { .. })) && n.kind == "bors" {
                helpers.push(p);
            }
        }
        // The merger: only for what they have not already been credited with (they applied
        // it, or are named as its reviewer), and nothing from a history import.
        let mut merger_newcomers: Vec<PersonId> = Vec::new();
        if let Some(m) = merger.filter(|_| on("merge")) {
            let fresh: Vec<usize> = brought
                .iter()
                .copied()
                .filter(|&j| !facts.review.imported[j] && !self.credited_before(j, m))
                .collect();
            let fresh_authors = authors_of(&mut fresh.iter().copied());
            let others = without(&fresh_authors, m);
            if !others.is_empty() && !brought_keys.shared_with_other(resolver, m) {
                out.push(Credit {
                    person: m,
                    category: Category::Review,
                    kind: "merge".to_string(),
                    with: others,
                });
            }
            merger_newcomers = fresh
                .iter()
                .flat_map(|&j| facts.newcomer_of[j].iter().copied())
                .collect();
            merger_newcomers.sort_unstable();
            merger_newcomers.dedup();
        }
        if on("newcomer") {
            // bors reviewers helped every newcomer of the side; the merger those of their
            // credited commits.
            let mut newcomers: Vec<PersonId> = brought
                .iter()
                .flat_map(|&j| facts.newcomer_of[j].iter().copied())
                .collect();
            newcomers.sort_unstable();
            newcomers.dedup();
            if !newcomers.is_empty() && !helpers.is_empty() {
                newcomer_credits(resolver, helpers, &newcomers, &human, helped, &mut out);
            }
            if let Some(m) = merger.filter(|_| !merger_newcomers.is_empty()) {
                newcomer_credits(
                    resolver,
                    vec![m],
                    &merger_newcomers,
                    &human,
                    helped,
                    &mut out,
                );
            }
        }
        out
    }

    /// The person credited with `applied` on non-merge commit `j`: its human committer, when not
    /// one of its authors, the kind is on, and the commit was not imported in bulk or rebased into
    /// the committer's own branch.
    fn applied_by(&self, j: usize) -> Option<PersonId> {
        let Crediting {
            records,
            facts,
            resolver,
            rules,
            kinds,
        } = *self;
        let r = &records[j];
        if r.merge.is_some() || facts.review.no_applied[j] || !kinds.kind_enabled("applied") {
            return None;
        }
        merges::committer_of(r, resolver, rules)
            .filter(|c| facts.authors[j].binary_search(c).is_err())
    }

    /// Whether `m` is already credited with reviewing commit `j`: they applied it, or a review
    /// credit line on it names them.
    fn credited_before(&self, j: usize, m: PersonId) -> bool {
        let Crediting {
            records,
            resolver,
            kinds,
            ..
        } = *self;
        let r = &records[j];
        if r.merge.is_some() {
            return false;
        }
        self.applied_by(j) == Some(m)
            || r.named.iter().any(|n| {
                n.category == Category::Review
                    && kinds.kind_enabled(&n.kind)
                    && resolver.person(&n.who) == Some(m)
            })
    }
}

/// Onboarding credits: each human helper (sorted, once) for helping the newcomers other than
/// themselves; `helped` collects (newcomer, helper).
fn newcomer_credits(
    resolver: &Resolver,
    mut helpers: Vec<PersonId>,
    newcomers: &[PersonId],
    human: &dyn Fn(PersonId) -> bool,
    helped: &mut Vec<(PersonId, PersonId)>,
    out: &mut Vec<Credit>,
) {
    helpers.sort_unstable();
    helpers.dedup();
    let newcomer_keys = resolver.key_set(newcomers);
    // Who helped whom: each newcomer of the commit gets at most `WITH_CAP` helpers from it.
    let mut recorded = 0;
    for h in helpers {
        let with = without(newcomers, h);
        if with.is_empty() || !human(h) || newcomer_keys.shared_with_other(resolver, h) {
            continue;
        }
        if recorded < with::WITH_CAP {
            recorded += 1;
            helped.extend(newcomers.iter().filter(|&&n| n != h).map(|&n| (n, h)));
        }
        out.push(Credit {
            person: h,
            category: Category::Onboarding,
            kind: "newcomer".to_string(),
            with,
        });
    }
}

/// Makes repository names unique: where two share a folder name, both are named by their path.
fn unique_names(scans: &[RepoScan]) -> Vec<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in scans {
        *count.entry(s.name.as_str()).or_default() += 1;
    }
    scans
        .iter()
        .map(|s| {
            if count[s.name.as_str()] > 1 {
                s.path.clone()
            } else {
                s.name.clone()
            }
        })
        .collect()
}

/// Builds the report from the scanned repositories, in named steps: identities, the people the
/// configuration names, each repository's facts, every commit's credits (in chunks side by
/// side), each person's account, forge credits and the repositories' entries, the people,
/// newcomers and onboarding pull requests, and last the team figures.
pub fn build_report(scans: &[RepoScan], opts: &AggregateOptions<'_>) -> Report {
    let rules = opts.rules;
    let mut clock = Stages::new();
    let merges: Vec<MergeFacts> = scans
        .par_iter()
        .map(|scan| merge_facts(&scan.records, scan.head.as_deref()))
        .collect();
    let resolver = observe_all(scans, opts.forge, &merges, rules, opts.aliases);
    clock.lap("identities");
    let names = unique_names(scans);
    let shared_names: Vec<Arc<str>> = names.iter().map(|n| Arc::from(n.as_str())).collect();
    let ids: Vec<Text> = resolver
        .people
        .iter()
        .map(|p| Text::from(p.id.as_str()))
        .collect();
    let mut warnings: Vec<String> = identity_warnings(scans, &resolver);
    let likely_duplicates = crate::identity::duplicates::candidates(&resolver).len() as u64;
    let (excluded, team_members) = configured_people(&resolver, opts, &mut warnings);
    // Facts of every repository, side by side.
    let facts: Vec<RepoFacts> = scans
        .par_iter()
        .zip(merges)
        .map(|(scan, merges)| repo_facts(scan, &resolver, rules, merges))
        .collect();
    clock.lap("facts");
    let ctx = ChunkContext {
        scans,
        facts: &facts,
        resolver: &resolver,
        rules,
        opts,
        excluded: &excluded,
        names: &names,
        shared_names: &shared_names,
        ids: &ids,
    };
    let Gathered {
        per_person,
        mut helped,
        mut coverage,
        repo_counts,
        first_commit,
    } = ctx.gather();
    clock.lap("credits");
    let mut accs: BTreeMap<PersonId, Acc> = per_person
        .into_par_iter()
        .enumerate()
        .filter(|(_, c)| !c.rows.is_empty() || !c.authored.is_empty())
        .map(|(p, c)| (p as PersonId, c.account(&facts, opts.period)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    clock.lap("accounts");
    let mut repositories = Vec::new();
    let mut onboarding: Vec<PendingOnboarding> = Vec::new();
    for (ri, scan) in scans.iter().enumerate() {
        if let Some(data) = forge_of(opts.forge, ri) {
            let forge_helped = ctx.forge_credits(
                ri,
                data,
                &mut accs,
                &mut coverage.reviewed[ri],
                &mut onboarding,
            );
            for (n, hs) in forge_helped {
                helped.entry(n).or_default().extend(hs);
            }
        }
        repositories.push(repository(
            scan,
            &facts[ri],
            names[ri].clone(),
            repo_counts[ri],
            coverage.eras[ri],
        ));
    }
    clock.lap("forge");
    let people = ctx.people(accs, &team_members);
    let newcomers = ctx.newcomers(&first_commit, &helped);
    clock.lap("people");
    let onboarding_prs = ctx.onboarding_prs(onboarding);
    let figures = TeamFigures {
        scans,
        resolver: &resolver,
        opts,
        people: &people,
        coverage: &coverage,
        newcomers: &newcomers,
        onboarding_prs: &onboarding_prs,
    };
    let teams = figures.teams(&team_members);
    let selected = opts.team.and_then(|t| team_members.get(t));
    let team = figures.team(selected);
    let people: Vec<model::Person> = people
        .list
        .into_iter()
        .filter(|(pid, _)| selected.is_none_or(|m| m.contains(pid)))
        .map(|(_, p)| p)
        .collect();
    warnings.sort();
    warnings.dedup();
    clock.lap("teams");
    clock.report();

    let mut report = Report {
        schema_version: model::SCHEMA_VERSION,
        tool: model::Tool {
            name: "gluework".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            rules_version: RULES_VERSION,
        },
        config: opts.config.clone(),
        window: model::Window {
            since: opts.since.map(timestamp),
            until: opts.until.map(timestamp),
            period: opts.period.name().to_string(),
            range: opts.range.clone(),
        },
        repositories,
        categories: Category::ALL.to_vec(),
        commits: Vec::new(),
        people,
        team,
        teams,
        warnings,
        likely_duplicates,
    };
    report.index_commits();
    report
}

/// The people the configuration names: those left out (`people.exclude`) and each team's
/// members; a spec that matches no one is a warning.
#[allow(clippy::type_complexity)]
fn configured_people(
    resolver: &Resolver,
    opts: &AggregateOptions<'_>,
    warnings: &mut Vec<String>,
) -> (BTreeSet<PersonId>, BTreeMap<String, BTreeSet<PersonId>>) {
    let mut resolve_specs = |what: &str, specs: &[String]| -> BTreeSet<PersonId> {
        let mut found = BTreeSet::new();
        for spec in specs {
            let hits = resolver.find(spec);
            if hits.is_empty() {
                warnings.push(format!(
                    "{what}: no one in the scanned history matches {spec:?}"
                ));
            }
            found.extend(hits);
        }
        found
    };
    let excluded = resolve_specs("people.exclude", opts.exclude);
    let team_members: BTreeMap<String, BTreeSet<PersonId>> = opts
        .teams
        .iter()
        .map(|(name, specs)| (name.clone(), resolve_specs(&format!("team {name}"), specs)))
        .collect();
    (excluded, team_members)
}

/// Every commit's credits, gathered from the chunks.
struct Gathered {
    /// Each person's share of every chunk, by person id.
    per_person: Vec<PersonChunks>,
    /// Newcomer → the people who helped them.
    helped: BTreeMap<PersonId, BTreeSet<PersonId>>,
    coverage: Coverage,
    /// Per repository: commits and merges in the window.
    repo_counts: Vec<(u64, u64)>,
    /// First authored commit of each person across all repositories: (time, repo, commit).
    first_commit: HashMap<PersonId, (i64, usize, usize)>,
}

/// Which commits the review coverage counts, and which had a review signal.
struct Coverage {
    /// Non-merge commits in the window (that count: not only excluded paths).
    team_commits: u64,
    /// Per repository and commit: a counted non-merge commit in the window.
    window_commits: Vec<Vec<bool>>,
    /// Per repository and commit: a review signal (any window).
    reviewed: Vec<Vec<bool>>,
    /// Squash-merge eras of the repositories without forge data: (start, commits, squash
    /// merges).
    eras: Vec<Option<(i64, u64, u64)>>,
}

impl Coverage {
    /// Whether commit `i` of repository `ri` is in its squash-merge era (no review in git).
    fn in_era(&self, scans: &[RepoScan], ri: usize, i: usize) -> bool {
        self.eras[ri].is_some_and(|(start, _, _)| scans[ri].records[i].time >= start)
    }
}

/// An onboarding pull request before the report's names: (newcomer, repository, number,
/// merge time, page, helpers).
type PendingOnboarding = (PersonId, usize, u64, i64, String, Vec<PersonId>);

/// The people rows, sorted by glue, with what the team figures need of them.
struct People {
    list: Vec<(PersonId, model::Person)>,
    /// Each person's commits (repository, commit), for team commit counts.
    commits_of: HashMap<PersonId, Vec<(usize, usize)>>,
    /// Regular contributors: active in at least `regular_months` distinct months of the window.
    regular: BTreeSet<PersonId>,
}

impl ChunkContext<'_> {
    /// Every commit's credits: the repositories' commits in chunks side by side, each chunk's
    /// rows grouped by person (so that each person's account can then be built on its own),
    /// then the chunks gathered in order.
    fn gather(&self) -> Gathered {
        let scans = self.scans;
        let jobs: Vec<(usize, std::ops::Range<usize>)> = scans
            .iter()
            .enumerate()
            .flat_map(|(ri, scan)| {
                let n = scan.records.len();
                (0..n.div_ceil(CHUNK)).map(move |c| (ri, c * CHUNK..n.min((c + 1) * CHUNK)))
            })
            .collect();
        let chunks: Vec<ChunkOut> = jobs
            .into_par_iter()
            .map(|(ri, range)| self.credits(ri, range))
            .collect();
        let people_count = self.resolver.people.len();
        let mut per_person: Vec<PersonChunks> =
            (0..people_count).map(|_| Default::default()).collect();
        let mut helped: BTreeMap<PersonId, BTreeSet<PersonId>> = BTreeMap::new();
        let mut team_commits = 0u64;
        let mut window_commits: Vec<Vec<bool>> =
            scans.iter().map(|s| vec![false; s.records.len()]).collect();
        let mut reviewed: Vec<Vec<bool>> = window_commits.clone();
        let mut repo_counts: Vec<(u64, u64)> = vec![(0, 0); scans.len()];
        let mut first_commit: HashMap<PersonId, (i64, usize, usize)> = HashMap::new();
        for chunk in chunks {
            let ri = chunk.ri;
            repo_counts[ri].0 += chunk.commits;
            repo_counts[ri].1 += chunk.merges;
            team_commits += chunk.window.len() as u64;
            for i in chunk.window {
                window_commits[ri][i] = true;
            }
            for i in chunk.reviewed {
                reviewed[ri][i] = true;
            }
            for (n, h) in chunk.helped {
                helped.entry(n).or_default().insert(h);
            }
            for (p, (t, i)) in chunk.first {
                let e = first_commit.entry(p).or_insert((t, ri, i));
                if self.earlier((t, ri, i), *e) {
                    *e = (t, ri, i);
                }
            }
            for (p, rows) in chunk.rows {
                per_person[p as usize].rows.push(rows);
            }
            for (p, commits) in chunk.authored {
                per_person[p as usize].authored.push((ri, commits));
            }
        }
        let eras = scans
            .iter()
            .enumerate()
            .map(|(ri, scan)| match forge_of(self.opts.forge, ri) {
                Some(_) => None,
                None => squash::era(
                    &scan.records,
                    window_commits[ri]
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| **w)
                        .map(|(i, _)| i),
                    self.rules,
                ),
            })
            .collect();
        Gathered {
            per_person,
            helped,
            coverage: Coverage {
                team_commits,
                window_commits,
                reviewed,
                eras,
            },
            repo_counts,
            first_commit,
        }
    }

    /// The forge credits of repository `ri` (reviews, approvals, comments on pull requests),
    /// added to the accounts unless git already credited the same pull request; marks the
    /// commits of reviewed pull requests in `reviewed`, collects onboarding pull requests, and
    /// returns who helped which newcomer (when `pr-newcomer` is on).
    fn forge_credits(
        &self,
        ri: usize,
        data: &crate::forge::ForgeData,
        accs: &mut BTreeMap<PersonId, Acc>,
        reviewed: &mut [bool],
        onboarding: &mut Vec<PendingOnboarding>,
    ) -> BTreeMap<PersonId, BTreeSet<PersonId>> {
        let (scan, facts, opts) = (&self.scans[ri], &self.facts[ri], self.opts);
        // Pull request pages are built from the repository's forge address and the number,
        // never taken from the forge's answers (whose `html_url` could lead anywhere).
        let pr_url = |n: u64| -> Option<String> { pull_page(scan, data, n) };
        // Each person's authored non-merge commits in this repository, by author time.
        let mut authored: HashMap<PersonId, Vec<i64>> = HashMap::new();
        for (j, r) in scan.records.iter().enumerate() {
            if r.merge.is_none() && r.own.is_some() {
                for &p in &facts.authors[j] {
                    authored.entry(p).or_default().push(r.author_time);
                }
            }
        }
        for times in authored.values_mut() {
            times.sort_unstable();
        }
        let got = forge::credits(
            data,
            self.resolver,
            self.rules,
            scan.rules.rules.newcomer_commits,
            &forge::range_filter(&scan.records, &scan.outside),
            &|t| opts.in_window(t),
            &|p, t| {
                authored
                    .get(&p)
                    .map_or(0, |ts| ts.partition_point(|&x| x < t))
            },
        );
        let by_pr = forge::commits_by_pr(facts);
        let index: HashMap<CommitId, &CommitRecord> =
            scan.records.iter().map(|r| (r.id, r)).collect();
        let pulls: HashMap<u64, &crate::forge::Pull> =
            data.pulls.iter().map(|p| (p.number, p)).collect();
        for n in &got.reviewed {
            for &j in by_pr.get(n).map(Vec::as_slice).unwrap_or(&[]) {
                reviewed[j] = true;
            }
        }
        for c in got.credits {
            if self.excluded.contains(&c.person) || !scan.rules.kind_enabled(&c.kind) {
                continue;
            }
            let acc = accs.entry(c.person).or_default();
            let commits = by_pr.get(&c.pr).map(Vec::as_slice).unwrap_or(&[]);
            // The same pull request credited from git (a Reviewed-by, the merge) or already
            // from the forge: one credit.
            if commits
                .iter()
                .any(|&j| acc.credited.binary_search(&(ri, j, c.category)).is_ok())
                || !acc.credited_prs.insert((ri, c.pr, c.category))
            {
                continue;
            }
            acc.seen_at(c.time);
            acc.counts[c.category] += 1;
            acc.by_repo.entry(ri).or_default()[c.category] += 1;
            acc.timeline.entry(opts.period.label(c.time)).or_default()[c.category] += 1;
            let pull = pulls[&c.pr];
            let commit = forge::pull_commit(pull, &index);
            let mut with: Vec<Text> = c.with.iter().map(|&p| self.id(p)).collect();
            with.sort();
            acc.evidence.push(Evidence {
                category: c.category,
                kind: Text::from(c.kind),
                row: Evidence::UNINDEXED,
                with,
                with_more: 0,
                facts: Arc::new(CommitRow {
                    repo: self.shared_names[ri].clone(),
                    commit: commit.map_or(model::CommitId::NULL, |r| r.id),
                    date: crate::date::timestamp(c.time),
                    subject: commit.map_or_else(
                        || Arc::from(forge::pull_subject(data.forge, pull)),
                        |r| r.subject.0.clone(),
                    ),
                    pr: Some(c.pr),
                    url: pr_url(pull.number).map(Arc::from),
                }),
            });
        }
        for (p, (count, prs)) in got.review_comments {
            if self.excluded.contains(&p) {
                continue;
            }
            let acc = accs.entry(p).or_default();
            acc.review_comments += count;
            acc.review_comment_prs
                .extend(prs.into_iter().map(|n| (ri, n)));
        }
        for (newcomer, pr, t, helpers) in got.onboarding {
            onboarding.push((newcomer, ri, pr, t, pr_url(pr).unwrap_or_default(), helpers));
        }
        if scan.rules.kind_enabled("pr-newcomer") {
            got.helped
        } else {
            BTreeMap::new()
        }
    }

    /// The people with a credit, a commit or a review comment, as report rows sorted by glue
    /// (then name and id), each with their teams.
    fn people(
        &self,
        accs: BTreeMap<PersonId, Acc>,
        team_members: &BTreeMap<String, BTreeSet<PersonId>>,
    ) -> People {
        let built: Vec<_> = accs
            .into_iter()
            .filter(|(_, a)| !a.counts.is_zero() || !a.commits.is_empty() || a.review_comments > 0)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(pid, a)| {
                let teams = team_members
                    .iter()
                    .filter(|(_, members)| members.contains(&pid))
                    .map(|(name, _)| name.clone())
                    .collect();
                let (person, commits, months) =
                    a.into_person(self.resolver.info(pid), teams, self.names, self.facts);
                (pid, person, commits, months)
            })
            .collect();
        let mut commits_of: HashMap<PersonId, Vec<(usize, usize)>> = HashMap::new();
        let mut list: Vec<(PersonId, model::Person)> = Vec::with_capacity(built.len());
        let mut regular: BTreeSet<PersonId> = BTreeSet::new();
        for (pid, person, commits, months) in built {
            commits_of.insert(pid, commits);
            list.push((pid, person));
            if months >= self.opts.regular_months {
                regular.insert(pid);
            }
        }
        for (_, p) in &mut list {
            p.by_repo.sort_by(|a, b| a.repo.cmp(&b.repo));
        }
        list.sort_by(|(_, a), (_, b)| {
            b.glue
                .cmp(&a.glue)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        People {
            list,
            commits_of,
            regular,
        }
    }

    /// The newcomers: each person whose first commit (across all repositories) is in the
    /// window and in the range, with who helped them; by date, then id.
    fn newcomers(
        &self,
        first_commit: &HashMap<PersonId, (i64, usize, usize)>,
        helped: &BTreeMap<PersonId, BTreeSet<PersonId>>,
    ) -> Vec<(PersonId, Newcomer)> {
        let (scans, excluded) = (self.scans, self.excluded);
        let mut newcomers: Vec<(PersonId, Newcomer)> = first_commit
            .iter()
            .filter(|(p, (t, ri, i))| {
                self.opts.in_window(*t)
                    && scans[*ri].outside.get(*i) != Some(&true)
                    && !excluded.contains(p)
            })
            .map(|(&p, &(t, ri, i))| {
                let info = self.resolver.info(p);
                let mut helpers: Vec<String> = helped
                    .get(&p)
                    .map(|hs| {
                        hs.iter()
                            .filter(|h| !excluded.contains(h))
                            .map(|&h| self.resolver.info(h).id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                helpers.sort();
                let newcomer = Newcomer {
                    id: info.id.clone(),
                    name: info.name.clone(),
                    repo: self.names[ri].clone(),
                    first_commit: scans[ri].records[i].id.to_string(),
                    date: timestamp(t),
                    helpers,
                };
                (p, newcomer)
            })
            .collect();
        newcomers.sort_by(|(_, a), (_, b)| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
        newcomers
    }

    /// The onboarding pull requests with the report's names, people left out removed; by merge
    /// date, repository and number.
    fn onboarding_prs(
        &self,
        onboarding: Vec<PendingOnboarding>,
    ) -> Vec<(PersonId, model::OnboardingPr)> {
        let (resolver, excluded) = (self.resolver, self.excluded);
        let mut onboarding_prs: Vec<(PersonId, model::OnboardingPr)> = onboarding
            .into_iter()
            .filter(|(n, ..)| !excluded.contains(n))
            .map(|(n, ri, pr, t, url, helpers)| {
                let info = resolver.info(n);
                let mut helpers: Vec<String> = helpers
                    .into_iter()
                    .filter(|h| !excluded.contains(h))
                    .map(|h| resolver.info(h).id.clone())
                    .collect();
                helpers.sort();
                (
                    n,
                    model::OnboardingPr {
                        repo: self.names[ri].clone(),
                        pr,
                        url,
                        author: info.id.clone(),
                        author_name: info.name.clone(),
                        merged: timestamp(t),
                        helpers,
                    },
                )
            })
            .collect();
        onboarding_prs
            .sort_by(|(_, a), (_, b)| (&a.merged, &a.repo, a.pr).cmp(&(&b.merged, &b.repo, b.pr)));
        onboarding_prs
    }
}

/// A repository's entry in the report: its counts, its warnings (sanitized, sorted, once
/// each) and its squash-merge era.
fn repository(
    scan: &RepoScan,
    facts: &RepoFacts,
    name: String,
    (commits, merges): (u64, u64),
    era: Option<(i64, u64, u64)>,
) -> model::Repository {
    // Warnings quote outside text (folder, branch and encoding names, people's names in a
    // history-import warning): no terminal control character reaches the report.
    let mut warnings: Vec<String> = scan
        .warnings
        .iter()
        .chain(&facts.warnings)
        .chain(&facts.review.warnings)
        .map(|w| crate::input::sanitize(w))
        .collect();
    // Dates a report cannot hold are clamped (crate::date); the report says so.
    warnings.extend(crate::date::out_of_range_warning(
        scan.records.iter().map(|r| (r.time, &r.id)),
    ));
    warnings.sort();
    warnings.dedup();
    model::Repository {
        name,
        path: scan.path.clone(),
        head: scan.head.clone(),
        commits,
        merges,
        history: scan.records.len() as u64,
        shallow: scan.shallow,
        remote: scan.remote.clone().map(report_remote),
        config_digest: scan.config_digest.clone(),
        config_file: scan.config_file.as_ref().map(|l| l.name.clone()),
        warnings,
        squash_era: era.map(|(start, commits, squash_merges)| model::SquashEra {
            since: crate::date::day(timestamp(start)),
            commits,
            squash_merges,
        }),
    }
}

/// What the team figures read: the people rows, the review coverage, the newcomers and the
/// onboarding pull requests.
struct TeamFigures<'a> {
    scans: &'a [RepoScan],
    resolver: &'a Resolver,
    opts: &'a AggregateOptions<'a>,
    people: &'a People,
    coverage: &'a Coverage,
    newcomers: &'a [(PersonId, Newcomer)],
    onboarding_prs: &'a [(PersonId, model::OnboardingPr)],
}

impl TeamFigures<'_> {
    /// The figures of every configured team (or only `--team`'s), and of everyone in no team
    /// (`other`, when no team is selected); empty without teams.
    fn teams(
        &self,
        team_members: &BTreeMap<String, BTreeSet<PersonId>>,
    ) -> BTreeMap<String, model::Team> {
        let mut teams: BTreeMap<String, model::Team> = BTreeMap::new();
        if team_members.is_empty() {
            return teams;
        }
        let mut anyone: BTreeSet<PersonId> = BTreeSet::new();
        for (name, members) in team_members {
            if self.opts.team.is_none_or(|t| t == name) {
                teams.insert(name.clone(), self.team(Some(members)));
            }
            anyone.extend(members.iter().copied());
        }
        if self.opts.team.is_none() {
            let others: BTreeSet<PersonId> = self
                .people
                .list
                .iter()
                .map(|(pid, _)| *pid)
                .chain(self.newcomers.iter().map(|(pid, _)| *pid))
                .filter(|pid| !anyone.contains(pid))
                .collect();
            teams.insert("other".to_string(), self.team(Some(&others)));
        }
        teams
    }

    /// Figures for a set of people (None: everyone).
    fn team(&self, members: Option<&BTreeSet<PersonId>>) -> model::Team {
        let opts = self.opts;
        let chosen = |pid: &PersonId, bot: bool| {
            (opts.include_bots || !bot) && members.is_none_or(|m| m.contains(pid))
        };
        let team_people: Vec<&(PersonId, model::Person)> = self
            .people
            .list
            .iter()
            .filter(|(pid, p)| chosen(pid, p.bot))
            .collect();
        let mut categories = Counts::default();
        for (_, p) in &team_people {
            categories.add(&p.categories);
        }
        let glues: Vec<u64> = team_people.iter().map(|(_, p)| p.glue).collect();
        let regular_glues: Vec<u64> = team_people
            .iter()
            .filter(|(pid, _)| self.people.regular.contains(pid))
            .map(|(_, p)| p.glue)
            .collect();
        let glue: u64 = glues.iter().sum();
        let top = glues.iter().copied().max().unwrap_or(0);
        let (commits, reviewed_commits, not_in_git) = self.coverage_of(members, &team_people);
        let in_git = commits - not_in_git;
        model::Team {
            people: team_people.len() as u64,
            commits,
            categories,
            glue,
            gini: model::gini(&glues),
            top_share: if glue == 0 {
                0.0
            } else {
                model::ratio(top as f64 / glue as f64)
            },
            people_for_half: model::people_for_half(&glues),
            regular: model::Concentration::of(opts.regular_months as u64, &regular_glues),
            reviewed_commits,
            review_coverage: if in_git == 0 {
                0.0
            } else {
                model::ratio(reviewed_commits as f64 / in_git as f64)
            },
            not_in_git,
            newcomers: self
                .newcomers
                .iter()
                .filter(|(pid, _)| chosen(pid, self.resolver.info(*pid).bot))
                .map(|(_, n)| n.clone())
                .collect(),
            review_comments: team_people.iter().map(|(_, p)| p.review_comments).sum(),
            onboarding_prs: self
                .onboarding_prs
                .iter()
                .filter(|(pid, _)| chosen(pid, false))
                .map(|(_, o)| o.clone())
                .collect(),
        }
    }

    /// A set of people's (None: everyone's) commits in the window, those reviewed, and those in
    /// a squash-merge era (no review in git: left out of the coverage).
    fn coverage_of(
        &self,
        members: Option<&BTreeSet<PersonId>>,
        team_people: &[&(PersonId, model::Person)],
    ) -> (u64, u64, u64) {
        let (coverage, scans) = (self.coverage, self.scans);
        match members {
            None => {
                let mut reviewed_commits = 0u64;
                let mut not_in_git = 0u64;
                for (ri, (w, r)) in coverage
                    .window_commits
                    .iter()
                    .zip(&coverage.reviewed)
                    .enumerate()
                {
                    for (i, (w, r)) in w.iter().zip(r).enumerate() {
                        if !*w {
                            continue;
                        }
                        if coverage.in_era(scans, ri, i) {
                            not_in_git += 1;
                        } else if *r {
                            reviewed_commits += 1;
                        }
                    }
                }
                (coverage.team_commits, reviewed_commits, not_in_git)
            }
            Some(_) => {
                let mut all: BTreeSet<(usize, usize)> = BTreeSet::new();
                for (pid, _) in team_people {
                    all.extend(self.people.commits_of[pid].iter().copied());
                }
                let not_in_git = all
                    .iter()
                    .filter(|&&(ri, i)| coverage.in_era(scans, ri, i))
                    .count();
                let reviewed = all
                    .iter()
                    .filter(|&&(ri, i)| coverage.reviewed[ri][i] && !coverage.in_era(scans, ri, i))
                    .count();
                (all.len() as u64, reviewed as u64, not_in_git as u64)
            }
        }
    }
}

/// Placeholder identities that authored or committed (no review or onboarding credit for them):
/// one warning each, naming the identity and what to do.
fn identity_warnings(scans: &[RepoScan], resolver: &Resolver) -> Vec<String> {
    let mut seen: BTreeSet<PersonId> = BTreeSet::new();
    for scan in scans {
        for r in &scan.records {
            for i in [&r.author, &r.committer] {
                if let Some(p) = resolver.person(i) {
                    if resolver.info(p).placeholder {
                        seen.insert(p);
                    }
                }
            }
        }
    }
    seen.into_iter()
        .map(|p| {
            let info = resolver.info(p);
            format!(
                "identity: {} is a placeholder identity: it earns no review or onboarding \
                 credit; map it to its person in .mailmap",
                crate::ident::Ident {
                    name: info.name.clone(),
                    email: info.email.clone(),
                    login: None,
                }
                .display()
            )
        })
        .collect()
}

/// Stage times of one aggregation, printed with `GLUEWORK_TIMING=1`.
struct Stages {
    on: bool,
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Stages {
    fn new() -> Stages {
        Stages {
            on: std::env::var_os("GLUEWORK_TIMING").is_some(),
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        if self.on {
            let now = std::time::Instant::now();
            self.laps.push((name, now - self.last));
            self.last = now;
        }
    }

    fn report(&self) {
        if self.on {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(n, d)| format!("{n} {d:?}"))
                .collect();
            eprintln!("timing: aggregate: {}", laps.join(", "));
        }
    }
}
