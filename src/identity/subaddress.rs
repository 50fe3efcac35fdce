//! The same mailbox under a `+tag`: `vakevk+github@gmail.com` is delivered to
//! `vakevk@gmail.com`, so both addresses are one person (reason `subaddress`).
//!
//! Only a `+` starts a tag (the common convention; `-` and `.` mean other things on other
//! hosts). Never joined: GitHub's and other forges' noreply addresses
//! (`123+login@users.noreply.github.com` is an account id, not a tag; they have rules of their
//! own), role and machine mailboxes (`noreply+x@`, `reply+x@`, `bounces+x@`, `team+x@` …: a tag
//! there names a different sender), and a mailbox whose `+tag` addresses carry different full
//! names (`oss+alice@corp.example` "Alice Smith" and `oss+bob@corp.example` "Bob Jones": a
//! shared mailbox that hands out a tag per person).

use crate::ident::names;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Local parts whose tagged addresses belong to different senders: replies, bounces,
/// notifications and shared role mailboxes.
const ROLE_LOCAL: &[&str] = &[
    "abuse",
    "admin",
    "bounce",
    "bounces",
    "contact",
    "do-not-reply",
    "donotreply",
    "help",
    "info",
    "mailer-daemon",
    "no-reply",
    "noreply",
    "notification",
    "notifications",
    "office",
    "postmaster",
    "reply",
    "sales",
    "security",
    "support",
    "team",
    "webmaster",
];

/// An address's mailbox, lower case, and whether the address carried a `+tag`:
/// `Vakevk+GitHub@gmail.com` → (`vakevk@gmail.com`, true). `None` for an address that cannot
/// take part: no `@`, an empty local part or domain, an empty base (`+tag@x`), a noreply
/// domain, or a role mailbox.
pub fn mailbox(email: &str) -> Option<(String, bool)> {
    let lower = email.trim().to_lowercase();
    let (local, domain) = lower.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.split('.').any(is_noreply_label) {
        return None;
    }
    let (base, tagged) = match local.split_once('+') {
        Some((base, _)) => (base, true),
        None => (local, false),
    };
    if base.is_empty() || ROLE_LOCAL.contains(&base) {
        return None;
    }
    Some((format!("{base}@{domain}"), tagged))
}

/// `noreply`, `no-reply`, `users-noreply` …: a forge's or service's generated addresses.
fn is_noreply_label(label: &str) -> bool {
    label.contains("noreply") || label.contains("no-reply")
}

/// The addresses (lower case) to join, each group one mailbox: the mailboxes where an address
/// with a `+tag` and at least one other address were seen, not shared. `seen` is each identity
/// as (display name, email); one pass, and each mailbox's check is linear in its addresses.
pub fn groups<'a>(seen: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Vec<String>> {
    // Mailbox → address → (tagged, the full names it carries).
    type Addresses = BTreeMap<String, (bool, BTreeSet<String>)>;
    let mut boxes: BTreeMap<String, Addresses> = BTreeMap::new();
    for (name, email) in seen {
        let Some((mbox, tagged)) = mailbox(email) else {
            continue;
        };
        let entry = boxes
            .entry(mbox)
            .or_default()
            .entry(email.trim().to_lowercase())
            .or_insert((tagged, BTreeSet::new()));
        if let Some(key) = names::full_name_key(name) {
            entry.1.insert(key);
        }
    }
    boxes
        .into_values()
        .filter(|addrs| addrs.len() >= 2 && addrs.values().any(|(tagged, _)| *tagged))
        .filter(|addrs| !shared(addrs))
        .map(|addrs| addrs.into_keys().collect())
        .collect()
}

