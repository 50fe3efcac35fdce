//! Every error type of the library prints each cause once on the binary's `error: …` line
//! (docs/architecture.md, "Errors"): a representative of each variant that has a cause, from
//! every layer, here at the edge where they are all in reach.

use crate::error::tests::assert_each_cause_once;
use crate::error::Vetted;
use std::error::Error;
use std::io;

fn io_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "permission denied (os error 13)",
    )
}

fn utf8_error() -> std::str::Utf8Error {
    let bytes = vec![b'a', 0xff];
    std::str::from_utf8(&bytes).unwrap_err()
}

fn json_error() -> serde_json::Error {
    serde_json::from_str::<serde_json::Value>("{").unwrap_err()
}

fn rule_errors() -> Vec<crate::rules::RuleError> {
    let glob = crate::rules::Rules {
        docs_paths: vec!["docs/[".into()],
        ..crate::rules::Rules::default()
    };
    let regex = crate::rules::Rules {
        bot_names: vec!["(".into()],
        ..crate::rules::Rules::default()
    };
    [glob, regex]
        .into_iter()
        .map(|r| crate::rules::CompiledRules::new(r).unwrap_err())
        .collect()
}

/// A representative of every error type of the library (each variant that has a cause),
/// boxed.
fn every_error() -> Vec<Box<dyn Error + 'static>> {
    use crate::config::ConfigError;
    use crate::forge::ForgeError;
    use crate::render::chart::ChartError;
    let path = std::path::PathBuf::from("out/charts");
    let mut all: Vec<Box<dyn Error>> = vec![
        Box::new(crate::fsio::WriteError {
            path: path.clone(),
            source: io_error(),
        }),
        Box::new(crate::input::InputError::Io {
            path: "list.txt".into(),
            source: io_error(),
        }),
        Box::new(ForgeError::Request {
            url: "https://api.github.com/repos/o/r".into(),
            attempts: 3,
            source: Vetted::new(ureq::Error::Io(io_error()), str::to_string),
        }),
        Box::new(ForgeError::Json {
            url: "https://api.github.com/repos/o/r".into(),
            source: Vetted::new(json_error(), str::to_string),
        }),
        Box::new(ForgeError::DataRead {
            path: "pr/pulls.json".into(),
            source: io_error(),
        }),
        Box::new(ForgeError::data_json(
            std::path::Path::new("pr/pulls.json"),
            "malformed JSON",
            json_error(),
        )),
        Box::new(ForgeError::Io {
            what: "--out pr: cannot create the folder".into(),
            source: io_error(),
        }),
        Box::new(ForgeError::Manifest {
            dir: "pr".into(),
            source: Box::new(ForgeError::data_json(
                std::path::Path::new("pr/forge.json"),
                "not JSON",
                json_error(),
            )),
        }),
        Box::new(ForgeError::Write {
            path: "pr/pulls.json".into(),
            source: io_error(),
        }),
        Box::new(ChartError::CreateDir {
            path: path.clone(),
            source: io_error(),
        }),
        Box::new(ChartError::Write {
            path: path.join("a.svg"),
            source: io_error(),
        }),
        Box::new(ChartError::Draw {
            path: path.join("a.png"),
            source: Box::new(plotters::drawing::DrawingAreaErrorKind::<io::Error>::LayoutError),
        }),
        Box::new(ConfigError::Read {
            name: "gluework.toml".into(),
            source: io_error(),
        }),
        Box::new(crate::scan::ScanError::ConfigNotUtf8 {
            path: "repo".into(),
            name: ".gluework.toml at 0123456789ab".into(),
            source: utf8_error(),
        }),
        Box::new(crate::scan::ScanError::Io {
            path: "repos".into(),
            source: io_error(),
        }),
        Box::new(crate::scan::ScanError::Rev {
            path: "repo".into(),
            rev: "v9".into(),
            source: Vetted::with_text(
                git2::Error::from_str("revspec 'v9' not found"),
                "revspec 'v9' not found".into(),
            ),
        }),
        Box::new(crate::scan::ScanError::Objects {
            path: "repo".into(),
            rev: "HEAD".into(),
            source: io_error(),
        }),
        Box::new(crate::scan::cache::SaveError {
            path: path.clone(),
            source: io_error(),
        }),
        Box::new(crate::shard::ListError::Read {
            path: "list.txt".into(),
            source: io_error(),
        }),
        Box::new(crate::part::PartError::Io {
            path: "a.part.json".into(),
            source: io_error(),
        }),
        Box::new(crate::part::PartError::Gzip {
            path: "a.part.json.gz".into(),
            source: io_error(),
        }),
        Box::new(crate::render::events::EventsError::Parquet(
            parquet::errors::ParquetError::General("column too long".into()),
        )),
    ];
    for rule in rule_errors() {
        all.push(Box::new(rule));
    }
    for rule in rule_errors() {
        let config = ConfigError::Rules {
            name: "gluework.toml".into(),
            source: Box::new(rule),
        };
        all.push(Box::new(crate::part::PartError::Config {
            path: "a.part.json".into(),
            source: config,
        }));
    }
    let config = ConfigError::Read {
        name: "gluework.toml".into(),
        source: io_error(),
    };
    all.push(Box::new(crate::scan::ScanError::Config {
        path: "repo".into(),
        source: Box::new(config),
    }));
    all.extend(session_errors());
    all
}

