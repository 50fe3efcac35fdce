//! Who is who: identities as seen in commits and credit lines, and the resolver that merges them
//! into people across repositories.
//!
//! The merge rules (documented in docs/identity.md, each join recorded with its reason): the
//! same email (case-insensitive, after .mailmap); the same mailbox under a `+tag`
//! (`subaddress`); GitHub noreply addresses (the login they prove,
//! and the numeric id that survives a rename); logins learned from merges and forge data, and
//! from a one-word display name that is a known login; the same full display name (two words
//! or more, not a placeholder; a setting turns it off); configured aliases. A bare name or login
//! from a credit line joins the one known person with that login or display name; otherwise it
//! stands alone. AI assistants and values such as `r=me` are never people.

mod build;
pub mod duplicates;
pub mod learn;
pub mod subaddress;

use crate::ident::{Ident, Rewrite};
use crate::rules::CompiledRules;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Several emails, names and logins that are one person (an `[[alias]]` of the
/// configuration, which reads it as it is).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The display name to show.
    pub name: Option<String>,
    /// The person's login.
    pub login: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub logins: Vec<String>,
}

/// Where an identity was seen, which decides whose name is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seen {
    /// Named in a credit line.
    Credited = 0,
    /// As committer.
    Committed = 1,
    /// As author or co-author.
    Authored = 2,
}

/// One identity merged into a person, and why (`mailmap`, `same-email`, `subaddress`, `noreply-id`,
/// `login:<source>`, `same-name`, `alias`; a chain of joins is written `a,b`). A `mailmap`
/// join names the identity as written in commits, before .mailmap rewrote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Join {
    pub identity: String,
    pub reason: String,
}

/// A resolved person.
#[derive(Debug, Clone)]
pub struct PersonInfo {
    /// Stable key: the primary email (lower case), else `@login`, else the name.
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub login: Option<String>,
    /// Other identities merged into this person, as `Name <email>` (or the bare name/login).
    pub aliases: Vec<String>,
    /// The identities in `aliases`, the logins that joined (`@login`) and the identities as
    /// written in commits that .mailmap rewrote to one of theirs, each with the reason it
    /// joined, sorted by identity.
    pub joins: Vec<Join>,
    /// A bot, or a tool (`not_person`): left out of team figures.
    pub bot: bool,
    /// An AI assistant or a value that is not a person (`r=me`): never credited.
    pub not_person: bool,
    /// Every identity is a placeholder (`root <root@localhost>`): no review or onboarding
    /// credit.
    pub placeholder: bool,
    /// Name and login keys (compact names, lower-case logins), sorted: two people sharing one
    /// are never credited for each other's work (the self-credit guard).
    pub keys: Vec<String>,
}

pub type PersonId = u32;

/// Where a login learned for an email came from (`login:<source>` in a join's reason).
pub type LoginSource = &'static str;

/// Collects identities, then resolves each to a person.
#[derive(Default)]
pub struct ResolverBuilder {
    /// Every distinct identity with its best sighting: (seen, time).
    seen: crate::FastMap<Ident, (Seen, i64)>,
    /// Logins learned for emails (lower case): (email, login, source).
    links: BTreeSet<(String, String, LoginSource)>,
    /// The raw identities .mailmap rewrote to each identity (see [`Rewrite`]).
    rewrites: BTreeMap<Ident, BTreeSet<Ident>>,
}

impl ResolverBuilder {
    pub fn observe(&mut self, ident: &Ident, how: Seen, time: i64) {
        match self.seen.get_mut(ident) {
            Some(best) => {
                if (how, time) > *best {
                    *best = (how, time);
                }
            }
            None => {
                self.seen.insert(ident.clone(), (how, time));
            }
        }
    }

    /// Records that `email` belongs to the account `login` (from a merge subject or forge data).
    pub fn link_login(&mut self, email: &str, login: &str, source: LoginSource) {
        let (email, login) = (email.trim(), login.trim().trim_start_matches('@'));
        if !email.is_empty() && !login.is_empty() {
            self.links
                .insert((email.to_lowercase(), login.to_lowercase(), source));
        }
    }

