//! Differential tests: `Mailmap::map` against `git check-mailmap`.
//!
//! Every test builds throw-away git repositories under the system temp
//! directory, writes mailmaps into them, asks `git check-mailmap --stdin` about
//! a batch of identities (one git process per mailmap), and compares each
//! answer with ours. Git runs with an empty environment apart from `PATH`, a
//! fake `HOME`, `LC_ALL=C` and fixed author/committer identities, so neither
//! global nor system configuration can interfere.

use crate::support::scratch_dir;
use gluework::ident::mailmap::Mailmap;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

// ---------------------------------------------------------------------------
// Allocation counting (to check that lookups do not allocate)
// ---------------------------------------------------------------------------

thread_local! {
    /// Allocations made by the current thread.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

/// The system allocator, counting allocations per thread.
struct CountingAllocator;

fn count_allocation() {
    // `try_with` because the thread-local may be gone while a thread exits.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

// ---------------------------------------------------------------------------
// Temp directories and git
// ---------------------------------------------------------------------------

/// Runs git in `dir` with a controlled environment and returns its stdout;
/// panics if git fails.
fn git<I, S>(dir: &Path, args: I, stdin: Option<&[u8]>) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args
        .into_iter()
        .map(|a| a.as_ref().to_os_string())
        .collect();
    let mut command = Command::new("git");
    command
        .args(&args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("cannot run git; is it installed?");
    // Write from another thread so a large input cannot deadlock with a
    // large output.
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        std::thread::spawn(move || pipe.write_all(&input))
    });
    let output = child.wait_with_output().expect("wait for git");
    if let Some(writer) = writer {
        writer
            .join()
            .expect("stdin writer thread")
            .expect("write to git");
    }
    assert!(
        output.status.success(),
        "git {args:?} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// A fresh non-bare repository.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(tag: &str) -> Self {
        let dir = scratch_dir(&format!("mailmap-{tag}"));
        git(dir.path(), ["init", "-q", "."], None);
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(path, bytes).expect("write file");
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).expect("remove file");
    }

    fn commit_all(&self, message: &str) {
        git(self.path(), ["add", "-A"], None);
        git(
            self.path(),
            ["commit", "-q", "--allow-empty", "-m", message],
            None,
        );
    }

    /// Stores `bytes` as a blob and returns its id.
    fn blob(&self, bytes: &[u8]) -> String {
        let id = git(self.path(), ["hash-object", "-w", "--stdin"], Some(bytes));
        String::from_utf8(id).expect("hex id").trim().to_owned()
    }
}

// ---------------------------------------------------------------------------
// Probes and comparison
// ---------------------------------------------------------------------------

/// An identity to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Probe {
    name: String,
    email: String,
}

impl Probe {
    fn new(name: &str, email: &str) -> Self {
        // `git check-mailmap` splits "Name <email>" itself; only identities
        // that survive that split unchanged are meaningful probes.
        assert!(
            !name.contains(['<', '\n', '\0'])
                && !name.ends_with([' ', '\t', '\r', '\n'])
                && (name.is_empty() || !name.trim_matches([' ', '\t', '\r']).is_empty()),
            "bad probe name {name:?}"
        );
        assert!(
            !email.contains(['>', '\n', '\0']),
            "bad probe email {email:?}"
        );
        Probe {
            name: name.to_owned(),
            email: email.to_owned(),
        }
    }
}

/// How `git check-mailmap` prints an identity.
fn format_identity(name: &str, email: &str) -> String {
    if name.is_empty() {
        format!("<{email}>")
    } else {
        format!("{name} <{email}>")
    }
}

/// Asks `git check-mailmap` (run in `dir`, after `extra_args`) about all
/// probes in one process, and returns its answers as lines.
fn check_mailmap(dir: &Path, extra_args: &[String], probes: &[Probe]) -> Vec<String> {
    let mut input = String::new();
    for probe in probes {
        input.push_str(&format_identity(&probe.name, &probe.email));
        input.push('\n');
    }
    let mut args: Vec<String> = extra_args.to_vec();
    args.extend(["check-mailmap".to_owned(), "--stdin".to_owned()]);
    let output = git(dir, &args, Some(input.as_bytes()));
    // git answers in bytes; read each line the way gluework reads identities and mailmaps
    // (UTF-8, else Windows-1252).
    let body = output.strip_suffix(b"\n").unwrap_or(&output);
    let lines: Vec<String> = if output.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == b'\n').map(decode_answer).collect()
    };
    assert_eq!(lines.len(), probes.len(), "one answer per probe");
    lines
}

