//! What the commands write and show: the files (whole or not at all), the report folder,
//! the CI step summary, progress bars and the folded warnings on the terminal.

use crate::cli::{ColorChoice, OutputArgs, ProgressChoice};
use crate::model::Report;
use crate::render;
use crate::scan::RepoProgress;
use crate::session::{Event, Observer, Progress};
use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// A session's events on standard error, as the command line shows them: errors always;
/// warnings (folded by kind) and notes unless quiet; timings with `GLUEWORK_TIMING`; a progress
/// bar per repository as `--progress` says.
pub struct Terminal {
    quiet: bool,
    /// Where the warnings can be read in full (see [`warnings_home`]).
    details: String,
    timing: bool,
    /// The bars and their two styles (`None`: no progress shown).
    bars: Option<(MultiProgress, ProgressStyle, ProgressStyle)>,
}

impl Terminal {
    /// `details` says where the folded warnings can be read in full (`warnings_home`).
    pub fn new(quiet: bool, progress: ProgressChoice, details: &str) -> Terminal {
        let show_progress = !quiet
            && match progress {
                ProgressChoice::Always => true,
                ProgressChoice::Never => false,
                ProgressChoice::Auto => std::io::stderr().is_terminal(),
            };
        let bars = show_progress.then(|| {
            let target = match progress {
                // Asked for: drawn even where standard error is a file or a pipe.
                ProgressChoice::Always => {
                    ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 4)
                }
                _ => ProgressDrawTarget::stderr(),
            };
            let (counting, style) = progress_styles();
            (MultiProgress::with_draw_target(target), counting, style)
        });
        Terminal {
            quiet,
            details: details.to_string(),
            timing: std::env::var_os("GLUEWORK_TIMING").is_some(),
            bars,
        }
    }
}

impl Observer for Terminal {
    fn event(&self, event: Event<'_>) {
        match event {
            Event::Error(e) => eprintln!("error: {}", render::plain(e)),
            Event::Timing(t) if self.timing => eprintln!("timing: {t}"),
            Event::Timing(_) => {}
            _ if self.quiet => {}
            Event::Note(n) => eprintln!("note: {}", render::plain(n)),
            Event::Warning { path, text } => {
                eprintln!("warning: {}: {}", render::plain(path), render::plain(text))
            }
            Event::Scanned(s) => {
                for line in folded_warnings(&s.warnings, s.warnings_repeated, &self.details) {
                    eprintln!("warning: {}: {line}", render::plain(&s.path));
                }
                for w in &s.local_warnings {
                    eprintln!("warning: {}: {}", render::plain(&s.path), render::plain(w));
                }
            }
        }
    }

    fn progress(&self, repo: &str) -> Option<Box<dyn Progress + '_>> {
        let (multi, counting, style) = self.bars.as_ref()?;
        // A spinner with a count until the walk knows the total, then a bar that never moves
        // backwards nor past its end.
        let bar = multi.add(ProgressBar::no_length().with_style(counting.clone()));
        bar.set_prefix(render::terminal::fit(&render::plain(repo), 14));
        Some(Box::new(RepoBar {
            bar,
            style: style.clone(),
        }))
    }
}

/// One repository's progress bar, cleared when its scan ends (dropped).
struct RepoBar {
    bar: ProgressBar,
    style: ProgressStyle,
}

impl Progress for RepoBar {
    fn update(&self, p: RepoProgress) {
        let bar = &self.bar;
        match p {
            RepoProgress::Found(n) => {
                bar.set_message(format!("{} found", crate::figures::thousands(n)))
            }
            RepoProgress::Total(n) => {
                bar.set_length(n.max(bar.position()));
                bar.set_style(self.style.clone());
            }
            RepoProgress::Done(n) => {
                let end = bar.length().unwrap_or(u64::MAX);
                bar.set_position(bar.position().saturating_add(n).min(end));
            }
        }
    }
}

