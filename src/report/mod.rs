//! Readings of a report for the documents and the CI gate: who is on a team, finding a person,
//! which glue categories rest on one or two people and who could share them, which credits are
//! preventative work. Pure functions of the model (docs/reports.md explains each rule).

pub mod gate;
pub mod links;

use crate::category::Category;
use crate::model::{Evidence, Person, Report, Team};

/// The people a report's team figures count: humans, and bots too when the report was made with
/// `--include-bots` (then the team counts everyone). Report order (most glue first).
pub fn team_people(report: &Report) -> Vec<&Person> {
    let with_bots = report.team.people as usize == report.people.len();
    report
        .people
        .iter()
        .filter(|p| with_bots || !p.bot)
        .collect()
}

/// The people of a configured team (`other`: people in no team), counted as the team's figures
/// count them. Report order.
pub fn team_members<'a>(report: &'a Report, name: &str) -> Vec<&'a Person> {
    let with_bots = report.team.people as usize == report.people.len();
    report
        .people
        .iter()
        .filter(|p| with_bots || !p.bot)
        .filter(|p| {
            if name == "other" && !p.teams.iter().any(|t| t == "other") {
                p.teams.is_empty()
            } else {
                p.teams.iter().any(|t| t == name)
            }
        })
        .collect()
}

/// Why a person could not be found.
#[derive(Debug)]
pub enum FindError<'a> {
    /// Nobody matches; `suggestions` are people whose name, email or login contains a word of
    /// the query.
    NoMatch { suggestions: Vec<&'a Person> },
    /// Several people match.
    Ambiguous { candidates: Vec<&'a Person> },
}

/// Finds one person by id, name, email or login (`@login` or `login`), case-insensitively.
/// Without an exact match, a query that is part of exactly one person's name, email or login
/// finds that person (the caller should say whom it picked); several such people are
/// ambiguous.
pub fn find_person<'a>(report: &'a Report, query: &str) -> Result<&'a Person, FindError<'a>> {
    let q = query.trim();
    if let Some(p) = report.person_by_id(q) {
        return Ok(p);
    }
    let ql = q.to_lowercase();
    let bare = ql.trim_start_matches('@');
    let exact: Vec<&Person> = report.people.iter().filter(|p| is_exactly(p, q)).collect();
    match exact.len() {
        1 => return Ok(exact[0]),
        0 => {}
        _ => return Err(FindError::Ambiguous { candidates: exact }),
    }
    let contains = |p: &Person, needle: &str| {
        !needle.is_empty()
            && (p.name.to_lowercase().contains(needle)
                || p.email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(needle))
                || p.login
                    .as_deref()
                    .is_some_and(|l| l.to_lowercase().contains(needle)))
    };
    let partial: Vec<&Person> = report.people.iter().filter(|p| contains(p, bare)).collect();
    match partial.len() {
        1 => Ok(partial[0]),
        0 => {
            let words: Vec<&str> = bare
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .collect();
            let suggestions = report
                .people
                .iter()
                .filter(|p| words.iter().any(|w| contains(p, w)))
                .take(10)
                .collect();
            Err(FindError::NoMatch { suggestions })
        }
        _ => Err(FindError::Ambiguous {
            candidates: partial,
        }),
    }
}

/// Whether `query` is exactly the person's id, name, email or login (`@login` or `login`),
/// case-insensitively: what [`find_person`] tries first, and what a caller checks to say
/// whom a partial query picked.
pub fn is_exactly(p: &Person, query: &str) -> bool {
    let ql = query.trim().to_lowercase();
    let bare = ql.trim_start_matches('@');
    p.id.to_lowercase() == ql
        || p.name.to_lowercase() == ql
        || p.email.as_deref().is_some_and(|e| e.to_lowercase() == ql)
        || p.login
            .as_deref()
            .is_some_and(|l| l.trim_start_matches('@').to_lowercase() == bare)
}

/// The median of the people's glue shares (0 for nobody).
pub fn median_glue_share(people: &[&Person]) -> f64 {
    let mut v: Vec<f64> = people.iter().map(|p| p.glue_share).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A glue category is "carried by one or two people" when one or two people — fewer than half
/// of the team, and with more credits in it than anyone else — together carry more than half
/// of its credits, and it has at least this many credits.
pub const CARRIED_MIN_CREDITS: u64 = 3;
/// At most this many people are suggested to share a category.
pub const MAX_CANDIDATES: usize = 5;

/// Someone who could share a category's work.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub person: &'a Person,
    /// Their code commits in the areas where the carriers do glue work.
    pub code: u64,
    /// Those areas (repository, area), most code first.
    pub areas: Vec<(String, String, u64)>,
}

