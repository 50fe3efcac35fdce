//! A GitLab data folder (REST answers, as `gluework fetch` or `glab api` write them; docs/forge.md)
//! into [`Pull`]s: the merge requests, then each one's approvals, notes and commits.

use super::*;

/// A user; a missing username (an object GitLab trimmed) is nobody.
#[derive(Deserialize)]
struct User {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    bot: Option<bool>,
}

impl User {
    /// `None` for GitLab's placeholder for deleted accounts (the Ghost User), and for a
    /// user without a username.
    fn login(self) -> Option<Login> {
        let username = self.username.filter(|u| !u.is_empty())?;
        if username == "ghost" && self.name.as_deref() == Some("Ghost User") {
            return None;
        }
        let bot = self.bot == Some(true) || is_token_bot(&username);
        Some(Login {
            login: username,
            bot,
        })
    }
}

/// Project and group access tokens act as bot users named `project_<id>_bot…` or
/// `group_<id>_bot…`.
fn is_token_bot(username: &str) -> bool {
    ["project_", "group_"].iter().any(|prefix| {
        username.strip_prefix(prefix).is_some_and(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with("_bot")
        })
    })
}

fn login(u: Option<User>) -> Option<Login> {
    u.and_then(User::login)
}

#[derive(Deserialize)]
struct RawMr {
    iid: u64,
    web_url: String,
    #[serde(default)]
    title: Option<String>,
    author: Option<User>,
    state: String,
    created_at: String,
    updated_at: Option<String>,
    merged_at: Option<String>,
    merged_by: Option<User>,
    merge_user: Option<User>,
    merge_commit_sha: Option<String>,
    squash_commit_sha: Option<String>,
    sha: Option<String>,
    first_contribution: Option<bool>,
}

#[derive(Deserialize)]
struct RawNote {
    author: Option<User>,
    created_at: String,
    #[serde(default)]
    system: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
    position: Option<IgnoredAny>,
    body: Option<String>,
}

#[derive(Deserialize)]
struct RawApprovals {
    #[serde(default)]
    approved_by: Vec<Approver>,
}

#[derive(Deserialize)]
struct Approver {
    user: Option<User>,
    approved_at: Option<String>,
}

#[derive(Deserialize)]
struct RawCommit {
    id: String,
    author_name: Option<String>,
    author_email: Option<String>,
}

pub(super) fn load(dir: &Path) -> Result<Vec<Pull>, ForgeError> {
    let mrs_path = dir.join(layout::MERGE_REQUESTS);
    let raw: Vec<RawMr> = read_items(&mrs_path)?;
    raw.into_iter().map(|r| mr(dir, &mrs_path, r)).collect()
}

fn mr(dir: &Path, mrs_path: &Path, r: RawMr) -> Result<Pull, ForgeError> {
    let n = r.iid;
    let what = |field: &str| format!("merge request {n}: {field}");
    let merged_at = opt_time(mrs_path, &what("merged_at"), r.merged_at.as_deref())?;
    let state = match r.state.as_str() {
        "merged" => PullState::Merged,
        // `locked`: being merged right now.
        "opened" | "locked" => PullState::Open,
        "closed" => PullState::Closed,
        other => {
            return Err(ForgeError::data(
                mrs_path,
                what(&format!("unknown state {other:?}")),
            ))
        }
    };
    let created_at = time(mrs_path, &what("created_at"), &r.created_at)?;
    let updated_at = opt_time(mrs_path, &what("updated_at"), r.updated_at.as_deref())?;
    let mut p = Pull {
        number: n,
        url: r.web_url,
        title: one_line(r.title.as_deref()),
        author: login(r.author),
        first_time: r.first_contribution == Some(true),
        state,
        created_at,
        merged_at,
        merged_by: login(r.merge_user.or(r.merged_by)),
        merge_commit_sha: r.merge_commit_sha,
        squash_commit_sha: r.squash_commit_sha,
        head_sha: r.sha,
        reviews: Vec::new(),
        review_comments: Vec::new(),
        comments: Vec::new(),
        commits: Vec::new(),
    };

    // Notes: system notes are GitLab's own event lines; an "approved this merge request"
    // note dates an approval whose approvals entry carries no time.
    let path = layout::mr_file(dir, n, "notes");
    let mut approved_notes: Vec<(String, i64)> = Vec::new();
    for (i, note) in read_items::<RawNote>(&path)?.into_iter().enumerate() {
        let at = time(&path, &format!("note {i}: created_at"), &note.created_at)?;
        let Some(who) = login(note.author) else {
            continue;
        };
        if note.system {
            if note.body.as_deref() == Some("approved this merge request") {
                approved_notes.push((who.login, at));
            }
            continue;
        }
        let diff = note.kind.as_deref() == Some("DiffNote") || note.position.is_some();
        let c = Comment { who, at };
        if diff {
            p.review_comments.push(c);
        } else {
            p.comments.push(c);
        }
    }

    let path = layout::mr_file(dir, n, "approvals");
    let approvals: RawApprovals = read_object(&path)?;
    for (i, a) in approvals.approved_by.into_iter().enumerate() {
        let Some(who) = login(a.user) else {
            continue;
        };
        let at = match a.approved_at {
            Some(t) => time(&path, &format!("approved_by {i}: approved_at"), &t)?,
            None => approved_notes
                .iter()
                .filter(|(l, _)| *l == who.login)
                .map(|&(_, t)| t)
                .max()
                .or(updated_at)
                .unwrap_or(created_at),
        };
        p.reviews.push(Review {
            who,
            state: ReviewState::Approved,
            at,
        });
    }

    let path = layout::mr_file(dir, n, "commits");
    for c in read_items::<RawCommit>(&path)? {
        p.commits.push(PullCommit {
            sha: c.id,
            login: None,
            name: c.author_name.unwrap_or_default(),
            email: c.author_email.unwrap_or_default(),
        });
    }
    sort_events(&mut p);
    Ok(p)
}

#[cfg(test)]
#[test]
fn token_bots() {
    assert!(is_token_bot("project_123_bot"));
    assert!(is_token_bot("project_123_bot_4f2a"));
    assert!(is_token_bot("group_9_bot_x"));
    assert!(!is_token_bot("project_bot"));
    assert!(!is_token_bot("projectx_1_bot"));
    assert!(!is_token_bot("maya"));
}
