//! Lenient credit lines: git's trailers plus the credit lines projects write
//! where git does not look ([`credit_lines`], [`all_credit_lines`]).

use std::borrow::Cow;

use super::block::{
    git_trim, git_view, has_token_separator, is_git_space_char, Layout, COMMENT_CHAR,
};
use super::people::{is_commit_id, is_issue_ref, split_people, word_count_exceeds};

/// Where a [`CreditLine`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A trailer git itself reports (see [`git_trailers`](super::git_trailers)).
    Git,
    /// A `Key: value` line with a credit key in a final paragraph that git
    /// did not accept as a trailer block, or (only from [`all_credit_lines`])
    /// in one of the trailing paragraphs above the final one.
    Lenient,
    /// One login from a Phabricator `Reviewed By: a, b` line.
    Phabricator,
}

/// A `key: value` pair that may credit someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    /// The key as written, except that a key written with spaces
    /// (`Reported by`) is given with dashes (`Reported-by`).
    pub key: String,
    pub value: String,
    pub source: Source,
}

/// Every git trailer (all of them, credit or not, in git's order), followed
/// by gluework's lenient additions in message order:
///
/// * if git found no trailer block, each `Key: value` line of the final
///   paragraph (not the title) whose lower-cased key satisfies
///   `is_credit_key` ([`Source::Lenient`]);
/// * each login of a `Reviewed By: a, b` line that is in the final paragraph
///   or in a paragraph starting with such a line ([`Source::Phabricator`],
///   key `"Reviewed-by"`).  Phabricator project tags (`#libcxx`) are skipped.
///
/// Lenient keys may be written with single spaces instead of dashes
/// (`Reported by: x`, at most four words); they are checked, and reported,
/// with dashes (`Reported-by`).
///
/// The `Git` lines are exactly [`git_trailers`](super::git_trailers); lenient lines never replace
/// or alter them.  See [`all_credit_lines`] for the credit lines of the
/// paragraphs above the final one too.
pub fn credit_lines(message: &str, is_credit_key: &dyn Fn(&str) -> bool) -> Vec<CreditLine> {
    credit_lines_from(message, is_credit_key, false)
}

/// [`credit_lines`], plus, as [`Source::Lenient`] lines:
///
/// * in a final paragraph git accepted as its block, the credit lines git
///   does not read as trailers because the key has spaces
///   (`Mentored by: x` above `Signed-off-by:` lines);
/// * each `Key: value` line with a credit key in the *trailing paragraphs*
///   above the final one (even where git accepted the final paragraph).
///
/// The trailing paragraphs are found walking up from the final
/// paragraph, every paragraph in which more than half of the lines are
/// `Key: value` lines, references (`Closes #12`, `Follow-up to 1a2b3c4`, a
/// URL) or their indented continuations, up to the first paragraph that is
/// not.  This is curl's shape: a block of `Reported-by:` lines, a blank
/// line, a final `Closes #19265`.  What gluework credits.
///
/// Linear in the message length: every paragraph is looked at a bounded
/// number of times.
pub fn all_credit_lines(message: &str, is_credit_key: &dyn Fn(&str) -> bool) -> Vec<CreditLine> {
    credit_lines_from(message, is_credit_key, true)
}

