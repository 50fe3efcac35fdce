//! The evidence as a table of events (`--events FILE`): one row per evidence item, for DuckDB,
//! pandas or a warehouse. Rows come from the report model alone, people in report order and each
//! person's evidence in its order, so `render REPORT.json --events FILE` gives the same rows as
//! the scan that wrote the report. The columns and their types are documented in
//! docs/org-scale.md; change that page with any change here.

use crate::model::{CommitId, Report, Text};
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

/// The file formats of `--events`, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsFormat {
    /// `.ndjson` or `.jsonl`: one JSON object per line.
    Ndjson,
    /// `.parquet`.
    Parquet,
}

impl EventsFormat {
    /// The format for `path` (`-` is NDJSON on standard output), or an error naming the
    /// extensions that are understood.
    pub fn from_path(path: &str) -> Result<EventsFormat, UnknownFormat> {
        if path == "-" {
            return Ok(EventsFormat::Ndjson);
        }
        let ext = std::path::Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("ndjson") | Some("jsonl") => Ok(EventsFormat::Ndjson),
            Some("parquet") => Ok(EventsFormat::Parquet),
            _ => Err(UnknownFormat(path.to_string())),
        }
    }
}

/// An events file whose name says no format `--events` writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--events {0}: unknown format; name the file .ndjson, .jsonl or .parquet")]
pub struct UnknownFormat(pub String);

/// One row of the events table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event<'a> {
    pub person_id: &'a str,
    pub person_name: &'a str,
    pub email: Option<&'a str>,
    pub login: Option<&'a str>,
    /// The person's configured teams, sorted as in the report (empty when none).
    pub teams: &'a [String],
    pub bot: bool,
    pub category: &'static str,
    pub kind: &'a str,
    pub repo: &'a str,
    /// The full commit id (`""` for forge evidence with no commit in the history).
    pub commit: CommitId,
    /// The commit date, UTC, RFC 3339 (as in the report).
    #[serde(serialize_with = "crate::date::rfc3339::serialize")]
    pub date: jiff::Timestamp,
    pub pr: Option<u64>,
    /// Ids of the people the work helped or was shared with.
    pub with: &'a [Text],
    /// The pull request's web page, for evidence from forge data.
    pub url: Option<&'a str>,
}

/// Every evidence item of the report as a row: people in report order, evidence in order.
pub fn events(report: &Report) -> Vec<Event<'_>> {
    report
        .people
        .iter()
        .flat_map(|p| {
            p.evidence.iter().map(move |e| Event {
                person_id: &p.id,
                person_name: &p.name,
                email: p.email.as_deref(),
                login: p.login.as_deref(),
                teams: &p.teams,
                bot: p.bot,
                category: e.category.as_str(),
                kind: &e.kind,
                repo: &e.repo,
                commit: e.commit,
                date: e.date,
                pr: e.pr,
                with: &e.with,
                url: e.url.as_deref(),
            })
        })
        .collect()
}

