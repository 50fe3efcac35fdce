//! Pure functions over a commit message's text: conventional-commit type, reverts, dependency
//! bumps, fix markers, pull-request numbers and the merge styles of forges and merge bots.

use regex::Regex;
use std::sync::LazyLock;

/// The first line of a message, trimmed.
pub fn subject(message: &str) -> &str {
    message.lines().next().unwrap_or("").trim()
}

static CONVENTIONAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z][A-Za-z0-9_-]*)(\([^()\n]*\))?!?: \S").unwrap());

/// The conventional-commit type of a subject (`feat(x)!: y` → `feat`), lower-cased.
pub fn conventional_type(subject: &str) -> Option<String> {
    CONVENTIONAL
        .captures(subject)
        .map(|c| c[1].to_ascii_lowercase())
}

static REVERT_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^(?i:revert)\s*(".*"|'.*'|:.*|\(.*)$"#).unwrap());
static REVERT_BODY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?mi)^\s*This reverts commit [0-9a-f]{7,64}\b").unwrap());

/// `Revert "…"` subjects (as `git revert` writes them, also `revert: …`) or a
/// `This reverts commit <id>` line.
pub fn is_revert(subject: &str, message: &str) -> bool {
    REVERT_SUBJECT.is_match(subject) || REVERT_BODY.is_match(message)
}

static BUMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^
        (?:[a-z]+(?:\([^)]*\))?!?:\s*)?           # optional conventional prefix, e.g. chore(deps):
        (?:
            bump\s+\S+.*\s+from\s+\S+\s+to\s+\S+   # Dependabot: Bump serde from 1.0.1 to 1.0.2
          | update\s+(?:rust\s+crate|dependency|module|crate|gem|npm\s+package)\s+\S+  # Renovate
          | update\s+\S+\s+requirement\s+from       # Dependabot requirement updates
          | update\s+\S+\s+digest\s+to              # Renovate digests
          | update\s+(?:all\s+)?(?:non-major\s+)?dependencies\b
          | lock\s+file\s+maintenance\b
        )",
    )
    .unwrap()
});

/// Dependency-bump subjects from Dependabot, Renovate and people imitating them.
pub fn is_dependency_bump(subject: &str) -> bool {
    BUMP.is_match(subject)
}

static FIXES_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)(^\s*fixes:\s*\S)|(\bfix(?:es|ed)?:?\s+(?:[\w.-]+/[\w.-]+)?#\d+)").unwrap()
});

/// A `Fixes:` line (the kernel's `Fixes: <id> ("subject")`) or a `Fixes #N` reference.
pub fn has_fixes_reference(message: &str) -> bool {
    FIXES_REF.is_match(message)
}

static SQUASH_PR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(#(\d{1,9})\)\s*$").unwrap());

/// The pull-request number of a squash-merge subject ending in `(#123)`.
pub fn squash_pr(subject: &str) -> Option<u64> {
    SQUASH_PR.captures(subject).and_then(|c| c[1].parse().ok())
}

/// How a merge commit says it was made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MergeStyle {
    /// `Merge pull request #N from owner/branch` (GitHub's merge button).
    GitHub { pr: u64, from: String },
    /// `Auto merge of #N - user:branch, r=a,b` (bors/homu) or `Rollup merge of …`.
    Bors {
        pr: u64,
        author: String,
        reviewers: Vec<String>,
    },
    /// GitLab: `Merge branch 'x' into 'y'` with `See merge request group/project!N`.
    GitLab { mr: u64 },
    /// Any other merge.
    Plain,
}

impl MergeStyle {
    pub fn pr(&self) -> Option<u64> {
        match self {
            MergeStyle::GitHub { pr, .. } | MergeStyle::Bors { pr, .. } => Some(*pr),
            MergeStyle::GitLab { mr } => Some(*mr),
            MergeStyle::Plain => None,
        }
    }
}

static GITHUB_MERGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Merge pull request #(\d{1,9}) from (\S+)").unwrap());
static BORS_MERGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Auto|Rollup) merge of (?:[\w.-]+/[\w.-]+)?#(\d{1,9}) - ([^:\s]+):\S*?,\s*r=(.+)$",
    )
    .unwrap()
});
/// The first bors's format: `auto merge of #220 : user/repo/branch, r=alice` (lower case,
/// colon, slashes).
static OLD_BORS_MERGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:auto|rollup) merge of #(\d{1,9}) ?: ?([^/\s:,]+)/\S*?,\s*r=(.+)$").unwrap()
});
static GITLAB_MR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^See merge request [^\s!]+!(\d{1,9})\s*$").unwrap());

/// Recognises the merge style of a merge commit's message.
pub fn merge_style(subject: &str, message: &str) -> MergeStyle {
    if let Some(c) = GITHUB_MERGE.captures(subject) {
        if let Ok(pr) = c[1].parse() {
            return MergeStyle::GitHub {
                pr,
                from: c[2].to_string(),
            };
        }
    }
    if let Some(c) = BORS_MERGE
        .captures(subject)
        .or_else(|| OLD_BORS_MERGE.captures(subject))
    {
        if let Ok(pr) = c[1].parse() {
            let reviewers = split_logins(&c[3]);
            return MergeStyle::Bors {
                pr,
                author: c[2].to_string(),
                reviewers,
            };
        }
    }
    if let Some(c) = GITLAB_MR.captures(message) {
        if let Ok(mr) = c[1].parse() {
            return MergeStyle::GitLab { mr };
        }
    }
    MergeStyle::Plain
}

