//! Calendar arithmetic on Unix timestamps, without a date crate: the report only needs UTC civil
//! dates, months, ISO weeks and quarters, and parsing of `YYYY-MM-DD` and RFC 3339.

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
pub fn format_utc(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// `YYYY-MM-DD` in UTC.
pub fn format_day(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The period a timestamp falls into, as a sortable label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    Month,
    Week,
    Quarter,
    Year,
    /// Chosen from the window's length ([`Period::resolve`]): month, quarter or year.
    #[default]
    Auto,
}

impl Period {
    /// `month`, `week`, `quarter`, `year` or `auto`: the name in configuration files and
    /// reports (a report's window always names the period it was made with, never `auto`).
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Week => "week",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::Auto => "auto",
        }
    }

    /// The period of a [`Period::name`].
    pub fn parse(name: &str) -> Option<Period> {
        [
            Period::Month,
            Period::Week,
            Period::Quarter,
            Period::Year,
            Period::Auto,
        ]
        .into_iter()
        .find(|p| p.name() == name)
    }

    /// `auto` made concrete for a window from `first` to `last` (Unix times): months up to two
    /// years, quarters up to six, years beyond, so a long history is not a zigzag of many small
    /// periods. Any other period is itself.
    pub fn resolve(self, first: i64, last: i64) -> Period {
        if self != Period::Auto {
            return self;
        }
        let days = (last - first).max(0) / 86_400;
        match days {
            0..=730 => Period::Month,
            731..=2192 => Period::Quarter,
            _ => Period::Year,
        }
    }

    /// The label of the period `ts` falls in (`auto`, never left unresolved in a report, labels
    /// by month).
    pub fn label(self, ts: i64) -> String {
        let days = ts.div_euclid(86_400);
        let (y, m, _) = civil_from_days(days);
        match self {
            Period::Year => format!("{y:04}"),
            Period::Month | Period::Auto => format!("{y:04}-{m:02}"),
            Period::Quarter => format!("{y:04}-Q{}", (m - 1) / 3 + 1),
            Period::Week => {
                let (wy, w) = iso_week(days);
                format!("{wy:04}-W{w:02}")
            }
        }
    }
}

/// ISO 8601 week-numbering year and week of a day count.
fn iso_week(days: i64) -> (i64, u32) {
    // 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
    let weekday = (days + 3).rem_euclid(7) + 1;
    let thursday = days - weekday + 4;
    let (y, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    (y, ((thursday - jan1) / 7 + 1) as u32)
}

/// Which end of a day a date-only bound means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Start,
    End,
}

/// A date that could not be read: what was given, and the forms that are understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not a date [`parse_bound`] takes.
    #[error("invalid date {0:?}: expected YYYY-MM-DD or RFC 3339 (e.g. 2024-03-01T12:00:00Z)")]
    Bound(String),
    /// Not a date [`parse_user_date`] takes.
    #[error(
        "invalid date {0:?}: expected YYYY-MM-DD, YYYY-MM, YYYY, RFC 3339 \
         (2024-03-01T12:00:00Z), `yesterday` or a relative date such as `2 weeks ago` \
         or `3.months.ago`"
    )]
    User(String),
}

