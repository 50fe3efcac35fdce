//! `gluework person WHO`: one person's promotion packet.

use crate::cli::{PacketFormat, PersonArgs};
use crate::commands::{partial_exit, report_for, EXIT_ERROR};
use crate::model::{Person, Report};
use crate::output::{probe_outputs, write_atomic, write_stdout};
use crate::render;
use crate::report::{self, FindError};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The person `who` names in the report ([`report::find_person`]); says whom a partial query
/// picked (unless quiet), or why nobody was picked (then `None`).
fn pick_person<'a>(report: &'a Report, who: &str, quiet: bool) -> Option<&'a Person> {
    let who = who.trim();
    let shown = render::plain(&format!("{who:?}"));
    match report::find_person(report, who) {
        Ok(person) => {
            if !report::is_exactly(person, who) && !quiet {
                eprintln!("note: {shown} matched {}", describe(person));
            }
            Some(person)
        }
        Err(FindError::Ambiguous { candidates }) => {
            eprintln!(
                "error: {shown} matches {} people; give one of their ids (the first column):",
                candidates.len()
            );
            for c in candidates {
                eprintln!("  {}", describe(c));
            }
            None
        }
        Err(FindError::NoMatch { suggestions }) => {
            eprintln!(
                "error: no person in the report matches {shown} (give a name, email, login or id)"
            );
            if !suggestions.is_empty() {
                eprintln!("people with a similar name, email or login:");
                for c in suggestions {
                    eprintln!("  {}", describe(c));
                }
            }
            None
        }
    }
}

/// One line describing a person for lists of candidates.
pub(crate) fn describe(p: &Person) -> String {
    let mut s = format!("{}  {}", p.id, p.name);
    if let Some(e) = p.email.as_deref().filter(|e| *e != p.id) {
        s.push_str(&format!(" <{e}>"));
    }
    if let Some(l) = &p.login {
        s.push_str(&format!(" @{}", l.trim_start_matches('@')));
    }
    s.push_str(&format!("  (glue {}, code {})", p.glue, p.categories.code));
    render::plain(&s)
}

pub(crate) fn person_command(args: PersonArgs) -> Result<i32> {
    let outputs: Vec<PathBuf> = args.out.iter().cloned().collect();
    probe_outputs(&outputs)?;
    let (report, failed, scanned) = match report_for(
        args.report.as_deref(),
        &args.source,
        args.include_bots,
        &outputs,
    )? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let Some(person) = pick_person(&report, &args.who, args.source.quiet) else {
        return Ok(EXIT_ERROR);
    };
    let slug = render::chart::slugs(&report)
        .remove(&person.id)
        .unwrap_or_else(|| render::chart::slug(person));
    if let Some(file) = args.json.as_deref() {
        let json = render::packet::slice_json(&report, person);
        if file == "-" {
            write_stdout(&json)?;
            return Ok(partial_exit(
                failed,
                scanned,
                "the packet covers the others",
            ));
        }
        write_atomic(Path::new(file), json.as_bytes())?;
        if !args.source.quiet {
            eprintln!("wrote {}", render::plain(file));
        }
    }
    match (&args.out, args.format) {
        (None, PacketFormat::Json) => write_stdout(&render::packet::slice_json(&report, person))?,
        (None, PacketFormat::Markdown) => write_stdout(&render::packet::packet(
            &report,
            person,
            &render::packet::PacketOptions::default(),
        ))?,
        (Some(dir), format) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let (path, text) = match format {
                PacketFormat::Json => (
                    dir.join(format!("{slug}.json")),
                    render::packet::slice_json(&report, person),
                ),
                PacketFormat::Markdown => {
                    let charts = person_charts(&report, person, dir, &slug, args.charts)?;
                    // Every evidence item, beside a packet that lists the newest of each
                    // category.
                    let csv_name = format!("{slug}-evidence.csv");
                    let csv = dir.join(&csv_name);
                    write_atomic(
                        &csv,
                        render::packet::evidence_csv(&report, person).as_bytes(),
                    )?;
                    if !args.source.quiet {
                        eprintln!("wrote {}", csv.display());
                    }
                    // The same packet as a page to open and print, beside the Markdown.
                    let html = dir.join(format!("{slug}.html"));
                    let page = render::html::packet_page(&report, person, Some(&csv_name));
                    write_atomic(&html, page.as_bytes())?;
                    if !args.source.quiet {
                        eprintln!("wrote {}", html.display());
                    }
                    (
                        dir.join(format!("{slug}.md")),
                        render::packet::packet(
                            &report,
                            person,
                            &render::packet::PacketOptions {
                                charts,
                                evidence_csv: Some(csv_name),
                            },
                        ),
                    )
                }
            };
            write_atomic(&path, text.as_bytes())?;
            if !args.source.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(partial_exit(
        failed,
        scanned,
        "the packet covers the others",
    ))
}

/// Draws the person's two charts into `dir` as `<slug>-profile.*` and `<slug>-timeline.*`;
/// returns the file names the packet shows (PNG when written, else SVG).
pub(crate) fn person_charts(
    report: &Report,
    person: &crate::model::Person,
    dir: &Path,
    slug: &str,
    charts: crate::cli::ChartsArg,
) -> Result<Option<(String, String)>> {
    use crate::cli::ChartsArg;
    use crate::render::chart::{self, ChartFormat, ChartOptions, PeopleSelection};
    let (format, exts, shown) = match charts {
        ChartsArg::None => return Ok(None),
        ChartsArg::Svg => (ChartFormat::Svg, &["svg"][..], "svg"),
        ChartsArg::Png => (ChartFormat::Png, &["png"][..], "png"),
        ChartsArg::Both => (ChartFormat::Both, &["svg", "png"][..], "png"),
    };
    // The chart module writes people's charts under people/: draw the person's two into a
    // private folder and move them here.
    let tmp = dir.join(format!(".gluework-charts-{}", std::process::id()));
    let opts = ChartOptions {
        format,
        top: 15,
        people: PeopleSelection::One(person.id.clone()),
        team: false,
    };
    let drawn = chart::write_charts(report, &tmp, &opts).map_err(anyhow::Error::from);
    let moved = drawn.and_then(|_| {
        for kind in ["profile", "timeline"] {
            for ext in exts {
                let name = format!("{slug}-{kind}.{ext}");
                let from = tmp.join("people").join(&name);
                let to = dir.join(&name);
                std::fs::rename(&from, &to)
                    .with_context(|| format!("cannot write {}", to.display()))?;
            }
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&tmp);
    moved?;
    Ok(Some((
        format!("{slug}-profile.{shown}"),
        format!("{slug}-timeline.{shown}"),
    )))
}