/// Splits `a,b`, `a, b` or `a and b` into logins, dropping empties, `@` prefixes and anything
/// that is not login-shaped.
pub fn split_logins(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(|s| s.trim().trim_start_matches('@'))
        .filter(|s| !s.is_empty() && *s != "and" && is_login(s))
        .map(str::to_string)
        .collect()
}

/// GitHub-style login: letters, digits, hyphens (and `_`/`.` that other forges allow), at most
/// 39 characters, optionally a `[bot]` suffix.
pub fn is_login(s: &str) -> bool {
    let core = s.strip_suffix("[bot]").unwrap_or(s);
    !core.is_empty()
        && core.len() <= 39
        && core
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && core
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_types() {
        assert_eq!(
            conventional_type("feat(parser)!: add x").as_deref(),
            Some("feat")
        );
        assert_eq!(conventional_type("Docs: tidy").as_deref(), Some("docs"));
        assert_eq!(conventional_type("fix: crash").as_deref(), Some("fix"));
        assert_eq!(
            conventional_type("chore(deps): bump x").as_deref(),
            Some("chore")
        );
        assert_eq!(conventional_type("Merge branch 'x'"), None);
        assert_eq!(conventional_type("http://x: y"), None);
        assert_eq!(conventional_type("fix:no space"), None);
        assert_eq!(conventional_type("area/sub: thing"), None);
    }

    #[test]
    fn reverts() {
        assert!(is_revert(
            "Revert \"Add x\"",
            "Revert \"Add x\"\n\nThis reverts commit 0123456789abcdef.\n"
        ));
        assert!(is_revert(
            "Undo the thing",
            "Undo\n\nThis reverts commit abcdef0.\n"
        ));
        assert!(is_revert("revert: add x", "revert: add x"));
        assert!(!is_revert(
            "Reverted behaviour docs",
            "Reverted behaviour docs"
        ));
        assert!(!is_revert("Add revert button", "Add revert button"));
    }

    #[test]
    fn bumps() {
        assert!(is_dependency_bump("Bump serde from 1.0.1 to 1.0.2"));
        assert!(is_dependency_bump(
            "build(deps): bump tokio from 1.2 to 1.3 in /server"
        ));
        assert!(is_dependency_bump(
            "chore(deps): update rust crate clap to v4.6"
        ));
        assert!(is_dependency_bump("Update Rust crate clap to v4.6"));
        assert!(is_dependency_bump(
            "fix(deps): update dependency react to v19"
        ));
        assert!(is_dependency_bump(
            "Update actions/checkout digest to abc1234"
        ));
        assert!(!is_dependency_bump("Bump version to 1.2"));
        assert!(!is_dependency_bump("Update docs"));
    }

    #[test]
    fn fixes_refs() {
        assert!(has_fixes_reference("x\n\nFixes: 1234567 (\"old\")\n"));
        assert!(has_fixes_reference("x\n\nThis fixes #12 for good.\n"));
        assert!(has_fixes_reference("x\n\nFixes owner/repo#12\n"));
        assert!(!has_fixes_reference("x\n\nFixes the layout.\n"));
    }

    #[test]
    fn squash_prs() {
        assert_eq!(squash_pr("Add thing (#45)"), Some(45));
        assert_eq!(squash_pr("Add thing (#45) "), Some(45));
        assert_eq!(squash_pr("Add (#45) thing"), None);
    }

    #[test]
    fn merge_styles() {
        assert_eq!(
            merge_style("Merge pull request #12 from alice/feature", ""),
            MergeStyle::GitHub {
                pr: 12,
                from: "alice/feature".into()
            }
        );
        assert_eq!(
            merge_style("Auto merge of #34 - carol:fix-x, r=maint,bob", ""),
            MergeStyle::Bors {
                pr: 34,
                author: "carol".into(),
                reviewers: vec!["maint".into(), "bob".into()]
            }
        );
        assert_eq!(
            merge_style(
                "auto merge of #220 : alice/cargo/fix-x, r=wycats, brson",
                ""
            ),
            MergeStyle::Bors {
                pr: 220,
                author: "alice".into(),
                reviewers: vec!["wycats".into(), "brson".into()]
            }
        );
        assert_eq!(
            merge_style("auto merge of #7 : bob/repo/branch, r=alice", "").pr(),
            Some(7)
        );
        assert_eq!(
            merge_style("auto merge of #7 : no slash here, r=alice", ""),
            MergeStyle::Plain
        );
        assert_eq!(
            merge_style("Rollup merge of #99 - a-b:c, r=x", "").pr(),
            Some(99)
        );
        assert_eq!(
            merge_style(
                "Merge branch 'f' into 'main'",
                "Merge branch 'f' into 'main'\n\nSee merge request grp/proj!7\n"
            ),
            MergeStyle::GitLab { mr: 7 }
        );
        assert_eq!(
            merge_style("Merge branch 'jc/topic'", ""),
            MergeStyle::Plain
        );
    }

    #[test]
    fn logins() {
        assert_eq!(split_logins("a, b,c and @d"), ["a", "b", "c", "d"]);
        assert!(is_login("dependabot[bot]"));
        assert!(!is_login("https://x"));
        assert!(!is_login(""));
    }
}
