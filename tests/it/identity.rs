//! One person, one row: the `identity` fixture has a case of every identity rule
//! (docs/identity.md); each is checked on the report, `gluework identities` and the terminal.

use crate::support as common;

use common::{count, fixtures, gluework, parse, scan_json, stderr, stdout};
use serde_json::Value;

fn report() -> Value {
    parse(&scan_json(&["identity"], &[]))
}

/// The one person whose name, email, login or an alias contains `needle`; fails when there are
/// several (the person would be split into rows) or none.
fn person<'a>(r: &'a Value, needle: &str) -> &'a Value {
    let hits: Vec<&Value> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            let mut texts = vec![
                p["name"].as_str().unwrap_or("").to_string(),
                p["email"].as_str().unwrap_or("").to_string(),
                p["login"].as_str().unwrap_or("").to_string(),
            ];
            texts.extend(
                p["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string()),
            );
            texts.iter().any(|t| t.contains(needle))
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{needle}: {} rows: {:#?}",
        hits.len(),
        hits.iter().map(|p| &p["name"]).collect::<Vec<_>>()
    );
    hits[0]
}

fn reason(p: &Value, identity: &str) -> String {
    p["joins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["identity"] == identity)
        .unwrap_or_else(|| panic!("{identity} not among {}", p["joins"]))["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_regular_contributor_is_one_row_with_reasons() {
    let r = report();
    let eric = person(&r, "eric@huss.org");
    assert_eq!(eric["name"], "Eric Huss");
    assert_eq!(eric["login"], "ehuss");
    assert_eq!(reason(eric, "ehuss <eric@huss.org>"), "same-email");
    assert!(reason(eric, "ehuss <ehuss@work.example>").ends_with("login:name"));
    // r=ehuss (bors), Reviewed By: ehuss (Phabricator), and the merges of Carol's and Alice's
    // requests.
    assert_eq!(count(eric, "review"), 4, "{}", eric["evidence"]);

    let bob = person(&r, "bob@example.org");
    assert_eq!(bob["login"], "bobstone");
    // His own "Reviewed-by: bobstone" is no review.
    assert_eq!(count(bob, "review"), 0);

    let carol = person(&r, "carol@example.org");
    assert_eq!(carol["login"], "carolc");
    assert_eq!(count(carol, "review"), 1);

    let dana = person(&r, "dana");
    assert_eq!(
        reason(dana, "Dana Kim <555+dana-old@users.noreply.github.com>"),
        "noreply-id"
    );
    assert_eq!(dana["commits"], 3);

    let alice = person(&r, "alice@ryhl.io");
    assert_eq!(
        reason(alice, "alice  RYHL <aliceryhl@google.com>"),
        "same-name"
    );
    assert_eq!(alice["login"], "darksonn");
    // Helped-by: Alice Ryhl (a bare name) joins her.
    assert_eq!(count(alice, "support"), 1);
    // r=Darksonn and Reviewed-by: Darksonn on her own pull requests (#9, #10) are no review.
    assert_eq!(count(alice, "review"), 0);
    // Her fix was co-authored by an AI assistant only: not a co-authored fix.
    assert_eq!(count(alice, "co_authored_fix"), 0);

    let someuser = person(&r, "someuser@example.org");
    assert_eq!(count(someuser, "support"), 1);

    // .mailmap rewrote Frank's old identity: the row names the address as written in the
    // commit, joined by `mailmap`; it is no row (nor alias) of its own.
    let frank = person(&r, "frank@moss.dev");
    assert_eq!(reason(frank, "fmoss <frank@oldjob.example>"), "mailmap");
    assert_eq!(frank["commits"], 2);
    assert!(!r.to_string().contains("\"name\":\"fmoss\""));

    // The same mailbox under a +tag: one row; a shared mailbox's tags under two full names:
    // two rows.
    let valentin = person(&r, "vakevk@example.net");
    assert_eq!(
        reason(valentin, "Valentin <vakevk+github@example.net>"),
        "subaddress"
    );
    assert_eq!(valentin["commits"], 2);
    let (ann, ben) = (person(&r, "oss+ann@"), person(&r, "oss+ben@"));
    assert_ne!(ann["id"], ben["id"]);

    // The Dutch letter ĳ is ij: one name.
    let pieter = person(&r, "pieter@work.example");
    assert_eq!(
        reason(pieter, "Pieter Bĳl <pieter@bijl.example>"),
        "same-name"
    );
}

#[test]
fn tools_placeholders_and_self_credit_earn_nothing() {
    let r = report();
    let names: Vec<&str> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for not_people in ["Claude", "GPT-5", "me", "weihanglo", "root"] {
        assert!(!names.contains(&not_people), "{not_people} in {names:?}");
    }
    // Placeholders never merge by name: two rows, and no review for applying a patch.
    assert_eq!(names.iter().filter(|n| **n == "Your Name").count(), 2);
    let weihang = person(&r, "me@weihanglo.tw");
    assert_eq!(count(weihang, "review"), 0);
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("root <root@localhost> is a placeholder identity")),
        "{warnings:?}"
    );
    // alexcrichton is a reviewer of its own (nothing proves the login), and with weihanglo a
    // likely duplicate.
    let alex = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "@alexcrichton")
        .expect("the login alexcrichton is a person of its own");
    assert_eq!(alex["email"], Value::Null);
    assert_eq!(count(alex, "review"), 1);
    assert_eq!(r["likely_duplicates"], 2);
}

#[test]
fn name_merging_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("no-names.toml");
    std::fs::write(&config, "[people]\nmerge_same_name = false\n").unwrap();
    let r = parse(&scan_json(
        &["identity"],
        &["--config", config.to_str().unwrap()],
    ));
    let rows = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("alice ryhl")
        })
        .count();
    assert_eq!(rows, 2);
}

#[test]
fn identities_lists_joins_duplicates_and_snippets() {
    let out = gluework(fixtures(), &["identities", "identity"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "Eric Huss <",
        "  + ehuss <eric@huss.org>  [same-email]",
        "  + Dana Kim <555+dana-old@users.noreply.github.com>  [noreply-id]",
        "Frank Moss <frank@moss.dev>\n  + fmoss <frank@oldjob.example>  [mailmap]",
        "Valentin <vakevk@example.net>\n  + Valentin <vakevk+github@example.net>  [subaddress]",
        "Likely duplicates not joined: 2",
        "(login equals name without spaces)",
        "[[alias]]\nname = \"Alex Crichton\"\nemails = [\"alex@alexcrichton.com\"]\nlogins = [\"alexcrichton\"]",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // The scan names the command, in the terminal and in report.md.
    let out = gluework(fixtures(), &["scan", "identity"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 likely duplicate identities not joined; `gluework identities`"),
        "{}",
        stdout(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = gluework(
        fixtures(),
        &["scan", "identity", "-q", "--out", out_dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(
        md.contains(
            "- **Identities:** 2 likely duplicate identities not joined; `gluework identities`"
        ),
        "{md}"
    );
}
