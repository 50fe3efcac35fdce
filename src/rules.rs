//! The rule set: every default that decides what counts as what, kept as plain data so that a
//! configuration file can extend or replace it, and compiled once into matchers for the scan.

use crate::category::Category;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexSet};
use std::collections::BTreeMap;

/// Bumped whenever a default rule changes what a commit is credited with, so reports (and any
/// cache of per-commit facts) made with different rules can be told apart.
pub const RULES_VERSION: u32 = 2;

/// The class of one changed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathClass {
    /// Vendored or generated: counts for nobody and is ignored when classifying.
    Excluded,
    /// CONTRIBUTING, code of conduct, templates, getting-started guides.
    Onboarding,
    /// Documentation.
    Docs,
    /// CI, build, dependency locks and tests.
    Maintenance,
    /// Files that hold a version number (`VERSION`, `version.h`): with a release subject, part
    /// of a release commit; otherwise like any other file.
    Version,
    /// Anything else.
    Other,
}

/// The rule set as data. Every list is gitignore-style globs or lower-case keys/words.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub docs_paths: Vec<String>,
    pub onboarding_paths: Vec<String>,
    pub maintenance_paths: Vec<String>,
    pub exclude_paths: Vec<String>,
    /// Files that hold the version number (see `PathClass::Version`).
    pub version_paths: Vec<String>,
    /// Regexes (case-insensitive) on subjects of release and version-bump commits.
    pub release_subjects: Vec<String>,
    /// Credit kinds switched off: `applied`, `merge`, `bors`, `newcomer`, `co-authored-fix`,
    /// `pr-newcomer`, `trailer:reviewed-by`, or a prefix ending in `*` (`trailer:*`,
    /// `gerrit:*`, `pr-review:*`).
    pub disabled_kinds: Vec<String>,
    /// Trailer key (lower case) → the category a person named there is credited in.
    pub credit_keys: BTreeMap<String, Category>,
    /// Trailer keys (lower case) that name co-authors.
    pub coauthor_keys: Vec<String>,
    /// When true, a `Signed-off-by` of someone other than the authors counts as a review.
    pub signoff_is_review: bool,
    /// Words that make a subject a fix (matched as whole words, case-insensitive).
    pub fix_words: Vec<String>,
    /// Conventional-commit type → the commit's own category.
    pub conventional_types: BTreeMap<String, Category>,
    /// A person's first N authored non-merge commits in a repository make them a newcomer there.
    pub newcomer_commits: usize,
    /// Regexes (case-insensitive) on names, emails and logins that mark bots.
    pub bot_names: Vec<String>,
    pub bot_emails: Vec<String>,
    /// Committer identities of forge web UIs (emails); never credited as people.
    pub web_ui_emails: Vec<String>,
    /// Identities with the same full display name (two words or more) are one person, as
    /// `git shortlog` counts them (docs/identity.md). `[people] merge_same_name = false` turns
    /// this off.
    pub merge_same_name: bool,
    /// Placeholder display names (normalised: lower case, accents folded, single spaces): they
    /// never merge by name, and such identities earn no review or onboarding credit.
    pub placeholder_names: Vec<String>,
    /// Regexes (case-insensitive) on placeholder emails (`root@localhost`, `you@example.com`).
    pub placeholder_emails: Vec<String>,
    /// Regexes (case-insensitive) on AI assistants' emails: tools, never people.
    pub ai_emails: Vec<String>,
    /// Regexes (case-insensitive) on AI assistants' names and logins; they mark a tool when the
    /// identity has no email or an AI or noreply email (a person may be called Claude).
    pub ai_names: Vec<String>,
    /// Lower-case values a merge bot's `r=` or a credit line may carry that are not people.
    pub non_person_logins: Vec<String>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The default `docs_paths`: documentation, translations, licence and notice files.
const DOCS_PATHS: &[&str] = &[
    "docs/",
    "doc/",
    "Documentation/",
    "man/",
    "*.md",
    "*.mdx",
    "*.markdown",
    "*.rst",
    "*.adoc",
    "*.asciidoc",
    "*.texi",
    "README*",
    "CHANGELOG*",
    "CHANGES*",
    "NEWS*",
    "HISTORY*",
    "RELEASE-NOTES*",
    "RELEASE_NOTES*",
    "AUTHORS*",
    "mkdocs.yml",
    "book.toml",
    // translations
    "*.po",
    "*.pot",
    "locale/",
    "locales/",
    "i18n/",
    "translations/",
    // licence and notice files
    "LICENSE*",
    "LICENCE*",
    "COPYING*",
    "NOTICE*",
];

