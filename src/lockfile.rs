//! Lock files that say which process holds a folder (`process 123 on host since …`), removed
//! when dropped and when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP), and taken over
//! when the process they name is gone; and the cleanup of what a dead process left behind.

use crate::date::format_utc;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// Paths removed when the process is interrupted: held locks, half-written folders.
static ON_INTERRUPT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes `path` (a file, or a folder with its contents) if the process is interrupted before
/// [`forget`] is called for it.
pub fn remove_on_interrupt(path: &Path) {
    install();
    ON_INTERRUPT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(path.to_path_buf());
}

/// Undoes [`remove_on_interrupt`].
pub fn forget(path: &Path) {
    ON_INTERRUPT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|p| p != path);
}

/// On the first interrupt, removes what was registered and exits with 128 + the signal's
/// number, as a shell reports a process the signal ended.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let paths = ON_INTERRUPT.lock().unwrap_or_else(|e| e.into_inner());
                    for p in paths.iter() {
                        if p.is_dir() {
                            let _ = std::fs::remove_dir_all(p);
                        } else {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                    std::process::exit(128 + signal);
                }
            });
        }
    });
}

/// A held lock file.
#[derive(Debug)]
pub struct LockFile {
    path: PathBuf,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another live process (or one this machine cannot check) holds it: its line.
    Held(String),
    Io(std::io::Error),
}

/// A lock taken, and the line of the dead process whose lock it replaced, if any.
#[derive(Debug)]
pub struct Taken {
    pub lock: LockFile,
    pub took_over: Option<String>,
}

impl LockFile {
    /// Takes the lock file at `path`; a lock whose process is gone (same host, no such process)
    /// is taken over.
    pub fn take(path: &Path) -> Result<Taken, LockError> {
        let mut took_over = None;
        loop {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path);
            match file {
                Ok(mut f) => {
                    use std::io::Write;
                    let _ = f.write_all(holder_line().as_bytes());
                    remove_on_interrupt(path);
                    return Ok(Taken {
                        lock: LockFile {
                            path: path.to_path_buf(),
                        },
                        took_over,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = read_small(path);
                    let shown: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if took_over.is_none() && is_stale(&text) {
                        // Move it aside, and go on only if what moved is what was judged: a
                        // process that took it over meanwhile keeps its lock.
                        let aside = path.with_file_name(format!(
                            "{}.stale-{}",
                            path.file_name().unwrap_or_default().to_string_lossy(),
                            std::process::id()
                        ));
                        if std::fs::rename(path, &aside).is_ok() {
                            if read_small(&aside) == text {
                                let _ = std::fs::remove_file(&aside);
                                took_over = Some(shown);
                                continue;
                            }
                            let _ = std::fs::hard_link(&aside, path);
                            let _ = std::fs::remove_file(&aside);
                        }
                    }
                    return Err(LockError::Held(shown));
                }
                Err(e) => return Err(LockError::Io(e)),
            }
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        forget(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What a lock file says: `process 123 on host since 2024-03-01T10:00:00Z`.
fn holder_line() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    match hostname() {
        Some(host) => format!(
            "process {} on {host} since {}\n",
            std::process::id(),
            format_utc(now)
        ),
        None => format!("process {} since {}\n", std::process::id(), format_utc(now)),
    }
}

/// The first 4 KB of a file, as text (a lock file is one short line).
fn read_small(path: &Path) -> String {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(4096).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Whether a lock's line names a process on this host that is not running.
fn is_stale(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["process", pid, "on", host, "since", ..] => {
            hostname().as_deref() == Some(*host) && pid.parse::<u32>().is_ok_and(process_gone)
        }
        _ => false,
    }
}

/// This machine's name (Linux), for telling whose process a lock names.
pub fn hostname() -> Option<String> {
    let h = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let h = h.trim();
    (!h.is_empty() && !h.contains(char::is_whitespace)).then(|| h.to_string())
}

/// Whether no process `pid` runs on this machine; `false` where that cannot be told.
pub fn process_gone(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes what dead processes left in `dir` while writing: temporary files
/// (`.NAME.tmp-PID`) and folders named `PREFIX…-PID` for each of `prefixes`, whose process is
/// gone. Returns how many were removed.
pub fn clean_leftovers(dir: &Path, prefixes: &[&str]) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = if name.starts_with('.') && name.contains(".tmp-") {
            name.rsplit(".tmp-").next()
        } else if prefixes.iter().any(|p| name.starts_with(p)) {
            name.rsplit('-').next()
        } else {
            None
        };
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !process_gone(pid) {
            continue;
        }
        let path = e.path();
        let gone = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path).is_ok(),
            Ok(_) => std::fs::remove_file(&path).is_ok(),
            Err(_) => false,
        };
        removed += usize::from(gone);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pid no process has: a child that has exited.
    fn dead_pid() -> u32 {
        let mut c = std::process::Command::new("true").spawn().unwrap();
        let pid = c.id();
        c.wait().unwrap();
        pid
    }

    #[test]
    fn held_refused_dead_taken_over() {
        if hostname().is_none() || !Path::new("/proc/self").exists() {
            return; // not Linux: nothing is judged stale
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let taken = LockFile::take(&path).unwrap();
        assert!(taken.took_over.is_none());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!("process {} on ", std::process::id())));
        // Held by this (live) process: refused.
        match LockFile::take(&path) {
            Err(LockError::Held(line)) => assert_eq!(line, text.trim()),
            other => panic!("{other:?}"),
        }
        drop(taken);
        assert!(!path.exists());
        // A dead process's lock on this host: taken over; on another host: refused.
        let dead = dead_pid();
        let host = hostname().unwrap();
        std::fs::write(&path, format!("process {dead} on {host} since x\n")).unwrap();
        let taken = LockFile::take(&path).unwrap();
        assert_eq!(
            taken.took_over.as_deref(),
            Some(format!("process {dead} on {host} since x").as_str())
        );
        drop(taken);
        std::fs::write(
            &path,
            format!("process {dead} on elsewhere-{host} since x\n"),
        )
        .unwrap();
        assert!(matches!(LockFile::take(&path), Err(LockError::Held(_))));
    }

    #[test]
    fn leftovers_of_dead_processes_are_removed() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let me = std::process::id();
        for name in [
            format!(".gluework.json.tmp-{dead}"),
            format!(".report.md.tmp-{me}"),
            "notes.tmp-12".to_string(),
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(format!(".gluework-new-{dead}"))).unwrap();
        assert_eq!(clean_leftovers(dir.path(), &[".gluework-new-"]), 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [format!(".report.md.tmp-{me}"), "notes.tmp-12".to_string()]
        );
    }
}
