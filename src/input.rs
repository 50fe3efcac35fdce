//! Reading files that are not git objects (mailmaps, grafts, configuration, token files, parts,
//! forge JSON): every read is capped, never blocks on a FIFO or a device, and, where the file
//! lies in a stranger's work tree, never follows a symbolic link. Errors name the file and what
//! is wrong with it; they never quote the file's contents.
//!
//! The caps, their defaults and the environment variables that change them are listed in
//! [`CAPS`] (and in docs/usage.md, "Security model").

use std::fmt;
use std::io::Read;
use std::path::Path;

/// A limit on how many bytes of one kind of file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    /// What the file is, in messages: "mailmap", "configuration file", …
    pub what: &'static str,
    /// The environment variable that changes the limit (bytes).
    pub env: &'static str,
    /// The limit when the variable is not set.
    pub default: u64,
}

const MIB: u64 = 1 << 20;

/// `.mailmap` in a work tree, `mailmap.file`, `mailmap.blob`, `--mailmap`.
pub const MAILMAP: Cap = Cap {
    what: "mailmap",
    env: "GLUEWORK_MAX_MAILMAP_BYTES",
    default: 16 * MIB,
};
/// `.gluework.toml` (from the scanned tree), the user's file, `--config`.
pub const CONFIG: Cap = Cap {
    what: "configuration file",
    env: "GLUEWORK_MAX_CONFIG_BYTES",
    default: MIB,
};
/// `shallow` and `info/grafts` in a git directory.
pub const GRAFTS: Cap = Cap {
    what: "grafts or shallow file",
    env: "GLUEWORK_MAX_GRAFTS_BYTES",
    default: 64 * MIB,
};
/// The files libgit2 reads whole when it opens a repository: its `config`, `HEAD`, `.git`
/// link file, `commondir`, `gitdir`, `objects/info/alternates`.
pub const GIT_CONFIG: Cap = Cap {
    what: "git configuration file",
    env: "GLUEWORK_MAX_GIT_CONFIG_BYTES",
    default: 16 * MIB,
};
/// `--token-file`.
pub const TOKEN: Cap = Cap {
    what: "token file",
    env: "GLUEWORK_MAX_TOKEN_BYTES",
    default: 64 * 1024,
};
/// A part file (`scan --part`, read by `merge`), after decompression.
pub const PART: Cap = Cap {
    what: "part file",
    env: "GLUEWORK_MAX_PART_BYTES",
    default: 4096 * MIB,
};
/// One JSON file of a forge data folder, and a saved report (`render`, `--compare`).
pub const JSON: Cap = Cap {
    what: "JSON file",
    env: "GLUEWORK_MAX_JSON_BYTES",
    default: 1024 * MIB,
};
/// `--repos FILE`.
pub const LIST: Cap = Cap {
    what: "repository list",
    env: "GLUEWORK_MAX_LIST_BYTES",
    default: 64 * MIB,
};

/// Every cap on a file read, for documentation and `--help` texts.
pub const CAPS: &[Cap] = &[MAILMAP, CONFIG, GRAFTS, GIT_CONFIG, TOKEN, PART, JSON, LIST];

impl Cap {
    /// The limit (bytes, or a count): the environment variable when it holds a number, else
    /// the default.
    pub fn limit(&self) -> u64 {
        std::env::var(self.env)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(self.default)
    }
}

