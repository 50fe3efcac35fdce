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

    /// The whole area under the frame (which ends at `top`), empty but for `message`: a team
    /// chart with nothing to show.
    fn empty_below(&self, top: f64, message: &str) -> Drawn {
        let plot = Bounds {
            l: MARGIN,
            t: top + 20.0,
            r: self.w - MARGIN,
            b: self.h - 70.0,
        };
        self.empty(plot, message)
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
            self.tick_below(&label, x, plot.b)?;
        }
        self.axis_title_below(period_axis_title(series.kind), plot)
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

/// The chart's steps: the frame ([`carriers_subtitle`]), the rows' layout ([`Carriers::new`]),
/// the zebra stripes, the glue axis, the share columns' heads, then a row per person.
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
    let top = c.frame(&Frame {
        title: "Who carries the glue".to_string(),
        subtitle: carriers_subtitle(report, shown, ranking.len(), team.len(), team_glue)
            .iter()
            .map(|s| c.sub(s))
            .collect(),
        legend: category_legend(),
    })?;
    if shown.is_empty() {
        return c.empty_below(top, "No glue work in this window");
    }
    let rows = Carriers::new(c, shown, top);
    rows.zebra(c)?;
    let max = shown.iter().map(|p| p.glue).max().unwrap_or(0);
    let x = c.count_axis(rows.plot, max, "Glue work (commits credited)", false)?;
    rows.share_heads(c)?;
    for (i, p) in shown.iter().enumerate() {
        rows.person(c, x, i, p, team_glue)?;
    }
    Ok(())
}

/// The two subtitle lines: who is shown (of how many with glue, in a team of how many) and the
/// share of the team's glue they carry.
fn carriers_subtitle(
    report: &Report,
    shown: &[&Person],
    with_glue: usize,
    team: usize,
    team_glue: u64,
) -> [String; 2] {
    let team = team as u64;
    let shown_glue: u64 = shown.iter().map(|p| p.glue).sum();
    let first = if shown.len() < with_glue {
        format!(
            "Top {} of the {} people with glue work ({} in the team) · {}",
            shown.len(),
            thousands(with_glue as u64),
            thousands(team),
            window_text(report)
        )
    } else {
        format!(
            "All {} {} with glue work ({} in the team) · {}",
            shown.len(),
            people_word(shown.len()),
            thousands(team),
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
    [first, second]
}

/// Where the rows of "who carries the glue" go: the names on the left, the bars in `plot`, the
/// team share and own-work share columns on the right (right-aligned at `col1`, `col2`).
struct Carriers {
    names: Vec<String>,
    name_size: f64,
    plot: Bounds,
    col1: f64,
    col2: f64,
    /// A row's height, and a bar's.
    row: f64,
    bar: f64,
}

impl Carriers {
    fn new<DB: DrawingBackend>(c: &Canvas<DB>, shown: &[&Person], top: f64) -> Carriers
    where
        DB::ErrorType: 'static,
    {
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
        Carriers {
            names,
            name_size,
            plot,
            col1,
            col2,
            row,
            bar,
        }
    }

    /// Zebra rows help the eye across to the share columns.
    fn zebra<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        for i in (1..self.names.len()).step_by(2) {
            c.fill(
                Bounds {
                    l: MARGIN,
                    t: self.plot.t + self.row * i as f64,
                    r: c.w - MARGIN,
                    b: self.plot.t + self.row * (i + 1) as f64,
                },
                RGBColor(0xF5, 0xF5, 0xF5),
            )?;
        }
        Ok(())
    }

    fn share_heads<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        for (head, x) in [("Team share", self.col1), ("Own-work share", self.col2)] {
            c.text(
                head,
                x,
                self.plot.t - 8.0,
                TICK,
                MUTED,
                HPos::Right,
                VPos::Bottom,
            )?;
        }
        Ok(())
    }

    /// Row `i`: the name, the glue bar stacked by category with its count, and the two shares.
    fn person<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        x: Scale,
        i: usize,
        p: &Person,
        team_glue: u64,
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (plot, bar) = (self.plot, self.bar);
        let cy = plot.t + self.row * (i as f64 + 0.5);
        // The name and the shares: right-aligned at `x`, in the names' size.
        let right =
            |s: &str, x: f64| c.text(s, x, cy, self.name_size, INK, HPos::Right, VPos::Center);
        right(&self.names[i], plot.l - 10.0)?;
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
        right(&percent(share), self.col1)?;
        right(&percent(p.glue_share), self.col2)
    }
}

