//! `gluework check`: the CI gate on the team's figures.

use crate::cli::CheckArgs;
use crate::commands::{partial_exit, report_for, EXIT_CHECK_FAILED, EXIT_PARTIAL, EXIT_SHALLOW};
use crate::model::Report;
use crate::output::{append_step_summary, use_colour, write_atomic, write_stdout};
use crate::render;
use crate::report::gate;
use anyhow::{bail, Result};
use std::io::IsTerminal;
use std::path::Path;

pub(crate) fn check_command(args: CheckArgs) -> Result<i32> {
    let thresholds = gate::Thresholds {
        max_top_share: args.max_top_share,
        min_people_for_half: args.min_people_for_half,
        max_gini: args.max_gini,
        min_review_coverage: args.min_review_coverage,
        max_bus_factor_risk: args.max_bus_factor_risk,
        min_newcomers_helped: args.min_newcomers_helped,
    };
    if thresholds.is_empty() {
        bail!("no thresholds given: pass at least one, e.g. --max-top-share 0.5 (see docs/ci.md)");
    }
    let (report, failed, scanned) =
        match report_for(args.report.as_deref(), &args.source, args.include_bots, &[])? {
            Ok(r) => r,
            Err(code) => return Ok(code),
        };
    if failed > 0 {
        partial_exit(
            failed,
            scanned,
            "the figures would be partial, so nothing was checked",
        );
        return Ok(EXIT_PARTIAL);
    }
    let shallow: Vec<&crate::model::Repository> =
        report.repositories.iter().filter(|r| r.shallow).collect();
    if !shallow.is_empty() && !args.allow_shallow {
        for r in &shallow {
            eprintln!(
                "error: {}: a shallow clone: its history is cut, so the glue figures would be partial",
                render::plain(&r.path)
            );
        }
        eprintln!(
            "hint: fetch the full history before checking: `git fetch --unshallow`; in GitHub \
             Actions, `fetch-depth: 0` for actions/checkout; in GitLab CI, `GIT_DEPTH: 0`. \
             Or pass --allow-shallow to check the partial figures anyway."
        );
        return Ok(EXIT_SHALLOW);
    }
    for r in &shallow {
        eprintln!(
            "warning: {}: a shallow clone, checked anyway (--allow-shallow): the figures are partial",
            render::plain(&r.path)
        );
    }
    let outcomes = gate::evaluate(&report, &thresholds);
    let failures = outcomes.iter().filter(|o| !o.pass).count();
    let colour = use_colour(args.color, std::io::stdout().is_terminal());
    let text = check_text(&report, &outcomes, failures, colour);
    if let Some(file) = args.json.as_deref() {
        let json = check_json(&report, &outcomes, failures);
        if file == "-" {
            write_stdout(&json)?;
        } else {
            write_atomic(Path::new(file), json.as_bytes())?;
        }
    }
    if args.json.as_deref() != Some("-") {
        write_stdout(&text)?;
    }
    append_step_summary(&check_summary(&report, &outcomes, failures));
    Ok(if failures > 0 { EXIT_CHECK_FAILED } else { 0 })
}

/// The check's results for the terminal: the scope and window, a row per threshold (PASS or
/// FAIL, coloured when `colour`), and the verdict.
fn check_text(
    report: &Report,
    outcomes: &[gate::Outcome],
    failures: usize,
    colour: bool,
) -> String {
    let mut text = String::new();
    let scope = match report.repositories.as_slice() {
        [one] => render::plain(&one.name),
        many => format!("{} repositories", many.len()),
    };
    text.push_str(&format!(
        "gluework check: {scope} · {} · {} people · {} commits\n\n",
        render::plain(&strip_md(&render::markdown::window(report))),
        report.team.people,
        report.team.commits
    ));
    let opt_w = outcomes.iter().map(|o| o.option.len()).max().unwrap_or(0);
    let lim_w = outcomes
        .iter()
        .map(|o| o.limit.chars().count())
        .max()
        .unwrap_or(0);
    let val_w = outcomes
        .iter()
        .map(|o| o.measured.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    text.push_str(&format!(
        "{:<8}{:<opt_w$}  {:<lim_w$}  {:>val_w$}  {}\n",
        "result", "threshold", "limit", "measured", "what"
    ));
    for o in outcomes {
        let note = if o.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", render::plain(&o.note))
        };
        let verdict = match (o.pass, colour) {
            (true, true) => console::style("PASS    ")
                .green()
                .bold()
                .force_styling(true),
            (false, true) => console::style("FAIL    ").red().bold().force_styling(true),
            (true, false) => console::style("PASS    "),
            (false, false) => console::style("FAIL    "),
        };
        text.push_str(&format!(
            "{verdict}{:<opt_w$}  {:<lim_w$}  {:>val_w$}  {}{note}\n",
            o.option, o.limit, o.measured, o.label
        ));
    }
    text.push('\n');
    if failures > 0 {
        text.push_str(&format!(
            "check failed: {failures} of {} thresholds not met (exit code {EXIT_CHECK_FAILED})\n",
            outcomes.len()
        ));
    } else {
        text.push_str(&match outcomes.len() {
            1 => "check passed: the threshold is met\n".to_string(),
            n => format!("check passed: all {n} thresholds met\n"),
        });
    }
    text
}

/// Removes the backslash escapes of Markdown text (for the terminal).
pub(crate) fn strip_md(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The figures and verdicts of `check` as JSON (`check --json`): the verdict, the window, the
/// repositories, the team's size, and each threshold (in the table's order) with its limit,
/// measured value and verdict. Keys come in the order of [`CheckJson`]'s and
/// [`gate::Outcome`]'s fields (serialised as structs, not through a map, which would sort them).
pub(crate) fn check_json(report: &Report, outcomes: &[gate::Outcome], failures: usize) -> String {
    let value = CheckJson {
        passed: failures == 0,
        failures,
        window: &report.window,
        repositories: report
            .repositories
            .iter()
            .map(|r| r.name.as_str())
            .collect(),
        people: report.team.people,
        commits: report.team.commits,
        thresholds: outcomes,
    };
    let mut text = serde_json::to_string_pretty(&value).expect("plain values serialise");
    text.push('\n');
    text
}

/// The shape of `check --json`, in its keys' order (docs/ci.md, "Check JSON").
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    passed: bool,
    failures: usize,
    window: &'a crate::model::Window,
    repositories: Vec<&'a str>,
    people: u64,
    commits: u64,
    thresholds: &'a [gate::Outcome],
}

/// The check's results as Markdown, for $GITHUB_STEP_SUMMARY.
pub(crate) fn check_summary(
    report: &Report,
    outcomes: &[gate::Outcome],
    failures: usize,
) -> String {
    use crate::render::markdown::{self as md, Align};
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            vec![
                if o.pass { "✅ PASS" } else { "❌ FAIL" }.to_string(),
                format!("`{}`", o.option),
                md::text(&o.limit),
                md::text(&o.measured),
                format!(
                    "{}{}",
                    md::text(o.label),
                    if o.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", md::text_max(&o.note, 200))
                    }
                ),
            ]
        })
        .collect();
    format!(
        "## gluework check: {}\n\n{} · {} people · {} commits\n\n{}\n",
        if failures > 0 { "failed" } else { "passed" },
        md::window(report),
        report.team.people,
        report.team.commits,
        md::table(
            &[
                ("Result", Align::Left),
                ("Threshold", Align::Left),
                ("Limit", Align::Left),
                ("Measured", Align::Right),
                ("What", Align::Left),
            ],
            &rows,
        )
    )
}