/// One `Name <email>` answer, each field decoded on its own as gluework decodes identities and
/// mailmap fields (a name can hold no `<`, so the first `<` starts the email).
fn decode_answer(line: &[u8]) -> String {
    use gluework::ident::mailmap::decode_text;
    match line.iter().position(|&b| b == b'<') {
        Some(i) if line.ends_with(b">") => {
            let name = line[..i].strip_suffix(b" ").unwrap_or(&line[..i]);
            let email = &line[i + 1..line.len() - 1];
            let name = decode_text(name);
            if name.is_empty() {
                format!("<{}>", decode_text(email))
            } else {
                format!("{name} <{}>", decode_text(email))
            }
        }
        _ => decode_text(line).into_owned(),
    }
}

/// How many of git's answers differ from the probe itself, i.e. how many
/// probes the mailmap actually mapped (to show the comparisons have teeth).
fn mapped_by_git(probes: &[Probe], git: &[String]) -> usize {
    probes
        .iter()
        .zip(git)
        .filter(|(probe, answer)| format_identity(&probe.name, &probe.email) != **answer)
        .count()
}

/// Compares our answers with git's; returns a description of every
/// disagreement.
fn disagreements(label: &str, mailmap: &Mailmap, probes: &[Probe], git: &[String]) -> Vec<String> {
    probes
        .iter()
        .zip(git)
        .filter_map(|(probe, expected)| {
            let (name, email) = mailmap.map(&probe.name, &probe.email);
            let ours = format_identity(name, email);
            (ours != *expected).then(|| {
                format!(
                    "{label}: probe {:?}: git says {expected:?}, we say {ours:?}",
                    format_identity(&probe.name, &probe.email)
                )
            })
        })
        .collect()
}

/// Escapes a mailmap for failure messages.
fn show(text: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(text))
}

/// Every combination of the given names and emails.
fn cross(names: &[&str], emails: &[&str]) -> Vec<Probe> {
    names
        .iter()
        .flat_map(|name| emails.iter().map(move |email| Probe::new(name, email)))
        .collect()
}

// ---------------------------------------------------------------------------
// Hand-written hard mailmaps
// ---------------------------------------------------------------------------

/// Names used to probe the hand-written mailmaps.
const PROBE_NAMES: &[&str] = &[
    "",
    "Jane",
    "jane",
    "JANE",
    "Jane Doe",
    "jane doe",
    "Jane D.",
    "Joe",
    "joe",
    "Joe Developer",
    "Commit Name",
    "commit name",
    "COMMIT NAME",
    "Commit  Name",
    "Other",
    "Old",
    "old",
    "OLD NAME",
    "José",
    "josé",
    "JOSÉ",
    "# was",
    "# Indented",
    "B",
    "x",
    "Nobody",
];

/// Emails used to probe the hand-written mailmaps.
const PROBE_EMAILS: &[&str] = &[
    "",
    "jane@example.com",
    "JANE@EXAMPLE.COM",
    "jane@laptop.(none)",
    "jane@desktop.(none)",
    "Jane@Desktop.(None)",
    "joe@example.com",
    "bugs@example.com",
    "BUGS@example.com",
    "commit@email.xx",
    "CoMmIt@EmAiL.xX",
    "proper@email.xx",
    "old@x",
    "OLD@X",
    "o@x",
    "a@x",
    "b@x",
    "c@x",
    "n@x",
    "ind@x",
    "q@x",
    "s@x",
    " s@x ",
    "josé@x",
    "josÉ@x",
    "JOSÉ@x",
    "nul@x",
    "ok@x",
    "l@x",
    "long@x",
    "t@x",
    "v@x",
    "nobody@nowhere",
];

