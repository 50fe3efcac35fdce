//! `.mailmap` support that behaves like git's own `mailmap.c` (git 2.47).
//!
//! A mailmap maps the identities recorded in commits ("commit name",
//! "commit email") to canonical ones. See gitmailmap(5). The forms are:
//!
//! ```text
//! Proper Name <commit@email>                              # name only
//! <proper@email> <commit@email>                           # email only
//! Proper Name <proper@email> <commit@email>               # both
//! Proper Name <proper@email> Commit Name <commit@email>   # both, if name AND email match
//! ```
//!
//! # How git really parses a line
//!
//! The rules below are what git does; this module copies them, quirks
//! included, so that [`Mailmap::map`] agrees with `git check-mailmap` and
//! `git log --use-mailmap`:
//!
//! * A line is a comment only if its *first byte* is `#`. `  # x <y>` (with
//!   leading whitespace) is an entry with the name `# x`.
//! * Text after an entry is not a comment by syntax: git takes the part
//!   before the first `<` as a name and ignores the rest when no `<...>` can
//!   be found. So `Name <a@x> # note` works, but `Name <a@x> # was <b@x>`
//!   is the complex form with the commit name `# was`.
//! * Names are trimmed of git's whitespace (space, tab, CR, LF; *not* `\v`
//!   or `\f`); emails are taken verbatim between `<` and the first `>`
//!   after it, spaces included (`< a@x >` is the email ` a@x `).
//! * The first email must be non-empty (`Name <>` is ignored); the second
//!   may be empty (`Name <n@x> <>` maps identities with an empty email).
//! * Anything after the second `>` is ignored.
//! * Emails *and* names are compared ASCII-case-insensitively (`strcasecmp`
//!   in a C or UTF-8 locale), so `É` and `é` differ. The replacement is
//!   returned as written in the mailmap.
//! * An empty commit name never matches a line with a commit name.
//! * Several lines for the same commit email merge: a simple line (no commit
//!   name) replaces only the fields it gives, so `Jane <j@x>` followed by
//!   `<jane@x> <j@x>` maps `j@x` to `Jane <jane@x>`. A complex line
//!   replaces the earlier complex line for the same (commit name, commit
//!   email) as a whole. A complex line wins over the simple fields when the
//!   commit name matches; otherwise the simple fields apply.
//! * Files (the working-tree `.mailmap`, `mailmap.file`) are read with a
//!   1024-byte `fgets` buffer: a line longer than 1023 bytes is parsed as
//!   several separate lines, and a NUL byte ends the current piece. Blobs
//!   (`mailmap.blob`, or `HEAD:.mailmap` in a bare repository) are split on
//!   `\n` only, and the first NUL ends the whole blob. Use
//!   [`Mailmap::add_text`] for files and [`Mailmap::add_blob_text`] for
//!   blobs.
//!
//! # Several sources
//!
//! Git reads all sources into one map, in this order (`read_mailmap` in
//! git 2.47): the working-tree `.mailmap` (not in bare repositories), then
//! `mailmap.blob` (defaulting to `HEAD:.mailmap` in bare repositories), then
//! `mailmap.file`. `git check-mailmap --mailmap-blob/--mailmap-file` are read
//! after those. Call the `add_*` methods in the same order: a later source
//! extends and overrides an earlier one exactly as a later line in the same
//! file would (so for conflicting lines, `mailmap.file` wins over
//! `mailmap.blob`, which wins over `.mailmap`).
//!
//! # Text encoding
//!
//! Git works on bytes. This module parses bytes exactly like git and then
//! decodes each name and email with [`decode_text`] (UTF-8, else
//! Windows-1252), the decoding the scanner applies to commit identities that
//! declare no encoding. Results agree with git whenever both sides hold the
//! same bytes. They differ where git compares different bytes that decode to
//! the same text: a mailmap naming a Latin-1 commit name in UTF-8 maps here
//! and not in git (see docs/credit-accuracy.md).

use std::collections::HashMap;
use std::fmt;

/// `read_mailmap_file` reads with `fgets(buffer, 1024, f)`, i.e. at most
/// 1023 bytes per call, each of which is parsed as a line of its own.
const GIT_FGETS_CHUNK: usize = 1023;

/// Lookup keys up to this length are lowercased on the stack.
const STACK_KEY_LEN: usize = 256;

/// Longest excerpt of a line quoted in a warning.
const EXCERPT_CHARS: usize = 80;

/// A problem found in a mailmap line. Git ignores such lines (or the
/// problematic part of them) silently; we report them so the caller can say
/// "malformed .mailmap line 7: …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailmapWarning {
    /// 1-based line number (lines are separated by `\n`; a CRLF file has the
    /// same numbering as its LF version).
    pub line: usize,
    /// What is wrong and what git does about it. It never quotes the line.
    pub message: String,
    /// A short, escaped quote of the part of the line concerned. Callers show it only for
    /// text that came from the repository's own committed blobs: a file read from disk may be
    /// anything (a work tree's `.mailmap` can be a link to a secret), and its text must never
    /// reach a message.
    pub excerpt: Option<String>,
}

