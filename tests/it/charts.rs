//! Charts: SVGs are well-formed XML with the expected titles, labels and escaped names; PNGs
//! decode at their documented sizes; SVGs for the fixture report match the golden files
//! (regenerate them with `GLUEWORK_BLESS=1 cargo test --test it charts::`).

use gluework::model::{Person, Report};
use gluework::render::chart::{
    concentration_svg, glue_profile_svg, select_people, slug, slugs, timeline_svg, trend_svg,
    who_carries_glue_svg, who_helps_whom_svg, write_charts, ChartError, ChartFormat, ChartKind,
    ChartOptions, PeopleSelection,
};
use std::path::{Path, PathBuf};

const HOSTILE: &str = "<script>alert(1)</script> & \"Bob\" 'O'Neil";

fn fixture() -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chart-report.json");
    let text = std::fs::read_to_string(&path).expect("fixture report");
    serde_json::from_str(&text).expect("fixture report parses")
}

fn person<'a>(r: &'a Report, id: &str) -> &'a Person {
    r.person_by_id(id).expect("person in fixture")
}

/// Parses an SVG and returns its `<title>` and every text node (trimmed), in document order.
fn texts(svg: &str) -> (String, Vec<String>) {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(
        doc.descendants().all(|n| n.tag_name().name() != "script"),
        "an element named script"
    );
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string();
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect();
    (title, texts)
}

fn has(texts: &[String], needle: &str) -> bool {
    texts.iter().any(|t| t.contains(needle))
}

fn assert_has(texts: &[String], needle: &str) {
    assert!(
        has(texts, needle),
        "no text containing {needle:?} in {texts:#?}"
    );
}

#[test]
fn profile_svg_has_title_labels_and_counts() {
    let r = fixture();
    let ada = person(&r, "ada@example.com");
    let svg = glue_profile_svg(&r, ada);
    let (title, t) = texts(&svg);
    assert_eq!(title, "Glue profile: Ada Lovelace");
    assert_has(&t, "Glue profile: Ada Lovelace");
    assert_has(&t, "Repositories: api, web");
    assert_has(&t, "2024-01-01 to 2024-04-30");
    for label in [
        "Review",
        "Docs",
        "Co-authored fix",
        "Onboarding",
        "Support",
        "Maintenance",
        "Code",
        "Commits credited",
    ] {
        assert!(t.iter().any(|x| x == label), "{label}");
    }
    // Counts over the bars: review 4, docs 2, code 3.
    assert!(t.iter().any(|x| x == "4"));
    assert!(t.iter().any(|x| x == "3"));
    // Integer ticks only.
    for x in &t {
        if let Ok(v) = x.replace(',', "").parse::<f64>() {
            assert_eq!(v.fract(), 0.0, "{x}");
        }
    }
    // Okabe–Ito colours for the categories, grey for code.
    for colour in ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#B4B4B4"] {
        assert!(svg.contains(colour), "{colour}");
    }
}

#[test]
fn hostile_name_is_escaped_everywhere() {
    let r = fixture();
    let bob = person(&r, "bob@example.com");
    let all = [
        glue_profile_svg(&r, bob),
        timeline_svg(&r, bob),
        who_carries_glue_svg(&r, 15),
        who_helps_whom_svg(&r, 15),
    ];
    for (i, svg) in all.iter().enumerate() {
        assert!(!svg.contains("<script"), "raw markup in SVG");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
        let (_, t) = texts(svg);
        // Parsed back, the name reads as written (shortened with … in the narrow row labels).
        if i < 2 {
            assert_has(&t, HOSTILE);
        } else {
            assert_has(&t, "<script>alert(1)</script> &");
        }
    }
    let (title, _) = texts(&all[0]);
    assert_eq!(title, format!("Glue profile: {HOSTILE}"));
}