impl Drop for RepoBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// The progress styles of a repository's scan, one line of at most 60 columns: a spinner with
/// the commits read so far and the rate (before the walk knows the total), then a bar with the
/// count, a whole-number rate and an estimate shown only once it means something.
pub(crate) fn progress_styles() -> (ProgressStyle, ProgressStyle) {
    use indicatif::ProgressState;
    let rate = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(
            w,
            "{}/s",
            crate::figures::thousands(s.per_sec().round() as u64)
        );
    };
    let eta = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        // Not before a second and a twentieth of the work: early rates mislead.
        let done = s.len().is_some_and(|n| n > 0 && s.pos() * 20 >= n);
        if done && s.elapsed().as_secs() >= 1 {
            let secs = s.eta().as_secs();
            let _ = match secs {
                0..60 => write!(w, "eta {secs}s"),
                60..3600 => write!(w, "eta {}m{:02}s", secs / 60, secs % 60),
                _ => write!(w, "eta {}h{:02}m", secs / 3600, (secs / 60) % 60),
            };
        }
    };
    let counting =
        ProgressStyle::with_template("{prefix:>14.bold} {spinner} {human_pos} read, {msg} {rate}")
            .expect("valid template")
            .with_key("rate", rate);
    let bar = ProgressStyle::with_template(
        "{prefix:>14.bold} [{bar:12}] {human_pos}/{human_len} {rate} {eta}",
    )
    .expect("valid template")
    .with_key("rate", rate)
    .with_key("eta", eta)
    .progress_chars("=> ");
    (counting, bar)
}

/// Where a repository's warnings can be read in full, for the lines that fold or count them:
/// the JSON report this command writes (`--json FILE`, `--json -`, the report folder's), else
/// the saved report it read (`render`), else how to write one (`how`).
pub(crate) fn warnings_home(out: Option<&OutputArgs>, saved: Option<&Path>, how: &str) -> String {
    let json = out.and_then(|o| o.json.as_deref());
    let folder = out.and_then(|o| o.out.as_deref());
    let file = match (json, folder, saved) {
        (Some("-"), _, _) => return "all are in the JSON report on standard output".to_string(),
        (Some(f), _, _) => PathBuf::from(f),
        (None, Some(dir), _) => dir.join("gluework.json"),
        (None, None, Some(saved)) => saved.to_path_buf(),
        (None, None, None) => return format!("`{how}` lists them all"),
    };
    format!("all are in {}", render::plain(&file.display().to_string()))
}

/// Where the warnings of a command that writes no report can be read in full.
pub(crate) const SCAN_JSON: &str = "`gluework scan --json FILE` lists them all";

/// The kind of a warning, to fold repeats: its text with numbers, commit ids and quoted text
/// taken out, up to the second `: ` (`.mailmap line N` for every malformed mailmap line).
pub(crate) fn warning_kind(w: &str) -> String {
    let mut kind = String::with_capacity(w.len());
    let mut in_quote = false;
    let mut last_digit = false;
    for c in w.chars() {
        if in_quote {
            in_quote = c != '"';
            continue;
        }
        match c {
            '"' => {
                in_quote = true;
                kind.push('…');
            }
            c if c.is_ascii_hexdigit() && (c.is_ascii_digit() || last_digit) => {
                if !last_digit {
                    kind.push('#');
                }
                last_digit = true;
                continue;
            }
            c => kind.push(c),
        }
        last_digit = false;
    }
    let mut parts = kind.splitn(3, ": ");
    let first = parts.next().unwrap_or_default();
    // "FILE line #": one kind for every line of that file.
    if first.ends_with(" line #") {
        return first.to_string();
    }
    match parts.next() {
        Some(second) => format!("{first}: {second}"),
        None => first.to_string(),
    }
}