/// A glue category that rests on one or two people.
#[derive(Debug, Clone)]
pub struct Carried<'a> {
    pub category: Category,
    /// The team's credits in the category.
    pub total: u64,
    /// The people carrying it, most first, with their counts.
    pub carriers: Vec<(&'a Person, u64)>,
    /// The carriers' share of the category.
    pub share: f64,
    /// People with code in the carriers' areas and a glue share below the team's median.
    pub candidates: Vec<Candidate<'a>>,
    /// The team's median glue share.
    pub median: f64,
}

/// The glue categories that rest on one or two of `people`, with who could share each.
pub fn carried<'a>(people: &[&'a Person]) -> Vec<Carried<'a>> {
    let n = people.len();
    let median = median_glue_share(people);
    let mut out = Vec::new();
    for c in Category::GLUE {
        let total: u64 = people.iter().map(|p| p.categories[c]).sum();
        if total < CARRIED_MIN_CREDITS {
            continue;
        }
        let mut ranked: Vec<(&Person, u64)> = people
            .iter()
            .map(|p| (*p, p.categories[c]))
            .filter(|(_, k)| *k > 0)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        let mut found = None;
        for k in 1..=2usize.min(ranked.len()) {
            if 2 * k >= n {
                break;
            }
            // A tie at the edge (1, 1, 1) is no group of carriers: others do as much.
            if ranked.get(k).is_some_and(|next| next.1 == ranked[k - 1].1) {
                continue;
            }
            let sum: u64 = ranked[..k].iter().map(|(_, v)| v).sum();
            if 2 * sum > total {
                found = Some((k, sum));
                break;
            }
        }
        let Some((k, sum)) = found else { continue };
        let carriers: Vec<(&Person, u64)> = ranked[..k].to_vec();
        // The areas where the carriers do glue work.
        let areas: std::collections::BTreeSet<(&str, &str)> = carriers
            .iter()
            .flat_map(|(p, _)| p.areas.iter())
            .filter(|a| a.glue > 0)
            .map(|a| (a.repo.as_str(), a.area.as_str()))
            .collect();
        let mut candidates: Vec<Candidate> = people
            .iter()
            .filter(|p| !carriers.iter().any(|(c, _)| c.id == p.id))
            .filter(|p| p.glue_share < median)
            .filter_map(|p| {
                let mut shared: Vec<(String, String, u64)> = p
                    .areas
                    .iter()
                    .filter(|a| a.code > 0 && areas.contains(&(a.repo.as_str(), a.area.as_str())))
                    .map(|a| (a.repo.clone(), a.area.clone(), a.code))
                    .collect();
                if shared.is_empty() {
                    return None;
                }
                shared.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
                Some(Candidate {
                    person: p,
                    code: shared.iter().map(|a| a.2).sum(),
                    areas: shared,
                })
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.code
                .cmp(&a.code)
                .then_with(|| a.person.glue_share.total_cmp(&b.person.glue_share))
                .then_with(|| a.person.name.cmp(&b.person.name))
                .then_with(|| a.person.id.cmp(&b.person.id))
        });
        candidates.truncate(MAX_CANDIDATES);
        out.push(Carried {
            category: c,
            total,
            carriers,
            share: sum as f64 / total as f64,
            candidates,
            median,
        });
    }
    out
}

/// The people (first `people_for_half` of them by glue) who carry half of the glue.
pub fn half_carriers<'a>(people: &[&'a Person], team: &Team) -> Vec<&'a Person> {
    let mut v: Vec<&Person> = people.iter().copied().filter(|p| p.glue > 0).collect();
    v.sort_by(|a, b| b.glue.cmp(&a.glue).then_with(|| a.name.cmp(&b.name)));
    v.truncate(team.people_for_half as usize);
    v
}

/// A plain reading of a Gini coefficient.
pub fn gini_reading(gini: f64) -> &'static str {
    if gini < 0.3 {
        "fairly evenly shared"
    } else if gini < 0.6 {
        "moderately concentrated"
    } else {
        "concentrated on a few people"
    }
}

/// Kinds of preventative work: problems caught before or after they hurt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Prevention {
    /// Credited in `Reported-by`, `Noticed-by`, `Pointed-out-by`, `Bisected-by` … lines.
    Caught,
    /// Credited in `Tested-by` lines.
    Tested,
    /// Reverts they made.
    Reverted,
}

impl Prevention {
    pub const ALL: [Prevention; 3] = [Prevention::Caught, Prevention::Tested, Prevention::Reverted];
}

