//! Charts of glue work, as SVG and PNG, drawn from the report model alone.
//!
//! Team charts (`dir/`): who carries the glue, concentration (Lorenz curve), the trend, and who
//! helps whom. Per person (`dir/people/`): a glue profile and a timeline. See docs/charts.md.
//!
//! Text is drawn with DejaVu Sans, embedded in the binary (assets/fonts, with its licence), so PNGs
//! look the same on a machine without fonts. SVGs keep text as text, escaped by the SVG backend;
//! the same report always gives byte-identical SVG.

mod canvas;
mod charts;
mod data;
mod text;

pub use charts::ChartKind;

use crate::model::{Person, Report};
use crate::report::FindError;
pub use canvas::DrawError;
use canvas::{Canvas, Drawn};
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use text::Mode;

/// Which files to write for each chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
    Both,
}

/// Whose personal charts to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleSelection {
    /// The first N people of the team in report order (most glue first); 0 for nobody (team
    /// charts only). Default 15.
    Top(usize),
    /// Everyone in the report, bots included.
    All,
    /// One person, found as `gluework person` finds them ([`crate::report::find_person`]):
    /// by id, name, email or login (`@login` or `login`), case-insensitive, or by a part of
    /// exactly one person's name, email or login.
    One(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartOptions {
    pub format: ChartFormat,
    /// People on the team charts (who carries the glue, who helps whom); 0 for everyone.
    /// Default 15.
    pub top: usize,
    pub people: PeopleSelection,
    /// Whether to draw the four team charts (`false`: only the people's). Default `true`.
    pub team: bool,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: ChartFormat::Both,
            top: 15,
            people: PeopleSelection::Top(15),
            team: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot create the chart folder {path}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// plotters could not draw the chart: its `DrawingAreaErrorKind`, boxed.
    #[error("cannot draw {path}")]
    Draw {
        path: PathBuf,
        #[source]
        source: DrawError,
    },
    #[error("no person in the report matches {0:?} (give an id, name, email or login)")]
    NoSuchPerson(String),
    #[error("{query:?} matches {count} people ({ids}); give one of their ids")]
    Ambiguous {
        query: String,
        count: usize,
        ids: String,
    },
    #[error("the embedded chart font could not be loaded")]
    Font,
}

/// Registers the embedded font with plotters (once per process).
fn ensure_font() -> Result<(), ChartError> {
    static OK: OnceLock<bool> = OnceLock::new();
    let ok = *OK.get_or_init(|| register_font(text::FAMILY, FontStyle::Normal, text::FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// One chart to draw.
#[derive(Clone, Copy)]
enum Job<'a> {
    Team(ChartKind),
    Person(ChartKind, &'a Person),
}

impl Job<'_> {
    fn size(&self, report: &Report, top: usize) -> (u32, u32) {
        match *self {
            Job::Team(k @ ChartKind::WhoCarriesGlue) => {
                k.size(data::glue_ranking(report).len().min(top))
            }
            Job::Team(k @ ChartKind::WhoHelpsWhom) => {
                k.size(data::HelpMatrix::new(report, top).people.len())
            }
            Job::Team(k) | Job::Person(k, _) => k.size(0),
        }
    }

    /// Plain text for the SVG `<title>`.
    fn title(&self) -> String {
        match *self {
            Job::Team(ChartKind::WhoCarriesGlue) => "Who carries the glue".to_string(),
            Job::Team(ChartKind::Concentration) => "How concentrated is glue work?".to_string(),
            Job::Team(ChartKind::Trend) => "Team glue work over time".to_string(),
            Job::Team(ChartKind::WhoHelpsWhom) => "Who helps whom".to_string(),
            Job::Team(_) => String::new(),
            Job::Person(ChartKind::Timeline, p) => {
                format!("Glue work over time: {}", text::sanitize(&p.name))
            }
            Job::Person(_, p) => format!("Glue profile: {}", text::sanitize(&p.name)),
        }
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>, report: &Report, top: usize) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        match *self {
            Job::Team(ChartKind::WhoCarriesGlue) => charts::who_carries(c, report, top),
            Job::Team(ChartKind::Concentration) => charts::concentration(c, report),
            Job::Team(ChartKind::Trend) => charts::trend(c, report),
            Job::Team(ChartKind::WhoHelpsWhom) => charts::who_helps(c, report, top),
            Job::Person(ChartKind::Timeline, p) => charts::timeline(c, report, p),
            Job::Person(ChartKind::Profile, p) => charts::profile(c, report, p),
            Job::Team(k) | Job::Person(k, _) => {
                Err(format!("{} is not a chart of this kind", k.stem()).into())
            }
        }
    }

    fn svg(&self, report: &Report, top: usize) -> Result<String, DrawError> {
        let size = self.size(report, top);
        let mut buf = String::new();
        {
            let area = SVGBackend::with_string(&mut buf, size).into_drawing_area();
            self.draw(&Canvas::new(&area, Mode::Svg), report, top)?;
            area.present()?;
        }
        Ok(with_title(buf, &self.title()))
    }

    fn png(&self, report: &Report, top: usize, path: &Path) -> Result<(), DrawError> {
        let size = self.size(report, top);
        let area = BitMapBackend::new(path, size).into_drawing_area();
        self.draw(&Canvas::new(&area, Mode::Png), report, top)?;
        area.present()?;
        Ok(())
    }
}

/// Adds an accessible `<title>` as the first child of the `<svg>` element.
fn with_title(svg: String, title: &str) -> String {
    let Some(end) = svg.find(">\n") else {
        return svg;
    };
    let mut out = String::with_capacity(svg.len() + title.len() + 20);
    out.push_str(&svg[..end + 2]);
    out.push_str("<title>");
    for c in title.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out.push_str("</title>\n");
    out.push_str(&svg[end + 2..]);
    out
}

/// `top` for the team charts: 0 means everyone.
fn limit(top: usize) -> usize {
    if top == 0 {
        usize::MAX
    } else {
        top
    }
}

fn svg_text(job: Job<'_>, report: &Report, top: usize) -> String {
    ensure_font().expect("the embedded font is a valid TrueType font");
    let top = limit(top);
    job.svg(report, top)
        .unwrap_or_else(|e| panic!("drawing an SVG in memory failed: {e}"))
}

/// Chart 1, a person's glue profile, as SVG text.
pub fn glue_profile_svg(report: &Report, person: &Person) -> String {
    svg_text(Job::Person(ChartKind::Profile, person), report, 0)
}

/// Chart 2, a person's glue per period, as SVG text.
pub fn timeline_svg(report: &Report, person: &Person) -> String {
    svg_text(Job::Person(ChartKind::Timeline, person), report, 0)
}

/// Chart 3, the `top` people carrying the most glue (0: everyone), as SVG text.
pub fn who_carries_glue_svg(report: &Report, top: usize) -> String {
    svg_text(Job::Team(ChartKind::WhoCarriesGlue), report, top)
}

/// Chart 4, the concentration of glue (Lorenz curve), as SVG text.
pub fn concentration_svg(report: &Report) -> String {
    svg_text(Job::Team(ChartKind::Concentration), report, 0)
}

/// Chart 5, the team's glue per period, as SVG text.
pub fn trend_svg(report: &Report) -> String {
    svg_text(Job::Team(ChartKind::Trend), report, 0)
}

/// Chart 6, who helps whom among the `top` people with the most help (0: everyone), as SVG
/// text.
pub fn who_helps_whom_svg(report: &Report, top: usize) -> String {
    svg_text(Job::Team(ChartKind::WhoHelpsWhom), report, top)
}

/// The people whose charts `selection` asks for, in report order.
pub fn select_people<'a>(
    report: &'a Report,
    selection: &PeopleSelection,
) -> Result<Vec<&'a Person>, ChartError> {
    match selection {
        PeopleSelection::Top(n) => Ok(data::team_people(report).into_iter().take(*n).collect()),
        PeopleSelection::All => Ok(report.people.iter().collect()),
        PeopleSelection::One(query) => {
            // The one lookup `gluework person` uses too, so both pick the same person.
            let q = query.trim();
            match crate::report::find_person(report, q) {
                Ok(p) => Ok(vec![p]),
                Err(FindError::NoMatch { .. }) => Err(ChartError::NoSuchPerson(q.to_string())),
                Err(FindError::Ambiguous { candidates }) => Err(ChartError::Ambiguous {
                    query: q.to_string(),
                    count: candidates.len(),
                    ids: candidates
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            }
        }
    }
}

/// Writes team charts to `dir/` and people's charts to `dir/people/`; returns the files written,
/// sorted. Charts are drawn in parallel; on failure the error of the first chart (in file order)
/// that failed is returned.
pub fn write_charts(
    report: &Report,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    ensure_font()?;
    let top = limit(opts.top);
    let people = select_people(report, &opts.people)?;
    let people_dir = dir.join("people");
    let mkdir = |path: &Path| {
        std::fs::create_dir_all(path).map_err(|source| ChartError::CreateDir {
            path: path.to_path_buf(),
            source,
        })
    };
    mkdir(dir)?;
    if !people.is_empty() {
        mkdir(&people_dir)?;
    }
    let names = slugs(report);
    let mut jobs: Vec<(Job, PathBuf)> = [
        ChartKind::WhoCarriesGlue,
        ChartKind::Concentration,
        ChartKind::Trend,
        ChartKind::WhoHelpsWhom,
    ]
    .into_iter()
    .filter(|_| opts.team)
    .map(|k| (Job::Team(k), dir.join(k.stem())))
    .collect();
    for p in people {
        let slug = names.get(&p.id).cloned().unwrap_or_else(|| slug(p));
        for k in [ChartKind::Profile, ChartKind::Timeline] {
            jobs.push((
                Job::Person(k, p),
                people_dir.join(format!("{slug}-{}", k.stem())),
            ));
        }
    }
    let (svg, png) = match opts.format {
        ChartFormat::Svg => (true, false),
        ChartFormat::Png => (false, true),
        ChartFormat::Both => (true, true),
    };
    let results: Vec<Result<Vec<PathBuf>, ChartError>> = jobs
        .par_iter()
        .map(|(job, stem)| {
            let mut written = Vec::new();
            if svg {
                let path = stem.with_extension("svg");
                let text = job.svg(report, top).map_err(|source| ChartError::Draw {
                    path: path.clone(),
                    source,
                })?;
                std::fs::write(&path, text).map_err(|source| ChartError::Write {
                    path: path.clone(),
                    source,
                })?;
                written.push(path);
            }
            if png {
                let path = stem.with_extension("png");
                job.png(report, top, &path)
                    .map_err(|source| ChartError::Draw {
                        path: path.clone(),
                        source,
                    })?;
                written.push(path);
            }
            Ok(written)
        })
        .collect();
    let mut files = Vec::new();
    for r in results {
        files.extend(r?);
    }
    files.sort();
    Ok(files)
}

/// A file-name-safe slug of a person's name: lower-case ASCII letters, digits and `-`, accents
/// folded (`José Müller` → `jose-muller`), at most 48 characters. A name with no ASCII letter
/// (`李明`) gives the slug of their login or email, else `person`, plus a short stable hash of
/// their id: `liming-1a2b3c4d`. See [`slugs`] for slugs that are unique within a report.
pub fn slug(person: &Person) -> String {
    let base = slug_base(&person.name);
    if base.bytes().any(|b| b.is_ascii_alphabetic()) {
        return base;
    }
    let alt = person
        .login
        .as_deref()
        .map(slug_base)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            person
                .email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .map(slug_base)
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "person".to_string());
    format!("{alt}-{}", short_hash(&person.id))
}

/// Every person's slug by id, unique within the report: where two people's [`slug`]s collide,
/// each gets a short stable hash of their id appended (and, should even that collide, a counter).
pub fn slugs(report: &Report) -> BTreeMap<String, String> {
    let base: Vec<String> = report.people.iter().map(slug).collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &base {
        *count.entry(s.as_str()).or_default() += 1;
    }
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut out = BTreeMap::new();
    for (p, s) in report.people.iter().zip(&base) {
        let hash = short_hash(&p.id);
        let mut s = if count[s.as_str()] > 1 && !s.ends_with(&hash) {
            format!("{s}-{hash}")
        } else {
            s.clone()
        };
        let n = taken.entry(s.clone()).or_default();
        *n += 1;
        if *n > 1 {
            s = format!("{s}-{n}");
        }
        out.insert(p.id.clone(), s);
    }
    out
}

/// FNV-1a of the text, as 8 hex digits: stable across builds and platforms.
fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

/// Latin letters with diacritics and their ASCII spelling.
const FOLD: &[(&str, &str)] = &[
    ("ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎ", "a"),
    ("ÇçĆćĈĉĊċČč", "c"),
    ("ĎďĐđÐð", "d"),
    ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"),
    ("ĜĝĞğĠġĢģ", "g"),
    ("ĤĥĦħ", "h"),
    ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "i"),
    ("Ĵĵ", "j"),
    ("Ķķ", "k"),
    ("ĹĺĻļĽľĿŀŁł", "l"),
    ("ÑñŃńŅņŇň", "n"),
    ("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "o"),
    ("ŔŕŖŗŘř", "r"),
    ("ŚśŜŝŞşŠšȘș", "s"),
    ("ŢţŤťŦŧȚț", "t"),
    ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"),
    ("Ŵŵ", "w"),
    ("ÝýÿŶŷŸ", "y"),
    ("ŹźŻżŽž", "z"),
    ("ß", "ss"),
    ("Ææ", "ae"),
    ("Œœ", "oe"),
    ("Þþ", "th"),
];

fn slug_base(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars().take(200) {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if let Some((_, f)) = FOLD.iter().find(|(set, _)| set.contains(c)) {
            s.push_str(f);
        } else if ('\u{0300}'..='\u{036F}').contains(&c) {
            // A combining accent: the letter before it stands for both.
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let mut s = s.trim_matches('-').to_string();
    if s.len() > 48 {
        let cut = s[..48].rfind('-').filter(|&i| i >= 24).unwrap_or(48);
        s.truncate(cut);
        s = s.trim_end_matches('-').to_string();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_bases() {
        assert_eq!(slug_base("José Müller"), "jose-muller");
        assert_eq!(slug_base("Jose\u{301} O'Neil"), "jose-o-neil");
        assert_eq!(
            slug_base("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert_eq!(slug_base("李明"), "");
        assert_eq!(slug_base("../../etc/passwd"), "etc-passwd");
        let long = slug_base(&"word ".repeat(40));
        assert!(long.len() <= 48 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(short_hash(""), "cbf29ce4");
        assert_eq!(short_hash("a"), short_hash("a"));
        assert_ne!(short_hash("a"), short_hash("b"));
    }

    #[test]
    fn own_layout_matches_plotters() {
        use plotters::style::{FontDesc, FontFamily};
        ensure_font().unwrap();
        for s in [
            "Glue profile: Ada Lovelace",
            "AVATAR To Wa",
            "1,009 · 47%",
            "Zoë Ångström",
        ] {
            for size in [13.0, 26.0] {
                let (w, _) = FontDesc::new(FontFamily::Name(text::FAMILY), size, FontStyle::Normal)
                    .box_size(s)
                    .unwrap();
                let mine = text::measure(s, size);
                assert!(
                    (mine - f64::from(w)).abs() <= 1.5,
                    "{s:?} at {size}: {mine} vs {w}"
                );
            }
        }
    }

    #[test]
    fn title_is_escaped() {
        let svg = "<svg a=\"1\">\n<rect/>\n</svg>\n".to_string();
        assert_eq!(
            with_title(svg, "a<b & \"c\""),
            "<svg a=\"1\">\n<title>a&lt;b &amp; &quot;c&quot;</title>\n<rect/>\n</svg>\n"
        );
    }
}