/// The library's front door: each variant with a cause.
fn session_errors() -> Vec<Box<dyn Error + 'static>> {
    use crate::session::SessionError;
    vec![
        Box::new(SessionError::Date {
            flag: "--since",
            source: crate::date::DateError::User("the other day".into()),
        }),
        Box::new(SessionError::MailmapRead {
            path: "people.mailmap".into(),
            source: io_error(),
        }),
        Box::new(SessionError::Config(crate::config::ConfigError::Read {
            name: "gluework.toml".into(),
            source: io_error(),
        })),
        Box::new(SessionError::RepoList(crate::shard::ListError::Read {
            path: "list.txt".into(),
            source: io_error(),
        })),
        Box::new(SessionError::Forge {
            spec: "pr".into(),
            source: Box::new(crate::forge::ForgeError::DataRead {
                path: "pr/forge.json".into(),
                source: io_error(),
            }),
        }),
        Box::new(SessionError::Part(crate::part::PartError::Io {
            path: "a.part.json".into(),
            source: io_error(),
        })),
        Box::new(SessionError::ReportRead {
            path: "report.json".into(),
            source: io_error(),
        }),
        Box::new(SessionError::Report {
            path: "report.json".into(),
            source: crate::model::ReadError::NotJson("EOF at line 1".into()),
        }),
    ]
}

#[test]
fn every_cause_is_printed_once() {
    let all = every_error();
    // Each has a cause, but a transparent wrapper (the events' Parquet error), whose
    // text is its inner error's own.
    let with_cause = all.iter().filter(|e| e.source().is_some()).count();
    assert!(
        with_cause + 1 >= all.len() && all.len() >= 20,
        "{}",
        all.len()
    );
    for e in &all {
        assert_each_cause_once(e.as_ref());
    }
}

#[test]
fn the_binarys_printer_prints_each_cause_once() {
    let e = anyhow::Error::new(crate::session::SessionError::Forge {
        spec: "pr".into(),
        source: Box::new(crate::forge::ForgeError::Write {
            path: "pr/pulls.json".into(),
            source: io_error(),
        }),
    });
    assert_eq!(
        super::one_line(&e),
        "--forge pr: cannot write pr/pulls.json: permission denied (os error 13)"
    );
    let e = e.context("while merging");
    assert_eq!(
        super::one_line(&e),
        "while merging: --forge pr: cannot write pr/pulls.json: permission denied (os error 13)"
    );
}
