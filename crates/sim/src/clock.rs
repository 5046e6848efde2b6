//! The simulators' clock and the timestamps they write, on the `time` crate's calendar:
//! Marzban's naive ISO-8601 (`2026-11-23T07:56:05.691647`, microseconds when the value came
//! from the clock) and Pterodactyl's and the user-pass panel's `…+00:00`.

use std::time::{SystemTime, UNIX_EPOCH};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// Microseconds since the Unix epoch, now.
pub fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch, now.
pub fn now_secs() -> i64 {
    now_micros().div_euclid(1_000_000)
}

/// The UTC instant of `secs`, clamped to the years ±9999 the calendar spans.
fn utc(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or_else(|_| {
        let end = if secs < 0 {
            PrimitiveDateTime::MIN
        } else {
            PrimitiveDateTime::MAX
        };
        end.assume_utc()
    })
}

/// `2026-11-23T07:56:05` for a second timestamp.
pub fn iso_secs(secs: i64) -> String {
    let t = utc(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2026-11-23T07:56:05.691647` for a microsecond timestamp.
pub fn iso_micros(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    format!("{}.{frac:06}", iso_secs(secs))
}

/// `2020-06-12T23:18:43+00:00` for a Unix time in seconds (UTC).
pub fn iso8601(unix_secs: i64) -> String {
    format!("{}+00:00", iso_secs(unix_secs))
}

/// Days since 1970-01-01 of a calendar date; `None` when there is no such date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    Some(i64::from(date.to_julian_day()) - i64::from(UNIX_EPOCH_JULIAN_DAY))
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_secs(0), "1970-01-01T00:00:00");
        assert_eq!(iso_secs(4_102_444_800), "2100-01-01T00:00:00");
        assert_eq!(
            iso_micros(1_795_420_565_691_647),
            "2026-11-23T07:56:05.691647"
        );
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_592_003_923), "2020-06-12T23:18:43+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+00:00");
        assert_eq!(days_from_civil(2100, 1, 1), Some(4_102_444_800 / 86_400));
        assert_eq!(days_from_civil(2026, 2, 30), None);
    }
}
