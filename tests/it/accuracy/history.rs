//! The differential trailer test on real histories: this repository's own, every fixture
//! repository's (all refs), and the generated repository's. tests/it/git_trailers_diff.rs does
//! the same on 10,000 generated messages.

use super::gitcmd;
use gluework::classify::trailers::{credit_lines, git_trailers, Source};
use gluework::rules::CompiledRules;
use std::collections::BTreeMap;
use std::path::Path;

/// Every message reachable from `repo`'s HEAD (or any ref), `%B` exactly as stored, decoded as
/// gluework decodes messages; `None` if git cannot read it.
fn messages(repo: &Path, all_refs: bool) -> Option<Vec<String>> {
    let mut cmd = gitcmd::git(repo);
    cmd.args(["log", "-z", "--no-color", "--format=%B"]);
    if all_refs {
        cmd.arg("--all");
    }
    let out = gitcmd::try_run(cmd)?;
    Some(
        out.split(|&b| b == 0)
            .filter(|m| !m.is_empty())
            .map(gitcmd::decode)
            .collect(),
    )
}

#[test]
fn trailers_agree_with_git_on_real_histories() {
    // label → messages; a message seen in several places is checked once, under its first label.
    let mut by_message: BTreeMap<String, String> = BTreeMap::new();
    let mut per_source: Vec<(String, usize)> = Vec::new();
    let mut add = |label: String, msgs: Vec<String>| {
        per_source.push((label.clone(), msgs.len()));
        for m in msgs {
            by_message.entry(m).or_insert_with(|| label.clone());
        }
    };

    let own = Path::new(env!("CARGO_MANIFEST_DIR"));
    if own.join(".git").exists() {
        let msgs = messages(own, false).expect("git log of this repository");
        assert!(!msgs.is_empty());
        add("this repository".to_owned(), msgs);
    } else {
        println!(
            "note: {} is not a git checkout (a source archive?): its own history is not checked",
            own.display()
        );
    }
    for repo in super::fixture_repos() {
        let msgs = messages(&repo.path, true)
            .unwrap_or_else(|| panic!("git log --all in fixture {}", repo.name));
        add(format!("fixture {}", repo.name), msgs);
    }
    let generated = super::generated();
    add(
        "generated".to_owned(),
        messages(&generated.dir, false).expect("git log of the generated repository"),
    );

    let messages: Vec<(&String, &String)> = by_message.iter().collect();
    let texts: Vec<String> = messages.iter().map(|(m, _)| (*m).clone()).collect();
    let from_git = gitcmd::interpret_trailers(&texts);

    let mut disagreements = Vec::new();
    let mut with_trailers = 0;
    for (i, (msg, label)) in messages.iter().enumerate() {
        let ours: Vec<String> = git_trailers(msg)
            .iter()
            .map(|t| format!("{}: {}", t.key, t.value))
            .collect();
        if !from_git[i].is_empty() {
            with_trailers += 1;
        }
        if ours != from_git[i] {
            disagreements.push(format!(
                "{label}: message {msg:?}\n  ours: {ours:?}\n  git:  {:?}",
                from_git[i]
            ));
        }
    }
    println!(
        "checked {} distinct messages against git interpret-trailers ({} with trailers): {:?}",
        messages.len(),
        with_trailers,
        per_source
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s) with git:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(5)].join("\n")
    );
    assert!(with_trailers > 500, "too few messages with trailers");

    // Beyond git: credit lines are git's trailers first, unchanged and in git's order, then
    // only lenient and Phabricator additions; lenient ones only where git found no block.
    let rules = CompiledRules::defaults();
    let known = |k: &str| rules.is_known_key(k);
    let mut extra: BTreeMap<&str, usize> = BTreeMap::new();
    for (msg, label) in &messages {
        let git: Vec<(String, String)> = git_trailers(msg)
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect();
        for (filter_name, filter) in [
            ("known keys", &known as &dyn Fn(&str) -> bool),
            ("all keys", &|_: &str| true),
        ] {
            let lines = credit_lines(msg, filter);
            let head: Vec<(String, String)> = lines
                .iter()
                .take_while(|l| l.source == Source::Git)
                .map(|l| (l.key.clone(), l.value.clone()))
                .collect();
            assert_eq!(
                head, git,
                "{label} ({filter_name}): git's trailers changed: {msg:?}"
            );
            for l in &lines[head.len()..] {
                match l.source {
                    Source::Git => panic!("{label}: a git trailer after lenient lines: {msg:?}"),
                    Source::Lenient => {
                        assert!(
                            git.is_empty(),
                            "{label}: lenient line next to git's block: {msg:?}"
                        );
                        assert!(filter(&l.key.to_ascii_lowercase()));
                        *extra.entry("lenient").or_default() += 1;
                    }
                    Source::Phabricator => *extra.entry("phabricator").or_default() += 1,
                }
            }
        }
    }
    println!("credit lines beyond git's trailers: {extra:?}");
    assert!(extra.get("lenient").copied().unwrap_or(0) > 0);
    assert!(extra.get("phabricator").copied().unwrap_or(0) > 0);
}
