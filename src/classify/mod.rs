//! Classification: pure functions from a commit's facts (plain data, no git2) to what the commit
//! is and whom it names. Identity resolution and cross-commit rules (newcomers, merges) come
//! later, in `aggregate`; everything here looks at one commit alone.

pub mod gerrit;
pub mod merges;
pub mod message;
mod shared;
pub mod trailers;

use crate::category::Category;
pub use crate::id::CommitId;
use crate::ident::mailmap::Mailmap;
use crate::ident::Ident;
use crate::rules::{CompiledRules, PathClass};
pub use message::MergeStyle;
pub use shared::Shared;
use std::collections::HashSet;

/// A signature as stored in the commit, decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
}

/// Everything the scanner reads about one commit.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    pub id: CommitId,
    pub parents: Vec<CommitId>,
    pub author: Signature,
    pub committer: Signature,
    /// The message, decoded to UTF-8.
    pub message: String,
    /// Paths changed against the first parent (the root commit: against the empty tree). `None`
    /// for merges, and when the trees could not be read (the commit is then judged by its
    /// message alone).
    pub paths: Option<Vec<Vec<u8>>>,
    /// How many of `paths` are submodule pointers (gitlinks).
    pub gitlinks: usize,
}

/// The rule that gave a credit, as written in the report's `kind` field. Shared: a history
/// repeats a handful of kinds, so each record points at one copy ([`Interner`]).
pub type Kind = Shared<str>;

/// An identity shared by every record that names it ([`Interner`]): a history of 80,000
/// commits has a few thousand distinct identities, and each record holds two or more.
pub type SharedIdent = Shared<Ident>;

/// A person a commit names in a credit line (or a merge bot's reviewer list).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub who: SharedIdent,
    pub category: Category,
    pub kind: Kind,
}

/// What one commit is, before identities are resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommitRecord {
    pub id: CommitId,
    pub parents: Vec<CommitId>,
    /// After .mailmap.
    pub author: SharedIdent,
    pub committer: SharedIdent,
    pub author_time: i64,
    /// Committer time: the date that places the commit in a window and a period.
    pub time: i64,
    /// The first line, shared with the report's row of the commit when it is credited.
    pub subject: Shared<str>,
    /// For merges, how the merge was made (boxed: one commit in ten is a merge, and a bors
    /// merge's names would make every record larger).
    pub merge: Option<Box<MergeStyle>>,
    /// A non-merge commit's own category and the rule that decided it; `None` for merges and
    /// for commits that touch only excluded paths.
    pub own: Option<(Category, Kind)>,
    /// Whether the commit is a fix (for `co_authored_fix`).
    pub fix: bool,
    /// The pull or merge request, where the message says.
    pub pr: Option<u64>,
    /// Top-level areas the commit touches (first path component; `/` for files at the root),
    /// excluded paths left out; sorted and unique. Empty for merges.
    pub areas: Vec<Shared<str>>,
    /// `Co-authored-by` people, after .mailmap.
    pub coauthors: Vec<SharedIdent>,
    /// Credit-line people, in message order.
    pub named: Vec<Named>,
}

/// Makes records share their identities and names: every equal identity, kind and area points
/// at one copy. A scan interns each run of records as it is read, and then the whole history,
/// so a record costs its own facts (id, dates, subject) and a pointer per name.
#[derive(Default)]
pub struct Interner {
    idents: HashSet<SharedIdent>,
    strs: HashSet<Shared<str>>,
}

impl Interner {
    fn ident(&mut self, i: &mut SharedIdent) {
        match self.idents.get(i) {
            Some(known) => {
                if !Shared::same(known, i) {
                    *i = known.clone();
                }
            }
            None => {
                self.idents.insert(i.clone());
            }
        }
    }

    fn str(&mut self, s: &mut Shared<str>) {
        match self.strs.get(s) {
            Some(known) => {
                if !Shared::same(known, s) {
                    *s = known.clone();
                }
            }
            None => {
                self.strs.insert(s.clone());
            }
        }
    }

