//! The report as JSON: serde_json's pretty form, byte for byte, with the commits table and the
//! people (nearly all of a large report) serialised side by side on the thread pool.

use crate::model::{CommitRow, Evidence, Person, Report};
use rayon::prelude::*;
use std::io::{self, Write};
use std::sync::Arc;

/// How `"commits"` and `"people"` look when they are empty, at the report's top level. A raw
/// newline cannot occur inside a JSON string (it is escaped), so this text is found only where
/// the report's own structure puts it.
const EMPTY_TABLES: &[u8] = b"\n  \"commits\": [],\n  \"people\": [],\n";

/// Rows of the commits table made into text per batch (side by side, in pieces of
/// `PIECE_EVIDENCE`).
const BATCH_ROWS: usize = 1 << 16;

/// The text is made in batches of about this many evidence items (~12 MB of text), each
/// written before the next is made, so that memory holds one batch's text, not the report's.
const BATCH_EVIDENCE: usize = 1 << 15;

/// Evidence items per piece: a person with thousands of items is serialised in pieces side by
/// side, not by one thread.
const PIECE_EVIDENCE: usize = 1024;

/// Writes the report as `serde_json::to_writer_pretty` would, then a newline.
pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let frame = Report {
        schema_version: report.schema_version,
        tool: report.tool.clone(),
        config: report.config.clone(),
        window: report.window.clone(),
        repositories: report.repositories.clone(),
        categories: report.categories.clone(),
        commits: Vec::new(),
        people: Vec::new(),
        team: report.team.clone(),
        teams: report.teams.clone(),
        warnings: report.warnings.clone(),
        likely_duplicates: report.likely_duplicates,
    };
    let text = serde_json::to_vec_pretty(&frame)?;
    let at = find(&text, EMPTY_TABLES).ok_or_else(|| {
        io::Error::other("the report's JSON frame has no top-level \"commits\" and \"people\"")
    })?;
    // head ends with `"commits": [`, tail starts with `],` after `"people": [`.
    let head = &text[..at + b"\n  \"commits\": [".len()];
    let tail = &text[at + EMPTY_TABLES.len() - b"],\n".len()..];
    w.write_all(head)?;
    for (b, batch) in report.commits.chunks(BATCH_ROWS).enumerate() {
        let texts: Vec<io::Result<Vec<u8>>> = batch
            .par_chunks(PIECE_EVIDENCE)
            .enumerate()
            .map(|(k, rows)| rows_text(rows, b == 0 && k == 0))
            .collect();
        for t in texts {
            w.write_all(&t?)?;
        }
    }
    if !report.commits.is_empty() {
        w.write_all(b"\n  ")?;
    }
    w.write_all(b"],\n  \"people\": [")?;
    for batch in batches(&pieces(&report.people)) {
        let texts: Vec<io::Result<Vec<u8>>> = batch.par_iter().map(Piece::text).collect();
        for t in texts {
            w.write_all(&t?)?;
        }
    }
    if !report.people.is_empty() {
        w.write_all(b"\n  ")?;
    }
    w.write_all(tail)?;
    w.write_all(b"\n")
}

/// Rows of the commits table as text (at the top level's item depth); `first` when they start
/// the table.
fn rows_text(rows: &[Arc<CommitRow>], first: bool) -> io::Result<Vec<u8>> {
    const ROW: &[u8] = b"\n    ";
    let mut out = Vec::with_capacity(rows.len() * 256);
    for (k, row) in rows.iter().enumerate() {
        if !(first && k == 0) {
            out.push(b',');
        }
        out.extend_from_slice(ROW);
        indented(&mut out, &serde_json::to_vec_pretty(&**row)?, ROW);
    }
    Ok(out)
}

/// A part of the `people` array's text.
enum Piece<'a> {
    /// A person up to the opening of their evidence array (all of them when it is empty);
    /// `first` for the array's first person.
    Person { person: &'a Person, first: bool },
    /// Consecutive evidence items of a person; `first` when they start the array.
    Evidence { items: &'a [Evidence], first: bool },
    /// The end of a person's non-empty evidence array, and of the person.
    End,
}

/// The people's text, piece by piece, in order.
fn pieces(people: &[Person]) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (k, person) in people.iter().enumerate() {
        out.push(Piece::Person {
            person,
            first: k == 0,
        });
        for (c, items) in person.evidence.chunks(PIECE_EVIDENCE).enumerate() {
            out.push(Piece::Evidence {
                items,
                first: c == 0,
            });
        }
        if !person.evidence.is_empty() {
            out.push(Piece::End);
        }
    }
    out
}

