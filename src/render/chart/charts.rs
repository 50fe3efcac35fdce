//! The six charts, each drawn on any plotters backend from the report alone.

use super::canvas::*;
use super::data::{glue_parts, glue_ranking, team_people, HelpMatrix, PeriodKind, Series};
use super::text::{self, percent, thousands};
use crate::category::Category;
use crate::model::{self, Person, Report};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::HashMap;

/// The charts gluework draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// A person's counts per category.
    Profile,
    /// A person's glue per period, stacked by category, with code as a line.
    Timeline,
    /// The top people by glue as stacked horizontal bars.
    WhoCarriesGlue,
    /// The Lorenz curve of glue across the team.
    Concentration,
    /// The team's glue per period by category, with glue's share of all work.
    Trend,
    /// Who helped whom, as a heat map.
    WhoHelpsWhom,
}

impl ChartKind {
    /// The file name stem: `who-carries-glue`, `profile` (people's files are `<slug>-profile`).
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::Profile => "profile",
            ChartKind::Timeline => "timeline",
            ChartKind::WhoCarriesGlue => "who-carries-glue",
            ChartKind::Concentration => "concentration",
            ChartKind::Trend => "trend",
            ChartKind::WhoHelpsWhom => "who-helps-whom",
        }
    }

    /// The size in pixels of the chart (SVG and PNG alike) when it shows `rows` people: only the
    /// two charts with a row per person grow.
    ///
    /// - who carries the glue: 1200 × max(700, 230 + 30 × rows)
    /// - who helps whom: cells of clamp(600 / rows, 14, 56) px; max(1200, 420 + rows × cell) ×
    ///   max(700, 450 + rows × cell)
    /// - every other chart: 1200 × 700
    pub fn size(self, rows: usize) -> (u32, u32) {
        let rows = rows as u32;
        match self {
            ChartKind::WhoCarriesGlue => (1200, (230 + 30 * rows).max(700)),
            ChartKind::WhoHelpsWhom => {
                let cell = heat_cell(rows as usize) as u32;
                ((420 + rows * cell).max(1200), (450 + rows * cell).max(700))
            }
            _ => (1200, 700),
        }
    }
}

fn heat_cell(n: usize) -> f64 {
    if n == 0 {
        return 56.0;
    }
    (600.0 / n as f64).floor().clamp(14.0, 56.0)
}

/// The window as a phrase: `2024-01-01 to 2024-06-30`, `since 2024-01-01`, or `all history
/// (2016-08 to 2024-11)` from the first and last activity in the report.
pub(crate) fn window_text(report: &Report) -> String {
    crate::render::window_phrase(report, crate::render::Span::Month)
}

/// The repositories a person has credits in: their names (up to three) or their count.
fn repos_text(report: &Report, p: &Person) -> String {
    let names: Vec<&str> = p.by_repo.iter().map(|r| r.repo.as_str()).collect();
    match names.len() {
        0 => match report.repositories.len() {
            1 => format!("Repository: {}", report.repositories[0].name),
            n => format!("{n} repositories"),
        },
        1 => format!("Repository: {}", names[0]),
        2 | 3 => format!("Repositories: {}", names.join(", ")),
        n => format!("{n} repositories"),
    }
}

fn period_axis_title(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "Month (YYYY-MM)",
        PeriodKind::Week => "ISO week (labelled YYYY-MM at the first week of each month)",
        PeriodKind::Quarter => "Quarter (YYYY-Qn)",
        PeriodKind::Year => "Year",
    }
}

fn title_with_name<DB: DrawingBackend>(c: &Canvas<DB>, prefix: &str, p: &Person) -> String
where
    DB::ErrorType: 'static,
{
    let room = c.w - 2.0 * MARGIN - c.width(prefix, TITLE);
    format!("{prefix}{}", c.mode.person_name(p, TITLE, room))
}

