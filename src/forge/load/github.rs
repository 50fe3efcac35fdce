//! A GitHub data folder (REST answers, as `gluework fetch` or `gh api` write them; docs/forge.md)
//! into [`Pull`]s: the pulls listing, then each pull's reviews, review comments, comments and commits.

use super::*;

/// A user: GitHub's API description also allows an empty object (`{}`: a commit by an
/// email no account claims) where it allows a user, and `null`.
#[derive(Deserialize)]
struct User {
    #[serde(default)]
    login: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

impl User {
    /// `None` for GitHub's placeholder for deleted accounts (`ghost`), and for an empty
    /// object.
    fn login(self) -> Option<Login> {
        let login = self.login.filter(|l| !l.is_empty())?;
        if login.eq_ignore_ascii_case("ghost") {
            return None;
        }
        let bot = self.kind.as_deref() == Some("Bot") || login.ends_with("[bot]");
        Some(Login { login, bot })
    }
}

fn login(u: Option<User>) -> Option<Login> {
    u.and_then(User::login)
}

#[derive(Deserialize)]
struct RawPull {
    number: u64,
    html_url: String,
    #[serde(default)]
    title: Option<String>,
    user: Option<User>,
    author_association: Option<String>,
    state: String,
    created_at: String,
    merged_at: Option<String>,
    merged_by: Option<User>,
    merge_commit_sha: Option<String>,
    head: Option<Head>,
}

#[derive(Deserialize)]
struct Head {
    sha: Option<String>,
}

#[derive(Deserialize)]
struct RawReview {
    user: Option<User>,
    state: String,
    /// Absent on pending reviews (which only their author can see).
    submitted_at: Option<String>,
}

#[derive(Deserialize)]
struct RawComment {
    user: Option<User>,
    created_at: String,
}

#[derive(Deserialize)]
struct RawCommit {
    sha: String,
    commit: GitCommit,
    author: Option<User>,
}

#[derive(Deserialize)]
struct GitCommit {
    author: Option<GitPerson>,
}

#[derive(Deserialize)]
struct GitPerson {
    name: Option<String>,
    email: Option<String>,
}

pub(super) fn load(dir: &Path) -> Result<Vec<Pull>, ForgeError> {
    let pulls_path = dir.join(layout::PULLS);
    let raw: Vec<RawPull> = read_items(&pulls_path)?;
    raw.into_iter().map(|r| pull(dir, &pulls_path, r)).collect()
}

fn pull(dir: &Path, pulls_path: &Path, r: RawPull) -> Result<Pull, ForgeError> {
    let n = r.number;
    let what = |field: &str| format!("pull request {n}: {field}");
    let merged_at = opt_time(pulls_path, &what("merged_at"), r.merged_at.as_deref())?;
    let state = match (merged_at, r.state.as_str()) {
        (Some(_), _) => PullState::Merged,
        (None, "open") => PullState::Open,
        (None, "closed") => PullState::Closed,
        (None, other) => {
            return Err(ForgeError::data(
                pulls_path,
                what(&format!("unknown state {other:?}")),
            ))
        }
    };
    let mut p = Pull {
        number: n,
        url: r.html_url,
        title: one_line(r.title.as_deref()),
        first_time: matches!(
            r.author_association.as_deref(),
            Some("FIRST_TIME_CONTRIBUTOR" | "FIRST_TIMER")
        ),
        author: login(r.user),
        state,
        created_at: time(pulls_path, &what("created_at"), &r.created_at)?,
        merged_at,
        merged_by: login(r.merged_by),
        merge_commit_sha: r.merge_commit_sha,
        squash_commit_sha: None,
        head_sha: r.head.and_then(|h| h.sha),
        reviews: Vec::new(),
        review_comments: Vec::new(),
        comments: Vec::new(),
        commits: Vec::new(),
    };

    let path = layout::pull_file(dir, n, "reviews");
    for (i, rv) in read_items::<RawReview>(&path)?.into_iter().enumerate() {
        let (Some(who), Some(at)) = (login(rv.user), rv.submitted_at) else {
            continue; // a deleted account, or a pending review
        };
        let state = match rv.state.as_str() {
            "APPROVED" => ReviewState::Approved,
            "CHANGES_REQUESTED" => ReviewState::ChangesRequested,
            "COMMENTED" => ReviewState::Commented,
            "DISMISSED" => ReviewState::Dismissed,
            "PENDING" => continue,
            other => {
                return Err(ForgeError::data(
                    &path,
                    format!("review {i}: unknown state {other:?}"),
                ))
            }
        };
        let at = time(&path, &format!("review {i}: submitted_at"), &at)?;
        p.reviews.push(Review { who, state, at });
    }
    p.review_comments = comments(&layout::pull_file(dir, n, "comments"))?;
    p.comments = comments(&layout::issue_comments(dir, n))?;

    let path = layout::pull_file(dir, n, "commits");
    for c in read_items::<RawCommit>(&path)? {
        let person = c.commit.author;
        let (name, email) = person
            .map(|a| (a.name.unwrap_or_default(), a.email.unwrap_or_default()))
            .unwrap_or_default();
        p.commits.push(PullCommit {
            sha: c.sha,
            login: c.author.and_then(User::login).map(|l| l.login),
            name,
            email,
        });
    }
    sort_events(&mut p);
    Ok(p)
}

fn comments(path: &Path) -> Result<Vec<Comment>, ForgeError> {
    let mut out = Vec::new();
    for (i, c) in read_items::<RawComment>(path)?.into_iter().enumerate() {
        if let Some(who) = login(c.user) {
            let at = time(path, &format!("comment {i}: created_at"), &c.created_at)?;
            out.push(Comment { who, at });
        }
    }
    Ok(out)
}
