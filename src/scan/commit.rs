//! Parsing raw commit objects, read once by the walk and once more by nobody.
//!
//! The parser gives exactly what libgit2 1.9 (which gluework used to read commits with, through
//! git2) gives for the same bytes, so that reports stay the same: the same fields, the same
//! trimming of names and emails, the same timestamps, the same leniency and the same failures.
//! Two depths, like libgit2's: `parse_quick` (what its history walk reads: parents and the
//! committer's time; the author lines must parse too) and `parse` (everything).

use git2::Oid;

/// A signature as stored: name and email trimmed the way libgit2 trims them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawSig<'a> {
    pub name: &'a [u8],
    pub email: &'a [u8],
    /// Seconds since the Unix epoch (0 when the signature has no time).
    pub time: i64,
}

/// A fully parsed commit, borrowing from the object's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCommit<'a> {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub author: RawSig<'a>,
    pub committer: RawSig<'a>,
    /// The `encoding` header (the last one, when repeated), when it is UTF-8.
    pub encoding: Option<&'a str>,
    /// The message, leading newlines removed.
    pub message: &'a [u8],
}

/// What the walk needs: parents and the committer's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickCommit {
    pub tree: Option<Oid>,
    pub parents: Vec<Oid>,
    pub time: i64,
}

/// Why a commit object could not be parsed (libgit2's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError(pub &'static str);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const BAD: ParseError = ParseError("failed to parse bad commit object");

/// Up to the first NUL: libgit2 copies these fields as C strings.
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// 40 hexadecimal digits (either case) to an id.
pub fn parse_hex(hex: &[u8]) -> Option<Oid> {
    if hex.len() != 40 {
        return None;
    }
    let mut raw = [0u8; 20];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        raw[i] = hex_val(pair[0])? << 4 | hex_val(pair[1])?;
    }
    Oid::from_bytes(&raw).ok()
}

/// `HEADER <40 hex>\n` at the start of `buf`: the id and the rest.
fn oid_header<'a>(buf: &'a [u8], header: &[u8]) -> Option<(Oid, &'a [u8])> {
    let len = header.len() + 41;
    if buf.len() < len || !buf.starts_with(header) || buf[len - 1] != b'\n' {
        return None;
    }
    Some((parse_hex(&buf[header.len()..len - 1])?, &buf[len..]))
}

fn is_crud(c: u8) -> bool {
    c <= 32 || matches!(c, b',' | b':' | b';' | b'<' | b'>' | b'"' | b'\\' | b'\'')
}

fn trimmed(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if !is_crud(*first) {
            break;
        }
        b = rest;
    }
    while let [rest @ .., last] = b {
        if !is_crud(*last) {
            break;
        }
        b = rest;
    }
    b
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// A base-10 integer the way libgit2's `git__strntol64` reads one: leading white space, a
/// sign, digits up to the first non-digit; at least one digit; no overflow.
fn strntol64(b: &[u8]) -> Option<i64> {
    let mut i = 0;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut n: i64 = 0;
    let mut digits = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        let v = (b[i] - b'0') as i64;
        let v = if neg { -v } else { v };
        match n.checked_mul(10).and_then(|m| m.checked_add(v)) {
            Some(m) => n = m,
            None => overflow = true,
        }
        digits += 1;
        i += 1;
    }
    (digits > 0 && !overflow).then_some(n)
}

/// `HEADER Name <email> time tz\n` at the start of `buf`: the signature and the rest.
fn signature<'a>(buf: &'a [u8], header: &[u8]) -> Result<(RawSig<'a>, &'a [u8]), ParseError> {
    let Some(eol) = buf.iter().position(|&c| c == b'\n') else {
        return Err(ParseError("failed to parse signature - no newline given"));
    };
    let line = &buf[..eol];
    if line.len() <= header.len() || !line.starts_with(header) {
        return Err(ParseError(
            "failed to parse signature - expected prefix doesn't match actual",
        ));
    }
    let line = &line[header.len()..];
    let (Some(lt), Some(gt)) = (
        line.iter().rposition(|&c| c == b'<'),
        line.iter().rposition(|&c| c == b'>'),
    ) else {
        return Err(ParseError("failed to parse signature - malformed e-mail"));
    };
    if gt <= lt {
        return Err(ParseError("failed to parse signature - malformed e-mail"));
    }
    let mut sig = RawSig {
        name: c_str(trimmed(&line[..lt])),
        email: c_str(trimmed(&line[lt + 1..gt])),
        time: 0,
    };
    if gt + 2 < line.len() {
        sig.time = strntol64(&line[gt + 2..]).ok_or(ParseError(
            "failed to parse signature - invalid Unix timestamp",
        ))?;
    }
    Ok((sig, &buf[eol + 1..]))
}

