//! Calendar dates and ISO 8601 durations: the arithmetic every freshness rule relies on.
//!
//! Durations are deliberately strict: only `P` followed by years, months, weeks and days
//! (`P3M`, `P90D`, `P2W`, `P1Y`). A bare `3m` is refused, because nobody can tell whether it
//! meant months or minutes.

use std::fmt;
use std::str::FromStr;

pub use jiff::civil::Date;

/// Today's date in UTC, the default for `--as-of`.
pub fn today_utc() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Today's date on this machine's clock, in its time zone: the day a person at it means by
/// "today" (an SRO signing at 00:30 in London means the London day).
pub fn today_local() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Why a date was refused, phrased for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(String);

/// Why a duration was refused, phrased for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(String);

/// A date written `YYYY-MM-DD` that exists in the calendar.
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let refuse = |why: String| DateError(why);
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(refuse(format!("`{text}` is not a date written YYYY-MM-DD")));
    }
    let year: i16 = text[0..4]
        .parse()
        .map_err(|_| refuse(format!("`{text}` has a year out of range")))?;
    let month: i8 = text[5..7].parse().unwrap_or(0);
    let day: i8 = text[8..10].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(refuse(format!(
            "`{text}` is not a real date: there is no month {month}"
        )));
    }
    Date::new(year, month, day).map_err(|_| {
        let last = Date::new(year, month, 1)
            .map(|d| d.days_in_month())
            .unwrap_or(31);
        refuse(format!(
            "`{text}` is not a real date: {} {year} has {last} days",
            MONTH_NAMES[(month - 1) as usize]
        ))
    })
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// An ISO 8601 duration made of calendar units only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub years: u32,
    pub months: u32,
    pub weeks: u32,
    pub days: u32,
}

impl Duration {
    pub const fn days(days: u32) -> Self {
        Duration {
            years: 0,
            months: 0,
            weeks: 0,
            days,
        }
    }

    pub const fn months(months: u32) -> Self {
        Duration {
            years: 0,
            months,
            weeks: 0,
            days: 0,
        }
    }

    pub const fn weeks(weeks: u32) -> Self {
        Duration {
            years: 0,
            months: 0,
            weeks,
            days: 0,
        }
    }

    pub const fn years(years: u32) -> Self {
        Duration {
            years,
            months: 0,
            weeks: 0,
            days: 0,
        }
    }

    fn span(self) -> jiff::Span {
        jiff::Span::new()
            .years(i64::from(self.years))
            .months(i64::from(self.months))
            .days(i64::from(self.weeks) * 7 + i64::from(self.days))
    }

    /// The date this long after `date`. Months clamp to the end of shorter months
    /// (31 January + P1M is 28 or 29 February), as people count them.
    pub fn after(self, date: Date) -> Date {
        date.checked_add(self.span()).unwrap_or(Date::MAX)
    }

    /// The date this long before `date`.
    pub fn before(self, date: Date) -> Date {
        date.checked_sub(self.span()).unwrap_or(Date::MIN)
    }

    /// True when, from some start date, this duration runs past `other`.
    /// Checked over a full 28-year calendar cycle (2025 to 2052), so P90D is rightly longer than P3M
    /// (from 31 January 2025, 90 days reach 1 May but three months reach 30 April).
    pub fn can_exceed(self, other: Duration) -> Option<Date> {
        let mut start = Date::constant(2025, 1, 1);
        let end = Date::constant(2053, 1, 1);
        while start < end {
            if self.after(start) > other.after(start) {
                return Some(start);
            }
            start = start.tomorrow().ok()?;
        }
        None
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        parse_duration(text)
    }
}

fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let refuse = || {
        DurationError(format!(
            "`{text}` is not an ISO 8601 duration; write P then a number and Y, M, W or D, \
             for example P3M, P90D, P2W or P1Y"
        ))
    };
    let rest = text.strip_prefix('P').ok_or_else(refuse)?;
    if rest.is_empty() {
        return Err(refuse());
    }
    let mut duration = Duration::default();
    let mut number = String::new();
    // Units must appear in this order, each at most once.
    let mut next_unit = 0;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let order = match c {
            'Y' => 1,
            'M' => 2,
            'W' => 3,
            'D' => 4,
            _ => return Err(refuse()),
        };
        if number.is_empty() || order <= next_unit {
            return Err(refuse());
        }
        let value: u32 = number.parse().map_err(|_| refuse())?;
        match c {
            'Y' => duration.years = value,
            'M' => duration.months = value,
            'W' => duration.weeks = value,
            _ => duration.days = value,
        }
        next_unit = order;
        number.clear();
    }
    if !number.is_empty() {
        return Err(refuse());
    }
    if duration == Duration::default() {
        return Err(DurationError(format!(
            "`{text}` is zero; a duration must be at least one day"
        )));
    }
    // Keep arithmetic far from overflow: no policy needs centuries.
    if duration.years > 100
        || duration.months > 1200
        || duration.weeks > 5200
        || duration.days > 36500
    {
        return Err(DurationError(format!("`{text}` is longer than a century")));
    }
    Ok(duration)
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        for (value, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if value > 0 {
                write!(f, "{value}{unit}")?;
            }
        }
        Ok(())
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn durations_parse_strictly() {
        assert_eq!("P3M".parse(), Ok(Duration::months(3)));
        assert_eq!("P90D".parse(), Ok(Duration::days(90)));
        assert_eq!("P2W".parse(), Ok(Duration::weeks(2)));
        assert_eq!("P1Y".parse(), Ok(Duration::years(1)));
        assert_eq!(
            "P1Y2M3W4D".parse(),
            Ok(Duration {
                years: 1,
                months: 2,
                weeks: 3,
                days: 4
            })
        );
        for bad in [
            "3m", "P", "P3", "PT3H", "P3m", "P3M2Y", "P3M3M", "p3m", "P0D", "P-3D", " P3M", "P3.5M",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn durations_display_canonically() {
        assert_eq!(
            "P1Y2M3W4D".parse::<Duration>().unwrap().to_string(),
            "P1Y2M3W4D"
        );
        assert_eq!(Duration::days(14).to_string(), "P14D");
    }

    #[test]
    fn months_clamp_at_month_end() {
        assert_eq!(Duration::months(1).after(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Duration::months(3).after(d("2026-08-12")), d("2026-11-12"));
        assert_eq!(Duration::days(14).before(d("2026-11-12")), d("2026-10-29"));
    }

    #[test]
    fn ninety_days_can_exceed_three_months() {
        assert_eq!(
            Duration::days(90).can_exceed(Duration::months(3)),
            Some(d("2025-01-31"))
        );
        assert_eq!(Duration::days(89).can_exceed(Duration::months(3)), None);
        assert_eq!(Duration::months(3).can_exceed(Duration::months(3)), None);
        assert_eq!(Duration::weeks(12).can_exceed(Duration::months(3)), None);
        assert!(
            Duration::weeks(13)
                .can_exceed(Duration::months(3))
                .is_some()
        );
    }

    #[test]
    fn impossible_dates_explain_themselves() {
        assert_eq!(
            parse_date("2026-02-30").unwrap_err().to_string(),
            "`2026-02-30` is not a real date: February 2026 has 28 days"
        );
        assert_eq!(
            parse_date("2026-13-01").unwrap_err().to_string(),
            "`2026-13-01` is not a real date: there is no month 13"
        );
        assert!(parse_date("2026-2-3").is_err());
        assert!(parse_date("2028-02-29").is_ok());
    }
}
