//! Identities as written: a commit's or credit line's `Name <email>` ([`Ident`]), what a
//! GitHub noreply address proves, the `.mailmap` that rewrites identities as git does
//! ([`mailmap`]), and display names compared as people compare them ([`names`]).
//!
//! This is the vocabulary `classify` (whom a commit names, through the mailmap), `rules` (names
//! folded alike) and `identity` (who is who: joining identities into people) share; it uses
//! none of them, so the arrows between them point one way (docs/architecture.md).

pub mod mailmap;
pub mod names;

/// One identity as seen: a name and, where known, an email and a login.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Ident {
    pub name: String,
    pub email: Option<String>,
    pub login: Option<String>,
}

impl Ident {
    /// An identity from a signature (`Name <email>`), deriving the login from a noreply email.
    pub fn from_signature(name: &str, email: &str) -> Ident {
        let email = email.trim();
        Ident {
            name: name.trim().to_string(),
            login: noreply_login(email),
            email: (!email.is_empty()).then(|| email.to_string()),
        }
    }

    pub fn from_login(login: &str) -> Ident {
        Ident {
            name: login.to_string(),
            email: None,
            login: Some(login.to_string()),
        }
    }

    /// `Name <email>` or the name alone.
    pub fn display(&self) -> String {
        match &self.email {
            Some(e) => format!("{} <{}>", self.name, e),
            None => self.name.clone(),
        }
    }
}

/// The login in a GitHub noreply address: `12345+login@users.noreply.github.com` or
/// `login@users.noreply.github.com`.
pub fn noreply_login(email: &str) -> Option<String> {
    let lower = email.to_ascii_lowercase();
    let local = lower.strip_suffix("@users.noreply.github.com")?;
    let login = match local.split_once('+') {
        Some((id, login)) if id.bytes().all(|b| b.is_ascii_digit()) => login,
        _ => local,
    };
    (!login.is_empty()).then(|| login.to_string())
}

/// The numeric account id in a GitHub noreply address (`12345+login@users.noreply.github.com`):
/// it stays when the account is renamed.
pub fn noreply_id(email: &str) -> Option<String> {
    let lower = email.to_ascii_lowercase();
    let local = lower.strip_suffix("@users.noreply.github.com")?;
    let (id, login) = local.split_once('+')?;
    (!id.is_empty() && !login.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| id.to_string())
}

/// An identity as written in commits (`raw`) that .mailmap rewrote to `canonical`: a
/// repository's scan keeps one per distinct pair (a table per identity, not per commit), so
/// that a person's joins can name the addresses .mailmap joined (reason `mailmap`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Rewrite {
    pub canonical: Ident,
    pub raw: Ident,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noreply_logins() {
        assert_eq!(
            noreply_login("12345+Octo-Cat@users.noreply.github.com").as_deref(),
            Some("octo-cat")
        );
        assert_eq!(
            noreply_login("octocat@users.noreply.github.com").as_deref(),
            Some("octocat")
        );
        assert_eq!(
            noreply_login("49699333+dependabot[bot]@users.noreply.github.com").as_deref(),
            Some("dependabot[bot]")
        );
        assert_eq!(noreply_login("octocat@example.com"), None);
    }
}