    /// Points the record's identities, kinds and areas at the interned copies.
    pub fn record(&mut self, r: &mut CommitRecord) {
        self.ident(&mut r.author);
        self.ident(&mut r.committer);
        for c in &mut r.coauthors {
            self.ident(c);
        }
        for n in &mut r.named {
            self.ident(&mut n.who);
            self.str(&mut n.kind);
        }
        if let Some((_, kind)) = &mut r.own {
            self.str(kind);
        }
        for a in &mut r.areas {
            self.str(a);
        }
    }
}

/// Summary of a commit's changed paths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PathSummary {
    /// Paths that are not excluded.
    pub counted: usize,
    pub excluded: usize,
    pub onboarding: usize,
    pub docs: usize,
    pub maintenance: usize,
    /// Version files (`VERSION`, `version.h`).
    pub version: usize,
    /// Submodule pointers (set by the caller: path globs cannot tell) and `.gitmodules`.
    pub gitlinks: usize,
    pub gitmodules: usize,
}

impl PathSummary {
    pub fn of<'a>(rules: &CompiledRules, paths: impl IntoIterator<Item = &'a [u8]>) -> Self {
        Self::of_classes(paths.into_iter().map(|p| rules.path_class(p)))
    }

    /// The summary of paths already classified.
    pub fn of_classes(classes: impl IntoIterator<Item = PathClass>) -> Self {
        let mut s = PathSummary::default();
        for class in classes {
            match class {
                PathClass::Excluded => s.excluded += 1,
                class => {
                    s.counted += 1;
                    match class {
                        PathClass::Onboarding => s.onboarding += 1,
                        PathClass::Docs => s.docs += 1,
                        PathClass::Maintenance => s.maintenance += 1,
                        PathClass::Version => s.version += 1,
                        _ => {}
                    }
                }
            }
        }
        s
    }
}

/// Decides a non-merge commit's own category, in the documented order:
/// 1. every changed path is onboarding material → onboarding (`paths`);
/// 2. a revert (`revert`), a dependency bump (`bump`), a release or version bump that touches
///    only docs, build, version and test files (`release`), or a commit that only moves
///    submodule pointers (`submodule`) → maintenance;
/// 3. conventional type `docs` → docs, `ci`/`build`/`chore`/`test` → maintenance (`conventional`);
/// 4. every path is docs or onboarding material → docs (`paths`);
/// 5. every path is CI/build/lock/test → maintenance (`paths`);
/// 6. otherwise code (`code`).
///
/// The path steps need at least one counted path. `paths` is `None` when unknown. Returns `None`
/// when every changed path is excluded: such a commit counts for nobody.
pub fn own_type(
    rules: &CompiledRules,
    subject: &str,
    message: &str,
    paths: Option<&PathSummary>,
) -> Option<(Category, &'static str)> {
    let paths = paths.filter(|p| p.counted + p.excluded > 0);
    if let Some(p) = paths {
        if p.counted == 0 {
            return None;
        }
        if p.onboarding == p.counted {
            return Some((Category::Onboarding, "paths"));
        }
    }
    if message::is_revert(subject, message) {
        return Some((Category::Maintenance, "revert"));
    }
    if message::is_dependency_bump(subject) {
        return Some((Category::Maintenance, "bump"));
    }
    if rules.is_release_subject(subject)
        && paths.is_none_or(|p| p.docs + p.onboarding + p.maintenance + p.version == p.counted)
    {
        return Some((Category::Maintenance, "release"));
    }
    if let Some(p) = paths {
        if p.gitlinks > 0 && p.gitlinks + p.gitmodules >= p.counted + p.excluded {
            return Some((Category::Maintenance, "submodule"));
        }
    }
    if let Some(t) = message::conventional_type(subject) {
        if let Some(&c) = rules.rules.conventional_types.get(&t) {
            if c != Category::Code {
                return Some((c, "conventional"));
            }
        }
    }
    if let Some(p) = paths {
        if p.docs + p.onboarding == p.counted {
            return Some((Category::Docs, "paths"));
        }
        if p.maintenance == p.counted {
            return Some((Category::Maintenance, "paths"));
        }
    }
    Some((Category::Code, "code"))
}

