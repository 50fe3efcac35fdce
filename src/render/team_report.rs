//! The team-health report (`DIR/report.md`, written by `gluework scan --out DIR`): the window,
//! a table of people, the team charts, concentration with a plain reading, newcomers and who
//! helped them, review coverage, rotation (categories resting on one or two people and who
//! could share them), the change against a previous window, and one section per configured
//! team. Rendered from the report alone (plus the previous window's report, if any).

use super::markdown::{self as md, Align, Forges};
use super::packet::category_title;
use crate::category::{Category, Counts};
use crate::model::{Person, Report, Team};
use crate::report::{self, Carried};
use std::collections::HashMap;
use std::fmt::Write;

/// Options of the team report.
#[derive(Debug, Clone, Default)]
pub struct TeamReportOptions<'a> {
    /// The team charts: (folder relative to the report, file extension). `None`: no charts
    /// section.
    pub charts: Option<(String, String)>,
    /// The previous window's report, for the comparison.
    pub previous: Option<&'a Report>,
    /// At most this many rows in each people and newcomers table (0: everyone).
    pub people_limit: usize,
}

/// Display names for people, escaped; people who share a name get their email (or id) added.
fn display_names<'a>(people: &[&'a Person]) -> HashMap<&'a str, String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for p in people {
        *count.entry(p.name.as_str()).or_default() += 1;
    }
    people
        .iter()
        .map(|p| {
            let mut n = md::person_name(p);
            if count[p.name.as_str()] > 1 {
                n.push_str(&format!(
                    " ({})",
                    md::text_max(p.email.as_deref().unwrap_or(&p.id), 60)
                ));
            }
            (p.id.as_str(), n)
        })
        .collect()
}

fn name_list(names: &HashMap<&str, String>, people: &[&Person]) -> String {
    let v: Vec<&str> = people
        .iter()
        .map(|p| names.get(p.id.as_str()).map(String::as_str).unwrap_or("?"))
        .collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].to_string(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

fn heading(level: usize, title: &str) -> String {
    format!("{} {title}\n\n", "#".repeat(level))
}

/// The people table: glue per category, glue, code and glue share, with a team row.
fn people_table(
    names: &HashMap<&str, String>,
    people: &[&Person],
    team: &Team,
    limit: usize,
) -> String {
    let shown = if limit == 0 {
        people.len()
    } else {
        limit.min(people.len())
    };
    let mut header: Vec<(&str, Align)> = vec![("#", Align::Right), ("Person", Align::Left)];
    for c in Category::GLUE {
        header.push((category_title(c), Align::Right));
    }
    header.extend([
        ("Glue", Align::Right),
        ("Code", Align::Right),
        ("Glue share", Align::Right),
    ]);
    let row = |rank: String, name: String, c: &Counts, glue: u64, share: f64| {
        let mut r = vec![rank, name];
        r.extend(Category::GLUE.iter().map(|&k| c[k].to_string()));
        r.push(glue.to_string());
        r.push(c.code.to_string());
        r.push(md::percent(share));
        r
    };
    let mut rows: Vec<Vec<String>> = people[..shown]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            row(
                (i + 1).to_string(),
                names[p.id.as_str()].clone(),
                &p.categories,
                p.glue,
                p.glue_share,
            )
        })
        .collect();
    let total = team.categories.total();
    let mut t = row(
        String::new(),
        "**Team**".to_string(),
        &team.categories,
        team.glue,
        if total == 0 {
            0.0
        } else {
            team.glue as f64 / total as f64
        },
    );
    for cell in t.iter_mut().skip(2) {
        *cell = format!("**{cell}**");
    }
    rows.push(t);
    let mut out = md::table(&header, &rows);
    if shown < people.len() {
        let _ = writeln!(
            out,
            "\n… and {} (every person is in `gluework.json`, and in the CSV with `--csv`).",
            md::count((people.len() - shown) as u64, "more person", "more people")
        );
    }
    out
}

