//! The report as JSON: serde_json's pretty form, except that the records of the long lists are
//! one line each, `{"key": value, ...}` (`Layout`): each row of the commits table and each
//! evidence item (nearly all of a large report), and each item of a person's or a team's
//! `timeline`, `by_repo`, `areas` and `joins`. The commits table and the people are serialised
//! side by side on the thread pool.

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

/// Writes the report as `serde_json::to_writer_pretty` would, except that records of the long
/// lists are on one line (`Layout`), then a newline.
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
    let text = laid_out(&frame, 0)?;
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
        one_line(&mut out, &**row)?;
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
                    out.extend(laid_out(person, 2)?);
                } else {
                    // Evidence is a person's last field: cut the text at its empty array.
                    let text = laid_out(&without_evidence(person), 2)?;
                    let end = b"[]\n    }";
                    if !text.ends_with(end) {
                        return Err(io::Error::other(
                            "a person's JSON does not end with evidence",
                        ));
                    }
                    out.extend_from_slice(&text[..text.len() - end.len() + 1]);
                }
            }
            Piece::Evidence { items, first } => {
                for (k, item) in items.iter().enumerate() {
                    if !(*first && k == 0) {
                        out.push(b',');
                    }
                    out.extend_from_slice(ITEM);
                    one_line(&mut out, item)?;
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

/// `value` as JSON laid out by [`Layout`], as if it were `indent` levels deep in the report.
fn laid_out(value: &impl serde::Serialize, indent: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    let layout = Layout {
        indent,
        has_value: false,
        in_array: false,
        flat: None,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, layout);
    value.serialize(&mut ser).map_err(io::Error::from)?;
    Ok(out)
}

/// Appends `value` as JSON on one line, with a space after each `:` and `,` (`{"category":
/// "review", "kind": "reviewed-by", "row": 5, "with": ["a@example.com"]}`).
fn one_line(out: &mut Vec<u8>, value: &impl serde::Serialize) -> io::Result<()> {
    let layout = Layout {
        indent: 0,
        has_value: false,
        in_array: false,
        flat: Some(0),
    };
    let mut ser = serde_json::Serializer::with_formatter(out, layout);
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Items of an array at least this deep (in indentation levels: the report's own arrays are
/// at 2) that are objects are written on one line.
const FLAT_FROM: usize = 3;

/// serde_json's pretty printer (two spaces a level), except that an object that is an item of
/// an array [`FLAT_FROM`] levels deep or more is written on one line, with a space after each
/// `:` and `,`: a person's or a team's records (`timeline`, `by_repo`, `areas`, `joins`) and
/// an evidence item each read as one line, where the pretty form spread them over six to
/// fifteen. The report's own arrays (`repositories`, `people`) stay spread out.
struct Layout {
    /// The current indentation level.
    indent: usize,
    /// Whether the innermost open array or object has a value yet (as serde_json keeps it).
    has_value: bool,
    /// Whether the next value is an array's item.
    in_array: bool,
    /// The level at which one-line writing began (`None`: spread out).
    flat: Option<usize>,
}

impl Layout {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.indent {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn separator<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        if self.flat.is_some() {
            return if first { Ok(()) } else { w.write_all(b", ") };
        }
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value && self.flat.is_none() {
            self.newline(w)?;
        }
        if self.flat == Some(self.indent) {
            self.flat = None;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Layout {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separator(w, first)?;
        self.in_array = true;
        Ok(())
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.flat.is_none() && self.in_array && self.indent >= FLAT_FROM {
            self.flat = Some(self.indent);
        }
        self.in_array = false;
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.separator(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_array = false;
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
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

    /// `text` with every one-line object (a line holding `{...}` or `{...},`) spread over lines
    /// as serde_json's pretty printer would at that line's indentation.
    fn spread(text: &str) -> String {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let t = body.trim_start();
            let (obj, comma) = t.strip_suffix(',').map_or((t, ""), |o| (o, ","));
            if !(obj.starts_with('{') && obj.ends_with('}') && obj.len() > 2) {
                out.push_str(line);
                continue;
            }
            let mut depth = (body.len() - t.len()) / 2;
            out.push_str(&body[..body.len() - t.len()]);
            let newline = |out: &mut String, depth: usize| {
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
            };
            let chars: Vec<char> = obj.chars().collect();
            let (mut i, mut in_string) = (0, false);
            while i < chars.len() {
                let c = chars[i];
                out.push(c);
                if in_string {
                    if c == '\\' {
                        out.push(chars[i + 1]);
                        i += 1;
                    } else if c == '"' {
                        in_string = false;
                    }
                } else {
                    match c {
                        '"' => in_string = true,
                        '{' | '[' if matches!(chars[i + 1], '}' | ']') => {
                            out.push(chars[i + 1]);
                            i += 1;
                        }
                        '{' | '[' => {
                            depth += 1;
                            newline(&mut out, depth);
                        }
                        ',' => {
                            assert_eq!(chars[i + 1], ' ', "{obj}");
                            i += 1;
                            newline(&mut out, depth);
                        }
                        ':' => assert_eq!(chars[i + 1], ' ', "{obj}"),
                        _ => {}
                    }
                }
                if !in_string && i + 1 < chars.len() && matches!(chars[i + 1], '}' | ']') {
                    depth -= 1;
                    newline(&mut out, depth);
                }
                i += 1;
            }
            out.push_str(comma);
            out.push_str(&line[body.len()..]);
        }
        out
    }

    /// Our text is serde_json's pretty text with each commit row and evidence item on one line:
    /// spread again, it is the same byte for byte.
    fn same_as_serde(report: &Report) {
        let mut ours = Vec::new();
        write(report, &mut ours).unwrap();
        let ours = String::from_utf8(ours).unwrap();
        let mut theirs = serde_json::to_string_pretty(report).unwrap();
        theirs.push('\n');
        assert_eq!(spread(&ours), theirs);
        // One line per row and per item.
        for line in ours.lines() {
            let t = line.trim_start();
            if t.starts_with("{\"category\"") || t.starts_with("{\"repo\"") {
                assert!(t.ends_with('}') || t.ends_with("},"), "{line}");
            }
        }
    }

    /// Row and item lines as people read them.
    #[test]
    fn rows_and_items_are_one_line_each() {
        let golden: Report = Report::from_json(include_str!("../../tests/golden/team.json"), |e| {
            e.to_string()
        })
        .unwrap();
        let mut text = Vec::new();
        write(&golden, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        let item = &golden.people[0].evidence[0];
        let with = item
            .with
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let line = format!(
            "\n        {{\"category\": \"{}\", \"kind\": \"{}\", \"row\": {}, \"with\": [{with}]}}",
            item.category.as_str(),
            item.kind,
            item.row
        );
        assert!(text.contains(&line), "{line}");
        let row = &golden.commits[0];
        let line = format!(
            "\n    {{\"repo\": \"{}\", \"commit\": \"{}\", \"date\": \"",
            row.repo, row.commit
        );
        assert!(text.contains(&line), "{line}");
        // A person's records (here the timeline) are one line each; the report's own arrays
        // (repositories, people) are spread out.
        assert!(text.contains("\"timeline\": [\n        {\"period\": \""));
        assert!(text.contains("\"repositories\": [\n    {\n      \"name\": "));
        assert!(text.contains("\"people\": [\n    {\n      \"id\": "));
        // Read back, it is the same report.
        let back = Report::from_json(&text, |e| e.to_string()).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&golden).unwrap()
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