/// Whether a commit is a fix: conventional type `fix`, a fix word in the subject, a `Fixes:`
/// line or a `Fixes #N` reference.
pub fn is_fix(rules: &CompiledRules, subject: &str, message: &str) -> bool {
    message::conventional_type(subject).as_deref() == Some("fix")
        || rules.is_fix_subject(subject)
        || message::has_fixes_reference(message)
}

/// The top-level areas of changed paths: the first path component, or `/` for a file at the
/// root. Excluded paths are left out.
pub fn areas(rules: &CompiledRules, paths: &[Vec<u8>]) -> Vec<Shared<str>> {
    let classes: Vec<PathClass> = paths.iter().map(|p| rules.path_class(p)).collect();
    areas_of(paths, &classes)
}

/// `areas` of paths already classified (`classes[i]` is the class of `paths[i]`).
fn areas_of(paths: &[Vec<u8>], classes: &[PathClass]) -> Vec<Shared<str>> {
    let mut out: Vec<std::borrow::Cow<'_, str>> = paths
        .iter()
        .zip(classes)
        .filter(|(_, &c)| c != PathClass::Excluded)
        .map(|(p, _)| match p.iter().position(|&b| b == b'/') {
            Some(i) => String::from_utf8_lossy(&p[..i]),
            None => "/".into(),
        })
        .collect();
    out.sort();
    out.dedup();
    out.into_iter().map(|a| Shared::from(&*a)).collect()
}

/// Applies .mailmap to an identity that has an email (noting a rewrite in the mailmap's log).
pub fn map_ident(mailmap: &Mailmap, name: &str, email: &str) -> Ident {
    if mailmap.is_empty() {
        return Ident::from_signature(name, email);
    }
    let (n, e) = mailmap.map(name, email);
    let mapped = Ident::from_signature(n, e);
    if (n, e) != (name, email) {
        mailmap.note_rewrite(Ident::from_signature(name, email), &mapped);
    }
    mapped
}

/// Turns a credit-line value into an identity, or `None` when it does not name a person.
pub fn credit_ident(mailmap: &Mailmap, value: &str) -> Option<Ident> {
    ident_of(mailmap, trailers::parse_identity(value)?)
}

/// Every person a credit-line value names (`A and B`, `A, B`), see [`trailers::parse_people`].
pub fn credit_idents(mailmap: &Mailmap, value: &str) -> Vec<Ident> {
    trailers::parse_people(value)
        .into_iter()
        .filter_map(|c| ident_of(mailmap, c))
        .collect()
}

fn ident_of(mailmap: &Mailmap, c: trailers::CreditIdentity) -> Option<Ident> {
    match (c.name, c.email, c.login) {
        (name, Some(email), _) => Some(map_ident(mailmap, name.as_deref().unwrap_or(""), &email)),
        (_, None, Some(login)) => Some(Ident::from_login(&login)),
        (Some(name), None, None) => Some(Ident {
            name,
            email: None,
            login: None,
        }),
        (None, None, None) => None,
    }
}

