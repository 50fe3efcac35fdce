//! A larger generated repository (about 2,000 commits, 40 people) with the ground truth of what
//! it credits, for the count and identity comparisons.
//!
//! Seeded and deterministic: the same seed gives the same repository (it is built with
//! `git fast-import`, all dates and identities fixed). It has
//! * a `.mailmap` with every hard case: name-only, email-only and old-name-and-email entries,
//!   emails differing only in case, several entries for one person (a later one refining an
//!   earlier one), comments, a CRLF line and malformed lines;
//! * two different people who share the display name "Alex Smith";
//! * an old identity that the mailmap does *not* catch (`K. Weber <kai@old.example>`: the
//!   mailmap maps `Kai W <kai@old.example>` only), so git and gluework both keep it apart;
//! * GitHub noreply addresses proving logins, and old-style noreply aliases of the same login;
//! * credit lines with every credit key in upper, lower and mixed case, varied separators,
//!   folded values, and values written as `Name <email>`, case-changed emails, `<email>`, bare
//!   emails, `@login`, `login`, bare names, an ambiguous bare name, an unknown login and junk;
//! * final paragraphs git accepts (plain, or by its 25% rule with a `Signed-off-by`), rejects
//!   (prose first: gluework's lenient lines) and Phabricator `Reviewed By:` lines;
//! * self-credits, co-authors, applied patches, web-UI commits, dependency bumps by a bot,
//!   reverts, empty commits, docs-only, onboarding-only and mixed commits, and pull requests
//!   merged by a maintainer (some with trailers in the merge message) or by bors.

use super::gitcmd;
use std::path::{Path, PathBuf};

pub const SEED: u64 = 0x676c_7565_2d61_6363; // "glue-acc"

/// The library's generator (`gluework::genrepo::Rng`, also `gluework-genrepo`'s), with chances
/// in percent and picks that clone.
pub struct Rng(gluework::genrepo::Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(gluework::genrepo::Rng::new(seed))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.0.percent(percent)
    }
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        self.0.pick(items).clone()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Maintainer,
    Dev,
    /// Named in credit lines only.
    CreditOnly,
    Bot,
}

#[derive(Debug, Clone)]
pub struct Person {
    /// The identity git's mailmap gives every one of `idents` (name, email).
    pub canonical: (String, String),
    /// How the person appears in commits (before the mailmap).
    pub idents: Vec<(String, String)>,
    /// Another address of theirs that only gluework ties to them: an old-style GitHub noreply
    /// address proving the same login. Never used where it would name the author.
    pub noreply_alias: Option<String>,
    pub login: Option<String>,
    /// Their display name is unique in the repository: a bare name may name them.
    pub bare_name: bool,
    pub role: Role,
}

/// Whom a credit line names, as gluework should resolve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Person(usize),
    /// A person of their own with this report id: an ambiguous bare name, an unknown login.
    Alone(&'static str),
    /// Not a person (`TBD`, a URL, …).
    Nobody,
}

/// How a credit line is written, which decides whether plain git can attribute it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// In a block git accepts, naming an email: `git log` + `check-mailmap` attribute it.
    Git,
    /// In a block git accepts, but a bare name or login: git has no email to go by.
    GitBare,
    /// In a final paragraph git rejects: only gluework's lenient reading sees it.
    Lenient,
    /// A Phabricator `Reviewed By:` login: no git trailer at all.
    Phabricator,
}

#[derive(Debug, Clone)]
pub struct Credit {
    /// `review`, `onboarding` or `support`.
    pub category: &'static str,
    pub who: Who,
    pub via: Via,
}

#[derive(Debug, Clone)]
pub struct GenCommit {
    /// Unique in the repository.
    pub subject: String,
    pub author: usize,
    pub coauthors: Vec<usize>,
    pub merge: bool,
    pub credits: Vec<Credit>,
}

pub struct Generated {
    pub dir: PathBuf,
    pub people: Vec<Person>,
    pub commits: Vec<GenCommit>,
}