impl Piece<'_> {
    fn weight(&self) -> usize {
        match self {
            Piece::Evidence { items, .. } => items.len(),
            _ => 1,
        }
    }

    fn text(&self) -> io::Result<Vec<u8>> {
        // Where serde_json's pretty printer puts a person (`people`'s items: two levels) and an
        // evidence item (two levels further).
        const PERSON: &[u8] = b"\n    ";
        const ITEM: &[u8] = b"\n        ";
        let mut out = Vec::new();
        match self {
            Piece::Person { person, first } => {
                if !first {
                    out.push(b',');
                }
                out.extend_from_slice(PERSON);
                if person.evidence.is_empty() {
                    indented(&mut out, &serde_json::to_vec_pretty(person)?, PERSON);
                } else {
                    // Evidence is a person's last field: cut the text at its empty array.
                    let flat = serde_json::to_vec_pretty(&without_evidence(person))?;
                    let end = b"[]\n}";
                    if !flat.ends_with(end) {
                        return Err(io::Error::other(
                            "a person's JSON does not end with evidence",
                        ));
                    }
                    indented(&mut out, &flat[..flat.len() - end.len() + 1], PERSON);
                }
            }
            Piece::Evidence { items, first } => {
                for (k, item) in items.iter().enumerate() {
                    if !(*first && k == 0) {
                        out.push(b',');
                    }
                    out.extend_from_slice(ITEM);
                    indented(&mut out, &serde_json::to_vec_pretty(item)?, ITEM);
                }
            }
            Piece::End => out.extend_from_slice(b"\n      ]\n    }"),
        }
        Ok(out)
    }
}

/// A copy of a person without their evidence (every other field listed, so that a new field
/// cannot be forgotten here).
fn without_evidence(p: &Person) -> Person {
    Person {
        id: p.id.clone(),
        name: p.name.clone(),
        email: p.email.clone(),
        login: p.login.clone(),
        aliases: p.aliases.clone(),
        joins: p.joins.clone(),
        bot: p.bot,
        teams: p.teams.clone(),
        commits: p.commits,
        categories: p.categories,
        glue: p.glue,
        glue_share: p.glue_share,
        first_seen: p.first_seen,
        last_seen: p.last_seen,
        by_repo: p.by_repo.clone(),
        review_comments: p.review_comments,
        review_comment_prs: p.review_comment_prs,
        areas: p.areas.clone(),
        timeline: p.timeline.clone(),
        evidence: Vec::new(),
    }
}

/// Appends pretty JSON `flat` (made at the top level), each line break followed by `newline`'s
/// indentation. Raw line breaks in JSON text are only ever between tokens (strings escape
/// them), so this re-indents without changing any value.
fn indented(out: &mut Vec<u8>, flat: &[u8], newline: &[u8]) {
    for (k, line) in flat.split(|&b| b == b'\n').enumerate() {
        if k > 0 {
            out.extend_from_slice(newline);
        }
        out.extend_from_slice(line);
    }
}

/// Consecutive pieces in batches of at most `BATCH_EVIDENCE` evidence items.
fn batches<'p, 'a>(pieces: &'p [Piece<'a>]) -> impl Iterator<Item = &'p [Piece<'a>]> {
    let mut rest = pieces;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut weight = 0;
        let n = rest
            .iter()
            .take_while(|p| {
                weight += p.weight();
                weight <= BATCH_EVIDENCE
            })
            .count()
            .max(1);
        let (batch, after) = rest.split_at(n);
        rest = after;
        Some(batch)
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_with(people: Vec<Person>) -> Report {
        let mut report: Report =
            Report::from_json(include_str!("../../tests/golden/team.json"), |e| {
                e.to_string()
            })
            .unwrap();
        report.people = people;
        report
    }

    fn same_as_serde(report: &Report) {
        let mut ours = Vec::new();
        write(report, &mut ours).unwrap();
        let mut theirs = serde_json::to_vec_pretty(report).unwrap();
        theirs.push(b'\n');
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn byte_for_byte_serde_json_pretty() {
        let report = report_with(Vec::new());
        same_as_serde(&report);
        let golden: Report = Report::from_json(include_str!("../../tests/golden/team.json"), |e| {
            e.to_string()
        })
        .unwrap();
        assert!(!golden.people.is_empty());
        same_as_serde(&golden);
        // Several batches (one person alone in one), with text that looks like the frame
        // inside strings.
        let mut p = golden.people[0].clone();
        p.name = "\n  \"people\": [],\n".to_string();
        let mut big = p.clone();
        big.evidence = vec![p.evidence[0].clone(); BATCH_EVIDENCE + 5];
        let mut many: Vec<Person> = (0..40).map(|_| p.clone()).collect();
        many.insert(3, big);
        for (k, q) in many.iter_mut().enumerate() {
            q.id = format!("p{k}@example.com");
            q.evidence.extend(vec![p.evidence[0].clone(); 1000]);
        }
        many[5].evidence.clear();
        let pieces = pieces(&many);
        let sizes: Vec<usize> = batches(&pieces).map(<[Piece]>::len).collect();
        assert_eq!(sizes.iter().sum::<usize>(), pieces.len());
        assert!(sizes.len() >= 3, "{sizes:?}");
        same_as_serde(&report_with(many));
    }
}
