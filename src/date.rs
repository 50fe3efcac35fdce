//! Dates: the calendar is jiff's (civil dates, month lengths, ISO weeks, offsets); this module
//! holds what gluework adds on top: the period labels, the date forms people type
//! (`parse_user_date`, `parse_bound`), and the one place where dates become text and back
//! (`utc_text`, the [`rfc3339`] serde helpers).
//!
//! # Dates beyond jiff's range
//!
//! A commit's date is whatever its author wrote: git accepts any 64-bit Unix time, and `git log
//! --date=iso-strict` itself is no guide at the extremes (it prints year 10000 and beyond as
//! is, `1970-01-01T00:00:00Z` for a time past its `gmtime`'s years, a negative year for
//! `67768036191676799`, and nothing at all for a negative time). A [`Timestamp`] holds
//! `-009999-01-02T01:59:59Z` to `9999-12-30T22:00:00Z`: a time outside that is clamped to its
//! nearer end ([`timestamp`]), so it still sorts before or after every real date, windows and
//! periods keep their order, and nothing panics. The report says so: each repository with such
//! commits gets one warning ([`out_of_range_warning`]).

pub use jiff::civil::Date;
use jiff::civil::DateTime;
use jiff::tz::Offset;
pub use jiff::Timestamp;

/// The first and last second a [`Timestamp`] holds.
pub fn min_second() -> i64 {
    Timestamp::MIN.as_second()
}

/// See [`min_second`].
pub fn max_second() -> i64 {
    Timestamp::MAX.as_second()
}

/// Whether a Unix time is a [`Timestamp`] as it is (not clamped by [`timestamp`]).
pub fn in_range(ts: i64) -> bool {
    (min_second()..=max_second()).contains(&ts)
}