fn credit_lines_from(
    message: &str,
    is_credit_key: &dyn Fn(&str) -> bool,
    with_trailing: bool,
) -> Vec<CreditLine> {
    let view = git_view(message);
    let layout = Layout::new(&view);

    let mut out: Vec<CreditLine> = layout
        .trailers()
        .into_iter()
        .map(|t| CreditLine {
            key: t.key,
            value: t.value,
            source: Source::Git,
        })
        .collect();

    let paragraphs = body_paragraphs(&layout);
    let Some(final_index) = paragraphs.len().checked_sub(1) else {
        return out;
    };
    let lenient_allowed = !layout.has_block();
    // The first paragraph of the trailing run (the final paragraph is always
    // in it; those above it only while they hold nothing but credit lines,
    // other `Key: value` lines and references).
    let mut first_trailing = final_index;
    while with_trailing
        && first_trailing > 0
        && is_trailing_paragraph(&paragraphs[first_trailing - 1])
    {
        first_trailing -= 1;
    }

    for (index, paragraph) in paragraphs.iter().enumerate() {
        let is_final = index == final_index;
        let phabricator_paragraph = is_final
            || paragraph
                .first()
                .is_some_and(|l| phabricator_value(l).is_some());
        let source = if is_final {
            (lenient_allowed || with_trailing).then_some(Source::Lenient)
        } else {
            (index >= first_trailing).then_some(Source::Lenient)
        };
        // In a block git accepted, only the lines git does not read as
        // trailers (`Mentored by: x` among `Signed-off-by:` lines).
        let only_non_trailers = is_final && !lenient_allowed;
        for line in paragraph {
            if phabricator_paragraph {
                if let Some(value) = phabricator_value(line) {
                    out.extend(
                        split_people(value)
                            .into_iter()
                            .filter(|p| !p.starts_with('#'))
                            .map(|p| CreditLine {
                                key: "Reviewed-by".to_owned(),
                                value: p.to_owned(),
                                source: Source::Phabricator,
                            }),
                    );
                    continue;
                }
            }
            let Some(source) = source else { continue };
            if only_non_trailers && has_token_separator(line.as_bytes()) {
                continue;
            }
            if let Some((key, value)) = lenient_key_value(line) {
                if is_credit_key(&key.to_ascii_lowercase()) {
                    out.push(CreditLine {
                        key: key.into_owned(),
                        value: value.to_owned(),
                        source,
                    });
                }
            }
        }
    }
    out
}

/// True for a paragraph (before the final one) that may hold credit lines:
/// more than half of its lines are `Key: value` lines, reference lines or
/// their indented continuations (`Reported-by: x` / `Found by a fuzzer` /
/// `Bug: https://…` qualifies; a line of prose and a credit line do not).
fn is_trailing_paragraph(paragraph: &[&str]) -> bool {
    let mut trailer_like = 0usize;
    let mut previous_trailer_like = false;
    for line in paragraph {
        let this = if line.starts_with([' ', '\t']) {
            previous_trailer_like
        } else {
            lenient_key_value(line).is_some()
                || has_token_separator(line.as_bytes())
                || is_reference_line(line)
        };
        trailer_like += usize::from(this);
        previous_trailer_like = this;
    }
    trailer_like * 2 > paragraph.len()
}

/// A short line (at most eight words) that points at an issue, a commit or
/// a web page: it holds `#123`, `GH-123`, `owner/repo#123`, a URL or a
/// commit id of 7 to 40 hex digits (`Closes #19265`, `Follow-up to
/// 1a2b3c4d`, `Regression since 7f4a9a9`, `Discussed in #750`).
fn is_reference_line(line: &str) -> bool {
    if word_count_exceeds(line, 8) {
        return false;
    }
    line.contains("://")
        || line.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '#');
            is_issue_ref(w) || (is_commit_id(w) && w.bytes().any(|b| b.is_ascii_digit()))
        })
}

/// The non-title paragraphs of the log message (as git delimits it), each as
/// its non-comment lines with trailing whitespace (incl. `\r`) removed.
///
/// If git's title region holds no real line (the message starts with a
/// blank line, or with only comment lines before one), git considers the
/// title empty; humans (and `git log`, which skips leading blank lines) see
/// the first remaining paragraph as the title, so it is dropped here.
fn body_paragraphs<'a>(layout: &Layout<'a>) -> Vec<Vec<&'a str>> {
    let body = &layout.text[layout.end_of_title..];
    let mut paragraphs: Vec<Vec<&'a str>> = Vec::new();
    let mut current: Vec<&'a str> = Vec::new();
    for line in body.split('\n') {
        if line.starts_with(COMMENT_CHAR as char) {
            continue;
        }
        let line = line.trim_end_matches(is_git_space_char);
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let title_is_empty = layout.text[..layout.end_of_title]
        .split('\n')
        .all(|l| l.starts_with(COMMENT_CHAR as char) || git_trim(l).is_empty());
    if title_is_empty && !paragraphs.is_empty() {
        paragraphs.remove(0);
    }
    paragraphs
}

/// `Reviewed By: <value>` (case-insensitive, exactly one space inside the
/// key, optional blanks before the colon) → the value, trimmed.
fn phabricator_value(line: &str) -> Option<&str> {
    const KEY: &str = "reviewed by";
    let head = line.get(..KEY.len())?;
    if !head.eq_ignore_ascii_case(KEY) {
        return None;
    }
    let rest = line[KEY.len()..].trim_start_matches([' ', '\t']);
    let value = rest.strip_prefix(':')?;
    Some(value.trim())
}

