//! What a merge commit is, from its subject: a real integration of someone's work (a pull or
//! merge request, a bors merge, a maintainer merging a topic branch) or a merge that moves
//! history about without anyone reviewing it (a pull of the same branch, a back-merge of the
//! main line into a feature branch, a release or tag merge). Pure functions of the text; the
//! shape of the history (a merge whose parents are the wrong way round) is judged in
//! `aggregate`.

use super::message::MergeStyle;
use regex::Regex;
use std::sync::LazyLock;

/// What a merge is, for credit: only `Integration` earns review or onboarding credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MergeKind {
    /// Someone's work merged in: a pull or merge request, a bors merge, a topic branch.
    Integration,
    /// A pull or sync: a branch merged into its own remote copy, the main line pulled in.
    Sync,
    /// The main line (or a release branch) merged into a feature branch.
    BackMerge,
    /// A release, tag, version or backport merge.
    Release,
}

impl MergeKind {
    /// The name used in evidence and documentation.
    pub fn name(self) -> &'static str {
        match self {
            MergeKind::Integration => "integration",
            MergeKind::Sync => "sync",
            MergeKind::BackMerge => "back-merge",
            MergeKind::Release => "release",
        }
    }
}

/// Names of main-line branches (compared with the last `/` component, any case).
const MAINLINE: &[&str] = &[
    "main",
    "master",
    "trunk",
    "develop",
    "development",
    "dev",
    "default",
];

/// Remote names whose branches are the project's own copies.
const OWN_REMOTES: &[&str] = &["origin", "upstream"];

/// A branch or tag name with quotes and `refs/heads/`-like prefixes removed.
fn clean(name: &str) -> &str {
    let n = name.trim().trim_matches(|c| matches!(c, '\'' | '"' | '`'));
    for prefix in [
        "refs/heads/",
        "refs/remotes/",
        "refs/tags/",
        "heads/",
        "remotes/",
    ] {
        if let Some(rest) = n.strip_prefix(prefix) {
            return rest;
        }
    }
    n
}

/// The last `/` component of a branch name (`origin/main` → `main`).
fn short(name: &str) -> &str {
    let n = clean(name);
    n.rsplit('/').next().unwrap_or(n)
}

/// A main-line branch: `main`, `master`, `trunk`, `develop` (also as `origin/main`).
pub fn is_mainline(name: &str) -> bool {
    let s = short(name);
    MAINLINE.iter().any(|m| s.eq_ignore_ascii_case(m))
}

static RELEASE_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[\w.-]+/)*(?:release|releases|rel|stable|maint|maintenance|lts|backport|backports|forward-port|forwardport)(?:[-_/.]?v?\d+(?:\.(?:\d+|x))*(?:-rc\d*)?)?$",
    )
    .unwrap()
});
static VERSION_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:[a-z][\w-]*?[-_])?v?\d+(?:\.(?:\d+|x))+(?:[-.+]?(?:rc|beta|alpha|pre|dev|post)\.?\d*)?|v\d+)$",
    )
    .unwrap()
});

/// A release, maintenance or version branch or tag: `release-2.x`, `release/1.2`, `maint`,
/// `maint-2.42`, `stable`, `tokio-1.52.x`, `proj-1.52.4`, `v2.1`, `backport-1.2`. A topic that
/// only mentions a version (`jc/maint-1.6.0-blank-at-eof`) is not one.
pub fn is_release_name(name: &str) -> bool {
    let n = clean(name);
    let n = match n.split_once('/') {
        Some((remote, rest)) if OWN_REMOTES.iter().any(|o| remote.eq_ignore_ascii_case(o)) => rest,
        _ => n,
    };
    RELEASE_BRANCH.is_match(n) || VERSION_NAME.is_match(n)
}

/// The parts of a merge subject: what was merged, from where, into what.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MergeSubject<'a> {
    /// The branch, tag or commit merged in (quotes removed).
    pub source: Option<&'a str>,
    /// A remote-tracking branch (`Merge remote-tracking branch 'origin/main'`).
    pub remote_tracking: bool,
    /// A tag (`Merge tag 'v2.1'`).
    pub tag: bool,
    /// The URL or path pulled from (`Merge branch 'x' of github.com:owner/repo`).
    pub url: Option<&'a str>,
    /// The branch merged into (`… into feature`), when the subject says.
    pub target: Option<&'a str>,
}

