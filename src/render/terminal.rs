//! The terminal summary: people ranked by glue, a column per category, team figures. Fits the
//! terminal's width by dropping the least important columns and shortening names; colour only
//! when asked for (the caller decides from the TTY and `NO_COLOR`).

use super::plain;
use crate::category::Category;
use crate::model::{Person, Report};
use console::Style;
use std::fmt::Write;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub struct TableOptions {
    /// Terminal width in columns.
    pub width: usize,
    pub colour: bool,
    /// Show bots as well as humans.
    pub include_bots: bool,
    /// At most this many people (0: all).
    pub limit: usize,
    /// Wrap the lines below the table to `width` (on a terminal; a pipe gets whole lines).
    pub wrap_prose: bool,
    /// Where every warning can be read (`all are in gluework.json`, or how to write it): the
    /// note on repositories with warnings ends with it.
    pub warnings_home: String,
}

/// Shortens `s` to at most `max` display columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

fn pad_right(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

struct Column {
    title: &'static str,
    /// Lower drops first when the terminal is narrow.
    priority: u8,
    cells: Vec<String>,
    total: String,
}

/// The styles of the summary; plain when colour is off.
struct Styles {
    bold: Style,
    dim: Style,
    glue: Style,
    warn: Style,
}

impl Styles {
    fn new(colour: bool) -> Styles {
        let style = |s: Style| s.force_styling(colour);
        Styles {
            bold: style(Style::new().bold()),
            dim: style(Style::new().dim()),
            glue: style(Style::new().green().bold()),
            warn: style(Style::new().yellow()),
        }
    }
}

pub fn render(report: &Report, opts: &TableOptions) -> String {
    let styles = Styles::new(opts.colour);
    let people: Vec<&Person> = report
        .people
        .iter()
        .filter(|p| opts.include_bots || !p.bot)
        .take(if opts.limit == 0 {
            usize::MAX
        } else {
            opts.limit
        })
        .collect();
    let mut out = String::new();
    let _ = writeln!(out, "{}", title_line(report, &styles));
    let _ = writeln!(out);
    if people.is_empty() {
        let _ = writeln!(out, "No commits in this window.");
    } else {
        table(&mut out, report, &people, opts, &styles);
    }
    // The lines below the table are wrapped to the terminal's width.
    let mut prose = String::new();
    team_lines(&mut prose, report, opts, &styles);
    if opts.wrap_prose {
        for line in prose.lines() {
            out.push_str(&wrap(line, opts.width));
            out.push('\n');
        }
    } else {
        out.push_str(&prose);
    }
    out
}

/// `Glue work in REPO · WINDOW`.
fn title_line(report: &Report, styles: &Styles) -> String {
    let window = match (report.window.since, report.window.until) {
        (None, None) => report
            .window
            .range
            .as_deref()
            .map_or_else(|| "all history".to_string(), super::plain),
        (s, u) => format!(
            "{} → {}",
            s.map_or("start".to_string(), crate::date::utc_day),
            u.map_or("now".to_string(), crate::date::utc_day)
        ),
    };
    let repos = match report.repositories.as_slice() {
        [one] => plain(&one.name),
        many => format!("{} repositories", many.len()),
    };
    format!(
        "{} {} · {}",
        styles.bold.apply_to("Glue work in"),
        styles.bold.apply_to(repos),
        window
    )
}

/// The table's columns: a glue category each, glue, code and glue's share, with the team's
/// totals.
fn columns(report: &Report, people: &[&Person]) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    let num = |v: u64| {
        if v == 0 {
            "·".to_string()
        } else {
            v.to_string()
        }
    };
    let priorities = [9, 6, 5, 7, 4, 3];
    for (c, pr) in Category::GLUE.into_iter().zip(priorities) {
        columns.push(Column {
            title: c.short(),
            priority: pr,
            cells: people.iter().map(|p| num(p.categories[c])).collect(),
            total: report.team.categories[c].to_string(),
        });
    }
    columns.push(Column {
        title: "glue",
        priority: 10,
        cells: people.iter().map(|p| p.glue.to_string()).collect(),
        total: report.team.glue.to_string(),
    });
    columns.push(Column {
        title: "code",
        priority: 8,
        cells: people
            .iter()
            .map(|p| num(p.categories[Category::Code]))
            .collect(),
        total: report.team.categories[Category::Code].to_string(),
    });
    columns.push(Column {
        title: "share",
        priority: 2,
        cells: people
            .iter()
            .map(|p| format!("{:.0}%", p.glue_share * 100.0))
            .collect(),
        total: {
            let t = report.team.categories.total();
            if t == 0 {
                "0%".into()
            } else {
                format!("{:.0}%", report.team.glue as f64 * 100.0 / t as f64)
            }
        },
    });
    columns
}

