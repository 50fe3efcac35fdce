//! TEMPORARY stub: replaced by the git-exact implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Git,
    Lenient,
    Phabricator,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    pub key: String,
    pub value: String,
    pub source: Source,
}
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreditIdentity {
    pub name: Option<String>,
    pub email: Option<String>,
    pub login: Option<String>,
}
pub fn git_trailers(message: &str) -> Vec<Trailer> {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    last.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(|(k, v)| Trailer {
            key: k.into(),
            value: v.trim().into(),
        })
        .collect()
}
pub fn credit_lines(message: &str, _is_credit_key: &dyn Fn(&str) -> bool) -> Vec<CreditLine> {
    git_trailers(message)
        .into_iter()
        .map(|t| CreditLine {
            key: t.key,
            value: t.value,
            source: Source::Git,
        })
        .collect()
}
pub fn parse_identity(value: &str) -> Option<CreditIdentity> {
    let v = value.trim();
    if v.contains("://") || v.is_empty() {
        return None;
    }
    if let (Some(a), Some(b)) = (v.find('<'), v.find('>')) {
        let name = v[..a].trim();
        return Some(CreditIdentity {
            name: (!name.is_empty()).then(|| name.into()),
            email: Some(v[a + 1..b].into()),
            login: None,
        });
    }
    if !v.contains(' ') {
        return Some(CreditIdentity {
            login: Some(v.trim_start_matches('@').into()),
            ..Default::default()
        });
    }
    Some(CreditIdentity {
        name: Some(v.into()),
        ..Default::default()
    })
}