#[test]
fn control_characters_never_break_the_xml() {
    let mut r = fixture();
    let nasty = "Eve\u{1b}[31m\u{0}\u{7}\u{FFFF}\u{202E}gnirts\r\nNext ]]> <!-- -->";
    r.people[0].name = nasty.to_string();
    r.repositories[0].name = "repo\u{0}<x>".to_string();
    r.people[0].by_repo[0].repo = "repo\u{0}<x>".to_string();
    let p = r.people[0].clone();
    for svg in [
        glue_profile_svg(&r, &p),
        timeline_svg(&r, &p),
        who_carries_glue_svg(&r, 15),
        who_helps_whom_svg(&r, 15),
        concentration_svg(&r),
    ] {
        let (_, t) = texts(&svg);
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{1b}') && !svg.contains('\u{202E}'));
        assert!(t.iter().all(|x| !x.contains('\n')));
    }
    let (title, _) = texts(&glue_profile_svg(&r, &p));
    assert_eq!(
        title,
        "Glue profile: Eve\u{FFFD}[31m\u{FFFD}\u{FFFD}\u{FFFD}gnirts Next ]]> <!-- -->"
    );
    let dir = tempfile::tempdir().unwrap();
    write_charts(&r, dir.path(), &ChartOptions::default()).unwrap();
}

#[test]
fn long_names_are_shortened_and_scripts_kept() {
    let r = fixture();
    let (_, t) = texts(&who_carries_glue_svg(&r, 15));
    let long = t
        .iter()
        .find(|x| x.starts_with("Maximiliana"))
        .expect("long name");
    assert!(long.ends_with('…'), "{long}");
    assert!(long.chars().count() < 60, "{long}");
    // Non-Latin names stay as they are in SVG (the viewer's fonts draw them).
    assert_has(&t, "李明");
    assert_has(&t, "דוד לוי");
    assert_has(&t, "علي حسن");
    let (title, _) = texts(&glue_profile_svg(&r, person(&r, "zoe@example.com")));
    assert_eq!(title, "Glue profile: Zoë Ångström");
    let max = person(&r, "max@example.com");
    let (title, t) = texts(&glue_profile_svg(&r, max));
    assert!(
        title.contains("Liechtenstein-Vaduz der Dritte"),
        "full name in <title>"
    );
    let shown = t.iter().find(|x| x.starts_with("Glue profile:")).unwrap();
    assert!(shown.ends_with("der Dritte") || shown.ends_with('…'));
}

#[test]
fn team_charts_have_titles_legends_and_axes() {
    let r = fixture();
    let (title, t) = texts(&who_carries_glue_svg(&r, 15));
    assert_eq!(title, "Who carries the glue");
    assert_has(&t, "All 6 people with glue work (7 in the team)");
    assert_has(&t, "Glue work (commits credited)");
    assert_has(&t, "Team share");
    assert_has(&t, "Own-work share");
    for label in [
        "Review",
        "Docs",
        "Co-authored fix",
        "Onboarding",
        "Support",
        "Maintenance",
    ] {
        assert!(t.iter().any(|x| x == label), "legend {label}");
    }
    // Bots are not on team charts.
    assert!(!has(&t, "dependabot"));
    // Ada has 9 of the team's 19 glue credits.
    assert_has(&t, "47%");

    let (title, t) = texts(&concentration_svg(&r));
    assert_eq!(title, "How concentrated is glue work?");
    assert_has(&t, &format!("Gini {:.2}", r.team.gini));
    assert_has(&t, "2 of 7 people carry half of all glue");
    assert_has(&t, "Perfect balance");
    assert_has(&t, "Actual distribution (Lorenz curve)");
    assert_has(&t, "People, from least to most glue (cumulative %)");
    assert_has(&t, "Glue work (cumulative %)");

    let (title, t) = texts(&trend_svg(&r));
    assert_eq!(title, "Team glue work over time");
    assert_has(&t, "Glue share of all credited work (right axis)");
    assert_has(&t, "Glue work per month (commits credited)");
    assert_has(&t, "Month (YYYY-MM)");
    // The gap month is on the axis.
    for m in ["2024-01", "2024-02", "2024-03", "2024-04"] {
        assert!(t.iter().any(|x| x == m), "{m}");
    }

    let (title, t) = texts(&who_helps_whom_svg(&r, 15));
    assert_eq!(title, "Who helps whom");
    assert_has(&t, "Helpers (rows)");
    assert_has(&t, "People helped (columns)");
    assert_has(&t, "commits (log scale)");
    // Ada and Bob review each other; David and Ali share a fix: both ways.
    assert_has(&t, "helped each other both ways");
}