/// A repository's warnings for the terminal: each kind once, with how many more are like it;
/// one line when they are the same as at the last scan (`repeated`). `details` says where to
/// read them all.
pub(crate) fn folded_warnings(warnings: &[String], repeated: bool, details: &str) -> Vec<String> {
    if warnings.is_empty() {
        return Vec::new();
    }
    if repeated {
        return vec![format!(
            "{}, the same as at the last scan ({details})",
            crate::render::markdown::count(warnings.len() as u64, "warning", "warnings")
        )];
    }
    let mut kinds: Vec<(String, &String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in warnings {
        let kind = warning_kind(w);
        match index.get(&kind) {
            Some(&k) => kinds[k].2 += 1,
            None => {
                index.insert(kind.clone(), kinds.len());
                kinds.push((kind, w, 1));
            }
        }
    }
    kinds
        .into_iter()
        .map(|(_, first, n)| match n {
            1 => render::plain(first),
            n => format!(
                "{} (and {} more like it; {details})",
                render::plain(first),
                n - 1
            ),
        })
        .collect()
}

/// Checks `--events FILE` before any work is done: its format, and that it does not share
/// standard output with another output.
pub(crate) fn check_events_arg(out: &OutputArgs) -> Result<()> {
    if let Some(file) = out.events.as_deref() {
        render::events::EventsFormat::from_path(file).map_err(anyhow::Error::msg)?;
        if file == "-" && (out.json.as_deref() == Some("-") || out.csv.as_deref() == Some("-")) {
            bail!("--events - cannot share standard output with --json - or --csv -");
        }
    }
    Ok(())
}

/// Writes `--events FILE` (whole or not at all).
pub(crate) fn write_events(report: &Report, file: &str) -> Result<()> {
    use render::events::{self, EventsFormat};
    match EventsFormat::from_path(file).map_err(anyhow::Error::msg)? {
        EventsFormat::Ndjson if file == "-" => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            events::write_ndjson(report, &mut stdout)
                .and_then(|()| stdout.flush())
                .context("cannot write to standard output")
        }
        EventsFormat::Ndjson => {
            write_atomic_with(Path::new(file), |w| events::write_ndjson(report, w))
        }
        EventsFormat::Parquet => {
            let bytes =
                events::parquet_bytes(report).with_context(|| format!("cannot write {file}"))?;
            write_atomic(Path::new(file), &bytes)
        }
    }
}

/// The files and folders a command writes (standard output, `-`, left out).
pub(crate) fn output_paths(out: &OutputArgs, part: Option<&str>) -> Vec<PathBuf> {
    let files = [
        out.json.as_deref(),
        out.csv.as_deref(),
        out.events.as_deref(),
        part,
    ];
    out.out
        .iter()
        .cloned()
        .chain(
            files
                .into_iter()
                .flatten()
                .filter(|f| *f != "-")
                .map(PathBuf::from),
        )
        .collect()
}

/// Finds an output folder that cannot be written (read-only, full, missing permissions)
/// before the scan rather than after it: writes a small file in the nearest existing folder of
/// each output, then removes it. Devices and pipes (`/dev/null`, a FIFO) are left alone.
pub(crate) fn probe_outputs(outputs: &[PathBuf]) -> Result<()> {
    let mut probed: Vec<PathBuf> = Vec::new();
    for out in outputs {
        if std::fs::metadata(out).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            continue;
        }
        let abs = std::path::absolute(out).unwrap_or_else(|_| out.clone());
        // The folder a file goes into; for --out, the folder itself.
        let mut dir = if std::fs::metadata(&abs).is_ok_and(|m| m.is_dir()) {
            abs.clone()
        } else {
            abs.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| abs.clone())
        };
        while !dir.is_dir() {
            match dir.parent() {
                Some(p) => dir = p.to_path_buf(),
                None => break,
            }
        }
        if probed.contains(&dir) {
            continue;
        }
        let probe = dir.join(format!(".gluework-probe-{}", std::process::id()));
        let result = (|| -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&probe)?;
            // Enough to need a block of its own: a full disk fails here, not after the scan.
            f.write_all(&[0u8; 64 * 1024])?;
            f.sync_all()
        })();
        let _ = std::fs::remove_file(&probe);
        result.with_context(|| {
            format!(
                "cannot write {}: its folder {} is not writable (checked before scanning)",
                out.display(),
                dir.display()
            )
        })?;
        probed.push(dir);
    }
    Ok(())
}

/// Writes text to standard output.
pub(crate) fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .context("cannot write to standard output")
}

/// The largest step summary GitHub accepts is 1 MiB; stay below it.
pub(crate) const STEP_SUMMARY_MAX: usize = 1_000_000;

/// Appends Markdown to the file named by $GITHUB_STEP_SUMMARY, if set (GitHub Actions shows
/// it on the run's page). A failure is a warning: the summary is a courtesy, not an output.
pub(crate) fn append_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) else {
        return;
    };
    let mut text = markdown.to_string();
    if text.len() > STEP_SUMMARY_MAX {
        let mut cut = STEP_SUMMARY_MAX - 200;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[..cut].rfind('\n').unwrap_or(cut);
        text.truncate(cut);
        text.push_str("\n\n*(Cut here: a step summary holds at most 1 MiB. The whole report is report.md in the report folder.)*\n");
    }
    text.push('\n');
    let result = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = result {
        eprintln!(
            "warning: {}",
            render::plain(&format!(
                "cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
                PathBuf::from(path).display()
            ))
        );
    }
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename
/// ([`crate::fsio`]).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    Ok(crate::fsio::write_atomic(path, contents)?)
}

