//! gluework-genrepo: writes a realistic, deterministic git history of any size through
//! `git fast-import`, for tests and benchmarks.
//!
//! ```sh
//! gluework-genrepo --commits 100000 --seed 1 /tmp/big.git
//! ```
//!
//! The same arguments give the same commit ids on every machine. The history has hundreds of
//! authors with a long-tailed activity distribution who join over time (newcomers every month),
//! a tree of thousands of files (source, tests, docs, CI, lock files), about 10% merge commits
//! (GitHub and bors style), squash-merge subjects with `(#N)`, credit trailers in realistic
//! proportions, a `.mailmap` that unifies old addresses, and bots.

use gluework::genrepo::{Commit, Rng};
use std::io::{BufWriter, Write};
use std::process::{Command, Stdio};

const FIRST: &[&str] = &[
    "Alex", "Sam", "Maya", "Noor", "Lee", "Ravi", "Kim", "Jo", "Ana", "Ben", "Chen", "Dana",
    "Erin", "Femi", "Gus", "Hana", "Ivan", "Jun", "Kofi", "Lina", "Mateo", "Nia", "Omar", "Pia",
    "Quinn", "Rosa", "Sven", "Tara", "Uma", "Vik", "Wen", "Xavi", "Yuki", "Zoë", "José", "Ingrid",
];
const LAST: &[&str] = &[
    "Smith",
    "Okafor",
    "Chen",
    "Park",
    "Diaz",
    "Moreau",
    "Lindqvist",
    "Shah",
    "Kowalski",
    "Nakamura",
    "Rossi",
    "Müller",
    "Haddad",
    "Novak",
    "Silva",
    "Ivanova",
    "Kim",
    "Osei",
    "Larsen",
    "Dubois",
    "García",
    "Tanaka",
    "Walsh",
    "Byrne",
    "Costa",
    "Fischer",
    "Horvat",
    "Yilmaz",
    "Nguyen",
    "Berg",
];
const WORDS: &[&str] = &[
    "parser",
    "cache",
    "scheduler",
    "config",
    "fetcher",
    "retry loop",
    "output",
    "logging",
    "metrics",
    "encoder",
    "index",
    "query planner",
    "allocator",
    "client",
    "server",
    "CLI flags",
    "error messages",
    "timeouts",
    "buffer",
    "worker pool",
];

struct Person {
    name: String,
    email: String,
    login: String,
    /// An older address used before `switch` (unified by .mailmap), if any.
    old_email: Option<String>,
    switch: usize,
    join: usize,
}

struct Args {
    commits: usize,
    seed: u64,
    authors: usize,
    /// The first person's number: repositories generated with overlapping ranges share people
    /// (same names and emails), as repositories of one organisation do.
    first_author: usize,
    /// The Linux kernel's shape (`--shape kernel`): maintainers' topic branches and merges,
    /// many credit trailers per commit.
    kernel: bool,
    out: String,
}

const USAGE: &str = "usage: gluework-genrepo [--commits N] [--seed S] [--authors A] \
                     [--first-author F] [--shape github|kernel] OUT.git";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        commits: 100_000,
        seed: 1,
        authors: 300,
        first_author: 0,
        kernel: false,
        out: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--commits" => args.commits = number("--commits", value("--commits")?)?,
            "--seed" => args.seed = number("--seed", value("--seed")?)?,
            "--authors" => args.authors = number("--authors", value("--authors")?)?,
            "--first-author" => {
                args.first_author = number("--first-author", value("--first-author")?)?
            }
            "--shape" => match value("--shape")?.as_str() {
                "github" => args.kernel = false,
                "kernel" => args.kernel = true,
                other => return Err(format!("--shape: {other}: expected github or kernel")),
            },
            "-h" | "--help" => return Err(USAGE.into()),
            _ if a.starts_with('-') => return Err(format!("unknown option {a}")),
            _ => args.out = a,
        }
    }
    if args.out.is_empty() {
        return Err(USAGE.into());
    }
    if args.commits == 0 || args.authors < 5 {
        return Err("--commits must be at least 1 and --authors at least 5".into());
    }
    Ok(args)
}

