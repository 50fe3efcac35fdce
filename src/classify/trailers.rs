//! Commit-message trailers and credit lines for gluework.
//!
//! This module has three layers:
//!
//! 1. [`git_trailers`]: a faithful re-implementation of what
//!    `git interpret-trailers --parse` (git 2.47, default configuration,
//!    `trailer.separators=:`) prints for a message fed on stdin.  The
//!    behaviour follows git's `trailer.c` (`find_end_of_log_message`,
//!    `find_trailer_block_start`, `find_separator`, `unfold_value`),
//!    `commit.c` (`ignored_log_message_bytes`) and `wt-status.c`
//!    (`wt_status_locate_end`, the scissors line), including their quirks.
//! 2. [`credit_lines`]: gluework's lenient superset.  Everything git reports,
//!    plus credit-looking `Key: value` lines in a final paragraph that git
//!    rejected (keys may be written with spaces: `Reported by:`), plus
//!    Phabricator-style `Reviewed By: a, b` lines; [`all_credit_lines`] adds
//!    the credit lines of the trailing paragraphs above the final one.
//! 3. [`parse_identity`] / [`parse_people`] / [`split_people`]: turning a
//!    credit value into the people it names (name / email / GitHub login;
//!    `A and B`, `x on github`, malformed addresses), refusing anything that
//!    is not clearly a person (prose, URLs, issues, organisations).
//!
//! Everything here is linear (or `O(n * k)` with a small constant `k`) in the
//! input length and never panics on any `&str`.

use std::borrow::Cow;
use std::fmt;

// ---------------------------------------------------------------------------
// Part 1: git's trailer block
// ---------------------------------------------------------------------------

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
const COMMENT_CHAR: u8 = b'#';

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