/// Parses `YYYY-MM-DD` (the start or end of that UTC day), `YYYY-MM-DD HH:MM[:SS]` (UTC) or
/// RFC 3339 (`2024-03-01T12:00:00+02:00`, `…Z`, optional fraction). Returns a Unix timestamp.
pub fn parse_bound(s: &str, bound: Bound) -> Result<i64, DateError> {
    let err = || DateError::Bound(s.to_string());
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(err());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, DateError> {
        let t = s.get(r).ok_or_else(err)?;
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        t.parse::<i64>().map_err(|_| err())
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo as u32) as i64 {
        return Err(err());
    }
    let day = days_from_civil(y, mo as u32, d as u32);
    if b.len() == 10 {
        return Ok(match bound {
            Bound::Start => day * 86_400,
            Bound::End => day * 86_400 + 86_399,
        });
    }
    if b[10] != b'T' && b[10] != b't' && b[10] != b' ' {
        return Err(err());
    }
    let (h, mi) = (num(11..13)?, num(14..16)?);
    if b.get(13) != Some(&b':') {
        return Err(err());
    }
    let mut i = 16;
    let mut sec = 0;
    if b.get(16) == Some(&b':') {
        sec = num(17..19)?;
        i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    if h > 23 || mi > 59 || sec > 60 {
        return Err(err());
    }
    let offset = match &s[i..] {
        "" | "Z" | "z" => 0,
        rest if (rest.starts_with('+') || rest.starts_with('-')) && rest.len() == 6 => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            if rest.as_bytes()[3] != b':' || oh > 23 || om > 59 {
                return Err(err());
            }
            let o = oh * 3600 + om * 60;
            if rest.starts_with('-') {
                -o
            } else {
                o
            }
        }
        _ => return Err(err()),
    };
    Ok(day * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// The current time as a Unix time (0 if the clock is before 1970), for relative dates.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Parses a date as a person types it on the command line, the way git's `--since` takes it:
/// everything [`parse_bound`] takes, plus a year (`2024`) or a month (`2024-01`) meaning its
/// first or last second by `bound`, `now`, `yesterday`, and a relative date `N UNIT[S] [ago]`
/// with the words separated by spaces or dots (`2 weeks ago`, `3.months.ago`, `1 year`), where
/// UNIT is second, minute, hour, day, week, month or year and N a number, a number word up to
/// ten, or `last`/`a` for one (`last week`, `two days ago`). Months and years move the calendar
/// date (as git does: 31 March less one month is 3 March, since February has no 31st), the
/// rest move by whole seconds. Relative dates count back from `now`, a Unix time.
pub fn parse_user_date(s: &str, bound: Bound, now: i64) -> Result<i64, DateError> {
    if let Ok(t) = parse_bound(s, bound) {
        return Ok(t);
    }
    let err = || DateError::User(s.to_string());
    let t = s.trim().to_ascii_lowercase();
    let all_digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    // A year, or a year and a month.
    let (year, month) = match t.split_once('-') {
        None if t.len() == 4 && all_digits(&t) => (t.parse::<i64>().ok(), None),
        Some((y, m)) if y.len() == 4 && all_digits(y) && m.len() == 2 && all_digits(m) => {
            (y.parse::<i64>().ok(), m.parse::<u32>().ok())
        }
        _ => (None, None),
    };
    if let Some(y) = year {
        let (first, last) = match month {
            Some(m @ 1..=12) => (m, m),
            Some(_) => return Err(err()),
            None => (1, 12),
        };
        return Ok(match bound {
            Bound::Start => days_from_civil(y, first, 1) * 86_400,
            Bound::End => days_from_civil(y, last, days_in_month(y, last)) * 86_400 + 86_399,
        });
    }
    match t.as_str() {
        "now" => return Ok(now),
        "yesterday" => return Ok(now - 86_400),
        _ => {}
    }
    let words: Vec<&str> = t
        .split(|c: char| c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    const NUMBERS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let count = |w: &str| -> Option<i64> {
        if all_digits(w) && w.len() <= 6 {
            return w.parse().ok();
        }
        match w {
            "last" | "a" | "an" => Some(1),
            _ => NUMBERS.iter().position(|n| *n == w).map(|n| n as i64),
        }
    };
    let (n, unit) = match words.as_slice() {
        [n, unit] | [n, unit, "ago"] => (count(n).ok_or_else(err)?, *unit),
        _ => return Err(err()),
    };
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    let seconds = match unit {
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "month" | "year" => {
            let months = if unit == "year" { n * 12 } else { n };
            return Ok(months_before(now, months));
        }
        _ => return Err(err()),
    };
    Ok(now - n * seconds)
}

/// How many calendar months the window `since..=until` spans, when it is made of whole months
/// (it starts at the first second of a month and ends at the last second of one); else `None`.
pub fn whole_months(since: i64, until: i64) -> Option<i64> {
    let month_index = |ts: i64| -> Option<i64> {
        let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
        (d == 1 && ts.rem_euclid(86_400) == 0).then_some(y * 12 + m as i64 - 1)
    };
    let (a, b) = (month_index(since)?, month_index(until.checked_add(1)?)?);
    (b > a).then_some(b - a)
}

/// The time `months` calendar months after `ts` (before it, for a negative count), at the same
/// time of day, rolling over like `months_before`.
pub fn months_after(ts: i64, months: i64) -> i64 {
    months_before(ts, -months)
}

/// The time `months` calendar months before `ts`, at the same time of day; a day of the month
/// that the earlier month lacks rolls over into the next month, as git's (and C's `mktime`) do.
fn months_before(ts: i64, months: i64) -> i64 {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let index = y * 12 + (m as i64 - 1) - months;
    let (y, m) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    // days_from_civil counts a day past the month's end into the next month.
    days_from_civil(y, m, d) * 86_400 + secs
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A Unix time as the model's typed timestamp (whole seconds). Times beyond what a timestamp
/// holds (years -9999 to 9999; a hostile commit can carry any 64-bit time) are clamped to its
/// first or last second.
pub fn timestamp(ts: i64) -> jiff::Timestamp {
    let ts = ts.clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    jiff::Timestamp::from_second(ts).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Serde for a [`jiff::Timestamp`] at the JSON edge: `YYYY-MM-DDTHH:MM:SSZ` (as [`format_utc`]
/// writes it) out; RFC 3339 in (any offset; a fraction of a second is dropped).
pub mod rfc3339 {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_utc(t.as_second()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<jiff::Timestamp, D::Error> {
        crate::id::from_str(d, |s| parse(s).map_err(str::to_string))
    }

    /// Parses an RFC 3339 date (whole seconds kept); the message names no part of the text.
    pub fn parse(s: &str) -> Result<jiff::Timestamp, &'static str> {
        super::parse_bound(s, super::Bound::Start)
            .ok()
            .filter(|_| s.len() > 10)
            .map(super::timestamp)
            .ok_or("a date is not RFC 3339 (e.g. 2024-03-04T10:00:00Z)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_at_the_json_edge() {
        for text in [
            "2024-03-04T10:00:00Z",
            "1969-12-31T23:59:59Z",
            "9999-12-30T00:00:00Z",
        ] {
            let t = rfc3339::parse(text).unwrap();
            assert_eq!(format_utc(t.as_second()), text);
            assert_eq!(t.to_string(), text, "jiff writes it alike");
        }
        let t = rfc3339::parse("2024-03-04T12:00:00+02:00").unwrap();
        assert_eq!(format_utc(t.as_second()), "2024-03-04T10:00:00Z");
        for bad in ["2024-03-04", "yesterday", "2024-13-01T00:00:00Z", ""] {
            assert!(rfc3339::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            timestamp(i64::MAX).as_second(),
            jiff::Timestamp::MAX.as_second()
        );
        assert_eq!(
            timestamp(i64::MIN).as_second(),
            jiff::Timestamp::MIN.as_second()
        );
        assert_eq!(timestamp(1_709_546_400).as_second(), 1_709_546_400);
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000i64, -1, 0, 1, 19_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }

    #[test]
    fn formats() {
        assert_eq!(format_utc(1_704_448_800), "2024-01-05T10:00:00Z");
        assert_eq!(format_day(1_704_448_800), "2024-01-05");
        assert_eq!(Period::Month.label(1_704_448_800), "2024-01");
        assert_eq!(Period::Quarter.label(1_704_448_800), "2024-Q1");
        assert_eq!(Period::Year.label(1_704_448_800), "2024");
        let day = 86_400;
        assert_eq!(Period::Auto.resolve(0, 700 * day), Period::Month);
        assert_eq!(Period::Auto.resolve(0, 5 * 365 * day), Period::Quarter);
        assert_eq!(Period::Auto.resolve(0, 10 * 365 * day), Period::Year);
        assert_eq!(Period::Week.resolve(0, 10 * 365 * day), Period::Week);
        assert_eq!(Period::parse("year"), Some(Period::Year));
        // 2024-01-05 is in ISO week 1; 2021-01-03 belongs to 2020-W53.
        assert_eq!(Period::Week.label(1_704_448_800), "2024-W01");
        assert_eq!(
            Period::Week.label(days_from_civil(2021, 1, 3) * 86_400),
            "2020-W53"
        );
    }

    #[test]
    fn parses_bounds() {
        assert_eq!(
            parse_bound("2024-01-05", Bound::Start).unwrap(),
            1_704_412_800
        );
        assert_eq!(
            parse_bound("2024-01-05", Bound::End).unwrap(),
            1_704_499_199
        );
        assert_eq!(
            parse_bound("2024-01-05T10:00:00Z", Bound::Start).unwrap(),
            1_704_448_800
        );
        assert_eq!(
            parse_bound("2024-01-05T12:00:00+02:00", Bound::End).unwrap(),
            1_704_448_800
        );
        assert_eq!(
            parse_bound("2024-01-05T10:00:00.123Z", Bound::Start).unwrap(),
            1_704_448_800
        );
        assert_eq!(
            parse_bound("2024-01-05 10:00", Bound::Start).unwrap(),
            1_704_448_800
        );
        for bad in [
            "",
            "2024",
            "2024-13-01",
            "2024-02-30",
            "yesterday",
            "2024-01-05T25:00:00Z",
            "2024-01-05X",
            "2024-01-05T10:00:00+0200",
            "2024-01-05T10:00:00+02:00x",
        ] {
            assert!(parse_bound(bad, Bound::Start).is_err(), "{bad}");
        }
    }

    #[test]
    fn whole_months_of_a_window() {
        let day = |y, m, d| days_from_civil(y, m, d) * 86_400;
        // April to June: three months, whatever the year.
        assert_eq!(whole_months(day(2023, 4, 1), day(2023, 7, 1) - 1), Some(3));
        assert_eq!(whole_months(day(2024, 1, 1), day(2025, 1, 1) - 1), Some(12));
        assert_eq!(whole_months(day(2023, 4, 2), day(2023, 7, 1) - 1), None);
        assert_eq!(whole_months(day(2023, 4, 1), day(2023, 6, 30)), None);
        assert_eq!(months_after(day(2023, 1, 1), 3) - 1, day(2023, 4, 1) - 1);
        assert_eq!(months_after(day(2023, 11, 1), 3), day(2024, 2, 1));
    }

    #[test]
    fn parses_dates_as_git_takes_them() {
        // 2024-03-31T15:00:00Z, a Sunday.
        let now = days_from_civil(2024, 3, 31) * 86_400 + 15 * 3_600;
        let p = |s: &str, b: Bound| parse_user_date(s, b, now).unwrap();
        assert_eq!(p("2024-01-05", Bound::Start), 1_704_412_800);
        assert_eq!(
            p("2024", Bound::Start),
            days_from_civil(2024, 1, 1) * 86_400
        );
        assert_eq!(
            p("2024", Bound::End),
            days_from_civil(2024, 12, 31) * 86_400 + 86_399
        );
        assert_eq!(
            p("2024-02", Bound::Start),
            days_from_civil(2024, 2, 1) * 86_400
        );
        assert_eq!(
            p("2024-02", Bound::End),
            days_from_civil(2024, 2, 29) * 86_400 + 86_399
        );
        assert_eq!(p("now", Bound::Start), now);
        assert_eq!(p("yesterday", Bound::Start), now - 86_400);
        assert_eq!(p("2 weeks ago", Bound::Start), now - 14 * 86_400);
        assert_eq!(p("2.weeks.ago", Bound::Start), now - 14 * 86_400);
        assert_eq!(p("1 day", Bound::Start), now - 86_400);
        assert_eq!(p("36 hours ago", Bound::Start), now - 36 * 3_600);
        assert_eq!(p("10.Minutes.Ago", Bound::Start), now - 600);
        assert_eq!(p("last week", Bound::Start), now - 7 * 86_400);
        assert_eq!(p("two days ago", Bound::Start), now - 2 * 86_400);
        // Calendar months: 2023-12-31, and 31 February rolls into March as in git.
        assert_eq!(
            p("3.months.ago", Bound::Start),
            days_from_civil(2023, 12, 31) * 86_400 + 15 * 3_600
        );
        assert_eq!(
            p("1 month ago", Bound::Start),
            days_from_civil(2024, 3, 2) * 86_400 + 15 * 3_600
        );
        assert_eq!(
            p("2 years ago", Bound::Start),
            days_from_civil(2022, 3, 31) * 86_400 + 15 * 3_600
        );
        for bad in [
            "",
            "2024-13",
            "20245",
            "twelve weeks ago",
            "2 fortnights ago",
            "2 weeks before",
            "99999999 years ago",
            "-2 days ago",
            "tomorrow",
        ] {
            assert!(parse_user_date(bad, Bound::Start, now).is_err(), "{bad}");
        }
    }
}