// ------------------------------------------------------------------------------------------------
// 4. Concentration

/// The chart's steps: the team's figures ([`Spread::of`]), the frame, the shaded band of the
/// people who carry half, the axes ([`lorenz_axes`]), the curve ([`Spread::curve`]) and the key
/// figures on the right ([`Spread::key_figures`]).
pub(crate) fn concentration<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report) -> Drawn
where
    DB::ErrorType: 'static,
{
    let s = Spread::of(&team_people(report));
    let band = RGBColor(0xE6, 0x9F, 0x00).mix(0.16);
    let top = c.frame(&Frame {
        title: "How concentrated is glue work?".to_string(),
        subtitle: vec![c.sub(&people_and_window(report, s.n)), c.sub(&s.summary())],
        legend: s.legend(band),
    })?;
    let side = (c.h - top - 90.0).min(540.0);
    let plot = Bounds {
        l: 120.0,
        t: top + 14.0,
        r: 120.0 + side,
        b: top + 14.0 + side,
    };
    if s.total == 0 {
        return c.empty_below(top, "No glue work in this window: nothing to compare");
    }
    let sx = Scale::new(0.0, 100.0, plot.l, plot.r);
    let sy = Scale::new(0.0, 100.0, plot.b, plot.t);
    // The people who carry half: the rightmost band.
    c.fill(
        Bounds {
            l: sx.at(s.x_half()),
            t: plot.t,
            r: plot.r,
            b: plot.b,
        },
        band,
    )?;
    lorenz_axes(c, plot, sx, sy)?;
    s.curve(c, plot, sx, sy)?;
    s.key_figures(c, plot)
}

/// How the team's glue is spread: what the concentration chart shows.
struct Spread<'a> {
    /// Each person's glue, least first.
    glues: Vec<u64>,
    n: usize,
    total: u64,
    gini: f64,
    /// How many people (the most first) carry half of all glue.
    half: usize,
    /// The person with the most glue (ties: the first name, then id).
    largest: Option<&'a Person>,
    top_share: f64,
}