impl MailmapWarning {
    /// The message, with the excerpt when `quote` is true: `what is wrong: "excerpt"`.
    pub fn text(&self, quote: bool) -> String {
        match (&self.excerpt, quote) {
            (Some(e), true) => format!("{}: {e}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for MailmapWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The canonical name and/or email an identity is mapped to; `None` keeps
/// the commit's own value (git's `struct mailmap_info`).
#[derive(Debug, Clone, Default)]
struct Replacement {
    name: Option<Box<str>>,
    email: Option<Box<str>>,
}

/// Everything the mailmap says about one commit email (git's
/// `struct mailmap_entry`).
#[derive(Debug, Clone, Default)]
struct Entry {
    /// From lines without a commit name; used when no `by_name` entry
    /// matches.
    simple: Replacement,
    /// From lines with a commit name, keyed by the ASCII-lowercased commit
    /// name. Commit names are never empty, so an empty name never matches.
    by_name: HashMap<Box<str>, Replacement>,
}

/// A parsed mailmap: a map from commit identities to canonical ones.
#[derive(Debug, Clone, Default)]
pub struct Mailmap {
    /// Keyed by the ASCII-lowercased commit email (lowercased once, here).
    entries: HashMap<Box<str>, Entry>,
    /// The identities this mailmap rewrote so far ([`Mailmap::note_rewrite`]).
    rewrites: RewriteLog,
}

/// The raw identities (as written in commits) a mailmap rewrote, each with the identity it
/// became: one entry per distinct pair, however many commits carry it. Shared by the scan's
/// workers.
#[derive(Debug, Default)]
struct RewriteLog(std::sync::Mutex<std::collections::HashSet<crate::ident::Rewrite>>);

impl Clone for RewriteLog {
    fn clone(&self) -> Self {
        RewriteLog(std::sync::Mutex::new(
            self.0.lock().map(|s| s.clone()).unwrap_or_default(),
        ))
    }
}

impl Mailmap {
    /// An empty mailmap, which maps every identity to itself.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the entries of one mailmap *file* (the working-tree `.mailmap`
    /// or the file named by `mailmap.file`), read the way git reads files.
    ///
    /// `text` is raw bytes and may be non-UTF-8 (see the module docs).
    /// Entries added later extend and override earlier ones; see the module
    /// docs for the order in which git reads its sources.
    ///
    /// Returns one warning for every line git skips although it does not
    /// look like a blank or comment line (no `<email>`, a `<` without `>`,
    /// an empty first email), and for lines git reads differently from how
    /// they probably were meant: trailing text it ignores, a `#` it does not
    /// treat as a comment, `<` or surrounding whitespace inside an email, a
    /// lone `<email>` (which has no effect), lines longer than git's
    /// 1023-byte buffer, NUL bytes. The returned warnings carry only line numbers;
    /// the caller knows the file name.
    pub fn add_text(&mut self, text: &[u8]) -> Vec<MailmapWarning> {
        let mut warnings = Vec::new();
        for (index, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
            let line_no = index + 1;
            let content_len = line.len() - usize::from(line.ends_with(b"\n"));
            // A line of exactly 1023 bytes plus its newline is read as the
            // line and then a lone "\n", which is harmless.
            let split_by_git = content_len > GIT_FGETS_CHUNK;
            if split_by_git {
                warnings.push(MailmapWarning {
                    line: line_no,
                    message: format!(
                        "line is {content_len} bytes long; git reads .mailmap files in \
                         pieces of {GIT_FGETS_CHUNK} bytes and parses each piece as a \
                         separate line"
                    ),
                    excerpt: None,
                });
            }
            for piece in line.chunks(GIT_FGETS_CHUNK) {
                // fgets() stores the NUL, but git's string functions stop there.
                let (piece, had_nul) = until_nul(piece);
                let notes = self.read_line(piece);
                // The pieces of an over-long line are arbitrary fragments;
                // the warning above already covers them.
                if split_by_git {
                    continue;
                }
                if had_nul {
                    warnings.push(MailmapWarning {
                        line: line_no,
                        message: "NUL byte; git ignores the rest of this line".to_owned(),
                        excerpt: None,
                    });
                }
                warnings.extend(notes.into_iter().map(|(message, excerpt)| MailmapWarning {
                    line: line_no,
                    message,
                    excerpt,
                }));
            }
        }
        warnings
    }

    /// Adds the entries of a mailmap *blob* (`mailmap.blob`, or
    /// `HEAD:.mailmap` which git uses in bare repositories), read the way
    /// git reads blobs: lines of any length, and the first NUL byte ends the
    /// blob. Otherwise identical to [`Mailmap::add_text`].
    pub fn add_blob_text(&mut self, text: &[u8]) -> Vec<MailmapWarning> {
        let mut warnings = Vec::new();
        let (text, had_nul) = until_nul(text);
        let mut line_no = 0;
        for line in text.split(|&b| b == b'\n') {
            line_no += 1;
            warnings.extend(self.read_line(line).into_iter().map(|(message, excerpt)| {
                MailmapWarning {
                    line: line_no,
                    message,
                    excerpt,
                }
            }));
        }
        if had_nul {
            warnings.push(MailmapWarning {
                line: line_no.max(1),
                message: "NUL byte; git stops reading the mailmap blob here".to_owned(),
                excerpt: None,
            });
        }
        warnings
    }

    /// Maps a commit identity exactly as `git check-mailmap "Name <email>"`
    /// (and `git log --use-mailmap`) does, returning the canonical
    /// `(name, email)`.
    ///
    /// Both halves borrow either from the arguments (kept unchanged) or from
    /// the mailmap; nothing is allocated unless the email or name contains
    /// ASCII uppercase letters and is longer than 256 bytes. Call
    /// `.to_owned()` on the results if owned strings are needed.
    pub fn map<'a>(&'a self, name: &'a str, email: &'a str) -> (&'a str, &'a str) {
        let Some(entry) = with_ascii_lowercase(email, |key| self.entries.get(key)) else {
            return (name, email);
        };
        let mut replacement = &entry.simple;
        if !entry.by_name.is_empty() && !name.is_empty() {
            if let Some(found) = with_ascii_lowercase(name, |key| entry.by_name.get(key)) {
                replacement = found;
            }
        }
        (
            replacement.name.as_deref().unwrap_or(name),
            replacement.email.as_deref().unwrap_or(email),
        )
    }

    /// Records that the identity `raw` (as written in a commit) became `canonical` (see
    /// [`crate::classify::map_ident`]); nothing when they are the same.
    pub fn note_rewrite(&self, raw: crate::ident::Ident, canonical: &crate::ident::Ident) {
        if raw != *canonical {
            if let Ok(mut log) = self.rewrites.0.lock() {
                let r = crate::ident::Rewrite {
                    canonical: canonical.clone(),
                    raw,
                };
                if !log.contains(&r) {
                    log.insert(r);
                }
            }
        }
    }

    /// The identities rewritten so far, sorted.
    pub fn rewrites(&self) -> Vec<crate::ident::Rewrite> {
        let mut all: Vec<_> = self
            .rewrites
            .0
            .lock()
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        all.sort();
        all
    }

    /// True if nothing has been added, i.e. every identity maps to itself.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Parses one line (without regard to how it was cut out of its file)
    /// exactly like git's `read_mailmap_line`, adds its entry, and returns
    /// warnings about it: what is wrong, and a quote of the text concerned.
    fn read_line(&mut self, line: &[u8]) -> Vec<(String, Option<String>)> {
        let mut notes = Vec::new();
        if line.first() == Some(&b'#') {
            return notes;
        }
        let trimmed = trim_git_space(line);

        let first = match parse_name_and_email(line, false) {
            Ok(first) => first,
            Err(failure) => {
                // Blank lines and indented comments are fine; anything else
                // was probably meant to be an entry.
                if !trimmed.is_empty() && trimmed[0] != b'#' {
                    let what = match failure {
                        ParseFailure::NoOpen => "no <email> found",
                        ParseFailure::NoClose => "'<' without a closing '>'",
                        ParseFailure::EmptyEmail => "the first email is empty (\"<>\")",
                    };
                    notes.push((
                        format!("{what}; git ignores this line"),
                        Some(excerpt(trimmed)),
                    ));
                }
                return notes;
            }
        };

        if trimmed.first() == Some(&b'#') {
            notes.push((
                "'#' is not the first character, so git does not treat this line as a \
                 comment; it is read as an entry"
                    .to_owned(),
                Some(excerpt(trimmed)),
            ));
        }

        let (old_name, old_email) = match parse_name_and_email(first.rest, true) {
            Ok(second) => {
                if let Some(old_name) = second.name.filter(|n| n[0] == b'#') {
                    notes.push((
                        "'#' after an email does not start a comment when a <...> \
                         follows; git reads it as the commit name"
                            .to_owned(),
                        Some(excerpt(old_name)),
                    ));
                }
                let tail = trim_git_space(second.rest);
                if !tail.is_empty() && tail[0] != b'#' {
                    notes.push((
                        "git ignores the text after the second email".to_owned(),
                        Some(excerpt(tail)),
                    ));
                }
                (second.name, Some(second.email))
            }
            Err(failure) => {
                let tail = trim_git_space(first.rest);
                if !tail.is_empty() && tail[0] != b'#' {
                    let what = match failure {
                        ParseFailure::NoClose => "the second email has no closing '>'",
                        // EmptyEmail cannot happen: empty is allowed here.
                        _ => "no second <email> (a commit name must be followed by one)",
                    };
                    notes.push((
                        format!("{what}; git ignores the text after the first email"),
                        Some(excerpt(tail)),
                    ));
                }
                (None, None)
            }
        };

        for email in std::iter::once(first.email).chain(old_email) {
            if let Some(problem) = email_oddity(email) {
                notes.push((
                    format!("{problem}; git uses the email as written"),
                    Some(excerpt(email)),
                ));
            }
        }

        if first.name.is_none() && old_email.is_none() {
            notes.push((
                "only an email and no name; this entry has no effect".to_owned(),
                Some(excerpt(trimmed)),
            ));
        }

        self.add_mapping(first.name, first.email, old_name, old_email);
        notes
    }

    /// Git's `add_mapping`: `new_*` is the canonical identity, `old_*` the
    /// commit identity. A line with one email has no `old_email`; its email
    /// is then the commit email and only the name is replaced.
    fn add_mapping(
        &mut self,
        new_name: Option<&[u8]>,
        new_email: &[u8],
        old_name: Option<&[u8]>,
        old_email: Option<&[u8]>,
    ) {
        let (new_email, old_email) = match old_email {
            Some(old_email) => (Some(new_email), old_email),
            None => (None, new_email),
        };
        let entry = self.entries.entry(lowercase_key(old_email)).or_default();
        match old_name {
            None => {
                // Simple entries replace only the fields the line gives.
                if let Some(name) = new_name {
                    entry.simple.name = Some(decode(name));
                }
                if let Some(email) = new_email {
                    entry.simple.email = Some(decode(email));
                }
            }
            Some(old_name) => {
                // Complex entries replace any earlier one for the same name.
                entry.by_name.insert(
                    lowercase_key(old_name),
                    Replacement {
                        name: new_name.map(decode),
                        email: new_email.map(decode),
                    },
                );
            }
        }
    }
}

/// One `[name] <email>` group, as git's `parse_name_and_email` splits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameEmail<'a> {
    /// Trimmed text before the `<`, or `None` if that is empty.
    name: Option<&'a [u8]>,
    /// Verbatim text between the `<` and the first `>` after it.
    email: &'a [u8],
    /// Everything after the `>`.
    rest: &'a [u8],
}

/// Why `parse_name_and_email` found no email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParseFailure {
    NoOpen,
    NoClose,
    EmptyEmail,
}

/// Git's `parse_name_and_email`: the email is between the first `<` and the
/// first `>` after it; the name is the trimmed text before the `<`.
fn parse_name_and_email(
    text: &[u8],
    allow_empty_email: bool,
) -> Result<NameEmail<'_>, ParseFailure> {
    let left = text
        .iter()
        .position(|&b| b == b'<')
        .ok_or(ParseFailure::NoOpen)?;
    let right = left
        + 1
        + text[left + 1..]
            .iter()
            .position(|&b| b == b'>')
            .ok_or(ParseFailure::NoClose)?;
    if !allow_empty_email && right == left + 1 {
        return Err(ParseFailure::EmptyEmail);
    }
    let name = trim_git_space(&text[..left]);
    Ok(NameEmail {
        name: (!name.is_empty()).then_some(name),
        email: &text[left + 1..right],
        rest: &text[right + 1..],
    })
}