/// People's names for rows and columns, fitted; people who share a name get their email.
fn labels<DB: DrawingBackend>(
    c: &Canvas<DB>,
    people: &[&Person],
    size: f64,
    max: f64,
) -> Vec<String>
where
    DB::ErrorType: 'static,
{
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in people {
        *seen
            .entry(text::sanitize(&p.name).to_lowercase())
            .or_default() += 1;
    }
    people
        .iter()
        .map(|p| {
            let shared = seen[&text::sanitize(&p.name).to_lowercase()] > 1;
            c.mode.person_label(p, size, max, shared)
        })
        .collect()
}

fn category_legend() -> Vec<(Swatch, String)> {
    Category::GLUE
        .iter()
        .map(|&k| (Swatch::Fill(color(k)), label(k).to_string()))
        .collect()
}

impl<DB: DrawingBackend> Canvas<'_, DB>
where
    DB::ErrorType: 'static,
{
    fn sub(&self, s: &str) -> String {
        self.mode.fit(s, SUBTITLE, self.w - 2.0 * MARGIN)
    }

    /// Tick labels and the title under a period axis.
    fn period_axis(&self, plot: Bounds, series: &Series) -> Drawn {
        let lw = self.width("2024-00", TICK) + 22.0;
        let fits = (plot.w() / lw).floor() as usize;
        let slot = plot.w() / series.slots.len().max(1) as f64;
        for (i, label) in series.ticks(fits) {
            let x = plot.l + slot * (i as f64 + 0.5);
            let label = self.mode.fit(&label, TICK, lw - 8.0);
            self.line(&[(x, plot.b), (x, plot.b + 5.0)], AXIS, 1)?;
            self.text(
                &label,
                x,
                plot.b + 8.0,
                TICK,
                MUTED,
                HPos::Center,
                VPos::Top,
            )?;
        }
        self.text(
            period_axis_title(series.kind),
            (plot.l + plot.r) / 2.0,
            plot.b + 34.0,
            AXIS_TITLE,
            INK,
            HPos::Center,
            VPos::Top,
        )
    }

    /// Glue per slot stacked by category, in category order from the bottom.
    fn stacked_columns(&self, plot: Bounds, y: Scale, series: &Series) -> Drawn {
        let n = series.slots.len().max(1) as f64;
        let slot = plot.w() / n;
        let bw = if slot >= 4.0 {
            (slot * 0.72).min(90.0)
        } else {
            slot
        };
        for (i, counts) in series.counts.iter().enumerate() {
            let cx = plot.l + slot * (i as f64 + 0.5);
            let mut acc = 0;
            for (cat, v) in glue_parts(counts) {
                if v == 0 {
                    continue;
                }
                let y0 = y.at(acc as f64);
                acc += v;
                let y1 = y.at(acc as f64);
                let r = Bounds {
                    l: cx - bw / 2.0,
                    t: y1,
                    r: cx + bw / 2.0,
                    b: y0,
                };
                self.fill(r, color(cat))?;
                if acc > v && bw >= 6.0 && (y0 - y1) >= 3.0 {
                    self.line(&[(r.l, y0), (r.r, y0)], WHITE, 1)?;
                }
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------------
// 1. Glue profile

pub(crate) fn profile<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report, p: &Person) -> Drawn
where
    DB::ErrorType: 'static,
{
    let counts = &p.categories;
    let (glue, code, total) = (counts.glue(), counts.code, counts.total());
    let mut second = if total == 0 {
        "No credited work in this window".to_string()
    } else {
        format!(
            "Glue work: {} · code: {} · glue is {} of their credited work",
            thousands(glue),
            thousands(code),
            percent(glue as f64 / total as f64)
        )
    };
    if p.review_comments > 0 {
        second.push_str(&format!(
            " · {} review comment{} on {} pull request{}",
            thousands(p.review_comments),
            if p.review_comments == 1 { "" } else { "s" },
            thousands(p.review_comment_prs),
            if p.review_comment_prs == 1 { "" } else { "s" }
        ));
    }
    let top = c.frame(&Frame {
        title: title_with_name(c, "Glue profile: ", p),
        subtitle: vec![
            c.sub(&format!(
                "{} · {}",
                repos_text(report, p),
                window_text(report)
            )),
            c.sub(&second),
        ],
        legend: Vec::new(),
    })?;
    let plot = Bounds {
        l: 110.0,
        t: top + 30.0,
        r: c.w - MARGIN,
        b: c.h - 84.0,
    };
    if total == 0 {
        return c.empty(plot, "No credited work in this window");
    }
    let max = Category::ALL.iter().map(|&k| counts[k]).max().unwrap_or(0);
    let y = c.count_axis(plot, max, "Commits credited", true)?;
    let slot = plot.w() / 7.0;
    for (i, &k) in Category::ALL.iter().enumerate() {
        let cx = plot.l + slot * (i as f64 + 0.5);
        let v = counts[k];
        let bw = slot * 0.62;
        if v > 0 {
            c.fill(
                Bounds {
                    l: cx - bw / 2.0,
                    t: y.at(v as f64),
                    r: cx + bw / 2.0,
                    b: plot.b,
                },
                color(k),
            )?;
        }
        c.text(
            &thousands(v),
            cx,
            y.at(v as f64) - 6.0,
            15.0,
            INK,
            HPos::Center,
            VPos::Bottom,
        )?;
        c.text(
            label(k),
            cx,
            plot.b + 9.0,
            14.0,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    // Glue on the left, the code baseline on the right.
    let sx = plot.l + slot * 6.0;
    c.line(&[(sx, plot.t), (sx, plot.b + 50.0)], SEPARATOR, 1)?;
    let cap = plot.b + 36.0;
    c.text(
        "Glue work (six categories)",
        (plot.l + sx) / 2.0,
        cap,
        AXIS_TITLE,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    c.text(
        "Baseline",
        (sx + plot.r) / 2.0,
        cap,
        AXIS_TITLE,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    if glue == 0 {
        c.text(
            "No glue work credited in this window",
            (plot.l + sx) / 2.0,
            (plot.t + plot.b) / 2.0,
            17.0,
            MUTED,
            HPos::Center,
            VPos::Center,
        )?;
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// 2. Timeline

pub(crate) fn timeline<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report, p: &Person) -> Drawn
where
    DB::ErrorType: 'static,
{
    let series = Series::of_person(&report.window, p);
    let noun = series.kind.noun();
    let mut legend = category_legend();
    legend.push((Swatch::Line(CODE_LINE), "Code (for scale)".to_string()));
    let top = c.frame(&Frame {
        title: title_with_name(c, "Glue work over time: ", p),
        subtitle: vec![
            c.sub(&format!("{} · {}", repos_text(report, p), window_text(report))),
            c.sub(&format!(
                "Glue work per {noun} by category (stacked bars), with their code commits as a line for scale"
            )),
        ],
        legend,
    })?;
    let plot = Bounds {
        l: 110.0,
        t: top + 16.0,
        r: c.w - MARGIN,
        b: c.h - 70.0,
    };
    if series.slots.is_empty() {
        return c.empty(plot, "No credited work in this window");
    }
    let max = series
        .counts
        .iter()
        .map(|k| k.glue().max(k.code))
        .max()
        .unwrap_or(0);
    let y = c.count_axis(plot, max, &format!("Commits credited per {noun}"), true)?;
    c.stacked_columns(plot, y, &series)?;
    let slot = plot.w() / series.slots.len() as f64;
    let pts: Vec<(f64, f64)> = series
        .counts
        .iter()
        .enumerate()
        .map(|(i, k)| (plot.l + slot * (i as f64 + 0.5), y.at(k.code as f64)))
        .collect();
    c.line(&pts, WHITE, 5)?;
    c.line(&pts, CODE_LINE, 2)?;
    if pts.len() <= 60 {
        for &(x, yy) in &pts {
            c.dot(x, yy, 3, CODE_LINE)?;
        }
    }
    c.period_axis(plot, &series)?;
    if series.counts.iter().all(|k| k.glue() == 0) {
        c.text(
            "No glue work credited in this window",
            (plot.l + plot.r) / 2.0,
            plot.t + 24.0,
            17.0,
            MUTED,
            HPos::Center,
            VPos::Center,
        )?;
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// 3. Who carries the glue

pub(crate) fn who_carries<DB: DrawingBackend>(
    c: &Canvas<DB>,
    report: &Report,
    top_n: usize,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let team = team_people(report);
    let ranking = glue_ranking(report);
    let shown = &ranking[..ranking.len().min(top_n)];
    let team_glue: u64 = team.iter().map(|p| p.glue).sum();
    let shown_glue: u64 = shown.iter().map(|p| p.glue).sum();
    let first = if shown.len() < ranking.len() {
        format!(
            "Top {} of the {} people with glue work ({} in the team) · {}",
            shown.len(),
            thousands(ranking.len() as u64),
            thousands(team.len() as u64),
            window_text(report)
        )
    } else {
        format!(
            "All {} {} with glue work ({} in the team) · {}",
            shown.len(),
            people_word(shown.len()),
            thousands(team.len() as u64),
            window_text(report)
        )
    };
    let second = if team_glue == 0 {
        "No glue work in this window".to_string()
    } else {
        format!(
            "Together they carry {} of the team's {} glue credits · team share: their part of all glue · own-work share: glue as a part of their own credited work",
            percent(shown_glue as f64 / team_glue as f64),
            thousands(team_glue)
        )
    };
    let top = c.frame(&Frame {
        title: "Who carries the glue".to_string(),
        subtitle: vec![c.sub(&first), c.sub(&second)],
        legend: category_legend(),
    })?;
    if shown.is_empty() {
        let plot = Bounds {
            l: MARGIN,
            t: top + 20.0,
            r: c.w - MARGIN,
            b: c.h - 70.0,
        };
        return c.empty(plot, "No glue work in this window");
    }
    let n = shown.len();
    let probe_h = (c.h - 70.0 - top - 30.0) / n as f64;
    let name_size = if probe_h < 26.0 { 13.0 } else { 14.0 };
    let names = labels(c, shown, name_size, 260.0);
    let name_w = names
        .iter()
        .map(|s| c.width(s, name_size))
        .fold(0.0, f64::max);
    let col2 = c.w - MARGIN;
    let col1 = col2 - 120.0;
    let plot = Bounds {
        l: MARGIN + name_w + 14.0,
        t: top + 30.0,
        r: col1 - 140.0,
        b: c.h - 70.0,
    };
    let row = plot.h() / n as f64;
    let bar = (row * 0.7).min(34.0);
    // Zebra rows help the eye across to the share columns.
    for i in (1..n).step_by(2) {
        c.fill(
            Bounds {
                l: MARGIN,
                t: plot.t + row * i as f64,
                r: c.w - MARGIN,
                b: plot.t + row * (i + 1) as f64,
            },
            RGBColor(0xF5, 0xF5, 0xF5),
        )?;
    }
    let max = shown.iter().map(|p| p.glue).max().unwrap_or(0);
    let x = c.count_axis(plot, max, "Glue work (commits credited)", false)?;
    c.text(
        "Team share",
        col1,
        plot.t - 8.0,
        TICK,
        MUTED,
        HPos::Right,
        VPos::Bottom,
    )?;
    c.text(
        "Own-work share",
        col2,
        plot.t - 8.0,
        TICK,
        MUTED,
        HPos::Right,
        VPos::Bottom,
    )?;
    for (i, p) in shown.iter().enumerate() {
        let cy = plot.t + row * (i as f64 + 0.5);
        c.text(
            &names[i],
            plot.l - 10.0,
            cy,
            name_size,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
        let mut acc = 0;
        for (cat, v) in glue_parts(&p.categories) {
            if v == 0 {
                continue;
            }
            let x0 = x.at(acc as f64);
            acc += v;
            let x1 = x.at(acc as f64);
            c.fill(
                Bounds {
                    l: x0,
                    t: cy - bar / 2.0,
                    r: x1,
                    b: cy + bar / 2.0,
                },
                color(cat),
            )?;
            if acc > v && x1 - x0 >= 3.0 {
                c.line(&[(x0, cy - bar / 2.0), (x0, cy + bar / 2.0)], WHITE, 1)?;
            }
        }
        c.text(
            &thousands(p.glue),
            x.at(p.glue as f64) + 6.0,
            cy,
            TICK,
            INK,
            HPos::Left,
            VPos::Center,
        )?;
        let share = if team_glue == 0 {
            0.0
        } else {
            p.glue as f64 / team_glue as f64
        };
        c.text(
            &percent(share),
            col1,
            cy,
            name_size,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
        c.text(
            &percent(p.glue_share),
            col2,
            cy,
            name_size,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// 4. Concentration

pub(crate) fn concentration<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report) -> Drawn
where
    DB::ErrorType: 'static,
{
    let team = team_people(report);
    let mut glues: Vec<u64> = team.iter().map(|p| p.glue).collect();
    glues.sort_unstable();
    let n = glues.len();
    let total: u64 = glues.iter().sum();
    let gini = model::gini(&glues);
    let half = model::people_for_half(&glues) as usize;
    let largest = team.iter().copied().max_by(|a, b| {
        a.glue
            .cmp(&b.glue)
            .then_with(|| b.name.cmp(&a.name))
            .then_with(|| b.id.cmp(&a.id))
    });
    let top_share = match largest {
        Some(p) if total > 0 => p.glue as f64 / total as f64,
        _ => 0.0,
    };
    let people = people_word;
    let carry = if half == 1 { "carries" } else { "carry" };
    let second = if total == 0 {
        "No glue work in this window".to_string()
    } else {
        format!(
            "Gini {:.2} · {} of {} {} {carry} half of all glue · the largest single share is {}",
            gini,
            half,
            thousands(n as u64),
            people(n),
            percent(top_share)
        )
    };
    let band = RGBColor(0xE6, 0x9F, 0x00).mix(0.16);
    let legend = if total == 0 {
        Vec::new()
    } else {
        vec![
            (
                Swatch::Line(REVIEW),
                "Actual distribution (Lorenz curve)".to_string(),
            ),
            (Swatch::Dashed(MUTED), "Perfect balance".to_string()),
            (
                Swatch::Band(band, HALF_LINE),
                format!("The {half} {} who {carry} half", people(half)),
            ),
        ]
    };
    let top = c.frame(&Frame {
        title: "How concentrated is glue work?".to_string(),
        subtitle: vec![
            c.sub(&format!(
                "{} {} · {}",
                thousands(n as u64),
                people(n),
                window_text(report)
            )),
            c.sub(&second),
        ],
        legend,
    })?;
    let side = (c.h - top - 90.0).min(540.0);
    let plot = Bounds {
        l: 120.0,
        t: top + 14.0,
        r: 120.0 + side,
        b: top + 14.0 + side,
    };
    if total == 0 {
        let plot = Bounds {
            l: MARGIN,
            t: top + 20.0,
            r: c.w - MARGIN,
            b: c.h - 70.0,
        };
        return c.empty(plot, "No glue work in this window: nothing to compare");
    }
    let sx = Scale::new(0.0, 100.0, plot.l, plot.r);
    let sy = Scale::new(0.0, 100.0, plot.b, plot.t);
    // The people who carry half: the rightmost band.
    let x_half = 100.0 * (n - half) as f64 / n as f64;
    c.fill(
        Bounds {
            l: sx.at(x_half),
            t: plot.t,
            r: plot.r,
            b: plot.b,
        },
        band,
    )?;
    for v in (0..=100).step_by(20) {
        let v = f64::from(v);
        if v > 0.0 {
            c.line(&[(plot.l, sy.at(v)), (plot.r, sy.at(v))], GRID, 1)?;
            c.line(&[(sx.at(v), plot.t), (sx.at(v), plot.b)], GRID, 1)?;
        }
        let l = format!("{v:.0}%");
        c.text(
            &l,
            plot.l - 8.0,
            sy.at(v),
            TICK,
            MUTED,
            HPos::Right,
            VPos::Center,
        )?;
        c.text(
            &l,
            sx.at(v),
            plot.b + 8.0,
            TICK,
            MUTED,
            HPos::Center,
            VPos::Top,
        )?;
    }
    c.line(
        &[(plot.l, plot.t), (plot.l, plot.b), (plot.r, plot.b)],
        AXIS,
        1,
    )?;
    c.text(
        "People, from least to most glue (cumulative %)",
        (plot.l + plot.r) / 2.0,
        plot.b + 34.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    c.text_up(
        "Glue work (cumulative %)",
        plot.l - 66.0,
        (plot.t + plot.b) / 2.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
    )?;
    let mut acc = 0;
    let mut curve = vec![(sx.at(0.0), sy.at(0.0))];
    for (i, g) in glues.iter().enumerate() {
        acc += g;
        curve.push((
            sx.at(100.0 * (i + 1) as f64 / n as f64),
            sy.at(100.0 * acc as f64 / total as f64),
        ));
    }
    // The gap between balance and reality (twice its area is the Gini coefficient).
    let mut gap = vec![(sx.at(0.0), sy.at(0.0)), (sx.at(100.0), sy.at(100.0))];
    gap.extend(curve.iter().rev().copied());
    c.polygon(&gap, REVIEW.mix(0.10))?;
    c.dashed(
        (sx.at(0.0), sy.at(0.0)),
        (sx.at(100.0), sy.at(100.0)),
        MUTED,
        2,
        7.0,
    )?;
    if half > 0 && half < n {
        // Where the people who carry half begin.
        let hx = sx.at(x_half);
        c.dashed((hx, plot.t), (hx, plot.b), HALF_LINE, 2, 6.0)?;
    }
    c.line(&curve, REVIEW, 3)?;
    if n <= 40 {
        for &(x, y) in &curve[1..] {
            c.dot(x, y, 4, REVIEW)?;
        }
    }
    // Key figures on the right.
    let x = plot.r + 80.0;
    let mut y = plot.t + 6.0;
    let mut figure = |big: String, lines: Vec<String>| -> Drawn {
        c.text(&big, x, y, 40.0, INK, HPos::Left, VPos::Top)?;
        y += 50.0;
        for l in lines {
            c.text(&l, x, y, SUBTITLE, MUTED, HPos::Left, VPos::Top)?;
            y += 21.0;
        }
        y += 22.0;
        Ok(())
    };
    let room = c.w - MARGIN - x;
    figure(
        format!("{gini:.2}"),
        vec![
            "Gini coefficient of glue work".to_string(),
            "0 = evenly shared, 1 = one person does it all".to_string(),
        ],
    )?;
    figure(
        format!("{half} of {}", thousands(n as u64)),
        vec![format!("{} {carry} half of all glue work", people(half))],
    )?;
    if let Some(p) = largest {
        let lead = "the largest single share, carried by ";
        let name = c
            .mode
            .person_name(p, SUBTITLE, room - c.width(lead, SUBTITLE));
        figure(percent(top_share), vec![format!("{lead}{name}")])?;
    }
    let with_glue = glues.iter().filter(|&&g| g > 0).count();
    let note = if n == 1 {
        "A team of one: there is nobody to share with".to_string()
    } else {
        format!("{} did any glue work in this window", people(with_glue))
    };
    figure(
        format!("{} of {}", thousands(with_glue as u64), thousands(n as u64)),
        vec![note],
    )?;
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// 5. Trend

pub(crate) fn trend<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report) -> Drawn
where
    DB::ErrorType: 'static,
{
    let team = team_people(report);
    let series = Series::of_team(report);
    let noun = series.kind.noun();
    let mut legend = category_legend();
    legend.push((
        Swatch::Line(INK),
        "Glue share of all credited work (right axis)".to_string(),
    ));
    let n = team.len();
    let top = c.frame(&Frame {
        title: "Team glue work over time".to_string(),
        subtitle: vec![
            c.sub(&format!(
                "{} {} · {}",
                thousands(n as u64),
                people_word(n),
                window_text(report)
            )),
            c.sub(&format!(
                "Glue work per {noun} by category (stacked bars, left axis) and glue's share of all credited work: glue ÷ (glue + code) (line, right axis)"
            )),
        ],
        legend,
    })?;
    let plot = Bounds {
        l: 110.0,
        t: top + 16.0,
        r: c.w - 100.0,
        b: c.h - 70.0,
    };
    if series.slots.is_empty() {
        return c.empty(plot, "No commits in this window");
    }
    let max = series.counts.iter().map(|k| k.glue()).max().unwrap_or(0);
    let y = c.count_axis(
        plot,
        max,
        &format!("Glue work per {noun} (commits credited)"),
        true,
    )?;
    c.stacked_columns(plot, y, &series)?;
    // Right axis: 0–100 %.
    let share = Scale::new(0.0, 100.0, plot.b, plot.t);
    for v in (0..=100).step_by(20) {
        let yy = share.at(f64::from(v));
        c.line(&[(plot.r, yy), (plot.r + 5.0, yy)], AXIS, 1)?;
        c.text(
            &format!("{v}%"),
            plot.r + 9.0,
            yy,
            TICK,
            MUTED,
            HPos::Left,
            VPos::Center,
        )?;
    }
    c.line(&[(plot.r, plot.t), (plot.r, plot.b)], AXIS, 1)?;
    c.text_up(
        "Glue share of all work (%)",
        plot.r + 66.0,
        (plot.t + plot.b) / 2.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
    )?;
    // The share line, broken where a period has no work at all (its share is undefined).
    let slot = plot.w() / series.slots.len() as f64;
    let dots = series.slots.len() <= 60;
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, k) in series.counts.iter().enumerate() {
        let total = k.total();
        if total == 0 {
            runs.push(Vec::new());
            continue;
        }
        let pt = (
            plot.l + slot * (i as f64 + 0.5),
            share.at(100.0 * k.glue() as f64 / total as f64),
        );
        runs.last_mut().expect("never empty").push(pt);
    }
    for run in runs.iter().filter(|r| r.len() > 1) {
        c.line(run, WHITE, 5)?;
        c.line(run, INK, 2)?;
    }
    for run in &runs {
        if dots || run.len() == 1 {
            for &(x, yy) in run {
                c.dot(x, yy, 3, INK)?;
            }
        }
    }
    c.period_axis(plot, &series)?;
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// 6. Who helps whom

pub(crate) fn who_helps<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report, top_n: usize) -> Drawn
where
    DB::ErrorType: 'static,
{
    let m = HelpMatrix::new(report, top_n);
    let n = m.people.len();
    let max = m.max();
    let (any, both) = m.pairs();
    let first = if n < m.involved {
        format!(
            "The {n} people who gave or received the most help, of {} with any · {}",
            m.involved,
            window_text(report)
        )
    } else {
        format!(
            "All {n} {} who gave or received help · {}",
            people_word(n),
            window_text(report)
        )
    };
    let third = if n == 0 {
        String::new()
    } else {
        format!(
            "{any} {} of these people worked together; {both} helped each other both ways",
            if any == 1 { "pair" } else { "pairs" }
        )
    };
    let legend = if n == 0 {
        Vec::new()
    } else {
        vec![
            (
                Swatch::Ramp("1".to_string(), thousands(max.max(1))),
                "commits (log scale)".to_string(),
            ),
            (Swatch::Fill(SELF), "the person themselves".to_string()),
        ]
    };
    let top = c.frame(&Frame {
        title: "Who helps whom".to_string(),
        subtitle: vec![
            c.sub(&first),
            c.sub("Each cell counts the commits where the row person helped the column person: reviews, onboarding, support, shared fixes"),
            c.sub(&third),
        ],
        legend,
    })?;
    if n == 0 {
        let plot = Bounds {
            l: MARGIN,
            t: top + 20.0,
            r: c.w - MARGIN,
            b: c.h - 70.0,
        };
        return c.empty(plot, "No help between people was recorded in this window");
    }
    let cell = heat_cell(n);
    let name_size = (cell * 0.75).clamp(10.0, 14.0);
    let row_names = labels(c, &m.people, name_size, 220.0);
    let col_names = labels(c, &m.people, name_size, 160.0);
    let row_w = row_names
        .iter()
        .map(|s| c.width(s, name_size))
        .fold(0.0, f64::max);
    let col_h = col_names
        .iter()
        .map(|s| c.width(s, name_size))
        .fold(0.0, f64::max);
    // The block (axis title, names, cells, totals) is centred across the chart.
    let block = 34.0 + row_w + 10.0 + cell * n as f64 + 70.0;
    let block_l = ((c.w - block) / 2.0).max(MARGIN);
    let left = block_l + 34.0 + row_w + 10.0;
    let mt = top + 30.0 + col_h + 10.0;
    let grid = Bounds {
        l: left,
        t: mt,
        r: left + cell * n as f64,
        b: mt + cell * n as f64,
    };
    c.text(
        "People helped (columns)",
        (grid.l + grid.r) / 2.0,
        top + 4.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    c.text_up(
        "Helpers (rows)",
        block_l + 8.0,
        (grid.t + grid.b) / 2.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
    )?;
    let lmax = (max.max(1) as f64).ln();
    for r in 0..n {
        let cy = grid.t + cell * (r as f64 + 0.5);
        c.text(
            &row_names[r],
            grid.l - 8.0,
            cy,
            name_size,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
        let cx = grid.l + cell * (r as f64 + 0.5);
        c.text_up(&col_names[r], cx, grid.t - 8.0, name_size, INK, HPos::Left)?;
        for col in 0..n {
            let v = m.counts[r][col];
            let rect = Bounds {
                l: grid.l + cell * col as f64,
                t: grid.t + cell * r as f64,
                r: grid.l + cell * (col + 1) as f64,
                b: grid.t + cell * (r + 1) as f64,
            };
            let t = if lmax == 0.0 {
                0.6
            } else {
                0.12 + 0.88 * (v as f64).ln() / lmax
            };
            let fill = if r == col {
                SELF
            } else if v == 0 {
                WHITE
            } else {
                ramp(t)
            };
            c.fill(rect, fill)?;
            if v > 0 && cell >= 24.0 {
                let ink = if t > 0.5 { WHITE } else { INK };
                c.text(
                    &thousands(v),
                    (rect.l + rect.r) / 2.0,
                    (rect.t + rect.b) / 2.0,
                    (cell * 0.36).min(14.0),
                    ink,
                    HPos::Center,
                    VPos::Center,
                )?;
            }
        }
    }
    // Thin cell borders, then the frame.
    for i in 1..n {
        let o = cell * i as f64;
        c.line(&[(grid.l, grid.t + o), (grid.r, grid.t + o)], GRID, 1)?;
        c.line(&[(grid.l + o, grid.t), (grid.l + o, grid.b)], GRID, 1)?;
    }
    c.outline(grid, AXIS, 1)?;
    // Totals: help given (right of each row) and received (under each column).
    let tsize = name_size.min(13.0);
    c.text(
        "Gave",
        grid.r + 12.0,
        grid.t - 8.0,
        tsize,
        MUTED,
        HPos::Left,
        VPos::Bottom,
    )?;
    c.text(
        "Received",
        grid.l - 8.0,
        grid.b + cell / 2.0 + 2.0,
        tsize,
        MUTED,
        HPos::Right,
        VPos::Center,
    )?;
    for i in 0..n {
        let gave: u64 = m.counts[i].iter().sum();
        let got: u64 = m.counts.iter().map(|row| row[i]).sum();
        let cy = grid.t + cell * (i as f64 + 0.5);
        c.text(
            &thousands(gave),
            grid.r + 12.0,
            cy,
            tsize,
            MUTED,
            HPos::Left,
            VPos::Center,
        )?;
        let cx = grid.l + cell * (i as f64 + 0.5);
        let got = thousands(got);
        if cell >= 24.0 {
            c.text(
                &got,
                cx,
                grid.b + cell / 2.0 + 2.0,
                tsize,
                MUTED,
                HPos::Center,
                VPos::Center,
            )?;
        } else {
            // Narrow columns: the totals read upwards, hanging under the grid.
            let w = c.width(&got, tsize);
            c.text_up(&got, cx, grid.b + 8.0 + w, tsize, MUTED, HPos::Left)?;
        }
    }
    Ok(())
}

fn people_word(n: usize) -> &'static str {
    if n == 1 {
        "person"
    } else {
        "people"
    }
}

const SEPARATOR: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);

const HALF_LINE: RGBColor = RGBColor(0xB3, 0x7B, 0x00);

pub(crate) const SELF: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
