//! The cache of reports: the JSON text of the last report made of a set of repositories, so
//! that a re-scan of unchanged repositories with the same rules, options and window skips the
//! aggregation and the writing of the report (docs/performance.md, "Incremental re-scans").
//!
//! One file per set of repositories (`reports/<digest of their paths>.bin` in the cache
//! folder), holding one report under a key: a digest of everything the report is made from
//! (the session computes it: every scanned commit's facts, the repositories' names, paths,
//! tips, warnings and rules, the configuration, the window and options, the forge data, this
//! cache's format and the gluework binary itself). Another key is silently replaced; a file
//! that cannot be read, is too large, is truncated or whose checksum does not match is
//! ignored with a warning and rebuilt, never trusted.
//!
//! The format: a magic line, the format number, a CRC-32 of everything after the JSON's
//! length, the JSON's length (8 bytes), the key (32 bytes), the report's warnings (`postcard`),
//! then the JSON text, to the end of the file. The JSON's length is only compared with what
//! the file holds (never used to allocate).

use crate::input::{self, Links};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"gluework-report\n";
const FORMAT: u32 = 1;

/// Magic, format, CRC-32, the JSON's length, the key.
const HEADER: usize = 16 + 4 + 4 + 8 + 32;

/// A digest of everything a report is made from.
pub type Key = [u8; 32];

/// Where the report of one set of repositories is cached, and the key it must have.
#[derive(Debug, Clone)]
pub struct Slot {
    path: PathBuf,
    key: Key,
}

/// A report found in the cache.
pub struct Cached {
    bytes: Vec<u8>,
    json_at: usize,
    /// The report's own warnings (the terminal prints them as a fresh report's).
    pub warnings: Vec<String>,
}

impl Cached {
    /// The report's JSON text, exactly as it was written.
    pub fn json(&self) -> &[u8] {
        &self.bytes[self.json_at..]
    }
}

