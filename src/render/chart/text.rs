//! Text on charts: cleaning untrusted text, measuring and shortening it, and making it drawable
//! with the one embedded font.
//!
//! SVG text stays real text (the SVG backend escapes it; the viewer's fonts draw any script).
//! PNG text is drawn glyph by glyph from DejaVu Sans, which knows nothing of scripts, so for PNG:
//! Hebrew and Arabic are put in visual order (a small bidi pass) and Arabic letters take their
//! joined forms; characters the font lacks (CJK, for one) become `?`, and a person's name the font
//! cannot draw is replaced by their login or email (see [`Mode::person_name`]).

use crate::model::Person;
use std::sync::OnceLock;
use ttf_parser::{kern, loca, Face, GlyphId, Tag};

/// DejaVu Sans 2.37 (Bitstream Vera licence + public domain changes; see assets/fonts).
pub(crate) const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family the font is registered under; SVG viewers see it as the CSS `font-family` list.
pub(crate) const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// Untrusted text longer than this (in characters) is cut before anything else looks at it.
const MAX_CHARS: usize = 300;

/// How text will be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Svg,
    Png,
}

/// Cleans untrusted text for display: line breaks and tabs become spaces, other control
/// characters and XML non-characters become U+FFFD, bidi controls are dropped (each label is its
/// own isolated run), runs of white space collapse, and the ends are trimmed.
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_CHARS * 4));
    let mut space = false;
    for c in s.chars().take(MAX_CHARS) {
        let c = match c {
            '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            '\u{FEFF}' => continue,
            c if crate::input::is_bidi_control(c) => continue,
            c if c.is_control() || is_nonchar(c) => '\u{FFFD}',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

fn is_nonchar(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

impl Mode {
    /// Untrusted text ready to hand to the backend, shortened with `…` to `max_px` at `size`.
    pub(crate) fn fit(self, s: &str, size: f64, max_px: f64) -> String {
        self.fit_clean(&sanitize(s), size, max_px)
    }

    /// A person's name as it should be shown, fitted. For PNG, a name with characters the font
    /// cannot draw shows as `@login`, else the email's local part, else the name with `?`s.
    pub(crate) fn person_name(self, p: &Person, size: f64, max_px: f64) -> String {
        let name = sanitize(&p.name);
        let name = if name.is_empty() {
            sanitize(&p.id)
        } else {
            name
        };
        if self == Mode::Png && !drawable(&name) {
            let alt = p
                .login
                .as_deref()
                .map(|l| format!("@{}", l.trim_start_matches('@')))
                .or_else(|| {
                    p.email
                        .as_deref()
                        .and_then(|e| e.split('@').next())
                        .map(str::to_string)
                })
                .map(|a| sanitize(&a))
                .filter(|a| !a.is_empty() && drawable(a));
            if let Some(alt) = alt {
                return self.fit_clean(&alt, size, max_px);
            }
        }
        self.fit_clean(&name, size, max_px)
    }

    /// Like [`Mode::person_name`], followed by `(email)` (else `(@login)`, else the id) when
    /// `qualify`: for people who share a name. The name takes at most 55% of the room.
    pub(crate) fn person_label(self, p: &Person, size: f64, max_px: f64, qualify: bool) -> String {
        if !qualify {
            return self.person_name(p, size, max_px);
        }
        let q = p
            .email
            .clone()
            .or_else(|| {
                p.login
                    .as_deref()
                    .map(|l| format!("@{}", l.trim_start_matches('@')))
            })
            .unwrap_or_else(|| p.id.clone());
        let name = self.person_name(p, size, max_px * 0.55);
        let room = max_px - measure(&name, size) - measure(" ", size);
        format!("{name} {}", self.fit(&format!("({q})"), size, room))
    }

    fn fit_clean(self, clean: &str, size: f64, max_px: f64) -> String {
        let full = self.visual(clean);
        if self.width(&full, size) <= max_px {
            return full;
        }
        let clusters = clusters(clean);
        // Binary search for the longest prefix that fits with the ellipsis.
        let (mut lo, mut hi) = (0usize, clusters.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let cand = self.visual(&format!("{}…", clusters[..mid].concat().trim_end()));
            if self.width(&cand, size) <= max_px {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        self.visual(&format!("{}…", clusters[..lo].concat().trim_end()))
    }

    /// Clean logical text → what the backend gets.
    fn visual(self, clean: &str) -> String {
        match self {
            Mode::Svg => clean.to_string(),
            Mode::Png => png_visual(clean),
        }
    }

    /// Width in pixels of text (as returned by [`Mode::fit`]) at `size`.
    pub(crate) fn width(self, s: &str, size: f64) -> f64 {
        measure(s, size)
    }
}

/// Whether every character of clean text can be drawn in PNG (after Arabic shaping).
pub(crate) fn drawable(clean: &str) -> bool {
    shape_arabic(clean)
        .chars()
        .all(|c| has_glyph(c) || is_ignorable(c))
}

/// Default-ignorable characters (joiners, variation selectors, soft hyphen): dropped in PNG when
/// the font has no glyph for them.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}')
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// Splits text into clusters: a base character and the combining marks after it.
fn clusters(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if i > start && !is_mark(c) {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Clean logical text → the characters to draw, left to right, for PNG.
fn png_visual(clean: &str) -> String {
    let shaped = shape_arabic(clean);
    let ordered = bidi_visual(&shaped);
    ordered
        .chars()
        .filter_map(|c| {
            if has_glyph(c) {
                Some(c)
            } else if is_ignorable(c) || is_mark(c) {
                None
            } else {
                Some('?')
            }
        })
        .collect()
}

// ----------------------------------------------------------------------------------------------
// Font metrics, read from the font's own tables with ttf-parser (the parser plotters' ab_glyph
// draws with): which characters it has (`cmap`), how far each glyph advances (`hmtx`), where its
// ink starts (its outline's bounding box), and pair kerning (`kern`). Text is laid out with these
// for PNG (see [`layout`]) and measured with them for both formats.

struct Metrics {
    face: Option<Face<'static>>,
    /// Where each glyph's record is in `glyf` (ttf-parser keeps its own `loca` private).
    loca: Option<loca::Table<'static>>,
    glyf: Option<&'static [u8]>,
    /// Font units per pixel of size: ascent − descent, as ab_glyph scales.
    height: f64,
}

fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        let face = Face::parse(FONT, 0).ok();
        let height = face.as_ref().map_or(1.0, |f| {
            let hhea = f.tables().hhea;
            f64::from(i32::from(hhea.ascender) - i32::from(hhea.descender)).max(1.0)
        });
        let table = |tag: &[u8; 4]| face.as_ref()?.raw_face().table(Tag::from_bytes(tag));
        let loca = face.as_ref().and_then(|f| {
            let t = f.tables();
            loca::Table::parse(
                t.maxp.number_of_glyphs,
                t.head.index_to_location_format,
                table(b"loca")?,
            )
        });
        Metrics {
            loca,
            glyf: table(b"glyf"),
            face,
            height,
        }
    })
}

fn glyph(c: char) -> Option<GlyphId> {
    metrics().face.as_ref()?.glyph_index(c).filter(|g| g.0 != 0)
}

/// Pair kerning from the `kern` table's horizontal format-0 subtables, in font units.
fn kerning(face: &Face<'_>, left: GlyphId, right: GlyphId) -> Option<i16> {
    face.tables()
        .kern?
        .subtables
        .into_iter()
        .filter(|t| t.horizontal && !t.variable && !t.has_cross_stream)
        .filter(|t| matches!(t.format, kern::Format::Format0(_)))
        .find_map(|t| t.glyphs_kerning(left, right))
}

/// Where a glyph's ink starts: the `xMin` its `glyf` header states (found through `loca`);
/// `None` for an empty glyph. The header, not the outline's own box (ttf-parser's
/// `glyph_bounding_box`), which is one unit off for ten of DejaVu Sans' glyphs (`₀`, `⁶` …).
fn x_min(g: GlyphId) -> Option<i16> {
    let m = metrics();
    let range = m.loca?.glyph_range(g)?;
    let glyf = m.glyf?;
    let at = range.start.checked_add(2)?;
    let bytes = glyf.get(at..at.checked_add(2)?)?;
    (!range.is_empty()).then(|| i16::from_be_bytes([bytes[0], bytes[1]]))
}

/// Whether the embedded font has a glyph for `c`.
pub(crate) fn has_glyph(c: char) -> bool {
    glyph(c).is_some()
}

/// Lays out text the font can draw at `size`: each glyph with the x where its ink box starts
/// (as plotters will place a single glyph drawn at that x), and the total advance width.
pub(crate) fn layout(s: &str, size: f64) -> (Vec<(char, f64)>, f64) {
    let m = metrics();
    let scale = size / m.height;
    let mut pen = 0.0;
    let mut prev: Option<GlyphId> = None;
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let (Some(face), Some(g)) = (m.face.as_ref(), glyph(c)) else {
            // Only in SVG measuring: a character the font lacks, taken as one (wide) em.
            pen += size / 1.2;
            prev = None;
            continue;
        };
        if let Some(k) = prev.and_then(|p| kerning(face, p, g)) {
            pen += f64::from(k) * scale;
        }
        let x_min = f64::from(x_min(g).unwrap_or(0));
        out.push((c, pen + (x_min * scale).floor()));
        pen += f64::from(face.glyph_hor_advance(g).unwrap_or(0)) * scale;
        prev = Some(g);
    }
    (out, pen)
}

/// Width in pixels of text at `size`.
pub(crate) fn measure(s: &str, size: f64) -> f64 {
    layout(s, size).1
}

// ----------------------------------------------------------------------------------------------
// Scripts: combining marks, right-to-left runs, Arabic joining.

/// Combining marks (drawn over the character before them).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}' | '\u{05BF}'
        | '\u{05C1}'..='\u{05C2}' | '\u{05C4}'..='\u{05C5}' | '\u{05C7}' | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}' | '\u{06EA}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    L,
    R,
    N,
}

fn dir(c: char) -> Dir {
    let u = c as u32;
    let digit = matches!(u, 0x0660..=0x0669 | 0x06F0..=0x06F9);
    let rtl = matches!(u, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF
        | 0x1E800..=0x1EFFF);
    if rtl && !digit && !c.is_whitespace() && (c.is_alphabetic() || !c.is_ascii()) {
        Dir::R
    } else if c.is_alphanumeric() {
        Dir::L
    } else {
        Dir::N
    }
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
    }
}

