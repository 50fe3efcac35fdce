//! The report as JSON: serde_json's pretty form, byte for byte, with the people (nearly all of
//! a large report) serialised side by side on the thread pool.

use crate::model::{Person, Report};
use rayon::prelude::*;
use std::io::{self, Write};

/// How `"people"` looks when it is empty, at the report's top level. A raw newline cannot
/// occur inside a JSON string (it is escaped), so this text is found only where the report's
/// own structure puts it.
const EMPTY_PEOPLE: &[u8] = b"\n  \"people\": [],\n";

/// People are serialised in batches of about this many evidence items (~12 MB of text), each
/// written before the next is made, so that memory holds one batch's text, not the report's.
const BATCH_EVIDENCE: usize = 1 << 15;

/// Writes the report as `serde_json::to_writer_pretty` would, then a newline.
pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let frame = Report {
        schema_version: report.schema_version,
        tool: report.tool.clone(),
        config: report.config.clone(),
        window: report.window.clone(),
        repositories: report.repositories.clone(),
        categories: report.categories.clone(),
        people: Vec::new(),
        team: report.team.clone(),
        teams: report.teams.clone(),
        warnings: report.warnings.clone(),
    };
    let text = serde_json::to_vec_pretty(&frame)?;
    let at = find(&text, EMPTY_PEOPLE).ok_or_else(|| {
        io::Error::other("the report's JSON frame has no top-level \"people\" field")
    })?;
    let (head, tail) = text.split_at(at + EMPTY_PEOPLE.len() - b"],\n".len());
    // head ends with `"people": [`, tail starts with `],`.
    w.write_all(head)?;
    let mut first = true;
    for batch in batches(&report.people) {
        let texts: Vec<io::Result<Vec<u8>>> = batch.par_iter().map(person_text).collect();
        for t in texts {
            w.write_all(if first { b"\n    " } else { b",\n    " })?;
            w.write_all(&t?)?;
            first = false;
        }
    }
    if !first {
        w.write_all(b"\n  ")?;
    }
    w.write_all(tail)?;
    w.write_all(b"\n")
}

/// One person's pretty JSON, indented to sit in the report's `people` array (two levels).
fn person_text(p: &Person) -> io::Result<Vec<u8>> {
    let flat = serde_json::to_vec_pretty(p)?;
    let lines = flat.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(flat.len() + 4 * lines);
    for (k, line) in flat.split(|&b| b == b'\n').enumerate() {
        if k > 0 {
            out.extend_from_slice(b"\n    ");
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

/// The people in consecutive batches of at most `BATCH_EVIDENCE` evidence items (a person
/// with more is a batch alone).
fn batches(people: &[Person]) -> impl Iterator<Item = &[Person]> {
    let mut rest = people;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut weight = 0;
        let n = rest
            .iter()
            .take_while(|p| {
                weight += p.evidence.len() + 1;
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
            serde_json::from_str(include_str!("../../tests/golden/team.json")).unwrap();
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
        let golden: Report =
            serde_json::from_str(include_str!("../../tests/golden/team.json")).unwrap();
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
        let sizes: Vec<usize> = batches(&many).map(<[Person]>::len).collect();
        assert_eq!(sizes.iter().sum::<usize>(), many.len());
        assert!(sizes.len() >= 3 && sizes.contains(&1), "{sizes:?}");
        same_as_serde(&report_with(many));
    }
}