/// Credit keys (lower case) by category, as in the default rules.
pub const REVIEW_KEYS: &[&str] = &["reviewed-by", "acked-by", "tested-by", "approved-by"];
pub const ONBOARDING_KEYS: &[&str] = &["mentored-by"];
pub const SUPPORT_KEYS: &[&str] = &[
    "helped-by",
    "suggested-by",
    "reported-by",
    "assisted-by",
    "noticed-by",
    "thanks-to",
    "based-on-patch-by",
    "original-patch-by",
    "improved-by",
    "requested-by",
    "pointed-out-by",
    "inspired-by",
];

pub const MAILMAP: &str = "\
# The generated repository's .mailmap: every hard case git handles.
# (A comment line; the next line is blank.)

# name-only: fix the display name for an address
Jane Doe <jane.doe@example.org>
# email-only: a new address, keep the name as committed
<rui@new.example> <rui@old.example>
# old name and email to new: only `Kai W <kai@old.example>` matches, not `K. Weber <kai@old.example>`
Kai Weber <kai@new.example> Kai W <kai@old.example>
# emails differ only in case from what is committed
Lena Fischer <lena@example.com> <LENA@EXAMPLE.COM>
# several entries for one person; the second refines the first
Omar X <omar@old.example>
Omar Haddad <omar@example.com> <omar@old.example>
Omar Haddad <omar@example.com>
Omar Haddad <omar@example.com> Omar H. <o.haddad@uni.example>
<omar@example.com> <OMAR.H@mail.example>
Priya Raman <priya@example.com> <priya.r@corp.example>   # moved teams; trailing text is ignored
Tom\u{e1}s N\u{fa}\u{f1}ez <tomas@example.es> Tomas Nunez <tomas@example.es>
Wei Chen <wei@example.cn> <chen.wei@old.example>\r
# malformed lines: git skips them
Broken Person <broken@example.com
A line without any email
Name <>
<only-open@example.com
";

fn p(
    canonical: (&str, &str),
    idents: &[(&str, &str)],
    login: Option<&str>,
    noreply_alias: Option<&str>,
    bare_name: bool,
    role: Role,
) -> Person {
    Person {
        canonical: (canonical.0.to_owned(), canonical.1.to_owned()),
        idents: idents
            .iter()
            .map(|(n, e)| ((*n).to_owned(), (*e).to_owned()))
            .collect(),
        noreply_alias: noreply_alias.map(str::to_owned),
        login: login.map(str::to_owned),
        bare_name,
        role,
    }
}

pub const ALEX: &str = "Alex Smith";
pub const GHOST: &str = "@ghost-user";

