//! The promotion packet (`gluework person WHO --out DIR`): one person's glue work as a Markdown
//! document a promotion committee can read and check — the window and repositories, a sentence
//! per category, the charts, preventative work, and every credit with its commit — and the
//! person's slice of the model as JSON (`--format json`). Rendered from the report alone.

use super::markdown::{self as md, Align, Forges};
use crate::category::Category;
use crate::model::{self, Evidence, Newcomer, Person, Report, Text};
use crate::report::{self, Names, Prevention};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Evidence items shown per category before the rest is folded into `<details>`.
pub const UNFOLDED: usize = 20;

/// Evidence items a packet lists per category (shown and folded together); the rest are in the
/// evidence CSV beside it. A maintainer's packet stays readable (and small) at any scale.
pub const LISTED: usize = 200;

/// Options of the packet.
#[derive(Debug, Clone, Default)]
pub struct PacketOptions {
    /// The chart files beside the packet: (profile, timeline) file names. `None`: no charts.
    pub charts: Option<(String, String)>,
    /// The file beside the packet with every evidence item ([`evidence_csv`]), a name made by
    /// gluework (the person's slug), so it is used as a link target as it is. `None`: none is
    /// written (the packet says how to get one when it lists only some items).
    pub evidence_csv: Option<String>,
}

/// A category's name in a document.
pub fn category_title(c: Category) -> &'static str {
    match c {
        Category::Review => "Review",
        Category::Docs => "Documentation",
        Category::CoAuthoredFix => "Fixes written together",
        Category::Onboarding => "Onboarding",
        Category::Support => "Support",
        Category::Maintenance => "Maintenance",
        Category::Code => "Code",
    }
}

/// A credit line's key as written in commits: `trailer:reviewed-by` → `Reviewed-by`.
fn trailer_key(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What an evidence item's rule means, in words (escaped).
pub fn kind_words(category: Category, kind: &str) -> String {
    if let Some(key) = kind.strip_prefix("trailer:") {
        return md::text(&trailer_key(key));
    }
    match (category, kind) {
        (_, "phabricator:reviewed-by") => "Phabricator review".into(),
        (_, "bors") => "bors merge (r=)".into(),
        (_, "merge") => "merged".into(),
        (_, "applied") => "applied their patch".into(),
        (_, "newcomer") => "helped a newcomer".into(),
        (_, "pr-newcomer") => "helped a newcomer's pull request".into(),
        (_, "pr-review:approved") => "approved the pull request".into(),
        (_, "pr-review:changes-requested") => "requested changes".into(),
        (_, "pr-review:commented") => "reviewed (comments)".into(),
        (_, "pr-review:dismissed") => "reviewed (dismissed)".into(),
        (_, "revert") => "revert".into(),
        (_, "bump") => "dependency update".into(),
        (_, "release") => "release or version bump".into(),
        (_, "submodule") => "submodule update".into(),
        (_, "co-authored-fix") => "fix with co-authors".into(),
        (Category::Docs, "paths") => "documentation files".into(),
        (Category::Onboarding, "paths") => "onboarding material".into(),
        (Category::Maintenance, "paths") => "CI, build or test files".into(),
        (Category::Docs, "conventional") => "docs: commit".into(),
        (Category::Maintenance, "conventional") => "ci/build/chore/test commit".into(),
        (_, k) => md::text(k),
    }
}

/// Distinct people named in the `with` lists of these items.
fn people_with<'a>(items: &[&'a Evidence]) -> BTreeSet<&'a str> {
    items
        .iter()
        .flat_map(|e| e.with.iter().map(Text::as_str))
        .collect()
}