/// A commit's tree (unread by the quick parse when malformed), its parents, and the rest.
type Ids<'a> = (Option<Oid>, Vec<Oid>, &'a [u8]);

/// Tree, parents, and the position after them.
fn ids(data: &[u8], quick: bool) -> Result<Ids<'_>, ParseError> {
    let (tree, mut rest) = if quick {
        // libgit2's quick parse skips the tree line by its length without reading it.
        if data.len() < 46 {
            return Err(BAD);
        }
        (oid_header(data, b"tree ").map(|(t, _)| t), &data[46..])
    } else {
        let (t, rest) = oid_header(data, b"tree ").ok_or(BAD)?;
        (Some(t), rest)
    };
    let mut parents = Vec::with_capacity(1);
    while let Some((p, r)) = oid_header(rest, b"parent ") {
        parents.push(p);
        rest = r;
    }
    Ok((tree, parents, rest))
}

/// What libgit2's history walk reads of a commit.
pub fn parse_quick(data: &[u8]) -> Result<QuickCommit, ParseError> {
    let (tree, parents, mut rest) = ids(data, true)?;
    while rest.starts_with(b"author ") {
        rest = signature(rest, b"author ")?.1;
    }
    let (committer, _) = signature(rest, b"committer ")?;
    Ok(QuickCommit {
        tree,
        parents,
        time: committer.time,
    })
}