/// Logical → visual order for one line, a simplified Unicode bidi algorithm: the paragraph takes
/// the direction of its first strong character; neutrals between two characters of the same
/// direction take it, others the paragraph's; right-to-left runs are reversed (marks stay after
/// their base) and their brackets mirrored.
fn bidi_visual(s: &str) -> String {
    if !s.chars().any(|c| dir(c) == Dir::R) {
        return s.to_string();
    }
    let cl = clusters(s);
    let dirs: Vec<Dir> = cl
        .iter()
        .map(|c| dir(c.chars().next().unwrap_or(' ')))
        .collect();
    let para = dirs
        .iter()
        .copied()
        .find(|d| *d != Dir::N)
        .unwrap_or(Dir::L);
    let mut resolved = dirs.clone();
    let mut i = 0;
    while i < dirs.len() {
        if dirs[i] != Dir::N {
            i += 1;
            continue;
        }
        let start = i;
        while i < dirs.len() && dirs[i] == Dir::N {
            i += 1;
        }
        let before = if start == 0 { para } else { dirs[start - 1] };
        let after = if i == dirs.len() { para } else { dirs[i] };
        let d = if before == after { before } else { para };
        resolved[start..i].fill(d);
    }
    // Runs of one direction.
    let mut runs: Vec<(Dir, Vec<&str>)> = Vec::new();
    for (c, d) in cl.iter().zip(resolved) {
        match runs.last_mut() {
            Some((rd, v)) if *rd == d => v.push(c),
            _ => runs.push((d, vec![c])),
        }
    }
    if para == Dir::R {
        runs.reverse();
    }
    let mut out = String::with_capacity(s.len());
    for (d, mut v) in runs {
        if d == Dir::R {
            v.reverse();
            for c in v {
                out.extend(c.chars().map(mirror));
            }
        } else {
            out.extend(v);
        }
    }
    out
}

