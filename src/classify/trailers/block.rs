//! git's trailer block: exactly what `git interpret-trailers --parse` prints
//! ([`git_trailers`]), and the message [`Layout`] (title, body, block) the
//! lenient credit lines build on.

use std::borrow::Cow;
use std::fmt;

/// One trailer as printed by `git interpret-trailers --parse`.
///
/// `format!("{}: {}", t.key, t.value)` (or `t.to_string()`) reproduces git's
/// output line exactly, including the trailing space git prints for an empty
/// value (`"Key: "`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    /// The token before the `:` with surrounding whitespace removed
    /// (`"Key :"` gives `"Key"`).  Case is preserved.
    pub key: String,
    /// The value with continuation lines unfolded into single spaces and
    /// surrounding whitespace removed.  May be empty.  Interior bytes such as
    /// `\r` are kept verbatim, exactly like git does.
    pub value: String,
}

impl fmt::Display for Trailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.value)
    }
}

/// git's comment character (`core.commentChar` default).
pub(super) const COMMENT_CHAR: u8 = b'#';

/// The only configured separator (`trailer.separators=:`).
const SEPARATOR: u8 = b':';

/// Lines starting with these count as trailers *and* let the 25% rule apply
/// (`git_generated_prefixes` in trailer.c).  Case-sensitive, and the final
/// space is part of the prefix: `Signed-off-by:\tx` does not qualify.
const GIT_GENERATED_PREFIXES: [&[u8]; 2] = [b"Signed-off-by: ", b"(cherry picked from commit "];

/// The `git commit -v` scissors line, comment char included.  Everything from
/// this line on is ignored.
const SCISSORS_LINE: &[u8] = b"# ------------------------ >8 ------------------------\n";

/// git's locale-independent `isspace`: only space, `\t`, `\n` and `\r`
/// (notably *not* `\x0b` or `\x0c`, unlike `u8::is_ascii_whitespace`).
fn is_git_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn is_git_space_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `strbuf_trim`: strip git whitespace on both ends.
pub(super) fn git_trim(s: &str) -> &str {
    s.trim_matches(is_git_space_char)
}

/// Offset of the start of the line following the one containing `pos`
/// (or `buf.len()` if there is none).  git's `next_line`.
fn next_line(buf: &[u8], pos: usize) -> usize {
    match buf[pos..].iter().position(|&b| b == b'\n') {
        Some(i) => pos + i + 1,
        None => buf.len(),
    }
}

/// Start of the last line of `buf[..len]`, treating a final `\n` as part of
/// that line; `None` if `len == 0`.  git's `last_line`.
///
/// Walking a buffer backwards with `last_line(buf, previous_start)` visits
/// every byte once, so the whole walk is linear.
fn last_line(buf: &[u8], len: usize) -> Option<usize> {
    match len {
        0 => None,
        1 => Some(0),
        _ => Some(
            buf[..len - 1]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1),
        ),
    }
}

/// A line consisting only of git whitespace (`\r\n` and `"  \n"` are blank).
fn is_blank_line(buf: &[u8], pos: usize) -> bool {
    buf[pos..]
        .iter()
        .take_while(|&&b| b != b'\n')
        .all(|&b| is_git_space(b))
}

/// git's `find_separator` for the separator set `":"`.
///
/// Accepts `<token><optional blanks>:` where token is `[A-Za-z0-9-]+`
/// (ASCII only), and also a line starting with `:` (returns `Some(0)`, which
/// callers treat as "not a trailer").  A token followed by a blank and then
/// another word (`Reviewed By: x`) is rejected.
fn find_separator(line: &[u8]) -> Option<usize> {
    let mut whitespace_found = false;
    for (i, &c) in line.iter().enumerate() {
        if c == SEPARATOR {
            return Some(i);
        }
        if !whitespace_found && (c.is_ascii_alphanumeric() || c == b'-') {
            continue;
        }
        if i != 0 && (c == b' ' || c == b'\t') {
            whitespace_found = true;
            continue;
        }
        break;
    }
    None
}

/// True if `find_separator` finds a non-empty token.
pub(super) fn has_token_separator(line: &[u8]) -> bool {
    matches!(find_separator(line), Some(p) if p >= 1)
}