/// Why the report could not be cached (the command goes on; the next run is cold).
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct SaveError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Slot {
    /// The slot of the repositories at `paths` (in the report's order) in the cache folder
    /// `dir`, for a report with `key`.
    pub fn new(dir: &Path, paths: &[String], key: Key) -> Slot {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for p in paths {
            let p = std::fs::canonicalize(p)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| p.clone());
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        let name = format!("{}.bin", &hex(&h.finalize())[..32]);
        Slot {
            path: dir.join("reports").join(name),
            key,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached report, when the file holds one with this slot's key; a warning when the
    /// file is there but unusable (it is then rebuilt).
    pub fn load(&self) -> (Option<Cached>, Option<String>) {
        match self.read() {
            Ok(found) => (found, None),
            Err(why) => (
                None,
                Some(format!(
                    "cache file {} {why}; ignored and rebuilt",
                    self.path.display()
                )),
            ),
        }
    }

    fn read(&self) -> Result<Option<Cached>, String> {
        let (mut file, len) = match input::open_regular(&self.path, Links::Follow) {
            Ok(f) => f,
            Err(e) if e.is_missing() => return Ok(None),
            Err(e) => return Err(format!("cannot be read ({})", e.reason())),
        };
        let corrupt = || "is corrupt".to_string();
        let mut header = [0u8; HEADER];
        file.read_exact(&mut header).map_err(|_| corrupt())?;
        let (magic, rest) = header.split_at(MAGIC.len());
        if magic != MAGIC {
            return Err(corrupt());
        }
        let word = |at: usize| u32::from_le_bytes(rest[at..at + 4].try_into().expect("4 bytes"));
        if word(0) != FORMAT {
            return Err("belongs to another gluework".to_string());
        }
        let crc = word(4);
        let json_len = u64::from_le_bytes(rest[8..16].try_into().expect("8 bytes"));
        if rest[16..] != self.key {
            // Made from other inputs: replaced after this scan, without a word.
            return Ok(None);
        }
        let limit = input::JSON.limit();
        if len.saturating_sub(HEADER as u64) > limit {
            return Err(format!(
                "is larger than the cap on JSON files ({limit} bytes, {})",
                input::JSON.env
            ));
        }
        let mut bytes = Vec::with_capacity(len.saturating_sub(HEADER as u64) as usize);
        // Never more than the file said it held when it was opened (it may grow meanwhile).
        file.take(len.saturating_sub(HEADER as u64))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot be read ({e})"))?;
        let mut crc_of = crc32fast::Hasher::new();
        crc_of.update(&self.key);
        crc_of.update(&bytes);
        if crc_of.finalize() != crc {
            return Err(corrupt());
        }
        let (warnings, json) =
            postcard::take_from_bytes::<Vec<String>>(&bytes).map_err(|_| corrupt())?;
        if json.len() as u64 != json_len {
            return Err(corrupt());
        }
        let json_at = bytes.len() - json.len();
        Ok(Some(Cached {
            bytes,
            json_at,
            warnings,
        }))
    }

    /// Saves a report: its `warnings`, and its JSON text as `fill` writes it. A report whose
    /// JSON is larger than the cap on JSON files is not kept (it could not be read back).
    pub fn save(
        &self,
        warnings: &[String],
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), SaveError> {
        let err = |path: &Path, source| SaveError {
            path: path.to_path_buf(),
            source,
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        // Only ever a regular file (a FIFO put there would block the write).
        if std::fs::symlink_metadata(&self.path).is_ok_and(|m| !m.is_file()) {
            return Err(err(
                &self.path,
                std::io::Error::other("not a regular file; left alone"),
            ));
        }
        let limit = input::JSON.limit();
        let write = |file: &mut std::fs::File| -> std::io::Result<()> {
            let (crc, json_len) = {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *file);
                out.write_all(MAGIC)?;
                out.write_all(&FORMAT.to_le_bytes())?;
                out.write_all(&[0; 12])?;
                out.write_all(&self.key)?;
                let mut w = Counted {
                    inner: out,
                    crc: crc32fast::Hasher::new(),
                    n: 0,
                };
                w.crc.update(&self.key);
                let head = postcard::to_stdvec(warnings).map_err(std::io::Error::other)?;
                w.write_all(&head)?;
                fill(&mut w)?;
                if w.n > limit {
                    return Err(std::io::Error::other(format!(
                        "the report ({} bytes) is larger than the cap on JSON files ({})",
                        w.n,
                        input::JSON.env
                    )));
                }
                let json_len = w.n - head.len() as u64;
                let Counted { inner, crc, .. } = w;
                inner.into_inner().map_err(|e| e.into_error())?;
                (crc.finalize(), json_len)
            };
            file.seek(SeekFrom::Start(MAGIC.len() as u64 + 4))?;
            file.write_all(&crc.to_le_bytes())?;
            file.write_all(&json_len.to_le_bytes())
        };
        crate::fsio::write_atomic_file(&self.path, crate::fsio::Sync::No, write)
            .map_err(|e| err(&e.path, e.source))
    }
}

/// Writes through, keeping a CRC-32 and a count of what was written.
struct Counted<W> {
    inner: W,
    crc: crc32fast::Hasher,
    n: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(dir: &Path, key: u8) -> Slot {
        Slot::new(dir, &["/nowhere/repo".to_string()], [key; 32])
    }

    fn save(s: &Slot, json: &[u8]) {
        s.save(&["w1".to_string()], |w| w.write_all(json)).unwrap();
    }

    /// A saved report comes back whole under its key, not under another.
    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let s = slot(dir.path(), 1);
        assert!(s.load().0.is_none() && s.load().1.is_none());
        save(&s, b"{\"schema_version\": 2}\n");
        let (c, w) = s.load();
        let c = c.unwrap();
        assert!(w.is_none());
        assert_eq!(c.json(), b"{\"schema_version\": 2}\n");
        assert_eq!(c.warnings, ["w1"]);
        let (c, w) = slot(dir.path(), 2).load();
        assert!(c.is_none() && w.is_none(), "another key: silently nothing");
        assert!(s.path().starts_with(dir.path().join("reports")));
    }

    /// Any flipped byte, a cut file, a longer file, a huge stated length: a warning, never the
    /// report, never a panic.
    #[test]
    fn damage_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let s = slot(dir.path(), 1);
        save(&s, &[b'x'; 5000]);
        let good = std::fs::read(s.path()).unwrap();
        let mut bad_files: Vec<Vec<u8>> = Vec::new();
        for at in [0, 17, 21, 25, HEADER + 1, HEADER + 100, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            bad_files.push(bad);
        }
        for cut in [0, 10, HEADER - 1, HEADER, HEADER + 3, good.len() - 1] {
            bad_files.push(good[..cut].to_vec());
        }
        bad_files.push([&good[..], b"more"].concat());
        let mut huge = good.clone();
        huge[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
        bad_files.push(huge);
        for (k, bad) in bad_files.iter().enumerate() {
            std::fs::write(s.path(), bad).unwrap();
            let (c, w) = s.load();
            assert!(c.is_none(), "file {k}");
            let w = w.unwrap_or_else(|| panic!("file {k}: no warning"));
            assert!(w.ends_with("; ignored and rebuilt"), "{w}");
        }
        // A folder or a FIFO in its place: a warning on reading, refused on saving.
        std::fs::remove_file(s.path()).unwrap();
        std::fs::create_dir(s.path()).unwrap();
        assert!(s.load().1.unwrap().contains("cannot be read"));
        assert!(s.save(&[], |w| w.write_all(b"{}")).is_err());
        std::fs::remove_dir(s.path()).unwrap();
        #[cfg(unix)]
        {
            let c = std::ffi::CString::new(s.path().to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert!(s.load().1.unwrap().contains("cannot be read"));
            assert!(s.save(&[], |w| w.write_all(b"{}")).is_err());
        }
    }
}