fn concentration_sentence(
    names: &HashMap<&str, String>,
    people: &[&Person],
    team: &Team,
) -> String {
    if team.glue == 0 {
        return "No glue work was credited in this window.".to_string();
    }
    let half = report::half_carriers(people, team);
    if team.people == 1 {
        return format!(
            "A team of one: {} does all of its glue work.",
            name_list(names, &half)
        );
    }
    format!(
        "Half of all glue work is done by {} of {} ({}).",
        team.people_for_half,
        md::count(team.people, "person", "people"),
        name_list(names, &half)
    )
}

fn coverage_sentence(team: &Team) -> String {
    if team.commits == 0 {
        return "No non-merge commits in this window.".to_string();
    }
    let in_git = team.commits - team.not_in_git.min(team.commits);
    let squash = if team.not_in_git == 0 {
        String::new()
    } else {
        format!(
            " Review coverage of the {} made in a squash-merge era is **not in git**: those \
             commits were squash-merged in the forge's web UI, and their reviews are on the pull \
             requests (`gluework fetch`, then `gluework scan --forge`).",
            md::count(team.not_in_git, "commit", "commits")
        )
    };
    if in_git == 0 {
        return format!(
            "Every non-merge commit of this window was made in a squash-merge era.{squash}"
        );
    }
    format!(
        "{} of {} non-merge commits ({}) {} a review signal.{squash}",
        team.reviewed_commits,
        in_git,
        md::percent(team.review_coverage),
        if team.reviewed_commits == 1 {
            "carries"
        } else {
            "carry"
        }
    )
}

fn newcomers_sentence(team: &Team) -> String {
    let n = team.newcomers.len() as u64;
    if n == 0 {
        return "Nobody made their first commit in this window.".to_string();
    }
    let helped = team
        .newcomers
        .iter()
        .filter(|c| !c.helpers.is_empty())
        .count() as u64;
    format!(
        "{} made their first commit in this window; {} of them {} helped by someone.",
        md::count(n, "person", "people"),
        helped,
        if helped == 1 { "was" } else { "were" }
    )
}

fn rotation_sentence(carried: &[Carried]) -> String {
    if carried.is_empty() {
        return "No glue category rests on one or two people.".to_string();
    }
    let cats: Vec<String> = carried
        .iter()
        .map(|c| category_title(c.category).to_lowercase())
        .collect();
    let n = carried.len();
    format!(
        "{n} {} on one or two people: {}.",
        if n == 1 {
            "glue category rests"
        } else {
            "glue categories rest"
        },
        cats.join(", ")
    )
}

fn area_label(report: &Report, repo: &str, area: &str) -> String {
    let area = if area == "/" {
        "top-level files".to_string()
    } else {
        format!("{}/", md::text(area))
    };
    if report.repositories.len() > 1 {
        format!("{} {area}", md::text(repo))
    } else {
        area
    }
}

