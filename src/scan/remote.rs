//! The web address of a repository's `origin`, for links in reports: GitHub and GitLab remotes
//! in their https, ssh and scp-like forms. Credentials in a URL never reach a report.

/// A repository's home on a forge, as its `origin` gives it (the report's `remote` is made
/// from it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remote {
    /// `https://github.com/owner/repo` (no credentials, no `.git`).
    pub url: String,
    /// `github` or `gitlab`.
    pub forge: String,
}

/// The environment variable naming self-hosted forges: `KIND=HOST` pairs separated by commas
/// or spaces, e.g. `github=ghe.example.com,gitlab=git.example.org`.
pub const FORGE_HOSTS_ENV: &str = "GLUEWORK_FORGE_HOSTS";

/// The self-hosted forges the user named in [`FORGE_HOSTS_ENV`] (malformed pairs are skipped).
pub fn configured_hosts() -> Vec<(String, &'static str)> {
    let Ok(text) = std::env::var(FORGE_HOSTS_ENV) else {
        return Vec::new();
    };
    text.split([',', ' ', '\t', '\n'])
        .filter_map(|pair| {
            let (kind, host) = pair.trim().split_once('=')?;
            let kind = match kind.trim().to_ascii_lowercase().as_str() {
                "github" => "github",
                "gitlab" => "gitlab",
                _ => return None,
            };
            let host = host.trim().trim_end_matches('/').to_ascii_lowercase();
            (!host.is_empty()).then_some((host, kind))
        })
        .collect()
}