/// Arabic letters and their presentation forms: (letter, isolated, final, initial, medial);
/// 0 where the letter has no such form (it does not join to the following letter).
const ARABIC: &[(u32, u32, u32, u32, u32)] = &[
    (0x0621, 0xFE80, 0, 0, 0),
    (0x0622, 0xFE81, 0xFE82, 0, 0),
    (0x0623, 0xFE83, 0xFE84, 0, 0),
    (0x0624, 0xFE85, 0xFE86, 0, 0),
    (0x0625, 0xFE87, 0xFE88, 0, 0),
    (0x0626, 0xFE89, 0xFE8A, 0xFE8B, 0xFE8C),
    (0x0627, 0xFE8D, 0xFE8E, 0, 0),
    (0x0628, 0xFE8F, 0xFE90, 0xFE91, 0xFE92),
    (0x0629, 0xFE93, 0xFE94, 0, 0),
    (0x062A, 0xFE95, 0xFE96, 0xFE97, 0xFE98),
    (0x062B, 0xFE99, 0xFE9A, 0xFE9B, 0xFE9C),
    (0x062C, 0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0),
    (0x062D, 0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4),
    (0x062E, 0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8),
    (0x062F, 0xFEA9, 0xFEAA, 0, 0),
    (0x0630, 0xFEAB, 0xFEAC, 0, 0),
    (0x0631, 0xFEAD, 0xFEAE, 0, 0),
    (0x0632, 0xFEAF, 0xFEB0, 0, 0),
    (0x0633, 0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4),
    (0x0634, 0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8),
    (0x0635, 0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC),
    (0x0636, 0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0),
    (0x0637, 0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4),
    (0x0638, 0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8),
    (0x0639, 0xFEC9, 0xFECA, 0xFECB, 0xFECC),
    (0x063A, 0xFECD, 0xFECE, 0xFECF, 0xFED0),
    (0x0641, 0xFED1, 0xFED2, 0xFED3, 0xFED4),
    (0x0642, 0xFED5, 0xFED6, 0xFED7, 0xFED8),
    (0x0643, 0xFED9, 0xFEDA, 0xFEDB, 0xFEDC),
    (0x0644, 0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0),
    (0x0645, 0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4),
    (0x0646, 0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8),
    (0x0647, 0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC),
    (0x0648, 0xFEED, 0xFEEE, 0, 0),
    (0x0649, 0xFEEF, 0xFEF0, 0, 0),
    (0x064A, 0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4),
    (0x067E, 0xFB56, 0xFB57, 0xFB58, 0xFB59),
    (0x0686, 0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D),
    (0x0698, 0xFB8A, 0xFB8B, 0, 0),
    (0x06A9, 0xFB8E, 0xFB8F, 0xFB90, 0xFB91),
    (0x06AF, 0xFB92, 0xFB93, 0xFB94, 0xFB95),
    (0x06CC, 0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF),
];