/// Git's `isspace` (its own locale-independent ctype table).
fn is_git_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Strips git whitespace from both ends.
fn trim_git_space(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_git_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_git_space(b))
        .map_or(start, |last| last + 1);
    &bytes[start..end]
}

/// The bytes before the first NUL (what C string functions see), and
/// whether there was a NUL.
fn until_nul(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => (&bytes[..nul], true),
        None => (bytes, false),
    }
}

/// Something about an email git accepts but which is probably a typo.
fn email_oddity(email: &[u8]) -> Option<&'static str> {
    if email.contains(&b'<') {
        Some("the email contains '<'")
    } else if email.first().is_some_and(|&b| is_git_space(b))
        || email.last().is_some_and(|&b| is_git_space(b))
    {
        Some("whitespace inside <...> is part of the email")
    } else {
        None
    }
}

/// Bytes as text: UTF-8 when they are, else Windows-1252 (a superset of Latin-1), exactly as
/// the scanner decodes undeclared commit identities, so that the same bytes on both sides
/// still compare equal after decoding.
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// A stored name or email.
fn decode(bytes: &[u8]) -> Box<str> {
    decode_text(bytes).into()
}

/// A stored lookup key: ASCII-lowercased, like `strcasecmp` compares.
fn lowercase_key(bytes: &[u8]) -> Box<str> {
    decode_text(bytes).to_ascii_lowercase().into()
}