/// How the table fits the terminal: the columns kept and the width of each part.
struct Layout {
    keep: Vec<bool>,
    widths: Vec<usize>,
    rank_w: usize,
    name_w: usize,
}

impl Layout {
    /// Drops columns, least important first, until the table fits `width` (names keep at
    /// least 12 columns).
    fn fit(columns: &[Column], names: &[String], width: usize) -> Layout {
        let widths: Vec<usize> = columns
            .iter()
            .map(|c| {
                c.cells
                    .iter()
                    .map(|s| s.width())
                    .chain([c.title.width(), c.total.width()])
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let rank_w = names.len().to_string().len();
        let name_w = names
            .iter()
            .map(|n| n.width())
            .max()
            .unwrap_or(4)
            .clamp(4, 32);
        let mut keep: Vec<bool> = vec![true; columns.len()];
        let used = |keep: &[bool], name_w: usize| {
            rank_w
                + 2
                + name_w
                + keep
                    .iter()
                    .zip(&widths)
                    .filter(|(k, _)| **k)
                    .map(|(_, w)| w + 2)
                    .sum::<usize>()
        };
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| columns[i].priority);
        let mut name_w = name_w;
        for &i in &order {
            if used(&keep, name_w) <= width {
                break;
            }
            if used(&keep, 12.min(name_w)) <= width {
                name_w = width - used(&keep, 0);
                break;
            }
            if columns[i].priority >= 10 {
                break;
            }
            keep[i] = false;
        }
        let name_w = name_w.min(width.saturating_sub(used(&keep, 0))).max(4);
        Layout {
            keep,
            widths,
            rank_w,
            name_w,
        }
    }

    /// A line of the table: `first` in the rank column, `name`, then each kept column's cell.
    fn line<'c>(
        &self,
        columns: &'c [Column],
        first: &str,
        name: &str,
        cell: impl Fn(&'c Column) -> &'c str,
    ) -> String {
        let (rank_w, name_w) = (self.rank_w, self.name_w);
        let mut line = format!("{first:>rank_w$}  {}", pad_right(name, name_w));
        for (i, c) in columns.iter().enumerate() {
            if self.keep[i] {
                let _ = write!(line, "  {:>w$}", cell(c), w = self.widths[i]);
            }
        }
        line
    }
}

/// The table: a header, a row a person (glue in colour, zeros and bots dim), the team's
/// totals, and how many people the limit left out.
fn table(
    out: &mut String,
    report: &Report,
    people: &[&Person],
    opts: &TableOptions,
    styles: &Styles,
) {
    let columns = columns(report, people);
    let names: Vec<String> = people
        .iter()
        .map(|p| {
            let mut n = plain(&p.name);
            if p.bot {
                n.push_str(" [bot]");
            }
            n
        })
        .collect();
    let layout = Layout::fit(&columns, &names, opts.width);
    let (rank_w, name_w) = (layout.rank_w, layout.name_w);
    let header = layout.line(&columns, "#", "person", |c| c.title);
    let _ = writeln!(out, "{}", styles.bold.apply_to(header.trim_end()));
    for (row, p) in people.iter().enumerate() {
        let mut line = format!(
            "{:>rank_w$}  {}",
            row + 1,
            pad_right(&fit(&names[row], name_w), name_w)
        );
        for (i, c) in columns.iter().enumerate() {
            if !layout.keep[i] {
                continue;
            }
            let cell = format!("{:>w$}", c.cells[row], w = layout.widths[i]);
            let _ = write!(line, "  ");
            if c.title == "glue" {
                let _ = write!(line, "{}", styles.glue.apply_to(cell));
            } else if c.cells[row] == "·" || (p.bot && c.title != "glue") {
                let _ = write!(line, "{}", styles.dim.apply_to(cell));
            } else {
                line.push_str(&cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let total = layout.line(&columns, "", "team", |c| &c.total);
    let _ = writeln!(out, "{}", styles.bold.apply_to(total.trim_end()));
    let hidden = report
        .people
        .iter()
        .filter(|p| opts.include_bots || !p.bot)
        .count()
        - people.len();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "{}",
            styles.dim.apply_to(format!("… and {hidden} more people"))
        );
    }
}

/// The team's figures under the table, then notes: squash-merge eras, newcomers, likely
/// duplicate identities, repositories with warnings.
fn team_lines(out: &mut String, report: &Report, opts: &TableOptions, styles: &Styles) {
    let t = &report.team;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} people · {} commits · glue {} · Gini {:.2} · top person {:.0}% · half the glue by {} {}",
        t.people,
        t.commits,
        t.glue,
        t.gini,
        t.top_share * 100.0,
        t.people_for_half,
        if t.people_for_half == 1 { "person" } else { "people" }
    );
    if t.regular.people > 0 && t.regular.people < t.people {
        let r = &t.regular;
        let _ = writeln!(
            out,
            "regular contributors (active in {}+ months): {} people · Gini {:.2} · top person {:.0}% · half the glue by {} {}",
            r.min_months,
            r.people,
            r.gini,
            r.top_share * 100.0,
            r.people_for_half,
            if r.people_for_half == 1 { "person" } else { "people" }
        );
    }
    for r in &report.repositories {
        if let Some(era) = &r.squash_era {
            let _ = writeln!(
                out,
                "{}: since {} mostly squash merges made in the forge's web UI ({} of {} commits): review coverage not in git; run `gluework fetch` then `gluework scan --forge`",
                plain(&r.name),
                plain(&crate::date::day_text(era.since)),
                era.squash_merges,
                era.commits
            );
        }
    }
    if !t.newcomers.is_empty() {
        let helped = t.newcomers.iter().filter(|n| !n.helpers.is_empty()).count();
        let _ = writeln!(
            out,
            "{} newcomers, {} of them helped by someone",
            t.newcomers.len(),
            helped
        );
    }
    if report.likely_duplicates > 0 {
        let _ = writeln!(
            out,
            "{} {} likely duplicate {} not joined; `gluework identities` lists them",
            styles.warn.apply_to("note:"),
            report.likely_duplicates,
            if report.likely_duplicates == 1 {
                "identity"
            } else {
                "identities"
            }
        );
    }
    let warned: Vec<&str> = report
        .repositories
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .map(|r| r.name.as_str())
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(
            out,
            "{} {} with warnings ({}); {}",
            styles.warn.apply_to("note:"),
            if warned.len() == 1 {
                "1 repository".to_string()
            } else {
                format!("{} repositories", warned.len())
            },
            plain(&fit(&warned.join(", "), 60)),
            opts.warnings_home
        );
    }
}

/// `line` broken at spaces into lines of at most `width` columns (colour codes take none), the
/// continuation lines indented by two; a word longer than a line stays whole.
fn wrap(line: &str, width: usize) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for word in line.split(' ') {
        let w = console::measure_text_width(word);
        if col > 0 && col + 1 + w > width {
            out.push_str("\n  ");
            col = 2;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_spaces_to_the_width() {
        let line = "regular contributors (active in 3+ months): 6 people · Gini 0.28";
        assert_eq!(wrap(line, 200), line);
        let wrapped = wrap(line, 30);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 30),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  ")));
        // Colour codes take no columns.
        let coloured = format!(
            "{} {}",
            console::style("note:").yellow().force_styling(true),
            "x".repeat(20)
        );
        assert_eq!(wrap(&coloured, 26), coloured);
    }

    #[test]
    fn fit_shortens_by_display_width() {
        assert_eq!(fit("Ada", 10), "Ada");
        assert_eq!(fit("Adaline Lovelace", 8), "Adaline…");
        assert_eq!(fit("山田太郎さん", 7), "山田太…");
    }
}