#[test]
fn timeline_fills_gap_months() {
    let r = fixture();
    let ada = person(&r, "ada@example.com");
    let (title, t) = texts(&timeline_svg(&r, ada));
    assert_eq!(title, "Glue work over time: Ada Lovelace");
    for m in ["2024-01", "2024-02", "2024-03", "2024-04"] {
        assert!(t.iter().any(|x| x == m), "{m}");
    }
    assert_has(&t, "Code (for scale)");
    assert_has(&t, "Commits credited per month");
}

#[test]
fn empty_cases_render_sensibly() {
    let r = fixture();
    // A person with no glue.
    let zoe = person(&r, "zoe@example.com");
    let (_, t) = texts(&glue_profile_svg(&r, zoe));
    assert_has(&t, "No glue work credited in this window");
    let (_, t) = texts(&timeline_svg(&r, zoe));
    assert_has(&t, "No glue work credited in this window");

    // A window with no commits.
    let mut empty = r.clone();
    empty.people.clear();
    empty.team.people = 0;
    empty.team.glue = 0;
    empty.team.commits = 0;
    empty.team.gini = 0.0;
    empty.team.people_for_half = 0;
    empty.team.categories = Default::default();
    let (_, t) = texts(&who_carries_glue_svg(&empty, 15));
    assert_has(&t, "No glue work in this window");
    let (_, t) = texts(&concentration_svg(&empty));
    assert_has(&t, "No glue work in this window");
    let (_, t) = texts(&trend_svg(&empty));
    assert_has(&t, "No commits in this window");
    let (_, t) = texts(&who_helps_whom_svg(&empty, 15));
    assert_has(&t, "No help between people was recorded");
    let dir = tempfile::tempdir().unwrap();
    let files = write_charts(&empty, dir.path(), &ChartOptions::default()).unwrap();
    assert_eq!(files.len(), 8, "team charts only: {files:?}");

    // A person with nothing at all in the window.
    let mut idle = zoe.clone();
    idle.categories = Default::default();
    idle.glue = 0;
    idle.timeline.clear();
    idle.by_repo.clear();
    let (_, t) = texts(&glue_profile_svg(&r, &idle));
    assert_has(&t, "No credited work in this window");
    let (_, t) = texts(&timeline_svg(&r, &idle));
    assert_has(&t, "No credited work in this window");

    // A team of one.
    let mut one = r.clone();
    one.people.retain(|p| p.id == "ada@example.com");
    one.team.people = 1;
    let (_, t) = texts(&concentration_svg(&one));
    assert_has(&t, "A team of one");
    assert_has(&t, "1 of 1 person carries half");
    let (_, t) = texts(&who_carries_glue_svg(&one, 15));
    assert_has(&t, "All 1 person with glue work");
    texts(&who_helps_whom_svg(&one, 15));
    texts(&trend_svg(&one));
}

