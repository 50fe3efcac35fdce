//! Logins learned from merge subjects: `Merge pull request #N from LOGIN/branch` (GitHub's
//! merge button) and `Auto merge of #N - LOGIN:branch` (bors/homu) name the account that opened
//! the pull request; when every commit the merge brought in has one author, that author's email
//! belongs to that account.

use crate::classify::{CommitRecord, MergeStyle};
use crate::ident::names;
use crate::rules::CompiledRules;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One merge's vote: (author email lower case, author name, login lower case, source).
pub type Vote = (String, String, String, &'static str);

/// The votes of one repository's merges. `introduced` maps each merge to the commits it
/// brought in; `owner` is the repository's owner on its forge, when known (its in-repository
/// branches, `Merge pull request #5 from OWNER/fix`, name no person).
pub fn merge_votes(
    records: &[CommitRecord],
    introduced: &HashMap<usize, Vec<usize>>,
    rules: &CompiledRules,
    owner: Option<&str>,
) -> Vec<Vote> {
    let mut merges: Vec<(&usize, &Vec<usize>)> = introduced.iter().collect();
    merges.sort_unstable();
    let mut out = Vec::new();
    for (&m, brought) in merges {
        let (login, source) = match records[m].merge.as_deref() {
            Some(MergeStyle::GitHub { from, .. }) => {
                (from.split('/').next().unwrap_or(""), "merge")
            }
            Some(MergeStyle::Bors { author, .. }) => (author.as_str(), "bors"),
            _ => continue,
        };
        if !names::is_login_shaped(login)
            || rules.is_bot(login, None, Some(login))
            || owner.is_some_and(|o| o.eq_ignore_ascii_case(login))
        {
            continue;
        }
        // The brought-in commits' authors (co-authors included), by email.
        let mut authors: BTreeSet<(String, &str)> = BTreeSet::new();
        for &j in brought {
            let r = &records[j];
            if r.merge.is_some() {
                continue;
            }
            for a in std::iter::once(&r.author).chain(&r.coauthors) {
                match &a.email {
                    Some(e) => {
                        authors.insert((e.to_lowercase(), a.name.as_str()));
                    }
                    None => {
                        authors.insert((String::new(), ""));
                    }
                }
            }
        }
        let emails: BTreeSet<&str> = authors.iter().map(|(e, _)| e.as_str()).collect();
        if emails.len() != 1 {
            continue;
        }
        let (email, name) = authors.iter().next().expect("one author");
        if email.is_empty()
            || rules.is_bot(name, Some(email), None)
            || rules.is_placeholder(name, Some(email))
            || rules.is_ai(name, Some(email), None)
        {
            continue;
        }
        out.push((
            email.clone(),
            name.to_string(),
            login.to_lowercase(),
            source,
        ));
    }
    out
}

/// The (email, login, source) links the votes of every repository prove. An email takes the
/// login most of its merges name, and only with a strict majority (one odd merge from someone
/// else's fork decides nothing). A login whose emails carry different full names is not
/// learned at all, nor one whose single-author merges bring in others' commits more than one time
/// in five: it is an organisation's or a shared fork's, not one person's (an in-repository branch
/// such as `Merge pull request #5 from tokio-rs/fix` names the organisation).
pub fn links(votes: &[Vote]) -> Vec<(String, String, &'static str)> {
    // email → login → (count, GitHub-merge source seen)
    let mut by_email: BTreeMap<&str, BTreeMap<&str, (usize, &'static str)>> = BTreeMap::new();
    let mut names_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (email, name, login, source) in votes {
        let e = by_email
            .entry(email)
            .or_default()
            .entry(login)
            .or_insert((0, source));
        e.0 += 1;
        if *source == "merge" {
            e.1 = "merge";
        }
        names_of.entry(email).or_default().insert(name.clone());
    }
    let mut chosen: BTreeMap<&str, Vec<(&str, &'static str)>> = BTreeMap::new();
    for (email, logins) in &by_email {
        let total: usize = logins.values().map(|(c, _)| c).sum();
        let (login, &(count, source)) = logins
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then_with(|| b.0.cmp(a.0)))
            .expect("an email has votes");
        if count * 2 > total {
            chosen.entry(login).or_default().push((email, source));
        }
    }
    // Every vote for a login, by the voter's name (full names; a one-word name stands for
    // itself).
    let mut voters: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for (_, name, login, _) in votes {
        let key = names::full_name_key(name).unwrap_or_else(|| names::fold(name));
        *voters.entry(login).or_default().entry(key).or_default() += 1;
    }
    let mut out = Vec::new();
    for (login, emails) in chosen {
        let full: BTreeSet<String> = emails
            .iter()
            .flat_map(|(e, _)| names_of[e].iter())
            .filter_map(|n| names::full_name_key(n))
            .collect();
        // One person's login: nearly all its merges bring in one person's commits (a backport
        // of someone else's commit now and then is fine; an organisation's branches are not).
        let by_name = &voters[login];
        let total: usize = by_name.values().sum();
        let top = by_name.values().copied().max().unwrap_or(0);
        if full.len() > 1 || top * 5 < total * 4 {
            continue;
        }
        for (email, source) in emails {
            out.push((email.to_string(), login.to_string(), source));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Ident;

    fn commit(id: &str, author: Ident, merge: Option<MergeStyle>) -> CommitRecord {
        // A made-up id: the name's bytes.
        let mut raw = [0u8; 20];
        raw[..id.len()].copy_from_slice(id.as_bytes());
        CommitRecord {
            id: crate::classify::CommitId::from_bytes(raw),
            parents: vec![],
            author: author.clone().into(),
            committer: author.into(),
            author_time: 0,
            time: 0,
            subject: "".into(),
            merge: merge.map(Box::new),
            own: None,
            fix: false,
            pr: None,
            areas: vec![],
            coauthors: vec![],
            named: vec![],
        }
    }

    fn sig(n: &str, e: &str) -> Ident {
        Ident::from_signature(n, e)
    }

    #[test]
    fn single_author_merges_teach_logins() {
        let rules = CompiledRules::defaults();
        let eric = sig("Eric Huss", "eric@huss.org");
        let bob = sig("Bob Stone", "bob@example.org");
        let bors = sig("bors", "bors@rust-lang.org");
        let gh = |from: &str| MergeStyle::GitHub {
            pr: 1,
            from: from.into(),
        };
        let records = vec![
            commit("a", eric.clone(), None),
            commit("b", eric.clone(), None),
            commit(
                "m1",
                bors.clone(),
                Some(MergeStyle::Bors {
                    pr: 1,
                    author: "ehuss".into(),
                    reviewers: vec!["alexcrichton".into()],
                }),
            ),
            commit("c", bob.clone(), None),
            commit("m2", bob.clone(), Some(gh("bobstone/fix"))),
            // Two authors: proves nothing.
            commit("d", eric.clone(), None),
            commit("e", bob.clone(), None),
            commit("m3", bob.clone(), Some(gh("bobstone/both"))),
            // An organisation's branch: different people, one "login".
            commit("f", eric.clone(), None),
            commit("m4", eric.clone(), Some(gh("rust-lang/x"))),
            commit("g", bob.clone(), None),
            commit("m5", bob.clone(), Some(gh("rust-lang/y"))),
        ];
        let mut introduced = HashMap::new();
        introduced.insert(2, vec![0, 1]);
        introduced.insert(4, vec![3]);
        introduced.insert(7, vec![5, 6]);
        introduced.insert(9, vec![8]);
        introduced.insert(11, vec![10]);
        let votes = merge_votes(&records, &introduced, &rules, None);
        assert_eq!(votes.len(), 4, "{votes:?}");
        // The repository's owner names no person.
        assert_eq!(
            merge_votes(&records, &introduced, &rules, Some("Rust-Lang")).len(),
            2
        );
        let got = links(&votes);
        // Eric: one bors vote for ehuss, one merge vote for rust-lang: no majority. Bob: one
        // for bobstone, one for rust-lang: no majority either.
        assert!(got.is_empty(), "{got:?}");
        // With one more ehuss merge, Eric's email takes ehuss; rust-lang is never learned.
        let mut more = votes.clone();
        more.push((
            "eric@huss.org".into(),
            "Eric Huss".into(),
            "ehuss".into(),
            "bors",
        ));
        more.push((
            "bob@example.org".into(),
            "Bob Stone".into(),
            "bobstone".into(),
            "merge",
        ));
        assert_eq!(
            links(&more),
            [
                (
                    "bob@example.org".to_string(),
                    "bobstone".to_string(),
                    "merge"
                ),
                ("eric@huss.org".to_string(), "ehuss".to_string(), "bors"),
            ]
        );
        // An organisation whose merges bring in several people's commits is not learned, even
        // for the one person it wins.
        let mut org = vec![
            (
                "c@x".to_string(),
                "Cy Dee".to_string(),
                "org".to_string(),
                "merge",
            ),
            (
                "c@x".to_string(),
                "Cy Dee".to_string(),
                "org".to_string(),
                "merge",
            ),
            (
                "a@x".to_string(),
                "Ann Lee".to_string(),
                "ann".to_string(),
                "merge",
            ),
            (
                "a@x".to_string(),
                "Ann Lee".to_string(),
                "ann".to_string(),
                "merge",
            ),
            (
                "a@x".to_string(),
                "Ann Lee".to_string(),
                "org".to_string(),
                "merge",
            ),
        ];
        assert_eq!(
            links(&org),
            [("a@x".to_string(), "ann".to_string(), "merge")]
        );
        // An organisation that wins two people's emails is not learned.
        org = vec![
            (
                "a@x".to_string(),
                "Ann Lee".to_string(),
                "org".to_string(),
                "merge",
            ),
            (
                "b@x".to_string(),
                "Ben Ray".to_string(),
                "org".to_string(),
                "merge",
            ),
        ];
        assert!(links(&org).is_empty());
    }
}
