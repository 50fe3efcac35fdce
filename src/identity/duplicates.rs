//! What identity resolution left apart that may still be one person: candidates for a human to
//! confirm (`gluework identities`), with a ready `.mailmap` and `[[alias]]` snippet.

use super::{PersonId, PersonInfo, Resolver};
use crate::ident::names;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// Two people who are likely one, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub a: PersonId,
    pub b: PersonId,
    /// `same email local part`, `login equals name without spaces`, `one edit from login`,
    /// `same one-word name`.
    pub reason: &'static str,
}

/// Email local parts too generic to suggest anything: roles, and the words many people put
/// before their own domain (`email@mattglei.ch`, `email@yeikel.com`; `linux@…`).
const GENERIC_LOCAL: &[&str] = &[
    "admin",
    "code",
    "contact",
    "dev",
    "developer",
    "e-mail",
    "email",
    "git",
    "github",
    "hello",
    "hey",
    "hi",
    "home",
    "info",
    "linux",
    "mail",
    "me",
    "noreply",
    "no-reply",
    "office",
    "opensource",
    "oss",
    "personal",
    "private",
    "public",
    "root",
    "spam",
    "support",
    "team",
    "user",
    "webmaster",
    "work",
];

fn eligible(p: &PersonInfo) -> bool {
    !p.bot && !p.not_person && !p.placeholder
}

/// Likely duplicates among the resolved people, sorted, each pair once (its first reason).
/// Linear in the number of identities: candidates come from shared keys, never from comparing
/// every pair.
pub fn candidates(resolver: &Resolver) -> Vec<Candidate> {
    let mut by_key: BTreeMap<(u8, String), BTreeSet<PersonId>> = BTreeMap::new();
    let mut add = |kind: u8, key: String, p: PersonId| {
        by_key.entry((kind, key)).or_default().insert(p);
    };
    for (ident, p) in resolver.identities() {
        let info = resolver.info(p);
        if !eligible(info) {
            continue;
        }
        if let Some(e) = &ident.email {
            if crate::ident::noreply_login(e).is_none() {
                if let Some((local, _)) = e.to_lowercase().rsplit_once('@') {
                    let local = local.split('+').next().unwrap_or("").to_string();
                    if local.chars().count() >= 3 && !GENERIC_LOCAL.contains(&local.as_str()) {
                        add(0, local, p);
                    }
                }
            }
        }
    }
    for (pid, info) in resolver.people.iter().enumerate() {
        let p = pid as PersonId;
        if !eligible(info) {
            continue;
        }
        // The same one-word handle shown for people with different emails (`vrtgs <a@x>`,
        // `vrtgs <b@y>`): one name proves nothing (two `sam`s), so it is a suggestion, never a
        // join. Only the name each is shown with: a one-word alias among someone's identities
        // (`Josh` beside `Joshua DeSeno`) is too weak.
        if info.email.is_some() && names::is_login_shaped(&info.name) {
            add(3, info.name.to_lowercase(), p);
        }
        // Logins against email local parts (`wycats` and `Yehuda Katz <wycats@gmail.com>`).
        if info.email.is_none() {
            if let Some(l) = &info.login {
                add(0, l.to_lowercase(), p);
            }
        }
        // Logins against names without spaces (`alexcrichton` and `Alex Crichton`).
        let logins: BTreeSet<String> = info
            .login
            .iter()
            .map(|l| l.to_lowercase())
            .chain(
                info.joins
                    .iter()
                    .filter(|j| names::is_login_shaped(&j.identity))
                    .map(|j| j.identity.to_lowercase()),
            )
            .collect();
        let compact = names::compact(&info.name);
        if names::full_name_key(&info.name).is_some() && compact.len() >= 4 {
            add(1, compact.clone(), p);
        }
        for l in &logins {
            if l.len() >= 4 {
                add(1, l.clone(), p);
            }
            // One edit: every login and its one-deletion variants.
            if l.chars().count() >= 5 {
                add(2, format!("={l}"), p);
                let chars: Vec<char> = l.chars().collect();
                for k in 0..chars.len() {
                    let v: String = chars
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| j != k)
                        .map(|(_, c)| c)
                        .collect();
                    add(2, format!("-{k}:{v}"), p);
                    add(2, format!("~{v}"), p);
                }
            }
        }
    }
    let mut out: BTreeMap<(PersonId, PersonId), &'static str> = BTreeMap::new();
    // Substitutions share a deletion at one position; an insertion is a login equal to
    // another's deletion.
    let mut exact: HashMap<&str, &BTreeSet<PersonId>> = HashMap::new();
    for ((kind, key), people) in &by_key {
        if *kind == 2 {
            if let Some(l) = key.strip_prefix('=') {
                exact.insert(l, people);
            }
        }
    }
    for ((kind, key), people) in &by_key {
        let reason = match kind {
            0 => "same email local part",
            1 => "login equals name without spaces",
            3 => "same one-word name",
            _ => "one edit from a login",
        };
        // A key shared by many people is a common word, not a duplicate.
        if people.len() > 4 {
            continue;
        }
        let mut pairs: Vec<(PersonId, PersonId)> = Vec::new();
        match (kind, key.chars().next()) {
            (2, Some('=')) => continue,
            // An insertion: a login equal to another's deletion.
            (2, Some('~')) => {
                let Some(ps) = exact.get(&key[1..]) else {
                    continue;
                };
                if ps.len() > 4 {
                    continue;
                }
                for &a in ps.iter() {
                    pairs.extend(people.iter().map(|&b| (a, b)));
                }
            }
            _ => {
                let group: Vec<PersonId> = people.iter().copied().collect();
                for (x, &a) in group.iter().enumerate() {
                    pairs.extend(group[x + 1..].iter().map(|&b| (a, b)));
                }
            }
        }
        for (a, b) in pairs {
            if matches!(kind, 0 | 3)
                && !local_part_suggests(resolver.info(a), resolver.info(b), key)
            {
                continue;
            }
            if a != b {
                out.entry((a.min(b), a.max(b))).or_insert(reason);
            }
        }
    }
    out.into_iter()
        .map(|((a, b), reason)| Candidate { a, b, reason })
        .collect()
}

