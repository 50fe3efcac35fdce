//! Hostile input: the trailer, mailmap, credit-identity and classification parsers read
//! arbitrary bytes from strangers' repositories. Property tests (proptest) feed them arbitrary
//! byte strings, invalid UTF-8, NUL bytes, long lines, deep continuation and inputs up to 1 MB,
//! and assert that nothing panics and that gluework's credit lines still begin with exactly
//! git's trailers.
//!
//! Bounded time, without timing anything: each property runs on its own thread under a
//! watchdog, one property at a time (so that the watchdog never waits for other tests' work).
//! Linear code gets through all the cases of one property in a few seconds even in a debug
//! build; a hang, or a quadratic blow-up on a 1 MB input (~10^12 steps), takes hours. The
//! watchdog turns that into a failure instead of a stalled suite. It is deliberately far above
//! the expected time so that a slow machine never trips it: no test asserts on how fast
//! anything is.
//!
//! Runs are deterministic (a fixed seed); `PROPTEST_RNG_SEED=N` explores other inputs and
//! `PROPTEST_CASES=N` changes the number of cases. The fuzz targets in fuzz/ (docs/fuzzing.md)
//! go further with coverage guidance.

use gluework::classify::trailers::{
    all_credit_lines, credit_lines, git_trailers, parse_identity, parse_people, split_people,
    Source,
};
use gluework::classify::{classify, credit_ident, CommitFacts, CommitId, Signature};
use gluework::ident::mailmap::Mailmap;
use gluework::rules::CompiledRules;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::sync::{mpsc, LazyLock, Mutex};
use std::time::Duration;

/// How long one property may run before it counts as hung (see the module docs). Since the
/// integration tests became one binary, the other areas' tests share the cores with it: a
/// property that takes 12 s alone took over 60 s on a loaded 2-core machine, so the bound is
/// ten minutes, still far below the hours a quadratic blow-up would take.
const WATCHDOG: Duration = Duration::from_secs(600);

/// One property at a time: the watchdog then measures that property alone.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The default rules, compiled once.
static RULES: LazyLock<CompiledRules> = LazyLock::new(CompiledRules::defaults);

/// Seed of the default, deterministic run.
const SEED: u64 = 0x0068_6f73_7469_6c65; // "hostile"

/// Runs `property` on `cases` inputs from `strategy` on a thread under the watchdog.
fn check<S>(
    name: &str,
    cases: u32,
    strategy: S,
    property: fn(&S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy + Send + 'static,
    S::Value: std::fmt::Debug,
{
    let mut config = Config {
        cases,
        // Never write regression files into the source tree.
        failure_persistence: None,
        ..Config::default()
    };
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (tx, rx) = mpsc::channel();
    let label = name.to_owned();
    std::thread::Builder::new()
        .name(label.clone())
        .spawn(move || {
            let mut runner = TestRunner::new(config);
            let result = runner
                .run(&strategy, |v| property(&v))
                .map_err(|e| format!("{label}: {e}"));
            let _ = tx.send(result);
        })
        .expect("spawn the property thread");
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{e}"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{name}: not finished after {WATCHDOG:?}: a hang or super-linear blow-up on hostile input"
        ),
        // The thread panicked outside the runner's own panic handling.
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the property thread died"),
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Pieces that matter to the parsers: trailer syntax, git's special lines, identity syntax,
/// whitespace git does and does not count, NUL, invalid UTF-8, multi-byte characters.
const PIECES: &[&[u8]] = &[
    b"\n",
    b"\n",
    b"\n\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\0",
    b":",
    b": ",
    b" : ",
    b"#",
    b"# comment\n",
    b"---\n",
    b"--- ",
    b"# ------------------------ >8 ------------------------\n",
    b"Conflicts:\n\tfile\n",
    b"Signed-off-by: ",
    b"(cherry picked from commit ",
    b"Reviewed-by: ",
    b"REVIEWED-BY : ",
    b"Co-authored-by: ",
    b"Helped-by:",
    b"Reviewed By: a, b,#tag\n",
    b"Differential Revision: https://x/D1\n",
    b"Auto merge of #1 - a:b, r=x,y\n",
    b"Merge pull request #2 from a/b\n",
    b"Key",
    b"Jane Doe",
    b"<",
    b">",
    b"<jane@example.org>",
    b"@",
    b"@octocat",
    b"1+octo@users.noreply.github.com",
    b"\"",
    b"'",
    b",",
    b";",
    b"(",
    b"  continued\n",
    b"\xc3\xa9",
    b"\xe6\x9d\x8e",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"\xff",
    b"\xfe\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"feat: ",
    b"Revert \"",
    b"This reverts commit 0123456789abcdef\n",
    b"Bump x from 1 to 2",
    b"Fixes #12",
];

/// Arbitrary bytes: anything at all, short.
fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..2048)
}

