//! Who is who: identities as seen in commits and credit lines, and the resolver that merges them
//! into people across repositories.
//!
//! The merge rule (documented in docs/identity.md): two identities are one person exactly when
//! they share an email address (case-insensitive, after .mailmap), or when a GitHub noreply
//! address proves a login that the other carries. A bare name or login from a credit line joins a
//! known person with that login, else the one known person with that display name; otherwise it
//! stands alone. Display names alone never merge two people who have different emails.

pub mod mailmap;

use crate::config::Alias;
use crate::rules::CompiledRules;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    pub bot: bool,
}

pub type PersonId = u32;

/// Collects identities, then resolves each to a person.
#[derive(Default)]
pub struct ResolverBuilder {
    /// Every distinct identity with its best sighting: (seen, time).
    seen: crate::FastMap<Ident, (Seen, i64)>,
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
        self
    }

    /// Resolves the observed identities into people. `aliases` (from the configuration) say
    /// that several emails, logins and names are one person, and what to call them.
    pub fn build(self, rules: &CompiledRules, aliases: &[Alias]) -> Resolver {
        // Sort for determinism: every choice below depends only on the set of identities.
        let mut idents: Vec<(Ident, (Seen, i64))> = self.seen.into_iter().collect();
        idents.sort();

        // Union-find over email and login keys.
        let mut uf = UnionFind::default();
        let key_of = |k: String, uf: &mut UnionFind| uf.node(k);
        for (ident, _) in &idents {
            let e = ident
                .email
                .as_ref()
                .map(|e| key_of(format!("e:{}", e.to_lowercase()), &mut uf));
            let l = ident
                .login
                .as_ref()
                .map(|l| key_of(format!("l:{}", l.to_lowercase()), &mut uf));
            if let (Some(e), Some(l)) = (e, l) {
                uf.union(e, l);
            }
        }
        // Aliases: every email, login and name they list is one person.
        let mut alias_of_name: HashMap<String, usize> = HashMap::new();
        for (k, a) in aliases.iter().enumerate() {
            let node = uf.node(format!("a:{k}"));
            for e in &a.emails {
                let n = uf.node(format!("e:{}", e.to_lowercase()));
                uf.union(node, n);
            }
            for l in a.logins.iter().chain(a.login.iter()) {
                let n = uf.node(format!("l:{}", l.trim_start_matches('@').to_lowercase()));
                uf.union(node, n);
            }
            for n in &a.names {
                alias_of_name.insert(n.to_lowercase(), k);
            }
        }
        for (ident, _) in &idents {
            if let Some(&k) = alias_of_name.get(&ident.name.to_lowercase()) {
                let key = ident
                    .email
                    .as_ref()
                    .map(|e| format!("e:{}", e.to_lowercase()))
                    .or_else(|| {
                        ident
                            .login
                            .as_ref()
                            .map(|l| format!("l:{}", l.to_lowercase()))
                    });
                if let Some(key) = key {
                    let (a, b) = (uf.node(format!("a:{k}")), uf.node(key));
                    uf.union(a, b);
                }
            }
        }
        // Groups of keyed identities.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut bare: Vec<usize> = Vec::new();
        for (i, (ident, _)) in idents.iter().enumerate() {
            let node = ident
                .email
                .as_ref()
                .map(|e| format!("e:{}", e.to_lowercase()))
                .or_else(|| {
                    ident
                        .login
                        .as_ref()
                        .map(|l| format!("l:{}", l.to_lowercase()))
                });
            match node {
                Some(k) => {
                    let n = uf.node(k);
                    let root = uf.find(n);
                    groups.entry(root).or_default().push(i);
                }
                None => bare.push(i),
            }
        }
        // Index groups by login and by display names to place bare names.
        let mut group_list: Vec<Vec<usize>> = groups.into_values().collect();
        let mut by_login: HashMap<String, usize> = HashMap::new();
        let mut by_name: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (g, members) in group_list.iter().enumerate() {
            for &i in members {
                let ident = &idents[i].0;
                if let Some(l) = &ident.login {
                    by_login.insert(l.to_lowercase(), g);
                }
                if ident.email.is_some() && !ident.name.is_empty() {
                    by_name
                        .entry(ident.name.to_lowercase())
                        .or_default()
                        .insert(g);
                }
            }
        }
        // The group each alias ended up in.
        let mut alias_group: HashMap<usize, usize> = HashMap::new();
        for (g, members) in group_list.iter().enumerate() {
            let ident = &idents[members[0]].0;
            let key = ident
                .email
                .as_ref()
                .map(|e| format!("e:{}", e.to_lowercase()))
                .or_else(|| {
                    ident
                        .login
                        .as_ref()
                        .map(|l| format!("l:{}", l.to_lowercase()))
                })
                .expect("keyed groups have a key");
            let n = uf.node(key);
            let root = uf.find(n);
            for k in 0..aliases.len() {
                let a = uf.node(format!("a:{k}"));
                if uf.find(a) == root {
                    alias_group.insert(k, g);
                }
            }
        }
        let mut alone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in bare {
            let key = idents[i].0.name.to_lowercase();
            let by_alias = alias_of_name
                .get(&key)
                .and_then(|k| alias_group.get(k))
                .copied();
            let target = by_alias
                .or_else(|| by_login.get(&key).copied())
                .or_else(|| {
                    by_name
                        .get(&key)
                        .filter(|gs| gs.len() == 1)
                        .and_then(|gs| gs.iter().next().copied())
                });
            match target {
                Some(g) => group_list[g].push(i),
                None => alone.entry(key).or_default().push(i),
            }
        }
        group_list.extend(alone.into_values());

        // Make people.
        let group_alias: HashMap<usize, usize> =
            alias_group.iter().map(|(&k, &g)| (g, k)).collect();
        let mut people = Vec::with_capacity(group_list.len());
        let mut index = crate::FastMap::with_capacity_and_hasher(idents.len(), Default::default());
        for (g, members) in group_list.iter().enumerate() {
            let alias = group_alias.get(&g).map(|&k| &aliases[k]);
            let pid = people.len() as PersonId;
            let best = |filter: &dyn Fn(&Ident) -> bool| {
                members
                    .iter()
                    .filter(|&&i| filter(&idents[i].0))
                    .max_by(|&&a, &&b| {
                        let (ia, sa) = &idents[a];
                        let (ib, sb) = &idents[b];
                        sa.cmp(sb).then_with(|| ib.cmp(ia))
                    })
                    .map(|&i| &idents[i].0)
            };
            let top = best(&|_| true).expect("a group has members");
            let with_email = best(&|i| i.email.is_some());
            let login = alias.and_then(|a| a.login.clone()).or_else(|| {
                members
                    .iter()
                    .filter_map(|&i| idents[i].0.login.clone())
                    .min_by_key(|l| l.to_lowercase())
            });
            let name = if let Some(n) = alias.and_then(|a| a.name.clone()) {
                n
            } else if top.email.is_none() && top.login.is_some() && top.name.is_empty() {
                top.login.clone().unwrap_or_default()
            } else {
                top.name.clone()
            };
            let email = with_email.and_then(|i| i.email.clone());
            let id = match (&email, &login) {
                (Some(e), _) => e.to_lowercase(),
                (None, Some(l)) => format!("@{}", l.to_lowercase()),
                (None, None) => name.clone(),
            };
            let shown = Ident {
                name: name.clone(),
                email: email.clone(),
                login: None,
            }
            .display();
            let mut aliases: BTreeSet<String> = BTreeSet::new();
            let mut bot = false;
            for &i in members {
                let ident = &idents[i].0;
                bot |= rules.is_bot(&ident.name, ident.email.as_deref(), ident.login.as_deref());
                let d = ident.display();
                if d != shown
                    && !(ident.email.is_none()
                        && ident.login.is_some()
                        && login.as_deref() == ident.login.as_deref())
                {
                    aliases.insert(d);
                }
                index.insert(ident.clone(), pid);
            }
            people.push(PersonInfo {
                id,
                name,
                email,
                login,
                aliases: aliases.into_iter().collect(),
                bot,
            });
        }
        Resolver { people, index }
    }
}