/// The default `onboarding_paths`: contributing guides, codes of conduct, issue and pull request
/// templates, dev containers.
const ONBOARDING_PATHS: &[&str] = &[
    "CONTRIBUTING*",
    "CODE_OF_CONDUCT*",
    "CODE-OF-CONDUCT*",
    "ONBOARDING*",
    "GETTING_STARTED*",
    "GETTING-STARTED*",
    "SubmittingPatches",
    "MyFirstContribution*",
    "*first-contribution*",
    "*first_contribution*",
    "*getting-started*",
    "*getting_started*",
    ".github/ISSUE_TEMPLATE/",
    ".github/ISSUE_TEMPLATE*",
    ".github/PULL_REQUEST_TEMPLATE*",
    ".github/pull_request_template*",
    ".github/DISCUSSION_TEMPLATE/",
    ".gitlab/issue_templates/",
    ".gitlab/merge_request_templates/",
    ".devcontainer/",
    ".devcontainer.json",
    ".gitpod.yml",
    ".gitpod.Dockerfile",
];

/// The default `maintenance_paths`: CI, build files, dependency locks and tests.
const MAINTENANCE_PATHS: &[&str] = &[
    // CI
    ".github/workflows/",
    ".github/actions/",
    ".github/dependabot.yml",
    ".github/renovate.json*",
    "renovate.json*",
    ".renovaterc*",
    ".gitlab-ci.yml",
    ".gitlab-ci/",
    ".circleci/",
    ".travis.yml",
    "appveyor.yml",
    ".appveyor.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    ".buildkite/",
    ".cirrus.yml",
    ".drone.yml",
    "/.ci/",
    "/ci/",
    // build
    "Makefile",
    "GNUmakefile",
    "*.mk",
    "CMakeLists.txt",
    "*.cmake",
    "meson.build",
    "configure.ac",
    "Cargo.toml",
    "build.rs",
    "rust-toolchain*",
    ".cargo/config*",
    "rustfmt.toml",
    ".rustfmt.toml",
    "clippy.toml",
    "deny.toml",
    "package.json",
    "tsconfig*.json",
    ".eslintrc*",
    ".prettierrc*",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "tox.ini",
    "noxfile.py",
    "requirements*.txt",
    "go.mod",
    "build.gradle*",
    "settings.gradle*",
    "*.gradle",
    "*.gradle.kts",
    "gradle/",
    "pom.xml",
    "Gemfile",
    "*.gemspec",
    "BUILD",
    "BUILD.bazel",
    "WORKSPACE",
    "WORKSPACE.bazel",
    "MODULE.bazel",
    "*.bzl",
    "justfile",
    "Dockerfile",
    "docker-compose*.yml",
    ".pre-commit-config.yaml",
    ".editorconfig",
    ".gitignore",
    ".gitattributes",
    ".gitmodules",
    ".dockerignore",
    // dependency locks
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "flake.lock",
    "mix.lock",
    "Podfile.lock",
    "gradle.lockfile",
    // tests
    "tests/",
    "test/",
    "testing/",
    "testdata/",
    "__tests__/",
    "spec/",
    "/t/",
    "*_test.*",
    "test_*.*",
    "*.spec.*",
    "*.test.*",
    "*_spec.rb",
];

/// The default `version_paths`: files that hold a version number.
const VERSION_PATHS: &[&str] = &[
    "VERSION",
    "VERSION.txt",
    "version.txt",
    ".version",
    "GIT-VERSION-GEN",
    "*version.h",
    "*ver.h",
    "version.rb",
    "version.py",
    "_version.py",
    "__version__.py",
    "version.go",
    "gradle.properties",
    "*.podspec",
    "*.nuspec",
    "RelNotes",
];

/// The default `release_subjects`: subjects of release and version-bump commits (regexes,
/// case-insensitive).
const RELEASE_SUBJECTS: &[&str] = &[
    // chore(release): 1.2.3, feat(release): …
    r"^[a-z]+\(release\)!?:",
    // release: 8.5.0, Release 2.0, Release v1.2.3, Releasing 1.2
    r"^releas(?:e|ing)\b:?\s*(?:of\s+)?v?\d+\.\d+",
    // Bump version to 1.2.3, Update version to 2.0, Set version 1.2
    r"^(?:[a-z]+(?:\([^)]*\))?!?:\s*)?(?:bump|bumped|update|updated|set|increase|increment)\s+(?:the\s+)?(?:package\s+|crate\s+|project\s+)?version\b",
    // chore: bump to 0.85.0; update changelog
    r"^(?:[a-z]+(?:\([^)]*\))?!?:\s*)?(?:bump|bumped)\s+to\s+v?\d+\.\d+",
    // Prepare release 1.2, Prepare for 2.0, Prep v1.2.3 release
    r"^(?:[a-z]+(?:\([^)]*\))?!?:\s*)?(?:prepare|prep)\s+(?:for\s+)?(?:the\s+)?(?:release(?:\s+v?\d+\.\d+\S*)?|v?\d+\.\d+\S*(?:\s+release)?)\s*$",
    // 1.2.3, v1.2.3-rc1, Version 1.2.3, Git 2.43, tokio-1.52.4
    r"^(?:version\s+|[\w.-]+[\s-])?v?\d+\.\d+(?:\.\d+)*(?:[-.]?(?:rc|beta|alpha|pre)\.?\d*)?$",
];

