//! The team page, `DIR/index.html`: the team report, a people table that the page's script
//! sorts, filters and pages through (without scripts the whole table is shown), and a section
//! per person with their figures, summary, charts (for the people `--people`/`--person` select,
//! as the chart files) and newest evidence.

use super::md::{self, Convert};
use super::{escape_max, evidence_table, figure, newest_first, HtmlOptions};
use crate::category::Category;
use crate::model::{Person, Report};
use crate::render::chart;
use crate::render::markdown::{self as mdown, Forges};
use crate::render::packet::{category_title, summary_sentence_with};
use crate::render::team_report::{team_report, TeamReportOptions};
use crate::report::{self, Names};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// Rows the team report's other tables (newcomers, each configured team's people) show on the
/// page; the people table above them holds everyone.
const TABLE_ROWS: usize = 100;

/// The team page as one self-contained HTML document.
pub fn team_page(report: &Report, opts: &HtmlOptions) -> String {
    let markdown = team_report(
        report,
        &TeamReportOptions {
            charts: Some(("charts".to_string(), "svg".to_string())),
            previous: opts.previous,
            people_limit: TABLE_ROWS,
        },
    );
    let people = report::team_people(report);
    let slugs = chart::slugs(report);
    let mut replaced = false;
    let replace = |level: usize, title: &str| -> Option<String> {
        // The whole team's people (the first `## People`): the interactive table.
        (level == 2 && title == "People" && !std::mem::replace(&mut replaced, true))
            .then(|| people_table(report, &people, &slugs))
    };
    let replace = std::cell::RefCell::new(replace);
    let top = opts.top;
    let image = |target: &str, alt: &str| -> Option<String> {
        let stem = target.strip_prefix("charts/")?.strip_suffix(".svg")?;
        let svg = match stem {
            "who-carries-glue" => chart::who_carries_glue_svg(report, top),
            "concentration" => chart::concentration_svg(report),
            "trend" => chart::trend_svg(report),
            "who-helps-whom" => chart::who_helps_whom_svg(report, top),
            _ => return None,
        };
        Some(figure(&svg, alt))
    };
    let conv = Convert {
        image: &image,
        replace: &|level, title| (replace.borrow_mut())(level, title),
        open_details: false,
        sections: false,
        shift: 0,
    };
    let mut body = super::document(&markdown, &conv, &super::about(report));
    body.push_str(&person_sections(report, &people, &slugs, opts));
    super::page("Glue work: team report", &body, Some(super::SCRIPT), "team")
}

/// The people table: rank, person (linking to their section), teams, glue per category, glue,
/// code and glue share, with the team's row at the foot; and the controls the script shows.
/// Its steps: [`table_controls`], [`table_head`], a [`person_row`] per person, [`table_foot`],
/// then the pager and the bots left out ([`table_after`]).
fn people_table(report: &Report, people: &[&Person], slugs: &BTreeMap<String, String>) -> String {
    let mut out = String::from("<h2 id=\"all-people\">People</h2>\n");
    if people.is_empty() {
        out.push_str("<p>Nobody has commits or credits in this window.</p>\n");
        return out;
    }
    let teams: Vec<&String> = report.teams.keys().collect();
    let team_index: HashMap<&str, usize> = teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    table_controls(&mut out, &teams);
    table_head(&mut out, people.len(), !teams.is_empty());
    let mut same_name: HashMap<&str, usize> = HashMap::new();
    for p in people {
        *same_name.entry(p.name.as_str()).or_default() += 1;
    }
    for (i, p) in people.iter().enumerate() {
        let slug = slugs.get(&p.id).cloned().unwrap_or_else(|| chart::slug(p));
        let shared_name = same_name[p.name.as_str()] > 1;
        person_row(&mut out, i + 1, p, &slug, shared_name, &team_index);
    }
    table_foot(&mut out, report, !teams.is_empty());
    table_after(&mut out, report, people);
    out
}

/// The filters the page's script shows (hidden without scripts): a name, a team (when there
/// are teams), a category (its value is the category's column) and the count of rows shown.
fn table_controls(out: &mut String, teams: &[&String]) {
    // Columns: #, Person, [Teams], the glue categories, Glue, Code, Glue share.
    let first_cat = if teams.is_empty() { 2 } else { 3 };
    out.push_str("<div id=\"controls\" class=\"controls\" hidden>\n");
    out.push_str(
        "<label>Name <input id=\"f-name\" type=\"search\" autocomplete=\"off\" \
         spellcheck=\"false\"></label>\n",
    );
    if !teams.is_empty() {
        out.push_str("<label>Team <select id=\"f-team\"><option value=\"\">All teams</option>");
        for (i, t) in teams.iter().enumerate() {
            let _ = write!(out, "<option value=\"{i}\">{}</option>", escape_max(t, 60));
        }
        out.push_str("</select></label>\n");
    }
    out.push_str("<label>Category <select id=\"f-cat\"><option value=\"\">Any</option>");
    for (i, c) in Category::GLUE.iter().enumerate() {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            first_cat + i,
            category_title(*c)
        );
    }
    let _ = writeln!(
        out,
        "<option value=\"{}\">Code</option></select></label>",
        first_cat + Category::GLUE.len() + 1
    );
    out.push_str("<output id=\"count\" aria-live=\"polite\"></output>\n</div>\n");
}