impl<'a> Spread<'a> {
    fn of(team: &[&'a Person]) -> Spread<'a> {
        let mut glues: Vec<u64> = team.iter().map(|p| p.glue).collect();
        glues.sort_unstable();
        let total: u64 = glues.iter().sum();
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
        Spread {
            n: glues.len(),
            total,
            gini: model::gini(&glues),
            half: model::people_for_half(&glues) as usize,
            glues,
            largest,
            top_share,
        }
    }

    fn carry(&self) -> &'static str {
        if self.half == 1 {
            "carries"
        } else {
            "carry"
        }
    }

    /// Where the people who carry half begin on the x axis (0–100).
    fn x_half(&self) -> f64 {
        100.0 * (self.n - self.half) as f64 / self.n as f64
    }

    /// The second subtitle line: Gini, who carries half, the largest share.
    fn summary(&self) -> String {
        if self.total == 0 {
            return "No glue work in this window".to_string();
        }
        format!(
            "Gini {:.2} · {} of {} {} {} half of all glue · the largest single share is {}",
            self.gini,
            self.half,
            thousands(self.n as u64),
            people_word(self.n),
            self.carry(),
            percent(self.top_share)
        )
    }

    fn legend(&self, band: RGBAColor) -> Vec<(Swatch, String)> {
        if self.total == 0 {
            return Vec::new();
        }
        vec![
            (
                Swatch::Line(REVIEW),
                "Actual distribution (Lorenz curve)".to_string(),
            ),
            (Swatch::Dashed(MUTED), "Perfect balance".to_string()),
            (
                Swatch::Band(band, HALF_LINE),
                format!(
                    "The {} {} who {} half",
                    self.half,
                    people_word(self.half),
                    self.carry()
                ),
            ),
        ]
    }

    /// The Lorenz curve, the gap between it and perfect balance (the diagonal), and where the
    /// people who carry half begin.
    fn curve<DB: DrawingBackend>(&self, c: &Canvas<DB>, plot: Bounds, sx: Scale, sy: Scale) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (n, half) = (self.n, self.half);
        let mut acc = 0;
        let mut curve = vec![(sx.at(0.0), sy.at(0.0))];
        for (i, g) in self.glues.iter().enumerate() {
            acc += g;
            curve.push((
                sx.at(100.0 * (i + 1) as f64 / n as f64),
                sy.at(100.0 * acc as f64 / self.total as f64),
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
            let hx = sx.at(self.x_half());
            c.dashed((hx, plot.t), (hx, plot.b), HALF_LINE, 2, 6.0)?;
        }
        c.line(&curve, REVIEW, 3)?;
        if n <= 40 {
            for &(x, y) in &curve[1..] {
                c.dot(x, y, 4, REVIEW)?;
            }
        }
        Ok(())
    }

    /// The key figures, one under the other, right of the plot: the Gini coefficient, how many
    /// carry half, the largest share and who carries it, how many did any glue work.
    fn key_figures<DB: DrawingBackend>(&self, c: &Canvas<DB>, plot: Bounds) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (n, half) = (self.n, self.half);
        let mut at = KeyFigures {
            x: plot.r + 80.0,
            y: plot.t + 6.0,
        };
        let room = c.w - MARGIN - at.x;
        at.figure(
            c,
            format!("{:.2}", self.gini),
            vec![
                "Gini coefficient of glue work".to_string(),
                "0 = evenly shared, 1 = one person does it all".to_string(),
            ],
        )?;
        at.figure(
            c,
            format!("{half} of {}", thousands(n as u64)),
            vec![format!(
                "{} {} half of all glue work",
                people_word(half),
                self.carry()
            )],
        )?;
        if let Some(p) = self.largest {
            let lead = "the largest single share, carried by ";
            let name = c
                .mode
                .person_name(p, SUBTITLE, room - c.width(lead, SUBTITLE));
            at.figure(c, percent(self.top_share), vec![format!("{lead}{name}")])?;
        }
        let with_glue = self.glues.iter().filter(|&&g| g > 0).count();
        let note = if n == 1 {
            "A team of one: there is nobody to share with".to_string()
        } else {
            format!(
                "{} did any glue work in this window",
                people_word(with_glue)
            )
        };
        at.figure(
            c,
            format!("{} of {}", thousands(with_glue as u64), thousands(n as u64)),
            vec![note],
        )
    }
}

/// The next key figure's place: each is a big number with lines of text under it.
struct KeyFigures {
    x: f64,
    y: f64,
}

impl KeyFigures {
    fn figure<DB: DrawingBackend>(
        &mut self,
        c: &Canvas<DB>,
        big: String,
        lines: Vec<String>,
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        c.text(&big, self.x, self.y, 40.0, INK, HPos::Left, VPos::Top)?;
        self.y += 50.0;
        for l in lines {
            c.text(&l, self.x, self.y, SUBTITLE, MUTED, HPos::Left, VPos::Top)?;
            self.y += 21.0;
        }
        self.y += 22.0;
        Ok(())
    }
}

/// Both axes of the Lorenz plot, 0–100 % with grid lines every 20, and their titles.
fn lorenz_axes<DB: DrawingBackend>(c: &Canvas<DB>, plot: Bounds, sx: Scale, sy: Scale) -> Drawn
where
    DB::ErrorType: 'static,
{
    for v in (0..=100).step_by(20) {
        let v = f64::from(v);
        if v > 0.0 {
            c.line(&[(plot.l, sy.at(v)), (plot.r, sy.at(v))], GRID, 1)?;
            c.line(&[(sx.at(v), plot.t), (sx.at(v), plot.b)], GRID, 1)?;
        }
        let l = format!("{v:.0}%");
        c.tick_left(&l, plot.l, sy.at(v))?;
        c.tick_below(&l, sx.at(v), plot.b)?;
    }
    c.line(
        &[(plot.l, plot.t), (plot.l, plot.b), (plot.r, plot.b)],
        AXIS,
        1,
    )?;
    c.axis_title_below("People, from least to most glue (cumulative %)", plot)?;
    c.text_up(
        "Glue work (cumulative %)",
        plot.l - 66.0,
        (plot.t + plot.b) / 2.0,
        AXIS_TITLE,
        INK,
        HPos::Center,
    )
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
            c.sub(&people_and_window(report, n)),
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

/// The chart's steps: the frame ([`help_frame`]), the grid's layout ([`Heat::new`]), the axis
/// titles, a row of cells per helper ([`Heat::row`]), the cell borders, then the totals
/// ([`Heat::totals`]).
pub(crate) fn who_helps<DB: DrawingBackend>(c: &Canvas<DB>, report: &Report, top_n: usize) -> Drawn
where
    DB::ErrorType: 'static,
{
    let m = HelpMatrix::new(report, top_n);
    let top = help_frame(c, report, &m)?;
    if m.people.is_empty() {
        return c.empty_below(top, "No help between people was recorded in this window");
    }
    let heat = Heat::new(c, &m, top);
    heat.titles(c, top)?;
    let lmax = (m.max().max(1) as f64).ln();
    for r in 0..m.people.len() {
        heat.row(c, &m, r, lmax)?;
    }
    heat.borders(c)?;
    heat.totals(c, &m)
}

/// The title, the three subtitle lines (who is shown, what a cell counts, how many pairs) and
/// the legend; returns where the chart's body starts.
fn help_frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    report: &Report,
    m: &HelpMatrix,
) -> Result<f64, DrawError>
where
    DB::ErrorType: 'static,
{
    let n = m.people.len();
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
                Swatch::Ramp("1".to_string(), thousands(m.max().max(1))),
                "commits (log scale)".to_string(),
            ),
            (Swatch::Fill(SELF), "the person themselves".to_string()),
        ]
    };
    c.frame(&Frame {
        title: "Who helps whom".to_string(),
        subtitle: vec![
            c.sub(&first),
            c.sub("Each cell counts the commits where the row person helped the column person: reviews, onboarding, support, shared fixes"),
            c.sub(&third),
        ],
        legend,
    })
}