/// Whether a shared email local part (or login) suggests one person: not when it is either
/// one's first name (`david@…` is many Davids), nor when both have different full names (the
/// same full name would have joined them).
fn local_part_suggests(a: &PersonInfo, b: &PersonInfo, local: &str) -> bool {
    let first = |p: &PersonInfo| {
        names::full_name_key(&p.name).and_then(|n| n.split(' ').next().map(str::to_string))
    };
    if first(a).as_deref() == Some(local) || first(b).as_deref() == Some(local) {
        return false;
    }
    !(names::full_name_key(&a.name).is_some() && names::full_name_key(&b.name).is_some())
}

/// A value as a TOML string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The `gluework identities` listing: each person made of several identities with the reason
/// for each join, then the likely duplicates and snippets that would join them. Text from the
/// history is passed through `clean` (the caller's terminal escaping).
pub fn listing(resolver: &Resolver, clean: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut joined: Vec<&PersonInfo> = resolver
        .people
        .iter()
        .filter(|p| !p.joins.is_empty())
        .collect();
    joined.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let _ = writeln!(
        out,
        "People joined from several identities: {}",
        joined.len()
    );
    for p in &joined {
        let _ = writeln!(out, "\n{}", clean(&shown(p)));
        for j in &p.joins {
            let _ = writeln!(out, "  + {}  [{}]", clean(&j.identity), clean(&j.reason));
        }
    }
    let cands = candidates(resolver);
    let _ = writeln!(
        out,
        "\nLikely duplicates not joined: {} (check each, then add the snippets below)",
        cands.len()
    );
    for c in &cands {
        let (a, b) = (resolver.info(c.a), resolver.info(c.b));
        let _ = writeln!(
            out,
            "  {}  ~  {}  ({})",
            clean(&shown(a)),
            clean(&shown(b)),
            c.reason
        );
    }
    if cands.is_empty() {
        return out;
    }
    // One snippet per group of people the pairs chain together (A ~ B and B ~ C: one alias).
    // Each group's people, and the one whose name and email the snippets keep.
    let groups: Vec<(Vec<&PersonInfo>, &PersonInfo)> = groups(&cands)
        .iter()
        .map(|group| {
            let people: Vec<&PersonInfo> = group.iter().map(|&p| resolver.info(p)).collect();
            let first = people
                .iter()
                .copied()
                .reduce(|a, b| ordered(a, b).0)
                .expect("a group has people");
            (people, first)
        })
        .collect();
    let _ = writeln!(out, "\n# .mailmap (one line per other email)");
    for (people, first) in &groups {
        let Some(proper) = &first.email else { continue };
        for p in people {
            if let Some(e) = p.email.as_ref().filter(|e| *e != proper) {
                let _ = writeln!(
                    out,
                    "{} <{}> <{}>",
                    clean(&first.name),
                    clean(proper),
                    clean(e)
                );
            }
        }
    }
    let _ = writeln!(out, "\n# .gluework.toml");
    for (people, first) in &groups {
        let _ = writeln!(out, "[[alias]]\nname = {}", clean(&q(&first.name)));
        let list = |values: BTreeSet<&str>| -> String {
            let v: Vec<String> = values.iter().map(|x| clean(&q(x))).collect();
            v.join(", ")
        };
        let emails: BTreeSet<&str> = people.iter().filter_map(|p| p.email.as_deref()).collect();
        if !emails.is_empty() {
            let _ = writeln!(out, "emails = [{}]", list(emails));
        }
        let logins: BTreeSet<&str> = people.iter().filter_map(|p| p.login.as_deref()).collect();
        if !logins.is_empty() {
            let _ = writeln!(out, "logins = [{}]", list(logins));
        }
        let names: BTreeSet<&str> = people
            .iter()
            .filter(|p| p.email.is_none() && p.login.is_none())
            .map(|p| p.name.as_str())
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "names = [{}]", list(names));
        }
        out.push('\n');
    }
    out
}

