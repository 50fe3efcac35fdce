//! Gerrit review notes: the `refs/notes/review` notes Gerrit's review-notes plugin writes for
//! each submitted change, e.g.
//!
//! ```text
//! Code-Review+2: Jane Doe <jane@example.com>
//! Verified+1: CI Bot <ci@example.com>
//! Submitted-by: Jane Doe <jane@example.com>
//! Submitted-at: Tue, 24 Nov 2026 10:00:00 +0000
//! Reviewed-on: https://review.example.org/c/project/+/1234
//! ```
//!
//! Every vote (`Label±N: person`) and the submitter are review work on the noted commit: each
//! becomes a `review` credit whose kind carries the label and the vote
//! (`gerrit:code-review+2`, `gerrit:submitted-by`). Pure: text in, credits out.

use super::{credit_ident, Named};
use crate::category::Category;
use crate::ident::mailmap::Mailmap;

/// The credits of one review note, in note order.
pub fn review_note(text: &str, mailmap: &Mailmap) -> Vec<Named> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let kind = if key.eq_ignore_ascii_case("Submitted-by") {
            "gerrit:submitted-by".into()
        } else if let Some((label, vote)) = vote(key) {
            format!("gerrit:{}{vote}", label.to_ascii_lowercase()).into()
        } else {
            continue;
        };
        if let Some(who) = credit_ident(mailmap, value.trim()) {
            out.push(Named {
                who: who.into(),
                category: Category::Review,
                kind,
            });
        }
    }
    out
}

/// `Code-Review+2` → (`Code-Review`, `+2`): a label name (letters, digits, `-`, starting with a
/// letter) and a signed vote. Votes of zero are not votes.
fn vote(key: &str) -> Option<(&str, &str)> {
    let at = key.rfind(['+', '-'])?;
    let (label, vote) = key.split_at(at);
    let digits = &vote[1..];
    let valid_label = label.starts_with(|c: char| c.is_ascii_alphabetic())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.ends_with('-');
    let valid_vote = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.bytes().any(|b| b != b'0');
    (valid_label && valid_vote).then_some((label, vote))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        review_note(text, &Mailmap::default())
            .into_iter()
            .map(|n| (n.who.display(), n.kind.to_string()))
            .collect()
    }

    #[test]
    fn votes_and_the_submitter_are_reviews() {
        let note = "Code-Review+2: Jane Doe <jane@example.com>\n\
                    Code-Review-1: Kim Lee <kim@example.com>\n\
                    Verified+1: CI Bot <ci@example.com>\n\
                    Library-Compliance+1: Jane Doe <jane@example.com>\n\
                    Submitted-by: Jane Doe <jane@example.com>\n\
                    Submitted-at: Tue, 24 Nov 2026 10:00:00 +0000\n\
                    Reviewed-on: https://review.example.org/c/project/+/1234\n\
                    Project: project\n\
                    Branch: refs/heads/main\n";
        assert_eq!(
            kinds(note),
            [
                ("Jane Doe <jane@example.com>", "gerrit:code-review+2"),
                ("Kim Lee <kim@example.com>", "gerrit:code-review-1"),
                ("CI Bot <ci@example.com>", "gerrit:verified+1"),
                ("Jane Doe <jane@example.com>", "gerrit:library-compliance+1"),
                ("Jane Doe <jane@example.com>", "gerrit:submitted-by"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(review_note(note, &Mailmap::default())
            .iter()
            .all(|n| n.category == Category::Review));
    }

    #[test]
    fn other_lines_are_not_people() {
        for line in [
            "Reviewed-on: https://review.example.org/c/p/+/1",
            "Submitted-at: Tue, 24 Nov 2026 10:00:00 +0000",
            "Code-Review+0: Jane <jane@example.com>",
            "Code-Review: Jane <jane@example.com>",
            "-1: Jane <jane@example.com>",
            "Code Review+2: Jane <jane@example.com>",
            "Code-Review+2:",
            "https://example.org/x+1: y",
            "no colon here",
            "",
        ] {
            assert!(kinds(line).is_empty(), "{line:?}");
        }
    }

    #[test]
    fn the_mailmap_applies_to_voters() {
        let mut mm = Mailmap::new();
        assert!(mm
            .add_text(b"Jane Doe <jane@new.example> <jane@old.example>\n")
            .is_empty());
        let got = review_note("Code-Review+2: J. Doe <jane@old.example>\n", &mm);
        assert_eq!(got[0].who.email.as_deref(), Some("jane@new.example"));
        assert_eq!(got[0].who.name, "Jane Doe");
    }
}
