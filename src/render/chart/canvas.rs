//! A thin drawing layer over a plotters backend: pixel coordinates, text with anchors, the
//! frame every chart shares (title, subtitle, legend), axes with integer ticks, and the palette.

use super::text::{self, Mode, FAMILY};
use crate::category::Category;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// A drawing failure: plotters' `DrawingAreaErrorKind` (generic over the backend), boxed.
pub type DrawError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type Drawn = Result<(), DrawError>;

// Okabe–Ito, with the neighbours in a stack always far apart; code is a neutral grey.
pub(crate) const REVIEW: RGBColor = RGBColor(0x00, 0x72, 0xB2); // blue
pub(crate) const DOCS: RGBColor = RGBColor(0xE6, 0x9F, 0x00); // orange
pub(crate) const FIX: RGBColor = RGBColor(0xCC, 0x79, 0xA7); // reddish purple
pub(crate) const ONBOARDING: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green
pub(crate) const SUPPORT: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // vermillion
pub(crate) const MAINTENANCE: RGBColor = RGBColor(0x56, 0xB4, 0xE9); // sky blue
pub(crate) const CODE: RGBColor = RGBColor(0xB4, 0xB4, 0xB4); // neutral grey
pub(crate) const INK: RGBColor = RGBColor(0x1F, 0x1F, 0x1F);
pub(crate) const MUTED: RGBColor = RGBColor(0x5A, 0x5A, 0x5A);
pub(crate) const GRID: RGBColor = RGBColor(0xE6, 0xE6, 0xE6);
pub(crate) const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(crate) const CODE_LINE: RGBColor = RGBColor(0x4D, 0x4D, 0x4D);

/// The colour of a category, the same on every chart.
pub(crate) fn color(c: Category) -> RGBColor {
    match c {
        Category::Review => REVIEW,
        Category::Docs => DOCS,
        Category::CoAuthoredFix => FIX,
        Category::Onboarding => ONBOARDING,
        Category::Support => SUPPORT,
        Category::Maintenance => MAINTENANCE,
        Category::Code => CODE,
    }
}

/// The name of a category on charts.
pub(crate) fn label(c: Category) -> &'static str {
    match c {
        Category::Review => "Review",
        Category::Docs => "Docs",
        Category::CoAuthoredFix => "Co-authored fix",
        Category::Onboarding => "Onboarding",
        Category::Support => "Support",
        Category::Maintenance => "Maintenance",
        Category::Code => "Code",
    }
}

pub(crate) const MARGIN: f64 = 40.0;
pub(crate) const TITLE: f64 = 26.0;
pub(crate) const SUBTITLE: f64 = 15.0;
pub(crate) const LEGEND: f64 = 14.0;
pub(crate) const TICK: f64 = 13.0;
pub(crate) const AXIS_TITLE: f64 = 14.0;

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub l: f64,
    pub t: f64,
    pub r: f64,
    pub b: f64,
}

impl Bounds {
    pub(crate) fn w(&self) -> f64 {
        self.r - self.l
    }
    pub(crate) fn h(&self) -> f64 {
        self.b - self.t
    }
}

/// What a legend entry shows.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    Fill(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    /// A shaded band with a dashed edge on its left.
    Band(RGBAColor, RGBColor),
    /// A colour ramp: (low, high) labels drawn at its ends.
    Ramp(String, String),
}

pub(crate) struct Frame {
    /// Visual text (already through [`Mode`]).
    pub title: String,
    pub subtitle: Vec<String>,
    pub legend: Vec<(Swatch, String)>,
}

pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub mode: Mode,
    pub w: f64,
    pub h: f64,
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB>
where
    DB::ErrorType: 'static,
{
    pub(crate) fn new(area: &'a DrawingArea<DB, Shift>, mode: Mode) -> Self {
        let (w, h) = area.dim_in_pixel();
        Canvas {
            area,
            mode,
            w: f64::from(w),
            h: f64::from(h),
        }
    }

    fn style(size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
        FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal)
            .color(&color)
            .pos(Pos::new(h, v))
    }

    /// Draws visual text (from [`Mode::fit`], [`Mode::text`] or a static ASCII string).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) -> Drawn {
        if s.is_empty() {
            return Ok(());
        }
        if self.mode == Mode::Svg {
            self.area.draw(&Text::new(
                s.to_string(),
                (px(x), px(y)),
                Self::style(size, color, h, v),
            ))?;
            return Ok(());
        }
        let style = Self::style(size, color, HPos::Left, v);
        self.glyph_by_glyph(s, size, h, &style, |start, gx| {
            (px(x + start) + px(gx), px(y))
        })
    }

    /// PNG text: plotters' glyph drawing drops each glyph's side bearing, so the glyphs are
    /// placed one by one where the font's metrics put them. `at(start, gx)` is where the glyph
    /// `gx` pixels into the text goes, the text starting `start` pixels from its anchor (0, or
    /// minus half or all of its width, as `h` aligns it).
    fn glyph_by_glyph(
        &self,
        s: &str,
        size: f64,
        h: HPos,
        style: &TextStyle<'_>,
        at: impl Fn(f64, f64) -> (i32, i32),
    ) -> Drawn {
        let (glyphs, width) = text::layout(s, size);
        let start = match h {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        for (c, gx) in glyphs {
            if c.is_whitespace() {
                continue;
            }
            self.area
                .draw(&Text::new(c.to_string(), at(start, gx), style.clone()))?;
        }
        Ok(())
    }

    /// A tick's label under a horizontal axis at `axis`, centred on `x`.
    pub(crate) fn tick_below(&self, label: &str, x: f64, axis: f64) -> Drawn {
        self.text(label, x, axis + 8.0, TICK, MUTED, HPos::Center, VPos::Top)
    }

    /// A tick's label left of a vertical axis at `axis`, centred on `y`.
    pub(crate) fn tick_left(&self, label: &str, axis: f64, y: f64) -> Drawn {
        self.text(label, axis - 8.0, y, TICK, MUTED, HPos::Right, VPos::Center)
    }

    /// An axis's title under the tick labels of a plot's bottom axis, centred.
    pub(crate) fn axis_title_below(&self, title: &str, plot: Bounds) -> Drawn {
        self.text(
            title,
            (plot.l + plot.r) / 2.0,
            plot.b + 34.0,
            AXIS_TITLE,
            INK,
            HPos::Center,
            VPos::Top,
        )
    }

    /// Text reading upwards, its left end at (x, y) for `HPos::Left` (the right for `Right`).
    pub(crate) fn text_up(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        color: RGBColor,
        h: HPos,
    ) -> Drawn {
        if s.is_empty() {
            return Ok(());
        }
        let font = FontDesc::new(FontFamily::Name(FAMILY), size, FontStyle::Normal)
            .transform(FontTransform::Rotate270);
        if self.mode == Mode::Svg {
            let style = TextStyle::from(font)
                .color(&color)
                .pos(Pos::new(h, VPos::Center));
            self.area
                .draw(&Text::new(s.to_string(), (px(x), px(y)), style))?;
            return Ok(());
        }
        let style = TextStyle::from(font)
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Center));
        self.glyph_by_glyph(s, size, h, &style, |start, gx| {
            (px(x), px(y) - px(start) - px(gx))
        })
    }

    pub(crate) fn fill(&self, r: Bounds, color: impl Into<ShapeStyle>) -> Drawn {
        let style: ShapeStyle = color.into();
        let style = style.filled();
        self.area.draw(&Rectangle::new(
            [(px(r.l), px(r.t)), (px(r.r), px(r.b))],
            style,
        ))?;
        Ok(())
    }

    pub(crate) fn outline(&self, r: Bounds, color: RGBColor, width: u32) -> Drawn {
        self.area.draw(&Rectangle::new(
            [(px(r.l), px(r.t)), (px(r.r), px(r.b))],
            color.stroke_width(width),
        ))?;
        Ok(())
    }

    pub(crate) fn line(
        &self,
        pts: &[(f64, f64)],
        color: impl Into<ShapeStyle>,
        width: u32,
    ) -> Drawn {
        let style: ShapeStyle = color.into();
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area
            .draw(&PathElement::new(pts, style.stroke_width(width)))?;
        Ok(())
    }

    /// A dashed straight line.
    pub(crate) fn dashed(
        &self,
        a: (f64, f64),
        b: (f64, f64),
        color: RGBColor,
        width: u32,
        dash: f64,
    ) -> Drawn {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len == 0.0 {
            return Ok(());
        }
        let (dx, dy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            self.line(
                &[(a.0 + dx * t, a.1 + dy * t), (a.0 + dx * e, a.1 + dy * e)],
                color,
                width,
            )?;
            t += dash * 1.8;
        }
        Ok(())
    }

    pub(crate) fn polygon(&self, pts: &[(f64, f64)], color: impl Into<ShapeStyle>) -> Drawn {
        let style: ShapeStyle = color.into();
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area.draw(&Polygon::new(pts, style.filled()))?;
        Ok(())
    }

    pub(crate) fn dot(&self, x: f64, y: f64, r: u32, color: RGBColor) -> Drawn {
        self.area
            .draw(&Circle::new((px(x), px(y)), r, color.filled()))?;
        Ok(())
    }

    pub(crate) fn width(&self, visual: &str, size: f64) -> f64 {
        self.mode.width(visual, size)
    }

    /// Title, subtitle lines and a legend row (wrapped as needed) at the top; returns where the
    /// content below may start.
    pub(crate) fn frame(&self, f: &Frame) -> Result<f64, DrawError> {
        self.area.fill(&WHITE)?;
        let mut y = 22.0;
        self.text(&f.title, MARGIN, y, TITLE, INK, HPos::Left, VPos::Top)?;
        y += 40.0;
        for s in &f.subtitle {
            self.text(s, MARGIN, y, SUBTITLE, MUTED, HPos::Left, VPos::Top)?;
            y += 22.0;
        }
        if !f.legend.is_empty() {
            y += 10.0;
            let mut x = MARGIN;
            let row = 24.0;
            for (sw, label) in &f.legend {
                let sw_w = match sw {
                    Swatch::Ramp(..) => 150.0,
                    Swatch::Line(_) | Swatch::Dashed(_) => 28.0,
                    _ => 14.0,
                };
                let extra = match sw {
                    Swatch::Ramp(lo, hi) => {
                        self.width(lo, LEGEND - 1.0) + self.width(hi, LEGEND - 1.0) + 12.0
                    }
                    _ => 0.0,
                };
                let item = sw_w + extra + 7.0 + self.width(label, LEGEND) + 22.0;
                if x > MARGIN && x + item - 22.0 > self.w - MARGIN {
                    x = MARGIN;
                    y += row;
                }
                let cy = y + 8.0;
                match sw {
                    Swatch::Fill(c) => self.fill(
                        Bounds {
                            l: x,
                            t: cy - 7.0,
                            r: x + 14.0,
                            b: cy + 7.0,
                        },
                        *c,
                    )?,
                    Swatch::Band(c, edge) => {
                        let r = Bounds {
                            l: x,
                            t: cy - 8.0,
                            r: x + 14.0,
                            b: cy + 8.0,
                        };
                        self.fill(r, *c)?;
                        self.dashed((x + 1.0, r.t), (x + 1.0, r.b), *edge, 2, 4.0)?;
                    }
                    Swatch::Line(c) => {
                        self.line(&[(x, cy), (x + 28.0, cy)], *c, 3)?;
                        self.dot(x + 14.0, cy, 4, *c)?;
                    }
                    Swatch::Dashed(c) => self.dashed((x, cy), (x + 28.0, cy), *c, 2, 5.0)?,
                    Swatch::Ramp(lo, hi) => {
                        let lw = self.width(lo, LEGEND - 1.0);
                        self.text(lo, x, cy, LEGEND - 1.0, MUTED, HPos::Left, VPos::Center)?;
                        let rx = x + lw + 6.0;
                        let steps = 30;
                        for i in 0..steps {
                            let t = (f64::from(i) + 0.5) / f64::from(steps);
                            let seg = 150.0 / f64::from(steps);
                            self.fill(
                                Bounds {
                                    l: rx + seg * f64::from(i),
                                    t: cy - 7.0,
                                    r: rx + seg * f64::from(i + 1),
                                    b: cy + 7.0,
                                },
                                ramp(t),
                            )?;
                        }
                        self.text(
                            hi,
                            rx + 156.0,
                            cy,
                            LEGEND - 1.0,
                            MUTED,
                            HPos::Left,
                            VPos::Center,
                        )?;
                    }
                }
                self.text(
                    label,
                    x + sw_w + extra + 7.0,
                    cy,
                    LEGEND,
                    INK,
                    HPos::Left,
                    VPos::Center,
                )?;
                x += item;
            }
            y += row;
        }
        Ok(y + 6.0)
    }

    /// A chart with nothing to show: the frame, an empty plot box and a sentence in it.
    pub(crate) fn empty(&self, plot: Bounds, message: &str) -> Drawn {
        self.outline(plot, GRID, 1)?;
        self.text(
            message,
            (plot.l + plot.r) / 2.0,
            (plot.t + plot.b) / 2.0,
            18.0,
            MUTED,
            HPos::Center,
            VPos::Center,
        )
    }

    /// A count axis on the left of `plot` (horizontal grid lines, integer ticks) or along its
    /// bottom (vertical grid lines); returns the scale.
    pub(crate) fn count_axis(
        &self,
        plot: Bounds,
        max: u64,
        title: &str,
        vertical: bool,
    ) -> Result<Scale, DrawError> {
        let along = if vertical { plot.h() } else { plot.w() };
        let target = (along / if vertical { 50.0 } else { 80.0 }).clamp(2.0, 10.0) as u64;
        let (step, top) = nice(max, target);
        let scale = if vertical {
            Scale::new(0.0, top as f64, plot.b, plot.t)
        } else {
            Scale::new(0.0, top as f64, plot.l, plot.r)
        };
        let mut v = 0;
        while v <= top {
            let p = scale.at(v as f64);
            let label = text::thousands(v);
            if vertical {
                if v > 0 {
                    self.line(&[(plot.l, p), (plot.r, p)], GRID, 1)?;
                }
                self.tick_left(&label, plot.l, p)?;
            } else {
                if v > 0 {
                    self.line(&[(p, plot.t), (p, plot.b)], GRID, 1)?;
                }
                self.tick_below(&label, p, plot.b)?;
            }
            v += step;
        }
        if vertical {
            self.line(&[(plot.l, plot.b), (plot.r, plot.b)], AXIS, 1)?;
            let lw = (1..=top / step)
                .map(|k| self.width(&text::thousands(k * step), TICK))
                .fold(0.0, f64::max);
            self.text_up(
                title,
                plot.l - lw - 24.0,
                (plot.t + plot.b) / 2.0,
                AXIS_TITLE,
                INK,
                HPos::Center,
            )?;
        } else {
            self.line(&[(plot.l, plot.t), (plot.l, plot.b)], AXIS, 1)?;
            self.axis_title_below(title, plot)?;
        }
        Ok(scale)
    }
}

