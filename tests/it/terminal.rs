//! The terminal as a person sees it, through a pseudo-terminal (Unix only): colour on a
//! terminal and none with `TERM=dumb`, `NO_COLOR` or a pipe; PASS and FAIL coloured by `check`;
//! the progress bar drawn on a terminal (and into a file with `--progress always`), not into a
//! pipe; the table as wide as the terminal. Then where the folded warnings say the rest are,
//! for every combination of outputs.
#![cfg(unix)]

use crate::support as common;

use common::*;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};

/// What a run on a pseudo-terminal gave: exit code, what the terminal showed, and standard
/// error (empty when it went to the terminal too).
struct TtyRun {
    code: Option<i32>,
    screen: String,
    stderr: String,
}

/// A fixed environment for the binary, without the test runner's colour settings.
fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gluework"));
    let cwd = fixtures();
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("TERM", "xterm-256color")
        .env("HOME", cwd)
        .env(
            "GLUEWORK_CACHE_DIR",
            std::env::temp_dir().join(format!("gluework-tty-cache-{}", std::process::id())),
        )
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs gluework with standard output on a new pseudo-terminal `cols` columns wide (and
/// standard error too when `stderr_too`).
fn on_tty(args: &[&str], env: &[(&str, &str)], cols: u16, stderr_too: bool) -> TtyRun {
    let (mut m, mut s) = (-1, -1);
    let mut size = libc::winsize {
        ws_row: 50,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: two out-pointers to ints, no name buffer, default terminal settings, a winsize.
    // (`&mut`: some systems, macOS among them, declare the settings and size pointers mutable.)
    #[allow(clippy::unnecessary_mut_passed)]
    let rc = unsafe {
        libc::openpty(
            &mut m,
            &mut s,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty returned two open descriptors that nothing else owns.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
    let mut cmd = command(args, env);
    cmd.stdout(Stdio::from(slave.try_clone().unwrap()));
    if stderr_too {
        cmd.stderr(Stdio::from(slave.try_clone().unwrap()));
    } else {
        cmd.stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("run gluework");
    // Only the child holds the terminal's other end now: reading ends when it exits.
    drop(cmd);
    drop(slave);
    let reader = std::thread::spawn(move || {
        let mut file = std::fs::File::from(master);
        let mut screen = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => screen.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // EIO: the last writer closed its end.
                Err(_) => break,
            }
        }
        screen
    });
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).unwrap();
    }
    let status = child.wait().unwrap();
    let screen = reader.join().unwrap();
    TtyRun {
        code: status.code(),
        // The terminal turns each newline into CR LF.
        screen: String::from_utf8_lossy(&screen).replace("\r\n", "\n"),
        stderr,
    }
}

/// Runs gluework with standard output and standard error into pipes.
fn piped(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = command(args, env).output().unwrap();
    (out.status.code(), stdout(&out), stderr(&out))
}

const ESC: &str = "\x1b[";

/// The text without terminal escape sequences.
fn plain(s: &str) -> String {
    regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]")
        .unwrap()
        .replace_all(s, "")
        .into_owned()
}

#[test]
fn colour_on_a_terminal_and_none_with_dumb_no_color_or_a_pipe() {
    let tty = on_tty(&["scan", "team"], &[], 120, false);
    assert_eq!(tty.code, Some(0), "{}", tty.stderr);
    assert!(tty.screen.contains("Maya Lindqvist"), "{}", tty.screen);
    assert!(
        tty.screen.contains(ESC),
        "no colour on a terminal:\n{}",
        tty.screen
    );
    for env in [[("TERM", "dumb")], [("NO_COLOR", "1")]] {
        let run = on_tty(&["scan", "team"], &env, 120, false);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.screen.contains("Maya Lindqvist"), "{}", run.screen);
        assert!(
            !run.screen.contains(ESC),
            "{env:?}: colour:\n{}",
            run.screen
        );
        // The same table, only without colour.
        assert_eq!(run.screen, plain(&tty.screen), "{env:?}");
    }
    let (code, out, _) = piped(&["scan", "team"], &[]);
    assert_eq!(code, Some(0));
    assert!(!out.contains(ESC), "colour into a pipe:\n{out}");
    // --color always and never decide instead.
    let (_, out, _) = piped(&["scan", "team", "--color", "always"], &[]);
    assert!(out.contains(ESC), "{out}");
    let run = on_tty(&["scan", "team", "--color", "never"], &[], 120, false);
    assert!(!run.screen.contains(ESC), "{}", run.screen);
}

#[test]
fn check_colours_pass_and_fail_on_a_terminal() {
    let args = [
        "check",
        "team",
        "-q",
        "--max-gini",
        "0.1",
        "--min-people-for-half",
        "1",
    ];
    let run = on_tty(&args, &[], 120, false);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    for (word, colour) in [("PASS", "32"), ("FAIL", "31")] {
        let line = run
            .screen
            .lines()
            .find(|l| plain(l).starts_with(word))
            .unwrap_or_else(|| panic!("no {word} line:\n{}", run.screen));
        let at = line.find(word).unwrap();
        assert!(
            line[..at].contains(ESC) && line[..at].contains(colour),
            "{word} is not coloured ({colour}): {line:?}"
        );
    }
    let run = on_tty(&args, &[("TERM", "dumb")], 120, false);
    assert!(run.screen.contains("FAIL    --max-gini"), "{}", run.screen);
    assert!(!run.screen.contains(ESC), "{}", run.screen);
    let (_, out, _) = piped(&args, &[]);
    assert!(out.contains("PASS    --min-people-for-half") && !out.contains(ESC));
}