/// Structured bytes: a soup of the pieces above and arbitrary bytes, up to a few thousand.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(|p| p.to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..300).prop_map(|v| v.concat())
}

/// A recipe for a big input (printed on failure instead of the megabyte it makes): `head`,
/// then `body` repeated until the input reaches `size` bytes, then `tail`.
#[derive(Debug, Clone)]
struct Big {
    head: &'static [u8],
    body: Vec<u8>,
    size: usize,
    tail: &'static [u8],
}

impl Big {
    fn bytes(&self) -> Vec<u8> {
        let mut out = self.head.to_vec();
        if !self.body.is_empty() {
            while out.len() < self.size {
                out.extend_from_slice(&self.body);
            }
        }
        out.extend_from_slice(self.tail);
        out
    }
}

/// Inputs of up to 1 MB: long lines, deep continuation, many lines, paragraphs, comments,
/// NULs, built from one repeated piece or a short soup.
fn big() -> impl Strategy<Value = Big> {
    let heads: &'static [&'static [u8]] =
        &[b"", b"T\n\n", b"T\n\nKey: v\n", b"Name <", b"\"", b"#"];
    let tails: &'static [&'static [u8]] = &[b"", b"\n", b"\nSigned-off-by: x\n", b">", b"\0"];
    let body = prop_oneof![
        proptest::sample::select(PIECES).prop_map(|p| p.to_vec()),
        Just(b"x".to_vec()),
        Just(b"  more\n".to_vec()),
        Just(b"A: b\n".to_vec()),
        Just(b"\n \n".to_vec()),
        Just(b"Ab ".to_vec()),
        Just(b"a@".to_vec()),
        soup().prop_map(|s| s.into_iter().take(64).collect()),
    ];
    (
        proptest::sample::select(heads),
        body,
        prop_oneof![Just(100_000usize), Just(300_000), Just(1_000_000)],
        proptest::sample::select(tails),
    )
        .prop_map(|(head, body, size, tail)| Big {
            head,
            body,
            size,
            tail,
        })
}

/// Text as gluework gets it: UTF-8; undecodable bytes as Windows-1252 (src/scan) and, the
/// other common decoding, as lossy UTF-8 (U+FFFD).
fn texts(bytes: &[u8]) -> Vec<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => vec![s.to_owned()],
        Err(_) => vec![
            String::from_utf8_lossy(bytes).into_owned(),
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Trailers and credit lines: no panic, and credit lines begin with exactly git's trailers,
/// with lenient lines only where git found no block.
fn trailers_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let rules = &*RULES;
    for text in texts(bytes) {
        let git: Vec<(String, String)> = git_trailers(&text)
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect();
        let all = |_: &str| true;
        let known = |k: &str| rules.is_known_key(k);
        let filters: [&dyn Fn(&str) -> bool; 2] = [&all, &known];
        for filter in filters {
            let lines = credit_lines(&text, filter);
            let head: Vec<(String, String)> = lines
                .iter()
                .take_while(|l| l.source == Source::Git)
                .map(|l| (l.key.clone(), l.value.clone()))
                .collect();
            prop_assert_eq!(&head, &git);
            for l in &lines[head.len()..] {
                prop_assert!(l.source != Source::Git);
                prop_assert!(l.source != Source::Lenient || git.is_empty());
            }
            // With the trailing paragraphs: still git's trailers first, then additions.
            let more = all_credit_lines(&text, filter);
            prop_assert!(more.len() >= lines.len());
            prop_assert!(more[..head.len()] == lines[..head.len()]);
            prop_assert!(more[head.len()..].iter().all(|l| l.source != Source::Git));
        }
    }
    Ok(())
}

/// Credit identities: no panic; a person found has a non-empty field.
fn identity_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mailmap = Mailmap::new();
    for text in texts(bytes) {
        for value in std::iter::once(text.as_str()).chain(split_people(&text)) {
            if let Some(id) = parse_identity(value) {
                prop_assert!(id.name.is_some() || id.email.is_some() || id.login.is_some());
                for field in [&id.name, &id.email, &id.login].into_iter().flatten() {
                    prop_assert!(!field.is_empty() && !field.contains('\0'));
                }
            }
            let _ = credit_ident(&mailmap, value);
            for id in parse_people(value) {
                prop_assert!(id.name.is_some() || id.email.is_some() || id.login.is_some());
                for field in [&id.name, &id.email, &id.login].into_iter().flatten() {
                    prop_assert!(!field.is_empty() && !field.contains('\0'));
                }
            }
        }
    }
    Ok(())
}