/// The rotation section's list.
fn rotation(report: &Report, names: &HashMap<&str, String>, carried: &[Carried]) -> String {
    let mut out = String::new();
    if carried.is_empty() {
        let _ = writeln!(
            out,
            "No glue category rests on one or two people: in no category do one or two people \
             (fewer than half the team) carry more than half of the credits."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Glue should not always fall on the same people. In these categories one or two people \
         carry more than half of the credits. The people listed to share them have code in the \
         same top-level areas where the carriers do glue work, and a glue share below the \
         team's median ({}).\n",
        md::percent(carried[0].median)
    );
    for c in carried {
        let carriers: Vec<String> = c
            .carriers
            .iter()
            .map(|(p, n)| format!("{} ({n})", names[p.id.as_str()]))
            .collect();
        let _ = write!(
            out,
            "- **{}:** {} {} {} of {} credits ({}). ",
            category_title(c.category),
            carriers.join(" and "),
            if c.carriers.len() == 1 {
                "carries"
            } else {
                "carry"
            },
            c.carriers.iter().map(|(_, n)| n).sum::<u64>(),
            c.total,
            md::percent(c.share)
        );
        if c.candidates.is_empty() {
            let _ = writeln!(
                out,
                "Nobody else with code in the same areas has a glue share below the median; \
                 pairing someone newer with them is a way to start."
            );
        } else {
            let cands: Vec<String> = c
                .candidates
                .iter()
                .map(|k| {
                    let mut areas: Vec<String> = k
                        .areas
                        .iter()
                        .take(3)
                        .enumerate()
                        .map(|(i, (repo, area, n))| {
                            if i == 0 {
                                format!(
                                    "{} in {}",
                                    md::count(*n, "code commit", "code commits"),
                                    area_label(report, repo, area)
                                )
                            } else {
                                format!("{n} in {}", area_label(report, repo, area))
                            }
                        })
                        .collect();
                    if k.areas.len() > 3 {
                        areas.push(format!("more in {} other areas", k.areas.len() - 3));
                    }
                    format!(
                        "{} ({}; glue share {})",
                        names
                            .get(k.person.id.as_str())
                            .cloned()
                            .unwrap_or_else(|| md::person_name(k.person)),
                        areas.join(", "),
                        md::percent(k.person.glue_share)
                    )
                })
                .collect();
            let _ = writeln!(out, "Could share it: {}.", cands.join("; "));
        }
    }
    out
}

fn signed(d: i64) -> String {
    match d.cmp(&0) {
        std::cmp::Ordering::Greater => format!("+{d}"),
        std::cmp::Ordering::Less => format!("−{}", -d),
        std::cmp::Ordering::Equal => "0".to_string(),
    }
}

fn signed_points(a: f64, b: f64) -> String {
    let d = ((b - a) * 100.0).round() as i64;
    format!("{} pts", signed(d))
}

fn signed_fraction(a: f64, b: f64) -> String {
    let d = b - a;
    if d.abs() < 0.005 {
        "0".to_string()
    } else if d > 0.0 {
        format!("+{d:.2}")
    } else {
        format!("−{:.2}", -d)
    }
}

/// "This window, A to B (N days), against the previous window of the same length, C to D."
fn windows_sentence(report: &Report, prev: &Report) -> String {
    use crate::date::timestamp;
    let t = |s: Option<crate::date::Timestamp>| s.map(|s| s.as_second());
    match (
        t(report.window.since),
        t(prev.window.since),
        t(prev.window.until),
    ) {
        (Some(since), Some(ps), Some(pu)) if pu >= ps => {
            let len = pu - ps;
            // Whole calendar months are compared with as many months (session.rs).
            let (length, same) = match crate::date::whole_months(ps, pu) {
                Some(months) => (
                    md::count(months as u64, "month", "months"),
                    "as many months",
                ),
                None => (
                    md::count((len / 86_400 + 1) as u64, "day", "days"),
                    "the same length",
                ),
            };
            let end = t(report.window.until).map_or(since + len, |u| u);
            format!(
                "This window, {} to {} ({length}), against the previous window of {same}, {}.",
                md::day(timestamp(since)),
                md::day(timestamp(end)),
                md::window(prev)
            )
        }
        _ => format!(
            "Against the previous window of the same length, {}.",
            md::window(prev)
        ),
    }
}

/// The comparison of two team blocks, and of their people's glue.
fn comparison(
    report: &Report,
    prev_report: &Report,
    now: &Team,
    before: &Team,
    people: &[&Person],
    prev_people: &[&Person],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", windows_sentence(report, prev_report));
    let count_row = |label: &str, a: u64, b: u64| {
        vec![
            label.to_string(),
            a.to_string(),
            b.to_string(),
            signed(b as i64 - a as i64),
        ]
    };
    let mut rows = vec![
        count_row("People", before.people, now.people),
        count_row("Non-merge commits", before.commits, now.commits),
        count_row("Glue", before.glue, now.glue),
    ];
    for c in Category::GLUE {
        rows.push(count_row(
            &format!("— {}", category_title(c).to_lowercase()),
            before.categories[c],
            now.categories[c],
        ));
    }
    rows.push(count_row(
        "Code",
        before.categories.code,
        now.categories.code,
    ));
    rows.push(vec![
        "Gini coefficient".into(),
        format!("{:.2}", before.gini),
        format!("{:.2}", now.gini),
        signed_fraction(before.gini, now.gini),
    ]);
    rows.push(vec![
        "Top share".into(),
        md::percent(before.top_share),
        md::percent(now.top_share),
        signed_points(before.top_share, now.top_share),
    ]);
    rows.push(count_row(
        "People carrying half",
        before.people_for_half,
        now.people_for_half,
    ));
    rows.push(vec![
        "Review coverage".into(),
        md::percent(before.review_coverage),
        md::percent(now.review_coverage),
        signed_points(before.review_coverage, now.review_coverage),
    ]);
    rows.push(count_row(
        "Newcomers",
        before.newcomers.len() as u64,
        now.newcomers.len() as u64,
    ));
    out.push_str(&md::table(
        &[
            ("Figure", Align::Left),
            ("Previous", Align::Right),
            ("This window", Align::Right),
            ("Change", Align::Right),
        ],
        &rows,
    ));
    // The people whose glue changed most.
    let before_glue: HashMap<&str, u64> = prev_people
        .iter()
        .map(|p| (p.id.as_str(), p.glue))
        .collect();
    let now_glue: HashMap<&str, u64> = people.iter().map(|p| (p.id.as_str(), p.glue)).collect();
    let mut all: Vec<&Person> = people.to_vec();
    all.extend(
        prev_people
            .iter()
            .filter(|p| !now_glue.contains_key(p.id.as_str())),
    );
    let names = display_names(&all);
    let mut changes: Vec<(&Person, u64, u64)> = all
        .iter()
        .map(|p| {
            (
                *p,
                before_glue.get(p.id.as_str()).copied().unwrap_or(0),
                now_glue.get(p.id.as_str()).copied().unwrap_or(0),
            )
        })
        .filter(|(_, a, b)| a != b)
        .collect();
    changes.sort_by(|x, y| {
        let dx = (x.2 as i64 - x.1 as i64).abs();
        let dy = (y.2 as i64 - y.1 as i64).abs();
        dy.cmp(&dx)
            .then_with(|| x.0.name.cmp(&y.0.name))
            .then_with(|| x.0.id.cmp(&y.0.id))
    });
    if !changes.is_empty() {
        let shown = changes.len().min(10);
        let _ = writeln!(
            out,
            "\nLargest changes in glue per person{}:\n",
            if changes.len() > shown {
                format!(" ({shown} of {})", changes.len())
            } else {
                String::new()
            }
        );
        let rows: Vec<Vec<String>> = changes[..shown]
            .iter()
            .map(|(p, a, b)| {
                vec![
                    names[p.id.as_str()].clone(),
                    a.to_string(),
                    b.to_string(),
                    signed(*b as i64 - *a as i64),
                ]
            })
            .collect();
        out.push_str(&md::table(
            &[
                ("Person", Align::Left),
                ("Previous", Align::Right),
                ("This window", Align::Right),
                ("Change", Align::Right),
            ],
            &rows,
        ));
    }
    out
}

/// The blocks of one team (the whole report, or a configured team) under heading `level`: at a
/// glance, people, charts, concentration, newcomers and onboarding pull requests, review
/// coverage, rotation, and the change since the previous window.
#[allow(clippy::too_many_arguments)]
fn team_blocks(
    out: &mut String,
    level: usize,
    report: &Report,
    team: &Team,
    people: &[&Person],
    previous: Option<(&Report, &Team, Vec<&Person>)>,
    opts: &TeamReportOptions,
    charts: bool,
) {
    let names = display_names(people);
    let carried = report::carried(people);
    at_a_glance(out, level, team, people, &names, &carried);
    people_block(out, level, report, team, people, &names, opts);
    if charts {
        if let Some((dir, ext)) = &opts.charts {
            charts_block(out, level, dir, ext);
        }
    }
    concentration_block(out, level, team, people, &names);
    newcomers_block(out, level, report, team, opts);
    if !team.onboarding_prs.is_empty() {
        onboarding_block(out, level, report, team);
    }
    out.push_str(&heading(level, "Review coverage"));
    let _ = writeln!(
        out,
        "{} A review signal is a review credit on the commit (`Reviewed-by`, `Acked-by`, \
         `Tested-by`, `Approved-by`, a bors `r=`, a patch applied by someone else) or on the \
         merge that brought it in.\n",
        coverage_sentence(team)
    );

    out.push_str(&heading(level, "Rotation"));
    out.push_str(&rotation(report, &names, &carried));
    out.push('\n');

    if let Some((prev_report, before, prev_people)) = previous {
        out.push_str(&heading(level, "Change since the previous window"));
        out.push_str(&comparison(
            report,
            prev_report,
            team,
            before,
            people,
            &prev_people,
        ));
        out.push('\n');
    }
}

/// At a glance: people and credits, concentration, coverage, newcomers, review comments,
/// rotation, a line each.
fn at_a_glance(
    out: &mut String,
    level: usize,
    team: &Team,
    people: &[&Person],
    names: &HashMap<&str, String>,
    carried: &[report::Carried<'_>],
) {
    out.push_str(&heading(level, "At a glance"));
    let total = team.categories.total();
    let _ = writeln!(
        out,
        "- {} counted: {} and {}; glue is {} of all credited work.",
        md::count(team.people, "person", "people"),
        md::count(team.glue, "glue credit", "glue credits"),
        md::count(team.categories.code, "code commit", "code commits"),
        md::percent(if total == 0 {
            0.0
        } else {
            team.glue as f64 / total as f64
        })
    );
    let _ = writeln!(
        out,
        "- **Concentration:** {}",
        concentration_sentence(names, people, team)
    );
    let _ = writeln!(out, "- **Review coverage:** {}", coverage_sentence(team));
    let _ = writeln!(out, "- **Newcomers:** {}", newcomers_sentence(team));
    if team.review_comments > 0 {
        let _ = writeln!(
            out,
            "- **Review comments:** {} on others' pull requests (forge data).",
            md::count(team.review_comments, "review comment", "review comments")
        );
    }
    let _ = writeln!(out, "- **Rotation:** {}", rotation_sentence(carried));
    out.push('\n');
}

/// The people table, and how many bots it leaves out.
fn people_block(
    out: &mut String,
    level: usize,
    report: &Report,
    team: &Team,
    people: &[&Person],
    names: &HashMap<&str, String>,
    opts: &TeamReportOptions,
) {
    out.push_str(&heading(level, "People"));
    if people.is_empty() {
        let _ = writeln!(out, "Nobody has commits or credits in this window.\n");
    } else {
        out.push_str(&people_table(names, people, team, opts.people_limit));
        let bots = report
            .people
            .iter()
            .filter(|p| p.bot && !people.iter().any(|q| q.id == p.id))
            .count();
        if level == 2 && bots > 0 {
            let _ = writeln!(
                out,
                "\n{} left out of the team figures (`--include-bots` counts them).",
                md::count(bots as u64, "bot is", "bots are")
            );
        }
        out.push('\n');
    }
}

/// The team charts, as images beside the report.
fn charts_block(out: &mut String, level: usize, dir: &str, ext: &str) {
    out.push_str(&heading(level, "Charts"));
    for (stem, alt) in [
        ("who-carries-glue", "Who carries the glue"),
        ("concentration", "How concentrated is glue work"),
        ("trend", "Team glue work over time"),
        ("who-helps-whom", "Who helps whom"),
    ] {
        let _ = writeln!(out, "![{alt}]({dir}/{stem}.{ext})\n");
    }
}

/// Concentration: Gini, top share, people carrying half, and the regular contributors' figures.
fn concentration_block(
    out: &mut String,
    level: usize,
    team: &Team,
    people: &[&Person],
    names: &HashMap<&str, String>,
) {
    out.push_str(&heading(level, "Concentration"));
    if team.glue == 0 {
        let _ = writeln!(out, "No glue work was credited in this window.\n");
    } else {
        let top = people
            .iter()
            .filter(|p| p.glue > 0)
            .max_by(|a, b| a.glue.cmp(&b.glue).then_with(|| b.name.cmp(&a.name)));
        let _ = writeln!(out, "{}\n", concentration_sentence(names, people, team));
        let _ = writeln!(
            out,
            "- **Gini coefficient:** {:.2}, {} (0 means evenly shared, 1 means one person does \
             it all).",
            team.gini,
            report::gini_reading(team.gini)
        );
        if let Some(top) = top {
            let _ = writeln!(
                out,
                "- **Top share:** {} carries {} of all glue.",
                names[top.id.as_str()],
                md::percent(team.top_share)
            );
        }
        let _ = writeln!(
            out,
            "- **People carrying half of the glue:** {} of {}.\n",
            team.people_for_half, team.people
        );
        let r = &team.regular;
        if r.people > 0 && r.people < team.people {
            let _ = writeln!(
                out,
                "Among the {} regular contributors (active in at least {} months of the window; \
                 `gluework check --max-gini` uses these): Gini {:.2}, {}; the top person carries \
                 {}; {} of them {} half of their glue.\n",
                r.people,
                r.min_months,
                r.gini,
                report::gini_reading(r.gini),
                md::percent(r.top_share),
                r.people_for_half,
                if r.people_for_half == 1 {
                    "carries"
                } else {
                    "carry"
                }
            );
        }
    }
}

/// Newcomers: the sentence, then a row each (up to the people limit).
fn newcomers_block(
    out: &mut String,
    level: usize,
    report: &Report,
    team: &Team,
    opts: &TeamReportOptions,
) {
    out.push_str(&heading(level, "Newcomers"));
    let _ = writeln!(out, "{}\n", newcomers_sentence(team));
    if !team.newcomers.is_empty() {
        let forges = Forges::of(report);
        let index = report::Names::of(report);
        let shown = match opts.people_limit {
            0 => team.newcomers.len(),
            n => n.min(team.newcomers.len()),
        };
        let rows: Vec<Vec<String>> = team.newcomers[..shown]
            .iter()
            .map(|n| {
                let helpers: Vec<String> = n
                    .helpers
                    .iter()
                    .map(|h| md::text_max(index.get(h), 60))
                    .collect();
                vec![
                    md::text_max(&n.name, 80),
                    md::text_max(&n.repo, 40),
                    forges.commit(&n.repo, &n.first_commit),
                    md::day(n.date),
                    if helpers.is_empty() {
                        "*nobody credited*".to_string()
                    } else {
                        helpers.join(", ")
                    },
                ]
            })
            .collect();
        out.push_str(&md::table(
            &[
                ("Newcomer", Align::Left),
                ("Repository", Align::Left),
                ("First commit", Align::Left),
                ("Date", Align::Left),
                ("Helped by", Align::Left),
            ],
            &rows,
        ));
        if shown < team.newcomers.len() {
            let _ = writeln!(
                out,
                "\n… and {} (every newcomer is in `gluework.json`).",
                md::count(
                    (team.newcomers.len() - shown) as u64,
                    "more newcomer",
                    "more newcomers"
                )
            );
        }
        out.push('\n');
    }
}

/// Onboarding pull requests (forge data): a row each, with who helped.
fn onboarding_block(out: &mut String, level: usize, report: &Report, team: &Team) {
    out.push_str(&heading(level + 1, "Onboarding pull requests"));
    let _ = writeln!(
        out,
        "Newcomers' first merged pull requests in this window, and who reviewed, commented \
         on or merged them (forge data).\n"
    );
    let forges = Forges::of(report);
    let index = report::Names::of(report);
    let rows: Vec<Vec<String>> = team
        .onboarding_prs
        .iter()
        .map(|o| {
            let helpers: Vec<String> = o
                .helpers
                .iter()
                .map(|h| md::text_max(index.get(h), 60))
                .collect();
            vec![
                md::pr_link(&forges, &o.repo, o.pr, Some(&o.url)),
                md::text_max(&o.author_name, 80),
                md::text_max(&o.repo, 40),
                md::day(o.merged),
                if helpers.is_empty() {
                    "*nobody*".to_string()
                } else {
                    helpers.join(", ")
                },
            ]
        })
        .collect();
    out.push_str(&md::table(
        &[
            ("Pull request", Align::Left),
            ("Newcomer", Align::Left),
            ("Repository", Align::Left),
            ("Merged", Align::Left),
            ("Helped by", Align::Left),
        ],
        &rows,
    ));
    out.push('\n');
}

/// The team report as Markdown.
pub fn team_report(report: &Report, opts: &TeamReportOptions) -> String {
    let forges = Forges::of(report);
    let mut out = String::new();
    let _ = writeln!(out, "# Glue work: team report\n");
    let _ = writeln!(
        out,
        "Who does the work that holds the team together — reviewing, documenting, fixing bugs \
         together, onboarding, supporting others, maintaining — and whether it is shared.\n"
    );
    let _ = writeln!(out, "- **Window:** {}", md::window(report));
    let repos = &report.repositories;
    const MAX_REPOS: usize = 10;
    let listed: Vec<String> = repos
        .iter()
        .take(MAX_REPOS)
        .map(|r| {
            format!(
                "{} ({})",
                forges.repo(&r.name),
                md::count(r.commits, "commit", "commits")
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "- **{}:** {}{}",
        if repos.len() == 1 {
            "Repository"
        } else {
            "Repositories"
        },
        if listed.is_empty() {
            "none".to_string()
        } else {
            listed.join(", ")
        },
        if repos.len() > MAX_REPOS {
            format!(" and {} more", repos.len() - MAX_REPOS)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "- **Made by:** {} {} (rules version {}) from git history",
        md::text(&report.tool.name),
        md::text(&report.tool.version),
        report.tool.rules_version
    );
    for r in repos.iter().filter(|r| r.shallow) {
        let _ = writeln!(
            out,
            "- **Note:** {} is a shallow clone: its history is cut, so counts are partial and \
             newcomers cannot be judged",
            md::text(&r.name)
        );
    }
    let warned = repos.iter().filter(|r| !r.warnings.is_empty()).count() as u64;
    if warned > 0 || !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "- **Warnings:** {} with warnings{}; see `warnings` in gluework.json",
            md::count(warned, "repository", "repositories"),
            if report.warnings.is_empty() {
                String::new()
            } else {
                format!(
                    ", and {}",
                    md::count(
                        report.warnings.len() as u64,
                        "report-wide warning",
                        "report-wide warnings"
                    )
                )
            }
        );
    }
    if report.likely_duplicates > 0 {
        let _ = writeln!(
            out,
            "- **Identities:** {} not joined; `gluework identities` lists them with a ready \
             `.mailmap` snippet",
            md::count(
                report.likely_duplicates,
                "likely duplicate identity",
                "likely duplicate identities"
            )
        );
    }
    out.push('\n');

    let people = report::team_people(report);
    let previous = opts
        .previous
        .map(|prev| (prev, &prev.team, report::team_people(prev)));
    team_blocks(
        &mut out,
        2,
        report,
        &report.team,
        &people,
        previous,
        opts,
        true,
    );

    for (name, team) in &report.teams {
        if name == "other" {
            let _ = writeln!(out, "## People in no team (`other`)\n");
        } else {
            let _ = writeln!(out, "## Team {}\n", md::text(name));
        }
        let members = report::team_members(report, name);
        let previous = opts.previous.and_then(|prev| {
            prev.teams
                .get(name)
                .map(|t| (prev, t, report::team_members(prev, name)))
        });
        team_blocks(&mut out, 3, report, team, &members, previous, opts, false);
    }

    let _ = writeln!(out, "## How to read this report\n");
    let _ = writeln!(
        out,
        "Counts are distinct commits credited to each person (see gluework's \
         docs/categories.md). *Glue share* is a person's glue ÷ (glue + code). The Gini \
         coefficient is 0 when everyone does the same amount of glue and 1 when one person does \
         it all. Work that leaves no trace in git is not counted, so every figure is a lower \
         bound. How each section is computed: docs/reports.md."
    );
    out
}
