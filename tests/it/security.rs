//! Hostile repositories, configuration and forge data against the security model
//! (docs/usage.md, "Security model"): each test builds the hostile input in a temporary folder
//! and checks that nothing leaks, nothing is followed or blocked on, and every refusal is one
//! clear line. Small repositories only: the whole file runs in seconds.

use crate::support as common;

use common::{gluework, parse, stderr, stdout};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A line no output may ever hold: it stands for a token in `.git/config` (CI checkouts store
/// `http.<url>.extraheader = AUTHORIZATION: basic …` there) or in any file on the machine.
const SECRET: &str = "c2VjcmV0LXRva2VuLTQyNDI0Mg";

/// git with a fixed, isolated configuration, run in `dir`.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "user.useConfigOnly=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2024-03-01T10:00:00+0000")
        .env("GIT_COMMITTER_DATE", "2024-03-01T10:00:00+0000")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A new repository at `dir` with one commit by `who` ("Name <email>") adding `file`.
fn repo(dir: &Path, who: &str) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q"]);
    commit(dir, who, "src/lib.rs", "Add the library");
}

fn commit(dir: &Path, who: &str, file: &str, subject: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text.push_str(subject);
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    git(dir, &["add", "-A"]);
    let (name, email) = who.split_once(" <").unwrap();
    let email = email.trim_end_matches('>');
    git(
        dir,
        &[
            "-c",
            &format!("user.name={name}"),
            "-c",
            &format!("user.email={email}"),
            "commit",
            "-q",
            "-m",
            subject,
        ],
    );
}

/// Puts the secret where CI checkouts put their token: the repository's own `.git/config`.
fn store_token(dir: &Path) {
    git(
        dir,
        &[
            "config",
            "http.https://github.com/.extraheader",
            &format!("AUTHORIZATION: basic {SECRET}"),
        ],
    );
}

/// Runs gluework in `cwd` with `args` (HOME, the cache and the user's configuration isolated).
fn run(cwd: &Path, args: &[&str]) -> Output {
    gluework(cwd, args)
}