    /// Records identities that .mailmap rewrote (a repository's [`Rewrite`] table): the
    /// person of each canonical identity lists the raw ones among its joins, reason `mailmap`.
    pub fn rewrites(&mut self, rewrites: &[Rewrite]) {
        for r in rewrites {
            self.rewrites
                .entry(r.canonical.clone())
                .or_default()
                .insert(r.raw.clone());
        }
    }

    /// Combines what two builders saw (for observing in parallel): the best sighting of each
    /// identity wins, so the order of combining does not matter.
    pub fn merge(mut self, other: ResolverBuilder) -> ResolverBuilder {
        if self.seen.len() < other.seen.len() {
            return other.merge(self);
        }
        for (ident, (how, time)) in other.seen {
            match self.seen.get_mut(&ident) {
                Some(best) => {
                    if (how, time) > *best {
                        *best = (how, time);
                    }
                }
                None => {
                    self.seen.insert(ident, (how, time));
                }
            }
        }
        self.links.extend(other.links);
        for (canonical, raw) in other.rewrites {
            self.rewrites.entry(canonical).or_default().extend(raw);
        }
        self
    }

    /// Resolves the observed identities into people. `aliases` (from the configuration) say
    /// that several emails, logins and names are one person, and what to call them. The steps
    /// are in `src/identity/build.rs`.
    pub fn build(self, rules: &CompiledRules, aliases: &[Alias]) -> Resolver {
        build::resolve(self.seen, &self.links, &self.rewrites, rules, aliases)
    }
}

/// Maps every observed identity to its person.
pub struct Resolver {
    pub people: Vec<PersonInfo>,
    index: crate::FastMap<Ident, PersonId>,
}

impl Resolver {
    /// The person an observed identity belongs to, or `None` for an identity never observed
    /// (the report's own callers observe every identity before building, so for them `None`
    /// credits nobody).
    pub fn person(&self, ident: &Ident) -> Option<PersonId> {
        self.index.get(ident).copied()
    }

    pub fn info(&self, id: PersonId) -> &PersonInfo {
        &self.people[id as usize]
    }

    /// Whether `p` shares a name or login key with any of `others` (and is not one of them):
    /// the guard against crediting someone for their own work when resolution missed a join.
    pub fn shares_key(&self, p: PersonId, others: &[PersonId]) -> bool {
        let keys = &self.info(p).keys;
        others.iter().any(|&o| {
            o != p
                && self
                    .info(o)
                    .keys
                    .iter()
                    .any(|k| keys.binary_search(k).is_ok())
        })
    }

    /// The name and login keys of `people`, to check many credits against at once (linear in
    /// their keys, where `shares_key` per credit would multiply by the number of credits).
    pub fn key_set(&self, people: &[PersonId]) -> KeySet<'_> {
        let mut owners: HashMap<&str, (PersonId, bool)> = HashMap::new();
        for &p in people {
            for k in &self.info(p).keys {
                let e = owners.entry(k.as_str()).or_insert((p, false));
                if e.0 != p {
                    e.1 = true;
                }
            }
        }
        KeySet { owners }
    }

    /// Every observed identity and its person, sorted by identity.
    pub fn identities(&self) -> Vec<(&Ident, PersonId)> {
        let mut all: Vec<(&Ident, PersonId)> = self.index.iter().map(|(i, &p)| (i, p)).collect();
        all.sort();
        all
    }

    /// The people a configuration entry names: an email (any identity of theirs), `@login`,
    /// or a login or display name (case-insensitive).
    pub fn find(&self, spec: &str) -> Vec<PersonId> {
        let spec = spec.trim();
        let lower = spec.to_lowercase();
        let mut found: Vec<PersonId> = if let Some(login) = lower.strip_prefix('@') {
            let is = |l: Option<&str>| l.is_some_and(|l| l.eq_ignore_ascii_case(login));
            let by_ident = self
                .index
                .iter()
                .filter(|(i, _)| is(i.login.as_deref()))
                .map(|(_, &p)| p);
            let by_person =
                (0..self.people.len() as PersonId).filter(|&p| is(self.info(p).login.as_deref()));
            by_ident.chain(by_person).collect()
        } else if lower.contains('@') {
            self.index
                .iter()
                .filter(|(i, _)| {
                    i.email
                        .as_deref()
                        .is_some_and(|e| e.to_lowercase() == lower)
                })
                .map(|(_, &p)| p)
                .collect()
        } else {
            let by_login: Vec<PersonId> = self
                .people
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.login
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(&lower))
                })
                .map(|(i, _)| i as PersonId)
                .collect();
            if by_login.is_empty() {
                self.people
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.name.to_lowercase() == lower)
                    .map(|(i, _)| i as PersonId)
                    .collect()
            } else {
                by_login
            }
        };
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The keys of a set of people (see `Resolver::key_set`).
pub struct KeySet<'a> {
    /// Key → a person holding it, and whether another person holds it too.
    owners: HashMap<&'a str, (PersonId, bool)>,
}