fn arabic_forms(c: char) -> Option<[u32; 4]> {
    let u = c as u32;
    ARABIC
        .binary_search_by_key(&u, |e| e.0)
        .ok()
        .map(|i| [ARABIC[i].1, ARABIC[i].2, ARABIC[i].3, ARABIC[i].4])
}

/// Whether a character joins to the letter after it (logically): dual-joining letters and tatweel.
fn joins_next(c: char) -> bool {
    c == '\u{0640}' || arabic_forms(c).is_some_and(|f| f[2] != 0)
}

/// Whether a character joins to the letter before it: all Arabic letters but hamza, and tatweel.
fn joins_prev(c: char) -> bool {
    c == '\u{0640}' || arabic_forms(c).is_some_and(|f| f[1] != 0)
}

/// Replaces Arabic letters with their contextual presentation forms (and lam + alef with the
/// ligature), where the font has them. Logical order in, logical order out.
fn shape_arabic(s: &str) -> String {
    if !s.chars().any(|c| arabic_forms(c).is_some()) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    // Nearest non-mark neighbours.
    let prev_base = |i: usize| chars[..i].iter().rev().copied().find(|&c| !is_mark(c));
    let next_base = |i: usize| {
        chars[i + 1..]
            .iter()
            .enumerate()
            .find(|(_, &c)| !is_mark(c))
            .map(|(k, &c)| (i + 1 + k, c))
    };
    let pick = |form: u32, base: char| -> char {
        char::from_u32(form)
            .filter(|&f| form != 0 && has_glyph(f))
            .unwrap_or(base)
    };
    let mut out = String::with_capacity(s.len());
    let mut skip = None;
    for (i, &c) in chars.iter().enumerate() {
        if skip == Some(i) {
            continue;
        }
        let Some(forms) = arabic_forms(c) else {
            out.push(c);
            continue;
        };
        let joined_before = prev_base(i).is_some_and(joins_next) && forms[1] != 0;
        let next = next_base(i);
        // Lam followed by an alef: one ligature.
        if c == '\u{0644}' {
            if let Some((j, n)) = next {
                let lig = match n {
                    '\u{0622}' => Some(0xFEF5),
                    '\u{0623}' => Some(0xFEF7),
                    '\u{0625}' => Some(0xFEF9),
                    '\u{0627}' => Some(0xFEFB),
                    _ => None,
                };
                if let Some(lig) = lig {
                    let form = if joined_before { lig + 1 } else { lig };
                    if let Some(l) = char::from_u32(form).filter(|&l| has_glyph(l)) {
                        out.push(l);
                        // Marks between lam and alef are kept after the ligature.
                        out.extend(&chars[i + 1..j]);
                        skip = Some(j);
                        continue;
                    }
                }
            }
        }
        let joined_after = forms[2] != 0 && next.is_some_and(|(_, n)| joins_prev(n));
        let form = match (joined_before, joined_after) {
            (true, true) => forms[3],
            (true, false) => forms[1],
            (false, true) => forms[2],
            (false, false) => forms[0],
        };
        out.push(pick(form, c));
    }
    out
}

