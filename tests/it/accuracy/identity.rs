//! Identities: what gluework resolves every identity to is what `git check-mailmap` says, and
//! people are merged exactly by the documented rule (docs/identity.md).

use super::gitcmd::{self, LogCommit, RawIdent};
use gluework::classify::trailers::{all_credit_lines, parse_people};
use gluework::config::ConfigBase;
use gluework::ident::Ident;
use gluework::scan::{discover, scan_repo, ConfigFile, ScanOptions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

type NameEmail = (String, String);

fn name_email(i: &Ident) -> Option<NameEmail> {
    i.email.as_ref().map(|e| (i.name.clone(), e.clone()))
}

/// Compares every identity with an email in gluework's records of `repo` with
/// `git check-mailmap` (one process for all of them). Returns (identities checked, mismatches).
fn check_repo(label: &str, repo: &Path, rev: Option<&str>) -> (usize, Vec<String>) {
    let (targets, errors) = discover(&[repo.to_str().unwrap().to_owned()], false);
    assert!(
        errors.is_empty() && targets.len() == 1,
        "{label}: {errors:?}"
    );
    let base = ConfigBase::new(None, None).expect("default configuration");
    let rules_for = |file: Option<&ConfigFile>| {
        base.for_file(file.map(|f| (f.name.as_str(), f.text.as_str())))
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
    };
    let scan = scan_repo(
        &targets[0],
        &ScanOptions {
            rev,
            extra_mailmap: None,
            extra_mailmap_name: None,
            rules: &rules_for,
            notes: None,
            cache: None,
            progress: None,
        },
    )
    .unwrap_or_else(|e| panic!("{label}: {e}"));
    let rules = scan.rules.clone();
    let log: HashMap<String, LogCommit> = gitcmd::log(repo, rev)
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();

    // (commit, what, raw identity as recorded or written) and what gluework made of it.
    let mut queries: Vec<RawIdent> = Vec::new();
    let mut checks: Vec<(String, &'static str, Option<NameEmail>, Vec<usize>)> = Vec::new();
    // Per commit: the raw credit identities (indices into `queries`) and gluework's.
    let mut credit_checks: Vec<(String, Vec<usize>, BTreeSet<NameEmail>)> = Vec::new();
    for rec in &scan.records {
        let c = log
            .get(&rec.id.to_string())
            .unwrap_or_else(|| panic!("{label}: gluework read {} which git log did not", rec.id));
        for (what, raw, ours) in [
            ("author", &c.author, &rec.author),
            ("committer", &c.committer, &rec.committer),
        ] {
            if raw.1.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            queries.push(raw.clone());
            checks.push((
                rec.id.to_string(),
                what,
                name_email(ours),
                vec![queries.len() - 1],
            ));
        }
        // The people of the commit's credit lines that have an email, as gluework parses them
        // (which lines name people is gluework's business; how their names and emails map is
        // git's).
        let mut raw_credit = Vec::new();
        let utf8 = std::str::from_utf8(&c.message).is_ok();
        // Back to the bytes the message holds, which is what git would map.
        let encode = |s: String| -> Vec<u8> {
            if utf8 {
                s.into_bytes()
            } else {
                encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()
            }
        };
        for line in all_credit_lines(&gitcmd::decode(&c.message), &|k| rules.is_known_key(k)) {
            let key = line.key.to_ascii_lowercase();
            if !(rules.is_coauthor_key(&key) || rules.credit_category(&key).is_some()) {
                continue;
            }
            for id in parse_people(&line.value) {
                if let Some(email) = id.email {
                    queries.push((encode(id.name.unwrap_or_default()), encode(email)));
                    raw_credit.push(queries.len() - 1);
                }
            }
        }
        // Credits from review notes (Gerrit) are not in the message; the notes' own test is in
        // tests/it/scan.rs.
        let ours: BTreeSet<NameEmail> = rec
            .coauthors
            .iter()
            .chain(
                rec.named
                    .iter()
                    .filter(|n| !n.kind.starts_with("gerrit:"))
                    .map(|n| &n.who),
            )
            .filter_map(|i| name_email(i))
            .collect();
        credit_checks.push((rec.id.to_string(), raw_credit, ours));
    }
    // git answers in bytes; identities that are not UTF-8 are compared as gluework decodes
    // them (Windows-1252).
    let text = |(n, e): &RawIdent| (gitcmd::decode(n), gitcmd::decode(e));
    let mapped: Vec<NameEmail> = gitcmd::check_mailmap(repo, &queries)
        .iter()
        .map(text)
        .collect();
    let mut mismatches = Vec::new();
    for (id, what, ours, q) in &checks {
        let git = &mapped[q[0]];
        if ours.as_ref() != Some(git) {
            mismatches.push(format!(
                "{label} {id} {what} {:?}: git check-mailmap {:?}, gluework {:?}",
                text(&queries[q[0]]),
                git,
                ours
            ));
        }
    }
    for (id, raw, ours) in &credit_checks {
        let git: BTreeSet<NameEmail> = raw.iter().map(|&i| mapped[i].clone()).collect();
        if &git != ours {
            let written: Vec<NameEmail> = raw.iter().map(|&i| text(&queries[i])).collect();
            mismatches.push(format!(
                "{label} {id} credit lines {written:?}: git check-mailmap {git:?}, gluework {ours:?}"
            ));
        }
    }
    (queries.len(), mismatches)
}

#[test]
fn every_identity_maps_as_git_check_mailmap_says() {
    let mut total = 0;
    let mut mismatches = Vec::new();
    let mut repos: Vec<(String, std::path::PathBuf, Option<&str>)> = super::fixture_repos()
        .iter()
        .map(|r| {
            (
                format!("fixture {}", r.name),
                r.path.clone(),
                r.rev.as_deref(),
            )
        })
        .collect();
    repos.push(("generated".to_owned(), super::generated().dir.clone(), None));
    for (label, path, rev) in &repos {
        let (n, m) = check_repo(label, path, *rev);
        total += n;
        mismatches.extend(m);
    }
    println!(
        "{total} identities compared with git check-mailmap in {} repositories",
        repos.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} identities differ from git check-mailmap:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
    assert!(total > 5_000, "too few identities compared: {total}");
}

// ---------------------------------------------------------------------------------------------
// The merge rule
// ---------------------------------------------------------------------------------------------

/// The login a GitHub noreply address proves.
pub fn noreply_login(email: &str) -> Option<String> {
    let lower = email.to_lowercase();
    let local = lower.strip_suffix("@users.noreply.github.com")?;
    let login = match local.split_once('+') {
        Some((id, login)) if id.bytes().all(|b| b.is_ascii_digit()) => login,
        _ => local,
    };
    Some(login.to_owned())
}

/// The mailbox of an address with a `+tag` in its local part (`a+tag@x` → `a@x`), or the
/// address itself; noreply addresses (an account id before the `+`) are their own.
fn mailbox(email: &str) -> String {
    let lower = email.to_lowercase();
    match lower.rsplit_once('@') {
        Some((local, domain)) if !domain.contains("noreply") => {
            format!("{}@{domain}", local.split('+').next().unwrap_or(local))
        }
        _ => lower,
    }
}

/// Every email (lower case) under which a report person appears: `email` and each alias's.
pub fn person_emails(person: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(e) = person["email"].as_str() {
        out.insert(e.to_lowercase());
    }
    for a in person["aliases"].as_array().unwrap() {
        let a = a.as_str().unwrap();
        if let (Some(lt), true) = (a.rfind('<'), a.ends_with('>')) {
            out.insert(a[lt + 1..a.len() - 1].to_lowercase());
        }
    }
    out
}

/// The full display names (two words or more; case and spacing folded) each address of a
/// report person is seen with.
fn full_names(person: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |name: &str, email: &str| {
        let folded: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        if folded.len() >= 2 {
            out.entry(email.to_lowercase())
                .or_default()
                .insert(folded.join(" "));
        }
    };
    if let (Some(n), Some(e)) = (person["name"].as_str(), person["email"].as_str()) {
        add(n, e);
    }
    for a in person["aliases"].as_array().unwrap() {
        let a = a.as_str().unwrap();
        if let (Some(lt), true) = (a.rfind('<'), a.ends_with('>')) {
            add(&a[..lt], &a[lt + 1..a.len() - 1]);
        }
    }
    out
}

/// Checks the people of a report against the merge rule: two addresses are one person exactly
/// when they are equal ignoring case, or prove the same GitHub login, or are one mailbox under
/// a `+tag`, or carry the same full display name, or a configured alias lists both (`aliases`:
/// groups of addresses). Returns the
/// report's people without an email.
fn check_merge_rule(label: &str, report: &Value, aliases: &[&[&str]]) -> BTreeSet<String> {
    let people = report["people"].as_array().unwrap();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut login_owner: BTreeMap<String, String> = BTreeMap::new();
    let mut alone = BTreeSet::new();
    for p in people {
        let id = p["id"].as_str().unwrap().to_owned();
        let emails = person_emails(p);
        if emails.is_empty() {
            alone.insert(id.clone());
            continue;
        }
        // Never two people with one address, or one login proven by noreply addresses.
        for e in &emails {
            if let Some(other) = owner.insert(e.clone(), id.clone()) {
                panic!("{label}: {e} belongs to both {other} and {id}");
            }
            if let Some(l) = noreply_login(e) {
                if let Some(other) = login_owner.insert(l.clone(), id.clone()) {
                    assert_eq!(other, id, "{label}: login {l} proven for {other} and {id}");
                }
            }
        }
        // Within one person, every address is tied to the others by the rule.
        let list: Vec<&String> = emails.iter().collect();
        let names = full_names(p);
        let mut group: Vec<usize> = (0..list.len()).collect();
        let find = |g: &mut Vec<usize>, mut x: usize| {
            while g[x] != x {
                x = g[x];
            }
            x
        };
        for i in 0..list.len() {
            for j in 0..i {
                let same_login = noreply_login(list[i]).is_some()
                    && noreply_login(list[i]) == noreply_login(list[j]);
                let aliased = aliases.iter().any(|a| {
                    a.iter().any(|x| x.eq_ignore_ascii_case(list[i]))
                        && a.iter().any(|x| x.eq_ignore_ascii_case(list[j]))
                });
                let same_name = match (names.get(list[i]), names.get(list[j])) {
                    (Some(a), Some(b)) => !a.is_disjoint(b),
                    _ => false,
                };
                let same_mailbox = mailbox(list[i]) == mailbox(list[j]);
                if same_login || aliased || same_name || same_mailbox {
                    let (a, b) = (find(&mut group, i), find(&mut group, j));
                    group[a] = b;
                }
            }
        }
        let roots: BTreeSet<usize> = (0..list.len()).map(|i| find(&mut group, i)).collect();
        assert_eq!(
            roots.len(),
            1,
            "{label}: {id} merges addresses that share neither an address, a login, a full name nor an alias: {emails:?}"
        );
    }
    alone
}

#[test]
fn people_are_merged_exactly_by_the_rule() {
    // The team fixture: Carol's case variant and bare name join her; "Zed Quinn" names nobody.
    let team = super::report(&super::fixture("team"), None);
    assert_eq!(
        check_merge_rule("team", &team, &[]),
        BTreeSet::from(["Zed Quinn".to_owned()])
    );
    // Kim's two addresses are one person only because the configuration says so.
    let configured = super::report(&super::fixture("configured"), None);
    check_merge_rule(
        "configured",
        &configured,
        &[&["kim@old.example", "kim@new.example"]],
    );
    let multi = super::report(&super::fixture("multi"), None);
    check_merge_rule("multi", &multi, &[]);

    let g = super::generated();
    let report = super::report(&g.dir, None);
    let alone = check_merge_rule("generated", &report, &[]);
    assert_eq!(
        alone,
        BTreeSet::from([super::generated::GHOST.to_owned()]),
        "people without an address in the generated repository"
    );
    // Two identities named "Alex Smith" with different addresses are one person by the
    // same-name rule (as `git shortlog` counts them), and the bare name "Alex Smith" joins them.
    let alexes: Vec<&Value> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == super::generated::ALEX)
        .collect();
    assert_eq!(alexes.len(), 1);
    let emails = person_emails(alexes[0]);
    assert!(emails.contains("alex@alpha.example") && emails.contains("asmith@beta.example"));
    // `K. Weber <kai@old.example>` is not caught by the mailmap line for `Kai W`: git keeps
    // that address apart from Kai Weber's, and so does gluework.
    let kai = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "kai@new.example")
        .expect("Kai Weber");
    assert!(!person_emails(kai).contains("kai@old.example"));
    // Every person of the cast is exactly one report person, holding every address that git
    // maps their commits to, and old-style noreply aliases of their login.
    for person in g
        .people
        .iter()
        .filter(|p| p.role != super::generated::Role::Bot)
    {
        let found: Vec<&Value> = report["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| person_emails(p).contains(&person.canonical.1.to_lowercase()))
            .collect();
        assert_eq!(found.len(), 1, "{:?}", person.canonical);
    }
}

/// Identities that are not UTF-8 (no encoding header, Latin-1 bytes in the name): git's
/// mailmap compares bytes, so a mailmap line naming the commit name in Latin-1 bytes applies
/// and one naming it in UTF-8 does not.
#[test]
fn non_utf8_identities_map_as_git_does() {
    let dir = gitcmd::TempDir::new("latin1-mailmap");
    let repo = dir.0.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    // The commit name in Latin-1 bytes, as stored in the commits below.
    let mut mailmap = "Zoë Latín <zoe@new.example> ".as_bytes().to_vec();
    mailmap.extend_from_slice(b"Zo\xeb Lat\xedn <zoe@example.com>\n");
    // The commit name in UTF-8: not the bytes stored in the commits.
    mailmap.extend_from_slice(
        "Zoë Latín <zoe2@new.example> Zoë Latín <zoe2@example.com>\n".as_bytes(),
    );
    let mut stream: Vec<u8> = Vec::new();
    let mut t = 1_700_000_000;
    let mut commit = |stream: &mut Vec<u8>, email: &str, files: &[(&str, &[u8])]| {
        t += 60;
        let msg = format!("Change by {email}\n");
        stream.extend_from_slice(b"commit refs/heads/main\nauthor Zo\xeb Lat\xedn <");
        stream.extend_from_slice(email.as_bytes());
        stream.extend_from_slice(format!("> {t} +0000\ncommitter Zo").as_bytes());
        stream.extend_from_slice(b"\xeb Lat\xedn <");
        stream.extend_from_slice(email.as_bytes());
        stream.extend_from_slice(format!("> {t} +0000\ndata {}\n{msg}", msg.len()).as_bytes());
        for (path, content) in files {
            stream.extend_from_slice(
                format!("M 100644 inline {path}\ndata {}\n", content.len()).as_bytes(),
            );
            stream.extend_from_slice(content);
            stream.push(b'\n');
        }
        stream.push(b'\n');
    };
    commit(
        &mut stream,
        "zoe@example.com",
        &[(".mailmap", &mailmap), ("a.txt", b"a\n")],
    );
    commit(&mut stream, "zoe2@example.com", &[("b.txt", b"b\n")]);
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["fast-import", "--quiet"][..],
    ] {
        let mut c = gitcmd::git(&repo);
        c.args(args);
        gitcmd::run(c, (args[0] == "fast-import").then(|| stream.clone()));
    }
    let mut c = gitcmd::git(&repo);
    c.args(["reset", "-q", "--hard", "main"]);
    gitcmd::run(c, None);
    let (n, mismatches) = check_repo("latin-1", &repo, None);
    assert_eq!(n, 4);
    // The same Latin-1 bytes on both sides (zoe@): gluework agrees with git. The one stated
    // difference (zoe2@): the mailmap names the commit name in UTF-8, git compares bytes and
    // does not map it, gluework compares decoded text and does (docs/credit-accuracy.md).
    assert_eq!(mismatches.len(), 2, "{}", mismatches.join("\n"));
    assert!(
        mismatches
            .iter()
            .all(|m| m.contains("zoe2@example.com") && m.contains("zoe2@new.example")),
        "unexpected differences from git check-mailmap:\n{}",
        mismatches.join("\n")
    );
}