/// Whether two `+tag` addresses of one mailbox carry different people: their full names fall
/// into more than one group (addresses that share a full name are one group; addresses with no
/// full name — `vrtgs`, an empty name — say nothing). The untagged address is the mailbox's
/// owner and may carry another spelling (`Tom Ciborski <tilosag+github@…>`,
/// `Tomasz Ciborski <tilosag@…>`).
fn shared(addrs: &BTreeMap<String, (bool, BTreeSet<String>)>) -> bool {
    // Union-find over the tagged addresses, joined through the names they share.
    let tagged: Vec<&BTreeSet<String>> = addrs
        .values()
        .filter(|(tagged, names)| *tagged && !names.is_empty())
        .map(|(_, names)| names)
        .collect();
    let mut parent: Vec<usize> = (0..tagged.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (k, names) in tagged.iter().enumerate() {
        for n in names.iter() {
            match owner.get(n.as_str()) {
                Some(&o) => {
                    let (a, b) = (root(&mut parent, o), root(&mut parent, k));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    owner.insert(n, k);
                }
            }
        }
    }
    (0..tagged.len())
        .filter(|&k| root(&mut parent, k) == k)
        .count()
        > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes() {
        assert_eq!(
            mailbox("Vakevk+GitHub@Gmail.com"),
            Some(("vakevk@gmail.com".into(), true))
        );
        assert_eq!(
            mailbox("vakevk@gmail.com"),
            Some(("vakevk@gmail.com".into(), false))
        );
        // Several `+`: the first starts the tag.
        assert_eq!(
            mailbox("a+b+c@x.example"),
            Some(("a@x.example".into(), true))
        );
        // Noreply addresses have rules of their own: an account id is no tag.
        assert_eq!(mailbox("123+login@users.noreply.github.com"), None);
        assert_eq!(mailbox("login@users.noreply.github.com"), None);
        assert_eq!(mailbox("7-login@users.noreply.gitlab.com"), None);
        assert_eq!(mailbox("42+x@user.noreply.gitee.com"), None);
        // Role and machine mailboxes, and what is not an address.
        assert_eq!(mailbox("reply+ABC123@reply.github.com"), None);
        assert_eq!(mailbox("bounces+1234@lists.example"), None);
        assert_eq!(mailbox("Team+alice@corp.example"), None);
        assert_eq!(mailbox("+tag@x.example"), None);
        assert_eq!(mailbox("nobody"), None);
        assert_eq!(mailbox("a@"), None);
    }

    fn g(seen: &[(&str, &str)]) -> Vec<Vec<String>> {
        groups(seen.iter().copied())
    }

    #[test]
    fn one_mailbox_one_group() {
        assert_eq!(
            g(&[
                ("Valentin", "vakevk+github@gmail.com"),
                ("Valentin", "vakevk@gmail.com"),
                ("Other", "other@gmail.com"),
            ]),
            [["vakevk+github@gmail.com", "vakevk@gmail.com"]]
        );
        // Two tags and the owner; case does not matter; a name of one word says nothing.
        assert_eq!(
            g(&[
                ("vrtgs", "vrtgs+mobile@vrtgs.xyz"),
                ("Vrtgs", "VRTGS@vrtgs.xyz"),
                ("vrtgs", "vrtgs+laptop@vrtgs.xyz"),
            ]),
            [[
                "vrtgs+laptop@vrtgs.xyz",
                "vrtgs+mobile@vrtgs.xyz",
                "vrtgs@vrtgs.xyz"
            ]]
        );
        // The owner may spell their name otherwise than under a tag.
        assert_eq!(
            g(&[
                ("Tom Ciborski", "tilosag+github@gmail.com"),
                ("Tomasz Ciborski", "tilosag@gmail.com"),
            ])
            .len(),
            1
        );
        // Two tags, the same full name.
        assert_eq!(
            g(&[
                ("Eisuke Kawashima", "e.kawaschima+git@gmail.com"),
                ("Eisuke Kawashima", "e.kawaschima+github@gmail.com"),
            ])
            .len(),
            1
        );
    }

    #[test]
    fn nothing_to_join() {
        // No tag: different local parts or domains are different mailboxes (Bryan Donlan and
        // bdonlan stay a suggestion).
        assert!(g(&[
            ("Bryan Donlan", "bdonlan@gmail.com"),
            ("bdonlan", "bdonlan@amazon.com"),
        ])
        .is_empty());
        // One address alone, tagged or not.
        assert!(g(&[("Ann Lee", "ann+git@x.example")]).is_empty());
        assert!(g(&[
            ("Ann Lee", "ann+git@x.example"),
            ("Ann Lee", "ANN+git@x.example")
        ])
        .is_empty());
        // Different domains.
        assert!(g(&[
            ("Ann Lee", "ann+git@x.example"),
            ("Ann Lee", "ann@y.example")
        ])
        .is_empty());
        // Noreply addresses: 123+a and 456+a are different accounts.
        assert!(g(&[
            ("A", "123+a@users.noreply.github.com"),
            ("B", "a@users.noreply.github.com"),
        ])
        .is_empty());
    }

    #[test]
    fn shared_mailboxes_are_not_joined() {
        // A tag per person, each with a different full name, even with the owner seen.
        assert!(g(&[
            ("Alice Smith", "oss+alice@corp.example"),
            ("Bob Jones", "oss+bob@corp.example"),
            ("Corp OSS", "oss@corp.example"),
        ])
        .is_empty());
        // Chained through a shared name, the tags are one person.
        assert_eq!(
            g(&[
                ("Chris Brody", "cb+a@x.example"),
                ("Christopher J. Brody", "cb+a@x.example"),
                ("Christopher J. Brody", "cb+b@x.example"),
                ("cb", "cb+c@x.example"),
            ])
            .len(),
            1
        );
    }
}
