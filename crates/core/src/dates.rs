//! Dates in UTC from epoch milliseconds, on the `time` crate's calendar: the forms the CLI and
//! plan rows print, and the day count under the parsing of the timestamps panels send.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// The UTC instant of `ms`, clamped to the years ±9999 the calendar spans.
fn utc(ms: i64) -> OffsetDateTime {
    let secs = ms.div_euclid(1000);
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or_else(|_| {
        let end = if secs < 0 {
            PrimitiveDateTime::MIN
        } else {
            PrimitiveDateTime::MAX
        };
        end.assume_utc()
    })
}

/// `2026-11-23`.
pub fn date(ms: i64) -> String {
    let t = utc(ms);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// `2026-11-23T07:56:05Z`.
pub fn iso(ms: i64) -> String {
    let t = utc(ms);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(ms),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2026-11-23 09:10 UTC`: a moment as plan rows and the operation history show it.
pub fn moment(ms: i64) -> String {
    let t = utc(ms);
    format!("{} {:02}:{:02} UTC", date(ms), t.hour(), t.minute())
}

/// Days since 1970-01-01 of a calendar date; `None` when there is no such date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    Some(i64::from(date.to_julian_day()) - i64::from(UNIX_EPOCH_JULIAN_DAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_counts_days() {
        assert_eq!(iso(1_795_420_565_000), "2026-11-23T07:56:05Z");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(moment(1_795_420_565_000), "2026-11-23 07:56 UTC");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(i64::MAX), "9999-12-31");
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert_eq!(days_from_civil(2026, 2, 29), None);
        assert_eq!(days_from_civil(2026, 13, 1), None);
    }
}