/// A Unix time as a typed timestamp (whole seconds). Times beyond what a timestamp holds (a
/// hostile commit can carry any 64-bit time) are clamped to its first or last second.
pub fn timestamp(ts: i64) -> Timestamp {
    let ts = ts.clamp(min_second(), max_second());
    Timestamp::from_second(ts).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The UTC date and time of a timestamp.
fn utc(t: Timestamp) -> DateTime {
    Offset::UTC.to_datetime(t)
}

/// The UTC date and time of a Unix time (clamped as [`timestamp`] does).
fn civil(ts: i64) -> DateTime {
    utc(timestamp(ts))
}

/// The UTC day a timestamp falls on.
pub fn day(t: Timestamp) -> Date {
    utc(t).date()
}

/// Days from 1970-01-01 to a date, by jiff's calendar.
pub fn unix_day(d: Date) -> i64 {
    const EPOCH: Date = Date::constant(1970, 1, 1);
    EPOCH.until(d).map_or(0, |span| span.get_days() as i64)
}

/// The date `days` days after 1970-01-01 (clamped to the dates jiff holds).
pub fn date_of_day(days: i64) -> Date {
    let first = unix_day(Date::MIN);
    let days = days.clamp(first, unix_day(Date::MAX));
    Date::MIN
        .checked_add(jiff::Span::new().days(days - first))
        .unwrap_or(Date::MAX)
}

/// The first second of a UTC day (the first second a timestamp holds, for `-9999-01-01`).
pub fn start_of_day(d: Date) -> Timestamp {
    timestamp(unix_day(d) * 86_400)
}

/// The seconds of a UTC time of day.
fn seconds_of_day(dt: DateTime) -> i64 {
    dt.hour() as i64 * 3_600 + dt.minute() as i64 * 60 + dt.second() as i64
}

/// A year as text: four digits for 0 to 9999, else ISO 8601's expanded form (`-000001`).
fn year_text(y: i16) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{y:+07}")
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds): every date the report writes.
pub fn utc_text(t: Timestamp) -> String {
    let dt = utc(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        year_text(dt.year()),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `YYYY-MM-DD`.
pub fn day_text(d: Date) -> String {
    format!("{}-{:02}-{:02}", year_text(d.year()), d.month(), d.day())
}

/// `YYYY-MM-DD`: a timestamp's UTC day.
pub fn utc_day(t: Timestamp) -> String {
    day_text(day(t))
}

/// `YYYY-MM`: a timestamp's UTC month.
pub fn utc_month(t: Timestamp) -> String {
    let d = day(t);
    format!("{}-{:02}", year_text(d.year()), d.month())
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (clamped as [`timestamp`] does).
pub fn format_utc(ts: i64) -> String {
    utc_text(timestamp(ts))
}

/// `YYYY-MM-DD` of a Unix time's UTC day (clamped as [`timestamp`] does).
pub fn format_day(ts: i64) -> String {
    day_text(civil(ts).date())
}

/// The month a Unix time falls in (UTC) as one number: `year * 12 + month - 1`.
pub fn month_index(ts: i64) -> i64 {
    let d = civil(ts);
    d.year() as i64 * 12 + d.month() as i64 - 1
}

/// The first second of a [`month_index`] (clamped to a timestamp's range).
pub fn month_start(index: i64) -> i64 {
    month_day(index, 0)
}

/// The Unix time `secs` seconds after the first of a [`month_index`] (a count past the month's
/// end runs into the next), clamped to a timestamp's range.
fn month_day(index: i64, secs: i64) -> i64 {
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    match i16::try_from(y)
        .ok()
        .and_then(|y| Date::new(y, m as i8, 1).ok())
    {
        Some(d) => (unix_day(d) * 86_400 + secs).clamp(min_second(), max_second()),
        None if y < 0 => min_second(),
        None => max_second(),
    }
}

/// The days of a month (`None` for a month or year jiff does not know).
pub fn days_in_month(y: i64, m: u32) -> Option<u32> {
    let d = Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, 1).ok()?;
    Some(d.days_in_month() as u32)
}

/// The warning a repository gets when some of its commits carry a date a report cannot hold:
/// how many, the first one's id, and what became of them. `None` when all are in range.
pub fn out_of_range_warning<Id: std::fmt::Display>(
    commits: impl IntoIterator<Item = (i64, Id)>,
) -> Option<String> {
    let mut count = 0u64;
    let mut first = None;
    for (time, id) in commits {
        if !in_range(time) {
            count += 1;
            if first.is_none() {
                first = Some(id.to_string());
            }
        }
    }
    let first = first?;
    Some(format!(
        "{count} commit{} (first: {first}) carr{} a committer date outside the years -9999 to \
         9999; counted at the nearest date a report holds ({} or {})",
        if count == 1 { "" } else { "s" },
        if count == 1 { "ies" } else { "y" },
        utc_text(Timestamp::MIN),
        utc_text(Timestamp::MAX),
    ))
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
        let days = last.saturating_sub(first).max(0) / 86_400;
        match days {
            0..=730 => Period::Month,
            731..=2192 => Period::Quarter,
            _ => Period::Year,
        }
    }

    /// The label of the period `ts` falls in (`auto`, never left unresolved in a report, labels
    /// by month).
    pub fn label(self, ts: i64) -> String {
        let d = civil(ts).date();
        let (y, m) = (year_text(d.year()), d.month());
        match self {
            Period::Year => y,
            Period::Month | Period::Auto => format!("{y}-{m:02}"),
            Period::Quarter => format!("{y}-Q{}", (m - 1) / 3 + 1),
            Period::Week => {
                let w = d.iso_week_date();
                format!("{}-W{:02}", year_text(w.year()), w.week())
            }
        }
    }
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
    // Four digits: a year jiff holds; jiff checks the month and the day of the month.
    let date = Date::new(y as i16, mo as i8, d as i8).map_err(|_| err())?;
    if b.len() == 10 {
        return Ok(match bound {
            Bound::Start => (unix_day(date) * 86_400).max(min_second()),
            Bound::End => day_end(date),
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
    // A leap second (`:60`) is read as the second before it, as jiff reads RFC 3339.
    let sec = if sec == 60 { 59 } else { sec };
    let time = jiff::civil::Time::new(h as i8, mi as i8, sec as i8, 0).map_err(|_| err())?;
    let offset = match &s[i..] {
        "" | "Z" | "z" => 0,
        rest if (rest.starts_with('+') || rest.starts_with('-')) && rest.len() == 6 => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            // RFC 3339's offsets: hours to 23 (git writes up to ±99:59, which no date here
            // takes).
            if rest.as_bytes()[3] != b':' || oh > 23 || om > 59 {
                return Err(err());
            }
            let o = (oh * 3600 + om * 60) as i32;
            if rest.starts_with('-') {
                -o
            } else {
                o
            }
        }
        _ => return Err(err()),
    };
    // Near the years 0 and 9999 an offset can carry the time past what a timestamp holds:
    // the nearer end, as `timestamp` clamps.
    let t = unix_day(date) * 86_400 + seconds_of_day(date.to_datetime(time)) - offset as i64;
    Ok(t.clamp(min_second(), max_second()))
}

/// The last second of a UTC day (the last second a timestamp holds, for days past it).
fn day_end(d: Date) -> i64 {
    (unix_day(d) * 86_400 + 86_399).clamp(min_second(), max_second())
}

/// The current time as a Unix time (0 if the clock is before 1970), for relative dates.
pub fn now() -> i64 {
    Timestamp::now().as_second().max(0)
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
        let first = Date::new(y as i16, first as i8, 1).map_err(|_| err())?;
        let last = Date::new(y as i16, last as i8, 1).map_err(|_| err())?;
        return Ok(match bound {
            Bound::Start => (unix_day(first) * 86_400).max(min_second()),
            Bound::End => day_end(last.last_of_month()),
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
    let first_second_of = |ts: i64| -> Option<i64> {
        (in_range(ts) && month_start(month_index(ts)) == ts).then(|| month_index(ts))
    };
    let (a, b) = (
        first_second_of(since)?,
        first_second_of(until.checked_add(1)?)?,
    );
    (b > a).then_some(b - a)
}

/// The time `months` calendar months after `ts` (before it, for a negative count), at the same
/// time of day, rolling over like `months_before`.
pub fn months_after(ts: i64, months: i64) -> i64 {
    months_before(ts, months.saturating_neg())
}

/// The time `months` calendar months before `ts`, at the same time of day; a day of the month
/// that the earlier month lacks rolls over into the next month, as git's (and C's `mktime`) do.
/// Times beyond a timestamp's range come out at its nearer end.
fn months_before(ts: i64, months: i64) -> i64 {
    let dt = civil(ts);
    let secs = (dt.day() as i64 - 1) * 86_400 + seconds_of_day(dt);
    month_day(month_index(ts).saturating_sub(months), secs)
}

/// Serde for a [`Timestamp`] at the JSON edge: [`utc_text`] out; in, RFC 3339 (any offset; a
/// fraction of a second is dropped) and the dates older versions wrote beyond jiff's years
/// (clamped, as [`timestamp`] does).
pub mod rfc3339 {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::utc_text(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        crate::id::from_str(d, parse)
    }

    /// Parses an RFC 3339 date (whole seconds kept); the message names no part of the text.
    pub fn parse(s: &str) -> Result<Timestamp, &'static str> {
        const BAD: &str = "a date is not RFC 3339 (e.g. 2024-03-04T10:00:00Z)";
        // A date-only or offset-less text is no timestamp: jiff refuses it.
        match s.parse::<Timestamp>() {
            Ok(t) => return Ok(super::timestamp(t.as_second())),
            Err(_) if !s.is_ascii() => return Err(BAD),
            Err(_) => {}
        }
        // What older versions read besides: no offset (UTC), no seconds, a space for the `T`.
        if s.len() > 10 {
            if let Ok(t) = super::parse_bound(s, super::Bound::Start) {
                return Ok(super::timestamp(t));
            }
        }
        // Years as older versions wrote them outside 0 to 9999: `-001-…`, `-1000-…`,
        // `292277026596-…`. Within jiff's years, read in ISO 8601's expanded form; beyond, the
        // nearer end.
        let (negative, rest) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let tail = &rest[digits..];
        if digits == 0 || !tail.starts_with('-') {
            return Err(BAD);
        }
        let year: i64 = match rest[..digits].parse() {
            Ok(_) if !negative && digits <= 4 => return Err(BAD),
            Ok(y) => y,
            Err(_) => i64::MAX,
        };
        if year > 9999 {
            // Checked for shape with a year jiff holds.
            parse(&format!("2000{tail}"))?;
            return Ok(super::timestamp(if negative { i64::MIN } else { i64::MAX }));
        }
        let sign = if negative { '-' } else { '+' };
        format!("{sign}{year:06}{tail}")
            .parse::<Timestamp>()
            .map(|t| super::timestamp(t.as_second()))
            .map_err(|_| BAD)
    }

    /// Serde for an `Option<Timestamp>`: `null` where `None`.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
                None => Ok(None),
                Some(s) => parse(&s).map(Some).map_err(serde::de::Error::custom),
            }
        }
    }

    /// Serde for a UTC day written as its first second (`2024-03-01T00:00:00Z`); any
    /// timestamp is read as its UTC day.
    pub mod day {
        use super::*;
        use crate::date::Date;

        pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
            super::serialize(&crate::date::start_of_day(*d), s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
            super::deserialize(d).map(crate::date::day)
        }
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
        // Read as older versions read them: no offset is UTC.
        for text in [
            "2024-03-04T10:00:00",
            "2024-03-04 10:00",
            "2024-03-04t10:00:00.5z",
        ] {
            assert_eq!(
                rfc3339::parse(text).map(utc_text).unwrap(),
                "2024-03-04T10:00:00Z"
            );
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

    /// The Unix time of a UTC midnight.
    fn days_from_civil(y: i16, m: i8, d: i8) -> i64 {
        unix_day(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(format_day(19_782 * 86_400), "2024-02-29");
        assert_eq!(format_day(-1), "1969-12-31");
        assert_eq!(month_index(19_782 * 86_400), 2024 * 12 + 1);
        assert_eq!(
            month_start(2024 * 12 + 1),
            days_from_civil(2024, 2, 1) * 86_400
        );
        assert_eq!(days_in_month(2024, 2), Some(29));
        assert_eq!(days_in_month(1900, 2), Some(28));
        assert_eq!(days_in_month(2000, 2), Some(29));
        assert_eq!(days_in_month(2024, 13), None);
        assert_eq!(days_in_month(10_000, 1), None);
    }

    #[test]
    fn range_edges() {
        // What a timestamp holds: from -9999-01-02T01:59:59Z to 9999-12-30T22:00:00Z.
        let (min, max) = (min_second(), max_second());
        assert_eq!(format_utc(min), "-009999-01-02T01:59:59Z");
        assert_eq!(format_utc(max), "9999-12-30T22:00:00Z");
        // Beyond it (years 10000 and -10000, i64's extremes) the nearer end, never a panic.
        let year_10000 = 253_402_300_800;
        for (ts, end) in [
            (year_10000, max),
            (year_10000 - 1, max),
            (i64::MAX, max),
            (i64::MIN, min),
            (min - 1, min),
            (-377_705_116_801, min), // -10000-12-31T23:59:59Z
        ] {
            assert!(!in_range(ts), "{ts}");
            assert_eq!(timestamp(ts).as_second(), end, "{ts}");
            assert_eq!(format_utc(ts), format_utc(end), "{ts}");
        }
        assert_eq!(format_day(i64::MAX), "9999-12-30");
        assert_eq!(Period::Year.label(i64::MAX), "9999");
        assert_eq!(Period::Month.label(i64::MIN), "-009999-01");
        assert_eq!(Period::Week.label(i64::MAX), "9999-W52");
        assert_eq!(Period::Quarter.label(i64::MIN), "-009999-Q1");
        assert_eq!(month_index(i64::MAX), 9999 * 12 + 11);
        assert_eq!(month_start(i64::MAX), max);
        assert_eq!(month_start(i64::MIN), min);
        assert_eq!(months_after(i64::MAX, 1), max);
        assert_eq!(months_after(max, i64::MAX), max);
        assert_eq!(months_after(min, i64::MIN), min);
        assert_eq!(months_after(0, -12 * 20_000), min);
        assert_eq!(whole_months(i64::MIN, i64::MAX), None);
        // Negative years in range: ISO 8601's expanded form, never `-001`.
        assert_eq!(format_utc(-62_167_219_200 - 1), "-000001-12-31T23:59:59Z");
        assert_eq!(format_utc(-62_167_219_200), "0000-01-01T00:00:00Z");
        // Years 0 and 9999 at the ends of a day, with the largest offsets RFC 3339 takes;
        // git's ±99:59 is no RFC 3339 offset.
        assert_eq!(parse_bound("9999-12-31", Bound::End), Ok(max));
        assert_eq!(
            parse_bound("9999-12-31T23:59:59-23:59", Bound::End),
            Ok(max)
        );
        assert_eq!(
            parse_bound("0000-01-01T00:00:00+23:59", Bound::Start),
            Ok(-62_167_219_200 - 23 * 3600 - 59 * 60)
        );
        for bad in ["2024-01-05T10:00:00+99:59", "2024-01-05T10:00:00-99:59"] {
            assert!(parse_bound(bad, Bound::Start).is_err(), "{bad}");
        }
        assert_eq!(
            parse_user_date("9999", Bound::End, 0),
            Ok(max),
            "the last year a date holds ends at the last second a timestamp holds"
        );
        assert_eq!(
            parse_user_date("999999 years ago", Bound::Start, 0),
            Ok(min)
        );
    }

    #[test]
    fn one_warning_for_dates_beyond_the_range() {
        assert_eq!(out_of_range_warning([(0, "a"), (max_second(), "b")]), None);
        assert_eq!(
            out_of_range_warning([(0, "a"), (i64::MAX, "b"), (i64::MIN, "c")]).unwrap(),
            "2 commits (first: b) carry a committer date outside the years -9999 to 9999; \
             counted at the nearest date a report holds (-009999-01-02T01:59:59Z or \
             9999-12-30T22:00:00Z)"
        );
        assert!(out_of_range_warning([(-377_705_116_801, "c")])
            .unwrap()
            .starts_with("1 commit (first: c) carries a committer date"));
    }

    #[test]
    fn leap_days() {
        let at = |y, m, d| days_from_civil(y, m, d) * 86_400;
        assert_eq!(parse_bound("2024-02-29", Bound::Start), Ok(at(2024, 2, 29)));
        assert_eq!(
            parse_bound("2000-02-29", Bound::End),
            Ok(at(2000, 3, 1) - 1)
        );
        for bad in ["2023-02-29", "1900-02-29", "2100-02-29"] {
            assert!(parse_bound(bad, Bound::Start).is_err(), "{bad}");
        }
        // A leap year's February, a year after a leap day: rolls into March as git does.
        assert_eq!(months_after(at(2024, 2, 29), 12), at(2025, 3, 1));
        assert_eq!(months_after(at(2024, 1, 31), 1), at(2024, 3, 2));
        assert_eq!(
            parse_user_date("2024-02", Bound::End, 0),
            Ok(at(2024, 3, 1) - 1)
        );
        assert_eq!(
            parse_user_date("2023-02", Bound::End, 0),
            Ok(at(2023, 3, 1) - 1)
        );
        assert_eq!(Period::Week.label(at(2020, 12, 31)), "2020-W53");
        assert_eq!(Period::Week.label(at(2024, 12, 30)), "2025-W01");
        // A leap second is the second before it.
        assert_eq!(
            parse_bound("2016-12-31T23:59:60Z", Bound::Start),
            Ok(at(2017, 1, 1) - 1)
        );
    }

    #[test]
    fn old_reports_dates_beyond_four_digits() {
        for (text, t) in [
            ("292277026596-12-04T15:30:07Z", timestamp(i64::MAX)),
            ("-292277022657-01-27T08:29:52Z", timestamp(i64::MIN)),
            ("10000-01-01T00:00:00Z", timestamp(i64::MAX)),
        ] {
            assert_eq!(rfc3339::parse(text), Ok(t), "{text}");
        }
        // `{:04}` of a negative year, as older versions wrote it.
        let minus_one = rfc3339::parse("-001-12-31T23:59:59Z").unwrap();
        assert_eq!(utc_text(minus_one), "-000001-12-31T23:59:59Z");
        assert_eq!(rfc3339::parse("-000001-12-31T23:59:59Z"), Ok(minus_one));
        assert_eq!(
            rfc3339::parse("-1000-01-01T00:00:00Z").map(utc_text),
            Ok("-001000-01-01T00:00:00Z".to_string())
        );
        for bad in [
            "12345-01-01",
            "12345-xx",
            "-",
            "-1",
            "99999999999999999999999-01-01T00:00:00Z x",
        ] {
            assert!(rfc3339::parse(bad).is_err(), "{bad}");
        }
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