/// Writes the events as NDJSON: one compact JSON object per line, keys in column order.
pub fn write_ndjson(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    for e in events(report) {
        serde_json::to_writer(&mut *w, &e)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The Parquet schema of the events table (see docs/org-scale.md).
pub const PARQUET_SCHEMA: &str = "
message gluework_events {
  required binary person_id (STRING);
  required binary person_name (STRING);
  optional binary email (STRING);
  optional binary login (STRING);
  required group teams (LIST) {
    repeated group list {
      required binary element (STRING);
    }
  }
  required boolean bot;
  required binary category (STRING);
  required binary kind (STRING);
  required binary repo (STRING);
  required binary commit (STRING);
  required int64 date (TIMESTAMP(MICROS,true));
  optional int64 pr;
  required group with (LIST) {
    repeated group list {
      required binary element (STRING);
    }
  }
  optional binary url (STRING);
}
";

/// Rows per Parquet row group.
const ROW_GROUP: usize = 65_536;

/// An error writing the events.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("evidence of {person} on {commit}: pull request number {pr} is out of range")]
    Number {
        person: String,
        commit: String,
        pr: u64,
    },
    #[error(transparent)]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Values and levels of a required string column.
fn strings<'r>(rows: &[Event<'r>], f: impl Fn(&Event<'r>) -> &'r str) -> Vec<ByteArray> {
    rows.iter().map(|r| ByteArray::from(f(r))).collect()
}

/// Values and definition levels of an optional string column.
fn opt_strings<'r>(
    rows: &[Event<'r>],
    f: impl Fn(&Event<'r>) -> Option<&'r str>,
) -> (Vec<ByteArray>, Vec<i16>) {
    let mut values = Vec::new();
    let mut def = Vec::with_capacity(rows.len());
    for r in rows {
        match f(r) {
            Some(s) => {
                values.push(ByteArray::from(s));
                def.push(1);
            }
            None => def.push(0),
        }
    }
    (values, def)
}

/// Values, definition and repetition levels of a required list of required strings (the
/// standard three-level LIST: an empty list is one level pair (0, 0) with no value).
fn lists<'r, T: AsRef<str> + 'r>(
    rows: &[Event<'r>],
    f: impl Fn(&Event<'r>) -> &'r [T],
) -> (Vec<ByteArray>, Vec<i16>, Vec<i16>) {
    let mut values = Vec::new();
    let mut def = Vec::new();
    let mut rep = Vec::new();
    for r in rows {
        let items = f(r);
        if items.is_empty() {
            def.push(0);
            rep.push(0);
        }
        for (i, s) in items.iter().enumerate() {
            values.push(ByteArray::from(s.as_ref()));
            def.push(1);
            rep.push(if i == 0 { 0 } else { 1 });
        }
    }
    (values, def, rep)
}

/// Writes the events as a Parquet file (schema [`PARQUET_SCHEMA`], uncompressed, deterministic
/// for the same report and gluework version).
pub fn write_parquet<W: Write + Send>(report: &Report, out: W) -> Result<(), EventsError> {
    let rows = events(report);
    let mut dates = Vec::with_capacity(rows.len());
    for r in &rows {
        // Timestamps hold years -9999 to 9999: microseconds fit an int64.
        dates.push(r.date.as_second() * 1_000_000);
        // Parquet's int64: a number beyond it is refused, never written wrapped (as -1).
        if let Some(pr) = r.pr.filter(|&n| i64::try_from(n).is_err()) {
            return Err(EventsError::Number {
                person: r.person_id.to_string(),
                commit: r.commit.to_string(),
                pr,
            });
        }
    }
    let schema = Arc::new(parse_message_type(PARQUET_SCHEMA)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .set_created_by(format!("gluework {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    for (chunk_index, chunk) in rows.chunks(ROW_GROUP).enumerate() {
        let chunk_dates = &dates[chunk_index * ROW_GROUP..][..chunk.len()];
        let mut group = writer.next_row_group()?;
        let mut column = 0;
        while let Some(mut col) = group.next_column()? {
            match column {
                9 => {
                    let values: Vec<ByteArray> = chunk
                        .iter()
                        .map(|r| ByteArray::from(r.commit.hex().into_bytes()))
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, None, None)?;
                }
                0 | 1 | 6 | 7 | 8 => {
                    let values = strings(chunk, |r| match column {
                        0 => r.person_id,
                        1 => r.person_name,
                        6 => r.category,
                        7 => r.kind,
                        _ => r.repo,
                    });
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, None, None)?;
                }
                2 | 3 | 13 => {
                    let (values, def) = opt_strings(chunk, |r| match column {
                        2 => r.email,
                        3 => r.login,
                        _ => r.url,
                    });
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&def), None)?;
                }
                4 | 12 => {
                    let (values, def, rep) = if column == 4 {
                        lists(chunk, |r| r.teams)
                    } else {
                        lists(chunk, |r| r.with)
                    };
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&def), Some(&rep))?;
                }
                5 => {
                    let values: Vec<bool> = chunk.iter().map(|r| r.bot).collect();
                    col.typed::<BoolType>().write_batch(&values, None, None)?;
                }
                10 => {
                    col.typed::<Int64Type>()
                        .write_batch(chunk_dates, None, None)?;
                }
                11 => {
                    let values: Vec<i64> = chunk
                        .iter()
                        .filter_map(|r| r.pr)
                        .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
                        .collect();
                    let def: Vec<i16> = chunk.iter().map(|r| i16::from(r.pr.is_some())).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&values, Some(&def), None)?;
                }
                other => unreachable!("the schema has 14 columns, not {}", other + 1),
            }
            col.close()?;
            column += 1;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(())
}

/// The Parquet file as bytes.
pub fn parquet_bytes(report: &Report) -> Result<Vec<u8>, EventsError> {
    let mut buf = Vec::new();
    write_parquet(report, &mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            EventsFormat::from_path("a.ndjson"),
            Ok(EventsFormat::Ndjson)
        );
        assert_eq!(EventsFormat::from_path("a.JSONL"), Ok(EventsFormat::Ndjson));
        assert_eq!(
            EventsFormat::from_path("x/a.parquet"),
            Ok(EventsFormat::Parquet)
        );
        assert_eq!(EventsFormat::from_path("-"), Ok(EventsFormat::Ndjson));
        assert!(EventsFormat::from_path("a.csv").is_err());
        assert!(EventsFormat::from_path("events").is_err());
    }

    #[test]
    fn schema_parses_with_fourteen_columns() {
        let schema = parse_message_type(PARQUET_SCHEMA).unwrap();
        let descr = parquet::schema::types::SchemaDescriptor::new(Arc::new(schema));
        assert_eq!(descr.num_columns(), 14);
    }
}
