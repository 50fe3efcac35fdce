//! What the charts show, computed from the report alone: period axes with the gaps filled, the
//! team's people, team sums per period, and the help matrix.

use crate::category::{Category, Counts};
use crate::date::unix_day;
use crate::model::{Person, Report, Window};
use std::collections::{BTreeMap, HashMap, HashSet};

/// More slots than this on a period axis and the gaps are not filled (a bogus commit date in 1970
/// would otherwise make thousands of empty weeks).
const MAX_SLOTS: i64 = 3000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PeriodKind {
    Month,
    Week,
    Quarter,
    Year,
}

impl PeriodKind {
    pub(crate) fn of(window: &Window) -> PeriodKind {
        match window.period.as_str() {
            "week" => PeriodKind::Week,
            "quarter" => PeriodKind::Quarter,
            "year" => PeriodKind::Year,
            _ => PeriodKind::Month,
        }
    }

    /// The word for one period, for axis titles (`per month`).
    pub(crate) fn noun(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Week => "week",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }

    /// A label (`2024-03`, `2024-W05`, `2024-Q1`) → a running index of the period.
    pub(crate) fn index(self, label: &str) -> Option<i64> {
        if self == PeriodKind::Year {
            let y: i64 = label.parse().ok().filter(|_| label.len() == 4)?;
            return (self.label(y) == label).then_some(y);
        }
        let (y, rest) = label.split_once('-')?;
        if y.len() != 4 {
            return None;
        }
        let y: i64 = y.parse().ok()?;
        let idx = match self {
            PeriodKind::Month => {
                let m: i64 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
                y * 12 + m - 1
            }
            PeriodKind::Quarter => {
                let q: i64 = rest.strip_prefix('Q')?.parse().ok()?;
                (1..=4).contains(&q).then_some(y * 4 + q - 1)?
            }
            PeriodKind::Week => {
                let w: i8 = rest.strip_prefix('W')?.parse().ok()?;
                let week = jiff::civil::ISOWeekDate::new(y as i16, w, jiff::civil::Weekday::Monday);
                (unix_day(week.ok()?.date()) - 4).div_euclid(7)
            }
            PeriodKind::Year => y,
        };
        (self.label(idx) == label).then_some(idx)
    }

    pub(crate) fn label(self, idx: i64) -> String {
        match self {
            PeriodKind::Month => format!("{:04}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1),
            PeriodKind::Quarter => format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
            PeriodKind::Year => format!("{idx:04}"),
            PeriodKind::Week => {
                let week = monday(idx).iso_week_date();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
        }
    }

    /// The (year, month) a period starts in (a week: its Monday).
    pub(crate) fn start_month(self, idx: i64) -> (i64, i64) {
        match self {
            PeriodKind::Month => (idx.div_euclid(12), idx.rem_euclid(12) + 1),
            PeriodKind::Quarter => (idx.div_euclid(4), idx.rem_euclid(4) * 3 + 1),
            PeriodKind::Year => (idx, 1),
            PeriodKind::Week => {
                let d = monday(idx);
                (d.year() as i64, d.month() as i64)
            }
        }
    }

    /// The period a window bound falls in (its UTC day).
    fn index_of_date(self, t: jiff::Timestamp) -> i64 {
        let d = crate::date::day(t);
        let (y, m) = (d.year() as i64, d.month() as i64);
        match self {
            PeriodKind::Month => y * 12 + m - 1,
            PeriodKind::Quarter => y * 4 + (m - 1) / 3,
            PeriodKind::Year => y,
            PeriodKind::Week => {
                let monday = unix_day(d) - d.weekday().to_monday_zero_offset() as i64;
                (monday - 4).div_euclid(7)
            }
        }
    }
}

/// The Monday of a week's running index (week 0 starts on Monday 1970-01-05).
fn monday(idx: i64) -> jiff::civil::Date {
    crate::date::date_of_day(idx.saturating_mul(7).saturating_add(4))
}

/// One period on a time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub label: String,
    /// The running index (`None` when the label could not be read: no gap filling then).
    pub idx: Option<i64>,
}

/// A time axis: every period from the first to the last with data (widened to the window's
/// bounds where the report has them), with the counts summed per period.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub kind: PeriodKind,
    pub slots: Vec<Slot>,
    pub counts: Vec<Counts>,
}