/// Most words in a lenient key written with spaces (`Reported and fixed by`).
const MAX_KEY_WORDS: usize = 4;

/// A lenient `Key: value` line: key `[A-Za-z0-9][A-Za-z0-9_-]*` at the very
/// start of the line, or up to four such words separated by single spaces
/// (`Reported by`, returned as `Reported-by`), optional blanks, `:`, a
/// non-empty value.
fn lenient_key_value(line: &str) -> Option<(Cow<'_, str>, &str)> {
    let bytes = line.as_bytes();
    if !bytes.first()?.is_ascii_alphanumeric() {
        return None;
    }
    let is_key_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut key_len = bytes.iter().position(|&b| !is_key_byte(b))?;
    let mut words = 1;
    // More words: a single space, then a word that starts with a letter.
    while bytes[key_len] == b' '
        && bytes.get(key_len + 1).is_some_and(u8::is_ascii_alphabetic)
        && words < MAX_KEY_WORDS
    {
        let start = key_len + 1;
        let len = bytes[start..].iter().position(|&b| !is_key_byte(b))?;
        key_len = start + len;
        words += 1;
    }
    let rest = line[key_len..].trim_start_matches([' ', '\t']);
    let value = rest.strip_prefix(':')?.trim();
    if value.is_empty() {
        return None;
    }
    let key = &line[..key_len];
    let key = if words > 1 {
        Cow::Owned(key.replace(' ', "-"))
    } else {
        Cow::Borrowed(key)
    };
    Some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::trailers::block::tests::lines;
    use crate::classify::trailers::git_trailers;

    fn credit_key(k: &str) -> bool {
        matches!(
            k,
            "reviewed-by"
                | "co-authored-by"
                | "acked-by"
                | "tested-by"
                | "helped-by"
                | "reported-by"
                | "assisted-by"
        )
    }

    fn credits(message: &str) -> Vec<(String, String, Source)> {
        credit_lines(message, &credit_key)
            .into_iter()
            .map(|c| (c.key, c.value, c.source))
            .collect()
    }

    /// [`all_credit_lines`] with the test keys.
    fn all_credits(message: &str) -> Vec<(String, String, Source)> {
        all_credit_lines(message, &credit_key)
            .into_iter()
            .map(|c| (c.key, c.value, c.source))
            .collect()
    }

    fn c(key: &str, value: &str, source: Source) -> (String, String, Source) {
        (key.to_owned(), value.to_owned(), source)
    }

    #[test]
    fn credit_lines_start_with_all_git_trailers() {
        let m = "T\n\nChange-Id: I123\nReviewed-by: B <b@x>\n";
        assert_eq!(
            credits(m),
            [
                c("Change-Id", "I123", Source::Git),
                c("Reviewed-by", "B <b@x>", Source::Git)
            ]
        );
    }

    #[test]
    fn lenient_lines_when_git_rejects_block() {
        let m = "T\n\nCloses #12\nReviewed-by: A <a@x>\nChange-Id: I1\n";
        assert!(git_trailers(m).is_empty());
        assert_eq!(credits(m), [c("Reviewed-by", "A <a@x>", Source::Lenient)]);
    }

    #[test]
    fn lenient_is_case_insensitive_and_keeps_key_spelling() {
        let m = "T\n\nSome prose here.\nREVIEWED-BY : A\n";
        assert_eq!(credits(m), [c("REVIEWED-BY", "A", Source::Lenient)]);
    }

    #[test]
    fn no_lenient_when_git_found_a_block() {
        // git accepts the block via the 25% rule; the prose line with a
        // credit-looking key stays untouched.
        let m = "T\n\nSigned-off-by: x\nprose\nmore prose\n";
        assert_eq!(credits(m), [c("Signed-off-by", "x", Source::Git)]);
    }

    #[test]
    fn no_lenient_from_title_or_earlier_paragraphs() {
        assert!(credits("Reviewed-by: A\n").is_empty());
        // Leading blank line: git sees an empty title (and no block here),
        // gluework still treats the first paragraph as the title.
        assert!(credits("\nReviewed-by: A\nprose\n").is_empty());
        assert!(credits("# comment\n\nReviewed-by: A\nprose\n").is_empty());
        assert_eq!(
            credits("\n\nTitle\n\nprose\nReviewed-by: A\n"),
            [c("Reviewed-by", "A", Source::Lenient)]
        );
        let m = "T\n\nReviewed-by: A\nprose\n\nJust prose.\n";
        assert!(credits(m).is_empty());
    }

    #[test]
    fn lenient_ignores_patch_part() {
        let m = "T\n\nprose\n---\nReviewed-by: A\n";
        assert!(credits(m).is_empty());
    }

    #[test]
    fn phabricator_reviewed_by() {
        let m = "[X86] Fix\n\nSummary.\n\nReviewed By: craig.topper, MaskRay,#libc\n\n\
                 Differential Revision: https://reviews.llvm.org/D1\n";
        assert_eq!(
            credits(m),
            [
                c("Reviewed-by", "craig.topper", Source::Phabricator),
                c("Reviewed-by", "MaskRay", Source::Phabricator)
            ]
        );
        let last = "T\n\nDifferential Revision: https://x/D2\nreviewed by: alice\n";
        assert_eq!(
            credits(last),
            [c("Reviewed-by", "alice", Source::Phabricator)]
        );
        // Not in the final paragraph and not starting its paragraph: ignored.
        let mid = "T\n\nprose\nReviewed By: a\n\nend\n";
        assert!(credits(mid).is_empty());
        // Two spaces is not the Phabricator key.
        assert!(credits("T\n\nReviewed  By: a\n").is_empty());
    }

    #[test]
    fn phabricator_alongside_git_block() {
        let m = "T\n\nReviewed By: bob\nSigned-off-by: a\n";
        // git accepts (1 recognized trailer, 1 non-trailer).
        assert_eq!(
            credits(m),
            [
                c("Signed-off-by", "a", Source::Git),
                c("Reviewed-by", "bob", Source::Phabricator)
            ]
        );
    }

    #[test]
    fn non_credit_keys_never_added() {
        let m = "T\n\nprose\nFixes: #1\nBug: 2\n";
        assert!(credits(m).is_empty());
    }

    #[test]
    fn credit_lines_in_paragraphs_before_the_final_one() {
        // curl's shape: credits, a blank line, a final `Closes #N`.
        let m = "T\n\nProse.\n\nReported-by: Ann Lee\nReviewed-by: Bob\n\nCloses #19265\n";
        assert!(git_trailers(m).is_empty());
        // Only where asked for: `credit_lines` keeps to the final paragraph.
        assert!(credits(m).is_empty());
        assert_eq!(
            all_credits(m),
            [
                c("Reported-by", "Ann Lee", Source::Lenient),
                c("Reviewed-by", "Bob", Source::Lenient)
            ]
        );
        // git's block stays git's; the paragraph above it is an addition.
        let m = "T\n\nAssisted-by: Ann\n\nSigned-off-by: Sam <s@x>\nReviewed-by: Bob\n";
        assert_eq!(
            all_credits(m),
            [
                c("Signed-off-by", "Sam <s@x>", Source::Git),
                c("Reviewed-by", "Bob", Source::Git),
                c("Assisted-by", "Ann", Source::Lenient)
            ]
        );
        // Through several paragraphs of references and other `Key: value` lines.
        let m = "T\n\nbody\n\nReviewed-by: Ann\nFixes #12\n\nFollow-up to 1a2b3c4d\n\
                 Bug: https://example.org/b/1\n  continued\n\nURL: https://x/y\nCloses #3\n";
        assert_eq!(all_credits(m), [c("Reviewed-by", "Ann", Source::Lenient)]);
        // A paragraph of prose stops the walk: what is above it is body text.
        let m = "T\n\nReviewed-by: Ann\n\nThis changes the parser.\n\nCloses #1\n";
        assert!(all_credits(m).is_empty());
        // A paragraph before the final one needs more than half of its lines
        // to be `Key: value` lines or references.
        let m = "T\n\nThanks to Ann for finding this.\nReviewed-by: Ann\n\nCloses #1\n";
        assert!(all_credits(m).is_empty());
        let m = "T\n\nReported-by: Ann\nFound by a fuzzer\nBug: https://x/1\n\nCloses #1\n";
        assert_eq!(all_credits(m), [c("Reported-by", "Ann", Source::Lenient)]);
        let m = "T\n\n- item\n  more\nReviewed-by: Ann\n\nCloses #1\n";
        assert!(all_credits(m).is_empty());
        // A long line is prose even if it mentions an issue.
        let m = "T\n\nReviewed-by: Ann\n\nA long line of prose about #12 and more words.\n\nCloses #1\n";
        assert!(all_credits(m).is_empty());
        // The final paragraph is always read, whatever it holds.
        let m = "T\n\nReviewed-by: Ann\n\nThanks to everyone who tested this!\n";
        assert_eq!(all_credits(m), [c("Reviewed-by", "Ann", Source::Lenient)]);
        // Never the title, never non-credit keys, never below the patch divider.
        assert!(all_credits("Reviewed-by: A\n\nCloses #1\n").is_empty());
        assert!(all_credits("T\n\nFixes: #1\nBug: 2\n\nCloses #1\n").is_empty());
        assert!(all_credits("T\n\nCloses #1\n---\nReviewed-by: A\n\nCloses #2\n").is_empty());
    }

    #[test]
    fn spaced_keys_inside_a_block_git_accepts() {
        // git's 25% rule accepts the block; `Mentored by:` is not a trailer.
        let m = "T\n\nbody\n\nHelped by: Ann <a@x>\nSigned-off-by: Mia <m@x>\n\
                 Signed-off-by: Jun <j@x>\n";
        assert_eq!(
            lines(m),
            ["Signed-off-by: Mia <m@x>", "Signed-off-by: Jun <j@x>"]
        );
        assert_eq!(
            all_credits(m),
            [
                c("Signed-off-by", "Mia <m@x>", Source::Git),
                c("Signed-off-by", "Jun <j@x>", Source::Git),
                c("Helped-by", "Ann <a@x>", Source::Lenient)
            ]
        );
        // credit_lines keeps lenient lines to blocks git rejected.
        assert_eq!(credits(m).len(), 2);
        // A line git reads is never read twice, nor a prose line with a key.
        let m = "T\n\nReviewed-by: Ann\nSigned-off-by: Mia <m@x>\nprose\n";
        assert_eq!(all_credits(m).len(), 2);
    }

    #[test]
    fn lenient_keys_written_with_spaces() {
        let m = "T\n\nprose\nReported by: Ann\nreported BY : Bob\n";
        assert!(git_trailers(m).is_empty());
        assert_eq!(
            all_credits(m),
            [
                c("Reported-by", "Ann", Source::Lenient),
                c("reported-BY", "Bob", Source::Lenient)
            ]
        );
        // In a trailing paragraph too; the key is checked with dashes.
        let m = "T\n\nReported by: Ann\n\nCloses #1\n";
        assert_eq!(all_credits(m), [c("Reported-by", "Ann", Source::Lenient)]);
        assert!(credits(m).is_empty());
        // Two spaces, five words or a key with other characters: not a key.
        assert!(all_credits("T\n\nprose\nReported  by: A\n").is_empty());
        assert!(all_credits("T\n\nprose\nIt was reported by: A\n").is_empty());
        assert!(all_credits("T\n\nprose\nReported (by): A\n").is_empty());
        assert_eq!(
            lenient_key_value("Reported and fixed by: X"),
            Some((Cow::Borrowed("Reported-and-fixed-by"), "X"))
        );
        assert_eq!(lenient_key_value("A b c d e: X"), None);
    }

    #[test]
    fn reference_lines() {
        for l in [
            "Closes #19265",
            "Fixes #12",
            "Follow-up to 5f5e000278df1029db2ee3f4499b5ce27c1861b2",
            "Regression since 7f4a9a9 (shipped in libcurl 7.77.0)",
            "Discussed in #750",
            "https://example.org/issue/1",
            "See GH-12",
            "Fixes curl/curl#5",
        ] {
            assert!(is_reference_line(l), "{l}");
        }
        for l in [
            "Fix the crash",
            "Detected by OSS-Fuzz",
            "deadbeef is not a commit id without digits",
            "This long sentence mentions #12 but it is prose all the same.",
        ] {
            assert!(!is_reference_line(l), "{l}");
        }
    }
}
