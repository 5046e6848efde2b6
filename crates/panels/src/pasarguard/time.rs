//! PasarGuard's datetimes: ISO 8601 UTC with `Z` (`2027-01-05T06:55:27Z`, microseconds on
//! template-made users; facts §6). A naive datetime is read as UTC, as the server does
//! (`fix_datetime_timezone`, `app/utils/helpers.py`).

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// `2027-01-05T06:55:27Z` for UTC seconds, clamped to the years ±9999.
pub fn iso_utc_z(secs: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(secs).unwrap_or_else(|_| {
        let end = if secs < 0 {
            PrimitiveDateTime::MIN
        } else {
            PrimitiveDateTime::MAX
        };
        end.assume_utc()
    });
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// UTC seconds of `YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH:MM]`; `None` when it is not one.
pub fn parse_iso_secs(s: &str) -> Option<i64> {
    let (date, rest) = s.trim().split_once(['T', ' '])?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i32>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (clock, offset_secs) = split_offset(rest)?;
    let clock = clock.split('.').next()?;
    let mut c = clock.splitn(3, ':').map(|p| p.parse::<u8>().ok());
    let (h, m, sec) = (c.next()??, c.next()??, c.next().flatten().unwrap_or(0));
    let date = Date::from_calendar_date(
        year,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let offset = UtcOffset::from_whole_seconds(offset_secs).ok()?;
    let t = PrimitiveDateTime::new(date, Time::from_hms(h, m, sec).ok()?).assume_offset(offset);
    Some(t.unix_timestamp())
}

/// The clock part and its UTC offset in seconds (none or `Z` = UTC).
fn split_offset(rest: &str) -> Option<(&str, i32)> {
    if let Some(clock) = rest.strip_suffix('Z') {
        return Some((clock, 0));
    }
    match rest.rfind(['+', '-']) {
        Some(i) => {
            let (clock, off) = rest.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (h, m) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
            let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            Some((clock, sign * secs))
        }
        None => Some((rest, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_the_recorded_forms() {
        assert_eq!(iso_utc_z(1_801_724_127), "2027-02-04T06:55:27Z");
        assert_eq!(parse_iso_secs("2027-02-04T06:55:27Z"), Some(1_801_724_127));
        // Step 69: a template-made user keeps microseconds.
        assert_eq!(
            parse_iso_secs("2027-01-05T06:55:31.308536Z"),
            Some(1_799_132_131)
        );
        assert_eq!(parse_iso_secs("2027-02-04T06:55:27"), Some(1_801_724_127));
        assert_eq!(
            parse_iso_secs("2027-02-04T09:55:27+03:00"),
            Some(1_801_724_127)
        );
        assert_eq!(parse_iso_secs("soon"), None);
    }
}
