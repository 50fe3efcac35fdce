//! Resolving the observed identities into people ([`super::ResolverBuilder::build`]), in named
//! steps: what each identity is; the joins, each with its reason, on a graph of keys (emails,
//! logins, account ids, mailboxes, names, aliases); the groups the graph makes, with the bare
//! names placed; then one person per group, named and explained.
//!
//! Every step reads the identities in sorted order, so every choice depends only on the set of
//! identities (and the rules), never on the order they were observed in.

use super::{subaddress, Alias, Join, LoginSource, PersonId, PersonInfo, Resolver, Seen};
use crate::ident::{names, noreply_id, Ident};
use crate::rules::CompiledRules;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Resolves `seen` (each identity's best sighting) into people, with the logins learned for
/// emails (`links`), the raw identities .mailmap rewrote to each identity (`rewrites`) and the
/// configured `aliases`.
pub(super) fn resolve(
    seen: crate::FastMap<Ident, (Seen, i64)>,
    links: &BTreeSet<(String, String, LoginSource)>,
    rewrites: &BTreeMap<Ident, BTreeSet<Ident>>,
    rules: &CompiledRules,
    aliases: &[Alias],
) -> Resolver {
    let obs = Observed::sorted(seen, rules);
    let mut g = Graph::default();
    join_addresses(&mut g, &obs);
    join_subaddresses(&mut g, &obs);
    join_learned_logins(&mut g, links);
    let alias_of_name = join_aliases(&mut g, &obs, aliases);
    if rules.rules.merge_same_name {
        join_same_names(&mut g, &obs, rules);
    }
    join_one_word_logins(&mut g, &obs, rules);
    let mut groups = Groups::of(&mut g, &obs);
    groups.place_bare_names(&mut g, &obs, &alias_of_name);
    let group_alias = groups.aliases(&mut g, aliases.len());
    let learned = groups.learned_logins(&mut g, links);
    let tree = g.tree();
    let make = People {
        obs: &obs,
        g: &g,
        tree: &tree,
        groups: &groups,
        learned: &learned,
        rewrites,
        rules,
    };
    let mut people = Vec::with_capacity(groups.list.len());
    let mut index = crate::FastMap::with_capacity_and_hasher(obs.idents.len(), Default::default());
    for (gi, members) in groups.list.iter().enumerate() {
        let alias = group_alias.get(&gi).map(|&k| &aliases[k]);
        let pid = people.len() as PersonId;
        people.push(make.person(gi, members, alias));
        for &i in members {
            index.insert(obs.ident(i).clone(), pid);
        }
    }
    Resolver { people, index }
}

/// The observed identities, sorted, and what each is.
struct Observed {
    idents: Vec<(Ident, (Seen, i64))>,
    bot: Vec<bool>,
    /// An AI assistant or a value that is not a person.
    tool: Vec<bool>,
    placeholder: Vec<bool>,
}

impl Observed {
    fn sorted(seen: crate::FastMap<Ident, (Seen, i64)>, rules: &CompiledRules) -> Observed {
        // Sort for determinism: every choice below depends only on the set of identities.
        let mut idents: Vec<(Ident, (Seen, i64))> = seen.into_iter().collect();
        idents.sort();
        let bot = idents
            .iter()
            .map(|(i, _)| rules.is_bot(&i.name, i.email.as_deref(), i.login.as_deref()))
            .collect();
        let tool = idents
            .iter()
            .map(|(i, _)| {
                rules.is_ai(&i.name, i.email.as_deref(), i.login.as_deref())
                    || rules.is_non_person(&i.name, i.email.as_deref(), i.login.as_deref())
            })
            .collect();
        let placeholder = idents
            .iter()
            .map(|(i, _)| rules.is_placeholder(&i.name, i.email.as_deref()))
            .collect();
        Observed {
            idents,
            bot,
            tool,
            placeholder,
        }
    }

    fn ident(&self, k: usize) -> &Ident {
        &self.idents[k].0
    }

    /// Identities that may join others by name, mailbox or learned login: people with real
    /// emails.
    fn joinable(&self, k: usize) -> bool {
        !self.bot[k] && !self.tool[k] && !self.placeholder[k]
    }

    /// Neither a tool nor a placeholder: a human identity.
    fn human(&self, k: usize) -> bool {
        !self.tool[k] && !self.placeholder[k]
    }
}

/// Same email; noreply addresses: the login they prove and their account id.
fn join_addresses(g: &mut Graph, obs: &Observed) {
    for (ident, _) in &obs.idents {
        if let Some(k) = ident_key(ident) {
            g.node(k);
        }
        let Some(e) = &ident.email else { continue };
        let en = g.node(email_key(e));
        if let Some(l) = &ident.login {
            let ln = g.node(login_key(l));
            g.join(en, ln, "login:noreply");
        }
        if let Some(id) = noreply_id(e) {
            let idn = g.node(format!("g:{id}"));
            g.join(en, idn, "noreply-id");
        }
    }
}

/// The same mailbox under a `+tag` (`vakevk+github@gmail.com`, `vakevk@gmail.com`): through a
/// node per mailbox, so the reason reads `subaddress` from any address to any other.
fn join_subaddresses(g: &mut Graph, obs: &Observed) {
    let tagged = subaddress::groups(
        obs.idents
            .iter()
            .enumerate()
            .filter(|&(k, _)| obs.joinable(k))
            .filter_map(|(_, (i, _))| Some((i.name.as_str(), i.email.as_deref()?))),
    );
    for emails in tagged {
        let Some(first) = emails.first() else {
            continue;
        };
        let mbox = g.node(format!("m:{first}"));
        for e in &emails {
            let en = g.node(email_key(e));
            g.join(mbox, en, "subaddress");
        }
    }
}

/// Logins learned from merges and forge data.
fn join_learned_logins(g: &mut Graph, links: &BTreeSet<(String, String, LoginSource)>) {
    for (email, login, source) in links {
        let (en, ln) = (g.node(email_key(email)), g.node(login_key(login)));
        g.join(en, ln, &format!("login:{source}"));
    }
}

/// Aliases: every email, login and name they list is one person. Returns the alias each
/// folded name belongs to.
fn join_aliases(g: &mut Graph, obs: &Observed, aliases: &[Alias]) -> HashMap<String, usize> {
    let mut alias_of_name: HashMap<String, usize> = HashMap::new();
    for (k, a) in aliases.iter().enumerate() {
        let node = g.node(format!("a:{k}"));
        for e in &a.emails {
            let en = g.node(email_key(e));
            g.join(node, en, "alias");
        }
        for l in a.logins.iter().chain(a.login.iter()) {
            let ln = g.node(login_key(l));
            g.join(node, ln, "alias");
        }
        for n in &a.names {
            alias_of_name.insert(names::fold(n), k);
        }
    }
    for (ident, _) in &obs.idents {
        if let Some(&k) = alias_of_name.get(&names::fold(&ident.name)) {
            if let Some(key) = ident_key(ident) {
                let (a, b) = (g.node(format!("a:{k}")), g.node(key));
                g.join(a, b, "alias");
            }
        }
    }
    alias_of_name
}

/// The same full display name, like `git shortlog`.
fn join_same_names(g: &mut Graph, obs: &Observed, rules: &CompiledRules) {
    for (k, (ident, _)) in obs.idents.iter().enumerate() {
        let Some(e) = &ident.email else { continue };
        if !obs.joinable(k) || rules.is_placeholder_name(&ident.name) {
            continue;
        }
        if let Some(key) = names::full_name_key(&ident.name) {
            let (en, nn) = (g.node(email_key(e)), g.node(format!("n:{key}")));
            g.join(en, nn, "same-name");
        }
    }
}

/// A one-word display name that is a known login (`ehuss <eric@huss.org>` where `ehuss`
/// reviews, merges or has a noreply address): that login, when exactly one person carries the
/// name.
fn join_one_word_logins(g: &mut Graph, obs: &Observed, rules: &CompiledRules) {
    let mut one_word: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (k, (ident, _)) in obs.idents.iter().enumerate() {
        let Some(e) = &ident.email else { continue };
        if obs.joinable(k)
            && names::is_login_shaped(&ident.name)
            && !rules.is_placeholder_name(&ident.name)
        {
            let root = g.find_key(&email_key(e)).expect("email nodes exist");
            one_word
                .entry(ident.name.to_lowercase())
                .or_default()
                .insert(root);
        }
    }
    for (name, roots) in &one_word {
        let Some(ln) = g.get(&login_key(name)) else {
            continue;
        };
        // The groups carrying the name, besides the one the login already belongs to.
        let own = g.find(ln);
        let others: BTreeSet<usize> = roots
            .iter()
            .map(|&r| g.find(r))
            .filter(|&r| r != own)
            .collect();
        if let (1, Some(&root)) = (others.len(), others.iter().next()) {
            g.join(root, ln, "login:name");
        }
    }
}

/// The groups of identities that become people: the graph's components (of identities with an
/// email or a login), then each bare name that stands alone (by folded name).
struct Groups {
    /// Each group's members (indexes into the sorted identities).
    list: Vec<Vec<usize>>,
    /// The group of each graph component (by its root).
    of_root: HashMap<usize, usize>,
    /// Why a bare name joined a group: `alias`, `same-name` or `login:name`.
    bare_reason: HashMap<usize, &'static str>,
    /// The bare names, to place.
    bare: Vec<usize>,
}

impl Groups {
    /// Groups of keyed identities, in order of their component's root.
    fn of(g: &mut Graph, obs: &Observed) -> Groups {
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut bare: Vec<usize> = Vec::new();
        for (i, (ident, _)) in obs.idents.iter().enumerate() {
            match ident_key(ident) {
                Some(k) => {
                    let root = g.find_key(&k).expect("identity nodes exist");
                    groups.entry(root).or_default().push(i);
                }
                None => bare.push(i),
            }
        }
        let mut of_root: HashMap<usize, usize> = HashMap::new();
        let mut list: Vec<Vec<usize>> = Vec::with_capacity(groups.len());
        for (root, members) in groups {
            of_root.insert(root, list.len());
            list.push(members);
        }
        Groups {
            list,
            of_root,
            bare_reason: HashMap::new(),
            bare,
        }
    }

    /// Places each bare name (a credit line's `Helped-by: Carol Chen`): in the group an alias
    /// names, else the one group with that display name, else (one word) the group known under
    /// that login; else with the other bare names folded alike, as a group of its own.
    fn place_bare_names(
        &mut self,
        g: &mut Graph,
        obs: &Observed,
        alias_of_name: &HashMap<String, usize>,
    ) {
        // Index groups by display name to place bare names.
        let mut by_name: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (g_i, members) in self.list.iter().enumerate() {
            for &i in members {
                let ident = obs.ident(i);
                if ident.email.is_some() && !ident.name.is_empty() && obs.joinable(i) {
                    by_name
                        .entry(names::fold(&ident.name))
                        .or_default()
                        .insert(g_i);
                }
            }
        }
        let mut alone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in std::mem::take(&mut self.bare) {
            let ident = obs.ident(i);
            let key = names::fold(&ident.name);
            let of_root = &self.of_root;
            let group_of = |node: Option<usize>, g: &mut Graph| {
                node.map(|n| g.find(n))
                    .and_then(|r| of_root.get(&r).copied())
            };
            let by_alias = alias_of_name
                .get(&key)
                .and_then(|k| g.get(&format!("a:{k}")));
            let target = if let Some(gi) = group_of(by_alias, g) {
                Some((gi, "alias"))
            } else if obs.tool[i] || obs.placeholder[i] {
                None
            } else if let Some(gi) = by_name
                .get(&key)
                .filter(|gs| gs.len() == 1)
                .and_then(|gs| gs.iter().next().copied())
            {
                Some((gi, "same-name"))
            } else {
                let ln = names::is_login_shaped(&ident.name)
                    .then(|| g.get(&login_key(&ident.name)))
                    .flatten();
                group_of(ln, g).map(|gi| (gi, "login:name"))
            };
            match target {
                Some((gi, why)) => {
                    self.list[gi].push(i);
                    self.bare_reason.insert(i, why);
                }
                None => alone.entry(key).or_default().push(i),
            }
        }
        self.list.extend(alone.into_values());
    }

    /// The alias each group carries (the first that reached it).
    fn aliases(&self, g: &mut Graph, count: usize) -> HashMap<usize, usize> {
        let mut group_alias: HashMap<usize, usize> = HashMap::new();
        for k in 0..count {
            let Some(an) = g.get(&format!("a:{k}")) else {
                continue;
            };
            let root = g.find(an);
            if let Some(&gi) = self.of_root.get(&root) {
                group_alias.entry(gi).or_insert(k);
            }
        }
        group_alias
    }

    /// Logins learned from merges and forge data, by the group they ended in, each with its
    /// rank among the logins a person is shown with (forge 2, merges 3).
    fn learned_logins(
        &self,
        g: &mut Graph,
        links: &BTreeSet<(String, String, LoginSource)>,
    ) -> HashMap<usize, BTreeMap<String, u8>> {
        let mut learned: HashMap<usize, BTreeMap<String, u8>> = HashMap::new();
        for (_, login, source) in links {
            if let Some(root) = g.find_key(&login_key(login)) {
                if let Some(&gi) = self.of_root.get(&root) {
                    let rank = if *source == "forge" { 2 } else { 3 };
                    let e = learned
                        .entry(gi)
                        .or_default()
                        .entry(login.clone())
                        .or_insert(rank);
                    *e = (*e).min(rank);
                }
            }
        }
        learned
    }
}

/// Makes one person per group: what they are called and why each identity is theirs.
struct People<'a> {
    obs: &'a Observed,
    g: &'a Graph,
    tree: &'a Tree,
    groups: &'a Groups,
    learned: &'a HashMap<usize, BTreeMap<String, u8>>,
    rewrites: &'a BTreeMap<Ident, BTreeSet<Ident>>,
    rules: &'a CompiledRules,
}