/// Classifies one commit. Pure: the same facts, rules and mailmap give the same record.
pub fn classify(facts: &CommitFacts, rules: &CompiledRules, mailmap: &Mailmap) -> CommitRecord {
    let message = facts.message.as_str();
    let subject = message::subject(message);
    let author = map_ident(mailmap, &facts.author.name, &facts.author.email);
    let committer = map_ident(mailmap, &facts.committer.name, &facts.committer.email);
    let is_merge = facts.parents.len() > 1;

    let mut coauthors: Vec<SharedIdent> = Vec::new();
    // Co-authors already listed: a set, so thousands of lines stay linear.
    let mut listed: std::collections::HashSet<Ident> = std::collections::HashSet::new();
    let mut named: Vec<Named> = Vec::new();
    let is_known = |k: &str| rules.is_known_key(k);
    for line in trailers::all_credit_lines(message, &is_known) {
        let key = line.key.to_ascii_lowercase();
        let kind: Kind = match line.source {
            trailers::Source::Phabricator => "phabricator:reviewed-by".into(),
            _ => format!("trailer:{key}").into(),
        };
        if rules.is_coauthor_key(&key) {
            for who in credit_idents(mailmap, &line.value) {
                if !listed.contains(&who) {
                    listed.insert(who.clone());
                    coauthors.push(Shared::from(who));
                }
            }
        } else if let Some(category) = rules.credit_category(&key) {
            for who in credit_idents(mailmap, &line.value) {
                named.push(Named {
                    who: Shared::from(who),
                    category,
                    kind: kind.clone(),
                });
            }
        }
    }

    let mut classes: Vec<PathClass> = Vec::new();
    let (merge, own, fix) = if is_merge {
        let style = message::merge_style(subject, message);
        if let MergeStyle::Bors { reviewers, .. } = &style {
            for r in reviewers {
                named.push(Named {
                    who: Shared::from(Ident::from_login(r)),
                    category: Category::Review,
                    kind: "bors".into(),
                });
            }
        }
        (Some(Box::new(style)), None, false)
    } else {
        // Each path classified once, for the summary and the areas.
        classes = facts
            .paths
            .as_ref()
            .map(|p| p.iter().map(|p| rules.path_class(p)).collect())
            .unwrap_or_default();
        let summary = facts.paths.as_ref().map(|paths| PathSummary {
            gitlinks: facts.gitlinks,
            gitmodules: paths
                .iter()
                .filter(|p| p.as_slice() == b".gitmodules")
                .count(),
            ..PathSummary::of_classes(classes.iter().copied())
        });
        let own =
            own_type(rules, subject, message, summary.as_ref()).map(|(c, k)| (c, Kind::from(k)));
        (None, own, is_fix(rules, subject, message))
    };
    let pr = merge
        .as_deref()
        .and_then(MergeStyle::pr)
        .or_else(|| message::squash_pr(subject));
    let areas = match (&merge, &facts.paths) {
        (None, Some(paths)) => areas_of(paths, &classes),
        _ => Vec::new(),
    };

    CommitRecord {
        id: facts.id,
        parents: facts.parents.clone(),
        author: Shared::from(author),
        committer: Shared::from(committer),
        author_time: facts.author.time,
        time: facts.committer.time,
        subject: Shared::from(subject),
        areas,
        merge,
        own,
        fix,
        pr,
        coauthors,
        named,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(paths: &[&str]) -> PathSummary {
        PathSummary::of(
            &CompiledRules::defaults(),
            paths.iter().map(|p| p.as_bytes()),
        )
    }

    fn own(subject: &str, paths: Option<&[&str]>) -> Option<(Category, &'static str)> {
        let r = CompiledRules::defaults();
        let s = paths.map(summary);
        own_type(&r, subject, subject, s.as_ref())
    }

    #[test]
    fn own_type_order_one_example_per_step() {
        use Category::*;
        // 1. onboarding material only, even with a docs type.
        assert_eq!(
            own("docs: contributing guide", Some(&["CONTRIBUTING.md"])),
            Some((Onboarding, "paths"))
        );
        // 2. revert and bump win over paths and conventional types.
        assert_eq!(
            own("Revert \"Add parser\"", Some(&["src/parser.rs"])),
            Some((Maintenance, "revert"))
        );
        assert_eq!(
            own("Bump serde from 1.0.1 to 1.0.2", Some(&["Cargo.lock"])),
            Some((Maintenance, "bump"))
        );
        // 3. conventional types.
        assert_eq!(
            own("docs: explain the cache", Some(&["src/cache.rs"])),
            Some((Docs, "conventional"))
        );
        assert_eq!(
            own("chore: tidy", Some(&["src/lib.rs"])),
            Some((Maintenance, "conventional"))
        );
        // 4. docs or onboarding paths.
        assert_eq!(
            own("Update guides", Some(&["docs/a.md", "CONTRIBUTING.md"])),
            Some((Docs, "paths"))
        );
        // 5. CI/build/lock/test paths.
        assert_eq!(
            own(
                "More tests",
                Some(&["tests/a.rs", ".github/workflows/ci.yml"])
            ),
            Some((Maintenance, "paths"))
        );
        // 6. anything else.
        assert_eq!(
            own("Add parser", Some(&["src/parser.rs", "README.md"])),
            Some((Code, "code"))
        );
        assert_eq!(
            own("feat: parser", Some(&["tests/a.rs"])),
            Some((Maintenance, "paths"))
        );
    }

    #[test]
    fn releases_translations_licences_submodules() {
        use Category::*;
        // A release touching only changelog and manifests: maintenance, not code.
        assert_eq!(
            own(
                "Bump version to 1.2.3",
                Some(&["CHANGELOG.md", "Cargo.toml"])
            ),
            Some((Maintenance, "release"))
        );
        assert_eq!(
            own("Release 2.0", Some(&["CHANGELOG.md"])),
            Some((Maintenance, "release"))
        );
        assert_eq!(
            own(
                "curl 8.5.0",
                Some(&["include/curl/curlver.h", "RELEASE-NOTES"])
            ),
            Some((Maintenance, "release"))
        );
        assert_eq!(
            own("chore(release): 1.4.0", None),
            Some((Maintenance, "release"))
        );
        // A "release" subject on a commit that changes source files stays code.
        assert_eq!(
            own("Release 2.0", Some(&["src/lib.rs", "CHANGELOG.md"])),
            Some((Code, "code"))
        );
        // A version file alone, without a release subject, is code as before.
        assert_eq!(own("Tidy", Some(&["src/version.h"])), Some((Code, "code")));
        // Translations and licences are docs.
        assert_eq!(
            own("l10n: de.po: update", Some(&["po/de.po"])),
            Some((Docs, "paths"))
        );
        assert_eq!(
            own(
                "Update translations",
                Some(&["app/locale/fr.json", "i18n/de.json"])
            ),
            Some((Docs, "paths"))
        );
        assert_eq!(
            own("Relicense", Some(&["LICENSE-MIT", "COPYING", "NOTICE"])),
            Some((Docs, "paths"))
        );
        // Submodule pointers only: maintenance.
        let r = CompiledRules::defaults();
        let sub = PathSummary {
            gitlinks: 1,
            ..summary(&["vendor/lib"])
        };
        assert_eq!(
            own_type(&r, "Update lib", "", Some(&sub)),
            Some((Maintenance, "submodule"))
        );
        let both = PathSummary {
            gitlinks: 1,
            gitmodules: 1,
            ..summary(&["vendor/lib", ".gitmodules"])
        };
        assert_eq!(
            own_type(&r, "Add lib", "", Some(&both)),
            Some((Maintenance, "submodule"))
        );
        let mixed = PathSummary {
            gitlinks: 1,
            ..summary(&["vendor/lib", "src/a.c"])
        };
        assert_eq!(
            own_type(&r, "Use lib", "", Some(&mixed)),
            Some((Code, "code"))
        );
    }

    #[test]
    fn empty_commits_are_judged_by_message() {
        use Category::*;
        assert_eq!(own("docs: note", Some(&[])), Some((Docs, "conventional")));
        assert_eq!(own("Trigger CI", Some(&[])), Some((Code, "code")));
        assert_eq!(own("docs: note", None), Some((Docs, "conventional")));
    }

    #[test]
    fn excluded_paths() {
        let rules = crate::rules::Rules {
            exclude_paths: vec!["vendor/".into()],
            ..Default::default()
        };
        let r = CompiledRules::new(rules).unwrap();
        let only = PathSummary::of(&r, [b"vendor/x.c".as_slice()]);
        assert_eq!(own_type(&r, "Vendor x", "", Some(&only)), None);
        let mixed = PathSummary::of(&r, [b"vendor/x.c".as_slice(), b"docs/x.md".as_slice()]);
        assert_eq!(
            own_type(&r, "x", "", Some(&mixed)),
            Some((Category::Docs, "paths"))
        );
    }

    #[test]
    fn fixes() {
        let r = CompiledRules::defaults();
        assert!(is_fix(&r, "fix(parser): crash", ""));
        assert!(is_fix(&r, "Handle hotfix path", ""));
        assert!(is_fix(&r, "Handle x", "Handle x\n\nFixes #12\n"));
        assert!(!is_fix(&r, "Add prefix", "Add prefix\n"));
    }

    fn facts(message: &str, parents: usize, paths: &[&str]) -> CommitFacts {
        CommitFacts {
            id: CommitId::from_bytes([0xc0; 20]),
            parents: (0..parents)
                .map(|i| CommitId::from_bytes([i as u8; 20]))
                .collect(),
            author: Signature {
                name: "Ann".into(),
                email: "ann@x.org".into(),
                time: 100,
            },
            committer: Signature {
                name: "Max".into(),
                email: "max@x.org".into(),
                time: 200,
            },
            message: message.into(),
            paths: (parents <= 1).then(|| paths.iter().map(|p| p.as_bytes().to_vec()).collect()),
            gitlinks: 0,
        }
    }

    #[test]
    fn classify_collects_credits_and_coauthors() {
        let r = CompiledRules::defaults();
        let m = Mailmap::new();
        let rec = classify(
            &facts(
                "Fix crash (#45)\n\nBody.\n\nReviewed-By: Bob <bob@x.org>\nCo-authored-by: Cy <cy@x.org>\nSigned-off-by: Ann <ann@x.org>\nHelped-by: carol\n",
                1,
                &["src/a.rs"],
            ),
            &r,
            &m,
        );
        assert_eq!(rec.subject, "Fix crash (#45)");
        assert_eq!(rec.pr, Some(45));
        assert!(rec.fix);
        assert_eq!(rec.own, Some((Category::Code, "code".into())));
        assert_eq!(
            rec.coauthors,
            vec![Shared::from(Ident::from_signature("Cy", "cy@x.org"))]
        );
        let named: Vec<(String, Category, &str)> = rec
            .named
            .iter()
            .map(|n| (n.who.display(), n.category, &*n.kind))
            .collect();
        assert_eq!(
            named,
            vec![
                (
                    "Bob <bob@x.org>".to_string(),
                    Category::Review,
                    "trailer:reviewed-by"
                ),
                ("carol".to_string(), Category::Support, "trailer:helped-by"),
            ]
        );
        assert_eq!(rec.time, 200);
        assert_eq!(rec.author_time, 100);
        assert_eq!(rec.areas, ["src"]);
    }

    #[test]
    fn classify_bors_merge() {
        let r = CompiledRules::defaults();
        let rec = classify(
            &facts("Auto merge of #34 - carol:fix-x, r=maint,bob\n", 2, &[]),
            &r,
            &Mailmap::new(),
        );
        assert_eq!(rec.pr, Some(34));
        assert_eq!(rec.own, None);
        let who: Vec<String> = rec.named.iter().map(|n| n.who.display()).collect();
        assert_eq!(who, ["maint", "bob"]);
        assert!(rec.named.iter().all(|n| n.kind == "bors"));
    }

    #[test]
    fn pseudo_trailers_never_become_people() {
        let r = CompiledRules::defaults();
        let rec = classify(
            &facts("Add x\n\nSee: https://example.org/x\nReviewed-on: https://gerrit/1\nReviewed-by: https://example.org\n", 1, &["src/x.rs"]),
            &r,
            &Mailmap::new(),
        );
        assert!(rec.named.is_empty(), "{:?}", rec.named);
    }
}
