//! Files written whole or not at all: the one atomic writer every layer uses (the report's
//! outputs, the forge folder, the scan cache). A low module: it imports nothing of gluework.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file that could not be written: the file (the temporary one when that is where it
/// failed) and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Whether the file is flushed to the disk before it is renamed into place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    /// Flushed (outputs a person keeps; a failure to flush is not an error).
    Yes,
    /// Not flushed (a cache that is rebuilt when it is lost).
    No,
}

/// Writes `path` whole or not at all: `fill` writes a temporary file beside it
/// (`.NAME.tmp-PID`, removed on failure), which is then renamed over `path`. Devices, pipes
/// and other special files (`/dev/null`, `/dev/stdout`, a FIFO) are written as they are:
/// renaming over them would replace the device with a plain file. The folder must exist.
pub fn write_atomic_file(
    path: &Path,
    sync: Sync,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let write = |target: &Path| -> std::io::Result<()> {
        let mut file = File::create(target)?;
        fill(&mut file)?;
        match sync {
            Sync::Yes => file.sync_all().or(Ok(())),
            Sync::No => Ok(()),
        }
    };
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return write(path).map_err(|source| WriteError {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    let tmp = temporary(path);
    if let Err(source) = write(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(WriteError { path: tmp, source });
    }
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        WriteError {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Like [`write_atomic_file`], flushed, with the contents written by `fill` through a buffer
/// (so a large report is never held in memory as one string).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    write_atomic_file(path, Sync::Yes, |file| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut w)?;
        w.flush()
    })
}

/// Writes `contents` to `path` whole or not at all (flushed).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// The temporary file beside `path` that becomes it: `.NAME.tmp-PID` (what
/// `lockfile::clean_leftovers` recognises as a dead run's).
fn temporary(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        // A failing writer leaves the earlier file and no temporary file.
        let err = write_atomic_with(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().starts_with("cannot write "), "{err}");
        assert!(err.path.to_string_lossy().contains(".out.json.tmp-"));
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        // A missing folder names the temporary file.
        let missing = dir.path().join("no/such/file");
        assert!(write_atomic(&missing, b"x").is_err());
    }

    #[test]
    fn devices_are_written_in_place() {
        write_atomic(Path::new("/dev/null"), b"gone").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }

    use std::os::unix::fs::FileTypeExt;
}
