//! Credit identities: the people a credit value names (name, email, GitHub
//! login), and the refusal of everything that is not clearly a person.

use std::borrow::Cow;

/// A person named by a credit value.  At least one field is `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditIdentity {
    pub name: Option<String>,
    pub email: Option<String>,
    /// A GitHub login, without the leading `@`.
    pub login: Option<String>,
}

/// Longest plausible person name, in words.  Longer values are sentences.
const MAX_NAME_WORDS: usize = 6;

/// Lower-case name particles that may start a word in a capitalised name
/// ("Ludwig van Beethoven", "Maria de la Cruz").
const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "el",
    "i", "la", "le", "of", "st.", "te", "ten", "ter", "van", "von", "y", "zu",
];

/// Interpret a credit value (`Name <email>`, `<email>`, `email`, `@login`,
/// `login`, `Jane Doe`) as a person.
///
/// Surrounding whitespace and quotes are stripped; trailing junk after the
/// first person is ignored (`Name <e> # note`, `Name <e> (cherry picked ..)`,
/// `Name <e> https://…`, `A <a@x>, B <b@x>`).  Returns `None` for anything
/// that is not clearly a person: empty values, URLs, conventional-commit-like
/// text (`feat: x`), sentences (more than six words), commit ids, issue
/// references, control characters, organisations and tools
/// (`Acme Inc`, `OSS-Fuzz`), and a `<` that is followed by no address.
///
/// Single bare ASCII tokens that fit GitHub's login alphabet are taken as
/// logins (`Alice` → login `Alice`); all-digit tokens and placeholders such
/// as `none`, `TBD`, `me` are refused.  Multi-word bare names must be
/// capitalised (`Jane Doe`, `Ludwig van Beethoven`) so that short prose such
/// as `fix the bug` is not mistaken for a person.
///
/// Slightly malformed addresses are recovered: `Name <email` (no `>`),
/// `name <at> domain` / `name [at] domain [dot] org`, and
/// `Name email@example.org`.  `X on github` (or `at github`) names the
/// GitHub login `X`; `X on hackerone` / `X on gitlab` name an account on that
/// service, which is not a GitHub login: it is kept as the name
/// `X on hackerone` so it never joins a GitHub account or a display name.
pub fn parse_identity(value: &str) -> Option<CreditIdentity> {
    let value = deobfuscate_at(value);
    parse_clean_identity(&value)
}