/// The table's start: its caption and column heads, up to the body's first row.
fn table_head(out: &mut String, people: usize, has_teams: bool) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table id=\"people-table\" class=\"people\">\n<caption>{} by glue \
         work, most first. Each name leads to the person's section below.</caption>\n\
         <thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Person</th>",
        mdown::count(people as u64, "person", "people")
    );
    if has_teams {
        out.push_str("<th scope=\"col\">Teams</th>");
    }
    for c in Category::GLUE {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{}</th>",
            category_title(c)
        );
    }
    out.push_str(
        "<th scope=\"col\" class=\"num\">Glue</th><th scope=\"col\" class=\"num\">Code</th>\
         <th scope=\"col\" class=\"num\">Glue share</th></tr></thead>\n<tbody>\n",
    );
}

/// The row of the person ranked `rank`: their name linking to `#p-SLUG` (with their email
/// when another person shares the name), their teams (the script filters on `data-teams`,
/// the teams' indexes), the glue per category, glue, code and glue share.
fn person_row(
    out: &mut String,
    rank: usize,
    p: &Person,
    slug: &str,
    shared_name: bool,
    team_index: &HashMap<&str, usize>,
) {
    let has_teams = !team_index.is_empty();
    let idx: Vec<String> = p
        .teams
        .iter()
        .filter_map(|t| team_index.get(t.as_str()).map(|i| i.to_string()))
        .collect();
    let _ = write!(
        out,
        "<tr data-id=\"{}\"{}><td class=\"num\">{}</td><th scope=\"row\"><a href=\"#p-{slug}\">{}</a>{}</th>",
        escape_max(&p.id.to_lowercase(), 200),
        if has_teams {
            format!(" data-teams=\"{}\"", idx.join(" "))
        } else {
            String::new()
        },
        rank,
        display_name(p),
        if shared_name {
            format!(
                " <span class=\"muted\">({})</span>",
                escape_max(p.email.as_deref().unwrap_or(&p.id), 60)
            )
        } else {
            String::new()
        }
    );
    if has_teams {
        let names: Vec<String> = p.teams.iter().map(|t| escape_max(t, 40)).collect();
        let _ = write!(out, "<td>{}</td>", names.join(", "));
    }
    for c in Category::GLUE {
        let _ = write!(out, "<td class=\"num\">{}</td>", p.categories[c]);
    }
    let _ = writeln!(
        out,
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-v=\"{:.4}\">{}</td></tr>",
        p.glue,
        p.categories.code,
        p.glue_share,
        mdown::percent(p.glue_share)
    );
}

/// The team's row at the foot, and the table's end.
fn table_foot(out: &mut String, report: &Report, has_teams: bool) {
    let team = &report.team;
    let total = team.categories.total();
    let share = if total == 0 {
        0.0
    } else {
        team.glue as f64 / total as f64
    };
    let _ = write!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"{}\">Team</th>",
        if has_teams { 3 } else { 2 }
    );
    for c in Category::GLUE {
        let _ = write!(out, "<td class=\"num\">{}</td>", team.categories[c]);
    }
    let _ = writeln!(
        out,
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tfoot>\n\
         </table></div>",
        team.glue,
        team.categories.code,
        mdown::percent(share)
    );
}

/// Under the table: the pager the script shows, and how many bots the team figures leave out.
fn table_after(out: &mut String, report: &Report, people: &[&Person]) {
    out.push_str(
        "<nav id=\"pager\" class=\"pager\" aria-label=\"Pages of the people table\" hidden>\
         <button type=\"button\" id=\"prev\">Previous</button> <span id=\"page\"></span> \
         <button type=\"button\" id=\"next\">Next</button></nav>\n",
    );
    let counted: std::collections::HashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
    let bots = report
        .people
        .iter()
        .filter(|p| p.bot && !counted.contains(p.id.as_str()))
        .count();
    if bots > 0 {
        let _ = writeln!(
            out,
            "<p>{} left out of the team figures (<code>--include-bots</code> counts them).</p>",
            mdown::count(bots as u64, "bot is", "bots are")
        );
    }
}

/// A person's name for the page, escaped; a bot is marked.
fn display_name(p: &Person) -> String {
    let mut s = escape_max(&p.name, 80);
    if p.bot {
        s.push_str(" (bot)");
    }
    s
}