/// The cast: special cases first, then ordinary developers.
pub fn cast() -> Vec<Person> {
    use Role::*;
    let mut v = vec![
        p(
            ("Maya Lindqvist", "1001+maint@users.noreply.github.com"),
            &[("Maya Lindqvist", "1001+maint@users.noreply.github.com")],
            Some("maint"),
            Some("maint@users.noreply.github.com"),
            true,
            Maintainer,
        ),
        p(
            ("Bob Okafor", "4004+bob@users.noreply.github.com"),
            &[("Bob Okafor", "4004+bob@users.noreply.github.com")],
            Some("bob"),
            Some("bob@users.noreply.github.com"),
            true,
            Maintainer,
        ),
        p(
            ("Erin Diaz", "3003+erin-dev@users.noreply.github.com"),
            &[("Erin Diaz", "3003+erin-dev@users.noreply.github.com")],
            Some("erin-dev"),
            Some("erin-dev@users.noreply.github.com"),
            true,
            Dev,
        ),
        p(
            ("Jane Doe", "jane.doe@example.org"),
            &[
                ("jdoe", "jane.doe@example.org"),
                ("Jane Doe", "jane.doe@example.org"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Rui Costa", "rui@new.example"),
            &[
                ("Rui Costa", "rui@old.example"),
                ("Rui Costa", "rui@new.example"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Kai Weber", "kai@new.example"),
            &[
                ("Kai W", "kai@old.example"),
                ("Kai Weber", "kai@new.example"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("K. Weber", "kai@old.example"),
            &[("K. Weber", "kai@old.example")],
            None,
            None,
            false,
            Dev,
        ),
        p(
            ("Lena Fischer", "lena@example.com"),
            &[
                ("Lena F", "Lena@Example.com"),
                ("Lena Fischer", "LENA@example.com"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Omar Haddad", "omar@example.com"),
            &[
                ("Omar H", "omar@old.example"),
                ("Omar", "omar@example.com"),
                ("Omar H.", "o.haddad@uni.example"),
                ("Omar Haddad", "omar@example.com"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            (ALEX, "alex@alpha.example"),
            &[(ALEX, "alex@alpha.example")],
            None,
            None,
            false,
            Dev,
        ),
        p(
            (ALEX, "asmith@beta.example"),
            &[(ALEX, "asmith@beta.example")],
            None,
            None,
            false,
            Dev,
        ),
        p(
            ("Priya Raman", "priya@example.com"),
            &[
                ("Priya R", "priya.r@corp.example"),
                ("Priya Raman", "priya@example.com"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Tom\u{e1}s N\u{fa}\u{f1}ez", "tomas@example.es"),
            &[("Tomas Nunez", "tomas@example.es")],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Wei Chen", "wei@example.cn"),
            &[
                ("chen", "chen.wei@old.example"),
                ("Wei Chen", "wei@example.cn"),
            ],
            None,
            None,
            true,
            Dev,
        ),
        p(
            ("Hana Sato", "hana-s@users.noreply.github.com"),
            &[("Hana Sato", "hana-s@users.noreply.github.com")],
            Some("hana-s"),
            None,
            true,
            Dev,
        ),
        p(
            ("Gus Ortega", "gus@example.com"),
            &[("Gus Ortega", "gus@example.com")],
            None,
            None,
            true,
            CreditOnly,
        ),
        p(
            ("Ines Duarte", "ines@example.pt"),
            &[("Ines Duarte", "ines@example.pt")],
            None,
            None,
            true,
            CreditOnly,
        ),
        p(
            (
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
            ),
            &[(
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
            )],
            None,
            None,
            false,
            Bot,
        ),
        p(
            ("bors", "bors@example.com"),
            &[("bors", "bors@example.com")],
            None,
            None,
            false,
            Bot,
        ),
    ];
    const FIRST: &[&str] = &[
        "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Femi", "Greta", "Hugo", "Ingrid", "Jonas",
        "Kemal", "Lucia", "Mateo", "Nadia", "Oskar", "Paula", "Quentin", "Rosa", "Stefan", "Tariq",
        "Ulla", "Viktor",
    ];
    const LAST: &[&str] = &[
        "Lovell", "Marini", "Rossi", "Ivanov", "Kaya", "Adeyemi", "Berg", "Leclerc", "Nilsen",
        "Brandt", "Yilmaz", "Romero", "Silva", "Haddou", "Lund", "Moreno", "Dubois", "Vidal",
        "Keller", "Aziz", "Holm", "Petrov",
    ];
    for (i, (f, l)) in FIRST.iter().zip(LAST).enumerate() {
        let name = format!("{f} {l}");
        let lower = format!("{}.{}", f.to_lowercase(), l.to_lowercase());
        let (email, login) = if i % 3 == 0 {
            let login = format!("{}-{}", f.to_lowercase(), &l[..1].to_lowercase());
            (
                format!("{}+{login}@users.noreply.github.com", 5000 + i),
                Some(login),
            )
        } else {
            (format!("{lower}@example.net"), None)
        };
        let alias = login
            .as_ref()
            .map(|l| format!("{l}@users.noreply.github.com"));
        v.push(Person {
            canonical: (name.clone(), email.clone()),
            idents: vec![(name, email)],
            noreply_alias: alias,
            login,
            bare_name: true,
            role: Role::Dev,
        });
    }
    v
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

const TOPICS: &[&str] = &[
    "parser", "cache", "fetcher", "config", "cli", "output", "retry", "logging", "metrics", "auth",
    "storage", "index",
];
const DOC_PATHS: &[&str] = &[
    "docs/{t}.md",
    "doc/{t}.rst",
    "README.md",
    "CHANGELOG.md",
    "guide/{t}.adoc",
    "src/{t}/README.md",
    "NEWS",
    "Documentation/{t}.txt",
    "man/gluework-{t}.1",
    "tests/README.md",
    "Docs/Notes-{t}.MD",
];
const ONBOARDING_PATHS: &[&str] = &[
    "CONTRIBUTING.md",
    "CODE_OF_CONDUCT.md",
    ".github/ISSUE_TEMPLATE/bug.md",
    "docs/getting-started.md",
];
const CODE_PATHS: &[&str] = &["src/{t}.rs", "src/{t}/mod.rs", "lib/{t}.py"];
const TEST_PATHS: &[&str] = &["tests/{t}.rs", "tests/{t}_more.rs"];
const PROSE: &[&str] = &[
    "The old code path did not handle this case and callers had to work around it.",
    "This keeps behaviour the same for existing users and adds a switch for the rest.",
    "Measured on a large history the change saves about a third of the time.",
    "Follow-up to the discussion on the mailing list last week.",
];

pub struct Gen {
    rng: Rng,
    pub people: Vec<Person>,
    pub commits: Vec<GenCommit>,
    stream: String,
    mark: usize,
    time: i64,
    n: usize,
    /// Subjects of docs-only commits that could be reverted, with their path.
    docs_done: Vec<(String, String)>,
}

fn fill(pattern: &str, topic: &str) -> String {
    pattern.replace("{t}", topic)
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            people: cast(),
            commits: Vec::new(),
            stream: String::new(),
            mark: 0,
            time: 1_672_531_200, // 2023-01-01
            n: 0,
            docs_done: Vec::new(),
        }
    }

    fn with_roles(&self, roles: &[Role]) -> Vec<usize> {
        (0..self.people.len())
            .filter(|&i| roles.contains(&self.people[i].role))
            .collect()
    }

    fn by_role(&self, role: Role) -> Vec<usize> {
        self.with_roles(&[role])
    }

    fn person_named(&self, name: &str) -> usize {
        self.people
            .iter()
            .position(|p| p.canonical.0 == name)
            .unwrap()
    }

    fn pick_author(&mut self) -> usize {
        let maint = self.by_role(Role::Maintainer);
        let devs = self.by_role(Role::Dev);
        if self.rng.chance(25) {
            self.rng.pick(&maint)
        } else if self.rng.chance(30) {
            // A handful of frequent developers…
            devs[self.rng.below(6)]
        } else {
            // …and a long tail.
            self.rng.pick(&devs)
        }
    }

    fn ident_of(&mut self, person: usize) -> (String, String) {
        let idents = self.people[person].idents.clone();
        self.rng.pick(&idents)
    }

    fn next_time(&mut self) -> i64 {
        self.time += 3_600 + self.rng.below(6 * 3_600) as i64;
        self.time
    }

    /// A credit value naming `person`. `self_safe`: the person is an author of the commit, so
    /// only forms that map to the same address as their commits (or bare forms) are used.
    /// Returns the value and whether it names an email.
    fn value_for(&mut self, person: usize, self_safe: bool, allow_bare: bool) -> (String, bool) {
        let pr = self.people[person].clone();
        let mut forms: Vec<(String, bool)> = vec![
            (format!("{} <{}>", pr.canonical.0, pr.canonical.1), true),
            (format!("{} <{}>", pr.canonical.0, pr.canonical.1), true),
        ];
        for (n, e) in &pr.idents {
            forms.push((format!("{n} <{e}>"), true));
        }
        forms.push((
            format!("{} <{}>", pr.canonical.0, pr.canonical.1.to_uppercase()),
            true,
        ));
        forms.push((format!("<{}>", pr.canonical.1), true));
        forms.push((pr.canonical.1.clone(), true));
        if !self_safe {
            if let Some(a) = &pr.noreply_alias {
                forms.push((format!("{} <{a}>", pr.canonical.0), true));
                forms.push((a.clone(), true));
            }
        }
        if allow_bare {
            if let Some(l) = &pr.login {
                forms.push((format!("@{l}"), false));
                forms.push((l.clone(), false));
            }
            if pr.bare_name {
                forms.push((pr.canonical.0.clone(), false));
            }
        }
        self.rng.pick(&forms)
    }

    fn key_spelling(&mut self, key: &str) -> String {
        match self.rng.below(10) {
            0 => key.to_uppercase(),
            1 => key.to_owned(),
            2 => key
                .split('-')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-"),
            _ => {
                let mut c = key.chars();
                c.next().unwrap().to_uppercase().chain(c).collect()
            }
        }
    }

    fn separator(&mut self, lenient: bool) -> &'static str {
        if lenient {
            self.rng.pick(&[": ", ": ", ": ", " : ", ":\t"])
        } else {
            self.rng
                .pick(&[": ", ": ", ": ", ": ", " : ", ":", ":\t", "\t: "])
        }
    }

    fn pick_key(&mut self) -> (&'static str, &'static str) {
        match self.rng.below(100) {
            0..=44 => ("review", "reviewed-by"),
            45..=54 => ("review", self.rng.pick(&REVIEW_KEYS[1..])),
            55..=64 => ("onboarding", "mentored-by"),
            _ => ("support", self.rng.pick(SUPPORT_KEYS)),
        }
    }

    /// Credit lines for a commit by `authors` (the author first), in the given paragraph style.
    fn credit_lines(&mut self, authors: &[usize], style: Style) -> (Vec<String>, Vec<Credit>) {
        let mut lines = Vec::new();
        let mut credits = Vec::new();
        let count = [1, 1, 1, 2, 2, 3, 4][self.rng.below(7)];
        let candidates = self.with_roles(&[Role::Maintainer, Role::Dev, Role::CreditOnly]);
        for _ in 0..count {
            let (category, key) = self.pick_key();
            let spelled = self.key_spelling(key);
            let sep = self.separator(style == Style::Lenient);
            let roll = self.rng.below(100);
            let (value, who, has_email) = if roll < 4 {
                (ALEX.to_owned(), Who::Alone(ALEX), false)
            } else if roll < 6 {
                let v = if self.rng.chance(50) {
                    GHOST.to_owned()
                } else {
                    GHOST[1..].to_owned()
                };
                (v, Who::Alone(GHOST), false)
            } else if roll < 9 {
                let junk = [
                    "TBD",
                    "n/a",
                    "the whole team",
                    "https://ci.example.org/job/7",
                ];
                (self.rng.pick(&junk).to_string(), Who::Nobody, false)
            } else {
                let person = if roll < 17 {
                    // Naming oneself (or a co-author): no credit, in git's count and gluework's.
                    self.rng.pick(authors)
                } else {
                    self.rng.pick(&candidates)
                };
                let self_safe = authors.contains(&person);
                let (v, e) = self.value_for(person, self_safe, true);
                (v, Who::Person(person), e)
            };
            let via = match style {
                Style::Lenient => Via::Lenient,
                _ if has_email => Via::Git,
                _ => Via::GitBare,
            };
            // Fold a long `Name <email>` value over two lines now and then (git unfolds it).
            let written = if style == Style::Git
                && has_email
                && value.contains(" <")
                && self.rng.chance(15)
            {
                value.replacen(" <", "\n  <", 1)
            } else {
                value
            };
            lines.push(format!("{spelled}{sep}{written}"));
            credits.push(Credit { category, who, via });
        }
        (lines, credits)
    }

    /// A message with credits in one of the styles, and its ground truth.
    fn message(
        &mut self,
        subject: &str,
        authors: &[usize],
        coauthors: &[usize],
        merge: bool,
        with_credits: bool,
    ) -> (String, Vec<Credit>) {
        let mut msg = String::from(subject);
        if self.rng.chance(50) {
            msg.push_str("\n\n");
            msg.push_str(self.rng.pick(PROSE));
        }
        let mut credits = Vec::new();
        let mut block: Vec<String> = Vec::new();
        let style = if !coauthors.is_empty() || merge {
            // Co-authors, and merges, only in blocks git accepts.
            if self.rng.chance(85) {
                Style::Git
            } else {
                Style::Rule25
            }
        } else {
            match self.rng.below(100) {
                0..=64 => Style::Git,
                65..=77 => Style::Rule25,
                78..=91 => Style::Lenient,
                _ => Style::Phabricator,
            }
        };
        let author = authors[0];
        let author_line = {
            let (n, e) = self.people[author].canonical.clone();
            format!("Signed-off-by: {n} <{e}>")
        };
        if with_credits || !coauthors.is_empty() {
            match style {
                Style::Git | Style::Rule25 => {
                    if style == Style::Rule25 {
                        block.push(author_line.clone());
                        block.push("Tested on the staging cluster overnight.".to_owned());
                        block.push("No change in behaviour for existing users.".to_owned());
                    }
                    if with_credits {
                        let (l, c) = self.credit_lines(authors, style);
                        block.extend(l);
                        credits.extend(c);
                    }
                    for &c in coauthors {
                        let (v, _) = self.value_for(c, true, false);
                        block.push(format!("Co-authored-by: {v}"));
                    }
                    if style == Style::Git && self.rng.chance(30) {
                        block.push(author_line);
                    }
                    if style == Style::Git && self.rng.chance(10) {
                        block.push(format!("Change-Id: I{:040x}", self.rng.next_u64()));
                    }
                }
                Style::Lenient => {
                    block.push(format!(
                        "Closes #{} by reworking the {}.",
                        100 + self.rng.below(900),
                        self.rng.pick(TOPICS)
                    ));
                    let (l, c) = self.credit_lines(authors, style);
                    block.extend(l);
                    credits.extend(c);
                }
                Style::Phabricator => {
                    let with_login: Vec<usize> = (0..self.people.len())
                        .filter(|&i| {
                            self.people[i].login.is_some() && self.people[i].role != Role::Bot
                        })
                        .collect();
                    let mut logins = Vec::new();
                    for _ in 0..1 + self.rng.below(2) {
                        let who = self.rng.pick(&with_login);
                        logins.push(self.people[who].login.clone().unwrap());
                        credits.push(Credit {
                            category: "review",
                            who: Who::Person(who),
                            via: Via::Phabricator,
                        });
                    }
                    if self.rng.chance(20) {
                        logins.push("#infra".to_owned());
                    }
                    block.push(format!(
                        "Differential Revision: https://reviews.example.org/D{}",
                        1000 + self.n
                    ));
                    block.push(format!("Reviewed By: {}", logins.join(", ")));
                }
            }
        }
        if !block.is_empty() {
            msg.push_str("\n\n");
            msg.push_str(&block.join("\n"));
        }
        msg.push('\n');
        (msg, credits)
    }

    #[allow(clippy::too_many_arguments)]
    fn write_commit(
        &mut self,
        branch: &str,
        from: Option<usize>,
        merge_from: Option<usize>,
        author: &(String, String),
        committer: &(String, String),
        message: &str,
        files: &[(String, String)],
    ) -> usize {
        self.mark += 1;
        let t = self.next_time();
        let mut bytes = Vec::new();
        gluework::genrepo::Commit {
            branch,
            mark: self.mark as u64,
            author: &format!("{} <{}>", author.0, author.1),
            committer: &format!("{} <{}>", committer.0, committer.1),
            time: t,
            message,
            from: from.map(|f| f as u64),
            merge: merge_from.map(|m| m as u64),
            files,
        }
        .write(&mut bytes)
        .expect("writing to memory");
        self.stream
            .push_str(&String::from_utf8(bytes).expect("the stream is UTF-8"));
        self.mark
    }

    /// One non-merge commit on `branch`; returns its mark and the files it wrote.
    fn normal_commit(
        &mut self,
        branch: &str,
        from: Option<usize>,
        author: usize,
    ) -> (usize, Vec<(String, String)>) {
        self.n += 1;
        let n = self.n;
        let topic = self.rng.pick(TOPICS);
        let doc = |g: &mut Gen| fill(g.rng.pick(DOC_PATHS), topic);
        let code = |g: &mut Gen| fill(g.rng.pick(CODE_PATHS), topic);
        let mut coauthors: Vec<usize> = Vec::new();
        let mut author = author;
        let mut committer_web_ui = false;
        let (subject, paths): (String, Vec<String>) = match self.rng.below(100) {
            0..=37 => (
                format!(
                    "{} the {topic} ({n})",
                    self.rng.pick(&["Add", "Refactor", "Speed up", "Simplify"])
                ),
                vec![code(self)],
            ),
            38..=52 => {
                let mut ps = vec![doc(self)];
                if self.rng.chance(30) {
                    ps.push(doc(self));
                }
                let s = format!("Document the {topic} ({n})");
                (s, ps)
            }
            53..=56 => (format!("docs: explain the {topic} ({n})"), vec![code(self)]),
            57..=59 => (
                format!("Improve the contributor guide ({n})"),
                vec![fill(self.rng.pick(ONBOARDING_PATHS), topic)],
            ),
            60..=61 => (
                format!("Refresh the guides ({n})"),
                vec![doc(self), fill(self.rng.pick(ONBOARDING_PATHS), topic)],
            ),
            62..=68 => (
                format!("Add tests for the {topic} ({n})"),
                vec![fill(self.rng.pick(TEST_PATHS), topic)],
            ),
            69..=71 => (
                format!("Run the {topic} checks in CI ({n})"),
                vec![".github/workflows/ci.yml".to_owned()],
            ),
            72..=73 => (format!("chore: tidy the docs ({n})"), vec![doc(self)]),
            74 if !self.docs_done.is_empty() => {
                let i = self.rng.below(self.docs_done.len());
                let (s, path) = self.docs_done.swap_remove(i);
                (format!("Revert \"{s}\""), vec![path])
            }
            75..=77 => {
                author = self.person_named("dependabot[bot]");
                committer_web_ui = true;
                (
                    format!("Bump serde from 1.0.{n} to 1.0.{}", n + 1),
                    vec!["Cargo.lock".to_owned()],
                )
            }
            78 => (format!("docs: note on the {topic} ({n})"), vec![]),
            79..=85 => {
                let mut others = self.with_roles(&[Role::Maintainer, Role::Dev]);
                others.retain(|&x| x != author);
                coauthors.push(self.rng.pick(&others));
                (
                    format!("Fix a crash in the {topic} ({n})"),
                    vec![code(self), fill(self.rng.pick(TEST_PATHS), topic)],
                )
            }
            86..=89 => {
                let mut others = self.with_roles(&[Role::Maintainer, Role::Dev]);
                others.retain(|&x| x != author);
                coauthors.push(self.rng.pick(&others));
                (
                    format!("Write the {topic} guide together ({n})"),
                    vec![doc(self)],
                )
            }
            _ => (
                format!("Rework the {topic} and its docs ({n})"),
                vec![code(self), doc(self)],
            ),
        };
        if subject.starts_with("Document") && paths.len() == 1 {
            self.docs_done.push((subject.clone(), paths[0].clone()));
        }
        let is_bot = self.people[author].role == Role::Bot;
        let with_credits = !is_bot && self.rng.chance(55);
        let mut authors = vec![author];
        authors.extend(coauthors.iter().copied());
        let (message, credits) = if is_bot {
            (
                format!(
                    "{subject}\n\nBumps serde from 1.0.{n} to 1.0.{}.\n\n\
                     Signed-off-by: dependabot[bot] <support@github.com>\n",
                    n + 1
                ),
                Vec::new(),
            )
        } else {
            self.message(&subject, &authors, &coauthors, false, with_credits)
        };
        let author_ident = self.ident_of(author);
        let committer = if committer_web_ui || self.rng.chance(6) {
            ("GitHub".to_owned(), "noreply@github.com".to_owned())
        } else if self.rng.chance(14) {
            let m = self.rng.pick(&self.by_role(Role::Maintainer));
            self.ident_of(m)
        } else if self.rng.chance(10) {
            self.ident_of(author)
        } else {
            author_ident.clone()
        };
        let files: Vec<(String, String)> = paths
            .iter()
            .map(|p| (p.clone(), format!("{subject}\nchange {n} of {p}\n")))
            .collect();
        let mark = self.write_commit(
            branch,
            from,
            None,
            &author_ident,
            &committer,
            &message,
            &files,
        );
        self.commits.push(GenCommit {
            subject,
            author,
            coauthors,
            merge: false,
            credits,
        });
        (mark, files)
    }

    fn initial_commit(&mut self) -> usize {
        let maya = 0;
        let ident = self.people[maya].canonical.clone();
        let files = vec![
            (".mailmap".to_owned(), MAILMAP.to_owned()),
            ("README.md".to_owned(), "# generated\n".to_owned()),
            ("src/main.rs".to_owned(), "fn main() {}\n".to_owned()),
            ("Cargo.toml".to_owned(), "[package]\n".to_owned()),
        ];
        let mark = self.write_commit(
            "main",
            None,
            None,
            &ident,
            &ident,
            "Initial commit\n",
            &files,
        );
        self.commits.push(GenCommit {
            subject: "Initial commit".to_owned(),
            author: maya,
            coauthors: Vec::new(),
            merge: false,
            credits: Vec::new(),
        });
        mark
    }

    /// A pull request: a few commits by one developer on a side branch, merged by a
    /// maintainer (GitHub style, sometimes with credit lines) or by bors.
    fn pull_request(&mut self, main_tip: usize, pr: usize) -> usize {
        let devs = self.by_role(Role::Dev);
        let dev = self.rng.pick(&devs);
        let mut tip = main_tip;
        let mut touched: Vec<(String, String)> = Vec::new();
        for k in 0..2 + self.rng.below(4) {
            let (m, files) = self.normal_commit("side", (k == 0).then_some(main_tip), dev);
            tip = m;
            for f in files {
                touched.retain(|(p, _)| *p != f.0);
                touched.push(f);
            }
        }
        let branch = format!("topic-{pr}");
        let login = self.people[dev]
            .login
            .clone()
            .unwrap_or_else(|| "contributor".to_owned());
        let bors = self.rng.chance(20);
        let (subject, author, message, credits, committer) = if bors {
            let maint = self.by_role(Role::Maintainer);
            let r: Vec<String> = maint
                .iter()
                .map(|&m| self.people[m].login.clone().unwrap())
                .collect();
            let subject = format!("Auto merge of #{pr} - {login}:{branch}, r={}", r.join(","));
            let bors = self.person_named("bors");
            let ident = self.people[bors].canonical.clone();
            (
                subject.clone(),
                bors,
                format!("{subject}\n\nLand the {branch} work\n"),
                Vec::new(),
                ident,
            )
        } else {
            let maint = self.by_role(Role::Maintainer);
            let m = self.rng.pick(&maint);
            let subject = format!("Merge pull request #{pr} from {login}/{branch}");
            let with_credits = self.rng.chance(40);
            let (message, credits) = self.message(&subject, &[m], &[], true, with_credits);
            let committer = if self.rng.chance(50) {
                ("GitHub".to_owned(), "noreply@github.com".to_owned())
            } else {
                self.people[m].canonical.clone()
            };
            (subject, m, message, credits, committer)
        };
        let author_ident = self.people[author].canonical.clone();
        let mark = self.write_commit(
            "main",
            None,
            Some(tip),
            &author_ident,
            &committer,
            &message,
            &touched,
        );
        self.commits.push(GenCommit {
            subject,
            author,
            coauthors: Vec::new(),
            merge: true,
            credits,
        });
        mark
    }

    /// Generates about `target` commits; returns the fast-import stream.
    pub fn run(&mut self, target: usize) -> String {
        let mut tip = self.initial_commit();
        let mut pr = 100;
        while self.commits.len() < target {
            if self.rng.chance(6) {
                pr += 1;
                tip = self.pull_request(tip, pr);
            } else {
                let a = self.pick_author();
                tip = self.normal_commit("main", None, a).0;
            }
        }
        std::mem::take(&mut self.stream)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Git,
    Rule25,
    Lenient,
    Phabricator,
}

/// Builds the repository in `dir` (a fresh folder) and returns it with its ground truth.
pub fn build(dir: &Path, target: usize) -> Generated {
    let mut g = Gen::new(SEED);
    let stream = g.run(target);
    gitcmd::run(
        {
            let mut c = gitcmd::git(dir);
            c.args(["init", "-q", "-b", "main"]);
            c
        },
        None,
    );
    gitcmd::run(
        {
            let mut c = gitcmd::git(dir);
            c.args(["fast-import", "--quiet", "--done"]);
            c
        },
        Some(format!("{stream}done\n").into_bytes()),
    );
    gitcmd::run(
        {
            let mut c = gitcmd::git(dir);
            c.args(["reset", "-q", "--hard", "main"]);
            c
        },
        None,
    );
    Generated {
        dir: dir.to_path_buf(),
        people: g.people,
        commits: g.commits,
    }
}