/// The default `coauthor_keys`: keys naming someone who wrote (part of) the change, co-authors.
const COAUTHOR_KEYS: &[&str] = &[
    "co-authored-by",
    "co-developed-by",
    "authored-by",
    "patch-by",
    "patched-by",
    "code-by",
];

/// The default `fix_words`: words that make a subject a fix.
const FIX_WORDS: &[&str] = &[
    "fix",
    "fixes",
    "fixed",
    "fixing",
    "bug",
    "bugs",
    "bugfix",
    "hotfix",
    "regression",
];

/// The default `bot_names`: bots' names and logins (regexes).
const BOT_NAMES: &[&str] = &[
    r"\[bot\]$",
    r"^(dependabot|renovate|renovate-bot|github-actions|bors|bors-servo|homu|mergify|greenkeeper|snyk-bot|pre-commit-ci|codecov|allcontributors|all-contributors|semantic-release-bot|imgbot|kodiakhq|rustbot|rust-highfive|k8s-ci-robot|copybara-service|gitlab-bot|dependabot-preview)\b",
    r"(^|[\s-])bot$",
];

/// The default `bot_emails`: bots' emails (regexes).
const BOT_EMAILS: &[&str] = &[
    r"\[bot\]@users\.noreply\.github\.com$",
    r"^bot@",
    r"^bors@",
    r"^homu@",
    r"@dependabot\.com$",
    r"^renovate@",
    r"^(noreply|no-reply)@(renovateapp\.com|mend\.io)$",
    r"^action@github\.com$",
    r"^github-actions@github\.com$",
];

/// The default `web_ui_emails`: committer emails of forge web UIs (regexes).
const WEB_UI_EMAILS: &[&str] = &[
    r"^noreply@github\.com$",
    r"^noreply@gitlab\.com$",
    r"^gitlab@[^@]+$",
    r"^noreply@bitbucket\.org$",
    r"^web-flow@github\.com$",
];

/// The default `placeholder_names`: placeholder display names (normalised).
const PLACEHOLDER_NAMES: &[&str] = &[
    "root",
    "administrator",
    "admin",
    "unknown",
    "your name",
    "your full name",
    "full name",
    "name",
    "ubuntu",
    "user",
    "username",
    "localhost",
    "none",
    "(none)",
    "nobody",
    "anonymous",
    "default",
    "vagrant",
    "pi",
    "ec2-user",
    "builder",
    "build",
    "test",
    "tester",
    "git",
];

/// The default `placeholder_emails`: placeholder emails (regexes).
const PLACEHOLDER_EMAILS: &[&str] = &[
    // A machine's default identity: a placeholder name at a host, not a domain.
    r"^(root|admin|administrator|unknown|nobody|ubuntu|vagrant|pi|ec2-user|user|builder|test)@([^@.]+|[^@]*\.(local|localdomain|lan|home|internal))$",
    r"@localhost(\.localdomain)?$",
    r"@\(none\)$",
    // Template values left in place.
    r"^(root|admin|administrator|unknown|nobody|user|you|test|email|none|your[._-]?email|yourname|your[._-]?name|name|me)@example\.(com|org|net)$",
];

/// The default `ai_emails`: AI assistants' emails (regexes).
const AI_EMAILS: &[&str] = &[
    r"^noreply@anthropic\.com$",
    r"^claude@anthropic\.com$",
    r"^(codex|noreply|chatgpt)@openai\.com$",
    r"^[0-9]+\+(copilot|claude|codex|devin-ai-integration\[bot\]|cursoragent|gemini-code-assist\[bot\])@users\.noreply\.github\.com$",
    r"^copilot@github\.com$",
    r"^(cursoragent|agent)@cursor\.(com|sh)$",
    r"@devin\.ai$",
    r"^(gemini|gemini-code-assist|noreply)@google\.com$",
    r"^(aider|noreply)@aider\.chat$",
    r"^jules@google\.com$",
];

/// The default `ai_names`: AI assistants' names and logins (regexes).
const AI_NAMES: &[&str] = &[
    r"^claude( code| opus[\w .-]*| sonnet[\w .-]*| haiku[\w .-]*| [0-9][\w .-]*)?$",
    r"^(chat)?gpt[\w .-]*$",
    r"^(openai )?codex( cli)?$",
    r"^(github )?copilot( agent)?$",
    r"^cursor( agent)?$",
    r"^cursoragent$",
    r"^gemini( code assist| cli| [0-9][\w .-]*)?$",
    r"^devin( ai)?$",
    r"^devin-ai-integration(\[bot\])?$",
    r"^aider( \(.*\))?$",
    r"^jules$",
    r"^amazon q( developer)?$",
];