/// A linear map from data to pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    pub(crate) fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Scale {
        Scale { d0, d1, p0, p1 }
    }
    pub(crate) fn at(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return self.p0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

/// The smallest tick step of 1, 2 or 5 × 10ⁿ (integers only) that needs at most `max_ticks`
/// steps to pass `max` plus a little headroom for labels; returns (step, axis top).
pub(crate) fn nice(max: u64, max_ticks: u64) -> (u64, u64) {
    let room = max.max(1) + (max as f64 * 0.06).ceil() as u64;
    let max_ticks = max_ticks.max(2);
    let mut mag = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * mag;
            if room.div_ceil(step) <= max_ticks {
                return (step, room.div_ceil(step) * step);
            }
        }
        mag = mag.saturating_mul(10);
    }
}

/// The heat map's colour for t in [0, 1]: a single-hue ramp from pale to dark blue.
pub(crate) fn ramp(t: f64) -> RGBColor {
    let stops: [(f64, [f64; 3]); 3] = [
        (0.0, [0xDE as f64, 0xEB as f64, 0xF7 as f64]),
        (0.5, [0x42 as f64, 0x92 as f64, 0xC6 as f64]),
        (1.0, [0x08 as f64, 0x30 as f64, 0x6B as f64]),
    ];
    let t = t.clamp(0.0, 1.0);
    let (a, b) = if t <= 0.5 {
        (stops[0], stops[1])
    } else {
        (stops[1], stops[2])
    };
    let k = (t - a.0) / (b.0 - a.0);
    let mix = |i: usize| (a.1[i] + (b.1[i] - a.1[i]) * k).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_integers() {
        assert_eq!(nice(0, 5), (1, 1));
        assert_eq!(nice(3, 5), (1, 4));
        assert_eq!(nice(10, 5), (5, 15));
        assert_eq!(nice(10, 10), (2, 12));
        assert_eq!(nice(1009, 8), (200, 1200));
        assert_eq!(nice(560, 9), (100, 600));
        assert_eq!(nice(u64::MAX / 4, 10).0 % 10, 0);
    }
}