/// Every file under `dir`, read whole (text or not).
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Scans `paths` in `cwd` into every output there is (JSON on stdout, a report folder with
/// packets for everyone, CSV, events, a part), and asserts `needle` is in none of them and in
/// neither stream. Returns the run's JSON report and standard error.
fn assert_nowhere(cwd: &Path, paths: &[&str], extra: &[&str], needle: &str) -> (Value, String) {
    let out_dir = tempfile::tempdir().unwrap();
    let o = out_dir.path();
    let (report_dir, csv, events, part) = (
        o.join("report"),
        o.join("people.csv"),
        o.join("events.ndjson"),
        o.join("part.json"),
    );
    let mut args = vec!["scan", "--json", "-", "--no-cache", "--people", "all"];
    args.extend_from_slice(paths);
    let owned = [
        "--out".to_string(),
        report_dir.display().to_string(),
        "--charts".to_string(),
        "svg".to_string(),
        "--csv".to_string(),
        csv.display().to_string(),
        "--events".to_string(),
        events.display().to_string(),
        "--part".to_string(),
        part.display().to_string(),
    ];
    args.extend(owned.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let out = run(cwd, &args);
    let (so, se) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{se}");
    assert!(!so.contains(needle), "stdout holds {needle:?}");
    assert!(!se.contains(needle), "stderr holds {needle:?}:\n{se}");
    let files = files_under(o);
    assert!(files.len() >= 5, "{files:?}");
    for (path, bytes) in files {
        assert!(
            !contains(&bytes, needle),
            "{} holds {needle:?}",
            path.display()
        );
    }
    (parse(&so), se)
}

fn warnings(r: &Value, repo: usize) -> Vec<String> {
    r["repositories"][repo]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

// --- 1. file contents never leak ---------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_committed_mailmap_link_to_git_config_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("linked");
    repo(&dir, "Ann <ann@example.com>");
    store_token(&dir);
    std::os::unix::fs::symlink(".git/config", dir.join(".mailmap")).unwrap();
    git(&dir, &["add", ".mailmap"]);
    git(
        &dir,
        &[
            "-c",
            "user.name=Ann",
            "-c",
            "user.email=ann@example.com",
            "commit",
            "-q",
            "-m",
            "Add a mailmap",
        ],
    );
    let (r, err) = assert_nowhere(tmp.path(), &["linked"], &[], SECRET);
    assert!(
        err.contains(
            "warning: linked: .mailmap: is a symbolic link; not followed (git does not follow it either)"
        ),
        "{err}"
    );
    assert!(
        warnings(&r, 0)
            .iter()
            .any(|w| w.starts_with(".mailmap: is a symbolic link")),
        "{:?}",
        warnings(&r, 0)
    );
    // Nothing of the target was read as a mailmap: no warnings about its lines.
    assert!(!err.contains(".mailmap line"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_mailmap_link_to_a_file_outside_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("credentials");
    std::fs::write(&secret, format!("https://user:{SECRET}@github.com\n")).unwrap();
    let dir = tmp.path().join("outside");
    repo(&dir, "Ann <ann@example.com>");
    std::os::unix::fs::symlink(&secret, dir.join(".mailmap")).unwrap();
    let (_, err) = assert_nowhere(tmp.path(), &["outside"], &[], SECRET);
    assert!(err.contains(".mailmap: is a symbolic link"), "{err}");
}

#[test]
fn mailmap_file_outside_the_repository_is_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    // Lines a mailmap parser warns about, holding the secret.
    let secret = tmp.path().join("secret.txt");
    std::fs::write(
        &secret,
        format!("Token <{SECRET}\nextraheader = AUTHORIZATION: basic {SECRET}\n"),
    )
    .unwrap();
    let dir = tmp.path().join("configured");
    repo(&dir, "Ann <ann@example.com>");
    git(&dir, &["config", "mailmap.file", secret.to_str().unwrap()]);
    let (r, err) = assert_nowhere(tmp.path(), &["configured"], &[], SECRET);
    // The file and the line are named; nothing of the line is shown.
    let w = warnings(&r, 0);
    assert!(
        w.iter().any(|w| w
            == &format!(
                "{} line 1: '<' without a closing '>'; git ignores this line",
                secret.display()
            )),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.ends_with(" line 2: no <email> found; git ignores this line")),
        "{w:?}"
    );
    // The terminal folds the second malformed line into the first's (usage.md, warnings).
    assert!(
        err.contains(
            "line 1: '<' without a closing '>'; git ignores this line (and 1 more like it"
        ),
        "{err}"
    );
}

#[test]
fn a_work_tree_mailmap_is_quoted_only_as_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("edited");
    repo(&dir, "Ann <ann@example.com>");
    std::fs::write(dir.join(".mailmap"), "Committed Junk <junk\n").unwrap();
    git(&dir, &["add", ".mailmap"]);
    git(
        &dir,
        &[
            "-c",
            "user.name=Ann",
            "-c",
            "user.email=ann@example.com",
            "commit",
            "-q",
            "-m",
            "mailmap",
        ],
    );
    // As committed: the repository's own text may be quoted (escaped, short).
    let r = parse(&stdout(&run(
        tmp.path(),
        &["scan", "edited", "--json", "-", "-q", "--no-cache"],
    )));
    assert!(
        warnings(&r, 0).contains(
            &".mailmap line 1: '<' without a closing '>'; git ignores this line: \"Committed Junk <junk\"".to_string()
        ),
        "{:?}",
        warnings(&r, 0)
    );
    // Changed in the work tree (not what the repository committed): named, not quoted.
    std::fs::write(dir.join(".mailmap"), format!("Local <{SECRET}\n")).unwrap();
    let (r, _) = assert_nowhere(tmp.path(), &["edited"], &[], SECRET);
    assert!(
        warnings(&r, 0).contains(
            &".mailmap line 1: '<' without a closing '>'; git ignores this line".to_string()
        ),
        "{:?}",
        warnings(&r, 0)
    );
}

#[cfg(unix)]
#[test]
fn a_committed_config_link_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cfglink");
    repo(&dir, "Ann <ann@example.com>");
    store_token(&dir);
    std::os::unix::fs::symlink(".git/config", dir.join(".gluework.toml")).unwrap();
    commit(
        &dir,
        "Ann <ann@example.com>",
        "src/more.rs",
        "Link the configuration",
    );
    let (_, err) = assert_nowhere(tmp.path(), &["cfglink"], &[], SECRET);
    assert!(
        err.contains(".gluework.toml at ") && err.contains(": is a symbolic link; not followed"),
        "{err}"
    );
}

