//! The datetimes Marzban (pydantic) accepts in query strings, to UTC seconds.

use crate::clock::days_from_civil;

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
    let mut secs = days_from_civil(y, m, d)? * 86_400;
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
    fn parses_what_pydantic_accepts() {
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