/// The whole commit, as libgit2's `git_commit` accessors give it.
pub fn parse(data: &[u8]) -> Result<RawCommit<'_>, ParseError> {
    let (tree, parents, rest) = ids(data, false)?;
    let (author, mut rest) = signature(rest, b"author ")?;
    // Some tools write several author lines: the first counts.
    while rest.starts_with(b"author ") {
        rest = signature(rest, b"author ")?.1;
    }
    let (committer, rest) = signature(rest, b"committer ")?;
    // Further headers, up to the empty line that ends them.
    let mut pos = data.len() - rest.len();
    let mut encoding = None;
    while pos < data.len() {
        if data[pos - 1] == b'\n' && data[pos] == b'\n' {
            break;
        }
        let eol = data[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| pos + i);
        if let Some(value) = data[pos..eol].strip_prefix(b"encoding ") {
            encoding = Some(c_str(value));
        }
        pos = (eol + 1).min(data.len());
    }
    let message = match data.get(pos + 1..) {
        Some(m) => c_str(m),
        None => &[][..],
    };
    let start = message
        .iter()
        .position(|&c| c != b'\n')
        .unwrap_or(message.len());
    Ok(RawCommit {
        tree: tree.ok_or(BAD)?,
        parents,
        author,
        committer,
        encoding: encoding.and_then(|e| std::str::from_utf8(e).ok()),
        message: &message[start..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    const P: &str = "0123456789abcdef0123456789abcdef01234567";

    fn commit(extra_headers: &str, message: &str) -> Vec<u8> {
        format!(
            "tree {T}\nparent {P}\nauthor  A. Person <a@example.com> 1700000000 +0100\ncommitter C <c@example.com>   1700000100 -0200\n{extra_headers}\n{message}"
        )
        .into_bytes()
    }

    #[test]
    fn fields_as_libgit2_gives_them() {
        let data = commit("encoding ISO-8859-1\n", "\n\nSubject\n\nBody\n");
        let c = parse(&data).unwrap();
        assert_eq!(c.tree.to_string(), T);
        assert_eq!(c.parents.len(), 1);
        assert_eq!(c.author.name, b"A. Person");
        assert_eq!(c.author.email, b"a@example.com");
        assert_eq!(c.author.time, 1_700_000_000);
        assert_eq!(c.committer.time, 1_700_000_100);
        assert_eq!(c.encoding, Some("ISO-8859-1"));
        assert_eq!(c.message, b"Subject\n\nBody\n");
        let q = parse_quick(&data).unwrap();
        assert_eq!(q.time, 1_700_000_100);
        assert_eq!(q.parents, c.parents);
    }

    #[test]
    fn checked_against_libgit2() {
        // Odd but valid commits: each is written to a repository and read back with git2.
        let cases: Vec<Vec<u8>> = vec![
            commit("", "msg"),
            commit("", ""),
            format!("tree {T}\nauthor <> \ncommitter x <y> z\n\nm").into_bytes(),
            format!("tree {T}\nauthor <> \ncommitter x <y>\n\nm").into_bytes(),
            format!("tree {T}\nauthor <> \ncommitter x <y> \n\nm").into_bytes(),
            format!("tree {T}\nauthor \"Q\" <<q@x>> 12\nauthor B <b> 3\ncommitter ,C; <c> -5 +0000\n\n").into_bytes(),
            format!("tree {T}\nauthor A <a> 1\ncommitter C <c> 2\nencoding \nmergetag x\n continued\n\n\nmsg\0hidden").into_bytes(),
            format!("tree {T}\nauthor A\0B <a\0b> 1\ncommitter C <c> 99999999999\n").into_bytes(),
            format!("tree {}\nauthor A <a> 1\ncommitter C <c> 2\n\nx", T.to_uppercase()).into_bytes(),
        ];
        let dir = tempfile_dir();
        let repo = git2::Repository::init_bare(&dir).unwrap();
        let odb = repo.odb().unwrap();
        for data in &cases {
            let id = odb.write(git2::ObjectType::Commit, data).unwrap();
            let theirs = repo.find_commit(id);
            let ours = parse(data);
            match (theirs, ours) {
                (Ok(t), Ok(o)) => {
                    assert_eq!(t.tree_id(), o.tree);
                    assert_eq!(t.parent_ids().collect::<Vec<_>>(), o.parents);
                    assert_eq!(t.author().name_bytes(), o.author.name);
                    assert_eq!(t.author().email_bytes(), o.author.email);
                    assert_eq!(t.author().when().seconds(), o.author.time);
                    assert_eq!(t.committer().name_bytes(), o.committer.name);
                    assert_eq!(t.committer().email_bytes(), o.committer.email);
                    assert_eq!(t.committer().when().seconds(), o.committer.time);
                    assert_eq!(t.message_bytes(), o.message);
                    assert_eq!(t.message_encoding().ok().flatten(), o.encoding);
                }
                (Err(_), Err(_)) => {}
                (t, o) => panic!(
                    "{}: libgit2 {:?}, ours {:?}",
                    String::from_utf8_lossy(data),
                    t.map(|c| c.id()),
                    o
                ),
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "gluework-commit-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn failures() {
        assert!(parse(b"").is_err());
        assert!(parse(format!("tree {T}\ncommitter C <c> 2\n\nm").as_bytes()).is_err());
        assert!(parse_quick(format!("tree {T}\ncommitter C <c> 2\n\nm").as_bytes()).is_ok());
        assert!(
            parse(format!("tree {T}\nauthor A <a> x\ncommitter C <c> 2\n\nm").as_bytes()).is_err()
        );
        assert!(
            parse(format!("tree {T}\nauthor A a> 1\ncommitter C <c> 2\n\nm").as_bytes()).is_err()
        );
        assert!(parse(format!("tree {T}\nauthor A <a> 1\ncommitter C <c> 2").as_bytes()).is_err());
        assert_eq!(parse_hex(b"zz"), None);
        assert_eq!(strntol64(b" -12x"), Some(-12));
        assert_eq!(strntol64(b"99999999999999999999"), None);
    }
}
