//! Parts: what one shard's scan hands to `gluework merge`.
//!
//! A report holds totals, and totals cannot be merged exactly (a person in two shards, a
//! newcomer judged on one shard's history, team figures). A part holds what the aggregation
//! starts from instead: each repository's classified commit records (the same records the
//! cache keeps) and the configuration layers that surround them. Merging parts re-runs the same
//! aggregation over all of them, so the merged report is byte-identical to one scan of the
//! whole list. See docs/org-scale.md.

use crate::classify::CommitRecord;
use crate::config::ConfigBase;
use crate::config::{ConfigError, Layer};
use crate::forge::ForgeData;
use crate::model::{Tool, SCHEMA_VERSION};
use crate::rules::{CompiledRules, RULES_VERSION};
use crate::scan::RepoScan;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The version of the part format; parts of other versions are refused.
pub const PART_VERSION: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error("{path}: cannot read: {message}")]
    Read { path: String, message: String },
    /// The file could not be read; the I/O error is the source.
    #[error("{path}: cannot read")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A gzip part that does not inflate; the I/O error is the source.
    #[error("{path}: not a readable gzip file")]
    Gzip {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A part whose content fails its checks; the failed check is the source.
    #[error("{path}")]
    Check {
        path: String,
        #[source]
        source: CheckError,
    },
    /// Not a part, or a malformed one (JSON errors are quoted without the file's text, so they
    /// are a message, not a source).
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{0}")]
    Mismatch(String),
    #[error("{path}")]
    Config {
        path: String,
        #[source]
        source: ConfigError,
    },
}

/// What a part's own checks refuse: a digest that is missing or does not match, a commit id
/// that is not one or is listed twice, a pull request number out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error(
        "the part has no digest of its content (it was not written by \
         `gluework scan --part`, or was edited); write it again with \
         `gluework scan --part FILE`"
    )]
    NoDigest,
    #[error(
        "the part's content does not match its digest (it was edited or \
         damaged); write it again with `gluework scan --part FILE`"
    )]
    DigestMismatch,
    #[error(
        "{repo}: a commit id is not 40 hexadecimal digits (the part was damaged); \
         write it again with `gluework scan --part FILE`"
    )]
    BadId { repo: String },
    #[error("{repo}: commit {commit} is listed twice")]
    Twice { repo: String, commit: String },
    #[error("{repo}: commit {commit}: pull request number {number} is out of range (at most {max})", max = i64::MAX)]
    CommitPr {
        repo: String,
        commit: String,
        number: u64,
    },
    #[error("{repo}: pull request number {number} is out of range (at most {max})", max = i64::MAX)]
    Pr { repo: String, number: u64 },
}

/// A configuration file as it was read: its name in reports and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerText {
    pub name: String,
    pub text: String,
}

impl LayerText {
    pub fn of(layer: &Layer) -> LayerText {
        LayerText {
            name: layer.name.clone(),
            text: layer.text().to_string(),
        }
    }

    /// A repository's own file, as its scan keeps it.
    fn of_file(file: &crate::scan::ConfigFile) -> LayerText {
        LayerText {
            name: file.name.clone(),
            text: file.text.clone(),
        }
    }

    fn parse(&self) -> Result<Layer, ConfigError> {
        Layer::parse(&self.name, &self.text)
    }
}

/// The report-wide configuration the shard ran with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartConfig {
    /// `config.digest` of the shard's report.
    pub digest: String,
    /// The user's configuration file.
    pub user: Option<LayerText>,
    /// `--config FILE`.
    pub cli: Option<LayerText>,
}

/// The scan options that shape the records (`rev`, `mailmap`) or the report (the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PartOptions {
    pub rev: Option<String>,
    /// `--notes REF`.
    #[serde(default)]
    pub notes: Option<String>,
    /// Digest of the `--mailmap` file's contents.
    pub mailmap: Option<String>,
    /// `--since` / `--until` as Unix timestamps.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// `--period`, when given (otherwise the configuration's).
    pub period: Option<String>,
    pub team: Option<String>,
}

/// Which shard of which list a part is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartShard {
    pub index: u64,
    pub count: u64,
    /// Digest of the repository list the shard was chosen from (the PATH arguments and the
    /// `--repos` file's lines, in order): shards of different lists are not merged.
    pub list: String,
}