impl Series {
    pub(crate) fn new<'a>(
        window: &Window,
        entries: impl Iterator<Item = (&'a str, &'a Counts)>,
    ) -> Series {
        let kind = PeriodKind::of(window);
        let mut sums: BTreeMap<&str, Counts> = BTreeMap::new();
        for (label, c) in entries {
            sums.entry(label).or_default().add(c);
        }
        if sums.is_empty() {
            return Series {
                kind,
                slots: Vec::new(),
                counts: Vec::new(),
            };
        }
        let indexed: Option<BTreeMap<i64, Counts>> = sums
            .iter()
            .map(|(l, c)| kind.index(l).map(|i| (i, *c)))
            .collect();
        let Some(indexed) = indexed else {
            // Labels we cannot read: show them as they are, in order, without filling gaps.
            let (slots, counts) = sums
                .into_iter()
                .map(|(l, c)| {
                    (
                        Slot {
                            label: l.to_string(),
                            idx: None,
                        },
                        c,
                    )
                })
                .unzip();
            return Series {
                kind,
                slots,
                counts,
            };
        };
        let (&lo, _) = indexed.first_key_value().expect("not empty");
        let (&hi, _) = indexed.last_key_value().expect("not empty");
        let since = window.since.map(|d| kind.index_of_date(d));
        let until = window.until.map(|d| kind.index_of_date(d));
        let mut first = since
            .filter(|&s| s <= lo && hi - s < MAX_SLOTS)
            .unwrap_or(lo);
        let mut last = until
            .filter(|&u| u >= hi && u - first < MAX_SLOTS)
            .unwrap_or(hi);
        if last - first >= MAX_SLOTS {
            // Too long to fill: only the periods with data.
            let (slots, counts) = indexed
                .into_iter()
                .map(|(i, c)| {
                    (
                        Slot {
                            label: kind.label(i),
                            idx: Some(i),
                        },
                        c,
                    )
                })
                .unzip();
            return Series {
                kind,
                slots,
                counts,
            };
        }
        first = first.min(lo);
        last = last.max(hi);
        let slots = (first..=last)
            .map(|i| Slot {
                label: kind.label(i),
                idx: Some(i),
            })
            .collect();
        let counts = (first..=last)
            .map(|i| indexed.get(&i).copied().unwrap_or_default())
            .collect();
        Series {
            kind,
            slots,
            counts,
        }
    }

    pub(crate) fn of_person(window: &Window, p: &Person) -> Series {
        Series::new(
            window,
            p.timeline
                .iter()
                .map(|t| (t.period.as_str(), &t.categories)),
        )
    }

    pub(crate) fn of_team(report: &Report) -> Series {
        Series::new(
            &report.window,
            team_people(report)
                .into_iter()
                .flat_map(|p| p.timeline.iter())
                .map(|t| (t.period.as_str(), &t.categories)),
        )
    }

    /// Which slots get a tick label, and the label: months as `YYYY-MM` (weeks are labelled by
    /// the month their Monday falls in, at the first week of that month), quarters as `YYYY-Qn`.
    /// `fits` is how many labels fit along the axis.
    pub(crate) fn ticks(&self, fits: usize) -> Vec<(usize, String)> {
        let fits = fits.max(1);
        if self.slots.iter().any(|s| s.idx.is_none()) {
            let step = self.slots.len().div_ceil(fits).max(1);
            return self
                .slots
                .iter()
                .enumerate()
                .filter(|(i, _)| i % step == 0)
                .map(|(i, s)| (i, s.label.clone()))
                .collect();
        }
        // Candidates: the slots where a new month (or quarter) starts.
        let mut cands: Vec<(usize, i64, i64)> = Vec::new(); // (slot, year, month)
        let mut prev = None;
        for (i, s) in self.slots.iter().enumerate() {
            let ym = self.kind.start_month(s.idx.unwrap_or(0));
            if prev != Some(ym) {
                cands.push((i, ym.0, ym.1));
            }
            prev = Some(ym);
        }
        let steps: &[i64] = &[1, 2, 3, 6, 12, 24, 36, 60, 120, 240, 600];
        let step_of = |months: i64| {
            move |&&(_, y, m): &&(usize, i64, i64)| {
                if months < 12 {
                    (m - 1) % months == 0
                } else {
                    m == 1 && y.rem_euclid(months / 12) == 0
                }
            }
        };
        let min_step = match self.kind {
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
            _ => 1,
        };
        let chosen = steps
            .iter()
            .copied()
            .filter(|&s| s >= min_step)
            .map(|s| cands.iter().filter(step_of(s)).copied().collect::<Vec<_>>())
            .find(|v| v.len() <= fits && !v.is_empty())
            .unwrap_or_else(|| cands.first().copied().into_iter().collect());
        chosen
            .into_iter()
            .map(|(i, y, m)| {
                let label = match self.kind {
                    PeriodKind::Quarter | PeriodKind::Year => self.slots[i].label.clone(),
                    _ => format!("{y:04}-{m:02}"),
                };
                (i, label)
            })
            .collect()
    }
}