#[test]
fn configuration_errors_never_quote_a_file_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    repo(&tmp.path().join("plain"), "Ann <ann@example.com>");
    for text in [
        format!("[paths]\n{SECRET} = 1\n"),
        format!("[paths]\ndocs = \"{SECRET}\"\n"),
        format!("[core]\nextraheader = \"AUTHORIZATION: basic {SECRET}\"\n"),
    ] {
        let file = tmp.path().join("config.toml");
        std::fs::write(&file, &text).unwrap();
        let out = run(
            tmp.path(),
            &["scan", "plain", "--config", file.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = stderr(&out);
        assert!(!err.contains(SECRET), "{err}");
        assert!(err.contains("config.toml:"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

// --- 2. trust between repositories -------------------------------------------------------------

#[test]
fn a_repositorys_alias_cannot_take_another_repositorys_credits() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    repo(&victim, "Vera Victim <vera@example.com>");
    for i in 0..3 {
        commit(
            &victim,
            "Vera Victim <vera@example.com>",
            "docs/guide.md",
            &format!("Document step {i}"),
        );
    }
    let attacker = tmp.path().join("attacker");
    repo(&attacker, "Mallory <mallory@example.com>");
    std::fs::write(
        attacker.join(".gluework.toml"),
        "[[alias]]\nname = \"Mallory\"\nemails = [\"mallory@example.com\", \"vera@example.com\"]\n\n\
         [people]\nexclude = { add = [\"someone@example.com\"] }\n",
    )
    .unwrap();
    commit(
        &attacker,
        "Mallory <mallory@example.com>",
        "src/main.rs",
        "Configure",
    );

    let out = run(
        tmp.path(),
        &["scan", "attacker", "victim", "--json", "-", "--no-cache"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = parse(&stdout(&out));
    let people = r["people"].as_array().unwrap();
    let vera = people
        .iter()
        .find(|p| p["email"] == "vera@example.com")
        .expect("Vera is a person of her own");
    assert_eq!(vera["name"], "Vera Victim");
    assert_eq!(vera["categories"]["docs"], 3, "{vera}");
    let mallory = people.iter().find(|p| p["name"] == "Mallory").unwrap();
    assert_eq!(mallory["categories"]["docs"], 0, "{mallory}");
    let w = warnings(&r, 0);
    assert!(
        w.iter()
            .any(|w| w.contains("[[alias]], [people] not applied")),
        "{w:?}"
    );
    assert!(stderr(&out).contains("warning: attacker: .gluework.toml at "));

    // Scanned alone, a repository's own aliases still apply to its own history.
    let out = run(
        tmp.path(),
        &["scan", "attacker", "--json", "-", "--no-cache"],
    );
    let r = parse(&stdout(&out));
    assert!(warnings(&r, 0).iter().all(|w| !w.contains("not applied")));
    // From --config, the same alias joins across repositories (the user's own rule).
    let cfg = tmp.path().join("org.toml");
    std::fs::write(
        &cfg,
        "[[alias]]\nname = \"Vera V.\"\nemails = [\"vera@example.com\"]\n",
    )
    .unwrap();
    let out = run(
        tmp.path(),
        &[
            "scan",
            "attacker",
            "victim",
            "--json",
            "-",
            "--no-cache",
            "--config",
            cfg.to_str().unwrap(),
        ],
    );
    let r = parse(&stdout(&out));
    assert!(r["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Vera V."));
}

// --- 3. links ----------------------------------------------------------------------------------

#[test]
fn look_alike_forge_hosts_get_no_links() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, url) in [
        ("gh", "https://github.com.evil.example/acme/widget.git"),
        ("gl", "git@gitlab.evil.example:acme/widget.git"),
    ] {
        let dir = tmp.path().join(name);
        repo(&dir, "Ann <ann@example.com>");
        git(&dir, &["remote", "add", "origin", url]);
    }
    let (r, _) = assert_nowhere(tmp.path(), &["gh", "gl"], &[], "evil");
    assert_eq!(r["repositories"][0]["remote"], Value::Null);
    assert_eq!(r["repositories"][1]["remote"], Value::Null);
    // A host the user names is a forge.
    let out = gluework_env(
        tmp.path(),
        &["scan", "gl", "--json", "-", "-q", "--no-cache"],
        &[("GLUEWORK_FORGE_HOSTS", "gitlab=gitlab.evil.example")],
    );
    let r = parse(&stdout(&out));
    assert_eq!(r["repositories"][0]["remote"]["forge"], "gitlab");
}

fn gluework_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gluework"));
    c.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env("GLUEWORK_CACHE_DIR", cwd.join(".cache"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run gluework")
}

fn write_json(dir: &Path, rel: &str, v: &Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string(v).unwrap()).unwrap();
}

/// A GitHub forge folder for `acme/widget` whose one pull request's `html_url` is `html_url`,
/// approved by `bob`, with its repository page `web_url`.
fn forge_folder(dir: &Path, web_url: &str, html_url: &str) {
    let user = |l: &str| json!({"login": l, "id": 1, "type": "User"});
    write_json(
        dir,
        "forge.json",
        &json!({"layout_version": 1, "forge": "github", "repo": "acme/widget",
                "api_url": "https://api.github.com", "web_url": web_url,
                "updated_through": "2024-07-01T00:00:00Z", "since": null, "complete": true}),
    );
    write_json(
        dir,
        "pulls.json",
        &json!([{"number": 3, "html_url": html_url, "state": "open", "user": user("ann"),
                 "author_association": "MEMBER", "created_at": "2024-03-01T09:00:00Z",
                 "merged_at": null, "merged_by": null, "merge_commit_sha": null,
                 "head": {"sha": "0000000000000000000000000000000000000003"}}]),
    );
    write_json(
        dir,
        "pulls/3/reviews.json",
        &json!([{"user": user("bob"), "state": "APPROVED", "submitted_at": "2024-03-02T10:00:00Z"}]),
    );
    write_json(dir, "pulls/3/comments.json", &json!([]));
    write_json(dir, "issues/3/comments.json", &json!([]));
    write_json(dir, "pulls/3/commits.json", &json!([]));
}

#[test]
fn pull_request_links_come_from_the_forge_address_and_number_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("widget");
    repo(&dir, "Ann <ann@example.com>");
    for (i, (web, html)) in [
        ("https://github.com/acme/widget", "javascript:alert(1)//"),
        (
            "https://github.com/acme/widget",
            "https://evil.example/acme/widget/pull/3",
        ),
        (
            "https://github.com.evil.example/acme/widget",
            "https://github.com.evil.example/acme/widget/pull/3",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let forge = tmp.path().join(format!("forge{i}"));
        forge_folder(&forge, web, html);
        let spec = format!("widget={}", forge.display());
        // The folder's own repository address is kept in a part (it names the folder's
        // repository) but never becomes a link: checked in the report below.
        let needles: &[&str] = if i < 2 {
            &["javascript", "evil"]
        } else {
            &["javascript"]
        };
        for needle in needles {
            let (r, _) = assert_nowhere(tmp.path(), &["widget"], &["--forge", &spec], needle);
            let bob = r["people"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["login"] == "bob")
                .unwrap_or_else(|| panic!("no bob: {r}"));
            let ev = &bob["evidence"][0];
            assert_eq!(ev["pr"], 3, "{ev}");
            if i < 2 {
                assert_eq!(ev["url"], "https://github.com/acme/widget/pull/3", "{ev}");
            } else {
                assert_eq!(ev.get("url"), None, "{ev}");
                assert!(!r.to_string().contains("evil"), "{r}");
            }
        }
    }
}

// --- 4. terminal control characters and tokens -------------------------------------------------

#[test]
fn control_characters_in_folder_and_branch_names_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "evil\x1b]0;owned\x07\x1b[2J";
    let dir = tmp.path().join(name);
    repo(&dir, "Ann <ann@example.com>");
    // An unknown encoding name with an escape sequence, in a raw commit.
    let tree = git(&dir, &["write-tree"]);
    let head = git(&dir, &["rev-parse", "HEAD"]);
    let raw = format!(
        "tree {tree}\nparent {head}\nauthor Ann <ann@example.com> 1709287200 +0000\n\
         committer Ann <ann@example.com> 1709287200 +0000\nencoding x\x1b[31mred\n\nRaw\n"
    );
    let obj = Command::new("git")
        .args(["hash-object", "-t", "commit", "-w", "--stdin"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(raw.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let id = String::from_utf8_lossy(&obj.stdout).trim().to_string();
    git(&dir, &["update-ref", "refs/heads/main", &id]);
    let out = run(tmp.path(), &["scan", name, "--json", "-", "--no-cache"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("unknown encoding"), "{err}");
    let r = parse(&stdout(&out));
    for w in warnings(&r, 0) {
        assert!(!w.chars().any(|c| c.is_control()), "{w:?}");
    }
    // An error naming the folder: the same.
    let out = run(tmp.path(), &["scan", name, "--rev", "no\x1b[2Jsuch"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("revision"), "{err}");
}

// --- 5. --out inside a repository's .git --------------------------------------------------------

#[test]
fn output_inside_a_scanned_git_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("target");
    repo(&dir, "Ann <ann@example.com>");
    let before = common::snapshot(&dir.join(".git"));
    for args in [
        vec!["scan", "target", "--out", "target/.git/report"],
        vec!["scan", "target", "--json", "target/.git/x/report.json"],
        vec!["scan", ".", "-r", "--out", "target/.git"],
    ] {
        let out = run(tmp.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("inside the git directory of") && err.contains("never writes into"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(before, common::snapshot(&dir.join(".git")));
    // Beside the repository, or in its work tree, is fine.
    let out = run(
        tmp.path(),
        &[
            "scan", "target", "-q", "--out", "report", "--charts", "none",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// --- 6. capped reads, no FIFO ------------------------------------------------------------------

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_file_is_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fifo");
    repo(&dir, "Ann <ann@example.com>");
    mkfifo(&dir.join(".mailmap"));
    let out = run(tmp.path(), &["scan", "fifo", "--json", "-", "--no-cache"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: fifo: .mailmap: is a FIFO, not a regular file; not read"),
        "{err}"
    );
    // mailmap.file (configuration may name any path) and info/grafts: the same.
    std::fs::remove_file(dir.join(".mailmap")).unwrap();
    mkfifo(&tmp.path().join("map"));
    git(
        &dir,
        &[
            "config",
            "mailmap.file",
            tmp.path().join("map").to_str().unwrap(),
        ],
    );
    std::fs::create_dir_all(dir.join(".git/info")).unwrap();
    mkfifo(&dir.join(".git/info/grafts"));
    let out = run(tmp.path(), &["scan", "fifo", "--json", "-", "--no-cache"]);
    let err = stderr(&out);
    // libgit2 would block on the grafts FIFO: the repository is refused with one line.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("info/grafts: is a FIFO, not a regular file"),
        "{err}"
    );
    std::fs::remove_file(dir.join(".git/info/grafts")).unwrap();
    let out = run(tmp.path(), &["scan", "fifo", "--json", "-", "--no-cache"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("mailmap.file ") && err.contains("map: is a FIFO, not a regular file"),
        "{err}"
    );
}

#[test]
fn over_cap_files_are_refused_with_the_cap_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("big");
    repo(&dir, "Ann <ann@example.com>");
    std::fs::write(dir.join(".mailmap"), "A <a@example.com>\n".repeat(100)).unwrap();
    let head = git(&dir, &["rev-parse", "HEAD"]);
    std::fs::write(dir.join(".git/shallow"), format!("{head}\n").repeat(5)).unwrap();
    let cfg = tmp.path().join("big.toml");
    std::fs::write(&cfg, format!("# {}\n", "x".repeat(300))).unwrap();
    let out = gluework_env(
        tmp.path(),
        &["scan", "big", "--json", "-"],
        &[("GLUEWORK_MAX_MAILMAP_BYTES", "100")],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(".mailmap: larger than the mailmap cap of 100 bytes; not read (raise it with GLUEWORK_MAX_MAILMAP_BYTES=BYTES)"),
        "{err}"
    );
    // Files libgit2 itself reads whole (shallow, the git configuration): the repository is
    // refused before libgit2 opens it.
    for (var, cap, want) in [
        (
            "GLUEWORK_MAX_GRAFTS_BYTES",
            "100",
            "shallow: larger than the grafts or shallow file cap of 100 bytes",
        ),
        (
            // HEAD (21 bytes) passes, config (about 90) does not.
            "GLUEWORK_MAX_GIT_CONFIG_BYTES",
            "50",
            "config: larger than the git configuration file cap of 50 bytes",
        ),
    ] {
        let out = gluework_env(tmp.path(), &["scan", "big", "--json", "-"], &[(var, cap)]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("error: big: cannot open repository: ") && err.contains(want),
            "{err}"
        );
    }
    let out = gluework_env(
        tmp.path(),
        &["scan", "big", "--config", cfg.to_str().unwrap()],
        &[("GLUEWORK_MAX_CONFIG_BYTES", "100")],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("larger than the configuration file cap of 100 bytes"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // A part, a saved report, a token file: each refused with its cap named, in one line.
    let part = tmp.path().join("big.part.json.gz");
    let report = tmp.path().join("big.json");
    let out = run(
        tmp.path(),
        &[
            "scan",
            "big",
            "-q",
            "--no-cache",
            "--part",
            part.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let token = tmp.path().join("token");
    std::fs::write(&token, "x".repeat(200)).unwrap();
    for (args, env, want) in [
        (
            vec!["merge", part.to_str().unwrap(), "--json", "-"],
            ("GLUEWORK_MAX_PART_BYTES", "100"),
            "larger than the part file cap of 100 bytes",
        ),
        (
            vec!["render", report.to_str().unwrap(), "--json", "-"],
            ("GLUEWORK_MAX_JSON_BYTES", "100"),
            "larger than the JSON file cap of 100 bytes",
        ),
        (
            vec![
                "fetch",
                "github",
                "o/r",
                "--out",
                "forge",
                "--token-file",
                token.to_str().unwrap(),
            ],
            ("GLUEWORK_MAX_TOKEN_BYTES", "100"),
            "larger than the token file cap of 100 bytes",
        ),
    ] {
        let out = gluework_env(tmp.path(), &args, &[env]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // A small gzip part that inflates past the cap is refused too.
    let size = std::fs::metadata(&part).unwrap().len().to_string();
    let out = gluework_env(
        tmp.path(),
        &["merge", part.to_str().unwrap(), "--json", "-"],
        &[("GLUEWORK_MAX_PART_BYTES", &size)],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("larger than the part file cap"), "{err}");
}

// --- 7. warnings are capped ----------------------------------------------------------------------

#[test]
fn a_junk_mailmap_makes_a_bounded_number_of_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("junk");
    repo(&dir, "Ann <ann@example.com>");
    std::fs::write(
        dir.join(".mailmap"),
        "junk without an email\n".repeat(200_000),
    )
    .unwrap();
    let out = run(tmp.path(), &["scan", "junk", "--json", "-", "--no-cache"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r = parse(&stdout(&out));
    let w = warnings(&r, 0);
    assert_eq!(w.len(), 201, "{:?}", &w[..3]);
    assert!(
        w.last()
            .unwrap()
            .starts_with("… and 199800 more warnings (the first 200 are listed"),
        "{:?}",
        w.last()
    );
    assert!(err.lines().count() < 250, "{} lines", err.lines().count());
    assert!(stdout(&out).len() < 200_000, "{} bytes", stdout(&out).len());
}

#[test]
fn oversized_patterns_fail_at_once_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    repo(&tmp.path().join("plain"), "Ann <ann@example.com>");
    let long_glob = format!("[paths]\ndocs = {{ add = [\"{}\"] }}\n", "a/".repeat(600));
    for (text, want) in [
        (
            "[bots]\nnames = { add = [\"(a{1000}){1000}\"] }\n".to_string(),
            ":2:18: invalid regex",
        ),
        (long_glob, ":2:17: value longer than 1000 characters"),
    ] {
        let file = tmp.path().join("patterns.toml");
        std::fs::write(&file, &text).unwrap();
        let out = run(
            tmp.path(),
            &["scan", "plain", "--config", file.to_str().unwrap()],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("patterns.toml{want}")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // The same in a repository's own file: that repository is not scanned, with file:line.
    let dir = tmp.path().join("own");
    repo(&dir, "Ann <ann@example.com>");
    std::fs::write(
        dir.join(".gluework.toml"),
        "[bots]\nemails = { add = [\"(x{999}){999}\"] }\n",
    )
    .unwrap();
    commit(&dir, "Ann <ann@example.com>", "src/x.rs", "Configure");
    let out = run(tmp.path(), &["scan", "own", "--json", "-"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(":2:19: invalid regex"), "{err}");
    assert!(err.contains("size limit"), "{err}");
}

// --- 8. clear errors -----------------------------------------------------------------------------

/// A repository of three commits, all in one pack (`git gc`), refs packed.
fn packed_repo(dir: &Path) {
    repo(dir, "Ann <ann@example.com>");
    commit(dir, "Ann <ann@example.com>", "src/lib.rs", "Second");
    commit(dir, "Ann <ann@example.com>", "src/lib.rs", "Third");
    git(dir, &["gc", "-q"]);
}

fn pack_file(dir: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(dir.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap()
}

#[test]
fn a_truncated_pack_or_index_says_the_object_database_is_corrupt() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, ext) in [("pack", "pack"), ("index", "idx")] {
        let dir = tmp.path().join(name);
        packed_repo(&dir);
        let file = pack_file(&dir, ext);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&file)
            .unwrap()
            .set_len(100)
            .unwrap();
        let out = run(tmp.path(), &["scan", name, "--json", "-", "--no-cache"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(
                "error: {name}: the object database is corrupt: pack-"
            )) && err.contains(&format!(".{ext} is truncated (100 bytes")),
            "{err}"
        );
        assert!(err.contains("git fsck"), "{err}");
        assert!(!err.contains("not found"), "{err}");
    }
}

#[test]
fn an_unparseable_include_is_named_not_called_no_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("included");
    repo(&dir, "Ann <ann@example.com>");
    let config = dir.join(".git/config");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[include]\n\tpath = broken.inc\n");
    std::fs::write(&config, text).unwrap();
    std::fs::write(dir.join(".git/broken.inc"), "[core\n").unwrap();
    let out = run(
        tmp.path(),
        &["scan", "included", "--json", "-", "--no-cache"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("not a git repository"), "{err}");
    assert!(
        err.contains("error: included: cannot open repository: failed to parse config file")
            && err.contains("broken.inc"),
        "{err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_cannot_be_written_is_found_before_the_scan() {
    let tmp = tempfile::tempdir().unwrap();
    // /proc is never writable, even by root. The repository does not exist: the output is
    // checked first, so the error is about the output alone.
    for args in [
        vec!["scan", "no-such-repo", "--out", "/proc/gluework-report"],
        vec!["scan", "no-such-repo", "--json", "/proc/gluework.json"],
    ] {
        let out = run(tmp.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("is not writable (checked before scanning)"),
            "{err}"
        );
        assert!(!err.contains("no-such-repo"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A full disk: a 32 KiB tmpfs mounted in a mount namespace of the test's own (`unshare`, so
/// nothing outside the test sees it). Needs root or user namespaces, as CI has; where neither
/// is available the test says so and checks nothing else.
#[cfg(target_os = "linux")]
#[test]
fn a_full_output_disk_is_found_before_the_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("full");
    std::fs::create_dir(&disk).unwrap();
    let bin = env!("CARGO_BIN_EXE_gluework");
    let script = format!(
        "mount -t tmpfs -o size=32k tmpfs '{d}' || exit 99; \
         '{bin}' scan no-such-repo --out '{d}/report'",
        d = disk.display()
    );
    let out = std::process::Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .current_dir(tmp.path())
        .env("GLUEWORK_CACHE_DIR", tmp.path().join("cache"))
        .env("XDG_CONFIG_HOME", tmp.path().join("no-config"))
        .output();
    let out = match out {
        Ok(o) if o.status.code() != Some(99) && !stderr(&o).contains("unshare:") => o,
        _ => {
            eprintln!("note: no mount namespace here; the full-disk check was not exercised");
            return;
        }
    };
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is not writable (checked before scanning)")
            && err.contains("No space left on device"),
        "{err}"
    );
    assert!(!err.contains("no-such-repo"), "{err}");
}

// --- 4b. a server that echoes the token ----------------------------------------------------------

/// Serves every request with HTTP 401 and a body that echoes the request's headers (token
/// included) and a terminal escape sequence, like a misconfigured proxy might.
fn echoing_server() -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        // The fetch gives up after the first 401: one connection.
        let Ok((mut conn, _)) = listener.accept() else {
            return;
        };
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
            seen.push_str(line.trim());
            seen.push(' ');
        }
        let body = json!({"message": format!("Bad credentials \u{1b}[2J\u{1b}]0;owned\u{7} you sent: {seen}")})
                .to_string();
        let head = format!(
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(body.as_bytes());
        let _ = conn.flush();
        let _ = conn.shutdown(std::net::Shutdown::Both);
    });
    (url, handle)
}

#[test]
fn a_server_that_echoes_the_token_never_gets_it_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let (url, server) = echoing_server();
    let token = format!("ghp_{SECRET}");
    let out = gluework_env(
        tmp.path(),
        &[
            "fetch",
            "github",
            "o/r",
            "--out",
            "forge",
            "--api-url",
            &url,
        ],
        &[("GITHUB_TOKEN", &token)],
    );
    server.join().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("HTTP 401"), "{err}");
    assert!(err.contains("[REDACTED]"), "{err}");
    assert!(!err.contains(SECRET), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn json_errors_about_parts_reports_and_forge_files_quote_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // JSON that names the secret where a number or a known shape is expected.
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        format!("{{\"gluework_part\": \"{SECRET}\", \"schema_version\": \"{SECRET}\", \"people\": [\"{SECRET}\"]}}"),
    )
    .unwrap();
    for args in [
        vec!["merge", "bad.json", "--json", "-"],
        vec!["render", "bad.json", "--json", "-"],
    ] {
        let out = run(tmp.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("bad.json"), "{err}");
        assert!(!err.contains(SECRET), "{args:?}: {err}");
    }
    // A forge folder file that is a link (to anything) is refused; a malformed one is named.
    let dir = tmp.path().join("widget");
    repo(&dir, "Ann <ann@example.com>");
    let forge = tmp.path().join("forge");
    forge_folder(&forge, "https://github.com/acme/widget", "x");
    std::fs::write(
        forge.join("pulls/3/reviews.json"),
        format!("[{{\"user\": null, \"state\": 7, \"submitted_at\": \"{SECRET}\"}}]"),
    )
    .unwrap();
    let spec = format!("widget={}", forge.display());
    let out = run(
        tmp.path(),
        &["scan", "widget", "--forge", &spec, "--json", "-"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("reviews.json: malformed JSON"), "{err}");
    assert!(!err.contains(SECRET), "{err}");
    #[cfg(unix)]
    {
        let secret = tmp.path().join("secret.json");
        std::fs::write(&secret, format!("[\"{SECRET}\"]")).unwrap();
        std::fs::remove_file(forge.join("pulls/3/reviews.json")).unwrap();
        std::os::unix::fs::symlink(&secret, forge.join("pulls/3/reviews.json")).unwrap();
        let out = run(
            tmp.path(),
            &["scan", "widget", "--forge", &spec, "--json", "-"],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("reviews.json: is a symbolic link"), "{err}");
        assert!(!err.contains(SECRET), "{err}");
    }
}

#[test]
fn an_over_cap_mailmap_blob_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bare-ish");
    repo(&dir, "Ann <ann@example.com>");
    std::fs::write(dir.join(".mailmap"), "A <a@example.com>\n".repeat(20)).unwrap();
    commit(&dir, "Ann <ann@example.com>", "src/x.rs", "Add a mailmap");
    std::fs::remove_file(dir.join(".mailmap")).unwrap();
    git(&dir, &["config", "mailmap.blob", "HEAD:.mailmap"]);
    let out = gluework_env(
        tmp.path(),
        &["scan", "bare-ish", "--json", "-"],
        &[("GLUEWORK_MAX_MAILMAP_BYTES", "100")],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "mailmap.blob HEAD:.mailmap: cannot read: larger than the mailmap cap of 100 bytes"
        ),
        "{err}"
    );
}

/// libgit2's owner check (git's `safe.directory`) is the program's choice: the `gluework`
/// binary reads a repository another user owns (a read-only scan runs nothing from it), while
/// a program embedding the library keeps libgit2's check unless it turns it off itself.
/// Needs root to hand the repository to another user; elsewhere it says so and checks nothing.
#[test]
fn the_owner_check_is_the_binarys_choice() {
    let tmp = tempfile::tempdir().unwrap();
    let theirs = tmp.path().join("theirs");
    repo(&theirs, "Ada <ada@example.com>");
    let handed = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&theirs)
        .status();
    if !handed.is_ok_and(|s| s.success()) {
        eprintln!("note: cannot chown (not root); the owner check is not tested here");
        return;
    }
    let out = gluework(
        tmp.path(),
        &["scan", "theirs", "--json", "-", "--no-cache", "-q"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(parse(&stdout(&out))["repositories"][0]["name"], "theirs");
    // In this process nothing turned the check off: the library refuses the repository.
    let settings = gluework::session::ScanSettings {
        paths: vec![theirs.display().to_string()],
        no_cache: true,
        ..Default::default()
    };
    let session = gluework::session::Session::scan(&settings, &()).unwrap();
    assert_eq!(session.failed(), 1);
    assert!(session.repositories().is_empty());
}