/// How a person is shown, and the identity their joins are explained from.
struct Shown {
    name: String,
    email: Option<String>,
    login: Option<String>,
    id: String,
    /// `Name <email>` as shown.
    display: String,
    /// The graph node the joins' reasons start from.
    start: Option<usize>,
}

impl People<'_> {
    fn person(&self, gi: usize, members: &[usize], alias: Option<&Alias>) -> PersonInfo {
        let obs = self.obs;
        let shown = self.shown(gi, members, alias);
        let reasons = shown
            .start
            .map(|s| self.tree.reasons_from(s))
            .unwrap_or_default();
        let mut joins = self.identity_joins(members, &shown, &reasons);
        let aliases: Vec<String> = joins.keys().cloned().collect();
        let logins = self.login_joins(gi, members, &joins, &reasons);
        joins.extend(logins);
        let mailmapped = self.mailmap_joins(members, &joins, &shown);
        joins.extend(mailmapped);
        let not_person = members.iter().all(|&i| obs.tool[i]);
        let placeholder = !not_person && members.iter().all(|&i| obs.placeholder[i]);
        PersonInfo {
            keys: self.keys(members, shown.login.as_deref()),
            id: shown.id,
            name: shown.name,
            email: shown.email,
            login: shown.login,
            aliases,
            joins: joins
                .into_iter()
                .map(|(identity, reason)| Join { identity, reason })
                .collect(),
            bot: not_person || members.iter().any(|&i| obs.bot[i]),
            not_person,
            placeholder,
        }
    }

    /// The name, email, login and id shown for a group: from its best human sighting, the
    /// alias that names it, the best proven login.
    fn shown(&self, gi: usize, members: &[usize], alias: Option<&Alias>) -> Shown {
        let obs = self.obs;
        // People are named by their human identities where they have any.
        let human: Vec<usize> = members.iter().copied().filter(|&i| obs.human(i)).collect();
        let pool: &[usize] = if human.is_empty() { members } else { &human };
        let best = |filter: &dyn Fn(&Ident) -> bool| {
            pool.iter()
                .filter(|&&i| filter(obs.ident(i)))
                .max_by(|&&a, &&b| {
                    let (ia, sa) = &obs.idents[a];
                    let (ib, sb) = &obs.idents[b];
                    sa.cmp(sb).then_with(|| ib.cmp(ia))
                })
                .copied()
        };
        let top_i = best(&|_| true).expect("a group has members");
        let top = obs.ident(top_i);
        let with_email_i = best(&|i| i.email.is_some());
        // The login shown: the best proven (a noreply address, then forge data, then merge
        // subjects, then a login only named in credit lines or bors lists).
        let login = alias.and_then(|a| a.login.clone()).or_else(|| {
            members
                .iter()
                .filter(|&&i| !obs.tool[i])
                .filter_map(|&i| {
                    let ident = obs.ident(i);
                    let rank = if ident.email.is_some() { 1 } else { 4 };
                    ident.login.clone().map(|l| (rank, l))
                })
                .chain(
                    self.learned
                        .get(&gi)
                        .into_iter()
                        .flatten()
                        .map(|(l, &rank)| (rank, l.clone())),
                )
                .min_by_key(|(rank, l)| (*rank, l.to_lowercase()))
                .map(|(_, l)| l)
        });
        let email = with_email_i.and_then(|i| obs.ident(i).email.clone());
        // The name shown: the best sighting's, else the best name any of their identities
        // carries, else their login, else their email (never an empty row).
        let name = if let Some(n) = alias.and_then(|a| a.name.clone()) {
            n
        } else if !top.name.trim().is_empty() {
            top.name.clone()
        } else if let Some(i) = best(&|i| !i.name.trim().is_empty()) {
            obs.ident(i).name.clone()
        } else if let Some(l) = login.clone().or_else(|| top.login.clone()) {
            l
        } else {
            email.clone().unwrap_or_else(|| top.name.clone())
        };
        let id = match (&email, &login) {
            (Some(e), _) => e.to_lowercase(),
            (None, Some(l)) => format!("@{}", l.to_lowercase()),
            (None, None) => name.clone(),
        };
        let display = Ident {
            name: name.clone(),
            email: email.clone(),
            login: None,
        }
        .display();
        // Reasons: the chain of joins from the shown identity's node to each member's.
        let start = with_email_i
            .or(Some(top_i))
            .and_then(|i| ident_key(obs.ident(i)))
            .and_then(|k| self.g.get(&k));
        Shown {
            name,
            email,
            login,
            id,
            display,
            start,
        }
    }

    /// Each member identity other than the one shown (and a bare login that is the one
    /// shown), as `Name <email>`, with the reason it joined.
    fn identity_joins(
        &self,
        members: &[usize],
        shown: &Shown,
        reasons: &HashMap<usize, String>,
    ) -> BTreeMap<String, String> {
        let mut joins: BTreeMap<String, String> = BTreeMap::new();
        for &i in members {
            let ident = self.obs.ident(i);
            let d = ident.display();
            if d == shown.display
                || (ident.email.is_none()
                    && ident.login.is_some()
                    && shown.login.as_deref() == ident.login.as_deref())
            {
                continue;
            }
            let node = ident_key(ident).and_then(|k| self.g.get(&k));
            let reason = match (self.groups.bare_reason.get(&i), node) {
                (Some(why), _) => why.to_string(),
                (None, Some(nd)) if Some(nd) == shown.start => {
                    if ident.email.is_some() {
                        "same-email".to_string()
                    } else {
                        "same-login".to_string()
                    }
                }
                (None, Some(nd)) => reasons
                    .get(&nd)
                    .cloned()
                    .unwrap_or_else(|| "same-email".to_string()),
                (None, None) => "same-name".to_string(),
            };
            joins.entry(d).or_insert(reason);
        }
        joins
    }

    /// The logins that joined (named by a credit line, a bors list, the forge, or only learned
    /// from merges), as `@login`, each with its reason; not those already among `joins`.
    fn login_joins(
        &self,
        gi: usize,
        members: &[usize],
        joins: &BTreeMap<String, String>,
        reasons: &HashMap<usize, String>,
    ) -> BTreeMap<String, String> {
        let obs = self.obs;
        let mut login_joins: BTreeMap<String, String> = BTreeMap::new();
        let logins = members
            .iter()
            .filter(|&&i| obs.ident(i).email.is_none())
            .filter_map(|&i| obs.ident(i).login.as_ref())
            .chain(self.learned.get(&gi).into_iter().flatten().map(|(l, _)| l))
            .map(|l| l.to_lowercase());
        for l in logins {
            let shown_login = format!("@{l}");
            if joins.contains_key(&shown_login) || joins.keys().any(|k| k.eq_ignore_ascii_case(&l))
            {
                continue;
            }
            let reason = self.g.get(&login_key(&l)).and_then(|n| reasons.get(&n));
            if let Some(reason) = reason.filter(|r| !r.is_empty()) {
                login_joins.insert(shown_login, reason.clone());
            }
        }
        login_joins
    }

    /// The addresses .mailmap rewrote to one of the members: `mailmap`, after the chain that
    /// joined that member (when it is not the one shown); not those already among `joins`.
    fn mailmap_joins(
        &self,
        members: &[usize],
        joins: &BTreeMap<String, String>,
        shown: &Shown,
    ) -> BTreeMap<String, String> {
        let mut mailmapped: BTreeMap<String, String> = BTreeMap::new();
        for &i in members {
            let ident = self.obs.ident(i);
            let Some(raws) = self.rewrites.get(ident) else {
                continue;
            };
            let via = joins.get(&ident.display()).cloned();
            for raw in raws {
                let d = raw.display();
                if d == shown.display || joins.contains_key(&d) {
                    continue;
                }
                let reason = match &via {
                    Some(v) => format!("{v},mailmap"),
                    None => "mailmap".to_string(),
                };
                mailmapped.entry(d).or_insert(reason);
            }
        }
        mailmapped
    }

    /// The self-credit guard's keys: each human identity's compact name (three characters or
    /// more, not a placeholder) and login, and the login shown; sorted.
    fn keys(&self, members: &[usize], login: Option<&str>) -> Vec<String> {
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for &i in members.iter().filter(|&&i| self.obs.human(i)) {
            let ident = self.obs.ident(i);
            let c = names::compact(&ident.name);
            if c.chars().count() >= 3 && !self.rules.is_placeholder_name(&ident.name) {
                keys.insert(c);
            }
            if let Some(l) = &ident.login {
                keys.insert(l.to_lowercase());
            }
        }
        if let Some(l) = login {
            keys.insert(l.to_lowercase());
        }
        keys.into_iter().collect()
    }
}