#[test]
fn progress_is_drawn_on_a_terminal_not_into_a_pipe_and_into_a_file_when_asked() {
    let scan = ["scan", "team", "--no-cache", "--json", "/dev/null"];
    let run = on_tty(&scan, &[], 100, true);
    assert_eq!(run.code, Some(0), "{}", run.screen);
    assert!(
        run.screen.contains(" read, ") && run.screen.contains("/s"),
        "no progress on a terminal:\n{:?}",
        run.screen
    );
    let (code, _, err) = piped(&scan, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains(" read, "), "progress into a pipe: {err:?}");
    // --progress always: into a file too (standard error redirected to a regular file).
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("progress.log");
    let status = command(
        &[
            "scan",
            "team",
            "--no-cache",
            "--progress",
            "always",
            "--json",
            "/dev/null",
        ],
        &[],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
    .status()
    .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains(" read, ") && text.contains("/s"),
        "no progress in the file: {text:?}"
    );
    // ... and not without it.
    let status = command(&scan, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!std::fs::read_to_string(&log).unwrap().contains(" read, "));
}

#[test]
fn the_table_fits_the_terminal() {
    use unicode_width::UnicodeWidthStr;
    let widest = |screen: &str| screen.lines().map(|l| plain(l).width()).max().unwrap_or(0);
    let narrow = on_tty(&["scan", "team"], &[], 60, false);
    assert_eq!(narrow.code, Some(0), "{}", narrow.stderr);
    assert!(narrow.screen.contains("Maya"), "{}", narrow.screen);
    assert!(
        widest(&narrow.screen) <= 60,
        "wider than 60:\n{}",
        narrow.screen
    );
    let wide = on_tty(&["scan", "team"], &[], 160, false);
    assert!(widest(&wide.screen) <= 160, "{}", wide.screen);
    assert!(
        widest(&wide.screen) > 60,
        "a wide terminal is not used:\n{}",
        wide.screen
    );
}

/// Where the folded warnings (and the table's note) say every warning is: true for every
/// combination of outputs.
#[test]
fn warnings_say_where_all_of_them_are_for_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_string();
    let folded = |err: &str| -> String {
        err.lines()
            .find(|l| l.contains("more like it"))
            .unwrap_or_else(|| panic!("no folded warning in {err:?}"))
            .to_string()
    };
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "bad-mailmap", "--no-cache", "--progress", "never"];
        args.extend_from_slice(extra);
        piped(&args, &[("NO_COLOR", "1")])
    };

    // No file: how to get one.
    let (code, out, err) = scan(&[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        folded(&err).ends_with("; `gluework scan --json FILE` lists them all)"),
        "{err}"
    );
    assert!(
        out.contains("with warnings (bad-mailmap); `--json FILE` lists them all"),
        "{out}"
    );

    // --json FILE: that file, which holds them.
    let json = d("r.json");
    let (_, out, err) = scan(&["--json", &json]);
    assert!(
        folded(&err).ends_with(&format!("; all are in {json})")),
        "{err}"
    );
    assert!(out.contains(&format!("; all are in {json}")), "{out}");
    let saved = parse(&std::fs::read_to_string(&json).unwrap());
    assert_eq!(
        saved["repositories"][0]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        5
    );

    // --json -: the report on standard output, never a file that was not written.
    let (_, out, err) = scan(&["--json", "-"]);
    assert!(
        folded(&err).ends_with("; all are in the JSON report on standard output)"),
        "{err}"
    );
    assert_eq!(
        parse(&out)["repositories"][0]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        5
    );

    // --out DIR: the folder's gluework.json, with or without a dot in the folder's name.
    for name in ["out", "out.d"] {
        let folder = d(name);
        let (_, _, err) = scan(&["--out", &folder]);
        let file = Path::new(&folder).join("gluework.json");
        assert!(
            folded(&err).ends_with(&format!("; all are in {})", file.display())),
            "{err}"
        );
        assert!(file.is_file());
    }

    // A JSON file with no extension is that file, not a folder.
    let bare = d("report");
    let (_, _, err) = scan(&["--json", &bare]);
    assert!(
        folded(&err).ends_with(&format!("; all are in {bare})")),
        "{err}"
    );
    assert!(Path::new(&bare).is_file());

    // render: the saved report it read.
    let (code, out, err) = piped(&["render", &json], &[("NO_COLOR", "1")]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(&format!("; all are in {json}")), "{out}");

    // Commands that write no report (person, check, identities) point to `scan --json`.
    let (_, _, err) = piped(
        &[
            "identities",
            "bad-mailmap",
            "--no-cache",
            "--progress",
            "never",
        ],
        &[],
    );
    assert!(
        folded(&err).ends_with("; `gluework scan --json FILE` lists them all)"),
        "{err}"
    );
}