fn is_git_space_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `strbuf_trim`: strip git whitespace on both ends.
fn git_trim(s: &str) -> &str {
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
fn has_token_separator(line: &[u8]) -> bool {
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
fn git_view(message: &str) -> Cow<'_, str> {
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
struct Layout<'a> {
    /// The message as git parses it (see [`git_view`]), cut at the end of
    /// the log message (patch divider, trailing comments, scissors removed).
    text: &'a str,
    /// Offset where the title paragraph ends (at its terminating blank line),
    /// or `text.len()` if the whole message is the title.
    end_of_title: usize,
    /// Offset of the trailer block, `text.len()` if git found none.
    block_start: usize,
}

impl<'a> Layout<'a> {
    fn new(view: &'a str) -> Self {
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

    fn has_block(&self) -> bool {
        self.block_start < self.text.len()
    }

    fn trailers(&self) -> Vec<Trailer> {
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

// ---------------------------------------------------------------------------
// Part 2: lenient credit lines
// ---------------------------------------------------------------------------

/// Where a [`CreditLine`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A trailer git itself reports (see [`git_trailers`]).
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
/// The `Git` lines are exactly [`git_trailers`]; lenient lines never replace
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

// ---------------------------------------------------------------------------
// Part 3: identities
// ---------------------------------------------------------------------------

/// A person named by a credit value.  At least one field is `Some`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditIdentity {
    pub name: Option<String>,
    pub email: Option<String>,
    /// A GitHub login, without the leading `@`.
    pub login: Option<String>,
}

/// Longest plausible person name, in words.  Longer values are sentences.
const MAX_NAME_WORDS: usize = 6;

/// Lower-case name particles that may start a word in a capitalised name
/// ("Ludwig van Beethoven", "Maria de la Cruz").
const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "el",
    "i", "la", "le", "of", "st.", "te", "ten", "ter", "van", "von", "y", "zu",
];

/// Interpret a credit value (`Name <email>`, `<email>`, `email`, `@login`,
/// `login`, `Jane Doe`) as a person.
///
/// Surrounding whitespace and quotes are stripped; trailing junk after the
/// first person is ignored (`Name <e> # note`, `Name <e> (cherry picked ..)`,
/// `Name <e> https://…`, `A <a@x>, B <b@x>`).  Returns `None` for anything
/// that is not clearly a person: empty values, URLs, conventional-commit-like
/// text (`feat: x`), sentences (more than six words), commit ids, issue
/// references, control characters, organisations and tools
/// (`Acme Inc`, `OSS-Fuzz`), and a `<` that is followed by no address.
///
/// Single bare ASCII tokens that fit GitHub's login alphabet are taken as
/// logins (`Alice` → login `Alice`); all-digit tokens and placeholders such
/// as `none`, `TBD`, `me` are refused.  Multi-word bare names must be
/// capitalised (`Jane Doe`, `Ludwig van Beethoven`) so that short prose such
/// as `fix the bug` is not mistaken for a person.
///
/// Slightly malformed addresses are recovered: `Name <email` (no `>`),
/// `name <at> domain` / `name [at] domain [dot] org`, and
/// `Name email@example.org`.  `X on github` (or `at github`) names the
/// GitHub login `X`; `X on hackerone` / `X on gitlab` name an account on that
/// service, which is not a GitHub login: it is kept as the name
/// `X on hackerone` so it never joins a GitHub account or a display name.
pub fn parse_identity(value: &str) -> Option<CreditIdentity> {
    let value = deobfuscate_at(value);
    parse_clean_identity(&value)
}

fn parse_clean_identity(value: &str) -> Option<CreditIdentity> {
    let value = strip_quotes(value);
    if value.is_empty() || value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    if looks_like_conventional_commit(value) {
        return None;
    }
    if let Some(service) = service_identity(value) {
        return service;
    }
    // `GitHub user 'octocat'`, `github user @octocat`.
    if let Some(rest) = value
        .get(..12)
        .filter(|p| p.eq_ignore_ascii_case("github user "))
        .map(|_| &value[12..])
    {
        let login = strip_quotes(cut_trailing_junk(rest));
        let login = login.strip_prefix('@').unwrap_or(login);
        return (is_login(login) && !is_placeholder(login)).then(|| CreditIdentity {
            login: Some(login.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if let Some(lt) = value.find('<') {
        // Whatever follows the address (a comment, a URL) is ignored; a URL
        // before it is not a name.
        if looks_like_url(&value[..lt]) {
            return None;
        }
        return parse_bracketed(value, lt);
    }
    if looks_like_url(value) {
        return None;
    }

    let first = strip_quotes(cut_trailing_junk(value));
    // `Jane Doe of Example Labs`: the person, without the organisation.
    let first = match first.split_once(" of ") {
        Some((who, org)) if is_organisation(org) && is_bare_name(who) => who,
        _ => first,
    };
    if first.is_empty()
        || is_issue_ref(first)
        || is_commit_id(first)
        || is_placeholder(first)
        || is_organisation(first)
    {
        return None;
    }
    if let Some(login) = first.strip_prefix('@') {
        return is_login(login).then(|| CreditIdentity {
            login: Some(login.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if first.contains('@') {
        if is_email(first) {
            return Some(identity_from_email(None, first));
        }
        // `Name email@example.org`: a name, then a bare address.
        let (name, email) = first.rsplit_once(char::is_whitespace)?;
        let name = strip_quotes(name);
        return (is_email(email) && (is_bare_name(name) || is_login(name)))
            .then(|| identity_from_email(Some(name), email));
    }
    if is_login(first) {
        return Some(CreditIdentity {
            login: Some(first.to_owned()),
            ..CreditIdentity::default()
        });
    }
    if is_bare_name(first) || is_handle(first) {
        return Some(CreditIdentity {
            name: Some(first.to_owned()),
            ..CreditIdentity::default()
        });
    }
    None
}

/// A nickname that cannot be a GitHub login because it has an underscore
/// (`byte_bucket`, `z2_`): `[A-Za-z0-9_-]{2,39}` with a letter and a `_`.
/// Kept as a name, so it never joins a GitHub login.
fn is_handle(s: &str) -> bool {
    (2..=39).contains(&s.len())
        && s.contains('_')
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The services whose accounts a credit value may name (`X on github`),
/// lower case; only `github` accounts are GitHub logins.
const SERVICES: &[&str] = &["github", "gitlab", "hackerone"];

/// `X on github`, `X at github`, `@X on GitHub`, `X on HackerOne/curl`,
/// `X at hackerone`, `X on gitlab` (not `at GitLab`: an employer):
/// `Some(answer)` if the value names an account on a known service,
/// `None` if it does not have that shape.
///
/// On GitHub, `X` is the login (a value that is not a valid login, such as
/// `Jane Doe on github`, is read as the display name `Jane Doe`).  On other
/// services the account is not a GitHub login, so it becomes the name
/// `X on <service>` (service in lower case).
fn service_identity(value: &str) -> Option<Option<CreditIdentity>> {
    let value = cut_trailing_junk(value);
    let (head, service) = value.rsplit_once(char::is_whitespace)?;
    let (who, on) = head.trim_end().rsplit_once(char::is_whitespace)?;
    let service = service
        .split(['/', '.'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let service = SERVICES.iter().find(|s| **s == service)?;
    // `Brian at GitLab` is where Brian works; `x at github` and
    // `x at hackerone` are curl's old spelling of `on`.
    let at = on.eq_ignore_ascii_case("at") && *service != "gitlab";
    if !(on.eq_ignore_ascii_case("on") || at) {
        return None;
    }
    let who = strip_quotes(who);
    let who = who.strip_prefix('@').unwrap_or(who);
    if who.is_empty() || is_placeholder(who) || is_organisation(who) {
        return Some(None);
    }
    let answer = if *service == "github" {
        if is_login(who) {
            Some(CreditIdentity {
                login: Some(who.to_owned()),
                ..CreditIdentity::default()
            })
        } else {
            is_bare_name(who).then(|| CreditIdentity {
                name: Some(who.to_owned()),
                ..CreditIdentity::default()
            })
        }
    } else {
        let account = who.len() <= 64
            && who.bytes().any(|b| b.is_ascii_alphanumeric())
            && who
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        (account || is_bare_name(who)).then(|| CreditIdentity {
            name: Some(format!("{who} on {service}")),
            ..CreditIdentity::default()
        })
    };
    Some(answer)
}

/// `name <at> example <dot> org`, `name [at] example.org`, `name (at) …`:
/// the spelled-out `@` and `.` (with the blanks around them) become the
/// characters.  Linear; borrows when there is nothing to replace.
fn deobfuscate_at(value: &str) -> Cow<'_, str> {
    const WORDS: [(&str, char); 2] = [("at", '@'), ("dot", '.')];
    let bytes = value.as_bytes();
    let spelled_at = |i: usize| -> Option<(usize, char)> {
        let close = match bytes[i] {
            b'<' => b'>',
            b'[' => b']',
            b'(' => b')',
            b'{' => b'}',
            _ => return None,
        };
        WORDS.iter().find_map(|&(word, c)| {
            let end = i + 1 + word.len();
            (bytes.get(end) == Some(&close)
                && value
                    .get(i + 1..end)
                    .is_some_and(|w| w.eq_ignore_ascii_case(word)))
            .then_some((end + 1, c))
        })
    };
    if !(0..bytes.len()).any(|i| spelled_at(i).is_some()) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match spelled_at(i) {
            Some((end, c)) => {
                out.push_str(&value[copied..i]);
                out.truncate(out.trim_end_matches([' ', '\t']).len());
                out.push(c);
                i = end;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&value[copied..]);
    Cow::Owned(out)
}

/// Words that make a name an organisation's (matched as whole words,
/// ignoring case): `Acme Inc`, `Example Security Team`, `Aisle Research`.
const ORGANISATION_WORDS: &[&str] = &[
    "co.",
    "company",
    "corp",
    "corp.",
    "corporation",
    "foundation",
    "gmbh",
    "group",
    "inc",
    "inc.",
    "institute",
    "lab",
    "labs",
    "llc",
    "ltd",
    "ltd.",
    "project",
    "research",
    "security",
    "team",
    "university",
];

/// Organisations and tools that appear in credit lines and are never a
/// person (compared ignoring case, whole value).
const NOT_PEOPLE: &[&str] = &[
    "clusterfuzz",
    "codeql",
    "coverity",
    "coverity scan",
    "cure53",
    "google oss-fuzz",
    "lgtm",
    "monocleai",
    "oss-fuzz",
    "ossfuzz",
    "syzbot",
    "testclutch",
    "trail of bits",
    "zeropath",
];

/// An organisation or a tool rather than a person (see
/// [`ORGANISATION_WORDS`], [`NOT_PEOPLE`]).
fn is_organisation(name: &str) -> bool {
    let name = name.strip_prefix('@').unwrap_or(name);
    NOT_PEOPLE.iter().any(|n| n.eq_ignore_ascii_case(name))
        || (!word_count_exceeds(name, MAX_NAME_WORDS)
            && name.split_whitespace().any(|w| {
                ORGANISATION_WORDS
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(w.trim_end_matches(',')))
            }))
}

/// `Name <email> ...`: `lt` is the offset of the first `<`.  A missing `>`
/// is tolerated when an address follows the `<` (`Name <email`).
fn parse_bracketed(value: &str, lt: usize) -> Option<CreditIdentity> {
    let after = &value[lt + 1..];
    let email = match after.find('>') {
        Some(gt) => after[..gt].trim(),
        None => after.split_whitespace().next()?,
    };
    if !is_email(email) {
        return None;
    }
    let name = strip_quotes(&value[..lt]);
    if name.contains('>') || word_count_exceeds(name, MAX_NAME_WORDS) {
        return None;
    }
    if is_issue_ref(name) || is_commit_id(name) || is_organisation(name) {
        return None;
    }
    // `user@host <user@host>` is common in old history: the name carries no
    // information.
    let name = (!name.is_empty() && !name.contains('@')).then_some(name);
    Some(identity_from_email(name, email))
}

fn identity_from_email(name: Option<&str>, email: &str) -> CreditIdentity {
    CreditIdentity {
        name: name.map(str::to_owned),
        email: Some(email.to_owned()),
        login: github_noreply_login(email).map(str::to_owned),
    }
}

/// `12345+login@users.noreply.github.com` or `login@users.noreply.github.com`
/// → `login`.
fn github_noreply_login(email: &str) -> Option<&str> {
    let (local, domain) = email.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case("users.noreply.github.com") {
        return None;
    }
    let login = match local.split_once('+') {
        Some((id, login)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => login,
        Some(_) => return None,
        None => local,
    };
    is_login(login).then_some(login)
}

/// Strip surrounding whitespace and matching pairs of quotes, repeatedly.
fn strip_quotes(s: &str) -> &str {
    const PAIRS: [(char, char); 6] = [
        ('"', '"'),
        ('\'', '\''),
        ('`', '`'),
        ('\u{201c}', '\u{201d}'),
        ('\u{2018}', '\u{2019}'),
        ('\u{ab}', '\u{bb}'),
    ];
    let mut s = s.trim();
    loop {
        let stripped = PAIRS.iter().find_map(|&(open, close)| {
            s.strip_prefix(open)
                .and_then(|rest| rest.strip_suffix(close))
        });
        match stripped {
            Some(inner) => s = inner.trim(),
            None => return s,
        }
    }
}

/// Cut a bare value at the first list separator or comment-ish suffix:
/// `alice, bob` → `alice`, `Jane Doe (she/her)` → `Jane Doe`,
/// `jane # note` → `jane`.
fn cut_trailing_junk(s: &str) -> &str {
    let mut cut = s.len();
    for pat in [",", ";", " #", "\t#", " (", "\t("] {
        if let Some(i) = s.find(pat) {
            cut = cut.min(i);
        }
    }
    s[..cut].trim()
}

fn looks_like_url(s: &str) -> bool {
    let lower_prefix = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    s.contains("://") || lower_prefix("http:") || lower_prefix("https:") || lower_prefix("www.")
}

/// `type: ...`, `type(scope): ...`, `type!: ...`.
fn looks_like_conventional_commit(s: &str) -> bool {
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if word_len == 0 {
        return false;
    }
    let mut rest = &s[word_len..];
    if let Some(scoped) = rest.strip_prefix('(') {
        match scoped.find(')') {
            Some(close) => rest = &scoped[close + 1..],
            None => return false,
        }
    }
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    rest.starts_with(':')
}

/// `#12`, `GH-12`, `owner/repo#12`.
fn is_issue_ref(s: &str) -> bool {
    let all_digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = s.strip_prefix('#') {
        return all_digits(n);
    }
    if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("gh-")) {
        return all_digits(&s[3..]);
    }
    match s.split_once('#') {
        Some((repo, n)) => {
            repo.contains('/') && !repo.contains(char::is_whitespace) && all_digits(n)
        }
        None => false,
    }
}

/// Words people write instead of a person (`Reviewed-by: none`).  Real
/// GitHub accounts with these names exist, but in a credit value the
/// placeholder meaning is far more likely.
fn is_placeholder(s: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "all",
        "anonymous",
        "everyone",
        "me",
        "myself",
        "n/a",
        "na",
        "nil",
        "no",
        "nobody",
        "none",
        "noone",
        "null",
        "same",
        "self",
        "tbd",
        "thanks",
        "todo",
        "unknown",
        "various",
        "yes",
    ];
    let s = s.strip_prefix('@').unwrap_or(s);
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(s))
}

/// `[0-9a-f]{7,40}`.
fn is_commit_id(s: &str) -> bool {
    (7..=40).contains(&s.len()) && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// GitHub login: `[A-Za-z0-9-]{1,39}`, starting with an alphanumeric,
/// optionally followed by `[bot]`; all-digit tokens are refused.
fn is_login(s: &str) -> bool {
    let core = s.strip_suffix("[bot]").unwrap_or(s);
    (1..=39).contains(&core.len())
        && core.as_bytes()[0].is_ascii_alphanumeric()
        && core.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !core.bytes().all(|b| b.is_ascii_digit())
}

/// A plain `local@domain`: no whitespace, brackets, commas or quotes; one
/// `@`; non-empty parts; the domain does not start or end with a dot.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let clean = |p: &str| {
        !p.is_empty()
            && !p
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"'()@".contains(c))
    };
    clean(local) && clean(domain) && !domain.starts_with('.') && !domain.ends_with('.')
}

/// `true` if `s` has more than `max` whitespace-separated words (stops
/// counting early, so it is cheap on huge inputs).
fn word_count_exceeds(s: &str, max: usize) -> bool {
    s.split_whitespace().nth(max).is_some()
}

/// Characters allowed in a bare name besides letters.
fn is_name_punctuation(c: char) -> bool {
    matches!(c, '.' | '\'' | '-' | '\u{2019}' | '\u{2010}' | '\u{2011}')
}

/// Combining marks and joiners that appear inside names written in many
/// scripts but are not `Alphabetic` in Unicode.
fn is_name_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05c7}'
        | '\u{0610}'..='\u{061a}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0900}'..='\u{0dff}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{200c}'..='\u{200d}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{3099}'..='\u{309a}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// A bare human name: 1..=6 words of letters (any script), `.`, `'`, `-`;
/// every word contains a letter; a word starting with a lower-case letter
/// must be a particle (`van`, `de`) or contain an upper-case letter
/// (`d'Artagnan`).
fn is_bare_name(s: &str) -> bool {
    if word_count_exceeds(s, MAX_NAME_WORDS) {
        return false;
    }
    let mut words = 0;
    for word in s.split_whitespace() {
        words += 1;
        let chars_ok = word
            .chars()
            .all(|c| c.is_alphabetic() || is_name_punctuation(c) || is_name_mark(c));
        let Some(first_letter) = word.chars().find(|c| c.is_alphabetic()) else {
            return false;
        };
        if !chars_ok {
            return false;
        }
        if first_letter.is_lowercase()
            && !word.chars().any(char::is_uppercase)
            && !NAME_PARTICLES.contains(&word.to_lowercase().as_str())
        {
            return false;
        }
    }
    words > 0
}

/// Split a people list (`"a, b"`, `"a,b"`, `"A <a@x>; B <b@x>"`) on commas
/// and semicolons that are not inside `<...>` or `"..."`.  Items are trimmed;
/// empty items are dropped.
pub fn split_people(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_angle = false;
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quote => in_angle = true,
            '>' if !in_quote => in_angle = false,
            '"' if !in_angle => in_quote = !in_quote,
            ',' | ';' if !in_angle && !in_quote => {
                push_trimmed(&mut out, &value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_trimmed(&mut out, &value[start..]);
    out
}

/// Every person a credit value names: `Daniel Stenberg and Marcel Raad`,
/// `A, B`, `A <a@x>; B <b@x>`, `A & B` are two people each; items that are
/// not people (see [`parse_identity`]) are skipped.
///
/// The list separators are `,`, `;`, ` and ` and ` & ` outside `<…>`,
/// `"…"` and `(…)`.  A comma is read as a list separator, with one
/// exception: `Doe, Jane <jane@example.org>` (exactly two items, a single
/// word, then a single-word name with an address) is one person, written
/// last name first.  Without an address, `Doe, Jane` cannot be told from two
/// logins and is read as two.  Linear in the value's length.
pub fn parse_people(value: &str) -> Vec<CreditIdentity> {
    let value = deobfuscate_at(value);
    let (items, commas_only) = split_list(&value);
    let last_first = commas_only
        && items.len() == 2
        && !items[0].contains([' ', '\t', '@', '<'])
        && items[1].split_once('<').is_some_and(|(name, _)| {
            let name = cut_trailing_junk(name);
            !name.is_empty() && !name.contains(char::is_whitespace)
        });
    if last_first {
        return parse_clean_identity(&value).into_iter().collect();
    }
    // `Ann Lee and Bob Okafor <ann@x.org>`: whose address is it?  Only the
    // address is credited.
    if !commas_only
        && items.iter().any(|i| i.contains('<'))
        && items.iter().any(|i| !i.contains('<'))
    {
        return parse_clean_identity(&value)
            .map(|p| CreditIdentity { name: None, ..p })
            .into_iter()
            .collect();
    }
    items.into_iter().filter_map(parse_clean_identity).collect()
}

/// [`split_people`] that also splits on ` and ` and ` & ` (whole words,
/// any case) and keeps `(…)` together; the flag is true if every split was
/// at a comma.
fn split_list(value: &str) -> (Vec<&str>, bool) {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut in_angle = false;
    let mut in_quote = false;
    let mut parens = 0usize;
    let mut commas_only = true;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let top = !in_angle && !in_quote && parens == 0;
        match bytes[i] {
            b'<' if !in_quote => in_angle = true,
            b'>' if !in_quote => in_angle = false,
            b'"' if !in_angle => in_quote = !in_quote,
            b'(' if !in_angle && !in_quote => parens += 1,
            b')' if !in_angle && !in_quote => parens = parens.saturating_sub(1),
            b',' | b';' if top => {
                commas_only &= bytes[i] == b',';
                push_trimmed(&mut out, &value[start..i]);
                start = i + 1;
            }
            b' ' | b'\t' if top => {
                let word = [" and ", " & "].iter().find(|w| {
                    value
                        .get(i + 1..i + w.len())
                        .is_some_and(|rest| rest.eq_ignore_ascii_case(&w[1..]))
                });
                if let Some(w) = word {
                    commas_only = false;
                    push_trimmed(&mut out, &value[start..i]);
                    start = i + w.len() - 1;
                    i = start;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    push_trimmed(&mut out, &value[start..]);
    (out, commas_only)
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, item: &'a str) {
    let item = item.trim();
    if !item.is_empty() {
        out.push(item);
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// Shorthand: the trailers as git's output lines.
    fn lines(message: &str) -> Vec<String> {
        git_trailers(message)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

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

    // --- Part 2: credit_lines --------------------------------------------

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

    // --- Part 3: identities ------------------------------------------------

    fn id(name: Option<&str>, email: Option<&str>, login: Option<&str>) -> Option<CreditIdentity> {
        Some(CreditIdentity {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
            login: login.map(str::to_owned),
        })
    }

    #[test]
    fn identity_forms() {
        assert_eq!(
            parse_identity("Jane Doe <jane@example.com>"),
            id(Some("Jane Doe"), Some("jane@example.com"), None)
        );
        assert_eq!(
            parse_identity("<jane@x.org>"),
            id(None, Some("jane@x.org"), None)
        );
        assert_eq!(
            parse_identity("jane@x.org"),
            id(None, Some("jane@x.org"), None)
        );
        assert_eq!(parse_identity("@octocat"), id(None, None, Some("octocat")));
        assert_eq!(parse_identity("octo-cat"), id(None, None, Some("octo-cat")));
        assert_eq!(
            parse_identity("dependabot[bot]"),
            id(None, None, Some("dependabot[bot]"))
        );
        assert_eq!(parse_identity("Jane Doe"), id(Some("Jane Doe"), None, None));
        assert_eq!(
            parse_identity("Zoë O'Brien-Łukasiewicz"),
            id(Some("Zoë O'Brien-Łukasiewicz"), None, None)
        );
        assert_eq!(parse_identity("李小龙"), id(Some("李小龙"), None, None));
        assert_eq!(
            parse_identity("Ludwig van Beethoven"),
            id(Some("Ludwig van Beethoven"), None, None)
        );
        assert_eq!(
            parse_identity("Melroy van den Berg"),
            id(Some("Melroy van den Berg"), None, None)
        );
        assert_eq!(
            parse_identity("Pau Garcia i Quiles"),
            id(Some("Pau Garcia i Quiles"), None, None)
        );
        assert_eq!(
            parse_identity("J. R. R. Tolkien"),
            id(Some("J. R. R. Tolkien"), None, None)
        );
        assert_eq!(
            parse_identity("Jane\tDoe"),
            id(Some("Jane\tDoe"), None, None)
        );
        assert_eq!(
            parse_identity("Иван Иванов"),
            id(Some("Иван Иванов"), None, None)
        );
        // Combining marks (Devanagari vowel sign U+0941).
        assert_eq!(parse_identity("राम कुमार"), id(Some("राम कुमार"), None, None));
        assert_eq!(
            parse_identity("Doe, Jane <j@x.io>"),
            id(Some("Doe, Jane"), Some("j@x.io"), None)
        );
        // `user@host <user@host>`: the name adds nothing.
        assert_eq!(
            parse_identity("foo@bar <foo@bar>"),
            id(None, Some("foo@bar"), None)
        );
    }

    #[test]
    fn identity_trailing_junk_and_quotes() {
        let jane = id(Some("Jane"), Some("j@x.io"), None);
        assert_eq!(parse_identity("Jane <j@x.io> # comment"), jane);
        assert_eq!(parse_identity("Jane <j@x.io> (cherry picked from x)"), jane);
        assert_eq!(parse_identity("Jane <j@x.io>, Other <o@x.io>"), jane);
        assert_eq!(parse_identity("  \"Jane\" <j@x.io>  "), jane);
        assert_eq!(
            parse_identity("'Jane Doe'"),
            id(Some("Jane Doe"), None, None)
        );
        assert_eq!(parse_identity("alice, bob"), id(None, None, Some("alice")));
        assert_eq!(
            parse_identity("@alice (thanks!)"),
            id(None, None, Some("alice"))
        );
    }

    #[test]
    fn identity_github_noreply() {
        assert_eq!(
            parse_identity("Octo <583231+octocat@users.noreply.github.com>"),
            id(
                Some("Octo"),
                Some("583231+octocat@users.noreply.github.com"),
                Some("octocat")
            )
        );
        assert_eq!(
            parse_identity("octocat@users.noreply.github.com"),
            id(
                None,
                Some("octocat@users.noreply.github.com"),
                Some("octocat")
            )
        );
        assert_eq!(
            parse_identity("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"),
            id(
                Some("dependabot[bot]"),
                Some("49699333+dependabot[bot]@users.noreply.github.com"),
                Some("dependabot[bot]")
            )
        );
        // Not a valid login after the '+': email only.
        assert_eq!(
            parse_identity("a+b+c@users.noreply.github.com"),
            id(None, Some("a+b+c@users.noreply.github.com"), None)
        );
    }

    #[test]
    fn identity_rejections() {
        for v in [
            "",
            "   ",
            "\"\"",
            "https://github.com/x/y/pull/1",
            "http://example.com",
            "www.example.com",
            "see ftp://x",
            "feat: add x",
            "fix(parser)!: handle y",
            "this is a sentence that is clearly not a name",
            "Jane <not an email>",
            "Jane <>",
            "a1b2c3d",
            "0123456789abcdef0123456789abcdef01234567",
            "#12",
            "GH-12",
            "gh-7",
            "rust-lang/rust#123",
            "12",
            "fix the bug",
            "-leading-hyphen",
            "a\0b",
            "Jane\u{7}Doe",
            "x@",
            "@",
            "@@",
            "foo@bar@baz",
            "Ünïcödé@@",
            "None",
            "n/a",
            "TBD",
            "@nobody",
            "jane doe",
            "Bob 2",
            "craig.topper",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?} must not be a person");
        }
    }

    #[test]
    fn identity_on_a_service() {
        assert_eq!(
            parse_identity("sdgh179 on github"),
            id(None, None, Some("sdgh179"))
        );
        assert_eq!(
            parse_identity("@Octo-Cat on GitHub"),
            id(None, None, Some("Octo-Cat"))
        );
        assert_eq!(
            parse_identity("eaglegai at github"),
            id(None, None, Some("eaglegai"))
        );
        assert_eq!(
            parse_identity("Kartatz on Github."),
            id(None, None, Some("Kartatz"))
        );
        // Not a login: the display name someone uses on GitHub.
        assert_eq!(
            parse_identity("Dan Fandrich on github"),
            id(Some("Dan Fandrich"), None, None)
        );
        // Other services' accounts are not GitHub logins.
        assert_eq!(
            parse_identity("accl on hackerone"),
            id(Some("accl on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("nevv on HackerOne/curl"),
            id(Some("nevv on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("jo_x.y on GitLab"),
            id(Some("jo_x.y on gitlab"), None, None)
        );
        // `at GitLab` is an employer, not an account.
        assert_eq!(parse_identity("Brian at GitLab"), None);
        assert_eq!(
            parse_identity("pendrek at hackerone"),
            id(Some("pendrek on hackerone"), None, None)
        );
        assert_eq!(
            parse_identity("GitHub user 'kreshano'"),
            id(None, None, Some("kreshano"))
        );
        assert_eq!(
            parse_identity("Github user @jakirkham"),
            id(None, None, Some("jakirkham"))
        );
        // Nicknames with `_` are not GitHub logins: names of their own.
        assert_eq!(
            parse_identity("byte_bucket"),
            id(Some("byte_bucket"), None, None)
        );
        assert_eq!(parse_identity("z2_"), id(Some("z2_"), None, None));
        assert_eq!(parse_identity("_"), None);
        assert_eq!(parse_identity("none on github"), None);
        assert_eq!(parse_identity("the team on github"), None);
        assert_eq!(parse_identity("on github"), None);
        assert_eq!(parse_identity("product-security at Apple"), None);
        assert_eq!(parse_identity("Jane at Google"), None);
    }

    #[test]
    fn identity_malformed_addresses_recovered() {
        let jane = id(Some("Jane Doe"), Some("jane@example.org"), None);
        for v in [
            "Jane Doe <jane@example.org",
            "Jane Doe < jane@example.org",
            "Jane Doe <jane@example.org (Windows)",
            "Jane Doe <jane <at> example.org>",
            "Jane Doe <jane [at] example [dot] org>",
            "Jane Doe jane@example.org",
            "Jane Doe <jane@example.org> (Windows)",
            "Jane Doe <jane@example.org> http://example.org/jane",
            "\"Jane Doe\" jane@example.org",
        ] {
            assert_eq!(parse_identity(v), jane, "{v:?}");
        }
        assert_eq!(
            parse_identity("jane <AT> example.org"),
            id(None, Some("jane@example.org"), None)
        );
        assert_eq!(
            parse_identity("bjt3[at]hotmail.com"),
            id(None, Some("bjt3@hotmail.com"), None)
        );
        for v in [
            "Jane <not an email",
            "see http://x <j@x.io>",
            "jane doe jane@example.org",
            "fix it jane@example.org",
            "Jane <at>",
            "<at><at>",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?}");
        }
    }

    #[test]
    fn organisations_and_tools_are_not_people() {
        for v in [
            "Trail of Bits",
            "Acme Inc",
            "Acme Inc.",
            "Example Security Team",
            "Aisle Research",
            "OSS-Fuzz",
            "Google OSS-Fuzz",
            "Coverity",
            "Cure53",
            "MonocleAI",
            "Acme Corp <security@acme.example>",
            "security team on hackerone",
        ] {
            assert_eq!(parse_identity(v), None, "{v:?}");
            assert!(parse_people(v).is_empty(), "{v:?}");
        }
        // The affiliation in parentheses or after `of` is cut off, the person stays.
        assert_eq!(
            parse_identity("Joern Schneeweisz of Recurity Labs"),
            id(Some("Joern Schneeweisz"), None, None)
        );
        assert_eq!(parse_identity("University of Oslo"), None);
        assert_eq!(
            parse_identity("Stanislav Fort (Aisle Research)"),
            id(Some("Stanislav Fort"), None, None)
        );
    }

    #[test]
    fn several_people_on_one_line() {
        let names = |v: &str| -> Vec<String> {
            parse_people(v)
                .into_iter()
                .map(|p| {
                    p.name
                        .or(p.email)
                        .or(p.login.map(|l| format!("@{l}")))
                        .unwrap()
                })
                .collect()
        };
        assert_eq!(
            names("Daniel Stenberg and Marcel Raad"),
            ["Daniel Stenberg", "Marcel Raad"]
        );
        assert_eq!(
            names("Jay Satiro, Daniel Stenberg"),
            ["Jay Satiro", "Daniel Stenberg"]
        );
        assert_eq!(
            names("Max Dymond, Marcel Raad, Daniel Stenberg, Gisle Vanem"),
            [
                "Max Dymond",
                "Marcel Raad",
                "Daniel Stenberg",
                "Gisle Vanem"
            ]
        );
        assert_eq!(
            names("Jay Satiro & Marcel Raad"),
            ["Jay Satiro", "Marcel Raad"]
        );
        assert_eq!(names("Ann Lee AND Bob"), ["Ann Lee", "@Bob"]);
        assert_eq!(
            names("Tom van der Woerdt and Kunal Ekawde"),
            ["Tom van der Woerdt", "Kunal Ekawde"]
        );
        assert_eq!(
            names("@greafhe, Jay Satiro; sdgh179 on github"),
            ["@greafhe", "Jay Satiro", "@sdgh179"]
        );
        // `and` inside an address, quotes or parentheses, or inside a word.
        assert_eq!(
            split_list("A <x and y>, \"B and C\" <b@x>").0,
            ["A <x and y>", "\"B and C\" <b@x>"]
        );
        assert_eq!(
            names("\"Lee, Ann\" <ann@x.org> and Bob Okafor <bob@x.org>"),
            ["Lee, Ann", "Bob Okafor"]
        );
        assert_eq!(names("Ann Lee (QA and docs), Bob"), ["Ann Lee", "@Bob"]);
        assert_eq!(names("Brandon Andrews"), ["Brandon Andrews"]);
        assert_eq!(names("And-yW on github"), ["@And-yW"]);
        // Last name first with an address: one person; without one, a list.
        assert_eq!(names("Doe, Jane <jane@x.org>"), ["Doe, Jane"]);
        assert_eq!(
            names("Alfonsogonzalez, Ernesto (GE Digital) <e@ge.example>"),
            ["Alfonsogonzalez, Ernesto (GE Digital)"]
        );
        // One address for two names joined by `and`: only the address.
        assert_eq!(
            names("Nicolas Viennot and Sid Nair <nicolas@viennot.example>"),
            ["nicolas@viennot.example"]
        );
        assert_eq!(names("Doe, Jane"), ["@Doe", "@Jane"]);
        assert_eq!(names("Doe, Jane Ann <jane@x.org>"), ["@Doe", "Jane Ann"]);
        // Items that are not people are skipped, the others kept.
        assert_eq!(
            names("Will Cosgrove and co-authors in libssh2"),
            ["Will Cosgrove"]
        );
        assert!(names("upstream tests 305 and 404").is_empty());
        assert!(names("gcc 4.8+, clang 3.2+ (= appleclang 4.2+)").is_empty());
        assert!(names(" and , & ;").is_empty());
    }

    #[test]
    fn identity_word_limit() {
        let six = "Anna Maria Luisa de Medici Tuscany";
        assert_eq!(parse_identity(six), id(Some(six), None, None));
        assert_eq!(
            parse_identity("Anna Maria Luisa de Medici of Tuscany"),
            None
        );
        let bracketed = format!("{six} <a@m.it>");
        assert_eq!(
            parse_identity(&bracketed),
            id(Some(six), Some("a@m.it"), None)
        );
        assert_eq!(
            parse_identity("Thanks a lot to my good friend Bob <b@x.io>"),
            None
        );
    }

    #[test]
    fn split_people_lists() {
        assert_eq!(split_people("a, b"), ["a", "b"]);
        assert_eq!(split_people("a,b"), ["a", "b"]);
        assert_eq!(split_people(" a ,, b ; c "), ["a", "b", "c"]);
        assert_eq!(
            split_people("\"Doe, Jane\" <j@x>, B <b@x,y>"),
            ["\"Doe, Jane\" <j@x>", "B <b@x,y>"]
        );
        assert!(split_people("").is_empty());
        assert!(split_people(" , ").is_empty());
    }

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