/// One scanned repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartRepo {
    pub name: String,
    pub path: String,
    pub head: Option<String>,
    pub remote: Option<crate::scan::remote::Remote>,
    pub shallow: bool,
    pub warnings: Vec<String>,
    pub config_digest: String,
    /// The repository's own `.gluework.toml`, as read from the scanned revision.
    pub config_file: Option<LayerText>,
    pub records: Vec<CommitRecord>,
    /// The identities .mailmap rewrote (raw as written in commits, and what each became).
    pub rewrites: Vec<crate::ident::Rewrite>,
    /// The pull request data attached with `--forge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forge: Option<crate::forge::ForgeData>,
}

/// A part file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Always [`PART_VERSION`]; also what tells a part from a report.
    pub gluework_part: u32,
    pub schema_version: u32,
    pub tool: Tool,
    pub config: PartConfig,
    pub options: PartOptions,
    pub shard: Option<PartShard>,
    /// Repositories of this shard that could not be found or scanned (the error lines).
    pub errors: Vec<String>,
    pub repositories: Vec<PartRepo>,
    /// SHA-256 of everything above, as gluework wrote it ([`Part::seal`]): `merge` refuses a
    /// part whose content does not match (edited or damaged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl Part {
    /// A part of the scanned repositories.
    pub fn new(
        base: &ConfigBase,
        options: PartOptions,
        shard: Option<PartShard>,
        errors: Vec<String>,
        scans: &[RepoScan],
        forge: &[Option<Arc<ForgeData>>],
    ) -> Part {
        let mut part = Part {
            gluework_part: PART_VERSION,
            schema_version: SCHEMA_VERSION,
            tool: tool(),
            config: PartConfig {
                digest: base.digest.clone(),
                user: base.user.as_ref().map(LayerText::of),
                cli: base.cli.as_ref().map(LayerText::of),
            },
            options,
            shard,
            errors,
            repositories: scans
                .iter()
                .zip(forge.iter().chain(std::iter::repeat(&None)))
                .map(|(s, forge)| PartRepo {
                    name: s.name.clone(),
                    path: s.path.clone(),
                    head: s.head.clone(),
                    remote: s.remote.clone(),
                    shallow: s.shallow,
                    warnings: s.warnings.clone(),
                    config_digest: s.config_digest.clone(),
                    config_file: s.config_file.as_ref().map(LayerText::of_file),
                    records: s.records.clone(),
                    rewrites: s.rewrites.clone(),
                    forge: forge.as_deref().cloned(),
                })
                .collect(),
            digest: None,
        };
        part.seal();
        part
    }

    /// The digest of the part's content (every field but `digest`), as JSON.
    pub fn content_digest(&self) -> String {
        use sha2::{Digest, Sha256};
        struct Hasher(Sha256);
        impl Write for Hasher {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut h = Hasher(Sha256::new());
        let content = (
            &self.gluework_part,
            &self.schema_version,
            &self.tool,
            &self.config,
            &self.options,
            &self.shard,
            &self.errors,
            &self.repositories,
        );
        serde_json::to_writer(std::io::BufWriter::with_capacity(1 << 16, &mut h), &content)
            .expect("a part serialises");
        h.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Sets `digest` to the content's.
    pub fn seal(&mut self) {
        self.digest = Some(self.content_digest());
    }

    /// Checks the digest, and what no digest can vouch for: each commit id an id and once per
    /// repository, numbers within range.
    fn check(&self) -> Result<(), CheckError> {
        match &self.digest {
            None => return Err(CheckError::NoDigest),
            Some(d) if *d != self.content_digest() => return Err(CheckError::DigestMismatch),
            Some(_) => {}
        }
        const MAX: u64 = i64::MAX as u64;
        for r in &self.repositories {
            let mut ids = std::collections::HashSet::new();
            for c in &r.records {
                // A text id that is not 40 hexadecimal digits is refused when the part is read;
                // an empty one reads as the null id.
                if c.id.is_null() {
                    return Err(CheckError::BadId {
                        repo: r.path.clone(),
                    });
                }
                if !ids.insert(c.id) {
                    return Err(CheckError::Twice {
                        repo: r.path.clone(),
                        commit: c.id.to_string(),
                    });
                }
                let pr =
                    c.pr.into_iter()
                        .chain(c.merge.as_ref().and_then(|m| m.pr()));
                if let Some(number) = pr.into_iter().find(|&n| n > MAX) {
                    return Err(CheckError::CommitPr {
                        repo: r.path.clone(),
                        commit: c.id.to_string(),
                        number,
                    });
                }
            }
            if let Some(p) = r
                .forge
                .iter()
                .flat_map(|f| &f.pulls)
                .find(|p| p.number > MAX)
            {
                return Err(CheckError::Pr {
                    repo: r.path.clone(),
                    number: p.number,
                });
            }
        }
        Ok(())
    }

    /// Writes the part as JSON, gzip-compressed when `gzip`.
    pub fn write_to(&self, w: &mut dyn Write, gzip: bool) -> std::io::Result<()> {
        if gzip {
            // serde writes in small pieces: buffer them before the compressor.
            let enc = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
            let mut buf = std::io::BufWriter::with_capacity(1 << 16, enc);
            serde_json::to_writer(&mut buf, self)?;
            buf.into_inner().map_err(|e| e.into_error())?.finish()?;
            Ok(())
        } else {
            serde_json::to_writer(&mut *w, self)?;
            w.write_all(b"\n")
        }
    }
}

fn tool() -> Tool {
    Tool {
        name: "gluework".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        rules_version: RULES_VERSION,
    }
}

/// Whether a part file name asks for gzip (`.gz`).
pub fn wants_gzip(path: &str) -> bool {
    path.ends_with(".gz")
}

/// Digest of a repository list (hex SHA-256, first 16 bytes).
pub fn list_digest(paths: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in paths {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON error about a part, quoting none of its text (a part may be anything: see
/// [`crate::input::unquote`]).
fn quiet(e: &serde_json::Error) -> String {
    crate::input::unquote(&e.to_string(), &[])
}

/// Reads a part (plain or gzip-compressed JSON), refusing reports and other versions with a
/// message that says what to do.
pub fn read(path: &Path) -> Result<Part, PartError> {
    let shown = path.display().to_string();
    let read_err = |message: String| PartError::Read {
        path: shown.clone(),
        message,
    };
    let invalid = |message: String| PartError::Invalid {
        path: shown.clone(),
        message,
    };
    let cap = crate::input::PART;
    let raw =
        crate::input::read_capped(path, cap, crate::input::Links::Named).map_err(|e| match e {
            crate::input::InputError::Io { source, .. } => PartError::Io {
                path: shown.clone(),
                source,
            },
            other => read_err(other.reason()),
        })?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        // The cap holds after decompression too: a small file may inflate without end.
        let mut capped =
            crate::input::CappedReader::new(flate2::read::MultiGzDecoder::new(&raw[..]), cap, path);
        capped
            .read_to_end(&mut out)
            .map_err(|source| PartError::Gzip {
                path: shown.clone(),
                source,
            })?;
        out
    } else {
        raw
    };
    // One parse for a good part; on failure the header alone, so that a report or a newer
    // part gets a message of its own rather than a parse error about a missing field.
    let full = serde_json::from_slice::<Part>(&bytes);
    #[derive(Deserialize)]
    struct Header {
        gluework_part: Option<u32>,
        schema_version: Option<u32>,
        people: Option<serde::de::IgnoredAny>,
    }
    let header = match &full {
        Ok(part) => Header {
            gluework_part: Some(part.gluework_part),
            schema_version: None,
            people: None,
        },
        Err(_) => serde_json::from_slice(&bytes)
            .map_err(|e| invalid(format!("not a gluework part: {}", quiet(&e))))?,
    };
    match (header.gluework_part, header.schema_version, header.people) {
        (Some(PART_VERSION), _, _) => {}
        (Some(v), _, _) => {
            return Err(invalid(format!(
                "part format version {v}, this gluework reads version {PART_VERSION}; \
                 re-run the shard's scan with this version"
            )))
        }
        (None, Some(_), Some(_)) => {
            return Err(invalid(
                "this is a report, not a part: a report's totals cannot be merged exactly; \
                 write parts with `gluework scan --part FILE`"
                    .to_string(),
            ))
        }
        (None, _, _) => {
            return Err(invalid(
                "not a gluework part (write parts with `gluework scan --part FILE`)".to_string(),
            ))
        }
    }
    let part = full.map_err(|e| invalid(format!("malformed part: {}", quiet(&e))))?;
    part.check().map_err(|source| PartError::Check {
        path: shown.clone(),
        source,
    })?;
    Ok(part)
}

/// Parts checked against each other and combined.
pub struct Merged {
    pub base: ConfigBase,
    pub options: PartOptions,
    pub scans: Vec<RepoScan>,
    /// Each scan's pull request data, if its part had any (beside `scans`).
    pub forge: Vec<Option<Arc<ForgeData>>>,
    /// The parts' error lines, in part order.
    pub errors: Vec<String>,
}

fn short(d: &str) -> &str {
    &d[..d.len().min(12)]
}

/// The report options a merge gives itself; the parts need not agree on them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Chosen {
    pub window: bool,
    pub period: bool,
    pub team: bool,
}

/// Checks that `parts` were made alike and can be merged, and rebuilds the scans. Its steps:
/// each part against the first (`check_alike`), the shards (`check_shards`), each
/// repository once (`check_repositories_once`), the first part's configuration
/// (`configuration`), then each repository's scan rebuilt (`rebuild`).
pub fn combine(parts: Vec<(PathBuf, Part)>, chosen: Chosen) -> Result<Merged, PartError> {
    let Some((first_path, first)) = parts.first() else {
        return Err(PartError::Mismatch("no parts to merge".to_string()));
    };
    let first_name = first_path.display().to_string();
    for (path, part) in &parts[1..] {
        check_alike((&first_name, first), (path, part), chosen)?;
    }
    check_shards(&parts)?;
    check_repositories_once(&parts)?;
    let base = configuration(&first_name, &first.config)?;
    let options = first.options.clone();
    let mut scans = Vec::new();
    let mut forge = Vec::new();
    let mut errors = Vec::new();
    for (path, part) in parts {
        errors.extend(part.errors);
        for r in part.repositories {
            let (scan, data) = rebuild(&path, &base, r)?;
            scans.push(scan);
            forge.push(data);
        }
    }
    Ok(Merged {
        base,
        options,
        scans,
        forge,
        errors,
    })
}

/// A part made like the first: the same gluework, rules and report schema, the same scan
/// options that shape the records, the same configuration, and (unless the merge chooses its
/// own) the same window, period and team.
fn check_alike(
    (first_name, first): (&str, &Part),
    (path, part): (&Path, &Part),
    chosen: Chosen,
) -> Result<(), PartError> {
    let name = path.display();
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "(none)".to_string());
    let window = |o: &PartOptions| {
        let d = |t: Option<i64>| t.map_or("open".to_string(), crate::date::format_utc);
        format!("{} to {}", d(o.since), d(o.until))
    };
    const ONE_VERSION: &str = "re-run every shard with one gluework version";
    let (a, b) = (first, part);
    let (ao, bo) = (&first.options, &part.options);
    // (what, first's, this part's, whether it must agree, what to do)
    let checks: [(&str, String, String, bool, &str); 9] = [
        (
            "report schema",
            a.schema_version.to_string(),
            b.schema_version.to_string(),
            true,
            ONE_VERSION,
        ),
        (
            "gluework",
            a.tool.version.clone(),
            b.tool.version.clone(),
            true,
            ONE_VERSION,
        ),
        (
            "rules version",
            a.tool.rules_version.to_string(),
            b.tool.rules_version.to_string(),
            true,
            ONE_VERSION,
        ),
        (
            "--rev",
            opt(&ao.rev),
            opt(&bo.rev),
            true,
            "run every shard with the same --rev",
        ),
        (
            "--notes",
            opt(&ao.notes),
            opt(&bo.notes),
            true,
            "run every shard with the same --notes",
        ),
        (
            "--mailmap (digest)",
            opt(&ao.mailmap),
            opt(&bo.mailmap),
            true,
            "run every shard with the same --mailmap file",
        ),
        (
            "the window",
            window(ao),
            window(bo),
            !chosen.window,
            "give merge --since/--until to choose one",
        ),
        (
            "--period",
            opt(&ao.period),
            opt(&bo.period),
            !chosen.period,
            "give merge --period to choose one",
        ),
        (
            "--team",
            opt(&ao.team),
            opt(&bo.team),
            !chosen.team,
            "give merge --team to choose one",
        ),
    ];
    for (what, ours, theirs, must, fix) in checks {
        if must && ours != theirs {
            return Err(PartError::Mismatch(format!(
                "{name} was made with {what} {theirs}, {first_name} with {ours}; {fix}"
            )));
        }
    }
    if part.config.digest != first.config.digest {
        let files = |c: &PartConfig| {
            let names: Vec<&str> = c
                .user
                .iter()
                .chain(c.cli.iter())
                .map(|l| l.name.as_str())
                .collect();
            if names.is_empty() {
                "the built-in defaults".to_string()
            } else {
                names.join(" + ")
            }
        };
        return Err(PartError::Mismatch(format!(
            "{name} was made with another configuration (digest {}, from {}) than \
             {first_name} (digest {}, from {}); run every shard with the same user file \
             and --config",
            short(&part.config.digest),
            files(&part.config),
            short(&first.config.digest),
            files(&first.config)
        )));
    }
    Ok(())
}

/// Every repository in one part only.
fn check_repositories_once(parts: &[(PathBuf, Part)]) -> Result<(), PartError> {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for (path, part) in parts {
        for r in &part.repositories {
            if let Some(other) = seen.insert(r.path.as_str(), path) {
                return Err(PartError::Mismatch(format!(
                    "repository {} is in both {} and {}: merge each repository once",
                    r.path,
                    other.display(),
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// The configuration the parts were made with (the first part's user file and `--config`,
/// which every part shares: [`check_alike`] compares their digests), read back.
fn configuration(part_name: &str, config: &PartConfig) -> Result<ConfigBase, PartError> {
    let error = |source| PartError::Config {
        path: part_name.to_string(),
        source,
    };
    let layer = |text: &Option<LayerText>| text.as_ref().map(LayerText::parse).transpose();
    let user = layer(&config.user).map_err(error)?;
    let cli = layer(&config.cli).map_err(error)?;
    ConfigBase::new(user, cli).map_err(error)
}

/// Shards of one list: the same count and list, each index once, none missing.
fn check_shards(parts: &[(PathBuf, Part)]) -> Result<(), PartError> {
    let sharded: Vec<(&PathBuf, &PartShard)> = parts
        .iter()
        .filter_map(|(p, part)| part.shard.as_ref().map(|s| (p, s)))
        .collect();
    let Some(&(first_path, first)) = sharded.first() else {
        return Ok(());
    };
    if sharded.len() != parts.len() {
        let whole = parts.iter().find(|(_, p)| p.shard.is_none()).unwrap();
        return Err(PartError::Mismatch(format!(
            "{} is a whole scan and {} is shard {}/{}: merge the shards of one list, or \
             whole scans of different repositories, not both",
            whole.0.display(),
            first_path.display(),
            first.index,
            first.count
        )));
    }
    let mut held: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for &(path, s) in &sharded {
        if s.count != first.count {
            return Err(PartError::Mismatch(format!(
                "{} is shard {}/{} and {} is shard {}/{}: merge the N shards of one run",
                path.display(),
                s.index,
                s.count,
                first_path.display(),
                first.index,
                first.count
            )));
        }
        if s.list != first.list {
            return Err(PartError::Mismatch(format!(
                "{} and {} were sharded from different repository lists (list digests {} and \
                 {}): give every shard the same PATH arguments and --repos file",
                path.display(),
                first_path.display(),
                short(&s.list),
                short(&first.list)
            )));
        }
        if let Some(other) = held.insert(s.index, path) {
            return Err(PartError::Mismatch(format!(
                "{} and {} are both shard {}/{}",
                other.display(),
                path.display(),
                s.index,
                s.count
            )));
        }
    }
    let missing: BTreeSet<u64> = (1..=first.count)
        .filter(|k| !held.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|k| format!("{k}/{}", first.count))
            .collect();
        return Err(PartError::Mismatch(format!(
            "{} {} {} missing: the merged report would not cover the list (give every part of \
             the run)",
            if missing.len() == 1 {
                "shard"
            } else {
                "shards"
            },
            list.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
        )));
    }
    Ok(())
}

/// A scan again, its rules compiled from the layers it was classified with, and its pull
/// request data.
#[allow(clippy::type_complexity)]
fn rebuild(
    path: &Path,
    base: &ConfigBase,
    r: PartRepo,
) -> Result<(RepoScan, Option<Arc<ForgeData>>), PartError> {
    let config_err = |source: ConfigError| PartError::Config {
        path: format!("{} ({})", path.display(), r.path),
        source,
    };
    let config_file = r
        .config_file
        .as_ref()
        .map(LayerText::parse)
        .transpose()
        .map_err(config_err)?;
    let rules = match &config_file {
        None => base.rules.clone(),
        Some(layer) => {
            let eff = ConfigBase::effective(base.user.as_ref(), Some(layer), base.cli.as_ref())
                .map_err(config_err)?;
            let rules = CompiledRules::new(eff.rules()).map_err(|source| {
                config_err(ConfigError::Rules {
                    name: r.path.clone(),
                    source: Box::new(source),
                })
            })?;
            Arc::new(rules)
        }
    };
    let scan = RepoScan::rebuilt(
        r.name,
        r.path,
        r.head,
        r.remote,
        r.shallow,
        r.records,
        r.rewrites,
        r.warnings,
        rules,
        r.config_digest,
        config_file.map(|layer| crate::scan::ConfigFile {
            name: layer.name.clone(),
            text: layer.text().to_string(),
        }),
    );
    Ok((scan, r.forge.map(Arc::new)))
}