fn parse_clean_identity(value: &str) -> Option<CreditIdentity> {
    let value = strip_quotes(value);
    if value.is_empty() || value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    if looks_like_conventional_commit(value) {
        return None;
    }
    if let Some(service) = service_identity(value) {
        return service;
    }
    // `GitHub user 'octocat'`, `github user @octocat`.
    if let Some(rest) = value
        .get(..12)
        .filter(|p| p.eq_ignore_ascii_case("github user "))
        .map(|_| &value[12..])
    {
        let login = strip_quotes(cut_trailing_junk(rest));
        let login = login.strip_prefix('@').unwrap_or(login);
        return (is_login(login) && !is_placeholder(login)).then(|| CreditIdentity {
            login: Some(login.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if let Some(lt) = value.find('<') {
        // Whatever follows the address (a comment, a URL) is ignored; a URL
        // before it is not a name.
        if looks_like_url(&value[..lt]) {
            return None;
        }
        return parse_bracketed(value, lt);
    }
    if looks_like_url(value) {
        return None;
    }

    let first = strip_quotes(cut_trailing_junk(value));
    // `Jane Doe of Example Labs`: the person, without the organisation.
    let first = match first.split_once(" of ") {
        Some((who, org)) if is_organisation(org) && is_bare_name(who) => who,
        _ => first,
    };
    if first.is_empty()
        || is_issue_ref(first)
        || is_commit_id(first)
        || is_placeholder(first)
        || is_organisation(first)
    {
        return None;
    }
    if let Some(login) = first.strip_prefix('@') {
        return is_login(login).then(|| CreditIdentity {
            login: Some(login.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if first.contains('@') {
        if is_email(first) {
            return Some(identity_from_email(None, first));
        }
        // `Name email@example.org`: a name, then a bare address.
        let (name, email) = first.rsplit_once(char::is_whitespace)?;
        let name = strip_quotes(name);
        return (is_email(email) && (is_bare_name(name) || is_login(name)))
            .then(|| identity_from_email(Some(name), email));
    }
    if is_login(first) {
        return Some(CreditIdentity {
            login: Some(first.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if is_bare_name(first) || is_handle(first) {
        return Some(CreditIdentity {
            name: Some(first.to_owned()),
            ..CreditIdentity::default()
        });
    }
    None
}

/// A nickname that cannot be a GitHub login because it has an underscore
/// (`byte_bucket`, `z2_`): `[A-Za-z0-9_-]{2,39}` with a letter and a `_`.
/// Kept as a name, so it never joins a GitHub login.
fn is_handle(s: &str) -> bool {
    (2..=39).contains(&s.len())
        && s.contains('_')
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The services whose accounts a credit value may name (`X on github`),
/// lower case; only `github` accounts are GitHub logins.
const SERVICES: &[&str] = &["github", "gitlab", "hackerone"];

/// `X on github`, `X at github`, `@X on GitHub`, `X on HackerOne/curl`,
/// `X at hackerone`, `X on gitlab` (not `at GitLab`: an employer):
/// `Some(answer)` if the value names an account on a known service,
/// `None` if it does not have that shape.
///
/// On GitHub, `X` is the login (a value that is not a valid login, such as
/// `Jane Doe on github`, is read as the display name `Jane Doe`).  On other
/// services the account is not a GitHub login, so it becomes the name
/// `X on <service>` (service in lower case).
fn service_identity(value: &str) -> Option<Option<CreditIdentity>> {
    let value = cut_trailing_junk(value);
    let (head, service) = value.rsplit_once(char::is_whitespace)?;
    let (who, on) = head.trim_end().rsplit_once(char::is_whitespace)?;
    let service = service
        .split(['/', '.'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let service = SERVICES.iter().find(|s| **s == service)?;
    // `Brian at GitLab` is where Brian works; `x at github` and
    // `x at hackerone` are curl's old spelling of `on`.
    let at = on.eq_ignore_ascii_case("at") && *service != "gitlab";
    if !(on.eq_ignore_ascii_case("on") || at) {
        return None;
    }
    let who = strip_quotes(who);
    let who = who.strip_prefix('@').unwrap_or(who);
    if who.is_empty() || is_placeholder(who) || is_organisation(who) {
        return Some(None);
    }
    let answer = if *service == "github" {
        if is_login(who) {
            Some(CreditIdentity {
                login: Some(who.to_owned()),
                ..CreditIdentity::default()
            })
        } else {
            is_bare_name(who).then(|| CreditIdentity {
                name: Some(who.to_owned()),
                ..CreditIdentity::default()
            })
        }
    } else {
        let account = who.len() <= 64
            && who.bytes().any(|b| b.is_ascii_alphanumeric())
            && who
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        (account || is_bare_name(who)).then(|| CreditIdentity {
            name: Some(format!("{who} on {service}")),
            ..CreditIdentity::default()
        })
    };
    Some(answer)
}

/// `name <at> example <dot> org`, `name [at] example.org`, `name (at) …`:
/// the spelled-out `@` and `.` (with the blanks around them) become the
/// characters.  Linear; borrows when there is nothing to replace.
fn deobfuscate_at(value: &str) -> Cow<'_, str> {
    const WORDS: [(&str, char); 2] = [("at", '@'), ("dot", '.')];
    let bytes = value.as_bytes();
    let spelled_at = |i: usize| -> Option<(usize, char)> {
        let close = match bytes[i] {
            b'<' => b'>',
            b'[' => b']',
            b'(' => b')',
            b'{' => b'}',
            _ => return None,
        };
        WORDS.iter().find_map(|&(word, c)| {
            let end = i + 1 + word.len();
            (bytes.get(end) == Some(&close)
                && value
                    .get(i + 1..end)
                    .is_some_and(|w| w.eq_ignore_ascii_case(word)))
            .then_some((end + 1, c))
        })
    };
    if !(0..bytes.len()).any(|i| spelled_at(i).is_some()) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match spelled_at(i) {
            Some((end, c)) => {
                out.push_str(&value[copied..i]);
                out.truncate(out.trim_end_matches([' ', '\t']).len());
                out.push(c);
                i = end;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&value[copied..]);
    Cow::Owned(out)
}

/// Words that make a name an organisation's (matched as whole words,
/// ignoring case): `Acme Inc`, `Example Security Team`, `Aisle Research`.
const ORGANISATION_WORDS: &[&str] = &[
    "co.",
    "company",
    "corp",
    "corp.",
    "corporation",
    "foundation",
    "gmbh",
    "group",
    "inc",
    "inc.",
    "institute",
    "lab",
    "labs",
    "llc",
    "ltd",
    "ltd.",
    "project",
    "research",
    "security",
    "team",
    "university",
];

/// Organisations and tools that appear in credit lines and are never a
/// person (compared ignoring case, whole value).
const NOT_PEOPLE: &[&str] = &[
    "clusterfuzz",
    "codeql",
    "coverity",
    "coverity scan",
    "cure53",
    "google oss-fuzz",
    "lgtm",
    "monocleai",
    "oss-fuzz",
    "ossfuzz",
    "syzbot",
    "testclutch",
    "trail of bits",
    "zeropath",
];

/// An organisation or a tool rather than a person (see
/// [`ORGANISATION_WORDS`], [`NOT_PEOPLE`]).
fn is_organisation(name: &str) -> bool {
    let name = name.strip_prefix('@').unwrap_or(name);
    NOT_PEOPLE.iter().any(|n| n.eq_ignore_ascii_case(name))
        || (!word_count_exceeds(name, MAX_NAME_WORDS)
            && name.split_whitespace().any(|w| {
                ORGANISATION_WORDS
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(w.trim_end_matches(',')))
            }))
}

/// `Name <email> ...`: `lt` is the offset of the first `<`.  A missing `>`
/// is tolerated when an address follows the `<` (`Name <email`).
fn parse_bracketed(value: &str, lt: usize) -> Option<CreditIdentity> {
    let after = &value[lt + 1..];
    let email = match after.find('>') {
        Some(gt) => after[..gt].trim(),
        None => after.split_whitespace().next()?,
    };
    if !is_email(email) {
        return None;
    }
    let name = strip_quotes(&value[..lt]);
    if name.contains('>') || word_count_exceeds(name, MAX_NAME_WORDS) {
        return None;
    }
    if is_issue_ref(name) || is_commit_id(name) || is_organisation(name) {
        return None;
    }
    // `user@host <user@host>` is common in old history: the name carries no
    // information.
    let name = (!name.is_empty() && !name.contains('@')).then_some(name);
    Some(identity_from_email(name, email))
}

fn identity_from_email(name: Option<&str>, email: &str) -> CreditIdentity {
    CreditIdentity {
        name: name.map(str::to_owned),
        email: Some(email.to_owned()),
        login: github_noreply_login(email).map(str::to_owned),
    }
}

/// `12345+login@users.noreply.github.com` or `login@users.noreply.github.com`
/// → `login`.
fn github_noreply_login(email: &str) -> Option<&str> {
    let (local, domain) = email.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case("users.noreply.github.com") {
        return None;
    }
    let login = match local.split_once('+') {
        Some((id, login)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => login,
        Some(_) => return None,
        None => local,
    };
    is_login(login).then_some(login)
}

/// Strip surrounding whitespace and matching pairs of quotes, repeatedly.
fn strip_quotes(s: &str) -> &str {
    const PAIRS: [(char, char); 6] = [
        ('"', '"'),
        ('\'', '\''),
        ('`', '`'),
        ('\u{201c}', '\u{201d}'),
        ('\u{2018}', '\u{2019}'),
        ('\u{ab}', '\u{bb}'),
    ];
    let mut s = s.trim();
    loop {
        let stripped = PAIRS.iter().find_map(|&(open, close)| {
            s.strip_prefix(open)
                .and_then(|rest| rest.strip_suffix(close))
        });
        match stripped {
            Some(inner) => s = inner.trim(),
            None => return s,
        }
    }
}

/// Cut a bare value at the first list separator or comment-ish suffix:
/// `alice, bob` → `alice`, `Jane Doe (she/her)` → `Jane Doe`,
/// `jane # note` → `jane`.
fn cut_trailing_junk(s: &str) -> &str {
    let mut cut = s.len();
    for pat in [",", ";", " #", "\t#", " (", "\t("] {
        if let Some(i) = s.find(pat) {
            cut = cut.min(i);
        }
    }
    s[..cut].trim()
}

fn looks_like_url(s: &str) -> bool {
    let lower_prefix = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    s.contains("://") || lower_prefix("http:") || lower_prefix("https:") || lower_prefix("www.")
}

/// `type: ...`, `type(scope): ...`, `type!: ...`.
fn looks_like_conventional_commit(s: &str) -> bool {
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if word_len == 0 {
        return false;
    }
    let mut rest = &s[word_len..];
    if let Some(scoped) = rest.strip_prefix('(') {
        match scoped.find(')') {
            Some(close) => rest = &scoped[close + 1..],
            None => return false,
        }
    }
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    rest.starts_with(':')
}

/// `#12`, `GH-12`, `owner/repo#12`.
pub(super) fn is_issue_ref(s: &str) -> bool {
    let all_digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = s.strip_prefix('#') {
        return all_digits(n);
    }
    if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("gh-")) {
        return all_digits(&s[3..]);
    }
    match s.split_once('#') {
        Some((repo, n)) => {
            repo.contains('/') && !repo.contains(char::is_whitespace) && all_digits(n)
        }
        None => false,
    }
}

/// Words people write instead of a person (`Reviewed-by: none`).  Real
/// GitHub accounts with these names exist, but in a credit value the
/// placeholder meaning is far more likely.
fn is_placeholder(s: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "all",
        "anonymous",
        "everyone",
        "me",
        "myself",
        "n/a",
        "na",
        "nil",
        "no",
        "nobody",
        "none",
        "noone",
        "null",
        "same",
        "self",
        "tbd",
        "thanks",
        "todo",
        "unknown",
        "various",
        "yes",
    ];
    let s = s.strip_prefix('@').unwrap_or(s);
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(s))
}

/// `[0-9a-f]{7,40}`.
pub(super) fn is_commit_id(s: &str) -> bool {
    (7..=40).contains(&s.len()) && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// GitHub login: `[A-Za-z0-9-]{1,39}`, starting with an alphanumeric,
/// optionally followed by `[bot]`; all-digit tokens are refused.
fn is_login(s: &str) -> bool {
    let core = s.strip_suffix("[bot]").unwrap_or(s);
    (1..=39).contains(&core.len())
        && core.as_bytes()[0].is_ascii_alphanumeric()
        && core.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !core.bytes().all(|b| b.is_ascii_digit())
}

/// A plain `local@domain`: no whitespace, brackets, commas or quotes; one
/// `@`; non-empty parts; the domain does not start or end with a dot.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let clean = |p: &str| {
        !p.is_empty()
            && !p
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"'()@".contains(c))
    };
    clean(local) && clean(domain) && !domain.starts_with('.') && !domain.ends_with('.')
}

/// `true` if `s` has more than `max` whitespace-separated words (stops
/// counting early, so it is cheap on huge inputs).
pub(super) fn word_count_exceeds(s: &str, max: usize) -> bool {
    s.split_whitespace().nth(max).is_some()
}

/// Characters allowed in a bare name besides letters.
fn is_name_punctuation(c: char) -> bool {
    matches!(c, '.' | '\'' | '-' | '\u{2019}' | '\u{2010}' | '\u{2011}')
}

/// Combining marks and joiners that appear inside names written in many
/// scripts but are not `Alphabetic` in Unicode.
fn is_name_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05c7}'
        | '\u{0610}'..='\u{061a}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0900}'..='\u{0dff}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{200c}'..='\u{200d}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{3099}'..='\u{309a}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// A bare human name: 1..=6 words of letters (any script), `.`, `'`, `-`;
/// every word contains a letter; a word starting with a lower-case letter
/// must be a particle (`van`, `de`) or contain an upper-case letter
/// (`d'Artagnan`).
fn is_bare_name(s: &str) -> bool {
    if word_count_exceeds(s, MAX_NAME_WORDS) {
        return false;
    }
    let mut words = 0;
    for word in s.split_whitespace() {
        words += 1;
        let chars_ok = word
            .chars()
            .all(|c| c.is_alphabetic() || is_name_punctuation(c) || is_name_mark(c));
        let Some(first_letter) = word.chars().find(|c| c.is_alphabetic()) else {
            return false;
        };
        if !chars_ok {
            return false;
        }
        if first_letter.is_lowercase()
            && !word.chars().any(char::is_uppercase)
            && !NAME_PARTICLES.contains(&word.to_lowercase().as_str())
        {
            return false;
        }
    }
    words > 0
}

/// Split a people list (`"a, b"`, `"a,b"`, `"A <a@x>; B <b@x>"`) on commas
/// and semicolons that are not inside `<...>` or `"..."`.  Items are trimmed;
/// empty items are dropped.
pub fn split_people(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_angle = false;
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quote => in_angle = true,
            '>' if !in_quote => in_angle = false,
            '"' if !in_angle => in_quote = !in_quote,
            ',' | ';' if !in_angle && !in_quote => {
                push_trimmed(&mut out, &value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_trimmed(&mut out, &value[start..]);
    out
}

/// Every person a credit value names: `Daniel Stenberg and Marcel Raad`,
/// `A, B`, `A <a@x>; B <b@x>`, `A & B` are two people each; items that are
/// not people (see [`parse_identity`]) are skipped.
///
/// The list separators are `,`, `;`, ` and ` and ` & ` outside `<…>`,
/// `"…"` and `(…)`.  A comma is read as a list separator, with one
/// exception: `Doe, Jane <jane@example.org>` (exactly two items, a single
/// word, then a single-word name with an address) is one person, written
/// last name first.  Without an address, `Doe, Jane` cannot be told from two
/// logins and is read as two.  Linear in the value's length.
pub fn parse_people(value: &str) -> Vec<CreditIdentity> {
    let value = deobfuscate_at(value);
    let (items, commas_only) = split_list(&value);
    let last_first = commas_only
        && items.len() == 2
        && !items[0].contains([' ', '\t', '@', '<'])
        && items[1].split_once('<').is_some_and(|(name, _)| {
            let name = cut_trailing_junk(name);
            !name.is_empty() && !name.contains(char::is_whitespace)
        });
    if last_first {
        return parse_clean_identity(&value).into_iter().collect();
    }
    // `Ann Lee and Bob Okafor <ann@x.org>`: whose address is it?  Only the
    // address is credited.
    if !commas_only
        && items.iter().any(|i| i.contains('<'))
        && items.iter().any(|i| !i.contains('<'))
    {
        return parse_clean_identity(&value)
            .map(|p| CreditIdentity { name: None, ..p })
            .into_iter()
            .collect();
    }
    items.into_iter().filter_map(parse_clean_identity).collect()
}

/// [`split_people`] that also splits on ` and ` and ` & ` (whole words,
/// any case) and keeps `(…)` together; the flag is true if every split was
/// at a comma.
fn split_list(value: &str) -> (Vec<&str>, bool) {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut in_angle = false;
    let mut in_quote = false;
    let mut parens = 0usize;
    let mut commas_only = true;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let top = !in_angle && !in_quote && parens == 0;
        match bytes[i] {
            b'<' if !in_quote => in_angle = true,
            b'>' if !in_quote => in_angle = false,
            b'"' if !in_angle => in_quote = !in_quote,
            b'(' if !in_angle && !in_quote => parens += 1,
            b')' if !in_angle && !in_quote => parens = parens.saturating_sub(1),
            b',' | b';' if top => {
                commas_only &= bytes[i] == b',';
                push_trimmed(&mut out, &value[start..i]);
                start = i + 1;
            }
            b' ' | b'\t' if top => {
                let word = [" and ", " & "].iter().find(|w| {
                    value
                        .get(i + 1..i + w.len())
                        .is_some_and(|rest| rest.eq_ignore_ascii_case(&w[1..]))
                });
                if let Some(w) = word {
                    commas_only = false;
                    push_trimmed(&mut out, &value[start..i]);
                    start = i + w.len() - 1;
                    i = start;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    push_trimmed(&mut out, &value[start..]);
    (out, commas_only)
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, item: &'a str) {
    let item = item.trim();
    if !item.is_empty() {
        out.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: Option<&str>, email: Option<&str>, login: Option<&str>) -> Option<CreditIdentity> {
        Some(CreditIdentity {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
            login: login.map(str::to_owned),
        })
    }

    #[test]
    fn identity_forms() {
        assert_eq!(
            parse_identity("Jane Doe <jane@example.com>"),
            id(Some("Jane Doe"), Some("jane@example.com"), None)
        );
        assert_eq!(
            parse_identity("<jane@x.org>"),
            id(None, Some("jane@x.org"), None)
        );
        assert_eq!(
            parse_identity("jane@x.org"),
            id(None, Some("jane@x.org"), None)
        );
        assert_eq!(parse_identity("@octocat"), id(None, None, Some("octocat")));
        assert_eq!(parse_identity("octo-cat"), id(None, None, Some("octo-cat")));
        assert_eq!(
            parse_identity("dependabot[bot]"),
            id(None, None, Some("dependabot[bot]"))
        );
        assert_eq!(parse_identity("Jane Doe"), id(Some("Jane Doe"), None, None));
        assert_eq!(
            parse_identity("Zoë O'Brien-Łukasiewicz"),
            id(Some("Zoë O'Brien-Łukasiewicz"), None, None)
        );
        assert_eq!(parse_identity("李小龙"), id(Some("李小龙"), None, None));
        assert_eq!(
            parse_identity("Ludwig van Beethoven"),
            id(Some("Ludwig van Beethoven"), None, None)
        );
        assert_eq!(
            parse_identity("Melroy van den Berg"),
            id(Some("Melroy van den Berg"), None, None)
        );
        assert_eq!(
            parse_identity("Pau Garcia i Quiles"),
            id(Some("Pau Garcia i Quiles"), None, None)
        );
        assert_eq!(
            parse_identity("J. R. R. Tolkien"),
            id(Some("J. R. R. Tolkien"), None, None)
        );
        assert_eq!(
            parse_identity("Jane\tDoe"),
            id(Some("Jane\tDoe"), None, None)
        );
        assert_eq!(
            parse_identity("Иван Иванов"),
            id(Some("Иван Иванов"), None, None)
        );
        // Combining marks (Devanagari vowel sign U+0941).
        assert_eq!(parse_identity("राम कुमार"), id(Some("राम कुमार"), None, None));
        assert_eq!(
            parse_identity("Doe, Jane <j@x.io>"),
            id(Some("Doe, Jane"), Some("j@x.io"), None)
        );
        // `user@host <user@host>`: the name adds nothing.
        assert_eq!(
            parse_identity("foo@bar <foo@bar>"),
            id(None, Some("foo@bar"), None)
        );
    }

    #[test]
    fn identity_trailing_junk_and_quotes() {
        let jane = id(Some("Jane"), Some("j@x.io"), None);
        assert_eq!(parse_identity("Jane <j@x.io> # comment"), jane);
        assert_eq!(parse_identity("Jane <j@x.io> (cherry picked from x)"), jane);
        assert_eq!(parse_identity("Jane <j@x.io>, Other <o@x.io>"), jane);
        assert_eq!(parse_identity("  \"Jane\" <j@x.io>  "), jane);
        assert_eq!(
            parse_identity("'Jane Doe'"),
            id(Some("Jane Doe"), None, None)
        );
        assert_eq!(parse_identity("alice, bob"), id(None, None, Some("alice")));
        assert_eq!(
            parse_identity("@alice (thanks!)"),
            id(None, None, Some("alice"))
        );
    }

    #[test]
    fn identity_github_noreply() {
        assert_eq!(
            parse_identity("Octo <583231+octocat@users.noreply.github.com>"),
            id(
                Some("Octo"),
                Some("583231+octocat@users.noreply.github.com"),
                Some("octocat")
            )
        );
        assert_eq!(
            parse_identity("octocat@users.noreply.github.com"),
            id(
                None,
                Some("octocat@users.noreply.github.com"),
                Some("octocat")
            )
        );
        assert_eq!(
            parse_identity("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"),
            id(
                Some("dependabot[bot]"),
                Some("49699333+dependabot[bot]@users.noreply.github.com"),
                Some("dependabot[bot]")
            )
        );
        // Not a valid login after the '+': email only.
        assert_eq!(
            parse_identity("a+b+c@users.noreply.github.com"),
            id(None, Some("a+b+c@users.noreply.github.com"), None)
        );
    }

    #[test]
    fn identity_rejections() {
        for v in [
            "",
            "   ",
            "\"\"",
            "https://github.com/x/y/pull/1",
            "http://example.com",
            "www.example.com",
            "see ftp://x",
            "feat: add x",
            "fix(parser)!: handle y",
            "this is a sentence that is clearly not a name",
            "Jane <not an email>",
            "Jane <>",
            "a1b2c3d",
            "0123456789abcdef0123456789abcdef01234567",
            "#12",
            "GH-12",
            "gh-7",
            "rust-lang/rust#123",
            "12",
            "fix the bug",
            "-leading-hyphen",
            "a\0b",
            "Jane\u{7}Doe",
            "x@",
            "@",
            "@@",
            "foo@bar@baz",
            "Ünïcödé@@",
            "None",
            "n/a",
            "TBD",
            "@nobody",
            "jane doe",
            "Bob 2",
            "craig.topper",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?} must not be a person");
        }
    }

    #[test]
    fn identity_on_a_service() {
        assert_eq!(
            parse_identity("sdgh179 on github"),
            id(None, None, Some("sdgh179"))
        );
        assert_eq!(
            parse_identity("@Octo-Cat on GitHub"),
            id(None, None, Some("Octo-Cat"))
        );
        assert_eq!(
            parse_identity("eaglegai at github"),
            id(None, None, Some("eaglegai"))
        );
        assert_eq!(
            parse_identity("Kartatz on Github."),
            id(None, None, Some("Kartatz"))
        );
        // Not a login: the display name someone uses on GitHub.
        assert_eq!(
            parse_identity("Dan Fandrich on github"),
            id(Some("Dan Fandrich"), None, None)
        );
        // Other services' accounts are not GitHub logins.
        assert_eq!(
            parse_identity("accl on hackerone"),
            id(Some("accl on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("nevv on HackerOne/curl"),
            id(Some("nevv on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("jo_x.y on GitLab"),
            id(Some("jo_x.y on gitlab"), None, None)
        );
        // `at GitLab` is an employer, not an account.
        assert_eq!(parse_identity("Brian at GitLab"), None);
        assert_eq!(
            parse_identity("pendrek at hackerone"),
            id(Some("pendrek on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("GitHub user 'kreshano'"),
            id(None, None, Some("kreshano"))
        );
        assert_eq!(
            parse_identity("Github user @jakirkham"),
            id(None, None, Some("jakirkham"))
        );
        // Nicknames with `_` are not GitHub logins: names of their own.
        assert_eq!(
            parse_identity("byte_bucket"),
            id(Some("byte_bucket"), None, None)
        );
        assert_eq!(parse_identity("z2_"), id(Some("z2_"), None, None));
        assert_eq!(parse_identity("_"), None);
        assert_eq!(parse_identity("none on github"), None);
        assert_eq!(parse_identity("the team on github"), None);
        assert_eq!(parse_identity("on github"), None);
        assert_eq!(parse_identity("product-security at Apple"), None);
        assert_eq!(parse_identity("Jane at Google"), None);
    }

    #[test]
    fn identity_malformed_addresses_recovered() {
        let jane = id(Some("Jane Doe"), Some("jane@example.org"), None);
        for v in [
            "Jane Doe <jane@example.org",
            "Jane Doe < jane@example.org",
            "Jane Doe <jane@example.org (Windows)",
            "Jane Doe <jane <at> example.org>",
            "Jane Doe <jane [at] example [dot] org>",
            "Jane Doe jane@example.org",
            "Jane Doe <jane@example.org> (Windows)",
            "Jane Doe <jane@example.org> http://example.org/jane",
            "\"Jane Doe\" jane@example.org",
        ] {
            assert_eq!(parse_identity(v), jane, "{v:?}");
        }
        assert_eq!(
            parse_identity("jane <AT> example.org"),
            id(None, Some("jane@example.org"), None)
        );
        assert_eq!(
            parse_identity("bjt3[at]hotmail.com"),
            id(None, Some("bjt3@hotmail.com"), None)
        );
        for v in [
            "Jane <not an email",
            "see http://x <j@x.io>",
            "jane doe jane@example.org",
            "fix it jane@example.org",
            "Jane <at>",
            "<at><at>",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?}");
        }
    }

    #[test]
    fn organisations_and_tools_are_not_people() {
        for v in [
            "Trail of Bits",
            "Acme Inc",
            "Acme Inc.",
            "Example Security Team",
            "Aisle Research",
            "OSS-Fuzz",
            "Google OSS-Fuzz",
            "Coverity",
            "Cure53",
            "MonocleAI",
            "Acme Corp <security@acme.example>",
            "security team on hackerone",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?}");
            assert!(parse_people(v).is_empty(), "{v:?}");
        }
        // The affiliation in parentheses or after `of` is cut off, the person stays.
        assert_eq!(
            parse_identity("Joern Schneeweisz of Recurity Labs"),
            id(Some("Joern Schneeweisz"), None, None)
        );
        assert_eq!(parse_identity("University of Oslo"), None);
        assert_eq!(
            parse_identity("Stanislav Fort (Aisle Research)"),
            id(Some("Stanislav Fort"), None, None)
        );
    }

    #[test]
    fn several_people_on_one_line() {
        let names = |v: &str| -> Vec<String> {
            parse_people(v)
                .into_iter()
                .map(|p| {
                    p.name
                        .or(p.email)
                        .or(p.login.map(|l| format!("@{l}")))
                        .unwrap()
                })
                .collect()
        };
        assert_eq!(
            names("Daniel Stenberg and Marcel Raad"),
            ["Daniel Stenberg", "Marcel Raad"]
        );
        assert_eq!(
            names("Jay Satiro, Daniel Stenberg"),
            ["Jay Satiro", "Daniel Stenberg"]
        );
        assert_eq!(
            names("Max Dymond, Marcel Raad, Daniel Stenberg, Gisle Vanem"),
            [
                "Max Dymond",
                "Marcel Raad",
                "Daniel Stenberg",
                "Gisle Vanem"
            ]
        );
        assert_eq!(
            names("Jay Satiro & Marcel Raad"),
            ["Jay Satiro", "Marcel Raad"]
        );
        assert_eq!(names("Ann Lee AND Bob"), ["Ann Lee", "@Bob"]);
        assert_eq!(
            names("Tom van der Woerdt and Kunal Ekawde"),
            ["Tom van der Woerdt", "Kunal Ekawde"]
        );
        assert_eq!(
            names("@greafhe, Jay Satiro; sdgh179 on github"),
            ["@greafhe", "Jay Satiro", "@sdgh179"]
        );
        // `and` inside an address, quotes or parentheses, or inside a word.
        assert_eq!(
            split_list("A <x and y>, \"B and C\" <b@x>").0,
            ["A <x and y>", "\"B and C\" <b@x>"]
        );
        assert_eq!(
            names("\"Lee, Ann\" <ann@x.org> and Bob Okafor <bob@x.org>"),
            ["Lee, Ann", "Bob Okafor"]
        );
        assert_eq!(names("Ann Lee (QA and docs), Bob"), ["Ann Lee", "@Bob"]);
        assert_eq!(names("Brandon Andrews"), ["Brandon Andrews"]);
        assert_eq!(names("And-yW on github"), ["@And-yW"]);
        // Last name first with an address: one person; without one, a list.
        assert_eq!(names("Doe, Jane <jane@x.org>"), ["Doe, Jane"]);
        assert_eq!(
            names("Alfonsogonzalez, Ernesto (GE Digital) <e@ge.example>"),
            ["Alfonsogonzalez, Ernesto (GE Digital)"]
        );
        // One address for two names joined by `and`: only the address.
        assert_eq!(
            names("Nicolas Viennot and Sid Nair <nicolas@viennot.example>"),
            ["nicolas@viennot.example"]
        );
        assert_eq!(names("Doe, Jane"), ["@Doe", "@Jane"]);
        assert_eq!(names("Doe, Jane Ann <jane@x.org>"), ["@Doe", "Jane Ann"]);
        // Items that are not people are skipped, the others kept.
        assert_eq!(
            names("Will Cosgrove and co-authors in libssh2"),
            ["Will Cosgrove"]
        );
        assert!(names("upstream tests 305 and 404").is_empty());
        assert!(names("gcc 4.8+, clang 3.2+ (= appleclang 4.2+)").is_empty());
        assert!(names(" and , & ;").is_empty());
    }

    #[test]
    fn identity_word_limit() {
        let six = "Anna Maria Luisa de Medici Tuscany";
        assert_eq!(parse_identity(six), id(Some(six), None, None));
        assert_eq!(
            parse_identity("Anna Maria Luisa de Medici of Tuscany"),
            None
        );
        let bracketed = format!("{six} <a@m.it>");
        assert_eq!(
            parse_identity(&bracketed),
            id(Some(six), Some("a@m.it"), None)
        );
        assert_eq!(
            parse_identity("Thanks a lot to my good friend Bob <b@x.io>"),
            None
        );
    }

    #[test]
    fn split_people_lists() {
        assert_eq!(split_people("a, b"), ["a", "b"]);
        assert_eq!(split_people("a,b"), ["a", "b"]);
        assert_eq!(split_people(" a ,, b ; c "), ["a", "b", "c"]);
        assert_eq!(
            split_people("\"Doe, Jane\" <j@x>, B <b@x,y>"),
            ["\"Doe, Jane\" <j@x>", "B <b@x,y>"]
        );
        assert!(split_people("").is_empty());
        assert!(split_people(" , ").is_empty());
    }
}