/// An option's number, or what is wrong with it (`--seed: invalid digit found in string`).
fn number<T: std::str::FromStr>(name: &str, value: String) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| format!("{name}: {e}"))
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gluework-genrepo: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = generate(&args) {
        eprintln!("gluework-genrepo: {e}");
        std::process::exit(1);
    }
}

fn people(rng: &mut Rng, args: &Args) -> Vec<Person> {
    (0..args.authors)
        .map(|local| {
            let i = local + args.first_author;
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
            let name = format!("{first} {last}");
            let login = format!(
                "{}-{}{i}",
                first.to_lowercase(),
                last.to_lowercase().chars().next().unwrap_or('x')
            )
            .replace(['ë', 'é'], "e");
            let email = if rng.chance(0.2) {
                format!("{}+{login}@users.noreply.github.com", 1000 + i)
            } else {
                format!(
                    "{}.{}{i}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                )
            };
            // Founders first; everyone else joins over the history (newcomers every month).
            let join = if local < 5 {
                0
            } else {
                ((local as f64 / args.authors as f64).powf(1.3) * args.commits as f64 * 0.95)
                    as usize
            };
            let old_email = rng
                .chance(0.05)
                .then(|| format!("{}@oldmail.example", login));
            let switch = join + rng.below((args.commits / 20).max(1));
            Person {
                name,
                email,
                login,
                old_email,
                switch,
                join,
            }
        })
        .collect()
}

/// The file tree: (path, class) where class is one of "src", "test", "doc", "ci", "lock", "onb".
fn tree(rng: &mut Rng) -> Vec<(String, &'static str)> {
    let mut files = Vec::new();
    for m in 0..40 {
        for s in 0..5 {
            for f in 0..10 {
                files.push((format!("src/mod{m:02}/sub{s}/file{f:02}.rs"), "src"));
            }
        }
        files.push((format!("src/mod{m:02}/mod.rs"), "src"));
        for t in 0..rng.below(12).max(3) {
            files.push((format!("tests/mod{m:02}/test_{t}.rs"), "test"));
        }
    }
    for d in 0..30 {
        for p in 0..10 {
            files.push((format!("docs/section{d:02}/page{p}.md"), "doc"));
        }
    }
    for w in ["ci.yml", "release.yml", "nightly.yml", "lint.yml"] {
        files.push((format!(".github/workflows/{w}"), "ci"));
    }
    files.push(("Cargo.toml".into(), "ci"));
    files.push(("Cargo.lock".into(), "lock"));
    files.push(("README.md".into(), "doc"));
    files.push(("CONTRIBUTING.md".into(), "onb"));
    files.push((".github/PULL_REQUEST_TEMPLATE.md".into(), "onb"));
    files
}

struct Gen<'a> {
    rng: Rng,
    people: &'a [Person],
    cumulative: Vec<f64>,
    files: Vec<(String, &'static str)>,
    by_class: std::collections::BTreeMap<&'static str, Vec<usize>>,
    version: u64,
    time: i64,
    step: i64,
    pr: u64,
    mark: u64,
}

impl<'a> Gen<'a> {
    /// The generator's state for a history of `commits` commits by `people` over eight years
    /// from 2016-01-01: the people's weights, the file tree (drawn from `rng`) by class.
    fn new(mut rng: Rng, people: &'a [Person], commits: usize) -> Gen<'a> {
        let mut cumulative = Vec::with_capacity(people.len());
        let mut acc = 0.0;
        for i in 0..people.len() {
            acc += 1.0 / (i as f64 + 1.0).powf(1.07);
            cumulative.push(acc);
        }
        let files = tree(&mut rng);
        let mut by_class: std::collections::BTreeMap<&'static str, Vec<usize>> = Default::default();
        for (i, (_, c)) in files.iter().enumerate() {
            by_class.entry(c).or_default().push(i);
        }
        let span = 8 * 365 * 86_400i64;
        Gen {
            rng,
            people,
            cumulative,
            files,
            by_class,
            version: 0,
            time: 1_451_606_400, // 2016-01-01
            step: (span / commits as i64).max(2),
            pr: 0,
            mark: 0,
        }
    }

    /// A person active at commit `n`, by a long-tailed (Zipf-like) weight over those who joined.
    fn person(&mut self, n: usize) -> usize {
        let joined = self.people.partition_point(|p| p.join <= n).max(1);
        let total = self.cumulative[joined - 1];
        let x = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.cumulative[..joined]
            .partition_point(|&c| c < x)
            .min(joined - 1)
    }

    fn ident(&self, i: usize, n: usize) -> String {
        let p = &self.people[i];
        let email = match &p.old_email {
            Some(old) if n < p.switch => old,
            _ => &p.email,
        };
        format!("{} <{email}>", p.name)
    }

    fn tick(&mut self) -> i64 {
        self.time += self.step / 2 + self.rng.below(self.step as usize) as i64;
        self.time
    }

    /// Paths to change and a subject for a commit of `kind`.
    fn change(&mut self, kind: &str) -> (Vec<String>, String) {
        let class = match kind {
            "docs" => "doc",
            "test" => "test",
            "ci" => "ci",
            "bump" => "lock",
            "onboarding" => "onb",
            _ => "src",
        };
        let pool = &self.by_class[class];
        let count = if class == "src" {
            1 + self.rng.below(4)
        } else {
            1 + self.rng.below(2)
        };
        let mut paths: Vec<String> = (0..count)
            .map(|_| self.files[*self.rng.pick(pool)].0.clone())
            .collect();
        if kind == "fix" && self.rng.chance(0.5) {
            paths.push(self.files[*self.rng.pick(&self.by_class["test"])].0.clone());
        }
        paths.sort();
        paths.dedup();
        let w = *self.rng.pick(WORDS);
        let subject = match kind {
            "docs" if self.rng.chance(0.5) => format!("docs: explain the {w}"),
            "docs" => format!("Document the {w}"),
            "test" => format!("Add tests for the {w}"),
            "ci" if self.rng.chance(0.5) => format!("ci: speed up the {w} job"),
            "ci" => "Update the CI workflow".to_string(),
            "bump" => format!(
                "Bump {} from 1.{}.0 to 1.{}.1",
                w.replace(' ', "-"),
                self.version % 50,
                self.version % 50
            ),
            "onboarding" => "Improve the contributing guide".to_string(),
            "fix" if self.rng.chance(0.4) => format!("fix: handle empty input in the {w}"),
            "fix" => format!("Fix a crash in the {w}"),
            "chore" => format!("chore: tidy the {w}"),
            "revert" => format!("Revert \"Speed up the {w}\""),
            _ if self.rng.chance(0.3) => format!("feat: faster {w}"),
            _ => format!("Speed up the {w}"),
        };
        (paths, subject)
    }

    fn trailers(&mut self, n: usize, author: usize, fix: bool, newcomer: bool) -> (String, bool) {
        let mut t = Vec::new();
        let mut coauthored = false;
        let other = |g: &mut Self| loop {
            let p = g.person(n);
            if p != author {
                break p;
            }
        };
        let name_of = |g: &Self, p: usize| {
            let who = &g.people[p];
            match p % 7 {
                0 => who.name.clone(),
                1 => format!("@{}", who.login),
                _ => format!("{} <{}>", who.name, who.email),
            }
        };
        for (key, p) in [
            ("Reviewed-by", 0.06),
            ("Acked-by", 0.03),
            ("Tested-by", 0.01),
            ("Helped-by", 0.02),
            ("Reported-by", if fix { 0.15 } else { 0.01 }),
            ("Suggested-by", 0.01),
            ("Mentored-by", if newcomer { 0.3 } else { 0.002 }),
        ] {
            if self.rng.chance(p) {
                let o = other(self);
                let key = if self.rng.chance(0.05) {
                    key.to_uppercase()
                } else {
                    key.to_string()
                };
                t.push(format!("{key}: {}", name_of(self, o)));
            }
        }
        if self.rng.chance(if fix { 0.12 } else { 0.03 }) {
            let o = other(self);
            t.push(format!(
                "Co-authored-by: {} <{}>",
                self.people[o].name, self.people[o].email
            ));
            coauthored = true;
        }
        if self.rng.chance(0.003) {
            t.push("Co-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>".into());
        }
        if self.rng.chance(0.7) {
            t.push(format!("Signed-off-by: {}", self.ident(author, n)));
        }
        (t.join("\n"), coauthored)
    }

    /// New contents for each path (a version number each).
    fn write_files(&mut self, paths: &[String]) -> Vec<(String, String)> {
        paths
            .iter()
            .map(|p| {
                self.version += 1;
                (p.clone(), format!("{p} v{}\n", self.version))
            })
            .collect()
    }

    /// A kernel patch's trailers: who reported, suggested, reviewed, acked and tested it (none
    /// of them the author), a Link and sometimes a Cc, then the Signed-off-by chain (the author,
    /// then the maintainer who applied it).
    fn kernel_trailers(&mut self, n: usize, author: usize, maintainer: usize, fix: bool) -> String {
        let mut t = Vec::new();
        let other = |g: &mut Self| loop {
            let p = g.person(n);
            if p != author {
                break p;
            }
        };
        let full = |g: &Self, p: usize| format!("{} <{}>", g.people[p].name, g.people[p].email);
        if fix {
            t.push(format!(
                "Fixes: {:012x} (\"{} the {}\")",
                self.rng.next_u64() >> 16,
                "Rework",
                self.rng.pick(WORDS)
            ));
        }
        for (key, p, most) in [
            ("Reported-by", if fix { 0.4 } else { 0.05 }, 2),
            ("Suggested-by", 0.04, 1),
            ("Reviewed-by", 0.6, 4),
            ("Acked-by", 0.3, 2),
            ("Tested-by", 0.25, 3),
        ] {
            if self.rng.chance(p) {
                for _ in 0..1 + self.rng.below(most) {
                    let o = other(self);
                    t.push(format!("{key}: {}", full(self, o)));
                }
            }
        }
        if self.rng.chance(0.1) {
            t.push("Cc: stable@vger.kernel.org".to_string());
        }
        t.push(format!(
            "Link: https://lore.kernel.org/r/{:016x}@example.org",
            self.rng.next_u64()
        ));
        t.push(format!("Signed-off-by: {}", self.ident(author, n)));
        if maintainer != author {
            t.push(format!("Signed-off-by: {}", self.ident(maintainer, n)));
        }
        t.join("\n") + "\n"
    }

    fn next_mark(&mut self) -> u64 {
        self.mark += 1;
        self.mark
    }

    /// Writes a commit with the next mark and the next time on `branch`, whose parents are
    /// `parents` (marks: none, the first parent, or both of a merge); returns its mark.
    fn commit(
        &mut self,
        out: &mut impl Write,
        branch: &str,
        (author, committer): (&str, &str),
        message: &str,
        parents: &[u64],
        files: &[(String, String)],
    ) -> std::io::Result<u64> {
        let mark = self.next_mark();
        let time = self.tick();
        Commit {
            branch,
            mark,
            author,
            committer,
            time,
            message,
            from: parents.first().copied(),
            merge: parents.get(1).copied(),
            files,
        }
        .write(out)?;
        Ok(mark)
    }
}

/// Subsystems of a kernel-shaped history, each with its maintainer (person 1, 2, …).
const SUBSYSTEMS: &[&str] = &[
    "net", "drm", "mm", "fs", "sched", "usb", "sound", "arm64", "x86", "block", "crypto", "bpf",
    "kvm", "iio", "media", "pci", "scsi", "nvme", "ext4", "rust",
];

/// The rest of a kernel-shaped history after the first commit: each subsystem's maintainer
/// applies patches by others to a topic branch (committer: the maintainer; each patch with its
/// credit trailers: several Reviewed-by, Acked-by, Tested-by, Reported-by, Link, Cc, and the
/// Signed-off-by chain), and the top maintainer (person 0) merges the branch with `Merge tag
/// 'x' of git://…` or `Merge branch 'x' of git://…`; a few commits go straight to main.
fn kernel(
    g: &mut Gen<'_>,
    out: &mut impl Write,
    mut main: u64,
    commits: usize,
) -> std::io::Result<()> {
    let top = g.ident(0, 0);
    let mut n = 1;
    let mut release = 0u64;
    while n < commits {
        let remaining = commits - n;
        if remaining < 3 || g.rng.chance(0.02) {
            let (paths, _) = g.change("code");
            let w = *g.rng.pick(WORDS);
            let message = format!(
                "Linux 6.{release}-rc{}\n\nUpdate the {w}.\n",
                1 + g.rng.below(8)
            );
            let files = g.write_files(&paths);
            main = g.commit(out, "main", (&top, &top), &message, &[main], &files)?;
            n += 1;
            continue;
        }
        let s = g.rng.below(SUBSYSTEMS.len());
        let subsys = SUBSYSTEMS[s];
        let m = 1 + s % (g.people.len() - 1);
        let maintainer = g.ident(m, n);
        let len = (1 + g.rng.below(40)).min(remaining - 1);
        let mut side = main;
        let mut side_files: std::collections::BTreeMap<String, String> = Default::default();
        let mut last = String::new();
        for _ in 0..len {
            let author = g.person(n);
            let kind = match g.rng.below(100) {
                0..=29 => "fix",
                30..=39 => "docs",
                40..=44 => "test",
                _ => "code",
            };
            let (paths, _) = g.change(kind);
            let w = *g.rng.pick(WORDS);
            let subject = match kind {
                "fix" => format!("{subsys}: fix a use-after-free in the {w}"),
                "docs" => format!("{subsys}: document the {w}"),
                "test" => format!("selftests/{subsys}: cover the {w}"),
                _ => format!("{subsys}: rework the {w}"),
            };
            let mut message = format!(
                "{subject}\n\nThe {w} could be left in a bad state when the caller raced with\nteardown. Take the lock earlier and drop it on the error path.\n\n"
            );
            message.push_str(&g.kernel_trailers(n, author, m, kind == "fix"));
            let files = g.write_files(&paths);
            let who = g.ident(author, n);
            side = g.commit(out, "side", (&who, &maintainer), &message, &[side], &files)?;
            side_files.extend(files);
            last = subject;
            n += 1;
        }
        release += 1;
        let login = g.people[m].login.clone();
        let name = g.people[m].name.clone();
        let message = if g.rng.chance(0.6) {
            format!(
                "Merge tag '{subsys}-6.{release}' of git://git.kernel.org/pub/scm/linux/kernel/git/{login}/{subsys}\n\nPull {subsys} updates from {name}:\n\n - {last}\n"
            )
        } else {
            format!(
                "Merge branch '{subsys}-next' of git://git.kernel.org/pub/scm/linux/kernel/git/{login}/{subsys}\n\n * '{subsys}-next':\n  {last}\n"
            )
        };
        let files: Vec<(String, String)> = side_files.into_iter().collect();
        main = g.commit(out, "main", (&top, &top), &message, &[main, side], &files)?;
        n += 1;
    }
    Ok(())
}

/// Bots that bump dependencies, and who commits a GitHub merge or a bors merge.
const BOTS: [&str; 3] = [
    "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
    "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
    "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
];
const WEB: &str = "GitHub <noreply@github.com>";
const BORS: &str = "bors <bors@example.com>";

/// The rest of a GitHub-shaped history after the first commit: bots' dependency bumps (2%),
/// pull requests of one to three commits merged by GitHub's web UI or bors (about 11%), and
/// single commits straight on main (some applied by a maintainer).
fn github(
    g: &mut Gen<'_>,
    out: &mut impl Write,
    mut main: u64,
    commits: usize,
) -> std::io::Result<()> {
    let mut authored: Vec<usize> = vec![0; g.people.len()];
    let mut n = 1;
    while n < commits {
        let roll = g.rng.below(1000);
        if roll < 20 {
            // A bot's dependency bump.
            let (paths, subject) = g.change("bump");
            let files = g.write_files(&paths);
            let who = BOTS[g.rng.below(BOTS.len())];
            let message = format!("{subject}\n");
            main = g.commit(out, "main", (who, who), &message, &[main], &files)?;
            n += 1;
            continue;
        }
        let merge = roll < 130 && n + 3 < commits;
        let author = g.person(n);
        let len = if merge { 1 + g.rng.below(3) } else { 1 };
        let mut side = main;
        let mut side_files: std::collections::BTreeMap<String, String> = Default::default();
        let mut last_subject = String::new();
        let branch = if merge { "side" } else { "main" };
        for _ in 0..len {
            let (message, subject, files) = g.github_change(n, author, authored[author], merge);
            let who = g.ident(author, n);
            // Some patches are applied by a maintainer (committer differs).
            let committer = if !merge && g.rng.chance(0.08) {
                let maintainer = g.rng.below(5);
                g.ident(maintainer, n)
            } else {
                who.clone()
            };
            side = g.commit(out, branch, (&who, &committer), &message, &[side], &files)?;
            side_files.extend(files);
            authored[author] += 1;
            last_subject = subject;
            n += 1;
        }
        if merge {
            let (who, committer, message) = g.github_merge(n, author, &last_subject);
            let files: Vec<(String, String)> = side_files.into_iter().collect();
            main = g.commit(
                out,
                "main",
                (&who, &committer),
                &message,
                &[main, side],
                &files,
            )?;
            n += 1;
        } else {
            main = side;
        }
    }
    Ok(())
}

impl Gen<'_> {
    /// A change by `author` (who has `authored` commits so far: a newcomer below three) for a
    /// GitHub-shaped history: its message, subject and files. A commit straight on main may
    /// carry a squash merge's `(#N)`.
    fn github_change(
        &mut self,
        n: usize,
        author: usize,
        authored: usize,
        merge: bool,
    ) -> (String, String, Vec<(String, String)>) {
        let kind = match self.rng.below(100) {
            0..=9 => "docs",
            10..=17 => "test",
            18..=21 => "ci",
            22..=35 => "fix",
            36..=39 => "chore",
            40 => "onboarding",
            41 => "revert",
            _ => "code",
        };
        let (paths, mut subject) = self.change(kind);
        let (trailers, _) = self.trailers(n, author, kind == "fix", authored < 3);
        if !merge && self.rng.chance(0.3) {
            self.pr += 1;
            subject.push_str(&format!(" (#{})", self.pr + 1000));
        }
        let mut message = format!("{subject}\n");
        if kind == "revert" {
            message.push_str(&format!(
                "\nThis reverts commit {:040x}.\n",
                self.rng.next_u64() as u128 * 0x1_0000_0001
            ));
        } else if self.rng.chance(0.4) {
            message.push_str("\nA longer explanation of the change, its motivation and\nthe alternatives that were considered.\n");
        }
        if !trailers.is_empty() {
            message.push('\n');
            message.push_str(&trailers);
            message.push('\n');
        }
        let files = self.write_files(&paths);
        (message, subject, files)
    }

    /// The merge of `author`'s pull request (its last commit's subject under the merge's):
    /// by a maintainer through GitHub's web UI (70%), else by bors with `r=` a reviewer.
    /// Returns (author, committer, message).
    fn github_merge(
        &mut self,
        n: usize,
        author: usize,
        last_subject: &str,
    ) -> (String, String, String) {
        self.pr += 1;
        let pr = self.pr + 1000;
        let login = self.people[author].login.clone();
        if self.rng.chance(0.7) {
            let m = self.rng.below(5);
            let who = self.ident(m, n);
            (
                who,
                WEB.to_string(),
                format!("Merge pull request #{pr} from {login}/topic-{pr}\n\n{last_subject}\n"),
            )
        } else {
            let r = self.rng.below(8.min(self.people.len()));
            let reviewer = self.people[r].login.clone();
            (
                BORS.to_string(),
                BORS.to_string(),
                format!(
                    "Auto merge of #{pr} - {login}:topic-{pr}, r={reviewer}\n\n{last_subject}\n"
                ),
            )
        }
    }
}

/// Writes the history: a new bare repository at `args.out`, the people and the file tree, the
/// first commit, then the rest of the shape asked for, all through one `git fast-import`.
fn generate(args: &Args) -> Result<(), String> {
    init_repository(&args.out)?;
    let mut rng = Rng::new(args.seed ^ 0x676c_7565);
    let people = people(&mut rng, args);
    let mut g = Gen::new(rng, &people, args.commits);
    let mut child = Command::new("git")
        .args(["--git-dir", &args.out, "fast-import", "--quiet", "--done"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git fast-import: {e}"))?;
    let stdin = child.stdin.take().ok_or("no stdin for git fast-import")?;
    let mut out = BufWriter::with_capacity(1 << 20, stdin);
    let io = |e: std::io::Error| format!("writing to git fast-import: {e}");
    let main = initial_commit(&mut g, &mut out).map_err(io)?;
    if args.kernel {
        kernel(&mut g, &mut out, main, args.commits).map_err(io)?;
    } else {
        github(&mut g, &mut out, main, args.commits).map_err(io)?;
    }
    writeln!(out, "done").map_err(io)?;
    out.flush().map_err(io)?;
    drop(out);
    let status = child.wait().map_err(|e| format!("git fast-import: {e}"))?;
    if !status.success() {
        return Err("git fast-import failed".into());
    }
    let _ = Command::new("git")
        .args([
            "--git-dir",
            &args.out,
            "update-ref",
            "-d",
            "refs/heads/side",
        ])
        .status();
    Ok(())
}

/// A new, empty bare repository at `out` (whatever was there is removed).
fn init_repository(out: &str) -> Result<(), String> {
    let out_dir = std::path::Path::new(out);
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir).map_err(|e| format!("{out}: {e}"))?;
    }
    let init = ["init", "-q", "--bare", "-b", "main", out];
    let status = Command::new("git")
        .args(init)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .map_err(|e| format!("git: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("git {init:?} failed"))
    }
}

/// The first commit: the whole tree and a `.mailmap` that maps people's old addresses; returns
/// its mark.
fn initial_commit(g: &mut Gen<'_>, out: &mut impl Write) -> std::io::Result<u64> {
    let mut mailmap = String::from("# Generated: old addresses of people who moved\n");
    for p in g.people {
        if let Some(old) = &p.old_email {
            mailmap.push_str(&format!("{} <{}> <{old}>\n", p.name, p.email));
        }
    }
    let mut initial: Vec<(String, String)> = g
        .files
        .iter()
        .map(|(p, _)| (p.clone(), format!("{p} v0\n")))
        .collect();
    initial.push((".mailmap".into(), mailmap));
    let founder = g.ident(0, 0);
    g.commit(
        out,
        "main",
        (&founder, &founder),
        "Initial commit\n",
        &[],
        &initial,
    )
}