pub(crate) use crate::figures::thousands;

/// A ratio as a whole percentage; `<1%` for small non-zero ratios.
pub(crate) fn percent(r: f64) -> String {
    if r > 0.0 && r < 0.005 {
        "<1%".to_string()
    } else {
        format!("{:.0}%", (r * 100.0).clamp(0.0, 100.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_cleans() {
        assert_eq!(sanitize("  a\n\tb\u{1b}[31m  c "), "a b\u{FFFD}[31m c");
        assert_eq!(sanitize("x\u{202E}y\u{FFFF}"), "xy\u{FFFD}");
        assert_eq!(sanitize("x\u{061C}y\u{2067}z"), "xyz");
        assert_eq!(sanitize(&"a".repeat(1000)).len(), MAX_CHARS);
    }

    #[test]
    fn coverage_from_cmap() {
        assert!(has_glyph('A'));
        assert!(has_glyph('é'));
        assert!(has_glyph('…'));
        assert!(has_glyph('א'));
        assert!(has_glyph('\u{FE8D}'));
        assert!(!has_glyph('李'));
        assert!(!has_glyph('\u{E000}'));
        assert!(!has_glyph('가'));
    }

    #[test]
    fn hebrew_is_reversed_for_png() {
        // "דוד לוי" drawn left to right is its characters reversed.
        assert_eq!(png_visual("דוד לוי"), "יול דוד");
        // An LTR sentence with a Hebrew name keeps its order; the name reads right to left.
        assert_eq!(png_visual("by דוד (2)"), "by דוד (2)");
        assert_eq!(png_visual("שלום (x)"), "(x) םולש");
        assert_eq!(png_visual("Ann"), "Ann");
    }

    #[test]
    fn arabic_is_joined() {
        // سلام: seen initial, lam-alef final ligature, meem isolated (alef never joins on).
        let shaped = shape_arabic("سلام");
        assert_eq!(shaped, "\u{FEB3}\u{FEFC}\u{FEE1}");
        // Visual order reverses it.
        assert_eq!(png_visual("سلام"), "\u{FEE1}\u{FEFC}\u{FEB3}");
        // علي: ain initial, lam medial, yeh final.
        assert_eq!(shape_arabic("علي"), "\u{FECB}\u{FEE0}\u{FEF2}");
        assert!(drawable("سلام"));
    }

    #[test]
    fn cjk_degrades() {
        assert!(!drawable("李明"));
        assert_eq!(png_visual("李明 Li"), "?? Li");
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.6959), "70%");
    }
}