/// One section per person, in report order.
fn person_sections(
    report: &Report,
    people: &[&Person],
    slugs: &BTreeMap<String, String>,
    opts: &HtmlOptions,
) -> String {
    let forges = Forges::of(report);
    let index = Names::of(report);
    // The people the chart files are drawn for (one selection, `chart::select_people`); a
    // selection that finds nobody (an unknown `--person`, which stops `--out` before the page
    // is written) charts nobody here.
    let charted: HashSet<&str> = chart::select_people(report, &opts.person_charts)
        .map(|v| v.into_iter().map(|p| p.id.as_str()).collect())
        .unwrap_or_default();
    let with_charts: Vec<&Person> = people
        .iter()
        .copied()
        .filter(|p| charted.contains(p.id.as_str()))
        .collect();
    let mut out = String::from("<section class=\"everyone\" aria-labelledby=\"each-person\">\n");
    let _ = writeln!(
        out,
        "<h2 id=\"each-person\">Each person</h2>\n<p>Each person's figures, what their glue work \
         was, and their newest {} evidence items (open the fold to see them). {} \
         <code>gluework person WHO --out DIR</code> writes anyone's whole promotion packet, with \
         every item.</p>",
        super::SECTION_EVIDENCE,
        charts_sentence(people, &with_charts),
    );
    for p in people {
        let slug = slugs.get(&p.id).cloned().unwrap_or_else(|| chart::slug(p));
        let _ = writeln!(
            out,
            "<section class=\"person\" id=\"p-{slug}\" aria-labelledby=\"h-{slug}\">\n\
             <h3 id=\"h-{slug}\">{}</h3>",
            display_name(p)
        );
        let mut ids = Vec::new();
        if let Some(login) = &p.login {
            ids.push(escape_max(
                &format!("@{}", login.trim_start_matches('@')),
                80,
            ));
        }
        if let Some(email) = &p.email {
            ids.push(escape_max(email, 120));
        }
        if !p.teams.is_empty() {
            let t: Vec<String> = p.teams.iter().map(|t| escape_max(t, 40)).collect();
            ids.push(format!("teams: {}", t.join(", ")));
        }
        if !ids.is_empty() {
            let _ = writeln!(out, "<p class=\"muted\">{}</p>", ids.join(" · "));
        }
        let _ = writeln!(
            out,
            "<p>{} and {}; glue is {} of their credited work{}.</p>",
            mdown::count(p.glue, "glue credit", "glue credits"),
            mdown::count(p.categories.code, "code change", "code changes"),
            mdown::percent(p.glue_share),
            match (p.first_seen, p.last_seen) {
                (Some(f), Some(l)) => format!(
                    "; active {} to {}",
                    crate::date::utc_day(f),
                    crate::date::utc_day(l)
                ),
                _ => String::new(),
            }
        );
        let sentences: Vec<String> = Category::GLUE
            .iter()
            .filter_map(|&c| {
                summary_sentence_with(&index, p, c).map(|s| {
                    format!(
                        "<li><strong>{}:</strong> {}</li>",
                        category_title(c),
                        md::inline(&s)
                    )
                })
            })
            .collect();
        if !sentences.is_empty() {
            let _ = writeln!(out, "<ul>\n{}\n</ul>", sentences.join("\n"));
        }
        if charted.contains(p.id.as_str()) {
            out.push_str("<div class=\"charts\">\n");
            out.push_str(&figure(
                &chart::glue_profile_svg(report, p),
                &format!("Glue profile of {}", p.name),
            ));
            out.push_str(&figure(
                &chart::timeline_svg(report, p),
                &format!("Glue work over time: {}", p.name),
            ));
            out.push_str("</div>\n");
        }
        let items = newest_first(p.evidence.iter().filter(|e| e.category.is_glue()).collect());
        if !items.is_empty() {
            let shown = &items[..items.len().min(super::SECTION_EVIDENCE)];
            let what = if shown.len() == items.len() {
                mdown::count(items.len() as u64, "evidence item", "evidence items")
            } else {
                format!(
                    "the newest {} of {} evidence items",
                    shown.len(),
                    items.len()
                )
            };
            let _ = writeln!(
                out,
                "<details class=\"evidence\">\n<summary>Evidence: {what}</summary>"
            );
            out.push_str(&evidence_table(
                &forges,
                &index,
                shown,
                &format!("Glue work of {}, newest first", p.name),
            ));
            if shown.len() < items.len() {
                let _ = writeln!(
                    out,
                    "<p class=\"muted\">{} more in their packet: <code>gluework person {} \
                     --out DIR</code>.</p>",
                    items.len() - shown.len(),
                    escape_max(&p.id, 120)
                );
            }
            out.push_str("</details>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
    out
}

/// Whose charts the page shows, in a sentence: `people` have a section, `with_charts` (in the
/// same order) also their charts.
fn charts_sentence(people: &[&Person], with_charts: &[&Person]) -> String {
    let how = "(<code>--people N|all</code> or <code>--person WHO</code> chooses whose)";
    if with_charts.is_empty() {
        format!("No section shows charts {how}.")
    } else if with_charts.len() == people.len() {
        format!("Each section shows the person's two charts {how}.")
    } else if people.iter().zip(with_charts).all(|(a, b)| a.id == b.id) {
        format!(
            "The charts are shown for the first {} {how}.",
            mdown::count(with_charts.len() as u64, "person", "people")
        )
    } else {
        let names: Vec<String> = with_charts.iter().map(|p| display_name(p)).collect();
        format!("The charts are shown for {} only {how}.", names.join(", "))
    }
}