/// Naive substring search; `O(n * needle.len())`, used only with the short
/// constant scissors pattern.
fn find_subslice(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What `interpret-trailers` actually parses: the input is read into a
/// buffer, a final newline is added if missing (`strbuf_complete_line`), and
/// from then on the buffer is handled as a C string, so everything from the
/// first NUL byte on is invisible.  (With a NUL present, the newline was
/// appended after the NUL and therefore is invisible too.)
pub(super) fn git_view(message: &str) -> Cow<'_, str> {
    match message.find('\0') {
        Some(nul) => Cow::Borrowed(&message[..nul]),
        None if !message.is_empty() && !message.ends_with('\n') => {
            Cow::Owned(format!("{message}\n"))
        }
        None => Cow::Borrowed(message),
    }
}

/// `wt_status_locate_end`: where the scissors line cuts the message.
///
/// The pattern is searched in the *whole* buffer, but only honoured if it
/// lies before `len`.
fn scissors_cutoff(buf: &[u8], len: usize) -> usize {
    if buf.starts_with(SCISSORS_LINE) {
        return 0;
    }
    // "\n# ------------------------ >8 ------------------------\n"
    let mut pattern = Vec::with_capacity(SCISSORS_LINE.len() + 1);
    pattern.push(b'\n');
    pattern.extend_from_slice(SCISSORS_LINE);
    match find_subslice(buf, &pattern) {
        Some(p) if p + 1 < len => p + 1,
        _ => len,
    }
}

/// `ignored_log_message_bytes`: the number of bytes at the end of
/// `buf[..len]` that are trailing comment lines, empty lines, an old-style
/// `Conflicts:` block, or stuff below the scissors line.
///
/// Two quirks of git are reproduced on purpose:
/// * only *empty* lines (`"\n"`) extend the ignored run; a whitespace-only
///   line (`"  \n"`, `"\r\n"`) ends it;
/// * "beginning of run" uses offset 0 as "unset", so a run starting at the
///   very first line does not include that line, and a `Conflicts:` flag set
///   on the first line is never cleared.
fn ignored_log_message_bytes(buf: &[u8], len: usize) -> usize {
    let cutoff = scissors_cutoff(buf, len);
    let mut boc = 0usize; // beginning of the current ignorable run; 0 = none
    let mut bol = 0usize;
    let mut in_old_conflicts_block = false;
    while bol < cutoff {
        let next = match buf[bol..len].iter().position(|&b| b == b'\n') {
            Some(i) => bol + i + 1,
            None => len,
        };
        let first = buf[bol];
        if first == COMMENT_CHAR || first == b'\n' {
            if boc == 0 {
                boc = bol;
            }
        } else if buf[bol..].starts_with(b"Conflicts:\n") {
            in_old_conflicts_block = true;
            if boc == 0 {
                boc = bol;
            }
        } else if in_old_conflicts_block && first == b'\t' {
            // a pathname in the conflicts block
        } else if boc != 0 {
            boc = 0;
            in_old_conflicts_block = false;
        }
        bol = next;
    }
    if boc != 0 {
        len - boc
    } else {
        len - cutoff
    }
}

/// `find_end_of_log_message`: cut at the first `---<whitespace>` line (the
/// patch divider, which may even be the very first line), then drop ignorable
/// trailing bytes.
fn find_end_of_log_message(buf: &[u8]) -> usize {
    let mut end = buf.len();
    let mut s = 0;
    while s < buf.len() {
        if buf[s..].starts_with(b"---") && buf.get(s + 3).is_some_and(|&c| is_git_space(c)) {
            end = s;
            break;
        }
        s = next_line(buf, s);
    }
    end - ignored_log_message_bytes(buf, end)
}