#[test]
fn quarters_and_weeks_are_labelled() {
    let mut r = fixture();
    r.window.period = "quarter".into();
    for p in &mut r.people {
        for t in &mut p.timeline {
            let m: u32 = t.period[5..7].parse().unwrap();
            t.period = format!("{}-Q{}", &t.period[..4], (m - 1) / 3 + 1);
        }
    }
    let (_, t) = texts(&trend_svg(&r));
    assert_has(&t, "Quarter (YYYY-Qn)");
    assert!(t.iter().any(|x| x == "2024-Q1"));
    assert!(t.iter().any(|x| x == "2024-Q2"));

    let mut r = fixture();
    r.window.period = "week".into();
    let weeks = ["2024-W02", "2024-W07", "2024-W16"];
    for p in &mut r.people {
        for (i, t) in p.timeline.iter_mut().enumerate() {
            t.period = weeks[i % 3].to_string();
        }
    }
    let (_, t) = texts(&trend_svg(&r));
    assert_has(&t, "ISO week");
    assert_has(&t, "Glue work per week (commits credited)");
    // Weeks are labelled by month.
    assert!(t.iter().any(|x| x == "2024-02"), "{t:#?}");
}

#[test]
fn svg_is_deterministic() {
    let r = fixture();
    assert_eq!(who_helps_whom_svg(&r, 15), who_helps_whom_svg(&r, 15));
    let ada = person(&r, "ada@example.com");
    assert_eq!(timeline_svg(&r, ada), timeline_svg(&r, ada));
}

fn golden_charts(r: &Report) -> Vec<(String, String)> {
    let names = slugs(r);
    let mut out = vec![
        (
            "who-carries-glue.svg".to_string(),
            who_carries_glue_svg(r, 15),
        ),
        ("concentration.svg".to_string(), concentration_svg(r)),
        ("trend.svg".to_string(), trend_svg(r)),
        ("who-helps-whom.svg".to_string(), who_helps_whom_svg(r, 15)),
    ];
    for id in ["ada@example.com", "bob@example.com"] {
        let p = person(r, id);
        out.push((format!("{}-profile.svg", names[id]), glue_profile_svg(r, p)));
        out.push((format!("{}-timeline.svg", names[id]), timeline_svg(r, p)));
    }
    out
}

#[test]
fn golden_svgs() {
    let r = fixture();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/charts");
    let bless = std::env::var_os("GLUEWORK_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, svg) in golden_charts(&r) {
        let path = dir.join(&name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == svg => {}
            _ => stale.push(name),
        }
    }
    assert!(
        stale.is_empty(),
        "SVGs differ from tests/golden/charts: {stale:?}; if the change is intended, run \
         GLUEWORK_BLESS=1 cargo test --test it charts:: and review the diff"
    );
}

#[test]
fn write_charts_writes_svg_and_png_at_documented_sizes() {
    let r = fixture();
    let dir = tempfile::tempdir().unwrap();
    let opts = ChartOptions {
        format: ChartFormat::Both,
        top: 15,
        people: PeopleSelection::All,
        team: true,
    };
    let files = write_charts(&r, dir.path(), &opts).unwrap();
    let rel: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(dir.path()).unwrap().to_path_buf())
        .collect();
    // 4 team charts + 2 per person (8 people, the bot too with All), each as SVG and PNG.
    assert_eq!(files.len(), (4 + 2 * 8) * 2, "{rel:?}");
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    for want in [
        "who-carries-glue.svg",
        "who-carries-glue.png",
        "concentration.png",
        "trend.png",
        "who-helps-whom.png",
        "people/ada-lovelace-profile.png",
        "people/ada-lovelace-timeline.svg",
        "people/script-alert-1-script-bob-o-neil-profile.svg",
    ] {
        assert!(rel.contains(&PathBuf::from(want)), "{want} in {rel:?}");
    }
    let help_rows = 6; // everyone but Zoë gave or received help; the bot is not on team charts
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        // Every file name is a safe slug.
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'),
            "{name}"
        );
        let kind = if name.starts_with("who-carries-glue") {
            (ChartKind::WhoCarriesGlue, 7)
        } else if name.starts_with("who-helps-whom") {
            (ChartKind::WhoHelpsWhom, help_rows)
        } else if name.starts_with("concentration") {
            (ChartKind::Concentration, 0)
        } else if name.starts_with("trend") {
            (ChartKind::Trend, 0)
        } else if name.ends_with("-timeline.png") || name.ends_with("-timeline.svg") {
            (ChartKind::Timeline, 0)
        } else {
            (ChartKind::Profile, 0)
        };
        let (w, h) = kind.0.size(kind.1);
        if name.ends_with(".png") {
            let decoder = png::Decoder::new(std::fs::File::open(f).unwrap());
            let reader = decoder.read_info().expect("PNG decodes");
            let info = reader.info();
            assert_eq!((info.width, info.height), (w, h), "{name}");
        } else {
            let svg = std::fs::read_to_string(f).unwrap();
            texts(&svg);
            assert!(
                svg.contains(&format!("width=\"{w}\" height=\"{h}\"")),
                "{name}"
            );
        }
    }
    assert_eq!(ChartKind::Profile.size(0), (1200, 700));
    assert_eq!(ChartKind::WhoCarriesGlue.size(15), (1200, 700));
    assert_eq!(ChartKind::WhoCarriesGlue.size(30), (1200, 1130));
    assert_eq!(ChartKind::WhoHelpsWhom.size(15), (1200, 1050));
}