/// Like [`write_atomic`], with the contents written by `fill` through a buffer (so a large
/// report is never held in memory as one string).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    Ok(crate::fsio::write_atomic_with(path, fill)?)
}

/// Whose personal charts a report folder has (`--people N|all`, `--person WHO`): the one
/// selection both the chart files and the team page's sections follow.
pub(crate) fn people_selection(out: &OutputArgs) -> crate::render::chart::PeopleSelection {
    use crate::cli::PeopleArg;
    use crate::render::chart::PeopleSelection;
    match (&out.person, out.people) {
        (Some(who), _) => PeopleSelection::One(who.clone()),
        (None, PeopleArg::All) => PeopleSelection::All,
        (None, PeopleArg::Top(n)) => PeopleSelection::Top(n),
    }
}

/// The charts of a report folder: DIR/charts/ (team) and DIR/charts/people/.
/// Writes the charts `out` asks for into `dir/charts`, the personal ones for `people`
/// ([`people_selection`]); how many files were written.
pub(crate) fn write_charts(
    report: &Report,
    dir: &Path,
    out: &OutputArgs,
    people: &crate::render::chart::PeopleSelection,
) -> Result<usize> {
    use crate::cli::ChartsArg;
    use crate::render::chart::{self, ChartFormat, ChartOptions};
    let format = match out.charts {
        ChartsArg::None => return Ok(0),
        ChartsArg::Svg => ChartFormat::Svg,
        ChartsArg::Png => ChartFormat::Png,
        ChartsArg::Both => ChartFormat::Both,
    };
    let opts = ChartOptions {
        format,
        top: out.top,
        people: people.clone(),
        team: true,
    };
    Ok(chart::write_charts(report, &dir.join("charts"), &opts)?.len())
}

/// The team report of a report folder, `DIR/report.md` (charts linked when they are written).
pub(crate) fn team_report_md(
    report: &Report,
    out: &OutputArgs,
    previous: Option<&Report>,
) -> String {
    use crate::cli::ChartsArg;
    let ext = match out.charts {
        ChartsArg::None => None,
        ChartsArg::Svg => Some("svg"),
        ChartsArg::Png | ChartsArg::Both => Some("png"),
    };
    render::team_report::team_report(
        report,
        &render::team_report::TeamReportOptions {
            charts: ext.map(|e| ("charts".to_string(), e.to_string())),
            previous,
            people_limit: out.report_rows,
        },
    )
}

/// The lock a run holds on its `--out` folder.
pub const OUT_LOCK: &str = ".gluework-out.lock";

/// The folder a run writes its report into before moving it into `--out` (`.gluework-new-PID`).
pub(crate) const OUT_STAGE: &str = ".gluework-new-";

/// Where the earlier run's charts wait while the new ones move in (`.gluework-old-PID`).
pub(crate) const OUT_OLD: &str = ".gluework-old-";