/// The people the candidate pairs chain together, each group sorted, groups in order of their
/// first person (union-find over the pairs: linear in them).
fn groups(cands: &[Candidate]) -> Vec<Vec<PersonId>> {
    let mut parent: BTreeMap<PersonId, PersonId> = BTreeMap::new();
    fn root(parent: &mut BTreeMap<PersonId, PersonId>, x: PersonId) -> PersonId {
        let mut r = x;
        while let Some(&p) = parent.get(&r).filter(|&&p| p != r) {
            r = p;
        }
        // Path compression.
        let mut y = x;
        while let Some(&p) = parent.get(&y).filter(|&&p| p != y) {
            parent.insert(y, r);
            y = p;
        }
        r
    }
    for c in cands {
        parent.entry(c.a).or_insert(c.a);
        parent.entry(c.b).or_insert(c.b);
        let (ra, rb) = (root(&mut parent, c.a), root(&mut parent, c.b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let ids: Vec<PersonId> = parent.keys().copied().collect();
    let mut by_root: BTreeMap<PersonId, Vec<PersonId>> = BTreeMap::new();
    for id in ids {
        let r = root(&mut parent, id);
        by_root.entry(r).or_default().push(id);
    }
    by_root.into_values().collect()
}

/// `Name <email>`, or `Name (@login)`, or the name.
fn shown(p: &PersonInfo) -> String {
    match (&p.email, &p.login) {
        (Some(e), _) => format!("{} <{}>", p.name, e),
        (None, Some(l)) => format!("{} (@{})", p.name, l),
        (None, None) => p.name.clone(),
    }
}

/// The person whose name to keep first: one with an email and a full name.
fn ordered<'a>(a: &'a PersonInfo, b: &'a PersonInfo) -> (&'a PersonInfo, &'a PersonInfo) {
    let score = |p: &PersonInfo| {
        (
            p.email.is_some(),
            names::full_name_key(&p.name).is_some(),
            std::cmp::Reverse(p.id.clone()),
        )
    };
    if score(b) > score(a) {
        (b, a)
    } else {
        (a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Ident;
    use crate::identity::{ResolverBuilder, Seen};
    use crate::rules::CompiledRules;

    #[test]
    fn finds_likely_duplicates_and_prints_snippets() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let alex = Ident::from_signature("Alex Crichton", "acrichton@mozilla.example");
        let alex_login = Ident::from_login("alexcrichton");
        let work = Ident::from_signature("acrichton", "acrichton@work.example");
        // Davids share a first name, not an identity.
        let d1 = Ident::from_signature("David Wood", "david@a.example");
        let d2 = Ident::from_signature("David Young", "david@b.example");
        let typo = Ident::from_login("alexcrichtn");
        let other = Ident::from_signature("Bob Stone", "bob@example.org");
        let info = Ident::from_signature("Info Desk", "info@a.example");
        let info2 = Ident::from_signature("Info Team", "info@b.example");
        // Many people write `email@` before their own domain (seen on cli/cli).
        let email1 = Ident::from_signature("Matthew Gleich", "email@mattglei.ch");
        let email2 = Ident::from_signature("Yeikel", "email@yeikel.example");
        // One handle, two emails (tokio's vrtgs), and a placeholder twice.
        let h1 = Ident::from_signature("vrtgs", "mirza@a.example");
        let h2 = Ident::from_signature("Vrtgs", "vrtgs@b.example");
        // A one-word name among a person's identities, not the one they are shown with.
        let josh = Ident::from_signature("Josh", "josh@c.example");
        let joshua = Ident::from_signature("Joshua DeSeno", "jd@d.example");
        let joshua_old = Ident::from_signature("Josh", "jd@d.example");
        let root1 = Ident::from_signature("root", "root@host-a");
        let root2 = Ident::from_signature("root", "root@host-b");
        for (k, i) in [
            &alex,
            &work,
            &other,
            &info,
            &info2,
            &d1,
            &d2,
            &email1,
            &email2,
            &h1,
            &h2,
            &root1,
            &root2,
            &joshua_old,
            &josh,
            &joshua,
        ]
        .into_iter()
        .enumerate()
        {
            b.observe(i, Seen::Authored, k as i64);
        }
        b.observe(&alex_login, Seen::Credited, 9);
        b.observe(&typo, Seen::Credited, 9);
        let r = b.build(&rules, &[]);
        let c = candidates(&r);
        let pair = |x: &Ident, y: &Ident| {
            let (a, b) = (r.person(x).unwrap(), r.person(y).unwrap());
            (a.min(b), a.max(b))
        };
        let got: Vec<((PersonId, PersonId), &str)> =
            c.iter().map(|c| ((c.a, c.b), c.reason)).collect();
        assert!(got.contains(&(pair(&alex, &alex_login), "login equals name without spaces")));
        assert!(got.contains(&(pair(&alex, &work), "same email local part")));
        assert!(got.contains(&(pair(&alex_login, &typo), "one edit from a login")));
        // Generic local parts and unrelated people are not candidates.
        assert!(!got.iter().any(|(p, _)| *p == pair(&info, &info2)));
        assert!(!got.iter().any(|(p, _)| *p == pair(&email1, &email2)));
        assert!(got.contains(&(pair(&h1, &h2), "same one-word name")));
        assert!(!got.iter().any(|(p, _)| *p == pair(&root1, &root2)));
        assert_eq!(r.person(&joshua), r.person(&joshua_old));
        assert!(!got.iter().any(|(p, _)| *p == pair(&josh, &joshua)));
        assert!(!got.iter().any(|(p, _)| *p == pair(&d1, &d2)));
        assert!(!got
            .iter()
            .any(|((a, b), _)| *a == r.person(&other).unwrap() || *b == r.person(&other).unwrap()));
        let text = listing(&r, &|s| s.to_string());
        assert!(text.contains("Likely duplicates not joined: 4"), "{text}");
        assert!(
            text.contains("Alex Crichton <acrichton@mozilla.example> <acrichton@work.example>"),
            "{text}"
        );
        // Alex's three pairs chain into one person: one alias with everything they share (and
        // one for the two vrtgs).
        assert_eq!(text.matches("[[alias]]").count(), 2, "{text}");
        assert!(
            text.contains("logins = [\"alexcrichtn\", \"alexcrichton\"]"),
            "{text}"
        );
    }

    #[test]
    fn listing_text_from_history_is_cleaned() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let evil = Ident::from_signature("Eve \x1b[31mRed\x1b[0m X", "eve@example.org");
        let other = Ident::from_signature("eve \x1b[31mred\x1b[0m x", "eve2@example.org");
        let login = Ident::from_login("everedx");
        b.observe(&evil, Seen::Authored, 1);
        b.observe(&other, Seen::Authored, 2);
        b.observe(&login, Seen::Credited, 3);
        let r = b.build(&rules, &[]);
        let text = listing(&r, &crate::input::sanitize);
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.contains("[same-name]"), "{text}");
    }
}