/// Where the heat map goes: square cells of `cell` pixels in `grid`, helpers' names left of
/// the rows, the helped people's names read upwards above the columns, the block of titles,
/// names, cells and totals centred across the chart.
struct Heat {
    n: usize,
    cell: f64,
    name_size: f64,
    row_names: Vec<String>,
    col_names: Vec<String>,
    /// The left edge of the block (where the rows' axis title goes).
    block_l: f64,
    grid: Bounds,
}

impl Heat {
    fn new<DB: DrawingBackend>(c: &Canvas<DB>, m: &HelpMatrix, top: f64) -> Heat
    where
        DB::ErrorType: 'static,
    {
        let n = m.people.len();
        let cell = heat_cell(n);
        let name_size = (cell * 0.75).clamp(10.0, 14.0);
        let row_names = labels(c, &m.people, name_size, 220.0);
        let col_names = labels(c, &m.people, name_size, 160.0);
        let widest = |names: &[String]| {
            names
                .iter()
                .map(|s| c.width(s, name_size))
                .fold(0.0, f64::max)
        };
        let row_w = widest(&row_names);
        let col_h = widest(&col_names);
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
        Heat {
            n,
            cell,
            name_size,
            row_names,
            col_names,
            block_l,
            grid,
        }
    }

    fn titles<DB: DrawingBackend>(&self, c: &Canvas<DB>, top: f64) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let grid = self.grid;
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
            self.block_l + 8.0,
            (grid.t + grid.b) / 2.0,
            AXIS_TITLE,
            INK,
            HPos::Center,
        )
    }

    /// Row `r`: the helper's name, the column's name above the grid, and the row's cells
    /// (shaded on a log scale up to `lmax`, the log of the largest count; counted when wide
    /// enough).
    fn row<DB: DrawingBackend>(&self, c: &Canvas<DB>, m: &HelpMatrix, r: usize, lmax: f64) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (grid, cell, name_size) = (self.grid, self.cell, self.name_size);
        let cy = grid.t + cell * (r as f64 + 0.5);
        c.text(
            &self.row_names[r],
            grid.l - 8.0,
            cy,
            name_size,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
        let cx = grid.l + cell * (r as f64 + 0.5);
        c.text_up(
            &self.col_names[r],
            cx,
            grid.t - 8.0,
            name_size,
            INK,
            HPos::Left,
        )?;
        for col in 0..self.n {
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
        Ok(())
    }

    /// Thin cell borders, then the frame.
    fn borders<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let grid = self.grid;
        for i in 1..self.n {
            let o = self.cell * i as f64;
            c.line(&[(grid.l, grid.t + o), (grid.r, grid.t + o)], GRID, 1)?;
            c.line(&[(grid.l + o, grid.t), (grid.l + o, grid.b)], GRID, 1)?;
        }
        c.outline(grid, AXIS, 1)
    }

    /// Totals: help given (right of each row) and received (under each column; read upwards
    /// when the columns are narrow).
    fn totals<DB: DrawingBackend>(&self, c: &Canvas<DB>, m: &HelpMatrix) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let (grid, cell) = (self.grid, self.cell);
        let tsize = self.name_size.min(13.0);
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
        for i in 0..self.n {
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
}

/// `12 people · 2024-01-01 to 2024-06-30`: a team chart's first subtitle line.
fn people_and_window(report: &Report, n: usize) -> String {
    format!(
        "{} {} · {}",
        thousands(n as u64),
        people_word(n),
        window_text(report)
    )
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