/// The people the team figures count (one definition for every reading of a report).
pub(crate) use crate::report::team_people;

/// The people of the team who have glue, most first (report order breaks ties).
pub(crate) fn glue_ranking(report: &Report) -> Vec<&Person> {
    let mut v: Vec<&Person> = team_people(report)
        .into_iter()
        .filter(|p| p.glue > 0)
        .collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.glue));
    v
}

/// Who helped whom: distinct commits where the row person was credited for glue work that
/// named the column person in `with`.
pub(crate) struct HelpMatrix<'a> {
    pub people: Vec<&'a Person>,
    /// counts[row][col]
    pub counts: Vec<Vec<u64>>,
    /// Team people with any help given or received.
    pub involved: usize,
}

impl<'a> HelpMatrix<'a> {
    pub(crate) fn new(report: &'a Report, top: usize) -> HelpMatrix<'a> {
        let team = team_people(report);
        let index: HashMap<&str, usize> = team
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        // Distinct pieces of work: a commit, or for forge evidence without a commit in the
        // history, a pull request.
        let mut seen: HashSet<(usize, usize, &str, crate::model::CommitId, Option<u64>)> =
            HashSet::new();
        let mut pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
        for (h, p) in team.iter().enumerate() {
            for e in p.evidence.iter().filter(|e| e.category.is_glue()) {
                for w in &e.with {
                    let Some(&t) = index.get(w.as_str()) else {
                        continue;
                    };
                    let work = (h, t, &*e.repo, e.commit, e.pr);
                    if t != h && seen.insert(work) {
                        *pairs.entry((h, t)).or_default() += 1;
                    }
                }
            }
        }
        let mut flow = vec![0u64; team.len()];
        for (&(h, t), &n) in &pairs {
            flow[h] += n;
            flow[t] += n;
        }
        let mut order: Vec<usize> = (0..team.len()).filter(|&i| flow[i] > 0).collect();
        let involved = order.len();
        // Most help given or received first; report order (glue, name, id) breaks ties.
        order.sort_by(|&a, &b| flow[b].cmp(&flow[a]).then(a.cmp(&b)));
        order.truncate(top);
        let pos: HashMap<usize, usize> = order.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let mut counts = vec![vec![0u64; order.len()]; order.len()];
        for (&(h, t), &n) in &pairs {
            if let (Some(&r), Some(&c)) = (pos.get(&h), pos.get(&t)) {
                counts[r][c] = n;
            }
        }
        HelpMatrix {
            people: order.iter().map(|&i| team[i]).collect(),
            counts,
            involved,
        }
    }

    pub(crate) fn max(&self) -> u64 {
        self.counts
            .iter()
            .flat_map(|r| r.iter())
            .copied()
            .max()
            .unwrap_or(0)
    }

    /// (pairs with help in at least one direction, of which both ways).
    pub(crate) fn pairs(&self) -> (usize, usize) {
        let n = self.people.len();
        let (mut any, mut both) = (0, 0);
        for r in 0..n {
            for c in r + 1..n {
                let (a, b) = (self.counts[r][c], self.counts[c][r]);
                if a > 0 || b > 0 {
                    any += 1;
                }
                if a > 0 && b > 0 {
                    both += 1;
                }
            }
        }
        (any, both)
    }
}

/// Sum of the glue categories of counts, by category (for stacking).
pub(crate) fn glue_parts(c: &Counts) -> [(Category, u64); 6] {
    Category::GLUE.map(|cat| (cat, c[cat]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels_round_trip() {
        for (kind, label) in [
            (PeriodKind::Month, "2024-03"),
            (PeriodKind::Quarter, "2024-Q4"),
            (PeriodKind::Week, "2024-W01"),
            (PeriodKind::Week, "2020-W53"),
            (PeriodKind::Week, "2025-W22"),
        ] {
            let i = kind.index(label).unwrap();
            assert_eq!(kind.label(i), label);
        }
        assert_eq!(PeriodKind::Month.index("2024-13"), None);
        assert_eq!(PeriodKind::Week.index("2021-W53"), None);
        let w = PeriodKind::Week;
        assert_eq!(w.label(w.index("2020-W53").unwrap() + 1), "2021-W01");
        assert_eq!(w.start_month(w.index("2024-W01").unwrap()), (2024, 1));
        assert_eq!(w.start_month(w.index("2025-W01").unwrap()), (2024, 12));
    }

    #[test]
    fn gaps_are_filled() {
        let window = Window {
            since: None,
            until: None,
            period: "month".into(),
            range: None,
        };
        let c = Counts {
            review: 1,
            ..Counts::default()
        };
        let s = Series::new(&window, [("2023-11", &c), ("2024-02", &c)].into_iter());
        let labels: Vec<&str> = s.slots.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2023-11", "2023-12", "2024-01", "2024-02"]);
        assert_eq!(s.counts[1], Counts::default());
        let window = Window {
            since: Some("2023-10-15T00:00:00Z".parse().unwrap()),
            until: Some("2024-03-31T23:59:59Z".parse().unwrap()),
            period: "month".into(),
            range: None,
        };
        let s = Series::new(&window, [("2023-11", &c)].into_iter());
        assert_eq!(s.slots.first().unwrap().label, "2023-10");
        assert_eq!(s.slots.last().unwrap().label, "2024-03");
    }

    #[test]
    fn help_on_pull_requests_without_commits_counts_each_pull_request() {
        let mut report: Report =
            Report::from_json(include_str!("../../../tests/golden/team.json"), |e| {
                e.to_string()
            })
            .unwrap();
        let count = |r: &Report, from: &str, to: &str| {
            let m = HelpMatrix::new(r, usize::MAX);
            let at = |id: &str| m.people.iter().position(|p| p.id == id);
            match (at(from), at(to)) {
                (Some(a), Some(b)) => m.counts[a][b],
                _ => 0,
            }
        };
        let (a, b) = (report.people[0].id.clone(), report.people[1].id.clone());
        let before = count(&report, &a, &b);
        for pr in [901, 902] {
            report.people[0].evidence.push(crate::model::Evidence {
                category: crate::category::Category::Review,
                kind: "pr-review:approved".into(),
                row: crate::model::Evidence::UNINDEXED,
                with: vec![b.as_str().into()],
                with_more: 0,
                facts: std::sync::Arc::new(crate::model::CommitRow {
                    repo: "team".into(),
                    commit: crate::model::CommitId::NULL,
                    date: crate::date::timestamp(1_717_200_000),
                    subject: format!("pull request #{pr}").into(),
                    pr: Some(pr),
                    url: Some(format!("https://github.com/acme/team/pull/{pr}").into()),
                }),
            });
        }
        assert_eq!(count(&report, &a, &b), before + 2);
    }

    #[test]
    fn ticks_pick_round_months() {
        let window = Window {
            since: None,
            until: None,
            period: "month".into(),
            range: None,
        };
        let c = Counts::default();
        let s = Series::new(&window, [("2016-07", &c), ("2024-11", &c)].into_iter());
        let t = s.ticks(12);
        assert!(t.iter().all(|(_, l)| l.ends_with("-01")));
        assert!(t.len() <= 12);
        let t = s.ticks(1000);
        assert_eq!(t.len(), s.slots.len());
    }
}