/// Writes the report folder as a whole: under a lock (a second run into the same folder is
/// refused; a dead run's lock is taken over), everything is written into a staging folder
/// first, then moved in (the charts folder replaced whole, so charts an earlier run wrote and
/// this one did not are gone). What a killed run left (its staging folder, temporary files) is
/// removed; an interrupted run removes its own. Returns how many charts were written.
pub(crate) fn write_report_folder(
    report: &Report,
    dir: &Path,
    out: &OutputArgs,
    previous: Option<&Report>,
    text: Option<&[u8]>,
) -> Result<usize> {
    use crate::lockfile::{LockError, LockFile};
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let shown = dir.display();
    let lock = match LockFile::take(&dir.join(OUT_LOCK)) {
        Ok(taken) => {
            if let Some(dead) = taken.took_over {
                eprintln!(
                    "warning: --out {shown}: took over the lock of a run that is no longer \
                     running ({dead})"
                );
            }
            taken.lock
        }
        Err(LockError::Held(holder)) => bail!(
            "--out {shown}: another gluework run is writing into this folder ({holder}); wait for \
             it, or write elsewhere (if none is running, remove {})",
            dir.join(OUT_LOCK).display()
        ),
        Err(LockError::Io(e)) => {
            bail!(
                "--out {shown}: cannot create {}: {e}",
                dir.join(OUT_LOCK).display()
            )
        }
    };
    crate::lockfile::clean_leftovers(dir, &[OUT_STAGE, OUT_OLD]);
    crate::lockfile::clean_leftovers(&dir.join("charts"), &[]);
    let pid = std::process::id();
    let stage = dir.join(format!("{OUT_STAGE}{pid}"));
    let old = dir.join(format!("{OUT_OLD}{pid}"));
    crate::lockfile::remove_on_interrupt(&stage);
    let written = (|| -> Result<usize> {
        let _ = std::fs::remove_dir_all(&stage);
        std::fs::create_dir(&stage)
            .with_context(|| format!("cannot create {}", stage.display()))?;
        write_atomic_with(&stage.join("gluework.json"), |w| {
            Json::of(report, text).write(w)
        })?;
        let people = people_selection(out);
        let charts_written = write_charts(report, &stage, out, &people)?;
        write_atomic(
            &stage.join("report.md"),
            team_report_md(report, out, previous).as_bytes(),
        )?;
        write_atomic(
            &stage.join("index.html"),
            render::html::team_page(
                report,
                &render::html::HtmlOptions {
                    previous,
                    person_charts: people,
                    top: out.top,
                },
            )
            .as_bytes(),
        )?;
        // Everything is written: move it in (renames within one folder).
        let charts = dir.join("charts");
        if charts.exists() {
            std::fs::rename(&charts, &old)
                .with_context(|| format!("cannot move {} aside", charts.display()))?;
        }
        if stage.join("charts").exists() {
            std::fs::rename(stage.join("charts"), &charts)
                .with_context(|| format!("cannot write {}", charts.display()))?;
        }
        for name in ["report.md", "index.html", "gluework.json"] {
            std::fs::rename(stage.join(name), dir.join(name))
                .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
        }
        Ok(charts_written)
    })();
    let _ = std::fs::remove_dir_all(&stage);
    let _ = std::fs::remove_dir_all(&old);
    crate::lockfile::forget(&stage);
    drop(lock);
    written
}

/// The most people rows in the step summary's tables (GitHub caps a summary at 1 MiB; the
/// longer tables are in report.md).
pub(crate) const STEP_SUMMARY_PEOPLE: usize = 25;

/// Writes every output `out` names. Unless `quiet`, then prints the summary table on standard
/// output (except when an output goes to standard output itself) and says what it wrote on
/// standard error (`wrote DIR/report.md, DIR/index.html, DIR/gluework.json and 36 charts`).
/// `saved`: the report file it was read from (`render`), where the table's note on warnings
/// points when no JSON is written. `text`: the report's JSON text when it is already made (the
/// cache of reports), written as it is.
pub(crate) fn write_outputs(
    report: &Report,
    out: &OutputArgs,
    previous: Option<&Report>,
    quiet: bool,
    saved: Option<&Path>,
    text: Option<&[u8]>,
) -> Result<()> {
    let stdout_outputs = [&out.json, &out.csv, &out.events]
        .iter()
        .filter(|o| o.as_deref() == Some("-"))
        .count();
    if stdout_outputs > 1 {
        bail!("only one of --json, --csv and --events can write to standard output (`-`)");
    }
    // What was written, as the user named it, for the closing line.
    let mut wrote: Vec<String> = Vec::new();
    let mut charts = 0;
    if let Some(dir) = &out.out {
        charts = write_report_folder(report, dir, out, previous, text)?;
        wrote.push(dir.join("report.md").display().to_string());
        wrote.push(dir.join("index.html").display().to_string());
        wrote.push(dir.join("gluework.json").display().to_string());
        if !out.no_step_summary {
            let mut summary = render::team_report::team_report(
                report,
                &render::team_report::TeamReportOptions {
                    charts: None,
                    previous,
                    people_limit: match out.report_rows {
                        0 => STEP_SUMMARY_PEOPLE,
                        n => n.min(STEP_SUMMARY_PEOPLE),
                    },
                },
            );
            summary.push_str(
                "\n*The charts and the whole report are in the report folder (report.md).*\n",
            );
            append_step_summary(&summary);
        }
    }
    match out.csv.as_deref() {
        Some("-") => write_stdout(&render::csv::people(report))?,
        Some(file) => {
            write_atomic(Path::new(file), render::csv::people(report).as_bytes())?;
            wrote.push(file.to_string());
        }
        None => {}
    }
    if let Some(file) = out.events.as_deref() {
        write_events(report, file)?;
        if file != "-" {
            wrote.push(file.to_string());
        }
    }
    if let Some(file) = out.json.as_deref() {
        write_json_output(file, Json::of(report, text))?;
        if file != "-" {
            wrote.push(file.to_string());
        }
    }
    if quiet {
        return Ok(());
    }
    if stdout_outputs == 0 {
        print_table(report, out, saved)?;
    }
    if !wrote.is_empty() || charts > 0 {
        let mut parts: Vec<String> = wrote.iter().map(|w| render::plain(w)).collect();
        if charts > 0 {
            parts.push(crate::render::markdown::count(
                charts as u64,
                "chart",
                "charts",
            ));
        }
        let last = parts.pop().unwrap_or_default();
        if parts.is_empty() {
            eprintln!("wrote {last}");
        } else {
            eprintln!("wrote {} and {last}", parts.join(", "));
        }
    }
    Ok(())
}