/// `n` items of one rule, counted in words: `4 Reviewed-by`, `3 patches applied`.
fn kind_count(category: Category, kind: &str, n: u64) -> String {
    if let Some(key) = kind.strip_prefix("trailer:") {
        return format!("{n} {}", md::text(&trailer_key(key)));
    }
    let (one, many) = match (category, kind) {
        (_, "phabricator:reviewed-by") => ("Phabricator review", "Phabricator reviews"),
        (_, "bors") => ("bors merge", "bors merges"),
        (_, "merge") => ("merge", "merges"),
        (_, "applied") => ("patch applied", "patches applied"),
        (_, "newcomer") => ("newcomer's change", "newcomers' changes"),
        (_, "revert") => ("revert", "reverts"),
        (_, "bump") => ("dependency update", "dependency updates"),
        (_, "release") => ("release or version bump", "releases or version bumps"),
        (_, "submodule") => ("submodule update", "submodule updates"),
        (_, "co-authored-fix") => ("fix with co-authors", "fixes with co-authors"),
        (Category::Docs, "paths") => ("documentation-only change", "documentation-only changes"),
        (Category::Onboarding, "paths") => (
            "change to onboarding material",
            "changes to onboarding material",
        ),
        (Category::Maintenance, "paths") => (
            "change to CI, build or test files",
            "changes to CI, build or test files",
        ),
        (Category::Docs, "conventional") => ("`docs:` commit", "`docs:` commits"),
        (Category::Maintenance, "conventional") => (
            "`ci`/`build`/`chore`/`test` commit",
            "`ci`/`build`/`chore`/`test` commits",
        ),
        (_, k) => return format!("{n} {}", md::text(k)),
    };
    md::count(n, one, many)
}

/// ` (4 Reviewed-by, 1 merge)`: the items counted by rule, most first.
fn breakdown(category: Category, items: &[&Evidence]) -> String {
    let mut by: BTreeMap<&str, u64> = BTreeMap::new();
    for e in items {
        *by.entry(e.kind.as_str()).or_default() += 1;
    }
    if by.is_empty() {
        return String::new();
    }
    let mut v: Vec<(&str, u64)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let parts: Vec<String> = v.iter().map(|(k, n)| kind_count(category, k, *n)).collect();
    format!(" ({})", parts.join(", "))
}