/// The default `non_person_logins`: values of `r=` and credit lines that are not people.
const NON_PERSON_LOGINS: &[&str] = &[
    "me",
    "myself",
    "self",
    "team",
    "the-team",
    "the-whole-team",
    "whole-team",
    "everyone",
    "everybody",
    "all",
    "anyone",
    "nobody",
    "someone",
    "rollup",
];

/// `credit_keys`: trailer keys (lower case) and the category a person named there is credited
/// in, a category a row.
const CREDIT_KEYS: &[(Category, &[&str])] = &[
    (
        Category::Review,
        &[
            "reviewed-by",
            "acked-by",
            "tested-by",
            "approved-by",
            "verified-by",
        ],
    ),
    (Category::Onboarding, &["mentored-by"]),
    (
        Category::Support,
        &[
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
            // Variants projects write (curl, among others). A key written with spaces
            // (`Reported by:`) is read as the dashed key (`reported-by`).
            "help-by",
            "idea-by",
            "feedback-by",
            "proposed-by",
            "found-by",
            "spotted-by",
            "mentioned-by",
            "reminded-by",
            "asked-by",
            "confirmed-by",
            "analyzed-by",
            "detected-by",
            "researched-by",
            "figured-out-by",
            "clues-provided-by",
            "brought-up-by",
            "highlighted-by",
            "aided-by",
            "co-reported-by",
            "reported-and-fixed-by",
            "credits-to",
            "credit-to",
            "based-on-work-by",
            "upstream-patch-by",
        ],
    ),
];

/// `conventional_types`: conventional-commit types and the commit's own category.
const CONVENTIONAL_TYPES: &[(Category, &[&str])] = &[
    (Category::Docs, &["docs"]),
    (
        Category::Maintenance,
        &["ci", "build", "chore", "test", "tests"],
    ),
];

/// A key → category map from rows of keys per category.
fn keyed(rows: &[(Category, &[&str])]) -> BTreeMap<String, Category> {
    rows.iter()
        .flat_map(|&(category, keys)| keys.iter().map(move |k| (k.to_string(), category)))
        .collect()
}

impl Default for Rules {
    /// The built-in rules: the tables above, as `gluework config default` prints them.
    fn default() -> Self {
        Rules {
            docs_paths: strings(DOCS_PATHS),
            onboarding_paths: strings(ONBOARDING_PATHS),
            maintenance_paths: strings(MAINTENANCE_PATHS),
            exclude_paths: Vec::new(),
            version_paths: strings(VERSION_PATHS),
            release_subjects: strings(RELEASE_SUBJECTS),
            disabled_kinds: Vec::new(),
            credit_keys: keyed(CREDIT_KEYS),
            coauthor_keys: strings(COAUTHOR_KEYS),
            signoff_is_review: false,
            fix_words: strings(FIX_WORDS),
            conventional_types: keyed(CONVENTIONAL_TYPES),
            newcomer_commits: 3,
            bot_names: strings(BOT_NAMES),
            bot_emails: strings(BOT_EMAILS),
            web_ui_emails: strings(WEB_UI_EMAILS),
            merge_same_name: true,
            placeholder_names: strings(PLACEHOLDER_NAMES),
            placeholder_emails: strings(PLACEHOLDER_EMAILS),
            ai_emails: strings(AI_EMAILS),
            ai_names: strings(AI_NAMES),
            non_person_logins: strings(NON_PERSON_LOGINS),
        }
    }
}

/// An error in a rule: a glob or regex that does not compile.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A glob that does not compile; its error is shown by its kind (globset's own text
    /// repeats the glob as rewritten from the gitignore pattern).
    #[error("invalid glob {pattern:?} in {list}")]
    Glob {
        list: &'static str,
        pattern: String,
        #[source]
        source: crate::error::Vetted<globset::Error>,
    },
    #[error("invalid regex {pattern:?} in {list}")]
    Regex {
        list: &'static str,
        pattern: String,
        #[source]
        source: regex::Error,
    },
}

/// The rule set compiled into matchers. Cheap to share between threads.
#[derive(Debug)]
pub struct CompiledRules {
    pub rules: Rules,
    /// Every path glob of the four lists in one set (one pass over a path, not four), and the
    /// class each glob gives.
    paths: GlobSet,
    path_classes: Vec<PathClass>,
    fix_words: Regex,
    release_subjects: RegexSet,
    bot_names: RegexSet,
    bot_emails: RegexSet,
    web_ui_emails: RegexSet,
    placeholder_emails: RegexSet,
    ai_emails: RegexSet,
    ai_names: RegexSet,
}