/// The hand-written mailmaps: (label, contents).
fn hard_mailmaps() -> Vec<(&'static str, Vec<u8>)> {
    let forms = b"# gitmailmap(5) forms\n\
        Proper Name <commit@email.xx>\n\
        <proper@email.xx> <jane@laptop.(none)>\n\
        Jane Doe <jane@example.com> <jane@desktop.(none)>\n\
        Proper Name <proper@email.xx> Commit Name <bugs@example.com>\n\
        Joe R. Developer <joe@example.com>\n\
        Joe R. Developer <joe@example.com> Joe <bugs@example.com>\n\
        Jane Doe <jane@example.com> Jane <BUGS@EXAMPLE.COM>\n"
        .to_vec();

    let several = b"# several entries for one person, later lines winning\n\
        Jane <jane@example.com>\n\
        Jane Doe <jane@example.com>\n\
        <JANE@example.com> <Jane@Example.Com>\n\
        Old Name <old@x> Old <old@x>\n\
        <new@x> OLD <OLD@X>\n\
        Named <n@x>\n\
        <n2@x> <n@x>\n\
        First <first@x> <a@x>\n\
        Second <a@x>\n\
        Third <third@x> <A@X>\n\
        <c@x>\n\
        C <c@x> <>\n\
        E <e@x> Other <>\n"
        .to_vec();

    let comments = b"# comment <q@x>\n\
        \n\
        \x20  \t\n\
        \x20  # indented comment\n\
        \x20 # Indented <ind@x>\n\
        A <a@x> # trailing comment\n\
        B <b@x> # was <old@x>\n\
        C <c@x> <o@x> # comment <q@x>\n\
        #Commented <n@x>\n"
        .to_vec();

    let malformed = b"Valid <t@x>\n\
        No Email Here\n\
        Jane <jane@example.com\n\
        Empty <>\n\
        <> <b@x>\n\
        > backwards < <c@x>\n\
        Ok <ok@x> Commit Name <commit@email.xx\n\
        Ok2 <a@x> Commit Name\n\
        Three <s@x> Other <o@x> x <n@x>\n\
        Spacey < s@x >\n\
        <<q@x>>\n\
        Vee\x0b <v@x>\n"
        .to_vec();

    let crlf: Vec<u8> = String::from_utf8(comments.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes()
        .into_iter()
        .chain(
            b"Cr <c@x\r> <t@x>\r\nMixed <n@x>\nLast <l@x>\r"
                .iter()
                .copied(),
        )
        .collect();

    let unicode = "José Núñez <jose@x> <josé@x>\n\
        Upper <up@x> JOSÉ <JOSÉ@x>\n\
        山田 太郎 <yamada@x> José <JOSé@x>\n"
        .as_bytes()
        .iter()
        .copied()
        .chain(b"Bad \xff\xfe Name <b@x>\nAlso\xc3 <o@x>\n".iter().copied())
        .collect();

    let mut long_lines = Vec::new();
    long_lines.extend_from_slice(b"#");
    long_lines.extend(std::iter::repeat_n(b'c', 1022));
    long_lines.extend_from_slice(b"Sneaky <s@x>\n");
    long_lines.extend(std::iter::repeat_n(b'N', 1023 - b" <t@x>".len()));
    long_lines.extend_from_slice(b" <t@x>\n");
    long_lines.extend(std::iter::repeat_n(b'L', 1024 - b" <long@x>".len()));
    long_lines.extend_from_slice(b" <long@x>\n");
    long_lines.extend_from_slice(b"Ok\0junk <ok@x>\nAfter <nul@x>\0\nX <n\0ul2@x>\nLast <l@x>\n");

    vec![
        ("forms", forms),
        ("several", several),
        ("comments", comments),
        ("malformed", malformed),
        ("crlf", crlf),
        ("unicode", unicode),
        ("long-lines-and-nul", long_lines),
    ]
}

#[test]
fn hard_mailmaps_match_git_as_worktree_file_and_as_bare_blob() {
    let probes = cross(PROBE_NAMES, PROBE_EMAILS);
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut mapped = 0;
    for (label, text) in hard_mailmaps() {
        let repo = Repo::new(label);
        repo.write(".mailmap", &text);
        repo.commit_all(label);

        // Non-bare: git reads the working-tree file.
        let mut file = Mailmap::new();
        let _ = file.add_text(&text);
        let answers = check_mailmap(repo.path(), &[], &probes);
        mapped += mapped_by_git(&probes, &answers);
        problems.extend(disagreements(
            &format!("{label} (file)"),
            &file,
            &probes,
            &answers,
        ));

        // Bare: git reads the blob HEAD:.mailmap.
        let bare = scratch_dir("mailmap-bare");
        let bare_path = bare.path().join("repo.git");
        git(
            bare.path(),
            [
                OsStr::new("clone"),
                OsStr::new("-q"),
                OsStr::new("--bare"),
                repo.path().as_os_str(),
                bare_path.as_os_str(),
            ],
            None,
        );
        let mut blob = Mailmap::new();
        let _ = blob.add_blob_text(&text);
        let answers = check_mailmap(&bare_path, &[], &probes);
        mapped += mapped_by_git(&probes, &answers);
        problems.extend(disagreements(
            &format!("{label} (blob)"),
            &blob,
            &probes,
            &answers,
        ));
        compared += 2 * probes.len();
    }
    eprintln!(
        "hard mailmaps: {compared} comparisons ({mapped} mapped by git), {} disagreements",
        problems.len()
    );
    assert!(mapped > compared / 20, "too few probes hit the mailmaps");
    assert!(
        problems.is_empty(),
        "first of {}: {}",
        problems.len(),
        problems[0]
    );
}

#[test]
fn warnings_point_at_the_malformed_lines() {
    let (_, malformed) = hard_mailmaps()
        .into_iter()
        .find(|(label, _)| *label == "malformed")
        .unwrap();
    let mut mailmap = Mailmap::new();
    let lines: Vec<usize> = mailmap
        .add_text(&malformed)
        .iter()
        .map(|w| w.line)
        .collect();
    // Line 6 reads " <c@x" as the email, 10 " s@x ", and 11 "<q@x" (and
    // ignores a ">", and has no name); the \v on line 12 is part of a name.
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11]);
}