/// Maps every observed identity to its person.
pub struct Resolver {
    pub people: Vec<PersonInfo>,
    index: crate::FastMap<Ident, PersonId>,
}

impl Resolver {
    /// The person an observed identity belongs to. Panics on an identity never observed: callers
    /// observe every identity before building.
    pub fn person(&self, ident: &Ident) -> PersonId {
        *self
            .index
            .get(ident)
            .unwrap_or_else(|| panic!("identity {ident:?} was not observed before resolving"))
    }

    pub fn info(&self, id: PersonId) -> &PersonInfo {
        &self.people[id as usize]
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

#[derive(Default)]
struct UnionFind {
    parent: Vec<usize>,
    names: HashMap<String, usize>,
}

impl UnionFind {
    fn node(&mut self, key: String) -> usize {
        if let Some(&n) = self.names.get(&key) {
            return n;
        }
        let n = self.parent.len();
        self.parent.push(n);
        self.names.insert(key, n);
        n
    }
    fn find(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(r.person(&a1), r.person(&a2));
        assert_eq!(r.info(r.person(&a1)).name, "Alice Liddell");
        assert_eq!(r.info(r.person(&a1)).aliases, ["Alice <alice@example.com>"]);
        assert_eq!(r.person(&n1), r.person(&n2));
        assert_eq!(r.info(r.person(&n1)).login.as_deref(), Some("erin-dev"));
        // Same display name, different email: never merged.
        assert_ne!(r.person(&a1), r.person(&x));
    }

    #[test]
    fn bare_names_join_unique_matches_only() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let carol = sig("Carol Chen", "carol@example.com");
        let dup1 = sig("Sam Lee", "sam@a.org");
        let dup2 = sig("Sam Lee", "sam@b.org");
        let by_login = sig("Dana", "77+dana@users.noreply.github.com");
        for (i, id) in [&carol, &dup1, &dup2, &by_login].into_iter().enumerate() {
            b.observe(id, Seen::Authored, i as i64);
        }
        for n in ["carol chen", "Sam Lee", "dana", "Nobody Known"] {
            b.observe(&bare(n), Seen::Credited, 100);
        }
        let r = b.build(&rules, &[]);
        assert_eq!(r.person(&bare("carol chen")), r.person(&carol));
        assert_eq!(r.person(&bare("dana")), r.person(&by_login));
        let sam = r.person(&bare("Sam Lee"));
        assert_ne!(sam, r.person(&dup1));
        assert_ne!(sam, r.person(&dup2));
        let nobody = r.info(r.person(&bare("Nobody Known")));
        assert_eq!(nobody.email, None);
        assert_eq!(nobody.id, "Nobody Known");
    }

    #[test]
    fn login_only_person_is_named_by_login() {
        let rules = CompiledRules::defaults();
        let mut b = ResolverBuilder::default();
        let l = Ident::from_login("bob");
        b.observe(&l, Seen::Credited, 1);
        let r = b.build(&rules, &[]);
        let p = r.info(r.person(&l));
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
        let p = r.person(&old);
        assert_eq!(r.person(&new), p);
        assert_eq!(r.person(&nick), p);
        assert_eq!(r.person(&bare("Alice L")), p);
        assert_ne!(r.person(&other), p);
        assert_eq!(r.info(p).name, "Alice Liddell");
        assert_eq!(r.info(p).login.as_deref(), Some("alice"));
        assert_eq!(r.find("@alice"), vec![p]);
        assert_eq!(r.find("alice@OLD.example"), vec![p]);
        assert_eq!(r.find("bob"), vec![r.person(&other)]);
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
        assert!(r.info(r.person(&d)).bot);
    }
}