/// Whether an evidence item is preventative work, and which kind: `trailer:<key>` credits whose
/// key names catching a problem (`reported`, `noticed`, `pointed-out`, `bisected`, `spotted`,
/// `caught`, `found`), `Tested-by`-style credits (`tested`), and `revert`s.
pub fn prevention(e: &Evidence) -> Option<Prevention> {
    if e.kind == "revert" {
        return Some(Prevention::Reverted);
    }
    let key = e.kind.strip_prefix("trailer:")?;
    const CAUGHT: [&str; 7] = [
        "report",
        "notic",
        "pointed-out",
        "bisect",
        "spotted",
        "caught",
        "found",
    ];
    if CAUGHT.iter().any(|w| key.contains(w)) {
        Some(Prevention::Caught)
    } else if key.contains("test") {
        Some(Prevention::Tested)
    } else {
        None
    }
}

/// People's names by id, for looking up many ids.
pub struct Names<'a>(std::collections::HashMap<&'a str, &'a str>);

impl<'a> Names<'a> {
    pub fn of(report: &'a Report) -> Names<'a> {
        Names(
            report
                .people
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
        )
    }

    /// The name of `id`, or `id` itself when nobody in the report has it.
    pub fn get<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.0.get(id).copied().unwrap_or(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Counts;
    use crate::model::AreaCounts;

    fn person(id: &str, glue: [u64; 6], code: u64, areas: &[(&str, u64, u64)]) -> Person {
        let mut categories = Counts::default();
        for (c, v) in Category::GLUE.iter().zip(glue) {
            categories[*c] = v;
        }
        categories.code = code;
        let g: u64 = glue.iter().sum();
        Person {
            id: id.to_string(),
            name: id.to_string(),
            email: None,
            login: None,
            aliases: vec![],
            joins: vec![],
            bot: false,
            teams: vec![],
            commits: code,
            categories,
            glue: g,
            glue_share: if g + code == 0 {
                0.0
            } else {
                g as f64 / (g + code) as f64
            },
            first_seen: None,
            last_seen: None,
            by_repo: vec![],
            review_comments: 0,
            review_comment_prs: 0,
            areas: areas
                .iter()
                .map(|(a, code, glue)| AreaCounts {
                    repo: "r".into(),
                    area: a.to_string(),
                    code: *code,
                    glue: *glue,
                })
                .collect(),
            timeline: vec![],
            evidence: vec![],
        }
    }

    #[test]
    fn carried_categories_and_candidates() {
        let a = person("a", [9, 0, 0, 0, 0, 0], 1, &[("src", 1, 9)]);
        let b = person("b", [1, 1, 0, 0, 0, 0], 8, &[("src", 8, 1)]);
        let c = person("c", [0, 1, 0, 0, 0, 0], 5, &[("docs", 5, 1)]);
        let d = person("d", [0, 1, 0, 0, 0, 0], 1, &[("src", 1, 1)]);
        let e = person("e", [0, 0, 0, 0, 0, 0], 2, &[("src", 2, 0)]);
        let people = vec![&a, &b, &c, &d, &e];
        let got = carried(&people);
        // Review: a carries 9 of 10. Docs: 3 credits spread evenly over 3 people: not carried
        // (two of them hold two thirds, but the third does as much).
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].category, Category::Review);
        assert_eq!(got[0].carriers.len(), 1);
        assert_eq!(got[0].carriers[0].0.id, "a");
        // Median glue share: shares a .9, b .2, c .167, d .5, e 0 → .2; below it with code in
        // src: e (c has code only in docs; b is not below the median).
        let ids: Vec<&str> = got[0]
            .candidates
            .iter()
            .map(|c| c.person.id.as_str())
            .collect();
        assert_eq!(ids, ["e"]);
    }

    #[test]
    fn small_teams_have_no_carriers() {
        let a = person("a", [9, 0, 0, 0, 0, 0], 1, &[]);
        let b = person("b", [1, 0, 0, 0, 0, 0], 1, &[]);
        assert!(carried(&[&a, &b]).is_empty());
    }

    #[test]
    fn exact_queries() {
        let mut p = person("ada@example.com", [0; 6], 0, &[]);
        p.name = "Ada Lovelace".into();
        p.email = Some("ada@example.com".into());
        p.login = Some("@ada".into());
        for q in [
            "ada@example.com",
            "ADA LOVELACE",
            "@ada",
            "ada",
            " Ada Lovelace ",
        ] {
            assert!(is_exactly(&p, q), "{q:?}");
        }
        for q in ["lovelace", "@ad", "", "example.com"] {
            assert!(!is_exactly(&p, q), "{q:?}");
        }
    }

    #[test]
    fn median() {
        let a = person("a", [1, 0, 0, 0, 0, 0], 1, &[]);
        let b = person("b", [0, 0, 0, 0, 0, 0], 1, &[]);
        assert_eq!(median_glue_share(&[&a, &b]), 0.25);
        assert_eq!(median_glue_share(&[]), 0.0);
    }
}