fn email_key(e: &str) -> String {
    format!("e:{}", e.trim().to_lowercase())
}

fn login_key(l: &str) -> String {
    format!("l:{}", l.trim().trim_start_matches('@').to_lowercase())
}

/// The node an identity hangs on: its email, else its login; `None` for a bare name.
fn ident_key(ident: &Ident) -> Option<String> {
    ident
        .email
        .as_deref()
        .map(email_key)
        .or_else(|| ident.login.as_deref().map(login_key))
}

/// Union-find over keys (emails, logins, account ids, mailboxes, names, aliases) that
/// remembers the join that first connected each pair of components, with its reason: a
/// spanning forest whose paths explain every merge.
#[derive(Default)]
struct Graph {
    parent: Vec<usize>,
    names: HashMap<String, usize>,
    /// (a, b, reason) for every join that connected two components.
    edges: Vec<(usize, usize, String)>,
}

impl Graph {
    fn node(&mut self, key: String) -> usize {
        if let Some(&n) = self.names.get(&key) {
            return n;
        }
        let n = self.parent.len();
        self.parent.push(n);
        self.names.insert(key, n);
        n
    }
    fn get(&self, key: &str) -> Option<usize> {
        self.names.get(key).copied()
    }
    fn find_key(&mut self, key: &str) -> Option<usize> {
        let n = self.get(key)?;
        Some(self.find(n))
    }
    fn find(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }
    fn join(&mut self, a: usize, b: usize, reason: &str) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
            self.edges.push((a, b, reason.to_string()));
        }
    }
    fn tree(&self) -> Tree {
        let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.parent.len()];
        for (k, &(a, b, _)) in self.edges.iter().enumerate() {
            adj[a].push((b, k));
            adj[b].push((a, k));
        }
        Tree {
            adj,
            reasons: self.edges.iter().map(|(_, _, r)| r.clone()).collect(),
        }
    }
}

/// The joins that connected components, as a forest.
struct Tree {
    adj: Vec<Vec<(usize, usize)>>,
    reasons: Vec<String>,
}

impl Tree {
    /// For every node reachable from `start`: the reasons along the path, in order, each once,
    /// joined by commas.
    fn reasons_from(&self, start: usize) -> HashMap<usize, String> {
        let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
        out.insert(start, Vec::new());
        let mut stack = vec![start];
        while let Some(x) = stack.pop() {
            let path = out[&x].clone();
            for &(y, e) in &self.adj[x] {
                if out.contains_key(&y) {
                    continue;
                }
                let mut p = path.clone();
                if !p.iter().any(|&q| self.reasons[q] == self.reasons[e]) {
                    p.push(e);
                }
                out.insert(y, p);
                stack.push(y);
            }
        }
        out.into_iter()
            .map(|(n, p)| {
                let r: Vec<&str> = p.iter().map(|&e| self.reasons[e].as_str()).collect();
                (n, r.join(","))
            })
            .collect()
    }
}