/// A report's JSON text: made from the model, or already made.
#[derive(Clone, Copy)]
pub(crate) enum Json<'a> {
    Model(&'a Report),
    Text(&'a [u8]),
}

impl<'a> Json<'a> {
    /// The text when there is one, else the model.
    pub(crate) fn of(report: &'a Report, text: Option<&'a [u8]>) -> Json<'a> {
        match text {
            Some(t) => Json::Text(t),
            None => Json::Model(report),
        }
    }

    pub(crate) fn write(self, w: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Json::Model(report) => render::write_json(report, w),
            Json::Text(text) => w.write_all(text),
        }
    }
}

/// Writes `--json FILE` (whole or not at all), or standard output for `-`.
pub(crate) fn write_json_output(file: &str, json: Json<'_>) -> Result<()> {
    if file == "-" {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        json.write(&mut stdout)
            .and_then(|()| stdout.flush())
            .context("cannot write to standard output")
    } else {
        write_atomic_with(Path::new(file), |w| json.write(w))
    }
}

/// Whether to colour output: `--color always|never`, else on a terminal unless `NO_COLOR` is
/// set or `TERM` is `dumb`.
pub(crate) fn use_colour(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// The summary table on standard output, as wide as the terminal (120 columns elsewhere).
pub(crate) fn print_table(report: &Report, out: &OutputArgs, saved: Option<&Path>) -> Result<()> {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let colour = use_colour(out.color, tty);
    let width = if tty {
        console::Term::stdout().size().1 as usize
    } else {
        120
    };
    let table = render::terminal::render(
        report,
        &render::terminal::TableOptions {
            width: width.max(40),
            colour,
            include_bots: out.include_bots,
            limit: out.rows,
            wrap_prose: tty,
            warnings_home: warnings_home(Some(out), saved, "--json FILE"),
        },
    );
    write_stdout(&table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_fold_by_kind() {
        let w = |s: &str| s.to_string();
        let warnings = vec![
            w(".mailmap line 3: '<' without a closing '>'; git ignores this line: \"A <b\""),
            w(".mailmap line 12: no <email> found; git ignores this line: \"x\""),
            w("commit 21561c9d265f: message is not valid UTF-8 and declares no encoding"),
            w("commit 6a0a2d56ba84: message is not valid UTF-8 and declares no encoding"),
            w("commit 6a0a2d56ba84: cannot read its changes (object 3ad4 not found)"),
            w("shallow clone: history is cut"),
        ];
        assert_eq!(warning_kind(&warnings[0]), ".mailmap line #");
        assert_eq!(warning_kind(&warnings[1]), ".mailmap line #");
        assert_eq!(
            warning_kind(&warnings[2]),
            "commit #: message is not valid UTF-# and declares no encoding"
        );
        let lines = folded_warnings(&warnings, false, "all are in r.json");
        assert_eq!(
            lines,
            [
                ".mailmap line 3: '<' without a closing '>'; git ignores this line: \"A <b\" \
                 (and 1 more like it; all are in r.json)",
                "commit 21561c9d265f: message is not valid UTF-8 and declares no encoding \
                 (and 1 more like it; all are in r.json)",
                "commit 6a0a2d56ba84: cannot read its changes (object 3ad4 not found)",
                "shallow clone: history is cut",
            ]
        );
        assert_eq!(
            folded_warnings(&warnings, true, "all are in r.json"),
            ["6 warnings, the same as at the last scan (all are in r.json)"]
        );
        assert!(folded_warnings(&[], true, "x").is_empty());
    }
}
