//! Commit-message trailers and credit lines for gluework.
//!
//! This module has three layers, one file each:
//!
//! 1. [`git_trailers`] (`block.rs`): a faithful re-implementation of what
//!    `git interpret-trailers --parse` (git 2.47, default configuration,
//!    `trailer.separators=:`) prints for a message fed on stdin.  The
//!    behaviour follows git's `trailer.c` (`find_end_of_log_message`,
//!    `find_trailer_block_start`, `find_separator`, `unfold_value`),
//!    `commit.c` (`ignored_log_message_bytes`) and `wt-status.c`
//!    (`wt_status_locate_end`, the scissors line), including their quirks.
//! 2. [`credit_lines`] (`lenient.rs`): gluework's lenient superset.  Everything git reports,
//!    plus credit-looking `Key: value` lines in a final paragraph that git
//!    rejected (keys may be written with spaces: `Reported by:`), plus
//!    Phabricator-style `Reviewed By: a, b` lines; [`all_credit_lines`] adds
//!    the credit lines of the trailing paragraphs above the final one.
//! 3. [`parse_identity`] / [`parse_people`] / [`split_people`] (`people.rs`): turning a
//!    credit value into the people it names (name / email / GitHub login;
//!    `A and B`, `x on github`, malformed addresses), refusing anything that
//!    is not clearly a person (prose, URLs, issues, organisations).
//!
//! The layers point one way: `lenient` reads git's block through `block`'s
//! `Layout` and splits Phabricator logins with `people`; `block` and `people`
//! know nothing of the others.  The hostile-input tests below cross all three.
//!
//! Everything here is linear (or `O(n * k)` with a small constant `k`) in the
//! input length and never panics on any `&str`.

mod block;
mod lenient;
mod people;

pub use block::{git_trailers, Trailer};
pub use lenient::{all_credit_lines, credit_lines, CreditLine, Source};
pub use people::{parse_identity, parse_people, split_people, CreditIdentity};

#[cfg(test)]
mod tests {
    use super::*;

    // --- Hostile input -----------------------------------------------------

    // Hostile inputs must not panic. Hangs and quadratic blow-ups are caught by the watchdog
    // in tests/hostile_input.rs; tests never assert on wall time.

    #[test]
    fn hostile_long_line() {
        let long = "x".repeat(100_000);
        // The 100k-char token is a perfectly valid trailer key for git.
        let m = format!("T\n\nKey: {long}\n{long}\n\nA{long}: b\n");
        assert_eq!(git_trailers(&m).len(), 1);
        let m = format!("T\n\nKey: {long}\n");
        assert_eq!(git_trailers(&m)[0].value.len(), 100_000);
        let m = format!("{long}:{long}");
        assert!(git_trailers(&m).is_empty());
        let _ = credit_lines(&m, &|_| true);
        let v = format!("{long} <{long}@x>");
        let _ = parse_identity(&v);
        let words = "Ab ".repeat(50_000);
        assert_eq!(parse_identity(&words), None);
        assert_eq!(split_people(&",".repeat(100_000)).len(), 0);
    }

    #[test]
    fn hostile_many_continuations() {
        let mut m = String::from("T\n\nKey: start\n");
        for _ in 0..10_000 {
            m.push_str("  more\n\tmore\r\n");
        }
        let t = git_trailers(&m);
        assert_eq!(t.len(), 1);
        assert!(t[0].value.starts_with("start more more\r more"));
        let _ = credit_lines(&m, &|_| true);
    }

    #[test]
    fn hostile_many_lines_and_paragraphs() {
        let mut m = String::from("T\n");
        for i in 0..50_000 {
            m.push_str(match i % 7 {
                0 => "\n",
                1 => "#c\n",
                2 => "Signed-off-by: x\n",
                3 => "  cont\n",
                4 => "Reviewed By: a, b\n",
                5 => "Conflicts:\n",
                _ => "---x\n",
            });
        }
        let _ = git_trailers(&m);
        let _ = credit_lines(&m, &|_| true);
        let nuls = "\0\n:\0#".repeat(20_000);
        let _ = git_trailers(&nuls);
        let _ = credit_lines(&nuls, &|_| true);
        let _ = parse_identity(&nuls);
        let scissors = "\n# ------------------------ >8 -----------------------".repeat(5_000);
        let _ = git_trailers(&scissors);
    }

    /// Inputs shaped to trigger quadratic behaviour in a naive
    /// implementation (~0.5 MB each): a quadratic loop would need on the
    /// order of 10^10..10^11 steps here.
    #[test]
    fn hostile_quadratic_bait() {
        let inputs = [
            format!("T\n\nA: b\n{}", "  c\n".repeat(125_000)),
            format!("T\n\n{}", "A: b\n".repeat(50_000)),
            format!("T\n\n{}", "#\n".repeat(225_000)),
            format!("T\n{}", "\n".repeat(500_000)),
            format!("T\n\n{}", "Conflicts:\n\tf\n".repeat(35_000)),
            format!("T\n\n{}", "Signed-off-by: x\nprose\n".repeat(20_000)),
            format!("T\n\n{}", "Reviewed By: a,b\n\n".repeat(25_000)),
            format!("T\n\n{}", "- \n---x\n".repeat(50_000)),
            format!("T\n\nK: {}", "\n \n".repeat(125_000)),
            "\r\n".repeat(225_000),
        ];
        for m in &inputs {
            let _ = git_trailers(m);
            let _ = credit_lines(m, &|_| true);
        }
        for v in [
            "\"".repeat(500_000),
            "<".repeat(500_000),
            "a@".repeat(225_000),
            "Ab. ".repeat(125_000),
            ", ".repeat(225_000),
            " and ".repeat(100_000),
            "<at>".repeat(125_000),
            " <at> ".repeat(80_000),
            "(".repeat(500_000),
            "a on github ".repeat(40_000),
            format!("T\n\n{}", "Reviewed-by: a\n\n".repeat(25_000)),
            format!("T\n\n{}", "Closes #1\n\n".repeat(25_000)),
            format!("T\n\n{}", "Reported by: a, b and c\n".repeat(20_000)),
        ] {
            let _ = parse_identity(&v);
            let _ = parse_people(&v);
            let _ = split_people(&v);
            let _ = credit_lines(&v, &|_| true);
        }
    }

    #[test]
    fn hostile_structures_do_not_panic() {
        for m in [
            "\n",
            "\n\n",
            ":",
            ":\n",
            "\r",
            "\r\n\r\n",
            "#",
            "#\n\n#",
            "---",
            "--- ",
            "- -",
            "\t",
            "\n\t",
            "\n\t\n",
            "a:\n\n\t",
            "é:\n\nä: ö\n",
            "\u{feff}T\n\nA: b",
            "T\n\n\u{2028}A: b",
            "(cherry picked from commit ",
            "Signed-off-by: ",
            "T\n\nSigned-off-by: ",
            "Conflicts:\n",
            "\nConflicts:\n\tx: y\n",
            "# ------------------------ >8 ------------------------\n",
            "T\n\nA: b\n# ------------------------ >8 ------------------------",
        ] {
            let _ = git_trailers(m);
            let _ = credit_lines(m, &|_| true);
            let _ = parse_identity(m);
            let _ = split_people(m);
        }
    }
}