static MERGE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)^Merge\s+
        (?:(?P<kind>remote-tracking\s+branch|branch|tag|commit)\s+)?
        (?P<source>'[^']*'|`[^`]*`|"[^"]*"|[^\s'`"]+)
        (?:\s+\([^)]*\))?                       # (early part), (for #8101), (commit abc)
        (?:\s+of\s+(?P<url>\S+))?
        (?:\s+into\s+(?P<target>'[^']*'|`[^`]*`|"[^"]*"|[^\s'`"]+))?
        "#,
    )
    .unwrap()
});
static SYNC_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:sync|resync)\s+with\s+(\S+)").unwrap());
static MERGE_WITH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Merge\s+with\s+(\S+?)[.!]?$").unwrap());
static URLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z][a-z+]*://|[\w.-]+@[\w.-]+:|[\w.-]+\.[a-z]{2,}[:/])").unwrap()
});

/// Reads a plain merge subject: `Merge branch 'x' of URL into y`, `Merge remote-tracking
/// branch 'origin/x'`, `Merge tag 'v1'`, `Merge 'a' into 'b'`, `Merge URL`.
pub fn parse_subject(subject: &str) -> MergeSubject<'_> {
    let Some(c) = MERGE_SUBJECT.captures(subject) else {
        return MergeSubject::default();
    };
    let kind = c.name("kind").map(|m| m.as_str());
    let source = c.name("source").map(|m| clean(m.as_str()));
    // `Merge git://host/repo` and `Merge https://…`: a pull of another repository's head.
    let (source, url) = match (kind, source, c.name("url")) {
        (None, Some(s), None) if URLISH.is_match(s) => (None, Some(s)),
        (_, s, u) => (s, u.map(|m| m.as_str())),
    };
    MergeSubject {
        source,
        remote_tracking: kind.is_some_and(|k| k.starts_with("remote-tracking")),
        tag: kind == Some("tag"),
        url,
        target: c.name("target").map(|m| clean(m.as_str())),
    }
}

/// The owner and repository of a URL, without `.git`: `github.com:owner/repo.git` →
/// (`owner`, `repo`); `git://host/repo` → (`host`, `repo`).
pub fn url_owner_repo(url: &str) -> (&str, &str) {
    let u = url.trim_end_matches('/');
    let mut parts = u.rsplit(['/', ':']);
    let last = parts.next().unwrap_or(u);
    let owner = parts.next().unwrap_or("");
    (owner, last.strip_suffix(".git").unwrap_or(last))
}