/// `find_trailer_block_start` on `buf` (already cut at the end of the log
/// message).  Returns `(end_of_title, block_start)`; `block_start ==
/// buf.len()` means "no trailer block".
fn find_trailer_block_start(buf: &[u8]) -> (usize, usize) {
    let len = buf.len();

    // The first paragraph is the title and cannot hold trailers.  Comment
    // lines are skipped; the title ends at the first blank line.
    let mut s = 0;
    while s < len {
        if buf[s] != COMMENT_CHAR && is_blank_line(buf, s) {
            break;
        }
        s = next_line(buf, s);
    }
    let end_of_title = s;

    // Walk backwards from the last line looking for a blank line above a
    // run of lines that are (i) all trailers, or (ii) contain a
    // git-generated trailer and are at least 25% trailers.
    let mut only_spaces = true;
    let mut recognized_prefix = false;
    let mut trailer_lines = 0usize;
    let mut non_trailer_lines = 0usize;
    // Indented lines seen since the last trailer: continuation lines if a
    // trailer follows above, non-trailer lines otherwise.
    let mut possible_continuation_lines = 0usize;

    let mut cursor = last_line(buf, len);
    while let Some(bol) = cursor.filter(|&l| l >= end_of_title) {
        cursor = last_line(buf, bol);
        let line = &buf[bol..];

        if line[0] == COMMENT_CHAR {
            non_trailer_lines += possible_continuation_lines;
            possible_continuation_lines = 0;
            continue;
        }
        if is_blank_line(buf, bol) {
            if only_spaces {
                continue;
            }
            non_trailer_lines += possible_continuation_lines;
            let block_start = next_line(buf, bol);
            if recognized_prefix && trailer_lines * 3 >= non_trailer_lines {
                return (end_of_title, block_start);
            }
            if trailer_lines > 0 && non_trailer_lines == 0 {
                return (end_of_title, block_start);
            }
            return (end_of_title, len);
        }
        only_spaces = false;

        if GIT_GENERATED_PREFIXES.iter().any(|p| line.starts_with(p)) {
            trailer_lines += 1;
            possible_continuation_lines = 0;
            recognized_prefix = true;
        } else if has_token_separator(line) && !is_git_space(line[0]) {
            // (No trailer.* config, so no token can be "recognized" here.)
            trailer_lines += 1;
            possible_continuation_lines = 0;
        } else if is_git_space(line[0]) {
            possible_continuation_lines += 1;
        } else {
            non_trailer_lines += 1 + possible_continuation_lines;
            possible_continuation_lines = 0;
        }
    }
    (end_of_title, len)
}

/// Where the pieces of a message are, as git sees it.
pub(super) struct Layout<'a> {
    /// The message as git parses it (see [`git_view`]), cut at the end of
    /// the log message (patch divider, trailing comments, scissors removed).
    pub(super) text: &'a str,
    /// Offset where the title paragraph ends (at its terminating blank line),
    /// or `text.len()` if the whole message is the title.
    pub(super) end_of_title: usize,
    /// Offset of the trailer block, `text.len()` if git found none.
    pub(super) block_start: usize,
}

impl<'a> Layout<'a> {
    pub(super) fn new(view: &'a str) -> Self {
        let end = find_end_of_log_message(view.as_bytes());
        // `end` is always 0, a line start, or the end of the buffer, hence
        // a char boundary.
        let text = &view[..end];
        let (end_of_title, block_start) = find_trailer_block_start(text.as_bytes());
        Layout {
            text,
            end_of_title,
            block_start,
        }
    }

    pub(super) fn has_block(&self) -> bool {
        self.block_start < self.text.len()
    }

    pub(super) fn trailers(&self) -> Vec<Trailer> {
        let block = &self.text[self.block_start..];

        // Group physical lines into logical ones: an indented line continues
        // the previous line if (and only if) that one has a `token:`.  This
        // is `trailer_info_get`.
        let mut entries: Vec<String> = Vec::new();
        let mut last_is_trailer = false;
        for line in block.split_inclusive('\n') {
            let first = line.as_bytes()[0];
            if last_is_trailer && is_git_space(first) {
                if let Some(last) = entries.last_mut() {
                    last.push_str(line);
                }
                continue;
            }
            last_is_trailer = has_token_separator(line.as_bytes());
            entries.push(line.to_owned());
        }

        // `parse_trailers` with --only-trailers --unfold: comment lines and
        // lines without `token:` (e.g. "(cherry picked from commit ...)")
        // are dropped.
        entries
            .iter()
            .filter(|e| !e.starts_with(COMMENT_CHAR as char))
            .filter_map(|e| match find_separator(e.as_bytes()) {
                Some(sep) if sep >= 1 => Some(Trailer {
                    key: git_trim(&e[..sep]).to_owned(),
                    value: unfold_value(git_trim(&e[sep + 1..])),
                }),
                _ => None,
            })
            .collect()
    }
}