/// Up to `max` names for people ids, escaped, then `and N more`.
fn names(index: &Names, ids: &[&str], max: usize) -> String {
    let mut v: Vec<String> = ids
        .iter()
        .take(max)
        .map(|id| md::text_max(index.get(id), 60))
        .collect();
    if ids.len() > max {
        v.push(format!("{} more", ids.len() - max));
    }
    match v.len() {
        0 => String::new(),
        1 => v.remove(0),
        _ => {
            let last = v.pop().unwrap_or_default();
            format!("{} and {last}", v.join(", "))
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The summary sentence of one glue category (escaped Markdown); `None` when it has no items.
pub fn summary_sentence(report: &Report, p: &Person, c: Category) -> Option<String> {
    summary_sentence_with(&Names::of(report), p, c)
}

/// [`summary_sentence`] with the report's names already indexed (a page of thousands of people
/// indexes them once).
pub fn summary_sentence_with(index: &Names, p: &Person, c: Category) -> Option<String> {
    let items: Vec<&Evidence> = p.evidence.iter().filter(|e| e.category == c).collect();
    let n = p.categories[c].max(items.len() as u64);
    if n == 0 {
        return None;
    }
    let with = people_with(&items);
    let by_people = |verb: &str| {
        if with.is_empty() {
            verb.to_string()
        } else {
            format!(
                "{verb} by {}",
                md::count(with.len() as u64, "person", "people")
            )
        }
    };
    let s = match c {
        Category::Review => format!(
            "{}{}.",
            by_people(&format!("Reviewed {}", md::count(n, "change", "changes"))),
            breakdown(c, &items)
        ),
        Category::Docs => format!(
            "Wrote or improved documentation in {}{}.",
            md::count(n, "change", "changes"),
            breakdown(c, &items)
        ),
        Category::CoAuthoredFix => {
            if with.is_empty() {
                format!("Fixed {} with co-authors.", md::count(n, "bug", "bugs"))
            } else {
                format!(
                    "Fixed {} together with {}.",
                    md::count(n, "bug", "bugs"),
                    md::count(with.len() as u64, "other person", "other people")
                )
            }
        }
        Category::Onboarding => {
            let of = |kind: &str| -> Vec<&Evidence> {
                items.iter().copied().filter(|e| e.kind == kind).collect()
            };
            let mut parts = Vec::new();
            let newcomer = of("newcomer");
            if !newcomer.is_empty() {
                let ids: Vec<&str> = people_with(&newcomer).into_iter().collect();
                // People and changes are counted apart: one change can bring in several
                // newcomers (a squash merge with co-authors), and the category's count is of
                // changes.
                let changes = md::count(newcomer.len() as u64, "change", "changes");
                parts.push(if ids.is_empty() {
                    format!("helped newcomers land their first changes in {changes}")
                } else {
                    format!(
                        "helped {} land their first changes in {changes} ({})",
                        md::count(ids.len() as u64, "newcomer", "newcomers"),
                        names(index, &ids, 5)
                    )
                });
            }
            let mentored: Vec<&Evidence> = items
                .iter()
                .copied()
                .filter(|e| e.kind.starts_with("trailer:"))
                .collect();
            if !mentored.is_empty() {
                let ids: Vec<&str> = people_with(&mentored).into_iter().collect();
                parts.push(format!(
                    "was credited as a mentor on {}{}",
                    md::count(mentored.len() as u64, "change", "changes"),
                    if ids.is_empty() {
                        String::new()
                    } else {
                        format!(" by {}", names(index, &ids, 5))
                    }
                ));
            }
            let material = of("paths");
            if !material.is_empty() {
                parts.push(format!(
                    "wrote or updated onboarding material (contributing guides, templates) in {}",
                    md::count(material.len() as u64, "change", "changes")
                ));
            }
            let other = items.len() - newcomer.len() - mentored.len() - material.len();
            if other > 0 {
                parts.push(format!(
                    "{} other onboarding {}",
                    other,
                    if other == 1 { "credit" } else { "credits" }
                ));
            }
            if parts.is_empty() {
                format!(
                    "Helped others get started in {}.",
                    md::count(n, "change", "changes")
                )
            } else {
                format!("{}.", capitalise(&parts.join("; ")))
            }
        }
        Category::Support => format!(
            "{}{}.",
            if with.is_empty() {
                format!(
                    "Credited with helping on {}",
                    md::count(n, "change", "changes")
                )
            } else {
                format!(
                    "Credited with helping on {} by {}",
                    md::count(n, "change", "changes"),
                    md::count(with.len() as u64, "person", "people")
                )
            },
            breakdown(c, &items)
        ),
        Category::Maintenance => format!(
            "Kept the project healthy in {}{}.",
            md::count(n, "maintenance change", "maintenance changes"),
            breakdown(c, &items)
        ),
        Category::Code => format!("Wrote {}.", md::count(n, "code change", "code changes")),
    };
    Some(s)
}

/// One evidence table: date, repository, commit, change, PR, credit, with.
fn evidence_table(index: &Names, forges: &Forges, items: &[&Evidence]) -> String {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|e| {
            let with: Vec<&str> = e.with.iter().map(Text::as_str).collect();
            vec![
                md::day(e.date),
                md::text_max(&e.repo, 40),
                forges.commit(&e.repo, &e.commit.hex()),
                md::text_max(&e.subject, 120),
                e.pr.map(|n| md::pr_link(forges, &e.repo, n, e.url.as_deref()))
                    .unwrap_or_default(),
                kind_words(e.category, &e.kind),
                names(index, &with, 3),
            ]
        })
        .collect();
    md::table(
        &[
            ("Date", Align::Left),
            ("Repository", Align::Left),
            ("Commit", Align::Left),
            ("Change", Align::Left),
            ("PR", Align::Left),
            ("Credit", Align::Left),
            ("With", Align::Left),
        ],
        &rows,
    )
}

/// A list of items, newest first: the first [`UNFOLDED`] shown, the rest up to [`LISTED`]
/// folded, and a line naming the CSV that holds the items past that.
fn folded_items(
    index: &Names,
    forges: &Forges,
    items: &[&Evidence],
    what: &str,
    csv: Option<&str>,
) -> String {
    let listed = &items[..items.len().min(LISTED)];
    let mut out = evidence_table(index, forges, &listed[..listed.len().min(UNFOLDED)]);
    if listed.len() > UNFOLDED {
        let rest = &listed[UNFOLDED..];
        out.push('\n');
        out.push_str(&md::details(
            &format!("{} more {what}", rest.len()),
            &evidence_table(index, forges, rest),
        ));
    }
    let unlisted = items.len() - listed.len();
    if unlisted > 0 {
        out.push('\n');
        let _ = match csv {
            Some(file) => writeln!(
                out,
                "*{unlisted} older {what} are not listed here; every item is in [{}]({file}).*",
                md::text(file),
            ),
            None => writeln!(
                out,
                "*{unlisted} older {what} are not listed here; `gluework person … --out DIR` \
                 writes every item to a CSV file beside the packet.*"
            ),
        };
    }
    out
}

/// Newest first: by date, then commit id, then rule (stable for equal dates).
fn newest_first(mut items: Vec<&Evidence>) -> Vec<&Evidence> {
    items.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.repo.cmp(&b.repo))
            .then_with(|| a.commit.cmp(&b.commit))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    items
}

/// The promotion packet of `p` as Markdown.
pub fn packet(report: &Report, p: &Person, opts: &PacketOptions) -> String {
    let forges = Forges::of(report);
    let index = Names::of(report);
    let name = md::person_name(p);
    let mut out = String::new();
    let _ = writeln!(out, "# Glue work: {name}\n");
    let _ = writeln!(
        out,
        "The glue work credited to {name} in git history: reviewing, documenting, fixing bugs \
         together, onboarding newcomers, supporting others and maintaining the project. Every \
         item below names the commit it comes from, so each one can be checked.\n"
    );
    who_when_where(&mut out, report, p, &forges, &name);
    summary(&mut out, report, p);
    if let Some((profile, timeline)) = &opts.charts {
        let _ = writeln!(out, "## Charts\n");
        let _ = writeln!(out, "![Glue profile of {name}]({profile})\n");
        let _ = writeln!(out, "![Glue work over time: {name}]({timeline})\n");
    }
    preventative_work(&mut out, p, &index, &forges, opts);
    evidence(&mut out, p, &index, &forges, opts, &name);
    how_to_read(&mut out);
    out
}

/// The packet's opening list: who (ids, other spellings), the window, the repositories, the
/// credited work and the share within the team, the tool, shallow-clone notes.
fn who_when_where(out: &mut String, report: &Report, p: &Person, forges: &Forges, name: &str) {
    let mut ids = Vec::new();
    if let Some(login) = &p.login {
        ids.push(md::text(&format!("@{}", login.trim_start_matches('@'))));
    }
    if let Some(email) = &p.email {
        ids.push(md::text(email));
    }
    let _ = writeln!(
        out,
        "- **Person:** {name}{}",
        if ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", ids.join(", "))
        }
    );
    if !p.aliases.is_empty() {
        let shown: Vec<String> = p
            .aliases
            .iter()
            .take(5)
            .map(|a| md::text_max(a, 80))
            .collect();
        let more = p.aliases.len().saturating_sub(5);
        let _ = writeln!(
            out,
            "- **Also appears as:** {}{}",
            shown.join("; "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(out, "- **Window:** {}", md::window(report));
    const MAX_REPOS: usize = 10;
    let mut repos: Vec<String> = p
        .by_repo
        .iter()
        .take(MAX_REPOS)
        .map(|r| {
            let glue = r.categories.glue();
            format!(
                "{} ({}, {})",
                forges.repo(&r.repo),
                md::count(glue, "glue credit", "glue credits"),
                md::count(r.categories.code, "code change", "code changes")
            )
        })
        .collect();
    if p.by_repo.len() > MAX_REPOS {
        repos.push(format!("and {} more", p.by_repo.len() - MAX_REPOS));
    }
    let scanned = report.repositories.len();
    let _ = writeln!(
        out,
        "- **Repositories:** {}{}",
        if repos.is_empty() {
            "none".to_string()
        } else {
            repos.join(", ")
        },
        if scanned > p.by_repo.len() {
            format!(
                " — {} scanned in all",
                md::count(scanned as u64, "repository", "repositories")
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "- **Credited work:** {} and {}; glue is {} of their credited work",
        md::count(p.glue, "glue credit", "glue credits"),
        md::count(p.categories.code, "code change", "code changes"),
        md::percent(p.glue_share)
    );
    let team = report::team_people(report);
    if team.iter().any(|t| t.id == p.id) && report.team.glue > 0 {
        let rank = 1 + team.iter().filter(|t| t.glue > p.glue).count();
        let _ = writeln!(
            out,
            "- **Within the team:** {} of all the team's glue; {} of {} people by glue",
            md::percent(p.glue as f64 / report.team.glue as f64),
            ordinal(rank),
            team.len()
        );
    }
    let _ = writeln!(
        out,
        "- **Made by:** {} {} (rules version {}) from git history",
        md::text(&report.tool.name),
        md::text(&report.tool.version),
        report.tool.rules_version
    );
    for r in report.repositories.iter().filter(|r| r.shallow) {
        let _ = writeln!(
            out,
            "- **Note:** {} is a shallow clone: its history is cut, so these counts are partial",
            md::text(&r.name)
        );
    }
    out.push('\n');
}

/// The summary: a sentence a glue category (those without credits named once), review comments,
/// code for scale, and the repositories whose reviews are on the forge, not in git.
fn summary(out: &mut String, report: &Report, p: &Person) {
    let _ = writeln!(out, "## Summary\n");
    let mut none = Vec::new();
    for c in Category::GLUE {
        match summary_sentence(report, p, c) {
            Some(s) => {
                let _ = writeln!(out, "- **{}:** {s}", category_title(c));
            }
            None => none.push(category_title(c).to_lowercase()),
        }
    }
    if p.review_comments > 0 {
        let _ = writeln!(
            out,
            "- **Review comments:** left {} on {} (forge data).",
            md::count(p.review_comments, "review comment", "review comments"),
            md::count(p.review_comment_prs, "pull request", "pull requests")
        );
    }
    if let Some(s) = summary_sentence(report, p, Category::Code) {
        let _ = writeln!(out, "- **Code, for scale:** {s}");
    }
    if !none.is_empty() {
        let _ = writeln!(out, "- No credits in this window for {}.", none.join(", "));
    }
    // Repositories of theirs whose reviews are on the forge, not in git (few: look each up).
    for r in &report.repositories {
        if let Some(era) = r
            .squash_era
            .as_ref()
            .filter(|_| p.by_repo.iter().any(|c| c.repo == r.name))
        {
            let _ = writeln!(
                out,
                "- **Reviews not in git:** {} has been squash-merged in the forge's web UI since \
                 {}, so reviews of its pull requests since then are on the forge, not in git, \
                 and are missing above. `gluework fetch`, then `scan --forge`, adds them \
                 (docs/forge.md).",
                md::text(&r.name),
                md::text(&crate::date::day_text(era.since))
            );
        }
    }
    out.push('\n');
}

/// Preventative work: problems caught, changes tested, reverts, changes requested, then their
/// items, newest first.
fn preventative_work(
    out: &mut String,
    p: &Person,
    index: &Names,
    forges: &Forges,
    opts: &PacketOptions,
) {
    let _ = writeln!(out, "## Preventative work\n");
    let _ = writeln!(
        out,
        "Work that prevents problems is the glue nobody sees: a bug reported before it spread, \
         a change tested before it shipped, a breaking change taken back. What git history \
         shows of it:\n"
    );
    let mut prevented: Vec<&Evidence> = Vec::new();
    for kind in Prevention::ALL {
        let items: Vec<&Evidence> = p
            .evidence
            .iter()
            .filter(|e| report::prevention(e) == Some(kind))
            .collect();
        let line = match kind {
            Prevention::Caught => {
                let with = people_with(&items);
                if items.is_empty() {
                    "- **Problems caught:** none credited (`Reported-by`, `Noticed-by`, \
                     `Pointed-out-by` lines)."
                        .to_string()
                } else {
                    format!(
                        "- **Problems caught:** credited for reporting or noticing problems on \
                         {}{}{}.",
                        md::count(items.len() as u64, "change", "changes"),
                        if with.is_empty() {
                            String::new()
                        } else {
                            format!(" by {}", md::count(with.len() as u64, "person", "people"))
                        },
                        breakdown(Category::Support, &items)
                    )
                }
            }
            Prevention::Tested => {
                if items.is_empty() {
                    "- **Changes tested:** none credited (`Tested-by` lines).".to_string()
                } else {
                    format!(
                        "- **Changes tested:** credited as a tester on {} (`Tested-by`).",
                        md::count(items.len() as u64, "change", "changes")
                    )
                }
            }
            Prevention::Reverted => {
                if items.is_empty() {
                    "- **Reverts:** none.".to_string()
                } else {
                    format!(
                        "- **Reverts:** took back {}. Git does not record why a change was \
                         reverted; the subjects below say what was undone.",
                        md::count(items.len() as u64, "change", "changes")
                    )
                }
            }
        };
        let _ = writeln!(out, "{line}");
        prevented.extend(items);
    }
    let _ = writeln!(out, "{}\n", changes_requested_line(p));
    if !prevented.is_empty() {
        let prevented = newest_first(prevented);
        out.push_str(&folded_items(
            index,
            forges,
            &prevented,
            "preventative items",
            opts.evidence_csv.as_deref(),
        ));
        out.push('\n');
    }
}

/// The evidence: every glue credit by category, newest first.
fn evidence(
    out: &mut String,
    p: &Person,
    index: &Names,
    forges: &Forges,
    opts: &PacketOptions,
    name: &str,
) {
    let _ = writeln!(out, "## Evidence\n");
    let _ = writeln!(
        out,
        "Every glue credit in the window, by category, newest first. A change can appear in \
         more than one category (reviewing a newcomer's change is review and onboarding).\n"
    );
    let mut any = false;
    for c in Category::GLUE {
        let items = newest_first(p.evidence.iter().filter(|e| e.category == c).collect());
        if items.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "### {} ({})\n", category_title(c), items.len());
        out.push_str(&folded_items(
            index,
            forges,
            &items,
            &format!("{} items", category_title(c).to_lowercase()),
            opts.evidence_csv.as_deref(),
        ));
        out.push('\n');
    }
    if !any {
        let _ = writeln!(out, "No glue work is credited to {name} in this window.\n");
    }
}

/// How to read the packet: what counts and what git cannot show.
fn how_to_read(out: &mut String) {
    let _ = writeln!(out, "## How to read this\n");
    let _ = writeln!(
        out,
        "Counts are distinct commits. A credit comes from the commit itself (its author, \
         committer and changed files) or from a credit line in its message (`Reviewed-by`, \
         `Helped-by`, `Co-authored-by` …); merges credit the person who merged someone else's \
         work. Work that leaves no trace in git — reviews on a forge without a credit line, \
         design discussions, answering questions — is not counted, so this is a lower bound. \
         The rules are in gluework's docs/categories.md."
    );
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The person's slice of the model (`gluework person WHO --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct PersonSlice<'a> {
    pub schema_version: u32,
    /// Always `person`: this is one person's slice, not a whole report.
    pub slice: &'static str,
    pub tool: &'a model::Tool,
    pub config: &'a model::ConfigInfo,
    pub window: &'a model::Window,
    pub repositories: &'a [model::Repository],
    pub categories: &'a [Category],
    /// The facts of the commits the person's evidence refers to (`row`), as the report's
    /// `commits` table holds them.
    pub commits: Vec<model::CommitRow>,
    pub person: Person,
    /// Newcomers of the window this person is credited with helping.
    pub newcomers_helped: Vec<&'a Newcomer>,
    /// Names of the people the person's evidence refers to (`with`), by id.
    pub names: BTreeMap<&'a str, &'a str>,
}

/// The person's slice as pretty JSON with a trailing newline.
pub fn slice_json(report: &Report, p: &Person) -> String {
    let index = Names::of(report);
    let mut names = BTreeMap::new();
    for id in p.evidence.iter().flat_map(|e| e.with.iter()) {
        names.insert(id.as_str(), index.get(id));
    }
    let (commits, person) = p.with_own_commits(&report.commits);
    let slice = PersonSlice {
        schema_version: report.schema_version,
        slice: "person",
        tool: &report.tool,
        config: &report.config,
        window: &report.window,
        repositories: &report.repositories,
        categories: &report.categories,
        commits,
        person,
        newcomers_helped: report
            .team
            .newcomers
            .iter()
            .filter(|n| n.helpers.contains(&p.id))
            .collect(),
        names,
    };
    let mut s = serde_json::to_string_pretty(&slice).expect("a slice always serialises");
    s.push('\n');
    s
}

/// Every evidence item of `p` as CSV (RFC 4180, formulas defused as in `--csv`), newest first
/// by category in report order: the file beside a packet that lists only the newest items.
pub fn evidence_csv(report: &Report, p: &Person) -> String {
    use super::csv::field;
    let index = Names::of(report);
    let mut out = String::from("date,category,credit,repository,commit,pr,subject,with\r\n");
    for c in Category::GLUE {
        let items = newest_first(p.evidence.iter().filter(|e| e.category == c).collect());
        for e in items {
            let with: Vec<&str> = e.with.iter().map(Text::as_str).collect();
            let row = [
                field(&e.date_text()),
                field(c.as_str()),
                field(&kind_words(c, &e.kind)),
                field(&e.repo),
                field(&e.commit.hex()),
                e.pr.map(|n| n.to_string()).unwrap_or_default(),
                field(&e.subject),
                field(
                    &with
                        .iter()
                        .map(|id| index.get(id))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// The rule of a forge review that asked for changes (src/aggregate/forge.rs).
const CHANGES_REQUESTED: &str = "pr-review:changes-requested";

/// "Reviews that asked for changes": counted from forge data; git history alone does not
/// record them, and the line says how to get them.
fn changes_requested_line(p: &Person) -> String {
    let asked = p
        .evidence
        .iter()
        .filter(|e| e.kind == CHANGES_REQUESTED)
        .count();
    if asked > 0 {
        return format!(
            "- **Reviews that asked for changes:** asked for changes on {} (forge data; listed \
             under Review below).",
            md::count(asked as u64, "pull request", "pull requests")
        );
    }
    "- **Reviews that asked for changes:** none recorded. Git history does not hold them; \
     with forge data (`gluework fetch`, then `scan --forge`; docs/forge.md) the forge's \
     reviews that asked for changes are counted here."
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .iter()
            .map(|&n| ordinal(n))
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    /// The onboarding sentence counts newcomers (people) and the changes that brought them in
    /// apart, so its changes add up to the category's count: Maya helped 3 newcomers in 4
    /// changes (Frank twice) and wrote onboarding material in 4, 8 in all; a change that brings
    /// in two newcomers (a squash merge with a co-author) adds a newcomer, not a change.
    #[test]
    fn onboarding_counts_newcomers_and_changes_apart() {
        let mut report = Report::from_json(include_str!("../../tests/golden/team.json"), |e| {
            e.to_string()
        })
        .unwrap();
        let maya = report
            .people
            .iter()
            .position(|p| p.name == "Maya Lindqvist")
            .unwrap();
        assert_eq!(report.people[maya].categories[Category::Onboarding], 8);
        let sentence =
            |r: &Report| summary_sentence(r, &r.people[maya], Category::Onboarding).unwrap();
        let s = sentence(&report);
        assert!(
            s.starts_with("Helped 3 newcomers land their first changes in 4 changes (")
                && s.contains("(contributing guides, templates) in 4 changes."),
            "{s}"
        );
        let first = report.people[maya]
            .evidence
            .iter()
            .position(|e| e.category == Category::Onboarding && e.kind == "newcomer")
            .unwrap();
        report.people[maya].evidence[first]
            .with
            .push("gus@example.com".into());
        let s = sentence(&report);
        assert!(
            s.starts_with("Helped 4 newcomers land their first changes in 4 changes ("),
            "{s}"
        );
    }

    #[test]
    fn kinds_in_words() {
        assert_eq!(
            kind_words(Category::Review, "trailer:reviewed-by"),
            "Reviewed-by"
        );
        assert_eq!(
            kind_words(Category::Maintenance, "paths"),
            "CI, build or test files"
        );
        assert_eq!(kind_words(Category::Review, "x|<y>"), "x\\|&lt;y&gt;");
    }
}