#[test]
fn sources_are_read_in_git_order() {
    let repo = Repo::new("order");
    let worktree = b"Tree <tree@x> <a@x>\nTree <b@x>\nTree <c@x>\nTree <tree@x> Old <d@x>\n";
    let blob = b"Blob <b@x>\nBlob <blob@x> <c@x>\nBlob <blob@x> OLD <d@x>\n";
    let file = b"File <c@x>\n<file@x> old <D@x>\n";
    repo.write(".mailmap", worktree);
    repo.write("blob.mailmap", blob);
    repo.commit_all("order");
    let file_path = repo.path().join("outside.mailmap");
    std::fs::write(&file_path, file).unwrap();

    let probes = cross(&["Old", "x"], &["a@x", "b@x", "c@x", "d@x"]);
    let config = vec![
        "-c".to_owned(),
        "mailmap.blob=HEAD:blob.mailmap".to_owned(),
        "-c".to_owned(),
        format!("mailmap.file={}", file_path.display()),
    ];
    let answers = check_mailmap(repo.path(), &config, &probes);

    // .mailmap, then mailmap.blob, then mailmap.file.
    let mut ours = Mailmap::new();
    ours.add_text(worktree);
    ours.add_blob_text(blob);
    ours.add_text(file);
    let problems = disagreements("git order", &ours, &probes, &answers);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(answers.contains(&"File <blob@x>".to_owned()), "{answers:?}");

    // Sanity check that the order matters for these probes: the order in
    // which the task description listed the sources gives other answers.
    let mut other = Mailmap::new();
    other.add_text(worktree);
    other.add_text(file);
    other.add_blob_text(blob);
    assert!(!disagreements("other order", &other, &probes, &answers).is_empty());

    // check-mailmap's own --mailmap-blob and --mailmap-file come last.
    let extra = b"Extra <c@x>\n";
    let extra_path = repo.path().join("extra.mailmap");
    std::fs::write(&extra_path, extra).unwrap();
    let blob_id = repo.blob(b"<cli-blob@x> <c@x>\n");
    let mut args = config.clone();
    args.extend([
        "check-mailmap".to_owned(),
        format!("--mailmap-blob={blob_id}"),
        format!("--mailmap-file={}", extra_path.display()),
    ]);
    // `check_mailmap` appends "check-mailmap --stdin"; call git directly.
    args.push("--stdin".to_owned());
    let output = git(repo.path(), &args, Some(b"x <c@x>\n"));
    ours.add_blob_text(b"<cli-blob@x> <c@x>\n");
    ours.add_text(extra);
    let (name, email) = ours.map("x", "c@x");
    assert_eq!(
        String::from_utf8_lossy(&output).trim_end(),
        format_identity(name, email)
    );
    assert_eq!((name, email), ("Extra", "cli-blob@x"));
}

// ---------------------------------------------------------------------------
// Random mailmaps
// ---------------------------------------------------------------------------