/// git's `unfold_value`: every newline plus the whitespace after it becomes a
/// single space; then trim.  Other bytes (including `\r` before a newline)
/// are kept.
fn unfold_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(nl) = rest.find('\n') {
        out.push_str(&rest[..nl]);
        out.push(' ');
        rest = rest[nl + 1..].trim_start_matches(is_git_space_char);
    }
    out.push_str(rest);
    git_trim(&out).to_owned()
}

/// Exactly the trailers `git interpret-trailers --parse` prints for
/// `message` (git 2.47, no `trailer.*` configuration, separators `:`).
///
/// Order, keys and values match git's output lines, so
/// `format!("{}: {}", key, value)` equals each printed line.
pub fn git_trailers(message: &str) -> Vec<Trailer> {
    let view = git_view(message);
    Layout::new(&view).trailers()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Shorthand: the trailers as git's output lines.
    pub(in crate::classify::trailers) fn lines(message: &str) -> Vec<String> {
        git_trailers(message)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    // The expected values below were all checked against
    // `git interpret-trailers --parse` (git 2.47.3).

    // --- Part 1: git_trailers --------------------------------------------

    #[test]
    fn basic_block() {
        let m = "Title\n\nBody text.\n\nSigned-off-by: A <a@x>\nReviewed-by: B <b@x>\n";
        assert_eq!(lines(m), ["Signed-off-by: A <a@x>", "Reviewed-by: B <b@x>"]);
    }

    #[test]
    fn empty_and_title_only_messages() {
        assert!(lines("").is_empty());
        assert!(lines("\n").is_empty());
        assert!(lines("Just a title").is_empty());
        // A trailer-looking title is still the title.
        assert!(lines("Signed-off-by: A <a@x>\n").is_empty());
        assert!(lines("Fixes: thing\nReviewed-by: x\n").is_empty());
    }

    #[test]
    fn leading_blank_line_means_empty_title() {
        // With interpret-trailers the first line being blank ends the (empty)
        // title; `%(trailers)` in git log would skip the blank line instead.
        assert_eq!(lines("\nA: b\n"), ["A: b"]);
    }

    #[test]
    fn title_comment_lines_are_skipped() {
        assert_eq!(lines("#c\n\nA: b\n"), ["A: b"]);
        assert!(lines("T\n#c\nA: b\n").is_empty());
    }

    #[test]
    fn empty_value_and_spaces_before_colon() {
        assert_eq!(lines("T\n\nKey :  v\nEmpty:\n"), ["Key: v", "Empty: "]);
        let t = git_trailers("T\n\nEmpty:\n");
        assert_eq!(t[0].value, "");
        assert_eq!(lines("T\n\nKey\t:\tv\t\n"), ["Key: v"]);
    }

    #[test]
    fn keys_with_spaces_or_odd_chars_are_not_trailers() {
        assert!(lines("T\n\nReviewed By: x\n").is_empty());
        assert!(lines("T\n\nA_b: x\n").is_empty());
        assert!(lines("T\n\n\u{c4}: x\n").is_empty());
        assert!(lines("T\n\nA\x0c: b\n").is_empty()); // \f is not git space
        assert!(lines("T\n\n: b\n").is_empty());
        // Digits and '-' alone are fine.
        assert_eq!(lines("T\n\n123: x\n-: y\n"), ["123: x", "-: y"]);
    }

    #[test]
    fn vertical_tab_is_kept_in_value() {
        assert_eq!(lines("T\n\nA:\x0bb\n"), ["A: \x0bb"]);
    }

    #[test]
    fn continuation_lines_are_unfolded() {
        assert_eq!(
            lines("T\n\nA: one\n  two\n\tthree\nB: x\n"),
            ["A: one two three", "B: x"]
        );
        // `\r` is git whitespace: it starts a continuation and is swallowed.
        assert_eq!(lines("T\n\nA: b\n\rc\n"), ["A: b c"]);
        // Whitespace-only lines at the end are continuations, then trimmed.
        assert_eq!(lines("T\n\nA: b\n  \n"), ["A: b"]);
        // An indented first line of the block is a non-trailer line.
        assert!(lines("T\n\n  lead: x\nA: b\n").is_empty());
    }

    #[test]
    fn comment_breaks_continuation() {
        // "  cont" after a comment is counted as a non-trailer line.
        assert!(lines("T\n\nA: b\n#c\n  cont\n").is_empty());
        assert_eq!(lines("T\n\nA: b\n#c\nB: d\n"), ["A: b", "B: d"]);
    }

    #[test]
    fn crlf_keeps_inner_carriage_returns() {
        let m = "T\r\n\r\nA: b\r\n  c\r\nB: d\r\n";
        assert_eq!(lines(m), ["A: b\r c", "B: d"]);
    }

    #[test]
    fn nul_truncates_message() {
        assert_eq!(lines("T\n\nA: b\0\nB: c\n"), ["A: b"]);
        assert_eq!(lines("T\n\nA: b\nB: c\0"), ["A: b", "B: c"]);
        assert!(lines("\0T\n\nA: b\n").is_empty());
    }

    #[test]
    fn patch_divider() {
        assert_eq!(lines("T\n\nA: b\n---\nB: c\n"), ["A: b"]);
        assert_eq!(lines("T\n\nA: b\n---\tx\n"), ["A: b"]);
        assert_eq!(lines("T\n\nA: b\n---"), ["A: b"]);
        // "---x" is not a divider (and not a trailer either).
        assert!(lines("T\n\nA: b\n---x\n").is_empty());
        // A divider on the first line hides everything.
        assert!(lines("--- T\n\nA: b\n").is_empty());
    }

    #[test]
    fn scissors_and_conflicts() {
        let s = "T\n\nA: b\n# ------------------------ >8 ------------------------\nC: d\n";
        assert_eq!(lines(s), ["A: b"]);
        assert_eq!(lines("T\n\nA: b\nConflicts:\n\tfile: x\n"), ["A: b"]);
        assert_eq!(
            lines("T\n\nA: b\nConflicts:\n\tfile: x\nC: d\n"),
            ["A: b", "Conflicts: file: x", "C: d"]
        );
    }

    #[test]
    fn twenty_five_percent_rule() {
        // One Signed-off-by and three prose lines: 1*3 >= 3, accepted.
        let ok = "T\n\nSigned-off-by: x\nfoo\nbar\nbaz\n";
        assert_eq!(lines(ok), ["Signed-off-by: x"]);
        // Four prose lines: rejected.
        assert!(lines("T\n\nSigned-off-by: x\nfoo\nbar\nbaz\nqux\n").is_empty());
        // Without a git-generated prefix, one prose line is enough to reject.
        assert!(lines("T\n\nReviewed-by: x\nfoo\n").is_empty());
        // "Signed-off-by:" needs the space to count as git-generated.
        assert!(lines("T\n\nSigned-off-by:\tx\nfoo\n").is_empty());
        // Case matters for the prefix, not for trailers themselves.
        assert!(lines("T\n\nSigned-Off-By: x\nfoo\n").is_empty());
        assert_eq!(lines("T\n\nSigned-Off-By: x\n"), ["Signed-Off-By: x"]);
    }

    #[test]
    fn cherry_pick_line_counts_but_is_not_printed() {
        let m = "T\n\n(cherry picked from commit abc)\nfoo bar\nSigned-off-by: x\n";
        assert_eq!(lines(m), ["Signed-off-by: x"]);
        let only = "T\n\n(cherry picked from commit abc)\nprose\n";
        assert!(lines(only).is_empty());
    }

    #[test]
    fn whitespace_only_lines_separate_paragraphs_but_are_not_ignored() {
        assert_eq!(lines("T\n \nA: b\n"), ["A: b"]);
        assert!(lines("T\n\nA: b\n \n  x\n").is_empty());
        assert_eq!(lines("T\n\nA: b\n\n\n"), ["A: b"]);
        // ... and end git's run of ignorable trailing lines, so here the
        // "Conflicts:" block is *not* cut off and spoils the paragraph.
        assert!(lines("T\n\nA: b\nConflicts:\n \n\tf: x\n").is_empty());
        assert_eq!(lines("T\n\nA: b\nConflicts:\n\tf: x\n"), ["A: b"]);
    }

    #[test]
    fn comment_only_message() {
        assert!(lines("# a\n# b\n").is_empty());
        assert!(lines("#c\nConflicts:\n").is_empty());
    }
}