#[test]
fn write_charts_reports_the_file_on_failure() {
    let r = fixture();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("charts");
    std::fs::write(&blocker, "not a folder").unwrap();
    let err = write_charts(&r, &blocker, &ChartOptions::default()).unwrap_err();
    assert!(matches!(err, ChartError::CreateDir { .. }));
    assert!(err.to_string().contains("charts"), "{err}");
}

#[test]
fn png_only_and_one_person() {
    let r = fixture();
    let dir = tempfile::tempdir().unwrap();
    let opts = ChartOptions {
        format: ChartFormat::Png,
        top: 3,
        people: PeopleSelection::One("@liming".into()),
        team: true,
    };
    let files = write_charts(&r, dir.path(), &opts).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    let li = slugs(&r)["li.ming@example.cn"].clone();
    assert!(li.starts_with("liming-"), "{li}");
    assert_eq!(
        names,
        [
            "concentration.png".to_string(),
            format!("people/{li}-profile.png"),
            format!("people/{li}-timeline.png"),
            "trend.png".to_string(),
            "who-carries-glue.png".to_string(),
            "who-helps-whom.png".to_string(),
        ]
    );
    let decoder =
        png::Decoder::new(std::fs::File::open(dir.path().join("who-carries-glue.png")).unwrap());
    assert_eq!(
        decoder.read_info().unwrap().info().size(),
        ChartKind::WhoCarriesGlue.size(3)
    );

    // Without the team charts (what `gluework person` asks for): the person's two alone.
    let only = tempfile::tempdir().unwrap();
    let files = write_charts(
        &r,
        only.path(),
        &ChartOptions {
            team: false,
            ..opts
        },
    )
    .unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(only.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            format!("people/{li}-profile.png"),
            format!("people/{li}-timeline.png"),
        ]
    );
}

#[test]
fn top_zero_means_everyone_on_team_charts() {
    let r = fixture();
    assert_eq!(who_carries_glue_svg(&r, 0), who_carries_glue_svg(&r, 100));
    assert_eq!(who_helps_whom_svg(&r, 0), who_helps_whom_svg(&r, 100));
    let (_, t) = texts(&who_helps_whom_svg(&r, 2));
    assert_has(
        &t,
        "The 2 people who gave or received the most help, of 6 with any",
    );
    assert!(select_people(&r, &PeopleSelection::Top(0))
        .unwrap()
        .is_empty());
}