/// xorshift64*: small, seeded, good enough to generate test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A small vocabulary, so that random lines and probes collide often.
const NAMES: &[&str] = &[
    "Alice",
    "alice",
    "ALICE",
    "Bob",
    "Bob Smith",
    "bob smith",
    "José",
    "JOSÉ",
    "josé",
    "X",
    "# c",
];
const EMAILS: &[&str] = &[
    "a@x", "A@X", "a@X", "b@x", "B@x", "c@y", "é@x", "É@x", " a@x", "a b",
];
const SPACES: &[&str] = &["", " ", "  ", "\t", " \t"];
const TRAILERS: &[&str] = &[
    "",
    "",
    "",
    " # comment",
    " junk",
    " <c@y>",
    " # x <a@x>",
    " x <",
    "<>",
    " Bob <b@x",
    " <>",
];

/// One random mailmap line (without its line ending).
fn random_line(rng: &mut Rng) -> String {
    let mut line = String::new();
    match rng.below(10) {
        // Structured lines: [name] <email> [[name] <email>] [trailer].
        0..=6 => {
            line.push_str(rng.pick(SPACES));
            if rng.chance(70) {
                line.push_str(rng.pick(NAMES));
                line.push_str(rng.pick(&[" ", "  ", "\t", ""]));
            }
            line.push('<');
            line.push_str(rng.pick(EMAILS));
            line.push('>');
            if rng.chance(60) {
                line.push_str(rng.pick(SPACES));
                if rng.chance(50) {
                    line.push_str(rng.pick(NAMES));
                    line.push(' ');
                }
                line.push('<');
                if !rng.chance(10) {
                    line.push_str(rng.pick(EMAILS));
                }
                line.push('>');
            }
            line.push_str(rng.pick(TRAILERS));
        }
        // Comments, blank lines and broken lines.
        7 => line.push_str(rng.pick(&[
            "# comment",
            "",
            "   ",
            "  # Alice <a@x>",
            "#Bob <a@x>",
            "Alice",
            "Alice <a@x",
            "Alice <>",
            "<> <a@x>",
        ])),
        // Token soup.
        _ => {
            let tokens = [
                "Alice", "bob", " ", "\t", "<", ">", "a@x", "A@X", "#", "<a@x>", "<>", "é",
            ];
            for _ in 0..rng.below(8) + 1 {
                line.push_str(tokens[rng.below(tokens.len())]);
            }
        }
    }
    line
}

/// A random mailmap of a few lines with mixed line endings.
fn random_mailmap(rng: &mut Rng) -> Vec<u8> {
    let mut text = String::new();
    let count = rng.below(10) + 1;
    for i in 0..count {
        text.push_str(&random_line(rng));
        let last = i + 1 == count;
        text.push_str(match rng.below(10) {
            0 => "\r\n",
            1 if last => "",
            _ => "\n",
        });
    }
    text.into_bytes()
}

/// Random probes, mostly built from the same vocabulary.
fn random_probes(rng: &mut Rng, count: usize) -> Vec<Probe> {
    let names: Vec<&str> = NAMES.iter().copied().chain(["", "Nobody"]).collect();
    let emails: Vec<&str> = EMAILS
        .iter()
        .copied()
        .chain(["", "nobody@x", "C@Y", "a@x "])
        .collect();
    (0..count)
        .map(|_| Probe::new(rng.pick(&names), rng.pick(&emails)))
        .collect()
}

/// Runs one random mailmap as a working-tree file and as a blob.
fn compare_random(
    repo: &Repo,
    label: &str,
    text: &[u8],
    probes: &[Probe],
    problems: &mut Vec<String>,
) -> usize {
    repo.write(".mailmap", text);
    let mut file = Mailmap::new();
    let _ = file.add_text(text);
    let answers = check_mailmap(repo.path(), &[], probes);
    let mut mapped = mapped_by_git(probes, &answers);
    for problem in disagreements(&format!("{label} (file)"), &file, probes, &answers) {
        problems.push(format!("{problem}\n  mailmap: {}", show(text)));
    }

    repo.remove(".mailmap");
    let blob_id = repo.blob(text);
    let mut blob = Mailmap::new();
    let _ = blob.add_blob_text(text);
    let config = ["-c".to_owned(), format!("mailmap.blob={blob_id}")];
    let answers = check_mailmap(repo.path(), &config, probes);
    mapped += mapped_by_git(probes, &answers);
    for problem in disagreements(&format!("{label} (blob)"), &blob, probes, &answers) {
        problems.push(format!("{problem}\n  mailmap: {}", show(text)));
    }
    mapped
}