/// What a merge is, from its style and subject. `own` is the scanned repository's owner and
/// name as its remote gives them (`https://github.com/owner/repo`), when known: pulling another
/// repository's or a fork's main line (gitk into git, a contributor's fork) is an integration,
/// pulling one's own is a sync. Without a known remote, a main line pulled from a URL is taken
/// as a sync.
pub fn merge_kind(style: &MergeStyle, subject: &str, own: Option<(&str, &str)>) -> MergeKind {
    match style {
        MergeStyle::Bors { .. } => return MergeKind::Integration,
        MergeStyle::GitHub { from, .. } => {
            // `owner/branch`: a pull request from a release branch is a release sync; from a
            // fork's `master` it is someone's work.
            let branch = from.split_once('/').map_or(from.as_str(), |(_, b)| b);
            return if is_release_name(branch) {
                MergeKind::Release
            } else {
                MergeKind::Integration
            };
        }
        MergeStyle::GitLab { .. } | MergeStyle::Plain => {}
    }
    if SYNC_SUBJECT.is_match(subject) {
        return MergeKind::Sync;
    }
    let parsed = match MERGE_WITH.captures(subject) {
        Some(c) => MergeSubject {
            source: c.get(1).map(|m| clean(m.as_str())),
            ..Default::default()
        },
        None => parse_subject(subject),
    };
    let Some(source) = parsed.source else {
        // `Merge URL` (another repository's head) or a subject that names nothing.
        return MergeKind::Integration;
    };
    if let Some(target) = parsed.target {
        if short(source).eq_ignore_ascii_case(short(target)) {
            // A branch merged into its own remote copy.
            return MergeKind::Sync;
        }
    }
    if parsed.tag || is_release_name(source) {
        return MergeKind::Release;
    }
    let own_remote = parsed.remote_tracking
        && source
            .split_once('/')
            .is_some_and(|(r, _)| OWN_REMOTES.iter().any(|o| r.eq_ignore_ascii_case(o)));
    if is_mainline(source) {
        // `cmr/master`, `xanxys/master`: the main branch of someone's fork.
        let foreign_remote = source.split_once('/').is_some_and(|(r, _)| {
            !OWN_REMOTES.iter().any(|o| r.eq_ignore_ascii_case(o))
                && !MAINLINE.iter().any(|m| r.eq_ignore_ascii_case(m))
        });
        if foreign_remote {
            return MergeKind::Integration;
        }
        if let Some(url) = parsed.url {
            let (owner, repo) = url_owner_repo(url);
            let elsewhere = own.is_some_and(|(o, r)| {
                !owner.eq_ignore_ascii_case(o) || !repo.eq_ignore_ascii_case(r)
            });
            // Another project's or a fork's main line (gitk's master into git), or a fork's
            // main line pulled into a topic branch (`… of github.com:alice/repo into pr-10`).
            if elsewhere || parsed.target.is_some_and(|t| !is_mainline(t)) {
                return MergeKind::Integration;
            }
            return MergeKind::Sync;
        }
        return if parsed.remote_tracking {
            MergeKind::Sync
        } else {
            MergeKind::BackMerge
        };
    }
    if own_remote && parsed.target.is_none() {
        // `Merge remote-tracking branch 'origin/feature'` on the feature branch itself.
        return MergeKind::Sync;
    }
    MergeKind::Integration
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(subject: &str) -> MergeKind {
        merge_kind(&MergeStyle::Plain, subject, None)
    }

    #[test]
    fn pulls_and_syncs() {
        use MergeKind::*;
        for s in [
            "Merge branch 'master' of github.com:owner/repo",
            "Merge branch 'main' of https://github.com/owner/repo",
            "Merge remote-tracking branch 'origin/main'",
            "Merge remote-tracking branch 'upstream/master' into master",
            "Merge branch 'feature' of github.com:me/repo into feature",
            "Merge remote-tracking branch 'origin/fix-x' into fix-x",
            "Merge remote-tracking branch 'origin/fix-x'",
            "Sync with maint",
            "Sync with Git 2.43.1",
        ] {
            assert_eq!(kind(s), Sync, "{s}");
        }
    }

    #[test]
    fn back_merges() {
        use MergeKind::*;
        for s in [
            "Merge branch 'main' into feature-x",
            "Merge branch 'master'",
            "Merge branch 'develop' into feature/login",
            "Merge with master.",
            "Merge 'trunk' into 'topic'",
        ] {
            assert_eq!(kind(s), BackMerge, "{s}");
        }
    }

    #[test]
    fn release_and_tag_merges() {
        use MergeKind::*;
        for s in [
            "Merge 'proj-1.52.4' into 'master'",
            "Merge 'tokio-1.52.4' into 'master' (#8290)",
            "Merge tokio-1.52.x (for #8101) into master (#8106)",
            "Merge tag 'v2.1'",
            "Merge tag 'l10n-2.43.0-rnd1' of git://github.com/git-l10n/git-po",
            "Merge branch 'release-2.x'",
            "Merge branch 'release/1.4' into main",
            "Merge branch 'maint'",
            "Merge branch 'maint-2.42' into maint",
            "Merge branch 'tokio-1.44.x' into forward-port-1.44.x",
            "Merge branch 'backport-123'",
            "Merge `tokio-1.43.4` into `tokio-1.47.x` (#7822)",
        ] {
            assert_eq!(kind(s), Release, "{s}");
        }
        assert_eq!(
            merge_kind(
                &MergeStyle::GitHub {
                    pr: 9,
                    from: "tokio-rs/tokio-1.2.x".into()
                },
                "Merge pull request #9 from tokio-rs/tokio-1.2.x",
                None
            ),
            Release
        );
    }

    #[test]
    fn integrations_stay() {
        use MergeKind::*;
        for s in [
            "Merge branch 'jc/topic'",
            "Merge branch 'jc/maint-1.6.0-blank-at-eof'",
            "Merge branch 'jc/topic' into next",
            "Merge branch 'feature-x' into main",
            "Merge branch 'for-junio' of git://bogomips.org/git-svn",
            "Merge git://git.kernel.org/pub/scm/gitk/gitk",
            "Merge remote-tracking branch 'alice/feature'",
            "Merge branch 'jk/fix' (early part)",
            "chore: bump to 0.85.0; update changelog (#14000)",
        ] {
            assert_eq!(kind(s), Integration, "{s}");
        }
        let github = MergeStyle::GitHub {
            pr: 5,
            from: "trtom/master".into(),
        };
        assert_eq!(
            merge_kind(&github, "Merge pull request #5 from trtom/master", None),
            Integration
        );
        let bors = MergeStyle::Bors {
            pr: 3,
            author: "a".into(),
            reviewers: vec!["b".into()],
        };
        assert_eq!(
            merge_kind(&bors, "Auto merge of #3 - a:release-1.2, r=b", None),
            Integration
        );
        // Another project's main line (gitk into git) is an integration when the scanned
        // repository's own name is known, a sync when it is the same project.
        let gitk = "Merge branch 'master' of https://github.com/j6t/gitk";
        assert_eq!(
            merge_kind(&MergeStyle::Plain, gitk, Some(("git", "git"))),
            Integration
        );
        assert_eq!(
            merge_kind(&MergeStyle::Plain, gitk, Some(("j6t", "gitk"))),
            Sync
        );
        assert_eq!(merge_kind(&MergeStyle::Plain, gitk, None), Sync);
        // A fork's main line: pulled into a topic branch, or named as a fork's remote.
        for s in [
            "Merge branch 'master' of https://github.com/marcbowes/cargo into pr-10",
            "Merge remote-tracking branch 'cmr/master'",
            "Merge commit 'xanxys/master' into fix-some-bugs",
        ] {
            assert_eq!(kind(s), Integration, "{s}");
        }
        let fork = "Merge branch 'master' of https://github.com/oberien/tokio";
        assert_eq!(
            merge_kind(&MergeStyle::Plain, fork, Some(("tokio-rs", "tokio"))),
            Integration
        );
    }

    #[test]
    fn release_names() {
        for n in [
            "release-2.x",
            "release/1.2",
            "maint",
            "stable",
            "v2.1",
            "v3",
            "proj-1.52.4",
            "1.52.x",
            "origin/release-1.0",
            "origin/tokio-1.38.x",
            "maint-2.42",
            "backport-1.2",
            "v1.0.0-rc1",
        ] {
            assert!(is_release_name(n), "{n}");
        }
        for n in [
            "main",
            "jc/topic",
            "feature/releaser",
            "fix-x",
            "maintainer-docs",
            "v8-engine",
            "jc/maint-1.6.0-blank-at-eof",
            "ab/fix-1.2-regression",
        ] {
            assert!(!is_release_name(n), "{n}");
        }
    }

    #[test]
    fn hostile_subjects_give_an_answer() {
        let long = format!(
            "Merge branch '{}' into '{}'",
            "a".repeat(1 << 20),
            "é".repeat(1 << 18)
        );
        for s in [
            "",
            "Merge",
            "Merge branch",
            "Merge branch '",
            "Merge branch ''",
            "Merge 'é' into ''",
            "Merge tag '' of",
            "Merge remote-tracking branch '/' into /",
            "Sync with",
            "Merge with .",
            "Merge \u{1b}[31m'main' into x",
            long.as_str(),
        ] {
            let _ = kind(s);
            let _ = merge_kind(&MergeStyle::Plain, s, Some(("", "")));
        }
        assert_eq!(kind(&long), MergeKind::Integration);
        for n in ["", "/", "origin/", "refs/heads/", "v", "é/é", "''"] {
            let _ = is_release_name(n);
            let _ = is_mainline(n);
        }
    }

    #[test]
    fn subjects_parse() {
        let p = parse_subject("Merge branch 'x' of github.com:o/r into y");
        assert_eq!(p.source, Some("x"));
        assert_eq!(p.url, Some("github.com:o/r"));
        assert_eq!(p.target, Some("y"));
        let p = parse_subject("Merge git://repo.or.cz/git-gui");
        assert_eq!(p.source, None);
        assert_eq!(p.url, Some("git://repo.or.cz/git-gui"));
        assert_eq!(parse_subject("Update x"), MergeSubject::default());
    }
}
