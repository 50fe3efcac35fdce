//! Review records that live in git: Gerrit's `refs/notes/review` (or another notes ref named with
//! `--notes`). Each note's votes become review credits on the commit it annotates. Notes are read
//! on every scan and never cached (a mirror may gain notes for commits it already had), and they
//! are the only blobs besides `.mailmap` and `.gluework.toml` that a scan reads.

use crate::classify::{gerrit, CommitRecord};
use crate::ident::mailmap::Mailmap;
use git2::{Oid, Repository};
use std::collections::{HashMap, HashSet};

/// The notes ref read when it exists and `--notes` names no other.
pub const DEFAULT_NOTES_REF: &str = "refs/notes/review";

/// Adds the review credits of the notes on `records`' commits. `notes_ref` is what `--notes`
/// named (a missing one is a warning), else the default ref when it exists.
pub fn apply(
    repo: &Repository,
    notes_ref: Option<&str>,
    mailmap: &Mailmap,
    corrupt: &HashSet<Oid>,
    records: &mut [CommitRecord],
    warnings: &mut Vec<String>,
) {
    let name = notes_ref.unwrap_or(DEFAULT_NOTES_REF);
    let full = if name.starts_with("refs/") {
        name.to_string()
    } else {
        format!("refs/notes/{name}")
    };
    if repo.refname_to_id(&full).is_err() {
        if notes_ref.is_some() {
            warnings.push(format!(
                "--notes {name}: no such notes ref ({full}); no review notes were read"
            ));
        }
        return;
    }
    let notes = match repo.notes(Some(&full)) {
        Ok(n) => n,
        Err(e) => {
            warnings.push(format!("{full}: cannot read the notes: {}", e.message()));
            return;
        }
    };
    let index: HashMap<crate::classify::CommitId, usize> =
        records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut found: Vec<(usize, Oid)> = Vec::new();
    for item in notes {
        match item {
            Ok((blob, commit)) => {
                if let Some(&i) = index.get(&commit.into()) {
                    found.push((i, blob));
                }
            }
            Err(e) => {
                warnings.push(format!("{full}: cannot list the notes: {}", e.message()));
                return;
            }
        }
    }
    found.sort();
    let mut unreadable = Vec::new();
    for (i, blob) in found {
        let text = if corrupt.contains(&blob) {
            None
        } else {
            repo.find_blob(blob).ok().map(|b| b.content().to_vec())
        };
        match text {
            Some(bytes) => {
                let text = crate::ident::mailmap::decode_text(&bytes);
                records[i].named.extend(gerrit::review_note(&text, mailmap));
            }
            None => unreadable.push(records[i].id),
        }
    }
    if let Some(first) = unreadable.first() {
        warnings.push(format!(
            "{full}: the notes of {} commit(s) could not be read (missing or corrupt blobs, \
             first on {first}); their review votes are not counted",
            unreadable.len()
        ));
    }
}