impl KeySet<'_> {
    /// Whether someone in the set other than `p` holds one of `p`'s keys.
    pub fn shared_with_other(&self, resolver: &Resolver, p: PersonId) -> bool {
        resolver.info(p).keys.iter().any(|k| {
            self.owners
                .get(k.as_str())
                .is_some_and(|&(o, more)| o != p || more)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::noreply_id;

    fn sig(n: &str, e: &str) -> Ident {
        Ident::from_signature(n, e)
    }

    fn bare(n: &str) -> Ident {
        Ident {
            name: n.into(),
            email: None,
            login: None,
        }
    }

    /// An identity the builder never observed is nobody (a library caller's mistake, not a
    /// panic).
    #[test]
    fn unknown_identity_is_none() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let known = sig("Alice", "alice@example.com");
        b.observe(&known, Seen::Authored, 10);
        let r = b.build(&rules, &[]);
        assert!(r.person(&known).is_some());
        assert_eq!(r.person(&sig("Alice", "alice@other.org")), None);
        assert_eq!(r.person(&Ident::from_login("alice")), None);
    }

    /// The addresses .mailmap rewrote show among the person's joins as `mailmap`: directly
    /// for the identity shown, after the chain that joined any other identity.
    #[test]
    fn mailmap_rewrites_are_joins_with_their_reason() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let frank = sig("Frank Moss", "frank@moss.dev");
        let work = sig("Frank Moss", "frank@work.example");
        b.observe(&frank, Seen::Authored, 10);
        b.observe(&work, Seen::Authored, 5);
        let rewrite = |raw: &Ident, canonical: &Ident| Rewrite {
            canonical: canonical.clone(),
            raw: raw.clone(),
        };
        let old = sig("fmoss", "frank@oldjob.example");
        let typo = sig("Frank Mos", "frank@work.example");
        // Two repositories' tables, one pair in both: joined once.
        b.rewrites(&[rewrite(&old, &frank)]);
        let mut other = ResolverBuilder::default();
        other.rewrites(&[rewrite(&old, &frank), rewrite(&typo, &work)]);
        let r = b.merge(other).build(&rules, &[]);
        let p = r.person(&frank).unwrap();
        assert_eq!(r.person(&work), Some(p));
        let info = r.info(p);
        assert_eq!(info.name, "Frank Moss");
        assert_eq!(
            info.joins,
            vec![
                Join {
                    identity: "Frank Mos <frank@work.example>".into(),
                    reason: "same-name,mailmap".into()
                },
                Join {
                    identity: "Frank Moss <frank@work.example>".into(),
                    reason: "same-name".into()
                },
                Join {
                    identity: "fmoss <frank@oldjob.example>".into(),
                    reason: "mailmap".into()
                },
            ]
        );
        // Raw identities are not people of their own, nor aliases to match on.
        assert_eq!(r.people.len(), 1);
        assert_eq!(
            info.aliases,
            vec!["Frank Moss <frank@work.example>".to_string()]
        );
    }

    #[test]
    fn merges_by_email_case_and_noreply_login() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let a1 = sig("Alice", "alice@example.com");
        let a2 = sig("Alice Liddell", "ALICE@example.com");
        let n1 = sig("Erin", "123+erin-dev@users.noreply.github.com");
        let n2 = Ident::from_login("erin-dev");
        let x = sig("Alice", "alice@other.org");
        b.observe(&a1, Seen::Authored, 10);
        b.observe(&a2, Seen::Authored, 20);
        b.observe(&n1, Seen::Authored, 5);
        b.observe(&n2, Seen::Credited, 50);
        b.observe(&x, Seen::Authored, 1);
        let r = b.build(&rules, &[]);
        assert_eq!(r.person(&a1).unwrap(), r.person(&a2).unwrap());
        assert_eq!(r.info(r.person(&a1).unwrap()).name, "Alice Liddell");
        assert_eq!(
            r.info(r.person(&a1).unwrap()).aliases,
            ["Alice <alice@example.com>"]
        );
        assert_eq!(r.person(&n1).unwrap(), r.person(&n2).unwrap());
        assert_eq!(
            r.info(r.person(&n1).unwrap()).login.as_deref(),
            Some("erin-dev")
        );
        // Same display name, different email: never merged.
        assert_ne!(r.person(&a1).unwrap(), r.person(&x).unwrap());
    }

    #[test]
    fn bare_names_join_unique_matches_only() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let carol = sig("Carol Chen", "carol@example.com");
        // Two people called "sam" (one word: never merged by name).
        let dup1 = sig("sam", "sam@a.org");
        let dup2 = sig("sam", "sam@b.org");
        let by_login = sig("Dana", "77+dana@users.noreply.github.com");
        for (i, id) in [&carol, &dup1, &dup2, &by_login].into_iter().enumerate() {
            b.observe(id, Seen::Authored, i as i64);
        }
        for n in ["carol chen", "SAM", "dana", "Nobody Known"] {
            b.observe(&bare(n), Seen::Credited, 100);
        }
        let r = b.build(&rules, &[]);
        assert_eq!(
            r.person(&bare("carol chen")).unwrap(),
            r.person(&carol).unwrap()
        );
        assert_eq!(
            r.person(&bare("dana")).unwrap(),
            r.person(&by_login).unwrap()
        );
        let sam = r.person(&bare("SAM")).unwrap();
        assert_ne!(sam, r.person(&dup1).unwrap());
        assert_ne!(sam, r.person(&dup2).unwrap());
        assert_ne!(r.person(&dup1).unwrap(), r.person(&dup2).unwrap());
        let nobody = r.info(r.person(&bare("Nobody Known")).unwrap());
        assert_eq!(nobody.email, None);
        assert_eq!(nobody.id, "Nobody Known");
        assert_eq!(
            r.info(r.person(&carol).unwrap()).joins,
            [Join {
                identity: "carol chen".into(),
                reason: "same-name".into()
            }]
        );
    }

    #[test]
    fn login_only_person_is_named_by_login() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let l = Ident::from_login("bob");
        b.observe(&l, Seen::Credited, 1);
        let r = b.build(&rules, &[]);
        let p = r.info(r.person(&l).unwrap());
        assert_eq!(p.name, "bob");
        assert_eq!(p.id, "@bob");
        assert_eq!(p.login.as_deref(), Some("bob"));
        assert!(p.aliases.is_empty());
    }

    #[test]
    fn aliases_merge_and_rename() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let old = sig("A. Liddell", "alice@old.example");
        let new = sig("alice", "alice@new.example");
        let nick = sig("Ally", "ally@elsewhere.example");
        let other = sig("Bob", "bob@x.org");
        for (i, id) in [&old, &new, &nick, &other].into_iter().enumerate() {
            b.observe(id, Seen::Authored, i as i64);
        }
        b.observe(&bare("Alice L"), Seen::Credited, 9);
        let alias = Alias {
            name: Some("Alice Liddell".into()),
            login: Some("alice".into()),
            emails: vec!["alice@old.example".into(), "ALICE@new.example".into()],
            names: vec!["Ally".into(), "alice l".into()],
            logins: vec![],
        };
        let r = b.build(&rules, &[alias]);
        let p = r.person(&old).unwrap();
        assert_eq!(r.person(&new).unwrap(), p);
        assert_eq!(r.person(&nick).unwrap(), p);
        assert_eq!(r.person(&bare("Alice L")).unwrap(), p);
        assert_ne!(r.person(&other).unwrap(), p);
        assert_eq!(r.info(p).name, "Alice Liddell");
        assert_eq!(r.info(p).login.as_deref(), Some("alice"));
        assert_eq!(r.find("@alice"), vec![p]);
        assert_eq!(r.find("alice@OLD.example"), vec![p]);
        assert_eq!(r.find("bob"), vec![r.person(&other).unwrap()]);
    }

    #[test]
    fn bots_are_marked() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let d = sig(
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com",
        );
        b.observe(&d, Seen::Authored, 1);
        let r = b.build(&rules, &[]);
        assert!(r.info(r.person(&d).unwrap()).bot);
    }

    fn reason(r: &Resolver, of: &Ident, identity: &str) -> String {
        let p = r.info(r.person(of).unwrap());
        p.joins
            .iter()
            .find(|j| j.identity == identity)
            .map(|j| j.reason.clone())
            .unwrap_or_else(|| panic!("{identity} not joined to {}: {:?}", p.name, p.joins))
    }

    #[test]
    fn noreply_ids_join_renamed_accounts() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let old = sig("Old Handle", "123+oldname@users.noreply.github.com");
        let new = sig("New Handle", "123+newname@users.noreply.github.com");
        let other = sig("Someone", "124+oldname2@users.noreply.github.com");
        b.observe(&old, Seen::Authored, 1);
        b.observe(&new, Seen::Authored, 2);
        b.observe(&other, Seen::Authored, 3);
        b.observe(&Ident::from_login("oldname"), Seen::Credited, 4);
        let r = b.build(&rules, &[]);
        assert_eq!(r.person(&old).unwrap(), r.person(&new).unwrap());
        assert_eq!(
            r.person(&old).unwrap(),
            r.person(&Ident::from_login("oldname")).unwrap()
        );
        assert_ne!(r.person(&old).unwrap(), r.person(&other).unwrap());
        assert_eq!(
            reason(
                &r,
                &new,
                "Old Handle <123+oldname@users.noreply.github.com>"
            ),
            "noreply-id"
        );
        assert_eq!(
            noreply_id("123+x@users.noreply.github.com").as_deref(),
            Some("123")
        );
        assert_eq!(noreply_id("x@users.noreply.github.com"), None);
    }

    /// The same mailbox under a `+tag` is one person, reason `subaddress`; a noreply address's
    /// `123+login` is no tag, and different local parts stay apart.
    #[test]
    fn subaddresses_join_one_mailbox() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let plain = sig("Valentin", "vakevk@gmail.com");
        let tagged = sig("Valentin", "vakevk+github@gmail.com");
        let mobile = sig("vrtgs", "vrtgs+mobile@vrtgs.xyz");
        let home = sig("Vrtgs", "vrtgs@vrtgs.xyz");
        let bryan = sig("Bryan Donlan", "bdonlan@gmail.com");
        let work = sig("bdonlan", "bdonlan@amazon.com");
        let n1 = sig("Ann", "123+ann@users.noreply.github.com");
        let n2 = sig("Ann", "456+ann@users.noreply.github.com");
        let shared1 = sig("Alice Smith", "oss+alice@corp.example");
        let shared2 = sig("Bob Jones", "oss+bob@corp.example");
        let bot = sig("ci-bot[bot]", "vakevk+ci@gmail.com");
        let all = [
            &plain, &tagged, &mobile, &home, &bryan, &work, &n1, &n2, &shared1, &shared2, &bot,
        ];
        for (k, i) in all.into_iter().enumerate() {
            b.observe(i, Seen::Authored, k as i64);
        }
        let r = b.build(&rules, &[]);
        let p = |i: &Ident| r.person(i).unwrap();
        assert_eq!(p(&plain), p(&tagged));
        assert_eq!(
            reason(&r, &plain, "Valentin <vakevk@gmail.com>"),
            "subaddress"
        );
        assert_eq!(p(&mobile), p(&home));
        assert_eq!(
            reason(&r, &home, "vrtgs <vrtgs+mobile@vrtgs.xyz>"),
            "subaddress"
        );
        assert_ne!(p(&bryan), p(&work));
        // Noreply addresses keep their own rules: `123+ann` and `456+ann` are two accounts
        // (their login `ann` joins them, not a tag).
        assert_eq!(p(&n1), p(&n2));
        assert_eq!(
            reason(&r, &n2, "Ann <123+ann@users.noreply.github.com>"),
            "login:noreply"
        );
        // A shared mailbox, and a bot under someone's mailbox, join nobody.
        assert_ne!(p(&shared1), p(&shared2));
        assert_ne!(p(&bot), p(&plain));
        // The same people whatever order the identities were observed in.
        let mut b = ResolverBuilder::default();
        for (k, i) in all.into_iter().rev().enumerate() {
            b.observe(i, Seen::Authored, 100 - k as i64);
        }
        let r2 = b.build(&rules, &[]);
        let joins = |r: &Resolver| {
            let mut j: Vec<_> = r.people.iter().map(|p| p.joins.clone()).collect();
            j.sort();
            j
        };
        assert_eq!(joins(&r), joins(&r2));
    }

    #[test]
    fn one_word_name_that_is_a_known_login() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let eric = sig("Eric Huss", "eric@huss.org");
        let ehuss = sig("ehuss", "eric@huss.org");
        let work = sig("ehuss", "ehuss@work.example");
        let noreply = sig("Eric Huss", "43198+ehuss@users.noreply.github.com");
        let login = Ident::from_login("ehuss");
        // A one-word name carried by two different people is no proof.
        let sam1 = sig("sam", "sam@a.example");
        let sam2 = sig("sam", "sam@b.example");
        for (k, i) in [&eric, &ehuss, &work, &noreply, &sam1, &sam2]
            .into_iter()
            .enumerate()
        {
            b.observe(i, Seen::Authored, k as i64);
        }
        b.observe(&login, Seen::Credited, 9);
        b.observe(&Ident::from_login("sam"), Seen::Credited, 9);
        let r = b.build(&rules, &[]);
        let p = r.person(&eric).unwrap();
        for i in [&ehuss, &work, &noreply, &login] {
            assert_eq!(r.person(i).unwrap(), p, "{i:?}");
        }
        assert_eq!(r.info(p).login.as_deref(), Some("ehuss"));
        assert!(reason(&r, &eric, "ehuss <ehuss@work.example>").ends_with("login:name"));
        assert_ne!(r.person(&sam1).unwrap(), r.person(&sam2).unwrap());
        assert_ne!(
            r.person(&Ident::from_login("sam")).unwrap(),
            r.person(&sam1).unwrap()
        );
        assert_ne!(
            r.person(&Ident::from_login("sam")).unwrap(),
            r.person(&sam2).unwrap()
        );
    }

    #[test]
    fn learned_logins_join_with_their_source() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let alex = sig("Alex Crichton", "alex@alexcrichton.com");
        let login = Ident::from_login("alexcrichton");
        b.observe(&alex, Seen::Authored, 1);
        b.observe(&login, Seen::Credited, 2);
        b.link_login("ALEX@alexcrichton.com", "AlexCrichton", "bors");
        let r = b.build(&rules, &[]);
        assert_eq!(r.person(&alex).unwrap(), r.person(&login).unwrap());
        assert_eq!(
            r.info(r.person(&alex).unwrap()).login.as_deref(),
            Some("alexcrichton")
        );
    }

    #[test]
    fn same_full_name_joins_unless_placeholder_or_turned_off() {
        let mut b = ResolverBuilder::default();
        let a1 = sig("Alice Ryhl", "alice@ryhl.io");
        let a2 = sig("alice  RYHL", "aliceryhl@google.com");
        let j1 = sig("José Álvarez", "jose@a.example");
        let j2 = sig("Jose Alvarez", "jose@b.example");
        let p1 = sig("Your Name", "you@example.com");
        let p2 = sig("Your Name", "me@host.example");
        let r1 = sig("root", "root@host-a");
        let r2 = sig("root", "root@host-b");
        let all = [&a1, &a2, &j1, &j2, &p1, &p2, &r1, &r2];
        for (k, i) in all.into_iter().enumerate() {
            b.observe(i, Seen::Authored, k as i64);
        }
        let r = b.build(&CompiledRules::defaults(), &[]);
        assert_eq!(r.person(&a1).unwrap(), r.person(&a2).unwrap());
        assert_eq!(reason(&r, &a1, "Alice Ryhl <alice@ryhl.io>"), "same-name");
        assert_eq!(r.person(&j1).unwrap(), r.person(&j2).unwrap());
        assert_ne!(r.person(&p1).unwrap(), r.person(&p2).unwrap());
        assert_ne!(r.person(&r1).unwrap(), r.person(&r2).unwrap());
        assert!(r.info(r.person(&p1).unwrap()).placeholder);
        assert!(r.info(r.person(&r1).unwrap()).placeholder);
        assert!(!r.info(r.person(&a1).unwrap()).placeholder);

        let mut b = ResolverBuilder::default();
        for (k, i) in all.into_iter().enumerate() {
            b.observe(i, Seen::Authored, k as i64);
        }
        let off = CompiledRules::new(crate::rules::Rules {
            merge_same_name: false,
            ..Default::default()
        })
        .unwrap();
        let r = b.build(&off, &[]);
        assert_ne!(r.person(&a1).unwrap(), r.person(&a2).unwrap());
    }

    #[test]
    fn one_word_values_fall_back_to_the_one_known_person() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let someuser = sig("someuser", "someuser@example.org");
        let maria = sig("Maria", "maria@example.org");
        b.observe(&someuser, Seen::Authored, 1);
        b.observe(&maria, Seen::Authored, 1);
        let reported = Ident::from_login("someuser");
        let thanks = Ident::from_login("maria");
        b.observe(&reported, Seen::Credited, 2);
        b.observe(&thanks, Seen::Credited, 2);
        let r = b.build(&rules, &[]);
        assert_eq!(r.person(&reported).unwrap(), r.person(&someuser).unwrap());
        assert_eq!(r.person(&thanks).unwrap(), r.person(&maria).unwrap());
    }

    #[test]
    fn tools_and_non_people_are_never_people() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let claude = sig("Claude", "noreply@anthropic.com");
        let codex = sig("GPT-5 Codex", "codex@openai.com");
        let me = Ident::from_login("me");
        let human = sig("Claude Dupont", "claude@dupont.example");
        for i in [&claude, &codex, &human] {
            b.observe(i, Seen::Authored, 1);
        }
        b.observe(&me, Seen::Credited, 1);
        let r = b.build(&rules, &[]);
        for i in [&claude, &codex, &me] {
            let p = r.info(r.person(i).unwrap());
            assert!(p.not_person && p.bot, "{i:?}");
        }
        assert!(!r.info(r.person(&human).unwrap()).not_person);
        assert_ne!(r.person(&claude).unwrap(), r.person(&human).unwrap());
    }

    #[test]
    fn self_credit_guard_keys() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let a = sig("Weihang Lo", "me@weihanglo.tw");
        // A login nothing links to the person, equal to their name without spaces.
        let l = Ident::from_login("weihanglo");
        let c = sig("Carol Chen", "carol@example.com");
        b.observe(&a, Seen::Authored, 1);
        b.observe(&c, Seen::Authored, 1);
        b.observe(&l, Seen::Credited, 1);
        let r = b.build(&rules, &[]);
        assert_ne!(r.person(&a).unwrap(), r.person(&l).unwrap());
        assert!(r.shares_key(r.person(&l).unwrap(), &[r.person(&a).unwrap()]));
        assert!(!r.shares_key(r.person(&c).unwrap(), &[r.person(&a).unwrap()]));
        assert!(!r.shares_key(r.person(&a).unwrap(), &[r.person(&a).unwrap()]));
        let set = r.key_set(&[r.person(&a).unwrap(), r.person(&c).unwrap()]);
        assert!(set.shared_with_other(&r, r.person(&l).unwrap()));
        assert!(!set.shared_with_other(&r, r.person(&a).unwrap()));
        assert!(!set.shared_with_other(&r, r.person(&c).unwrap()));
    }
}
