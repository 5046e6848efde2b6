//! UTC timestamps as Marzban writes them: naive ISO-8601 (`2026-11-23T07:56:05.691647`), no
//! zone suffix, microseconds when the value came from the clock.

use std::time::{SystemTime, UNIX_EPOCH};

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

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-23T07:56:05.691647` for a microsecond timestamp.
pub fn iso_micros(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    format!("{}.{frac:06}", iso_secs(secs))
}

/// `2026-11-23T07:56:05` for a second timestamp.
pub fn iso_secs(secs: i64) -> String {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses the datetimes pydantic accepts in query strings: `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]]`
/// with an optional `Z` or `±HH:MM`, or a bare number of UTC seconds. Returns UTC seconds.
pub fn parse_datetime(input: &str) -> Option<i64> {
    let s = input.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let (date, rest) = s.split_at_checked(10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if rest.is_empty() {
        return Some(secs);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, offset) = split_offset(rest)?;
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':');
    let h: i64 = hms.next()?.parse().ok()?;
    let mi: i64 = hms.next()?.parse().ok()?;
    let sec: i64 = hms.next().map_or(Some(0), |v| v.parse().ok())?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    secs += h * 3600 + mi * 60 + sec;
    Some(secs - offset)
}

/// Splits `07:00:00+03:30` into the clock and the offset in seconds.
fn split_offset(s: &str) -> Option<(&str, i64)> {
    if let Some(clock) = s.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match s.rfind(['+', '-']) {
        Some(pos) => {
            let (clock, off) = s.split_at(pos);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let mut hm = off[1..].split(':');
            let h: i64 = hm.next()?.parse().ok()?;
            let m: i64 = hm.next().map_or(Some(0), |v| v.parse().ok())?;
            Some((clock, sign * (h * 3600 + m * 60)))
        }
        None => Some((s, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        assert_eq!(iso_secs(0), "1970-01-01T00:00:00");
        assert_eq!(iso_secs(4_102_444_800), "2100-01-01T00:00:00");
        assert_eq!(
            iso_micros(1_795_420_565_691_647),
            "2026-11-23T07:56:05.691647"
        );
        assert_eq!(parse_datetime("2100-01-01T00:00:00"), Some(4_102_444_800));
        assert_eq!(
            parse_datetime("2100-01-01T03:00:00+03:00"),
            Some(4_102_444_800)
        );
        assert_eq!(
            parse_datetime("2100-01-01T00:00:00.5Z"),
            Some(4_102_444_800)
        );
        assert_eq!(parse_datetime("2100-01-01"), Some(4_102_444_800));
        assert_eq!(parse_datetime("garbage"), None);
    }
}