/// Turns one gitignore-style pattern into globs: a pattern with no slash but a trailing one
/// matches at any depth; a trailing slash means "everything below"; a leading slash anchors.
/// Every pattern also matches everything below what it names, as a gitignore entry would.
pub fn gitignore_to_globs(pattern: &str) -> Vec<String> {
    let mut p = pattern.trim().to_string();
    let dir_only = p.ends_with('/');
    while p.ends_with('/') {
        p.pop();
    }
    let anchored = p.starts_with('/') || p.contains('/');
    let p = p.trim_start_matches('/');
    let base = if anchored || p.starts_with("**/") {
        p.to_string()
    } else {
        format!("**/{p}")
    };
    if dir_only {
        vec![format!("{base}/**")]
    } else {
        vec![base.clone(), format!("{base}/**")]
    }
}

/// The path lists as one glob set, in the order of the classes' priority, and the class of
/// each glob.
fn path_globs(
    lists: &[(&'static str, &[String], PathClass)],
) -> Result<(GlobSet, Vec<PathClass>), RuleError> {
    let mut b = GlobSetBuilder::new();
    let mut classes = Vec::new();
    for &(list, patterns, class) in lists {
        for pattern in patterns {
            for g in gitignore_to_globs(pattern) {
                let glob = GlobBuilder::new(&g)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| RuleError::Glob {
                        list,
                        pattern: pattern.clone(),
                        source: crate::error::Vetted::with_text(e.clone(), e.kind().to_string()),
                    })?;
                b.add(glob);
                classes.push(class);
            }
        }
    }
    let set = b.build().map_err(|e| RuleError::Glob {
        list: "paths",
        pattern: lists
            .iter()
            .flat_map(|(_, patterns, _)| patterns.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        source: crate::error::Vetted::new(e, str::to_string),
    })?;
    Ok((set, classes))
}

/// The longest pattern (glob, regex) or word a configuration may give, in characters.
pub const MAX_PATTERN_CHARS: usize = 1000;
/// The compiled size a single configured regex may reach (the `regex` crate's own default
/// is 10 MiB): a pattern such as `(a{1000}){1000}` fails at once instead of compiling for long.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The compiled size of a set of configured regexes (bots, web UI emails), or of the fix words.
pub const REGEX_SET_SIZE_LIMIT: usize = 8 << 20;

/// Compiles one configured regex with the size limit.
pub fn configured_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

fn regexset(list: &'static str, patterns: &[String]) -> Result<RegexSet, RuleError> {
    for p in patterns {
        configured_regex(p).map_err(|e| RuleError::Regex {
            list,
            pattern: p.clone(),
            source: e,
        })?;
    }
    regex::RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .size_limit(REGEX_SET_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SET_SIZE_LIMIT)
        .build()
        .map_err(|e| RuleError::Regex {
            list,
            pattern: patterns.join(", "),
            source: e,
        })
}

impl CompiledRules {
    pub fn new(rules: Rules) -> Result<Self, RuleError> {
        let words: Vec<String> = rules.fix_words.iter().map(|w| regex::escape(w)).collect();
        let fix_pattern = if words.is_empty() {
            // Matches nothing.
            r"[^\s\S]".to_string()
        } else {
            format!(r"(?i)\b({})\b", words.join("|"))
        };
        let (paths, path_classes) = path_globs(&[
            ("exclude", &rules.exclude_paths, PathClass::Excluded),
            ("onboarding", &rules.onboarding_paths, PathClass::Onboarding),
            ("docs", &rules.docs_paths, PathClass::Docs),
            (
                "maintenance",
                &rules.maintenance_paths,
                PathClass::Maintenance,
            ),
            ("version", &rules.version_paths, PathClass::Version),
        ])?;
        Ok(CompiledRules {
            paths,
            path_classes,
            fix_words: regex::RegexBuilder::new(&fix_pattern)
                .size_limit(REGEX_SET_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SET_SIZE_LIMIT)
                .build()
                .map_err(|e| RuleError::Regex {
                    list: "fix_words",
                    pattern: fix_pattern.clone(),
                    source: e,
                })?,
            release_subjects: regexset("release subjects", &rules.release_subjects)?,
            bot_names: regexset("bot names", &rules.bot_names)?,
            bot_emails: regexset("bot emails", &rules.bot_emails)?,
            web_ui_emails: regexset("web UI emails", &rules.web_ui_emails)?,
            placeholder_emails: regexset("placeholder emails", &rules.placeholder_emails)?,
            ai_emails: regexset("AI assistant emails", &rules.ai_emails)?,
            ai_names: regexset("AI assistant names", &rules.ai_names)?,
            rules,
        })
    }

    pub fn defaults() -> Self {
        Self::new(Rules::default()).expect("the built-in rules compile")
    }

    /// The class of one changed path (as bytes, `/`-separated, relative to the repository root).
    pub fn path_class(&self, path: &[u8]) -> PathClass {
        thread_local! {
            static MATCHES: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let text = String::from_utf8_lossy(path);
        let candidate = globset::Candidate::new(text.as_ref());
        // Most paths match nothing: one search that stops early says so, before the search
        // for every matching glob.
        if !self.paths.is_match_candidate(&candidate) {
            return PathClass::Other;
        }
        MATCHES.with(|m| {
            let mut m = m.borrow_mut();
            self.paths.matches_candidate_into(&candidate, &mut m);
            // Globs are in the order of the classes' priority: the first match decides.
            m.iter()
                .map(|&i| self.path_classes[i])
                .min()
                .unwrap_or(PathClass::Other)
        })
    }

    /// The category a credit-line key (any case) earns, if any.
    pub fn credit_category(&self, key_lower: &str) -> Option<Category> {
        if let Some(c) = self.rules.credit_keys.get(key_lower) {
            return Some(*c);
        }
        if self.rules.signoff_is_review && key_lower == "signed-off-by" {
            return Some(Category::Review);
        }
        None
    }

    pub fn is_coauthor_key(&self, key_lower: &str) -> bool {
        self.rules.coauthor_keys.iter().any(|k| k == key_lower)
    }

    /// True for keys a lenient (non-git) credit line may carry: credit and co-author keys.
    pub fn is_known_key(&self, key_lower: &str) -> bool {
        self.credit_category(key_lower).is_some() || self.is_coauthor_key(key_lower)
    }

    pub fn is_fix_subject(&self, subject: &str) -> bool {
        self.fix_words.is_match(subject)
    }

    /// A release or version-bump subject (`Bump version to 1.2.3`, `Release 2.0`).
    pub fn is_release_subject(&self, subject: &str) -> bool {
        self.release_subjects.is_match(subject.trim())
    }

    /// Whether credits of this kind are given (see `Rules::disabled_kinds`).
    pub fn kind_enabled(&self, kind: &str) -> bool {
        !self
            .rules
            .disabled_kinds
            .iter()
            .any(|d| kind_matches(d, kind))
    }

    pub fn is_bot(&self, name: &str, email: Option<&str>, login: Option<&str>) -> bool {
        self.bot_names.is_match(name.trim())
            || login.is_some_and(|l| self.bot_names.is_match(l))
            || email.is_some_and(|e| self.bot_emails.is_match(e) || self.web_ui_emails.is_match(e))
    }

    /// Forge web-UI committers (`GitHub <noreply@github.com>`): never people.
    pub fn is_web_ui(&self, email: &str) -> bool {
        self.web_ui_emails.is_match(email)
    }

    /// A placeholder identity (`root <root@localhost>`, `Your Name <you@example.com>`): an email
    /// from the placeholder list, or no email and a placeholder name. `name` is compared
    /// normalised (see `ident::names::fold`).
    pub fn is_placeholder(&self, name: &str, email: Option<&str>) -> bool {
        match email {
            Some(e) => self.placeholder_emails.is_match(e.trim()),
            None => self.is_placeholder_name(name),
        }
    }

    /// A placeholder display name (`root`, `Your Name`, `unknown` …): never merged by name.
    pub fn is_placeholder_name(&self, name: &str) -> bool {
        let folded = crate::ident::names::fold(name);
        folded.is_empty() || self.rules.placeholder_names.contains(&folded)
    }

    /// An AI assistant (a tool, never a person): an AI email, or an AI name or login with no
    /// email, an AI email or a noreply email.
    pub fn is_ai(&self, name: &str, email: Option<&str>, login: Option<&str>) -> bool {
        if email.is_some_and(|e| self.ai_emails.is_match(e.trim())) {
            return true;
        }
        let noreply_like = email.is_none_or(|e| {
            let e = e.to_ascii_lowercase();
            e.contains("noreply") || e.contains("no-reply")
        });
        noreply_like
            && (self.ai_names.is_match(name.trim())
                || login.is_some_and(|l| self.ai_names.is_match(l)))
    }

    /// A value that is not a person (`r=me`, `the-whole-team`): only for identities without
    /// an email.
    pub fn is_non_person(&self, name: &str, email: Option<&str>, login: Option<&str>) -> bool {
        if email.is_some() {
            return false;
        }
        let is = |v: &str| {
            let v = v.trim().trim_start_matches('@').to_lowercase();
            self.rules.non_person_logins.contains(&v)
        };
        is(name) || login.is_some_and(is)
    }
}

/// The credit kinds that can be switched off (`Rules::disabled_kinds`); a pattern may also be
/// one of the prefixes followed by `*`, or a prefix followed by a key (`trailer:acked-by`).
pub const SWITCHABLE_KINDS: &[&str] = &[
    "applied",
    "merge",
    "bors",
    "newcomer",
    "co-authored-fix",
    "pr-newcomer",
];
/// Prefixes of credit kinds that carry a key: `trailer:reviewed-by`, `gerrit:code-review+2`.
pub const SWITCHABLE_PREFIXES: &[&str] = &["trailer:", "phabricator:", "gerrit:", "pr-review:"];

/// Whether a `disabled_kinds` entry names `kind`: equal (any case), or a prefix ending in `*`.
pub fn kind_matches(pattern: &str, kind: &str) -> bool {
    let p = pattern.trim();
    match p.strip_suffix('*') {
        Some(prefix) => kind
            .get(..prefix.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(prefix)),
        None => p.eq_ignore_ascii_case(kind),
    }
}

/// Whether a `disabled_kinds` entry is one gluework knows: a switchable kind, `prefix*`, or a
/// prefixed kind (`trailer:acked-by`).
pub fn is_switchable_kind(pattern: &str) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    if p == "*" {
        return false;
    }
    SWITCHABLE_KINDS.contains(&p.as_str())
        || SWITCHABLE_PREFIXES
            .iter()
            .any(|x| p.starts_with(x) && p.len() > x.len() || p == format!("{x}*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_patterns() {
        assert_eq!(gitignore_to_globs("docs/"), ["**/docs/**"]);
        assert_eq!(gitignore_to_globs("*.md"), ["**/*.md", "**/*.md/**"]);
        assert_eq!(
            gitignore_to_globs(".github/workflows/"),
            [".github/workflows/**"]
        );
        assert_eq!(gitignore_to_globs("/t/"), ["t/**"]);
        assert_eq!(gitignore_to_globs("vendor"), ["**/vendor", "**/vendor/**"]);
    }

    #[test]
    fn default_path_classes() {
        let r = CompiledRules::defaults();
        let cases: &[(&str, PathClass)] = &[
            ("README.md", PathClass::Docs),
            ("docs/guide/intro.html", PathClass::Docs),
            ("Documentation/git-log.txt", PathClass::Docs),
            ("src/lib/notes.rst", PathClass::Docs),
            ("CHANGELOG", PathClass::Docs),
            ("CONTRIBUTING.md", PathClass::Onboarding),
            ("docs/CODE_OF_CONDUCT.md", PathClass::Onboarding),
            (".github/ISSUE_TEMPLATE/bug.yml", PathClass::Onboarding),
            (".github/pull_request_template.md", PathClass::Onboarding),
            (".devcontainer/devcontainer.json", PathClass::Onboarding),
            ("docs/getting-started.md", PathClass::Onboarding),
            (".github/workflows/ci.yml", PathClass::Maintenance),
            ("Cargo.lock", PathClass::Maintenance),
            ("crates/x/Cargo.toml", PathClass::Maintenance),
            ("tests/scan.rs", PathClass::Maintenance),
            ("pkg/server_test.go", PathClass::Maintenance),
            ("test_parser.py", PathClass::Maintenance),
            ("web/app.spec.ts", PathClass::Maintenance),
            ("t/t0001-init.sh", PathClass::Maintenance),
            // In two lists: the one of higher priority decides.
            ("tests/README.md", PathClass::Docs),
            ("docs/CONTRIBUTING.md", PathClass::Onboarding),
            ("src/main.rs", PathClass::Other),
            ("src/latest.rs", PathClass::Other),
            ("src/contest.rs", PathClass::Other),
            ("lib/t/x.c", PathClass::Other),
            // Translations and licence files are docs.
            ("po/de.po", PathClass::Docs),
            ("po/git.pot", PathClass::Docs),
            ("app/locale/fr/LC_MESSAGES/app.mo", PathClass::Docs),
            ("src/i18n/en.json", PathClass::Docs),
            ("translations/app_de.ts", PathClass::Docs),
            ("LICENSE-MIT", PathClass::Docs),
            ("COPYING", PathClass::Docs),
            ("NOTICE", PathClass::Docs),
            (".gitmodules", PathClass::Maintenance),
            // Version files: their own class (code unless the commit is a release).
            ("VERSION", PathClass::Version),
            ("include/curl/curlver.h", PathClass::Version),
            ("src/version.h", PathClass::Version),
        ];
        for (path, class) in cases {
            assert_eq!(r.path_class(path.as_bytes()), *class, "{path}");
        }
    }

    #[test]
    fn exclusions_win() {
        let rules = Rules {
            exclude_paths: vec!["vendor/".into()],
            ..Rules::default()
        };
        let r = CompiledRules::new(rules).unwrap();
        assert_eq!(r.path_class(b"vendor/lib/README.md"), PathClass::Excluded);
        assert_eq!(r.path_class(b"src/vendor/x.c"), PathClass::Excluded);
    }

    #[test]
    fn bad_glob_is_an_error() {
        let rules = Rules {
            docs_paths: vec!["docs/[".into()],
            ..Rules::default()
        };
        let err = CompiledRules::new(rules).unwrap_err().to_string();
        assert!(err.contains("docs/["), "{err}");
    }

    #[test]
    fn fix_words_are_whole_words() {
        let r = CompiledRules::defaults();
        assert!(r.is_fix_subject("Fix crash on empty input"));
        assert!(r.is_fix_subject("parser: handle regression in 1.2"));
        assert!(!r.is_fix_subject("Add prefix support"));
        assert!(!r.is_fix_subject("debug logging"));
    }

    #[test]
    fn release_subjects() {
        let r = CompiledRules::defaults();
        for s in [
            "Bump version to 1.2.3",
            "bump version",
            "Release 2.0",
            "release: 8.5.0",
            "chore(release): 1.4.0",
            "chore: bump to 0.85.0; update changelog (#14000)",
            "Prepare release 1.2",
            "Prepare for 2.0",
            "Prepare v1.2.3 release",
            "v1.2.3",
            "1.2.3-rc1",
            "Git 2.43",
            "Version 3.1",
            "Update version to 4.0",
        ] {
            assert!(r.is_release_subject(s), "{s}");
        }
        for s in [
            "Bump serde from 1.0.1 to 1.0.2",
            "Release the lock before waiting",
            "Add a --version flag",
            "Update docs for 1.2",
            "Prepare the parser for streams",
            "Prepare the 0.2 release notes",
        ] {
            assert!(!r.is_release_subject(s), "{s}");
        }
    }

    #[test]
    fn kinds_switch_off() {
        assert!(kind_matches("trailer:*", "trailer:acked-by"));
        assert!(kind_matches("Applied", "applied"));
        assert!(!kind_matches("applied", "merge"));
        assert!(!kind_matches("trailer:*", "bors"));
        let rules = Rules {
            disabled_kinds: vec!["merge".into(), "trailer:acked-by".into()],
            ..Rules::default()
        };
        let r = CompiledRules::new(rules).unwrap();
        assert!(!r.kind_enabled("merge"));
        assert!(!r.kind_enabled("trailer:acked-by"));
        assert!(r.kind_enabled("trailer:reviewed-by"));
        assert!(r.kind_enabled("applied"));
        for k in [
            "applied",
            "trailer:*",
            "gerrit:*",
            "trailer:acked-by",
            "newcomer",
        ] {
            assert!(is_switchable_kind(k), "{k}");
        }
        for k in ["code", "paths", "*", "trailer:", "review"] {
            assert!(!is_switchable_kind(k), "{k}");
        }
    }

    #[test]
    fn bots() {
        let r = CompiledRules::defaults();
        assert!(r.is_bot(
            "dependabot[bot]",
            Some("49699333+dependabot[bot]@users.noreply.github.com"),
            None
        ));
        assert!(r.is_bot("renovate", None, None));
        assert!(r.is_bot("bors", Some("bors@rust-lang.org"), None));
        assert!(r.is_bot("GitHub", Some("noreply@github.com"), None));
        assert!(r.is_bot("x", None, Some("github-actions[bot]")));
        assert!(!r.is_bot("Abbot Smith", Some("abbot@example.com"), None));
        assert!(!r.is_bot("Borsa Ng", Some("borsa@example.com"), None));
        assert!(r.is_web_ui("noreply@github.com"));
    }

    #[test]
    fn tools_placeholders_and_non_people() {
        let r = CompiledRules::defaults();
        assert!(r.is_ai("Claude", Some("noreply@anthropic.com"), None));
        assert!(r.is_ai("Claude Opus 4.1", Some("noreply@anthropic.com"), None));
        assert!(r.is_ai("GPT-5", Some("codex@openai.com"), None));
        assert!(r.is_ai(
            "Copilot",
            Some("198982749+Copilot@users.noreply.github.com"),
            None
        ));
        assert!(r.is_ai("Cursor Agent", Some("cursoragent@cursor.com"), None));
        assert!(r.is_ai("Gemini", None, None));
        assert!(r.is_ai("devin", None, Some("devin")));
        // A person called Claude is a person.
        assert!(!r.is_ai("Claude", Some("claude@dupont.fr"), None));
        assert!(!r.is_ai("Claude Dupont", None, None));
        assert!(r.is_placeholder("root", Some("root@localhost")));
        assert!(r.is_placeholder("Your Name", Some("you@example.com")));
        assert!(r.is_placeholder("unknown", Some("unknown@example.com")));
        assert!(r.is_placeholder("x", Some("x@localhost.localdomain")));
        assert!(!r.is_placeholder("Alice", Some("alice@example.com")));
        assert!(r.is_placeholder("root", Some("root@buildhost")));
        assert!(r.is_placeholder("ubuntu", Some("ubuntu@ip-10-0-0-1.ec2.internal")));
        // An admin@ or root@ address at a real domain is someone's.
        assert!(!r.is_placeholder("Andrej", Some("admin@andrej.example.ru")));
        assert!(!r.is_placeholder("h1", Some("root@h1zzz.net")));
        assert!(r.is_placeholder_name("  Your   NAME "));
        assert!(r.is_placeholder_name("Administrator"));
        assert!(!r.is_placeholder_name("Alice Liddell"));
        assert!(r.is_non_person("me", None, Some("me")));
        assert!(r.is_non_person("the-whole-team", None, Some("the-whole-team")));
        assert!(!r.is_non_person("alice", None, Some("alice")));
        assert!(!r.is_non_person("me", Some("me@example.org"), None));
    }
}
