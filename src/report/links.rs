//! Links to a repository's forge pages, built only from checked addresses: what the
//! documents (render) and the evidence of pull requests (aggregate) link to.

use crate::model::Remote;

/// Whether `s` looks like a (possibly abbreviated) commit id: 4 to 64 hexadecimal digits.
pub fn is_hex_id(s: &str) -> bool {
    (4..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A repository's home on GitHub or GitLab, checked so that links built from it can carry no
/// attacker text: `https://`, a host of lower-case letters, digits, dots and hyphens (an
/// optional port), and a path of at least two segments of letters, digits, `.`, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    base: String,
    gitlab: bool,
}

impl Forge {
    /// The forge of a repository's remote, or `None` (no remote, an unknown forge, or an
    /// address that fails the check: then items are shown as plain text).
    pub fn of(remote: Option<&Remote>) -> Option<Forge> {
        let remote = remote?;
        let gitlab = match remote.forge.as_str() {
            "github" => false,
            "gitlab" => true,
            _ => return None,
        };
        let rest = remote.url.strip_prefix("https://")?;
        let (authority, path) = rest.split_once('/')?;
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && !host.starts_with(['.', '-']);
        let port_ok = port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        let segments: Vec<&str> = path.split('/').collect();
        let path_ok = segments.len() >= 2
            && segments.iter().all(|s| {
                !s.is_empty()
                    && *s != "."
                    && *s != ".."
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            });
        if !(host_ok && port_ok && path_ok) {
            return None;
        }
        Some(Forge {
            base: remote.url.clone(),
            gitlab,
        })
    }

    /// The web address of the repository.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// The page of a commit; `None` unless `id` is hexadecimal.
    pub fn commit_url(&self, id: &str) -> Option<String> {
        if !is_hex_id(id) {
            return None;
        }
        let id = id.to_ascii_lowercase();
        Some(if self.gitlab {
            format!("{}/-/commit/{id}", self.base)
        } else {
            format!("{}/commit/{id}", self.base)
        })
    }

    /// The page of a pull request (GitHub) or merge request (GitLab).
    pub fn pr_url(&self, n: u64) -> String {
        if self.gitlab {
            format!("{}/-/merge_requests/{n}", self.base)
        } else {
            format!("{}/pull/{n}", self.base)
        }
    }

    /// How a pull or merge request number is written on this forge: `#12` or `!12`.
    pub fn pr_label(&self, n: u64) -> String {
        if self.gitlab {
            format!("!{n}")
        } else {
            format!("#{n}")
        }
    }
}