/// Mailmap files and blobs: no panic reading them, nor looking anything up in them.
fn mailmap_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut file = Mailmap::new();
    let warnings = file.add_text(bytes);
    let mut blob = Mailmap::new();
    blob.add_blob_text(bytes);
    // Some warning lines point into the input: never past its last line.
    let lines = bytes.split(|&b| b == b'\n').count().max(1);
    for w in &warnings {
        prop_assert!(
            w.line >= 1 && w.line <= lines,
            "warning line {} of {}",
            w.line,
            lines
        );
    }
    // Look up pieces of the input itself (the likeliest to hit entries) and odd strings.
    let text = String::from_utf8_lossy(bytes);
    let mut probes: Vec<&str> = text
        .split(['<', '>', '\n'])
        .map(str::trim)
        .take(200)
        .collect();
    probes.extend(["", " ", "\0", "É", "a@B.c"]);
    for m in [&file, &blob] {
        for &name in probes.iter().take(20) {
            for &email in probes.iter().take(50) {
                let (n, e) = m.map(name, email);
                let _ = (n.len(), e.len());
            }
        }
    }
    Ok(())
}

/// Classification of a whole commit: message, identities and paths all hostile.
fn classify_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let rules = &*RULES;
    let mut mailmap = Mailmap::new();
    mailmap.add_text(b"Jane Doe <jane@example.org> <j@x>\n<p@x> Old <o@x>\n");
    for text in texts(bytes) {
        let cut = text
            .char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let (a, b) = text.split_at(cut);
        let paths: Vec<Vec<u8>> = bytes
            .split(|&x| x == b'\n')
            .take(100)
            .map(<[u8]>::to_vec)
            .collect();
        for parents in [1usize, 2] {
            let facts = CommitFacts {
                id: CommitId::from_hex("0123456789abcdef0123456789abcdef01234567").unwrap(),
                parents: (0..parents)
                    .map(|i| CommitId::from_bytes([i as u8; 20]))
                    .collect(),
                author: Signature {
                    name: a.to_owned(),
                    email: b.to_owned(),
                    time: i64::MIN,
                },
                committer: Signature {
                    name: b.to_owned(),
                    email: a.to_owned(),
                    time: i64::MAX,
                },
                message: text.clone(),
                paths: (parents < 2).then(|| paths.clone()),
                gitlinks: 0,
            };
            let rec = classify(&facts, rules, &mailmap);
            prop_assert!(rec.merge.is_some() == (parents > 1));
        }
    }
    Ok(())
}

macro_rules! hostile_tests {
    ($($name:ident: $property:ident;)*) => {
        $(
            mod $name {
                use super::*;

                #[test]
                fn arbitrary_bytes() {
                    check(concat!(stringify!($name), " arbitrary bytes"), 512, any_bytes(), |b| $property(b));
                }

                #[test]
                fn structured_soup() {
                    check(concat!(stringify!($name), " soup"), 512, soup(), |b| $property(b));
                }

                #[test]
                fn up_to_a_megabyte() {
                    check(concat!(stringify!($name), " big"), 8, big(), |b| $property(&b.bytes()));
                }

                #[test]
                fn known_worst_cases() {
                    check(concat!(stringify!($name), " worst cases"), 1, Just(()), |_| {
                        for case in worst_cases() {
                            $property(&case)?;
                        }
                        Ok(())
                    });
                }
            }
        )*
    };
}

hostile_tests! {
    trailers: trailers_property;
    identity: identity_property;
    mailmap: mailmap_property;
    classification: classify_property;
}

/// Hand-picked worst cases, about a megabyte each, for every parser.
fn worst_cases() -> Vec<Vec<u8>> {
    let mb = 1_000_000;
    vec![
        // One line of a megabyte.
        vec![b'x'; mb],
        // Deep continuation: one trailer folded over 140,000 lines.
        [b"T\n\nKey: v\n".as_slice(), &b"  more\n".repeat(mb / 7)].concat(),
        // Only newlines, only NULs, only '<'.
        vec![b'\n'; mb],
        vec![0u8; mb],
        vec![b'<'; mb],
        // Invalid UTF-8 throughout.
        b"\xff\xfe".repeat(mb / 2),
        // Many paragraphs of Phabricator lines.
        b"Reviewed By: a,b\n\n".repeat(mb / 19),
        // Mailmap lines longer than git's 1023-byte buffer.
        [b"Name <a@x> ".as_slice(), &vec![b'n'; 5000], b" <b@x>\n"]
            .concat()
            .repeat(100),
    ]
}