#[test]
fn selecting_people() {
    let r = fixture();
    let ids = |sel: PeopleSelection| -> Vec<String> {
        select_people(&r, &sel)
            .unwrap()
            .into_iter()
            .map(|p| p.id.clone())
            .collect()
    };
    assert_eq!(
        ids(PeopleSelection::Top(2)),
        ["ada@example.com", "bob@example.com"]
    );
    // Bots are left out of the top people but not of everyone.
    assert!(!ids(PeopleSelection::Top(15))
        .iter()
        .any(|i| i.contains("dependabot")));
    assert_eq!(ids(PeopleSelection::All).len(), 8);
    assert_eq!(ids(PeopleSelection::One("BOB".into())), ["bob@example.com"]);
    assert_eq!(
        ids(PeopleSelection::One("Ada@Example.com".into())),
        ["ada@example.com"]
    );
    assert_eq!(
        ids(PeopleSelection::One("ada lovelace".into())),
        ["ada@example.com"]
    );
    assert_eq!(
        ids(PeopleSelection::One("李明".into())),
        ["li.ming@example.cn"]
    );
    assert!(matches!(
        select_people(&r, &PeopleSelection::One("nobody".into())),
        Err(ChartError::NoSuchPerson(_))
    ));
    let mut twins = r.clone();
    twins.people[1].name = "Ada Lovelace".into();
    let err = select_people(&twins, &PeopleSelection::One("ada lovelace".into())).unwrap_err();
    assert!(
        matches!(err, ChartError::Ambiguous { count: 2, .. }),
        "{err}"
    );
    // An id always picks one.
    let p = select_people(&twins, &PeopleSelection::One("bob@example.com".into())).unwrap();
    assert_eq!(p.len(), 1);
}

/// `gluework person WHO` and `--person WHO` use one lookup: whatever one picks, the other
/// picks too (a part of one person's name included), and they refuse the same queries.
#[test]
fn person_and_person_charts_pick_the_same_person() {
    let r = fixture();
    let queries = [
        "lovelace",
        "BOB",
        "@",
        "ada",
        "example.com",
        "李明",
        "nobody",
        "zoe",
        "o",
    ];
    let mut picked = 0;
    for q in queries {
        let packet = gluework::report::find_person(&r, q)
            .ok()
            .map(|p| p.id.clone());
        let charts = select_people(&r, &PeopleSelection::One(q.into()))
            .ok()
            .map(|v| v[0].id.clone());
        assert_eq!(packet, charts, "{q:?}");
        picked += usize::from(packet.is_some());
    }
    assert!(picked >= 4, "the queries pick people");
    // A part of exactly one name: both pick that person.
    let p = select_people(&r, &PeopleSelection::One("lovelace".into())).unwrap();
    assert_eq!(p[0].id, "ada@example.com");
}

#[test]
fn slugs_are_safe_and_unique() {
    let mut r = fixture();
    let all = slugs(&r);
    assert_eq!(all["ada@example.com"], "ada-lovelace");
    assert_eq!(all["bob@example.com"], "script-alert-1-script-bob-o-neil");
    assert_eq!(all["zoe@example.com"], "zoe-angstrom");
    // No ASCII letters in the name: the email's local part and a hash of the id.
    assert!(all["david@example.il"].starts_with("david-"));
    assert_eq!(all["david@example.il"].len(), "david-".len() + 8);
    assert!(all["max@example.com"].len() <= 48);
    // Two people with one name: both get a hash, and they differ.
    r.people[1].name = "Ada Lovelace".into();
    let twins = slugs(&r);
    let (a, b) = (&twins["ada@example.com"], &twins["bob@example.com"]);
    assert!(a.starts_with("ada-lovelace-") && b.starts_with("ada-lovelace-") && a != b);
    // Stable: the same input gives the same slug.
    assert_eq!(slug(&r.people[0]), slug(&r.people[0].clone()));
    let mut seen = std::collections::HashSet::new();
    for s in twins.values() {
        assert!(seen.insert(s.clone()), "duplicate slug {s}");
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    }
}
