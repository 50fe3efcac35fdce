//! Commit classification: `gluework::classify::classify` on a commit whose message,
//! identities and changed paths all come from the fuzzer.
#![no_main]

use gluework::classify::{classify, CommitFacts, Signature};
use gluework::ident::mailmap::Mailmap;
use gluework::rules::CompiledRules;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RULES: LazyLock<CompiledRules> = LazyLock::new(CompiledRules::defaults);
static MAILMAP: LazyLock<Mailmap> = LazyLock::new(|| {
    let mut m = Mailmap::new();
    m.add_text(b"Jane Doe <jane@example.org> <j@x>\n<p@x> Old <o@x>\n");
    m
});

fuzz_target!(|data: &[u8]| {
    // Layout: [parents] [message ... \0 author name \0 author email \0 paths separated by \n].
    let Some((&parents, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(4, |&b| b == 0);
    let message = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let name = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let email = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let paths: Vec<Vec<u8>> = parts
        .next()
        .unwrap_or_default()
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let parents = usize::from(parents % 3);
    let facts = CommitFacts {
        id: "0123456789abcdef0123456789abcdef01234567".to_owned(),
        parents: (0..parents).map(|i| format!("{i:040x}")).collect(),
        author: Signature {
            name: name.clone(),
            email: email.clone(),
            time: 0,
        },
        committer: Signature {
            name: email,
            email: name,
            time: 1,
        },
        message,
        paths: (parents < 2).then_some(paths),
        gitlinks: 0,
    };
    let record = classify(&facts, &RULES, &MAILMAP);
    assert_eq!(record.merge.is_some(), parents > 1);
    // Only a commit whose every path is excluded lacks an own type, and the default rules
    // exclude nothing.
    if record.merge.is_none() {
        assert!(record.own.is_some());
    }
});
