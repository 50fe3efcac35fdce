//! Running git for the accuracy tests: an isolated environment, `git log` read into records,
//! `git check-mailmap` in one batch, and `git interpret-trailers --parse` in batches.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The git binary: `GLUEWORK_GIT`, else the one the fixtures are built with.
pub use crate::support::git_binary;

/// An empty global configuration: `/dev/null`, or an empty file where `/dev/null` is not the
/// null device (see fixtures/lib.sh).
fn empty_config() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        use std::os::unix::fs::FileTypeExt;
        let dev_null = Path::new("/dev/null");
        if std::fs::metadata(dev_null).is_ok_and(|m| m.file_type().is_char_device()) {
            return dev_null.to_path_buf();
        }
        let p = std::env::temp_dir().join(format!(
            "gluework-accuracy-empty-config-{}",
            std::process::id()
        ));
        std::fs::write(&p, "").expect("write an empty git config");
        p
    })
}

/// `git -C dir ARGS` with no user or system configuration, a fixed locale and time zone, and
/// none of the variables a calling git (a hook) would pass down.
pub fn git(dir: &Path) -> Command {
    let mut cmd = Command::new(git_binary());
    cmd.arg("-C")
        .arg(dir)
        .args([
            "-c",
            "core.quotePath=false",
            "-c",
            "log.showSignature=false",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", empty_config())
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("GIT_PAGER", "cat");
    for v in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_CONFIG",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

/// Runs `cmd` (feeding `stdin` from another thread, so large input and output cannot
/// deadlock) and returns its stdout; panics with stderr if it fails.
pub fn run(mut cmd: Command, stdin: Option<Vec<u8>>) -> Vec<u8> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("piped stdin");
        std::thread::spawn(move || pipe.write_all(&input))
    });
    let out = child.wait_with_output().expect("wait for git");
    if let Some(w) = writer {
        w.join().expect("stdin writer").expect("write to git");
    }
    assert!(
        out.status.success(),
        "{shown} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Like [`run`], but `None` when git fails.
pub fn try_run(mut cmd: Command) -> Option<Vec<u8>> {
    let out = cmd.stdin(Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Decodes bytes as gluework decodes undeclared commit text: UTF-8, else Windows-1252
/// (src/scan/mod.rs). Text that `git log` has re-encoded from a declared encoding is UTF-8.
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// An identity as git stores it: name and email bytes.
pub type RawIdent = (Vec<u8>, Vec<u8>);

/// One commit as `git log` shows it (without --use-mailmap: the identities as recorded), in
/// bytes: git maps identities byte for byte, whatever their encoding.
#[derive(Debug, Clone)]
pub struct LogCommit {
    pub id: String,
    pub author: RawIdent,
    pub committer: RawIdent,
    /// The whole message, exactly as `%B` prints it.
    pub message: Vec<u8>,
}

/// Every commit reachable from `rev` (`HEAD` when `None`), newest first.
pub fn log(repo: &Path, rev: Option<&str>) -> Vec<LogCommit> {
    let mut cmd = git(repo);
    cmd.args([
        "log",
        "-z",
        "--no-color",
        "--format=%H%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%B",
        rev.unwrap_or("HEAD"),
        "--",
    ]);
    let out = run(cmd, None);
    out.split(|&b| b == 0)
        .filter(|r| !r.is_empty())
        .map(|r| {
            let f: Vec<&[u8]> = r.splitn(6, |&b| b == 0x1f).collect();
            assert_eq!(f.len(), 6, "unexpected git log record {r:?}");
            LogCommit {
                id: String::from_utf8(f[0].to_vec()).unwrap(),
                author: (f[1].to_vec(), f[2].to_vec()),
                committer: (f[3].to_vec(), f[4].to_vec()),
                message: f[5].to_vec(),
            }
        })
        .collect()
}

/// Splits a `Name <email>` line as printed by `git check-mailmap`.
fn split_ident_line(line: &[u8]) -> RawIdent {
    let shown = String::from_utf8_lossy(line);
    let lt = line
        .iter()
        .rposition(|&b| b == b'<')
        .unwrap_or_else(|| panic!("no email in {shown:?}"));
    let gt = line
        .iter()
        .rposition(|&b| b == b'>')
        .unwrap_or_else(|| panic!("no email in {shown:?}"));
    let mut name = &line[..lt];
    while name.last() == Some(&b' ') {
        name = &name[..name.len() - 1];
    }
    (name.to_vec(), line[lt + 1..gt].to_vec())
}

/// `git check-mailmap --stdin` in `repo` for every identity, in one process; the answers in the
/// same order. Identities must not contain newlines (none that git can store do).
pub fn check_mailmap(repo: &Path, idents: &[RawIdent]) -> Vec<RawIdent> {
    if idents.is_empty() {
        return Vec::new();
    }
    let mut input = Vec::new();
    for (name, email) in idents {
        assert!(!name.contains(&b'\n') && !email.contains(&b'\n'));
        if !name.is_empty() {
            input.extend_from_slice(name);
            input.push(b' ');
        }
        input.push(b'<');
        input.extend_from_slice(email);
        input.extend_from_slice(b">\n");
    }
    let mut cmd = git(repo);
    cmd.args(["check-mailmap", "--stdin"]);
    let out = run(cmd, Some(input));
    let answers: Vec<RawIdent> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(split_ident_line)
        .collect();
    assert_eq!(
        answers.len(),
        idents.len(),
        "check-mailmap gave {} answers for {} identities",
        answers.len(),
        idents.len()
    );
    answers
}

/// [`check_mailmap`] for text identities.
pub fn check_mailmap_text(repo: &Path, idents: &[(String, String)]) -> Vec<(String, String)> {
    let raw: Vec<RawIdent> = idents
        .iter()
        .map(|(n, e)| (n.clone().into_bytes(), e.clone().into_bytes()))
        .collect();
    check_mailmap(repo, &raw)
        .into_iter()
        .map(|(n, e)| (decode(&n), decode(&e)))
        .collect()
}

/// A scratch directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "gluework-accuracy-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SENTINEL_LINE: &str = "Zz-Gluework-Batch-Sentinel: end";
const BATCH: usize = 400;

/// `git interpret-trailers --parse` output lines for every message: each message is written to
/// its own file and one git process reads a few hundred of them, each followed by a sentinel
/// file whose only output line is the sentinel trailer (the batching of
/// tests/it/git_trailers_diff.rs, which also checks it against stdin).
pub fn interpret_trailers(messages: &[String]) -> Vec<Vec<String>> {
    let dir = TempDir::new("trailers");
    std::fs::write(dir.0.join("s"), format!("x\n\n{SENTINEL_LINE}\n")).unwrap();
    for (i, m) in messages.iter().enumerate() {
        assert!(!m.contains("Zz-Gluework-Batch-Sentinel"));
        std::fs::write(dir.0.join(format!("m{i}")), m).unwrap();
    }
    let mut all = Vec::with_capacity(messages.len());
    for start in (0..messages.len()).step_by(BATCH) {
        let end = (start + BATCH).min(messages.len());
        let mut cmd = git(&dir.0);
        cmd.env("GIT_CEILING_DIRECTORIES", dir.0.parent().unwrap())
            .current_dir(&dir.0)
            .args([
                "-c",
                "trailer.separators=:",
                "interpret-trailers",
                "--parse",
            ]);
        for i in start..end {
            cmd.arg(format!("m{i}")).arg("s");
        }
        let out = run(cmd, None);
        let text = String::from_utf8_lossy(&out);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let mut groups = vec![Vec::new()];
        if !text.is_empty() {
            for line in text.split('\n') {
                if line == SENTINEL_LINE {
                    groups.push(Vec::new());
                } else {
                    groups.last_mut().unwrap().push(line.to_owned());
                }
            }
        }
        let last = groups.pop().unwrap();
        assert!(last.is_empty(), "output after the last sentinel");
        assert_eq!(groups.len(), end - start, "sentinel count");
        all.extend(groups);
    }
    all
}