/// Calls `f` with `s` lowercased (ASCII only), without allocating unless
/// `s` has uppercase letters and is longer than [`STACK_KEY_LEN`].
fn with_ascii_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if !s.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(s);
    }
    if s.len() > STACK_KEY_LEN {
        return f(&s.to_ascii_lowercase());
    }
    let mut buffer = [0u8; STACK_KEY_LEN];
    let lowered = &mut buffer[..s.len()];
    lowered.copy_from_slice(s.as_bytes());
    lowered.make_ascii_lowercase();
    // Lowercasing ASCII bytes leaves every multi-byte sequence intact.
    let lowered = std::str::from_utf8(lowered).expect("ASCII lowercasing keeps UTF-8 valid");
    f(lowered)
}

/// A short, printable quote of (part of) a line for a warning.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars();
    let mut quoted: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        quoted.push('…');
    }
    format!("{quoted:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// A mailmap built from one file's text, asserting it has no warnings.
    fn clean(text: &str) -> Mailmap {
        let mut mailmap = Mailmap::new();
        let warnings = mailmap.add_text(text.as_bytes());
        assert!(warnings.is_empty(), "unexpected warnings: {warnings:?}");
        mailmap
    }

    /// A mailmap built from one file's text, and the warnings' line numbers.
    fn with_warnings(text: &str) -> (Mailmap, Vec<MailmapWarning>) {
        let mut mailmap = Mailmap::new();
        let warnings = mailmap.add_text(text.as_bytes());
        (mailmap, warnings)
    }

    fn lines(warnings: &[MailmapWarning]) -> Vec<usize> {
        warnings.iter().map(|w| w.line).collect()
    }

    #[test]
    fn parse_name_and_email_splits_like_git() {
        let parsed = parse_name_and_email(b" \tJane  Doe \t< j@x >rest", false).unwrap();
        assert_eq!(parsed.name, Some(&b"Jane  Doe"[..]));
        assert_eq!(parsed.email, b" j@x ");
        assert_eq!(parsed.rest, b"rest");

        let parsed = parse_name_and_email(b"<a<b>>", false).unwrap();
        assert_eq!(parsed.name, None);
        assert_eq!(parsed.email, b"a<b");
        assert_eq!(parsed.rest, b">");

        let single = parse_name_and_email(b"x<e>", false).unwrap();
        assert_eq!(single.name, Some(&b"x"[..]), "one-character names are kept");

        assert_eq!(
            parse_name_and_email(b"Jane", false),
            Err(ParseFailure::NoOpen)
        );
        assert_eq!(
            parse_name_and_email(b"Jane <j@x", false),
            Err(ParseFailure::NoClose)
        );
        assert_eq!(
            parse_name_and_email(b"Jane > <", false),
            Err(ParseFailure::NoClose)
        );
        assert_eq!(
            parse_name_and_email(b"Jane <>", false),
            Err(ParseFailure::EmptyEmail)
        );
        assert_eq!(parse_name_and_email(b"Jane <>", true).unwrap().email, b"");
        // \v and \f are not whitespace for git.
        let parsed = parse_name_and_email(b"\x0bJane\x0c <j@x>", false).unwrap();
        assert_eq!(parsed.name, Some(&b"\x0bJane\x0c"[..]));
    }

    #[test]
    fn trims_only_git_whitespace() {
        assert_eq!(trim_git_space(b" \t\r\n a b \r\n"), b"a b");
        assert_eq!(trim_git_space(b" \t "), b"");
        assert_eq!(trim_git_space(b""), b"");
        assert_eq!(trim_git_space(b"\x0ba\x0c"), b"\x0ba\x0c");
    }

    #[test]
    fn empty_map_returns_inputs() {
        let mailmap = Mailmap::new();
        assert!(mailmap.is_empty());
        assert_eq!(mailmap.map("A", "a@x"), ("A", "a@x"));
        assert!(Mailmap::default().is_empty());
    }

    #[test]
    fn name_only_mapping() {
        let mailmap = clean("Proper Name <commit@email>\n");
        assert!(!mailmap.is_empty());
        assert_eq!(
            mailmap.map("whoever", "commit@email"),
            ("Proper Name", "commit@email")
        );
        // The commit's email spelling is kept, the name replaced.
        assert_eq!(
            mailmap.map("whoever", "Commit@EMAIL"),
            ("Proper Name", "Commit@EMAIL")
        );
        assert_eq!(mailmap.map("x", "other@email"), ("x", "other@email"));
    }

    #[test]
    fn email_only_mapping() {
        let mailmap = clean("<proper@email> <commit@email>\n");
        assert_eq!(
            mailmap.map("Commit Name", "commit@email"),
            ("Commit Name", "proper@email")
        );
        assert_eq!(mailmap.map("", "commit@email"), ("", "proper@email"));
    }

    #[test]
    fn name_and_email_mapping() {
        let mailmap = clean("Proper Name <Proper@Email> <commit@email>\n");
        assert_eq!(
            mailmap.map("anyone", "COMMIT@email"),
            ("Proper Name", "Proper@Email"),
            "replacement keeps its case, lookup ignores case"
        );
    }

    #[test]
    fn complex_mapping_needs_name_and_email() {
        let mailmap = clean("Proper Name <proper@email> Commit Name <commit@email>\n");
        assert_eq!(
            mailmap.map("Commit Name", "commit@email"),
            ("Proper Name", "proper@email")
        );
        // Names match ASCII-case-insensitively (git uses strcasecmp).
        assert_eq!(
            mailmap.map("cOMMIT nAME", "Commit@Email"),
            ("Proper Name", "proper@email")
        );
        // Wrong name: nothing.
        assert_eq!(
            mailmap.map("Other Name", "commit@email"),
            ("Other Name", "commit@email")
        );
        // Whitespace inside a name is significant.
        assert_eq!(
            mailmap.map("Commit  Name", "commit@email"),
            ("Commit  Name", "commit@email")
        );
        // Empty commit name never matches a complex entry.
        assert_eq!(mailmap.map("", "commit@email"), ("", "commit@email"));
        // Wrong email: nothing.
        assert_eq!(
            mailmap.map("Commit Name", "other@email"),
            ("Commit Name", "other@email")
        );
    }

    #[test]
    fn complex_entry_with_only_an_email() {
        let mailmap = clean("<proper@email> Commit Name <commit@email>\n");
        assert_eq!(
            mailmap.map("Commit Name", "commit@email"),
            ("Commit Name", "proper@email")
        );
        assert_eq!(
            mailmap.map("Other", "commit@email"),
            ("Other", "commit@email")
        );
    }

    #[test]
    fn case_folding_is_ascii_only() {
        let mailmap = clean("Proper <p@x> José <JOSÉ@x>\n");
        assert_eq!(mailmap.map("josé", "josÉ@x"), ("Proper", "p@x"));
        assert_eq!(mailmap.map("JOSÉ", "josÉ@x"), ("JOSÉ", "josÉ@x"));
        assert_eq!(mailmap.map("José", "josé@x"), ("José", "josé@x"));
    }

    #[test]
    fn several_entries_for_one_email() {
        let mailmap = clean(
            "Joe R. Developer <joe@example.com>\n\
             Joe R. Developer <joe@example.com> Joe <bugs@example.com>\n\
             Jane Doe <jane@example.com> Jane <bugs@example.com>\n\
             Bug Bot <bot@example.com> <bugs@example.com>\n",
        );
        assert_eq!(
            mailmap.map("joe", "bugs@example.com"),
            ("Joe R. Developer", "joe@example.com")
        );
        assert_eq!(
            mailmap.map("Jane", "BUGS@example.com"),
            ("Jane Doe", "jane@example.com")
        );
        // No name matches: the simple entry for the email applies.
        assert_eq!(
            mailmap.map("Someone", "bugs@example.com"),
            ("Bug Bot", "bot@example.com")
        );
        assert_eq!(
            mailmap.map("Joseph", "joe@example.com"),
            ("Joe R. Developer", "joe@example.com")
        );
    }

    #[test]
    fn simple_lines_merge_field_by_field() {
        let mailmap = clean("Named <n@x>\n<n2@x> <n@x>\n");
        assert_eq!(mailmap.map("q", "n@x"), ("Named", "n2@x"));
        let mailmap = clean("<n2@x> <n@x>\nNamed <n@x>\n");
        assert_eq!(mailmap.map("q", "n@x"), ("Named", "n2@x"));
        // A later full line replaces both fields; a later name-only line
        // only the name.
        let mailmap = clean("A <a@x> <n@x>\nB <b@x> <N@X>\nC <n@x>\n");
        assert_eq!(mailmap.map("q", "n@x"), ("C", "b@x"));
    }

    #[test]
    fn later_complex_line_replaces_earlier_one_entirely() {
        let mailmap = clean("A <a@x> Old <o@x>\n<b@x> OLD <O@x>\n");
        // The second line gives no replacement name, and the first line's
        // name is gone with it.
        assert_eq!(mailmap.map("old", "o@x"), ("old", "b@x"));
    }

    #[test]
    fn later_sources_override_earlier_ones() {
        let mut mailmap = Mailmap::new();
        assert!(mailmap.add_text(b"A <a@x> <c@x>\nK <k@x>\n").is_empty());
        assert!(mailmap.add_blob_text(b"B <c@x>\n").is_empty());
        assert!(mailmap.add_text(b"<z@x> <k@x>\n").is_empty());
        assert_eq!(mailmap.map("q", "c@x"), ("B", "a@x"));
        assert_eq!(mailmap.map("q", "k@x"), ("K", "z@x"));
    }

    #[test]
    fn line_with_only_an_email_has_no_effect() {
        let (mailmap, warnings) = with_warnings("<commit@email>\n");
        assert_eq!(mailmap.map("N", "commit@email"), ("N", "commit@email"));
        assert_eq!(lines(&warnings), [1]);
        assert!(warnings[0].message.contains("no effect"));
        // ... but it does not undo an earlier entry either.
        let (mailmap, _) = with_warnings("A <commit@email>\n<COMMIT@email>\n");
        assert_eq!(mailmap.map("N", "commit@email"), ("A", "commit@email"));
    }

    #[test]
    fn empty_commit_email() {
        let mailmap = clean("Z <z@x> <>\nW <w@x> Nm <>\n");
        assert_eq!(mailmap.map("Q", ""), ("Z", "z@x"));
        assert_eq!(mailmap.map("", ""), ("Z", "z@x"));
        assert_eq!(mailmap.map("nm", ""), ("W", "w@x"));
    }

    #[test]
    fn empty_first_email_is_skipped() {
        let (mailmap, warnings) = with_warnings("Name <>\n<> <c@x>\n");
        assert!(mailmap.is_empty());
        assert_eq!(lines(&warnings), [1, 2]);
        assert!(warnings[0].message.contains("empty"));
    }

    #[test]
    fn whitespace_only_name_is_no_name() {
        let mailmap = clean(" \t <p@x> \t <c@x>\n");
        assert_eq!(mailmap.map("C", "c@x"), ("C", "p@x"));
    }

    #[test]
    fn emails_are_not_trimmed() {
        let (mailmap, warnings) = with_warnings("Spacey < s@x >\n");
        assert_eq!(lines(&warnings), [1]);
        assert_eq!(mailmap.map("q", "s@x"), ("q", "s@x"));
        assert_eq!(mailmap.map("q", " S@x "), ("Spacey", " S@x "));
    }

    #[test]
    fn non_ascii_names() {
        let mailmap = clean("Zoë Ünïcödé <zoe@x> 山田 太郎 <yamada@x>\n");
        assert_eq!(
            mailmap.map("山田 太郎", "yamada@x"),
            ("Zoë Ünïcödé", "zoe@x")
        );
        assert_eq!(mailmap.map("山田", "yamada@x"), ("山田", "yamada@x"));
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        let mut mailmap = Mailmap::new();
        assert!(mailmap.add_text(b"Bad \xff Name <b\xfe@x>\n").is_empty());
        assert_eq!(
            mailmap.map("q", "b\u{fe}@x"),
            ("Bad \u{ff} Name", "b\u{fe}@x")
        );
    }

    #[test]
    fn comments_and_blank_lines() {
        let text = "# comment <c@x>\n\n   \n\t\n# Other <o@x>\n\
                    Real <r@x> # trailing comment\n\
                    Real2 <p@x> <r2@x> # trailing comment\n";
        let mailmap = clean(text);
        assert_eq!(mailmap.map("q", "c@x"), ("q", "c@x"));
        assert_eq!(mailmap.map("q", "o@x"), ("q", "o@x"));
        assert_eq!(mailmap.map("q", "r@x"), ("Real", "r@x"));
        assert_eq!(mailmap.map("q", "r2@x"), ("Real2", "p@x"));
    }

    #[test]
    fn indented_hash_is_not_a_comment() {
        let (mailmap, warnings) = with_warnings("ok <ok@x>\n  # Indented <ind@x>\n   # plain\n");
        assert_eq!(mailmap.map("q", "ind@x"), ("# Indented", "ind@x"));
        assert_eq!(lines(&warnings), [2]);
    }

    #[test]
    fn hash_before_second_email_is_a_name() {
        let (mailmap, warnings) = with_warnings("New <n@x> # was <old@x>\n");
        assert_eq!(mailmap.map("q", "old@x"), ("q", "old@x"));
        assert_eq!(mailmap.map("# WAS", "old@x"), ("New", "n@x"));
        assert_eq!(mailmap.map("q", "n@x"), ("q", "n@x"));
        assert_eq!(lines(&warnings), [1]);
    }

    #[test]
    fn text_after_second_email_is_ignored() {
        let (mailmap, warnings) = with_warnings("A <a@x> B <b@x> junk <q@x>\n");
        assert_eq!(mailmap.map("b", "b@x"), ("A", "a@x"));
        assert_eq!(mailmap.map("junk", "q@x"), ("junk", "q@x"));
        assert_eq!(lines(&warnings), [1]);
    }

    #[test]
    fn broken_second_half_falls_back_to_simple_entry() {
        let (mailmap, warnings) = with_warnings("A <a@x> B <b@x\nC <c@x> Commit Name\n");
        // Git maps a@x (the *canonical* email) and forgets b@x.
        assert_eq!(mailmap.map("q", "a@x"), ("A", "a@x"));
        assert_eq!(mailmap.map("B", "b@x"), ("B", "b@x"));
        assert_eq!(mailmap.map("Commit Name", "c@x"), ("C", "c@x"));
        assert_eq!(lines(&warnings), [1, 2]);
    }

    #[test]
    fn skipped_lines_get_warnings_with_line_numbers() {
        let text = "Good <g@x>\nNo Email Here\n# fine\n\nJane <jane@x\nName <>\n  \t\n";
        let (mailmap, warnings) = with_warnings(text);
        assert_eq!(lines(&warnings), [2, 5, 6]);
        assert!(warnings[0].message.contains("no <email>"), "{warnings:?}");
        assert!(warnings[1].message.contains("closing '>'"), "{warnings:?}");
        assert!(warnings[1].text(true).contains("jane@x"), "{warnings:?}");
        assert!(!warnings[1].message.contains("jane@x"), "{warnings:?}");
        assert_eq!(
            warnings[0].to_string(),
            format!("line 2: {}", warnings[0].message)
        );
        assert_eq!(mailmap.map("q", "g@x"), ("Good", "g@x"));
        assert_eq!(mailmap.map("q", "jane@x"), ("q", "jane@x"));
    }

    #[test]
    fn crlf_behaves_like_lf() {
        let lf = "A <a@x>\n<p@x> <b@x>\nC <c@x> Old <o@x>\nD <d@x> <e@x>\n";
        let crlf = lf.replace('\n', "\r\n");
        let (lf_map, lf_warnings) = with_warnings(lf);
        let (crlf_map, crlf_warnings) = with_warnings(&crlf);
        assert!(lf_warnings.is_empty() && crlf_warnings.is_empty());
        for (name, email) in [("q", "a@x"), ("q", "b@x"), ("old", "o@x"), ("q", "e@x")] {
            assert_eq!(lf_map.map(name, email), crlf_map.map(name, email));
        }
        assert_eq!(crlf_map.map("old", "o@x"), ("C", "c@x"));
    }

    #[test]
    fn cr_inside_brackets_is_part_of_the_email() {
        let mut mailmap = Mailmap::new();
        mailmap.add_text(b"A <a@x\r>\r\n");
        assert_eq!(mailmap.map("q", "a@x"), ("q", "a@x"));
        assert_eq!(mailmap.map("q", "a@x\r"), ("A", "a@x\r"));
    }

    #[test]
    fn last_line_without_newline() {
        let mailmap = clean("A <a@x>\nB <b@x>");
        assert_eq!(mailmap.map("q", "b@x"), ("B", "b@x"));
    }

    #[test]
    fn long_lines_are_split_like_fgets() {
        // The comment fills git's buffer; the rest is parsed as a new line.
        let text = format!("#{}Sneaky <s@x>\nOk <ok@x>\n", "c".repeat(1022));
        let (mailmap, warnings) = with_warnings(&text);
        assert_eq!(mailmap.map("q", "s@x"), ("Sneaky", "s@x"));
        assert_eq!(mailmap.map("q", "ok@x"), ("Ok", "ok@x"));
        assert_eq!(lines(&warnings), [1]);
        // In a blob, the same text is one long comment line.
        let mut blob = Mailmap::new();
        assert!(blob.add_blob_text(text.as_bytes()).is_empty());
        assert_eq!(blob.map("q", "s@x"), ("q", "s@x"));

        // A line of exactly 1023 bytes is read whole.
        let name = "N".repeat(1023 - " <n@x>".len());
        let mailmap = clean(&format!("{name} <n@x>\n"));
        assert_eq!(mailmap.map("q", "n@x"), (name.as_str(), "n@x"));
        // One byte more and the email lands in the next piece.
        let name = "N".repeat(1024 - " <n@x>".len());
        let (mailmap, warnings) = with_warnings(&format!("{name} <n@x>\n"));
        assert_eq!(mailmap.map("q", "n@x"), ("q", "n@x"));
        assert_eq!(lines(&warnings), [1]);
    }

    #[test]
    fn nul_ends_the_line_in_files_and_the_blob_in_blobs() {
        let text = b"Ok\0junk <ok@x>\nAfter <nul@x>\0\nX <n\0ul2@x>\nLast <l@x>\n";
        let mut file = Mailmap::new();
        let warnings = file.add_text(text);
        assert_eq!(file.map("q", "ok@x"), ("q", "ok@x"));
        assert_eq!(file.map("q", "nul@x"), ("After", "nul@x"));
        assert_eq!(file.map("q", "n"), ("q", "n"));
        assert_eq!(file.map("q", "l@x"), ("Last", "l@x"));
        assert_eq!(lines(&warnings), [1, 1, 2, 3, 3]);

        let mut blob = Mailmap::new();
        let warnings = blob.add_blob_text(b"A <a@x>\nB <b\0@x>\nC <c@x>\n");
        assert_eq!(blob.map("q", "a@x"), ("A", "a@x"));
        assert_eq!(blob.map("q", "b"), ("q", "b"));
        assert_eq!(blob.map("q", "c@x"), ("q", "c@x"));
        assert_eq!(lines(&warnings), [2, 2]);
    }

    #[test]
    fn lookup_keys_longer_than_the_stack_buffer() {
        // Both keys are longer than STACK_KEY_LEN but the line fits git's
        // 1023-byte buffer.
        let email = format!("{}@x", "A".repeat(300));
        let mailmap = clean(&format!(
            "Long <{email}> LONG NAME {} <{email}>\n",
            "B".repeat(260)
        ));
        let name = format!("long name {}", "b".repeat(260));
        let upper = email.to_uppercase();
        assert_eq!(mailmap.map(&name, &upper), ("Long", email.as_str()));
    }

    /// A tiny deterministic PRNG (xorshift64*) for the hostile-input tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    #[test]
    fn arbitrary_bytes_do_not_panic() {
        let alphabet = b"<> \t\r\n#\0aA\xff\xc3\xa9@";
        let mut rng = Rng(0x5eed);
        for _ in 0..2_000 {
            let len = (rng.next() % 200) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.next().is_multiple_of(4) {
                        rng.next() as u8
                    } else {
                        alphabet[(rng.next() % alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            let mut file = Mailmap::new();
            let mut blob = Mailmap::new();
            for warning in file
                .add_text(&text)
                .iter()
                .chain(&blob.add_blob_text(&text))
            {
                assert!(warning.line >= 1 && !warning.message.is_empty());
            }
            for probe in ["", "a", "A", "aA", "\u{fffd}", " a", "a "] {
                file.map(probe, probe);
                blob.map(probe, probe);
            }
        }
    }

    #[test]
    fn huge_lines_and_many_lines_are_fast() {
        let started = Instant::now();

        let long_name = "x".repeat(100_000);
        let mut mailmap = Mailmap::new();
        let text = format!("{long_name} <long@x> {long_name} <{long_name}>\n<>{long_name}");
        let warnings = mailmap.add_text(text.as_bytes());
        assert_eq!(lines(&warnings), [1, 2]);
        // As a file, git only sees the 1023-byte piece around " <long@x>".
        let piece_name = "x".repeat(100_000 % 1023);
        assert_eq!(mailmap.map("q", "long@x"), (piece_name.as_str(), "long@x"));
        // As a blob, the line is one complex entry.
        assert!(mailmap.add_blob_text(text.as_bytes()).len() == 1);
        assert_eq!(
            mailmap.map(&long_name, &long_name),
            (long_name.as_str(), "long@x")
        );

        let mut text = String::new();
        for i in 0..50_000 {
            text.push_str(&format!("Name {i} <n{i}@x> Old {i} <SHARED@x>\n"));
        }
        let mut mailmap = Mailmap::new();
        assert!(mailmap.add_text(text.as_bytes()).is_empty());
        assert_eq!(
            mailmap.map("old 49999", "shared@x"),
            ("Name 49999", "n49999@x")
        );

        let mut nasty = vec![b'<'; 200_000];
        nasty.extend(std::iter::repeat_n(b'\0', 50_000));
        nasty.extend(std::iter::repeat_n(b'\n', 50_000));
        let mut mailmap = Mailmap::new();
        mailmap.add_text(&nasty);
        mailmap.add_blob_text(&nasty);

        assert!(
            started.elapsed() < Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
    }
}