/// Which forge a host is: exactly `github.com` or `gitlab.com`, or a host the user named. A
/// name that merely starts or ends like one (`github.com.evil.example`, `gitlab.evil.example`)
/// is no forge: links in documents must never lead to a host the user did not choose.
fn forge_of_host(host: &str, configured: &[(String, &'static str)]) -> Option<&'static str> {
    match host {
        "github.com" => Some("github"),
        "gitlab.com" => Some("gitlab"),
        _ => configured
            .iter()
            .find(|(h, _)| h == host)
            .map(|&(_, kind)| kind),
    }
}

/// Turns a remote URL into the repository's web address, if it is on a known forge.
///
/// `https://github.com/o/r.git`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r` →
/// `https://github.com/o/r` (forge `github`); `gitlab.com` gives forge `gitlab`; other hosts
/// only when the user names them in `GLUEWORK_FORGE_HOSTS`.
pub fn web_remote(url: &str) -> Option<Remote> {
    let url = url.trim();
    let (host, path) = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("ssh://"))
        .or_else(|| url.strip_prefix("git://"))
    {
        let (authority, path) = rest.split_once('/')?;
        // Drop user:password@ and :port.
        let host = authority.rsplit('@').next()?;
        let host = host.split(':').next()?;
        (host.to_string(), path.to_string())
    } else {
        // scp-like: [user@]host:path
        let (left, path) = url.split_once(':')?;
        if left.contains('/') || path.starts_with("//") {
            return None;
        }
        let host = left.rsplit('@').next()?;
        (host.to_string(), path.to_string())
    };
    let host = host.to_ascii_lowercase();
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-']);
    if !host_ok {
        return None;
    }
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    let forge = forge_of_host(&host, &configured_hosts())?;
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let valid = |s: &&str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if parts.len() < 2 || (forge == "github" && parts.len() != 2) || !parts.iter().all(valid) {
        return None;
    }
    Some(Remote {
        url: format!("https://{host}/{}", parts.join("/")),
        forge: forge.to_string(),
    })
}

/// The host and path a remote URL or a forge's web address names, for matching one with the
/// other on any host (a self-hosted GitLab or GitHub Enterprise): lower case, without scheme,
/// credentials, port, `.git` or slashes at the ends. `git@code.example:g/p.git`,
/// `ssh://git@code.example:2222/g/p` and `http://code.example:8080/g/p/` all give
/// `code.example/g/p`. `None` for local paths and URLs with no path.
pub fn origin_key(url: &str) -> Option<String> {
    let url = url.trim();
    let (host, path) = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git"
        ) {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        // `[::1]:22`, `host:22`.
        let host = match host.strip_prefix('[') {
            Some(h) => h.split(']').next()?,
            None => host.split(':').next()?,
        };
        (host, path)
    } else {
        // scp-like: [user@]host:path
        let (left, path) = url.split_once(':')?;
        if left.contains('/') || path.starts_with("//") {
            return None;
        }
        (left.rsplit('@').next()?, path)
    };
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("{host}/{path}").to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web(u: &str) -> Option<(String, String)> {
        web_remote(u).map(|r| (r.url, r.forge))
    }

    #[test]
    fn forms() {
        let gh = Some((
            "https://github.com/rust-lang/cargo".to_string(),
            "github".to_string(),
        ));
        assert_eq!(web("https://github.com/rust-lang/cargo.git"), gh);
        assert_eq!(web("https://github.com/rust-lang/cargo"), gh);
        assert_eq!(web("git@github.com:rust-lang/cargo.git"), gh);
        assert_eq!(web("ssh://git@github.com/rust-lang/cargo.git"), gh);
        assert_eq!(web("ssh://git@github.com:22/rust-lang/cargo"), gh);
        assert_eq!(
            web("https://user:ghp_secret@github.com/rust-lang/cargo.git"),
            gh,
            "credentials dropped"
        );
        assert_eq!(
            web("git@gitlab.com:group/sub/project.git"),
            Some((
                "https://gitlab.com/group/sub/project".to_string(),
                "gitlab".to_string()
            ))
        );
        // Only the exact hosts: a look-alike is no forge, and gets no links.
        assert_eq!(web("https://gitlab.example.org/a/b"), None);
        assert_eq!(web("https://github.com.evil.example/o/r"), None);
        assert_eq!(web("git@gitlab.evil.example:o/r.git"), None);
        assert_eq!(web("https://github.example.com/o/r"), None);
        assert_eq!(web("https://evilgithub.com/o/r"), None);
        assert_eq!(web("https://git.example.org/a/b"), None);
        assert_eq!(web("/srv/git/project.git"), None);
        assert_eq!(web("file:///srv/git/project.git"), None);
        assert_eq!(web("https://github.com/only-owner"), None);
        assert_eq!(web("https://github.com/o/r\"><script>"), None);
        assert_eq!(web("https://github.x\"><script>/o/r"), None);
        assert_eq!(web("git@github.x<b>:o/r"), None);
    }

    #[test]
    fn hosts_the_user_names_are_forges() {
        let named = vec![
            ("gitlab.example.org".to_string(), "gitlab"),
            ("ghe.example.com".to_string(), "github"),
        ];
        assert_eq!(forge_of_host("gitlab.example.org", &named), Some("gitlab"));
        assert_eq!(forge_of_host("ghe.example.com", &named), Some("github"));
        assert_eq!(forge_of_host("gitlab.example.org.evil", &named), None);
        assert_eq!(forge_of_host("github.com", &[]), Some("github"));
        assert_eq!(forge_of_host("github.company.com", &[]), None);
    }

    #[test]
    fn origin_keys_match_a_forge_on_any_host() {
        let key = Some("code.example/g/sub/p".to_string());
        for url in [
            "git@code.example:g/sub/p.git",
            "ssh://git@code.example:2222/g/sub/p.git",
            "http://code.example:8080/g/sub/p/",
            "https://user:token@Code.Example/g/sub/p",
            "https://code.example/g/sub/p.git",
        ] {
            assert_eq!(origin_key(url), key, "{url}");
        }
        assert_eq!(
            origin_key("ssh://git@[::1]:22/o/r"),
            Some("::1/o/r".to_string())
        );
        assert_eq!(origin_key("/srv/git/p.git"), None);
        assert_eq!(origin_key("file:///srv/git/p.git"), None);
        assert_eq!(origin_key("https://code.example"), None);
        assert_eq!(origin_key("https://code.example/"), None);
    }
}