/// Who put the path there, which decides what may be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The path is in a repository's work tree or git directory: a symbolic link is refused
    /// (git itself does not follow a `.mailmap` link in a work tree), and so is anything but a
    /// regular file (a FIFO would block the scan).
    Refuse,
    /// The path comes from configuration or names a file in a data folder (`mailmap.file`,
    /// forge JSON, parts): links are followed, but only a regular file is read.
    Follow,
    /// The user named the file on the command line (`--mailmap`, `--config`, `--token-file`,
    /// `--repos`): links are followed, and a pipe is read too (`--token-file <(…)`), up to the
    /// cap; only a folder is refused.
    Named,
}
/// Why a file was not read. The message names the file (as given) and never quotes it.
#[derive(Debug)]
pub enum InputError {
    /// The file is a symbolic link and links are refused here.
    Symlink { path: String },
    /// A FIFO, a device, a socket or a folder where a regular file is expected.
    NotRegular { path: String, kind: &'static str },
    /// Larger than its cap.
    TooLarge { path: String, cap: Cap, limit: u64 },
    /// Any other error opening or reading it.
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl InputError {
    /// Whether the file simply does not exist (for files that are optional).
    pub fn is_missing(&self) -> bool {
        matches!(self, InputError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    /// What is wrong, without the file's name.
    pub fn reason(&self) -> String {
        let full = crate::error::one_line(self);
        let path = match self {
            InputError::Symlink { path }
            | InputError::NotRegular { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Io { path, .. } => path,
        };
        full.strip_prefix(path.as_str())
            .and_then(|r| r.strip_prefix(": "))
            .unwrap_or(&full)
            .to_string()
    }

    /// The same error, naming the file `name` (e.g. `.mailmap` rather than its full path).
    pub fn renamed(self, name: &str) -> InputError {
        let path = name.to_string();
        match self {
            InputError::Symlink { .. } => InputError::Symlink { path },
            InputError::NotRegular { kind, .. } => InputError::NotRegular { path, kind },
            InputError::TooLarge { cap, limit, .. } => InputError::TooLarge { path, cap, limit },
            InputError::Io { source, .. } => InputError::Io { path, source },
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Symlink { path } => {
                write!(f, "{path}: is a symbolic link; not followed")
            }
            InputError::NotRegular { path, kind } => {
                write!(f, "{path}: is a {kind}, not a regular file; not read")
            }
            InputError::TooLarge { path, cap, limit } => write!(
                f,
                "{path}: larger than the {} cap of {limit} bytes; not read (raise it with {}=BYTES)",
                cap.what, cap.env
            ),
            // The I/O error is the source: `crate::error::one_line` prints it after this.
            InputError::Io { path, .. } => write!(f, "{path}: cannot read"),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What a file that is not a regular file is, in messages: "FIFO", "device", "folder", …
pub fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "device";
        }
        if ft.is_socket() {
            return "socket";
        }
    }
    if ft.is_dir() {
        "folder"
    } else if ft.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// Opens a regular file for reading without blocking (a FIFO opened for reading waits for a
/// writer) and, with [`Links::Refuse`], without following a symbolic link in its last part.
pub fn open_regular(path: &Path, links: Links) -> Result<(std::fs::File, u64), InputError> {
    let shown = || path.display().to_string();
    let io = |source: std::io::Error| InputError::Io {
        path: shown(),
        source,
    };
    // Look first: a FIFO or device is refused before it is ever opened.
    let meta = match links {
        Links::Refuse => std::fs::symlink_metadata(path),
        Links::Follow | Links::Named => std::fs::metadata(path),
    }
    .map_err(io)?;
    if meta.file_type().is_symlink() {
        return Err(InputError::Symlink { path: shown() });
    }
    let acceptable = |meta: &std::fs::Metadata| match links {
        Links::Named => !meta.is_dir(),
        Links::Refuse | Links::Follow => meta.is_file(),
    };
    if !acceptable(&meta) {
        return Err(InputError::NotRegular {
            path: shown(),
            kind: kind_of(meta.file_type()),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking open: a regular file opens as usual; a FIFO put in place of the file
        // after it was looked at does not wait for a writer (it is refused below).
        let mut flags = libc::O_NOCTTY;
        if links != Links::Named {
            flags |= libc::O_NONBLOCK;
        }
        if links == Links::Refuse {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if links == Links::Refuse && e.raw_os_error() == Some(libc::ELOOP) {
            return InputError::Symlink { path: shown() };
        }
        io(e)
    })?;
    // What was opened, in case the path changed since it was looked at.
    let meta = file.metadata().map_err(io)?;
    if !acceptable(&meta) {
        return Err(InputError::NotRegular {
            path: shown(),
            kind: kind_of(meta.file_type()),
        });
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `cap` bytes (see [`open_regular`]).
pub fn read_capped(path: &Path, cap: Cap, links: Links) -> Result<Vec<u8>, InputError> {
    let (file, len) = open_regular(path, links)?;
    let limit = cap.limit();
    let too_large = || InputError::TooLarge {
        path: path.display().to_string(),
        cap,
        limit,
    };
    if len > limit {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(len.min(limit) as usize);
    // The file may grow while it is read: never read more than the cap (and one byte to tell).
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|source| InputError::Io {
            path: path.display().to_string(),
            source,
        })?;
    if out.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(out)
}

/// [`read_capped`], as UTF-8 text.
pub fn read_capped_string(path: &Path, cap: Cap, links: Links) -> Result<String, InputError> {
    let bytes = read_capped(path, cap, links)?;
    String::from_utf8(bytes).map_err(|e| InputError::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
        ),
    })
}

/// A reader that fails once more than `cap` bytes came through it: for streams that are
/// parsed as they are read (gzip-compressed parts, forge JSON).
pub struct CappedReader<R> {
    inner: R,
    left: u64,
    cap: Cap,
    limit: u64,
    path: String,
}

impl<R: Read> CappedReader<R> {
    pub fn new(inner: R, cap: Cap, path: &Path) -> Self {
        let limit = cap.limit();
        CappedReader {
            inner,
            left: limit,
            cap,
            limit,
            path: path.display().to_string(),
        }
    }

    /// The error a stream that went over its cap reads as.
    pub fn over_cap_error(&self) -> InputError {
        InputError::TooLarge {
            path: self.path.clone(),
            cap: self.cap,
            limit: self.limit,
        }
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One more byte means the stream is over the cap.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(self.over_cap_error().to_string())),
            };
        }
        let want = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The invisible characters that change the direction text is shown in: the bidirectional
/// embeddings, overrides and isolates, and the left-to-right, right-to-left and Arabic letter
/// marks. A name holding them can read differently from what it holds (`Eve\u{202E}gnp.exe`
/// shows as `Eveexe.png`), so every escaper removes or replaces them: this is their one list.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Makes untrusted text safe to print on one line: every control character (terminal escapes,
/// carriage returns, newlines, tabs, C1 controls) becomes U+FFFD, and so do the Unicode
/// bidirectional controls ([`is_bidi_control`]) that can make a line read differently from
/// what it holds.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A parser's error message (TOML, JSON) without any text of the file it is about: every
/// quoted span (in backticks or double quotes) becomes `…` unless it is one of `known` (the
/// format's own words) or a short word of lower-case letters, `_` and `-` (a misspelt key such
/// as `doc`: no token, password or header value looks like that). The message still says
/// what is wrong; the line and column say where.
pub fn unquote(message: &str, known: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['`', '"']) {
        let q = rest.as_bytes()[start] as char;
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find(q) {
            Some(end) => {
                let inner = &after[..end];
                out.push(q);
                let word = (1..=32).contains(&inner.len())
                    && inner.starts_with(|c: char| c.is_ascii_lowercase())
                    && inner
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-');
                out.push_str(if word || known.contains(&inner) {
                    inner
                } else {
                    "…"
                });
                out.push(q);
                rest = &after[end + 1..];
            }
            None => {
                // An unterminated quote: drop the rest.
                out.push(q);
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with every occurrence of each secret (a token) replaced by `[REDACTED]`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        let s = s.trim();
        // A very short "secret" would blank out ordinary words.
        if s.len() >= 4 && out.contains(s) {
            out = out.replace(s, "[REDACTED]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Cap = Cap {
        what: "test file",
        env: "GLUEWORK_TEST_NO_SUCH_VARIABLE",
        default: 8,
    };

    #[test]
    fn reads_small_regular_files_and_refuses_large_ones() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok");
        std::fs::write(&ok, b"12345678").unwrap();
        assert_eq!(read_capped(&ok, SMALL, Links::Refuse).unwrap(), b"12345678");
        let big = dir.path().join("big");
        std::fs::write(&big, b"123456789 secret").unwrap();
        let e = read_capped(&big, SMALL, Links::Refuse).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("larger than the test file cap of 8 bytes"),
            "{msg}"
        );
        assert!(msg.contains("GLUEWORK_TEST_NO_SUCH_VARIABLE"), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
        assert!(read_capped(&dir.path().join("none"), SMALL, Links::Refuse)
            .unwrap_err()
            .is_missing());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_fifos_devices_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, b"secret").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = read_capped(&link, SMALL, Links::Refuse).unwrap_err();
        assert!(matches!(e, InputError::Symlink { .. }), "{e}");
        assert!(!e.to_string().contains("secret"));
        // A link the user named is followed.
        assert_eq!(read_capped(&link, SMALL, Links::Follow).unwrap(), b"secret");

        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        for links in [Links::Refuse, Links::Follow] {
            let e = read_capped(&fifo, SMALL, links).unwrap_err();
            assert!(
                e.to_string().contains("is a FIFO, not a regular file"),
                "{e}"
            );
        }
        let e = read_capped(Path::new("/dev/zero"), SMALL, Links::Follow).unwrap_err();
        assert!(e.to_string().contains("is a device"), "{e}");
        // A device the user named is read, up to the cap.
        let e = read_capped(Path::new("/dev/zero"), SMALL, Links::Named).unwrap_err();
        assert!(e.to_string().contains("cap of 8 bytes"), "{e}");
        for links in [Links::Refuse, Links::Follow, Links::Named] {
            let e = read_capped(dir.path(), SMALL, links).unwrap_err();
            assert!(e.to_string().contains("is a folder"), "{e}");
        }
    }

    #[test]
    fn capped_reader_stops_at_the_cap() {
        let mut out = Vec::new();
        let r = CappedReader::new(&b"12345678"[..], SMALL, Path::new("x"));
        std::io::BufReader::new(r).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"12345678");
        let r = CappedReader::new(&b"123456789"[..], SMALL, Path::new("x"));
        let e = std::io::BufReader::new(r)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(e.to_string().contains("cap of 8 bytes"), "{e}");
    }

    #[test]
    fn sanitize_and_redact() {
        assert_eq!(
            sanitize("a\x1b[31mb\rc\nd\u{202E}e"),
            "a\u{FFFD}[31mb\u{FFFD}c\u{FFFD}d\u{FFFD}e"
        );
        assert_eq!(sanitize("plain Zoë"), "plain Zoë");
        // Every bidirectional control, the Arabic letter mark too; nothing else invisible.
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert!(is_bidi_control(c), "{c:?}");
            assert_eq!(sanitize(&format!("a{c}b")), "a\u{FFFD}b");
        }
        assert!(!is_bidi_control('\u{2060}') && !is_bidi_control('a'));
        assert_eq!(
            redact("bad credentials: ghp_abcdef", &["ghp_abcdef"]),
            "bad credentials: [REDACTED]"
        );
        assert_eq!(redact("abc", &["a"]), "abc");
    }
}