#[test]
fn random_mailmaps_match_git() {
    const MAILMAPS: usize = 400;
    const PROBES_PER_MAILMAP: usize = 12;
    let started = Instant::now();
    let repo = Repo::new("random");
    let mut rng = Rng(0x6c75_6577_6f72_6b21);
    let mut problems = Vec::new();
    let (mut compared, mut mapped) = (0, 0);
    for round in 0..MAILMAPS {
        let text = random_mailmap(&mut rng);
        let mut probes = random_probes(&mut rng, PROBES_PER_MAILMAP);
        // Make sure some probes hit: look up the emails the mailmap names.
        for email in EMAILS {
            if String::from_utf8_lossy(&text).contains(&format!("<{email}>")) {
                probes.push(Probe::new(rng.pick(NAMES), email));
            }
        }
        compared += 2 * probes.len();
        mapped += compare_random(
            &repo,
            &format!("random #{round}"),
            &text,
            &probes,
            &mut problems,
        );
    }
    eprintln!(
        "random mailmaps: {MAILMAPS} mailmaps, {compared} comparisons (file and blob; \
         {mapped} mapped by git), {} disagreements, {:?}",
        problems.len(),
        started.elapsed()
    );
    assert!(mapped > compared / 10, "too few probes hit the mailmaps");
    assert!(
        problems.is_empty(),
        "first of {}: {}",
        problems.len(),
        problems[0]
    );
}

#[test]
fn random_byte_mailmaps_match_git() {
    const MAILMAPS: usize = 60;
    let repo = Repo::new("bytes");
    let mut rng = Rng(0xb17e_5eed);
    let alphabet = b"<<>> \t\r\n\n#\0aaAA@\xff\xc3\xa9";
    let names = ["", "a", "A", "aA", "a a", "#", "\u{e9}", "a@"];
    let emails = ["", "a", "A", "a@", "A@", " a", "a ", "aa", "a<a", "\r"];
    let probes = cross(&names, &emails);
    let mut problems = Vec::new();
    let mut mapped = 0;
    for round in 0..MAILMAPS {
        let len = rng.below(300);
        let text: Vec<u8> = (0..len)
            .map(|_| {
                if rng.chance(5) {
                    rng.next() as u8
                } else {
                    alphabet[rng.below(alphabet.len())]
                }
            })
            .collect();
        mapped += compare_random(
            &repo,
            &format!("bytes #{round}"),
            &text,
            &probes,
            &mut problems,
        );
    }
    eprintln!(
        "random byte mailmaps: {MAILMAPS} x {} probes x 2 modes ({mapped} mapped by git), \
         {} disagreements",
        probes.len(),
        problems.len()
    );
    assert!(mapped > 0, "no probe hit the mailmaps");
    assert!(
        problems.is_empty(),
        "first of {}: {}",
        problems.len(),
        problems[0]
    );
}

// ---------------------------------------------------------------------------
// Lookup cost
// ---------------------------------------------------------------------------

#[test]
fn lookups_do_not_allocate() {
    let mut mailmap = Mailmap::new();
    let mut text = String::new();
    for i in 0..1_000 {
        text.push_str(&format!("Person {i} <p{i}@x> <old{i}@x>\n"));
        text.push_str(&format!("Bot {i} <bot{i}@x> Robot <shared{}@x>\n", i % 10));
    }
    assert!(mailmap.add_text(text.as_bytes()).is_empty());

    let probes: Vec<(String, String)> = (0..2_000)
        .map(|i| match i % 4 {
            0 => (format!("Someone {i}"), format!("old{}@x", i % 1_000)),
            1 => (format!("Someone {i}"), format!("OLD{}@X", i % 1_000)),
            2 => ("ROBOT".to_owned(), format!("Shared{}@x", i % 10)),
            _ => (format!("Nobody {i}"), format!("nobody{i}@example.com")),
        })
        .collect();

    let before = allocations();
    let mut hits = 0;
    for (name, email) in &probes {
        let mapped = mailmap.map(name, email);
        if mapped != (name.as_str(), email.as_str()) {
            hits += 1;
        }
    }
    let allocated = allocations() - before;
    assert_eq!(hits, 1_500);
    assert_eq!(allocated, 0, "map() allocated {allocated} times");

    // Rough speed report (a debug build unless run with --release).
    let started = Instant::now();
    let rounds = 250;
    for _ in 0..rounds {
        for (name, email) in &probes {
            std::hint::black_box(mailmap.map(name, email));
        }
    }
    let per_lookup = started.elapsed() / (rounds * probes.len()) as u32;
    eprintln!("map(): {per_lookup:?} per lookup");
}
